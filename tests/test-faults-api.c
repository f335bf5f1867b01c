/* test-faults-api.c: the fault matrix of the task API. Each test breaks
 * the API one way (a mock SoupServer on loopback) and asserts, through a
 * jimmyaudiosrc in a pipeline, the documented outcome: recovery to EOS, or
 * one error with its domain, code and a sentence fragment. Every test then
 * sets the pipeline to NULL and requires that to succeed promptly.
 *
 * Test paths are the row names of the fault matrix in
 * docs/reliability.md.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <string.h>

#include <gio/gio.h>

#include "element-fixture.h"

#define ADD(path, func) \
  g_test_add ("/faults/api/" path, ElementFixture, NULL, \
      element_fixture_set_up, func, element_fixture_tear_down)

#define ADD_STATUS(path, status, func) \
  g_test_add ("/faults/api/" path, ElementFixture, GUINT_TO_POINTER (status), \
      element_fixture_set_up, func, element_fixture_tear_down)

#define LAUNCH "jimmyaudiosrc name=src task-id=" TEST_TASK_ID \
  " ! fakesink sync=false"

/* set_state (NULL) must return SUCCESS within this, whatever the request
 * in flight is doing (generous for valgrind). */

/* Waits on the mock that should never time out. */
#define WAIT_MS 20000

#define ENVELOPE "{\"code\":20000,\"msg\":\"ok\",\"data\":"
#define TASK_HEAD "{\"id\":\"" TEST_TASK_ID "\",\"object\":\"audio\"," \
  "\"model\":\"soundCloningClone\","

/* ---------------------------------------------------------------------- */
/* Helpers */

/* Scripts the task and builds the pipeline, not started yet. */
static void
prepare (ElementFixture * f, const char *script)
{
  if (script != NULL)
    element_fixture_add_task (f, TEST_TASK_ID, script);
  element_fixture_launch (f, LAUNCH);
}

/* Also checks the message names the task. */
static void
run_to_read_error (ElementFixture * f, const char *fragment)
{
  element_fixture_run_to_error (f, GST_RESOURCE_ERROR, GST_RESOURCE_ERROR_READ, fragment);
  element_fixture_assert_error (f, GST_RESOURCE_ERROR,
      GST_RESOURCE_ERROR_READ, TEST_TASK_ID);
}

static guint
count_polls (JimmyMockServer * server)
{
  return jimmy_mock_server_count_requests (server, TEST_TASK_PATH);
}

/* Microseconds between the arrival of polls @i and @i + 1. */
static gint64
poll_gap_us (ElementFixture * f, guint i)
{
  g_autoptr (GPtrArray) requests = jimmy_mock_server_dup_requests (f->api);
  JimmyMockRequest *a, *b;

  g_assert_cmpuint (requests->len, >, i + 1);
  a = g_ptr_array_index (requests, i);
  b = g_ptr_array_index (requests, i + 1);
  return b->time_us - a->time_us;
}

/* Registers @length bytes of @data as the canned body "case" and scripts
 * the task to answer it once. */
static void
prepare_body (ElementFixture * f, const char *data, gssize length,
    const char *content_type)
{
  g_autoptr (GBytes) bytes = NULL;
  g_autoptr (GError) error = NULL;

  bytes = g_bytes_new (data, length < 0 ? strlen (data) : (gsize) length);
  g_assert_true (jimmy_mock_server_add_body (f->api, "case", bytes,
          content_type, &error));
  g_assert_no_error (error);
  prepare (f, "body-case");
}

static void
run_body_to_read_error (ElementFixture * f, const char *body,
    const char *fragment)
{
  prepare_body (f, body, -1, "application/json");
  run_to_read_error (f, fragment);
  element_fixture_assert_detail_http_status (f, 200);
  g_assert_cmpuint (count_polls (f->api), ==, 1);
}

/* ---------------------------------------------------------------------- */
/* Connection faults */

typedef struct {
  GMutex lock;
  GCond cond;
  guint failures;
} FailureWatch;

/* The poller logs each transient failure at debug level on its thread:
 * "task …: poll failed (N in a row), retrying in …". */
static void
on_client_log (const gchar * domain, GLogLevelFlags level,
    const gchar * message, gpointer user_data)
{
  FailureWatch *watch = user_data;

  if (strstr (message, "poll failed") == NULL)
    return;
  g_mutex_lock (&watch->lock);
  watch->failures++;
  g_cond_broadcast (&watch->cond);
  g_mutex_unlock (&watch->lock);
}

