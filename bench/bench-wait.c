/* bench-wait.c: one run of N jimmyaudiosrc elements waiting in one
 * process, the child that B3, B5 and B8 run (under bench/serve.sh, which
 * gives it a server at $BENCH_API_URL and a network namespace of its own).
 *
 * N standalone elements (no sinks: only the element's own cost) wait on
 * tasks "scale_00000"… that stay "processing", each polling every
 * --interval ms. With --hung K, K more elements ("hung_…") wait on an
 * origin that accepts connections and never answers, with
 * request-timeout=0: their requests never end. Over a window in steady
 * state it measures, and prints as a "[result]" key file:
 *
 * - lateness of each poll of the N healthy tasks against its schedule
 *   (its first poll + k * interval), as the client sends it (BenchPolls);
 * - tasks kept on schedule: polled in every slot, each poll at most
 *   --bound ms late;
 * - polls sent and answered per second, CPU per poll (getrusage over the
 *   window / polls answered), the server's CPU share;
 * - threads added, RSS per element (object, and what waiting adds);
 * - TCP connections opened (the namespace's ActiveOpens) and established;
 * - time to set all PAUSED, until every element knows its status (from
 *   the last PAUSED with --spread), to set all NULL, and until the poller
 *   thread is gone.
 *
 * By default the N start together, so their schedules are aligned and
 * every interval begins with a burst of N polls; --spread starts them
 * evenly over one interval, as tasks created at random times would be.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "bench-common.h"

#include <locale.h>

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#define POLLER_EXIT_TIMEOUT_US (60 * G_USEC_PER_SEC)

typedef struct {
  guint n;
  guint hung;
  guint interval_ms;
  guint window_s;
  guint settle_s;
  guint known_timeout_s;        /* give up waiting for all statuses */
  gboolean spread;              /* start over one interval */
  gboolean insecure;
} Config;

/* An origin that accepts connections (the kernel does, from the listen
 * backlog) and never reads or answers. */
static char *
open_hung_origin (int *fd_out)
{
  struct sockaddr_in addr = { 0 };
  socklen_t len = sizeof addr;
  int fd = socket (AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);

  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl (INADDR_LOOPBACK);
  if (fd < 0 || bind (fd, (struct sockaddr *) &addr, sizeof addr) < 0
      || listen (fd, 4096) < 0
      || getsockname (fd, (struct sockaddr *) &addr, &len) < 0)
    g_error ("cannot open the hung origin: %s", g_strerror (errno));
  *fd_out = fd;
  return g_strdup_printf ("http://127.0.0.1:%u", ntohs (addr.sin_port));
}

static GstElement *
make_element (const Config * config, const char *task_id, const char *url,
    gboolean hung)
{
  GstElement *element = gst_element_factory_make ("jimmyaudiosrc", NULL);

  g_object_set (element, "task-id", task_id, "api-url", url,
      "api-key", BENCH_API_KEY, "poll-interval", config->interval_ms, NULL);
  if (hung)
    g_object_set (element, "request-timeout", 0, NULL);
  if (config->insecure)
    g_object_set (element, "ssl-strict", FALSE, NULL);
  return element;
}

/* Waits until each element knows its task's status (its "status"
 * property): its wait is attached and its task was polled once.
 * Returns how many do by @deadline_us. */
