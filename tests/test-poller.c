/* test-poller.c: JimmyPoller against the mock API on loopback.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <string.h>

#include "jimmy-mock-server.h"
#include "jimmy-poller.h"

#define API_KEY "sk_test_0123456789"
#define TASK_ID "audio_16b635ba-5889-4fa5-bbcc-bf67a38c353a"
#define TASK_PATH "/api/open-api/v1/audios/"

typedef struct {
  JimmyMockServer *server;      /* (owned) */
  JimmyMockServer *media;       /* (owned) another origin */
  JimmyPoller *poller;          /* (owned) */
  GMainLoop *loop;              /* (owned) */
  GPtrArray *updates;           /* (owned) status strings, in order */
  JimmyTask *result;            /* (owned) (nullable) */
  GError *error;                /* (owned) (nullable) */
  JimmyPollFailure failure;
  guint finished;
} Fixture;

static void
fixture_set_up (Fixture * f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;

  f->server = jimmy_mock_server_new ();
  jimmy_mock_server_set_api_key (f->server, API_KEY);
  g_assert_true (jimmy_mock_server_start (f->server, "127.0.0.1", 0, &error));
  g_assert_no_error (error);

  f->media = jimmy_mock_server_new ();
  g_assert_true (jimmy_mock_server_start (f->media, "127.0.0.1", 0, &error));
  g_assert_no_error (error);

  f->poller = jimmy_poller_new ();
  f->loop = g_main_loop_new (NULL, FALSE);
  f->updates = g_ptr_array_new_with_free_func (g_free);
}

static void
fixture_tear_down (Fixture * f, gconstpointer data)
{
  g_clear_object (&f->poller);
  jimmy_mock_server_stop (f->server);
  g_clear_object (&f->server);
  jimmy_mock_server_stop (f->media);
  g_clear_object (&f->media);
  g_main_loop_unref (f->loop);
  g_ptr_array_unref (f->updates);
  g_clear_pointer (&f->result, jimmy_task_free);
  g_clear_error (&f->error);
  jimmy_poll_failure_clear (&f->failure);
}

static JimmyPollOptions *
make_options (Fixture * f, const char *task_id)
{
  JimmyPollOptions *o = jimmy_poll_options_new (
      jimmy_mock_server_get_base_url (f->server), task_id, API_KEY);

  o->poll_interval_ms = 10;
  o->task_timeout_s = 60;
  o->request_timeout_s = 10;
  return o;
}

static void
add_task (Fixture * f, const char *task_id, const char *script)
{
  g_autoptr (GError) error = NULL;

  g_assert_true (jimmy_mock_server_add_task (f->server, task_id, script,
          &error));
  g_assert_no_error (error);
}

static void
on_update (const JimmyTask * task, gpointer user_data)
{
  Fixture *f = user_data;

  g_ptr_array_add (f->updates, g_strdup (task->status_string));
}

static void
on_done (GObject * source, GAsyncResult * result, gpointer user_data)
{
  Fixture *f = user_data;

  g_clear_pointer (&f->result, jimmy_task_free);
  g_clear_error (&f->error);
  jimmy_poll_failure_clear (&f->failure);
  f->result = jimmy_poller_wait_finish (JIMMY_POLLER (source), result,
      &f->failure, &f->error);
  f->finished++;
  g_main_loop_quit (f->loop);
}

static void
start_wait (Fixture * f, const JimmyPollOptions * o, GCancellable * c)
{
  jimmy_poller_wait_async (f->poller, o, on_update, f, NULL, c, on_done, f);
}

static void
wait_for (Fixture * f, const JimmyPollOptions * o)
{
  start_wait (f, o, NULL);
  g_main_loop_run (f->loop);
  g_assert_cmpuint (f->finished, ==, 1);
}

static void
assert_updates (Fixture * f, const char *const *expected)
{
  guint i;

  for (i = 0; expected[i] != NULL && i < f->updates->len; i++)
    g_assert_cmpstr (g_ptr_array_index (f->updates, i), ==, expected[i]);
  g_assert_cmpuint (f->updates->len, ==, g_strv_length ((char **) expected));
}

