/* gstjimmyinbox.c: hands work from any thread to an element's async pool,
 * in order.
 *
 * A thread that must not run the element's code (the shared poller
 * thread) pushes an item and returns: the push only takes the inbox's
 * lock and, for the first item, schedules a drain with
 * gst_element_call_async. The drain runs the items in order, one pool
 * thread at a time, under the element's state lock, so that a state
 * change either comes before an item or after it. Once closed (at a
 * stop), the inbox drops what it holds and what comes.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "gstjimmyinbox.h"

struct _GstJimmyInbox
{
  GstJimmyInboxFunc func;
  GDestroyNotify item_free;
  gpointer user_data;           /* (unowned) outlives the inbox's use */

  GMutex lock;                  /* guards the fields below */
  GstElement *element;          /* (owned) NULL once closed */
  GQueue items;
  gboolean draining;            /* a drain is scheduled or running */
};

GstJimmyInbox *
gst_jimmy_inbox_new (GstElement * element, GstJimmyInboxFunc func,
    GDestroyNotify item_free, gpointer user_data)
{
  GstJimmyInbox *inbox = g_atomic_rc_box_new0 (GstJimmyInbox);

  inbox->func = func;
  inbox->item_free = item_free;
  inbox->user_data = user_data;
  g_mutex_init (&inbox->lock);
  inbox->element = gst_object_ref (element);
  g_queue_init (&inbox->items);
  return inbox;
}

static void
inbox_clear (GstJimmyInbox * inbox)
{
  g_queue_clear_full (&inbox->items, inbox->item_free);
  gst_clear_object (&inbox->element);
  g_mutex_clear (&inbox->lock);
}

void
gst_jimmy_inbox_unref (GstJimmyInbox * inbox)
{
  g_atomic_rc_box_release_full (inbox, (GDestroyNotify) inbox_clear);
}

static gpointer
next_item (GstJimmyInbox * inbox)
{
  gpointer item = NULL;

  g_mutex_lock (&inbox->lock);
  if (inbox->element != NULL)
    item = g_queue_pop_head (&inbox->items);
  if (item == NULL)
    inbox->draining = FALSE;
  g_mutex_unlock (&inbox->lock);
  return item;
}

static void
drain (GstElement * element, gpointer user_data)
{
  GstJimmyInbox *inbox = user_data;
  gpointer item;

  GST_STATE_LOCK (element);
  while ((item = next_item (inbox)) != NULL) {
    inbox->func (element, item, inbox->user_data);
    inbox->item_free (item);
  }
  GST_STATE_UNLOCK (element);
}

/* Any thread. @item: (transfer full) */
void
gst_jimmy_inbox_push (GstJimmyInbox * inbox, gpointer item)
{
  g_mutex_lock (&inbox->lock);
  if (inbox->element == NULL) {
    g_mutex_unlock (&inbox->lock);
    inbox->item_free (item);
    return;
  }
  g_queue_push_tail (&inbox->items, item);
  if (!inbox->draining) {
    inbox->draining = TRUE;
    gst_element_call_async (inbox->element, drain,
        g_atomic_rc_box_acquire (inbox),
        (GDestroyNotify) gst_jimmy_inbox_unref);
  }
  g_mutex_unlock (&inbox->lock);
}

/* Drops what is queued and what comes; lets go of the element. */
void
gst_jimmy_inbox_close (GstJimmyInbox * inbox)
{
  GstElement *element;
  GQueue items = G_QUEUE_INIT;

  g_mutex_lock (&inbox->lock);
  element = g_steal_pointer (&inbox->element);
  items = inbox->items;
  g_queue_init (&inbox->items);
  g_mutex_unlock (&inbox->lock);

  g_queue_clear_full (&items, inbox->item_free);
  gst_clear_object (&element);
}
