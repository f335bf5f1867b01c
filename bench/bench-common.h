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

/* ---- The server started by bench/serve.sh ---- */

/* $BENCH_API_URL, or NULL after saying that serve.sh sets it. */
const char *bench_api_url (void);
/* CPU time of the processes in $BENCH_SERVER_PIDS and their children
 * (nginx's workers), from /proc/PID/stat; 0 when there are none. */
gint64 bench_server_cpu_time_us (void);

/* ---- Polls as the client sends them (bench-polls.c) ---- */

/**
 * BenchPolls:
 *
 * Every SoupMessage this process sends to BENCH_API_PREFIX, seen through
 * signal emission hooks on the sending thread: when its headers went out
 * ("wrote-headers") and when it was finished. Each task's schedule is a
 * grid of step interval whose origin is the earliest that all its polls
 * allow (bench-polls.c says why); a poll's lateness is how much later
 * than its slot it went out. A poll more than an interval late means the
 * poller skipped slots: it is counted against the latest slot it missed.
 */
typedef struct _BenchPolls BenchPolls;

BenchPolls *bench_polls_install (guint interval_ms);
/* Lateness samples, poll and response counts: only inside the window. */
void bench_polls_start_window (BenchPolls *polls);
void bench_polls_stop_window (BenchPolls *polls);
guint64 bench_polls_sent (BenchPolls *polls);
guint64 bench_polls_finished (BenchPolls *polls);
/* (transfer full) lateness in ms of the window's polls of tasks whose id
 * starts with @prefix (all if NULL) */
GArray *bench_polls_lateness_ms (BenchPolls *polls, const char *prefix);
/* Tasks (id starting with @prefix) polled in every slot of the window,
 * each poll at most @bound_ms late; and all tasks seen. */
guint bench_polls_on_schedule (BenchPolls *polls, const char *prefix,
                               gdouble bound_ms, guint *tasks);
/* Monotonic time the latest poll of @task_id went out (or, with
 * @finished, was finished), or 0. */
gint64 bench_polls_last_us (BenchPolls *polls, const char *task_id,
                            gboolean finished);

/* ---- Parents: children's results, medians over runs ---- */

/* Runs @argv (stderr passes through) and reads the "[result]" key file
 * it prints on stdout; NULL after saying why. */
GKeyFile *bench_run_child (const char *const *argv);
/* The path of a program built beside this one, or of bench/serve.sh. */
char *bench_sibling (const char *name);
const char *bench_serve_script (void);

/**
 * BenchAgg:
 *
 * Values of one table row over several runs, by key; printed as
 * "median (min–max)", or the value alone after one run.
 */
typedef struct _BenchAgg BenchAgg;

BenchAgg *bench_agg_new (void);
void bench_agg_free (BenchAgg *agg);
void bench_agg_add (BenchAgg *agg, const char *key, gdouble value);
/* Every numeric key of the child's [result] group. */
void bench_agg_add_result (BenchAgg *agg, GKeyFile *result);
gdouble bench_agg_median (BenchAgg *agg, const char *key);
/* (transfer full) "median (min–max)" with @format for each number */
char *bench_agg_format (BenchAgg *agg, const char *key, const char *format);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (BenchAgg, bench_agg_free)

G_END_DECLS