static void
test_sequence (Fixture * f, gconstpointer data)
{
  g_autoptr (JimmyPollOptions) o = make_options (f, TASK_ID);
  const char *expected[] = { "queued", "processing", "completed", NULL };
  g_autofree char *audio_suffix = g_strconcat ("/media/", TASK_ID, ".mp3",
      NULL);

  add_task (f, TASK_ID, "queued:1,processing:3,completed");
  wait_for (f, o);

  g_assert_no_error (f->error);
  g_assert_nonnull (f->result);
  g_assert_cmpint (f->result->status, ==, JIMMY_TASK_STATUS_COMPLETED);
  g_assert_true (g_str_has_suffix (f->result->audio_url, audio_suffix));
  g_assert_cmpstr (f->result->model_id, ==, "model_123456789");
  assert_updates (f, expected);
  /* One request per poll: 1 queued + 3 processing + 1 completed. */
  g_assert_cmpuint (jimmy_mock_server_count_requests (f->server, TASK_PATH),
      ==, 5);
}

static void
test_unknown_and_backwards (Fixture * f, gconstpointer data)
{
  g_autoptr (JimmyPollOptions) o = make_options (f, TASK_ID);
  const char *expected[] = { "queued", "rendering", "processing", "queued",
    "completed", NULL
  };

  add_task (f, TASK_ID, "queued,rendering:2,processing,queued,completed");
  wait_for (f, o);

  g_assert_no_error (f->error);
  assert_updates (f, expected);
}

static void
test_authorization_sent (Fixture * f, gconstpointer data)
{
  g_autoptr (JimmyPollOptions) o = make_options (f, TASK_ID);
  g_autoptr (GPtrArray) requests = NULL;
  guint i;

  add_task (f, TASK_ID, "processing,completed");
  wait_for (f, o);
  g_assert_no_error (f->error);

  requests = jimmy_mock_server_dup_requests (f->server);
  g_assert_cmpuint (requests->len, ==, 2);
  for (i = 0; i < requests->len; i++) {
    JimmyMockRequest *r = g_ptr_array_index (requests, i);
    g_assert_cmpstr (r->method, ==, "GET");
    g_assert_cmpstr (r->path, ==, TASK_PATH TASK_ID);
    g_assert_cmpstr (r->authorization, ==, "Bearer " API_KEY);
  }
}

static void
test_task_id_encoded (Fixture * f, gconstpointer data)
{
  const char *id = "a/../b?c#d%e f\xe9\x9f\xb3";
  g_autoptr (JimmyPollOptions) o = make_options (f, id);
  g_autoptr (GPtrArray) requests = NULL;
  JimmyMockRequest *r;

  add_task (f, id, "completed");
  wait_for (f, o);
  g_assert_no_error (f->error);
  g_assert_cmpstr (f->result->id, ==, id);

  requests = jimmy_mock_server_dup_requests (f->server);
  g_assert_cmpuint (requests->len, ==, 1);
  r = g_ptr_array_index (requests, 0);
  g_assert_cmpstr (r->path, ==,
      TASK_PATH "a%2F..%2Fb%3Fc%23d%25e%20f%E9%9F%B3");
}

static void
test_failed (Fixture * f, gconstpointer data)
{
  g_autoptr (JimmyPollOptions) o = make_options (f, TASK_ID);

  add_task (f, TASK_ID, "processing,failed");
  jimmy_mock_server_set_failure_text (f->server, "the voice sample is noisy");
  wait_for (f, o);

  g_assert_error (f->error, JIMMY_CLIENT_ERROR,
      JIMMY_CLIENT_ERROR_TASK_FAILED);
  g_assert_nonnull (strstr (f->error->message, "the voice sample is noisy"));
  g_assert_nonnull (strstr (f->error->message, TASK_ID));
  g_assert_cmpstr (f->failure.task_status, ==, "failed");
  g_assert_null (f->result);
}

static void
test_not_found (Fixture * f, gconstpointer data)
{
  g_autoptr (JimmyPollOptions) o = make_options (f, "audio_missing");

  wait_for (f, o);

  g_assert_error (f->error, JIMMY_CLIENT_ERROR, JIMMY_CLIENT_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (f->error->message, "audio_missing"));
  g_assert_cmpuint (f->failure.http_status, ==, 404);
  g_assert_true (f->failure.has_api_code);
  g_assert_cmpint (f->failure.api_code, ==, 40400);
  g_assert_null (f->failure.task_status);
}

