/* gstjimmyaudiosrc.c: plays the audio of a Jimmy AI SoundClone task.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/**
 * SECTION:element-jimmyaudiosrc
 * @title: jimmyaudiosrc
 *
 * Waits for a Jimmy AI SoundClone task to complete, then plays its audio.
 *
 * From READY to PAUSED the element polls the task API
 * (`GET {api-url}/api/open-api/v1/audios/{task-id}`) on a thread shared by
 * every jimmyaudiosrc in the process, and returns ASYNC: the pipeline
 * prerolls once the task has completed and its audio is flowing. Every
 * status change is posted as a `jimmy-task-status` element message. Once
 * completed, the bin plays the task's `audioUrl` through
 * `souphttpsrc ! decodebin` (or `souphttpsrc ! typefind` with
 * decode=false) behind its `src` ghost pad.
 *
 * It also handles `jimmy://<task-id>` URIs, so playbin, uridecodebin,
 * gst-play-1.0 and gst-discoverer-1.0 play tasks.
 *
 * ## Example launch lines
 * |[
 * JIMMY_API_KEY=sk_… gst-launch-1.0 jimmyaudiosrc task-id=audio_… ! \
 *     audioconvert ! autoaudiosink
 * JIMMY_API_KEY=sk_… gst-play-1.0 jimmy://audio_…
 * ]|
 * Prefer JIMMY_API_KEY to `api-key=` on a command line: the launch-line
 * parser logs the whole description, property values included, at INFO
 * and DEBUG levels.
 */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <string.h>

#include "gstjimmyaudiosrc-private.h"
#include "gstjimmyelements.h"
#include "gstjimmymessages.h"
#include "jimmy-api.h"
#include "jimmy-poller.h"
#include "jimmy-text.h"

GST_DEBUG_CATEGORY (gst_jimmy_audio_src_debug);
#define GST_CAT_DEFAULT gst_jimmy_audio_src_debug

#define DEFAULT_USER_AGENT "GStreamer jimmyaudiosrc/" VERSION
#define DEFAULT_DECODE TRUE
#define DEFAULT_SSL_STRICT TRUE
#define DEFAULT_HTTP_LOG_LEVEL SOUP_LOGGER_LOG_HEADERS
#define DEFAULT_SUBTITLES FALSE

