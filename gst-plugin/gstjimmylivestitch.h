/* gstjimmylivestitch.h: the live half of jimmyaudiosrc: a live source
 * that plays silence until the task's decoded audio arrives on its sink
 * pad, then that audio, on one unbroken timeline.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <gst/base/gstbasesrc.h>

G_BEGIN_DECLS

/* How much decoded audio the sink pad holds before it blocks upstream. */
#define GST_JIMMY_LIVE_STITCH_MAX_QUEUED_MS 200

/* Length of each silence buffer. */
#define GST_JIMMY_LIVE_STITCH_SILENCE_MS 10

#define GST_TYPE_JIMMY_LIVE_STITCH (gst_jimmy_live_stitch_get_type ())
G_DECLARE_FINAL_TYPE (GstJimmyLiveStitch, gst_jimmy_live_stitch,
                      GST, JIMMY_LIVE_STITCH, GstBaseSrc)

GstElement *gst_jimmy_live_stitch_new (const gchar *name);
GstCaps *gst_jimmy_live_stitch_dup_output_caps (GstJimmyLiveStitch *self);

G_END_DECLS
