/* bench-live.c: B7, live mode (is-live=true).
 *
 * `jimmyaudiosrc is-live=true ! fakesink sync=true` waits on a task that
 * is "processing" and flips to "completed" --flip-ms after PLAYING (the
 * mock server in this process, serving the bundled speech MP3). Per run:
 *
 * - PLAYING to the first buffer at the sink (the silence, at once);
 * - at the switch from silence to the task's audio: the timestamp
 *   discontinuity, the switching buffer's PTS minus the previous buffer's
 *   PTS + duration (target 0), and the largest one over the whole run;
 * - the time from the first decoded buffer (the first buffer reaching the
 *   live stitch's sink pad, found inside the element) to its output
 *   (the first buffer leaving the stitch that holds the same memory, as
 *   the stitch passes decoded buffers on, or whose first bytes are the
 *   decoded ones when those are not silence).
 *
 * Until the element has the property, it prints that B7 is skipped.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "bench-common.h"

#include <locale.h>

#include <string.h>

#include "jimmy-mock-server.h"

#define TIMEOUT_US (20 * G_USEC_PER_SEC)
#define COMPARED_BYTES 64
#define BUFFERS_AFTER_SWITCH 20

typedef struct {
  GMutex lock;                  /* guards everything below */
  gint64 first_out_us;          /* first buffer at the sink */
  gint64 decoded_us;            /* first decoded buffer at the stitch */
  GstMemory *decoded_memory;    /* (owned) its first memory */
  guint8 decoded_head[COMPARED_BYTES];
  gsize decoded_len;
  gint64 switch_us;             /* it left the stitch */
  gint64 switch_gap_ns;
  gint64 max_gap_ns;
  GstClockTime last_end;        /* PTS + duration of the last output */
  guint after_switch;
} Run;

static gboolean head_is_silent (Run * run);

/* The stitch passes decoded buffers on, restamped: the same memory. If it
 * ever copied them, their first bytes would still tell, unless those are
 * silence too. */
static gboolean
starts_with_decoded (Run * run, GstBuffer * buffer)
{
  guint8 head[COMPARED_BYTES];
  gsize n;

  if (gst_buffer_n_memory (buffer) > 0
      && gst_buffer_peek_memory (buffer, 0) == run->decoded_memory)
    return TRUE;
  n = gst_buffer_extract (buffer, 0, head, run->decoded_len);
  return run->decoded_len > 0 && n == run->decoded_len
      && !head_is_silent (run) && memcmp (head, run->decoded_head, n) == 0;
}

static gboolean
head_is_silent (Run * run)
{
  gsize i;

  for (i = 0; i < run->decoded_len; i++) {
    if (run->decoded_head[i] != 0)
      return FALSE;
  }
  return TRUE;
}

static GstPadProbeReturn
on_decoded (GstPad * pad, GstPadProbeInfo * info, gpointer user_data)
{
  Run *run = user_data;
  GstBuffer *buffer = GST_PAD_PROBE_INFO_BUFFER (info);

  g_mutex_lock (&run->lock);
  if (run->decoded_us == 0) {
    run->decoded_us = g_get_monotonic_time ();
    run->decoded_len = gst_buffer_extract (buffer, 0, run->decoded_head,
        COMPARED_BYTES);
    if (gst_buffer_n_memory (buffer) > 0)
      run->decoded_memory = gst_memory_ref (gst_buffer_peek_memory (buffer,
              0));
  }
  g_mutex_unlock (&run->lock);
  return GST_PAD_PROBE_OK;
}

static GstPadProbeReturn
on_output (GstPad * pad, GstPadProbeInfo * info, gpointer user_data)
{
  Run *run = user_data;
  GstBuffer *buffer = GST_PAD_PROBE_INFO_BUFFER (info);
  GstClockTime pts = GST_BUFFER_PTS (buffer);
  gint64 now = g_get_monotonic_time ();
  gint64 gap = 0;

  g_mutex_lock (&run->lock);
  if (GST_CLOCK_TIME_IS_VALID (run->last_end) && GST_CLOCK_TIME_IS_VALID (pts))
    gap = GST_CLOCK_DIFF (run->last_end, pts);
  run->max_gap_ns = MAX (run->max_gap_ns, ABS (gap));
  if (run->switch_us == 0 && run->decoded_us > 0
      && starts_with_decoded (run, buffer)) {
    run->switch_us = now;
    run->switch_gap_ns = gap;
  } else if (run->switch_us > 0) {
    run->after_switch++;
  }
  if (GST_CLOCK_TIME_IS_VALID (pts) && GST_BUFFER_DURATION_IS_VALID (buffer))
    run->last_end = pts + GST_BUFFER_DURATION (buffer);
  g_mutex_unlock (&run->lock);
  return GST_PAD_PROBE_OK;
}

