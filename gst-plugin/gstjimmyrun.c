/* gstjimmyrun.c: one run of jimmyaudiosrc, from READY→PAUSED to
 * PAUSED→READY: wait for the task on the shared poller thread (or find it
 * in the cache), report every status, then build the chains that play its
 * audio.
 *
 * Callbacks of a run hold a Run, which ties them to the run that started
 * them: a stop bumps the element's generation, and what they would do
 * for an older run is dropped.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "gstjimmyaudiosrc-private.h"
#include "gstjimmycachetap.h"
#include "gstjimmyelements.h"
#include "gstjimmymessages.h"
#include "jimmy-api.h"
#include "jimmy-cache.h"

#define GST_CAT_DEFAULT gst_jimmy_audio_src_debug

/* libsoup's log of the task API requests, credentials redacted; see the
 * http-log-level property. */
GST_DEBUG_CATEGORY (gst_jimmy_http_debug);

/* One wait on the poller; ties callbacks to the run that started them. */
typedef struct
{
  GstJimmyAudioSrc *self;       /* (owned) */
  guint generation;
} Run;

static Run *
run_new (GstJimmyAudioSrc * self, guint generation)
{
  Run *run = g_rc_box_new0 (Run);

  run->self = gst_object_ref (self);
  run->generation = generation;
  return run;
}

static void
run_clear (Run * run)
{
  gst_object_unref (run->self);
}

static void
run_release (Run * run)
{
  g_rc_box_release_full (run, (GDestroyNotify) run_clear);
}

static gboolean run_is_current (Run * run);

/* Threads that post for a run (the poller thread, the async pool) take
 * the state lock first: PAUSED→READY holds it, so they either finish
 * before a stop or see it happened. Without it, a message could reach a
 * parent that the application is already destroying. On success the
 * caller must GST_STATE_UNLOCK. */
static gboolean
run_lock_if_current (Run * run)
{
  GST_STATE_LOCK (run->self);
  if (run_is_current (run))
    return TRUE;
  GST_STATE_UNLOCK (run->self);
  return FALSE;
}

static gboolean
run_is_current (Run * run)
{
  GstJimmyAudioSrc *self = run->self;
  gboolean current;

  g_mutex_lock (&self->lock);
  current = run->generation == self->generation;
  g_mutex_unlock (&self->lock);
  return current;
}

gchar *
gst_jimmy_audio_src_dup_run_task_id (GstJimmyAudioSrc * self)
{
  gchar *task_id;

  g_mutex_lock (&self->lock);
  task_id = g_strdup (self->options ? self->options->task_id : NULL);
  g_mutex_unlock (&self->lock);
  return task_id;
}

/* ---------------------------------------------------------------------- */
/* The completed task */

/* Results, message and progress for a status the run just learnt. */
static void
report_status (GstJimmyAudioSrc * self, const JimmyTask * task)
{
  GST_INFO_OBJECT (self, "task %s is %s", task->id, task->status_string);
  gst_jimmy_audio_src_set_result (self, task);
  gst_element_post_message (GST_ELEMENT_CAST (self),
      gst_jimmy_task_status_message_new (GST_ELEMENT_CAST (self), task));
  gst_jimmy_audio_src_continue_progress (self, task);
}

/* Keeps @task for the chains, and tags the stream with it.
 * @cached_audio: (nullable): the cache entry to play instead of audioUrl */
static void
take_completed_task (GstJimmyAudioSrc * self, const JimmyTask * task,
    const gchar * cached_audio)
{
  g_autoptr (GstTagList) tags = gst_jimmy_task_tags_new (task);

  gst_jimmy_audio_src_set_result (self, task);
  g_mutex_lock (&self->lock);
  g_clear_pointer (&self->run_task, jimmy_task_free);
  self->run_task = jimmy_task_copy (task);
  g_free (self->run_cached_audio);
  self->run_cached_audio = g_strdup (cached_audio);
  g_mutex_unlock (&self->lock);

  gst_jimmy_tag_injector_set_tags (self->tag_injector, tags);
  gst_element_post_message (GST_ELEMENT_CAST (self),
      gst_message_new_tag (GST_OBJECT_CAST (self), g_steal_pointer (&tags)));
}

/* The source of the audio: the cache entry, or audioUrl, tapped into the
 * cache when there is one. */
