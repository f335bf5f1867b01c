/* jimmy-api.c: the task API's URLs, and who may see the API key.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "jimmy-api.h"

#include <string.h>

#include "jimmy-error.h"
#include "jimmy-text.h"

#define TASK_ID_ADVICE "set task-id to the id returned by the create " \
  "call, e.g. audio_16b635ba-5889-4fa5-bbcc-bf67a38c353a"

#define API_URL_ADVICE "set api-url to the service's base URL, e.g. " \
  JIMMY_API_DEFAULT_URL

/* An api-url that does not parse may still hold "user:password@": show it
 * only when it cannot. */
static char *
describe_unparsed_url (const char *url)
{
  g_autofree char *quoted = NULL;

  if (strchr (url, '@') != NULL)
    return g_strdup ("(not shown: it may contain credentials)");

  quoted = jimmy_text_quote (url, -1);
  return g_strdup_printf ("\"%s\"", quoted);
}

/* Queries are left out too: "?key=…" is a common way to pass a key. */
static char *
describe_uri (GUri *uri)
{
  g_autofree char *str = g_uri_to_string_partial (uri,
      G_URI_HIDE_USERINFO | G_URI_HIDE_QUERY);
  g_autofree char *quoted = jimmy_text_quote (str, -1);

  return g_strdup_printf ("\"%s\"", quoted);
}

static gboolean
has_control_or_space (const char *s)
{
  for (; *s != '\0'; s++) {
    if ((guchar) *s <= 0x20 || *s == 0x7f)
      return TRUE;
  }
  return FALSE;
}

static gboolean
is_http_scheme (const char *scheme)
{
  return scheme != NULL && (g_ascii_strcasecmp (scheme, "http") == 0 ||
      g_ascii_strcasecmp (scheme, "https") == 0);
}

/* GUri takes hosts such as "" (http:///x), "a b" or "a\nb" without
 * complaint, so check the host ourselves: letters, digits, "-._~", and
 * ':' for IPv6. */
static gboolean
has_usable_host (GUri *uri)
{
  const char *host = g_uri_get_host (uri);

  const char *p;

  if (host == NULL || host[0] == '\0')
    return FALSE;
  /* GUri decodes the host: "%3F" becomes '?', which would then move the
   * task id into a query. A DNS name or an IP address needs none of it. */
  for (p = host; *p != '\0'; p++)
    if (!g_ascii_isalnum (*p) && strchr ("-._~:", *p) == NULL)
      return FALSE;
  /* ':' only in an IPv6 address ("%3A" decodes to one too). */
  return strchr (host, ':') == NULL || g_hostname_is_ip_address (host);
}

gboolean
jimmy_api_validate_task_id (const char *task_id, GError **error)
{
  gsize length;
  gsize i;

  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (task_id == NULL || task_id[0] == '\0') {
    g_set_error_literal (error, JIMMY_CLIENT_ERROR,
        JIMMY_CLIENT_ERROR_INVALID_ARGUMENT,
        "No task id is set; " TASK_ID_ADVICE ".");
    return FALSE;
  }

  length = strlen (task_id);
  if (length > JIMMY_API_MAX_TASK_ID_LENGTH) {
    g_set_error (error, JIMMY_CLIENT_ERROR,
        JIMMY_CLIENT_ERROR_INVALID_ARGUMENT,
        "The task id is %" G_GSIZE_FORMAT " bytes long, more than the %d a "
        "task id may have; " TASK_ID_ADVICE ".",
        length, JIMMY_API_MAX_TASK_ID_LENGTH);
    return FALSE;
  }

  if (!g_utf8_validate_len (task_id, length, NULL)) {
    g_set_error_literal (error, JIMMY_CLIENT_ERROR,
        JIMMY_CLIENT_ERROR_INVALID_ARGUMENT,
        "The task id is not valid UTF-8; " TASK_ID_ADVICE ".");
    return FALSE;
  }

  for (i = 0; i < length; i++) {
    guchar c = task_id[i];

    if (c < 0x20 || c == 0x7f) {
      g_set_error (error, JIMMY_CLIENT_ERROR,
          JIMMY_CLIENT_ERROR_INVALID_ARGUMENT,
          "The task id holds the control character 0x%02x at byte %"
          G_GSIZE_FORMAT "; " TASK_ID_ADVICE ".", c, i);
      return FALSE;
    }
  }

  /* Dots are unreserved, so escaping leaves these as they are, and URL
   * normalisation would turn them into path steps. */
  if (strcmp (task_id, ".") == 0 || strcmp (task_id, "..") == 0) {
    g_set_error (error, JIMMY_CLIENT_ERROR,
        JIMMY_CLIENT_ERROR_INVALID_ARGUMENT,
        "The task id \"%s\" would be read as a path step, not as an id; "
        TASK_ID_ADVICE ".", task_id);
    return FALSE;
  }

  return TRUE;
}

