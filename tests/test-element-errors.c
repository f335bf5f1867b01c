/* test-element-errors.c: every documented jimmyaudiosrc error, with its
 * domain, code, sentence and details, and no API key anywhere.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <string.h>

#include "element-fixture.h"

#define ADD(path, func) \
  g_test_add ("/element-errors/" path, ElementFixture, NULL, \
      element_fixture_set_up, func, element_fixture_tear_down)

#define LAUNCH "jimmyaudiosrc name=src task-id=" TEST_TASK_ID \
  " ! fakesink sync=false"

/* Runs a task scripted with @script to its error. */
static void
run_script (ElementFixture * f, const char *script)
{
  element_fixture_add_task (f, TEST_TASK_ID, script);
  element_fixture_launch (f, LAUNCH);
  element_fixture_run (f, GST_STATE_PLAYING);
  g_assert_false (f->eos);
}

/* READY→PAUSED fails at once for settings errors, with no request. */
static void
assert_refused_to_start (ElementFixture * f, const char *fragment)
{
  g_autoptr (GstBus) bus = gst_element_get_bus (f->pipeline);

  g_assert_cmpint (gst_element_set_state (f->pipeline, GST_STATE_PAUSED), ==,
      GST_STATE_CHANGE_FAILURE);
  f->error = gst_bus_pop_filtered (bus, GST_MESSAGE_ERROR);
  element_fixture_assert_error (f, GST_RESOURCE_ERROR,
      GST_RESOURCE_ERROR_SETTINGS, fragment);
  g_assert_cmpuint (jimmy_mock_server_count_requests (f->api, "/"), ==, 0);
}

static void
test_missing_task_id (ElementFixture * f, gconstpointer data)
{
  element_fixture_launch (f, "jimmyaudiosrc name=src ! fakesink");
  assert_refused_to_start (f, "task-id");
}

static void
test_missing_api_key (ElementFixture * f, gconstpointer data)
{
  element_fixture_launch (f, LAUNCH);
  g_object_set (f->src, "api-key", NULL, NULL);
  assert_refused_to_start (f, "JIMMY_API_KEY");
}

/* A key read from a file with its line break: refused before any request
 * (libsoup would drop the header), without quoting the key. */
static void
test_api_key_with_line_break (ElementFixture * f, gconstpointer data)
{
  element_fixture_launch (f, LAUNCH);
  g_object_set (f->src, "api-key", TEST_API_KEY "\n", NULL);
  /* element_fixture_assert_error also checks that the key is not in the
   * message nor in the debug string. */
  assert_refused_to_start (f, "line break");
}

static void
test_bad_task_id (ElementFixture * f, gconstpointer data)
{
  element_fixture_launch (f, LAUNCH);
  g_object_set (f->src, "task-id", "..", NULL);
  assert_refused_to_start (f, "task-id");
}

static void
test_bad_api_url (ElementFixture * f, gconstpointer data)
{
  element_fixture_launch (f, LAUNCH);
  g_object_set (f->src, "api-url", "ftp://127.0.0.1/", NULL);
  assert_refused_to_start (f, "ftp://127.0.0.1/");
}

/* The debug string names the client's error code, not just its number. */
static void
assert_debug_names_code (ElementFixture * f, const char *expected)
{
  g_autoptr (GError) error = NULL;
  g_autofree gchar *debug = NULL;

  gst_message_parse_error (f->error, &error, &debug);
  g_assert_nonnull (strstr (debug, expected));
}

static void
test_task_failed (ElementFixture * f, gconstpointer data)
{
  jimmy_mock_server_set_failure_text (f->api, "the voice sample is silent");
  run_script (f, "queued,failed");

  element_fixture_assert_error (f, GST_RESOURCE_ERROR,
      GST_RESOURCE_ERROR_FAILED, "the voice sample is silent");
  /* START, queued, failed, then the error. */
  g_assert_cmpstr (f->progress->str, ==, "SCCE");
  element_fixture_assert_detail_string (f, "task-id", TEST_TASK_ID);
  element_fixture_assert_detail_string (f, "task-status", "failed");
  assert_debug_names_code (f, "JIMMY_CLIENT_ERROR_TASK_FAILED "
      "(jimmy-client-error-quark, 6)");
  /* The failed status itself was posted too. */
  g_assert_cmpuint (f->statuses->len, ==, 2);
  g_assert_cmpstr (gst_structure_get_string (g_ptr_array_index (f->statuses,
              1), "error"), ==, "the voice sample is silent");
}

