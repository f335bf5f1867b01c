/* bench-common.c: what the benchmarks share.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#define _GNU_SOURCE             /* RUSAGE_THREAD */

#include "bench-common.h"

#include <glib/gstdio.h>

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <unistd.h>

#ifndef BENCH_MOCK_SERVER
#error "meson must define BENCH_MOCK_SERVER"
#endif

/* ---------------------------------------------------------------------- */
/* Statistics */

static gint
compare_doubles (gconstpointer a, gconstpointer b)
{
  gdouble x = *(const gdouble *) a, y = *(const gdouble *) b;

  return x < y ? -1 : x > y ? 1 : 0;
}

/* Linear interpolation between the closest ranks; @p in [0, 1]. */
gdouble
bench_percentile (GArray * values, gdouble p)
{
  gdouble rank, frac;
  guint lo;

  g_return_val_if_fail (values->len > 0, NAN);

  g_array_sort (values, compare_doubles);
  rank = p * (values->len - 1);
  lo = (guint) floor (rank);
  frac = rank - lo;
  if (lo + 1 >= values->len)
    return g_array_index (values, gdouble, values->len - 1);
  return g_array_index (values, gdouble, lo) * (1 - frac) +
      g_array_index (values, gdouble, lo + 1) * frac;
}

gdouble
bench_median (GArray * values)
{
  return bench_percentile (values, 0.5);
}

gdouble
bench_min (GArray * values)
{
  return bench_percentile (values, 0);
}

gdouble
bench_max (GArray * values)
{
  return bench_percentile (values, 1);
}

gdouble
bench_mean (GArray * values)
{
  gdouble sum = 0;
  guint i;

  for (i = 0; i < values->len; i++)
    sum += g_array_index (values, gdouble, i);
  return values->len > 0 ? sum / values->len : NAN;
}

gdouble
bench_stddev (GArray * values)
{
  gdouble mean = bench_mean (values), sum = 0;
  guint i;

  if (values->len < 2)
    return 0;
  for (i = 0; i < values->len; i++) {
    gdouble d = g_array_index (values, gdouble, i) - mean;
    sum += d * d;
  }
  return sqrt (sum / (values->len - 1));
}

/* ---------------------------------------------------------------------- */
/* This process */

/* User plus system time of @who (RUSAGE_SELF or RUSAGE_THREAD). */
static gint64
cpu_time_us (int who)
{
  struct rusage usage;

  getrusage (who, &usage);
  return (gint64) (usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) *
      G_USEC_PER_SEC + usage.ru_utime.tv_usec + usage.ru_stime.tv_usec;
}

gint64
bench_cpu_time_us (void)
{
  return cpu_time_us (RUSAGE_SELF);
}

/* The calling thread only. */
gint64
bench_thread_cpu_time_us (void)
{
  return cpu_time_us (RUSAGE_THREAD);
}

guint
bench_thread_count (void)
{
  g_autoptr (GDir) dir = g_dir_open ("/proc/self/task", 0, NULL);
  guint n = 0;

  while (dir != NULL && g_dir_read_name (dir) != NULL)
    n++;
  return n;
}

/* g_ptr_array_sort() passes pointers to the elements. */
static gint
compare_strings (gconstpointer a, gconstpointer b)
{
  return g_strcmp0 (*(char *const *) a, *(char *const *) b);
}

/**
 * bench_thread_names:
 *
 * Returns: (transfer full): the names of this process's threads, sorted,
 *   e.g. "bench-scale, gmain, jimmy-poller".
 */
