/* jimmy-mock-server.c: a scriptable mock of the SoundClone task API: the
 * core.
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
 * - `GET /api/open-api/v1/audios/<id>` (and the same under
 *   `/redirected/`): the next step of task `<id>`'s status script
 *   (jimmy-mock-api.c);
 * - `GET /media/<anything>.mp3` and `.srt`: the media file and the
 *   subtitles, with media faults and signed URLs (jimmy-mock-media.c);
 *
 * and 404 for anything else. The grammars of status scripts and media
 * faults are one table each in jimmy-mock-script.c, which
 * `jimmy-mock-server --help` prints.
 *
 * This file is the core: the thread, the route table (the parts, asked in
 * turn), the request log and its waits, and the requests it holds or
 * delays. See jimmy-mock-server-private.h for the parts.
 */

#include "jimmy-mock-server-private.h"

#define SUMMARY_KEY "jimmy-mock-summary"

G_DEFINE_QUARK (jimmy-mock-server-error-quark, jimmy_mock_server_error);

/* A request paused by a delay or a `hang`. Lives on the server thread. */
typedef struct {
  JimmyMockServer *self;        /* (unowned): stop drains every Pending */
  SoupServerMessage *msg;       /* (owned) */
  JimmyMockPart *owner;         /* (unowned): asked again on release */
  char *key;                    /* (owned) (nullable): the owner's */
  JimmyMockReply *reply;        /* (owned) (nullable): NULL while held */
  GSource *timeout;             /* (owned) (nullable) */
  gulong finished_id;
} Pending;

struct _JimmyMockServer
{
  GObject parent_instance;

  /* Guards the fields from @thread to @requests: the thread and its
   * context, the address and the request log. Never held while calling
   * into libsoup, a part, or emitting a signal. */
  GMutex lock;
  /* Signalled when the server thread has started listening (or failed
   * to) and whenever a request is logged. */
  GCond cond;

  GThread *thread;              /* (owned) (nullable) */
  GMainContext *context;        /* (owned) (nullable): the thread's */
  gboolean starting;
  GError *start_error;          /* (owned) (nullable) */
  char *base_url;               /* (owned) (nullable) */
  GPtrArray *requests;          /* (owned) (element-type JimmyMockRequest) */

  /* Set by stop, read by the server thread's loop. */
  gint quit;

  /* Created with the object, freed with it; each guards itself. */
  JimmyMockPart *parts[JIMMY_MOCK_N_PARTS];

  /* Server thread only. */
  GPtrArray *pending;           /* (owned) (element-type Pending) */
};

G_DEFINE_TYPE (JimmyMockServer, jimmy_mock_server, G_TYPE_OBJECT);

enum {
  SIGNAL_REQUEST_SERVED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

JimmyMockPart *
jimmy_mock_server_get_part (JimmyMockServer * self, JimmyMockPartId id)
{
  return self->parts[id];
}

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

void
jimmy_mock_server_emit_served (JimmyMockServer * self,
    SoupServerMessage * msg, guint status, const char *summary)
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

/* What the log line says once libsoup has sent the response. */
void
jimmy_mock_server_set_summary (SoupServerMessage * msg, const char *summary)
{
  g_object_set_data_full (G_OBJECT (msg), SUMMARY_KEY, g_strdup (summary),
      g_free);
}

/* Carries @reply out; @paused says whether @msg waits for an unpause. */
void
jimmy_mock_server_reply (JimmyMockServer * self, SoupServerMessage * msg,
    const JimmyMockReply * reply, gboolean paused)
{
  JimmyMockPart *transport = self->parts[JIMMY_MOCK_PART_TRANSPORT];
  SoupMessageHeaders *headers;

  switch (reply->action) {
    case JIMMY_MOCK_REPLY_RESET:
      jimmy_mock_transport_reset (transport, msg, "reset (connection closed)");
      return;
    case JIMMY_MOCK_REPLY_CUT:
      jimmy_mock_transport_cut (transport, msg, reply->status,
          reply->content_type, reply->body, 0, g_bytes_get_size (reply->body),
          reply->cut_at, reply->summary);
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
    jimmy_mock_transport_stream (transport, msg, reply);
  } else if (reply->body != NULL) {
    SoupMessageBody *body = soup_server_message_get_response_body (msg);

    /* libsoup refuses empty chunks; an empty body is just complete. */
    if (g_bytes_get_size (reply->body) > 0)
      soup_message_body_append_bytes (body, reply->body);
    soup_message_body_complete (body);
  }
  jimmy_mock_server_set_summary (msg, reply->summary);

  if (paused)
    soup_server_message_unpause (msg);
}

/* ------------------------------------------------------------------------
 * Server thread: holding and delaying
 * --------------------------------------------------------------------- */

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
  g_free (pending->key);
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
  jimmy_mock_server_reply (self, msg, reply, TRUE);
  return G_SOURCE_REMOVE;
}

/**
 * jimmy_mock_server_answer:
 * @reply: (transfer full): what to answer
 * @owner: the part answering, asked again if @reply holds the request
 * @key: (nullable): what @owner needs then (the task id)
 * @delay_ms: the least wait before answering
 *
 * Answers @msg now, after @delay_ms, or, for a HOLD, once
 * jimmy_mock_server_release_held() asks @owner what to answer. Called on
 * the server thread.
 */
