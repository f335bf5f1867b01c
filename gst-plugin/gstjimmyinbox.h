/* gstjimmyinbox.h: hands work from any thread to an element's async pool,
 * in order.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <gst/gst.h>

G_BEGIN_DECLS

typedef struct _GstJimmyInbox GstJimmyInbox;

/* Called in the element's async pool, with its state lock held. */
typedef void (*GstJimmyInboxFunc) (GstElement *element,
                                   gpointer item,
                                   gpointer user_data);

GstJimmyInbox *gst_jimmy_inbox_new (GstElement *element,
                                    GstJimmyInboxFunc func,
                                    GDestroyNotify item_free,
                                    gpointer user_data);
void gst_jimmy_inbox_push (GstJimmyInbox *inbox,
                           gpointer item);
void gst_jimmy_inbox_close (GstJimmyInbox *inbox);
void gst_jimmy_inbox_unref (GstJimmyInbox *inbox);

G_END_DECLS
