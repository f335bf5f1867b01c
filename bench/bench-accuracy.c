/* bench-accuracy.c: B4, does the poll schedule keep time?
 *
 * One jimmyaudiosrc polls a task that stays "processing" every 100 ms.
 * The mock server (in this process, on its own thread, so that it shares
 * our monotonic clock) timestamps each poll it answers through its
 * "request-served" signal. Poll k should come at t0 + k * P, t0 being the
 * second poll (the first also waits for the poller thread to start and
 * for a TCP connect); its drift is how late it actually came. A poller
 * that keeps a steady cadence has a drift that stays small; one that
 * counts each interval from a late start piles the lateness up.
 *
 * It runs twice: alone, and beside a load of other elements waiting on
 * their own tasks every second in the same process (same poller thread,
 * same connections).
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "bench-common.h"

#include "jimmy-mock-server.h"

#define TASK_ID "accuracy"
#define WAIT_TIMEOUT_US (60 * G_USEC_PER_SEC)

typedef struct {
  GMutex lock;
  GCond cond;
  GArray *at_us;                /* (owned) gint64, polls of TASK_ID */
  gboolean recording;
} Arrivals;

/* On the mock's thread. */
static void
on_request_served (JimmyMockServer * server, const char *method,
    const char *path, guint status, const char *summary, Arrivals * arrivals)
{
  gint64 now = g_get_monotonic_time ();

  if (!g_str_equal (path, BENCH_API_PREFIX TASK_ID))
    return;
  g_mutex_lock (&arrivals->lock);
  if (arrivals->recording) {
    g_array_append_val (arrivals->at_us, now);
    g_cond_signal (&arrivals->cond);
  }
  g_mutex_unlock (&arrivals->lock);
}

static GstElement *
make_src (const char *base_url, const char *task_id, guint interval_ms)
{
  GstElement *src = gst_element_factory_make ("jimmyaudiosrc", NULL);

  g_object_set (src, "task-id", task_id, "api-url", base_url, "api-key",
      BENCH_API_KEY, "poll-interval", interval_ms, NULL);
  return src;
}

static gboolean
measure (JimmyMockServer * mock, Arrivals * arrivals, guint interval_ms,
    guint polls, guint background)
{
  const char *base_url = jimmy_mock_server_get_base_url (mock);
  g_autoptr (GArray) drift = g_array_new (FALSE, FALSE, sizeof (gdouble));
  g_autoptr (GArray) abs_drift = g_array_new (FALSE, FALSE,
      sizeof (gdouble));
  gdouble last, mean, earliest;
  g_autoptr (GArray) gaps = g_array_new (FALSE, FALSE, sizeof (gdouble));
  g_autoptr (GPtrArray) others = g_ptr_array_new ();
  GstElement *src;
  gint64 deadline, t0;
  gboolean complete;
  guint i, late = 0;

  /* The load first, in steady state before the measured element starts. */
  for (i = 0; i < background; i++) {
    g_autofree char *task_id = g_strdup_printf ("load_%05u", i);
    GstElement *other = make_src (base_url, task_id, 1000);

    gst_element_set_state (other, GST_STATE_PAUSED);
    g_ptr_array_add (others, other);
  }
  if (background > 0)
    g_usleep (2 * G_USEC_PER_SEC);

  g_mutex_lock (&arrivals->lock);
  g_array_set_size (arrivals->at_us, 0);
  arrivals->recording = TRUE;
  g_mutex_unlock (&arrivals->lock);

  jimmy_mock_server_add_task (mock, TASK_ID, "processing", NULL);
  src = make_src (base_url, TASK_ID, interval_ms);
  gst_element_set_state (src, GST_STATE_PAUSED);

  deadline = g_get_monotonic_time () + WAIT_TIMEOUT_US;
  g_mutex_lock (&arrivals->lock);
  while (arrivals->at_us->len < polls + 2
      && g_cond_wait_until (&arrivals->cond, &arrivals->lock, deadline))
    continue;
  complete = arrivals->at_us->len >= polls + 2;
  arrivals->recording = FALSE;
  g_mutex_unlock (&arrivals->lock);

  gst_element_set_state (src, GST_STATE_NULL);
  gst_object_unref (src);
  for (i = 0; i < others->len; i++) {
    gst_element_set_state (others->pdata[i], GST_STATE_NULL);
    gst_object_unref (others->pdata[i]);
  }
  if (!complete) {
    g_printerr ("bench-accuracy: only %u polls in time\n",
        arrivals->at_us->len);
    return FALSE;
  }

  /* Poll k is due at t0 + k * P. t0 is the second poll: the first one
   * also waits for the poller thread to start and for a TCP connect. */
  t0 = g_array_index (arrivals->at_us, gint64, 1);
  for (i = 1; i <= polls; i++) {
    gint64 at = g_array_index (arrivals->at_us, gint64, i + 1);
    gint64 previous = g_array_index (arrivals->at_us, gint64, i);
    gdouble late_ms = (at - t0 - (gint64) i * interval_ms * 1000) / 1000.0;
    gdouble gap_ms = (at - previous) / 1000.0;

    g_array_append_val (drift, late_ms);
    g_array_append_val (gaps, gap_ms);
    if (gap_ms > 1.5 * interval_ms)
      late++;
  }

  if (background > 0)
    g_print ("| beside %u elements polling every 1 s ", background);
  else
    g_print ("| alone ");
  /* The statistics sort in place: take the last poll's drift first.
   * Early and late polls cancel out in a signed mean, so lateness comes
   * first: against the grid whose origin is the earliest all polls allow
   * (t0 itself may have been late), so it is never negative. */
  last = g_array_index (drift, gdouble, polls - 1);
  mean = bench_mean (drift);
  earliest = bench_min (drift);
  for (i = 0; i < drift->len; i++) {
    gdouble a = g_array_index (drift, gdouble, i) - MIN (earliest, 0);

    g_array_append_val (abs_drift, a);
  }
  g_print ("| %u | %.3f | %.3f | %.3f | %.3f | %.3f | %.3f | %.3f | %u |\n",
      polls, bench_percentile (abs_drift, 0.5),
      bench_percentile (abs_drift, 0.99), bench_max (abs_drift), mean,
      last, bench_mean (gaps), bench_stddev (gaps), late);
  return TRUE;
}

