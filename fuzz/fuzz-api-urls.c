/* fuzz-api-urls.c: libFuzzer target for the settings and headers the
 * client reads before it sends anything: jimmy_api_parse_api_url(),
 * jimmy_api_build_task_uri(), jimmy_api_validate_media_url(),
 * jimmy_api_same_origin(), jimmy_backoff_parse_retry_after() and
 * jimmy_text_quote().
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * The input is split at its first newline: the first line is used as an
 * api-url, a media URL and a Retry-After value, the rest as a task id and
 * a second URL. Besides memory errors it checks that a task id always
 * becomes exactly one path segment, and that every error message is short,
 * valid UTF-8 and free of control characters.
 */
#include "fuzz-common.h"

#include <string.h>

#include "jimmy-api.h"
#include "jimmy-backoff.h"
#include "jimmy-error.h"
#include "jimmy-text.h"

/* 2026-01-01T00:00:00Z: HTTP-dates are compared with a fixed clock. */
#define FUZZ_NOW_UNIX 1767225600

static gboolean
is_http_scheme (const char *scheme)
{
  return g_ascii_strcasecmp (scheme, "http") == 0 ||
      g_ascii_strcasecmp (scheme, "https") == 0;
}

static void
check_api_uri (GUri * uri)
{
  const char *host = g_uri_get_host (uri);

  if (!is_http_scheme (g_uri_get_scheme (uri)))
    fuzz_fail ("api-url accepted with scheme %s", g_uri_get_scheme (uri));
  if (host == NULL || host[0] == '\0')
    fuzz_fail ("api-url accepted without a host");
  if (g_uri_get_userinfo (uri) != NULL || g_uri_get_query (uri) != NULL ||
      g_uri_get_fragment (uri) != NULL)
    fuzz_fail ("api-url accepted with userinfo, query or fragment");
}

/* The task id must come back from the URL as exactly one segment. */
static void
check_task_uri (GUri * task_uri, const char *task_id)
{
  g_autofree char *str = g_uri_to_string (task_uri);
  g_autoptr (GUri) reparsed = NULL;
  g_autofree char *unescaped = NULL;
  const char *path;
  const char *segment;

  reparsed = g_uri_parse (str, G_URI_FLAGS_ENCODED, NULL);
  if (reparsed == NULL)
    fuzz_fail ("the task URL does not parse again");
  if (g_uri_get_query (reparsed) != NULL ||
      g_uri_get_fragment (reparsed) != NULL)
    fuzz_fail ("the task id added a query or a fragment");

  path = g_uri_get_path (reparsed);
  segment = strrchr (path, '/');
  if (segment == NULL)
    fuzz_fail ("the task URL has no path");
  segment++;
  /* JIMMY_API_TASK_PATH ends in '/': it must end right before the id. */
  if ((gsize) (segment - path) < strlen (JIMMY_API_TASK_PATH) ||
      strncmp (segment - strlen (JIMMY_API_TASK_PATH), JIMMY_API_TASK_PATH,
          strlen (JIMMY_API_TASK_PATH)) != 0)
    fuzz_fail ("the task id changed the path");

  unescaped = g_uri_unescape_string (segment, NULL);
  if (g_strcmp0 (unescaped, task_id) != 0)
    fuzz_fail ("the last segment is not the task id");
}

static void
fuzz_api_url (const char *api_url, const char *task_id)
{
  g_autoptr (GUri) api_uri = NULL;
  g_autoptr (GUri) task_uri = NULL;
  g_autoptr (GError) error = NULL;

  api_uri = jimmy_api_parse_api_url (api_url, &error);
  if (api_uri == NULL) {
    if (error == NULL)
      fuzz_fail ("jimmy_api_parse_api_url: NULL without an error");
    fuzz_check_message ("jimmy_api_parse_api_url", error->message);
    return;
  }
  check_api_uri (api_uri);

  task_uri = jimmy_api_build_task_uri (api_uri, task_id, &error);
  if (task_uri == NULL) {
    if (error == NULL)
      fuzz_fail ("jimmy_api_build_task_uri: NULL without an error");
    if (jimmy_api_validate_task_id (task_id, NULL))
      fuzz_fail ("a valid task id could not be put in a URL");
    fuzz_check_message ("jimmy_api_build_task_uri", error->message);
    return;
  }
  if (!jimmy_api_validate_task_id (task_id, NULL))
    fuzz_fail ("an invalid task id made a URL");
  check_task_uri (task_uri, task_id);

  /* The API and its own task URL share an origin, both ways round. */
  if (!jimmy_api_same_origin (api_uri, task_uri) ||
      !jimmy_api_same_origin (task_uri, api_uri))
    fuzz_fail ("the task URL left the API's origin");
}

