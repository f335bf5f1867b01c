/* blackhole.h: a media host that accepts connections and never answers.
 *
 * The kernel accepts connections into a listening socket's backlog and
 * nobody reads them: souphttpsrc waits for response headers until it is
 * stopped, and never streams (see docs/reliability.md, "Known upstream
 * problems", for why tests that stop souphttpsrc at random want that).
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <gio/gio.h>

GSocket *test_blackhole_open (char **base_url, GError **error);
