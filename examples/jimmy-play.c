/* jimmy-play.c: plays a SoundClone task, or writes it to a WAV file, while
 * the terminal shows where the task is and then where the audio is.
 *
 *   JIMMY_API_KEY=sk_… jimmy-play audio_16b635ba-…            # to speakers
 *   JIMMY_API_KEY=sk_… jimmy-play audio_16b635ba-… out.wav    # to a file
 *
 *   [x] queued  [>] processing  [ ] completed    4.2 s  Task … is processing
 *   [##############----------------]  0:05.8 / 0:10.9
 *
 * The stepper follows the element's "jimmy-task-status" messages; the text
 * after it is the element's latest GST_MESSAGE_PROGRESS, when it posts
 * them. The bar comes from position and duration queries. On a terminal
 * both are redrawn in place; otherwise each change prints one line.
 *
 * The API url comes from $JIMMY_API_URL (default https://www.jimmyai.cn).
 * Exit status: 0 once the audio played to its end, 1 on an error, 2 on bad
 * usage, 130 on Ctrl-C.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <glib-unix.h>
#include <gst/gst.h>

#define BAR_WIDTH 30

static const gchar *const steps[] = { "queued", "processing", "completed" };

#define N_STEPS ((gint) G_N_ELEMENTS (steps))

typedef struct
{
  GstElement *pipeline;         /* (owned) */
  GstElement *src;              /* (owned) the jimmyaudiosrc */
  GMainLoop *loop;              /* (owned) */
  gboolean tty;                 /* redraw in place */
  gint64 start_time, end_time;  /* of the wait, in µs; end 0 = waiting */
  gchar *status;                /* (owned) (nullable) the last status */
  gint step;                    /* index in steps of the last known one */
  gchar *caption;               /* (owned) (nullable) the last progress */
  gboolean playing;             /* the audio flows: show the bar */
  int exit_status;
} Player;

/* ---------------------------------------------------------------------- */
/* Drawing */

static gchar *
format_time (GstClockTime t)
{
  return g_strdup_printf ("%u:%04.1f", (guint) (t / (60 * GST_SECOND)),
      (gdouble) (t % (60 * GST_SECOND)) / GST_SECOND);
}

/* Returns: the index of @status in steps, or -1. */
static gint
step_of (const gchar * status)
{
  for (gint i = 0; i < N_STEPS; i++)
    if (g_strcmp0 (status, steps[i]) == 0)
      return i;
  return -1;
}

/* "[x] queued  [>] processing  [ ] completed    4.2 s" */
static gchar *
format_stepper (Player * p)
{
  GString *line = g_string_new (NULL);
  gboolean off_steps = p->status != NULL && step_of (p->status) < 0;
  gint64 end = p->end_time ? p->end_time : g_get_monotonic_time ();

  for (gint i = 0; i < N_STEPS; i++) {
    gboolean done = i < p->step || (i == p->step
        && (off_steps || i == N_STEPS - 1));

    g_string_append_printf (line, "[%s] %s  ",
        done ? "x" : i == p->step ? ">" : " ", steps[i]);
  }
  if (off_steps)                /* failed, or a status new to us */
    g_string_append_printf (line, "[!] %s  ", p->status);
  g_string_append_printf (line, "%5.1f s",
      (end - p->start_time) / (gdouble) G_USEC_PER_SEC);
  return g_string_free (line, FALSE);
}

/* "[##############----------------]  0:05.8 / 0:10.9" */
static gchar *
format_bar (Player * p)
{
  gint64 position = 0, duration = 0;
  g_autofree gchar *pos = NULL, *dur = NULL;
  gint filled;

  gst_element_query_position (p->pipeline, GST_FORMAT_TIME, &position);
  if (!gst_element_query_duration (p->pipeline, GST_FORMAT_TIME, &duration))
    duration = 0;
  pos = format_time (MAX (position, 0));
  if (duration <= 0)            /* not known (yet) */
    return g_strdup_printf ("[%*s]  %s", BAR_WIDTH, "", pos);

  filled = CLAMP ((BAR_WIDTH * position + duration / 2) / duration, 0,
      BAR_WIDTH);
  dur = format_time (duration);
  return g_strdup_printf ("[%.*s%.*s]  %s / %s", filled,
      "##############################", BAR_WIDTH - filled,
      "------------------------------", pos, dur);
}

static guint
terminal_width (void)
{
  struct winsize size;

  if (ioctl (STDOUT_FILENO, TIOCGWINSZ, &size) == 0 && size.ws_col > 0)
    return size.ws_col;
  return 80;
}

/* @caption in at most @room characters: cut in the middle, where the
 * task id is, so that its end, the status word, stays. NULL when there is
 * no room for a useful part of it. */
