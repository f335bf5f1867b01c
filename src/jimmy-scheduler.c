/* jimmy-scheduler.c: many timers, one GSource.
 *
 * Thousands of waiting tasks each need a wake-up at some point in the
 * future. One GSource per wake-up makes every main-loop iteration scan all
 * of them; here the timers live in a GSequence ordered by due time (a
 * balanced tree: O(log n) insert and remove) and a single GSource sleeps
 * until the earliest one.
 *
 * Not thread-safe: use it from the thread that runs its main context.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "jimmy-scheduler.h"

typedef struct {
  GSource parent;
  JimmyScheduler *scheduler;
} JimmySchedulerSource;

struct _JimmyScheduler {
  GSource *source;              /* (owned) */
  GSequence *timers;            /* (owned) JimmyTimer*, ordered by due */
  guint64 next_serial;
};

static gint
compare_timers (gconstpointer a, gconstpointer b, gpointer user_data)
{
  const JimmyTimer *ta = a, *tb = b;

  if (ta->due_us != tb->due_us)
    return ta->due_us < tb->due_us ? -1 : 1;
  /* Equal due times fire in the order they were scheduled. */
  if (ta->serial != tb->serial)
    return ta->serial < tb->serial ? -1 : 1;
  return 0;
}

static void
update_ready_time (JimmyScheduler * self)
{
  GSequenceIter *first = g_sequence_get_begin_iter (self->timers);

  if (g_sequence_iter_is_end (first)) {
    g_source_set_ready_time (self->source, -1);
  } else {
    JimmyTimer *timer = g_sequence_get (first);
    g_source_set_ready_time (self->source, timer->due_us);
  }
}

static JimmyTimer *
pop_due_timer (JimmyScheduler * self, gint64 now, guint64 serial_limit)
{
  GSequenceIter *first = g_sequence_get_begin_iter (self->timers);
  JimmyTimer *timer;

  if (g_sequence_iter_is_end (first))
    return NULL;

  timer = g_sequence_get (first);
  /* Timers scheduled by a callback during this dispatch wait for the next
   * one, so a callback that re-arms itself "now" cannot spin us. */
  if (timer->due_us > now || timer->serial >= serial_limit)
    return NULL;

  g_sequence_remove (first);
  timer->iter = NULL;
  return timer;
}

static gboolean
scheduler_source_dispatch (GSource * source, GSourceFunc callback,
    gpointer user_data)
{
  JimmyScheduler *self = ((JimmySchedulerSource *) source)->scheduler;
  gint64 now = g_get_monotonic_time ();
  guint64 serial_limit = self->next_serial;
  JimmyTimer *timer;

  while ((timer = pop_due_timer (self, now, serial_limit)) != NULL)
    timer->func (timer->data);

  update_ready_time (self);
  return G_SOURCE_CONTINUE;
}

static GSourceFuncs scheduler_source_funcs = {
  .dispatch = scheduler_source_dispatch,
};

/**
 * jimmy_scheduler_new:
 * @context: the main context whose thread will run the timers
 *
 * Returns: (transfer full): a scheduler with no timers.
 */
JimmyScheduler *
jimmy_scheduler_new (GMainContext * context)
{
  JimmyScheduler *self = g_new0 (JimmyScheduler, 1);
  JimmySchedulerSource *source;

  self->timers = g_sequence_new (NULL);
  self->source = g_source_new (&scheduler_source_funcs,
      sizeof (JimmySchedulerSource));
  source = (JimmySchedulerSource *) self->source;
  source->scheduler = self;
  g_source_set_name (self->source, "JimmyScheduler");
  g_source_set_ready_time (self->source, -1);
  g_source_attach (self->source, context);

  return self;
}

/* Timers still scheduled are dropped without being called. */
void
jimmy_scheduler_free (JimmyScheduler * self)
{
  GSequenceIter *iter;

  if (self == NULL)
    return;

  for (iter = g_sequence_get_begin_iter (self->timers);
      !g_sequence_iter_is_end (iter); iter = g_sequence_iter_next (iter)) {
    JimmyTimer *timer = g_sequence_get (iter);
    timer->iter = NULL;
  }
  g_sequence_free (self->timers);
  g_source_destroy (self->source);
  g_source_unref (self->source);
  g_free (self);
}

void
jimmy_timer_init (JimmyTimer * timer, JimmyTimerFunc func, gpointer data)
{
  timer->iter = NULL;
  timer->due_us = 0;
  timer->serial = 0;
  timer->func = func;
  timer->data = data;
}

gboolean
jimmy_timer_is_scheduled (const JimmyTimer * timer)
{
  return timer->iter != NULL;
}

/**
 * jimmy_scheduler_add:
 * @timer: an initialised timer; moved if it is already scheduled
 * @due_us: monotonic time (g_get_monotonic_time()) at which it fires
 *
 * The timer's function runs once, on the scheduler's context, at or after
 * @due_us, unless the timer is removed first.
 */
void
jimmy_scheduler_add (JimmyScheduler * self, JimmyTimer * timer,
    gint64 due_us)
{
  g_return_if_fail (timer->func != NULL);

  if (timer->iter != NULL)
    g_sequence_remove (timer->iter);

  timer->due_us = due_us;
  timer->serial = self->next_serial++;
  timer->iter = g_sequence_insert_sorted (self->timers, timer,
      compare_timers, NULL);
  update_ready_time (self);
}

void
jimmy_scheduler_remove (JimmyScheduler * self, JimmyTimer * timer)
{
  if (timer->iter == NULL)
    return;

  g_sequence_remove (timer->iter);
  timer->iter = NULL;
  update_ready_time (self);
}
