/* jimmy-wait.h: what the caller of a wait on a task gives and gets back,
 * besides the options: the update callback and the failure details.
 *
 * Shared by the poller (the public face) and its jobs (which call the one
 * and fill the other), so that neither has to include the other.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <glib.h>

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
 * JimmyWaitCounts:
 * @polls: requests sent for the task
 * @retries: failed polls that were retried
 * @http_4xx: failed polls answered with a 4xx status
 * @http_5xx: failed polls answered with a 5xx status
 * @transport: failed polls without an HTTP status (connection, TLS,
 *   timeout) or with a body that could not be read
 *
 * What the poller did for the waits that were given these counts (see
 * #JimmyPollOptions.counts), counted while they were attached: a wait
 * that joins a job polling the same task counts that job's polls from
 * then on. Reference-counted; the poller thread adds to the fields with
 * g_atomic_int_inc(), so read them with g_atomic_int_get() from any
 * thread.
 */
typedef struct {
  gatomicrefcount ref_count;
  gint polls;
  gint retries;
  gint http_4xx;
  gint http_5xx;
  gint transport;
} JimmyWaitCounts;

JimmyWaitCounts *jimmy_wait_counts_new (void);
JimmyWaitCounts *jimmy_wait_counts_ref (JimmyWaitCounts *counts);
void jimmy_wait_counts_unref (JimmyWaitCounts *counts);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (JimmyWaitCounts, jimmy_wait_counts_unref)

/**
 * JimmyTaskUpdateFunc:
 * @task: the task as just reported; valid during the call only.
 * @user_data: the update data given to jimmy_poller_wait_async().
 *
 * Called on the first status observed and on every status change.
 */
typedef void (*JimmyTaskUpdateFunc) (const JimmyTask *task,
                                     gpointer user_data);

G_END_DECLS
