/* jimmy-mock-server.c: a scriptable mock of the SoundClone task API.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/**
 * SECTION:jimmy-mock-server
 * @title: JimmyMockServer
 * @short_description: a scriptable SoundClone task API for tests
 *
 * A #JimmyMockServer runs a #SoupServer on its own thread, with its own
 * #GMainContext, so a test may block its own thread (on GStreamer, on a
 * #GCond) while the server answers. Every public function may be called
 * from any thread.
 *
 * It serves:
 *
 * - `GET /api/open-api/v1/audios/<id>`: the next step of the status script
 *   of task `<id>`: the one path segment, percent-decoded, so `%2F` is a
 *   '/' inside the id, while a literal '/' (a second segment) is a 404.
 * - `GET /redirected/api/open-api/v1/audios/<id>`: the same; this is where
 *   the `redirect-same` step points. It advances the script too, so a
 *   redirect costs two steps: the `redirect-same` and the one answered
 *   after it.
 * - `GET /media/<anything>.mp3`: the media file, with `Range` support.
 *   Never needs the API key, never delayed; broken on purpose by a media
 *   fault, and signed by a token when URLs expire (both below).
 * - `GET /media/<anything>.srt`: the subtitles, if set.
 *
 * Anything else answers 404.
 *
 * ## Media faults
 *
 * jimmy_mock_server_set_media_fault() (`--media-fault F`) breaks every
 * `GET` and `HEAD` of `/media/<anything>.mp3` one way:
 *
 * - `none` (or %NULL): the file, normally.
 * - `http-NNN`: status NNN (400–599) with a small HTML page
 *   (`text/html`), e.g. `http-404`, `http-403`, `http-410`.
 * - `reset-after-N`: the **first** `GET` only (the first after the fault
 *   is set): headers announcing the whole response (`Content-Length`;
 *   206 and `Content-Range` for a Range request), then only its first N
 *   bytes, then the connection is closed: a connection reset mid-stream.
 *   Later requests, such as souphttpsrc's retry with `Range: bytes=N-`,
 *   get the file normally.
 * - `reset-always-after-N`: the same for **every** `GET`, Range requests
 *   included: each response stops N bytes after where it started.
 * - `html`: 200, `text/html`, an HTML page instead of the audio.
 * - `empty`: 200, `audio/mpeg`, a zero-byte body.
 * - `truncate-N`: 200, `audio/mpeg`, only the first N bytes of the file
 *   with `Content-Length: N`: a truncated file served as if complete
 *   (Range requests are answered against those N bytes).
 *
 * A cut applies to a whole-file or single-range `GET`; a request for
 * several ranges is answered whole. The response is written on the stolen
 * connection without blocking the server thread.
 *
 * ## Signed URLs that expire
 *
 * jimmy_mock_server_set_media_expiry() (`--media-expiry BYTES`) imitates
 * an object store's signed URLs, whose lifetime is counted here in bytes
 * so that tests can expire one at an exact position:
 *
 * - As the API: every answer with a completed task carries
 *   `audioUrl` = `…/media/<id>.mp3?token=<token>`, a fresh token for
 *   every answer (`t<serial>-<random hex>`), so a re-poll gets a new URL.
 * - As the media host: a `GET /media/<id>.mp3` needs a `token`; none is a
 *   403. Each token is served normally until it has served the set
 *   number of bytes in total (body bytes counted as written). The
 *   response that would cross that limit is cut exactly at it, as for
 *   `reset-after-N`, and is charged the whole limit at once; every later
 *   request with that token gets 403 with an XML body (`AccessDenied`,
 *   "Request has expired"), as an expired signed URL does. 0 bytes means
 *   every token is expired from its first request.
 *
 * The media host does not check that a token was issued: any token it has
 * not seen yet is fresh. jimmy_mock_server_set_media_expiry_tokens()
 * (`--media-expiry-tokens N`) limits only the first N distinct tokens
 * the media host sees, so a test can expire the first audioUrl and not
 * the one a re-poll gets. With two servers (API and media on different
 * origins, as the element tests run them), set the expiry on both: the
 * API issues tokens, the media host enforces them. A refused token is
 * refused before any media fault applies; a fault (a `reset-after-N`, a
 * `truncate-N`) applies to what a valid token is served. The request log
 * keeps each request's query (#JimmyMockRequest.query), so a test can
 * tell which token a request used; the `request-served` summary names it.
 *
 * A status script is a comma-separated list of steps `token[:count]`. A
 * step answers `count` polls (default 1), then the next step takes over;
 * the last step answers every poll after that. Tokens:
 *
 * - `queued`, `processing`, `completed`, `failed` or any other lowercase
 *   word `[a-z]+` not listed below: 200 with a task of that status.
 * - `http-NNN`: status NNN (200–599) with `{"code":NNN00,"msg":<phrase>}`.
 * - `retry-after-N`: 429 with `Retry-After: N`.
 * - `api-error`: 200 with the envelope code 50001 and `"data":null`.
 * - `garbage`: 200, `application/json`, body `<html>not json`.
 * - `reset`: the connection is closed without a response.
 * - `hang`: no response until jimmy_mock_server_release_held() or the
 *   server stops (the connection is then closed). A released request is
 *   answered like a new poll, so it costs a second step; if that step is
 *   `hang` again it gets a 503.
 * - `redirect-same`: 307 to the same task under `/redirected/`.
 * - `redirect-other`: 307 to the same task path on the media base URL
 *   (another origin when that is another server).
 * - `completed-no-audio`, `completed-bad-url`: completed without an
 *   audioUrl, or with an ftp:// one.
 * - `huge`: 200 with a valid 2 MiB envelope.
 * - `retry-after-date-N`: 429 with `Retry-After` as an HTTP-date N
 *   seconds from now (whole seconds: the client waits N - 1 to N s).
 * - `cut-body`: 200 whose headers announce a whole `processing` task
 *   (Content-Length) but only half of it is sent before the connection is
 *   closed.
 * - `slow-headers-MS`: a `processing` task, but only after MS
 *   milliseconds (1–600000); other requests are answered meanwhile.
 * - `trickle`: 200 with a chunked `processing` task, the headers at once,
 *   then one byte every 200 ms.
 * - `flood`: 200 with a chunked, valid 64 MiB `processing` task, each
 *   64 KiB chunk written once the client has taken the previous one; see
 *   jimmy_mock_server_get_bytes_streamed().
 * - `redirect-loop`: 302 to the task's own path on this server.
 * - `body-NAME`: 200 with the body registered as NAME by
 *   jimmy_mock_server_add_body(), byte for byte.
 *
 * Example: `queued:1,processing:3,completed`.
 */

#include "jimmy-mock-server.h"
#include "jimmy-mock-reply-private.h"
#include "jimmy-mock-script-private.h"

#include <string.h>

#include <libsoup/soup.h>

#define API_PREFIX JIMMY_MOCK_API_PREFIX
#define REDIRECTED_PREFIX JIMMY_MOCK_REDIRECTED_PREFIX
#define MEDIA_PREFIX JIMMY_MOCK_MEDIA_PREFIX

#define DEFAULT_MODEL "soundCloningClone"
#define DEFAULT_FAILURE_TEXT "the voice sample is too short"

#define SUMMARY_KEY "jimmy-mock-summary"

G_DEFINE_QUARK (jimmy-mock-server-error-quark, jimmy_mock_server_error);

/* ------------------------------------------------------------------------
 * The object
 * --------------------------------------------------------------------- */

/* A request paused by a delay or a `hang`. Lives on the server thread. */
typedef struct {
  JimmyMockServer *self;        /* (unowned): stop drains every Pending */
  SoupServerMessage *msg;       /* (owned) */
  char *task_id;                /* (owned) (nullable) */
  JimmyMockReply *reply;        /* (owned) (nullable): NULL while held */
  GSource *timeout;             /* (owned) (nullable) */
  gulong finished_id;
} Pending;

struct _JimmyMockServer
{
  GObject parent_instance;

  /* Guards the fields from @thread to @requests: the thread and its
   * context, the settings, the task cursors and the request log. Never
   * held while calling into libsoup or emitting a signal. */
  GMutex lock;
  /* Signalled when the server thread has started listening (or failed
   * to) and whenever a request is logged. */
  GCond cond;

  GThread *thread;              /* (owned) (nullable) */
  GMainContext *context;        /* (owned) (nullable): the thread's */
  gboolean starting;
  GError *start_error;          /* (owned) (nullable) */
  char *base_url;               /* (owned) (nullable) */

  char *api_key;                /* (owned) (nullable) */
  char *model;                  /* (owned) */
  char *failure_text;           /* (owned) */
  char *media_base_url;         /* (owned) (nullable) */
  GBytes *media;                /* (owned) (nullable) */
  GBytes *subtitles;            /* (owned) (nullable) */
  guint delay_ms;
  GPtrArray *default_steps;     /* (owned) (nullable) */
  GHashTable *tasks;            /* (owned): task id → JimmyMockCursor */
  GHashTable *bodies;           /* (owned): name → JimmyMockBody */
  GPtrArray *requests;          /* (owned) (element-type JimmyMockRequest) */
  guint64 bytes_streamed;       /* body bytes `trickle`/`flood` wrote */
  guint streams_ended;          /* `trickle`/`flood` responses ended */
  JimmyMockMediaFault media_fault;
  gboolean media_fault_used;    /* a first-only fault has struck */
  gint64 media_expiry;          /* bytes per signed URL, -1: unsigned */
  guint expiring_tokens;        /* how many tokens expire, 0: all */
  guint token_serial;           /* tokens issued so far */
  GHashTable *tokens;           /* (owned): token → TokenState */