char *
bench_thread_names (void)
{
  g_autoptr (GDir) dir = g_dir_open ("/proc/self/task", 0, NULL);
  g_autoptr (GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  const char *tid;

  while (dir != NULL && (tid = g_dir_read_name (dir)) != NULL) {
    g_autofree char *path = g_strdup_printf ("/proc/self/task/%s/comm", tid);
    char *name = NULL;

    if (g_file_get_contents (path, &name, NULL, NULL))
      g_ptr_array_add (names, g_strstrip (name));
  }
  g_ptr_array_sort (names, compare_strings);
  g_ptr_array_add (names, NULL);
  return g_strjoinv (", ", (char **) names->pdata);
}

gsize
bench_rss_bytes (void)
{
  g_autofree char *statm = NULL;
  unsigned long size = 0, resident = 0;

  if (!g_file_get_contents ("/proc/self/statm", &statm, NULL, NULL))
    return 0;
  if (sscanf (statm, "%lu %lu", &size, &resident) != 2)
    return 0;
  return (gsize) resident * sysconf (_SC_PAGESIZE);
}

/* ---------------------------------------------------------------------- */
/* Another process, the network namespace, the machine */

static gint64
cpu_time_from_stat (const char *path)
{
  g_autofree char *stat = NULL;
  unsigned long utime = 0, stime = 0;
  const char *after_name;

  if (!g_file_get_contents (path, &stat, NULL, NULL))
    return -1;
  /* The name in parentheses may hold spaces: parse after its end. */
  after_name = strrchr (stat, ')');
  if (after_name == NULL || sscanf (after_name + 2,
          "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %lu %lu",
          &utime, &stime) != 2)
    return -1;
  return (gint64) (utime + stime) * G_USEC_PER_SEC / sysconf (_SC_CLK_TCK);
}

gint64
bench_process_cpu_time_us (GPid pid)
{
  g_autofree char *path = g_strdup_printf ("/proc/%d/stat", (int) pid);

  return cpu_time_from_stat (path);
}

/* The threads of this process named @name (all if %NULL), from the
 * scheduler's own nanosecond count in /proc/self/task/TID/schedstat. */
gint64
bench_named_threads_cpu_time_us (const char *name)
{
  g_autoptr (GDir) dir = g_dir_open ("/proc/self/task", 0, NULL);
  const char *tid;
  gint64 total = 0;

  while (dir != NULL && (tid = g_dir_read_name (dir)) != NULL) {
    g_autofree char *comm_path = g_strdup_printf ("/proc/self/task/%s/comm",
        tid);
    g_autofree char *stat_path = g_strdup_printf
        ("/proc/self/task/%s/schedstat", tid);
    g_autofree char *comm = NULL;
    g_autofree char *schedstat = NULL;

    if (name != NULL && (!g_file_get_contents (comm_path, &comm, NULL, NULL)
            || !g_str_equal (g_strstrip (comm), name)))
      continue;
    if (g_file_get_contents (stat_path, &schedstat, NULL, NULL))
      total += g_ascii_strtoll (schedstat, NULL, 10) / 1000;
  }
  return total;
}

guint64
bench_tcp_active_opens (void)
{
  g_autofree char *snmp = NULL;
  g_auto (GStrv) lines = NULL;
  guint i;

  if (!g_file_get_contents ("/proc/net/snmp", &snmp, NULL, NULL))
    return 0;
  lines = g_strsplit (snmp, "\n", -1);
  /* A "Tcp:" line of field names, then one of values. */
  for (i = 0; lines[i] != NULL && lines[i + 1] != NULL; i++) {
    g_auto (GStrv) names = NULL;
    g_auto (GStrv) values = NULL;
    guint j;

    if (!g_str_has_prefix (lines[i], "Tcp:")
        || !g_str_has_prefix (lines[i + 1], "Tcp:"))
      continue;
    names = g_strsplit (lines[i], " ", -1);
    values = g_strsplit (lines[i + 1], " ", -1);
    for (j = 0; names[j] != NULL && values[j] != NULL; j++) {
      if (g_str_equal (names[j], "ActiveOpens"))
        return g_ascii_strtoull (values[j], NULL, 10);
    }
  }
  return 0;
}

static guint
count_established (const char *table, guint port)
{
  g_autofree char *contents = NULL;
  g_auto (GStrv) lines = NULL;
  guint i, n = 0;

  if (!g_file_get_contents (table, &contents, NULL, NULL))
    return 0;
  lines = g_strsplit (contents, "\n", -1);
  for (i = 1; lines[i] != NULL; i++) {
    char local[64], remote[64];
    unsigned int state;
    const char *colon;

    if (sscanf (lines[i], "%*d: %63s %63s %x", local, remote, &state) != 3)
      continue;
    colon = strrchr (remote, ':');
    /* 01 is TCP_ESTABLISHED; the remote end is the server. */
    if (colon != NULL && state == 1 && strtoul (colon + 1, NULL, 16) == port)
      n++;
  }
  return n;
}

guint
bench_tcp_established_to_port (guint port)
{
  return count_established ("/proc/net/tcp", port) +
      count_established ("/proc/net/tcp6", port);
}

void
bench_print_machine (void)
{
  g_autofree char *cpuinfo = NULL;
  g_autofree char *model = NULL;
  struct utsname uts;
  char *line;

  if (g_file_get_contents ("/proc/cpuinfo", &cpuinfo, NULL, NULL)
      && (line = strstr (cpuinfo, "model name")) != NULL) {
    line = strchr (line, ':');
    model = g_strndup (line + 2, strcspn (line + 2, "\n"));
  }
  uname (&uts);
  g_print ("machine: %u CPUs (%s), kernel %s, %s\n",
      g_get_num_processors (), model ? model : "unknown CPU", uts.release,
      gst_version_string ());
}

/* ---------------------------------------------------------------------- */
/* The mock server, in a process of its own */

/* Reads the line the server prints once it listens. */
static char *
read_first_line (int fd, GError ** error)
{
  GString *line = g_string_new (NULL);
  char c;

  while (read (fd, &c, 1) == 1 && c != '\n')
    g_string_append_c (line, c);
  if (line->len == 0)
    g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_FAILED,
        "jimmy-mock-server printed nothing");
  return g_string_free (line, line->len == 0);
}