enum
{
  PROP_0,
  PROP_TASK_ID,
  PROP_API_KEY,
  PROP_API_URL,
  PROP_POLL_INTERVAL,
  PROP_TASK_TIMEOUT,
  PROP_REQUEST_TIMEOUT,
  PROP_MAX_RETRIES,
  PROP_DECODE,
  PROP_USER_AGENT,
  PROP_PROXY,
  PROP_SSL_STRICT,
  PROP_HTTP_LOG_LEVEL,
  PROP_SUBTITLES,
  PROP_CACHE_DIR,
  PROP_STATUS,
  PROP_MODEL_ID,
  PROP_AUDIO_URL,
  PROP_SUBTITLE_URL,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

#define gst_jimmy_audio_src_parent_class parent_class
G_DEFINE_TYPE_WITH_CODE (GstJimmyAudioSrc, gst_jimmy_audio_src, GST_TYPE_BIN,
    G_IMPLEMENT_INTERFACE (GST_TYPE_URI_HANDLER,
        gst_jimmy_audio_src_uri_handler_init));

GST_ELEMENT_REGISTER_DEFINE_WITH_CODE (jimmyaudiosrc, "jimmyaudiosrc",
    GST_RANK_PRIMARY, GST_TYPE_JIMMY_AUDIO_SRC,
    GST_DEBUG_CATEGORY_INIT (gst_jimmy_audio_src_debug, "jimmyaudiosrc", 0,
        "Jimmy AI SoundClone task source");
    GST_DEBUG_CATEGORY_INIT (gst_jimmy_http_debug, "jimmyhttp", 0,
        "HTTP log of the task API requests (at TRACE level)"));

static GstStaticPadTemplate src_template = GST_STATIC_PAD_TEMPLATE ("src",
    GST_PAD_SRC, GST_PAD_ALWAYS, GST_STATIC_CAPS_ANY);

static GstStaticPadTemplate subtitle_template =
GST_STATIC_PAD_TEMPLATE ("subtitle", GST_PAD_SRC, GST_PAD_SOMETIMES,
    GST_STATIC_CAPS ("text/x-raw, format = (string) { pango-markup, utf8 }"));

/* ---------------------------------------------------------------------- */
/* Preroll: the bin is ASYNC from READY→PAUSED until audio flows */

static void
do_async_start (GstJimmyAudioSrc * self)
{
  g_mutex_lock (&self->lock);
  self->async_pending = TRUE;
  g_mutex_unlock (&self->lock);

  GST_BIN_CLASS (parent_class)->handle_message (GST_BIN_CAST (self),
      gst_message_new_async_start (GST_OBJECT_CAST (self)));
}

void
gst_jimmy_audio_src_preroll_done (GstJimmyAudioSrc * self)
{
  gboolean pending;

  g_mutex_lock (&self->lock);
  pending = self->async_pending;
  self->async_pending = FALSE;
  g_mutex_unlock (&self->lock);

  if (pending)
    GST_BIN_CLASS (parent_class)->handle_message (GST_BIN_CAST (self),
        gst_message_new_async_done (GST_OBJECT_CAST (self),
            GST_CLOCK_TIME_NONE));
}

/* ---------------------------------------------------------------------- */
/* Progress messages, as rtspsrc posts them: START, CONTINUE on every
 * status, then exactly one of COMPLETE, ERROR or CANCELED. */

#define PROGRESS_CODE "task"

static void
post_progress (GstJimmyAudioSrc * self, GstProgressType type,
    const gchar * text)
{
  gst_element_post_message (GST_ELEMENT_CAST (self),
      gst_message_new_progress (GST_OBJECT_CAST (self), type, PROGRESS_CODE,
          text));
}

void
gst_jimmy_audio_src_start_progress (GstJimmyAudioSrc * self)
{
  g_autofree gchar *task_id = gst_jimmy_audio_src_dup_run_task_id (self);
  g_autofree gchar *text = g_strdup_printf ("Waiting for task %s", task_id);

  g_mutex_lock (&self->lock);
  self->progress_open = TRUE;
  g_mutex_unlock (&self->lock);
  post_progress (self, GST_PROGRESS_TYPE_START, text);
}

void
gst_jimmy_audio_src_continue_progress (GstJimmyAudioSrc * self,
    const JimmyTask * task)
{
  g_autofree gchar *text = g_strdup_printf ("Task %s is %s", task->id,
      task->status_string);
  gboolean open;

  g_mutex_lock (&self->lock);
  open = self->progress_open;
  g_mutex_unlock (&self->lock);
  if (open)
    post_progress (self, GST_PROGRESS_TYPE_CONTINUE, text);
}

/* Posts @type unless the progress already ended. */
void
gst_jimmy_audio_src_end_progress (GstJimmyAudioSrc * self,
    GstProgressType type, const gchar * text)
{
  gboolean open;

  g_mutex_lock (&self->lock);
  open = self->progress_open;
  self->progress_open = FALSE;
  g_mutex_unlock (&self->lock);
  if (open)
    post_progress (self, type, text);
}

/* The src pad has its audio: progress is complete, preroll can end. */
void
gst_jimmy_audio_src_audio_started (GstJimmyAudioSrc * self)
{
  g_autofree gchar *task_id = gst_jimmy_audio_src_dup_run_task_id (self);
  g_autofree gchar *text = g_strdup_printf ("Playing task %s", task_id);

  gst_jimmy_audio_src_end_progress (self, GST_PROGRESS_TYPE_COMPLETE, text);
  gst_jimmy_audio_src_preroll_done (self);
}

/* ---------------------------------------------------------------------- */
/* Results, as read-only properties */

static void notify_result (GstJimmyAudioSrc * self);

/* Updates the read-only result properties from @task (nullable). */
void
gst_jimmy_audio_src_set_result (GstJimmyAudioSrc * self,
    const JimmyTask * task)
{
  GST_OBJECT_LOCK (self);
  g_free (self->status);
  self->status = g_strdup (task ? task->status_string : NULL);
  g_free (self->model_id);
  self->model_id = g_strdup (task ? task->model_id : NULL);
  g_free (self->audio_url);
  self->audio_url = g_strdup (task ? task->audio_url : NULL);
  g_free (self->subtitle_url);
  self->subtitle_url = g_strdup (task ? task->subtitle_url : NULL);
  GST_OBJECT_UNLOCK (self);
  notify_result (self);
}

static void
notify_result (GstJimmyAudioSrc * self)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATUS]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MODEL_ID]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_AUDIO_URL]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SUBTITLE_URL]);
}

