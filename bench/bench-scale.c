/* bench-scale.c: the tables of B3 (waiting elements at scale, and the
 * saturation point), B5 (isolation from a hung origin) and B8 (a distant
 * API), each row the median and range over --runs runs.
 *
 * Every run is a fresh child process, bench-wait, under bench/serve.sh:
 * a network namespace of its own with nginx (or bench-delay-server, for
 * B8's delays) as the task API, so that the server costs little, its CPU
 * is measured apart, and the kernel's TCP counters count only this run.
 * B3 runs bench-floor in the same way right after each run, at the
 * element's achieved request rate: the bare libsoup CPU per request that
 * the element's CPU per poll is divided by. The "instructions" table
 * counts both under valgrind's callgrind instead of timing them: the
 * same figure whatever else the machine does.
 *
 * Usage: bench-scale --table b3|instructions|saturation|b5|b8 [--runs R]
 *        [--quick]
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "bench-common.h"

#include <locale.h>

#include <glib/gstdio.h>
#include <unistd.h>

#include <stdlib.h>
#include <string.h>

typedef struct {
  guint runs;
  gboolean quick;
  const char *counts;           /* B3, B8: N, comma-separated */
  const char *limits;           /* B8: requests per origin, or "default" */
} Options;

/* One child run of @program under serve.sh with @serve_args (a
 * NULL-terminated list) and @args. */
static GKeyFile *
serve_and_run (const char *const *serve_args, const char *program,
    const char *const *args)
{
  g_autoptr (GPtrArray) argv = g_ptr_array_new_with_free_func (g_free);
  guint i;

  g_ptr_array_add (argv, g_strdup (bench_serve_script ()));
  for (i = 0; serve_args != NULL && serve_args[i] != NULL; i++)
    g_ptr_array_add (argv, g_strdup (serve_args[i]));
  g_ptr_array_add (argv, g_strdup ("--"));
  g_ptr_array_add (argv, bench_sibling (program));
  for (i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, g_strdup (args[i]));
  g_ptr_array_add (argv, NULL);
  return bench_run_child ((const char *const *) argv->pdata);
}

/* bench-wait with N healthy, K hung, under serve.sh with @serve_args. */
static GKeyFile *
run_wait (const char *const *serve_args, guint n, guint hung,
    guint interval_ms, guint window_s, gboolean insecure, gboolean spread)
{
  g_autofree char *n_arg = g_strdup_printf ("--n=%u", n);
  g_autofree char *hung_arg = g_strdup_printf ("--hung=%u", hung);
  g_autofree char *interval_arg = g_strdup_printf ("--interval=%u",
      interval_ms);
  g_autofree char *window_arg = g_strdup_printf ("--window=%u", window_s);
  /* With hung ones healthy elements may starve, and a distant API may
   * take minutes to answer them all once: do not wait that long. */
  const char *args[] = { n_arg, hung_arg, interval_arg, window_arg,
    hung > 0 ? "--known-timeout=10" : serve_args != NULL ?
        "--known-timeout=30" : "--known-timeout=180",
    spread ? "--spread" : "--settle=2", insecure ? "--insecure" : NULL,
    NULL
  };

  return serve_and_run (serve_args, "bench-wait", args);
}

static void
print_lateness_cells (BenchAgg * agg)
{
  g_autofree char *p50 = bench_agg_format (agg, "late_p50_ms", "%.1f");
  g_autofree char *p99 = bench_agg_format (agg, "late_p99_ms", "%.1f");
  g_autofree char *max = bench_agg_format (agg, "late_max_ms", "%.1f");

  g_print (" %s | %s | %s |", p50, p99, max);
}

#define CELL(agg, key, format) \
  g_autofree char *key##_cell = bench_agg_format (agg, #key, format)

/* ---------------------------------------------------------------------- */
/* B3 */

/* The poller's limit of requests in flight per origin, which is also its
 * sessions' limit of connections per host. */
static guint
per_origin_limit (void)
{
  const char *limit = g_getenv ("JIMMY_MAX_REQUESTS_PER_ORIGIN");

  /* JIMMY_LIMIT_DEFAULT_PER_ORIGIN in src/jimmy-limiter.h */
  return limit != NULL && atoi (limit) > 0 ? (guint) atoi (limit) : 256;
}

