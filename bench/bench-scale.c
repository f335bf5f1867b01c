/* bench-scale.c: B3, thousands of elements waiting in one process.
 *
 * N jimmyaudiosrc elements (standalone, no sinks: only the element's own
 * cost is measured) wait on tasks that stay "processing", polling every
 * second, against a jimmy-mock-server process of its own, so that this
 * process's CPU is the elements' alone. Over a window in steady state it
 * measures:
 *
 * - threads added, counted in /proc/self/task, and their names;
 * - RSS per element, from /proc/self/statm: the element object in NULL,
 *   and what waiting adds;
 * - CPU per poll: this process's CPU time (getrusage) over the window,
 *   divided by the polls the mock answered in it (one log line each),
 *   and the poller thread's share (/proc/self/task/TID/schedstat);
 * - polls per second achieved, against N per second expected;
 * - TCP connections opened (ActiveOpens of the network namespace, from
 *   the first PAUSED to the end of the window) and established to the
 *   mock right after the window;
 * - the mock's own CPU (/proc/PID/stat);
 * - the time to set every element PAUSED, until every element knew its
 *   task's status (its "status" property), to set them all back to NULL,
 *   and until the poller thread ended.
 *
 * Each N runs in a child process (this program with --child) so that
 * one run's memory does not blur the next one's RSS. "distinct" gives
 * every element its own task id; "coalesced" gives all of them the same
 * one, which the poller merges into a single poll per interval.
 *
 * For reference, a last row measures libsoup alone: one SoupSession with
 * the poller's connection limit, 8 GETs of the same API path always in
 * flight, each body read whole and dropped. That is the floor under the
 * poller's CPU per poll, whatever jimmyaudiosrc does.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "bench-common.h"

#include <stdlib.h>
#include <string.h>

#include <libsoup/soup.h>

#define WAIT_TIMEOUT_US (120 * G_USEC_PER_SEC)
#define SETTLE_US (2 * G_USEC_PER_SEC)

typedef struct {
  guint n;
  gboolean coalesced;
  gboolean soup_floor;
  guint interval_ms;
  guint window_s;
  const char *workdir;
} Config;

/* ---------------------------------------------------------------------- */
/* The child: one N, one mode */

static GstElement **
make_elements (const Config * config, const char *base_url)
{
  GstElement **elements = g_new0 (GstElement *, config->n);
  guint i;

  for (i = 0; i < config->n; i++) {
    g_autofree char *task_id = config->coalesced ?
        g_strdup ("scale_shared") : g_strdup_printf ("scale_%05u", i);

    elements[i] = gst_element_factory_make ("jimmyaudiosrc", NULL);
    g_object_set (elements[i], "task-id", task_id, "api-url", base_url,
        "api-key", BENCH_API_KEY, "poll-interval", config->interval_ms,
        NULL);
  }
  return elements;
}

/* Waits until every element knows its task's status: its wait is
 * attached on the poller thread and its task was polled at least once. */
static gboolean
wait_for_statuses (GstElement ** elements, guint n, gint64 deadline_us)
{
  guint i = 0;

  while (i < n) {
    g_autofree char *status = NULL;

    g_object_get (elements[i], "status", &status, NULL);
    if (status != NULL) {
      i++;
      continue;
    }
    if (g_get_monotonic_time () > deadline_us)
      return FALSE;
    g_usleep (2000);
  }
  return TRUE;
}

/* GLib's "gmain" worker, once started, stays: wait for the poller's. */
static gboolean
wait_for_poller_exit (gint64 deadline_us)
{
  while (TRUE) {
    g_autofree char *names = bench_thread_names ();

    if (strstr (names, "jimmy-poller") == NULL)
      return TRUE;
    if (g_get_monotonic_time () > deadline_us)
      return FALSE;
    g_usleep (200);
  }
}

#define ELAPSED_MS(since) ((g_get_monotonic_time () - (since)) / 1000.0)

