/* test-uri.c: jimmy://<task-id> through the URI handler, uridecodebin,
 * playbin and GstDiscoverer.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <string.h>

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
    "jimmy://audio_1#x", "jimmy://audio_1:80",
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

/* Sets @uri on a new element; returns the error (NULL if accepted). */
static GError *
set_uri_error (GstElement * src, const char *uri)
{
  GError *error = NULL;

  if (gst_uri_handler_set_uri (GST_URI_HANDLER (src), uri, &error))
    g_assert_no_error (error);
  else
    g_assert_error (error, GST_URI_ERROR, GST_URI_ERROR_BAD_URI);
  return error;
}

/* Query keys are property names, parsed with the property's type. */
static void
test_uri_options (void)
{
  g_autoptr (GstElement) src = gst_element_factory_make ("jimmyaudiosrc",
      NULL);
  g_autoptr (GError) error = NULL;
  g_autofree char *api_url = NULL;
  g_autofree char *proxy = NULL;
  g_autofree char *uri = NULL;
  guint poll_interval, task_timeout;
  gint max_retries;
  gboolean subtitles, decode;

  error = set_uri_error (src, "jimmy://audio_1?poll-interval=1000"
      "&task-timeout=600&api-url=http%3A%2F%2F127.0.0.1%3A8080%2Fv%3Fa%3Db"
      "&subtitles=true&decode=false&max-retries=-1&proxy=");
  g_assert_no_error (error);
  g_object_get (src, "poll-interval", &poll_interval, "task-timeout",
      &task_timeout, "api-url", &api_url, "subtitles", &subtitles, "decode",
      &decode, "max-retries", &max_retries, "proxy", &proxy, NULL);
  g_assert_cmpuint (poll_interval, ==, 1000);
  g_assert_cmpuint (task_timeout, ==, 600);
  g_assert_cmpstr (api_url, ==, "http://127.0.0.1:8080/v?a=b");
  g_assert_true (subtitles);
  g_assert_false (decode);
  g_assert_cmpint (max_retries, ==, -1);
  /* An empty value is an empty string: proxy="" means no proxy. */
  g_assert_cmpstr (proxy, ==, "");

  /* Canonical form: the options in the properties' order, with their
   * current values, percent-encoded. */
  g_object_set (src, "poll-interval", 2000, NULL);
  uri = gst_uri_handler_get_uri (GST_URI_HANDLER (src));
  g_assert_cmpstr (uri, ==, "jimmy://audio_1?api-url="
      "http%3A%2F%2F127.0.0.1%3A8080%2Fv%3Fa%3Db&poll-interval=2000"
      "&task-timeout=600&max-retries=-1&decode=false&proxy=&subtitles=true");
  /* … which sets the same again. */
  g_clear_error (&error);
  error = set_uri_error (src, uri);
  g_assert_no_error (error);
  g_clear_pointer (&uri, g_free);
  uri = gst_uri_handler_get_uri (GST_URI_HANDLER (src));
  g_assert_cmpstr (uri, ==, "jimmy://audio_1?api-url="
      "http%3A%2F%2F127.0.0.1%3A8080%2Fv%3Fa%3Db&poll-interval=2000"
      "&task-timeout=600&max-retries=-1&decode=false&proxy=&subtitles=true");

  /* A new URI replaces the old one's options. */
  error = set_uri_error (src, "jimmy://audio_2?task-timeout=5");
  g_assert_no_error (error);
  g_clear_pointer (&uri, g_free);
  uri = gst_uri_handler_get_uri (GST_URI_HANDLER (src));
  g_assert_cmpstr (uri, ==, "jimmy://audio_2?task-timeout=5");

  /* Enums by nick or name, given back by nick; 64-bit sizes. */
  error = set_uri_error (src, "jimmy://audio_3?cache-max-size="
      "18446744073709551615&http-log-level=SOUP_LOGGER_LOG_BODY");
  g_assert_no_error (error);
  g_clear_pointer (&uri, g_free);
  uri = gst_uri_handler_get_uri (GST_URI_HANDLER (src));
  g_assert_cmpstr (uri, ==, "jimmy://audio_3?http-log-level=body"
      "&cache-max-size=18446744073709551615");
  g_object_get (src, "poll-interval", &poll_interval, "decode", &decode,
      NULL);
  g_assert_cmpuint (poll_interval, ==, 5000);
  g_assert_true (decode);

  /* An option whose value is now unset is left out, and the next one
   * still starts the query. */
  error = set_uri_error (src, "jimmy://audio_4?proxy="
      "http%3A%2F%2F127.0.0.1%3A3128&subtitles=true");
  g_assert_no_error (error);
  g_object_set (src, "proxy", NULL, NULL);
  g_clear_pointer (&uri, g_free);
  uri = gst_uri_handler_get_uri (GST_URI_HANDLER (src));
  g_assert_cmpstr (uri, ==, "jimmy://audio_4?subtitles=true");
}