  /* Set by stop, read by the server thread's loop. */
  gint quit;

  /* Server thread only. */
  GPtrArray *pending;           /* (owned) (element-type Pending) */
  GPtrArray *streams;           /* (owned) (element-type Stream) */
  GPtrArray *cut_writes;        /* (owned) (element-type CutWrite) */
};

G_DEFINE_TYPE (JimmyMockServer, jimmy_mock_server, G_TYPE_OBJECT);

enum {
  SIGNAL_REQUEST_SERVED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/**
 * jimmy_mock_request_free:
 * @request: (transfer full): a #JimmyMockRequest
 */
void
jimmy_mock_request_free (JimmyMockRequest * request)
{
  g_free (request->method);
  g_free (request->path);
  g_free (request->authorization);
  g_free (request->range);
  g_free (request->query);
  g_free (request);
}

static JimmyMockRequest *
request_copy (const JimmyMockRequest * request)
{
  JimmyMockRequest *copy = g_new0 (JimmyMockRequest, 1);

  copy->method = g_strdup (request->method);
  copy->path = g_strdup (request->path);
  copy->authorization = g_strdup (request->authorization);
  copy->range = g_strdup (request->range);
  copy->time_us = request->time_us;
  copy->query = g_strdup (request->query);
  return copy;
}

/* ------------------------------------------------------------------------
 * Server thread: answering
 * --------------------------------------------------------------------- */

static void
emit_served (JimmyMockServer * self, SoupServerMessage * msg, guint status,
    const char *summary)
{
  GUri *uri = soup_server_message_get_uri (msg);
  const char *path = uri ? g_uri_get_path (uri) : "(no uri)";
  const char *query = uri ? g_uri_get_query (uri) : NULL;
  const char *method = soup_server_message_get_method (msg);

  g_debug ("%s %s%s%s -> %u %s", method, path, query ? "?" : "",
      query ? query : "", status, summary);
  g_signal_emit (self, signals[SIGNAL_REQUEST_SERVED], 0, method, path,
      status, summary);
}

/* The client must see a broken connection, not a response. */
static void
reset_connection (JimmyMockServer * self, SoupServerMessage * msg)
{
  g_autoptr(GIOStream) stream = soup_server_message_steal_connection (msg);

  emit_served (self, msg, 0, "reset (connection closed)");
  if (stream != NULL)
    g_io_stream_close (stream, NULL, NULL);
}

/* `cut-body`: libsoup would never send a body shorter than its
 * Content-Length, so the response is written by hand on the stolen
 * connection, which is then closed. A few hundred bytes: the blocking
 * write cannot stall the server thread. */
static void
cut_connection (JimmyMockServer * self, SoupServerMessage * msg,
    const JimmyMockReply * reply)
{
  g_autoptr(GIOStream) stream = soup_server_message_steal_connection (msg);
  g_autoptr(GString) head = g_string_new (NULL);
  GOutputStream *out;
  gsize size;
  const guint8 *data = g_bytes_get_data (reply->body, &size);

  emit_served (self, msg, reply->status, reply->summary);
  if (stream == NULL)
    return;

  g_string_append_printf (head, "HTTP/1.1 %u %s\r\n"
      "Content-Type: %s\r\n"
      "Content-Length: %" G_GSIZE_FORMAT "\r\n"
      "Connection: close\r\n\r\n", reply->status,
      jimmy_mock_status_phrase (reply->status), reply->content_type, size);
  out = g_io_stream_get_output_stream (stream);
  /* A client that went away already is no concern of ours. */
  if (g_output_stream_write_all (out, head->str, head->len, NULL, NULL, NULL))
    g_output_stream_write_all (out, data, MIN (reply->cut_at, size), NULL,
        NULL, NULL);
  g_io_stream_close (stream, NULL, NULL);
}

/* ------------------------------------------------------------------------
 * Server thread: streamed bodies (`trickle`, `flood`)
 * --------------------------------------------------------------------- */

/* One chunked response written piece by piece: the head, filler bytes,
 * the tail. A chunk is appended only once the previous one has been
 * written to the socket, so nothing piles up in the server when the
 * client stops reading, and bytes_streamed counts what the kernel
 * accepted. */
typedef struct {
  JimmyMockServer *self;        /* (unowned): stop drains every Stream */
  SoupServerMessage *msg;       /* (owned) */
  GBytes *head;                 /* (owned) */
  GBytes *filler;               /* (owned) chunk_size bytes of 'x' */
  GBytes *tail;                 /* (owned) */
  guint64 total;                /* head + filler + tail */
  guint64 offset;               /* appended so far */
  gsize chunk_size;
  guint interval_ms;
  GSource *timer;               /* (owned) (nullable) */
  gulong wrote_chunk_id;
  gulong wrote_data_id;
  gulong finished_id;
} Stream;

static void
stream_free (Stream * stream)
{
  g_signal_handler_disconnect (stream->msg, stream->wrote_chunk_id);
  g_signal_handler_disconnect (stream->msg, stream->wrote_data_id);
  g_signal_handler_disconnect (stream->msg, stream->finished_id);
  if (stream->timer != NULL) {
    g_source_destroy (stream->timer);
    g_source_unref (stream->timer);
  }
  g_bytes_unref (stream->head);
  g_bytes_unref (stream->filler);
  g_bytes_unref (stream->tail);
  g_object_unref (stream->msg);
  g_free (stream);
}

static void
stream_record_end (JimmyMockServer * self)
{
  g_mutex_lock (&self->lock);
  self->streams_ended++;
  g_cond_broadcast (&self->cond);
  g_mutex_unlock (&self->lock);
}

/* Returns: (transfer full) (nullable): the next piece, NULL at the end. */
static GBytes *
stream_next_piece (Stream * stream)
{
  gsize head = g_bytes_get_size (stream->head);
  guint64 filler_end = stream->total - g_bytes_get_size (stream->tail);
  guint64 n;

  if (stream->offset < head) {
    n = MIN (stream->chunk_size, head - stream->offset);
    return g_bytes_new_from_bytes (stream->head, stream->offset, n);
  }
  if (stream->offset < filler_end) {
    n = MIN (stream->chunk_size, filler_end - stream->offset);
    return g_bytes_new_from_bytes (stream->filler, 0, n);
  }
  if (stream->offset < stream->total) {
    n = MIN (stream->chunk_size, stream->total - stream->offset);
    return g_bytes_new_from_bytes (stream->tail, stream->offset - filler_end,
        n);
  }
  return NULL;
}

/* Appends the next piece, or ends the body. */
static void
stream_append (Stream * stream)
{
  SoupMessageBody *body = soup_server_message_get_response_body (stream->msg);
  g_autoptr(GBytes) piece = stream_next_piece (stream);

  if (piece == NULL) {
    soup_message_body_complete (body);
    return;
  }
  stream->offset += g_bytes_get_size (piece);
  soup_message_body_append_bytes (body, piece);
}

static gboolean
stream_timer_cb (gpointer user_data)
{
  Stream *stream = user_data;

  g_clear_pointer (&stream->timer, g_source_unref);
  stream_append (stream);
  /* libsoup paused the message when it ran out of body. */
  soup_server_message_unpause (stream->msg);
  return G_SOURCE_REMOVE;
}

static void
stream_schedule (Stream * stream)
{
  stream->timer = g_timeout_source_new (stream->interval_ms);
  g_source_set_callback (stream->timer, stream_timer_cb, stream, NULL);
  g_source_attach (stream->timer, g_main_context_get_thread_default ());
}

/* Emitted from libsoup's write loop, which looks for the next chunk right
 * after: one appended now is written without a pause. */
static void
stream_wrote_chunk_cb (SoupServerMessage * msg, gpointer user_data)
{
  Stream *stream = user_data;

  if (stream->interval_ms == 0)
    stream_append (stream);
  else
    stream_schedule (stream);
}

static void
stream_wrote_data_cb (SoupServerMessage * msg, guint size, gpointer user_data)
{
  Stream *stream = user_data;

  g_mutex_lock (&stream->self->lock);
  stream->self->bytes_streamed += size;
  g_mutex_unlock (&stream->self->lock);
}

/* Written to the end, or the client went away. */
static void
stream_finished_cb (SoupServerMessage * msg, gpointer user_data)
{
  Stream *stream = user_data;
  JimmyMockServer *self = stream->self;

  g_ptr_array_remove_fast (self->streams, stream);
  stream_record_end (self);
}

static void
stream_start (JimmyMockServer * self, SoupServerMessage * msg,
    const JimmyMockReply * reply)
{
  Stream *stream = g_new0 (Stream, 1);
  g_autofree char *filler = g_strnfill (reply->chunk_size, 'x');

  stream->self = self;
  stream->msg = g_object_ref (msg);
  stream->head = g_bytes_ref (reply->body);
  stream->filler = g_bytes_new (filler, reply->chunk_size);
  stream->tail = reply->tail != NULL ? g_bytes_ref (reply->tail) :
      g_bytes_new_static ("", 0);
  stream->total = g_bytes_get_size (stream->head) + reply->filler_length +
      g_bytes_get_size (stream->tail);
  stream->chunk_size = reply->chunk_size;
  stream->interval_ms = reply->interval_ms;
  stream->wrote_chunk_id = g_signal_connect (msg, "wrote-chunk",
      G_CALLBACK (stream_wrote_chunk_cb), stream);
  stream->wrote_data_id = g_signal_connect (msg, "wrote-body-data",
      G_CALLBACK (stream_wrote_data_cb), stream);
  stream->finished_id = g_signal_connect (msg, "finished",
      G_CALLBACK (stream_finished_cb), stream);
  g_ptr_array_add (self->streams, stream);

  soup_message_headers_set_encoding (soup_server_message_get_response_headers
      (msg), SOUP_ENCODING_CHUNKED);
  /* The headers go out at once either way. */
  if (stream->interval_ms == 0)
    stream_append (stream);
  else
    stream_schedule (stream);
}

/* Forgets every stream still going; soup_server_disconnect() then closes
 * their connections. Not soup_server_message_steal_connection(): libsoup
 * 3.2 warns there when the client already reset the connection, which a
 * client that stopped reading a stream does. */
static void
drain_streams (JimmyMockServer * self)
{
  while (self->streams->len > 0) {
    Stream *stream = g_ptr_array_steal_index_fast (self->streams, 0);

    emit_served (self, stream->msg, 0, "dropped: the server stopped");
    stream_free (stream);
    stream_record_end (self);
  }
}

/* Called on the server thread; @paused says whether @msg waits for an
 * unpause. */
static void
reply_apply (JimmyMockServer * self, SoupServerMessage * msg,
    const JimmyMockReply * reply, gboolean paused)
{
  SoupMessageHeaders *headers;

  switch (reply->action) {
    case JIMMY_MOCK_REPLY_RESET:
      reset_connection (self, msg);
      return;
    case JIMMY_MOCK_REPLY_CUT:
      cut_connection (self, msg, reply);
      return;
    case JIMMY_MOCK_REPLY_HOLD:
      g_return_if_reached ();
    case JIMMY_MOCK_REPLY_RESPOND:
    case JIMMY_MOCK_REPLY_STREAM:
      break;
  }

  soup_server_message_set_status (msg, reply->status,
      jimmy_mock_status_phrase (reply->status));
  headers = soup_server_message_get_response_headers (msg);
  if (reply->header_name != NULL)
    soup_message_headers_replace (headers, reply->header_name,
        reply->header_value);
  if (reply->content_type != NULL)
    soup_message_headers_set_content_type (headers, reply->content_type, NULL);
  if (reply->action == JIMMY_MOCK_REPLY_STREAM) {
    stream_start (self, msg, reply);
  } else if (reply->body != NULL) {
    SoupMessageBody *body = soup_server_message_get_response_body (msg);

    /* libsoup refuses empty chunks; an empty body is just complete. */
    if (g_bytes_get_size (reply->body) > 0)
      soup_message_body_append_bytes (body, reply->body);
    soup_message_body_complete (body);
  }
  /* Logged with the final status by request_finished_cb(). */
  g_object_set_data_full (G_OBJECT (msg), SUMMARY_KEY,
      g_strdup (reply->summary), g_free);

  if (paused)
    soup_server_message_unpause (msg);
}

static void
pending_free (Pending * pending)
{
  if (pending->finished_id != 0)
    g_signal_handler_disconnect (pending->msg, pending->finished_id);
  if (pending->timeout != NULL) {
    g_source_destroy (pending->timeout);
    g_source_unref (pending->timeout);
  }
  g_clear_pointer (&pending->reply, jimmy_mock_reply_free);
  g_free (pending->task_id);
  g_object_unref (pending->msg);
  g_free (pending);
}

/* The message ended without us (the server is going away). */
static void
pending_finished_cb (SoupServerMessage * msg, gpointer user_data)
{
  Pending *pending = user_data;

  g_ptr_array_remove_fast (pending->self->pending, pending);
}

static gboolean
pending_timeout_cb (gpointer user_data)
{
  Pending *pending = user_data;
  JimmyMockServer *self = pending->self;
  g_autoptr(SoupServerMessage) msg = g_object_ref (pending->msg);
  g_autoptr(JimmyMockReply) reply = g_steal_pointer (&pending->reply);

  g_ptr_array_remove_fast (self->pending, pending);
  reply_apply (self, msg, reply, TRUE);
  return G_SOURCE_REMOVE;
}

/* Takes @reply; NULL holds @msg until jimmy_mock_server_release_held().
 * Called on the server thread. */
static void
pending_add (JimmyMockServer * self, SoupServerMessage * msg,
    const char *task_id, JimmyMockReply * reply, guint delay_ms)
{
  Pending *pending = g_new0 (Pending, 1);

  pending->self = self;
  pending->msg = g_object_ref (msg);
  pending->task_id = g_strdup (task_id);
  pending->reply = reply;
  pending->finished_id = g_signal_connect (msg, "finished",
      G_CALLBACK (pending_finished_cb), pending);
  soup_server_message_pause (msg);

  if (reply != NULL) {
    pending->timeout = g_timeout_source_new (delay_ms);
    g_source_set_callback (pending->timeout, pending_timeout_cb, pending,
        NULL);
    g_source_attach (pending->timeout, g_main_context_get_thread_default ());
  }
  g_ptr_array_add (self->pending, pending);
}

/* ------------------------------------------------------------------------
 * Server thread: the API
 * --------------------------------------------------------------------- */

/* Advances the task's script by one poll. Called with the lock held. */
static JimmyMockReply *
next_reply_locked (JimmyMockServer * self, const char *task_id)
{
  JimmyMockCursor *cursor = g_hash_table_lookup (self->tasks, task_id);
  g_autofree char *token = NULL;
  JimmyMockTaskInfo task = {
    .id = task_id,
    .model = self->model,
    .failure_text = self->failure_text,
    .api_base_url = self->base_url,
    .media_base_url = self->media_base_url ? self->media_base_url :
        self->base_url,
    .has_subtitles = self->subtitles != NULL,
    .bodies = self->bodies,
  };

  /* A fresh signed URL in every answer: a re-poll gets a new one. */
  if (self->media_expiry >= 0) {
    token = g_strdup_printf ("t%u-%08x", ++self->token_serial,
        g_random_int ());
    task.audio_token = token;
  }

  if (cursor == NULL && self->default_steps != NULL) {
    cursor = jimmy_mock_cursor_new (self->default_steps, TRUE);
    g_hash_table_insert (self->tasks, g_strdup (task_id), cursor);
  }
  if (cursor == NULL)
    return jimmy_mock_reply_new_error (SOUP_STATUS_NOT_FOUND, 40400,
        "task not found");

  return jimmy_mock_reply_new_for_step (jimmy_mock_cursor_next (cursor),
      &task);
}

/* Returns: (nullable): the task id of an API path, or NULL for 404.
 * Only a literal '/' makes a second segment: an encoded one (%2F) is
 * part of the id, so a client that escapes ids properly can ask for any
 * id. */
static char *
task_id_from_segment (const char *segment)
{
  g_autofree char *id = NULL;

  if (*segment == '\0' || strchr (segment, '/') != NULL)
    return NULL;
  id = g_uri_unescape_string (segment, NULL);
  /* NULL for a bad escape or %00; JSON needs UTF-8. */
  if (id == NULL || *id == '\0' || !g_utf8_validate (id, -1, NULL))
    return NULL;
  return g_steal_pointer (&id);
}

static gboolean
authorized (JimmyMockServer * self, SoupServerMessage * msg)
{
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  const char *given = soup_message_headers_get_one (headers, "Authorization");
  g_autofree char *expected = NULL;

  g_mutex_lock (&self->lock);
  if (self->api_key != NULL)
    expected = g_strdup_printf ("Bearer %s", self->api_key);
  g_mutex_unlock (&self->lock);

  return expected == NULL || g_strcmp0 (given, expected) == 0;
}

static void
handle_api (JimmyMockServer * self, SoupServerMessage * msg,
    const char *segment)
{
  g_autofree char *task_id = NULL;
  JimmyMockReply *reply;
  guint delay_ms;

  g_mutex_lock (&self->lock);
  delay_ms = self->delay_ms;
  g_mutex_unlock (&self->lock);

  if (!authorized (self, msg)) {
    reply = jimmy_mock_reply_new_error (SOUP_STATUS_UNAUTHORIZED, 40100,
        "invalid api key");
    jimmy_mock_reply_set_header (reply, "WWW-Authenticate", "Bearer");
  } else if (soup_server_message_get_method (msg) != SOUP_METHOD_GET) {
    reply = jimmy_mock_reply_new_error (SOUP_STATUS_METHOD_NOT_ALLOWED,
        40500, "method not allowed");
    jimmy_mock_reply_set_header (reply, "Allow", "GET");
  } else if ((task_id = task_id_from_segment (segment)) == NULL) {
    reply = jimmy_mock_reply_new_error (SOUP_STATUS_NOT_FOUND, 40400,
        "task not found");
  } else {
    g_mutex_lock (&self->lock);
    reply = next_reply_locked (self, task_id);
    g_mutex_unlock (&self->lock);
  }

  delay_ms = MAX (delay_ms, reply->delay_ms);
  if (reply->action == JIMMY_MOCK_REPLY_HOLD) {
    jimmy_mock_reply_free (reply);
    pending_add (self, msg, task_id, NULL, 0);
  } else if (delay_ms > 0) {
    pending_add (self, msg, task_id, reply, delay_ms);
  } else {
    reply_apply (self, msg, reply, FALSE);
    jimmy_mock_reply_free (reply);
  }
}

/* ------------------------------------------------------------------------
 * Server thread: responses cut short on purpose
 * --------------------------------------------------------------------- */

/* A response written by hand on a stolen connection: a head announcing
 * the whole body, only part of that body, then the connection is closed,
 * as when a server or the network drops it mid-stream. Written
 * asynchronously, so a client that reads slowly never stalls the server
 * thread; stop cancels what is still being written. */
typedef struct {
  JimmyMockServer *self;        /* (unowned): stop drains every CutWrite */
  GIOStream *stream;            /* (owned) */
  GBytes *data;                 /* (owned) the head and the body's start */
  GCancellable *cancellable;    /* (owned) */
} CutWrite;

static void
cut_write_free (CutWrite * cut)
{
  g_io_stream_close (cut->stream, NULL, NULL);
  g_object_unref (cut->stream);
  g_bytes_unref (cut->data);
  g_object_unref (cut->cancellable);
  g_free (cut);
}

static void
cut_write_done_cb (GObject * source, GAsyncResult * result,
    gpointer user_data)
{
  CutWrite *cut = user_data;
  g_autoptr(GError) error = NULL;

  /* A client that went away already is no concern of ours. */
  if (!g_output_stream_write_all_finish (G_OUTPUT_STREAM (source), result,
          NULL, &error))
    g_debug ("cut response not written whole: %s", error->message);
  /* Closes the connection: the cut. */
  g_ptr_array_remove_fast (cut->self->cut_writes, cut);
}

/* Answers @status with a head announcing @length bytes of @bytes from
 * @start (a 206 says which with Content-Range), then sends only the first
 * @cut of them and closes the connection. */
static void
cut_response (JimmyMockServer * self, SoupServerMessage * msg, guint status,
    const char *content_type, GBytes * bytes, gsize start, gsize length,
    gsize cut, const char *summary)
{
  g_autoptr(GIOStream) stream = soup_server_message_steal_connection (msg);
  g_autoptr(GString) data = g_string_new (NULL);
  const guint8 *body = g_bytes_get_data (bytes, NULL);
  CutWrite *write;

  emit_served (self, msg, status, summary);
  if (stream == NULL)
    return;

  g_string_append_printf (data, "HTTP/1.1 %u %s\r\n"
      "Content-Type: %s\r\n"
      "Accept-Ranges: bytes\r\n"
      "Content-Length: %" G_GSIZE_FORMAT "\r\n", status,
      jimmy_mock_status_phrase (status), content_type, length);
  if (status == SOUP_STATUS_PARTIAL_CONTENT)
    g_string_append_printf (data, "Content-Range: bytes %" G_GSIZE_FORMAT
        "-%" G_GSIZE_FORMAT "/%" G_GSIZE_FORMAT "\r\n", start,
        start + length - 1, g_bytes_get_size (bytes));
  g_string_append (data, "\r\n");
  g_string_append_len (data, (const char *) body + start, MIN (cut, length));

  write = g_new0 (CutWrite, 1);
  write->self = self;
  write->stream = g_steal_pointer (&stream);
  write->cancellable = g_cancellable_new ();
  write->data = g_bytes_new (data->str, data->len);
  g_ptr_array_add (self->cut_writes, write);
  g_output_stream_write_all_async (g_io_stream_get_output_stream
      (write->stream), g_bytes_get_data (write->data, NULL),
      g_bytes_get_size (write->data), G_PRIORITY_DEFAULT, write->cancellable,
      cut_write_done_cb, write);
}

/* Cancels every cut response still being written and waits for them:
 * their connections are closed. */
static void
drain_cut_writes (JimmyMockServer * self, GMainContext * context)
{
  guint i;

  for (i = 0; i < self->cut_writes->len; i++) {
    CutWrite *write = g_ptr_array_index (self->cut_writes, i);

    g_cancellable_cancel (write->cancellable);
  }
  while (self->cut_writes->len > 0)
    g_main_context_iteration (context, TRUE);
}

/* ------------------------------------------------------------------------
 * Server thread: media
 * --------------------------------------------------------------------- */

typedef enum {
  RANGE_WHOLE,                  /* no Range: 200 with every byte */
  RANGE_ONE,                    /* one satisfiable range: 206 */
  RANGE_OTHER,                  /* several, or unsatisfiable: libsoup's */
} RangeKind;

static RangeKind
requested_range (SoupServerMessage * msg, gsize total, gsize * start,
    gsize * length)
{
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  SoupRange *ranges = NULL;
  RangeKind kind = RANGE_OTHER;
  int n = 0;

  if (!soup_message_headers_get_ranges (headers, total, &ranges, &n)) {
    *start = 0;
    *length = total;
    return RANGE_WHOLE;
  }
  if (n == 1 && ranges[0].start >= 0 && ranges[0].start <= ranges[0].end
      && (gsize) ranges[0].end < total) {
    *start = ranges[0].start;
    *length = ranges[0].end - ranges[0].start + 1;
    kind = RANGE_ONE;
  }
  soup_message_headers_free_ranges (headers, ranges);
  return kind;
}

/* A token the media host has seen. */
typedef struct {
  guint64 served;               /* body bytes, counted as written */
  gboolean expires;             /* FALSE: past expiring_tokens, no limit */
} TokenState;

/* Called with the lock held. */
static void
add_token_bytes_locked (JimmyMockServer * self, const char *token,
    guint64 n)
{
  TokenState *state = g_hash_table_lookup (self->tokens, token);

  if (state != NULL)
    state->served += n;
}

/* What a signed URL may still serve, in @remaining (G_MAXUINT64: no
 * limit); or the 403 that refuses it. A token seen for the first time is
 * fresh, and expires if it is among the first expiring_tokens. Called
 * with the lock held. */
static JimmyMockReply *
check_token_locked (JimmyMockServer * self, const char *token,
    guint64 * remaining)
{
  g_autofree char *summary = NULL;
  TokenState *state;

  if (token == NULL)
    return jimmy_mock_reply_new_denied ("Request is not signed",
        "unsigned URL (no token)");

  state = g_hash_table_lookup (self->tokens, token);
  if (state == NULL) {
    state = g_new0 (TokenState, 1);
    state->expires = self->expiring_tokens == 0 ||
        g_hash_table_size (self->tokens) < self->expiring_tokens;
    g_hash_table_insert (self->tokens, g_strdup (token), state);
  }
  if (!state->expires) {
    *remaining = G_MAXUINT64;
    return NULL;
  }
  if (state->served >= (guint64) self->media_expiry) {
    summary = g_strdup_printf ("token %s expired", token);
    return jimmy_mock_reply_new_denied ("Request has expired", summary);
  }
  *remaining = self->media_expiry - state->served;
  return NULL;
}

/* The fault for this request, spending a first-only one. Called with the
 * lock held. */
static JimmyMockMediaFault
take_fault_locked (JimmyMockServer * self, gboolean is_get)
{
  JimmyMockMediaFault fault = self->media_fault;

  /* Only a body can be cut. */
  if (fault.kind == JIMMY_MOCK_MEDIA_FAULT_RESET && !is_get)
    fault.kind = JIMMY_MOCK_MEDIA_FAULT_NONE;
  if (fault.first_only && fault.kind != JIMMY_MOCK_MEDIA_FAULT_NONE) {
    if (self->media_fault_used)
      fault.kind = JIMMY_MOCK_MEDIA_FAULT_NONE;
    self->media_fault_used = TRUE;
  }
  return fault;
}

typedef struct {
  JimmyMockServer *self;        /* (unowned): messages end before stop */
  char *token;                  /* (owned) */
} TokenCounter;

static void
token_counter_free (gpointer data, GClosure * closure)
{
  TokenCounter *counter = data;

  g_free (counter->token);
  g_free (counter);
}

static void
token_wrote_data_cb (SoupServerMessage * msg, guint size, gpointer user_data)
{
  TokenCounter *counter = user_data;

  g_mutex_lock (&counter->self->lock);
  add_token_bytes_locked (counter->self, counter->token, size);
  g_mutex_unlock (&counter->self->lock);
}

/* Serves @bytes, or only the first @limit bytes of what the request asks
 * for, as a cut response. @token: (nullable): the signed URL's, charged
 * with what is sent. */
static void
serve_media (JimmyMockServer * self, SoupServerMessage * msg, GBytes * bytes,
    const char *content_type, const char *token, guint64 limit)
{
  g_autofree char *summary = NULL;
  SoupMessageHeaders *headers;
  SoupMessageBody *body;
  gsize start = 0, length = 0;
  RangeKind range = RANGE_OTHER;

  if (limit != G_MAXUINT64)
    range = requested_range (msg, g_bytes_get_size (bytes), &start, &length);

  if (range != RANGE_OTHER && limit < length) {
    summary = g_strdup_printf ("%s, cut after %" G_GUINT64_FORMAT " of %"
        G_GSIZE_FORMAT " bytes%s%s", content_type, limit, length,
        token ? ", token " : "", token ? token : "");
    if (token != NULL) {
      g_mutex_lock (&self->lock);
      add_token_bytes_locked (self, token, limit);
      g_mutex_unlock (&self->lock);
    }
    cut_response (self, msg, range == RANGE_ONE ?
        SOUP_STATUS_PARTIAL_CONTENT : SOUP_STATUS_OK, content_type, bytes,
        start, length, limit, summary);
    return;
  }

  if (token != NULL) {
    TokenCounter *counter = g_new0 (TokenCounter, 1);

    counter->self = self;
    counter->token = g_strdup (token);
    g_signal_connect_data (msg, "wrote-body-data",
        G_CALLBACK (token_wrote_data_cb), counter, token_counter_free, 0);
    summary = g_strdup_printf ("%s, token %s", content_type, token);
  }

  /* libsoup turns a complete body into 206/416 by itself when the
   * request has a Range header (one range, or multipart/byteranges). */
  soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
  headers = soup_server_message_get_response_headers (msg);
  soup_message_headers_set_content_type (headers, content_type, NULL);
  soup_message_headers_replace (headers, "Accept-Ranges", "bytes");
  body = soup_server_message_get_response_body (msg);
  /* libsoup refuses empty chunks; an empty body is just complete. */
  if (g_bytes_get_size (bytes) > 0)
    soup_message_body_append_bytes (body, bytes);
  soup_message_body_complete (body);
  g_object_set_data_full (G_OBJECT (msg), SUMMARY_KEY,
      summary ? g_steal_pointer (&summary) : g_strdup (content_type), g_free);
}

/* The audio as a media fault changes it, or NULL when the fault answers
 * something else (set in @reply). */
static GBytes *
apply_fault (const JimmyMockMediaFault * fault, GBytes * audio,
    JimmyMockReply ** reply, guint64 * limit)
{
  gsize size = g_bytes_get_size (audio);

  switch (fault->kind) {
    case JIMMY_MOCK_MEDIA_FAULT_NONE:
      break;
    case JIMMY_MOCK_MEDIA_FAULT_HTTP:
      *reply = jimmy_mock_reply_new_media_page (fault->value,
          "media fault: http");
      return NULL;
    case JIMMY_MOCK_MEDIA_FAULT_HTML:
      *reply = jimmy_mock_reply_new_media_page (SOUP_STATUS_OK,
          "media fault: html");
      return NULL;
    case JIMMY_MOCK_MEDIA_FAULT_EMPTY:
      return g_bytes_new (NULL, 0);
    case JIMMY_MOCK_MEDIA_FAULT_TRUNCATE:
      return g_bytes_new_from_bytes (audio, 0, MIN (fault->value, size));
    case JIMMY_MOCK_MEDIA_FAULT_RESET:
      *limit = MIN (*limit, fault->value);
      break;
  }
  return g_bytes_ref (audio);
}

static void
handle_media (JimmyMockServer * self, SoupServerMessage * msg,
    const char *name, GHashTable * query)
{
  const char *method = soup_server_message_get_method (msg);
  const char *token = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GBytes) served = NULL;
  g_autoptr(JimmyMockReply) reply = NULL;
  const char *content_type = NULL;
  JimmyMockMediaFault fault = { JIMMY_MOCK_MEDIA_FAULT_NONE, 0, FALSE };
  guint64 limit = G_MAXUINT64;
  gboolean is_audio = FALSE;