static void
test_unauthorized (Fixture * f, gconstpointer data)
{
  g_autoptr (JimmyPollOptions) o = make_options (f, TASK_ID);

  add_task (f, TASK_ID, "completed");
  g_free (o->api_key);
  o->api_key = g_strdup ("sk_wrong");
  wait_for (f, o);

  g_assert_error (f->error, JIMMY_CLIENT_ERROR,
      JIMMY_CLIENT_ERROR_NOT_AUTHORIZED);
  g_assert_cmpuint (f->failure.http_status, ==, 401);
  g_assert_null (strstr (f->error->message, "sk_wrong"));
}

static void
test_api_error (Fixture * f, gconstpointer data)
{
  g_autoptr (JimmyPollOptions) o = make_options (f, TASK_ID);

  add_task (f, TASK_ID, "queued,api-error");
  wait_for (f, o);

  g_assert_error (f->error, JIMMY_CLIENT_ERROR, JIMMY_CLIENT_ERROR_API);
  g_assert_true (f->failure.has_api_code);
  g_assert_cmpint (f->failure.api_code, ==, 50001);
  g_assert_cmpuint (f->failure.http_status, ==, 200);
  g_assert_cmpstr (f->failure.task_status, ==, "queued");
}

static void
test_garbage (Fixture * f, gconstpointer data)
{
  g_autoptr (JimmyPollOptions) o = make_options (f, TASK_ID);

  add_task (f, TASK_ID, "garbage");
  wait_for (f, o);

  g_assert_error (f->error, JIMMY_CLIENT_ERROR, JIMMY_CLIENT_ERROR_MALFORMED);
}

static void
test_transient_recovers (Fixture * f, gconstpointer data)
{
  g_autoptr (JimmyPollOptions) o = make_options (f, TASK_ID);

  add_task (f, TASK_ID, "http-503:2,reset,http-502,completed");
  o->max_retries = 4;
  wait_for (f, o);

  g_assert_no_error (f->error);
  g_assert_cmpint (f->result->status, ==, JIMMY_TASK_STATUS_COMPLETED);
  g_assert_cmpuint (jimmy_mock_server_count_requests (f->server, TASK_PATH),
      ==, 5);
}

static void
test_retries_exhausted (Fixture * f, gconstpointer data)
{
  g_autoptr (JimmyPollOptions) o = make_options (f, TASK_ID);

  add_task (f, TASK_ID, "processing,http-500");
  o->max_retries = 2;
  wait_for (f, o);

  g_assert_error (f->error, JIMMY_CLIENT_ERROR,
      JIMMY_CLIENT_ERROR_RETRIES_EXHAUSTED);
  g_assert_nonnull (strstr (f->error->message, "500"));
  g_assert_cmpuint (f->failure.http_status, ==, 500);
  g_assert_cmpstr (f->failure.task_status, ==, "processing");
  /* The first poll, then the failing one and its two retries. */
  g_assert_cmpuint (jimmy_mock_server_count_requests (f->server, TASK_PATH),
      ==, 4);
}

static void
test_retries_reset_on_success (Fixture * f, gconstpointer data)
{
  g_autoptr (JimmyPollOptions) o = make_options (f, TASK_ID);

  /* Two failures in a row at most: max-retries counts consecutive ones. */
  add_task (f, TASK_ID, "http-500:2,processing,http-500:2,completed");
  o->max_retries = 2;
  wait_for (f, o);

  g_assert_no_error (f->error);
}

static void
test_retry_after (Fixture * f, gconstpointer data)
{
  g_autoptr (JimmyPollOptions) o = make_options (f, TASK_ID);
  gint64 start = g_get_monotonic_time ();

  add_task (f, TASK_ID, "retry-after-1,completed");
  wait_for (f, o);

  g_assert_no_error (f->error);
  /* Without Retry-After the retry would come after ~10 ms. */
  g_assert_cmpint (g_get_monotonic_time () - start, >=, G_USEC_PER_SEC);
}