static GstElement *
make_audio_source (GstJimmyAudioSrc * self, const JimmyPollOptions * o,
    const JimmyTask * task, const gchar * cached_audio,
    const gchar * cache_dir)
{
  g_autoptr (GError) error = NULL;
  JimmyCacheWriter *writer;
  GstElement *source;

  if (cached_audio != NULL) {
    source = gst_jimmy_make_child (self, "filesrc");
    if (source != NULL)
      g_object_set (source, "location", cached_audio, NULL);
    return source;
  }

  source = gst_jimmy_make_http_src (self, o, task->audio_url);
  if (source == NULL)
    return NULL;
  gst_jimmy_recovery_watch_source (self, source, FALSE, 0);
  g_mutex_lock (&self->lock);
  self->audio_network = TRUE;
  g_mutex_unlock (&self->lock);
  if (cache_dir == NULL)
    return source;

  writer = jimmy_cache_writer_new (cache_dir, task, &error);
  if (writer == NULL) {
    /* Playing matters more than caching. */
    GST_ELEMENT_WARNING (self, RESOURCE, WRITE, ("%s", error->message),
        (NULL));
    return source;
  }
  g_mutex_lock (&self->lock);
  self->cache_tap = gst_jimmy_cache_tap_new (source, writer);
  g_mutex_unlock (&self->lock);
  return source;
}

/* Builds the subtitle and audio chains. Called with the state lock held,
 * for the current run. */
static void
expose_audio_locked (GstJimmyAudioSrc * self)
{
  g_autoptr (JimmyPollOptions) options = NULL;
  g_autoptr (JimmyTask) task = NULL;
  g_autofree gchar *cached_audio = NULL;
  g_autofree gchar *cache_dir = NULL;
  GstElement *source;
  gboolean decode, subtitles;

  g_mutex_lock (&self->lock);
  options = jimmy_poll_options_copy (self->options);
  task = jimmy_task_copy (self->run_task);
  cached_audio = g_strdup (self->run_cached_audio);
  cache_dir = g_strdup (self->run_cache_dir);
  decode = self->run_decode;
  subtitles = self->run_subtitles;
  g_mutex_unlock (&self->lock);

  if (subtitles && task->subtitle_url != NULL
      && !gst_jimmy_subtitle_chain_add (self, options, task->subtitle_url))
    goto failed;

  GST_INFO_OBJECT (self, "task %s completed, playing %s", task->id,
      cached_audio != NULL ? cached_audio : task->audio_url);
  source = make_audio_source (self, options, task, cached_audio, cache_dir);
  if (source == NULL || !gst_jimmy_audio_chain_add (self, source, decode))
    goto failed;

  /* With typefind, the src pad has its target already. */
  if (!decode)
    gst_jimmy_audio_src_audio_started (self);
  return;

failed:
  gst_jimmy_audio_src_end_progress (self, GST_PROGRESS_TYPE_ERROR,
      "Could not build the pipeline for the task's audio");
  gst_jimmy_audio_src_preroll_done (self);
}

/* In the element's async thread pool, never in a state change. */
static void
expose_audio (GstElement * element, gpointer user_data)
{
  Run *run = user_data;

  /* A stop either comes before this, or waits for the chains to be
   * complete. */
  if (!run_lock_if_current (run))
    return;
  expose_audio_locked (run->self);
  GST_STATE_UNLOCK (run->self);
}

/* ---------------------------------------------------------------------- */
/* Waiting on the task (callbacks run on the poller thread) */

/* A wait of the current run failed: one error, the progress and the
 * preroll end. Called with the state lock held. */
static void
fail_run (GstJimmyAudioSrc * self, const GError * error,
    const JimmyPollFailure * failure)
{
  g_autofree gchar *task_id = gst_jimmy_audio_src_dup_run_task_id (self);

  GST_WARNING_OBJECT (self, "%s", error->message);
  g_mutex_lock (&self->lock);
  self->failure_posted = TRUE;
  g_mutex_unlock (&self->lock);
  gst_jimmy_audio_src_end_progress (self, GST_PROGRESS_TYPE_ERROR,
      error->message);
  gst_jimmy_post_client_error (GST_ELEMENT_CAST (self), task_id, error,
      failure);
  gst_jimmy_audio_src_preroll_done (self);
}

