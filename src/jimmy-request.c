/* jimmy-request.c: one poll of one task: an HTTP exchange and its verdict.
 *
 * A request sends GET for the task, follows the API's own redirects by
 * hand (libsoup 3.2 would forward the Authorization header to any origin
 * a redirect names), reads at most JIMMY_TASK_MAX_RESPONSE_SIZE bytes of
 * body, and turns what happened into a verdict: the task, a transient
 * failure worth retrying, or a fatal one.
 *
 * Runs on the poller thread: the session belongs to it.
 *
 * Cancelling: libsoup never sees the caller's cancellable. libsoup 3.4.0
 * to 3.6.5 finish a message twice (3.6.0 to 3.6.5 then free it under
 * soup_session_send_finish(); fixed in 3.6.6, commit 794e089a) when the
 * cancellable given to soup_session_send_async() is cancelled after the
 * response headers were read but before libsoup's completion of that read
 * has run: GTask turns the read's success into G_IO_ERROR_CANCELLED while
 * the body is still unread, and run_until_read_done() finishes the
 * message, which soup_message_io_finished() had just finished too. That
 * completion is deferred to an idle source at the send's I/O priority
 * when the headers came at once. So libsoup gets a cancellable of its
 * own, cancelled only on the session's thread by a source at a lower
 * priority: GLib never dispatches it while a source of higher priority is
 * ready, so it lands before the headers (the read fails and finishes the
 * message once) or after the send returned (the body read fails), never
 * in between. It costs one GCancellableSource per poll; every libsoup
 * version takes this path.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "jimmy-request.h"

#include <string.h>

#include "jimmy-api.h"
#include "jimmy-backoff.h"
#include "jimmy-error.h"
#include "jimmy-text.h"

#define READ_CHUNK_SIZE 16384

/* libsoup's I/O and the completions it defers run at SEND_PRIORITY; the
 * cancellation it is given must come at a lower one (see above). */
#define SEND_PRIORITY G_PRIORITY_DEFAULT
#define CANCEL_PRIORITY G_PRIORITY_LOW
G_STATIC_ASSERT (CANCEL_PRIORITY > SEND_PRIORITY);

typedef struct {
  SoupSession *session;         /* (owned) */
  GUri *api_uri;                /* (owned) the only origin shown the key */
  GUri *uri;                    /* (owned) current, after redirects */
  char *task_id;                /* (owned) */
  char *authorization;          /* (owned) (nullable) "Bearer …" */
  gboolean ssl_strict;
  guint redirects;
  SoupMessage *msg;             /* (owned) (nullable) current message */
  GInputStream *stream;         /* (owned) (nullable) its body */
  GByteArray *body;             /* (owned) (nullable) read so far */
  goffset content_length;       /* announced by the response, or -1 */
  gboolean body_too_large;
  GCancellable *soup_cancellable;       /* (owned) the only one libsoup sees */
  GSource *cancel_watch;        /* (owned) (nullable) on the caller's one */
} RequestData;

static void
stop_watching_cancellable (RequestData * data)
{
  if (data->cancel_watch == NULL)
    return;
  g_source_destroy (data->cancel_watch);
  g_clear_pointer (&data->cancel_watch, g_source_unref);
}

