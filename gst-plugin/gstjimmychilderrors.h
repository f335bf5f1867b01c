/* gstjimmychilderrors.h: what the chains' elements report, said for the
 * task.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <gst/gst.h>

G_BEGIN_DECLS

/**
 * GstJimmyChildError:
 * @domain: @code: what the element posts instead
 * @text: (owned): the sentence for users, naming the task
 * @debug: (owned) (nullable): the child's debug text
 * @http_status: from the child's error details, or 0
 */
typedef struct
{
  GQuark domain;
  gint code;
  gchar *text;
  gchar *debug;
  guint http_status;
} GstJimmyChildError;

void gst_jimmy_child_error_clear (GstJimmyChildError *error);

gboolean gst_jimmy_is_web_content (const gchar *media_type);
guint gst_jimmy_child_error_http_status (GstMessage *message);
void gst_jimmy_child_error_explain (GstMessage *message,
                                    const gchar *task_id,
                                    const gchar *what,
                                    GstCaps *caps,
                                    GstJimmyChildError *out);
gchar *gst_jimmy_not_audio_text (const gchar *task_id,
                                 const gchar *media_type);

G_END_DECLS
