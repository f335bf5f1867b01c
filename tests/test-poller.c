/* test-poller.c: JimmyPoller against the mock API on loopback.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <stdlib.h>
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

/* ---------------------------------------------------------------------- */
/* Request slots: per origin, overall, in a fair order */

/* How late a poll may reach the healthy mock: 10 ms, the isolation
 * requirement; JIMMY_TEST_LATENESS_MS replaces it. */
static gint64
lateness_requirement_us (void)
{
  const char *env = g_getenv ("JIMMY_TEST_LATENESS_MS");
  guint64 ms = 10;

  if (env != NULL && env[0] != '\0')
    g_assert_true (g_ascii_string_to_unsigned (env, 10, 1, 600000, &ms,
            NULL));
  return (gint64) ms * 1000;
}

/* A plain 5 ms timer on the poller's own thread while the healthy wait
 * runs: how late it fires is how late this machine makes the poller wake
 * up just then (a shared machine under load, CPU quota throttling,
 * valgrind), whatever the poller does. */
typedef struct {
  GMutex lock;                  /* guards the two fields below */
  gint64 due_us;
  gint64 max_late_us;
} Control;

#define CONTROL_INTERVAL_MS 5

static gboolean
control_tick (gpointer user_data)
{
  Control *c = user_data;
  gint64 now = g_get_monotonic_time ();

  g_mutex_lock (&c->lock);
  c->max_late_us = MAX (c->max_late_us, now - c->due_us);
  c->due_us = now + CONTROL_INTERVAL_MS * 1000;
  g_mutex_unlock (&c->lock);
  return G_SOURCE_CONTINUE;
}

static GSource *
control_start (Fixture * f, Control * c)
{
  GSource *source = g_timeout_source_new (CONTROL_INTERVAL_MS);

  g_mutex_init (&c->lock);
  c->due_us = g_get_monotonic_time () + CONTROL_INTERVAL_MS * 1000;
  c->max_late_us = 0;
  g_source_set_callback (source, control_tick, c, NULL);
  g_source_attach (source, jimmy_poller_get_main_context (f->poller));
  return source;
}

/* Returns how late the timer was at most. */
static gint64
control_stop (GSource * source, Control * c)
{
  gint64 late;

  /* Once destroyed (under the context's lock) the tick cannot start
   * again; one running now finishes under c->lock. */
  g_source_destroy (source);
  g_source_unref (source);
  g_mutex_lock (&c->lock);
  late = c->max_late_us;
  g_mutex_unlock (&c->lock);
  g_mutex_clear (&c->lock);
  return late;
}

/* Waits that are expected to end cancelled. */
typedef struct {
  guint finished;
  guint cancelled;
} Ended;

static void
on_cancelled_done (GObject * source, GAsyncResult * result,
    gpointer user_data)
{
  Ended *ended = user_data;
  g_autoptr (GError) error = NULL;
  g_autoptr (JimmyTask) task = NULL;

  task = jimmy_poller_wait_finish (JIMMY_POLLER (source), result, NULL,
      &error);
  g_assert_null (task);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    ended->cancelled++;
  ended->finished++;
}

/* Starts @n waits on @server, whose every task hangs; their cancellables
 * go to @cancellables. No request timeout: they hang for ever. */
static void
start_hung_waits (Fixture * f, JimmyMockServer * server, guint n,
    GPtrArray * cancellables, Ended * ended)
{
  guint i;

  jimmy_mock_server_set_default_script (server, "hang");
  for (i = 0; i < n; i++) {
    g_autofree char *id = g_strdup_printf ("hung_%u_%u", cancellables->len,
        i);
    g_autoptr (JimmyPollOptions) o = make_options (f, id);
    GCancellable *c = g_cancellable_new ();

    g_free (o->api_url);
    o->api_url = g_strdup (jimmy_mock_server_get_base_url (server));
    o->request_timeout_s = 0;
    o->poll_interval_ms = 1000;
    g_ptr_array_add (cancellables, c);
    jimmy_poller_wait_async (f->poller, o, NULL, NULL, NULL, c,
        on_cancelled_done, ended);
  }
}