static void
on_task_update (const JimmyTask * task, gpointer user_data)
{
  Run *run = user_data;
  GstJimmyAudioSrc *self = run->self;

  if (!run_lock_if_current (run))
    return;

  GST_INFO_OBJECT (self, "task %s is %s", task->id, task->status_string);
  report_status (self, task);
  GST_STATE_UNLOCK (self);
}

static void
on_wait_done (GObject * source, GAsyncResult * result, gpointer user_data)
{
  Run *run = user_data;
  GstJimmyAudioSrc *self = run->self;
  g_autoptr (JimmyTask) task = NULL;
  g_autoptr (GError) error = NULL;
  JimmyPollFailure failure;

  task = jimmy_poller_wait_finish (JIMMY_POLLER (source), result, &failure,
      &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED)
      || !run_is_current (run)) {
    GST_DEBUG_OBJECT (self, "wait ended after stop");
  } else if (task == NULL) {
    if (run_lock_if_current (run)) {
      fail_run (self, error, &failure);
      GST_STATE_UNLOCK (self);
    }
  } else if (run_lock_if_current (run)) {
    take_completed_task (self, task, NULL);
    gst_element_call_async (GST_ELEMENT_CAST (self), expose_audio,
        g_rc_box_acquire (run), (GDestroyNotify) run_release);
    GST_STATE_UNLOCK (self);
  }

  jimmy_poll_failure_clear (&failure);
  run_release (run);
}

typedef struct
{
  JimmyPoller *poller;          /* (owned) */
  JimmyPollOptions *options;    /* (owned) */
  GCancellable *cancellable;    /* (owned) */
  Run *run;                     /* (owned) */
  JimmyTaskUpdateFunc update;   /* (nullable) */
  GAsyncReadyCallback done;
} StartWait;

static void
start_wait_free (StartWait * start)
{
  g_object_unref (start->poller);
  jimmy_poll_options_free (start->options);
  g_object_unref (start->cancellable);
  g_clear_pointer (&start->run, run_release);
  g_free (start);
}

/* On the poller thread, so that the wait's callbacks run there too. */
static gboolean
start_wait_in_poller (gpointer user_data)
{
  StartWait *start = user_data;
  Run *run = g_steal_pointer (&start->run);

  jimmy_poller_wait_async (start->poller, start->options, start->update,
      g_rc_box_acquire (run), (GDestroyNotify) run_release,
      start->cancellable, start->done, run);
  return G_SOURCE_REMOVE;
}

/* ---------------------------------------------------------------------- */
/* Settings */

const gchar *
gst_jimmy_nonempty_or_null (const gchar * value)
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

/* Explicit properties win over the environment. */
static JimmyPollOptions *
snapshot_options (GstJimmyAudioSrc * self)
{
  JimmyPollOptions *o;
  const gchar *api_url, *api_key;

  GST_OBJECT_LOCK (self);
  api_url = gst_jimmy_nonempty_or_null (self->api_url);
  if (api_url == NULL)
    api_url = gst_jimmy_nonempty_or_null (g_getenv ("JIMMY_API_URL"));
  api_key = gst_jimmy_nonempty_or_null (self->api_key);
  if (api_key == NULL)
    api_key = gst_jimmy_nonempty_or_null (g_getenv ("JIMMY_API_KEY"));

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
  GST_OBJECT_UNLOCK (self);

  return o;
}

static gboolean
refuse_settings (GstJimmyAudioSrc * self, const gchar * task_id,
    const gchar * text)
{
  gst_jimmy_post_error (GST_ELEMENT_CAST (self), GST_RESOURCE_ERROR,
      GST_RESOURCE_ERROR_SETTINGS, task_id, text, NULL, NULL);
  return FALSE;
}

