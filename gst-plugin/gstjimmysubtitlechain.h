/* gstjimmysubtitlechain.h: the "subtitle" pad and what feeds it.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <gst/gst.h>

G_BEGIN_DECLS

typedef struct _GstJimmySubtitleChain GstJimmySubtitleChain;

GstJimmySubtitleChain *gst_jimmy_subtitle_chain_new_download (GstBin *bin,
                                                              GstElement *http_src,
                                                              const gchar *task_id,
                                                              GError **error);
GstJimmySubtitleChain *gst_jimmy_subtitle_chain_new_empty (GstBin *bin);
void gst_jimmy_subtitle_chain_start (GstJimmySubtitleChain *chain);
void gst_jimmy_subtitle_chain_lock_state (GstJimmySubtitleChain *chain);
void gst_jimmy_subtitle_chain_remove (GstJimmySubtitleChain *chain);
void gst_jimmy_subtitle_chain_free (GstJimmySubtitleChain *chain);
gboolean gst_jimmy_subtitle_chain_has (GstJimmySubtitleChain *chain,
                                       GstObject *object);

G_END_DECLS
