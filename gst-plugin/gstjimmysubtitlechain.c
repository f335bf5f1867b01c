/* gstjimmysubtitlechain.c: the "subtitle" pad, with subtitles=true, and
 * what feeds it: souphttpsrc ! subparse for a task with a subtitleFile,
 * else an empty stream (stream-start, caps, segment, EOS), so that a sink
 * linked to it prerolls and ends.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "gstjimmysubtitlechain.h"
#include "gstjimmychildren.h"
#include "gstjimmyelements.h"

#define GST_CAT_DEFAULT gst_jimmy_audio_src_debug

#define PAD_NAME "subtitle"

struct _GstJimmySubtitleChain
{
  GstBin *bin;                  /* (unowned) the jimmyaudiosrc */
  GstPad *pad;                  /* (owned) on the bin once started */
  GMutex lock;                  /* guards the two below */
  GstElement *http_src;         /* (unowned) (nullable) in the bin */
  GstElement *parser;           /* (unowned) (nullable) in the bin */
};

static GstPadTemplate *
pad_template (GstBin * bin)
{
  return gst_element_class_get_pad_template (GST_ELEMENT_GET_CLASS (bin),
      PAD_NAME);
}

/**
 * gst_jimmy_subtitle_chain_new_download:
 * @http_src: (transfer floating): the subtitleFile's source
 *
 * Adds `http_src ! subparse`, its "subtitle" ghost pad not added yet.
 * Called with the bin's state lock held.
 *
 * Returns: (nullable): the chain, or %NULL with @error set
 */
GstJimmySubtitleChain *
gst_jimmy_subtitle_chain_new_download (GstBin * bin, GstElement * http_src,
    const gchar * task_id, GError ** error)
{
  GstJimmySubtitleChain *chain;
  GstElement *parser;
  g_autoptr (GstPad) target = NULL;

  parser = gst_jimmy_make_child (GST_ELEMENT_CAST (bin), task_id, "subparse",
      error);
  if (parser == NULL) {
    gst_object_unref (gst_object_ref_sink (http_src));
    return NULL;
  }

  chain = g_new0 (GstJimmySubtitleChain, 1);
  chain->bin = bin;
  g_mutex_init (&chain->lock);
  gst_bin_add_many (bin, http_src, parser, NULL);
  chain->http_src = http_src;
  chain->parser = parser;
  if (!gst_element_link (http_src, parser)) {
    gst_jimmy_set_link_error (error, task_id, http_src, parser);
    gst_jimmy_subtitle_chain_remove (chain);
    gst_jimmy_subtitle_chain_free (chain);
    return NULL;
  }

  target = gst_element_get_static_pad (parser, "src");
  chain->pad = gst_object_ref_sink (gst_ghost_pad_new_from_template (PAD_NAME,
          target, pad_template (bin)));
  return chain;
}

/* Its own pad, fed by push_empty_stream. */
GstJimmySubtitleChain *
gst_jimmy_subtitle_chain_new_empty (GstBin * bin)
{
  GstJimmySubtitleChain *chain = g_new0 (GstJimmySubtitleChain, 1);

  chain->bin = bin;
  g_mutex_init (&chain->lock);
  chain->pad = gst_object_ref_sink (gst_pad_new_from_template (pad_template
          (bin), PAD_NAME));
  return chain;
}

/* In the async pool, never with a lock: a sink in PAUSED holds the EOS
 * until PLAYING, or until it flushes at a stop. */
static void
push_empty_stream (GstElement * element, gpointer user_data)
{
  GstPad *pad = user_data;
  g_autofree gchar *stream_id = gst_pad_create_stream_id (pad, element,
      PAD_NAME);
  g_autoptr (GstCaps) caps = gst_caps_new_simple ("text/x-raw",
      "format", G_TYPE_STRING, "utf8", NULL);
  GstSegment segment;

  gst_segment_init (&segment, GST_FORMAT_TIME);
  if (gst_pad_push_event (pad, gst_event_new_stream_start (stream_id))
      && gst_pad_push_event (pad, gst_event_new_caps (caps))
      && gst_pad_push_event (pad, gst_event_new_segment (&segment)))
    gst_pad_push_event (pad, gst_event_new_eos ());
}