  if (method != SOUP_METHOD_GET && method != SOUP_METHOD_HEAD) {
    reply = jimmy_mock_reply_new_error (SOUP_STATUS_METHOD_NOT_ALLOWED,
        40500, "method not allowed");
    jimmy_mock_reply_set_header (reply, "Allow", "GET, HEAD");
    reply_apply (self, msg, reply, FALSE);
    return;
  }

  g_mutex_lock (&self->lock);
  if (strchr (name, '/') != NULL) {
    /* Only one segment, like the real media host. */
  } else if (g_str_has_suffix (name, ".mp3") && self->media != NULL) {
    bytes = g_bytes_ref (self->media);
    content_type = "audio/mpeg";
    is_audio = TRUE;
  } else if (g_str_has_suffix (name, ".srt") && self->subtitles != NULL) {
    bytes = g_bytes_ref (self->subtitles);
    content_type = "text/plain; charset=utf-8";
  }
  /* A refused signed URL is refused whatever the fault; the fault comes
   * with the audio. */
  if (is_audio && self->media_expiry >= 0) {
    token = query != NULL ? g_hash_table_lookup (query, "token") : NULL;
    reply = check_token_locked (self, token, &limit);
  }
  if (is_audio && reply == NULL)
    fault = take_fault_locked (self, method == SOUP_METHOD_GET);
  g_mutex_unlock (&self->lock);