void
jimmy_mock_server_answer (JimmyMockServer * self, SoupServerMessage * msg,
    JimmyMockReply * reply, JimmyMockPart * owner, const char *key,
    guint delay_ms)
{
  Pending *pending;

  if (reply->action != JIMMY_MOCK_REPLY_HOLD && delay_ms == 0) {
    jimmy_mock_server_reply (self, msg, reply, FALSE);
    jimmy_mock_reply_free (reply);
    return;
  }

  pending = g_new0 (Pending, 1);
  pending->self = self;
  pending->msg = g_object_ref (msg);
  pending->owner = owner;
  pending->key = g_strdup (key);
  pending->finished_id = g_signal_connect (msg, "finished",
      G_CALLBACK (pending_finished_cb), pending);
  soup_server_message_pause (msg);

  if (reply->action == JIMMY_MOCK_REPLY_HOLD) {
    jimmy_mock_reply_free (reply);
  } else {
    pending->reply = reply;
    pending->timeout = g_timeout_source_new (delay_ms);
    g_source_set_callback (pending->timeout, pending_timeout_cb, pending,
        NULL);
    g_source_attach (pending->timeout, g_main_context_get_thread_default ());
  }
  g_ptr_array_add (self->pending, pending);
}

static void
release_one (JimmyMockServer * self, Pending * pending)
{
  g_autoptr(SoupServerMessage) msg = g_object_ref (pending->msg);
  g_autofree char *key = g_steal_pointer (&pending->key);
  JimmyMockPart *owner = pending->owner;
  g_autoptr(JimmyMockReply) reply = NULL;

  g_ptr_array_remove_fast (self->pending, pending);
  reply = owner->klass->release (owner, key);
  jimmy_mock_server_reply (self, msg, reply, TRUE);
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
    jimmy_mock_server_emit_served (self, pending->msg, 0,
        "dropped: the server stopped");
    stream = soup_server_message_steal_connection (pending->msg);
    if (stream != NULL)
      g_io_stream_close (stream, NULL, NULL);
    pending_free (pending);
  }
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

/* The route table: each part in turn takes the paths it serves. With
 * raw-paths set, @path is still percent-encoded. */
static void
server_callback (SoupServer * server, SoupServerMessage * msg,
    const char *path, GHashTable * query, gpointer user_data)
{
  JimmyMockServer *self = user_data;
  g_autoptr(JimmyMockReply) reply = NULL;
  guint i;

  log_request (self, msg, path);

  for (i = 0; i < JIMMY_MOCK_N_PARTS; i++) {
    JimmyMockPart *part = self->parts[i];

    if (part->klass->route != NULL &&
        part->klass->route (part, msg, path, query))
      return;
  }
  reply = jimmy_mock_reply_new_error (SOUP_STATUS_NOT_FOUND, 40400,
      "not found");
  jimmy_mock_server_reply (self, msg, reply, FALSE);
}

static void
request_finished_cb (SoupServer * server, SoupServerMessage * msg,
    gpointer user_data)
{
  const char *summary = g_object_get_data (G_OBJECT (msg), SUMMARY_KEY);

  jimmy_mock_server_emit_served (user_data, msg,
      soup_server_message_get_status (msg), summary ? summary : "");
}

static void
request_aborted_cb (SoupServer * server, SoupServerMessage * msg,
    gpointer user_data)
{
  jimmy_mock_server_emit_served (user_data, msg,
      soup_server_message_get_status (msg), "aborted");
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

/* Ends what is in flight: held requests, then each part's. */
static void
stop_parts (JimmyMockServer * self, SoupServer * server,
    GMainContext * context)
{
  guint i;

  drain_pending (self);
  for (i = 0; i < JIMMY_MOCK_N_PARTS; i++) {
    if (self->parts[i]->klass->stop != NULL)
      self->parts[i]->klass->stop (self->parts[i]);
  }
  soup_server_disconnect (server);
  for (i = 0; i < JIMMY_MOCK_N_PARTS; i++) {
    if (self->parts[i]->klass->drain != NULL)
      self->parts[i]->klass->drain (self->parts[i], context);
  }
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

  stop_parts (self, server, data->context);
  g_signal_handlers_disconnect_by_data (server, self);
  g_clear_object (&server);
  /* Let the closing connections finish on this context. */
  while (g_main_context_iteration (data->context, FALSE))
    continue;

  g_main_context_pop_thread_default (data->context);
  return NULL;
}

/* ------------------------------------------------------------------------
 * Public API (documented in jimmy-mock-server.h)
 * --------------------------------------------------------------------- */

JimmyMockServer *
jimmy_mock_server_new (void)
{
  return g_object_new (JIMMY_TYPE_MOCK_SERVER, NULL);
}

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

void
jimmy_mock_server_clear_requests (JimmyMockServer * self)
{
  g_return_if_fail (JIMMY_IS_MOCK_SERVER (self));

  g_mutex_lock (&self->lock);
  g_ptr_array_set_size (self->requests, 0);
  g_mutex_unlock (&self->lock);
}

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

/* ------------------------------------------------------------------------
 * GObject
 * --------------------------------------------------------------------- */

static void
jimmy_mock_server_finalize (GObject * object)
{
  JimmyMockServer *self = JIMMY_MOCK_SERVER (object);
  guint i;

  jimmy_mock_server_stop (self);

  for (i = 0; i < JIMMY_MOCK_N_PARTS; i++)
    self->parts[i]->klass->free (self->parts[i]);
  g_ptr_array_unref (self->pending);
  g_ptr_array_unref (self->requests);
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
  self->requests =
      g_ptr_array_new_with_free_func ((GDestroyNotify) jimmy_mock_request_free);
  self->pending =
      g_ptr_array_new_with_free_func ((GDestroyNotify) pending_free);
  /* In route order. */
  self->parts[JIMMY_MOCK_PART_API] = jimmy_mock_api_new (self);
  self->parts[JIMMY_MOCK_PART_MEDIA] = jimmy_mock_media_new (self);
  self->parts[JIMMY_MOCK_PART_TRANSPORT] = jimmy_mock_transport_new (self);
}