/* The thread names of B3's first run, for the census under the table. */
static char *b3_names_before, *b3_names_waiting;

static gboolean
b3_row (const Options * options, guint n, guint interval_ms, guint window_s,
    gboolean spread)
{
  g_autoptr (BenchAgg) agg = bench_agg_new ();
  guint run;

  for (run = 0; run < options->runs; run++) {
    g_autoptr (GKeyFile) wait = run_wait (NULL, n, 0, interval_ms, window_s,
        FALSE, spread);
    g_autoptr (GKeyFile) floor = NULL;
    g_autoptr (GKeyFile) paced = NULL;
    g_autofree char *rate = NULL;
    g_autofree char *window = g_strdup_printf ("--window=%u",
        options->quick ? 3 : 10);
    g_autofree char *connections = g_strdup_printf ("--in-flight=%u",
        per_origin_limit ());
    gdouble per_poll, paced_us;

    if (wait == NULL)
      return FALSE;
    bench_agg_add_result (agg, wait);
    if (b3_names_before == NULL) {
      b3_names_before = g_key_file_get_string (wait, "result",
          "names_before", NULL);
      b3_names_waiting = g_key_file_get_string (wait, "result",
          "names_waiting", NULL);
    }
    /* The bare request at the element's rate, with the element's limit
     * of connections to the origin: the yardstick. */
    rate = g_strdup_printf ("--rate=%.1f", g_key_file_get_double (wait,
            "result", "answers_per_s", NULL));
    paced = serve_and_run (NULL, "bench-floor",
        (const char *[]) { rate, window, "--ids=1000", connections, NULL });
    if (paced == NULL)
      return FALSE;
    per_poll = g_key_file_get_double (wait, "result", "cpu_per_poll_us",
        NULL);
    paced_us = g_key_file_get_double (paced, "result", "cpu_per_request_us",
        NULL);
    bench_agg_add (agg, "paced_us", paced_us);
    bench_agg_add (agg, "ratio", per_poll / paced_us);
    if (spread)
      continue;                 /* back to back once per N is enough */
    floor = serve_and_run (NULL, "bench-floor",
        (const char *[]) { "--rate=0", window, "--ids=1000", NULL });
    if (floor == NULL)
      return FALSE;
    bench_agg_add (agg, "floor_us", g_key_file_get_double (floor, "result",
            "cpu_per_request_us", NULL));
  }

  {
    CELL (agg, polls_per_s, "%.0f");
    CELL (agg, cpu_per_poll_us, "%.0f");
    CELL (agg, poller_cpu_per_poll_us, "%.0f");
    CELL (agg, floor_us, "%.0f");
    CELL (agg, ratio, "%.2f");
    CELL (agg, paced_us, "%.0f");
    CELL (agg, server_cpu_share, "%.2f");
    CELL (agg, threads_added, "%.0f");
    CELL (agg, object_kib, "%.2f");
    CELL (agg, waiting_kib, "%.2f");
    CELL (agg, known_ms, "%.0f");
    CELL (agg, null_ms, "%.0f");
    CELL (agg, tcp_opened, "%.0f");

    g_print ("| %u | %s | %.0f | %s |", n, spread ? "spread over 5 s" :
        "together", n * 1000.0 / interval_ms, polls_per_s_cell);
    print_lateness_cells (agg);
    g_print (" %s / %s = %s | %s | %s | %s | %s | %s + %s | %s | %s | %s |\n",
        cpu_per_poll_us_cell, paced_us_cell, ratio_cell,
        poller_cpu_per_poll_us_cell, spread ? "–" : floor_us_cell,
        server_cpu_share_cell, threads_added_cell, object_kib_cell,
        waiting_kib_cell, known_ms_cell, null_ms_cell, tcp_opened_cell);
  }
  return TRUE;
}

