/* jimmy-job.h: the poller thread's state, its jobs and their waiters
 * (private to the client).
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <gio/gio.h>

#include "jimmy-limiter.h"
#include "jimmy-poll-options.h"
#include "jimmy-wait.h"

G_BEGIN_DECLS

typedef struct _JimmyWorker JimmyWorker;
typedef struct _JimmyWaiter JimmyWaiter;

JimmyWorker *jimmy_worker_new (GMainContext *context,
                               const JimmyLimits *limits);
void jimmy_worker_free (JimmyWorker *worker);
void jimmy_worker_drain (JimmyWorker *worker);

JimmyWaiter *jimmy_waiter_new (GTask *task,
                               const JimmyPollOptions *options,
                               JimmyTaskUpdateFunc update_func,
                               gpointer update_data,
                               GDestroyNotify update_data_destroy);
JimmyWaiter *jimmy_waiter_ref (JimmyWaiter *waiter);
void jimmy_waiter_unref (JimmyWaiter *waiter);
void jimmy_waiter_steal_failure (JimmyWaiter *waiter,
                                 JimmyPollFailure *failure);

void jimmy_worker_attach (JimmyWorker *worker,
                          JimmyWaiter *waiter);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (JimmyWaiter, jimmy_waiter_unref)

G_END_DECLS
