/* jimmy-limiter.h: request slots per origin and overall, handed out in a
 * fair order (private to the client).
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Defaults; the environment variables of the same meaning override them
 * for every poller created afterwards. */
#define JIMMY_LIMIT_DEFAULT_PER_ORIGIN 256
#define JIMMY_LIMIT_DEFAULT_TOTAL 1024
#define JIMMY_LIMIT_MAX 65535
#define JIMMY_LIMIT_ENV_PER_ORIGIN "JIMMY_MAX_REQUESTS_PER_ORIGIN"
#define JIMMY_LIMIT_ENV_TOTAL "JIMMY_MAX_REQUESTS"

/**
 * JimmyLimits:
 * @per_origin: requests in flight to one origin at most.
 * @total: requests in flight in all at most.
 * @reserved: the top @reserved of @total only go to an origin's first
 *   request: an origin that already has one in flight gets another only
 *   while fewer than @total - @reserved are in flight.
 */
typedef struct {
  guint per_origin;
  guint total;
  guint reserved;
} JimmyLimits;

void jimmy_limits_init (JimmyLimits *limits,
                        guint per_origin,
                        guint total);
void jimmy_limits_init_from_environment (JimmyLimits *limits);

typedef struct _JimmyLimiter JimmyLimiter;
typedef struct _JimmyOrigin JimmyOrigin;

typedef enum {
  JIMMY_SLOT_IDLE,              /* neither waiting nor holding */
  JIMMY_SLOT_QUEUED,            /* waiting for a slot */
  JIMMY_SLOT_HOLDING,           /* has one: its request is in flight */
} JimmySlotState;

/* Embedded in whatever needs request slots (a job), one at a time. */
typedef struct {
  JimmyOrigin *origin;          /* (owned) a ref, from jimmy_slot_init() */
  JimmySlotState state;
  GList link;                   /* in its origin's queue while QUEUED */
} JimmySlot;

JimmyLimiter *jimmy_limiter_new (const JimmyLimits *limits);
void jimmy_limiter_free (JimmyLimiter *self);
const JimmyLimits *jimmy_limiter_get_limits (JimmyLimiter *self);

void jimmy_slot_init (JimmyLimiter *self,
                      JimmySlot *slot,
                      const char *origin_key);
void jimmy_slot_clear (JimmyLimiter *self,
                       JimmySlot *slot);

void jimmy_limiter_enqueue (JimmyLimiter *self,
                            JimmySlot *slot);
void jimmy_limiter_dequeue (JimmyLimiter *self,
                            JimmySlot *slot);
JimmySlot *jimmy_limiter_admit_next (JimmyLimiter *self);
void jimmy_limiter_release (JimmyLimiter *self,
                            JimmySlot *slot);

char *jimmy_origin_key_for_uri (GUri *uri);

guint jimmy_limiter_get_in_flight (JimmyLimiter *self,
                                   const char *origin_key);

G_END_DECLS
