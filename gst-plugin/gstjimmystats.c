/* gstjimmystats.c: what one run did, for the read-only "stats" property
 * (a GstStructure, as srtsrc's "stats" and fallbacksrc's "statistics"):
 * the poller's counts, time spent in each status, bytes downloaded,
 * recoveries and whether the audio came from the cache.
 *
 * Written from the async pool (statuses, completion, recoveries), the
 * source's streaming thread (bytes, first buffer) and, for the wait
 * counts, the poller thread, which only adds to atomic counters of the
 * client's JimmyWaitCounts. Read from any thread as a copy.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "gstjimmystats.h"

struct _GstJimmyStats
{
  gatomicrefcount refs;
  JimmyWaitCounts *counts;      /* (owned) the poller adds to it */

  /* `lock` guards everything below. */
  GMutex lock;
  gint64 started_us;            /* the run's start (monotonic), 0 before */
  JimmyTaskStatus status;       /* the last one seen */
  gint64 status_since_us;       /* when it was seen */
  gint64 queued_us;             /* closed periods in "queued" */
  gint64 processing_us;         /* closed periods in "processing" */
  gint64 completed_us;          /* 0 until completion was seen */
  gint64 first_buffer_us;       /* 0 until the first audio buffer */
  guint64 bytes;                /* audio bytes from the media host */
  guint recoveries;
  gboolean from_cache;
};

GstJimmyStats *
gst_jimmy_stats_new (void)
{
  GstJimmyStats *stats = g_new0 (GstJimmyStats, 1);

  g_atomic_ref_count_init (&stats->refs);
  stats->counts = jimmy_wait_counts_new ();
  g_mutex_init (&stats->lock);
  stats->status = JIMMY_TASK_STATUS_UNKNOWN;
  return stats;
}

/* The run starts now: the times count from here (all are 0 before). */
void
gst_jimmy_stats_start (GstJimmyStats * stats)
{
  g_mutex_lock (&stats->lock);
  stats->started_us = g_get_monotonic_time ();
  stats->status_since_us = stats->started_us;
  g_mutex_unlock (&stats->lock);
}

GstJimmyStats *
gst_jimmy_stats_ref (GstJimmyStats * stats)
{
  g_atomic_ref_count_inc (&stats->refs);
  return stats;
}

void
gst_jimmy_stats_unref (GstJimmyStats * stats)
{
  if (!g_atomic_ref_count_dec (&stats->refs))
    return;
  jimmy_wait_counts_unref (stats->counts);
  g_mutex_clear (&stats->lock);
  g_free (stats);
}

/* Returns: (transfer none): for JimmyPollOptions.counts */
JimmyWaitCounts *
gst_jimmy_stats_get_wait_counts (GstJimmyStats * stats)
{
  return stats->counts;
}

/* Lock held. How long the run has been in @status, if that is where it
 * is now and its wait is still open; 0 otherwise. */
static gint64
open_period_us (GstJimmyStats * stats, JimmyTaskStatus status, gint64 now)
{
  if (stats->started_us == 0 || stats->completed_us != 0
      || stats->status != status)
    return 0;
  return now - stats->status_since_us;
}

/* Lock held. Adds the time since the last status to its bucket. */
static void
close_status_period (GstJimmyStats * stats, gint64 now)
{
  stats->queued_us += open_period_us (stats, JIMMY_TASK_STATUS_QUEUED, now);
  stats->processing_us += open_period_us (stats,
      JIMMY_TASK_STATUS_PROCESSING, now);
  stats->status_since_us = now;
}

/* A status the run learnt, now. */
void
gst_jimmy_stats_status (GstJimmyStats * stats, JimmyTaskStatus status)
{
  g_mutex_lock (&stats->lock);
  if (stats->completed_us == 0) {
    close_status_period (stats, g_get_monotonic_time ());
    stats->status = status;
  }
  g_mutex_unlock (&stats->lock);
}

/* The run has the completed task, from the API or the cache. */
void
gst_jimmy_stats_completed (GstJimmyStats * stats, gboolean from_cache)
{
  gint64 now = g_get_monotonic_time ();

  g_mutex_lock (&stats->lock);
  if (stats->completed_us == 0) {
    close_status_period (stats, now);
    stats->status = JIMMY_TASK_STATUS_COMPLETED;
    stats->completed_us = now;
  }
  stats->from_cache = from_cache;
  g_mutex_unlock (&stats->lock);
}