  if (reply == NULL && bytes == NULL)
    reply = jimmy_mock_reply_new_error (SOUP_STATUS_NOT_FOUND, 40400,
        "media not found");
  if (reply == NULL)
    served = apply_fault (&fault, bytes, &reply, &limit);
  if (reply != NULL) {
    reply_apply (self, msg, reply, FALSE);
    return;
  }

  /* A HEAD has no body to cut. */
  if (method != SOUP_METHOD_GET)
    limit = G_MAXUINT64;
  serve_media (self, msg, served, content_type, token, limit);
}

/* ------------------------------------------------------------------------
 * Server thread: dispatch
 * --------------------------------------------------------------------- */

static void
log_request (JimmyMockServer * self, SoupServerMessage * msg,
    const char *path)
{
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  JimmyMockRequest *request = g_new0 (JimmyMockRequest, 1);

  request->method = g_strdup (soup_server_message_get_method (msg));
  request->path = g_strdup (path);
  request->authorization =
      g_strdup (soup_message_headers_get_one (headers, "Authorization"));
  request->range = g_strdup (soup_message_headers_get_one (headers, "Range"));
  request->time_us = g_get_monotonic_time ();
  request->query = g_strdup (g_uri_get_query (soup_server_message_get_uri
          (msg)));

  g_mutex_lock (&self->lock);
  g_ptr_array_add (self->requests, request);
  g_cond_broadcast (&self->cond);
  g_mutex_unlock (&self->lock);
}

