/* jimmy-request.h: one poll of one task: an HTTP exchange and its verdict
 * (private to the client).
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <libsoup/soup.h>

#include "jimmy-task.h"

G_BEGIN_DECLS

/* API redirects followed per poll before giving up. */
#define JIMMY_REQUEST_MAX_REDIRECTS 5

typedef enum {
  JIMMY_REQUEST_OK,             /* the task was read */
  JIMMY_REQUEST_TRANSIENT,      /* try again later */
  JIMMY_REQUEST_FATAL,          /* retrying cannot help */
} JimmyRequestVerdict;

/**
 * JimmyRequestOutcome:
 * @verdict: what the poller should do next
 * @task: (owned) (nullable): the task, with %JIMMY_REQUEST_OK
 * @error: (owned) (nullable): why not, otherwise (JIMMY_CLIENT_ERROR or,
 *   for transient failures, whatever libsoup or GIO said)
 * @retry_after_us: the server's Retry-After, or -1
 * @http_status: the final HTTP status, 0 if no response arrived
 * @api_code: the envelope code, if @has_api_code
 * @has_api_code: whether a body with an envelope code was read
 */
typedef struct {
  JimmyRequestVerdict verdict;
  JimmyTask *task;
  GError *error;
  gint64 retry_after_us;
  guint http_status;
  gint api_code;
  gboolean has_api_code;
} JimmyRequestOutcome;

void jimmy_request_outcome_free (JimmyRequestOutcome *outcome);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (JimmyRequestOutcome, jimmy_request_outcome_free)

void jimmy_request_send_async (SoupSession *session,
                               GUri *api_uri,
                               GUri *task_uri,
                               const char *task_id,
                               const char *api_key,
                               gboolean ssl_strict,
                               GCancellable *cancellable,
                               GAsyncReadyCallback callback,
                               gpointer user_data);
JimmyRequestOutcome *jimmy_request_send_finish (GAsyncResult *result,
                                                GError **error);

G_END_DECLS
