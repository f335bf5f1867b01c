/* blackhole.c: a media host that accepts connections and never answers.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "blackhole.h"

/**
 * test_blackhole_open:
 * @base_url: (out): `http://127.0.0.1:PORT`, to put before a path
 *
 * Returns: (transfer full): the listening socket; close it with
 * g_socket_close() and unref it to make the host go away.
 */
GSocket *
test_blackhole_open (char **base_url, GError ** error)
{
  g_autoptr (GInetAddress) loopback =
      g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr (GSocketAddress) address =
      g_inet_socket_address_new (loopback, 0);
  g_autoptr (GSocketAddress) bound = NULL;
  g_autoptr (GSocket) socket = NULL;

  socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM,
      G_SOCKET_PROTOCOL_TCP, error);
  if (socket == NULL || !g_socket_bind (socket, address, TRUE, error))
    return NULL;
  /* Room for every connection a storm opens before the host goes away. */
  g_socket_set_listen_backlog (socket, 4096);
  if (!g_socket_listen (socket, error))
    return NULL;
  bound = g_socket_get_local_address (socket, error);
  if (bound == NULL)
    return NULL;
  *base_url = g_strdup_printf ("http://127.0.0.1:%u",
      g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound)));
  return g_steal_pointer (&socket);
}
