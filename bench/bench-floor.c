/* bench-floor.c: the libsoup floor: a bare SoupSession GET of the same
 * response the element polls, and its CPU per request.
 *
 * One SoupSession on a main context of its own, on the main thread, GETs
 * BENCH_API_PREFIX "floor_NNNNN" (cycling over --ids distinct ids, as
 * distinct tasks are) from $BENCH_API_URL with the element's
 * Authorization header, reads each body whole and drops it: no element,
 * no poller, no JSON. At most --in-flight requests at once (the
 * session's connection limit too). With --rate R the requests are paced
 * at R per second, each sent when due on a timer, as the poller sends
 * polls when they fall due; with --rate 0 they go back to back. It runs
 * the same client-side hooks as bench-wait (BenchPolls), so the two CPU
 * figures differ only by what the element and poller add.
 *
 * It prints a "[result]" key file: requests per second, CPU per request
 * (getrusage of the whole process over the window), the server's share.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "bench-common.h"

#include <locale.h>

#include <math.h>

#include <libsoup/soup.h>

typedef struct {
  SoupSession *session;
  const char *base_url;
  guint ids;
  guint max_in_flight;
  gint64 period_us;             /* 0: back to back */
  gboolean insecure;
  GMainContext *context;
  GMainLoop *loop;
  GSource *timer;
  gint64 next_due_us;
  gint64 end_us;
  guint64 sent;
  guint64 done;
  guint64 failed;
  guint in_flight;
} Floor;

static void floor_pump (Floor * floor);

static gboolean
accept_any_certificate (SoupMessage * msg, GTlsCertificate * certificate,
    GTlsCertificateFlags errors, gpointer user_data)
{
  return TRUE;
}

static void
on_read (GObject * source, GAsyncResult * result, gpointer user_data)
{
  Floor *floor = user_data;
  g_autoptr (GBytes) body = NULL;
  g_autoptr (GError) error = NULL;

  body = soup_session_send_and_read_finish (SOUP_SESSION (source), result,
      &error);
  if (body == NULL && floor->failed++ == 0)
    g_printerr ("bench-floor: %s\n", error->message);
  floor->done++;
  floor->in_flight--;
  floor_pump (floor);
}

static void
floor_send (Floor * floor)
{
  g_autofree char *url = g_strdup_printf ("%s" BENCH_API_PREFIX
      "floor_%05u", floor->base_url, (guint) (floor->sent % floor->ids));
  g_autoptr (SoupMessage) msg = soup_message_new (SOUP_METHOD_GET, url);

  soup_message_headers_append (soup_message_get_request_headers (msg),
      "Authorization", "Bearer " BENCH_API_KEY);
  if (floor->insecure)
    g_signal_connect (msg, "accept-certificate",
        G_CALLBACK (accept_any_certificate), NULL);
  floor->sent++;
  floor->in_flight++;
  soup_session_send_and_read_async (floor->session, msg, G_PRIORITY_DEFAULT,
      NULL, on_read, floor);
}

static gboolean
on_timer (gpointer user_data)
{
  Floor *floor = user_data;

  g_source_unref (floor->timer);
  floor->timer = NULL;
  floor_pump (floor);
  return G_SOURCE_REMOVE;
}

/* Sends what is due and fits, then waits for the next due time or for a
 * request to end. */
static void
floor_pump (Floor * floor)
{
  gint64 now = g_get_monotonic_time ();

  if (now >= floor->end_us) {
    if (floor->in_flight == 0)
      g_main_loop_quit (floor->loop);
    return;
  }
  while (floor->in_flight < floor->max_in_flight
      && (floor->period_us == 0 || floor->next_due_us <= now)) {
    floor_send (floor);
    floor->next_due_us += floor->period_us;
  }
  if (floor->period_us > 0 && floor->timer == NULL
      && floor->in_flight < floor->max_in_flight) {
    gint64 wait_us = MAX (floor->next_due_us - now, 0);

    floor->timer = g_timeout_source_new ((guint) ((wait_us + 999) / 1000));
    g_source_set_callback (floor->timer, on_timer, floor, NULL);
    g_source_attach (floor->timer, floor->context);
  }
}

