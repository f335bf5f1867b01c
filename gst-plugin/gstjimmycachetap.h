/* gstjimmycachetap.h: copies the audio and subtitles as served into the
 * cache.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <gst/gst.h>

#include "jimmy-cache.h"

G_BEGIN_DECLS

typedef struct _GstJimmyCacheTap GstJimmyCacheTap;

GstJimmyCacheTap *gst_jimmy_cache_tap_new (GstElement *element,
                                           JimmyCacheWriter *writer,
                                           const gchar *cache_dir,
                                           guint64 max_size,
                                           const gchar *task_id);
void gst_jimmy_cache_tap_watch_audio (GstJimmyCacheTap *tap,
                                      GstElement *source);
void gst_jimmy_cache_tap_watch_subtitles (GstJimmyCacheTap *tap,
                                          GstElement *source);
void gst_jimmy_cache_tap_subtitles_failed (GstJimmyCacheTap *tap);
void gst_jimmy_cache_tap_free (GstJimmyCacheTap *tap);

G_END_DECLS
