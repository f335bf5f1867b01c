/* bench-latency.c: B2, how soon the audio comes.
 *
 * (a) The task is already completed: time from set_state(PLAYING) to the
 *     first buffer at the sink (a pad probe), for `jimmyaudiosrc !
 *     fakesink` against `souphttpsrc ! decodebin ! fakesink`, interleaved.
 *     jimmyaudiosrc runs twice: "cold", the only element of the process,
 *     so each run starts the poller thread, its SoupSession and a TCP
 *     connection; and "warm", with another jimmyaudiosrc kept in READY so
 *     that the poller and its keep-alive connection stay up, as in a
 *     server that holds many elements.
 *
 * (b) The task flips from processing to completed while the element
 *     polls every P ms: the benchmark replaces the task's script at a
 *     random moment, uniform over one poll period after the first poll,
 *     and measures from that moment to the first buffer. The phases are
 *     stratified (one random phase in each 1/n of the period, shuffled).
 *     The mock's "request-served" signal timestamps the poll that saw
 *     "completed", which splits the delay into waiting for that poll and
 *     the audio chain's start.
 *
 * The mock server runs in this process, on its own thread, so that its
 * timestamps share our monotonic clock.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "bench-common.h"

#include "jimmy-mock-server.h"

#define TIMEOUT_US (10 * G_USEC_PER_SEC)

/* Polls answered by the mock, as it saw them. */
typedef struct {
  gint64 at_us;
  char *task_id;                /* (owned) */
  gboolean completed;
} Poll;

typedef struct {
  GMutex lock;
  GArray *polls;                /* (owned) Poll */
} PollLog;

static void
poll_clear (Poll * poll)
{
  g_free (poll->task_id);
}

/* On the mock's thread. */
static void
on_request_served (JimmyMockServer * server, const char *method,
    const char *path, guint status, const char *summary, PollLog * log)
{
  Poll poll;

  if (!g_str_has_prefix (path, BENCH_API_PREFIX))
    return;
  poll.at_us = g_get_monotonic_time ();
  poll.task_id = g_strdup (path + strlen (BENCH_API_PREFIX));
  poll.completed = g_strcmp0 (summary, "completed") == 0;
  g_mutex_lock (&log->lock);
  g_array_append_val (log->polls, poll);
  g_mutex_unlock (&log->lock);
}

/* Returns: when @task_id was first answered (as completed, if
 * @completed), or 0. */
static gint64
find_poll (PollLog * log, const char *task_id, gboolean completed)
{
  gint64 at_us = 0;
  guint i;

  g_mutex_lock (&log->lock);
  for (i = 0; i < log->polls->len && at_us == 0; i++) {
    Poll *poll = &g_array_index (log->polls, Poll, i);

    if (g_str_equal (poll->task_id, task_id)
        && (!completed || poll->completed))
      at_us = poll->at_us;
  }
  g_mutex_unlock (&log->lock);
  return at_us;
}

static GstElement *
launch (const char *description)
{
  g_autoptr (GError) error = NULL;
  GstElement *pipeline = gst_parse_launch (description, &error);

  if (pipeline == NULL)
    g_error ("%s: %s", description, error->message);
  return pipeline;
}

static void
append (GArray * values, gdouble value)
{
  g_array_append_val (values, value);
}

static void
print_row (const char *name, GArray * ms)
{
  g_print ("| %s | %u | %.2f | %.2f | %.2f | %.2f |\n", name, ms->len,
      bench_median (ms), bench_percentile (ms, 0.9), bench_min (ms),
      bench_max (ms));
}

/* ---------------------------------------------------------------------- */
/* (a) completed already */

enum {
  SOUP,
  JIMMY_COLD,
  JIMMY_WARM,
  N_VARIANTS
};

static const char *const variant_names[N_VARIANTS] = {
  "`souphttpsrc ! decodebin ! fakesink`",
  "`jimmyaudiosrc ! fakesink`, cold poller",
  "`jimmyaudiosrc ! fakesink`, warm poller",
};

static char *
describe_a (guint variant, guint run, const char *base_url)
{
  if (variant == SOUP)
    return g_strdup_printf ("souphttpsrc location=%s/media/lat_a.mp3 ! "
        "decodebin ! fakesink name=sink", base_url);
  return g_strdup_printf ("jimmyaudiosrc task-id=lat_a_%u_%u api-url=%s "
      "api-key=" BENCH_API_KEY " ! fakesink name=sink", variant, run,
      base_url);
}