static GstPadProbeReturn
on_sink_buffer (GstPad * pad, GstPadProbeInfo * info, gpointer user_data)
{
  Run *run = user_data;

  g_mutex_lock (&run->lock);
  if (run->first_out_us == 0)
    run->first_out_us = g_get_monotonic_time ();
  g_mutex_unlock (&run->lock);
  return GST_PAD_PROBE_OK;
}

/* The live stitch inside jimmyaudiosrc, once it has built it. */
static GstElement *
find_stitch (GstElement * src)
{
  g_autoptr (GstIterator) it = gst_bin_iterate_recurse (GST_BIN (src));
  GValue item = G_VALUE_INIT;
  GstElement *found = NULL;

  while (found == NULL && gst_iterator_next (it, &item) == GST_ITERATOR_OK) {
    GstElement *element = g_value_get_object (&item);

    if (g_str_equal (G_OBJECT_TYPE_NAME (element), "GstJimmyLiveStitch"))
      found = gst_object_ref (element);
    g_value_reset (&item);
  }
  g_value_unset (&item);
  return found;
}

static void
watch_stitch (GstElement * src, Run * run)
{
  g_autoptr (GstElement) stitch = find_stitch (src);
  g_autoptr (GstPad) sink = NULL;
  g_autoptr (GstPad) out = NULL;

  if (stitch == NULL)
    return;
  sink = gst_element_get_static_pad (stitch, "sink");
  out = gst_element_get_static_pad (stitch, "src");
  gst_pad_add_probe (sink, GST_PAD_PROBE_TYPE_BUFFER, on_decoded, run, NULL);
  gst_pad_add_probe (out, GST_PAD_PROBE_TYPE_BUFFER, on_output, run, NULL);
  g_object_set_data (G_OBJECT (src), "bench-watched", GINT_TO_POINTER (1));
}

static gboolean
run_once (JimmyMockServer * mock, guint index, guint flip_ms, BenchAgg * agg)
{
  g_autofree char *task_id = g_strdup_printf ("live_%03u", index);
  g_autofree char *description = NULL;
  g_autoptr (GstElement) pipeline = NULL;
  g_autoptr (GstElement) src = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (GstBus) bus = NULL;
  Run run = {.last_end = GST_CLOCK_TIME_NONE };
  gint64 start, deadline;
  gboolean flipped = FALSE, done = FALSE;

  jimmy_mock_server_add_task (mock, task_id, "processing", NULL);
  description = g_strdup_printf ("jimmyaudiosrc name=src is-live=true "
      "task-id=%s api-url=%s api-key=" BENCH_API_KEY " poll-interval=100 ! "
      "fakesink name=sink sync=true", task_id,
      jimmy_mock_server_get_base_url (mock));
  pipeline = gst_parse_launch (description, &error);
  if (pipeline == NULL) {
    g_printerr ("bench-live: %s\n", error->message);
    return FALSE;
  }
  src = gst_bin_get_by_name (GST_BIN (pipeline), "src");
  bus = gst_element_get_bus (pipeline);
  g_mutex_init (&run.lock);
  {
    g_autoptr (GstElement) sink = gst_bin_get_by_name (GST_BIN (pipeline),
        "sink");
    g_autoptr (GstPad) pad = gst_element_get_static_pad (sink, "sink");

    gst_pad_add_probe (pad, GST_PAD_PROBE_TYPE_BUFFER, on_sink_buffer, &run,
        NULL);
  }

  start = g_get_monotonic_time ();
  deadline = start + TIMEOUT_US;
  gst_element_set_state (pipeline, GST_STATE_PLAYING);
  while (!done && g_get_monotonic_time () < deadline) {
    g_autoptr (GstMessage) message = gst_bus_timed_pop_filtered (bus,
        GST_MSECOND, GST_MESSAGE_ERROR | GST_MESSAGE_EOS);

    if (message != NULL && GST_MESSAGE_TYPE (message) == GST_MESSAGE_ERROR) {
      g_printerr ("bench-live: an error in run %u\n", index);
      break;
    }
    if (g_object_get_data (G_OBJECT (src), "bench-watched") == NULL)
      watch_stitch (src, &run);
    if (!flipped && g_get_monotonic_time () - start >= flip_ms * 1000) {
      jimmy_mock_server_add_task (mock, task_id, "completed", NULL);
      flipped = TRUE;
    }
    g_mutex_lock (&run.lock);
    done = run.after_switch >= BUFFERS_AFTER_SWITCH
        || (message != NULL && run.switch_us > 0);
    g_mutex_unlock (&run.lock);
  }
  gst_element_set_state (pipeline, GST_STATE_NULL);

  if (!done || run.first_out_us == 0) {
    g_printerr ("bench-live: run %u: %s\n", index, run.first_out_us == 0 ?
        "no buffer" : run.decoded_us == 0 ? "no decoded buffer reached the "
        "stitch" : "the decoded audio was not seen leaving the stitch");
    if (run.decoded_memory != NULL)
      gst_memory_unref (run.decoded_memory);
    g_mutex_clear (&run.lock);
    return FALSE;
  }
  /* Per run, on stderr: an outlier can be told from the rest. A decoded
   * head of zeros would match the next silence buffer, so it is named. */
  g_printerr ("bench-live: run %u: first buffer %.1f ms, switch PTS gap "
      "%" G_GINT64_FORMAT " ns, decoded to output %.1f ms%s\n", index,
      (run.first_out_us - start) / 1000.0, run.switch_gap_ns,
      (run.switch_us - run.decoded_us) / 1000.0,
      head_is_silent (&run) ? " (its first bytes are zeros)" : "");
  bench_agg_add (agg, "first_ms", (run.first_out_us - start) / 1000.0);
  bench_agg_add (agg, "switch_gap_us", run.switch_gap_ns / 1000.0);
  bench_agg_add (agg, "max_gap_us", run.max_gap_ns / 1000.0);
  bench_agg_add (agg, "decoded_to_out_ms", (run.switch_us - run.decoded_us) /
      1000.0);
  if (run.decoded_memory != NULL)
    gst_memory_unref (run.decoded_memory);
  g_mutex_clear (&run.lock);
  return TRUE;
}