/* With raw-paths set, @path is still percent-encoded. */
static void
server_callback (SoupServer * server, SoupServerMessage * msg,
    const char *path, GHashTable * query, gpointer user_data)
{
  JimmyMockServer *self = user_data;
  const char *api_path = path;

  log_request (self, msg, path);

  if (g_str_has_prefix (path, MEDIA_PREFIX)) {
    handle_media (self, msg, path + strlen (MEDIA_PREFIX), query);
    return;
  }

  if (g_str_has_prefix (path, REDIRECTED_PREFIX API_PREFIX))
    api_path = path + strlen (REDIRECTED_PREFIX);
  if (g_str_has_prefix (api_path, API_PREFIX)) {
    handle_api (self, msg, api_path + strlen (API_PREFIX));
  } else {
    g_autoptr(JimmyMockReply) reply =
        jimmy_mock_reply_new_error (SOUP_STATUS_NOT_FOUND, 40400,
        "not found");

    reply_apply (self, msg, reply, FALSE);
  }
}

static void
request_finished_cb (SoupServer * server, SoupServerMessage * msg,
    gpointer user_data)
{
  JimmyMockServer *self = user_data;
  const char *summary = g_object_get_data (G_OBJECT (msg), SUMMARY_KEY);

  emit_served (self, msg, soup_server_message_get_status (msg),
      summary ? summary : "");
}

static void
request_aborted_cb (SoupServer * server, SoupServerMessage * msg,
    gpointer user_data)
{
  JimmyMockServer *self = user_data;

  emit_served (self, msg, soup_server_message_get_status (msg), "aborted");
}

static void
release_one (JimmyMockServer * self, Pending * pending)
{
  g_autoptr(SoupServerMessage) msg = g_object_ref (pending->msg);
  g_autofree char *task_id = g_steal_pointer (&pending->task_id);
  g_autoptr(JimmyMockReply) reply = NULL;

  g_ptr_array_remove_fast (self->pending, pending);

  g_mutex_lock (&self->lock);
  reply = next_reply_locked (self, task_id);
  g_mutex_unlock (&self->lock);

  if (reply->action == JIMMY_MOCK_REPLY_HOLD) {
    g_clear_pointer (&reply, jimmy_mock_reply_free);
    reply = jimmy_mock_reply_new_error (SOUP_STATUS_SERVICE_UNAVAILABLE,
        50300, "released, but the next step is hang again");
  }
  reply_apply (self, msg, reply, TRUE);
}

static gboolean
release_held_cb (gpointer user_data)
{
  JimmyMockServer *self = user_data;
  guint i = 0;

  while (i < self->pending->len) {
    Pending *pending = g_ptr_array_index (self->pending, i);

    if (pending->reply == NULL)
      release_one (self, pending);      /* removes it: stay at i */
    else
      i++;
  }
  return G_SOURCE_REMOVE;
}

/* Everything paused gets its connection closed, so the clients see an
 * error now instead of waiting for a response that will never come. */
static void
drain_pending (JimmyMockServer * self)
{
  while (self->pending->len > 0) {
    Pending *pending = g_ptr_array_steal_index_fast (self->pending, 0);
    g_autoptr(GIOStream) stream = NULL;

    g_signal_handler_disconnect (pending->msg, pending->finished_id);
    pending->finished_id = 0;
    emit_served (self, pending->msg, 0, "dropped: the server stopped");
    stream = soup_server_message_steal_connection (pending->msg);
    if (stream != NULL)
      g_io_stream_close (stream, NULL, NULL);
    pending_free (pending);
  }
}

/* ------------------------------------------------------------------------
 * Server thread: life cycle
 * --------------------------------------------------------------------- */

typedef struct {
  JimmyMockServer *self;        /* (unowned): stop joins the thread */
  GMainContext *context;        /* (owned) */
  GSocketAddress *address;      /* (owned) */
} ThreadData;

static void
thread_data_free (ThreadData * data)
{
  g_main_context_unref (data->context);
  g_object_unref (data->address);
  g_free (data);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ThreadData, thread_data_free);

/* Not soup_server_get_uris(): libsoup 3.2 leaks an address per call. */
static char *
base_url_from_server (SoupServer * server)
{
  GSList *listeners = soup_server_get_listeners (server);
  g_autoptr(GSocketAddress) address = NULL;
  g_autofree char *host = NULL;
  GInetSocketAddress *inet;

  address = g_socket_get_local_address (listeners->data, NULL);
  g_slist_free (listeners);
  if (address == NULL)
    return NULL;

  inet = G_INET_SOCKET_ADDRESS (address);
  host = g_inet_address_to_string (g_inet_socket_address_get_address (inet));
  /* g_uri_join() puts an IPv6 host in brackets. */
  return g_uri_join (G_URI_FLAGS_NONE, "http", NULL, host,
      g_inet_socket_address_get_port (inet), "", NULL, NULL);
}

