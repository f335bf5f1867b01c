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
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "jimmy-proxy.h"

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

/* The lowercase variable wins when both are set and not empty. */
static const char *
getenv_nonempty (const char *lower, const char *upper)
{
  const char *value = g_getenv (lower);

  if (value == NULL || *value == '\0')
    value = g_getenv (upper);
  return value != NULL && *value != '\0' ? value : NULL;
}

static GProxyResolver *
proxy_resolver_from_environment (void)
{
  const char *http_proxy = getenv_nonempty ("http_proxy", "HTTP_PROXY");
  const char *https_proxy = getenv_nonempty ("https_proxy", "HTTPS_PROXY");
  const char *no_proxy = getenv_nonempty ("no_proxy", "NO_PROXY");
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
 * Returns: (transfer full) (nullable): the resolver, or %NULL when every
 * request goes direct.
 */
GProxyResolver *
jimmy_proxy_resolver_new (const char *proxy)
{
  if (proxy == NULL)
    return proxy_resolver_from_environment ();
  if (*proxy == '\0')
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