/**
 * jimmy_api_validate_api_key:
 * @api_key: the Bearer token.
 *
 * A key goes into an Authorization header, so it must be visible ASCII
 * (RFC 6750's token characters are a subset). A stray line break or
 * space, typically from a file or a shell variable, would make libsoup
 * drop the header, and a line split inside it would escape the redaction
 * of the HTTP log. The message names the kind of byte and where it is,
 * never the key.
 *
 * Returns: %TRUE if @api_key can be sent.
 */
gboolean
jimmy_api_validate_api_key (const char *api_key, GError **error)
{
  gsize i;

  g_return_val_if_fail (api_key != NULL, FALSE);

  for (i = 0; api_key[i] != '\0'; i++) {
    guchar c = api_key[i];
    const char *kind;

    if (c > 0x20 && c < 0x7f)
      continue;
    if (c == ' ')
      kind = "a space";
    else if (c < 0x20 || c == 0x7f)
      kind = "a control character (such as a line break)";
    else
      kind = "a non-ASCII byte";
    g_set_error (error, JIMMY_CLIENT_ERROR,
        JIMMY_CLIENT_ERROR_INVALID_ARGUMENT,
        "The API key holds %s at byte %" G_GSIZE_FORMAT ", which cannot be "
        "sent in an HTTP header: check JIMMY_API_KEY or the api-key "
        "property for a stray line break or space.", kind, i);
    return FALSE;
  }
  return TRUE;
}

static gboolean
set_invalid_api_url (GError **error, const char *shown_url,
    const char *problem, const char *advice)
{
  g_set_error (error, JIMMY_CLIENT_ERROR, JIMMY_CLIENT_ERROR_INVALID_ARGUMENT,
      "The api-url %s %s; %s.", shown_url, problem, advice);
  return FALSE;
}

static gboolean
check_api_uri (GUri *uri, GError **error)
{
  /* Without a host GUri cannot print some paths ("//…"): say that. */
  g_autofree char *shown = g_uri_get_host (uri) != NULL ?
      describe_uri (uri) : g_strdup ("(a URL without a host)");

  if (!is_http_scheme (g_uri_get_scheme (uri))) {
    return set_invalid_api_url (error, shown, "is not an http or https URL",
        API_URL_ADVICE);
  }

  if (!has_usable_host (uri))
    return set_invalid_api_url (error, shown, "has no host", API_URL_ADVICE);

  if (g_uri_get_port (uri) == 0)
    return set_invalid_api_url (error, shown, "has port 0", API_URL_ADVICE);

  /* Credentials in a URL end up in logs and error messages. */
  if (g_uri_get_userinfo (uri) != NULL) {
    return set_invalid_api_url (error, shown, "holds a user name or password "
        "before the host (not shown), which would leak",
        "remove it and give the key as api-key");
  }

  if (g_uri_get_query (uri) != NULL) {
    return set_invalid_api_url (error, shown, "has a query (?…, not shown)",
        API_URL_ADVICE);
  }

  if (g_uri_get_fragment (uri) != NULL) {
    return set_invalid_api_url (error, shown, "has a fragment (#…)",
        API_URL_ADVICE);
  }

  return TRUE;
}

/**
 * jimmy_api_parse_api_url:
 * @api_url: (nullable): the api-url setting.
 * @error: a %JIMMY_CLIENT_ERROR_INVALID_ARGUMENT error.
 *
 * Returns: (transfer full): @api_url parsed with %G_URI_FLAGS_ENCODED, or
 *   %NULL if it is not an http or https URL with a host and without
 *   credentials, query or fragment.
 */
GUri *
jimmy_api_parse_api_url (const char *api_url, GError **error)
{
  g_autoptr(GUri) uri = NULL;
  g_autoptr(GError) local_error = NULL;

  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (api_url == NULL || api_url[0] == '\0') {
    g_set_error_literal (error, JIMMY_CLIENT_ERROR,
        JIMMY_CLIENT_ERROR_INVALID_ARGUMENT,
        "No api-url is set; " API_URL_ADVICE ".");
    return NULL;
  }

  if (has_control_or_space (api_url)) {
    g_autofree char *shown = describe_unparsed_url (api_url);

    set_invalid_api_url (error, shown, "holds spaces or control characters",
        API_URL_ADVICE);
    return NULL;
  }

  uri = g_uri_parse (api_url, G_URI_FLAGS_ENCODED, &local_error);
  if (uri == NULL) {
    g_autofree char *shown = describe_unparsed_url (api_url);
    g_autofree char *problem = NULL;

    /* GUri's message may quote the URL, so it is held back with it; and
     * it quotes it raw, so it is made printable like any setting. */
    if (strchr (api_url, '@') != NULL) {
      problem = g_strdup ("is not a valid URL");
    } else {
      g_autofree char *reason = jimmy_text_quote (local_error->message, -1);
      problem = g_strdup_printf ("is not a valid URL (%s)", reason);
    }

    set_invalid_api_url (error, shown, problem, API_URL_ADVICE);
    return NULL;
  }

  if (!check_api_uri (uri, error))
    return NULL;

  return g_steal_pointer (&uri);
}

