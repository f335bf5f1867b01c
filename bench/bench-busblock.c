/* bench-busblock.c: B6, one application blocking in a sync bus handler
 * must not delay the others' status messages.
 *
 * 101 pipelines, each `jimmyaudiosrc` alone in a GstPipeline, wait on
 * tasks that stay "processing" (nginx under bench/serve.sh). Pipeline 0's
 * sync bus handler blocks for --block-ms (3 s) on its first
 * "jimmy-task-status" message. As soon as it blocks, the other 100
 * pipelines start, spread evenly over most of the blocked time. The
 * latency of each one's first status message is measured from its
 * set_state(PAUSED), which starts its wait and its first poll at once, to
 * the message reaching its own sync bus handler, on whichever thread
 * posted it. (Not from the poll's request going out: a blocked poller
 * would send late too, and hide its own delay.) A row without the block
 * gives the baseline: one poll on loopback, parsing and posting.
 *
 * Runs under bench/serve.sh; prints the table (median and range of the
 * per-run figures over --runs runs).
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "bench-common.h"

#include <locale.h>

#include <string.h>

#define OTHERS 100
#define STATUS_MESSAGE "jimmy-task-status"
#define WAIT_TIMEOUT_US (30 * G_USEC_PER_SEC)

typedef struct {
  GMutex lock;                  /* guards the fields below */
  GCond cond;
  gboolean blocking;            /* pipeline 0's handler has started */
  guint seen;                   /* others' first status messages */
  GArray *latency_ms;           /* gdouble */
  gint64 block_start_us, block_end_us;
  guint during_block;           /* others' messages while it blocked */
} Shared;

typedef struct {
  Shared *shared;
  char *task_id;                /* (owned) */
  gint64 paused_us;             /* set before its state change */
  gboolean blocker;
  gboolean counted;             /* one of the others */
  guint block_ms;
  gboolean reported;
} Watch;

static gboolean
is_status (GstMessage * message)
{
  const GstStructure *s = gst_message_get_structure (message);

  return GST_MESSAGE_TYPE (message) == GST_MESSAGE_ELEMENT && s != NULL
      && gst_structure_has_name (s, STATUS_MESSAGE);
}

static GstBusSyncReply
on_sync_message (GstBus * bus, GstMessage * message, gpointer user_data)
{
  Watch *watch = user_data;
  Shared *shared = watch->shared;
  gint64 now = g_get_monotonic_time ();

  if (!is_status (message) || watch->reported)
    return GST_BUS_DROP;
  watch->reported = TRUE;
  if (!watch->counted && !watch->blocker)
    return GST_BUS_DROP;
  if (watch->blocker) {
    g_mutex_lock (&shared->lock);
    shared->blocking = TRUE;
    shared->block_start_us = now;
    g_cond_broadcast (&shared->cond);
    g_mutex_unlock (&shared->lock);
    g_usleep (watch->block_ms * 1000);
    g_mutex_lock (&shared->lock);
    shared->block_end_us = g_get_monotonic_time ();
    g_mutex_unlock (&shared->lock);
    return GST_BUS_DROP;
  }
  g_mutex_lock (&shared->lock);
  {
    gdouble ms = (now - watch->paused_us) / 1000.0;

    g_array_append_val (shared->latency_ms, ms);
    if (shared->block_start_us > 0 && shared->block_end_us == 0)
      shared->during_block++;
    shared->seen++;
  }
  g_cond_broadcast (&shared->cond);
  g_mutex_unlock (&shared->lock);
  return GST_BUS_DROP;
}

static GstElement *
make_pipeline (const char *api_url, guint index, guint run, Watch * watch)
{
  GstElement *pipeline = gst_pipeline_new (NULL);
  GstElement *src = gst_element_factory_make ("jimmyaudiosrc", NULL);
  g_autoptr (GstBus) bus = gst_pipeline_get_bus (GST_PIPELINE (pipeline));

  watch->task_id = g_strdup_printf ("block_r%u_%03u", run, index);
  g_object_set (src, "task-id", watch->task_id, "api-url", api_url,
      "api-key", BENCH_API_KEY, "poll-interval", 1000, NULL);
  gst_bin_add (GST_BIN (pipeline), src);
  gst_bus_set_sync_handler (bus, on_sync_message, watch, NULL);
  return pipeline;
}

