/* test-subtitles.c: the "subtitle" pad gives the task's SRT or WebVTT
 * subtitles as timed text, in step with the audio, fetched without the
 * API key.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <string.h>

#include "element-fixture.h"

/* The cues of tools/media/speech.srt. */
static const struct {
  GstClockTime start;
  const char *text;
} cues[] = {
  {0, "Hello from the Jimmy audio source."},
  {1986 * GST_MSECOND, "This voice stands in for a cloned SoundClone voice."},
  {5268 * GST_MSECOND, "The element polls the task, then streams the audio."},
  {8554 * GST_MSECOND, "It was generated offline for the tests."},
};

static char *
read_srt (void)
{
  g_autoptr (GError) error = NULL;
  char *srt = NULL;

  g_assert_true (g_file_get_contents (g_getenv ("JIMMY_MOCK_SUBTITLES"),
          &srt, NULL, &error));
  g_assert_no_error (error);
  return srt;
}

/* WebVTT is SRT with a header, no cue numbers and '.' before the ms. */
static char *
srt_to_webvtt (const char *srt)
{
  g_auto (GStrv) lines = g_strsplit (srt, "\n", -1);
  GString *vtt = g_string_new ("WEBVTT\n\n");
  guint i;

  for (i = 0; lines[i] != NULL; i++) {
    char *line = lines[i];
    if (g_ascii_isdigit (line[0]) && strstr (line, "-->") == NULL)
      continue;
    if (strstr (line, "-->") != NULL)
      g_strdelimit (line, ",", '.');
    g_string_append_printf (vtt, "%s\n", line);
  }
  return g_string_free (vtt, FALSE);
}

typedef struct {
  GPtrArray *texts;             /* (owned) */
  GArray *starts;               /* (owned) GstClockTime */
} Received;

static GstPadProbeReturn
on_text_buffer (GstPad * pad, GstPadProbeInfo * info, gpointer user_data)
{
  Received *received = user_data;
  GstBuffer *buffer = GST_PAD_PROBE_INFO_BUFFER (info);
  GstClockTime pts = GST_BUFFER_PTS (buffer);
  GstMapInfo map;

  g_assert_true (gst_buffer_map (buffer, &map, GST_MAP_READ));
  g_ptr_array_add (received->texts, g_strndup ((char *) map.data, map.size));
  g_array_append_val (received->starts, pts);
  gst_buffer_unmap (buffer, &map);
  return GST_PAD_PROBE_OK;
}

static void
play_with_subtitles (ElementFixture * f, const char *subtitles)
{
  g_autoptr (GstElement) text_sink = NULL;
  g_autoptr (GstPad) text_pad = NULL;
  g_autoptr (GPtrArray) media_requests = NULL;
  Received received = {
    g_ptr_array_new_with_free_func (g_free), g_array_new (FALSE, FALSE,
        sizeof (GstClockTime))
  };
  guint i;

  jimmy_mock_server_set_subtitles (f->api, subtitles);
  jimmy_mock_server_set_subtitles (f->media, subtitles);
  element_fixture_add_task (f, TEST_TASK_ID, "processing,completed");
  element_fixture_launch (f, "jimmyaudiosrc name=src subtitles=true "
      "task-id=" TEST_TASK_ID " ! fakesink sync=false "
      "src.subtitle ! fakesink name=text sync=false");
  text_sink = gst_bin_get_by_name (GST_BIN (f->pipeline), "text");
  text_pad = gst_element_get_static_pad (text_sink, "sink");
  gst_pad_add_probe (text_pad, GST_PAD_PROBE_TYPE_BUFFER, on_text_buffer,
      &received, NULL);

  element_fixture_run (f, GST_STATE_PLAYING);
  g_assert_null (f->error);
  g_assert_true (f->eos);

  /* Every cue, with its text and its start time: the same timeline as the
   * audio's, which starts at 0 too, so sinks present them together. */
  g_assert_cmpuint (received.texts->len, ==, G_N_ELEMENTS (cues));
  for (i = 0; i < G_N_ELEMENTS (cues); i++) {
    g_assert_cmpstr (g_ptr_array_index (received.texts, i), ==, cues[i].text);
    g_assert_cmpuint (g_array_index (received.starts, GstClockTime, i), ==,
        cues[i].start);
  }

  /* The subtitles came from the media host, without the key. */
  media_requests = jimmy_mock_server_dup_requests (f->media);
  g_assert_cmpuint (jimmy_mock_server_count_requests (f->media, "/media/"),
      ==, media_requests->len);
  for (i = 0; i < media_requests->len; i++) {
    JimmyMockRequest *r = g_ptr_array_index (media_requests, i);
    g_assert_null (r->authorization);
  }
  g_assert_cmpuint (jimmy_mock_server_count_requests (f->media,
          "/media/" TEST_TASK_ID ".srt"), ==, 1);

  g_ptr_array_unref (received.texts);
  g_array_unref (received.starts);
}

static void
test_srt (ElementFixture * f, gconstpointer data)
{
  g_autofree char *srt = read_srt ();

  play_with_subtitles (f, srt);
}

static void
test_webvtt (ElementFixture * f, gconstpointer data)
{
  g_autofree char *srt = read_srt ();
  g_autofree char *vtt = srt_to_webvtt (srt);

  play_with_subtitles (f, vtt);
}

