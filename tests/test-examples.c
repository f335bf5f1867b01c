/* test-examples.c: runs the examples the way a user would, against the
 * mock API: jimmy-play and jimmy-play.py writing a WAV file, and
 * jimmy-rtsp-server pulled by a real RTSP client (rtspsrc).
 *
 * The programs come from the environment meson sets: JIMMY_PLAY,
 * JIMMY_PLAY_PY with JIMMY_PYTHON (empty when no python3 with python3-gi
 * was found: the Python tests skip), and JIMMY_RTSP_SERVER (empty when
 * gstreamer-rtsp-server-1.0 was not found: the RTSP tests skip).
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <poll.h>
#include <pty.h>
#include <signal.h>
#include <string.h>
#include <sys/prctl.h>
#include <unistd.h>

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <gst/gst.h>

#include "jimmy-mock-server.h"

#define API_KEY "sk_test_examples_77c1"
#define TASK_ID "audio_16b635ba-5889-4fa5-bbcc-bf67a38c353a"
#define FAILED_TASK_ID "audio_failed"
#define WAITING_TASK_ID "audio_waiting"
/* Completes 30 s after its first poll: queued once, then 600 polls of
 * processing 50 ms apart (POLL_INTERVAL). */
#define SLOW_TASK_ID "audio_thirty-seconds"
#define SLOW_TASK_SCRIPT "queued,processing:600,completed"
#define SLOW_TASK_S 30
/* Fails 2 s after its first poll, long after DESCRIBE was answered. */
#define LATE_FAILED_TASK_ID "audio_failing-late"
#define POLL_INTERVAL "50"

/* Bounds on every wait, so that a hang fails instead of stalling CI. */
#define RUN_TIMEOUT_S 60
#define LINE_TIMEOUT_S 20

/* The WAV holds what the decoder gave; the RTSP trip through Opus (20 ms
 * frames, encoder lookahead, RTP packetisation) may lose or pad a little
 * at either end. */
#define WAV_TOLERANCE_S 0.001
#define RTSP_TOLERANCE_S 0.1

typedef struct {
  JimmyMockServer *api;         /* (owned) */
  gchar *tmp_dir;               /* (owned) */
  gchar *wav;                   /* (owned) a path in tmp_dir */
  gdouble media_duration;       /* of the bundled speech, decoded */
  gdouble media_quiet;          /* its seconds before the first loud
                                 * sample */
} Fixture;

/* A program the test started; killed with its parent if the test dies. */
typedef struct {
  GSubprocess *process;         /* (owned) */
  GDataInputStream *output;     /* (owned) stdout and stderr, merged */
  GPtrArray *lines;             /* (owned) what it printed so far */
  GString *output_text;         /* (owned) lines, joined */
  gboolean eof;
} Child;

/* ---------------------------------------------------------------------- */
/* Waiting without sleeping */

static gboolean
on_deadline (gpointer user_data)
{
  gboolean *expired = user_data;

  *expired = TRUE;
  return G_SOURCE_REMOVE;
}

/* Iterates the default main context until @done() or @timeout_s pass;
 * returns @done(). */
static gboolean
iterate_until (gboolean (*done) (gpointer), gpointer data, guint timeout_s)
{
  gboolean expired = FALSE;
  guint id = g_timeout_add_seconds (timeout_s, on_deadline, &expired);

  while (!done (data) && !expired)
    g_main_context_iteration (NULL, TRUE);
  if (!expired)
    g_source_remove (id);
  return done (data);
}

static gboolean
is_true (gpointer data)
{
  return *(gboolean *) data;
}

/* ---------------------------------------------------------------------- */
/* Programs */

static void
die_with_parent (gpointer user_data)
{
  prctl (PR_SET_PDEATHSIG, SIGKILL);
}

static GSubprocessLauncher *
launcher_new (Fixture * f, GSubprocessFlags flags)
{
  GSubprocessLauncher *launcher = g_subprocess_launcher_new (flags);

  g_subprocess_launcher_setenv (launcher, "JIMMY_API_URL",
      jimmy_mock_server_get_base_url (f->api), TRUE);
  g_subprocess_launcher_setenv (launcher, "JIMMY_API_KEY", API_KEY, TRUE);
  g_subprocess_launcher_set_child_setup (launcher, die_with_parent, NULL,
      NULL);
  return launcher;
}

typedef struct {
  gboolean done;
  gchar *out, *err;             /* (owned) */
} Communication;

static void
on_communicated (GObject * source, GAsyncResult * result, gpointer user_data)
{
  Communication *c = user_data;
  g_autoptr (GError) error = NULL;

  g_subprocess_communicate_utf8_finish (G_SUBPROCESS (source), result,
      &c->out, &c->err, &error);
  g_assert_no_error (error);
  c->done = TRUE;
}

/* Waits for @process, started with both outputs piped and
 * communicating into @c, to end; returns its exit status. */
static gint
finish (GSubprocess * process, Communication * c, const gchar * name,
    guint timeout_s, gchar ** out, gchar ** err)
{
  if (!iterate_until (is_true, &c->done, timeout_s)) {
    g_subprocess_force_exit (process);
    g_error ("%s did not finish within %u s", name, timeout_s);
  }
  g_test_message ("%s printed:\n%s%s", name, c->out, c->err);
  *out = c->out;
  *err = c->err;
  g_assert_true (g_subprocess_get_if_exited (process));
  return g_subprocess_get_exit_status (process);
}

/* Starts @argv with @launcher, its outputs read into @c. */
static GSubprocess *
start (GSubprocessLauncher * launcher, const gchar * const *argv,
    Communication * c)
{
  g_autoptr (GError) error = NULL;
  GSubprocess *process = g_subprocess_launcher_spawnv (launcher, argv,
      &error);

  g_assert_no_error (error);
  g_subprocess_communicate_utf8_async (process, NULL, NULL, on_communicated,
      c);
  return process;
}

/* Runs @argv to its end with @launcher, which pipes both outputs;
 * returns its exit status. */
