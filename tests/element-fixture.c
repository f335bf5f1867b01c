/* element-fixture.c
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "element-fixture.h"

#include <string.h>

/* No test should take this long; a hang fails instead of stalling CI. */
#define BUS_TIMEOUT (60 * GST_SECOND)

void
element_fixture_set_up (ElementFixture * f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  const char *media = g_getenv ("JIMMY_MOCK_MEDIA");

  g_assert_nonnull (media);

  f->api = jimmy_mock_server_new ();
  jimmy_mock_server_set_api_key (f->api, TEST_API_KEY);
  g_assert_true (jimmy_mock_server_start (f->api, "127.0.0.1", 0, &error));
  g_assert_no_error (error);

  f->media = jimmy_mock_server_new ();
  g_assert_true (jimmy_mock_server_start (f->media, "127.0.0.1", 0, &error));
  g_assert_no_error (error);
  g_assert_true (jimmy_mock_server_set_media_file (f->media, media, &error));
  g_assert_no_error (error);
  jimmy_mock_server_set_media_base_url (f->api,
      jimmy_mock_server_get_base_url (f->media));

  f->statuses = g_ptr_array_new_with_free_func ((GDestroyNotify)
      gst_structure_free);
  f->progress = g_string_new (NULL);
}

void
element_fixture_stop (ElementFixture * f)
{
  if (f->pipeline != NULL) {
    g_assert_cmpint (gst_element_set_state (f->pipeline, GST_STATE_NULL), ==,
        GST_STATE_CHANGE_SUCCESS);
    gst_clear_object (&f->pipeline);
    f->src = NULL;
  }
}

void
element_fixture_tear_down (ElementFixture * f, gconstpointer data)
{
  element_fixture_stop (f);
  jimmy_mock_server_stop (f->api);
  g_clear_object (&f->api);
  jimmy_mock_server_stop (f->media);
  g_clear_object (&f->media);
  g_ptr_array_unref (f->statuses);
  g_string_free (f->progress, TRUE);
  g_clear_pointer (&f->sink_tags, gst_tag_list_unref);
  gst_clear_message (&f->error);
}

void
element_fixture_add_task (ElementFixture * f, const char *task_id,
    const char *script)
{
  g_autoptr (GError) error = NULL;

  g_assert_true (jimmy_mock_server_add_task (f->api, task_id, script,
          &error));
  g_assert_no_error (error);
}

/* A jimmyaudiosrc pointed at the mock API, polling fast. */
GstElement *
element_fixture_make_src (ElementFixture * f, const char *task_id)
{
  GstElement *src = gst_element_factory_make ("jimmyaudiosrc", NULL);

  g_assert_nonnull (src);
  g_object_set (src, "task-id", task_id, "api-key", TEST_API_KEY,
      "api-url", jimmy_mock_server_get_base_url (f->api),
      "poll-interval", 10, NULL);
  return src;
}

/* @description names the jimmyaudiosrc "src"; its settings are added. */
void
element_fixture_launch (ElementFixture * f, const char *description)
{
  g_autoptr (GError) error = NULL;

  f->pipeline = gst_parse_launch (description, &error);
  g_assert_no_error (error);
  f->src = gst_bin_get_by_name (GST_BIN (f->pipeline), "src");
  g_assert_nonnull (f->src);
  g_object_set (f->src, "api-key", TEST_API_KEY,
      "api-url", jimmy_mock_server_get_base_url (f->api),
      "poll-interval", 10, NULL);
  /* The pipeline holds the element for us. */
  gst_object_unref (f->src);
}

/* One letter per progress type, so a test can compare whole sequences:
 * S(tart) C(ontinue) K (complete) X (canceled) E(rror). */
static void
record_progress (ElementFixture * f, GstMessage * message)
{
  GstProgressType type;
  gchar *code = NULL, *text = NULL;

  gst_message_parse_progress (message, &type, &code, &text);
  g_assert_cmpstr (code, ==, "task");
  g_assert_nonnull (text);
  g_string_append_c (f->progress, "SCKXE"[type]);
  g_free (code);
  g_free (text);
}