static void
test_no_pad_by_default (ElementFixture * f, gconstpointer data)
{
  g_autofree char *srt = read_srt ();
  g_autoptr (GstPad) pad = NULL;

  jimmy_mock_server_set_subtitles (f->api, srt);
  jimmy_mock_server_set_subtitles (f->media, srt);
  element_fixture_add_task (f, TEST_TASK_ID, "completed");
  element_fixture_launch (f, "jimmyaudiosrc name=src task-id=" TEST_TASK_ID
      " ! fakesink sync=false");
  element_fixture_run (f, GST_STATE_PLAYING);

  g_assert_null (f->error);
  g_assert_true (f->eos);
  pad = gst_element_get_static_pad (f->src, "subtitle");
  g_assert_null (pad);
  g_assert_cmpuint (jimmy_mock_server_count_requests (f->media,
          "/media/" TEST_TASK_ID ".srt"), ==, 0);
}

static GstPadProbeReturn
on_text_event (GstPad * pad, GstPadProbeInfo * info, gpointer user_data)
{
  GString *events = user_data;

  g_string_append_printf (events, "%s ",
      GST_EVENT_TYPE_NAME (GST_PAD_PROBE_INFO_EVENT (info)));
  return GST_PAD_PROBE_OK;
}

static GstBusSyncReply
keep_warning (GstBus * bus, GstMessage * message, gpointer user_data)
{
  GstMessage **warning = user_data;

  if (GST_MESSAGE_TYPE (message) == GST_MESSAGE_WARNING && *warning == NULL)
    *warning = gst_message_ref (message);
  return GST_BUS_PASS;
}

/* Plays with subtitles=true and the subtitle pad linked; returns the
 * events the text sink got, and the first warning. */
static GString *
play_linked (ElementFixture * f, GstMessage ** warning)
{
  g_autoptr (GstBus) bus = NULL;
  g_autoptr (GstElement) text_sink = NULL;
  g_autoptr (GstPad) text_pad = NULL;
  GString *events = g_string_new (NULL);

  element_fixture_add_task (f, TEST_TASK_ID, "completed");
  element_fixture_launch (f, "jimmyaudiosrc name=src subtitles=true "
      "task-id=" TEST_TASK_ID " ! fakesink sync=false "
      "src.subtitle ! fakesink name=text sync=false");
  text_sink = gst_bin_get_by_name (GST_BIN (f->pipeline), "text");
  text_pad = gst_element_get_static_pad (text_sink, "sink");
  gst_pad_add_probe (text_pad, GST_PAD_PROBE_TYPE_EVENT_DOWNSTREAM,
      on_text_event, events, NULL);
  bus = gst_element_get_bus (f->pipeline);
  gst_bus_set_sync_handler (bus, keep_warning, warning, NULL);
  element_fixture_run (f, GST_STATE_PLAYING);
  gst_bus_set_sync_handler (bus, NULL, NULL, NULL);
  return events;
}

/* No subtitleFile: the pad comes anyway, with an empty stream, and the
 * pipeline prerolls and ends (it used to hang in PREROLLING). */
static void
test_no_subtitle_file (ElementFixture * f, gconstpointer data)
{
  g_autoptr (GstMessage) warning = NULL;
  g_autoptr (GString) events = play_linked (f, &warning);

  g_assert_null (warning);
  g_assert_null (f->error);
  g_assert_true (f->eos);
  g_assert_cmpstr (events->str, ==, "stream-start caps segment eos ");
}

/* The subtitles cannot be fetched (404): a warning naming the task and
 * the cause, EOS on the subtitle pad, and the audio plays to its end. */
static void
test_subtitle_download_fails (ElementFixture * f, gconstpointer data)
{
  g_autofree char *srt = read_srt ();
  g_autoptr (GString) events = NULL;
  g_autoptr (GstMessage) warning = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *debug = NULL;

  /* The API names a subtitleFile the media host does not have. */
  jimmy_mock_server_set_subtitles (f->api, srt);
  events = play_linked (f, &warning);
  g_assert_null (f->error);
  g_assert_true (f->eos);
  g_assert_nonnull (strstr (events->str, "eos"));

  g_assert_nonnull (warning);
  gst_message_parse_warning (warning, &error, &debug);
  g_assert_nonnull (strstr (error->message, "Could not fetch the subtitles "
          "of task \"" TEST_TASK_ID "\""));
  g_assert_nonnull (strstr (error->message, "Not Found"));
  g_assert_cmpuint (jimmy_mock_server_count_requests (f->media,
          "/media/" TEST_TASK_ID ".srt"), >=, 1);
}

int
main (int argc, char **argv)
{
  gst_init (NULL, NULL);
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add ("/subtitles/" path, ElementFixture, NULL, \
      element_fixture_set_up, func, element_fixture_tear_down)

  ADD ("srt", test_srt);
  ADD ("webvtt", test_webvtt);
  ADD ("no-pad-by-default", test_no_pad_by_default);
  ADD ("no-subtitle-file", test_no_subtitle_file);
  ADD ("subtitle-download-fails", test_subtitle_download_fails);

  return g_test_run ();
}