static void
gst_jimmy_audio_src_handle_message (GstBin * bin, GstMessage * message)
{
  GstJimmyAudioSrc *self = GST_JIMMY_AUDIO_SRC (bin);

  /* The expired-URL recovery first: it takes some errors back. */
  if (gst_jimmy_recovery_handle_message (self, message)
      || gst_jimmy_child_errors_handle_message (self, message)) {
    gst_message_unref (message);
    return;
  }
  GST_BIN_CLASS (parent_class)->handle_message (bin, message);
}

static GstStateChangeReturn
gst_jimmy_audio_src_change_state (GstElement * element,
    GstStateChange transition)
{
  GstJimmyAudioSrc *self = GST_JIMMY_AUDIO_SRC (element);
  GstStateChangeReturn ret;

  switch (transition) {
    case GST_STATE_CHANGE_NULL_TO_READY:
      g_mutex_lock (&self->lock);
      if (self->poller == NULL)
        self->poller = jimmy_poller_dup_default ();
      g_mutex_unlock (&self->lock);
      break;
    case GST_STATE_CHANGE_READY_TO_PAUSED:
      if (!gst_jimmy_run_prepare (self))
        goto bad_settings;
      do_async_start (self);
      break;
    case GST_STATE_CHANGE_PAUSED_TO_READY:
      gst_jimmy_run_stop (self);
      break;
    default:
      break;
  }

  ret = GST_ELEMENT_CLASS (parent_class)->change_state (element, transition);
  if (ret == GST_STATE_CHANGE_FAILURE)
    goto parent_failed;

  switch (transition) {
    case GST_STATE_CHANGE_READY_TO_PAUSED:
      gst_jimmy_run_start (self);
      ret = GST_STATE_CHANGE_ASYNC;
      break;
    case GST_STATE_CHANGE_PAUSED_TO_READY:
      gst_jimmy_audio_chain_remove (self);
      gst_jimmy_subtitle_chain_remove (self);
      gst_jimmy_audio_src_preroll_done (self);
      break;
    case GST_STATE_CHANGE_READY_TO_NULL:
      g_mutex_lock (&self->lock);
      g_clear_object (&self->poller);
      g_mutex_unlock (&self->lock);
      break;
    default:
      break;
  }
  return ret;

  /* ERRORS */
bad_settings:
  {
    GST_DEBUG_OBJECT (self, "refusing to start: bad settings");
    return GST_STATE_CHANGE_FAILURE;
  }
parent_failed:
  {
    if (transition == GST_STATE_CHANGE_READY_TO_PAUSED) {
      gst_jimmy_run_stop (self);
      gst_jimmy_audio_src_preroll_done (self);
    }
    return ret;
  }
}

/* ---------------------------------------------------------------------- */
/* Properties */

static void
replace_string (GstJimmyAudioSrc * self, gchar ** field, const GValue * value)
{
  GST_OBJECT_LOCK (self);
  g_free (*field);
  *field = g_value_dup_string (value);
  GST_OBJECT_UNLOCK (self);
}

