/* gstjimmychildren.c: making, and taking out, the bin's child elements.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <gst/pbutils/missing-plugins.h>

#include "gstjimmychildren.h"
#include "gstjimmyelements.h"
#include "jimmy-proxy.h"

#define GST_CAT_DEFAULT gst_jimmy_audio_src_debug

/**
 * gst_jimmy_make_child:
 * @bin: where the missing-plugin message is posted, if @factory is missing
 *
 * A missing element is an error for the user to fix by installing it:
 * CORE/MISSING_PLUGIN, after a missing-plugin message for
 * gst_install_plugins_async().
 *
 * Returns: (transfer floating) (nullable): the new element
 */
GstElement *
gst_jimmy_make_child (GstElement * bin, const gchar * task_id,
    const gchar * factory, GError ** error)
{
  GstElement *element = gst_element_factory_make (factory, NULL);

  if (element != NULL)
    return element;

  gst_element_post_message (bin, gst_missing_element_message_new (bin,
          factory));
  g_set_error (error, GST_CORE_ERROR, GST_CORE_ERROR_MISSING_PLUGIN,
      "Task \"%s\" cannot be played: the GStreamer element \"%s\" is "
      "missing; install gstreamer1.0-plugins-good and "
      "gstreamer1.0-plugins-base.", task_id, factory);
  return NULL;
}

/**
 * gst_jimmy_make_http_src:
 * @factory: "souphttpsrc", or what a test puts in its place
 *
 * Returns: (transfer floating) (nullable): a souphttpsrc for @url with the
 * run's HTTP settings. It never sends the API key: that is for the API
 * origin only.
 */
GstElement *
gst_jimmy_make_http_src (GstElement * bin, const JimmyPollOptions * o,
    const gchar * factory, const gchar * url, GError ** error)
{
  GstElement *http_src = gst_jimmy_make_child (bin, o->task_id, factory,
      error);
  g_autofree gchar *proxy = NULL;
  g_autofree gchar *default_proxy = NULL;

  if (http_src == NULL)
    return NULL;

  g_object_set (http_src, "location", url, "ssl-strict", o->ssl_strict,
      "timeout", o->request_timeout_s, NULL);
  if (o->user_agent != NULL)
    g_object_set (http_src, "user-agent", o->user_agent, NULL);

  /* souphttpsrc starts with $http_proxy, for every URL, deaf to
   * proxy="" and $no_proxy: override that with the client's rule. Only
   * without one does it go direct, and share the pipeline's session
   * (keep-alive connections), so leave it be when direct is the answer. */
  proxy = jimmy_proxy_for_uri (o->proxy, url);
  g_object_get (http_src, "proxy", &default_proxy, NULL);
  if (default_proxy != NULL || g_strcmp0 (proxy, JIMMY_PROXY_DIRECT) != 0)
    g_object_set (http_src, "proxy", proxy, NULL);
  return http_src;
}

/* How long a stop waits for its children before leaving them to the
 * reaper: a state change of the element stays bounded whatever they do. */
#define STOP_BOUND (100 * G_TIME_SPAN_MILLISECOND)

typedef struct
{
  GPtrArray *elements;          /* (owned) detached, in stop order */
  GDestroyNotify done;          /* (nullable) after they all stopped */
  gpointer done_data;
  gchar *owner;                 /* (owned) for the log */

  GMutex lock;                  /* guards the three below */
  GCond cond;
  gboolean stopped;
  gboolean detached;            /* the stop returned without waiting */
  gint64 start;
} Reap;

static void
reap_clear (Reap * reap)
{
  g_ptr_array_unref (reap->elements);
  g_free (reap->owner);
  g_mutex_clear (&reap->lock);
  g_cond_clear (&reap->cond);
}

static void
reap_unref (Reap * reap)
{
  g_atomic_rc_box_release_full (reap, (GDestroyNotify) reap_clear);
}

/* The reaper: in GStreamer's async pool, which has a thread for every
 * task, so a child that never stops holds only that thread. */