/* Cancels them and lets every callback run: nothing is left behind for
 * the tear-down (valgrind checks that it is all freed). */
static void
cancel_hung_waits (GPtrArray * cancellables, Ended * ended)
{
  guint i;

  for (i = 0; i < cancellables->len; i++)
    g_cancellable_cancel (g_ptr_array_index (cancellables, i));
  while (ended->finished < cancellables->len)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpuint (ended->cancelled, ==, cancellables->len);
}

/* The healthy wait: @n_polls polls @interval_ms apart on f->server. Asserts
 * each went out on its schedule and the task completed as if alone. */
static void
assert_healthy_wait_on_time (Fixture * f, const char *task_id,
    guint interval_ms)
{
  g_autoptr (JimmyPollOptions) o = make_options (f, task_id);
  g_autoptr (GPtrArray) requests = NULL;
  const char *expected[] = { "queued", "processing", "completed", NULL };
  g_autofree char *path = g_strconcat (TASK_PATH, task_id, NULL);
  Control control;
  GSource *control_source;
  gint64 bound, start, control_late, last_slot = -1;
  guint i, k = 0;

  add_task (f, task_id, "queued,processing:3,completed");
  o->poll_interval_ms = interval_ms;
  o->task_timeout_s = 10;
  g_ptr_array_set_size (f->updates, 0);
  f->finished = 0;

  control_source = control_start (f, &control);
  start = g_get_monotonic_time ();
  wait_for (f, o);
  control_late = control_stop (control_source, &control);

  /* A poll crosses two threads (the poller's, the mock's), each of
   * which may wake up as late as the control timer did: the requirement
   * holds where the machine allows it, and a poll kept waiting behind
   * another origin's requests fails either way. */
  bound = lateness_requirement_us () + 2 * control_late;
  g_test_message ("lateness bound %.3f ms: %.3f ms required, the control "
      "timer was up to %.3f ms late", bound / 1000.0,
      lateness_requirement_us () / 1000.0, control_late / 1000.0);

  g_assert_no_error (f->error);
  g_assert_cmpint (f->result->status, ==, JIMMY_TASK_STATUS_COMPLETED);
  assert_updates (f, expected);

  /* The polls keep to a grid from the start of the wait; a response
   * that comes back after the next slot skips to the following one, so
   * each poll is measured against the latest slot before it. */
  requests = jimmy_mock_server_dup_requests (f->server);
  for (i = 0; i < requests->len; i++) {
    JimmyMockRequest *r = g_ptr_array_index (requests, i);
    gint64 interval_us = (gint64) interval_ms * 1000;
    gint64 slot, late;

    if (g_strcmp0 (r->path, path) != 0)
      continue;
    g_assert_cmpint (r->time_us, >=, start);
    slot = (r->time_us - start) / interval_us;
    late = r->time_us - start - slot * interval_us;
    g_test_message ("poll %u of %s: slot %" G_GINT64_FORMAT ", %.3f ms after "
        "it was due", k, task_id, slot, late / 1000.0);
    /* A bound of an interval or more cannot tell the slots apart: the
     * machine is too busy for the requirement to be checked. */
    if (bound < interval_us) {
      g_assert_cmpint (slot, >=, last_slot + 1);
      g_assert_cmpint (late, <=, bound);
    }
    last_slot = slot;
    k++;
  }
  if (bound >= (gint64) interval_ms * 1000)
    g_test_message ("lateness not checked: this machine made a plain timer "
        "%.3f ms late meanwhile", control_late / 1000.0);
  /* One request per poll, as if alone: 1 queued, 3 processing, 1 done;
   * no retry, no slot missed unless a response came back late. */
  g_assert_cmpuint (k, ==, 5);
}

/* 100 waits on an origin that accepts requests and never answers, with
 * no request timeout, hold every request they get for ever; a wait on
 * another origin is polled on time anyway. (Before the per-origin
 * limits, 8 such requests held all the process's slots.) */