static int
table_b3 (const Options * options)
{
  g_auto (GStrv) ns = g_strsplit (options->counts, ",", -1);
  guint window_s = options->quick ? 10 : 15, i;

  g_print ("#### B3: N elements waiting, poll-interval 5000 ms\n\n"
      "%u run(s) per row; median (min–max). Window %u s in steady state; "
      "server: nginx, static `processing` envelope.\n\n", options->runs,
      window_s);
  g_print ("| N | start | polls/s expected | polls/s | lateness p50 (ms) "
      "| p99 (ms) "
      "| max (ms) | CPU per poll, µs: element / bare libsoup at the same "
      "rate = ratio "
      "| of which the poller thread, µs "
      "| bare libsoup back to back, µs "
      "| server CPU (cores) | threads added "
      "| KiB per element: object + waiting | all know their status (ms) "
      "| all NULL (ms) | TCP connections opened |\n"
      "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");
  for (i = 0; ns[i] != NULL; i++) {
    if (!b3_row (options, atoi (ns[i]), 5000, window_s, FALSE)
        || !b3_row (options, atoi (ns[i]), 5000, window_s, TRUE))
      return 1;
  }
  g_print ("\n\"Together\": all N set to PAUSED at once, so every "
      "interval starts with a burst of N polls; \"spread\": started evenly "
      "over one interval, as tasks created at random times (all known: "
      "from the last start). After each run, bench-floor: a bare "
      "SoupSession GETs the same response at the rate the element achieved "
      "with as many connections as the poller may open to one origin (%u), "
      "and, after the \"together\" runs, back to back with 8. CPU per "
      "poll: the process's (getrusage) over the window, per poll "
      "answered; the poller thread's share from "
      "/proc/self/task/TID/schedstat.\n", per_origin_limit ());
  g_print ("\nThreads before the first element started: %s. While they "
      "wait: %s.\n", b3_names_before, b3_names_waiting);
  g_clear_pointer (&b3_names_before, g_free);
  g_clear_pointer (&b3_names_waiting, g_free);
  g_print ("\nTargets: lateness p99 <= 20 ms; CPU per poll <= 1.15 x the "
      "bare request; threads added <= 3; <= 10 KiB per waiting element; "
      "all NULL <= 200 ms.\n");
  return 0;
}

/* ---------------------------------------------------------------------- */
/* B3: instructions per poll, under callgrind */

/* The instructions callgrind counted in a run of @program (under
 * serve.sh), and the requests it answered in its window. */
static gboolean
count_instructions (const char *program, const char *const *args,
    const char *answered_key, guint64 * instructions, gdouble * answered)
{
  g_autofree char *out_file = NULL;
  g_autofree char *out_arg = NULL;
  g_autofree char *contents = NULL;
  g_autofree char *path = bench_sibling (program);
  g_autoptr (GPtrArray) argv = g_ptr_array_new ();
  g_autoptr (GKeyFile) result = NULL;
  g_autoptr (GError) error = NULL;
  const char *summary;
  int fd;
  guint i;

  fd = g_file_open_tmp ("bench-callgrind-XXXXXX", &out_file, &error);
  if (fd < 0) {
    g_printerr ("bench-scale: %s\n", error->message);
    return FALSE;
  }
  close (fd);
  out_arg = g_strdup_printf ("--callgrind-out-file=%s", out_file);
  g_ptr_array_add (argv, (char *) bench_serve_script ());
  g_ptr_array_add (argv, "--");
  g_ptr_array_add (argv, "valgrind");
  g_ptr_array_add (argv, "-q");
  g_ptr_array_add (argv, "--tool=callgrind");
  g_ptr_array_add (argv, out_arg);
  g_ptr_array_add (argv, path);
  for (i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (char *) args[i]);
  g_ptr_array_add (argv, NULL);
  result = bench_run_child ((const char *const *) argv->pdata);
  if (result != NULL && g_file_get_contents (out_file, &contents, NULL,
          &error) && (summary = strstr (contents, "\nsummary: ")) != NULL) {
    *instructions = g_ascii_strtoull (summary + strlen ("\nsummary: "), NULL,
        10);
    *answered = g_key_file_get_double (result, "result", answered_key, NULL) *
        g_key_file_get_double (result, "result", "window_s", NULL);
  } else {
    g_printerr ("bench-scale: no instruction count from %s%s%s\n", program,
        error ? ": " : "", error ? error->message : "");
    result = NULL;
  }
  g_unlink (out_file);
  return result != NULL;
}

