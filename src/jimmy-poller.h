/* jimmy-poller.h: waits on tasks, for a whole process, from one thread.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <gio/gio.h>

#include "jimmy-error.h"
#include "jimmy-poll-options.h"
#include "jimmy-task.h"

G_BEGIN_DECLS

/**
 * JimmyPollFailure:
 * @http_status: the HTTP status behind the error, 0 if there was none.
 * @api_code: the envelope `code` behind the error, if @has_api_code.
 * @has_api_code: whether @api_code is set.
 * @task_status: the last status the service reported (owned, nullable).
 *
 * Details of a failed wait, for applications that want more than the
 * error message.
 */
typedef struct {
  guint http_status;
  gint api_code;
  gboolean has_api_code;
  char *task_status;
} JimmyPollFailure;

void jimmy_poll_failure_clear (JimmyPollFailure *failure);

/**
 * JimmyTaskUpdateFunc:
 * @task: the task as just reported; valid during the call only.
 * @user_data: the update data given to jimmy_poller_wait_async().
 *
 * Called on the first status observed and on every status change.
 */
typedef void (*JimmyTaskUpdateFunc) (const JimmyTask *task,
                                     gpointer user_data);

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
