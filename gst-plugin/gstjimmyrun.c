/* gstjimmyrun.c: one run of jimmyaudiosrc, from READY→PAUSED to
 * PAUSED→READY: wait for the task on the shared poller thread (or find it
 * in the cache), report every status, then build the chains that play its
 * audio.
 *
 * The run is created from a copy of the settings and dropped at the stop:
 * nothing of one run reaches the next. A callback that outlives its run
 * holds a reference to it and finds it stopped.
 *
 * Threads. The poller thread, shared by every element of the process,
 * only puts what it learnt in the run's inbox, which hands it to the
 * element's async pool (gst_element_call_async): it never takes an
 * element's state lock, posts a message or emits a signal. The inbox
 * runs the events in order under the element's state lock, so that a
 * stop either comes first or waits for the chains to be complete.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "gstjimmyrun-private.h"
#include "gstjimmyaudiochain.h"
#include "gstjimmycachetap.h"
#include "gstjimmychildren.h"
#include "gstjimmyelements.h"
#include "gstjimmyinbox.h"
#include "gstjimmymessages.h"
#include "gstjimmysourcewatch.h"
#include "gstjimmysettings.h"
#include "gstjimmysubtitlechain.h"
#include "jimmy-cache.h"

#define GST_CAT_DEFAULT gst_jimmy_audio_src_debug

/* What the poller thread learnt, for the async pool. */
typedef enum
{
  EVENT_STATUS,                 /* a status change */
  EVENT_COMPLETED,              /* the wait ended with the task completed */
  EVENT_FAILED,                 /* a wait failed */
  EVENT_REFRESHED,              /* a fresh audioUrl after a refusal */
} EventType;

typedef struct
{
  EventType type;
  JimmyTask *task;              /* (owned) (nullable) */
  GError *error;                /* (owned) (nullable) */
  JimmyPollFailure failure;
} Event;

void
gst_jimmy_run_settings_free (GstJimmyRunSettings * settings)
{
  g_clear_pointer (&settings->options, jimmy_poll_options_free);
  g_free (settings->cache_dir);
  g_free (settings);
}

static void
event_free (Event * event)
{
  g_clear_pointer (&event->task, jimmy_task_free);
  g_clear_error (&event->error);
  jimmy_poll_failure_clear (&event->failure);
  g_free (event);
}

static void handle_event (GstElement * element, gpointer item,
    gpointer user_data);

/* ---------------------------------------------------------------------- */
/* Life */

GstJimmyRun *
gst_jimmy_run_new (GstElement * element, JimmyPoller * poller,
    GstJimmyTagInjector * tag_injector, GstJimmyRunSettings * settings,
    const GstJimmyRunCallbacks * callbacks)
{
  GstJimmyRun *run = g_atomic_rc_box_new0 (GstJimmyRun);

  run->settings = settings;
  run->callbacks = *callbacks;
  run->poller = g_object_ref (poller);
  run->tag_injector = tag_injector;
  g_mutex_init (&run->lock);
  run->state = RUN_WAITING;
  run->element = gst_object_ref (element);
  run->cancellable = g_cancellable_new ();
  run->inbox = gst_jimmy_inbox_new (element, handle_event,
      (GDestroyNotify) event_free, run);
  run->stats = gst_jimmy_stats_new ();
  gst_jimmy_stats_start (run->stats);
  /* The poller counts its polls for this run there (atomically). */
  settings->options->counts =
      jimmy_wait_counts_ref (gst_jimmy_stats_get_wait_counts (run->stats));
  return run;
}

/* Returns: (transfer full): the run's stats, which outlive it */
GstJimmyStats *
gst_jimmy_run_dup_stats (GstJimmyRun * run)
{
  return gst_jimmy_stats_ref (run->stats);
}

GstJimmyRun *
gst_jimmy_run_ref (GstJimmyRun * run)
{
  return g_atomic_rc_box_acquire (run);
}

/* May run on the poller thread: frees memory only (a stop took the
 * element and the chains). */