static int
run_child (const Config * config)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *log_path = NULL;
  g_autofree char *names_before = NULL;
  g_autofree char *names_waiting = NULL;
  const char *mock_args[] = { "--script=processing", NULL };
  GstElement **elements, *probe;
  BenchMock *mock;
  guint threads_before, threads_waiting, established, i;
  gsize rss_before, rss_created, rss_waiting;
  guint64 opens_before, lines_start, lines_end;
  gint64 t, cpu_start, cpu_end, mock_cpu_start, mock_cpu_end, window_us;
  gint64 poller_cpu_start, poller_cpu_end, threads_cpu_start;
  gint64 threads_cpu_end;
  gdouble paused_ms, first_round_ms, null_ms, poller_gone_ms;
  gdouble paused_cpu_ms, null_cpu_ms;
  gboolean polled_once, poller_gone;

  log_path = g_strdup_printf ("%s/bench-scale-mock-%u-%s.log",
      config->workdir, config->n, config->coalesced ? "coalesced" :
      "distinct");
  mock = bench_mock_spawn (mock_args, log_path, &error);
  if (mock == NULL) {
    g_printerr ("bench-scale: %s\n", error->message);
    return 1;
  }

  /* Load the plugin and its types first: they are not per element. */
  probe = gst_element_factory_make ("jimmyaudiosrc", NULL);
  gst_object_unref (probe);

  threads_before = bench_thread_count ();
  names_before = bench_thread_names ();
  rss_before = bench_rss_bytes ();
  elements = make_elements (config, mock->base_url);
  rss_created = bench_rss_bytes ();

  opens_before = bench_tcp_active_opens ();
  cpu_start = bench_thread_cpu_time_us ();
  t = g_get_monotonic_time ();
  for (i = 0; i < config->n; i++) {
    if (gst_element_set_state (elements[i], GST_STATE_PAUSED) !=
        GST_STATE_CHANGE_ASYNC)
      g_printerr ("bench-scale: element %u did not go ASYNC\n", i);
  }
  paused_ms = ELAPSED_MS (t);
  paused_cpu_ms = (bench_thread_cpu_time_us () - cpu_start) / 1000.0;
  polled_once = wait_for_statuses (elements, config->n, t + WAIT_TIMEOUT_US);
  first_round_ms = ELAPSED_MS (t);
  g_usleep (SETTLE_US);

  threads_waiting = bench_thread_count ();
  names_waiting = bench_thread_names ();
  rss_waiting = bench_rss_bytes ();

  /* The window: only our own threads run in this process meanwhile. */
  lines_start = bench_mock_count_lines (mock);
  mock_cpu_start = bench_process_cpu_time_us (mock->pid);
  poller_cpu_start = bench_named_threads_cpu_time_us ("jimmy-poller");
  threads_cpu_start = bench_named_threads_cpu_time_us (NULL);
  cpu_start = bench_cpu_time_us ();
  t = g_get_monotonic_time ();
  g_usleep (config->window_s * G_USEC_PER_SEC);
  cpu_end = bench_cpu_time_us ();
  window_us = g_get_monotonic_time () - t;
  threads_cpu_end = bench_named_threads_cpu_time_us (NULL);
  poller_cpu_end = bench_named_threads_cpu_time_us ("jimmy-poller");
  mock_cpu_end = bench_process_cpu_time_us (mock->pid);
  lines_end = bench_mock_count_lines (mock);
  /* Reading /proc/net/tcp costs milliseconds: not inside the window. */
  established = bench_tcp_established_to_port (mock->port);

  cpu_start = bench_thread_cpu_time_us ();
  t = g_get_monotonic_time ();
  for (i = 0; i < config->n; i++)
    gst_element_set_state (elements[i], GST_STATE_NULL);
  null_ms = ELAPSED_MS (t);
  null_cpu_ms = (bench_thread_cpu_time_us () - cpu_start) / 1000.0;
  poller_gone = wait_for_poller_exit (t + WAIT_TIMEOUT_US);
  poller_gone_ms = ELAPSED_MS (t);

  g_print ("[result]\n");
  g_print ("n=%u\nmode=%s\n", config->n, config->coalesced ? "coalesced" :
      "distinct");
  g_print ("polled_once=%s\n", polled_once ? "true" : "false");
  g_print ("polls=%" G_GUINT64_FORMAT "\n", lines_end - lines_start);
  g_print ("window_us=%" G_GINT64_FORMAT "\n", window_us);
  g_print ("cpu_us=%" G_GINT64_FORMAT "\n", cpu_end - cpu_start);
  g_print ("poller_cpu_us=%" G_GINT64_FORMAT "\n", poller_cpu_end -
      poller_cpu_start);
  g_print ("threads_cpu_us=%" G_GINT64_FORMAT "\n", threads_cpu_end -
      threads_cpu_start);
  g_print ("mock_cpu_us=%" G_GINT64_FORMAT "\n", mock_cpu_end -
      mock_cpu_start);
  g_print ("threads_before=%u\nthreads_waiting=%u\n", threads_before,
      threads_waiting);
  g_print ("names_before=%s\nnames_waiting=%s\n", names_before,
      names_waiting);
  g_print ("rss_before=%zu\nrss_created=%zu\nrss_waiting=%zu\n", rss_before,
      rss_created, rss_waiting);
  g_print ("tcp_opened=%" G_GUINT64_FORMAT "\n", bench_tcp_active_opens () -
      opens_before);
  g_print ("tcp_established=%u\n", established);
  g_print ("paused_ms=%.1f\npaused_cpu_ms=%.1f\nfirst_round_ms=%.1f\n",
      paused_ms, paused_cpu_ms, first_round_ms);
  g_print ("null_ms=%.1f\nnull_cpu_ms=%.1f\npoller_gone=%s\n"
      "poller_gone_ms=%.1f\n", null_ms, null_cpu_ms,
      poller_gone ? "true" : "false", poller_gone_ms);

  for (i = 0; i < config->n; i++)
    gst_object_unref (elements[i]);
  g_free (elements);
  bench_mock_stop (mock);
  return 0;
}