static gboolean
wait_for_failure (FailureWatch * watch)
{
  gint64 end = g_get_monotonic_time () + WAIT_MS * G_TIME_SPAN_MILLISECOND;
  gboolean seen;

  g_mutex_lock (&watch->lock);
  while (watch->failures == 0 && g_cond_wait_until (&watch->cond,
          &watch->lock, end))
    continue;
  seen = watch->failures > 0;
  g_mutex_unlock (&watch->lock);
  return seen;
}

/* A bound socket that does not listen: connecting to it is refused, and
 * nothing else can take its port meanwhile. */
static GSocket *
reserve_port (guint * port)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GInetAddress) loopback =
      g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr (GSocketAddress) any = g_inet_socket_address_new (loopback, 0);
  g_autoptr (GSocketAddress) bound = NULL;
  GSocket *socket;

  socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM,
      G_SOCKET_PROTOCOL_TCP, &error);
  g_assert_no_error (error);
  g_assert_true (g_socket_bind (socket, any, TRUE, &error));
  g_assert_no_error (error);
  bound = g_socket_get_local_address (socket, &error);
  g_assert_no_error (error);
  *port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
  return socket;
}

static void
test_not_listening_then_up (ElementFixture * f, gconstpointer data)
{
  g_autoptr (JimmyMockServer) late = jimmy_mock_server_new ();
  g_autoptr (GSocket) reserved = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *url = NULL;
  FailureWatch watch = { 0 };
  guint handler;
  guint port;

  reserved = reserve_port (&port);
  url = g_strdup_printf ("http://127.0.0.1:%u", port);
  jimmy_mock_server_set_api_key (late, TEST_API_KEY);
  jimmy_mock_server_set_media_base_url (late,
      jimmy_mock_server_get_base_url (f->media));
  g_assert_true (jimmy_mock_server_add_task (late, TEST_TASK_ID, "completed",
          &error));
  g_assert_no_error (error);

  g_mutex_init (&watch.lock);
  g_cond_init (&watch.cond);
  handler = g_log_set_handler ("JimmyClient", G_LOG_LEVEL_DEBUG,
      on_client_log, &watch);

  prepare (f, NULL);
  /* Retries 50-100 ms, 100-200 ms, …: ample time to start the server. */
  g_object_set (f->src, "api-url", url, "poll-interval", 100,
      "max-retries", 5, NULL);
  gst_element_set_state (f->pipeline, GST_STATE_PLAYING);

  g_assert_true (wait_for_failure (&watch));
  g_socket_close (reserved, NULL);
  g_assert_true (jimmy_mock_server_start (late, "127.0.0.1", port, &error));
  g_assert_no_error (error);

  element_fixture_run_to_eos (f);
  g_assert_cmpuint (count_polls (late), ==, 1);

  g_log_remove_handler ("JimmyClient", handler);
  jimmy_mock_server_stop (late);
  g_cond_clear (&watch.cond);
  g_mutex_clear (&watch.lock);
}

static void
test_reset_before_headers (ElementFixture * f, gconstpointer data)
{
  prepare (f, "reset,completed");
  element_fixture_run_to_eos (f);
  g_assert_cmpuint (count_polls (f->api), ==, 2);
}

static void
test_reset_mid_body (ElementFixture * f, gconstpointer data)
{
  prepare (f, "processing,cut-body,completed");
  g_object_set (f->src, "max-retries", 1, NULL);
  element_fixture_run_to_eos (f);
  g_assert_cmpuint (count_polls (f->api), ==, 3);
}

static void
test_reset_mid_body_repeated (ElementFixture * f, gconstpointer data)
{
  prepare (f, "cut-body");
  g_object_set (f->src, "max-retries", 2, NULL);
  run_to_read_error (f, "max-retries");
  element_fixture_assert_error (f, GST_RESOURCE_ERROR,
      GST_RESOURCE_ERROR_READ, "after 3 failed polls in a row");
  g_assert_cmpuint (count_polls (f->api), ==, 3);
}

/* ---------------------------------------------------------------------- */
/* Transient HTTP statuses */

static void
test_status_then_completed (ElementFixture * f, gconstpointer data)
{
  guint status = GPOINTER_TO_UINT (data);
  g_autofree char *script = g_strdup_printf ("http-%u:2,completed", status);

  prepare (f, script);
  g_object_set (f->src, "max-retries", 2, NULL);
  element_fixture_run_to_eos (f);
  g_assert_cmpuint (count_polls (f->api), ==, 3);
}