static void
run_clear (GstJimmyRun * run)
{
  gst_jimmy_run_settings_free (run->settings);
  g_object_unref (run->poller);
  g_clear_object (&run->cancellable);
  gst_jimmy_inbox_unref (run->inbox);
  gst_jimmy_stats_unref (run->stats);
  g_clear_pointer (&run->task, jimmy_task_free);
  g_clear_pointer (&run->cache_entry, jimmy_cache_entry_free);
  g_clear_pointer (&run->watch, gst_jimmy_source_watch_unref);
  gst_clear_object (&run->refused_source);
  g_clear_pointer (&run->audio, gst_jimmy_audio_chain_unref);
  g_clear_pointer (&run->cache_tap, gst_jimmy_cache_tap_free);
  g_clear_pointer (&run->subtitles, gst_jimmy_subtitle_chain_free);
  gst_clear_object (&run->stitch);
  gst_clear_caps (&run->output_caps);
  gst_clear_object (&run->element);
  g_mutex_clear (&run->lock);
}

void
gst_jimmy_run_unref (GstJimmyRun * run)
{
  g_atomic_rc_box_release_full (run, (GDestroyNotify) run_clear);
}

/* ---------------------------------------------------------------------- */
/* The audio chain's reports (streaming threads) */

static void
on_audio_started (gpointer user_data)
{
  GstJimmyRun *run = user_data;
  g_autoptr (GstElement) element = gst_jimmy_run_dup_element (run);
  g_autofree gchar *text = NULL;

  if (element == NULL)
    return;
  gst_jimmy_stats_first_buffer (run->stats);
  g_mutex_lock (&run->lock);
  run->audio_started = TRUE;
  if (run->state == RUN_BUILDING)
    run->state = RUN_PLAYING;
  g_mutex_unlock (&run->lock);

  text = g_strdup_printf ("Playing task %s", gst_jimmy_run_task_id (run));
  gst_jimmy_run_end_progress (run, element, GST_PROGRESS_TYPE_COMPLETE, text);
  gst_jimmy_run_preroll_done (run, element);
}

static void
on_not_audio (const gchar * media_type, gpointer user_data)
{
  GstJimmyRun *run = user_data;
  g_autoptr (GstElement) element = gst_jimmy_run_dup_element (run);

  if (element != NULL)
    gst_jimmy_run_fail_not_audio (run, element, media_type);
}

static const GstJimmyAudioChainCallbacks audio_chain_callbacks = {
  on_audio_started,
  on_not_audio,
};

/* ---------------------------------------------------------------------- */
/* Building the chains, once the task completed (state lock held) */

/* Results, message and progress for a status the run just learnt. */
static void
report_status (GstJimmyRun * run, GstElement * element, const JimmyTask * task)
{
  g_autofree gchar *text = g_strdup_printf ("Task %s is %s", task->id,
      task->status_string);
  gboolean open;

  GST_INFO_OBJECT (element, "task %s is %s", task->id, task->status_string);
  gst_jimmy_stats_status (run->stats, task->status);
  run->callbacks.result (element, task);
  gst_element_post_message (element,
      gst_jimmy_task_status_message_new (element, task));
  g_mutex_lock (&run->lock);
  open = run->progress_open;
  g_mutex_unlock (&run->lock);
  if (open)
    gst_jimmy_run_post_progress (element, GST_PROGRESS_TYPE_CONTINUE, text);
}

/* Keeps @task for the chains, and tags the stream with it.
 * @cache_entry: (transfer full) (nullable): the cache hit to play instead
 *   of audioUrl */
static void
take_completed_task (GstJimmyRun * run, GstElement * element,
    const JimmyTask * task, JimmyCacheEntry * cache_entry)
{
  g_autoptr (GstTagList) tags = gst_jimmy_task_tags_new (task);

  gst_jimmy_stats_completed (run->stats, cache_entry != NULL);
  run->callbacks.result (element, task);
  g_mutex_lock (&run->lock);
  if (run->state == RUN_WAITING)
    run->state = RUN_BUILDING;
  g_clear_pointer (&run->task, jimmy_task_free);
  run->task = jimmy_task_copy (task);
  g_clear_pointer (&run->cache_entry, jimmy_cache_entry_free);
  run->cache_entry = cache_entry;
  g_mutex_unlock (&run->lock);

  gst_jimmy_tag_injector_set_tags (run->tag_injector, tags);
  gst_element_post_message (element,
      gst_message_new_tag (GST_OBJECT_CAST (element), g_steal_pointer (&tags)));
}

/* A new cache entry for what the network serves. Playing matters more
 * than caching: a cache that cannot be written is a warning. */
