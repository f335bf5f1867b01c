/* jimmy-proxy.h: which proxy, if any, an HTTP request takes.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* What GIO calls "no proxy". */
#define JIMMY_PROXY_DIRECT "direct://"

gboolean jimmy_proxy_validate (const char *proxy, GError **error);
GProxyResolver *jimmy_proxy_resolver_new (const char *proxy);
char *jimmy_proxy_for_uri (const char *proxy, const char *uri);

G_END_DECLS
