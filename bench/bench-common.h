/* bench-common.h: what the benchmarks share: statistics, process
 * counters read from /proc, the out-of-process mock server, and running a
 * pipeline to EOS or to its first buffer.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <gio/gio.h>
#include <gst/gst.h>

G_BEGIN_DECLS

/* The key the benchmarks give the element; the mock checks none. */
#define BENCH_API_KEY "sk_bench_not_a_secret"
#define BENCH_API_PREFIX "/api/open-api/v1/audios/"

/* Statistics over a GArray of gdouble; the array is sorted in place. */
gdouble bench_median (GArray *values);
gdouble bench_percentile (GArray *values, gdouble p);
gdouble bench_mean (GArray *values);
gdouble bench_min (GArray *values);
gdouble bench_max (GArray *values);
gdouble bench_stddev (GArray *values);

/* This process: CPU time (user + system, all threads), threads, RSS. */
gint64 bench_cpu_time_us (void);
gint64 bench_thread_cpu_time_us (void);
guint bench_thread_count (void);
char *bench_thread_names (void);
gsize bench_rss_bytes (void);

/* Another process (in clock ticks of 10 ms), or our threads named @name,
 * or all of them for %NULL (in µs): CPU time, from /proc. */
gint64 bench_process_cpu_time_us (GPid pid);
gint64 bench_named_threads_cpu_time_us (const char *name);

/* This network namespace: TCP connections opened so far (ActiveOpens in
 * /proc/net/snmp), and connections now established to @port. */
guint64 bench_tcp_active_opens (void);
guint bench_tcp_established_to_port (guint port);

void bench_print_machine (void);

/**
 * BenchMock:
 *
 * A tools/jimmy-mock-server process started by a benchmark, listening on
 * 127.0.0.1. Its per-request log lines go to @log_path.
 */
typedef struct {
  GPid pid;
  char *base_url;               /* (owned) "http://127.0.0.1:PORT" */
  guint port;
  char *log_path;               /* (owned) */
  goffset log_offset;           /* how far bench_mock_count_lines read */
  guint64 log_lines;
} BenchMock;

BenchMock *bench_mock_spawn (const char *const *args, const char *log_path,
                             GError **error);
guint64 bench_mock_count_lines (BenchMock *mock);
void bench_mock_stop (BenchMock *mock);

/**
 * BenchRun:
 * @wall_us: from set_state(PLAYING) to the EOS message
 * @cpu_us: CPU time of the whole process over the same span
 * @decoded: the duration of the buffers the sink received
 * @buffers: how many buffers it received
 *
 * One run of a pipeline to its end.
 */
typedef struct {
  gint64 wall_us;
  gint64 cpu_us;
  GstClockTime decoded;
  guint64 buffers;
} BenchRun;

/* The pipelines' sink must be named "sink". Both return FALSE after
 * printing why, on an error message or a timeout; they leave the pipeline
 * playing. */
gboolean bench_run_to_eos (GstElement *pipeline, gint64 timeout_us,
                           BenchRun *run);
gboolean bench_run_to_first_buffer (GstElement *pipeline, gint64 timeout_us,
                                    gint64 *started_us, gint64 *first_us);

/* The same in two steps, for benchmarks that act while the pipeline
 * starts: watch the sink, set PLAYING, then wait. */
void bench_watch_sink (GstElement *pipeline);
gboolean bench_wait_first_buffer (GstElement *pipeline, gint64 deadline_us,
                                  gint64 *first_us);

G_END_DECLS