/**
 * bench_mock_spawn:
 * @args: (array zero-terminated=1): options for jimmy-mock-server, after
 *   the listening address, which is always 127.0.0.1 and any free port
 * @log_path: where its stderr, one line per request, goes
 *
 * Plain g_spawn and waitpid(), not GSubprocess: its child watch would
 * start GLib's "gmain" thread in this process, which would then look like
 * one that the elements started.
 *
 * Returns: (transfer full) (nullable): the running server
 */
BenchMock *
bench_mock_spawn (const char *const *args, const char *log_path,
    GError ** error)
{
  g_autoptr (GPtrArray) argv = g_ptr_array_new ();
  g_auto (GStrv) envp = g_environ_unsetenv (g_get_environ (),
      "JIMMY_MOCK_API_KEY");
  g_autofree char *line = NULL;
  BenchMock *mock;
  const char *url;
  int log_fd, out_fd = -1;
  guint i;

  g_ptr_array_add (argv, (gpointer) BENCH_MOCK_SERVER);
  g_ptr_array_add (argv, (gpointer) "--address=127.0.0.1");
  g_ptr_array_add (argv, (gpointer) "--port=0");
  for (i = 0; args != NULL && args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  g_ptr_array_add (argv, NULL);

  log_fd = g_open (log_path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (log_fd < 0) {
    g_set_error (error, G_IO_ERROR, g_io_error_from_errno (errno),
        "Cannot write %s: %s", log_path, g_strerror (errno));
    return NULL;
  }

  mock = g_new0 (BenchMock, 1);
  mock->log_path = g_strdup (log_path);
  if (!g_spawn_async_with_pipes_and_fds (NULL,
          (const char *const *) argv->pdata, (const char *const *) envp,
          G_SPAWN_DO_NOT_REAP_CHILD | G_SPAWN_STDIN_FROM_DEV_NULL, NULL, NULL,
          -1, -1, log_fd, NULL, NULL, 0, &mock->pid, NULL, &out_fd, NULL,
          error)) {
    close (log_fd);
    g_free (mock->log_path);
    g_free (mock);
    return NULL;
  }
  close (log_fd);

  /* It prints JIMMY_API_URL=… once it listens. */
  line = read_first_line (out_fd, error);
  close (out_fd);
  if (line == NULL || !g_str_has_prefix (line, "JIMMY_API_URL=")) {
    if (error != NULL && *error == NULL)
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
          "jimmy-mock-server did not start; see %s", log_path);
    bench_mock_stop (mock);
    return NULL;
  }
  url = line + strlen ("JIMMY_API_URL=");
  mock->base_url = g_strdup (url);
  mock->port = atoi (strrchr (url, ':') + 1);
  return mock;
}

/* Lines logged since the server started: one per request answered. */
guint64
bench_mock_count_lines (BenchMock * mock)
{
  g_autoptr (GFile) file = g_file_new_for_path (mock->log_path);
  g_autoptr (GFileInputStream) in = g_file_read (file, NULL, NULL);
  char buffer[65536];
  gssize n;

  if (in == NULL || !g_seekable_seek (G_SEEKABLE (in), mock->log_offset,
          G_SEEK_SET, NULL, NULL))
    return mock->log_lines;
  while ((n = g_input_stream_read (G_INPUT_STREAM (in), buffer,
              sizeof buffer, NULL, NULL)) > 0) {
    const char *p = buffer, *end = buffer + n;

    while ((p = memchr (p, '\n', end - p)) != NULL) {
      mock->log_lines++;
      p++;
    }
    mock->log_offset += n;
  }
  return mock->log_lines;
}

/* Stops the server we started (SIGTERM, by its PID) and frees @mock. */
void
bench_mock_stop (BenchMock * mock)
{
  if (mock == NULL)
    return;

  if (mock->pid > 0) {
    kill (mock->pid, SIGTERM);
    waitpid (mock->pid, NULL, 0);
    g_spawn_close_pid (mock->pid);
  }
  g_free (mock->base_url);
  g_free (mock->log_path);
  g_free (mock);
}

/* ---------------------------------------------------------------------- */
/* Pipelines */

/* Written by the streaming thread, read once @seen is set (or after EOS,
 * which the sink posts after its last buffer). */
typedef struct {
  gint seen;                    /* atomic */
  gint64 first_us;
  GstClockTime decoded;
  guint64 buffers;
} SinkWatch;

static GstPadProbeReturn
on_sink_buffer (GstPad * pad, GstPadProbeInfo * info, gpointer user_data)
{
  SinkWatch *watch = user_data;
  GstBuffer *buffer = GST_PAD_PROBE_INFO_BUFFER (info);

  if (watch->buffers++ == 0) {
    watch->first_us = g_get_monotonic_time ();
    g_atomic_int_set (&watch->seen, 1);
  }
  if (GST_BUFFER_DURATION_IS_VALID (buffer))
    watch->decoded += GST_BUFFER_DURATION (buffer);
  return GST_PAD_PROBE_OK;
}

static void
watch_sink (GstElement * pipeline, SinkWatch * watch)
{
  g_autoptr (GstElement) sink = gst_bin_get_by_name (GST_BIN (pipeline),
      "sink");
  g_autoptr (GstPad) pad = NULL;

  g_assert_nonnull (sink);
  pad = gst_element_get_static_pad (sink, "sink");
  gst_pad_add_probe (pad, GST_PAD_PROBE_TYPE_BUFFER, on_sink_buffer, watch,
      NULL);
}

static void
print_error (GstMessage * message)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *debug = NULL;

  gst_message_parse_error (message, &error, &debug);
  g_printerr ("pipeline error from %s: %s (%s)\n",
      GST_OBJECT_NAME (GST_MESSAGE_SRC (message)), error->message,
      debug ? debug : "");
}