static void
request_data_free (RequestData * data)
{
  g_clear_object (&data->session);
  g_clear_pointer (&data->api_uri, g_uri_unref);
  g_clear_pointer (&data->uri, g_uri_unref);
  g_free (data->task_id);
  jimmy_text_free_secret (data->authorization);
  g_clear_object (&data->msg);
  g_clear_object (&data->stream);
  g_clear_pointer (&data->body, g_byte_array_unref);
  stop_watching_cancellable (data);
  g_clear_object (&data->soup_cancellable);
  g_free (data);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (RequestData, request_data_free)

void
jimmy_request_outcome_free (JimmyRequestOutcome * outcome)
{
  if (outcome == NULL)
    return;

  g_clear_pointer (&outcome->task, jimmy_task_free);
  g_clear_error (&outcome->error);
  g_free (outcome);
}

static JimmyRequestOutcome *
outcome_new (JimmyRequestVerdict verdict, guint http_status)
{
  JimmyRequestOutcome *outcome = g_new0 (JimmyRequestOutcome, 1);

  outcome->verdict = verdict;
  outcome->http_status = http_status;
  outcome->retry_after_us = -1;
  return outcome;
}

static char *
origin_of (GUri * uri)
{
  return g_uri_join (G_URI_FLAGS_ENCODED, g_uri_get_scheme (uri), NULL,
      g_uri_get_host (uri), g_uri_get_port (uri), "", NULL, NULL);
}

static void
finish (GTask * task, JimmyRequestOutcome * outcome)
{
  stop_watching_cancellable (g_task_get_task_data (task));
  g_task_return_pointer (task, outcome,
      (GDestroyNotify) jimmy_request_outcome_free);
  g_object_unref (task);
}

static void
finish_cancelled (GTask * task, const GError * error)
{
  stop_watching_cancellable (g_task_get_task_data (task));
  g_task_return_error (task, g_error_copy (error));
  g_object_unref (task);
}

static void send_current_uri (GTask * task);


/* ---------------------------------------------------------------------- */
/* Verdicts */

static gboolean
is_transient_status (guint status)
{
  return status == SOUP_STATUS_REQUEST_TIMEOUT
      || status == 429 /* Too Many Requests */
      || (status >= 500 && status <= 599);
}

static gboolean
is_redirect_status (guint status)
{
  return status == SOUP_STATUS_MOVED_PERMANENTLY
      || status == SOUP_STATUS_FOUND
      || status == SOUP_STATUS_SEE_OTHER
      || status == SOUP_STATUS_TEMPORARY_REDIRECT
      || status == SOUP_STATUS_PERMANENT_REDIRECT;
}

/* For an error status, what the body's envelope says, if it has one. */
static char *
describe_error_body (RequestData * data, JimmyRequestOutcome * outcome)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (JimmyTask) task = NULL;
  gint api_code = 0;

  if (data->body == NULL || data->body->len == 0 || data->body_too_large)
    return g_strdup ("");

  api_code = G_MININT;
  task = jimmy_task_new_from_response ((const char *) data->body->data,
      data->body->len, &api_code, &error);
  if (api_code != G_MININT) {
    outcome->api_code = api_code;
    outcome->has_api_code = TRUE;
  }
  if (g_error_matches (error, JIMMY_CLIENT_ERROR, JIMMY_CLIENT_ERROR_API))
    return g_strdup_printf (" %s", error->message);
  return g_strdup ("");
}

static JimmyRequestOutcome *
judge_error_status (RequestData * data, guint status)
{
  SoupMessageHeaders *headers = soup_message_get_response_headers (data->msg);
  JimmyRequestOutcome *outcome;
  g_autofree char *origin = origin_of (data->api_uri);
  g_autofree char *said = NULL;
  const char *phrase = soup_status_get_phrase (status);

  if (is_transient_status (status)) {
    const char *retry_after = soup_message_headers_get_one (headers,
        "Retry-After");
    g_autoptr (GDateTime) now = g_date_time_new_now_utc ();

    outcome = outcome_new (JIMMY_REQUEST_TRANSIENT, status);
    said = describe_error_body (data, outcome);
    if (retry_after != NULL)
      jimmy_backoff_parse_retry_after (retry_after, now,
          &outcome->retry_after_us);
    outcome->error = g_error_new (JIMMY_CLIENT_ERROR, JIMMY_CLIENT_ERROR_HTTP,
        "The API at %s answered HTTP %u %s while polling task \"%s\".%s",
        origin, status, phrase, data->task_id, said);
    return outcome;
  }

  outcome = outcome_new (JIMMY_REQUEST_FATAL, status);
  said = describe_error_body (data, outcome);

  switch (status) {
    case SOUP_STATUS_UNAUTHORIZED:
    case SOUP_STATUS_FORBIDDEN:
      if (!jimmy_api_same_origin (data->uri, data->api_uri)) {
        g_autofree char *target = origin_of (data->uri);
        /* The key never went there: say so, not that it was refused. */
        outcome->error = g_error_new (JIMMY_CLIENT_ERROR,
            JIMMY_CLIENT_ERROR_NOT_AUTHORIZED,
            "The API at %s redirected the poll of task \"%s\" to %s, "
            "which refused it (HTTP %u %s); the API key is never sent to "
            "another origin. Check api-url: it should name the API's own "
            "origin.", origin, data->task_id, target, status, phrase);
        break;
      }
      outcome->error = g_error_new (JIMMY_CLIENT_ERROR,
          JIMMY_CLIENT_ERROR_NOT_AUTHORIZED,
          "The API at %s refused the API key for task \"%s\" "
          "(HTTP %u %s).%s Check the api-key property or JIMMY_API_KEY.",
          origin, data->task_id, status, phrase, said);
      break;
    case SOUP_STATUS_NOT_FOUND:
      outcome->error = g_error_new (JIMMY_CLIENT_ERROR,
          JIMMY_CLIENT_ERROR_NOT_FOUND,
          "Task \"%s\" was not found at %s (HTTP %u %s).%s Check task-id "
          "and that api-url points at the SoundClone API.",
          data->task_id, origin, status, phrase, said);
      break;
    default:
      outcome->error = g_error_new (JIMMY_CLIENT_ERROR,
          JIMMY_CLIENT_ERROR_HTTP,
          "The API at %s answered HTTP %u %s for task \"%s\".%s Check "
          "api-url.", origin, status, phrase, data->task_id, said);
      break;
  }
  return outcome;
}

