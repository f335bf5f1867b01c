/* jimmy-mock-transport.c: the mock server's transport faults: responses
 * that break the connection on purpose.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * - reset: the connection is closed without a response;
 * - cut: a head announcing a whole body, part of it, then the connection
 *   is closed, as when a server or the network drops it mid-stream;
 * - stream: a chunked body written a chunk at a time (`trickle`, `flood`).
 *
 * Everything here runs on the server thread, except the two public
 * functions at the end.
 */
#include "jimmy-mock-server-private.h"

typedef struct {
  JimmyMockPart part;

  /* Guards the counters; cond is signalled when a stream ends. */
  GMutex lock;
  GCond cond;
  guint64 bytes_streamed;       /* body bytes `trickle`/`flood` wrote */
  guint streams_ended;          /* `trickle`/`flood` responses ended */

  /* Server thread only. */
  GPtrArray *streams;           /* (owned) (element-type Stream) */
  GPtrArray *cut_writes;        /* (owned) (element-type CutWrite) */
} Transport;

static Transport *
get_transport (JimmyMockServer * server)
{
  return (Transport *) jimmy_mock_server_get_part (server,
      JIMMY_MOCK_PART_TRANSPORT);
}

/* ------------------------------------------------------------------------
 * Reset
 * --------------------------------------------------------------------- */

/* The client must see a broken connection, not a response. */
void
jimmy_mock_transport_reset (JimmyMockPart * part, SoupServerMessage * msg,
    const char *summary)
{
  g_autoptr(GIOStream) stream = soup_server_message_steal_connection (msg);

  jimmy_mock_server_emit_served (part->server, msg, 0, summary);
  if (stream != NULL)
    g_io_stream_close (stream, NULL, NULL);
}

/* ------------------------------------------------------------------------
 * Responses cut short
 * --------------------------------------------------------------------- */

/* libsoup would never send a body shorter than its Content-Length, so the
 * response is written by hand on the stolen connection. Asynchronously: a
 * client that reads slowly never stalls the server thread; stop cancels
 * what is still being written. */
typedef struct {
  Transport *transport;         /* (unowned): stop drains every CutWrite */
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
  g_ptr_array_remove_fast (cut->transport->cut_writes, cut);
}

/* Answers @status with a head announcing @length bytes of @bytes from
 * @start (a 206 says which with Content-Range), then sends only the first
 * @cut of them and closes the connection. */
void
jimmy_mock_transport_cut (JimmyMockPart * part, SoupServerMessage * msg,
    guint status, const char *content_type, GBytes * bytes, gsize start,
    gsize length, gsize cut, const char *summary)
{
  Transport *transport = (Transport *) part;
  g_autoptr(GIOStream) stream = soup_server_message_steal_connection (msg);
  g_autoptr(GString) data = g_string_new (NULL);
  const guint8 *body = g_bytes_get_data (bytes, NULL);
  CutWrite *write;

  jimmy_mock_server_emit_served (part->server, msg, status, summary);
  if (stream == NULL)
    return;

  g_string_append_printf (data, "HTTP/1.1 %u %s\r\n"
      "Content-Type: %s\r\n"
      "Accept-Ranges: bytes\r\n"
      "Connection: close\r\n"
      "Content-Length: %" G_GSIZE_FORMAT "\r\n", status,
      jimmy_mock_status_phrase (status), content_type, length);
  if (status == SOUP_STATUS_PARTIAL_CONTENT)
    g_string_append_printf (data, "Content-Range: bytes %" G_GSIZE_FORMAT
        "-%" G_GSIZE_FORMAT "/%" G_GSIZE_FORMAT "\r\n", start,
        start + length - 1, g_bytes_get_size (bytes));
  g_string_append (data, "\r\n");
  g_string_append_len (data, (const char *) body + start, MIN (cut, length));

  write = g_new0 (CutWrite, 1);
  write->transport = transport;
  write->stream = g_steal_pointer (&stream);
  write->cancellable = g_cancellable_new ();
  write->data = g_bytes_new (data->str, data->len);
  g_ptr_array_add (transport->cut_writes, write);
  g_output_stream_write_all_async (g_io_stream_get_output_stream
      (write->stream), g_bytes_get_data (write->data, NULL),
      g_bytes_get_size (write->data), G_PRIORITY_DEFAULT, write->cancellable,
      cut_write_done_cb, write);
}

/* ------------------------------------------------------------------------
 * Streamed bodies (`trickle`, `flood`)
 * --------------------------------------------------------------------- */

/* One chunked response written piece by piece: the head, filler bytes,
 * the tail. A chunk is appended only once the previous one has been
 * written to the socket, so nothing piles up in the server when the
 * client stops reading, and bytes_streamed counts what the kernel
 * accepted. */