static gboolean
bench_completed (JimmyMockServer * mock, PollLog * log, guint runs)
{
  const char *base_url = jimmy_mock_server_get_base_url (mock);
  GArray *ms[N_VARIANTS], *to_poll[N_VARIANTS];
  GstElement *keeper = NULL;
  guint round, v;

  for (v = 0; v < N_VARIANTS; v++) {
    ms[v] = g_array_new (FALSE, FALSE, sizeof (gdouble));
    to_poll[v] = g_array_new (FALSE, FALSE, sizeof (gdouble));
  }

  /* Round 0 loads the plugins and is not counted. */
  for (round = 0; round <= runs; round++) {
    guint k;

    for (k = 0; k < N_VARIANTS; k++) {
      g_autofree char *description = NULL;
      g_autofree char *task_id = NULL;
      GstElement *pipeline;
      gint64 started_us, first_us, polled_us;

      v = (round + k) % N_VARIANTS;
      /* Holding a jimmyaudiosrc in READY holds the shared poller. */
      if (v == JIMMY_WARM && keeper == NULL) {
        keeper = gst_element_factory_make ("jimmyaudiosrc", NULL);
        gst_element_set_state (keeper, GST_STATE_READY);
      } else if (v != JIMMY_WARM && keeper != NULL) {
        gst_element_set_state (keeper, GST_STATE_NULL);
        gst_clear_object (&keeper);
      }

      description = describe_a (v, round, base_url);
      pipeline = launch (description);
      if (!bench_run_to_first_buffer (pipeline, TIMEOUT_US, &started_us,
              &first_us))
        return FALSE;
      gst_element_set_state (pipeline, GST_STATE_NULL);
      gst_object_unref (pipeline);

      if (round == 0)
        continue;
      append (ms[v], (first_us - started_us) / 1000.0);
      task_id = g_strdup_printf ("lat_a_%u_%u", v, round);
      polled_us = find_poll (log, task_id, TRUE);
      if (v != SOUP && polled_us != 0)
        append (to_poll[v], (polled_us - started_us) / 1000.0);
    }
  }
  if (keeper != NULL) {
    gst_element_set_state (keeper, GST_STATE_NULL);
    gst_object_unref (keeper);
  }

  g_print ("\n#### B2 (a) task already completed: set_state(PLAYING) to "
      "first buffer, %u interleaved runs each\n\n", runs);
  g_print ("| pipeline | runs | median (ms) | p90 (ms) | min (ms) | "
      "max (ms) |\n|---|---|---|---|---|---|\n");
  for (v = 0; v < N_VARIANTS; v++)
    print_row (variant_names[v], ms[v]);
  print_row ("of which PLAYING to poll answered, cold", to_poll[JIMMY_COLD]);
  print_row ("of which PLAYING to poll answered, warm", to_poll[JIMMY_WARM]);
  g_print ("\nMedian difference to souphttpsrc: cold %+.2f ms, warm %+.2f "
      "ms. Target: <= +5 ms.\n", bench_median (ms[JIMMY_COLD]) -
      bench_median (ms[SOUP]), bench_median (ms[JIMMY_WARM]) -
      bench_median (ms[SOUP]));

  for (v = 0; v < N_VARIANTS; v++) {
    g_array_unref (ms[v]);
    g_array_unref (to_poll[v]);
  }
  return TRUE;
}

/* ---------------------------------------------------------------------- */
/* (b) completes while polling */