/* Two runs that differ only in their window: the extra instructions per
 * extra poll, whatever starting and stopping cost. */
static gboolean
instructions_per_poll (const char *program, const char *const *args,
    const char *answered_key, guint short_s, guint long_s, gdouble * per_poll)
{
  g_autoptr (GPtrArray) with_window = g_ptr_array_new_with_free_func (g_free);
  guint64 instructions[2];
  gdouble answered[2];
  guint i, w;

  for (w = 0; w < 2; w++) {
    g_ptr_array_set_size (with_window, 0);
    for (i = 0; args[i] != NULL; i++)
      g_ptr_array_add (with_window, g_strdup (args[i]));
    g_ptr_array_add (with_window, g_strdup_printf ("--window=%u",
            w == 0 ? short_s : long_s));
    g_ptr_array_add (with_window, NULL);
    if (!count_instructions (program, (const char *const *)
            with_window->pdata, answered_key, &instructions[w], &answered[w]))
      return FALSE;
  }
  if (answered[1] <= answered[0]) {
    g_printerr ("bench-scale: %s answered no more in %u s than in %u s\n",
        program, long_s, short_s);
    return FALSE;
  }
  *per_poll = (instructions[1] - (gdouble) instructions[0]) /
      (answered[1] - answered[0]);
  return TRUE;
}

static int
table_instructions (const Options * options)
{
  /* 20 requests per second: what valgrind keeps up with. */
  static const struct {
    guint n, interval_ms;
  } rows[] = { {20, 1000}, {200, 10000} };
  guint short_s = options->quick ? 2 : 3, long_s = options->quick ? 5 : 9;
  g_autofree char *connections = g_strdup_printf ("--in-flight=%u",
      per_origin_limit ());
  g_autoptr (BenchAgg) floor_agg = bench_agg_new ();
  g_autoptr (GPtrArray) aggs = g_ptr_array_new_with_free_func ((GDestroyNotify)
      bench_agg_free);
  guint run, r;

  for (r = 0; r < G_N_ELEMENTS (rows); r++)
    g_ptr_array_add (aggs, bench_agg_new ());

  for (run = 0; run < options->runs; run++) {
    const char *floor_args[] = { "--rate=20", "--settle=1", "--ids=1000",
      connections, NULL
    };
    gdouble floor_per_request;

    if (!instructions_per_poll ("bench-floor", floor_args, "requests_per_s",
            short_s, long_s, &floor_per_request))
      return 1;
    bench_agg_add (floor_agg, "instructions", floor_per_request / 1000.0);
    for (r = 0; r < G_N_ELEMENTS (rows); r++) {
      g_autofree char *n = g_strdup_printf ("--n=%u", rows[r].n);
      g_autofree char *interval = g_strdup_printf ("--interval=%u",
          rows[r].interval_ms);
      const char *wait_args[] = { n, interval, "--spread", "--settle=1",
        NULL
      };
      gdouble per_poll;

      if (!instructions_per_poll ("bench-wait", wait_args, "answers_per_s",
              short_s, long_s, &per_poll))
        return 1;
      bench_agg_add (g_ptr_array_index (aggs, r), "instructions",
          per_poll / 1000.0);
      bench_agg_add (g_ptr_array_index (aggs, r), "ratio",
          per_poll / floor_per_request);
    }
  }

  g_print ("#### B3: instructions per poll, under callgrind\n\n"
      "%u run(s) per row; median (min–max). Each figure is the difference "
      "of two runs whose windows are %u s and %u s long, divided by the "
      "difference in polls answered: what one more poll costs, without "
      "starting and stopping. 20 polls/s, which valgrind keeps up with; "
      "the bare request: bench-floor paced at 20/s with up to %u "
      "connections.\n\n", options->runs, short_s, long_s,
      per_origin_limit ());
  g_print ("| N waiting | poll-interval (ms) | thousand instructions per "
      "poll: element / bare libsoup = ratio |\n|---|---|---|\n");
  for (r = 0; r < G_N_ELEMENTS (rows); r++) {
    g_autofree char *element = bench_agg_format (g_ptr_array_index (aggs, r),
        "instructions", "%.0f");
    g_autofree char *bare = bench_agg_format (floor_agg, "instructions",
        "%.0f");
    g_autofree char *ratio = bench_agg_format (g_ptr_array_index (aggs, r),
        "ratio", "%.2f");

    g_print ("| %u | %u | %s / %s = %s |\n", rows[r].n, rows[r].interval_ms,
        element, bare, ratio);
  }
  g_print ("\nTarget: CPU per poll <= 1.15 x the bare request.\n");
  return 0;
}