/* ---------------------------------------------------------------------- */
/* The child for the libsoup floor */

#define FLOOR_IN_FLIGHT 8

typedef struct {
  SoupSession *session;
  char *url;
  gint64 deadline_us;
  guint64 done;
  guint in_flight;
  GMainLoop *loop;
} Floor;

static void floor_send (Floor * floor);

static void
on_floor_read (GObject * source, GAsyncResult * result, gpointer user_data)
{
  Floor *floor = user_data;
  g_autoptr (GBytes) body = NULL;
  g_autoptr (GError) error = NULL;

  body = soup_session_send_and_read_finish (SOUP_SESSION (source), result,
      &error);
  if (body == NULL)
    g_printerr ("bench-scale: libsoup floor: %s\n", error->message);
  floor->done++;
  floor->in_flight--;
  if (g_get_monotonic_time () < floor->deadline_us)
    floor_send (floor);
  else if (floor->in_flight == 0)
    g_main_loop_quit (floor->loop);
}

static void
floor_send (Floor * floor)
{
  g_autoptr (SoupMessage) msg = soup_message_new (SOUP_METHOD_GET,
      floor->url);

  soup_message_headers_append (soup_message_get_request_headers (msg),
      "Authorization", "Bearer " BENCH_API_KEY);
  floor->in_flight++;
  soup_session_send_and_read_async (floor->session, msg, G_PRIORITY_DEFAULT,
      NULL, on_floor_read, floor);
}

/* Runs the loop on this thread until @until_us; returns requests done. */
static guint64
floor_run (Floor * floor, gint64 until_us)
{
  guint i;

  floor->done = 0;
  floor->deadline_us = until_us;
  for (i = 0; i < FLOOR_IN_FLIGHT; i++)
    floor_send (floor);
  g_main_loop_run (floor->loop);
  return floor->done;
}