typedef struct {
  Transport *transport;         /* (unowned): stop drains every Stream */
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
record_stream_end (Transport * transport)
{
  g_mutex_lock (&transport->lock);
  transport->streams_ended++;
  g_cond_broadcast (&transport->cond);
  g_mutex_unlock (&transport->lock);
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
  Transport *transport = ((Stream *) user_data)->transport;

  g_mutex_lock (&transport->lock);
  transport->bytes_streamed += size;
  g_mutex_unlock (&transport->lock);
}

/* Written to the end, or the client went away. */
static void
stream_finished_cb (SoupServerMessage * msg, gpointer user_data)
{
  Stream *stream = user_data;
  Transport *transport = stream->transport;

  g_ptr_array_remove_fast (transport->streams, stream);
  record_stream_end (transport);
}

/* Status and headers are set already. */
void
jimmy_mock_transport_stream (JimmyMockPart * part, SoupServerMessage * msg,
    const JimmyMockReply * reply)
{
  Transport *transport = (Transport *) part;
  Stream *stream = g_new0 (Stream, 1);
  g_autofree char *filler = g_strnfill (reply->chunk_size, 'x');

  stream->transport = transport;
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
  g_ptr_array_add (transport->streams, stream);

  soup_message_headers_set_encoding (soup_server_message_get_response_headers
      (msg), SOUP_ENCODING_CHUNKED);
  /* The headers go out at once either way. */
  if (stream->interval_ms == 0)
    stream_append (stream);
  else
    stream_schedule (stream);
}

/* ------------------------------------------------------------------------
 * The part
 * --------------------------------------------------------------------- */

/* Forgets every stream still going; soup_server_disconnect() then closes
 * their connections. Not soup_server_message_steal_connection(): libsoup
 * 3.2 warns there when the client already reset the connection, which a
 * client that stopped reading a stream does. */
static void
transport_stop (JimmyMockPart * part)
{
  Transport *transport = (Transport *) part;

  while (transport->streams->len > 0) {
    Stream *stream = g_ptr_array_steal_index_fast (transport->streams, 0);

    jimmy_mock_server_emit_served (part->server, stream->msg, 0,
        "dropped: the server stopped");
    stream_free (stream);
    record_stream_end (transport);
  }
}

/* Cancels every cut response still being written and waits for them:
 * their connections are closed. */
static void
transport_drain (JimmyMockPart * part, GMainContext * context)
{
  Transport *transport = (Transport *) part;
  guint i;

  for (i = 0; i < transport->cut_writes->len; i++) {
    CutWrite *write = g_ptr_array_index (transport->cut_writes, i);

    g_cancellable_cancel (write->cancellable);
  }
  while (transport->cut_writes->len > 0)
    g_main_context_iteration (context, TRUE);
}

static void
transport_free (JimmyMockPart * part)
{
  Transport *transport = (Transport *) part;

  g_ptr_array_unref (transport->streams);
  g_ptr_array_unref (transport->cut_writes);
  g_cond_clear (&transport->cond);
  g_mutex_clear (&transport->lock);
  g_free (transport);
}

static const JimmyMockPartClass transport_class = {
  .name = "transport",
  .stop = transport_stop,
  .drain = transport_drain,
  .free = transport_free,
};

JimmyMockPart *
jimmy_mock_transport_new (JimmyMockServer * server)
{
  Transport *transport = g_new0 (Transport, 1);

  transport->part.klass = &transport_class;
  transport->part.server = server;
  g_mutex_init (&transport->lock);
  g_cond_init (&transport->cond);
  transport->streams =
      g_ptr_array_new_with_free_func ((GDestroyNotify) stream_free);
  transport->cut_writes =
      g_ptr_array_new_with_free_func ((GDestroyNotify) cut_write_free);
  return &transport->part;
}

/* ------------------------------------------------------------------------
 * Public API (documented in jimmy-mock-server.h)
 * --------------------------------------------------------------------- */

guint64
jimmy_mock_server_get_bytes_streamed (JimmyMockServer * self)
{
  Transport *transport;
  guint64 n;

  g_return_val_if_fail (JIMMY_IS_MOCK_SERVER (self), 0);

  transport = get_transport (self);
  g_mutex_lock (&transport->lock);
  n = transport->bytes_streamed;
  g_mutex_unlock (&transport->lock);
  return n;
}

gboolean
jimmy_mock_server_wait_for_streams_ended (JimmyMockServer * self, guint n,
    guint timeout_ms)
{
  Transport *transport;
  gint64 end_time;
  gboolean ended;

  g_return_val_if_fail (JIMMY_IS_MOCK_SERVER (self), FALSE);

  transport = get_transport (self);
  end_time = g_get_monotonic_time () +
      (gint64) timeout_ms * G_TIME_SPAN_MILLISECOND;
  g_mutex_lock (&transport->lock);
  while (!(ended = transport->streams_ended >= n)) {
    if (!g_cond_wait_until (&transport->cond, &transport->lock, end_time)) {
      ended = transport->streams_ended >= n;
      break;
    }
  }
  g_mutex_unlock (&transport->lock);
  return ended;
}
