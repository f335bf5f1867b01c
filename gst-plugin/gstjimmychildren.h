/* gstjimmychildren.h: making, and taking out, the bin's child elements.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <gst/gst.h>

#include "jimmy-poll-options.h"

G_BEGIN_DECLS

GstElement *gst_jimmy_make_child (GstElement *bin,
                                  const gchar *task_id,
                                  const gchar *factory,
                                  GError **error);
GstElement *gst_jimmy_make_http_src (GstElement *bin,
                                     const JimmyPollOptions *options,
                                     const gchar *factory,
                                     const gchar *url,
                                     GError **error);
void gst_jimmy_remove_children (GstBin *bin,
                                GstElement **elements,
                                guint n,
                                GDestroyNotify done,
                                gpointer done_data);
void gst_jimmy_remove_child (GstBin *bin,
                             GstElement *element);
void gst_jimmy_set_link_error (GError **error,
                               const gchar *task_id,
                               GstElement *from,
                               GstElement *to);

G_END_DECLS