static int
run_floor_child (const Config * config)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *log_path = NULL;
  const char *mock_args[] = { "--script=processing", NULL };
  guint64 opens_before, done;
  gint64 t, cpu_start, cpu_end, mock_cpu_start, mock_cpu_end;
  BenchMock *mock;
  Floor floor = { 0 };

  log_path = g_strdup_printf ("%s/bench-scale-mock-floor.log",
      config->workdir);
  mock = bench_mock_spawn (mock_args, log_path, &error);
  if (mock == NULL) {
    g_printerr ("bench-scale: %s\n", error->message);
    return 1;
  }
  floor.session = soup_session_new_with_options ("max-conns",
      FLOOR_IN_FLIGHT, "max-conns-per-host", FLOOR_IN_FLIGHT,
      "proxy-resolver", NULL, NULL);
  floor.url = g_strdup_printf ("%s" BENCH_API_PREFIX "floor",
      mock->base_url);
  floor.loop = g_main_loop_new (NULL, FALSE);

  opens_before = bench_tcp_active_opens ();
  /* Warm up, as the elements get SETTLE_US. */
  floor_run (&floor, g_get_monotonic_time () + SETTLE_US);

  mock_cpu_start = bench_process_cpu_time_us (mock->pid);
  cpu_start = bench_cpu_time_us ();
  t = g_get_monotonic_time ();
  done = floor_run (&floor, t + config->window_s * G_USEC_PER_SEC);
  cpu_end = bench_cpu_time_us ();
  t = g_get_monotonic_time () - t;
  mock_cpu_end = bench_process_cpu_time_us (mock->pid);

  g_print ("[result]\nn=%u\npolls=%" G_GUINT64_FORMAT "\nwindow_us=%"
      G_GINT64_FORMAT "\ncpu_us=%" G_GINT64_FORMAT "\nmock_cpu_us=%"
      G_GINT64_FORMAT "\ntcp_opened=%" G_GUINT64_FORMAT "\n", FLOOR_IN_FLIGHT,
      done, t, cpu_end - cpu_start, mock_cpu_end - mock_cpu_start,
      bench_tcp_active_opens () - opens_before);

  g_main_loop_unref (floor.loop);
  g_free (floor.url);
  g_object_unref (floor.session);
  bench_mock_stop (mock);
  return 0;
}

/* ---------------------------------------------------------------------- */
/* The parent: one child per row */

/* TCP counts are only ours in a network namespace of our own: the
 * children run in one when unshare(1) allows it, with only loopback. */
static gboolean
can_unshare_net (void)
{
  gint status = -1;

  if (!g_spawn_command_line_sync ("unshare --net -- ip link set lo up",
          NULL, NULL, &status, NULL))
    return FALSE;
  return g_spawn_check_wait_status (status, NULL);
}

static GKeyFile *
run_in_child (const Config * config, gboolean private_net)
{
  g_autoptr (GSubprocess) child = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (GKeyFile) result = g_key_file_new ();
  g_autoptr (GPtrArray) argv = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *exe = g_file_read_link ("/proc/self/exe", NULL);
  g_autofree char *out = NULL;

  if (private_net) {
    g_ptr_array_add (argv, g_strdup ("unshare"));
    g_ptr_array_add (argv, g_strdup ("--net"));
    g_ptr_array_add (argv, g_strdup ("--"));
    g_ptr_array_add (argv, g_strdup ("sh"));
    g_ptr_array_add (argv, g_strdup ("-c"));
    g_ptr_array_add (argv, g_strdup ("ip link set lo up && exec \"$@\""));
    g_ptr_array_add (argv, g_strdup ("sh"));
  }
  g_ptr_array_add (argv, g_strdup (exe));
  g_ptr_array_add (argv, g_strdup ("--child"));
  g_ptr_array_add (argv, g_strdup_printf ("--n=%u", config->n));
  g_ptr_array_add (argv, g_strdup_printf ("--interval=%u",
          config->interval_ms));
  g_ptr_array_add (argv, g_strdup_printf ("--window=%u", config->window_s));
  g_ptr_array_add (argv, g_strdup_printf ("--workdir=%s", config->workdir));
  g_ptr_array_add (argv, g_strdup (config->soup_floor ? "--soup-floor" :
          config->coalesced ? "--coalesced" : "--distinct"));
  g_ptr_array_add (argv, NULL);

  child = g_subprocess_newv ((const char *const *) argv->pdata,
      G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error);
  if (child == NULL
      || !g_subprocess_communicate_utf8 (child, NULL, NULL, &out, NULL,
          &error)
      || !g_subprocess_get_successful (child)
      || !g_key_file_load_from_data (result, out, -1, G_KEY_FILE_NONE,
          &error)) {
    g_printerr ("bench-scale: N = %u failed: %s\n", config->n,
        error ? error->message : "the child failed");
    return NULL;
  }
  return g_steal_pointer (&result);
}

static gdouble
get (GKeyFile * result, const char *key)
{
  return g_key_file_get_double (result, "result", key, NULL);
}