/**
 * gst_jimmy_subtitle_chain_start:
 *
 * Adds the "subtitle" pad (the application links it from pad-added) and
 * starts what feeds it. Called with the bin's state lock held, without
 * any other lock.
 */
void
gst_jimmy_subtitle_chain_start (GstJimmySubtitleChain * chain)
{
  GstElement *http_src, *parser;

  gst_pad_set_active (chain->pad, TRUE);
  /* The bin takes a reference of its own: the pad is not floating. */
  gst_element_add_pad (GST_ELEMENT_CAST (chain->bin), chain->pad);
  gst_element_no_more_pads (GST_ELEMENT_CAST (chain->bin));

  g_mutex_lock (&chain->lock);
  http_src = chain->http_src ? gst_object_ref (chain->http_src) : NULL;
  parser = chain->parser ? gst_object_ref (chain->parser) : NULL;
  g_mutex_unlock (&chain->lock);

  if (http_src == NULL) {
    gst_element_call_async (GST_ELEMENT_CAST (chain->bin), push_empty_stream,
        gst_object_ref (chain->pad), gst_object_unref);
    return;
  }
  gst_element_sync_state_with_parent (parser);
  gst_element_sync_state_with_parent (http_src);
  gst_object_unref (parser);
  gst_object_unref (http_src);
}

/* PAUSED→READY, before the bin changes its children: see
 * gst_jimmy_audio_chain_lock_state(). */
void
gst_jimmy_subtitle_chain_lock_state (GstJimmySubtitleChain * chain)
{
  g_mutex_lock (&chain->lock);
  if (chain->http_src != NULL)
    gst_element_set_locked_state (chain->http_src, TRUE);
  if (chain->parser != NULL)
    gst_element_set_locked_state (chain->parser, TRUE);
  g_mutex_unlock (&chain->lock);
}

/* Takes the children and the pad out. Called with the bin's state lock
 * held. */
void
gst_jimmy_subtitle_chain_remove (GstJimmySubtitleChain * chain)
{
  GstElement *http_src, *parser;

  g_mutex_lock (&chain->lock);
  http_src = g_steal_pointer (&chain->http_src);
  parser = g_steal_pointer (&chain->parser);
  g_mutex_unlock (&chain->lock);

  {
    GstElement *children[] = { parser, http_src };

    gst_jimmy_remove_children (chain->bin, children, 2, NULL, NULL);
  }
  if (chain->pad != NULL && GST_OBJECT_PARENT (chain->pad) != NULL) {
    gst_pad_set_active (chain->pad, FALSE);
    gst_element_remove_pad (GST_ELEMENT_CAST (chain->bin), chain->pad);
  }
}

void
gst_jimmy_subtitle_chain_free (GstJimmySubtitleChain * chain)
{
  gst_clear_object (&chain->pad);
  g_mutex_clear (&chain->lock);
  g_free (chain);
}

/* Whether @object is one of the chain's elements, or inside one. */
gboolean
gst_jimmy_subtitle_chain_has (GstJimmySubtitleChain * chain, GstObject * object)
{
  gboolean found;

  g_mutex_lock (&chain->lock);
  found = (chain->http_src != NULL && (object ==
          GST_OBJECT_CAST (chain->http_src)
          || gst_object_has_as_ancestor (object,
              GST_OBJECT_CAST (chain->http_src))))
      || (chain->parser != NULL && (object == GST_OBJECT_CAST (chain->parser)
          || gst_object_has_as_ancestor (object,
              GST_OBJECT_CAST (chain->parser))));
  g_mutex_unlock (&chain->lock);
  return found;
}