static gint
run_with (GSubprocessLauncher * launcher, const gchar * const *argv,
    gchar ** out, gchar ** err)
{
  Communication c = { 0 };
  g_autoptr (GSubprocess) process = start (launcher, argv, &c);

  return finish (process, &c, argv[0], RUN_TIMEOUT_S, out, err);
}

static GSubprocessLauncher *
piped_launcher_new (Fixture * f)
{
  return launcher_new (f,
      G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE);
}

/* Runs @argv to its end; returns its exit status. */
static gint
run (Fixture * f, const gchar * const *argv, gchar ** out, gchar ** err)
{
  g_autoptr (GSubprocessLauncher) launcher = piped_launcher_new (f);

  return run_with (launcher, argv, out, err);
}

static void
on_line (GObject * source, GAsyncResult * result, gpointer user_data)
{
  Child *child = user_data;
  g_autoptr (GError) error = NULL;
  gchar *line;

  line = g_data_input_stream_read_line_finish_utf8 (G_DATA_INPUT_STREAM
      (source), result, NULL, &error);
  g_assert_no_error (error);
  if (line == NULL) {
    child->eof = TRUE;
    return;
  }
  g_test_message ("server: %s", line);
  g_ptr_array_add (child->lines, line);
  g_data_input_stream_read_line_async (child->output, G_PRIORITY_DEFAULT,
      NULL, on_line, child);
}

/* Starts @argv, reading what it prints as it prints it. */
static Child *
child_spawn (Fixture * f, const gchar * const *argv)
{
  g_autoptr (GSubprocessLauncher) launcher = launcher_new (f,
      G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_MERGE);
  g_autoptr (GError) error = NULL;
  Child *child = g_new0 (Child, 1);

  child->process = g_subprocess_launcher_spawnv (launcher, argv, &error);
  g_assert_no_error (error);
  child->output = g_data_input_stream_new (g_subprocess_get_stdout_pipe
      (child->process));
  child->lines = g_ptr_array_new_with_free_func (g_free);
  child->output_text = g_string_new (NULL);
  g_data_input_stream_read_line_async (child->output, G_PRIORITY_DEFAULT,
      NULL, on_line, child);
  return child;
}

typedef struct {
  Child *child;
  const gchar *prefix;
  const gchar *found;
} LineSearch;

static gboolean
line_found (gpointer data)
{
  LineSearch *search = data;

  for (guint i = 0; i < search->child->lines->len; i++)
    if (g_str_has_prefix (search->child->lines->pdata[i], search->prefix)) {
      search->found = search->child->lines->pdata[i];
      return TRUE;
    }
  return search->child->eof;
}

/* Returns: (transfer none): the first line @child printed that starts with
 * @prefix; fails if it exits or takes too long before printing one. */
static const gchar *
child_wait_for_line (Child * child, const gchar * prefix)
{
  LineSearch search = { child, prefix, NULL };

  iterate_until (line_found, &search, LINE_TIMEOUT_S);
  if (search.found == NULL)
    g_error ("the server printed no line starting \"%s\" (%s)", prefix,
        child->eof ? "it exited" : "timed out");
  return search.found;
}

/* Returns: (transfer none): all that @child printed so far. */
static const gchar *
child_output (Child * child)
{
  g_string_truncate (child->output_text, 0);
  for (guint i = 0; i < child->lines->len; i++)
    g_string_append_printf (child->output_text, "%s\n",
        (gchar *) child->lines->pdata[i]);
  return child->output_text->str;
}

/* Stops @child with SIGTERM and checks it exits cleanly. */
static void
child_stop (Child * child)
{
  g_subprocess_send_signal (child->process, SIGTERM);
  g_assert_true (iterate_until (is_true, &child->eof, LINE_TIMEOUT_S));
  g_assert_true (g_subprocess_wait (child->process, NULL, NULL));
  g_assert_true (g_subprocess_get_if_exited (child->process));
  g_assert_cmpint (g_subprocess_get_exit_status (child->process), ==, 0);
}

static void
child_free (Child * child)
{
  g_subprocess_force_exit (child->process);     /* if still running */
  g_object_unref (child->output);
  g_object_unref (child->process);
  g_ptr_array_unref (child->lines);
  g_string_free (child->output_text, TRUE);
  g_free (child);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Child, child_free)

/* ---------------------------------------------------------------------- */
/* Audio */

/* A sample louder than this is speech: digital silence through Opus
 * stays far below it. */
#define LOUD_SAMPLE 1000

/* What reached a sink: written on its streaming thread, read once the
 * pipeline stopped. */
typedef struct {
  guint64 bytes;
  guint64 quiet_bytes;          /* before the first loud sample */
  gboolean loud;                /* a loud sample came */
  gint64 first_buffer_us;       /* monotonic; 0 until then */
  gint64 first_loud_us;
} Measure;

static void
on_handoff (GstElement * sink, GstBuffer * buffer, GstPad * pad,
    gpointer user_data)
{
  Measure *m = user_data;
  GstMapInfo map;

  if (m->first_buffer_us == 0)
    m->first_buffer_us = g_get_monotonic_time ();
  gst_buffer_map (buffer, &map, GST_MAP_READ);
  for (gsize i = 0; !m->loud && i + 1 < map.size; i += 2) {
    gint16 sample = GINT16_FROM_LE (*(gint16 *) (map.data + i));

    if (ABS (sample) > LOUD_SAMPLE) {
      m->loud = TRUE;
      m->first_loud_us = g_get_monotonic_time ();
    } else {
      m->quiet_bytes += 2;
    }
  }
  m->bytes += map.size;
  gst_buffer_unmap (buffer, &map);
}

/* Runs @description, which ends in mono S16 audio into "fakesink
 * name=sink", to EOS. Returns: the seconds of audio that reached the sink,
 * or -1 with @error set to the pipeline's error; @quiet_s (nullable):
 * the seconds before the first loud sample. */
