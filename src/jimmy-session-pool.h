/* jimmy-session-pool.h: one SoupSession per distinct HTTP configuration
 * (private to the client).
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <libsoup/soup.h>

#include "jimmy-poll-options.h"

G_BEGIN_DECLS

/* Requests in flight at once, per poller; also each session's connection
 * limit, so that libsoup never queues what we could queue ourselves. */
#define JIMMY_SESSION_MAX_CONNECTIONS 8

typedef struct _JimmySessionPool JimmySessionPool;

JimmySessionPool *jimmy_session_pool_new (void);
void jimmy_session_pool_free (JimmySessionPool *self);

SoupSession *jimmy_session_pool_get (JimmySessionPool *self,
                                     const JimmyPollOptions *options);

G_END_DECLS
