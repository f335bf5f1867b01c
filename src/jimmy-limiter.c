/* jimmy-limiter.c: request slots per origin and overall, handed out in a
 * fair order.
 *
 * Every poll needs a slot while its request is in flight. An *origin* is
 * the scheme, host and port of the API the poll goes to: what libsoup
 * keeps its per-host connections by. The rules, with P = per_origin,
 * T = total and R = reserved (S = T - R is the shared part):
 *
 * 1. An origin never has more than P requests in flight.
 * 2. Never more than T are in flight in all.
 * 3. An origin that already has a request in flight gets another only
 *    while fewer than S are in flight in all. Its first one needs only
 *    rule 2.
 *
 * What that guarantees, however many origins hang (accept requests and
 * never answer): only rule 3 lets an origin hold more than one slot, so
 * the slots held beyond each origin's first number at most S - 1 in all,
 * and the total reaches T only when at least R + 1 origins have a request
 * in flight. An origin with nothing in flight is therefore admitted at
 * once unless R + 1 *other* origins each have a request in flight; beyond
 * its first request it gets what the others leave of S (k origins stuck
 * at P leave S - k P).
 *
 * Order: within an origin, queued slots are served first in, first out
 * (the jobs queue when their poll falls due, so in the order of their
 * due times). Origins with queued slots that are below P take turns:
 * each admission sends its origin to the back of the line.
 *
 * Pure bookkeeping, no I/O and no lock: the poller thread uses it.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "jimmy-limiter.h"

#include <string.h>

struct _JimmyOrigin {
  char *key;                    /* (owned) */
  guint ref_count;              /* slots initialised with it */
  guint in_flight;
  GQueue queue;                 /* JimmySlot*, QUEUED, first in first out */
  GList turn_link;              /* in limiter->turns while it has a turn */
};

struct _JimmyLimiter {
  JimmyLimits limits;
  GHashTable *origins;          /* (owned) key → JimmyOrigin, owned */
  GQueue turns;                 /* JimmyOrigin*: queued slots, below P */
  guint in_flight;
};

/**
 * jimmy_limits_init:
 * @per_origin: at least 1
 * @total: at least 1
 *
 * The reserve is a quarter of @total (at least 1): with the defaults, as
 * many slots as one origin may hold.
 */
void
jimmy_limits_init (JimmyLimits * limits, guint per_origin, guint total)
{
  g_return_if_fail (per_origin >= 1 && total >= 1);

  limits->per_origin = per_origin;
  limits->total = total;
  limits->reserved = MAX (total / 4, 1);
}

static guint
limit_from_environment (const char *name, guint fallback)
{
  const char *value = g_getenv (name);
  g_autoptr (GError) error = NULL;
  guint64 parsed;

  if (value == NULL || value[0] == '\0')
    return fallback;
  if (!g_ascii_string_to_unsigned (value, 10, 1, JIMMY_LIMIT_MAX, &parsed,
          &error)) {
    g_warning ("%s=\"%s\" is not a whole number from 1 to %u; using %u "
        "instead. Fix or unset it.", name, value, JIMMY_LIMIT_MAX, fallback);
    return fallback;
  }
  return (guint) parsed;
}

/**
 * jimmy_limits_init_from_environment:
 *
 * JIMMY_MAX_REQUESTS_PER_ORIGIN and JIMMY_MAX_REQUESTS when they are set
 * (an invalid value is warned about and ignored), the defaults otherwise.
 */
void
jimmy_limits_init_from_environment (JimmyLimits * limits)
{
  guint per_origin = limit_from_environment (JIMMY_LIMIT_ENV_PER_ORIGIN,
      JIMMY_LIMIT_DEFAULT_PER_ORIGIN);
  guint total = limit_from_environment (JIMMY_LIMIT_ENV_TOTAL,
      JIMMY_LIMIT_DEFAULT_TOTAL);

  jimmy_limits_init (limits, per_origin, total);
}

/**
 * jimmy_origin_key_for_uri:
 * @uri: an http or https URL with a host
 *
 * Returns: (transfer full): "scheme://host:port", lowercase, with the
 * scheme's default port filled in: the same for every URL libsoup would
 * send over the same connections.
 */
char *
jimmy_origin_key_for_uri (GUri * uri)
{
  g_autofree char *scheme = g_ascii_strdown (g_uri_get_scheme (uri), -1);
  g_autofree char *host = g_ascii_strdown (g_uri_get_host (uri), -1);
  gint port = g_uri_get_port (uri);

  if (port < 0)
    port = g_str_equal (scheme, "https") ? 443 : 80;
  /* GUri gives IPv6 literals without their brackets. */
  if (strchr (host, ':') != NULL)
    return g_strdup_printf ("%s://[%s]:%d", scheme, host, port);
  return g_strdup_printf ("%s://%s:%d", scheme, host, port);
}

static void
origin_free (JimmyOrigin * origin)
{
  g_assert (origin->ref_count == 0 && origin->in_flight == 0);
  g_assert (g_queue_is_empty (&origin->queue));
  g_free (origin->key);
  g_free (origin);
}

JimmyLimiter *
jimmy_limiter_new (const JimmyLimits * limits)
{
  JimmyLimiter *self = g_new0 (JimmyLimiter, 1);

  g_return_val_if_fail (limits->per_origin >= 1, NULL);
  g_return_val_if_fail (limits->reserved >= 1, NULL);
  g_return_val_if_fail (limits->reserved <= limits->total, NULL);

  self->limits = *limits;
  self->origins = g_hash_table_new (g_str_hash, g_str_equal);
  g_queue_init (&self->turns);
  return self;
}

