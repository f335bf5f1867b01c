/* jimmy-mock-server.h: a scriptable mock of the SoundClone task API.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

/**
 * JimmyMockServerError:
 * @JIMMY_MOCK_SERVER_ERROR_INVALID_SCRIPT: a status script does not follow
 *   the grammar (the table in jimmy-mock-script.c).
 * @JIMMY_MOCK_SERVER_ERROR_INVALID_ARGUMENT: an address that is not an IP
 *   literal, a task id that could never be requested (empty or not
 *   UTF-8), a body name outside [a-z0-9_-]+, a media fault outside its
 *   grammar, or a server that is already running.
 *
 * Errors of the `JIMMY_MOCK_SERVER_ERROR` domain. Listening and file errors
 * keep their own `G_IO_ERROR` / `G_FILE_ERROR` domains.
 */
typedef enum {
  JIMMY_MOCK_SERVER_ERROR_INVALID_SCRIPT,
  JIMMY_MOCK_SERVER_ERROR_INVALID_ARGUMENT,
} JimmyMockServerError;

#define JIMMY_MOCK_SERVER_ERROR (jimmy_mock_server_error_quark ())
GQuark jimmy_mock_server_error_quark (void);

/**
 * JimmyMockRequest:
 * @method: the HTTP method
 * @path: the path as received: still percent-encoded, without the query
 * @authorization: (nullable): the `Authorization` header
 * @range: (nullable): the `Range` header
 * @time_us: when it arrived, in g_get_monotonic_time() microseconds
 * @query: (nullable): the query as received (percent-encoded, without
 *   the '?'), e.g. `token=t1-0a1b2c3d` for a signed audioUrl; %NULL when
 *   the URL had none
 *
 * One request as the server saw it when its handler was entered.
 */
typedef struct {
  char *method;
  char *path;
  char *authorization;
  char *range;
  gint64 time_us;
  char *query;
} JimmyMockRequest;

void jimmy_mock_request_free (JimmyMockRequest * request);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (JimmyMockRequest, jimmy_mock_request_free)

#define JIMMY_TYPE_MOCK_SERVER (jimmy_mock_server_get_type ())
G_DECLARE_FINAL_TYPE (JimmyMockServer, jimmy_mock_server, JIMMY, MOCK_SERVER,
    GObject)

/* The functions are documented here, once; jimmy-mock-server.c describes
 * what the server serves, jimmy-mock-script.c the grammars of status
 * scripts and media faults (`jimmy-mock-server --help` prints them). Any
 * function may be called from any thread, before or after start. */

/* ---- Life cycle and address (jimmy-mock-server.c) ---------------------- */

/* A new server, not started: no status script, no API key check, no
 * media. */
JimmyMockServer *jimmy_mock_server_new (void);

/* Starts the server thread and returns once it listens on @address only:
 * an IP literal ("127.0.0.1", "::1"), never a host name; @port 0 for any
 * free port. A server may be started again after a stop; task positions
 * and the request log are kept. */
gboolean jimmy_mock_server_start (JimmyMockServer * self,
    const char *address, guint port, GError ** error);

/* Stops the server and joins its thread. Requests still delayed or held
 * get their connection closed. Does nothing if the server is not running.
 * Must not be called from the server thread (a ::request-served
 * handler). */
void jimmy_mock_server_stop (JimmyMockServer * self);

/* "http://127.0.0.1:PORT", without a trailing slash, or NULL before the
 * first successful start. Valid until the next start or the end of
 * @self. */
const char *jimmy_mock_server_get_base_url (JimmyMockServer * self);

/* ---- The task API (jimmy-mock-api.c) ----------------------------------- */

/* The key API requests must carry as "Authorization: Bearer <key>", or
 * NULL to check nothing; others get 401 {"code":40100,"msg":"invalid api
 * key"}. Media requests never need it. */
void jimmy_mock_server_set_api_key (JimmyMockServer * self,
    const char *api_key);

/* Sets the status script of @task_id (as the client sends it before
 * percent-encoding), e.g. "queued:1,processing:3,completed", and starts
 * it from its first step, replacing any earlier one. FALSE with
 * JIMMY_MOCK_SERVER_ERROR_INVALID_SCRIPT for a bad script. */
gboolean jimmy_mock_server_add_task (JimmyMockServer * self,
    const char *task_id, const char *script, GError ** error);

/* The script of task ids without their own, or NULL to answer 404
 * {"code":40400,"msg":"task not found"} for them. Each such id keeps its
 * own position; a new script restarts them all. An invalid script is a
 * programmer error: check user input with jimmy_mock_script_validate(). */
void jimmy_mock_server_set_default_script (JimmyMockServer * self,
    const char *script);

/* Checks @script against the grammar, without any server. */
gboolean jimmy_mock_script_validate (const char *script, GError ** error);

/* The `model` of every task (NULL: "soundCloningClone"), and the `error`
 * of failed ones (NULL: "the voice sample is too short"). */
void jimmy_mock_server_set_model (JimmyMockServer * self, const char *model);
void jimmy_mock_server_set_failure_text (JimmyMockServer * self,
    const char *text);