static GstJimmyCacheTap *
make_cache_tap (GstJimmyRun * run, GstElement * element,
    const JimmyTask * task)
{
  g_autoptr (GError) error = NULL;
  JimmyCacheWriter *writer;

  writer = jimmy_cache_writer_new (run->settings->cache_dir, task, &error);
  if (writer == NULL) {
    GST_ELEMENT_WARNING (element, RESOURCE, WRITE, ("%s", error->message),
        (NULL));
    return NULL;
  }
  return gst_jimmy_cache_tap_new (element, writer, run->settings->cache_dir,
      run->settings->cache_max_size, task->id);
}

/* The source of the audio: the cache entry's file, or audioUrl, tapped
 * into the cache when there is one.
 * @cached_audio: (nullable): the cache hit's audio file */
static GstElement *
make_audio_source (GstJimmyRun * run, GstElement * element,
    const JimmyTask * task, const gchar * cached_audio,
    GstJimmyCacheTap * cache_tap, GError ** error)
{
  const gchar *test_factory = g_object_get_data (G_OBJECT (element),
      GST_JIMMY_TEST_SOURCE_FACTORY);
  GstElement *source;

  if (test_factory != NULL)
    return gst_jimmy_make_child (element, task->id, test_factory, error);

  if (cached_audio != NULL) {
    source = gst_jimmy_make_child (element, task->id, "filesrc", error);
    if (source != NULL)
      g_object_set (source, "location", cached_audio, NULL);
    return source;
  }

  source = gst_jimmy_make_http_src (element, run->settings->options,
      "souphttpsrc", task->audio_url, error);
  if (source == NULL)
    return NULL;
  g_mutex_lock (&run->lock);
  run->watch = gst_jimmy_source_watch_attach (source, FALSE, 0);
  g_mutex_unlock (&run->lock);
  gst_jimmy_stats_watch_download (run->stats, source);
  if (cache_tap != NULL)
    gst_jimmy_cache_tap_watch_audio (cache_tap, source);
  return source;
}

/* The subtitle file's source: the cache hit's, or subtitleFile's. */
static GstElement *
make_subtitle_source (GstJimmyRun * run, GstElement * element,
    const JimmyTask * task, const gchar * cached_subtitles, GError ** error)
{
  GstElement *source;

  if (cached_subtitles != NULL) {
    source = gst_jimmy_make_child (element, task->id, "filesrc", error);
    if (source != NULL)
      g_object_set (source, "location", cached_subtitles, NULL);
    return source;
  }
  return gst_jimmy_make_http_src (element, run->settings->options,
      "souphttpsrc", task->subtitle_url, error);
}

/* The "subtitle" pad, before the audio, so that the application links it
 * first: the subtitles' (from the cache, or subtitleFile), or an empty
 * stream. A subtitle chain that cannot be built is a warning: the audio
 * plays on.
 * @cached_subtitles: (nullable): the cache hit's subtitle file
 * @cache_tap: (nullable): where to store a download */
static void
add_subtitles (GstJimmyRun * run, GstElement * element, const JimmyTask * task,
    gboolean from_cache, const gchar * cached_subtitles,
    GstJimmyCacheTap * cache_tap)
{
  g_autoptr (GError) error = NULL;
  GstJimmySubtitleChain *chain = NULL;
  GstElement *source;

  /* A hit stored without subtitles had none: no download. */
  if (cached_subtitles != NULL || (!from_cache && task->subtitle_url != NULL)) {
    source = make_subtitle_source (run, element, task, cached_subtitles,
        &error);
    if (source != NULL && cache_tap != NULL && cached_subtitles == NULL)
      gst_jimmy_cache_tap_watch_subtitles (cache_tap, source);
    if (source != NULL)
      chain = gst_jimmy_subtitle_chain_new_download (GST_BIN_CAST (element),
          source, task->id, &error);
    if (chain == NULL)
      gst_jimmy_post_warning (element, error->domain, error->code, task->id,
          error->message, NULL);
  }
  if (chain == NULL) {
    if (cache_tap != NULL)
      gst_jimmy_cache_tap_subtitles_failed (cache_tap);
    chain = gst_jimmy_subtitle_chain_new_empty (GST_BIN_CAST (element));
  }

  g_mutex_lock (&run->lock);
  run->subtitles = chain;
  g_mutex_unlock (&run->lock);
  gst_jimmy_subtitle_chain_start (chain);
}