static void
print_row (GKeyFile * r, const Config * config)
{
  gdouble n = get (r, "n"), window_s = get (r, "window_us") / 1e6;
  gdouble polls = get (r, "polls");
  gdouble expected = (config->coalesced ? 1 : n) * 1000.0 /
      config->interval_ms;
  gdouble object_kib = (get (r, "rss_created") - get (r, "rss_before")) /
      1024.0 / n;
  gdouble waiting_kib = (get (r, "rss_waiting") - get (r, "rss_created")) /
      1024.0 / n;

  g_print ("| %.0f | %s | %.1f (%.1f) | %.1f / %.1f / %.1f | %.0f%% | %.0f "
      "| %.2f + %.2f = %.2f | %.0f / %.0f | %.1f / %.1f | %.0f%s "
      "| %.1f / %.1f | %.0f%s |\n", n,
      config->coalesced ? "one shared" : "distinct", polls / window_s,
      expected, polls > 0 ? get (r, "cpu_us") / polls : 0,
      polls > 0 ? get (r, "threads_cpu_us") / polls : 0,
      polls > 0 ? get (r, "poller_cpu_us") / polls : 0,
      100 * get (r, "mock_cpu_us") / 1e6 / window_s,
      get (r, "threads_waiting") - get (r, "threads_before"), object_kib,
      waiting_kib, object_kib + waiting_kib, get (r, "tcp_opened"),
      get (r, "tcp_established"), get (r, "paused_ms"),
      get (r, "paused_cpu_ms"), get (r, "first_round_ms"),
      g_key_file_get_boolean (r, "result", "polled_once", NULL) ? "" :
      " (timed out)", get (r, "null_ms"), get (r, "null_cpu_ms"),
      get (r, "poller_gone_ms"), g_key_file_get_boolean (r, "result",
          "poller_gone", NULL) ? "" : " (timed out)");
}

static void
print_floor_row (GKeyFile * r)
{
  gdouble window_s = get (r, "window_us") / 1e6, polls = get (r, "polls");

  g_print ("| - | libsoup alone, %.0f in flight | %.1f (as fast as it goes) "
      "| %.1f / - / - | %.0f%% | - | - | %.0f / - | - | - | - | - |\n",
      get (r, "n"),
      polls / window_s, polls > 0 ? get (r, "cpu_us") / polls : 0,
      100 * get (r, "mock_cpu_us") / 1e6 / window_s, get (r, "tcp_opened"));
}

static int
run_parent (Config * config, const char *counts)
{
  g_auto (GStrv) ns = g_strsplit (counts, ",", -1);
  g_autofree char *names_before = NULL;
  g_autofree char *names_waiting = NULL;
  g_autoptr (GKeyFile) floor = NULL;
  gboolean private_net = can_unshare_net ();
  g_autoptr (GString) slopes = g_string_new (NULL);
  guint i, mode;

  bench_print_machine ();
  g_print ("\n### B3 scale: N elements waiting on `processing` tasks, "
      "poll-interval %u ms, %u s window in steady state\n\n",
      config->interval_ms, config->window_s);
  g_print ("| N | task ids | polls/s (expected) | CPU per poll, us: "
      "process / threads / poller thread | mock CPU | threads added "
      "| RSS per element, KiB: object + waiting = total "
      "| TCP opened / established | all PAUSED, ms wall / CPU "
      "| all know their status (ms) | all NULL, ms wall / CPU "
      "| poller thread gone (ms) |\n"
      "|---|---|---|---|---|---|---|---|---|---|---|---|\n");

  for (mode = 0; mode < 2; mode++) {
    gdouble last_n = 0, last_rss = 0;

    for (i = 0; ns[i] != NULL; i++) {
      g_autoptr (GKeyFile) result = NULL;
      gdouble rss;

      config->n = atoi (ns[i]);
      config->coalesced = mode == 1;
      result = run_in_child (config, private_net);
      if (result == NULL)
        return 1;
      print_row (result, config);
      /* The slope between two N leaves out the fixed costs (the thread,
       * the session) that the per-element averages spread around. */
      rss = get (result, "rss_waiting") - get (result, "rss_before");
      if (last_n > 0)
        g_string_append_printf (slopes, "%s, N = %.0f to %u: %.2f KiB; ",
            mode == 1 ? "one shared id" : "distinct ids", last_n, config->n,
            (rss - last_rss) / 1024.0 / (config->n - last_n));
      last_n = config->n;
      last_rss = rss;
      if (names_before == NULL) {
        names_before = g_key_file_get_string (result, "result",
            "names_before", NULL);
        names_waiting = g_key_file_get_string (result, "result",
            "names_waiting", NULL);
      }
    }
  }
  config->soup_floor = TRUE;
  floor = run_in_child (config, private_net);
  if (floor == NULL)
    return 1;
  print_floor_row (floor);

  g_print ("\nMarginal RSS per waiting element (object + waiting), "
      "between two runs: %s\n", slopes->str);
  g_print ("CPU per poll: the process's from getrusage (threads that "
      "ended count too); the live threads' and the poller thread's from "
      "/proc/self/task/TID/schedstat.\n");
  g_print ("CPU of all PAUSED / all NULL: the calling thread's only "
      "(getrusage RUSAGE_THREAD); the poller thread's share is not in it.\n");
  g_print ("TCP connections opened: ActiveOpens of %s, from the first "
      "PAUSED to the end of the window; established: to the mock, "
      "right after the window.\n", private_net ? "a network namespace of "
      "the run's own"
      " (only this process and its mock in it)" : "the shared network "
      "namespace (unshare failed: other processes count too)");
  g_print ("Threads before the first element started: %s.\n"
      "Threads while N = %s elements wait: %s.\n", names_before, ns[0],
      names_waiting);
  g_print ("Targets: threads added <= 4; RSS <= 10 KiB per waiting element;"
      " CPU <= 50 us per poll; TCP connections opened <= 8; all NULL <= "
      "200 ms at N = 10000.\n");
  return 0;
}