static void
record_sink_tags (ElementFixture * f, GstMessage * message)
{
  GstTagList *tags = NULL;
  GstTagList *merged;

  if (!GST_IS_ELEMENT (GST_MESSAGE_SRC (message))
      || !GST_OBJECT_FLAG_IS_SET (GST_MESSAGE_SRC (message),
          GST_ELEMENT_FLAG_SINK))
    return;

  gst_message_parse_tag (message, &tags);
  merged = gst_tag_list_merge (f->sink_tags, tags, GST_TAG_MERGE_REPLACE);
  g_clear_pointer (&f->sink_tags, gst_tag_list_unref);
  f->sink_tags = merged;
  gst_tag_list_unref (tags);
}

static void
record (ElementFixture * f, GstMessage * message)
{
  const GstStructure *s = gst_message_get_structure (message);

  switch (GST_MESSAGE_TYPE (message)) {
    case GST_MESSAGE_PROGRESS:
      record_progress (f, message);
      break;
    case GST_MESSAGE_TAG:
      record_sink_tags (f, message);
      break;
    case GST_MESSAGE_ELEMENT:
      if (gst_structure_has_name (s, "jimmy-task-status"))
        g_ptr_array_add (f->statuses, gst_structure_copy (s));
      break;
    case GST_MESSAGE_ERROR:
      if (f->error == NULL)
        f->error = gst_message_ref (message);
      break;
    case GST_MESSAGE_EOS:
      f->eos = TRUE;
      break;
    default:
      break;
  }
}

/* Sets @state and reads the bus until EOS or an error. */
void
element_fixture_run (ElementFixture * f, GstState state)
{
  g_autoptr (GstBus) bus = gst_element_get_bus (f->pipeline);

  gst_element_set_state (f->pipeline, state);
  while (!f->eos && f->error == NULL) {
    GstMessage *message = gst_bus_timed_pop_filtered (bus, BUS_TIMEOUT,
        GST_MESSAGE_EOS | GST_MESSAGE_ERROR | GST_MESSAGE_ELEMENT |
        GST_MESSAGE_PROGRESS | GST_MESSAGE_TAG);
    g_assert_nonnull (message);
    record (f, message);
    gst_message_unref (message);
  }
  /* Status messages posted before the end are all queued by now. */
  while (TRUE) {
    GstMessage *message = gst_bus_pop_filtered (bus,
        GST_MESSAGE_ELEMENT | GST_MESSAGE_PROGRESS | GST_MESSAGE_TAG);
    if (message == NULL)
      break;
    record (f, message);
    gst_message_unref (message);
  }
}

void
element_fixture_assert_error (ElementFixture * f, GQuark domain, gint code,
    const char *fragment)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *debug = NULL;

  g_assert_nonnull (f->error);
  gst_message_parse_error (f->error, &error, &debug);
  g_assert_error (error, domain, code);
  if (fragment != NULL && strstr (error->message, fragment) == NULL)
    g_error ("error message \"%s\" lacks \"%s\"", error->message, fragment);
  g_assert_null (strstr (error->message, TEST_API_KEY));
  g_assert_true (debug == NULL || strstr (debug, TEST_API_KEY) == NULL);
}

const GstStructure *
element_fixture_error_details (ElementFixture * f)
{
  const GstStructure *details = NULL;

  g_assert_nonnull (f->error);
  gst_message_parse_error_details (f->error, &details);
  g_assert_nonnull (details);
  return details;
}

/* The error's details carry @field with @expected. */
void
element_fixture_assert_detail_string (ElementFixture * f, const char *field,
    const char *expected)
{
  g_assert_cmpstr (gst_structure_get_string (element_fixture_error_details
          (f), field), ==, expected);
}