static void
test_status_repeated (ElementFixture * f, gconstpointer data)
{
  guint status = GPOINTER_TO_UINT (data);
  g_autofree char *script = g_strdup_printf ("http-%u", status);
  g_autofree char *fragment = g_strdup_printf ("answered HTTP %u", status);

  prepare (f, script);
  g_object_set (f->src, "max-retries", 2, NULL);
  run_to_read_error (f, "max-retries");
  element_fixture_assert_error (f, GST_RESOURCE_ERROR,
      GST_RESOURCE_ERROR_READ, fragment);
  element_fixture_assert_detail_http_status (f, status);
  element_fixture_assert_detail_api_code (f, status * 100);
  g_assert_cmpuint (count_polls (f->api), ==, 3);
}

static void
test_retry_after_seconds (ElementFixture * f, gconstpointer data)
{
  prepare (f, "retry-after-1,completed");
  element_fixture_run_to_eos (f);
  g_assert_cmpuint (count_polls (f->api), ==, 2);
  /* The backoff alone would have waited 5-10 ms. */
  g_assert_cmpint (poll_gap_us (f, 0), >=, G_USEC_PER_SEC);
}

static void
test_retry_after_date (ElementFixture * f, gconstpointer data)
{
  /* Whole seconds: 2 s from now is more than 1 s from now. */
  prepare (f, "retry-after-date-2,completed");
  element_fixture_run_to_eos (f);
  g_assert_cmpuint (count_polls (f->api), ==, 2);
  g_assert_cmpint (poll_gap_us (f, 0), >=, G_USEC_PER_SEC);
}

/* ---------------------------------------------------------------------- */
/* Slow servers: request-timeout bounds headers and body */

/* The element also gives request-timeout to its souphttpsrc, which then
 * makes a session of its own instead of the shared one; closing that
 * session trips a leak of GLib 2.74 (a weak-location list left behind by
 * g_object_unref(), 48 bytes per stop) that valgrind would pin on these
 * tests. The download is not what they test: give it back the default. */
static void
on_deep_element_added (GstBin * bin, GstBin * sub_bin, GstElement * element,
    gpointer user_data)
{
  GstElementFactory *factory = gst_element_get_factory (element);

  if (factory != NULL && g_strcmp0 (GST_OBJECT_NAME (factory),
          "souphttpsrc") == 0)
    g_object_set (element, "timeout", 15, NULL);
}

/* request-timeout=1 for the API only. */
static void
set_short_request_timeout (ElementFixture * f)
{
  g_object_set (f->src, "request-timeout", 1, NULL);
  g_signal_connect (f->pipeline, "deep-element-added",
      G_CALLBACK (on_deep_element_added), NULL);
}

/* The second poll came after request-timeout (1 s) yet long before the
 * first one's answer was due (10 s). Measured from the start: the timeout
 * runs from the send, which may be well before the poll arrives. */
static void
assert_retried_after_timeout (ElementFixture * f, gint64 start_us)
{
  g_autoptr (GPtrArray) requests = jimmy_mock_server_dup_requests (f->api);
  JimmyMockRequest *second;

  g_assert_cmpuint (requests->len, >=, 2);
  second = g_ptr_array_index (requests, 1);
  g_assert_cmpint (second->time_us - start_us, >=, G_USEC_PER_SEC);
  g_assert_cmpint (poll_gap_us (f, 0), <, 10 * G_USEC_PER_SEC);
}

static void
test_slow_headers (ElementFixture * f, gconstpointer data)
{
  gint64 start;

  prepare (f, "slow-headers-10000,completed");
  set_short_request_timeout (f);
  start = g_get_monotonic_time ();
  element_fixture_run_to_eos (f);
  g_assert_cmpuint (count_polls (f->api), ==, 2);
  assert_retried_after_timeout (f, start);
}

static void
test_slow_headers_repeated (ElementFixture * f, gconstpointer data)
{
  prepare (f, "slow-headers-10000");
  g_object_set (f->src, "request-timeout", 1, "max-retries", 1, NULL);
  run_to_read_error (f, "max-retries");
  element_fixture_assert_error (f, GST_RESOURCE_ERROR,
      GST_RESOURCE_ERROR_READ, "took longer than request-timeout (1 s)");
  g_assert_false (gst_structure_has_field (element_fixture_error_details
          (f), "http-status"));
  g_assert_cmpuint (count_polls (f->api), ==, 2);
}