static gchar *
fit_caption (const gchar * caption, glong room)
{
  glong length = g_utf8_strlen (caption, -1);
  glong head, tail;
  g_autofree gchar *start = NULL, *end = NULL;

  if (length <= room)
    return g_strdup (caption);
  if (room < 12)
    return NULL;
  tail = (room - 1) * 2 / 3;
  head = room - 1 - tail;
  start = g_utf8_substring (caption, 0, head);
  end = g_utf8_substring (caption, length - tail, length);
  return g_strconcat (start, "…", end, NULL);
}

/* On a terminal, redraws the current line. Elsewhere only prints it if
 * @changed: the status changed, or the audio ended. */
static void
draw (Player * p, gboolean changed, gboolean at_end)
{
  g_autofree gchar *line = NULL;

  if (!p->tty && !changed)
    return;
  line = p->playing ? format_bar (p) : format_stepper (p);
  if (p->tty) {
    /* A line that wraps could not be redrawn in place. */
    glong room = (glong) terminal_width () - 1 - g_utf8_strlen (line, -1);
    g_autofree gchar *caption = p->caption && !p->playing ?
        fit_caption (p->caption, room - 2) : NULL;
    g_autofree gchar *full = caption ?
        g_strconcat (line, "  ", caption, NULL) : g_strdup (line);
    g_autofree gchar *fits = g_utf8_substring (full, 0,
        MIN ((glong) terminal_width () - 1, g_utf8_strlen (full, -1)));

    g_print ("\r\033[K%s%s", fits, at_end ? "\n" : "");
  } else {
    g_print ("%s\n", line);
  }
}

/* Leaves the current line alone before something else is printed. */
static void
end_line (Player * p)
{
  if (p->tty)
    g_print ("\n");
}

static gboolean
on_tick (gpointer user_data)
{
  draw (user_data, FALSE, FALSE);
  return G_SOURCE_CONTINUE;
}

/* ---------------------------------------------------------------------- */
/* Messages */

static void
on_task_status (Player * p, const GstStructure * s)
{
  const gchar *status = gst_structure_get_string (s, "status");

  g_free (p->status);
  p->status = g_strdup (status);
  if (step_of (status) >= 0)
    p->step = step_of (status);
  if (g_str_equal (status, "completed") || g_str_equal (status, "failed"))
    p->end_time = g_get_monotonic_time ();
  draw (p, TRUE, FALSE);
}

/* START when polling begins, CONTINUE on each status, COMPLETE when the
 * audio starts: each carries a sentence for the user. */
static void
on_progress (Player * p, GstMessage * message)
{
  GstProgressType type;
  g_autofree gchar *text = NULL;

  gst_message_parse_progress (message, &type, NULL, &text);
  if (type == GST_PROGRESS_TYPE_ERROR || type == GST_PROGRESS_TYPE_CANCELED)
    return;                     /* the error message says it, once */
  g_free (p->caption);
  p->caption = g_steal_pointer (&text);
  if (!p->tty && !p->playing)
    g_print ("  %s\n", p->caption);
  draw (p, FALSE, FALSE);
}

static gboolean
on_message (GstBus * bus, GstMessage * message, gpointer user_data)
{
  Player *p = user_data;
  g_autoptr (GError) error = NULL;

  switch (GST_MESSAGE_TYPE (message)) {
    case GST_MESSAGE_ELEMENT:
      if (gst_message_has_name (message, "jimmy-task-status"))
        on_task_status (p, gst_message_get_structure (message));
      break;
    case GST_MESSAGE_PROGRESS:
      if (GST_MESSAGE_SRC (message) == GST_OBJECT (p->src))
        on_progress (p, message);
      break;
    case GST_MESSAGE_STATE_CHANGED:{
      GstState new_state;

      gst_message_parse_state_changed (message, NULL, &new_state, NULL);
      if (GST_MESSAGE_SRC (message) == GST_OBJECT (p->pipeline)
          && new_state == GST_STATE_PLAYING && !p->playing) {
        draw (p, FALSE, FALSE);   /* the final stepper, on a terminal */
        end_line (p);
        p->playing = TRUE;
      }
      break;
    }
    case GST_MESSAGE_WARNING:
      gst_message_parse_warning (message, &error, NULL);
      end_line (p);
      g_printerr ("jimmy-play: warning: %s\n", error->message);
      break;
    case GST_MESSAGE_ERROR:
      /* The element's sentences name the task and say what to do. */
      gst_message_parse_error (message, &error, NULL);
      end_line (p);
      g_printerr ("jimmy-play: %s\n", error->message);
      p->exit_status = 1;
      g_main_loop_quit (p->loop);
      break;
    case GST_MESSAGE_EOS:
      draw (p, TRUE, TRUE);
      p->exit_status = 0;
      g_main_loop_quit (p->loop);
      break;
    default:
      break;
  }
  return G_SOURCE_CONTINUE;
}