/* ---------------------------------------------------------------------- */
/* B3: the saturation point at poll-interval=1000 */

/* On time: p99 lateness <= 20 ms and at least 97 % of the expected polls. */
static gboolean
saturation_trial (guint n, guint window_s, gboolean * on_time)
{
  g_autoptr (GKeyFile) r = run_wait (NULL, n, 0, 1000, window_s, FALSE,
      TRUE);
  gdouble rate, p50, p99, max;

  if (r == NULL)
    return FALSE;
  rate = g_key_file_get_double (r, "result", "polls_per_s", NULL);
  p50 = g_key_file_get_double (r, "result", "late_p50_ms", NULL);
  p99 = g_key_file_get_double (r, "result", "late_p99_ms", NULL);
  max = g_key_file_get_double (r, "result", "late_max_ms", NULL);
  *on_time = p99 <= 20 && rate >= 0.97 * n;
  g_print ("| %u | %.0f | %.1f | %.1f | %.1f | %.2f | %.2f | %s |\n",
      n, rate, p50, p99, max,
      g_key_file_get_double (r, "result", "client_cpu_share", NULL),
      g_key_file_get_double (r, "result", "server_cpu_share", NULL),
      *on_time ? "yes" : "no");
  return TRUE;
}

static int
table_saturation (const Options * options)
{
  guint window_s = options->quick ? 4 : 8, steps = options->quick ? 1 : 4;
  guint good = 0, bad = 0, n = options->quick ? 500 : 1000, i;
  gboolean on_time;

  g_print ("#### B3: saturation at poll-interval 1000 ms\n\n"
      "One run per N, started evenly over the interval, window %u s: doubling N until a run is late, then "
      "%u bisection step(s). On time: p99 lateness <= 20 ms and polls/s "
      ">= 97 %% of N.\n\n", window_s, steps);
  g_print ("| N (polls/s expected) | polls/s | lateness p50 (ms) "
      "| p99 (ms) | max (ms) | client CPU (cores) | server CPU (cores) "
      "| on time |\n"
      "|---|---|---|---|---|---|---|---|\n");
  while (n <= 64000) {
    if (!saturation_trial (n, window_s, &on_time))
      return 1;
    if (!on_time) {
      bad = n;
      break;
    }
    good = n;
    n *= 2;
  }
  for (i = 0; bad > 0 && i < steps && bad - good > good / 16; i++) {
    n = (good + bad) / 2;
    if (!saturation_trial (n, window_s, &on_time))
      return 1;
    *(on_time ? &good : &bad) = n;
  }
  if (good == 0)
    g_print ("\nSaturation point: below %u, the smallest N tried, which was "
        "late.\n", bad);
  else if (bad > 0)
    g_print ("\nSaturation point: the largest N on time was **%u**; %u was "
        "late.\n", good, bad);
  else
    g_print ("\nSaturation point: above %u, which was still on time.\n",
        good);
  return 0;
}

/* ---------------------------------------------------------------------- */
/* B5: isolation from a hung origin */

