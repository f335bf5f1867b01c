/* gstjimmymessages.h: what jimmyaudiosrc tells the application.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <gst/gst.h>

#include "jimmy-poller.h"

G_BEGIN_DECLS

/* Name of the element message posted on every task status change. */
#define GST_JIMMY_TASK_STATUS_MESSAGE "jimmy-task-status"

GstMessage *gst_jimmy_task_status_message_new (GstElement *element,
                                               const JimmyTask *task);
void gst_jimmy_post_error (GstElement *element,
                           GQuark domain,
                           gint code,
                           const char *task_id,
                           const char *text,
                           const char *debug,
                           const JimmyPollFailure *failure);
void gst_jimmy_post_warning (GstElement *element,
                             GQuark domain,
                             gint code,
                             const char *task_id,
                             const char *text,
                             const char *debug);
void gst_jimmy_post_client_error (GstElement *element,
                                  const char *task_id,
                                  const GError *error,
                                  const JimmyPollFailure *failure);

G_END_DECLS
