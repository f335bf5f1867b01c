/* gstjimmyaudiochain.c: the audio half of jimmyaudiosrc: souphttpsrc and
 * decodebin (or typefind), built inside the bin once the task completed,
 * behind the always-present src ghost pad.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <gst/pbutils/missing-plugins.h>

#include "gstjimmyaudiosrc-private.h"
#include "jimmy-proxy.h"
#include "gstjimmyelements.h"
#include "gstjimmymessages.h"

#define GST_CAT_DEFAULT gst_jimmy_audio_src_debug

/* A missing element is an error for the user to fix by installing it. */
GstElement *
gst_jimmy_make_child (GstJimmyAudioSrc * self, const gchar * factory)
{
  GstElement *element = gst_element_factory_make (factory, NULL);

  if (element == NULL) {
    g_autofree gchar *task_id = gst_jimmy_audio_src_dup_run_task_id (self);
    g_autofree gchar *text = g_strdup_printf ("Task \"%s\" cannot be "
        "played: the GStreamer element \"%s\" is missing; install "
        "gstreamer1.0-plugins-good and gstreamer1.0-plugins-base.", task_id,
        factory);

    gst_element_post_message (GST_ELEMENT_CAST (self),
        gst_missing_element_message_new (GST_ELEMENT_CAST (self), factory));
    gst_jimmy_post_error (GST_ELEMENT_CAST (self), GST_CORE_ERROR,
        GST_CORE_ERROR_MISSING_PLUGIN, task_id, text, NULL, NULL);
  }
  return element;
}

/**
 * gst_jimmy_make_http_src:
 *
 * Returns: (transfer floating) (nullable): a souphttpsrc for @url with the
 * run's HTTP settings. It never sends the API key: that is for the API
 * origin only.
 */