/* Listens on exactly the address asked for: soup_server_listen() binds
 * one socket. Returns: (transfer full) (nullable): the base url. */
static char *
listen_once (SoupServer * server, GSocketAddress * address, GError ** error)
{
  char *base_url;

  if (!soup_server_listen (server, address, 0, error))
    return NULL;
  base_url = base_url_from_server (server);
  if (base_url == NULL)
    g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_FAILED,
        "Cannot read the address the mock server listens on");
  return base_url;
}

/* Wakes up the thread waiting in jimmy_mock_server_start(). Takes
 * @base_url and @error. */
static void
announce_started (JimmyMockServer * self, char *base_url, GError * error)
{
  g_mutex_lock (&self->lock);
  self->base_url = base_url;
  self->start_error = error;
  self->starting = FALSE;
  g_cond_broadcast (&self->cond);
  g_mutex_unlock (&self->lock);
}

static gpointer
server_thread (gpointer user_data)
{
  g_autoptr(ThreadData) data = user_data;
  JimmyMockServer *self = data->self;
  g_autoptr(SoupServer) server = NULL;
  GError *error = NULL;
  char *base_url;

  g_main_context_push_thread_default (data->context);

  /* raw-paths: keep the percent-encoding, so a %2F in a task id can be
   * told from a real '/', and the log shows paths as received. */
  server = soup_server_new ("raw-paths", TRUE,
      "server-header", "jimmy-mock-server ", NULL);
  soup_server_add_handler (server, NULL, server_callback, self, NULL);
  g_signal_connect (server, "request-finished",
      G_CALLBACK (request_finished_cb), self);
  g_signal_connect (server, "request-aborted",
      G_CALLBACK (request_aborted_cb), self);

  base_url = listen_once (server, data->address, &error);
  if (base_url != NULL) {
    announce_started (self, base_url, NULL);
    while (!g_atomic_int_get (&self->quit))
      g_main_context_iteration (data->context, TRUE);
  } else {
    announce_started (self, NULL, error);
  }

  drain_pending (self);
  drain_streams (self);
  soup_server_disconnect (server);
  drain_cut_writes (self, data->context);
  g_signal_handlers_disconnect_by_data (server, self);
  g_clear_object (&server);
  /* Let the closing connections finish on this context. */
  while (g_main_context_iteration (data->context, FALSE))
    continue;

  g_main_context_pop_thread_default (data->context);
  return NULL;
}

/* ------------------------------------------------------------------------
 * Public API
 * --------------------------------------------------------------------- */

/**
 * jimmy_mock_server_new:
 *
 * Returns: (transfer full): a new server, not started yet: no status
 *   script, no API key check, no media.
 */
JimmyMockServer *
jimmy_mock_server_new (void)
{
  return g_object_new (JIMMY_TYPE_MOCK_SERVER, NULL);
}

/**
 * jimmy_mock_server_start:
 * @self: a #JimmyMockServer
 * @address: an IP literal, e.g. "127.0.0.1" or "::1"; never a host name
 * @port: the port, or 0 for any free port
 * @error: return location for a #GError
 *
 * Starts the server thread and returns once it listens on @address only.
 * A server may be started again after jimmy_mock_server_stop(); task
 * positions and the request log are kept.
 *
 * Returns: %TRUE once listening
 */