/* With the state lock held, once the task completed (and, live, once
 * the output caps are known: gstjimmyrunlive.c calls it then). */
void
gst_jimmy_run_build_chains (GstJimmyRun * run, GstElement * element)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (JimmyTask) task = NULL;
  g_autofree gchar *cached_audio = NULL;
  g_autofree gchar *cached_subtitles = NULL;
  g_autoptr (GstPad) srcpad = gst_element_get_static_pad (element, "src");
  GstJimmyCacheTap *cache_tap = NULL;
  GstJimmyAudioChain *chain;
  GstElement *source;
  gboolean from_cache, built;

  /* Live: once the output caps are known too (either comes second). */
  if (run->settings->is_live && !gst_jimmy_run_live_claim_build (run))
    return;

  g_mutex_lock (&run->lock);
  task = jimmy_task_copy (run->task);
  from_cache = run->cache_entry != NULL;
  if (from_cache) {
    cached_audio =
        g_strdup (jimmy_cache_entry_get_audio_path (run->cache_entry));
    cached_subtitles =
        g_strdup (jimmy_cache_entry_get_subtitle_path (run->cache_entry));
  }
  g_mutex_unlock (&run->lock);

  /* Before the subtitle chain, which stores its file in the same entry. */
  if (!from_cache && run->settings->cache_dir != NULL
      && g_object_get_data (G_OBJECT (element),
          GST_JIMMY_TEST_SOURCE_FACTORY) == NULL) {
    cache_tap = make_cache_tap (run, element, task);
    g_mutex_lock (&run->lock);
    run->cache_tap = cache_tap;
    g_mutex_unlock (&run->lock);
  }

  if (run->settings->subtitles)
    add_subtitles (run, element, task, from_cache, cached_subtitles,
        cache_tap);

  GST_INFO_OBJECT (element, "task %s completed, playing %s", task->id,
      cached_audio != NULL ? cached_audio : task->audio_url);
  source = make_audio_source (run, element, task, cached_audio, cache_tap,
      &error);
  if (source == NULL)
    goto failed;

  chain = gst_jimmy_audio_chain_new (GST_BIN_CAST (element),
      run->settings->is_live ? NULL : srcpad,
      &audio_chain_callbacks, gst_jimmy_run_ref (run),
      (GDestroyNotify) gst_jimmy_run_unref);
  g_mutex_lock (&run->lock);
  run->audio = gst_jimmy_audio_chain_ref (chain);
  g_mutex_unlock (&run->lock);
  if (run->settings->is_live)
    built = gst_jimmy_run_live_build_audio (run, chain, task->id, source,
        &error);
  else
    built = gst_jimmy_audio_chain_build (chain, task->id, source,
        run->settings->decode, &error);
  if (!built) {
    gst_jimmy_audio_chain_unref (chain);
    goto failed;
  }
  gst_jimmy_audio_chain_unref (chain);
  return;

failed:
  gst_jimmy_run_fail_build (run, element, error);
}

/* ---------------------------------------------------------------------- */
/* The expired-URL recovery, second half: swap in a source for the fresh
 * audioUrl, starting at the first byte not yet sent downstream (state
 * lock held). */