void
element_fixture_assert_detail_http_status (ElementFixture * f, guint expected)
{
  guint status = 0;

  g_assert_true (gst_structure_get_uint (element_fixture_error_details (f),
          "http-status", &status));
  g_assert_cmpuint (status, ==, expected);
}

void
element_fixture_assert_detail_api_code (ElementFixture * f, gint expected)
{
  gint code = 0;

  g_assert_true (gst_structure_get_int (element_fixture_error_details (f),
          "api-code", &code));
  g_assert_cmpint (code, ==, expected);
}

/* Sets NULL, which must succeed within 5 s, then drops the pipeline. */
void
element_fixture_stop_promptly (ElementFixture * f)
{
  gint64 start = g_get_monotonic_time ();

  g_assert_cmpint (gst_element_set_state (f->pipeline, GST_STATE_NULL), ==,
      GST_STATE_CHANGE_SUCCESS);
  g_assert_cmpint (g_get_monotonic_time () - start, <, 5 * G_USEC_PER_SEC);
  gst_clear_object (&f->pipeline);
  f->src = NULL;
}

/* Plays to EOS (any error fails, with its text), then stops promptly. */
void
element_fixture_run_to_eos (ElementFixture * f)
{
  element_fixture_run (f, GST_STATE_PLAYING);
  if (f->error != NULL) {
    g_autoptr (GError) error = NULL;
    g_autofree char *debug = NULL;

    gst_message_parse_error (f->error, &error, &debug);
    g_error ("expected EOS, got: %s (%s)", error->message, debug);
  }
  g_assert_true (f->eos);
  element_fixture_stop_promptly (f);
}

/* Plays to the error @domain/@code whose text holds @fragment, then stops
 * promptly. */
void
element_fixture_run_to_error (ElementFixture * f, GQuark domain, gint code,
    const char *fragment)
{
  element_fixture_run (f, GST_STATE_PLAYING);
  if (f->error != NULL) {
    g_autoptr (GError) error = NULL;
    g_autofree char *debug = NULL;

    gst_message_parse_error (f->error, &error, &debug);
    g_test_message ("error from %s: %s (%s)",
        GST_OBJECT_NAME (GST_MESSAGE_SRC (f->error)), error->message, debug);
  }
  g_assert_false (f->eos);
  element_fixture_assert_error (f, domain, code, fragment);
  element_fixture_stop_promptly (f);
}

/* The status of the @i-th "jimmy-task-status" message. */
const char *
element_fixture_status_at (ElementFixture * f, guint i)
{
  g_assert_cmpuint (i, <, f->statuses->len);
  return gst_structure_get_string (g_ptr_array_index (f->statuses, i),
      "status");
}

GBytes *
element_fixture_read_media (void)
{
  g_autoptr (GError) error = NULL;
  char *contents = NULL;
  gsize length = 0;

  g_assert_true (g_file_get_contents (g_getenv ("JIMMY_MOCK_MEDIA"),
          &contents, &length, &error));
  g_assert_no_error (error);
  return g_bytes_new_take (contents, length);
}

/* Fills @bin, a test-only source, with filesrc ! queue of the test MP3
 * behind a "src" ghost pad made from @templ: push mode, as souphttpsrc. */
void
element_fixture_fill_media_source (GstElement * bin,
    GstStaticPadTemplate * templ)
{
  GstElement *filesrc = gst_element_factory_make ("filesrc", NULL);
  GstElement *queue = gst_element_factory_make ("queue", NULL);
  g_autoptr (GstPad) target = NULL;
  g_autoptr (GstPadTemplate) pad_template = gst_static_pad_template_get (templ);

  g_object_set (filesrc, "location", g_getenv ("JIMMY_MOCK_MEDIA"), NULL);
  gst_bin_add_many (GST_BIN (bin), filesrc, queue, NULL);
  g_assert_true (gst_element_link (filesrc, queue));
  target = gst_element_get_static_pad (queue, "src");
  gst_element_add_pad (bin,
      gst_ghost_pad_new_from_template ("src", target, pad_template));
}
