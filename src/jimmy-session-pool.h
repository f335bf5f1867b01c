/* jimmy-session-pool.h: one SoupSession per distinct HTTP configuration
 * (private to the client).
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <libsoup/soup.h>

#include "jimmy-poll-options.h"

G_BEGIN_DECLS

typedef struct _JimmySessionPool JimmySessionPool;

JimmySessionPool *jimmy_session_pool_new (guint max_conns,
                                          guint max_conns_per_host);
void jimmy_session_pool_free (JimmySessionPool *self);

SoupSession *jimmy_session_pool_get (JimmySessionPool *self,
                                     const JimmyPollOptions *options);

G_END_DECLS