static JimmyRequestOutcome *
judge_task_body (RequestData * data, guint status)
{
  g_autoptr (JimmyRequestOutcome) outcome = NULL;
  gint api_code = G_MININT;

  if (data->body_too_large) {
    outcome = outcome_new (JIMMY_REQUEST_FATAL, status);
    outcome->error = g_error_new (JIMMY_CLIENT_ERROR,
        JIMMY_CLIENT_ERROR_MALFORMED,
        "Task \"%s\": the API's response is larger than 1 MiB, which no "
        "task status needs; it was cut off. Check that api-url points at "
        "the SoundClone API.", data->task_id);
    return g_steal_pointer (&outcome);
  }

  outcome = outcome_new (JIMMY_REQUEST_OK, status);
  outcome->task = jimmy_task_new_from_response ((const char *)
      data->body->data, data->body->len, &api_code, &outcome->error);
  if (api_code != G_MININT) {
    outcome->api_code = api_code;
    outcome->has_api_code = TRUE;
  }

  if (outcome->task != NULL && g_strcmp0 (outcome->task->id,
          data->task_id) != 0) {
    g_autofree char *other = jimmy_text_quote (outcome->task->id, -1);
    g_clear_pointer (&outcome->task, jimmy_task_free);
    outcome->error = g_error_new (JIMMY_CLIENT_ERROR,
        JIMMY_CLIENT_ERROR_MALFORMED,
        "Task \"%s\": the API answered with the status of another task "
        "(\"%s\"). Check that api-url points at the SoundClone API.",
        data->task_id, other);
  }

  if (outcome->task == NULL) {
    outcome->verdict = JIMMY_REQUEST_FATAL;
    /* Errors about the envelope cannot know which task they were for. */
    if (strstr (outcome->error->message, data->task_id) == NULL)
      g_prefix_error (&outcome->error, "Task \"%s\": ", data->task_id);
    if (g_error_matches (outcome->error, JIMMY_CLIENT_ERROR,
            JIMMY_CLIENT_ERROR_API)) {
      GError *advised = g_error_new (JIMMY_CLIENT_ERROR,
          JIMMY_CLIENT_ERROR_API, "%s Check task-id and api-key; the "
          "service's message says why it refused.", outcome->error->message);
      g_error_free (outcome->error);
      outcome->error = advised;
    }
  }
  return g_steal_pointer (&outcome);
}

static JimmyRequestOutcome *
judge_transport_error (RequestData * data, GError * error)
{
  g_autofree char *origin = origin_of (data->uri);
  JimmyRequestOutcome *outcome;

  if (error->domain == G_TLS_ERROR) {
    outcome = outcome_new (JIMMY_REQUEST_FATAL, 0);
    outcome->error = g_error_new (JIMMY_CLIENT_ERROR, JIMMY_CLIENT_ERROR_TLS,
        "The TLS certificate of %s was not accepted while polling task "
        "\"%s\": %s. Only for a test server with a self-signed "
        "certificate, set ssl-strict=false.", origin, data->task_id,
        error->message);
    return outcome;
  }

  outcome = outcome_new (JIMMY_REQUEST_TRANSIENT, 0);
  outcome->error = g_error_new (error->domain, error->code,
      "Could not poll task \"%s\" at %s: %s", data->task_id, origin,
      error->message);
  return outcome;
}

/* ---------------------------------------------------------------------- */
/* Redirects */

static JimmyRequestOutcome *
redirect_error (RequestData * data, guint status, const char *what)
{
  JimmyRequestOutcome *outcome = outcome_new (JIMMY_REQUEST_FATAL, status);
  g_autofree char *origin = origin_of (data->api_uri);

  outcome->error = g_error_new (JIMMY_CLIENT_ERROR, JIMMY_CLIENT_ERROR_HTTP,
      "The API at %s redirected the poll of task \"%s\" %s. Check api-url.",
      origin, data->task_id, what);
  return outcome;
}