/* Bad options: BAD_URI naming the key, and nothing changes. */
static void
test_bad_uri_options (void)
{
  const struct
  {
    const char *uri;
    const char *fragment;
  } bad[] = {
    {"jimmy://audio_1?api-key=sk_x", "\"api-key\": API keys never go"},
    {"jimmy://audio_1?poll-interval=5", "\"poll-interval\": \"5\" is out "
          "of range"},
    {"jimmy://audio_1?poll-interval=abc", "\"poll-interval\": \"abc\" is "
          "not a valid guint"},
    {"jimmy://audio_1?task-timeout=-1", "\"task-timeout\""},
    {"jimmy://audio_1?decode=maybe", "\"decode\""},
    {"jimmy://audio_1?http-log-level=loud", "\"http-log-level\""},
    {"jimmy://audio_1?key=x", "\"key\": no such setting"},
    {"jimmy://audio_1?status=queued", "\"status\": a read-only result"},
    {"jimmy://audio_1?task-id=audio_2", "\"task-id\""},
    {"jimmy://audio_1?poll-interval=1000&nope=1", "\"nope\""},
    {"jimmy://audio_1?poll-interval", "poll-interval=1000"},
  };
  g_autoptr (GstElement) src = gst_element_factory_make ("jimmyaudiosrc",
      NULL);
  guint i;

  for (i = 0; i < G_N_ELEMENTS (bad); i++) {
    g_autoptr (GError) error = NULL;
    g_autofree char *uri = NULL;
    guint poll_interval;

    g_test_message ("URI %s", bad[i].uri);
    error = set_uri_error (src, bad[i].uri);
    g_assert_nonnull (error);
    g_test_message ("-> %s", error->message);
    g_assert_nonnull (strstr (error->message, bad[i].fragment));
    g_assert_null (strstr (error->message, "sk_x"));
    g_object_get (src, "poll-interval", &poll_interval, NULL);
    g_assert_cmpuint (poll_interval, ==, 5000);
    uri = gst_uri_handler_get_uri (GST_URI_HANDLER (src));
    g_assert_null (uri);
  }
}

/* Every option the URI accepts is a writable setting, and every such
 * setting but the key and the id is an option: the set follows the
 * installed properties (is-live, cache-max-size, … come by themselves). */
static void
test_uri_option_set_follows_properties (void)
{
  g_autoptr (GstElement) src = gst_element_factory_make ("jimmyaudiosrc",
      NULL);
  g_autofree GParamSpec **pspecs = NULL;
  guint i, n, accepted = 0;

  pspecs = g_object_class_list_properties (G_OBJECT_GET_CLASS (src), &n);
  for (i = 0; i < n; i++) {
    g_autoptr (GError) error = NULL;
    g_autofree char *text = NULL;
    g_autofree char *uri = NULL;
    g_auto (GValue) value = G_VALUE_INIT;
    gboolean setting = (pspecs[i]->flags & G_PARAM_READWRITE) ==
        G_PARAM_READWRITE && (pspecs[i]->flags & GST_PARAM_MUTABLE_READY)
        && strcmp (pspecs[i]->name, "task-id") != 0;

    g_value_init (&value, pspecs[i]->value_type);
    g_param_value_set_default (pspecs[i], &value);
    /* A NULL boxed default (the stats) has nothing to serialize. */
    text = G_VALUE_HOLDS_STRING (&value) || G_VALUE_HOLDS_BOXED (&value) ?
        g_strdup ("x") : gst_value_serialize (&value);
    if (text == NULL)
      continue;
    uri = g_strdup_printf ("jimmy://audio_1?%s=%s", pspecs[i]->name, text);
    error = set_uri_error (src, uri);
    g_test_message ("%s: %s", pspecs[i]->name, error ? error->message : "ok");
    g_assert_true ((error == NULL) == setting);
    accepted += error == NULL;
  }
  g_assert_cmpuint (accepted, >=, 11);
}

/* gst-discoverer-1.0 and playbin users poll fast through the URI. */
static void
test_playbin_uri_options (ElementFixture * f, gconstpointer data)
{
  g_autoptr (GstElement) source = NULL;
  guint poll_interval;

  play_uri_pipeline (f, "playbin uri=" TEST_URI "?poll-interval=200"
      " audio-sink=\"fakesink sync=false\" video-sink=fakesink");
  g_object_get (f->pipeline, "source", &source, NULL);
  g_object_get (source, "poll-interval", &poll_interval, NULL);
  g_assert_cmpuint (poll_interval, ==, 200);
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
  g_test_add_func ("/uri/options", test_uri_options);
  g_test_add_func ("/uri/bad-options", test_bad_uri_options);
  g_test_add_func ("/uri/option-set-follows-properties",
      test_uri_option_set_follows_properties);
  ADD ("uridecodebin", test_uridecodebin);
  ADD ("playbin", test_playbin);
  ADD ("playbin-uri-options", test_playbin_uri_options);
  ADD ("discoverer", test_discoverer);

  return g_test_run ();
}