static gboolean
validate_options (GstJimmyAudioSrc * self, const JimmyPollOptions * o)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GUri) api_uri = NULL;
  g_autofree gchar *text = NULL;

  if (o->task_id == NULL || *o->task_id == '\0')
    return refuse_settings (self, NULL, "No task-id set: set it to the id "
        "returned when the task was created, e.g. audio_16b635ba-…, or use "
        "a jimmy://<task-id> URI.");

  if (!jimmy_api_validate_task_id (o->task_id, &error))
    return refuse_settings (self, NULL, error->message);

  if (o->api_key == NULL) {
    text = g_strdup_printf ("No API key for task \"%s\": set the "
        "JIMMY_API_KEY environment variable or the api-key property.",
        o->task_id);
    return refuse_settings (self, o->task_id, text);
  }

  if (!jimmy_api_validate_api_key (o->api_key, &error)) {
    text = g_strdup_printf ("Task \"%s\": %s", o->task_id, error->message);
    return refuse_settings (self, o->task_id, text);
  }

  api_uri = jimmy_api_parse_api_url (o->api_url, &error);
  if (api_uri == NULL) {
    text = g_strdup_printf ("Task \"%s\": %s", o->task_id, error->message);
    return refuse_settings (self, o->task_id, text);
  }
  return TRUE;
}

/* ---------------------------------------------------------------------- */
/* Start and stop */

/**
 * gst_jimmy_run_prepare:
 *
 * READY→PAUSED, before chaining up: takes the settings for this run and
 * checks them; no I/O yet. Posts RESOURCE/SETTINGS and returns FALSE when
 * they cannot work.
 */
gboolean
gst_jimmy_run_prepare (GstJimmyAudioSrc * self)
{
  JimmyPollOptions *options = snapshot_options (self);

  if (!validate_options (self, options)) {
    jimmy_poll_options_free (options);
    return FALSE;
  }

  gst_jimmy_audio_src_set_result (self, NULL);
  g_mutex_lock (&self->lock);
  g_clear_pointer (&self->options, jimmy_poll_options_free);
  self->options = options;
  GST_OBJECT_LOCK (self);
  self->run_decode = self->decode;
  self->run_subtitles = self->subtitles;
  g_free (self->run_cache_dir);
  self->run_cache_dir = g_strdup (gst_jimmy_nonempty_or_null (self->cache_dir));
  GST_OBJECT_UNLOCK (self);
  g_clear_pointer (&self->run_task, jimmy_task_free);
  g_clear_pointer (&self->run_cached_audio, g_free);
  self->audio_network = FALSE;
  self->bytes_received = 0;
  self->recovering = FALSE;
  self->recovered = FALSE;
  self->failure_posted = FALSE;
  g_clear_pointer (&self->not_audio_type, g_free);
  self->generation++;
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  g_mutex_unlock (&self->lock);
  return TRUE;
}

/* Hands a wait to the poller thread. */
static void
start_wait_full (GstJimmyAudioSrc * self, Run * run,
    JimmyTaskUpdateFunc update, GAsyncReadyCallback done)
{
  StartWait *start = g_new0 (StartWait, 1);

  start->update = update;
  start->done = done;
  g_mutex_lock (&self->lock);
  start->poller = g_object_ref (self->poller);
  start->options = jimmy_poll_options_copy (self->options);
  start->cancellable = g_object_ref (self->cancellable);
  start->run = g_rc_box_acquire (run);
  g_mutex_unlock (&self->lock);

  GST_DEBUG_OBJECT (self, "polling task %s every %u ms",
      start->options->task_id, start->options->poll_interval_ms);
  g_main_context_invoke_full (jimmy_poller_get_main_context (start->poller),
      G_PRIORITY_DEFAULT, start_wait_in_poller, start,
      (GDestroyNotify) start_wait_free);
}

static void
start_wait (GstJimmyAudioSrc * self, Run * run)
{
  start_wait_full (self, run, on_task_update, on_wait_done);
}

/* In the async pool: swaps in a source for the fresh audioUrl. */
static void
resume_audio (GstElement * element, gpointer user_data)
{
  Run *run = user_data;

  if (!run_lock_if_current (run))
    return;
  gst_jimmy_recovery_resume (run->self);
  GST_STATE_UNLOCK (run->self);
}