GstElement *
gst_jimmy_make_http_src (GstJimmyAudioSrc * self, const JimmyPollOptions * o,
    const gchar * url)
{
  GstElement *http_src = gst_jimmy_make_child (self, "souphttpsrc");
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

/* Stops @element, if any, and takes it out of the bin. */
void
gst_jimmy_remove_child (GstJimmyAudioSrc * self, GstElement * element)
{
  if (element == NULL)
    return;

  gst_element_set_state (element, GST_STATE_NULL);
  gst_bin_remove (GST_BIN_CAST (self), element);
}

/* A freshly made source and parser that do not link: a broken
 * GStreamer installation, not something the task did. */
void
gst_jimmy_post_link_error (GstJimmyAudioSrc * self)
{
  g_autofree gchar *task_id = gst_jimmy_audio_src_dup_run_task_id (self);
  g_autofree gchar *text = g_strdup_printf ("Task \"%s\" cannot be played: "
      "GStreamer could not link its internal elements; check the GStreamer "
      "installation (gst-inspect-1.0 souphttpsrc).", task_id);

  gst_jimmy_post_error (GST_ELEMENT_CAST (self), GST_CORE_ERROR,
      GST_CORE_ERROR_NEGOTIATION, task_id, text, NULL, NULL);
}

static void
set_ghost_target (GstJimmyAudioSrc * self, GstPad * target)
{
  if (!gst_ghost_pad_set_target (GST_GHOST_PAD_CAST (self->srcpad), target))
    GST_WARNING_OBJECT (self, "could not retarget the src pad");
}

static gboolean
is_audio_pad (GstPad * pad)
{
  g_autoptr (GstCaps) caps = gst_pad_get_current_caps (pad);
  const gchar *name;

  if (caps == NULL)
    caps = gst_pad_query_caps (pad, NULL);
  if (caps == NULL || gst_caps_is_empty (caps) || gst_caps_is_any (caps))
    return FALSE;
  name = gst_structure_get_name (gst_caps_get_structure (caps, 0));
  return g_str_has_prefix (name, "audio/");
}

/* Streaming thread of decodebin. */
static void
on_decoded_pad (GstElement * decoder, GstPad * pad, GstJimmyAudioSrc * self)
{
  gboolean first;

  if (!is_audio_pad (pad)) {
    GST_DEBUG_OBJECT (self, "ignoring non-audio pad %" GST_PTR_FORMAT, pad);
    return;
  }

  g_mutex_lock (&self->lock);
  first = !self->audio_exposed;
  self->audio_exposed = TRUE;
  g_mutex_unlock (&self->lock);

  if (!first)
    return;

  GST_DEBUG_OBJECT (self, "exposing %" GST_PTR_FORMAT, pad);
  set_ghost_target (self, pad);
  gst_jimmy_audio_src_audio_started (self);
}

static void
on_no_more_pads (GstElement * decoder, GstJimmyAudioSrc * self)
{
  gboolean exposed;

  g_mutex_lock (&self->lock);
  exposed = self->audio_exposed;
  g_mutex_unlock (&self->lock);

  if (!exposed)
    gst_jimmy_post_not_audio (self, NULL);
}

/**
 * gst_jimmy_audio_chain_add:
 * @source: (transfer floating): where the encoded audio comes from
 *
 * Adds `source ! decodebin` (or `! typefind` when not decoding) and
 * brings it to the bin's state. With decodebin the src pad is retargeted,
 * and preroll finished, when the first audio pad appears. Called with the
 * state lock held.
 */
gboolean
gst_jimmy_audio_chain_add (GstJimmyAudioSrc * self, GstElement * source,
    gboolean decode)
{
  GstElement *parser = gst_jimmy_make_child (self,
      decode ? "decodebin" : "typefind");

  if (parser == NULL) {
    gst_object_unref (gst_object_ref_sink (source));
    return FALSE;
  }

  if (decode) {
    g_signal_connect (parser, "pad-added", G_CALLBACK (on_decoded_pad), self);
    g_signal_connect (parser, "no-more-pads", G_CALLBACK (on_no_more_pads),
        self);
    g_signal_connect (parser, "autoplug-continue",
        G_CALLBACK (gst_jimmy_on_autoplug_continue), self);
  } else {
    g_signal_connect (parser, "have-type", G_CALLBACK (gst_jimmy_on_have_type),
        self);
  }

  gst_bin_add_many (GST_BIN_CAST (self), source, parser, NULL);
  g_mutex_lock (&self->lock);
  self->audio_source = source;
  self->parser = parser;
  g_mutex_unlock (&self->lock);

  if (!gst_element_link (source, parser)) {
    GST_ERROR_OBJECT (self, "could not link %s to %s",
        GST_OBJECT_NAME (source), GST_OBJECT_NAME (parser));
    gst_jimmy_post_link_error (self);
    return FALSE;
  }

  if (!decode) {
    GstPad *pad = gst_element_get_static_pad (parser, "src");
    set_ghost_target (self, pad);
    gst_object_unref (pad);
  }

  gst_element_sync_state_with_parent (parser);
  gst_element_sync_state_with_parent (source);
  return TRUE;
}

/* Called with the state lock held. */
void
gst_jimmy_audio_chain_remove (GstJimmyAudioSrc * self)
{
  GstElement *source, *parser;
  GstJimmyCacheTap *cache_tap;

  g_mutex_lock (&self->lock);
  source = g_steal_pointer (&self->audio_source);
  parser = g_steal_pointer (&self->parser);
  cache_tap = g_steal_pointer (&self->cache_tap);
  self->audio_exposed = FALSE;
  g_mutex_unlock (&self->lock);

  set_ghost_target (self, NULL);
  gst_jimmy_remove_child (self, source);
  gst_jimmy_remove_child (self, parser);
  /* Its streaming thread is stopped: an unfinished entry is dropped. */
  g_clear_pointer (&cache_tap, gst_jimmy_cache_tap_free);
}
