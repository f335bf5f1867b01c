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
 * With is-live=true the element is a live source instead: READY→PAUSED
 * returns NO_PREROLL, and from PLAYING it outputs silence until the
 * task's decoded audio follows on the same timeline.
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

#include "gstjimmyaudiosrc.h"
#include "gstjimmyelements.h"
#include "gstjimmymessages.h"
#include "gstjimmyproperties.h"
#include "gstjimmyrun.h"
#include "gstjimmysettings.h"
#include "gstjimmystats.h"
#include "gstjimmytags.h"
#include "gstjimmyurihandler.h"
#include "jimmy-api.h"
#include "jimmy-poller.h"
#include "jimmy-text.h"

GST_DEBUG_CATEGORY (gst_jimmy_audio_src_debug);
#define GST_CAT_DEFAULT gst_jimmy_audio_src_debug

/* libsoup's log of the task API requests, credentials redacted; see the
 * http-log-level property. */
GST_DEBUG_CATEGORY_STATIC (gst_jimmy_http_debug);

static GParamSpec *properties[N_PROPS];

struct _GstJimmyAudioSrc
{
  GstBin parent;

  GstPad *srcpad;               /* the ghost pad, always there */
  GstJimmyTagInjector *tag_injector;    /* on srcpad */

  /* Settings and results; the object lock guards them, and `run`. NULL
   * api_key and api_url mean "not set": the environment decides at
   * start. */
  gchar *task_id;
  gchar *api_key;
  gchar *api_url;
  guint poll_interval;
  guint task_timeout;
  guint request_timeout;
  gint max_retries;
  gboolean decode;
  gchar *user_agent;
  gchar *proxy;
  gboolean ssl_strict;
  SoupLoggerLogLevel http_log_level;
  gboolean subtitles;
  gchar *cache_dir;
  guint64 cache_max_size;
  gboolean is_live;
  gchar *status;
  gchar *model_id;
  gchar *audio_url;
  gchar *subtitle_url;
  GstJimmyRun *run;             /* READY→PAUSED … PAUSED→READY */
  GstJimmyStats *stats;         /* the current or last run's */
  gchar **uri_options;          /* (nullable) settings the URI set */

  /* Changed in change_state only, under the state lock. */
  JimmyPoller *poller;          /* NULL→READY … READY→NULL */
};

static void gst_jimmy_audio_src_uri_handler_init (gpointer g_iface,
    gpointer iface_data);

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
/* What the run reports */

static void
notify_result (GstJimmyAudioSrc * self)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATUS]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MODEL_ID]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_AUDIO_URL]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SUBTITLE_URL]);
}