static gdouble
measure_audio_full (const gchar * description, gdouble * quiet_s,
    Measure * out, GError ** error)
{
  g_autoptr (GError) parse_error = NULL;
  g_autoptr (GstElement) pipeline = gst_parse_launch (description,
      &parse_error);
  g_autoptr (GstElement) sink = NULL;
  g_autoptr (GstPad) pad = NULL;
  g_autoptr (GstBus) bus = NULL;
  g_autoptr (GstMessage) message = NULL;
  g_autoptr (GstCaps) caps = NULL;
  Measure m = { 0 };
  gint rate = 0;

  g_assert_no_error (parse_error);
  sink = gst_bin_get_by_name (GST_BIN (pipeline), "sink");
  g_object_set (sink, "signal-handoffs", TRUE, "sync", FALSE, NULL);
  g_signal_connect (sink, "handoff", G_CALLBACK (on_handoff), &m);

  bus = gst_element_get_bus (pipeline);
  gst_element_set_state (pipeline, GST_STATE_PLAYING);
  message = gst_bus_timed_pop_filtered (bus, (RUN_TIMEOUT_S + SLOW_TASK_S) *
      GST_SECOND, GST_MESSAGE_EOS | GST_MESSAGE_ERROR);
  g_assert_nonnull (message);
  if (GST_MESSAGE_TYPE (message) == GST_MESSAGE_ERROR) {
    gst_message_parse_error (message, error, NULL);
  } else {
    pad = gst_element_get_static_pad (sink, "sink");
    caps = gst_pad_get_current_caps (pad);
    g_assert_nonnull (caps);
    g_assert_true (gst_structure_get_int (gst_caps_get_structure (caps, 0),
            "rate", &rate));
  }
  gst_element_set_state (pipeline, GST_STATE_NULL);
  if (quiet_s != NULL)
    *quiet_s = rate > 0 ? m.quiet_bytes / 2.0 / rate : -1;
  if (out != NULL)
    *out = m;
  return rate > 0 ? m.bytes / 2.0 / rate : -1;
}

static gdouble
measure_audio (const gchar * description, GError ** error)
{
  return measure_audio_full (description, NULL, NULL, error);
}

#define MONO_S16 "audioconvert ! audio/x-raw,format=S16LE,channels=1 ! " \
    "fakesink name=sink"

static guint32
read_le32 (const gchar * at)
{
  guint32 value;

  memcpy (&value, at, sizeof value);
  return GUINT32_FROM_LE (value);
}