/* The path as it goes on the wire, whichever flags @uri was parsed with. */
static char *
dup_encoded_path (GUri *uri)
{
  const char *path = g_uri_get_path (uri);

  if (g_uri_get_flags (uri) & (G_URI_FLAGS_ENCODED | G_URI_FLAGS_ENCODED_PATH))
    return g_strdup (path);

  return g_uri_escape_string (path, G_URI_RESERVED_CHARS_ALLOWED_IN_PATH,
      FALSE);
}

/**
 * jimmy_api_build_task_uri:
 * @api_uri: the api url, as returned by jimmy_api_parse_api_url().
 * @task_id: the task id; validated here.
 * @error: a %JIMMY_CLIENT_ERROR_INVALID_ARGUMENT error.
 *
 * The id becomes exactly one path segment: every byte outside RFC 3986's
 * unreserved set is percent-encoded, so '/', '?', '#' and '%' in an id can
 * neither change the path nor add a query.
 *
 * Returns: (transfer full): the task's query URL, with %G_URI_FLAGS_ENCODED,
 *   or %NULL if @task_id is not usable.
 */
GUri *
jimmy_api_build_task_uri (GUri *api_uri, const char *task_id, GError **error)
{
  g_autofree char *base_path = NULL;
  g_autofree char *escaped_id = NULL;
  g_autofree char *path = NULL;
  gsize length;

  g_return_val_if_fail (api_uri != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!jimmy_api_validate_task_id (task_id, error))
    return NULL;

  base_path = dup_encoded_path (api_uri);
  length = strlen (base_path);
  while (length > 0 && base_path[length - 1] == '/')
    base_path[--length] = '\0';

  escaped_id = g_uri_escape_string (task_id, NULL, FALSE);
  path = g_strconcat (base_path, JIMMY_API_TASK_PATH, escaped_id, NULL);

  return g_uri_build (G_URI_FLAGS_ENCODED, g_uri_get_scheme (api_uri), NULL,
      g_uri_get_host (api_uri), g_uri_get_port (api_uri), path, NULL, NULL);
}

/**
 * jimmy_api_validate_media_url:
 * @url: (nullable): a URL the service sent.
 * @field: the JSON field it came from, e.g. "audioUrl".
 * @task_id: (nullable): the task it belongs to, for the message.
 * @error: a %JIMMY_CLIENT_ERROR_MALFORMED error.
 *
 * Returns: whether @url is an http or https URL with a host.
 */
gboolean
jimmy_api_validate_media_url (const char *url, const char *field,
    const char *task_id, GError **error)
{
  g_autoptr(GUri) uri = NULL;
  g_autofree char *where = NULL;
  g_autofree char *shown = NULL;

  g_return_val_if_fail (field != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (url != NULL && !has_control_or_space (url)) {
    uri = g_uri_parse (url, G_URI_FLAGS_ENCODED, NULL);
    if (uri != NULL && is_http_scheme (g_uri_get_scheme (uri)) &&
        has_usable_host (uri))
      return TRUE;
  }

  if (task_id != NULL) {
    g_autofree char *quoted_id = jimmy_text_quote (task_id, -1);

    where = g_strdup_printf ("Task \"%s\"", quoted_id);
  } else {
    where = g_strdup ("The task");
  }

  if (url == NULL) {
    g_set_error (error, JIMMY_CLIENT_ERROR, JIMMY_CLIENT_ERROR_MALFORMED,
        "%s has no %s.", where, field);
    return FALSE;
  }

  shown = jimmy_text_quote (url, -1);
  g_set_error (error, JIMMY_CLIENT_ERROR, JIMMY_CLIENT_ERROR_MALFORMED,
      "%s: %s is not an http or https URL (\"%s\").", where, field, shown);
  return FALSE;
}

/* -1 when @uri's scheme has no default port we know of. */
static gint
get_effective_port (GUri *uri)
{
  const char *scheme = g_uri_get_scheme (uri);
  gint port = g_uri_get_port (uri);

  if (port != -1)
    return port;
  if (g_ascii_strcasecmp (scheme, "http") == 0)
    return 80;
  if (g_ascii_strcasecmp (scheme, "https") == 0)
    return 443;

  return -1;
}

/**
 * jimmy_api_same_origin:
 * @a: (nullable): a URL.
 * @b: (nullable): another URL.
 *
 * Whether @a and @b have the same scheme, host and port, so that what is
 * sent to one (the API key) may be sent to the other.
 *
 * Returns: %TRUE if they do; %FALSE if either is %NULL or has no host.
 */
gboolean
jimmy_api_same_origin (GUri *a, GUri *b)
{
  const char *host_a;
  const char *host_b;

  if (a == NULL || b == NULL)
    return FALSE;

  host_a = g_uri_get_host (a);
  host_b = g_uri_get_host (b);
  if (host_a == NULL || host_b == NULL || host_a[0] == '\0')
    return FALSE;

  return g_ascii_strcasecmp (g_uri_get_scheme (a),
      g_uri_get_scheme (b)) == 0 &&
      g_ascii_strcasecmp (host_a, host_b) == 0 &&
      get_effective_port (a) == get_effective_port (b);
}
