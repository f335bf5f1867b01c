/* jimmy-backoff.h: how long to wait before retrying a failed poll.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Retry delays never grow past this (unless Retry-After asks for more). */
#define JIMMY_BACKOFF_MAX_DELAY_MS (60 * 1000)

/* Retry-After values beyond this are clamped: a day is "much later". */
#define JIMMY_BACKOFF_MAX_RETRY_AFTER_S (24 * 60 * 60)

gint64 jimmy_backoff_delay_us (guint failures,
                               guint base_ms,
                               double random01);
gboolean jimmy_backoff_parse_retry_after (const char *value,
                                          GDateTime *now,
                                          gint64 *out_delay_us);

G_END_DECLS