static void
test_trickle_body (ElementFixture * f, gconstpointer data)
{
  gint64 start;

  prepare (f, "trickle,completed");
  set_short_request_timeout (f);
  start = g_get_monotonic_time ();
  element_fixture_run_to_eos (f);
  g_assert_cmpuint (count_polls (f->api), ==, 2);
  /* The headers came at once: the timeout cut the body, whose ~150 bytes
   * at one per 200 ms would take half a minute. The client dropped the
   * connection: the server's next write ended the stream. */
  assert_retried_after_timeout (f, start);
  g_assert_true (jimmy_mock_server_wait_for_streams_ended (f->api, 1,
          WAIT_MS));
  g_assert_cmpuint (jimmy_mock_server_get_bytes_streamed (f->api), <=, 10);
}

static void
test_trickle_body_repeated (ElementFixture * f, gconstpointer data)
{
  prepare (f, "trickle");
  g_object_set (f->src, "request-timeout", 1, "max-retries", 1, NULL);
  run_to_read_error (f, "max-retries");
  element_fixture_assert_error (f, GST_RESOURCE_ERROR,
      GST_RESOURCE_ERROR_READ, "took longer than request-timeout (1 s)");
  g_assert_cmpuint (count_polls (f->api), ==, 2);
}

/* ---------------------------------------------------------------------- */
/* Bodies the client must refuse (RESOURCE/READ, no retry) */

static void
test_truncated_json (ElementFixture * f, gconstpointer data)
{
  run_body_to_read_error (f, ENVELOPE TASK_HEAD "\"status\":\"proc",
      "The response is not JSON");
}

static void
test_invalid_utf8 (ElementFixture * f, gconstpointer data)
{
  run_body_to_read_error (f, ENVELOPE TASK_HEAD
      "\"status\":\"processing\",\"error\":\"\xff\xfe\"}}", "not valid UTF-8");
}

static void
test_deep_nesting (ElementFixture * f, gconstpointer data)
{
  const gsize depth = 100000;
  g_autoptr (GString) body = g_string_new (ENVELOPE);
  gsize i;

  for (i = 0; i < depth; i++)
    g_string_append_c (body, '[');
  for (i = 0; i < depth; i++)
    g_string_append_c (body, ']');
  g_string_append_c (body, '}');
  run_body_to_read_error (f, body->str, "nests JSON more than 64 levels");
}

static void
test_created_out_of_range (ElementFixture * f, gconstpointer data)
{
  run_body_to_read_error (f, ENVELOPE TASK_HEAD
      "\"created\":99999999999999999999,\"status\":\"processing\"}}",
      "does not fit in 64 bits");
}

static void
test_created_string (ElementFixture * f, gconstpointer data)
{
  run_body_to_read_error (f, ENVELOPE TASK_HEAD
      "\"created\":\"1781777280\",\"status\":\"processing\"}}",
      "\"created\" is a string, expected an integer");
}

static void
test_status_number (ElementFixture * f, gconstpointer data)
{
  run_body_to_read_error (f, ENVELOPE TASK_HEAD "\"status\":2}}",
      "\"status\" is an integer, expected a string");
}

static void
test_status_null (ElementFixture * f, gconstpointer data)
{
  run_body_to_read_error (f, ENVELOPE TASK_HEAD "\"status\":null}}",
      "\"status\" is null, expected a string");
}

static void
test_data_missing (ElementFixture * f, gconstpointer data)
{
  run_body_to_read_error (f, "{\"code\":20000,\"msg\":\"ok\"}",
      "has no \"data\"");
  element_fixture_assert_detail_api_code (f, 20000);
}

static void
test_data_array (ElementFixture * f, gconstpointer data)
{
  run_body_to_read_error (f, ENVELOPE "[" TASK_HEAD
      "\"status\":\"processing\"}]}",
      "\"data\" is an array, expected an object");
}

static void
test_empty_body (ElementFixture * f, gconstpointer data)
{
  run_body_to_read_error (f, "", "The response body is empty");
}

static void
test_html_with_200 (ElementFixture * f, gconstpointer data)
{
  prepare_body (f, "<!DOCTYPE html>\n<html><head><title>Service "
      "Unavailable</title></head><body><h1>We'll be back soon</h1></body>"
      "</html>\n", -1, "text/html; charset=utf-8");
  run_to_read_error (f, "HTML or XML page");
  element_fixture_assert_detail_http_status (f, 200);
}

static void
test_oversized_content_length (ElementFixture * f, gconstpointer data)
{
  prepare (f, "huge");
  run_to_read_error (f, "larger than 1 MiB");
  element_fixture_assert_detail_http_status (f, 200);
}

