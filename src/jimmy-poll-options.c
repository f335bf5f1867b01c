/* jimmy-poll-options.c
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "jimmy-poll-options.h"

#include "jimmy-text.h"

G_DEFINE_BOXED_TYPE (JimmyPollOptions, jimmy_poll_options,
    jimmy_poll_options_copy, jimmy_poll_options_free)

/**
 * jimmy_poll_options_new:
 * @api_url: base URL of the API
 * @task_id: the task to wait for
 * @api_key: (nullable): the Bearer token
 *
 * Returns: (transfer full): options with the documented defaults.
 */
JimmyPollOptions *
jimmy_poll_options_new (const char *api_url, const char *task_id,
    const char *api_key)
{
  JimmyPollOptions *options = g_new0 (JimmyPollOptions, 1);

  options->api_url = g_strdup (api_url);
  options->task_id = g_strdup (task_id);
  options->api_key = g_strdup (api_key);
  options->poll_interval_ms = JIMMY_POLL_DEFAULT_INTERVAL_MS;
  options->task_timeout_s = JIMMY_POLL_DEFAULT_TASK_TIMEOUT_S;
  options->request_timeout_s = JIMMY_POLL_DEFAULT_REQUEST_TIMEOUT_S;
  options->max_retries = JIMMY_POLL_DEFAULT_MAX_RETRIES;
  options->ssl_strict = TRUE;
  options->http_log_level = SOUP_LOGGER_LOG_NONE;
  options->http_log_func = NULL;

  return options;
}

JimmyPollOptions *
jimmy_poll_options_copy (const JimmyPollOptions *options)
{
  JimmyPollOptions *copy;

  g_return_val_if_fail (options != NULL, NULL);

  /* Numbers, the log level and the log function are copied as they
   * are; only the strings need duplicating. */
  copy = g_memdup2 (options, sizeof *options);
  copy->api_url = g_strdup (options->api_url);
  copy->task_id = g_strdup (options->task_id);
  copy->api_key = g_strdup (options->api_key);
  copy->user_agent = g_strdup (options->user_agent);
  copy->proxy = g_strdup (options->proxy);
  if (options->counts != NULL)
    copy->counts = jimmy_wait_counts_ref (options->counts);

  return copy;
}

void
jimmy_poll_options_free (JimmyPollOptions *options)
{
  if (options == NULL)
    return;

  g_free (options->api_url);
  g_free (options->task_id);
  jimmy_text_free_secret (options->api_key);
  g_free (options->user_agent);
  g_free (options->proxy);
  g_clear_pointer (&options->counts, jimmy_wait_counts_unref);
  g_free (options);
}

/**
 * jimmy_poll_options_get_http_log_level:
 *
 * Returns: the level the HTTP log is really kept at: %SOUP_LOGGER_LOG_NONE
 * without a printer, since libsoup's default printer writes to stdout,
 * unredacted.
 */
SoupLoggerLogLevel
jimmy_poll_options_get_http_log_level (const JimmyPollOptions *options)
{
  return options->http_log_func != NULL ? options->http_log_level :
      SOUP_LOGGER_LOG_NONE;
}