static guint
wait_for_statuses (GstElement ** elements, guint n, gint64 deadline_us)
{
  guint i = 0, known = 0;

  while (i < n) {
    g_autofree char *status = NULL;

    g_object_get (elements[i], "status", &status, NULL);
    if (status != NULL) {
      i++;
      known++;
      continue;
    }
    if (g_get_monotonic_time () > deadline_us) {
      i++;                      /* count the rest without waiting */
      continue;
    }
    g_usleep (2000);
  }
  return known;
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

static void
print_lateness (BenchPolls * polls)
{
  g_autoptr (GArray) late = bench_polls_lateness_ms (polls, "scale_");
  guint tasks, on_time = bench_polls_on_schedule (polls, "scale_",
      50.0, &tasks);

  g_print ("late_samples=%u\n", late->len);
  if (late->len > 0)
    g_print ("late_p50_ms=%.2f\nlate_p99_ms=%.2f\nlate_max_ms=%.2f\n",
        bench_percentile (late, 0.5), bench_percentile (late, 0.99),
        bench_max (late));
  g_print ("tasks=%u\ntasks_on_schedule=%u\n", tasks, on_time);
}

static int
run (const Config * config, const char *api_url)
{
  g_autofree char *hung_url = NULL;
  g_autofree char *names_before = NULL;
  g_autofree char *names_waiting = NULL;
  guint total = config->n + config->hung;
  GstElement **elements = g_new0 (GstElement *, total);
  GstElement *probe;
  BenchPolls *polls;
  guint threads_before, threads_waiting, established, i;
  gsize rss_before, rss_created, rss_waiting;
  guint64 opens_before, sent, answered;
  gint64 t, cpu_start, cpu_end, server_start, server_end, window_us;
  gint64 poller_start, poller_end;
  gdouble paused_ms, paused_cpu_ms, known_ms, null_ms, null_cpu_ms;
  gdouble poller_gone_ms;
  gboolean poller_gone;
  guint known;
  int hung_fd = -1;
  guint port = atoi (strrchr (api_url, ':') + 1);

  if (config->hung > 0)
    hung_url = open_hung_origin (&hung_fd);

  /* The plugin, its types and libsoup's are loaded once, not per
   * element; the hooks need SoupMessage's signals. */
  probe = gst_element_factory_make ("jimmyaudiosrc", NULL);
  gst_object_unref (probe);
  polls = bench_polls_install (config->interval_ms);

  threads_before = bench_thread_count ();
  names_before = bench_thread_names ();
  rss_before = bench_rss_bytes ();
  for (i = 0; i < total; i++) {
    gboolean hung = i >= config->n;
    g_autofree char *id = hung ? g_strdup_printf ("hung_%05u", i) :
        g_strdup_printf ("scale_%05u", i);

    elements[i] = make_element (config, id, hung ? hung_url : api_url, hung);
  }
  rss_created = bench_rss_bytes ();

  opens_before = bench_tcp_active_opens ();
  cpu_start = bench_thread_cpu_time_us ();
  t = g_get_monotonic_time ();
  /* The hung ones first, so that they hold their slots when the healthy
   * ones start. With --spread the healthy ones start evenly over one
   * interval, so that their schedules have all phases, as tasks created
   * at random times do; otherwise all at once, aligned. */
  for (i = total; i-- > 0;) {
    if (config->spread && i < config->n) {
      gint64 due = t + (gint64) (config->n - 1 - i) * config->interval_ms *
          1000 / config->n;
      gint64 wait = due - g_get_monotonic_time ();

      if (wait > 0)
        g_usleep (wait);
    }
    if (gst_element_set_state (elements[i], GST_STATE_PAUSED) !=
        GST_STATE_CHANGE_ASYNC)
      g_printerr ("bench-wait: element %u did not go ASYNC\n", i);
  }
  paused_ms = ELAPSED_MS (t);
  paused_cpu_ms = (bench_thread_cpu_time_us () - cpu_start) / 1000.0;
  if (config->spread)
    t = g_get_monotonic_time ();        /* known_ms: from the last start */
  known = wait_for_statuses (elements, config->n, t +
      config->known_timeout_s * G_USEC_PER_SEC);
  known_ms = ELAPSED_MS (t);
  g_usleep (config->settle_s * G_USEC_PER_SEC);

  threads_waiting = bench_thread_count ();
  names_waiting = bench_thread_names ();
  rss_waiting = bench_rss_bytes ();

  /* The window: only the poller (and GLib's worker) run here meanwhile. */
  server_start = bench_server_cpu_time_us ();
  poller_start = bench_named_threads_cpu_time_us ("jimmy-poller");
  bench_polls_start_window (polls);
  cpu_start = bench_cpu_time_us ();
  t = g_get_monotonic_time ();
  g_usleep (config->window_s * G_USEC_PER_SEC);
  cpu_end = bench_cpu_time_us ();
  window_us = g_get_monotonic_time () - t;
  bench_polls_stop_window (polls);
  poller_end = bench_named_threads_cpu_time_us ("jimmy-poller");
  server_end = bench_server_cpu_time_us ();
  sent = bench_polls_sent (polls);
  answered = bench_polls_finished (polls);
  /* Reading /proc/net/tcp costs milliseconds: not inside the window. */
  established = bench_tcp_established_to_port (port);

  cpu_start = bench_thread_cpu_time_us ();
  t = g_get_monotonic_time ();
  for (i = 0; i < total; i++)
    gst_element_set_state (elements[i], GST_STATE_NULL);
  null_ms = ELAPSED_MS (t);
  null_cpu_ms = (bench_thread_cpu_time_us () - cpu_start) / 1000.0;
  poller_gone = wait_for_poller_exit (t + POLLER_EXIT_TIMEOUT_US);
  poller_gone_ms = ELAPSED_MS (t);

  g_print ("[result]\nn=%u\nhung=%u\ninterval_ms=%u\nspread=%d\n",
      config->n, config->hung, config->interval_ms, config->spread);
  g_print ("window_s=%.3f\n", window_us / 1e6);
  g_print ("polls_per_s=%.1f\nanswers_per_s=%.1f\n", sent * 1e6 / window_us,
      answered * 1e6 / window_us);
  g_print ("expected_per_s=%.1f\n", config->n * 1000.0 / config->interval_ms);
  g_print ("cpu_per_poll_us=%.1f\n", answered ? (gdouble) (cpu_end -
          cpu_start) / answered : 0);
  g_print ("poller_cpu_per_poll_us=%.1f\n", answered ? (gdouble)
      (poller_end - poller_start) / answered : 0);
  g_print ("client_cpu_share=%.3f\n", (gdouble) (cpu_end - cpu_start) /
      window_us);
  g_print ("server_cpu_share=%.3f\n", (gdouble) (server_end - server_start) /
      window_us);
  print_lateness (polls);
  g_print ("threads_added=%u\n", threads_waiting - threads_before);
  g_print ("names_before=%s\nnames_waiting=%s\n", names_before,
      names_waiting);
  g_print ("object_kib=%.2f\nwaiting_kib=%.2f\n",
      (rss_created - rss_before) / 1024.0 / total,
      ((gdouble) rss_waiting - rss_created) / 1024.0 / total);
  g_print ("rss_total_kib=%.1f\n", ((gdouble) rss_waiting - rss_before) /
      1024.0);
  g_print ("tcp_opened=%" G_GUINT64_FORMAT "\ntcp_established=%u\n",
      bench_tcp_active_opens () - opens_before, established);
  g_print ("paused_ms=%.1f\npaused_cpu_ms=%.1f\n", paused_ms, paused_cpu_ms);
  g_print ("known_ms=%.1f\nknown_count=%u\n", known_ms, known);
  g_print ("null_ms=%.1f\nnull_cpu_ms=%.1f\n", null_ms, null_cpu_ms);
  g_print ("poller_gone_ms=%.1f\npoller_gone=%d\n", poller_gone_ms,
      poller_gone);

  for (i = 0; i < total; i++)
    gst_object_unref (elements[i]);
  g_free (elements);
  if (hung_fd >= 0)
    close (hung_fd);
  /* Elements that never learnt their status (B5's starved ones) are a
   * result too: known_count says how many knew. */
  return 0;
}

int
main (int argc, char **argv)
{
  gint n = 1000, hung = 0, interval_ms = 5000, window_s = 15, settle_s = 2;
  gint known_timeout_s = 180;
  gboolean insecure = FALSE, spread = FALSE;
  GOptionEntry entries[] = {
    {"n", 0, 0, G_OPTION_ARG_INT, &n, "Healthy elements (1000)", "N"},
    {"hung", 0, 0, G_OPTION_ARG_INT, &hung,
        "Elements on a hung origin, request-timeout=0 (0)", "K"},
    {"interval", 0, 0, G_OPTION_ARG_INT, &interval_ms,
        "poll-interval in ms (5000)", "MS"},
    {"window", 0, 0, G_OPTION_ARG_INT, &window_s,
        "Measuring window in s (15)", "S"},
    {"settle", 0, 0, G_OPTION_ARG_INT, &settle_s,
        "Wait after all know their status, in s (2)", "S"},
    {"known-timeout", 0, 0, G_OPTION_ARG_INT, &known_timeout_s,
        "How long to wait for every element to know its status (180)", "S"},
    {"spread", 0, 0, G_OPTION_ARG_NONE, &spread,
        "Start the N over one interval, not all at once", NULL},
    {"insecure", 0, 0, G_OPTION_ARG_NONE, &insecure,
        "ssl-strict=false (for serve.sh --tls)", NULL},
    {NULL}
  };
  g_autoptr (GOptionContext) context = g_option_context_new ("- N waiting "
      "elements");
  g_autoptr (GError) error = NULL;
  const char *api_url;
  Config config;

  /* Tables are UTF-8 (µs, en dashes): print them as such. */
  setlocale (LC_CTYPE, "");
  g_option_context_add_main_entries (context, entries, NULL);
  g_option_context_add_group (context, gst_init_get_option_group ());
  if (!g_option_context_parse (context, &argc, &argv, &error)
      || n < 1 || n > 100000 || hung < 0 || hung > 10000
      || interval_ms < 10 || window_s < 1 || window_s > 600) {
    g_printerr ("bench-wait: %s\n", error ? error->message :
        "1 <= N <= 100000, K <= 10000, --interval >= 10, 1 <= --window <= "
        "600, please");
    return 2;
  }
  if (gst_element_factory_find ("jimmyaudiosrc") == NULL) {
    g_printerr ("bench-wait: no jimmyaudiosrc: run bench/run.sh\n");
    return 2;
  }
  if ((api_url = bench_api_url ()) == NULL)
    return 2;

  config = (Config) {
  .n = n,.hung = hung,.interval_ms = interval_ms,.window_s = window_s,
        .settle_s = settle_s,.known_timeout_s = MAX (known_timeout_s, 1),
        .insecure = insecure,.spread = spread};
  return run (&config, api_url);
}
