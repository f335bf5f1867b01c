/* jimmy-proxy.c: which proxy, if any, an HTTP request takes.
 *
 * One rule for the API requests (libsoup sessions of the poller) and the
 * downloads (souphttpsrc, which is handed the answer for its URL): an
 * explicit proxy URI is used for everything, "" means none, and unset
 * reads the conventional variables like curl does: http_proxy for http,
 * https_proxy for https, no_proxy for the hosts that go direct. Left to
 * itself, souphttpsrc would use $http_proxy for every URL and ignore
 * $no_proxy, and GIO's default resolver would ask the desktop's proxy
 * settings (libproxy, on worker threads) for every connection.
 *
 * Nothing reaches GIO that it would refuse: GSimpleProxyResolver prints
 * CRITICALs for a proxy that is not a URI (`127.0.0.1:3128`) and then
 * goes direct. jimmy_proxy_validate() turns those into errors; the
 * environment's values get curl's and souphttpsrc's leniency first
 * (`host:port` means `http://host:port`).
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "jimmy-proxy.h"

#include <string.h>

#include "jimmy-error.h"

#define HOW_TO_WRITE_IT "write it as http://host:port (or https://, " \
  "socks5://, with user:password@ before the host if the proxy needs them)"

/* The schemes GIO has a GProxy for ("socks" is GSimpleProxyResolver's
 * shorthand for the three SOCKS versions). */
static const char *const proxy_schemes[] = {
  "http", "https", "socks", "socks4", "socks4a", "socks5", NULL
};

/* @value with any user:password@ hidden, for messages. */
static char *
redact_userinfo (const char *value)
{
  const char *at = strrchr (value, '@');
  const char *start = strstr (value, "://");

  if (at == NULL)
    return g_strdup (value);
  start = start != NULL && start < at ? start + 3 : value;
  return g_strdup_printf ("%.*s…%s", (int) (start - value), value, at);
}

/* A DNS name or an IP address: GUri lets "bad host" through. */
static gboolean
is_host_name (const char *host)
{
  const char *c;

  if (host == NULL || *host == '\0')
    return FALSE;
  if (g_hostname_is_ip_address (host))
    return TRUE;
  for (c = host; *c != '\0'; c++)
    if (!g_ascii_isalnum (*c) && *c != '-' && *c != '.' && *c != '_')
      return FALSE;
  return TRUE;
}

/* Why @value is not a proxy URI GIO can use, or NULL when it is. */
static const char *
proxy_uri_problem (const char *value)
{
  g_autoptr (GUri) uri = g_uri_parse (value, G_URI_FLAGS_NONE, NULL);
  const char *path;

  if (uri == NULL || strstr (value, "://") == NULL)
    return "is not a proxy URI";
  if (!g_strv_contains (proxy_schemes, g_uri_get_scheme (uri)))
    return "has a scheme no proxy is reached by";
  if (!is_host_name (g_uri_get_host (uri)))
    return "does not name a valid host";
  path = g_uri_get_path (uri);
  if ((*path != '\0' && strcmp (path, "/") != 0)
      || g_uri_get_query (uri) != NULL || g_uri_get_fragment (uri) != NULL)
    return "has a path, query or fragment, which a proxy URI has not";
  return NULL;
}

/* An environment value as curl and souphttpsrc read it: without a
 * scheme, http://. */
static char *
normalize_environment_proxy (const char *value)
{
  if (strstr (value, "://") != NULL)
    return g_strdup (value);
  return g_strconcat ("http://", value, NULL);
}

static char **
split_no_proxy (const char *no_proxy)
{
  g_auto (GStrv) hosts = g_strsplit (no_proxy, ",", -1);
  g_autoptr (GStrvBuilder) builder = g_strv_builder_new ();
  guint i;

  for (i = 0; hosts[i] != NULL; i++) {
    const char *host = g_strstrip (hosts[i]);
    if (*host != '\0')
      g_strv_builder_add (builder, host);
  }
  return g_strv_builder_end (builder);
}

/* The lowercase variable wins when both are set and not empty.
 * @out_name: (out) (optional): which one was read */
static const char *
getenv_nonempty (const char *lower, const char *upper, const char **out_name)
{
  const char *value = g_getenv (lower);
  const char *name = lower;

  if (value == NULL || *value == '\0') {
    value = g_getenv (upper);
    name = upper;
  }
  if (out_name != NULL)
    *out_name = name;
  return value != NULL && *value != '\0' ? value : NULL;
}

/* The proxy a variable names, normalized, or NULL when unset or
 * unusable (jimmy_proxy_validate() reports those). */
static char *
environment_proxy (const char *lower, const char *upper, GError ** error)
{
  const char *name = NULL;
  const char *value = getenv_nonempty (lower, upper, &name);
  g_autofree char *proxy = NULL;
  g_autofree char *shown = NULL;
  const char *problem;

  if (value == NULL)
    return NULL;
  proxy = normalize_environment_proxy (value);
  problem = proxy_uri_problem (proxy);
  if (problem == NULL)
    return g_steal_pointer (&proxy);

  shown = redact_userinfo (value);
  g_set_error (error, JIMMY_CLIENT_ERROR, JIMMY_CLIENT_ERROR_INVALID_ARGUMENT,
      "The %s environment variable (\"%s\") %s: " HOW_TO_WRITE_IT
      ", or unset it.", name, shown, problem);
  return NULL;
}