/* Updates the read-only result properties from @task (nullable). */
static void
set_result (GstElement * element, const JimmyTask * task)
{
  GstJimmyAudioSrc *self = GST_JIMMY_AUDIO_SRC (element);

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

/* async-start and async-done go through the bin's own handling, so that
 * its state completes (as decodebin2's do_async_done). */
static void
bin_message (GstElement * element, GstMessage * message)
{
  GST_BIN_CLASS (parent_class)->handle_message (GST_BIN_CAST (element),
      message);
}

static const GstJimmyRunCallbacks run_callbacks = {
  bin_message,
  set_result,
};

static GstJimmyRun *
dup_run (GstJimmyAudioSrc * self)
{
  GstJimmyRun *run;

  GST_OBJECT_LOCK (self);
  run = self->run ? gst_jimmy_run_ref (self->run) : NULL;
  GST_OBJECT_UNLOCK (self);
  return run;
}

static void
gst_jimmy_audio_src_handle_message (GstBin * bin, GstMessage * message)
{
  GstJimmyAudioSrc *self = GST_JIMMY_AUDIO_SRC (bin);
  g_autoptr (GstJimmyRun) run = dup_run (self);

  if (run != NULL && gst_jimmy_run_handle_message (run, message)) {
    gst_message_unref (message);
    return;
  }
  GST_BIN_CLASS (parent_class)->handle_message (bin, message);
}

/* ---------------------------------------------------------------------- */
/* Settings for a run */

static const gchar *
nonempty_or_null (const gchar * value)
{
  return value != NULL && *value != '\0' ? value : NULL;
}

/* On the poller thread. Elements share its sessions, so the lines name
 * no element. */
static void
log_http_line (char direction, const char *line)
{
  GST_CAT_TRACE (gst_jimmy_http_debug, "%c %s", direction, line);
}

/* A copy of the settings; explicit properties win over the environment. */
static GstJimmyRunSettings *
snapshot_settings (GstJimmyAudioSrc * self)
{
  GstJimmyRunSettings *settings = g_new0 (GstJimmyRunSettings, 1);
  JimmyPollOptions *o;
  const gchar *api_url, *api_key;

  GST_OBJECT_LOCK (self);
  api_url = nonempty_or_null (self->api_url);
  if (api_url == NULL)
    api_url = nonempty_or_null (g_getenv ("JIMMY_API_URL"));
  api_key = nonempty_or_null (self->api_key);
  if (api_key == NULL)
    api_key = nonempty_or_null (g_getenv ("JIMMY_API_KEY"));

  o = jimmy_poll_options_new (api_url ? api_url : JIMMY_API_DEFAULT_URL,
      self->task_id, api_key);
  o->poll_interval_ms = self->poll_interval;
  o->task_timeout_s = self->task_timeout;
  o->request_timeout_s = self->request_timeout;
  o->max_retries = self->max_retries;
  o->user_agent = g_strdup (self->user_agent);
  o->proxy = g_strdup (self->proxy);
  o->ssl_strict = self->ssl_strict;
  /* Like souphttpsrc: no logger unless its lines would be shown. */
  if (gst_debug_category_get_threshold (gst_jimmy_http_debug) >=
      GST_LEVEL_TRACE) {
    o->http_log_level = self->http_log_level;
    o->http_log_func = log_http_line;
  }
  settings->options = o;
  settings->decode = self->decode;
  settings->subtitles = self->subtitles;
  settings->cache_dir = g_strdup (nonempty_or_null (self->cache_dir));
  settings->cache_max_size = self->cache_max_size;
  settings->is_live = self->is_live;
  GST_OBJECT_UNLOCK (self);

  return settings;
}

/* ---------------------------------------------------------------------- */
/* States */

/* READY→PAUSED, before chaining up: a run from a copy of the settings. */
static gboolean
create_run (GstJimmyAudioSrc * self)
{
  GstElement *element = GST_ELEMENT_CAST (self);
  g_autoptr (GstJimmyRunSettings) settings = snapshot_settings (self);
  GstJimmyRun *run;

  if (!gst_jimmy_settings_validate (element, settings->options,
          settings->cache_dir == NULL)
      || !gst_jimmy_settings_validate_live (element,
          settings->options->task_id, settings->is_live, settings->decode))
    return FALSE;

  set_result (GST_ELEMENT_CAST (self), NULL);
  run = gst_jimmy_run_new (GST_ELEMENT_CAST (self), self->poller,
      self->tag_injector, g_steal_pointer (&settings), &run_callbacks);
  GST_OBJECT_LOCK (self);
  g_clear_pointer (&self->run, gst_jimmy_run_unref);
  self->run = run;
  g_clear_pointer (&self->stats, gst_jimmy_stats_unref);
  self->stats = gst_jimmy_run_dup_stats (run);
  GST_OBJECT_UNLOCK (self);
  if (gst_jimmy_run_is_live (run))
    gst_jimmy_run_start_live (run);
  else
    gst_jimmy_run_start_preroll (run);
  return TRUE;
}

/* PAUSED→READY, after chaining up (or a failed READY→PAUSED). Stopping
 * twice is harmless. */
static void
drop_run (GstJimmyAudioSrc * self)
{
  GstJimmyRun *run;

  GST_OBJECT_LOCK (self);
  run = g_steal_pointer (&self->run);
  GST_OBJECT_UNLOCK (self);
  if (run == NULL)
    return;
  gst_jimmy_run_stop (run);
  gst_jimmy_run_finish (run);
  gst_jimmy_run_unref (run);
}

static GstStateChangeReturn
gst_jimmy_audio_src_change_state (GstElement * element,
    GstStateChange transition)
{
  GstJimmyAudioSrc *self = GST_JIMMY_AUDIO_SRC (element);
  g_autoptr (GstJimmyRun) run = NULL;
  GstStateChangeReturn ret;

  switch (transition) {
    case GST_STATE_CHANGE_NULL_TO_READY:
      if (self->poller == NULL)
        self->poller = jimmy_poller_dup_default ();
      break;
    case GST_STATE_CHANGE_READY_TO_PAUSED:
      if (!create_run (self))
        goto bad_settings;
      break;
    case GST_STATE_CHANGE_PAUSED_TO_READY:
      /* Cancels the wait, makes late callbacks stale and locks the
       * children's states: the bin's change passes them by. */
      run = dup_run (self);
      if (run != NULL)
        gst_jimmy_run_stop (run);
      break;
    default:
      break;
  }

  ret = GST_ELEMENT_CLASS (parent_class)->change_state (element, transition);
  if (ret == GST_STATE_CHANGE_FAILURE)
    goto parent_failed;

  switch (transition) {
    case GST_STATE_CHANGE_READY_TO_PAUSED:
      run = dup_run (self);
      gst_jimmy_run_start (run);
      ret = gst_jimmy_run_is_live (run) ? GST_STATE_CHANGE_NO_PREROLL :
          GST_STATE_CHANGE_ASYNC;
      break;
    case GST_STATE_CHANGE_PAUSED_TO_READY:
      drop_run (self);
      break;
    case GST_STATE_CHANGE_READY_TO_NULL:
      g_clear_object (&self->poller);
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
    if (transition == GST_STATE_CHANGE_READY_TO_PAUSED)
      drop_run (self);
    return ret;
  }
}

/* ---------------------------------------------------------------------- */
/* The URI handler: jimmy://<task-id> */

static GstURIType
gst_jimmy_audio_src_uri_get_type (GType type)
{
  return GST_URI_SRC;
}

static const gchar *const *
gst_jimmy_audio_src_uri_get_protocols (GType type)
{
  static const gchar *protocols[] = { GST_JIMMY_URI_SCHEME, NULL };

  return protocols;
}

/* The task id and the options set through the URI, with their current
 * values. */
static gchar *
gst_jimmy_audio_src_uri_get_uri (GstURIHandler * handler)
{
  GstJimmyAudioSrc *self = GST_JIMMY_AUDIO_SRC (handler);
  g_autofree gchar *task_id = NULL;
  g_auto (GStrv) keys = NULL;

  GST_OBJECT_LOCK (self);
  task_id = g_strdup (self->task_id);
  keys = g_strdupv (self->uri_options);
  GST_OBJECT_UNLOCK (self);
  return gst_jimmy_uri_build (task_id, G_OBJECT (self),
      (const gchar * const *) keys);
}

static GstState settings_busy_state (GstJimmyAudioSrc * self);

static gboolean
set_uri_option (GQuark field, const GValue * value, gpointer user_data)
{
  g_object_set_property (G_OBJECT (user_data), g_quark_to_string (field),
      value);
  return TRUE;
}

/* A new URI replaces the old one's options: those it does not repeat go
 * back to their defaults. Returns the new ones' names. */
static gchar **
apply_uri_options (GstJimmyAudioSrc * self, const GstStructure * options)
{
  GObject *object = G_OBJECT (self);
  g_auto (GStrv) old_keys = NULL;
  g_autoptr (GStrvBuilder) keys = g_strv_builder_new ();
  guint i, n = gst_structure_n_fields (options);

  GST_OBJECT_LOCK (self);
  old_keys = g_steal_pointer (&self->uri_options);
  GST_OBJECT_UNLOCK (self);
  for (i = 0; old_keys != NULL && old_keys[i] != NULL; i++) {
    GParamSpec *pspec;
    g_auto (GValue) value = G_VALUE_INIT;

    if (gst_structure_has_field (options, old_keys[i]))
      continue;
    pspec = g_object_class_find_property (G_OBJECT_GET_CLASS (object),
        old_keys[i]);
    g_value_init (&value, pspec->value_type);
    g_param_value_set_default (pspec, &value);
    g_object_set_property (object, old_keys[i], &value);
  }

  gst_structure_foreach (options, set_uri_option, self);
  for (i = 0; i < n; i++)
    g_strv_builder_add (keys, gst_structure_nth_field_name (options, i));
  return g_strv_builder_end (keys);
}

static gboolean
gst_jimmy_audio_src_uri_set_uri (GstURIHandler * handler, const gchar * uri,
    GError ** error)
{
  GstJimmyAudioSrc *self = GST_JIMMY_AUDIO_SRC (handler);
  g_autofree gchar *task_id = NULL;
  g_autoptr (GstStructure) options = NULL;
  g_auto (GStrv) keys = NULL;
  GstState busy = settings_busy_state (self);

  if (busy != GST_STATE_VOID_PENDING) {
    g_set_error (error, GST_URI_ERROR, GST_URI_ERROR_BAD_STATE,
        "Changing the URI of jimmyaudiosrc in the %s state is not "
        "supported; set it to READY or NULL first",
        gst_element_state_get_name (busy));
    return FALSE;
  }

  if (!gst_jimmy_uri_parse (uri, G_OBJECT_GET_CLASS (self), &task_id,
          &options, error))
    return FALSE;

  keys = apply_uri_options (self, options);
  GST_OBJECT_LOCK (self);
  g_free (self->task_id);
  self->task_id = g_steal_pointer (&task_id);
  g_strfreev (self->uri_options);
  self->uri_options = keys[0] != NULL ? g_steal_pointer (&keys) : NULL;
  GST_OBJECT_UNLOCK (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TASK_ID]);
  return TRUE;
}

