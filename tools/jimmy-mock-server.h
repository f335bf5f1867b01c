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
 *   the grammar described in jimmy_mock_server_add_task().
 * @JIMMY_MOCK_SERVER_ERROR_INVALID_ARGUMENT: an address that is not an IP
 *   literal, a task id that could never be requested (empty or not
 *   UTF-8), a body name outside [a-z0-9_-]+, a media fault outside the
 *   grammar of jimmy_mock_server_set_media_fault(), or a server that is
 *   already running.
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

JimmyMockServer *jimmy_mock_server_new (void);

gboolean jimmy_mock_server_start (JimmyMockServer * self,
    const char *address, guint port, GError ** error);
void jimmy_mock_server_stop (JimmyMockServer * self);
const char *jimmy_mock_server_get_base_url (JimmyMockServer * self);

void jimmy_mock_server_set_api_key (JimmyMockServer * self,
    const char *api_key);
gboolean jimmy_mock_server_add_task (JimmyMockServer * self,
    const char *task_id, const char *script, GError ** error);
void jimmy_mock_server_set_default_script (JimmyMockServer * self,
    const char *script);
gboolean jimmy_mock_script_validate (const char *script, GError ** error);
void jimmy_mock_server_set_model (JimmyMockServer * self, const char *model);
void jimmy_mock_server_set_failure_text (JimmyMockServer * self,
    const char *text);

void jimmy_mock_server_set_media_base_url (JimmyMockServer * self,
    const char *base_url);
gboolean jimmy_mock_server_set_media_file (JimmyMockServer * self,
    const char *path, GError ** error);
void jimmy_mock_server_set_subtitles (JimmyMockServer * self,
    const char *srt_text);
gboolean jimmy_mock_server_set_media_fault (JimmyMockServer * self,
    const char *fault, GError ** error);
void jimmy_mock_server_set_media_expiry (JimmyMockServer * self,
    gint64 valid_bytes);
void jimmy_mock_server_set_media_expiry_tokens (JimmyMockServer * self,
    guint n_tokens);

gboolean jimmy_mock_server_add_body (JimmyMockServer * self,
    const char *name, GBytes * bytes, const char *content_type,
    GError ** error);

void jimmy_mock_server_set_delay (JimmyMockServer * self, guint delay_ms);
void jimmy_mock_server_release_held (JimmyMockServer * self);

GPtrArray *jimmy_mock_server_dup_requests (JimmyMockServer * self);
guint jimmy_mock_server_count_requests (JimmyMockServer * self,
    const char *path_prefix);
void jimmy_mock_server_clear_requests (JimmyMockServer * self);
gboolean jimmy_mock_server_wait_for_requests (JimmyMockServer * self,
    const char *path_prefix, guint n, guint timeout_ms);

guint64 jimmy_mock_server_get_bytes_streamed (JimmyMockServer * self);
gboolean jimmy_mock_server_wait_for_streams_ended (JimmyMockServer * self,
    guint n, guint timeout_ms);

G_END_DECLS
