/* stop-storm.c: the stop storm of issue 12, as a tool. Several processes,
 * each with a few pipelines whose own threads toggle them PLAYING→NULL
 * 0–4 ms after PLAYING, as fast as they can; in each process the API
 * answers every poll at once (the task is completed) and the media host
 * accepts connections and never answers, so every stop falls before the
 * poll, while it is answered, while the chain is built or while
 * souphttpsrc waits for the media host.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Not a meson test (it runs for minutes): run it from the build tree,
 *
 *   build/tests/stop-storm --processes 4 --seconds 600
 *
 * It stops after --seconds or --toggles per pipeline, whichever comes
 * first, and prints one line per process and a summary: toggles,
 * crashes (a process killed by a signal), hangs (a toggle that did not
 * return within --hang-seconds: the process prints where and exits 3),
 * error messages, and the slowest PLAYING→NULL. Exit status 0 only
 * without any. Loopback only. --source=souphttpsrc toggles a bare
 * `souphttpsrc ! fakesink` against the same media host instead, to tell
 * the element's faults from souphttpsrc's; --media=streaming points it
 * at a media host that answers.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <gio/gio.h>
#include <gst/gst.h>

#include "blackhole.h"
#include "jimmy-mock-server.h"

#define API_KEY "sk_storm"
#define EXIT_HUNG 3

/* What issue 12 asks of a stop (PAUSED→READY→NULL); counted, not
 * enforced: the storm is about crashes and hangs. */
#define STOP_BOUND_US (200 * G_TIME_SPAN_MILLISECOND)

static gint n_processes = 4;
static gint n_pipelines = 2;
static gint seconds = 60;
static gint max_toggles = G_MAXINT;
static gint max_delay_ms = 4;
static gint hang_seconds = 30;
static char *source_kind = NULL;        /* "jimmyaudiosrc" or "souphttpsrc" */
static char *media_kind = NULL;         /* "blackhole" or "streaming" */
static gint child_index = -1;       /* >= 0 in a storm process */

static GOptionEntry entries[] = {
  {"processes", 'p', 0, G_OPTION_ARG_INT, &n_processes,
      "Processes at once (default 4)", "N"},
  {"pipelines", 'n', 0, G_OPTION_ARG_INT, &n_pipelines,
      "Pipelines per process, each toggled by its own thread (default 2)",
      "N"},
  {"seconds", 's', 0, G_OPTION_ARG_INT, &seconds,
      "Stop toggling after this (default 60)", "S"},
  {"toggles", 't', 0, G_OPTION_ARG_INT, &max_toggles,
      "Stop a pipeline after this many toggles (default: no limit)", "N"},
  {"max-delay-ms", 'd', 0, G_OPTION_ARG_INT, &max_delay_ms,
      "NULL comes 0 to this many ms after PLAYING (default 4)", "MS"},
  {"hang-seconds", 0, 0, G_OPTION_ARG_INT, &hang_seconds,
      "A toggle taking longer is a hang (default 30)", "S"},
  {"source", 0, 0, G_OPTION_ARG_STRING, &source_kind,
      "jimmyaudiosrc (default) or souphttpsrc (no jimmyaudiosrc at all)",
      "NAME"},
  {"media", 0, 0, G_OPTION_ARG_STRING, &media_kind,
      "blackhole (default: accepts, never answers) or streaming", "KIND"},
  {"child", 0, G_OPTION_FLAG_HIDDEN, G_OPTION_ARG_INT, &child_index,
      "Run as storm process number N", "N"},
  {NULL}
};

/* ---------------------------------------------------------------------- */
/* One process */

typedef struct {
  GstElement *pipeline;         /* (owned) */
  guint index;
  GThread *thread;              /* (owned) */
  gint64 deadline;
  /* Atomics, read by the watchdog and at the end. */
  gint toggles;
  gint errors;
  GMutex lock;                  /* guards the two below, for the watchdog */
  gint64 step_start;            /* monotonic µs, 0 when not in a state change */
  gboolean to_null;             /* the change in progress is to NULL */
  gint64 slowest_null;          /* µs, written by the thread only */
  guint slow_nulls;             /* over STOP_BOUND_US, ditto */
} Toggler;

/* Children the element detached because they did not stop in time. */
static gint n_detached;

/* Set once the togglers are done: the watchdog returns. */
static gint storm_done;

static void
count_detached (GstDebugCategory * category, GstDebugLevel level,
    const gchar * file, const gchar * function, gint line, GObject * object,
    GstDebugMessage * message, gpointer user_data)
{
  if (level == GST_LEVEL_WARNING
      && strcmp (gst_debug_category_get_name (category), "jimmyaudiosrc") == 0
      && strstr (gst_debug_message_get (message), ": detached") != NULL)
    g_atomic_int_inc (&n_detached);
}