static void
resume_audio (GstJimmyRun * run, GstElement * element)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (JimmyTask) task = NULL;
  g_autoptr (GstJimmyAudioChain) chain = NULL;
  g_autoptr (GstJimmySourceWatch) old_watch = NULL;
  GstJimmySourceWatch *watch = NULL;
  GstJimmyCacheTap *cache_tap;
  const gchar *factory;
  GstElement *source;
  guint64 offset;
  gboolean ok;

  g_mutex_lock (&run->lock);
  task = jimmy_task_copy (run->task);
  chain = run->audio ? gst_jimmy_audio_chain_ref (run->audio) : NULL;
  old_watch = g_steal_pointer (&run->watch);
  /* A resumed download is not cached: the entry would miss its start. */
  cache_tap = g_steal_pointer (&run->cache_tap);
  g_mutex_unlock (&run->lock);
  if (chain == NULL || old_watch == NULL)
    return;
  offset = gst_jimmy_source_watch_get_position (old_watch);

  factory = g_object_get_data (G_OBJECT (element),
      GST_JIMMY_TEST_RESUME_FACTORY);
  source = gst_jimmy_make_http_src (element, run->settings->options,
      factory != NULL ? factory : "souphttpsrc", task->audio_url, &error);
  if (source != NULL) {
    /* basesrc keeps a seek sent before it starts: souphttpsrc then asks
     * for "Range: bytes=offset-". */
    if (offset > 0)
      gst_element_send_event (source, gst_event_new_seek (1.0,
              GST_FORMAT_BYTES, GST_SEEK_FLAG_NONE, GST_SEEK_TYPE_SET, offset,
              GST_SEEK_TYPE_NONE, -1));
    watch = gst_jimmy_source_watch_attach (source, TRUE, offset);
    gst_jimmy_stats_watch_download (run->stats, source);
  }

  /* Before the new source starts: a refusal it posts at once must find
   * its watch, or the policy takes it for a plain read error. */
  g_mutex_lock (&run->lock);
  run->watch = watch;
  g_mutex_unlock (&run->lock);

  /* Takes the refused source out first, whatever happens next. */
  ok = gst_jimmy_audio_chain_replace_source (chain, task->id, source,
      source != NULL ? &error : NULL);
  g_clear_pointer (&cache_tap, gst_jimmy_cache_tap_free);
  if (!ok) {
    g_mutex_lock (&run->lock);
    g_clear_pointer (&run->watch, gst_jimmy_source_watch_unref);
    g_mutex_unlock (&run->lock);
    gst_jimmy_run_fail_build (run, element, error);
    return;
  }

  g_mutex_lock (&run->lock);
  /* Out of the bin: it posts nothing more here. */
  gst_clear_object (&run->refused_source);
  if (run->state == RUN_RECOVERING)
    run->state = run->audio_started ? RUN_PLAYING : RUN_BUILDING;
  g_mutex_unlock (&run->lock);
  gst_jimmy_stats_recovered (run->stats);
  GST_INFO_OBJECT (element, "resuming task %s at byte %" G_GUINT64_FORMAT,
      task->id, offset);
}

/* ---------------------------------------------------------------------- */
/* Handing over from the poller thread */

static void
queue_event (GstJimmyRun * run, EventType type, JimmyTask * task,
    GError * error, JimmyPollFailure * failure)
{
  Event *event = g_new0 (Event, 1);

  event->type = type;
  event->task = task;
  event->error = error;
  if (failure != NULL) {
    event->failure = *failure;
    failure->task_status = NULL;
  }
  gst_jimmy_inbox_push (run->inbox, event);
}

/* In the element's async pool, with its state lock held: what the
 * poller learnt, in order. */
static void
handle_event (GstElement * element, gpointer item, gpointer user_data)
{
  GstJimmyRun *run = user_data;
  Event *event = item;

  switch (event->type) {
    case EVENT_STATUS:
      report_status (run, element, event->task);
      break;
    case EVENT_COMPLETED:
      take_completed_task (run, element, event->task, NULL);
      gst_jimmy_run_build_chains (run, element);
      break;
    case EVENT_FAILED:
      gst_jimmy_run_fail_wait (run, element, event->error, &event->failure);
      break;
    case EVENT_REFRESHED:
      GST_INFO_OBJECT (element, "fresh audioUrl for task %s", event->task->id);
      run->callbacks.result (element, event->task);
      g_mutex_lock (&run->lock);
      g_clear_pointer (&run->task, jimmy_task_free);
      run->task = jimmy_task_copy (event->task);
      g_mutex_unlock (&run->lock);
      resume_audio (run, element);
      break;
  }
}

/* Poller thread. */
static void
on_task_update (const JimmyTask * task, gpointer user_data)
{
  queue_event (user_data, EVENT_STATUS, jimmy_task_copy (task), NULL, NULL);
}

/* Poller thread. @user_data: (transfer full): the run */
static void
on_wait_done (GObject * source, GAsyncResult * result, gpointer user_data,
    EventType completed)
{
  g_autoptr (GstJimmyRun) run = user_data;
  JimmyTask *task;
  GError *error = NULL;
  JimmyPollFailure failure;

  task = jimmy_poller_wait_finish (JIMMY_POLLER (source), result, &failure,
      &error);
  if (task != NULL)
    queue_event (run, completed, task, NULL, NULL);
  else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_error_free (error);
  else
    queue_event (run, EVENT_FAILED, NULL, error, &failure);
  jimmy_poll_failure_clear (&failure);
}

static void
on_task_done (GObject * source, GAsyncResult * result, gpointer user_data)
{
  on_wait_done (source, result, user_data, EVENT_COMPLETED);
}

