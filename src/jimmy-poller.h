/* jimmy-poller.h: waits on tasks, for a whole process, from one thread.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <gio/gio.h>

#include "jimmy-error.h"
#include "jimmy-poll-options.h"
#include "jimmy-task.h"
#include "jimmy-wait.h"

G_BEGIN_DECLS

#define JIMMY_TYPE_POLLER (jimmy_poller_get_type ())
G_DECLARE_FINAL_TYPE (JimmyPoller, jimmy_poller, JIMMY, POLLER, GObject)

JimmyPoller *jimmy_poller_new (void);
JimmyPoller *jimmy_poller_dup_default (void);
GMainContext *jimmy_poller_get_main_context (JimmyPoller *self);

void jimmy_poller_wait_async (JimmyPoller *self,
                              const JimmyPollOptions *options,
                              JimmyTaskUpdateFunc update_func,
                              gpointer update_data,
                              GDestroyNotify update_data_destroy,
                              GCancellable *cancellable,
                              GAsyncReadyCallback callback,
                              gpointer user_data);
JimmyTask *jimmy_poller_wait_finish (JimmyPoller *self,
                                     GAsyncResult *result,
                                     JimmyPollFailure *failure,
                                     GError **error);

G_END_DECLS