static void
gst_jimmy_audio_src_uri_handler_init (gpointer g_iface, gpointer iface_data)
{
  GstURIHandlerInterface *iface = g_iface;

  iface->get_type = gst_jimmy_audio_src_uri_get_type;
  iface->get_protocols = gst_jimmy_audio_src_uri_get_protocols;
  iface->get_uri = gst_jimmy_audio_src_uri_get_uri;
  iface->set_uri = gst_jimmy_audio_src_uri_set_uri;
}

/* ---------------------------------------------------------------------- */
/* Properties */

/* The state a settings change would be refused in (as the run, from
 * READY→PAUSED to PAUSED→READY, plays with a copy), or VOID_PENDING. */
static GstState
settings_busy_state (GstJimmyAudioSrc * self)
{
  GstState current, pending;

  GST_OBJECT_LOCK (self);
  current = GST_STATE (self);
  pending = GST_STATE_PENDING (self);
  GST_OBJECT_UNLOCK (self);
  if (current >= GST_STATE_PAUSED)
    return current;
  if (pending >= GST_STATE_PAUSED)
    return pending;
  return GST_STATE_VOID_PENDING;
}

/* MUTABLE_READY: refused in PAUSED and PLAYING with one warning, as
 * GStreamer elements do; the value in use stays. */
