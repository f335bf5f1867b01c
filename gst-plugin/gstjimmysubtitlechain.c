/* gstjimmysubtitlechain.c: the task's subtitles as timed text:
 * souphttpsrc ! subparse behind a "subtitle" sometimes pad, when the
 * subtitles property is set and the task has a subtitleFile.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "gstjimmyaudiosrc-private.h"
#include "gstjimmyelements.h"

#define GST_CAT_DEFAULT gst_jimmy_audio_src_debug

/* Adds and activates the "subtitle" ghost pad for subparse's output. */
static void
expose_subtitle_pad (GstJimmyAudioSrc * self, GstElement * parser)
{
  GstPadTemplate *templ =
      gst_element_class_get_pad_template (GST_ELEMENT_GET_CLASS (self),
      "subtitle");
  GstPad *target = gst_element_get_static_pad (parser, "src");
  GstPad *pad = gst_ghost_pad_new_from_template ("subtitle", target, templ);

  gst_object_unref (target);
  gst_pad_set_active (pad, TRUE);

  g_mutex_lock (&self->lock);
  self->subtitle_pad = gst_object_ref (pad);
  g_mutex_unlock (&self->lock);

  /* Outside our lock: the application links it from pad-added. */
  gst_element_add_pad (GST_ELEMENT_CAST (self), pad);
  gst_element_no_more_pads (GST_ELEMENT_CAST (self));
}

/**
 * gst_jimmy_subtitle_chain_add:
 *
 * Adds `souphttpsrc ! subparse` for @subtitle_url and the "subtitle" pad,
 * before the audio starts, so that the application can link it first.
 * Called with the state lock held.
 */
gboolean
gst_jimmy_subtitle_chain_add (GstJimmyAudioSrc * self,
    const JimmyPollOptions * o, const gchar * subtitle_url)
{
  GstElement *http_src, *parser;

  http_src = gst_jimmy_make_http_src (self, o, subtitle_url);
  parser = gst_jimmy_make_child (self, "subparse");
  if (http_src == NULL || parser == NULL) {
    g_clear_pointer (&http_src, gst_object_unref);
    g_clear_pointer (&parser, gst_object_unref);
    return FALSE;
  }

  gst_bin_add_many (GST_BIN_CAST (self), http_src, parser, NULL);
  g_mutex_lock (&self->lock);
  self->subtitle_src = http_src;
  self->subtitle_parser = parser;
  g_mutex_unlock (&self->lock);

  if (!gst_element_link (http_src, parser)) {
    GST_ERROR_OBJECT (self, "could not link souphttpsrc to subparse");
    gst_jimmy_post_link_error (self);
    return FALSE;
  }

  expose_subtitle_pad (self, parser);
  gst_element_sync_state_with_parent (parser);
  gst_element_sync_state_with_parent (http_src);
  return TRUE;
}

/* Called with the state lock held. */
void
gst_jimmy_subtitle_chain_remove (GstJimmyAudioSrc * self)
{
  GstElement *http_src, *parser;
  GstPad *pad;

  g_mutex_lock (&self->lock);
  http_src = g_steal_pointer (&self->subtitle_src);
  parser = g_steal_pointer (&self->subtitle_parser);
  pad = g_steal_pointer (&self->subtitle_pad);
  g_mutex_unlock (&self->lock);

  gst_jimmy_remove_child (self, http_src);
  gst_jimmy_remove_child (self, parser);
  if (pad != NULL) {
    gst_pad_set_active (pad, FALSE);
    gst_element_remove_pad (GST_ELEMENT_CAST (self), pad);
    gst_object_unref (pad);
  }
}