static void
test_not_authorized (ElementFixture * f, gconstpointer data)
{
  element_fixture_add_task (f, TEST_TASK_ID, "completed");
  element_fixture_launch (f, LAUNCH);
  g_object_set (f->src, "api-key", "sk_wrong_key", NULL);
  element_fixture_run (f, GST_STATE_PLAYING);

  element_fixture_assert_error (f, GST_RESOURCE_ERROR,
      GST_RESOURCE_ERROR_NOT_AUTHORIZED, "api-key");
  element_fixture_assert_detail_http_status (f, 401);
}

static void
test_forbidden (ElementFixture * f, gconstpointer data)
{
  run_script (f, "http-403");
  element_fixture_assert_error (f, GST_RESOURCE_ERROR,
      GST_RESOURCE_ERROR_NOT_AUTHORIZED, TEST_TASK_ID);
  element_fixture_assert_detail_http_status (f, 403);
}

static void
test_not_found (ElementFixture * f, gconstpointer data)
{
  element_fixture_launch (f, LAUNCH);
  element_fixture_run (f, GST_STATE_PLAYING);

  element_fixture_assert_error (f, GST_RESOURCE_ERROR,
      GST_RESOURCE_ERROR_NOT_FOUND, TEST_TASK_ID);
  element_fixture_assert_detail_http_status (f, 404);
  element_fixture_assert_detail_api_code (f, 40400);
}

static void
test_api_code (ElementFixture * f, gconstpointer data)
{
  run_script (f, "processing,api-error");
  element_fixture_assert_error (f, GST_RESOURCE_ERROR,
      GST_RESOURCE_ERROR_FAILED, "50001");
  element_fixture_assert_error (f, GST_RESOURCE_ERROR,
      GST_RESOURCE_ERROR_FAILED, "Check task-id");
  element_fixture_assert_detail_api_code (f, 50001);
  element_fixture_assert_detail_string (f, "task-status", "processing");
}

static void
test_malformed (ElementFixture * f, gconstpointer data)
{
  run_script (f, "garbage");
  element_fixture_assert_error (f, GST_RESOURCE_ERROR,
      GST_RESOURCE_ERROR_READ, TEST_TASK_ID);
}

static void
test_completed_without_audio_url (ElementFixture * f, gconstpointer data)
{
  run_script (f, "completed-no-audio");
  element_fixture_assert_error (f, GST_RESOURCE_ERROR,
      GST_RESOURCE_ERROR_READ, "audioUrl");
}

static void
test_audio_url_not_http (ElementFixture * f, gconstpointer data)
{
  run_script (f, "completed-bad-url");
  element_fixture_assert_error (f, GST_RESOURCE_ERROR,
      GST_RESOURCE_ERROR_READ, "audioUrl");
}

static void
test_oversized_body (ElementFixture * f, gconstpointer data)
{
  run_script (f, "huge");
  element_fixture_assert_error (f, GST_RESOURCE_ERROR,
      GST_RESOURCE_ERROR_READ, "1 MiB");
}

static void
test_retries_exhausted (ElementFixture * f, gconstpointer data)
{
  element_fixture_add_task (f, TEST_TASK_ID, "http-503");
  element_fixture_launch (f, LAUNCH);
  g_object_set (f->src, "max-retries", 2, NULL);
  element_fixture_run (f, GST_STATE_PLAYING);

  element_fixture_assert_error (f, GST_RESOURCE_ERROR,
      GST_RESOURCE_ERROR_READ, "max-retries");
  element_fixture_assert_detail_http_status (f, 503);
  g_assert_cmpuint (jimmy_mock_server_count_requests (f->api, TEST_TASK_PATH),
      ==, 3);
}