/* Returns: the seconds of audio in the data chunk of a PCM WAV file. */
static gdouble
wav_duration (const gchar * path)
{
  g_autofree gchar *contents = NULL;
  g_autoptr (GError) error = NULL;
  gsize length, offset = 12;
  guint32 byte_rate = 0;

  g_assert_true (g_file_get_contents (path, &contents, &length, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (length, >, 12);
  g_assert_cmpmem (contents, 4, "RIFF", 4);
  g_assert_cmpmem (contents + 8, 4, "WAVE", 4);

  while (offset + 8 <= length) {
    const gchar *id = contents + offset;
    guint32 size = read_le32 (contents + offset + 4);

    if (memcmp (id, "fmt ", 4) == 0 && offset + 20 <= length) {
      byte_rate = read_le32 (contents + offset + 16);
    } else if (memcmp (id, "data", 4) == 0) {
      g_assert_cmpuint (byte_rate, >, 0);
      g_assert_cmpuint (offset + 8 + size, <=, length);
      return (gdouble) size / byte_rate;
    }
    offset += 8 + size + (size & 1);
  }
  g_error ("%s has no data chunk", path);
}

/* ---------------------------------------------------------------------- */
/* Fixture */

static void
fixture_set_up (Fixture * f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autofree gchar *description = NULL;
  const gchar *media = g_getenv ("JIMMY_MOCK_MEDIA");

  g_assert_nonnull (media);
  f->api = jimmy_mock_server_new ();
  jimmy_mock_server_set_api_key (f->api, API_KEY);
  jimmy_mock_server_set_media_file (f->api, media, &error);
  g_assert_no_error (error);
  jimmy_mock_server_add_task (f->api, TASK_ID, "queued,processing,completed",
      &error);
  g_assert_no_error (error);
  jimmy_mock_server_add_task (f->api, FAILED_TASK_ID, "queued,failed",
      &error);
  g_assert_no_error (error);
  jimmy_mock_server_add_task (f->api, WAITING_TASK_ID, "queued", &error);
  g_assert_no_error (error);
  jimmy_mock_server_add_task (f->api, SLOW_TASK_ID, SLOW_TASK_SCRIPT, &error);
  g_assert_no_error (error);
  jimmy_mock_server_add_task (f->api, LATE_FAILED_TASK_ID,
      "queued,processing:40,failed", &error);
  g_assert_no_error (error);
  jimmy_mock_server_start (f->api, "127.0.0.1", 0, &error);
  g_assert_no_error (error);

  f->tmp_dir = g_dir_make_tmp ("jimmy-examples-XXXXXX", &error);
  g_assert_no_error (error);
  f->wav = g_build_filename (f->tmp_dir, "task.wav", NULL);

  /* What every example must deliver: the served file, decoded here. */
  description = g_strdup_printf ("filesrc location=\"%s\" ! decodebin ! "
      MONO_S16, media);
  f->media_duration = measure_audio_full (description, &f->media_quiet, NULL,
      &error);
  g_assert_no_error (error);
  g_assert_cmpfloat (f->media_quiet, <, 1.0);
  g_assert_cmpfloat (f->media_duration, >, 10.0);
}

static void
fixture_tear_down (Fixture * f, gconstpointer data)
{
  jimmy_mock_server_stop (f->api);
  g_clear_object (&f->api);
  g_unlink (f->wav);
  g_rmdir (f->tmp_dir);
  g_free (f->wav);
  g_free (f->tmp_dir);
}

/* Asserts each of @needles occurs in @haystack, in this order. */
static void
assert_in_order (const gchar * haystack, const gchar * const *needles)
{
  const gchar *at = haystack;

  for (; *needles != NULL; needles++) {
    const gchar *found = strstr (at, *needles);

    if (found == NULL)
      g_error ("\"%s\" missing, or out of order, in:\n%s", *needles,
          haystack);
    at = found + strlen (*needles);
  }
}

static void
assert_wav_is_the_task_audio (Fixture * f)
{
  gdouble duration = wav_duration (f->wav);

  g_test_message ("WAV: %.3f s, decoded media: %.3f s", duration,
      f->media_duration);
  g_assert_cmpfloat_with_epsilon (duration, f->media_duration,
      WAV_TOLERANCE_S);
}

/* ---------------------------------------------------------------------- */
/* jimmy-play (C) */

static void
test_c_player_writes_wav (Fixture * f, gconstpointer data)
{
  const gchar *argv[] = { g_getenv ("JIMMY_PLAY"), "--poll-interval",
    POLL_INTERVAL, TASK_ID, f->wav, NULL
  };
  const gchar *steps[] = {
    "[>] queued  [ ] processing  [ ] completed",
    "[x] queued  [>] processing  [ ] completed",
    "[x] queued  [x] processing  [x] completed",
    "[##############################]", NULL
  };
  g_autofree gchar *out = NULL, *err = NULL, *end = NULL;

  g_assert_cmpint (run (f, argv, &out, &err), ==, 0);
  g_assert_cmpstr (err, ==, "");
  assert_in_order (out, steps);
  /* The bar ends where the position and duration queries say. */
  end = g_strdup_printf ("0:%04.1f / 0:%04.1f\n", f->media_duration,
      f->media_duration);
  g_assert_true (g_str_has_suffix (out, end));
  assert_wav_is_the_task_audio (f);
}

static void
test_c_player_failed_task (Fixture * f, gconstpointer data)
{
  const gchar *argv[] = { g_getenv ("JIMMY_PLAY"), "--poll-interval",
    POLL_INTERVAL, FAILED_TASK_ID, f->wav, NULL
  };
  const gchar *steps[] = {
    "[>] queued  [ ] processing  [ ] completed",
    "[x] queued  [ ] processing  [ ] completed  [!] failed", NULL
  };
  g_autofree gchar *out = NULL, *err = NULL;

  g_assert_cmpint (run (f, argv, &out, &err), ==, 1);
  assert_in_order (out, steps);
  /* One clean line: the element's sentence, naming the task. */
  g_assert_true (g_str_has_prefix (err,
          "jimmy-play: Task \"" FAILED_TASK_ID "\" failed: "));
  g_assert_cmpstr (strchr (err, '\n'), ==, "\n");
}

static void
test_c_player_usage (Fixture * f, gconstpointer data)
{
  const gchar *argv[] = { g_getenv ("JIMMY_PLAY"), NULL };
  g_autofree gchar *out = NULL, *err = NULL;

  g_assert_cmpint (run (f, argv, &out, &err), ==, 2);
  g_assert_nonnull (strstr (err,
          "[--poll-interval MS] TASK-ID [OUTPUT.wav]"));
}

/* ---------------------------------------------------------------------- */
/* jimmy-play.py */

static gboolean
have_python (void)
{
  const gchar *python = g_getenv ("JIMMY_PYTHON");

  if (python == NULL || *python == '\0') {
    g_test_skip ("no python3 with python3-gi (the gi module) was found");
    return FALSE;
  }
  return TRUE;
}

static void
test_python_player_writes_wav (Fixture * f, gconstpointer data)
{
  const gchar *argv[] = { g_getenv ("JIMMY_PYTHON"),
    g_getenv ("JIMMY_PLAY_PY"), "--poll-interval", POLL_INTERVAL, TASK_ID,
    f->wav, NULL
  };
  const gchar *statuses[] = {
    "task " TASK_ID ": queued\n",
    "task " TASK_ID ": processing\n",
    "task " TASK_ID ": completed\n", "done\n", NULL
  };
  g_autofree gchar *out = NULL, *err = NULL;

  if (!have_python ())
    return;
  g_assert_cmpint (run (f, argv, &out, &err), ==, 0);
  g_assert_cmpstr (err, ==, "");
  assert_in_order (out, statuses);
  assert_wav_is_the_task_audio (f);
}

static void
test_python_player_failed_task (Fixture * f, gconstpointer data)
{
  const gchar *argv[] = { g_getenv ("JIMMY_PYTHON"),
    g_getenv ("JIMMY_PLAY_PY"), "--poll-interval", POLL_INTERVAL,
    FAILED_TASK_ID, f->wav, NULL
  };
  const gchar *statuses[] = {
    "task " FAILED_TASK_ID ": queued\n",
    "task " FAILED_TASK_ID ": failed (the voice sample is too short)\n", NULL
  };
  g_autofree gchar *out = NULL, *err = NULL;

  if (!have_python ())
    return;
  g_assert_cmpint (run (f, argv, &out, &err), ==, 1);
  assert_in_order (out, statuses);
  g_assert_true (g_str_has_prefix (err,
          "jimmy-play: Task \"" FAILED_TASK_ID "\" failed: "));
}

/* ---------------------------------------------------------------------- */
/* What users ran into */

/* Runs @argv without the plugin: gst_parse_launch() then gives a
 * pipeline without the element and an error. Returns: (transfer full):
 * what @argv printed on stderr, once it exited with 1. */
static gchar *
run_without_plugin (Fixture * f, const gchar * const *argv)
{
  g_autoptr (GSubprocessLauncher) launcher = piped_launcher_new (f);
  g_autofree gchar *registry = g_build_filename (f->tmp_dir,
      "no-plugin.registry", NULL);
  g_autofree gchar *plugins = g_build_filename (f->tmp_dir, "plugins",
      NULL);
  g_autofree gchar *out = NULL;
  gchar *err = NULL;
  gint status;

  /* An empty directory instead of the build tree's plugins. */
  g_assert_cmpint (g_mkdir (plugins, 0700), ==, 0);
  g_subprocess_launcher_setenv (launcher, "GST_PLUGIN_PATH_1_0", plugins,
      TRUE);
  g_subprocess_launcher_unsetenv (launcher, "GST_PLUGIN_PATH");
  g_subprocess_launcher_setenv (launcher, "GST_REGISTRY", registry, TRUE);

  status = run_with (launcher, argv, &out, &err);
  g_unlink (registry);
  g_rmdir (plugins);
  g_assert_cmpint (status, ==, 1);
  g_assert_cmpuint (jimmy_mock_server_count_requests (f->api, NULL), ==, 0);
  return err;
}

/* One clear line, at once: no hang, no CRITICAL, no traceback. */
static void
assert_says_plugin_missing (const gchar * err)
{
  g_assert_true (g_str_has_prefix (err, "jimmy-play: no element "
          "\"jimmyaudiosrc\": the jimmy plugin is not installed, or not on "
          "GST_PLUGIN_PATH"));
  g_assert_cmpstr (strchr (err, '\n'), ==, "\n");
}

static void
test_c_player_no_element (Fixture * f, gconstpointer data)
{
  const gchar *argv[] = { g_getenv ("JIMMY_PLAY"), TASK_ID, f->wav, NULL };
  g_autofree gchar *err = run_without_plugin (f, argv);

  assert_says_plugin_missing (err);
}

static void
test_python_player_no_element (Fixture * f, gconstpointer data)
{
  const gchar *argv[] = { g_getenv ("JIMMY_PYTHON"),
    g_getenv ("JIMMY_PLAY_PY"), TASK_ID, f->wav, NULL
  };
  g_autofree gchar *err = NULL;

  if (!have_python ())
    return;
  err = run_without_plugin (f, argv);
  assert_says_plugin_missing (err);
}

/* Starts @argv on a task that stays queued, sends SIGINT once it polls,
 * and checks it quits with 130 and nothing but its own lines. */
static void
assert_quits_on_interrupt (Fixture * f, const gchar * const *argv)
{
  g_autoptr (GSubprocessLauncher) launcher = piped_launcher_new (f);
  Communication c = { 0 };
  g_autoptr (GSubprocess) process = start (launcher, argv, &c);
  g_autofree gchar *out = NULL, *err = NULL;
  gint64 sent;
  gint status;

  /* A few polls: it is in its waiting loop. */
  g_assert_true (jimmy_mock_server_wait_for_requests (f->api,
          "/api/open-api/v1/audios/" WAITING_TASK_ID, 3,
          LINE_TIMEOUT_S * 1000));
  sent = g_get_monotonic_time ();
  g_subprocess_send_signal (process, SIGINT);
  /* The promise is a second; the bound is generous for a loaded CI. */
  status = finish (process, &c, argv[0], LINE_TIMEOUT_S, &out, &err);
  g_test_message ("exited %.3f s after SIGINT",
      (g_get_monotonic_time () - sent) / (gdouble) G_USEC_PER_SEC);
  g_assert_cmpint (status, ==, 130);
  g_assert_null (strstr (err, "Traceback"));
  g_assert_null (strstr (err, "CRITICAL"));
}

static void
test_c_player_interrupt (Fixture * f, gconstpointer data)
{
  const gchar *argv[] = { g_getenv ("JIMMY_PLAY"), "--poll-interval",
    POLL_INTERVAL, WAITING_TASK_ID, f->wav, NULL
  };

  assert_quits_on_interrupt (f, argv);
}

static void
test_python_player_interrupt (Fixture * f, gconstpointer data)
{
  const gchar *argv[] = { g_getenv ("JIMMY_PYTHON"),
    g_getenv ("JIMMY_PLAY_PY"), "--poll-interval", POLL_INTERVAL,
    WAITING_TASK_ID, f->wav, NULL
  };

  if (have_python ())
    assert_quits_on_interrupt (f, argv);
}

/* Returns: (transfer full): all that was written to the terminal whose
 * master side is @master, until the last writer closed it. */
static gchar *
read_terminal (int master)
{
  GString *text = g_string_new (NULL);
  gint64 end = g_get_monotonic_time () + RUN_TIMEOUT_S * G_USEC_PER_SEC;
  gchar buffer[4096];

  for (;;) {
    struct pollfd fd = { master, POLLIN, 0 };
    ssize_t n;

    if (g_get_monotonic_time () > end)
      g_error ("jimmy-play did not finish within %d s", RUN_TIMEOUT_S);
    if (poll (&fd, 1, 1000) <= 0)
      continue;
    n = read (master, buffer, sizeof buffer);
    if (n <= 0)                 /* EIO: the slave side is closed */
      break;
    g_string_append_len (text, buffer, n);
  }
  return g_string_free (text, FALSE);
}

/* On an 80-column terminal, the redrawn line never wraps and the caption
 * still ends with the status word, however long the task id. */
static void
test_c_player_caption_fits (Fixture * f, gconstpointer data)
{
  struct winsize size = {.ws_row = 24,.ws_col = 80 };
  const gchar *argv[] = { g_getenv ("JIMMY_PLAY"), "--poll-interval",
    POLL_INTERVAL, TASK_ID, f->wav, NULL
  };
  g_autoptr (GSubprocessLauncher) launcher = launcher_new (f,
      G_SUBPROCESS_FLAGS_STDERR_MERGE);
  g_autoptr (GSubprocess) process = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree gchar *output = NULL;
  g_auto (GStrv) frames = NULL;
  gboolean processing_shown = FALSE;
  int master, slave;

  g_assert_cmpint (openpty (&master, &slave, NULL, NULL, &size), ==, 0);
  g_subprocess_launcher_take_stdout_fd (launcher, slave);
  process = g_subprocess_launcher_spawnv (launcher, argv, &error);
  g_assert_no_error (error);
  /* Closes our copy of the slave side, so reading ends with the child. */
  g_clear_object (&launcher);
  output = read_terminal (master);
  close (master);
  g_assert_true (g_subprocess_wait (process, NULL, NULL));
  g_assert_cmpint (g_subprocess_get_exit_status (process), ==, 0);
  g_test_message ("jimmy-play drew:\n%s", output);

  /* Each redraw starts with "\r\033[K"; the terminal adds '\r' to '\n'. */
  frames = g_strsplit_set (output, "\r\n", -1);
  for (guint i = 0; frames[i] != NULL; i++) {
    const gchar *frame = frames[i];

    if (g_str_has_prefix (frame, "\033[K"))
      frame += strlen ("\033[K");
    g_assert_true (g_utf8_validate (frame, -1, NULL));
    if (g_utf8_strlen (frame, -1) > 79)
      g_error ("a line of %ld columns would wrap: \"%s\"",
          g_utf8_strlen (frame, -1), frame);
    if (strstr (frame, "[>] processing") != NULL
        && g_str_has_suffix (frame, " is processing"))
      processing_shown = TRUE;
  }
  g_assert_true (processing_shown);
  assert_wav_is_the_task_audio (f);
}

/* tools/demo.sh with an absolute BUILD_DIR: this build, as it is. */
static void
test_demo_absolute_build_dir (Fixture * f, gconstpointer data)
{
  g_autoptr (GSubprocessLauncher) launcher = piped_launcher_new (f);
  g_autofree gchar *demo = g_build_filename (g_getenv ("G_TEST_SRCDIR"),
      "..", "tools", "demo.sh", NULL);
  g_autofree gchar *build = g_path_get_dirname (g_getenv
      ("G_TEST_BUILDDIR"));
  g_autofree gchar *registry = g_build_filename (f->tmp_dir,
      "demo.registry", NULL);
  g_autofree gchar *discoverer = g_find_program_in_path
      ("gst-discoverer-1.0");
  g_autofree gchar *out = NULL, *err = NULL, *wrote = NULL;
  const gchar *argv[] = { "bash", demo, f->wav, NULL };
  gint status;

  if (discoverer == NULL) {
    g_test_skip ("the demo needs gst-discoverer-1.0 "
        "(gstreamer1.0-plugins-base-apps)");
    return;
  }
  g_assert_true (g_path_is_absolute (build));
  g_subprocess_launcher_setenv (launcher, "BUILD_DIR", build, TRUE);
  g_subprocess_launcher_setenv (launcher, "JIMMY_DEMO_SETUP", "no", TRUE);
  /* The demo must find the plugin by itself. */
  g_subprocess_launcher_unsetenv (launcher, "GST_PLUGIN_PATH_1_0");
  g_subprocess_launcher_unsetenv (launcher, "GST_PLUGIN_PATH");
  g_subprocess_launcher_setenv (launcher, "GST_REGISTRY", registry, TRUE);

  status = run_with (launcher, argv, &out, &err);
  g_unlink (registry);
  g_assert_cmpint (status, ==, 0);
  wrote = g_strdup_printf ("wrote %s:\n", f->wav);
  g_assert_nonnull (strstr (out, wrote));
  assert_wav_is_the_task_audio (f);
}

/* ---------------------------------------------------------------------- */
/* jimmy-mock-server, the tool the demo runs */

/* Returns: (transfer full): the names a section of --help lists, one
 * per line indented by two spaces, between @start and @end. */
static GStrv
help_names (const gchar * help, const gchar * start, const gchar * end)
{
  const gchar *from = strstr (help, start);
  const gchar *to = from ? strstr (from, end) : NULL;
  g_autofree gchar *section = NULL;
  g_auto (GStrv) lines = NULL;
  GStrvBuilder *names = g_strv_builder_new ();
  GStrv result;

  g_assert_nonnull (to);
  section = g_strndup (from + strlen (start), to - from - strlen (start));
  lines = g_strsplit (section, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++) {
    if (g_str_has_prefix (lines[i], "  ") && lines[i][2] != ' '
        && lines[i][2] != '\0') {
      g_auto (GStrv) words = g_strsplit (lines[i] + 2, " ", 2);

      g_strv_builder_add (names, words[0]);
    }
  }
  result = g_strv_builder_end (names);
  g_strv_builder_unref (names);
  return result;
}

/* "http-NNN" → "http-503", "truncate-N" → "truncate-7", … */
static gchar *
example_of (const gchar * name)
{
  static const gchar *const placeholders[][2] = {
    {"WORD", "queued"}, {"NNN", "503"}, {"MS", "10"}, {"NAME", "x"},
    {"N", "7"},
  };

  for (guint i = 0; i < G_N_ELEMENTS (placeholders); i++)
    if (g_str_has_suffix (name, placeholders[i][0])) {
      g_autofree gchar *prefix = g_strndup (name, strlen (name) -
          strlen (placeholders[i][0]));

      return g_strconcat (prefix, placeholders[i][1], NULL);
    }
  return g_strdup (name);
}

/* --help, the parsers and the error messages read one table: every
 * token --help lists parses, every error lists them all, and no token of
 * the grammar before the table was lost. */
static void
test_mock_server_grammar (Fixture * f, gconstpointer data)
{
  g_autofree gchar *program = g_build_filename (g_getenv
      ("G_TEST_BUILDDIR"), "..", "tools", "jimmy-mock-server", NULL);
  const gchar *argv[] = { program, "--help", NULL };
  const gchar *valid[] = { "queued:1", "processing:3", "completed",
    "failed", "http-204", "http-503", "http-599", "retry-after-0",
    "retry-after-date-2", "api-error", "garbage", "reset", "hang",
    "redirect-same", "redirect-other", "redirect-loop",
    "completed-no-audio", "completed-bad-url", "huge", "cut-body",
    "slow-headers-1", "slow-headers-600000", "trickle", "flood",
    "body-a_b-9", " queued , completed ", NULL
  };
  const gchar *invalid[] = { "", "Foo", "http-199", "http-0503",
    "http-600", "retry-after--1", "retry-after-86401", "slow-headers-0",
    "body-X", "body-", "queued:0", "queued:x", "queued,", NULL
  };
  const gchar *faults[] = { "none", "http-404", "reset-after-0",
    "reset-always-after-100", "html", "empty", "truncate-5", NULL
  };
  g_autofree gchar *out = NULL, *err = NULL;
  g_autoptr (GError) error = NULL;
  g_auto (GStrv) tokens = NULL, fault_names = NULL;

  g_assert_cmpint (run (f, argv, &out, &err), ==, 0);
  tokens = help_names (out, "Tokens:\n", "\n\n");
  fault_names = help_names (out, "Media faults", "\n\n");
  g_assert_cmpuint (g_strv_length (tokens), ==, 19);
  g_assert_cmpuint (g_strv_length (fault_names), ==, 7);

  g_assert_false (jimmy_mock_script_validate ("Foo", &error));
  g_assert_error (error, JIMMY_MOCK_SERVER_ERROR,
      JIMMY_MOCK_SERVER_ERROR_INVALID_SCRIPT);
  for (guint i = 0; tokens[i] != NULL; i++) {
    g_autofree gchar *example = example_of (tokens[i]);
    g_autoptr (GError) token_error = NULL;

    g_test_message ("token %s, e.g. %s", tokens[i], example);
    g_assert_true (jimmy_mock_script_validate (example, &token_error));
    g_assert_no_error (token_error);
    if (!g_str_equal (tokens[i], "WORD"))
      g_assert_nonnull (strstr (error->message, tokens[i]));
  }
  g_clear_error (&error);

  g_assert_false (jimmy_mock_server_set_media_fault (f->api, "reset", &error));
  g_assert_error (error, JIMMY_MOCK_SERVER_ERROR,
      JIMMY_MOCK_SERVER_ERROR_INVALID_ARGUMENT);
  for (guint i = 0; fault_names[i] != NULL; i++) {
    g_autofree gchar *example = example_of (fault_names[i]);
    g_autoptr (GError) fault_error = NULL;

    g_assert_true (jimmy_mock_server_set_media_fault (f->api, example,
            &fault_error));
    g_assert_no_error (fault_error);
    g_assert_nonnull (strstr (error->message, fault_names[i]));
  }

  for (guint i = 0; valid[i] != NULL; i++) {
    g_autoptr (GError) step_error = NULL;

    if (!jimmy_mock_script_validate (valid[i], &step_error))
      g_error ("\"%s\" refused: %s", valid[i], step_error->message);
  }
  for (guint i = 0; invalid[i] != NULL; i++) {
    g_autoptr (GError) step_error = NULL;

    if (jimmy_mock_script_validate (invalid[i], &step_error))
      g_error ("\"%s\" accepted", invalid[i]);
    g_assert_error (step_error, JIMMY_MOCK_SERVER_ERROR,
        JIMMY_MOCK_SERVER_ERROR_INVALID_SCRIPT);
  }
  for (guint i = 0; faults[i] != NULL; i++)
    g_assert_true (jimmy_mock_server_set_media_fault (f->api, faults[i],
            NULL));
  g_assert_false (jimmy_mock_server_set_media_fault (f->api, "http-200",
          NULL));
}

/* ---------------------------------------------------------------------- */
/* jimmy-rtsp-server */

/* Starts jimmy-rtsp-server on a free port and waits until it listens.
 * Returns: (transfer full): its URL for tasks,
 * "rtsp://127.0.0.1:PORT/task/". */
static gchar *
start_rtsp_server (Fixture * f, Child ** child)
{
  const gchar *argv[] = { g_getenv ("JIMMY_RTSP_SERVER"), "--port", "0",
    "--poll-interval", POLL_INTERVAL, NULL
  };
  const gchar *line;

  *child = child_spawn (f, argv);
  line = child_wait_for_line (*child, "listening on rtsp://127.0.0.1:");
  g_assert_true (g_str_has_suffix (line, "/task/<task-id>"));
  return g_strndup (line + strlen ("listening on "),
      strlen (line) - strlen ("listening on ") - strlen ("<task-id>"));
}

static gchar *
rtsp_client_description (const gchar * base, const gchar * path)
{
  return g_strdup_printf ("rtspsrc location=%s%s protocols=tcp ! "
      "rtpopusdepay ! opusdec ! " MONO_S16, base, path);
}

static void
test_rtsp_round_trip (Fixture * f, gconstpointer data)
{
  g_autoptr (Child) server = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree gchar *base = start_rtsp_server (f, &server);
  g_autofree gchar *client = rtsp_client_description (base, TASK_ID);
  const gchar *statuses[] = {
    "task " TASK_ID ": a client asked for it\n",
    "task " TASK_ID ": queued\n",
    "task " TASK_ID ": processing\n",
    "task " TASK_ID ": completed\n", NULL
  };
  gdouble duration, quiet;

  duration = measure_audio_full (client, &quiet, NULL, &error);
  g_assert_no_error (error);
  g_test_message ("received %.3f s of Opus audio, %.3f s of it before the "
      "speech; media: %.3f s, %.3f s", duration, quiet, f->media_duration,
      f->media_quiet);
  /* The live source's silence, then the speech, all of it. */
  g_assert_cmpfloat_with_epsilon (duration - quiet,
      f->media_duration - f->media_quiet, RTSP_TOLERANCE_S);

  child_stop (server);
  assert_in_order (child_output (server), statuses);
}

/* The server answers at once, sends silence while the task is processed
 * (30 s: gst-rtsp-server would give up on a non-live source after 20 s),
 * then the speech, then the end. */
static void
test_rtsp_task_completing_late (Fixture * f, gconstpointer data)
{
  g_autoptr (Child) server = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) requests = NULL;
  g_autofree gchar *base = start_rtsp_server (f, &server);
  g_autofree gchar *client = rtsp_client_description (base, SLOW_TASK_ID);
  const gchar *statuses[] = {
    "task " SLOW_TASK_ID ": a client asked for it\n",
    "task " SLOW_TASK_ID ": queued\n",
    "task " SLOW_TASK_ID ": processing\n",
    "task " SLOW_TASK_ID ": completed\n", NULL
  };
  gint64 first_poll_us = 0, media_us = 0, start_us;
  gdouble duration, quiet;
  Measure m;

  start_us = g_get_monotonic_time ();
  duration = measure_audio_full (client, &quiet, &m, &error);
  g_assert_no_error (error);
  g_test_message ("first audio %.3f s after PLAYING, speech %.3f s after; "
      "received %.3f s, %.3f s of it before the speech",
      (m.first_buffer_us - start_us) / 1e6,
      (m.first_loud_us - start_us) / 1e6, duration, quiet);

  /* DESCRIBE and PLAY answered well before gst-rtsp-server's 20 s. */
  g_assert_cmpint (m.first_buffer_us, >, 0);
  g_assert_cmpint (m.first_buffer_us - start_us, <, 10 * G_USEC_PER_SEC);

  /* The task took its 30 s; the speech came after its audio was
   * fetched, which was after it completed. */
  requests = jimmy_mock_server_dup_requests (f->api);
  for (guint i = 0; i < requests->len; i++) {
    JimmyMockRequest *r = requests->pdata[i];

    if (first_poll_us == 0 && strstr (r->path, SLOW_TASK_ID) != NULL
        && g_str_has_prefix (r->path, "/api/"))
      first_poll_us = r->time_us;
    if (media_us == 0 && g_str_has_prefix (r->path, "/media/"))
      media_us = r->time_us;
  }
  g_assert_cmpint (first_poll_us, >, 0);
  g_assert_cmpint (media_us - first_poll_us, >=,
      (SLOW_TASK_S - 1) * G_USEC_PER_SEC);
  g_assert_true (m.loud);
  g_assert_cmpint (m.first_loud_us, >, media_us);
  /* Silence all that time, then all the speech, then EOS. */
  g_assert_cmpfloat (quiet, >, SLOW_TASK_S - 10);
  g_assert_cmpfloat_with_epsilon (duration - quiet,
      f->media_duration - f->media_quiet, RTSP_TOLERANCE_S);

  child_stop (server);
  assert_in_order (child_output (server), statuses);
}

/* A task that fails: if it fails while the server is still answering
 * DESCRIBE (a failure at the first polls may), the client gets an error
 * (503); once it plays, the silence ends with EOS. Either way no speech,
 * and the server's operator sees why, in the element's words. */
static void
pull_failed_task (Fixture * f, const gchar * task_id, gboolean playing)
{
  g_autoptr (Child) server = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree gchar *base = start_rtsp_server (f, &server);
  g_autofree gchar *client = rtsp_client_description (base, task_id);
  g_autofree gchar *prefix = g_strdup_printf ("task %s: error: ", task_id);
  g_autofree gchar *why = g_strdup_printf ("Task \"%s\" failed: ", task_id);
  const gchar *line;
  Measure m;

  measure_audio_full (client, NULL, &m, &error);
  g_test_message ("client: %s", error != NULL ? error->message : "EOS");
  if (playing)
    g_assert_no_error (error);
  g_assert_false (m.loud);

  line = child_wait_for_line (server, prefix);
  g_assert_nonnull (strstr (line, why));
  child_stop (server);
}

static void
test_rtsp_failed_task (Fixture * f, gconstpointer data)
{
  pull_failed_task (f, FAILED_TASK_ID, FALSE);
}

static void
test_rtsp_task_failing_late (Fixture * f, gconstpointer data)
{
  pull_failed_task (f, LATE_FAILED_TASK_ID, TRUE);
}

static void
test_rtsp_not_a_task_path (Fixture * f, gconstpointer data)
{
  g_autoptr (Child) server = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree gchar *base = start_rtsp_server (f, &server);
  g_autofree gchar *root = g_strndup (base, strlen (base) - strlen ("task/"));
  g_autofree gchar *client = rtsp_client_description (root, "other/"
      TASK_ID);

  g_assert_cmpfloat (measure_audio (client, &error), <, 0);
  g_assert_error (error, GST_RESOURCE_ERROR, GST_RESOURCE_ERROR_NOT_FOUND);
  g_assert_cmpuint (jimmy_mock_server_count_requests (f->api, "/"), ==, 0);
  child_stop (server);
}

static void
skip_rtsp (void)
{
  g_test_skip ("jimmy-rtsp-server was not built (no "
      "gstreamer-rtsp-server-1.0)");
}

static gboolean
have_rtsp_server (void)
{
  const gchar *server = g_getenv ("JIMMY_RTSP_SERVER");

  return server != NULL && *server != '\0';
}

int
main (int argc, char **argv)
{
  gst_init (&argc, &argv);
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add ("/examples/" path, Fixture, NULL, fixture_set_up, func, \
      fixture_tear_down)
#define ADD_RTSP(path, func) \
  if (have_rtsp_server ()) \
    ADD (path, func); \
  else \
    g_test_add_func ("/examples/" path, skip_rtsp)
  ADD ("c-player/writes-wav", test_c_player_writes_wav);
  ADD ("c-player/failed-task", test_c_player_failed_task);
  ADD ("c-player/usage", test_c_player_usage);
  ADD ("python-player/writes-wav", test_python_player_writes_wav);
  ADD ("python-player/failed-task", test_python_player_failed_task);
  ADD ("c-player/no-element", test_c_player_no_element);
  ADD ("c-player/interrupt", test_c_player_interrupt);
  ADD ("python-player/interrupt", test_python_player_interrupt);
  ADD ("python-player/no-element", test_python_player_no_element);
  ADD ("c-player/caption-fits-80-columns", test_c_player_caption_fits);
  ADD ("demo/absolute-build-dir", test_demo_absolute_build_dir);
  ADD ("mock-server/grammar", test_mock_server_grammar);
  ADD_RTSP ("rtsp-server/round-trip", test_rtsp_round_trip);
  ADD_RTSP ("rtsp-server/task-completing-late",
      test_rtsp_task_completing_late);
  ADD_RTSP ("rtsp-server/failed-task", test_rtsp_failed_task);
  ADD_RTSP ("rtsp-server/task-failing-late", test_rtsp_task_failing_late);
  ADD_RTSP ("rtsp-server/not-a-task-path", test_rtsp_not_a_task_path);
#undef ADD_RTSP
#undef ADD

  return g_test_run ();
}
