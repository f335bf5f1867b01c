/* jimmy-play.c: plays a SoundClone task, or writes it to a WAV file,
 * printing each status the service reports.
 *
 *   JIMMY_API_KEY=sk_… jimmy-play audio_16b635ba-…            # to speakers
 *   JIMMY_API_KEY=sk_… jimmy-play audio_16b635ba-… out.wav    # to a file
 *
 * The API url comes from $JIMMY_API_URL (default https://www.jimmyai.cn).
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <gst/gst.h>

static void
print_status (const GstStructure * s)
{
  const gchar *status = gst_structure_get_string (s, "status");
  const gchar *field;

  g_print ("task %s: %s", gst_structure_get_string (s, "task-id"), status);
  if ((field = gst_structure_get_string (s, "model")) != NULL)
    g_print (" (%s)", field);
  if ((field = gst_structure_get_string (s, "audio-url")) != NULL)
    g_print (", audio at %s", field);
  if ((field = gst_structure_get_string (s, "error")) != NULL)
    g_print (", error: %s", field);
  g_print ("\n");
}

/* Returns the exit status: 0 when the audio played to its end. */
static int
run (GstElement * pipeline)
{
  g_autoptr (GstBus) bus = gst_element_get_bus (pipeline);

  /* A failure here (bad settings) also posts an error: read it below. */
  gst_element_set_state (pipeline, GST_STATE_PLAYING);

  while (TRUE) {
    g_autoptr (GstMessage) message = gst_bus_timed_pop_filtered (bus,
        GST_CLOCK_TIME_NONE,
        GST_MESSAGE_ELEMENT | GST_MESSAGE_ERROR | GST_MESSAGE_EOS);
    const GstStructure *s = gst_message_get_structure (message);

    switch (GST_MESSAGE_TYPE (message)) {
      case GST_MESSAGE_ELEMENT:
        if (gst_structure_has_name (s, "jimmy-task-status"))
          print_status (s);
        break;
      case GST_MESSAGE_EOS:
        g_print ("done\n");
        return 0;
      case GST_MESSAGE_ERROR:{
        g_autoptr (GError) error = NULL;
        g_autofree gchar *debug = NULL;
        gst_message_parse_error (message, &error, &debug);
        g_printerr ("error: %s\n", error->message);
        return 1;
      }
      default:
        break;
    }
  }
}

int
main (int argc, char **argv)
{
  g_autoptr (GstElement) pipeline = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (GOptionContext) context = NULL;
  gint poll_interval = 5000;
  GOptionEntry entries[] = {
    {"poll-interval", 'i', 0, G_OPTION_ARG_INT, &poll_interval,
        "Milliseconds between polls (default 5000)", "MS"},
    {NULL}
  };
  GstElement *src;
  int status;

  context = g_option_context_new ("TASK-ID [OUTPUT.wav]");
  g_option_context_add_main_entries (context, entries, NULL);
  g_option_context_add_group (context, gst_init_get_option_group ());
  if (!g_option_context_parse (context, &argc, &argv, &error)) {
    g_printerr ("%s\n", error->message);
    return 2;
  }
  if (argc < 2 || argc > 3) {
    g_printerr ("usage: %s [--poll-interval MS] TASK-ID [OUTPUT.wav]\n",
        argv[0]);
    return 2;
  }

  if (argc == 3)
    pipeline = gst_parse_launch ("jimmyaudiosrc name=src ! audioconvert ! "
        "wavenc ! filesink name=sink", &error);
  else
    pipeline = gst_parse_launch ("jimmyaudiosrc name=src ! audioconvert ! "
        "audioresample ! autoaudiosink", &error);
  if (pipeline == NULL) {
    g_printerr ("error: %s (is the jimmy plugin installed?)\n",
        error->message);
    return 1;
  }

  src = gst_bin_get_by_name (GST_BIN (pipeline), "src");
  /* Set programmatically, the id never reaches a launch-line log. */
  g_object_set (src, "task-id", argv[1], "poll-interval", poll_interval,
      NULL);
  gst_object_unref (src);
  if (argc == 3) {
    GstElement *sink = gst_bin_get_by_name (GST_BIN (pipeline), "sink");
    g_object_set (sink, "location", argv[2], NULL);
    gst_object_unref (sink);
  }

  status = run (pipeline);
  gst_element_set_state (pipeline, GST_STATE_NULL);
  return status;
}