static void
on_refresh_done (GObject * source, GAsyncResult * result, gpointer user_data)
{
  on_wait_done (source, result, user_data, EVENT_REFRESHED);
}

typedef struct
{
  GstJimmyRun *run;             /* (owned) */
  gboolean report_statuses;
  GAsyncReadyCallback done;
} StartWait;

static void
start_wait_free (StartWait * start)
{
  g_clear_pointer (&start->run, gst_jimmy_run_unref);
  g_free (start);
}

/* On the poller thread, so that the wait's callbacks run there too. */
static gboolean
start_wait_in_poller (gpointer user_data)
{
  StartWait *start = user_data;
  GstJimmyRun *run = start->run;
  g_autoptr (GCancellable) cancellable = NULL;

  g_mutex_lock (&run->lock);
  if (run->cancellable != NULL)
    cancellable = g_object_ref (run->cancellable);
  g_mutex_unlock (&run->lock);
  if (cancellable == NULL)
    return G_SOURCE_REMOVE;     /* stopped already */

  jimmy_poller_wait_async (run->poller, run->settings->options,
      start->report_statuses ? on_task_update : NULL,
      start->report_statuses ? gst_jimmy_run_ref (run) : NULL,
      start->report_statuses ? (GDestroyNotify) gst_jimmy_run_unref : NULL,
      cancellable, start->done, gst_jimmy_run_ref (run));
  return G_SOURCE_REMOVE;
}

/* Hands a wait to the poller thread. Returns at once. */
static void
start_wait (GstJimmyRun * run, gboolean report_statuses,
    GAsyncReadyCallback done)
{
  StartWait *start = g_new0 (StartWait, 1);

  start->run = gst_jimmy_run_ref (run);
  start->report_statuses = report_statuses;
  start->done = done;
  g_main_context_invoke_full (jimmy_poller_get_main_context (run->poller),
      G_PRIORITY_DEFAULT, start_wait_in_poller, start,
      (GDestroyNotify) start_wait_free);
}

/* The expired-URL recovery, first half: poll the task once more for a
 * fresh audioUrl; resume_audio follows. Returns at once. */
void
gst_jimmy_run_refresh_audio_url (GstJimmyRun * run)
{
  start_wait (run, FALSE, on_refresh_done);
}

/* ---------------------------------------------------------------------- */
/* Start and stop */

/* A miss: the run polls after all, and only now needs the key. */
static void
start_polling_after_miss (GstJimmyRun * run, GstElement * element)
{
  g_autofree gchar *text = NULL;

  if (!gst_jimmy_settings_check_api_key (run->settings->options, &text)) {
    gst_jimmy_run_fail (run, element, NULL, GST_RESOURCE_ERROR,
        GST_RESOURCE_ERROR_SETTINGS, text, NULL, NULL);
    return;
  }
  start_wait (run, TRUE, on_task_done);
}

/* In the async pool: reading and checking an entry is disk work. A hit
 * is held by the run, so that no process evicts it while it plays. */
static void
start_from_cache (GstElement * element, gpointer user_data)
{
  GstJimmyRun *run = user_data;
  g_autoptr (JimmyCacheEntry) entry = NULL;
  g_autoptr (GError) error = NULL;
  const JimmyTask *task;
  gboolean stopped;

  GST_STATE_LOCK (element);
  g_mutex_lock (&run->lock);
  stopped = run->state == RUN_STOPPED;
  g_mutex_unlock (&run->lock);
  if (stopped)
    goto out;

  entry = jimmy_cache_entry_open (run->settings->cache_dir,
      gst_jimmy_run_task_id (run), &error);
  if (error != NULL)
    GST_ELEMENT_WARNING (element, RESOURCE, READ, ("%s", error->message),
        (NULL));

  if (entry == NULL) {
    start_polling_after_miss (run, element);
  } else {
    task = jimmy_cache_entry_get_task (entry);
    GST_INFO_OBJECT (element, "task %s is in the cache: %s",
        gst_jimmy_run_task_id (run), jimmy_cache_entry_get_audio_path (entry));
    report_status (run, element, task);
    take_completed_task (run, element, task, g_steal_pointer (&entry));
    gst_jimmy_run_build_chains (run, element);
  }
out:
  GST_STATE_UNLOCK (element);
}