static gboolean
settings_mutable (GstJimmyAudioSrc * self, GParamSpec * pspec)
{
  GstState busy = settings_busy_state (self);

  if (busy == GST_STATE_VOID_PENDING)
    return TRUE;
  g_warning ("%s: the \"%s\" property cannot be changed in the %s state; "
      "set the element to READY or NULL first", GST_OBJECT_NAME (self),
      pspec->name, gst_element_state_get_name (busy));
  return FALSE;
}

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

  if (!settings_mutable (self, pspec))
    return;

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
    case PROP_CACHE_MAX_SIZE:
      GST_OBJECT_LOCK (self);
      self->cache_max_size = g_value_get_uint64 (value);
      GST_OBJECT_UNLOCK (self);
      break;
    case PROP_IS_LIVE:
      GST_OBJECT_LOCK (self);
      self->is_live = g_value_get_boolean (value);
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
      if (nonempty_or_null (self->api_url) != NULL)
        g_value_set_string (value, self->api_url);
      else if (nonempty_or_null (g_getenv ("JIMMY_API_URL")) != NULL)
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
    case PROP_CACHE_MAX_SIZE:
      g_value_set_uint64 (value, self->cache_max_size);
      break;
    case PROP_IS_LIVE:
      g_value_set_boolean (value, self->is_live);
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
    case PROP_STATS:
      g_value_take_boxed (value, gst_jimmy_stats_to_structure (self->stats));
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
  self->poll_interval = JIMMY_POLL_DEFAULT_INTERVAL_MS;
  self->task_timeout = JIMMY_POLL_DEFAULT_TASK_TIMEOUT_S;
  self->request_timeout = JIMMY_POLL_DEFAULT_REQUEST_TIMEOUT_S;
  self->max_retries = JIMMY_POLL_DEFAULT_MAX_RETRIES;
  self->decode = GST_JIMMY_DEFAULT_DECODE;
  self->user_agent = g_strdup (GST_JIMMY_DEFAULT_USER_AGENT);
  self->ssl_strict = GST_JIMMY_DEFAULT_SSL_STRICT;
  self->http_log_level = GST_JIMMY_DEFAULT_HTTP_LOG_LEVEL;
  self->subtitles = GST_JIMMY_DEFAULT_SUBTITLES;
  self->stats = gst_jimmy_stats_new ();
  self->is_live = GST_JIMMY_DEFAULT_IS_LIVE;

  self->srcpad = gst_ghost_pad_new_no_target_from_template ("src",
      gst_element_class_get_pad_template (GST_ELEMENT_GET_CLASS (self), "src"));
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
  g_free (self->status);
  g_free (self->model_id);
  g_free (self->audio_url);
  g_free (self->subtitle_url);
  g_strfreev (self->uri_options);
  gst_jimmy_stats_unref (self->stats);
  g_clear_pointer (&self->run, gst_jimmy_run_unref);
  g_clear_object (&self->poller);
  gst_jimmy_tag_injector_free (self->tag_injector);

  G_OBJECT_CLASS (parent_class)->finalize (object);
}

static void
gst_jimmy_audio_src_class_init (GstJimmyAudioSrcClass * klass)
{
  GObjectClass *gobject_class = G_OBJECT_CLASS (klass);
  GstElementClass *element_class = GST_ELEMENT_CLASS (klass);

  gobject_class->set_property = gst_jimmy_audio_src_set_property;
  gobject_class->get_property = gst_jimmy_audio_src_get_property;
  gobject_class->finalize = gst_jimmy_audio_src_finalize;

  gst_jimmy_properties_install (gobject_class, properties);

  gst_element_class_add_static_pad_template (element_class, &src_template);
  gst_element_class_add_static_pad_template (element_class, &subtitle_template);
  gst_element_class_set_static_metadata (element_class,
      "Jimmy AI SoundClone source", "Source/Audio/Network",
      "Waits for a Jimmy AI SoundClone task to complete and plays its audio",
      "jimmyaudiosrc developers");

  element_class->change_state =
      GST_DEBUG_FUNCPTR (gst_jimmy_audio_src_change_state);
  GST_BIN_CLASS (klass)->handle_message =
      GST_DEBUG_FUNCPTR (gst_jimmy_audio_src_handle_message);
}