static GstBusSyncReply
count_errors (GstBus * bus, GstMessage * message, gpointer data)
{
  Toggler *toggler = data;
  g_autoptr (GError) error = NULL;
  g_autofree char *debug = NULL;

  if (GST_MESSAGE_TYPE (message) != GST_MESSAGE_ERROR)
    return GST_BUS_PASS;
  gst_message_parse_error (message, &error, &debug);
  /* Only the first few: a broken build would flood the terminal. */
  if (g_atomic_int_add (&toggler->errors, 1) < 3)
    g_printerr ("storm %d, pipeline %u: error from %s: %s (%s)\n",
        child_index, toggler->index, GST_MESSAGE_SRC_NAME (message),
        error->message, debug);
  return GST_BUS_DROP;
}

static gboolean
set_state_timed (Toggler * toggler, GstState state)
{
  GstStateChangeReturn ret;
  gint64 start = g_get_monotonic_time ();

  g_mutex_lock (&toggler->lock);
  toggler->to_null = state == GST_STATE_NULL;
  toggler->step_start = start;
  g_mutex_unlock (&toggler->lock);
  ret = gst_element_set_state (toggler->pipeline, state);
  g_mutex_lock (&toggler->lock);
  toggler->step_start = 0;
  g_mutex_unlock (&toggler->lock);
  if (state == GST_STATE_NULL) {
    gint64 took = g_get_monotonic_time () - start;

    toggler->slowest_null = MAX (toggler->slowest_null, took);
    if (took > STOP_BOUND_US)
      toggler->slow_nulls++;
  }
  if (ret == GST_STATE_CHANGE_FAILURE
      || (state == GST_STATE_NULL && ret != GST_STATE_CHANGE_SUCCESS)) {
    g_printerr ("storm %d, pipeline %u: set_state(%s) returned %s\n",
        child_index, toggler->index, gst_element_state_get_name (state),
        gst_element_state_change_return_get_name (ret));
    g_atomic_int_inc (&toggler->errors);
    return FALSE;
  }
  return TRUE;
}

static gpointer
toggle (gpointer data)
{
  Toggler *toggler = data;
  g_autoptr (GRand) rand = g_rand_new ();

  while (g_atomic_int_get (&toggler->toggles) < max_toggles
      && g_get_monotonic_time () < toggler->deadline) {
    if (!set_state_timed (toggler, GST_STATE_PLAYING))
      break;
    g_usleep (g_rand_int_range (rand, 0, max_delay_ms * 1000 + 1));
    if (!set_state_timed (toggler, GST_STATE_NULL))
      break;
    g_atomic_int_inc (&toggler->toggles);
  }
  return NULL;
}

static GstElement *
make_pipeline (guint index, const char *api_url, const char *media_url)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *description = NULL;
  GstElement *pipeline;

  if (g_strcmp0 (source_kind, "souphttpsrc") == 0)
    description = g_strdup_printf ("souphttpsrc location=%s/media/storm-%d-%u"
        ".mp3 ! fakesink sync=false", media_url, child_index, index);
  else
    description = g_strdup_printf ("jimmyaudiosrc task-id=storm-%d-%u "
        "api-key=" API_KEY " api-url=%s poll-interval=10 ! audioconvert ! "
        "fakesink sync=false", child_index, index, api_url);
  pipeline = gst_parse_launch (description, &error);
  if (pipeline == NULL)
    g_error ("cannot make `%s`: %s", description, error->message);
  return pipeline;
}

/* Exits EXIT_HUNG, saying which state change hung, when one takes longer
 * than --hang-seconds. */
static gpointer
watch_for_hangs (gpointer data)
{
  Toggler *togglers = data;
  gint i;

  while (!g_atomic_int_get (&storm_done)) {
    g_usleep (G_USEC_PER_SEC / 10);
    for (i = 0; i < n_pipelines; i++) {
      gint64 start;
      gboolean to_null;

      g_mutex_lock (&togglers[i].lock);
      start = togglers[i].step_start;
      to_null = togglers[i].to_null;
      g_mutex_unlock (&togglers[i].lock);
      if (start != 0 && g_get_monotonic_time () - start >
          (gint64) hang_seconds * G_USEC_PER_SEC) {
        fprintf (stderr, "storm %d, pipeline %d: set_state(%s) has not "
            "returned after %d s, toggle %d: hung\n", child_index, i,
            to_null ? "NULL" : "PLAYING", hang_seconds,
            g_atomic_int_get (&togglers[i].toggles) + 1);
        fflush (stderr);
        _exit (EXIT_HUNG);
      }
    }
  }
  return NULL;
}