/**
 * gst_jimmy_run_start:
 *
 * READY→PAUSED, after chaining up: starts the run, from the cache or the
 * poller thread. Returns at once.
 */
void
gst_jimmy_run_start (GstJimmyRun * run)
{
  g_autofree gchar *text = g_strdup_printf ("Waiting for task %s",
      gst_jimmy_run_task_id (run));

  g_mutex_lock (&run->lock);
  run->progress_open = TRUE;
  g_mutex_unlock (&run->lock);
  gst_jimmy_run_post_progress (run->element, GST_PROGRESS_TYPE_START, text);

  GST_DEBUG_OBJECT (run->element, "polling task %s every %u ms",
      gst_jimmy_run_task_id (run), run->settings->options->poll_interval_ms);
  if (run->settings->cache_dir != NULL)
    gst_element_call_async (run->element, start_from_cache,
        gst_jimmy_run_ref (run), (GDestroyNotify) gst_jimmy_run_unref);
  else
    start_wait (run, TRUE, on_task_done);
}

/**
 * gst_jimmy_run_stop:
 *
 * PAUSED→READY, before chaining up: every later callback finds the run
 * stopped, its wait is cancelled, and its children's states are locked,
 * so that the bin's change passes them by. Returns at once: the poller
 * thread unwinds on its own. Stopping twice is harmless.
 */
void
gst_jimmy_run_stop (GstJimmyRun * run)
{
  g_autoptr (GCancellable) cancellable = NULL;
  GstElement *element;

  g_mutex_lock (&run->lock);
  run->state = RUN_STOPPED;
  cancellable = g_steal_pointer (&run->cancellable);
  element = run->element ? gst_object_ref (run->element) : NULL;
  if (run->audio != NULL)
    gst_jimmy_audio_chain_lock_state (run->audio);
  if (run->subtitles != NULL)
    gst_jimmy_subtitle_chain_lock_state (run->subtitles);
  g_mutex_unlock (&run->lock);

  gst_jimmy_inbox_close (run->inbox);
  if (cancellable != NULL)
    g_cancellable_cancel (cancellable);
  gst_jimmy_tag_injector_set_tags (run->tag_injector, NULL);
  if (element != NULL) {
    gst_jimmy_run_end_progress (run, element, GST_PROGRESS_TYPE_CANCELED,
        "Stopped");
    gst_object_unref (element);
  }
}

/**
 * gst_jimmy_run_finish:
 *
 * PAUSED→READY, after chaining up (or a failed READY→PAUSED), after
 * gst_jimmy_run_stop(): takes the children out of the bin and stops
 * them, the ones that take longer than a bound in the background (see
 * gst_jimmy_remove_children()); ends a pending preroll and lets go of
 * the element.
 */
void
gst_jimmy_run_finish (GstJimmyRun * run)
{
  GstJimmyAudioChain *audio;
  GstJimmySubtitleChain *subtitles;
  GstJimmyCacheTap *cache_tap;
  JimmyCacheEntry *cache_entry;
  GstElement *element;

  g_mutex_lock (&run->lock);
  audio = g_steal_pointer (&run->audio);
  subtitles = g_steal_pointer (&run->subtitles);
  cache_tap = g_steal_pointer (&run->cache_tap);
  g_clear_pointer (&run->watch, gst_jimmy_source_watch_unref);
  element = g_steal_pointer (&run->element);
  cache_entry = g_steal_pointer (&run->cache_entry);
  g_mutex_unlock (&run->lock);

  /* The cache entry stays held until its filesrcs are out, below. */
  if (subtitles != NULL) {
    gst_jimmy_subtitle_chain_remove (subtitles);
    gst_jimmy_subtitle_chain_free (subtitles);
  }
  if (audio != NULL) {
    /* Once its source stopped, an unfinished entry is dropped. */
    gst_jimmy_audio_chain_remove (audio, cache_tap != NULL ?
        (GDestroyNotify) gst_jimmy_cache_tap_free : NULL, cache_tap);
    gst_jimmy_audio_chain_unref (audio);
  } else {
    g_clear_pointer (&cache_tap, gst_jimmy_cache_tap_free);
  }
  g_clear_pointer (&cache_entry, jimmy_cache_entry_free);
  if (element == NULL)
    return;
  gst_jimmy_run_live_remove (run, element);
  gst_jimmy_run_preroll_done (run, element);
  gst_object_unref (element);
}
