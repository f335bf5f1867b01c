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

/* Stops @element, if any, and takes it out of @bin. The caller no longer
 * points at it. */
void
gst_jimmy_remove_child (GstBin * bin, GstElement * element)
{
  if (element == NULL)
    return;

  gst_element_set_state (element, GST_STATE_NULL);
  gst_bin_remove (bin, element);
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