gboolean
bench_run_to_eos (GstElement * pipeline, gint64 timeout_us, BenchRun * run)
{
  g_autoptr (GstBus) bus = gst_element_get_bus (pipeline);
  g_autoptr (GstMessage) message = NULL;
  SinkWatch watch = { 0 };
  gint64 start_us, start_cpu_us;

  watch_sink (pipeline, &watch);
  start_cpu_us = bench_cpu_time_us ();
  start_us = g_get_monotonic_time ();
  gst_element_set_state (pipeline, GST_STATE_PLAYING);
  message = gst_bus_timed_pop_filtered (bus, timeout_us * GST_USECOND,
      GST_MESSAGE_EOS | GST_MESSAGE_ERROR);
  run->wall_us = g_get_monotonic_time () - start_us;
  run->cpu_us = bench_cpu_time_us () - start_cpu_us;

  if (message == NULL) {
    g_printerr ("no EOS within %" G_GINT64_FORMAT " s\n", timeout_us /
        G_USEC_PER_SEC);
    return FALSE;
  }
  if (GST_MESSAGE_TYPE (message) == GST_MESSAGE_ERROR) {
    print_error (message);
    return FALSE;
  }
  /* The sink posts EOS after its last buffer: the counts are final. */
  run->decoded = watch.decoded;
  run->buffers = watch.buffers;
  return TRUE;
}

/* Attaches a watch to the sink that the pipeline owns, for
 * bench_wait_first_buffer(). */
void
bench_watch_sink (GstElement * pipeline)
{
  SinkWatch *watch = g_new0 (SinkWatch, 1);

  /* The probe stays until the pipeline is freed, and so does the watch. */
  g_object_set_data_full (G_OBJECT (pipeline), "bench-sink-watch", watch,
      g_free);
  watch_sink (pipeline, watch);
}

/* @deadline_us: monotonic time to give up at. */
gboolean
bench_wait_first_buffer (GstElement * pipeline, gint64 deadline_us,
    gint64 * first_us)
{
  g_autoptr (GstBus) bus = gst_element_get_bus (pipeline);
  SinkWatch *watch = g_object_get_data (G_OBJECT (pipeline),
      "bench-sink-watch");

  g_return_val_if_fail (watch != NULL, FALSE);

  /* The probe takes the time; the bus is only read for errors. */
  while (!g_atomic_int_get (&watch->seen)) {
    g_autoptr (GstMessage) message = gst_bus_timed_pop_filtered (bus,
        2 * GST_MSECOND, GST_MESSAGE_ERROR);

    if (message != NULL) {
      print_error (message);
      return FALSE;
    }
    if (g_get_monotonic_time () > deadline_us) {
      g_printerr ("no buffer in time\n");
      return FALSE;
    }
  }
  *first_us = watch->first_us;
  return TRUE;
}

gboolean
bench_run_to_first_buffer (GstElement * pipeline, gint64 timeout_us,
    gint64 * started_us, gint64 * first_us)
{
  bench_watch_sink (pipeline);
  *started_us = g_get_monotonic_time ();
  gst_element_set_state (pipeline, GST_STATE_PLAYING);
  return bench_wait_first_buffer (pipeline, *started_us + timeout_us,
      first_us);
}