static gboolean
bench_flip (JimmyMockServer * mock, PollLog * log, guint interval_ms,
    guint flips)
{
  const char *base_url = jimmy_mock_server_get_base_url (mock);
  g_autoptr (GArray) delay = g_array_new (FALSE, FALSE, sizeof (gdouble));
  g_autoptr (GArray) wait = g_array_new (FALSE, FALSE, sizeof (gdouble));
  g_autoptr (GArray) chain = g_array_new (FALSE, FALSE, sizeof (gdouble));
  g_autofree gdouble *phases = g_new (gdouble, flips);
  gint64 period_us = (gint64) interval_ms * 1000;
  gdouble median, max;
  guint i;

  /* Random phases, one in each 1/flips of the period, in random order:
   * uniform, without the spread a few dozen draws would give the median. */
  for (i = 0; i < flips; i++)
    phases[i] = (i + g_random_double ()) / flips;
  for (i = flips - 1; i > 0; i--) {
    guint j = g_random_int_range (0, i + 1);
    gdouble swap = phases[i];

    phases[i] = phases[j];
    phases[j] = swap;
  }

  for (i = 0; i < flips; i++) {
    g_autofree char *task_id = g_strdup_printf ("lat_b_%u_%u", interval_ms,
        i);
    g_autofree char *description = NULL;
    GstElement *pipeline;
    gint64 started_us, flip_us, first_us, polled_us, now;

    jimmy_mock_server_add_task (mock, task_id, "processing", NULL);
    description = g_strdup_printf ("jimmyaudiosrc task-id=%s api-url=%s "
        "api-key=" BENCH_API_KEY " poll-interval=%u ! fakesink name=sink",
        task_id, base_url, interval_ms);
    pipeline = launch (description);
    bench_watch_sink (pipeline);
    started_us = g_get_monotonic_time ();
    gst_element_set_state (pipeline, GST_STATE_PLAYING);

    /* The first poll goes out at once, the next ones every period: a
     * flip uniform over the second period has a uniform phase. */
    flip_us = started_us + period_us + (gint64) (phases[i] * period_us);
    now = g_get_monotonic_time ();
    if (flip_us > now)
      g_usleep (flip_us - now);
    flip_us = g_get_monotonic_time ();
    jimmy_mock_server_add_task (mock, task_id, "completed", NULL);

    if (!bench_wait_first_buffer (pipeline, flip_us + period_us + TIMEOUT_US,
            &first_us))
      return FALSE;
    gst_element_set_state (pipeline, GST_STATE_NULL);
    gst_object_unref (pipeline);

    append (delay, (first_us - flip_us) / 1000.0);
    polled_us = find_poll (log, task_id, TRUE);
    if (polled_us != 0) {
      append (wait, (polled_us - flip_us) / 1000.0);
      append (chain, (first_us - polled_us) / 1000.0);
    }
  }

  g_print ("\n#### B2 (b) task completes while polling, poll-interval %u ms,"
      " %u flips at random phases\n\n", interval_ms, flips);
  g_print ("| delay | flips | median (ms) | p90 (ms) | min (ms) | max (ms) "
      "|\n|---|---|---|---|---|---|\n");
  print_row ("flip to first buffer", delay);
  print_row ("flip to the poll that saw it", wait);
  print_row ("that poll to first buffer", chain);
  median = bench_median (delay);
  max = bench_max (delay);
  g_print ("\nTargets: max <= P + 10 = %u ms: %s (%.1f); median <= P/2 + 10"
      " = %u ms: %s (%.1f).\n", interval_ms + 10,
      max <= interval_ms + 10 ? "met" : "MISSED", max, interval_ms / 2 + 10,
      median <= interval_ms / 2.0 + 10 ? "met" : "MISSED", median);
  return TRUE;
}

int
main (int argc, char **argv)
{
  g_autofree char *workdir = NULL;
  gint runs = 30, flips_fast = 40, flips_slow = 16;
  GOptionEntry entries[] = {
    {"runs", 0, 0, G_OPTION_ARG_INT, &runs,
        "(a): measured runs per pipeline (default 30)", "N"},
    {"flips-fast", 0, 0, G_OPTION_ARG_INT, &flips_fast,
        "(b): flips at poll-interval 100 ms (default 40)", "N"},
    {"flips-slow", 0, 0, G_OPTION_ARG_INT, &flips_slow,
        "(b): flips at poll-interval 1000 ms (default 16)", "N"},
    {"workdir", 0, 0, G_OPTION_ARG_FILENAME, &workdir, "Unused", "DIR"},
    {NULL}
  };
  g_autoptr (GOptionContext) context = g_option_context_new ("- B2");
  g_autoptr (GError) error = NULL;
  g_autoptr (JimmyMockServer) mock = NULL;
  PollLog log;
  gboolean ok;

  g_option_context_add_main_entries (context, entries, NULL);
  g_option_context_add_group (context, gst_init_get_option_group ());
  if (!g_option_context_parse (context, &argc, &argv, &error) || runs < 1
      || flips_fast < 1 || flips_slow < 1) {
    g_printerr ("bench-latency: %s\n", error ? error->message :
        "counts must be >= 1");
    return 2;
  }
  if (gst_element_factory_find ("jimmyaudiosrc") == NULL) {
    g_printerr ("bench-latency: no jimmyaudiosrc: run bench/run.sh\n");
    return 2;
  }

  g_mutex_init (&log.lock);
  log.polls = g_array_new (FALSE, FALSE, sizeof (Poll));
  g_array_set_clear_func (log.polls, (GDestroyNotify) poll_clear);

  mock = jimmy_mock_server_new ();
  jimmy_mock_server_set_default_script (mock, "completed");
  if (!jimmy_mock_server_set_media_file (mock, BENCH_SPEECH_MP3, &error)
      || !jimmy_mock_server_start (mock, "127.0.0.1", 0, &error)) {
    g_printerr ("bench-latency: %s\n", error->message);
    return 1;
  }
  g_signal_connect (mock, "request-served", G_CALLBACK (on_request_served),
      &log);

  bench_print_machine ();
  ok = bench_completed (mock, &log, runs)
      && bench_flip (mock, &log, 100, flips_fast)
      && bench_flip (mock, &log, 1000, flips_slow);

  jimmy_mock_server_stop (mock);
  g_array_unref (log.polls);
  g_mutex_clear (&log.lock);
  return ok ? 0 : 1;
}