/**
 * jimmy_proxy_validate:
 * @proxy: (nullable): a proxy URI; "" for none; %NULL for the environment.
 *
 * Checks that @proxy (or, when %NULL, each of http_proxy and https_proxy
 * in the environment) is a proxy URI that GIO and libsoup can use:
 * `http://`, `https://`, `socks://`, `socks4://`, `socks4a://` or
 * `socks5://`, a host, an optional port and user:password@. An
 * environment value without a scheme is taken as http://, as curl does.
 *
 * Returns: %TRUE when usable; otherwise %FALSE with a
 * %JIMMY_CLIENT_ERROR_INVALID_ARGUMENT error that says how to write it.
 * The message never shows a password.
 */
gboolean
jimmy_proxy_validate (const char *proxy, GError ** error)
{
  g_autofree char *http = NULL;
  g_autofree char *https = NULL;
  g_autofree char *shown = NULL;
  const char *problem;

  if (proxy == NULL) {
    GError *local_error = NULL;

    http = environment_proxy ("http_proxy", "HTTP_PROXY", &local_error);
    if (local_error == NULL)
      https = environment_proxy ("https_proxy", "HTTPS_PROXY", &local_error);
    if (local_error != NULL) {
      g_propagate_error (error, local_error);
      return FALSE;
    }
    return TRUE;
  }

  if (*proxy == '\0')
    return TRUE;
  problem = proxy_uri_problem (proxy);
  if (problem == NULL)
    return TRUE;

  shown = redact_userinfo (proxy);
  g_set_error (error, JIMMY_CLIENT_ERROR, JIMMY_CLIENT_ERROR_INVALID_ARGUMENT,
      "The proxy \"%s\" %s: " HOW_TO_WRITE_IT ", or set proxy to \"\" for "
      "none.", shown, problem);
  return FALSE;
}

static GProxyResolver *
proxy_resolver_from_environment (void)
{
  g_autofree char *http_proxy = environment_proxy ("http_proxy",
      "HTTP_PROXY", NULL);
  g_autofree char *https_proxy = environment_proxy ("https_proxy",
      "HTTPS_PROXY", NULL);
  const char *no_proxy = getenv_nonempty ("no_proxy", "NO_PROXY", NULL);
  g_auto (GStrv) ignore_hosts = NULL;
  GProxyResolver *resolver;

  if (http_proxy == NULL && https_proxy == NULL)
    return NULL;

  if (no_proxy != NULL)
    ignore_hosts = split_no_proxy (no_proxy);
  resolver = g_simple_proxy_resolver_new (NULL, ignore_hosts);
  if (http_proxy != NULL)
    g_simple_proxy_resolver_set_uri_proxy (G_SIMPLE_PROXY_RESOLVER (resolver),
        "http", http_proxy);
  if (https_proxy != NULL)
    g_simple_proxy_resolver_set_uri_proxy (G_SIMPLE_PROXY_RESOLVER (resolver),
        "https", https_proxy);
  return resolver;
}

/**
 * jimmy_proxy_resolver_new:
 * @proxy: (nullable): a proxy URI; "" for none; %NULL for the environment.
 *
 * Check @proxy with jimmy_proxy_validate() first: a value it refuses
 * (here or in the environment) is never handed to GIO, and counts as no
 * proxy.
 *
 * Returns: (transfer full) (nullable): the resolver, or %NULL when every
 * request goes direct.
 */
GProxyResolver *
jimmy_proxy_resolver_new (const char *proxy)
{
  if (proxy == NULL)
    return proxy_resolver_from_environment ();
  if (*proxy == '\0' || proxy_uri_problem (proxy) != NULL)
    return NULL;
  return g_simple_proxy_resolver_new (proxy, NULL);
}

/**
 * jimmy_proxy_for_uri:
 * @proxy: (nullable): as for jimmy_proxy_resolver_new().
 * @uri: the URI to be fetched.
 *
 * Returns: (transfer full): the proxy URI for @uri, or %JIMMY_PROXY_DIRECT.
 */
char *
jimmy_proxy_for_uri (const char *proxy, const char *uri)
{
  g_autoptr (GProxyResolver) resolver = jimmy_proxy_resolver_new (proxy);
  g_auto (GStrv) proxies = NULL;

  /* A GSimpleProxyResolver answers from memory: no I/O, no blocking. */
  if (resolver != NULL)
    proxies = g_proxy_resolver_lookup (resolver, uri, NULL, NULL);
  if (proxies == NULL || proxies[0] == NULL)
    return g_strdup (JIMMY_PROXY_DIRECT);
  return g_strdup (proxies[0]);
}