static void
gst_jimmy_audio_src_set_property (GObject * object, guint prop_id,
    const GValue * value, GParamSpec * pspec)
{
  GstJimmyAudioSrc *self = GST_JIMMY_AUDIO_SRC (object);

  switch (prop_id) {
    case PROP_TASK_ID:
      replace_string (self, &self->task_id, value);
      break;
    case PROP_API_KEY:
      GST_OBJECT_LOCK (self);
      jimmy_text_free_secret (self->api_key);
      self->api_key = g_value_dup_string (value);
      GST_OBJECT_UNLOCK (self);
      break;
    case PROP_API_URL:
      replace_string (self, &self->api_url, value);
      break;
    case PROP_USER_AGENT:
      replace_string (self, &self->user_agent, value);
      break;
    case PROP_PROXY:
      replace_string (self, &self->proxy, value);
      break;
    case PROP_CACHE_DIR:
      replace_string (self, &self->cache_dir, value);
      break;
    case PROP_POLL_INTERVAL:
      GST_OBJECT_LOCK (self);
      self->poll_interval = g_value_get_uint (value);
      GST_OBJECT_UNLOCK (self);
      break;
    case PROP_TASK_TIMEOUT:
      GST_OBJECT_LOCK (self);
      self->task_timeout = g_value_get_uint (value);
      GST_OBJECT_UNLOCK (self);
      break;
    case PROP_REQUEST_TIMEOUT:
      GST_OBJECT_LOCK (self);
      self->request_timeout = g_value_get_uint (value);
      GST_OBJECT_UNLOCK (self);
      break;
    case PROP_MAX_RETRIES:
      GST_OBJECT_LOCK (self);
      self->max_retries = g_value_get_int (value);
      GST_OBJECT_UNLOCK (self);
      break;
    case PROP_DECODE:
      GST_OBJECT_LOCK (self);
      self->decode = g_value_get_boolean (value);
      GST_OBJECT_UNLOCK (self);
      break;
    case PROP_SSL_STRICT:
      GST_OBJECT_LOCK (self);
      self->ssl_strict = g_value_get_boolean (value);
      GST_OBJECT_UNLOCK (self);
      break;
    case PROP_HTTP_LOG_LEVEL:
      GST_OBJECT_LOCK (self);
      self->http_log_level = g_value_get_enum (value);
      GST_OBJECT_UNLOCK (self);
      break;
    case PROP_SUBTITLES:
      GST_OBJECT_LOCK (self);
      self->subtitles = g_value_get_boolean (value);
      GST_OBJECT_UNLOCK (self);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
      break;
  }
}

static void
gst_jimmy_audio_src_get_property (GObject * object, guint prop_id,
    GValue * value, GParamSpec * pspec)
{
  GstJimmyAudioSrc *self = GST_JIMMY_AUDIO_SRC (object);

  GST_OBJECT_LOCK (self);
  switch (prop_id) {
    case PROP_TASK_ID:
      g_value_set_string (value, self->task_id);
      break;
    case PROP_API_URL:
      /* What a start would use. */
      if (gst_jimmy_nonempty_or_null (self->api_url) != NULL)
        g_value_set_string (value, self->api_url);
      else if (gst_jimmy_nonempty_or_null (g_getenv ("JIMMY_API_URL")) != NULL)
        g_value_set_string (value, g_getenv ("JIMMY_API_URL"));
      else
        g_value_set_string (value, JIMMY_API_DEFAULT_URL);
      break;
    case PROP_USER_AGENT:
      g_value_set_string (value, self->user_agent);
      break;
    case PROP_PROXY:
      g_value_set_string (value, self->proxy);
      break;
    case PROP_CACHE_DIR:
      g_value_set_string (value, self->cache_dir);
      break;
    case PROP_POLL_INTERVAL:
      g_value_set_uint (value, self->poll_interval);
      break;
    case PROP_TASK_TIMEOUT:
      g_value_set_uint (value, self->task_timeout);
      break;
    case PROP_REQUEST_TIMEOUT:
      g_value_set_uint (value, self->request_timeout);
      break;
    case PROP_MAX_RETRIES:
      g_value_set_int (value, self->max_retries);
      break;
    case PROP_DECODE:
      g_value_set_boolean (value, self->decode);
      break;
    case PROP_SSL_STRICT:
      g_value_set_boolean (value, self->ssl_strict);
      break;
    case PROP_HTTP_LOG_LEVEL:
      g_value_set_enum (value, self->http_log_level);
      break;
    case PROP_SUBTITLES:
      g_value_set_boolean (value, self->subtitles);
      break;
    case PROP_STATUS:
      g_value_set_string (value, self->status);
      break;
    case PROP_MODEL_ID:
      g_value_set_string (value, self->model_id);
      break;
    case PROP_AUDIO_URL:
      g_value_set_string (value, self->audio_url);
      break;
    case PROP_SUBTITLE_URL:
      g_value_set_string (value, self->subtitle_url);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
      break;
  }
  GST_OBJECT_UNLOCK (self);
}

