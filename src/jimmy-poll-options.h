/* jimmy-poll-options.h: everything one wait on a task needs to know.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <glib-object.h>
#include <libsoup/soup.h>

#include "jimmy-wait.h"

G_BEGIN_DECLS

#define JIMMY_POLL_DEFAULT_INTERVAL_MS 5000
#define JIMMY_POLL_MIN_INTERVAL_MS 10
#define JIMMY_POLL_MAX_INTERVAL_MS 600000
#define JIMMY_POLL_DEFAULT_TASK_TIMEOUT_S 1800
#define JIMMY_POLL_DEFAULT_REQUEST_TIMEOUT_S 15
#define JIMMY_POLL_DEFAULT_MAX_RETRIES 5

/**
 * JimmyHttpLogFunc:
 * @direction: '>' for a request line, '<' for a response line, ' ' for
 *   libsoup's blank separators
 * @line: one line of libsoup's HTTP log, without its newline; credential
 *   header values are already replaced with "[REDACTED]"
 *
 * Receives the HTTP log of the task API requests, on the poller thread.
 */
typedef void (*JimmyHttpLogFunc) (char direction, const char *line);

/**
 * JimmyPollOptions:
 * @api_url: base URL of the API, http or https (owned).
 * @task_id: the task to wait for (owned).
 * @api_key: the Bearer token (owned); sent only to the api url's origin.
 * @poll_interval_ms: time between polls while the task is not done.
 * @task_timeout_s: give up after this long; 0 waits for ever.
 * @request_timeout_s: one request (headers and body) may take this long;
 *   0 means no limit.
 * @max_retries: consecutive transient failures tolerated; -1 = no limit.
 * @user_agent: the User-Agent header (owned, nullable: libsoup's default).
 * @proxy: proxy URI (owned); %NULL reads http_proxy, https_proxy and
 *   no_proxy from the environment, "" means no proxy.
 * @ssl_strict: refuse TLS certificates that do not verify.
 * @http_log_level: how much of each API request and response libsoup
 *   logs to @http_log_func; %SOUP_LOGGER_LOG_NONE attaches no logger.
 * @http_log_func: (nullable): where those lines go; %NULL logs nothing,
 *   whatever the level.
 * @counts: (nullable): what the poller does for this wait is added to
 *   it (see #JimmyWaitCounts); not part of what makes two waits share a
 *   job
 */
typedef struct {
  char *api_url;
  char *task_id;
  char *api_key;
  guint poll_interval_ms;
  guint task_timeout_s;
  guint request_timeout_s;
  gint max_retries;
  char *user_agent;
  char *proxy;
  gboolean ssl_strict;
  SoupLoggerLogLevel http_log_level;
  JimmyHttpLogFunc http_log_func;
  JimmyWaitCounts *counts;
} JimmyPollOptions;

#define JIMMY_TYPE_POLL_OPTIONS (jimmy_poll_options_get_type ())
GType jimmy_poll_options_get_type (void) G_GNUC_CONST;

JimmyPollOptions *jimmy_poll_options_new (const char *api_url,
                                          const char *task_id,
                                          const char *api_key);
JimmyPollOptions *jimmy_poll_options_copy (const JimmyPollOptions *options);
void jimmy_poll_options_free (JimmyPollOptions *options);
SoupLoggerLogLevel jimmy_poll_options_get_http_log_level (
    const JimmyPollOptions *options);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (JimmyPollOptions, jimmy_poll_options_free)

G_END_DECLS
