/* gstjimmysettings.h: settings that cannot work, refused before a run
 * starts.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <gst/gst.h>

#include "jimmy-poll-options.h"

G_BEGIN_DECLS

gboolean gst_jimmy_settings_validate (GstElement *element,
                                      const JimmyPollOptions *options,
                                      gboolean need_api_key);
gboolean gst_jimmy_settings_check_api_key (const JimmyPollOptions *options,
                                           gchar **out_text);
gboolean gst_jimmy_settings_validate_live (GstElement *element,
                                           const gchar *task_id,
                                           gboolean is_live,
                                           gboolean decode);

G_END_DECLS