/* 64 MiB, chunked (no Content-Length): the client must stop reading at
 * 1 MiB and drop the connection, not drain or buffer the rest. What the
 * server managed to write is what the client read plus what the two
 * socket buffers hold. */
static void
test_oversized_streamed (ElementFixture * f, gconstpointer data)
{
  guint64 written;

  prepare (f, "flood");
  run_to_read_error (f, "larger than 1 MiB");
  element_fixture_assert_detail_http_status (f, 200);

  g_assert_true (jimmy_mock_server_wait_for_streams_ended (f->api, 1,
          WAIT_MS));
  written = jimmy_mock_server_get_bytes_streamed (f->api);
  g_test_message ("the server wrote %" G_GUINT64_FORMAT " bytes", written);
  g_assert_cmpuint (written, >, 1024 * 1024);
  g_assert_cmpuint (written, <, 16 * 1024 * 1024);
}

/* ---------------------------------------------------------------------- */
/* Redirects */

static void
test_redirect_same_origin (ElementFixture * f, gconstpointer data)
{
  g_autoptr (GPtrArray) requests = NULL;
  JimmyMockRequest *r;

  prepare (f, "redirect-same,completed");
  element_fixture_run_to_eos (f);

  requests = jimmy_mock_server_dup_requests (f->api);
  g_assert_cmpuint (requests->len, ==, 2);
  r = g_ptr_array_index (requests, 1);
  g_assert_cmpstr (r->path, ==, "/redirected" TEST_TASK_PATH TEST_TASK_ID);
  g_assert_cmpstr (r->authorization, ==, "Bearer " TEST_API_KEY);
}

static void
test_redirect_cross_origin (ElementFixture * f, gconstpointer data)
{
  g_autoptr (GPtrArray) requests = NULL;
  g_autoptr (GError) error = NULL;
  JimmyMockRequest *r;

  /* The other origin answers the task too (with no key check). */
  g_assert_true (jimmy_mock_server_add_task (f->media, TEST_TASK_ID,
          "completed", &error));
  g_assert_no_error (error);
  prepare (f, "redirect-other");
  element_fixture_run_to_eos (f);

  requests = jimmy_mock_server_dup_requests (f->media);
  r = g_ptr_array_index (requests, 0);
  g_assert_cmpstr (r->path, ==, TEST_TASK_PATH TEST_TASK_ID);
  g_assert_null (r->authorization);
  g_assert_cmpuint (count_polls (f->media), ==, 1);
}

static void
test_redirect_loop (ElementFixture * f, gconstpointer data)
{
  prepare (f, "redirect-loop");
  run_to_read_error (f, "too many times (a loop?)");
  element_fixture_assert_detail_http_status (f, 302);
  /* The poll and the 5 redirects it may follow. */
  g_assert_cmpuint (count_polls (f->api), ==, 6);
}

/* ---------------------------------------------------------------------- */
/* Statuses */

static void
test_unknown_status (ElementFixture * f, gconstpointer data)
{
  prepare (f, "queued,rendering:2,completed");
  element_fixture_run_to_eos (f);
  g_assert_cmpuint (f->statuses->len, ==, 3);
  g_assert_cmpstr (element_fixture_status_at (f, 0), ==, "queued");
  g_assert_cmpstr (element_fixture_status_at (f, 1), ==, "rendering");
  g_assert_cmpstr (element_fixture_status_at (f, 2), ==, "completed");
}

static void
test_status_backwards (ElementFixture * f, gconstpointer data)
{
  prepare (f, "processing,queued,processing,completed");
  element_fixture_run_to_eos (f);
  g_assert_cmpuint (f->statuses->len, ==, 4);
  g_assert_cmpstr (element_fixture_status_at (f, 0), ==, "processing");
  g_assert_cmpstr (element_fixture_status_at (f, 1), ==, "queued");
  g_assert_cmpstr (element_fixture_status_at (f, 2), ==, "processing");
  g_assert_cmpstr (element_fixture_status_at (f, 3), ==, "completed");
}

/* ---------------------------------------------------------------------- */
/* Refusals */

