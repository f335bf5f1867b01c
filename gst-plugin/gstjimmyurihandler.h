/* gstjimmyurihandler.h: jimmy://<task-id> URIs, parsed and made.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <gst/gst.h>

G_BEGIN_DECLS

#define GST_JIMMY_URI_SCHEME "jimmy"

gchar *gst_jimmy_uri_parse_task_id (const gchar *uri,
                                    GError **error);
gchar *gst_jimmy_uri_for_task_id (const gchar *task_id);

G_END_DECLS