int
main (int argc, char **argv)
{
  g_autofree char *counts = g_strdup ("100,1000,10000");
  g_autofree char *workdir = NULL;
  gboolean child = FALSE, coalesced = FALSE, distinct = FALSE;
  gboolean soup_floor = FALSE;
  gint interval_ms = 1000, window_s = 10;
  GOptionEntry entries[] = {
    {"n", 0, 0, G_OPTION_ARG_STRING, &counts,
        "Element counts, comma-separated (default 100,1000,10000)", "N,…"},
    {"interval", 0, 0, G_OPTION_ARG_INT, &interval_ms,
        "poll-interval in ms (default 1000)", "MS"},
    {"window", 0, 0, G_OPTION_ARG_INT, &window_s,
        "Measuring window in s (default 10)", "S"},
    {"workdir", 0, 0, G_OPTION_ARG_FILENAME, &workdir,
        "Where the mock's logs go (default: the temp dir)", "DIR"},
    {"child", 0, G_OPTION_FLAG_HIDDEN, G_OPTION_ARG_NONE, &child, NULL, NULL},
    {"coalesced", 0, G_OPTION_FLAG_HIDDEN, G_OPTION_ARG_NONE, &coalesced,
        NULL, NULL},
    {"distinct", 0, G_OPTION_FLAG_HIDDEN, G_OPTION_ARG_NONE, &distinct,
        NULL, NULL},
    {"soup-floor", 0, G_OPTION_FLAG_HIDDEN, G_OPTION_ARG_NONE, &soup_floor,
        NULL, NULL},
    {NULL}
  };
  g_autoptr (GOptionContext) context = g_option_context_new ("- B3");
  g_autoptr (GError) error = NULL;
  Config config = { 0 };

  g_option_context_add_main_entries (context, entries, NULL);
  g_option_context_add_group (context, gst_init_get_option_group ());
  if (!g_option_context_parse (context, &argc, &argv, &error)
      || interval_ms < 10 || window_s < 2 || window_s > 120) {
    g_printerr ("bench-scale: %s\n", error ? error->message :
        "--interval >= 10 and 2 <= --window <= 120, please");
    return 2;
  }
  if (gst_element_factory_find ("jimmyaudiosrc") == NULL) {
    g_printerr ("bench-scale: no jimmyaudiosrc: run bench/run.sh\n");
    return 2;
  }

  config.interval_ms = interval_ms;
  config.window_s = window_s;
  config.workdir = workdir ? workdir : g_get_tmp_dir ();
  if (!child)
    return run_parent (&config, counts);

  config.n = atoi (counts);
  config.coalesced = coalesced;
  if (soup_floor)
    return run_floor_child (&config);
  if (config.n < 1 || config.n > 100000) {
    g_printerr ("bench-scale: 1 <= N <= 100000, please\n");
    return 2;
  }
  return run_child (&config);
}