int
main (int argc, char **argv)
{
  gint runs = 5, flip_ms = 500;
  GOptionEntry entries[] = {
    {"runs", 0, 0, G_OPTION_ARG_INT, &runs, "Runs (5)", "R"},
    {"flip-ms", 0, 0, G_OPTION_ARG_INT, &flip_ms,
        "When the task completes, after PLAYING (500)", "MS"},
    {NULL}
  };
  g_autoptr (GOptionContext) context = g_option_context_new ("- B7");
  g_autoptr (GError) error = NULL;
  g_autoptr (JimmyMockServer) mock = NULL;
  g_autoptr (BenchAgg) agg = bench_agg_new ();
  g_autoptr (GstElement) probe = NULL;
  gint i;

  /* Tables are UTF-8 (µs, en dashes): print them as such. */
  setlocale (LC_CTYPE, "");
  g_option_context_add_main_entries (context, entries, NULL);
  g_option_context_add_group (context, gst_init_get_option_group ());
  if (!g_option_context_parse (context, &argc, &argv, &error) || runs < 1
      || flip_ms < 0) {
    g_printerr ("bench-live: %s\n", error ? error->message :
        "--runs >= 1 and --flip-ms >= 0, please");
    return 2;
  }

  g_print ("#### B7: live mode\n\n");
  probe = gst_element_factory_make ("jimmyaudiosrc", NULL);
  if (probe == NULL) {
    g_printerr ("bench-live: no jimmyaudiosrc: run bench/run.sh\n");
    return 2;
  }
  if (g_object_class_find_property (G_OBJECT_GET_CLASS (probe),
          "is-live") == NULL) {
    g_print ("**Skipped**: jimmyaudiosrc has no `is-live` property in this "
        "build, so live mode cannot be measured on this commit.\n");
    return 0;
  }

  mock = jimmy_mock_server_new ();
  if (!jimmy_mock_server_set_media_file (mock, BENCH_SPEECH_MP3, &error)
      || !jimmy_mock_server_start (mock, "127.0.0.1", 0, &error)) {
    g_printerr ("bench-live: %s\n", error->message);
    return 1;
  }
  for (i = 0; i < runs; i++) {
    if (!run_once (mock, i, flip_ms, agg))
      return 1;
  }
  jimmy_mock_server_stop (mock);

  {
    g_autofree char *first = bench_agg_format (agg, "first_ms", "%.1f");
    g_autofree char *gap = bench_agg_format (agg, "switch_gap_us", "%.0f");
    g_autofree char *max_gap = bench_agg_format (agg, "max_gap_us", "%.0f");
    g_autofree char *lag = bench_agg_format (agg, "decoded_to_out_ms",
        "%.1f");

    g_print ("`jimmyaudiosrc is-live=true ! fakesink sync=true`; the task "
        "completes %d ms after PLAYING (in-process mock, poll-interval "
        "100 ms). %d run(s), median (min–max).\n\n", flip_ms, runs);
    g_print ("| PLAYING → first buffer (ms) | PTS discontinuity at the "
        "switch (µs) | largest PTS discontinuity in the run (µs) "
        "| first decoded buffer → its output (ms) |\n|---|---|---|---|\n");
    g_print ("| %s | %s | %s | %s |\n", first, gap, max_gap, lag);
    g_print ("\nTarget: discontinuity 0.\n");
  }
  return 0;
}