/* ---------------------------------------------------------------------- */
/* GObject */

static void
gst_jimmy_audio_src_init (GstJimmyAudioSrc * self)
{
  g_mutex_init (&self->lock);
  self->poll_interval = JIMMY_POLL_DEFAULT_INTERVAL_MS;
  self->task_timeout = JIMMY_POLL_DEFAULT_TASK_TIMEOUT_S;
  self->request_timeout = JIMMY_POLL_DEFAULT_REQUEST_TIMEOUT_S;
  self->max_retries = JIMMY_POLL_DEFAULT_MAX_RETRIES;
  self->decode = DEFAULT_DECODE;
  self->user_agent = g_strdup (DEFAULT_USER_AGENT);
  self->ssl_strict = DEFAULT_SSL_STRICT;
  self->http_log_level = DEFAULT_HTTP_LOG_LEVEL;
  self->subtitles = DEFAULT_SUBTITLES;

  self->srcpad = gst_ghost_pad_new_no_target_from_template ("src",
      gst_element_class_get_pad_template (GST_ELEMENT_GET_CLASS (self),
          "src"));
  gst_element_add_pad (GST_ELEMENT_CAST (self), self->srcpad);
  self->tag_injector = gst_jimmy_tag_injector_new (self->srcpad);
  GST_OBJECT_FLAG_SET (self, GST_ELEMENT_FLAG_SOURCE);
}

static void
gst_jimmy_audio_src_finalize (GObject * object)
{
  GstJimmyAudioSrc *self = GST_JIMMY_AUDIO_SRC (object);

  g_free (self->task_id);
  jimmy_text_free_secret (self->api_key);
  g_free (self->api_url);
  g_free (self->user_agent);
  g_free (self->proxy);
  g_free (self->cache_dir);
  g_free (self->run_cache_dir);
  g_free (self->run_cached_audio);
  g_clear_pointer (&self->run_task, jimmy_task_free);
  g_free (self->not_audio_type);
  g_free (self->status);
  g_free (self->model_id);
  g_free (self->audio_url);
  g_free (self->subtitle_url);
  g_clear_object (&self->poller);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->options, jimmy_poll_options_free);
  gst_jimmy_tag_injector_free (self->tag_injector);
  g_mutex_clear (&self->lock);

  G_OBJECT_CLASS (parent_class)->finalize (object);
}

#define SETTING_FLAGS (G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | \
    GST_PARAM_MUTABLE_READY)
#define RESULT_FLAGS (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS)