static int
table_b5 (const Options * options)
{
  const guint hung_counts[] = { 0, 8, 100 };
  guint window_s = options->quick ? 5 : 10, i, run;

  g_print ("#### B5: 100 elements on a healthy origin beside K on a hung one"
      "\n\npoll-interval 1000 ms, the healthy ones started evenly over "
      "the interval; the hung origin accepts connections and "
      "never answers, request-timeout=0. %u run(s) per row, window %u s; "
      "median (min–max).\n\n", options->runs, window_s);
  g_print ("| K hung | healthy polls/s (of 100 expected) | lateness p50 (ms) "
      "| p99 (ms) | max (ms) | healthy tasks on schedule "
      "| healthy elements that knew their status within 10 s |\n"
      "|---|---|---|---|---|---|---|\n");
  for (i = 0; i < G_N_ELEMENTS (hung_counts); i++) {
    g_autoptr (BenchAgg) agg = bench_agg_new ();

    for (run = 0; run < options->runs; run++) {
      g_autoptr (GKeyFile) r = run_wait (NULL, 100, hung_counts[i], 1000,
          window_s, FALSE, TRUE);

      if (r == NULL)
        return 1;
      bench_agg_add_result (agg, r);
      /* Polls sent include the hung ones' first (and only) requests. */
      bench_agg_add (agg, "healthy_per_s", g_key_file_get_double (r,
              "result", "late_samples", NULL) / g_key_file_get_double (r,
              "result", "window_s", NULL));
    }
    {
      CELL (agg, healthy_per_s, "%.0f");
      CELL (agg, tasks_on_schedule, "%.0f");
      CELL (agg, known_count, "%.0f");

      g_print ("| %u | %s |", hung_counts[i], healthy_per_s_cell);
      print_lateness_cells (agg);
      g_print (" %s of 100 | %s of 100 |\n", tasks_on_schedule_cell,
          known_count_cell);
    }
  }
  g_print ("\nTarget: p99 lateness of the healthy polls <= 10 ms. K = 0 is "
      "the baseline.\n");
  return 0;
}

/* ---------------------------------------------------------------------- */
/* B8: a distant API */

/* JIMMY_MAX_REQUESTS_PER_ORIGIN for the children: @limit, with a
 * process-wide limit twice as large (the poller keeps a share of that one
 * in reserve), or whatever the environment had for "default". */
static void
set_limit (const char *limit, const char *inherited)
{
  g_autofree char *total = NULL;

  if (g_str_equal (limit, "default")) {
    if (inherited != NULL)
      g_setenv ("JIMMY_MAX_REQUESTS_PER_ORIGIN", inherited, TRUE);
    else
      g_unsetenv ("JIMMY_MAX_REQUESTS_PER_ORIGIN");
    g_unsetenv ("JIMMY_MAX_REQUESTS");
    return;
  }
  total = g_strdup_printf ("%d", 2 * atoi (limit));
  g_setenv ("JIMMY_MAX_REQUESTS_PER_ORIGIN", limit, TRUE);
  g_setenv ("JIMMY_MAX_REQUESTS", total, TRUE);
}

static gboolean
b8_row (const Options * options, guint n, guint delay_ms, gboolean tls,
    const char *limit, guint window_s)
{
  g_autoptr (BenchAgg) agg = bench_agg_new ();
  g_autofree char *delay = g_strdup_printf ("%u", delay_ms);
  g_autofree char *protocols = NULL;
  const char *serve_args[] = { "--delay", delay, tls ? "--tls" : NULL, NULL };
  guint run;

  for (run = 0; run < options->runs; run++) {
    g_autoptr (GKeyFile) r = run_wait (serve_args, n, 0, 5000, window_s,
        tls, TRUE);

    if (r == NULL)
      return FALSE;
    bench_agg_add_result (agg, r);
    g_free (protocols);
    protocols = g_key_file_get_string (r, "result", "server_protocols", NULL);
  }
  {
    CELL (agg, polls_per_s, "%.0f");
    CELL (agg, tasks_on_schedule, "%.0f");
    CELL (agg, tcp_opened, "%.0f");
    CELL (agg, client_cpu_share, "%.2f");
    CELL (agg, server_cpu_share, "%.2f");

    g_print ("| %u ms | %s | %s | %s |", delay_ms, tls ?
        "HTTPS, h2 offered" : "HTTP/1.1", limit, polls_per_s_cell);
    print_lateness_cells (agg);
    g_print (" %s of %u | %s | %s | %s | %s |\n", tasks_on_schedule_cell, n,
        tcp_opened_cell, client_cpu_share_cell, server_cpu_share_cell,
        protocols && protocols[0] ? protocols : "(not logged)");
  }
  return TRUE;
}