int
main (int argc, char **argv)
{
  gint interval_ms = 100, polls = 100, background = 200;
  GOptionEntry entries[] = {
    {"interval", 0, 0, G_OPTION_ARG_INT, &interval_ms,
        "poll-interval in ms (default 100)", "MS"},
    {"polls", 0, 0, G_OPTION_ARG_INT, &polls,
        "Polls measured after the first (default 100)", "N"},
    {"background", 0, 0, G_OPTION_ARG_INT, &background,
        "Other elements in the loaded run (default 200)", "N"},
    {NULL}
  };
  g_autoptr (GOptionContext) context = g_option_context_new ("- B4");
  g_autoptr (GError) error = NULL;
  g_autoptr (JimmyMockServer) mock = NULL;
  Arrivals arrivals = { 0 };
  gboolean ok;

  g_option_context_add_main_entries (context, entries, NULL);
  g_option_context_add_group (context, gst_init_get_option_group ());
  if (!g_option_context_parse (context, &argc, &argv, &error)
      || interval_ms < 10 || polls < 2 || polls > 10000 || background < 0
      || background > 20000) {
    g_printerr ("bench-accuracy: %s\n", error ? error->message :
        "bad arguments");
    return 2;
  }
  if (gst_element_factory_find ("jimmyaudiosrc") == NULL) {
    g_printerr ("bench-accuracy: no jimmyaudiosrc: run bench/run.sh\n");
    return 2;
  }

  g_mutex_init (&arrivals.lock);
  g_cond_init (&arrivals.cond);
  arrivals.at_us = g_array_new (FALSE, FALSE, sizeof (gint64));

  mock = jimmy_mock_server_new ();
  jimmy_mock_server_set_default_script (mock, "processing");
  if (!jimmy_mock_server_start (mock, "127.0.0.1", 0, &error)) {
    g_printerr ("bench-accuracy: %s\n", error->message);
    return 1;
  }
  g_signal_connect (mock, "request-served", G_CALLBACK (on_request_served),
      &arrivals);

  bench_print_machine ();
  g_print ("\n#### B4 poll accuracy: poll-interval %d ms, %d polls, drift "
      "against t0 + k * P at the mock\n\nLateness: against the grid whose "
      "origin is the earliest that all polls allow (t0, or earlier if t0 "
      "itself was late).\n\n", interval_ms, polls);
  g_print ("| run | polls | lateness p50 (ms) | p99 (ms) | max (ms) "
      "| signed mean drift (ms) | last poll's drift (ms) | mean gap (ms) "
      "| gap stddev (ms) | gaps > 1.5 P |\n"
      "|---|---|---|---|---|---|---|---|---|---|\n");
  ok = measure (mock, &arrivals, interval_ms, polls, 0)
      && (background == 0
      || measure (mock, &arrivals, interval_ms, polls, background));

  jimmy_mock_server_stop (mock);
  g_array_unref (arrivals.at_us);
  g_cond_clear (&arrivals.cond);
  g_mutex_clear (&arrivals.lock);
  return ok ? 0 : 1;
}