static void
test_backoff_grows (Fixture * f, gconstpointer data)
{
  g_autoptr (JimmyPollOptions) o = make_options (f, TASK_ID);
  gint64 start = g_get_monotonic_time ();

  add_task (f, TASK_ID, "http-503:3,completed");
  o->poll_interval_ms = 100;
  wait_for (f, o);

  g_assert_no_error (f->error);
  /* Equal jitter: at least 50 + 100 + 200 ms. */
  g_assert_cmpint (g_get_monotonic_time () - start, >=, 350 * 1000);
}

static void
test_request_timeout (Fixture * f, gconstpointer data)
{
  g_autoptr (JimmyPollOptions) o = make_options (f, TASK_ID);
  gint64 start = g_get_monotonic_time ();

  add_task (f, TASK_ID, "hang,completed");
  o->request_timeout_s = 1;
  wait_for (f, o);

  g_assert_no_error (f->error);
  g_assert_cmpint (g_get_monotonic_time () - start, >=, G_USEC_PER_SEC);
  g_assert_cmpuint (jimmy_mock_server_count_requests (f->server, TASK_PATH),
      ==, 2);
}

static void
test_request_timeout_exhausts (Fixture * f, gconstpointer data)
{
  g_autoptr (JimmyPollOptions) o = make_options (f, TASK_ID);

  add_task (f, TASK_ID, "hang");
  o->request_timeout_s = 1;
  o->max_retries = 0;
  wait_for (f, o);

  g_assert_error (f->error, JIMMY_CLIENT_ERROR,
      JIMMY_CLIENT_ERROR_RETRIES_EXHAUSTED);
  g_assert_nonnull (strstr (f->error->message, "request-timeout"));
}

static void
test_task_timeout (Fixture * f, gconstpointer data)
{
  g_autoptr (JimmyPollOptions) o = make_options (f, TASK_ID);

  add_task (f, TASK_ID, "processing");
  o->task_timeout_s = 1;
  o->poll_interval_ms = 100;
  wait_for (f, o);

  g_assert_error (f->error, JIMMY_CLIENT_ERROR, JIMMY_CLIENT_ERROR_TIMED_OUT);
  g_assert_cmpstr (f->failure.task_status, ==, "processing");
  g_assert_nonnull (strstr (f->error->message, "task-timeout"));
}

