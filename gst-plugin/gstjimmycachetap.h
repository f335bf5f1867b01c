/* gstjimmycachetap.h: copies the audio as served into the cache.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <gst/gst.h>

#include "jimmy-cache.h"

G_BEGIN_DECLS

typedef struct _GstJimmyCacheTap GstJimmyCacheTap;

GstJimmyCacheTap *gst_jimmy_cache_tap_new (GstElement *source,
                                           JimmyCacheWriter *writer);
void gst_jimmy_cache_tap_free (GstJimmyCacheTap *tap);

G_END_DECLS