static void
test_task_missing_404 (ElementFixture * f, gconstpointer data)
{
  /* No script: the mock answers 404 {"code":40400,…}. */
  prepare (f, NULL);
  element_fixture_run_to_error (f, GST_RESOURCE_ERROR, GST_RESOURCE_ERROR_NOT_FOUND,
      "Task \"" TEST_TASK_ID "\" was not found");
  element_fixture_assert_error (f, GST_RESOURCE_ERROR,
      GST_RESOURCE_ERROR_NOT_FOUND, "code 40400 (\"task not found\")");
  element_fixture_assert_detail_http_status (f, 404);
  element_fixture_assert_detail_api_code (f, 40400);
  g_assert_cmpuint (count_polls (f->api), ==, 1);
}

static void
test_task_missing_api_code (ElementFixture * f, gconstpointer data)
{
  prepare_body (f, "{\"code\":40400,\"msg\":\"task not found\","
      "\"data\":null}", -1, "application/json");
  element_fixture_run_to_error (f, GST_RESOURCE_ERROR, GST_RESOURCE_ERROR_FAILED,
      "code 40400 (\"task not found\") instead of 20000");
  element_fixture_assert_error (f, GST_RESOURCE_ERROR,
      GST_RESOURCE_ERROR_FAILED, TEST_TASK_ID);
  element_fixture_assert_detail_http_status (f, 200);
  element_fixture_assert_detail_api_code (f, 40400);
  g_assert_cmpuint (count_polls (f->api), ==, 1);
}

static void
test_refused_key (ElementFixture * f, gconstpointer data)
{
  guint status = GPOINTER_TO_UINT (data);
  g_autofree char *script = g_strdup_printf ("http-%u", status);

  prepare (f, script);
  element_fixture_run_to_error (f, GST_RESOURCE_ERROR, GST_RESOURCE_ERROR_NOT_AUTHORIZED,
      "refused the API key");
  element_fixture_assert_detail_http_status (f, status);
  g_assert_cmpuint (count_polls (f->api), ==, 1);
}

int
main (int argc, char **argv)
{
  gst_init (NULL, NULL);
  g_test_init (&argc, &argv, NULL);

  ADD ("not-listening-then-up", test_not_listening_then_up);
  ADD ("reset-before-headers", test_reset_before_headers);
  ADD ("reset-mid-body", test_reset_mid_body);
  ADD ("reset-mid-body-repeated", test_reset_mid_body_repeated);

  ADD_STATUS ("http-408-then-completed", 408, test_status_then_completed);
  ADD_STATUS ("http-500-then-completed", 500, test_status_then_completed);
  ADD_STATUS ("http-502-then-completed", 502, test_status_then_completed);
  ADD_STATUS ("http-503-then-completed", 503, test_status_then_completed);
  ADD_STATUS ("http-504-then-completed", 504, test_status_then_completed);
  ADD_STATUS ("http-500-repeated", 500, test_status_repeated);
  ADD_STATUS ("http-502-repeated", 502, test_status_repeated);
  ADD_STATUS ("http-503-repeated", 503, test_status_repeated);
  ADD_STATUS ("http-504-repeated", 504, test_status_repeated);
  ADD ("retry-after-seconds", test_retry_after_seconds);
  ADD ("retry-after-date", test_retry_after_date);

  ADD ("slow-headers", test_slow_headers);
  ADD ("slow-headers-repeated", test_slow_headers_repeated);
  ADD ("trickle-body", test_trickle_body);
  ADD ("trickle-body-repeated", test_trickle_body_repeated);

  ADD ("truncated-json", test_truncated_json);
  ADD ("invalid-utf8", test_invalid_utf8);
  ADD ("deep-nesting", test_deep_nesting);
  ADD ("created-out-of-range", test_created_out_of_range);
  ADD ("created-string", test_created_string);
  ADD ("status-number", test_status_number);
  ADD ("status-null", test_status_null);
  ADD ("data-missing", test_data_missing);
  ADD ("data-array", test_data_array);
  ADD ("empty-body", test_empty_body);
  ADD ("html-with-200", test_html_with_200);
  ADD ("oversized-content-length", test_oversized_content_length);
  ADD ("oversized-streamed", test_oversized_streamed);

  ADD ("redirect-same-origin", test_redirect_same_origin);
  ADD ("redirect-cross-origin", test_redirect_cross_origin);
  ADD ("redirect-loop", test_redirect_loop);

  ADD ("unknown-status", test_unknown_status);
  ADD ("status-backwards", test_status_backwards);

  ADD ("task-missing-404", test_task_missing_404);
  ADD ("task-missing-api-code", test_task_missing_api_code);
  ADD_STATUS ("http-401", 401, test_refused_key);
  ADD_STATUS ("http-403", 403, test_refused_key);

  return g_test_run ();
}
