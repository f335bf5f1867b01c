/* gstjimmyurihandler.h: jimmy://<task-id>?<option>=<value> URIs, parsed
 * and made.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <gst/gst.h>

G_BEGIN_DECLS

#define GST_JIMMY_URI_SCHEME "jimmy"

gboolean gst_jimmy_uri_parse (const gchar *uri,
                              GObjectClass *klass,
                              gchar **out_task_id,
                              GstStructure **out_options,
                              GError **error);
gchar *gst_jimmy_uri_build (const gchar *task_id,
                            GObject *object,
                            const gchar *const *keys);

G_END_DECLS
