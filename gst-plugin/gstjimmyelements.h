/* gstjimmyelements.h
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <gst/gst.h>

G_BEGIN_DECLS

GST_ELEMENT_REGISTER_DECLARE (jimmyaudiosrc);

GST_DEBUG_CATEGORY_EXTERN (gst_jimmy_audio_src_debug);

G_END_DECLS