void
gst_jimmy_stats_first_buffer (GstJimmyStats * stats)
{
  g_mutex_lock (&stats->lock);
  if (stats->first_buffer_us == 0 && stats->completed_us != 0)
    stats->first_buffer_us = g_get_monotonic_time ();
  g_mutex_unlock (&stats->lock);
}

void
gst_jimmy_stats_recovered (GstJimmyStats * stats)
{
  g_mutex_lock (&stats->lock);
  stats->recoveries++;
  g_mutex_unlock (&stats->lock);
}

static GstPadProbeReturn
count_bytes (GstPad * pad, GstPadProbeInfo * info, gpointer user_data)
{
  GstJimmyStats *stats = user_data;
  gsize size = gst_buffer_get_size (GST_PAD_PROBE_INFO_BUFFER (info));

  g_mutex_lock (&stats->lock);
  stats->bytes += size;
  g_mutex_unlock (&stats->lock);
  return GST_PAD_PROBE_OK;
}

/* Counts what @source (a network audio source) pushes. */
void
gst_jimmy_stats_watch_download (GstJimmyStats * stats, GstElement * source)
{
  g_autoptr (GstPad) pad = gst_element_get_static_pad (source, "src");

  if (pad == NULL)
    return;
  gst_pad_add_probe (pad, GST_PAD_PROBE_TYPE_BUFFER, count_bytes,
      gst_jimmy_stats_ref (stats), (GDestroyNotify) gst_jimmy_stats_unref);
}

static guint64
to_ms (gint64 us)
{
  return us > 0 ? (guint64) us / 1000 : 0;
}

/**
 * gst_jimmy_stats_to_structure:
 *
 * Returns: (transfer full): a copy of the stats now, the periods still
 * open counted up to now. Times not reached yet are 0 (and
 * "completion-to-first-buffer" is 0 until the first buffer).
 */
GstStructure *
gst_jimmy_stats_to_structure (GstJimmyStats * stats)
{
  JimmyWaitCounts *c = stats->counts;
  gint64 now = g_get_monotonic_time ();
  gint64 queued, processing, waiting, to_first_buffer;
  guint64 bytes;
  guint recoveries;
  gboolean from_cache;

  g_mutex_lock (&stats->lock);
  queued = stats->queued_us +
      open_period_us (stats, JIMMY_TASK_STATUS_QUEUED, now);
  processing = stats->processing_us +
      open_period_us (stats, JIMMY_TASK_STATUS_PROCESSING, now);
  if (stats->started_us == 0)
    waiting = 0;
  else
    waiting = (stats->completed_us != 0 ? stats->completed_us : now) -
        stats->started_us;
  to_first_buffer = stats->first_buffer_us != 0 ?
      stats->first_buffer_us - stats->completed_us : 0;
  bytes = stats->bytes;
  recoveries = stats->recoveries;
  from_cache = stats->from_cache;
  g_mutex_unlock (&stats->lock);

  return gst_structure_new (GST_JIMMY_STATS_NAME,
      "polls", G_TYPE_UINT, (guint) g_atomic_int_get (&c->polls),
      "retries", G_TYPE_UINT, (guint) g_atomic_int_get (&c->retries),
      "http-4xx", G_TYPE_UINT, (guint) g_atomic_int_get (&c->http_4xx),
      "http-5xx", G_TYPE_UINT, (guint) g_atomic_int_get (&c->http_5xx),
      "transport-errors", G_TYPE_UINT,
      (guint) g_atomic_int_get (&c->transport),
      "queued-ms", G_TYPE_UINT64, to_ms (queued),
      "processing-ms", G_TYPE_UINT64, to_ms (processing),
      "waiting-ms", G_TYPE_UINT64, to_ms (waiting),
      "completion-to-first-buffer-ms", G_TYPE_UINT64, to_ms (to_first_buffer),
      "bytes-downloaded", G_TYPE_UINT64, bytes,
      "recoveries", G_TYPE_UINT, recoveries,
      "from-cache", G_TYPE_BOOLEAN, from_cache, NULL);
}
