/* gstjimmysourcewatch.h: probes on a network audio source, for the
 * expired-URL recovery.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <gst/gst.h>

G_BEGIN_DECLS

typedef struct _GstJimmySourceWatch GstJimmySourceWatch;

GstJimmySourceWatch *gst_jimmy_source_watch_attach (GstElement *source,
                                                    gboolean resumed,
                                                    guint64 resume_offset);
GstJimmySourceWatch *gst_jimmy_source_watch_ref (GstJimmySourceWatch *watch);
void gst_jimmy_source_watch_unref (GstJimmySourceWatch *watch);
guint64 gst_jimmy_source_watch_get_position (GstJimmySourceWatch *watch);
void gst_jimmy_source_watch_hold_eos (GstJimmySourceWatch *watch);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (GstJimmySourceWatch,
    gst_jimmy_source_watch_unref)

G_END_DECLS