static void
test_task_timeout (ElementFixture * f, gconstpointer data)
{
  element_fixture_add_task (f, TEST_TASK_ID, "queued,processing");
  element_fixture_launch (f, LAUNCH);
  g_object_set (f->src, "task-timeout", 1, "poll-interval", 100, NULL);
  element_fixture_run (f, GST_STATE_PLAYING);

  element_fixture_assert_error (f, GST_RESOURCE_ERROR,
      GST_RESOURCE_ERROR_READ, "task-timeout");
  element_fixture_assert_detail_string (f, "task-status", "processing");
}

static void
test_cross_origin_redirect_drops_key (ElementFixture * f, gconstpointer data)
{
  g_autoptr (GPtrArray) requests = NULL;
  JimmyMockRequest *r;

  /* The media host also answers the API path, with a 401: no key came. */
  jimmy_mock_server_set_api_key (f->media, TEST_API_KEY);
  run_script (f, "redirect-other");

  /* It says where the refusal came from, and that no key went there. */
  element_fixture_assert_error (f, GST_RESOURCE_ERROR,
      GST_RESOURCE_ERROR_NOT_AUTHORIZED, "never sent to another origin");
  requests = jimmy_mock_server_dup_requests (f->media);
  g_assert_cmpuint (requests->len, ==, 1);
  r = g_ptr_array_index (requests, 0);
  g_assert_true (g_str_has_prefix (r->path, TEST_TASK_PATH));
  g_assert_null (r->authorization);
}

static void
test_key_never_in_messages (ElementFixture * f, gconstpointer data)
{
  g_autoptr (GstBus) bus = NULL;
  GstMessage *message;
  guint count = 0;

  element_fixture_add_task (f, TEST_TASK_ID, "queued,processing,failed");
  element_fixture_launch (f, LAUNCH);
  bus = gst_element_get_bus (f->pipeline);
  gst_element_set_state (f->pipeline, GST_STATE_PLAYING);

  /* Every message until the error, serialised, never shows the key. */
  while ((message = gst_bus_timed_pop (bus, 30 * GST_SECOND)) != NULL) {
    const GstStructure *s = gst_message_get_structure (message);
    gboolean is_error = GST_MESSAGE_TYPE (message) == GST_MESSAGE_ERROR;

    if (s != NULL) {
      g_autofree char *text = gst_structure_to_string (s);
      g_assert_null (strstr (text, TEST_API_KEY));
    }
    count++;
    gst_message_unref (message);
    if (is_error)
      break;
  }
  g_assert_cmpuint (count, >, 3);
}

int
main (int argc, char **argv)
{
  gst_init (NULL, NULL);
  g_test_init (&argc, &argv, NULL);

  ADD ("missing-task-id", test_missing_task_id);
  ADD ("missing-api-key", test_missing_api_key);
  ADD ("api-key-with-line-break", test_api_key_with_line_break);
  ADD ("bad-task-id", test_bad_task_id);
  ADD ("bad-api-url", test_bad_api_url);
  ADD ("task-failed", test_task_failed);
  ADD ("not-authorized", test_not_authorized);
  ADD ("forbidden", test_forbidden);
  ADD ("not-found", test_not_found);
  ADD ("api-code", test_api_code);
  ADD ("malformed", test_malformed);
  ADD ("completed-without-audio-url", test_completed_without_audio_url);
  ADD ("audio-url-not-http", test_audio_url_not_http);
  ADD ("oversized-body", test_oversized_body);
  ADD ("retries-exhausted", test_retries_exhausted);
  ADD ("task-timeout", test_task_timeout);
  ADD ("cross-origin-redirect-drops-key",
      test_cross_origin_redirect_drops_key);
  ADD ("key-never-in-messages", test_key_never_in_messages);

  return g_test_run ();
}