static void
floor_run (Floor * floor, gint64 duration_us)
{
  floor->next_due_us = g_get_monotonic_time ();
  floor->end_us = floor->next_due_us + duration_us;
  floor_pump (floor);
  g_main_loop_run (floor->loop);
  if (floor->timer != NULL) {
    g_source_destroy (floor->timer);
    g_clear_pointer (&floor->timer, g_source_unref);
  }
}

int
main (int argc, char **argv)
{
  gint in_flight = 8, ids = 1000, window_s = 10, settle_s = 2;
  gdouble rate = 0;
  gboolean insecure = FALSE;
  GOptionEntry entries[] = {
    {"rate", 0, 0, G_OPTION_ARG_DOUBLE, &rate,
        "Requests per second, paced (0: back to back)", "R"},
    {"in-flight", 0, 0, G_OPTION_ARG_INT, &in_flight,
        "Requests in flight at most, and connections (8)", "C"},
    {"ids", 0, 0, G_OPTION_ARG_INT, &ids, "Distinct task ids (1000)", "N"},
    {"window", 0, 0, G_OPTION_ARG_INT, &window_s, "Window in s (10)", "S"},
    {"settle", 0, 0, G_OPTION_ARG_INT, &settle_s, "Warm-up in s (2)", "S"},
    {"insecure", 0, 0, G_OPTION_ARG_NONE, &insecure,
        "Accept any certificate (for serve.sh --tls)", NULL},
    {NULL}
  };
  g_autoptr (GOptionContext) option_context = g_option_context_new ("- the "
      "libsoup floor");
  g_autoptr (GError) error = NULL;
  gint64 cpu_start, server_start, t, window_us;
  guint64 opens_before, done_before;
  Floor floor = { 0 };

  setlocale (LC_CTYPE, "");
  g_option_context_add_main_entries (option_context, entries, NULL);
  if (!g_option_context_parse (option_context, &argc, &argv, &error)
      || rate < 0 || in_flight < 1 || ids < 1 || window_s < 1) {
    g_printerr ("bench-floor: %s\n", error ? error->message :
        "--rate >= 0, --in-flight >= 1, --ids >= 1, --window >= 1");
    return 2;
  }
  if ((floor.base_url = bench_api_url ()) == NULL)
    return 2;

  floor.context = g_main_context_new ();
  g_main_context_push_thread_default (floor.context);
  floor.loop = g_main_loop_new (floor.context, FALSE);
  floor.session = soup_session_new_with_options ("max-conns", in_flight,
      "max-conns-per-host", in_flight, "proxy-resolver", NULL, NULL);
  floor.ids = ids;
  floor.max_in_flight = in_flight;
  floor.period_us = rate > 0 ? (gint64) llround (1e6 / rate) : 0;
  floor.insecure = insecure;
  bench_polls_install (1000);

  opens_before = bench_tcp_active_opens ();
  floor_run (&floor, settle_s * G_USEC_PER_SEC);

  done_before = floor.done;
  server_start = bench_server_cpu_time_us ();
  cpu_start = bench_cpu_time_us ();
  t = g_get_monotonic_time ();
  floor_run (&floor, window_s * G_USEC_PER_SEC);
  window_us = g_get_monotonic_time () - t;

  g_print ("[result]\nwindow_s=%.3f\nrequests_per_s=%.1f\n", window_us / 1e6,
      (floor.done - done_before) * 1e6 / window_us);
  g_print ("cpu_per_request_us=%.1f\n", floor.done > done_before ?
      (gdouble) (bench_cpu_time_us () - cpu_start) / (floor.done -
          done_before) : 0);
  g_print ("server_cpu_share=%.3f\n", (gdouble) (bench_server_cpu_time_us ()
          - server_start) / window_us);
  g_print ("failed=%" G_GUINT64_FORMAT "\ntcp_opened=%" G_GUINT64_FORMAT
      "\n", floor.failed, bench_tcp_active_opens () - opens_before);

  g_object_unref (floor.session);
  g_main_loop_unref (floor.loop);
  g_main_context_pop_thread_default (floor.context);
  g_main_context_unref (floor.context);
  return floor.failed > 0 ? 1 : 0;
}
