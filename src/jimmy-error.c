/* jimmy-error.c: the client's error domain, and the names of its codes
 * for debug texts.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "jimmy-error.h"

G_DEFINE_QUARK (jimmy-client-error-quark, jimmy_client_error);

/* In the order of JimmyClientError. */
static const char *const code_names[] = {
  "JIMMY_CLIENT_ERROR_INVALID_ARGUMENT",
  "JIMMY_CLIENT_ERROR_NOT_AUTHORIZED",
  "JIMMY_CLIENT_ERROR_NOT_FOUND",
  "JIMMY_CLIENT_ERROR_HTTP",
  "JIMMY_CLIENT_ERROR_API",
  "JIMMY_CLIENT_ERROR_MALFORMED",
  "JIMMY_CLIENT_ERROR_TASK_FAILED",
  "JIMMY_CLIENT_ERROR_RETRIES_EXHAUSTED",
  "JIMMY_CLIENT_ERROR_TIMED_OUT",
  "JIMMY_CLIENT_ERROR_TLS",
};

G_STATIC_ASSERT (G_N_ELEMENTS (code_names) == JIMMY_CLIENT_ERROR_TLS + 1);

/**
 * jimmy_client_error_code_name:
 *
 * Returns: (nullable): the enum name of @code, e.g.
 * "JIMMY_CLIENT_ERROR_NOT_FOUND", or %NULL if it is no JimmyClientError.
 */
const char *
jimmy_client_error_code_name (gint code)
{
  if (code < 0 || (guint) code >= G_N_ELEMENTS (code_names))
    return NULL;
  return code_names[code];
}

/**
 * jimmy_error_debug_text:
 *
 * Returns: (transfer full): "NAME (domain, code)" for an error of the
 * client's domain, "domain, code" for any other, for debug strings.
 */
char *
jimmy_error_debug_text (const GError *error)
{
  const char *name = error->domain == JIMMY_CLIENT_ERROR ?
      jimmy_client_error_code_name (error->code) : NULL;

  if (name != NULL)
    return g_strdup_printf ("%s (%s, %d)", name,
        g_quark_to_string (error->domain), error->code);
  return g_strdup_printf ("%s, %d", g_quark_to_string (error->domain),
      error->code);
}