static void
fuzz_media_url (const char *url, const char *other, const char *task_id)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GUri) a = NULL;
  g_autoptr (GUri) b = NULL;

  if (jimmy_api_validate_media_url (url, "audioUrl", task_id, &error)) {
    a = g_uri_parse (url, G_URI_FLAGS_ENCODED, NULL);
    if (a == NULL || !is_http_scheme (g_uri_get_scheme (a)))
      fuzz_fail ("a media URL was accepted that is not http(s)");
  } else {
    if (error == NULL)
      fuzz_fail ("jimmy_api_validate_media_url: FALSE without an error");
    fuzz_check_message ("jimmy_api_validate_media_url", error->message);
  }

  b = g_uri_parse (other, G_URI_FLAGS_ENCODED, NULL);
  if (jimmy_api_same_origin (a, b) != jimmy_api_same_origin (b, a))
    fuzz_fail ("jimmy_api_same_origin is not symmetric");
}

static void
fuzz_retry_after (const char *value)
{
  g_autoptr (GDateTime) now = g_date_time_new_from_unix_utc (FUZZ_NOW_UNIX);
  gint64 delay_us = -1;

  if (jimmy_backoff_parse_retry_after (value, now, &delay_us) &&
      (delay_us < 0 ||
          delay_us > (gint64) JIMMY_BACKOFF_MAX_RETRY_AFTER_S *
          G_USEC_PER_SEC))
    fuzz_fail ("Retry-After gave a delay of %" G_GINT64_FORMAT " us",
        delay_us);
}

static void
fuzz_backoff (const guint8 * data, size_t size)
{
  guint32 words[3] = { 0, };
  gint64 delay_us;
  guint64 cap_us;

  memcpy (words, data, MIN (size, sizeof words));
  if (words[0] == 0)
    return;

  delay_us = jimmy_backoff_delay_us (words[0], words[1],
      (double) words[2] / G_MAXUINT32);
  cap_us = (guint64) MAX (JIMMY_BACKOFF_MAX_DELAY_MS, words[1]) * 1000;
  if (delay_us < 0 || (guint64) delay_us > cap_us)
    fuzz_fail ("a backoff delay of %" G_GINT64_FORMAT " us", delay_us);
}

static void
fuzz_quote (const guint8 * data, size_t size)
{
  g_autofree char *quoted = jimmy_text_quote ((const char *) data, size);

  /* The cut comes after the byte count passes the limit, at most one
   * escaped character (6 bytes) and the ellipsis (3 bytes) later. */
  if (strlen (quoted) > JIMMY_TEXT_MAX_QUOTED_BYTES + 6 + 3)
    fuzz_fail ("quoted text is %" G_GSIZE_FORMAT " bytes", strlen (quoted));
  fuzz_check_message ("jimmy_text_quote", quoted);
}

int LLVMFuzzerTestOneInput (const guint8 * data, size_t size);

int
LLVMFuzzerTestOneInput (const guint8 * data, size_t size)
{
  const guint8 *newline = memchr (data, '\n', size);
  gsize first_len = newline ? (gsize) (newline - data) : size;
  g_autofree char *first = g_strndup ((const char *) data, first_len);
  g_autofree char *rest = newline ?
      g_strndup ((const char *) newline + 1, size - first_len - 1) :
      g_strdup ("");

  fuzz_api_url (first, rest);
  fuzz_media_url (first, rest, rest[0] != '\0' ? rest : NULL);
  fuzz_retry_after (first);
  fuzz_backoff (data, size);
  fuzz_quote (data, size);

  return 0;
}
