/* test-uri.c: jimmy://<task-id> through the URI handler, uridecodebin,
 * playbin and GstDiscoverer.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <gst/pbutils/pbutils.h>

#include "element-fixture.h"

#define TEST_URI "jimmy://" TEST_TASK_ID

#define ADD(path, func) \
  g_test_add ("/uri/" path, ElementFixture, NULL, \
      uri_fixture_set_up, func, uri_fixture_tear_down)

/* Elements made from URIs get their settings from the environment. */
static void
uri_fixture_set_up (ElementFixture * f, gconstpointer data)
{
  element_fixture_set_up (f, data);
  g_setenv ("JIMMY_API_URL", jimmy_mock_server_get_base_url (f->api), TRUE);
  g_setenv ("JIMMY_API_KEY", TEST_API_KEY, TRUE);
  element_fixture_add_task (f, TEST_TASK_ID, "queued,completed");
}

static void
uri_fixture_tear_down (ElementFixture * f, gconstpointer data)
{
  g_unsetenv ("JIMMY_API_URL");
  g_unsetenv ("JIMMY_API_KEY");
  element_fixture_tear_down (f, data);
}

static void
test_make_from_uri (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GstElement) src = NULL;
  g_autofree char *task_id = NULL;
  g_autofree char *uri = NULL;

  src = gst_element_make_from_uri (GST_URI_SRC, TEST_URI, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (src);
  g_assert_cmpstr (G_OBJECT_TYPE_NAME (src), ==, "GstJimmyAudioSrc");

  g_object_get (src, "task-id", &task_id, NULL);
  g_assert_cmpstr (task_id, ==, TEST_TASK_ID);
  uri = gst_uri_handler_get_uri (GST_URI_HANDLER (src));
  g_assert_cmpstr (uri, ==, TEST_URI);
}

static void
test_uri_escaping_round_trip (void)
{
  g_autoptr (GstElement) src = gst_element_factory_make ("jimmyaudiosrc",
      NULL);
  g_autoptr (GError) error = NULL;
  g_autofree char *uri = NULL;
  g_autofree char *task_id = NULL;

  g_object_set (src, "task-id", "audio x/y", NULL);
  uri = gst_uri_handler_get_uri (GST_URI_HANDLER (src));
  g_assert_cmpstr (uri, ==, "jimmy://audio%20x%2Fy");

  g_assert_true (gst_uri_handler_set_uri (GST_URI_HANDLER (src),
          "jimmy://audio_%C3%A9", &error));
  g_assert_no_error (error);
  g_object_get (src, "task-id", &task_id, NULL);
  g_assert_cmpstr (task_id, ==, "audio_\xc3\xa9");
}

static void
test_bad_uris (void)
{
  const char *bad[] = {
    "jimmy://", "jimmy:///audio_1", "jimmy://audio_1/extra",
    "jimmy://audio_1?key=x", "jimmy://audio_1#x", "jimmy://audio_1:80",
    "jimmy://%2E%2E", "jimmy:audio_1", "jimmy://audio%01",
    "jimmy://user@audio_1", "jimmy://[::1]",
  };
  g_autoptr (GstElement) src = gst_element_factory_make ("jimmyaudiosrc",
      NULL);
  guint i;

  for (i = 0; i < G_N_ELEMENTS (bad); i++) {
    g_autoptr (GError) error = NULL;
    g_test_message ("URI %s", bad[i]);
    g_assert_false (gst_uri_handler_set_uri (GST_URI_HANDLER (src), bad[i],
            &error));
    g_assert_error (error, GST_URI_ERROR, GST_URI_ERROR_BAD_URI);
  }

  {
    g_autoptr (GError) error = NULL;
    g_assert_false (gst_uri_handler_set_uri (GST_URI_HANDLER (src),
            "http://audio_1", &error));
    g_assert_error (error, GST_URI_ERROR,
        GST_URI_ERROR_UNSUPPORTED_PROTOCOL);
  }
}

/* Plays @description to the end: the status messages reach the bus
 * from inside uridecodebin or playbin. */
static void
play_uri_pipeline (ElementFixture * f, const char *description)
{
  g_autoptr (GError) error = NULL;

  f->pipeline = gst_parse_launch (description, &error);
  g_assert_no_error (error);
  element_fixture_run (f, GST_STATE_PLAYING);

  g_assert_null (f->error);
  g_assert_true (f->eos);
  g_assert_cmpuint (f->statuses->len, ==, 2);
  g_assert_cmpstr (gst_structure_get_string (g_ptr_array_index (f->statuses,
              1), "status"), ==, "completed");
}

static void
test_uridecodebin (ElementFixture * f, gconstpointer data)
{
  play_uri_pipeline (f, "uridecodebin uri=" TEST_URI
      " ! audioconvert ! fakesink sync=false");
}

static void
test_playbin (ElementFixture * f, gconstpointer data)
{
  play_uri_pipeline (f, "playbin uri=" TEST_URI
      " audio-sink=\"fakesink sync=false\" video-sink=fakesink");
}

static void
test_discoverer (ElementFixture * f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GstDiscoverer) discoverer = gst_discoverer_new (30 * GST_SECOND,
      &error);
  g_autoptr (GstDiscovererInfo) info = NULL;
  g_autoptr (GstDiscovererInfo) reference = NULL;
  g_autofree char *file_uri = gst_filename_to_uri (g_getenv
      ("JIMMY_MOCK_MEDIA"), NULL);
  GList *audio;

  g_assert_no_error (error);
  info = gst_discoverer_discover_uri (discoverer, TEST_URI, &error);
  g_assert_no_error (error);
  g_assert_cmpint (gst_discoverer_info_get_result (info), ==,
      GST_DISCOVERER_OK);

  audio = gst_discoverer_info_get_audio_streams (info);
  g_assert_cmpuint (g_list_length (audio), ==, 1);
  gst_discoverer_stream_info_list_free (audio);

  reference = gst_discoverer_discover_uri (discoverer, file_uri, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (gst_discoverer_info_get_duration (info), ==,
      gst_discoverer_info_get_duration (reference));
}

int
main (int argc, char **argv)
{
  gst_init (NULL, NULL);
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/uri/make-from-uri", test_make_from_uri);
  g_test_add_func ("/uri/escaping-round-trip", test_uri_escaping_round_trip);
  g_test_add_func ("/uri/bad-uris", test_bad_uris);
  ADD ("uridecodebin", test_uridecodebin);
  ADD ("playbin", test_playbin);
  ADD ("discoverer", test_discoverer);

  return g_test_run ();
}