static int
table_b8 (const Options * options)
{
  const guint delays[] = { 100, 300 };
  g_autofree char *inherited = g_strdup (g_getenv
      ("JIMMY_MAX_REQUESTS_PER_ORIGIN"));
  g_auto (GStrv) limits = g_strsplit (options->limits, ",", -1);
  guint n = atoi (options->counts), window_s = options->quick ? 10 : 15;
  guint d, tls, l;

  g_print ("#### B8: a distant API, %u elements, poll-interval 5000 ms\n\n"
      "The API answers each request that long after it arrived "
      "(bench-delay-server; over TLS, nginx with HTTP/2 in front of it); "
      "the elements start evenly over the interval. "
      "\"default\" requests per origin: %s. %u run(s) per row, window "
      "%u s; median (min–max).\n\n", n, inherited ? inherited :
      "the poller's own default", options->runs, window_s);
  g_print ("| API delay | protocol | requests per origin "
      "| polls/s (of %.0f expected) "
      "| lateness p50 (ms) | p99 (ms) | max (ms) "
      "| tasks on a 5 s schedule (<= 50 ms late) | TCP connections opened "
      "| client CPU (cores) | server CPU (cores) "
      "| HTTP versions seen by nginx |\n"
      "|---|---|---|---|---|---|---|---|---|---|---|---|\n", n / 5.0);
  for (d = 0; d < G_N_ELEMENTS (delays); d++) {
    for (tls = 0; tls < 2; tls++) {
      for (l = 0; limits[l] != NULL; l++) {
        set_limit (limits[l], inherited);
        if (!b8_row (options, n, delays[d], tls, limits[l], window_s))
          return 1;
      }
    }
  }
  set_limit ("default", inherited);
  g_print ("\nTarget: 10000 tasks on a 5 s schedule at 100 ms "
      "(>= 2000 polls/s, p99 lateness <= 50 ms).\n");
  return 0;
}

int
main (int argc, char **argv)
{
  g_autofree char *table = NULL;
  g_autofree char *counts = NULL;
  g_autofree char *limits = NULL;
  gint runs = 5;
  gboolean quick = FALSE;
  GOptionEntry entries[] = {
    {"table", 0, 0, G_OPTION_ARG_STRING, &table,
        "b3, instructions, saturation, b5 or b8", "NAME"},
    {"runs", 0, 0, G_OPTION_ARG_INT, &runs, "Runs per row (5)", "R"},
    {"n", 0, 0, G_OPTION_ARG_STRING, &counts,
        "Element counts (b3: 1000,10000; b8: 10000)", "N,…"},
    {"limits", 0, 0, G_OPTION_ARG_STRING, &limits,
        "b8: requests per origin, comma-separated (default)", "L,…"},
    {"quick", 0, 0, G_OPTION_ARG_NONE, &quick, "Shorter windows", NULL},
    {NULL}
  };
  g_autoptr (GOptionContext) context = g_option_context_new ("- B3, B5, B8");
  g_autoptr (GError) error = NULL;
  Options options;

  /* Tables are UTF-8 (µs, en dashes): print them as such. */
  setlocale (LC_CTYPE, "");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error) || runs < 1
      || table == NULL) {
    g_printerr ("bench-scale: %s\n", error ? error->message :
        "--table b3|instructions|saturation|b5|b8 and --runs >= 1, "
        "please");
    return 2;
  }
  options = (Options) {
  .runs = runs,.quick = quick,.counts = counts ? counts :
        g_str_equal (table, "b8") ? "10000" : "1000,10000",.limits =
        limits ? limits : "default"};
  if (g_str_equal (table, "b3"))
    return table_b3 (&options);
  if (g_str_equal (table, "saturation"))
    return table_saturation (&options);
  if (g_str_equal (table, "instructions"))
    return table_instructions (&options);
  if (g_str_equal (table, "b5"))
    return table_b5 (&options);
  if (g_str_equal (table, "b8"))
    return table_b8 (&options);
  g_printerr ("bench-scale: no table %s: b3, instructions, saturation, b5 "
      "or b8\n", table);
  return 2;
}