static void
test_hung_origin_isolated (Fixture * f, gconstpointer data)
{
  g_autoptr (GPtrArray) cancellables =
      g_ptr_array_new_with_free_func (g_object_unref);
  Ended ended = { 0, };

  start_hung_waits (f, f->media, 100, cancellables, &ended);
  /* All 100 in flight (the default limit per origin is 256). */
  g_assert_true (jimmy_mock_server_wait_for_requests (f->media, TASK_PATH,
          100, 20000));

  assert_healthy_wait_on_time (f, TASK_ID, 50);
  g_assert_cmpuint (jimmy_mock_server_count_requests (f->media, TASK_PATH),
      ==, 100);
  g_assert_cmpuint (ended.finished, ==, 0);

  cancel_hung_waits (cancellables, &ended);
}

/* With more hung origins than the shared part of the slots can hold, an
 * origin with nothing in flight still gets its request from the reserve:
 * P 2, T 4, R 1, S 3. */
static void
test_hung_origins_leave_reserve (Fixture * f, gconstpointer data)
{
  g_autoptr (JimmyMockServer) third = jimmy_mock_server_new ();
  g_autoptr (GPtrArray) cancellables =
      g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr (GError) error = NULL;
  Ended ended = { 0, };

  g_clear_object (&f->poller);
  f->poller = g_object_new (JIMMY_TYPE_POLLER, "max-requests-per-origin", 2,
      "max-requests", 4, NULL);
  g_assert_true (jimmy_mock_server_start (third, "127.0.0.1", 0, &error));
  g_assert_no_error (error);

  /* The first hung origin takes its 2, the second its 1 (S reached). */
  start_hung_waits (f, f->media, 5, cancellables, &ended);
  g_assert_true (jimmy_mock_server_wait_for_requests (f->media, TASK_PATH,
          2, 20000));
  start_hung_waits (f, third, 5, cancellables, &ended);
  g_assert_true (jimmy_mock_server_wait_for_requests (third, TASK_PATH,
          1, 20000));

  /* The healthy origin's one wait gets the reserved slot, on time. */
  assert_healthy_wait_on_time (f, TASK_ID, 50);
  g_assert_cmpuint (jimmy_mock_server_count_requests (f->media, TASK_PATH),
      ==, 2);
  g_assert_cmpuint (jimmy_mock_server_count_requests (third, TASK_PATH),
      ==, 1);

  cancel_hung_waits (cancellables, &ended);
  /* The poller goes first: its cancelled requests unwind against a
   * server still there. */
  g_clear_object (&f->poller);
  jimmy_mock_server_stop (third);
}

static void
on_counted_done (GObject * source, GAsyncResult * result, gpointer user_data)
{
  guint *completed = user_data;
  g_autoptr (GError) error = NULL;
  g_autoptr (JimmyTask) task = NULL;

  task = jimmy_poller_wait_finish (JIMMY_POLLER (source), result, NULL,
      &error);
  g_assert_no_error (error);
  g_assert_cmpint (task->status, ==, JIMMY_TASK_STATUS_COMPLETED);
  (*completed)++;
}

/* Never more than max-requests-per-origin requests at the server at
 * once: with every first poll held, exactly that many arrive, and each
 * batch released lets exactly that many more in. */
static void
test_per_origin_limit (Fixture * f, gconstpointer data)
{
  const guint n = 10, limit = 3;
  guint completed = 0, arrived = 0, round = 0, i;
  guint value = 0;

  g_clear_object (&f->poller);
  f->poller = g_object_new (JIMMY_TYPE_POLLER, "max-requests-per-origin",
      limit, NULL);
  g_object_get (f->poller, "max-requests-per-origin", &value, NULL);
  g_assert_cmpuint (value, ==, limit);

  /* Each task's first poll hangs; released, it is answered completed. */
  jimmy_mock_server_set_default_script (f->media, "hang,completed");
  for (i = 0; i < n; i++) {
    g_autofree char *id = g_strdup_printf ("limited_%u", i);
    g_autoptr (JimmyPollOptions) o = make_options (f, id);

    g_free (o->api_url);
    o->api_url = g_strdup (jimmy_mock_server_get_base_url (f->media));
    o->request_timeout_s = 0;
    jimmy_poller_wait_async (f->poller, o, NULL, NULL, NULL, NULL,
        on_counted_done, &completed);
  }

  while (arrived < n) {
    g_autofree char *sync_id = g_strdup_printf ("sync_%u", round++);

    arrived = MIN (arrived + limit, n);
    g_assert_true (jimmy_mock_server_wait_for_requests (f->media, TASK_PATH,
            arrived, 20000));
    /* A poll of another origin, later than any request too many would
     * have been sent: then count. */
    assert_healthy_wait_on_time (f, sync_id, 50);
    g_assert_cmpuint (jimmy_mock_server_count_requests (f->media,
            TASK_PATH), ==, arrived);

    jimmy_mock_server_release_held (f->media);
    while (completed < arrived)
      g_main_context_iteration (NULL, TRUE);
  }
  g_assert_cmpuint (completed, ==, n);
}