static void
gst_jimmy_audio_src_class_init (GstJimmyAudioSrcClass * klass)
{
  GObjectClass *gobject_class = G_OBJECT_CLASS (klass);
  GstElementClass *element_class = GST_ELEMENT_CLASS (klass);

  gobject_class->set_property = gst_jimmy_audio_src_set_property;
  gobject_class->get_property = gst_jimmy_audio_src_get_property;
  gobject_class->finalize = gst_jimmy_audio_src_finalize;

  /**
   * GstJimmyAudioSrc:task-id:
   *
   * The SoundClone task to play. Required; read at READY→PAUSED. Sent
   * percent-encoded as one path segment.
   */
  properties[PROP_TASK_ID] = g_param_spec_string ("task-id", "Task ID",
      "SoundClone task id returned by the create call (e.g. audio_…); "
      "required", NULL, SETTING_FLAGS);

  /**
   * GstJimmyAudioSrc:api-key:
   *
   * The Bearer token. Write-only; read at READY→PAUSED. Unset or empty
   * falls back to $JIMMY_API_KEY. Sent only to the api-url's origin.
   */
  properties[PROP_API_KEY] = g_param_spec_string ("api-key", "API key",
      "Jimmy AI API key (write-only); default: $JIMMY_API_KEY. Prefer the "
      "environment variable: launch lines are logged", NULL,
      G_PARAM_WRITABLE | G_PARAM_STATIC_STRINGS | GST_PARAM_MUTABLE_READY);

  /**
   * GstJimmyAudioSrc:api-url:
   *
   * Base URL of the API. Unset or empty falls back to $JIMMY_API_URL, then
   * to https://www.jimmyai.cn. Reading it gives the URL a start would use.
   */
  properties[PROP_API_URL] = g_param_spec_string ("api-url", "API URL",
      "Base URL of the Jimmy AI API (http or https); default: "
      "$JIMMY_API_URL, else " JIMMY_API_DEFAULT_URL, JIMMY_API_DEFAULT_URL,
      SETTING_FLAGS);

  /**
   * GstJimmyAudioSrc:poll-interval:
   *
   * Time between two polls while the task is queued or processing. The
   * service asks for 5 to 10 s.
   */
  properties[PROP_POLL_INTERVAL] = g_param_spec_uint ("poll-interval",
      "Poll interval", "Milliseconds between two polls of the task",
      JIMMY_POLL_MIN_INTERVAL_MS, JIMMY_POLL_MAX_INTERVAL_MS,
      JIMMY_POLL_DEFAULT_INTERVAL_MS, SETTING_FLAGS);

  /**
   * GstJimmyAudioSrc:task-timeout:
   *
   * Give up with an error if the task has not completed this many
   * seconds after polling started.
   */
  properties[PROP_TASK_TIMEOUT] = g_param_spec_uint ("task-timeout",
      "Task timeout", "Seconds to wait for the task to complete "
      "(0 = wait for ever)", 0, G_MAXUINT, JIMMY_POLL_DEFAULT_TASK_TIMEOUT_S,
      SETTING_FLAGS);

  /**
   * GstJimmyAudioSrc:request-timeout:
   *
   * Limit on one API request, headers and body; also souphttpsrc's
   * timeout for the audio download.
   */
  properties[PROP_REQUEST_TIMEOUT] = g_param_spec_uint ("request-timeout",
      "Request timeout", "Seconds one HTTP request may take (0 = no limit)",
      0, 3600, JIMMY_POLL_DEFAULT_REQUEST_TIMEOUT_S, SETTING_FLAGS);

  /**
   * GstJimmyAudioSrc:max-retries:
   *
   * Consecutive transient failures tolerated (connection errors, request
   * timeouts, HTTP 408, 429 and 5xx) before giving up, with exponential
   * backoff and jitter between tries, honouring Retry-After.
   */
  properties[PROP_MAX_RETRIES] = g_param_spec_int ("max-retries",
      "Max retries", "Consecutive failed polls tolerated before giving up "
      "(-1 = retry for ever)", -1, G_MAXINT, JIMMY_POLL_DEFAULT_MAX_RETRIES,
      SETTING_FLAGS);

  /**
   * GstJimmyAudioSrc:decode:
   *
   * TRUE outputs raw decoded audio; FALSE outputs the encoded stream
   * exactly as served (e.g. audio/mpeg), for saving without re-encoding.
   */
  properties[PROP_DECODE] = g_param_spec_boolean ("decode", "Decode",
      "Output decoded raw audio (TRUE) or the encoded stream as served "
      "(FALSE)", DEFAULT_DECODE, SETTING_FLAGS);

  /**
   * GstJimmyAudioSrc:user-agent:
   *
   * User-Agent of the API requests and of the audio download.
   */
  properties[PROP_USER_AGENT] = g_param_spec_string ("user-agent",
      "User-Agent", "User-Agent header of every request",
      DEFAULT_USER_AGENT, SETTING_FLAGS);

  /**
   * GstJimmyAudioSrc:proxy:
   *
   * HTTP proxy for the API and the audio. Unset uses $http_proxy,
   * $https_proxy and $no_proxy; "" means no proxy.
   */
  properties[PROP_PROXY] = g_param_spec_string ("proxy", "Proxy",
      "HTTP proxy URI (default: $http_proxy/$https_proxy; \"\" = none)",
      NULL, SETTING_FLAGS);

  /**
   * GstJimmyAudioSrc:ssl-strict:
   *
   * Refuse TLS certificates that do not verify. Only turn off for test
   * servers.
   */
  properties[PROP_SSL_STRICT] = g_param_spec_boolean ("ssl-strict",
      "SSL strict", "Refuse TLS certificates that do not verify",
      DEFAULT_SSL_STRICT, SETTING_FLAGS);

  /**
   * GstJimmyAudioSrc:http-log-level:
   *
   * How much of each task API request and response libsoup logs, as
   * souphttpsrc's property of the same name: the log is only made when
   * the "jimmyhttp" debug category is at TRACE level or above, and goes
   * there. The values of Authorization, Proxy-Authorization, Cookie and
   * Set-Cookie headers are replaced with "[REDACTED]". The audio
   * download is souphttpsrc's, with its own http-log-level.
   */
  properties[PROP_HTTP_LOG_LEVEL] = g_param_spec_enum ("http-log-level",
      "HTTP log level", "How much of the task API requests to log, when the "
      "\"jimmyhttp\" debug category is at TRACE or above; credentials are "
      "redacted", SOUP_TYPE_LOGGER_LOG_LEVEL, DEFAULT_HTTP_LOG_LEVEL,
      SETTING_FLAGS);

  /**
   * GstJimmyAudioSrc:subtitles:
   *
   * When the completed task has a subtitleFile, expose it as timed text
   * on a "subtitle" sometimes pad (souphttpsrc ! subparse), added before
   * the audio starts. Link it, or leave this off: an unlinked pad stops
   * the pipeline with a not-linked error.
   */
  properties[PROP_SUBTITLES] = g_param_spec_boolean ("subtitles",
      "Subtitles", "Expose the task's subtitleFile as timed text on a "
      "\"subtitle\" sometimes pad", DEFAULT_SUBTITLES, SETTING_FLAGS);

  /**
   * GstJimmyAudioSrc:cache-dir:
   *
   * Directory where completed tasks' audio is kept, as served, under a
   * name derived from the task id. A task found there plays from disk
   * without any API request; an entry whose size or SHA-256 does not
   * match its record is deleted and fetched again. Entries are written
   * under a temporary name and renamed when complete. Unset: no cache.
   */
  properties[PROP_CACHE_DIR] = g_param_spec_string ("cache-dir",
      "Cache directory", "Keep completed tasks' audio here and replay it "
      "without asking the API (unset = no cache)", NULL, SETTING_FLAGS);

  /**
   * GstJimmyAudioSrc:status:
   *
   * The task's last reported status: queued, processing, completed,
   * failed, or what else the service said. NULL before the first poll.
   */
  properties[PROP_STATUS] = g_param_spec_string ("status", "Status",
      "Last status the service reported for the task (read-only)", NULL,
      RESULT_FLAGS);

  properties[PROP_MODEL_ID] = g_param_spec_string ("model-id", "Model ID",
      "modelId of a completed preview task (read-only)", NULL, RESULT_FLAGS);

  properties[PROP_AUDIO_URL] = g_param_spec_string ("audio-url",
      "Audio URL", "audioUrl of the completed task (read-only)", NULL,
      RESULT_FLAGS);

  properties[PROP_SUBTITLE_URL] = g_param_spec_string ("subtitle-url",
      "Subtitle URL", "subtitleFile of the completed task, if any "
      "(read-only)", NULL, RESULT_FLAGS);

  g_object_class_install_properties (gobject_class, N_PROPS, properties);

  gst_element_class_add_static_pad_template (element_class, &src_template);
  gst_element_class_add_static_pad_template (element_class,
      &subtitle_template);
  gst_element_class_set_static_metadata (element_class,
      "Jimmy AI SoundClone source", "Source/Audio/Network",
      "Waits for a Jimmy AI SoundClone task to complete and plays its audio",
      "jimmyaudiosrc developers");

  element_class->change_state =
      GST_DEBUG_FUNCPTR (gst_jimmy_audio_src_change_state);
  GST_BIN_CLASS (klass)->handle_message =
      GST_DEBUG_FUNCPTR (gst_jimmy_audio_src_handle_message);
}
