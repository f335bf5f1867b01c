/* gstjimmyaudiosrc.h
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <gst/gst.h>

G_BEGIN_DECLS

#define GST_TYPE_JIMMY_AUDIO_SRC (gst_jimmy_audio_src_get_type ())
G_DECLARE_FINAL_TYPE (GstJimmyAudioSrc, gst_jimmy_audio_src, GST,
    JIMMY_AUDIO_SRC, GstBin)

G_END_DECLS