/* More due tasks than slots on one origin: they are polled in the order
 * they fell due, each in turn; none waits while another is polled twice
 * more. */
static void
test_fair_order (Fixture * f, gconstpointer data)
{
  const guint n = 8, limit = 2, polls = 5;
  g_autoptr (GPtrArray) requests = NULL;
  guint counts[8] = { 0, };
  guint completed = 0, seen = 0, i;

  g_clear_object (&f->poller);
  f->poller = g_object_new (JIMMY_TYPE_POLLER, "max-requests-per-origin",
      limit, NULL);
  /* Each answer takes 20 ms: the tasks are due far more often (10 ms)
   * than 2 slots can serve them. */
  jimmy_mock_server_set_delay (f->server, 20);
  for (i = 0; i < n; i++) {
    g_autofree char *id = g_strdup_printf ("fair_%u", i);
    g_autoptr (JimmyPollOptions) o = make_options (f, id);

    add_task (f, id, "processing:4,completed");
    jimmy_poller_wait_async (f->poller, o, NULL, NULL, NULL, NULL,
        on_counted_done, &completed);
  }
  while (completed < n)
    g_main_context_iteration (NULL, TRUE);

  requests = jimmy_mock_server_dup_requests (f->server);
  g_assert_cmpuint (requests->len, ==, n * polls);
  for (i = 0; i < requests->len; i++) {
    JimmyMockRequest *r = g_ptr_array_index (requests, i);
    guint task, j, least = G_MAXUINT, most = 0;

    g_assert_true (g_str_has_prefix (r->path, TASK_PATH "fair_"));
    task = atoi (r->path + strlen (TASK_PATH "fair_"));
    g_assert_cmpuint (task, <, n);
    /* First polls in the order the waits started, give or take the
     * requests that were in flight together. */
    if (counts[task] == 0) {
      g_assert_cmpint (ABS ((gint) task - (gint) seen), <, (gint) limit);
      seen++;
    }
    counts[task]++;
    /* Round by round: no task more than a poll ahead of another, give or
     * take the pair in flight together. */
    for (j = 0; j < n; j++) {
      least = MIN (least, counts[j]);
      most = MAX (most, counts[j]);
    }
    g_assert_cmpuint (most - least, <=, 2);
  }
  for (i = 0; i < n; i++)
    g_assert_cmpuint (counts[i], ==, polls);
}

/* The limits in force read back; unset, they are the documented
 * defaults (the test environment sets no JIMMY_MAX_REQUESTS*). */
static void
test_default_limits (void)
{
  g_autoptr (JimmyPoller) poller = jimmy_poller_new ();
  guint per_origin = 0, total = 0;

  g_object_get (poller, "max-requests-per-origin", &per_origin,
      "max-requests", &total, NULL);
  g_assert_cmpuint (per_origin, ==, 256);
  g_assert_cmpuint (total, ==, 1024);
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
  ADD ("hung-origin-isolated", test_hung_origin_isolated);
  ADD ("hung-origins-leave-reserve", test_hung_origins_leave_reserve);
  ADD ("per-origin-limit", test_per_origin_limit);
  ADD ("fair-order", test_fair_order);
  g_test_add_func ("/poller/default-is-shared", test_default_is_shared);
  g_test_add_func ("/poller/default-limits", test_default_limits);

  ret = g_test_run ();
  g_string_free (http_log, TRUE);
  return ret;
}