/* One run; adds the run's p50, p99, max and count to @agg. */
static gboolean
run_once (const char *api_url, guint run, guint block_ms,
    gint64 spacing_us, BenchAgg * agg)
{
  Shared shared = { 0 };
  Watch watches[OTHERS + 1] = { 0 };
  GstElement *pipelines[OTHERS + 1];
  gint64 deadline;
  gboolean ok = TRUE;
  guint i;

  g_mutex_init (&shared.lock);
  g_cond_init (&shared.cond);
  shared.latency_ms = g_array_new (FALSE, FALSE, sizeof (gdouble));
  for (i = 0; i <= OTHERS; i++) {
    watches[i] = (Watch) {
    .shared = &shared,.blocker = i == 0 && block_ms > 0,.counted = i > 0,
          .block_ms = block_ms};
    pipelines[i] = make_pipeline (api_url, i, run, &watches[i]);
  }

  deadline = g_get_monotonic_time () + WAIT_TIMEOUT_US;
  gst_element_set_state (pipelines[0], GST_STATE_PAUSED);
  g_mutex_lock (&shared.lock);
  while (block_ms > 0 && !shared.blocking && ok)
    ok = g_cond_wait_until (&shared.cond, &shared.lock, deadline);
  g_mutex_unlock (&shared.lock);

  for (i = 1; ok && i <= OTHERS; i++) {
    g_mutex_lock (&shared.lock);
    watches[i].paused_us = g_get_monotonic_time ();
    g_mutex_unlock (&shared.lock);
    gst_element_set_state (pipelines[i], GST_STATE_PAUSED);
    g_usleep (spacing_us);
  }
  g_mutex_lock (&shared.lock);
  while (ok && shared.seen < OTHERS)
    ok = g_cond_wait_until (&shared.cond, &shared.lock, deadline);
  g_mutex_unlock (&shared.lock);

  if (!ok)
    g_printerr ("bench-busblock: %u of %u status messages in %d s\n",
        shared.seen, OTHERS, (int) (WAIT_TIMEOUT_US / G_USEC_PER_SEC));
  else {
    bench_agg_add (agg, "p50", bench_percentile (shared.latency_ms, 0.5));
    bench_agg_add (agg, "p99", bench_percentile (shared.latency_ms, 0.99));
    bench_agg_add (agg, "max", bench_max (shared.latency_ms));
    bench_agg_add (agg, "during", shared.during_block);
  }

  /* NULL returns at once; the blocker's handler may still sleep. */
  for (i = 0; i <= OTHERS; i++) {
    gst_element_set_state (pipelines[i], GST_STATE_NULL);
  }
  g_mutex_lock (&shared.lock);
  while (block_ms > 0 && ok && shared.block_end_us == 0) {
    g_mutex_unlock (&shared.lock);
    g_usleep (10000);
    g_mutex_lock (&shared.lock);
  }
  g_mutex_unlock (&shared.lock);
  for (i = 0; i <= OTHERS; i++) {
    gst_object_unref (pipelines[i]);
    g_free (watches[i].task_id);
  }
  g_array_unref (shared.latency_ms);
  g_mutex_clear (&shared.lock);
  g_cond_clear (&shared.cond);
  return ok;
}

int
main (int argc, char **argv)
{
  gint runs = 5, block_ms = 3000;
  GOptionEntry entries[] = {
    {"runs", 0, 0, G_OPTION_ARG_INT, &runs, "Runs per row (5)", "R"},
    {"block-ms", 0, 0, G_OPTION_ARG_INT, &block_ms,
        "How long the handler blocks (3000)", "MS"},
    {NULL}
  };
  g_autoptr (GOptionContext) context = g_option_context_new ("- B6");
  g_autoptr (GError) error = NULL;
  const char *api_url;
  GstElement *probe;
  guint row, run;

  /* Tables are UTF-8 (µs, en dashes): print them as such. */
  setlocale (LC_CTYPE, "");
  g_option_context_add_main_entries (context, entries, NULL);
  g_option_context_add_group (context, gst_init_get_option_group ());
  if (!g_option_context_parse (context, &argc, &argv, &error) || runs < 1
      || block_ms < 100) {
    g_printerr ("bench-busblock: %s\n", error ? error->message :
        "--runs >= 1 and --block-ms >= 100, please");
    return 2;
  }
  if ((api_url = bench_api_url ()) == NULL)
    return 2;
  probe = gst_element_factory_make ("jimmyaudiosrc", NULL);
  if (probe == NULL) {
    g_printerr ("bench-busblock: no jimmyaudiosrc: run bench/run.sh\n");
    return 2;
  }
  gst_object_unref (probe);

  g_print ("#### B6: a sync bus handler blocking %d ms beside %d other "
      "pipelines\n\nLatency of each other pipeline's first "
      "`jimmy-task-status` message, from its set_state(PAUSED) (which "
      "polls at once) to its sync bus handler. %d run(s); per-run figures, median "
      "(min–max).\n\n", block_ms, OTHERS, runs);
  g_print ("| handler | p50 (ms) | p99 (ms) | max (ms) "
      "| messages while it blocked (of %d) |\n|---|---|---|---|---|\n",
      OTHERS);
  for (row = 0; row < 2; row++) {
    g_autoptr (BenchAgg) agg = bench_agg_new ();
    guint block = row == 0 ? 0 : block_ms;

    for (run = 0; run < (guint) runs; run++) {
      /* The same spread in both rows: over 80 % of the block. */
      if (!run_once (api_url, row * runs + run, block,
              (gint64) block_ms * 800 / OTHERS, agg))
        return 1;
    }
    {
      g_autofree char *p50 = bench_agg_format (agg, "p50", "%.2f");
      g_autofree char *p99 = bench_agg_format (agg, "p99", "%.2f");
      g_autofree char *max = bench_agg_format (agg, "max", "%.2f");
      g_autofree char *during = bench_agg_format (agg, "during", "%.0f");

      if (block == 0)
        g_print ("| none (baseline) | %s | %s | %s | – |\n", p50, p99, max);
      else
        g_print ("| one blocks %u ms | %s | %s | %s | %s |\n", block, p50,
            p99, max, during);
    }
  }
  g_print ("\nTarget: p99 <= 10 ms while the handler blocks.\n");
  return 0;
}