gboolean
jimmy_mock_server_start (JimmyMockServer * self, const char *address,
    guint port, GError ** error)
{
  g_autoptr(GInetAddress) inet = NULL;
  ThreadData *data;
  GError *start_error;

  g_return_val_if_fail (JIMMY_IS_MOCK_SERVER (self), FALSE);
  g_return_val_if_fail (address != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  inet = g_inet_address_new_from_string (address);
  if (inet == NULL || port > G_MAXUINT16) {
    g_set_error (error, JIMMY_MOCK_SERVER_ERROR,
        JIMMY_MOCK_SERVER_ERROR_INVALID_ARGUMENT,
        "Cannot listen on \"%s\" port %u: expected an IP address and a port "
        "up to 65535", address, port);
    return FALSE;
  }

  g_mutex_lock (&self->lock);
  if (self->thread != NULL || self->starting) {
    g_mutex_unlock (&self->lock);
    g_set_error_literal (error, JIMMY_MOCK_SERVER_ERROR,
        JIMMY_MOCK_SERVER_ERROR_INVALID_ARGUMENT,
        "The mock server is already running");
    return FALSE;
  }
  self->starting = TRUE;
  g_clear_pointer (&self->base_url, g_free);
  g_atomic_int_set (&self->quit, FALSE);
  self->context = g_main_context_new ();

  data = g_new0 (ThreadData, 1);
  data->self = self;
  data->context = g_main_context_ref (self->context);
  data->address = g_inet_socket_address_new (inet, port);
  self->thread = g_thread_new ("jimmy-mock-server", server_thread, data);

  while (self->starting)
    g_cond_wait (&self->cond, &self->lock);
  start_error = g_steal_pointer (&self->start_error);
  g_mutex_unlock (&self->lock);

  if (start_error != NULL) {
    jimmy_mock_server_stop (self);
    g_propagate_error (error, start_error);
    return FALSE;
  }
  g_debug ("listening on %s", self->base_url);
  return TRUE;
}

/**
 * jimmy_mock_server_stop:
 * @self: a #JimmyMockServer
 *
 * Stops the server and joins its thread. Requests still delayed or held
 * get their connection closed. Does nothing if the server is not running.
 * Must not be called from the server thread, i.e. from a
 * #JimmyMockServer::request-served handler.
 */
void
jimmy_mock_server_stop (JimmyMockServer * self)
{
  GThread *thread;
  GMainContext *context;

  g_return_if_fail (JIMMY_IS_MOCK_SERVER (self));

  g_mutex_lock (&self->lock);
  if (self->thread == g_thread_self ()) {
    g_mutex_unlock (&self->lock);
    g_critical ("The mock server cannot stop itself from its own thread");
    return;
  }
  thread = g_steal_pointer (&self->thread);
  context = g_steal_pointer (&self->context);
  g_mutex_unlock (&self->lock);

  if (thread == NULL)
    return;

  g_atomic_int_set (&self->quit, TRUE);
  g_main_context_wakeup (context);
  g_thread_join (thread);
  g_main_context_unref (context);
}

/**
 * jimmy_mock_server_get_base_url:
 * @self: a #JimmyMockServer
 *
 * Returns: (nullable): "http://127.0.0.1:PORT", without a trailing slash,
 *   or %NULL before the first successful start. Valid until the next
 *   start or the end of @self.
 */
const char *
jimmy_mock_server_get_base_url (JimmyMockServer * self)
{
  const char *url;

  g_return_val_if_fail (JIMMY_IS_MOCK_SERVER (self), NULL);

  g_mutex_lock (&self->lock);
  url = self->base_url;
  g_mutex_unlock (&self->lock);
  return url;
}

/**
 * jimmy_mock_server_set_api_key:
 * @self: a #JimmyMockServer
 * @api_key: (nullable): the key API requests must carry as
 *   `Authorization: Bearer <key>`, or %NULL to check nothing
 *
 * Other API requests get 401 `{"code":40100,"msg":"invalid api key"}`.
 * Media requests never need the key.
 */
void
jimmy_mock_server_set_api_key (JimmyMockServer * self, const char *api_key)
{
  g_return_if_fail (JIMMY_IS_MOCK_SERVER (self));

  g_mutex_lock (&self->lock);
  g_free (self->api_key);
  self->api_key = g_strdup (api_key);
  g_mutex_unlock (&self->lock);
}

/**
 * jimmy_mock_server_add_task:
 * @self: a #JimmyMockServer
 * @task_id: the task id, as the client sends it before percent-encoding
 * @script: the status script, e.g. "queued:1,processing:3,completed"
 * @error: return location for a #GError
 *
 * Sets the status script of @task_id and starts it from its first step,
 * replacing any earlier script of that id. See the section documentation
 * for the grammar.
 *
 * Returns: %TRUE if @script is valid
 */
gboolean
jimmy_mock_server_add_task (JimmyMockServer * self, const char *task_id,
    const char *script, GError ** error)
{
  g_autoptr(GPtrArray) steps = NULL;

  g_return_val_if_fail (JIMMY_IS_MOCK_SERVER (self), FALSE);
  g_return_val_if_fail (task_id != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  /* These could never be asked for. */
  if (*task_id == '\0' || !g_utf8_validate (task_id, -1, NULL)) {
    g_set_error_literal (error, JIMMY_MOCK_SERVER_ERROR,
        JIMMY_MOCK_SERVER_ERROR_INVALID_ARGUMENT,
        "A task id must be non-empty UTF-8");
    return FALSE;
  }
  steps = jimmy_mock_script_parse (script, error);
  if (steps == NULL)
    return FALSE;

  g_mutex_lock (&self->lock);
  g_hash_table_replace (self->tasks, g_strdup (task_id),
      jimmy_mock_cursor_new (steps, FALSE));
  g_mutex_unlock (&self->lock);
  return TRUE;
}

static gboolean
is_from_default (gpointer key, gpointer value, gpointer user_data)
{
  return jimmy_mock_cursor_is_from_default (value);
}

/**
 * jimmy_mock_server_set_default_script:
 * @self: a #JimmyMockServer
 * @script: (nullable): the script for task ids without their own, or
 *   %NULL to answer 404 `{"code":40400,"msg":"task not found"}` for them
 *
 * Every such id keeps its own position in the default script; setting a
 * new one restarts them all. An invalid @script is a programmer error:
 * check user input with jimmy_mock_script_validate() first.
 */
void
jimmy_mock_server_set_default_script (JimmyMockServer * self,
    const char *script)
{
  g_autoptr(GPtrArray) steps = NULL;
  g_autoptr(GError) error = NULL;

  g_return_if_fail (JIMMY_IS_MOCK_SERVER (self));

  if (script != NULL) {
    steps = jimmy_mock_script_parse (script, &error);
    if (steps == NULL) {
      g_critical ("%s", error->message);
      return;
    }
  }

  g_mutex_lock (&self->lock);
  g_clear_pointer (&self->default_steps, g_ptr_array_unref);
  self->default_steps = g_steal_pointer (&steps);
  g_hash_table_foreach_remove (self->tasks, is_from_default, NULL);
  g_mutex_unlock (&self->lock);
}

/**
 * jimmy_mock_server_set_model:
 * @self: a #JimmyMockServer
 * @model: (nullable): the `model` of every task, or %NULL for
 *   "soundCloningClone"
 */
void
jimmy_mock_server_set_model (JimmyMockServer * self, const char *model)
{
  g_return_if_fail (JIMMY_IS_MOCK_SERVER (self));

  g_mutex_lock (&self->lock);
  g_free (self->model);
  self->model = g_strdup (model ? model : DEFAULT_MODEL);
  g_mutex_unlock (&self->lock);
}

/**
 * jimmy_mock_server_set_failure_text:
 * @self: a #JimmyMockServer
 * @text: (nullable): the `error` of failed tasks, or %NULL for
 *   "the voice sample is too short"
 */
void
jimmy_mock_server_set_failure_text (JimmyMockServer * self, const char *text)
{
  g_return_if_fail (JIMMY_IS_MOCK_SERVER (self));

  g_mutex_lock (&self->lock);
  g_free (self->failure_text);
  self->failure_text = g_strdup (text ? text : DEFAULT_FAILURE_TEXT);
  g_mutex_unlock (&self->lock);
}

/**
 * jimmy_mock_server_set_media_base_url:
 * @self: a #JimmyMockServer
 * @base_url: (nullable): the origin `audioUrl` and `subtitleFile` point
 *   at (e.g. another #JimmyMockServer), or %NULL for this server
 */
void
jimmy_mock_server_set_media_base_url (JimmyMockServer * self,
    const char *base_url)
{
  g_return_if_fail (JIMMY_IS_MOCK_SERVER (self));

  g_mutex_lock (&self->lock);
  g_free (self->media_base_url);
  self->media_base_url = g_strdup (base_url);
  /* The paths are appended with their own '/'. */
  if (self->media_base_url != NULL && g_str_has_suffix (base_url, "/"))
    self->media_base_url[strlen (base_url) - 1] = '\0';
  g_mutex_unlock (&self->lock);
}

/**
 * jimmy_mock_server_set_media_file:
 * @self: a #JimmyMockServer
 * @path: (nullable): the file served for every `GET /media/<any>.mp3`,
 *   or %NULL to answer 404 there
 * @error: return location for a #GError
 *
 * Reads the whole file now; it is served as `audio/mpeg` with
 * `Accept-Ranges: bytes`, and Range requests get 206 or 416.
 *
 * Returns: %TRUE if the file could be read
 */
gboolean
jimmy_mock_server_set_media_file (JimmyMockServer * self, const char *path,
    GError ** error)
{
  g_autoptr(GBytes) bytes = NULL;

  g_return_val_if_fail (JIMMY_IS_MOCK_SERVER (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (path != NULL) {
    char *contents;
    gsize length;

    if (!g_file_get_contents (path, &contents, &length, error))
      return FALSE;
    bytes = g_bytes_new_take (contents, length);
  }

  g_mutex_lock (&self->lock);
  g_clear_pointer (&self->media, g_bytes_unref);
  self->media = g_steal_pointer (&bytes);
  g_mutex_unlock (&self->lock);
  return TRUE;
}

/**
 * jimmy_mock_server_set_subtitles:
 * @self: a #JimmyMockServer
 * @srt_text: (nullable): SubRip text, or %NULL for none
 *
 * When set, completed tasks carry `subtitleFile` and every
 * `GET /media/<any>.srt` serves @srt_text as `text/plain; charset=utf-8`.
 */
void
jimmy_mock_server_set_subtitles (JimmyMockServer * self,
    const char *srt_text)
{
  GBytes *bytes = NULL;

  g_return_if_fail (JIMMY_IS_MOCK_SERVER (self));

  if (srt_text != NULL)
    bytes = g_bytes_new (srt_text, strlen (srt_text));

  g_mutex_lock (&self->lock);
  g_clear_pointer (&self->subtitles, g_bytes_unref);
  self->subtitles = bytes;
  g_mutex_unlock (&self->lock);
}

/**
 * jimmy_mock_server_set_media_fault:
 * @self: a #JimmyMockServer
 * @fault: (nullable): how to break every `GET /media/<any>.mp3`, or %NULL
 *   or "none" to serve the file normally
 * @error: return location for a #GError
 *
 * Sets the media fault of this server (the one serving the media: with
 * two servers, the media base URL's). See the section documentation for
 * the faults. Setting a fault, even the same one again, re-arms a
 * first-request-only fault. Subtitles are never affected.
 *
 * Returns: %TRUE if @fault is valid; an invalid one leaves the current
 *   fault in place
 */
gboolean
jimmy_mock_server_set_media_fault (JimmyMockServer * self, const char *fault,
    GError ** error)
{
  JimmyMockMediaFault parsed;

  g_return_val_if_fail (JIMMY_IS_MOCK_SERVER (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!jimmy_mock_media_fault_parse (fault, &parsed, error))
    return FALSE;

  g_mutex_lock (&self->lock);
  self->media_fault = parsed;
  self->media_fault_used = FALSE;
  g_mutex_unlock (&self->lock);
  return TRUE;
}

/**
 * jimmy_mock_server_set_media_expiry:
 * @self: a #JimmyMockServer
 * @valid_bytes: how many bytes of audio one signed URL may serve, 0 for
 *   none at all, or -1 for unsigned URLs (the default)
 *
 * Turns signed audio URLs on or off, for both roles of this server: as
 * the API, completed tasks then carry `audioUrl` with `?token=<token>`,
 * a fresh token in every answer; as the media host, `GET
 * /media/<any>.mp3` then needs a token, and refuses it with a 403 once
 * it has served @valid_bytes. With two servers, call it on both with the
 * same value. Every token starts afresh.
 *
 * See the section documentation for the details.
 */
void
jimmy_mock_server_set_media_expiry (JimmyMockServer * self,
    gint64 valid_bytes)
{
  g_return_if_fail (JIMMY_IS_MOCK_SERVER (self));
  g_return_if_fail (valid_bytes >= -1);

  g_mutex_lock (&self->lock);
  self->media_expiry = valid_bytes;
  g_hash_table_remove_all (self->tokens);
  g_mutex_unlock (&self->lock);
}

/**
 * jimmy_mock_server_set_media_expiry_tokens:
 * @self: a #JimmyMockServer
 * @n_tokens: how many tokens expire, 0 for all (the default)
 *
 * As the media host: only the first @n_tokens distinct tokens requested
 * are limited to the bytes set by jimmy_mock_server_set_media_expiry();
 * later tokens are served without limit. So with 0 bytes and 1 token the
 * first audioUrl is expired from its first request and the one a re-poll
 * gets plays whole. Every token starts afresh.
 */
void
jimmy_mock_server_set_media_expiry_tokens (JimmyMockServer * self,
    guint n_tokens)
{
  g_return_if_fail (JIMMY_IS_MOCK_SERVER (self));

  g_mutex_lock (&self->lock);
  self->expiring_tokens = n_tokens;
  g_hash_table_remove_all (self->tokens);
  g_mutex_unlock (&self->lock);
}

/**
 * jimmy_mock_server_add_body:
 * @self: a #JimmyMockServer
 * @name: the NAME of the `body-NAME` step that serves it: [a-z0-9_-]+
 * @bytes: the body, sent byte for byte (it need not be JSON, nor UTF-8)
 * @content_type: (nullable): its `Content-Type`, or %NULL for none
 * @error: return location for a #GError
 *
 * Registers a canned body: a `body-NAME` step answers 200 with it,
 * whatever the task. Replaces an earlier body of that name. A script may
 * name a body that is added later, but not one that is never added (the
 * poll then gets a 500 and a warning is logged).
 *
 * Returns: %TRUE if @name is valid
 */
gboolean
jimmy_mock_server_add_body (JimmyMockServer * self, const char *name,
    GBytes * bytes, const char *content_type, GError ** error)
{
  JimmyMockBody *body;

  g_return_val_if_fail (JIMMY_IS_MOCK_SERVER (self), FALSE);
  g_return_val_if_fail (name != NULL, FALSE);
  g_return_val_if_fail (bytes != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!jimmy_mock_body_name_is_valid (name)) {
    g_set_error (error, JIMMY_MOCK_SERVER_ERROR,
        JIMMY_MOCK_SERVER_ERROR_INVALID_ARGUMENT,
        "Invalid body name \"%s\": expected lowercase letters, digits, '_' "
        "and '-'", name);
    return FALSE;
  }

  body = g_new0 (JimmyMockBody, 1);
  body->bytes = g_bytes_ref (bytes);
  body->content_type = g_strdup (content_type);

  g_mutex_lock (&self->lock);
  g_hash_table_replace (self->bodies, g_strdup (name), body);
  g_mutex_unlock (&self->lock);
  return TRUE;
}

/**
 * jimmy_mock_server_set_delay:
 * @self: a #JimmyMockServer
 * @delay_ms: how long every later API response waits, 0 for none
 *
 * The wait is a timeout on the server thread: other requests are still
 * answered meanwhile. `hang` steps are not delayed further; media never.
 */
void
jimmy_mock_server_set_delay (JimmyMockServer * self, guint delay_ms)
{
  g_return_if_fail (JIMMY_IS_MOCK_SERVER (self));

  g_mutex_lock (&self->lock);
  self->delay_ms = delay_ms;
  g_mutex_unlock (&self->lock);
}

/**
 * jimmy_mock_server_release_held:
 * @self: a #JimmyMockServer
 *
 * Answers every request held by a `hang` step, each like a new poll of
 * its task. Returns at once; the answers are sent from the server thread
 * right after.
 */
void
jimmy_mock_server_release_held (JimmyMockServer * self)
{
  g_autoptr(GMainContext) context = NULL;

  g_return_if_fail (JIMMY_IS_MOCK_SERVER (self));

  g_mutex_lock (&self->lock);
  if (self->context != NULL)
    context = g_main_context_ref (self->context);
  g_mutex_unlock (&self->lock);

  /* @self outlives the source: stop iterates the context dry before it
   * returns. */
  if (context != NULL)
    g_main_context_invoke (context, release_held_cb, self);
}

/**
 * jimmy_mock_server_dup_requests:
 * @self: a #JimmyMockServer
 *
 * Returns: (transfer full) (element-type JimmyMockRequest): a copy of the
 *   request log, oldest first
 */
GPtrArray *
jimmy_mock_server_dup_requests (JimmyMockServer * self)
{
  GPtrArray *copy;
  guint i;

  g_return_val_if_fail (JIMMY_IS_MOCK_SERVER (self), NULL);

  g_mutex_lock (&self->lock);
  copy = g_ptr_array_new_full (self->requests->len,
      (GDestroyNotify) jimmy_mock_request_free);
  for (i = 0; i < self->requests->len; i++)
    g_ptr_array_add (copy, request_copy (self->requests->pdata[i]));
  g_mutex_unlock (&self->lock);
  return copy;
}

/* Called with the lock held. */
static guint
count_requests_locked (JimmyMockServer * self, const char *path_prefix)
{
  guint i, n = 0;

  for (i = 0; i < self->requests->len; i++) {
    JimmyMockRequest *request = self->requests->pdata[i];

    if (path_prefix == NULL || g_str_has_prefix (request->path, path_prefix))
      n++;
  }
  return n;
}

/**
 * jimmy_mock_server_count_requests:
 * @self: a #JimmyMockServer
 * @path_prefix: (nullable): count only paths starting with this, as
 *   received (percent-encoded); %NULL counts all
 *
 * Returns: how many such requests have arrived
 */
guint
jimmy_mock_server_count_requests (JimmyMockServer * self,
    const char *path_prefix)
{
  guint n;

  g_return_val_if_fail (JIMMY_IS_MOCK_SERVER (self), 0);

  g_mutex_lock (&self->lock);
  n = count_requests_locked (self, path_prefix);
  g_mutex_unlock (&self->lock);
  return n;
}

/**
 * jimmy_mock_server_clear_requests:
 * @self: a #JimmyMockServer
 *
 * Empties the request log.
 */
void
jimmy_mock_server_clear_requests (JimmyMockServer * self)
{
  g_return_if_fail (JIMMY_IS_MOCK_SERVER (self));

  g_mutex_lock (&self->lock);
  g_ptr_array_set_size (self->requests, 0);
  g_mutex_unlock (&self->lock);
}

/**
 * jimmy_mock_server_wait_for_requests:
 * @self: a #JimmyMockServer
 * @path_prefix: (nullable): as for jimmy_mock_server_count_requests()
 * @n: how many requests to wait for
 * @timeout_ms: the longest wait
 *
 * Blocks until at least @n matching requests have arrived. A request
 * counts as soon as its handler is entered, before any delay or hang.
 *
 * Returns: %TRUE if they arrived, %FALSE on timeout
 */
gboolean
jimmy_mock_server_wait_for_requests (JimmyMockServer * self,
    const char *path_prefix, guint n, guint timeout_ms)
{
  gint64 end_time;
  gboolean arrived;

  g_return_val_if_fail (JIMMY_IS_MOCK_SERVER (self), FALSE);

  end_time = g_get_monotonic_time () +
      (gint64) timeout_ms * G_TIME_SPAN_MILLISECOND;
  g_mutex_lock (&self->lock);
  while (!(arrived = count_requests_locked (self, path_prefix) >= n)) {
    if (!g_cond_wait_until (&self->cond, &self->lock, end_time)) {
      arrived = count_requests_locked (self, path_prefix) >= n;
      break;
    }
  }
  g_mutex_unlock (&self->lock);
  return arrived;
}

/**
 * jimmy_mock_server_get_bytes_streamed:
 * @self: a #JimmyMockServer
 *
 * Body bytes written so far by `trickle` and `flood` responses, all
 * together: what the kernel accepted, so at most the client's reads plus
 * the two socket buffers for a client that stopped reading.
 *
 * Returns: the byte count
 */
guint64
jimmy_mock_server_get_bytes_streamed (JimmyMockServer * self)
{
  guint64 n;

  g_return_val_if_fail (JIMMY_IS_MOCK_SERVER (self), 0);

  g_mutex_lock (&self->lock);
  n = self->bytes_streamed;
  g_mutex_unlock (&self->lock);
  return n;
}

/**
 * jimmy_mock_server_wait_for_streams_ended:
 * @self: a #JimmyMockServer
 * @n: how many `trickle` or `flood` responses must have ended
 * @timeout_ms: the longest wait
 *
 * Blocks until @n such responses have ended: written to the end, failed
 * because the client closed the connection, or dropped by
 * jimmy_mock_server_stop(). libsoup notices a closed connection at its
 * next write, so a `trickle` ends up to two bytes after its client left.
 *
 * Returns: %TRUE if they ended, %FALSE on timeout
 */
gboolean
jimmy_mock_server_wait_for_streams_ended (JimmyMockServer * self, guint n,
    guint timeout_ms)
{
  gint64 end_time;
  gboolean ended;

  g_return_val_if_fail (JIMMY_IS_MOCK_SERVER (self), FALSE);

  end_time = g_get_monotonic_time () +
      (gint64) timeout_ms * G_TIME_SPAN_MILLISECOND;
  g_mutex_lock (&self->lock);
  while (!(ended = self->streams_ended >= n)) {
    if (!g_cond_wait_until (&self->cond, &self->lock, end_time)) {
      ended = self->streams_ended >= n;
      break;
    }
  }
  g_mutex_unlock (&self->lock);
  return ended;
}

/* ------------------------------------------------------------------------
 * GObject
 * --------------------------------------------------------------------- */

static void
jimmy_mock_server_finalize (GObject * object)
{
  JimmyMockServer *self = JIMMY_MOCK_SERVER (object);

  jimmy_mock_server_stop (self);

  g_ptr_array_unref (self->pending);
  g_ptr_array_unref (self->streams);
  g_ptr_array_unref (self->requests);
  g_hash_table_unref (self->tasks);
  g_hash_table_unref (self->bodies);
  g_hash_table_unref (self->tokens);
  g_ptr_array_unref (self->cut_writes);
  g_clear_pointer (&self->default_steps, g_ptr_array_unref);
  g_clear_pointer (&self->subtitles, g_bytes_unref);
  g_clear_pointer (&self->media, g_bytes_unref);
  g_free (self->media_base_url);
  g_free (self->failure_text);
  g_free (self->model);
  g_free (self->api_key);
  g_free (self->base_url);
  g_clear_error (&self->start_error);
  g_cond_clear (&self->cond);
  g_mutex_clear (&self->lock);

  G_OBJECT_CLASS (jimmy_mock_server_parent_class)->finalize (object);
}

static void
jimmy_mock_server_class_init (JimmyMockServerClass * klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = jimmy_mock_server_finalize;

  /**
   * JimmyMockServer::request-served:
   * @self: the server
   * @method: the HTTP method
   * @path: the path as received (percent-encoded)
   * @status: the HTTP status sent, or 0 if the connection was closed
   *   without a response
   * @summary: what was answered, e.g. the script token
   *
   * Emitted on the server thread once a response is sent or dropped.
   * Handlers must not call jimmy_mock_server_stop() nor drop the last
   * reference to @self.
   */
  signals[SIGNAL_REQUEST_SERVED] =
      g_signal_new ("request-served", G_TYPE_FROM_CLASS (klass),
      G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL, G_TYPE_NONE, 4,
      G_TYPE_STRING, G_TYPE_STRING, G_TYPE_UINT, G_TYPE_STRING);
}

static void
jimmy_mock_server_init (JimmyMockServer * self)
{
  g_mutex_init (&self->lock);
  g_cond_init (&self->cond);
  self->model = g_strdup (DEFAULT_MODEL);
  self->failure_text = g_strdup (DEFAULT_FAILURE_TEXT);
  self->tasks = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
      (GDestroyNotify) jimmy_mock_cursor_free);
  self->requests =
      g_ptr_array_new_with_free_func ((GDestroyNotify) jimmy_mock_request_free);
  self->pending =
      g_ptr_array_new_with_free_func ((GDestroyNotify) pending_free);
  self->streams = g_ptr_array_new_with_free_func ((GDestroyNotify) stream_free);
  self->bodies = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
      (GDestroyNotify) jimmy_mock_body_free);
  self->media_expiry = -1;
  self->tokens = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
      g_free);
  self->cut_writes =
      g_ptr_array_new_with_free_func ((GDestroyNotify) cut_write_free);
}