static void
reap_in_pool (GstElement * first, gpointer user_data)
{
  Reap *reap = user_data;
  guint i;

  for (i = 0; i < reap->elements->len; i++)
    gst_element_set_state (g_ptr_array_index (reap->elements, i),
        GST_STATE_NULL);
  if (reap->done != NULL)
    reap->done (reap->done_data);

  g_mutex_lock (&reap->lock);
  reap->stopped = TRUE;
  g_cond_broadcast (&reap->cond);
  if (reap->detached)
    GST_WARNING ("%s: the detached %s stopped after %" G_GINT64_FORMAT
        " ms; released", reap->owner,
        GST_OBJECT_NAME (g_ptr_array_index (reap->elements, 0)),
        (g_get_monotonic_time () - reap->start) / 1000);
  g_mutex_unlock (&reap->lock);
}

/**
 * gst_jimmy_remove_children:
 * @elements: (array length=n): children of @bin, downstream first; %NULL
 *   entries are skipped
 * @done: (nullable): called once they all stopped, on whichever thread
 *
 * Takes @elements out of @bin (their states locked, their pads unlinked;
 * the caller no longer points at them) and stops them on a pool thread.
 * Waits at most STOP_BOUND for that: a child still stopping is left to
 * the pool thread, logged at WARNING, and released when it stops.
 */
void
gst_jimmy_remove_children (GstBin * bin, GstElement ** elements, guint n,
    GDestroyNotify done, gpointer done_data)
{
  Reap *reap;
  gint64 deadline;
  guint i;

  reap = g_atomic_rc_box_new0 (Reap);
  reap->elements = g_ptr_array_new_with_free_func (gst_object_unref);
  reap->done = done;
  reap->done_data = done_data;
  reap->owner = gst_object_get_path_string (GST_OBJECT_CAST (bin));
  g_mutex_init (&reap->lock);
  g_cond_init (&reap->cond);
  reap->start = g_get_monotonic_time ();

  for (i = 0; i < n; i++) {
    if (elements[i] == NULL)
      continue;
    g_ptr_array_add (reap->elements, gst_object_ref (elements[i]));
    /* The bin's own state changes pass it by from now on. */
    gst_element_set_locked_state (elements[i], TRUE);
    gst_bin_remove (bin, elements[i]);
  }
  if (reap->elements->len == 0) {
    if (done != NULL)
      done (done_data);
    reap_unref (reap);
    return;
  }

  gst_element_call_async (g_ptr_array_index (reap->elements, 0),
      reap_in_pool, g_atomic_rc_box_acquire (reap),
      (GDestroyNotify) reap_unref);

  deadline = reap->start + STOP_BOUND;
  g_mutex_lock (&reap->lock);
  while (!reap->stopped && g_cond_wait_until (&reap->cond, &reap->lock,
          deadline));
  if (!reap->stopped) {
    reap->detached = TRUE;
    GST_WARNING_OBJECT (bin, "%s has not stopped after %" G_GINT64_FORMAT
        " ms: detached; a background thread holds it until it stops",
        GST_OBJECT_NAME (g_ptr_array_index (reap->elements, 0)),
        STOP_BOUND / 1000);
  }
  g_mutex_unlock (&reap->lock);
  reap_unref (reap);
}

/* One child; see gst_jimmy_remove_children(). */
void
gst_jimmy_remove_child (GstBin * bin, GstElement * element)
{
  gst_jimmy_remove_children (bin, &element, 1, NULL, NULL);
}

/* A freshly made pair that does not link: a broken GStreamer
 * installation, not something the task did. */
void
gst_jimmy_set_link_error (GError ** error, const gchar * task_id,
    GstElement * from, GstElement * to)
{
  GST_ERROR_OBJECT (from, "could not link to %s", GST_OBJECT_NAME (to));
  g_set_error (error, GST_CORE_ERROR, GST_CORE_ERROR_NEGOTIATION,
      "Task \"%s\" cannot be played: GStreamer could not link its internal "
      "elements; check the GStreamer installation (gst-inspect-1.0 "
      "souphttpsrc).", task_id);
}
