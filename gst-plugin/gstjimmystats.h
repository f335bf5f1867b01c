/* gstjimmystats.h: what one run did, for the read-only "stats" property.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <gst/gst.h>

#include "jimmy-task.h"
#include "jimmy-wait.h"

G_BEGIN_DECLS

#define GST_JIMMY_STATS_NAME "application/x-jimmy-stats"

typedef struct _GstJimmyStats GstJimmyStats;

GstJimmyStats *gst_jimmy_stats_new (void);
GstJimmyStats *gst_jimmy_stats_ref (GstJimmyStats *stats);
void gst_jimmy_stats_unref (GstJimmyStats *stats);

void gst_jimmy_stats_start (GstJimmyStats *stats);
JimmyWaitCounts *gst_jimmy_stats_get_wait_counts (GstJimmyStats *stats);
void gst_jimmy_stats_status (GstJimmyStats *stats,
                             JimmyTaskStatus status);
void gst_jimmy_stats_completed (GstJimmyStats *stats,
                                gboolean from_cache);
void gst_jimmy_stats_first_buffer (GstJimmyStats *stats);
void gst_jimmy_stats_recovered (GstJimmyStats *stats);
void gst_jimmy_stats_watch_download (GstJimmyStats *stats,
                                     GstElement *source);
GstStructure *gst_jimmy_stats_to_structure (GstJimmyStats *stats);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (GstJimmyStats, gst_jimmy_stats_unref)

G_END_DECLS
