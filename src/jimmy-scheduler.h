/* jimmy-scheduler.h: many timers, one GSource (private to the client).
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct _JimmyScheduler JimmyScheduler;

typedef void (*JimmyTimerFunc) (gpointer data);

/* Embedded in the struct it wakes up; zero-initialised is "unscheduled". */
typedef struct {
  GSequenceIter *iter;
  gint64 due_us;
  guint64 serial;
  JimmyTimerFunc func;
  gpointer data;
} JimmyTimer;

JimmyScheduler *jimmy_scheduler_new (GMainContext *context);
void jimmy_scheduler_free (JimmyScheduler *self);

void jimmy_timer_init (JimmyTimer *timer, JimmyTimerFunc func,
    gpointer data);
gboolean jimmy_timer_is_scheduled (const JimmyTimer *timer);

void jimmy_scheduler_add (JimmyScheduler *self, JimmyTimer *timer,
    gint64 due_us);
void jimmy_scheduler_remove (JimmyScheduler *self, JimmyTimer *timer);

G_END_DECLS