/* Every slot must have been cleared. */
void
jimmy_limiter_free (JimmyLimiter * self)
{
  if (self == NULL)
    return;

  g_assert (g_hash_table_size (self->origins) == 0);
  g_hash_table_unref (self->origins);
  g_free (self);
}

const JimmyLimits *
jimmy_limiter_get_limits (JimmyLimiter * self)
{
  return &self->limits;
}

void
jimmy_slot_init (JimmyLimiter * self, JimmySlot * slot,
    const char *origin_key)
{
  JimmyOrigin *origin = g_hash_table_lookup (self->origins, origin_key);

  if (origin == NULL) {
    origin = g_new0 (JimmyOrigin, 1);
    origin->key = g_strdup (origin_key);
    g_queue_init (&origin->queue);
    origin->turn_link.data = origin;
    g_hash_table_insert (self->origins, origin->key, origin);
  }
  origin->ref_count++;

  slot->origin = origin;
  slot->state = JIMMY_SLOT_IDLE;
  slot->link.data = slot;
  slot->link.prev = slot->link.next = NULL;
}

/* Leaves the queue if queued; a slot still holding is a programmer
 * error: release it first. */
void
jimmy_slot_clear (JimmyLimiter * self, JimmySlot * slot)
{
  JimmyOrigin *origin = slot->origin;

  g_return_if_fail (slot->state != JIMMY_SLOT_HOLDING);

  if (origin == NULL)
    return;
  if (slot->state == JIMMY_SLOT_QUEUED)
    jimmy_limiter_dequeue (self, slot);
  slot->origin = NULL;
  if (--origin->ref_count == 0) {
    g_hash_table_remove (self->origins, origin->key);
    origin_free (origin);
  }
}

/* g_queue_unlink() leaves an unlinked link's pointers NULL. */
static gboolean
has_turn (JimmyLimiter * self, JimmyOrigin * origin)
{
  return self->turns.head == &origin->turn_link ||
      origin->turn_link.prev != NULL;
}

/* Keeps the invariant: an origin is in the line for a turn exactly when
 * it has queued slots and is below its own limit. A newcomer goes to the
 * back. */
static void
update_turn (JimmyLimiter * self, JimmyOrigin * origin)
{
  gboolean wants = !g_queue_is_empty (&origin->queue) &&
      origin->in_flight < self->limits.per_origin;
  gboolean queued = has_turn (self, origin);

  if (wants && !queued)
    g_queue_push_tail_link (&self->turns, &origin->turn_link);
  else if (!wants && queued)
    g_queue_unlink (&self->turns, &origin->turn_link);
}

/**
 * jimmy_limiter_enqueue:
 *
 * Queues @slot (idle) behind its origin's queued slots. It is handed out
 * by jimmy_limiter_admit_next().
 */
void
jimmy_limiter_enqueue (JimmyLimiter * self, JimmySlot * slot)
{
  g_return_if_fail (slot->state == JIMMY_SLOT_IDLE);

  slot->state = JIMMY_SLOT_QUEUED;
  g_queue_push_tail_link (&slot->origin->queue, &slot->link);
  update_turn (self, slot->origin);
}

/* Takes a queued @slot out of its origin's queue, back to idle. */
void
jimmy_limiter_dequeue (JimmyLimiter * self, JimmySlot * slot)
{
  g_return_if_fail (slot->state == JIMMY_SLOT_QUEUED);

  g_queue_unlink (&slot->origin->queue, &slot->link);
  slot->state = JIMMY_SLOT_IDLE;
  update_turn (self, slot->origin);
}

static gboolean
may_admit (JimmyLimiter * self, JimmyOrigin * origin)
{
  const JimmyLimits *l = &self->limits;

  if (self->in_flight >= l->total)
    return FALSE;
  return origin->in_flight == 0 || self->in_flight < l->total - l->reserved;
}

/**
 * jimmy_limiter_admit_next:
 *
 * Admits the next queued slot the rules allow: the head of the first
 * origin in line that may have one more request in flight. That origin
 * goes to the back of the line.
 *
 * Returns: (nullable): the slot, now holding, or %NULL when none may go.
 */
JimmySlot *
jimmy_limiter_admit_next (JimmyLimiter * self)
{
  GList *l;

  if (self->in_flight >= self->limits.total)
    return NULL;

  for (l = self->turns.head; l != NULL; l = l->next) {
    JimmyOrigin *origin = l->data;
    JimmySlot *slot;

    if (!may_admit (self, origin))
      continue;

    slot = g_queue_pop_head_link (&origin->queue)->data;
    slot->state = JIMMY_SLOT_HOLDING;
    origin->in_flight++;
    self->in_flight++;
    g_queue_unlink (&self->turns, &origin->turn_link);
    update_turn (self, origin);
    return slot;
  }
  return NULL;
}

/* Gives the slot back, idle: its request has returned. */
void
jimmy_limiter_release (JimmyLimiter * self, JimmySlot * slot)
{
  g_return_if_fail (slot->state == JIMMY_SLOT_HOLDING);

  slot->state = JIMMY_SLOT_IDLE;
  slot->origin->in_flight--;
  self->in_flight--;
  update_turn (self, slot->origin);
}

/**
 * jimmy_limiter_get_in_flight:
 * @origin_key: (nullable): an origin, or %NULL for all
 *
 * Returns: how many slots are held.
 */
guint
jimmy_limiter_get_in_flight (JimmyLimiter * self, const char *origin_key)
{
  JimmyOrigin *origin;

  if (origin_key == NULL)
    return self->in_flight;
  origin = g_hash_table_lookup (self->origins, origin_key);
  return origin != NULL ? origin->in_flight : 0;
}