/* The re-poll for a fresh audioUrl is over (poller thread). */
static void
on_refresh_done (GObject * source, GAsyncResult * result, gpointer user_data)
{
  Run *run = user_data;
  GstJimmyAudioSrc *self = run->self;
  g_autoptr (JimmyTask) task = NULL;
  g_autoptr (GError) error = NULL;
  JimmyPollFailure failure;

  task = jimmy_poller_wait_finish (JIMMY_POLLER (source), result, &failure,
      &error);
  if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED)
      && run_lock_if_current (run)) {
    if (task == NULL) {
      fail_run (self, error, &failure);
    } else {
      GST_INFO_OBJECT (self, "fresh audioUrl for task %s", task->id);
      gst_jimmy_audio_src_set_result (self, task);
      g_mutex_lock (&self->lock);
      g_clear_pointer (&self->run_task, jimmy_task_free);
      self->run_task = g_steal_pointer (&task);
      g_mutex_unlock (&self->lock);
      gst_element_call_async (GST_ELEMENT_CAST (self), resume_audio,
          g_rc_box_acquire (run), (GDestroyNotify) run_release);
    }
    GST_STATE_UNLOCK (self);
  }
  jimmy_poll_failure_clear (&failure);
  run_release (run);
}

/**
 * gst_jimmy_run_refresh_audio_url:
 *
 * Polls the task once more, for a fresh audioUrl after the media host
 * refused the old one (an expired signed URL), then resumes the audio
 * with it. Status messages are not posted again: the task is still
 * completed. Returns at once; any thread.
 */
void
gst_jimmy_run_refresh_audio_url (GstJimmyAudioSrc * self)
{
  Run *run;

  g_mutex_lock (&self->lock);
  run = run_new (self, self->generation);
  g_mutex_unlock (&self->lock);

  start_wait_full (self, run, NULL, on_refresh_done);
  run_release (run);
}

/* In the async pool: reading and checking an entry is disk work. */
static void
start_from_cache (GstElement * element, gpointer user_data)
{
  GstJimmyAudioSrc *self = GST_JIMMY_AUDIO_SRC (element);
  Run *run = user_data;
  g_autofree gchar *cache_dir = NULL;
  g_autofree gchar *task_id = NULL;
  g_autofree gchar *audio_path = NULL;
  g_autoptr (JimmyTask) task = NULL;
  g_autoptr (GError) error = NULL;

  if (!run_lock_if_current (run))
    return;

  g_mutex_lock (&self->lock);
  cache_dir = g_strdup (self->run_cache_dir);
  task_id = g_strdup (self->options->task_id);
  g_mutex_unlock (&self->lock);

  task = jimmy_cache_lookup (cache_dir, task_id, &audio_path, &error);
  if (error != NULL)
    GST_ELEMENT_WARNING (self, RESOURCE, READ, ("%s", error->message),
        (NULL));

  if (task == NULL) {
    start_wait (self, run);
  } else {
    GST_INFO_OBJECT (self, "task %s is in the cache: %s", task_id,
        audio_path);
    report_status (self, task);
    take_completed_task (self, task, audio_path);
    expose_audio_locked (self);
  }
  GST_STATE_UNLOCK (self);
}

/**
 * gst_jimmy_run_start:
 *
 * READY→PAUSED, after chaining up: starts the run, from the cache or the
 * poller thread. Returns at once.
 */
void
gst_jimmy_run_start (GstJimmyAudioSrc * self)
{
  Run *run;
  gboolean from_cache;

  g_mutex_lock (&self->lock);
  run = run_new (self, self->generation);
  from_cache = self->run_cache_dir != NULL;
  g_mutex_unlock (&self->lock);

  gst_jimmy_audio_src_start_progress (self);
  if (from_cache)
    gst_element_call_async (GST_ELEMENT_CAST (self), start_from_cache,
        g_rc_box_acquire (run), (GDestroyNotify) run_release);
  else
    start_wait (self, run);
  run_release (run);
}

/**
 * gst_jimmy_run_stop:
 *
 * PAUSED→READY: makes every callback of the current run stale, and
 * cancels its poll. Returns at once: the poller thread unwinds on its own.
 */
void
gst_jimmy_run_stop (GstJimmyAudioSrc * self)
{
  g_autoptr (GCancellable) cancellable = NULL;

  g_mutex_lock (&self->lock);
  self->generation++;
  cancellable = g_steal_pointer (&self->cancellable);
  g_mutex_unlock (&self->lock);

  if (cancellable != NULL)
    g_cancellable_cancel (cancellable);
  gst_jimmy_tag_injector_set_tags (self->tag_injector, NULL);
  gst_jimmy_audio_src_end_progress (self, GST_PROGRESS_TYPE_CANCELED,
      "Stopped");
}
