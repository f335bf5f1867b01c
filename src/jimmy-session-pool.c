/* jimmy-session-pool.c: one SoupSession per distinct HTTP configuration.
 *
 * Every waiting task in the process shares the poller thread; tasks whose
 * proxy, TLS strictness, user agent and HTTP log settings agree also
 * share a session, and so its keep-alive connections. TLS strictness is
 * part of the key although it is checked per message: a connection
 * accepted with ssl-strict=false must never be reused by a strict request.
 * The request timeout is not: the poller enforces it per request.
 *
 * Every session's connection limits are the poller's request limits
 * (overall, and per origin, which is libsoup's per-host): the poller
 * never has more requests in flight than that, so libsoup never queues a
 * request the poller sent; the poller's own queue decides the order.
 *
 * A session whose options ask for an HTTP log gets a SoupLogger, which is
 * a session feature, so the log level must be part of the key too. Its
 * printer redacts credential headers before any line leaves this file:
 * libsoup's logger prints a Bearer token in full.
 *
 * Use from the poller thread only: a SoupSession belongs to the thread
 * that created it.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "jimmy-session-pool.h"

#include "jimmy-proxy.h"

#include <string.h>

/* Idle keep-alive connections are closed after this long. */
#define IDLE_TIMEOUT_S 60

struct _JimmySessionPool {
  GHashTable *sessions;         /* (owned) config key → SoupSession */
  guint max_conns;
  guint max_conns_per_host;
};

JimmySessionPool *
jimmy_session_pool_new (guint max_conns, guint max_conns_per_host)
{
  JimmySessionPool *self = g_new0 (JimmySessionPool, 1);

  self->max_conns = max_conns;
  self->max_conns_per_host = max_conns_per_host;
  self->sessions = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
      g_object_unref);
  return self;
}

void
jimmy_session_pool_free (JimmySessionPool * self)
{
  if (self == NULL)
    return;

  g_hash_table_unref (self->sessions);
  g_free (self);
}

static char *
make_config_key (const JimmyPollOptions * options)
{
  SoupLoggerLogLevel level = jimmy_poll_options_get_http_log_level (options);

  /* \x1f cannot appear in a valid URI or header value. */
  return g_strdup_printf ("%s\x1f%d\x1f%s\x1f%d\x1f%p",
      options->proxy ? options->proxy : "\x1e",
      options->ssl_strict, options->user_agent ? options->user_agent : "",
      level, level != SOUP_LOGGER_LOG_NONE ?
      (gpointer) options->http_log_func : NULL);
}

/* Headers whose values are credentials. */
static const char *const credential_headers[] = {
  "Authorization", "Proxy-Authorization", "Cookie", "Set-Cookie", NULL
};

/* Returns @line with the value of a credential header replaced, or NULL
 * when it has none. libsoup 3.2's logger masks only Basic credentials
 * and prints "Authorization: Bearer <the API key>" as it is, so every
 * line is checked, body lines too: what looks like a credential header
 * is never worth printing. */
static char *
redact_credentials (const char *line)
{
  const char *colon = strchr (line, ':');
  gsize name_len;
  guint i;

  if (colon == NULL)
    return NULL;
  name_len = colon - line;
  for (i = 0; credential_headers[i] != NULL; i++)
    if (strlen (credential_headers[i]) == name_len
        && g_ascii_strncasecmp (line, credential_headers[i], name_len) == 0)
      return g_strdup_printf ("%.*s: [REDACTED]", (int) name_len, line);
  return NULL;
}

typedef struct {
  JimmyHttpLogFunc func;
} LogPrinter;

/* Called on the poller thread, where the session runs. */
static void
print_log_line (SoupLogger * logger, SoupLoggerLogLevel level,
    char direction, const char *data, gpointer user_data)
{
  LogPrinter *printer = user_data;
  g_autofree char *redacted = redact_credentials (data);

  printer->func (direction, redacted != NULL ? redacted : data);
}

static void
attach_logger (SoupSession * session, const JimmyPollOptions * options)
{
  g_autoptr (SoupLogger) logger = NULL;
  LogPrinter *printer;

  logger = soup_logger_new (jimmy_poll_options_get_http_log_level (options));
  printer = g_new0 (LogPrinter, 1);
  printer->func = options->http_log_func;
  soup_logger_set_printer (logger, print_log_line, printer, g_free);
  soup_session_add_feature (session, SOUP_SESSION_FEATURE (logger));
}

static SoupSession *
create_session (JimmySessionPool * self, const JimmyPollOptions * options)
{
  g_autoptr (GProxyResolver) resolver =
      jimmy_proxy_resolver_new (options->proxy);
  SoupSession *session;

  session = soup_session_new_with_options ("max-conns", self->max_conns,
      "max-conns-per-host", self->max_conns_per_host,
      "idle-timeout", IDLE_TIMEOUT_S,
      "proxy-resolver", resolver, NULL);
  if (options->user_agent != NULL)
    soup_session_set_user_agent (session, options->user_agent);
  /* Only ever with our redacting printer. */
  if (jimmy_poll_options_get_http_log_level (options) != SOUP_LOGGER_LOG_NONE)
    attach_logger (session, options);
  /* Without a cache or cookie jar feature the session keeps no state
   * between polls besides its connections. */
  return session;
}

/**
 * jimmy_session_pool_get:
 *
 * Returns: (transfer none): the session for @options' HTTP configuration,
 * created on first use and kept until the pool is freed.
 */
SoupSession *
jimmy_session_pool_get (JimmySessionPool * self,
    const JimmyPollOptions * options)
{
  g_autofree char *key = make_config_key (options);
  SoupSession *session = g_hash_table_lookup (self->sessions, key);

  if (session == NULL) {
    session = create_session (self, options);
    g_hash_table_insert (self->sessions, g_steal_pointer (&key), session);
  }
  return session;
}