/* Returns NULL when the redirect is to be followed. */
static JimmyRequestOutcome *
take_redirect (RequestData * data, guint status)
{
  SoupMessageHeaders *headers = soup_message_get_response_headers (data->msg);
  const char *location = soup_message_headers_get_one (headers, "Location");
  g_autoptr (GUri) target = NULL;
  const char *scheme;

  if (location == NULL)
    return redirect_error (data, status, "without saying where to");
  if (++data->redirects > JIMMY_REQUEST_MAX_REDIRECTS)
    return redirect_error (data, status, "too many times (a loop?)");

  target = g_uri_parse_relative (data->uri, location, SOUP_HTTP_URI_FLAGS,
      NULL);
  scheme = target != NULL ? g_uri_get_scheme (target) : NULL;
  if (scheme == NULL || (g_ascii_strcasecmp (scheme, "http") != 0
          && g_ascii_strcasecmp (scheme, "https") != 0))
    return redirect_error (data, status, "to a location that is not http(s)");

  g_uri_unref (data->uri);
  data->uri = g_steal_pointer (&target);
  return NULL;
}

/* ---------------------------------------------------------------------- */
/* Exchange */

/* A failed send or read: cancellation ends the task quietly, anything
 * else is judged. */
static void
finish_with_error (GTask * task, GError * error)
{
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED)) {
    finish_cancelled (task, error);
    return;
  }
  finish (task, judge_transport_error (g_task_get_task_data (task), error));
}

static void
on_body_read (GObject * source, GAsyncResult * result, gpointer user_data);

static void
read_next_chunk (GTask * task)
{
  RequestData *data = g_task_get_task_data (task);

  g_input_stream_read_bytes_async (data->stream, READ_CHUNK_SIZE,
      SEND_PRIORITY, data->soup_cancellable, on_body_read, task);
}

static void
judge_response (GTask * task)
{
  RequestData *data = g_task_get_task_data (task);
  guint status = soup_message_get_status (data->msg);

  if (status >= 200 && status <= 299)
    finish (task, judge_task_body (data, status));
  else
    finish (task, judge_error_status (data, status));
}

static void
on_body_read (GObject * source, GAsyncResult * result, gpointer user_data)
{
  GTask *task = user_data;
  RequestData *data = g_task_get_task_data (task);
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) chunk = NULL;

  chunk = g_input_stream_read_bytes_finish (G_INPUT_STREAM (source), result,
      &error);
  if (chunk == NULL) {
    finish_with_error (task, error);
    return;
  }

  if (g_bytes_get_size (chunk) == 0) {
    /* libsoup 3.2 ends a Content-Length body that the connection cut
     * short with a clean end of stream: half a body is a broken
     * connection, not an answer. */
    if (data->content_length >= 0 && data->body->len < data->content_length) {
      g_autoptr (GError) cut = g_error_new (G_IO_ERROR,
          G_IO_ERROR_PARTIAL_INPUT, "Connection terminated unexpectedly "
          "after %u of the %" G_GOFFSET_FORMAT " bytes of the response",
          data->body->len, data->content_length);
      finish_with_error (task, cut);
      return;
    }
    judge_response (task);
    return;
  }

  if (data->body->len + g_bytes_get_size (chunk) >
      JIMMY_TASK_MAX_RESPONSE_SIZE) {
    /* Stop reading: the connection is dropped rather than drained. */
    data->body_too_large = TRUE;
    judge_response (task);
    return;
  }

  g_byte_array_append (data->body, g_bytes_get_data (chunk, NULL),
      g_bytes_get_size (chunk));
  read_next_chunk (task);
}

static void
on_sent (GObject * source, GAsyncResult * result, gpointer user_data)
{
  GTask *task = user_data;
  RequestData *data = g_task_get_task_data (task);
  g_autoptr (GError) error = NULL;
  SoupMessageHeaders *headers;
  JimmyRequestOutcome *outcome;
  goffset length;
  guint status;

  data->stream = soup_session_send_finish (SOUP_SESSION (source), result,
      &error);
  if (data->stream == NULL) {
    finish_with_error (task, error);
    return;
  }

  status = soup_message_get_status (data->msg);
  if (is_redirect_status (status)) {
    outcome = take_redirect (data, status);
    if (outcome != NULL)
      finish (task, outcome);
    else
      send_current_uri (task);
    return;
  }

  headers = soup_message_get_response_headers (data->msg);
  length = soup_message_headers_get_encoding (headers) ==
      SOUP_ENCODING_CONTENT_LENGTH ?
      soup_message_headers_get_content_length (headers) : -1;
  data->content_length = length;
  data->body = g_byte_array_new ();
  if (length > JIMMY_TASK_MAX_RESPONSE_SIZE) {
    data->body_too_large = TRUE;
    judge_response (task);
    return;
  }
  read_next_chunk (task);
}