static void
test_cancel_in_flight (Fixture * f, gconstpointer data)
{
  g_autoptr (JimmyPollOptions) o = make_options (f, TASK_ID);
  g_autoptr (GCancellable) cancellable = g_cancellable_new ();

  add_task (f, TASK_ID, "hang");
  start_wait (f, o, cancellable);
  g_assert_true (jimmy_mock_server_wait_for_requests (f->server, TASK_PATH, 1,
          5000));
  g_cancellable_cancel (cancellable);
  g_main_loop_run (f->loop);

  g_assert_error (f->error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpuint (f->finished, ==, 1);
}

static void
test_cancel_before_start (Fixture * f, gconstpointer data)
{
  g_autoptr (JimmyPollOptions) o = make_options (f, TASK_ID);
  g_autoptr (GCancellable) cancellable = g_cancellable_new ();

  add_task (f, TASK_ID, "completed");
  g_cancellable_cancel (cancellable);
  start_wait (f, o, cancellable);
  g_main_loop_run (f->loop);

  g_assert_error (f->error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpuint (jimmy_mock_server_count_requests (f->server, TASK_PATH),
      ==, 0);
}

static void
test_coalesced (Fixture * f, gconstpointer data)
{
  g_autoptr (JimmyPollOptions) o = make_options (f, TASK_ID);

  add_task (f, TASK_ID, "queued,processing:2,completed");
  start_wait (f, o, NULL);
  start_wait (f, o, NULL);
  while (f->finished < 2)
    g_main_loop_run (f->loop);

  g_assert_no_error (f->error);
  /* Both waiters saw every status, from one series of polls. */
  g_assert_cmpuint (f->updates->len, ==, 6);
  g_assert_cmpuint (jimmy_mock_server_count_requests (f->server, TASK_PATH),
      ==, 4);
}

/* JimmyHttpLogFunc has no user data: the lines go to a static, written on
 * the poller thread. */
static GMutex http_log_lock;
static GString *http_log;

static void
collect_http_log (char direction, const char *line)
{
  g_mutex_lock (&http_log_lock);
  g_string_append_printf (http_log, "%c %s\n", direction, line);
  g_mutex_unlock (&http_log_lock);
}

static char *
steal_http_log (void)
{
  char *log;

  g_mutex_lock (&http_log_lock);
  log = g_string_free (g_steal_pointer (&http_log), FALSE);
  http_log = g_string_new (NULL);
  g_mutex_unlock (&http_log_lock);
  return log;
}

/* Sends @o's HTTP log at @level to an empty http_log. */
static void
log_http_of (JimmyPollOptions * o, SoupLoggerLogLevel level)
{
  o->http_log_level = level;
  o->http_log_func = collect_http_log;
  g_free (steal_http_log ());
}

static void
test_http_log_redacted (Fixture * f, gconstpointer data)
{
  g_autoptr (JimmyPollOptions) o = make_options (f, TASK_ID);
  g_autofree char *log = NULL;

  add_task (f, TASK_ID, "processing,completed");
  log_http_of (o, SOUP_LOGGER_LOG_BODY);
  wait_for (f, o);
  g_assert_no_error (f->error);

  log = steal_http_log ();
  /* The request line, the response body, and the redacted header. */
  g_assert_nonnull (strstr (log, "> GET " TASK_PATH TASK_ID " HTTP/1.1\n"));
  g_assert_nonnull (strstr (log, "\"status\""));
  g_assert_nonnull (strstr (log, "> Authorization: [REDACTED]\n"));
  g_assert_null (strstr (log, API_KEY));
}

/* A job's session, logger included, follows the options it was made with:
 * a wait asking for a log must not ride on a job that logs nothing. */
static void
test_http_log_not_coalesced (Fixture * f, gconstpointer data)
{
  g_autoptr (JimmyPollOptions) o = make_options (f, TASK_ID);
  g_autoptr (JimmyPollOptions) logged = make_options (f, TASK_ID);
  g_autofree char *log = NULL;

  add_task (f, TASK_ID, "processing,completed");
  log_http_of (logged, SOUP_LOGGER_LOG_HEADERS);
  start_wait (f, o, NULL);
  start_wait (f, logged, NULL);
  while (f->finished < 2)
    g_main_loop_run (f->loop);

  g_assert_no_error (f->error);
  /* Two jobs: the first two polls get processing and completed, and the
   * job that saw processing polls once more. */
  g_assert_cmpuint (jimmy_mock_server_count_requests (f->server, TASK_PATH),
      ==, 3);
  log = steal_http_log ();
  g_assert_nonnull (strstr (log, "> GET " TASK_PATH TASK_ID));
  g_assert_null (strstr (log, API_KEY));
}

static void
test_cancel_one_of_two (Fixture * f, gconstpointer data)
{
  g_autoptr (JimmyPollOptions) o = make_options (f, TASK_ID);
  g_autoptr (GCancellable) cancellable = g_cancellable_new ();

  add_task (f, TASK_ID, "hang,completed");
  start_wait (f, o, cancellable);
  start_wait (f, o, NULL);
  g_assert_true (jimmy_mock_server_wait_for_requests (f->server, TASK_PATH, 1,
          5000));
  g_cancellable_cancel (cancellable);
  g_main_loop_run (f->loop);
  g_assert_error (f->error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&f->error);

  /* The other waiter still gets its task. */
  jimmy_mock_server_release_held (f->server);
  g_main_loop_run (f->loop);
  g_assert_no_error (f->error);
  g_assert_cmpint (f->result->status, ==, JIMMY_TASK_STATUS_COMPLETED);
}

static void
test_redirect_same_origin (Fixture * f, gconstpointer data)
{
  g_autoptr (JimmyPollOptions) o = make_options (f, TASK_ID);
  g_autoptr (GPtrArray) requests = NULL;
  JimmyMockRequest *r;

  add_task (f, TASK_ID, "redirect-same,completed");
  wait_for (f, o);

  g_assert_no_error (f->error);
  requests = jimmy_mock_server_dup_requests (f->server);
  g_assert_cmpuint (requests->len, ==, 2);
  r = g_ptr_array_index (requests, 1);
  g_assert_true (g_str_has_prefix (r->path, "/redirected/"));
  g_assert_cmpstr (r->authorization, ==, "Bearer " API_KEY);
}

static void
test_redirect_loop (Fixture * f, gconstpointer data)
{
  g_autoptr (JimmyPollOptions) o = make_options (f, TASK_ID);

  add_task (f, TASK_ID, "redirect-same");
  wait_for (f, o);

  g_assert_error (f->error, JIMMY_CLIENT_ERROR, JIMMY_CLIENT_ERROR_HTTP);
  g_assert_cmpuint (f->failure.http_status, ==, 307);
}

static void
test_bad_api_url (Fixture * f, gconstpointer data)
{
  g_autoptr (JimmyPollOptions) o = make_options (f, TASK_ID);

  g_free (o->api_url);
  o->api_url = g_strdup ("ftp://example.invalid");
  wait_for (f, o);

  g_assert_error (f->error, JIMMY_CLIENT_ERROR,
      JIMMY_CLIENT_ERROR_INVALID_ARGUMENT);
}

static void
test_connection_refused (Fixture * f, gconstpointer data)
{
  g_autoptr (JimmyPollOptions) o = make_options (f, TASK_ID);

  /* Nothing listens there any more. */
  g_free (o->api_url);
  o->api_url = g_strdup (jimmy_mock_server_get_base_url (f->media));
  jimmy_mock_server_stop (f->media);
  o->max_retries = 1;
  wait_for (f, o);

  g_assert_error (f->error, JIMMY_CLIENT_ERROR,
      JIMMY_CLIENT_ERROR_RETRIES_EXHAUSTED);
  g_assert_cmpuint (f->failure.http_status, ==, 0);
}

static void
test_default_is_shared (void)
{
  g_autoptr (JimmyPoller) a = jimmy_poller_dup_default ();
  g_autoptr (JimmyPoller) b = jimmy_poller_dup_default ();

  g_assert_true (a == b);
}

int
main (int argc, char **argv)
{
  int ret;

  g_test_init (&argc, &argv, NULL);
  http_log = g_string_new (NULL);

#define ADD(path, func) \
  g_test_add ("/poller/" path, Fixture, NULL, fixture_set_up, func, \
      fixture_tear_down)

  ADD ("sequence", test_sequence);
  ADD ("unknown-and-backwards", test_unknown_and_backwards);
  ADD ("authorization-sent", test_authorization_sent);
  ADD ("task-id-encoded", test_task_id_encoded);
  ADD ("failed", test_failed);
  ADD ("not-found", test_not_found);
  ADD ("unauthorized", test_unauthorized);
  ADD ("api-error", test_api_error);
  ADD ("garbage", test_garbage);
  ADD ("transient-recovers", test_transient_recovers);
  ADD ("retries-exhausted", test_retries_exhausted);
  ADD ("retries-reset-on-success", test_retries_reset_on_success);
  ADD ("retry-after", test_retry_after);
  ADD ("backoff-grows", test_backoff_grows);
  ADD ("request-timeout", test_request_timeout);
  ADD ("request-timeout-exhausts", test_request_timeout_exhausts);
  ADD ("task-timeout", test_task_timeout);
  ADD ("cancel-in-flight", test_cancel_in_flight);
  ADD ("cancel-before-start", test_cancel_before_start);
  ADD ("coalesced", test_coalesced);
  ADD ("cancel-one-of-two", test_cancel_one_of_two);
  ADD ("http-log-redacted", test_http_log_redacted);
  ADD ("http-log-not-coalesced", test_http_log_not_coalesced);
  ADD ("redirect-same-origin", test_redirect_same_origin);
  ADD ("redirect-loop", test_redirect_loop);
  ADD ("bad-api-url", test_bad_api_url);
  ADD ("connection-refused", test_connection_refused);
  g_test_add_func ("/poller/default-is-shared", test_default_is_shared);

  ret = g_test_run ();
  g_string_free (http_log, TRUE);
  return ret;
}
