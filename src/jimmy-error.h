/* jimmy-error.h: the error domain of the SoundClone task client.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/**
 * JimmyClientError:
 * @JIMMY_CLIENT_ERROR_INVALID_ARGUMENT: a setting is unusable: empty or
 *   malformed task id, api url that is not http(s), missing api key.
 * @JIMMY_CLIENT_ERROR_NOT_AUTHORIZED: the API answered 401 or 403.
 * @JIMMY_CLIENT_ERROR_NOT_FOUND: the API answered 404.
 * @JIMMY_CLIENT_ERROR_HTTP: any other HTTP status that retrying cannot
 *   fix (other 4xx, a redirect without Location, too many redirects).
 * @JIMMY_CLIENT_ERROR_API: the response envelope carried a `code` other
 *   than 20000.
 * @JIMMY_CLIENT_ERROR_MALFORMED: the response body is not what the API
 *   documents: not JSON, wrong types, too large or deep, a completed task
 *   without a usable `audioUrl`.
 * @JIMMY_CLIENT_ERROR_TASK_FAILED: the task reached status `failed`.
 * @JIMMY_CLIENT_ERROR_RETRIES_EXHAUSTED: more consecutive transient
 *   failures (connection errors, timeouts, 5xx, 429) than allowed.
 * @JIMMY_CLIENT_ERROR_TIMED_OUT: the task did not complete within the
 *   task timeout.
 * @JIMMY_CLIENT_ERROR_TLS: the server's TLS certificate was refused.
 *
 * Errors of the `JIMMY_CLIENT_ERROR` domain. Messages are full sentences
 * that name the task id and never contain the API key.
 */
typedef enum {
  JIMMY_CLIENT_ERROR_INVALID_ARGUMENT,
  JIMMY_CLIENT_ERROR_NOT_AUTHORIZED,
  JIMMY_CLIENT_ERROR_NOT_FOUND,
  JIMMY_CLIENT_ERROR_HTTP,
  JIMMY_CLIENT_ERROR_API,
  JIMMY_CLIENT_ERROR_MALFORMED,
  JIMMY_CLIENT_ERROR_TASK_FAILED,
  JIMMY_CLIENT_ERROR_RETRIES_EXHAUSTED,
  JIMMY_CLIENT_ERROR_TIMED_OUT,
  JIMMY_CLIENT_ERROR_TLS,
} JimmyClientError;

#define JIMMY_CLIENT_ERROR (jimmy_client_error_quark ())
GQuark jimmy_client_error_quark (void);

const char *jimmy_client_error_code_name (gint code);
char *jimmy_error_debug_text (const GError *error);

G_END_DECLS