static gboolean
on_interrupt (gpointer user_data)
{
  Player *p = user_data;

  end_line (p);
  p->exit_status = 130;
  g_main_loop_quit (p->loop);
  return G_SOURCE_CONTINUE;
}

/* ---------------------------------------------------------------------- */

static GstElement *
make_pipeline (const gchar * task_id, gint poll_interval,
    const gchar * output)
{
  g_autoptr (GError) error = NULL;
  GstElement *pipeline, *src, *sink;

  if (output != NULL)
    pipeline = gst_parse_launch ("jimmyaudiosrc name=src ! audioconvert ! "
        "wavenc ! filesink name=sink", &error);
  else
    pipeline = gst_parse_launch ("jimmyaudiosrc name=src ! audioconvert ! "
        "audioresample ! autoaudiosink", &error);
  /* A missing element still gives a pipeline, without it: not usable. */
  if (error != NULL) {
    if (!g_error_matches (error, GST_PARSE_ERROR,
            GST_PARSE_ERROR_NO_SUCH_ELEMENT))
      g_printerr ("jimmy-play: %s\n", error->message);
    else if (strstr (error->message, "jimmyaudiosrc") != NULL)
      g_printerr ("jimmy-play: %s: the jimmy plugin is not installed, or "
          "not on GST_PLUGIN_PATH (see docs/packaging.md); "
          "\"gst-inspect-1.0 jimmyaudiosrc\" checks.\n", error->message);
    else
      g_printerr ("jimmy-play: %s: install the GStreamer plugins that "
          "provide it (gstreamer1.0-plugins-base and -good).\n",
          error->message);
    g_clear_object (&pipeline);
    return NULL;
  }

  /* Set as a property, no task id can be read as pipeline syntax. The key
   * comes from $JIMMY_API_KEY. */
  src = gst_bin_get_by_name (GST_BIN (pipeline), "src");
  g_object_set (src, "task-id", task_id, "poll-interval", poll_interval,
      NULL);
  gst_object_unref (src);
  if (output != NULL) {
    sink = gst_bin_get_by_name (GST_BIN (pipeline), "sink");
    g_object_set (sink, "location", output, NULL);
    gst_object_unref (sink);
  }
  return pipeline;
}

int
main (int argc, char **argv)
{
  Player p = { .step = -1, .exit_status = 1 };
  g_autoptr (GError) error = NULL;
  g_autoptr (GOptionContext) context = NULL;
  g_autoptr (GstBus) bus = NULL;
  gint poll_interval = 5000;
  GOptionEntry entries[] = {
    {"poll-interval", 'i', 0, G_OPTION_ARG_INT, &poll_interval,
        "Milliseconds between polls (default 5000)", "MS"},
    {NULL}
  };
  guint tick_id = 0, sigint_id;

  context = g_option_context_new ("TASK-ID [OUTPUT.wav]");
  g_option_context_add_main_entries (context, entries, NULL);
  g_option_context_add_group (context, gst_init_get_option_group ());
  if (!g_option_context_parse (context, &argc, &argv, &error)) {
    g_printerr ("jimmy-play: %s\n", error->message);
    return 2;
  }
  if (argc < 2 || argc > 3) {
    g_printerr ("usage: %s [--poll-interval MS] TASK-ID [OUTPUT.wav]\n",
        argv[0]);
    return 2;
  }

  p.pipeline = make_pipeline (argv[1], poll_interval, argc == 3 ? argv[2] :
      NULL);
  if (p.pipeline == NULL)
    return 1;
  p.src = gst_bin_get_by_name (GST_BIN (p.pipeline), "src");
  p.loop = g_main_loop_new (NULL, FALSE);
  p.tty = isatty (STDOUT_FILENO);

  bus = gst_element_get_bus (p.pipeline);
  gst_bus_add_watch (bus, on_message, &p);
  if (p.tty)
    tick_id = g_timeout_add (100, on_tick, &p);
  sigint_id = g_unix_signal_add (SIGINT, on_interrupt, &p);

  p.start_time = g_get_monotonic_time ();
  /* A failure here (bad settings) also posts an error, read on the bus. */
  gst_element_set_state (p.pipeline, GST_STATE_PLAYING);
  g_main_loop_run (p.loop);

  gst_element_set_state (p.pipeline, GST_STATE_NULL);
  if (tick_id != 0)
    g_source_remove (tick_id);
  g_source_remove (sigint_id);
  gst_bus_remove_watch (bus);
  gst_object_unref (p.src);
  gst_object_unref (p.pipeline);
  g_main_loop_unref (p.loop);
  g_free (p.status);
  g_free (p.caption);
  return p.exit_status;
}