static gboolean
accept_any_certificate (SoupMessage * msg, GTlsCertificate * certificate,
    GTlsCertificateFlags errors, gpointer user_data)
{
  return TRUE;
}

static void
send_current_uri (GTask * task)
{
  RequestData *data = g_task_get_task_data (task);
  SoupMessageHeaders *headers;

  g_clear_object (&data->stream);
  g_clear_pointer (&data->body, g_byte_array_unref);
  g_clear_object (&data->msg);
  data->content_length = -1;

  data->msg = soup_message_new_from_uri (SOUP_METHOD_GET, data->uri);
  soup_message_add_flags (data->msg, SOUP_MESSAGE_NO_REDIRECT);
  headers = soup_message_get_request_headers (data->msg);
  soup_message_headers_replace (headers, "Accept", "application/json");
  /* The key goes to the api-url's origin only, whatever redirects say. */
  if (data->authorization != NULL
      && jimmy_api_same_origin (data->uri, data->api_uri))
    soup_message_headers_replace (headers, "Authorization",
        data->authorization);
  if (!data->ssl_strict)
    g_signal_connect (data->msg, "accept-certificate",
        G_CALLBACK (accept_any_certificate), NULL);

  soup_session_send_async (data->session, data->msg, SEND_PRIORITY,
      data->soup_cancellable, on_sent, task);
}

/* Runs on the session's thread at CANCEL_PRIORITY, whichever thread
 * cancelled. */
static gboolean
on_caller_cancelled (GCancellable * cancellable, gpointer user_data)
{
  RequestData *data = user_data;

  stop_watching_cancellable (data);
  g_cancellable_cancel (data->soup_cancellable);
  return G_SOURCE_REMOVE;
}

static void
watch_cancellable (GTask * task)
{
  RequestData *data = g_task_get_task_data (task);
  GCancellable *cancellable = g_task_get_cancellable (task);

  if (cancellable == NULL)
    return;
  data->cancel_watch = g_cancellable_source_new (cancellable);
  g_source_set_priority (data->cancel_watch, CANCEL_PRIORITY);
  g_source_set_callback (data->cancel_watch, G_SOURCE_FUNC
      (on_caller_cancelled), data, NULL);
  g_source_attach (data->cancel_watch, g_task_get_context (task));
}

/**
 * jimmy_request_send_async:
 * @api_uri: the api url; only its origin is sent the key
 * @task_uri: the task's query URL
 * @api_key: (nullable): the Bearer token
 *
 * Polls the task once. Must be called on the thread that owns @session.
 */
void
jimmy_request_send_async (SoupSession * session, GUri * api_uri,
    GUri * task_uri, const char *task_id, const char *api_key,
    gboolean ssl_strict, GCancellable * cancellable,
    GAsyncReadyCallback callback, gpointer user_data)
{
  g_autoptr (RequestData) data = g_new0 (RequestData, 1);
  GTask *task;

  g_return_if_fail (SOUP_IS_SESSION (session));
  g_return_if_fail (api_uri != NULL && task_uri != NULL && task_id != NULL);

  data->session = g_object_ref (session);
  data->api_uri = g_uri_ref (api_uri);
  data->uri = g_uri_ref (task_uri);
  data->task_id = g_strdup (task_id);
  if (api_key != NULL && *api_key != '\0')
    data->authorization = g_strconcat ("Bearer ", api_key, NULL);
  data->ssl_strict = ssl_strict;
  data->soup_cancellable = g_cancellable_new ();

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, jimmy_request_send_async);
  g_task_set_task_data (task, g_steal_pointer (&data),
      (GDestroyNotify) request_data_free);
  if (g_task_return_error_if_cancelled (task)) {
    g_object_unref (task);
    return;
  }
  watch_cancellable (task);
  send_current_uri (task);
}

/**
 * jimmy_request_send_finish:
 *
 * Returns: (transfer full): the outcome, or %NULL with
 * %G_IO_ERROR_CANCELLED when the cancellable was cancelled.
 */
JimmyRequestOutcome *
jimmy_request_send_finish (GAsyncResult * result, GError ** error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_async_result_is_tagged (result,
          jimmy_request_send_async), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