static int
run_child (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (JimmyMockServer) api = jimmy_mock_server_new ();
  g_autoptr (JimmyMockServer) media = NULL;
  g_autoptr (GSocket) hole = NULL;
  g_autofree char *media_url = NULL;
  g_autofree Toggler *togglers = g_new0 (Toggler, n_pipelines);
  gint64 start = g_get_monotonic_time ();
  gint64 deadline = start + (gint64) seconds * G_USEC_PER_SEC;
  gint64 slowest_null = 0;
  gint toggles = 0, errors = 0;
  guint slow_nulls = 0;
  GThread *watchdog;
  gint i;

  jimmy_mock_server_set_api_key (api, API_KEY);
  jimmy_mock_server_set_default_script (api, "completed");
  if (!jimmy_mock_server_start (api, "127.0.0.1", 0, &error))
    g_error ("cannot start the mock API: %s", error->message);
  if (g_strcmp0 (media_kind, "streaming") == 0) {
    media = jimmy_mock_server_new ();
    if (!jimmy_mock_server_start (media, "127.0.0.1", 0, &error)
        || !jimmy_mock_server_set_media_file (media, STORM_MEDIA_FILE,
            &error))
      g_error ("cannot start the mock media host: %s", error->message);
    media_url = g_strdup (jimmy_mock_server_get_base_url (media));
  } else {
    hole = test_blackhole_open (&media_url, &error);
    if (hole == NULL)
      g_error ("cannot open the media black hole: %s", error->message);
  }
  jimmy_mock_server_set_media_base_url (api, media_url);

  for (i = 0; i < n_pipelines; i++) {
    g_autoptr (GstBus) bus = NULL;

    togglers[i].index = i;
    togglers[i].deadline = deadline;
    g_mutex_init (&togglers[i].lock);
    togglers[i].pipeline = make_pipeline (i,
        jimmy_mock_server_get_base_url (api), media_url);
    bus = gst_element_get_bus (togglers[i].pipeline);
    gst_bus_set_sync_handler (bus, count_errors, &togglers[i], NULL);
  }
  watchdog = g_thread_new ("storm-watchdog", watch_for_hangs, togglers);
  for (i = 0; i < n_pipelines; i++)
    togglers[i].thread = g_thread_new ("storm-toggler", toggle, &togglers[i]);
  for (i = 0; i < n_pipelines; i++) {
    g_thread_join (togglers[i].thread);
    toggles += g_atomic_int_get (&togglers[i].toggles);
    errors += g_atomic_int_get (&togglers[i].errors);
    slowest_null = MAX (slowest_null, togglers[i].slowest_null);
    slow_nulls += togglers[i].slow_nulls;
  }
  g_atomic_int_set (&storm_done, TRUE);
  g_thread_join (watchdog);
  for (i = 0; i < n_pipelines; i++) {
    gst_object_unref (togglers[i].pipeline);
    g_mutex_clear (&togglers[i].lock);
  }

  /* One line the parent reads. */
  printf ("storm %d: %d toggles in %.1f s, %d errors, slowest NULL %.1f ms, "
      "%u NULLs over %d ms, %d children detached\n", child_index, toggles,
      (g_get_monotonic_time () - start) / 1e6, errors, slowest_null / 1e3,
      slow_nulls, (int) (STOP_BOUND_US / 1000), g_atomic_int_get (&n_detached));
  fflush (stdout);
  jimmy_mock_server_stop (api);
  if (media != NULL)
    jimmy_mock_server_stop (media);
  return errors == 0 ? 0 : 1;
}

/* ---------------------------------------------------------------------- */
/* The parent: starts the processes, adds up what they say */

typedef struct {
  GPid pid;
  GString *out;                 /* (owned) its stdout */
  GIOChannel *channel;          /* (owned) */
} Child;

static void
spawn_child (Child * child, const char *self, gint index)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) argv = g_ptr_array_new_with_free_func (g_free);
  gint out_fd;

  g_ptr_array_add (argv, g_strdup (self));
  g_ptr_array_add (argv, g_strdup_printf ("--child=%d", index));
  g_ptr_array_add (argv, g_strdup_printf ("--pipelines=%d", n_pipelines));
  g_ptr_array_add (argv, g_strdup_printf ("--seconds=%d", seconds));
  g_ptr_array_add (argv, g_strdup_printf ("--toggles=%d", max_toggles));
  g_ptr_array_add (argv, g_strdup_printf ("--max-delay-ms=%d",
          max_delay_ms));
  g_ptr_array_add (argv, g_strdup_printf ("--hang-seconds=%d",
          hang_seconds));
  if (source_kind != NULL)
    g_ptr_array_add (argv, g_strdup_printf ("--source=%s", source_kind));
  if (media_kind != NULL)
    g_ptr_array_add (argv, g_strdup_printf ("--media=%s", media_kind));
  g_ptr_array_add (argv, NULL);

  if (!g_spawn_async_with_pipes (NULL, (char **) argv->pdata, NULL,
          G_SPAWN_DO_NOT_REAP_CHILD, NULL, NULL, &child->pid, NULL, &out_fd,
          NULL, &error))
    g_error ("cannot start storm process %d: %s", index, error->message);
  child->out = g_string_new (NULL);
  child->channel = g_io_channel_unix_new (out_fd);
  g_io_channel_set_close_on_unref (child->channel, TRUE);
}