/* The origin audioUrl and subtitleFile point at (e.g. another
 * JimmyMockServer), or NULL for this server. */
void jimmy_mock_server_set_media_base_url (JimmyMockServer * self,
    const char *base_url);

/* Registers a body for `body-NAME` steps, which answer 200 with it byte
 * for byte (it need not be JSON nor UTF-8), with @content_type (NULL: no
 * Content-Type). @name: [a-z0-9_-]+. Replaces an earlier body of that
 * name. A script may name a body added later, but not one never added
 * (the poll then gets a 500 and a warning is logged). */
gboolean jimmy_mock_server_add_body (JimmyMockServer * self,
    const char *name, GBytes * bytes, const char *content_type,
    GError ** error);

/* How long every later API response waits, 0 for none: a timeout on the
 * server thread, so other requests are answered meanwhile. `hang` steps
 * are not delayed further; media never. */
void jimmy_mock_server_set_delay (JimmyMockServer * self, guint delay_ms);

/* Answers every request held by a `hang` step, each like a new poll of
 * its task. Returns at once; the answers follow from the server thread. */
void jimmy_mock_server_release_held (JimmyMockServer * self);

/* ---- The media host (jimmy-mock-media.c) ------------------------------- */

/* Reads the whole file now; it is served for every GET /media/<any>.mp3
 * as audio/mpeg with Accept-Ranges: bytes (Range requests get 206 or
 * 416). NULL answers 404 there. */
gboolean jimmy_mock_server_set_media_file (JimmyMockServer * self,
    const char *path, GError ** error);

/* SubRip text, or NULL for none. When set, completed tasks carry
 * subtitleFile and GET /media/<any>.srt serves it as text/plain;
 * charset=utf-8. */
void jimmy_mock_server_set_subtitles (JimmyMockServer * self,
    const char *srt_text);

/* Breaks every GET and HEAD of /media/<any>.mp3 one way (NULL or "none":
 * serve the file); see the grammar. Setting a fault, even the same one
 * again, re-arms a first-request-only one. Subtitles are never affected.
 * An invalid fault (JIMMY_MOCK_SERVER_ERROR_INVALID_ARGUMENT) leaves the
 * current one in place. */
gboolean jimmy_mock_server_set_media_fault (JimmyMockServer * self,
    const char *fault, GError ** error);

/* Signed audio URLs that expire, as an object store's do, their lifetime
 * counted in bytes: -1 (the default) for unsigned URLs. As the API, this
 * server then gives completed tasks audioUrl = …/media/<id>.mp3?token=T,
 * a fresh token in every answer. As the media host, it refuses a request
 * without a token (403), serves each token until it has served
 * @valid_bytes in all (the response that would cross that is cut there,
 * as reset-after-N cuts), then answers 403 with an XML AccessDenied
 * "Request has expired". 0 expires every token from its first request.
 * Any token not seen yet is fresh. With two servers, set it on both: the
 * API issues tokens, the media host enforces them. A refused token is
 * refused before any media fault applies. Every token starts afresh. */
void jimmy_mock_server_set_media_expiry (JimmyMockServer * self,
    gint64 valid_bytes);

/* As the media host: only the first @n_tokens distinct tokens requested
 * expire (0: all, the default); later ones are served without limit. So
 * 0 bytes and 1 token expire the first audioUrl at once while the one a
 * re-poll gets plays whole. Every token starts afresh. */
void jimmy_mock_server_set_media_expiry_tokens (JimmyMockServer * self,
    guint n_tokens);

/* ---- The request log (jimmy-mock-server.c) ----------------------------- */

/* A copy of the log, oldest first (element-type JimmyMockRequest). */
GPtrArray *jimmy_mock_server_dup_requests (JimmyMockServer * self);

/* How many requests arrived whose path, as received (percent-encoded),
 * starts with @path_prefix (NULL: all). */
guint jimmy_mock_server_count_requests (JimmyMockServer * self,
    const char *path_prefix);

void jimmy_mock_server_clear_requests (JimmyMockServer * self);

/* Blocks until at least @n such requests have arrived (TRUE) or
 * @timeout_ms passed (FALSE). A request counts as soon as its handler is
 * entered, before any delay or hang. */
gboolean jimmy_mock_server_wait_for_requests (JimmyMockServer * self,
    const char *path_prefix, guint n, guint timeout_ms);

/* ---- Streamed responses (jimmy-mock-transport.c) ----------------------- */

/* Body bytes written so far by `trickle` and `flood` responses, all
 * together: what the kernel accepted, so at most the client's reads plus
 * the two socket buffers for a client that stopped reading. */
guint64 jimmy_mock_server_get_bytes_streamed (JimmyMockServer * self);

/* Blocks until @n such responses have ended (TRUE): written to the end,
 * failed because the client closed the connection, or dropped by a stop;
 * FALSE after @timeout_ms. libsoup notices a closed connection at its
 * next write, so a `trickle` ends up to two bytes after its client
 * left. */
gboolean jimmy_mock_server_wait_for_streams_ended (JimmyMockServer * self,
    guint n, guint timeout_ms);

G_END_DECLS