static int
run_parent (const char *self)
{
  g_autofree Child *children = g_new0 (Child, n_processes);
  gint crashes = 0, hangs = 0, failed = 0;
  gint64 toggles = 0;
  gint64 start = g_get_monotonic_time ();
  gint i;

  printf ("stop-storm: %d processes x %d %s pipelines, PLAYING->NULL 0-%d "
      "ms after PLAYING, media host %s, for %d s\n", n_processes, n_pipelines,
      source_kind ? source_kind : "jimmyaudiosrc", max_delay_ms,
      media_kind ? media_kind : "blackhole", seconds);
  fflush (stdout);
  for (i = 0; i < n_processes; i++)
    spawn_child (&children[i], self, i);

  for (i = 0; i < n_processes; i++) {
    g_autofree char *line = NULL;
    int status = 0;
    gint n = 0;

    /* Reads its whole output (it ends when the process does). */
    while (g_io_channel_read_line (children[i].channel, &line, NULL, NULL,
            NULL) == G_IO_STATUS_NORMAL) {
      g_string_append (children[i].out, line);
      g_clear_pointer (&line, g_free);
    }
    waitpid (children[i].pid, &status, 0);
    g_spawn_close_pid (children[i].pid);
    fputs (children[i].out->str, stdout);
    if (sscanf (children[i].out->str, "storm %*d: %d toggles", &n) == 1)
      toggles += n;
    if (WIFSIGNALED (status)) {
      crashes++;
      printf ("storm %d (pid %d): CRASHED, signal %d (%s)%s\n", i,
          children[i].pid, WTERMSIG (status), strsignal (WTERMSIG (status)),
          WCOREDUMP (status) ? ", core dumped" : "");
    } else if (WEXITSTATUS (status) == EXIT_HUNG) {
      hangs++;
    } else if (WEXITSTATUS (status) != 0) {
      failed++;
    }
    g_io_channel_unref (children[i].channel);
    g_string_free (children[i].out, TRUE);
  }
  printf ("stop-storm: %" G_GINT64_FORMAT " toggles in %.0f s (counted by "
      "the processes that finished): %d crashes, %d hangs, %d processes "
      "with errors\n", toggles, (g_get_monotonic_time () - start) / 1e6,
      crashes, hangs, failed);
  return crashes + hangs + failed == 0 ? 0 : 1;
}

/* The plugin of this build tree and no installed copy, as under meson
 * test; an environment that sets them wins. */
static void
use_build_tree_plugin (void)
{
  g_setenv ("GST_PLUGIN_PATH_1_0", STORM_PLUGIN_PATH, FALSE);
  g_setenv ("GST_REGISTRY", STORM_REGISTRY, FALSE);
  g_setenv ("http_proxy", "", TRUE);
  g_setenv ("no_proxy", "", TRUE);
}

int
main (int argc, char **argv)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GOptionContext) context =
      g_option_context_new ("- the stop storm of issue 12");

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error)) {
    g_printerr ("%s\n", error->message);
    return 2;
  }
  if (n_processes < 1 || n_pipelines < 1 || seconds < 1 || max_toggles < 1
      || max_delay_ms < 0 || hang_seconds < 1
      || (source_kind && strcmp (source_kind, "jimmyaudiosrc")
          && strcmp (source_kind, "souphttpsrc"))
      || (media_kind && strcmp (media_kind, "blackhole")
          && strcmp (media_kind, "streaming"))) {
    g_printerr ("stop-storm: --processes, --pipelines, --seconds, --toggles "
        "and --hang-seconds take a number of at least 1, --max-delay-ms of "
        "at least 0; --source is jimmyaudiosrc or souphttpsrc, --media "
        "blackhole or streaming\n");
    return 2;
  }

  use_build_tree_plugin ();
  if (child_index < 0) {
    /* Scan the plugins once here, not in every process at once. */
    gst_init (NULL, NULL);
    return run_parent (argv[0]);
  }
  gst_init (NULL, NULL);
  gst_debug_remove_log_function (gst_debug_log_default);
  gst_debug_add_log_function (count_detached, NULL, NULL);
  gst_debug_set_threshold_for_name ("jimmyaudiosrc", GST_LEVEL_WARNING);
  return run_child ();
}
