/* gstjimmyaudiochain.c: the audio half of jimmyaudiosrc: a source
 * (souphttpsrc, or filesrc for a cache entry) and decodebin (or typefind
 * with decode=false), built inside the bin once the task completed,
 * behind the always-present src ghost pad. In live mode decodebin feeds
 * `audioconvert ! audioresample ! capsfilter` into the live stitch's sink
 * pad instead (gst_jimmy_audio_chain_build_live()).
 *
 * The chain reports up only through its callbacks. Its signal handlers
 * hold a reference to it, so a late streaming thread never meets a freed
 * chain.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <string.h>

#include "gstjimmyaudiochain.h"
#include "gstjimmychildren.h"
#include "gstjimmychilderrors.h"
#include "gstjimmyelements.h"

#define GST_CAT_DEFAULT gst_jimmy_audio_src_debug

struct _GstJimmyAudioChain
{
  GstBin *bin;                  /* (unowned) the jimmyaudiosrc */
  GstPad *ghost;                /* (owned) (nullable) its src pad; NULL in
                                 * live mode */
  GstJimmyAudioChainCallbacks callbacks;
  gpointer user_data;           /* (owned) by user_data_free */
  GDestroyNotify user_data_free;

  /* Guards the fields below; never held while changing states, adding
   * or removing elements or calling a callback. */
  GMutex lock;
  GstElement *source;           /* (unowned) in the bin, or NULL */
  GstElement *parser;           /* (unowned) in the bin, or NULL */
  GstElement *tail[3];          /* (unowned) live mode: audioconvert,
                                 * audioresample, capsfilter, or NULLs */
  GstElement *retiring;         /* (unowned) a replaced source being
                                 * removed: its last errors are still
                                 * the chain's */
  gboolean exposed;             /* audio_started was called */
  gchar *web_content;           /* (nullable) what decodebin was given */
};

GstJimmyAudioChain *
gst_jimmy_audio_chain_new (GstBin * bin, GstPad * ghost,
    const GstJimmyAudioChainCallbacks * callbacks, gpointer user_data,
    GDestroyNotify user_data_free)
{
  GstJimmyAudioChain *chain = g_atomic_rc_box_new0 (GstJimmyAudioChain);

  chain->bin = bin;
  chain->ghost = ghost != NULL ? gst_object_ref (ghost) : NULL;
  chain->callbacks = *callbacks;
  chain->user_data = user_data;
  chain->user_data_free = user_data_free;
  g_mutex_init (&chain->lock);
  return chain;
}

GstJimmyAudioChain *
gst_jimmy_audio_chain_ref (GstJimmyAudioChain * chain)
{
  return g_atomic_rc_box_acquire (chain);
}

static void
chain_clear (GstJimmyAudioChain * chain)
{
  gst_clear_object (&chain->ghost);
  if (chain->user_data_free != NULL)
    chain->user_data_free (chain->user_data);
  g_free (chain->web_content);
  g_mutex_clear (&chain->lock);
}

void
gst_jimmy_audio_chain_unref (GstJimmyAudioChain * chain)
{
  g_atomic_rc_box_release_full (chain, (GDestroyNotify) chain_clear);
}

static void
set_ghost_target (GstJimmyAudioChain * chain, GstPad * target)
{
  if (chain->ghost == NULL)
    return;
  if (!gst_ghost_pad_set_target (GST_GHOST_PAD_CAST (chain->ghost), target))
    GST_WARNING_OBJECT (chain->bin, "could not retarget the src pad");
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

/* Live mode: the decoded pad into the converters, which are already
 * linked to the stitch. */
static gboolean
link_to_tail (GstJimmyAudioChain * chain, GstPad * pad)
{
  g_autoptr (GstPad) sinkpad = NULL;
  GstPadLinkReturn ret;

  g_mutex_lock (&chain->lock);
  if (chain->tail[0] != NULL)
    sinkpad = gst_element_get_static_pad (chain->tail[0], "sink");
  g_mutex_unlock (&chain->lock);
  if (sinkpad == NULL)
    return FALSE;               /* removed meanwhile */

  GST_DEBUG_OBJECT (chain->bin, "linking %" GST_PTR_FORMAT " to the "
      "converters", pad);
  ret = gst_pad_link (pad, sinkpad);
  if (GST_PAD_LINK_FAILED (ret)) {
    GST_WARNING_OBJECT (chain->bin, "could not link the decoded audio: %s",
        gst_pad_link_get_name (ret));
    return FALSE;
  }
  return TRUE;
}

/* decodebin's streaming thread. */
static void
on_decoded_pad (GstElement * decoder, GstPad * pad, GstJimmyAudioChain * chain)
{
  gboolean first;

  if (!is_audio_pad (pad)) {
    GST_DEBUG_OBJECT (chain->bin, "ignoring non-audio pad %" GST_PTR_FORMAT,
        pad);
    return;
  }

  g_mutex_lock (&chain->lock);
  first = !chain->exposed;
  chain->exposed = TRUE;
  g_mutex_unlock (&chain->lock);
  if (!first)
    return;

  if (chain->ghost == NULL) {
    /* Live: a pad link only, no bin work, on this streaming thread. */
    if (!link_to_tail (chain, pad))
      return;
  } else {
    GST_DEBUG_OBJECT (chain->bin, "exposing %" GST_PTR_FORMAT, pad);
    set_ghost_target (chain, pad);
  }
  chain->callbacks.audio_started (chain->user_data);
}

static void
on_no_more_pads (GstElement * decoder, GstJimmyAudioChain * chain)
{
  gboolean exposed;

  g_mutex_lock (&chain->lock);
  exposed = chain->exposed;
  g_mutex_unlock (&chain->lock);
  if (!exposed)
    chain->callbacks.not_audio (NULL, chain->user_data);
}

/* decodebin's "autoplug-continue", streaming thread: it comes before the
 * missing-plugin message decodebin would post for a web page. */
static gboolean
on_autoplug_continue (GstElement * decoder, GstPad * pad, GstCaps * caps,
    GstJimmyAudioChain * chain)
{
  const gchar *type;

  if (gst_caps_is_empty (caps) || gst_caps_is_any (caps))
    return TRUE;
  type = gst_structure_get_name (gst_caps_get_structure (caps, 0));
  if (gst_jimmy_is_web_content (type)) {
    g_mutex_lock (&chain->lock);
    g_free (chain->web_content);
    chain->web_content = g_strdup (type);
    g_mutex_unlock (&chain->lock);
  }
  return TRUE;
}

/* typefind's "have-type" with decode=false, streaming thread. */
static void
on_have_type (GstElement * typefind, guint probability, GstCaps * caps,
    GstJimmyAudioChain * chain)
{
  const gchar *type = gst_structure_get_name (gst_caps_get_structure (caps,
          0));

  if (gst_jimmy_is_web_content (type))
    chain->callbacks.not_audio (type, chain->user_data);
}

static void
connect_with_ref (GstElement * element, const gchar * signal,
    GCallback callback, GstJimmyAudioChain * chain)
{
  g_signal_connect_data (element, signal, callback,
      gst_jimmy_audio_chain_ref (chain),
      (GClosureNotify) (void (*)(void)) gst_jimmy_audio_chain_unref, 0);
}

/**
 * gst_jimmy_audio_chain_build:
 * @source: (transfer floating): where the encoded audio comes from
 *
 * Adds `source ! decodebin` (or `! typefind` when not @decode) and brings
 * it to the bin's state. With decodebin the src pad is retargeted, and
 * audio_started called, when the first audio pad appears; with typefind
 * at once. Called with the bin's state lock held.
 */
gboolean
gst_jimmy_audio_chain_build (GstJimmyAudioChain * chain,
    const gchar * task_id, GstElement * source, gboolean decode,
    GError ** error)
{
  GstElement *parser = gst_jimmy_make_child (GST_ELEMENT_CAST (chain->bin),
      task_id, decode ? "decodebin" : "typefind", error);

  if (parser == NULL) {
    gst_object_unref (gst_object_ref_sink (source));
    return FALSE;
  }

  if (decode) {
    connect_with_ref (parser, "pad-added", G_CALLBACK (on_decoded_pad), chain);
    connect_with_ref (parser, "no-more-pads", G_CALLBACK (on_no_more_pads),
        chain);
    connect_with_ref (parser, "autoplug-continue",
        G_CALLBACK (on_autoplug_continue), chain);
  } else {
    connect_with_ref (parser, "have-type", G_CALLBACK (on_have_type), chain);
  }

  gst_bin_add_many (chain->bin, source, parser, NULL);
  g_mutex_lock (&chain->lock);
  chain->source = source;
  chain->parser = parser;
  g_mutex_unlock (&chain->lock);

  if (!gst_element_link (source, parser)) {
    gst_jimmy_set_link_error (error, task_id, source, parser);
    return FALSE;
  }

  if (!decode) {
    g_autoptr (GstPad) pad = gst_element_get_static_pad (parser, "src");

    set_ghost_target (chain, pad);
  }

  gst_element_sync_state_with_parent (parser);
  gst_element_sync_state_with_parent (source);
  if (!decode)
    chain->callbacks.audio_started (chain->user_data);
  return TRUE;
}

/**
 * gst_jimmy_audio_chain_build_live:
 * @source: (transfer floating): where the encoded audio comes from
 * @caps: the live stitch's output caps, which the converters produce
 * @stitch_sink: the live stitch's sink pad
 *
 * Live mode: adds `audioconvert ! audioresample ! capsfilter caps=@caps`
 * linked to @stitch_sink, then `source ! decodebin`, whose first audio pad
 * is linked to audioconvert (audio_started is then called). The chain
 * must have been made without a ghost pad. Called with the bin's state
 * lock held.
 */
gboolean
gst_jimmy_audio_chain_build_live (GstJimmyAudioChain * chain,
    const gchar * task_id, GstCaps * caps, GstPad * stitch_sink,
    GstElement * source, GError ** error)
{
  static const gchar *factories[] = {
    "audioconvert", "audioresample", "capsfilter"
  };
  GstElement *tail[G_N_ELEMENTS (factories)] = { NULL, };
  g_autoptr (GstPad) tail_src = NULL;
  guint i;

  g_return_val_if_fail (chain->ghost == NULL, FALSE);

  for (i = 0; i < G_N_ELEMENTS (factories); i++) {
    tail[i] = gst_jimmy_make_child (GST_ELEMENT_CAST (chain->bin), task_id,
        factories[i], error);
    if (tail[i] == NULL)
      goto failed;
  }
  g_object_set (tail[2], "caps", caps, NULL);

  for (i = 0; i < G_N_ELEMENTS (tail); i++)
    gst_bin_add (chain->bin, tail[i]);
  g_mutex_lock (&chain->lock);
  memcpy (chain->tail, tail, sizeof tail);
  g_mutex_unlock (&chain->lock);

  tail_src = gst_element_get_static_pad (tail[2], "src");
  if (!gst_element_link_many (tail[0], tail[1], tail[2], NULL)
      || GST_PAD_LINK_FAILED (gst_pad_link (tail_src, stitch_sink))) {
    gst_jimmy_set_link_error (error, task_id, tail[0], tail[2]);
    gst_object_unref (gst_object_ref_sink (source));
    return FALSE;
  }
  /* Downstream first, so nothing pushes into an element not ready yet. */
  for (i = G_N_ELEMENTS (tail); i > 0; i--)
    gst_element_sync_state_with_parent (tail[i - 1]);

  return gst_jimmy_audio_chain_build (chain, task_id, source, TRUE, error);

failed:
  for (i = 0; i < G_N_ELEMENTS (tail); i++)
    if (tail[i] != NULL)
      gst_object_unref (gst_object_ref_sink (tail[i]));
  gst_object_unref (gst_object_ref_sink (source));
  return FALSE;
}

/**
 * gst_jimmy_audio_chain_replace_source:
 * @source: (transfer floating): continues the old source's bytes
 *
 * Takes the old source out (no field points at it from then on) and
 * links @source, if any, to the parser in its place. Called with the
 * bin's state lock held. On failure the chain has no source.
 */
gboolean
gst_jimmy_audio_chain_replace_source (GstJimmyAudioChain * chain,
    const gchar * task_id, GstElement * source, GError ** error)
{
  g_autoptr (GstPad) srcpad = NULL;
  g_autoptr (GstPad) sinkpad = NULL;
  GstElement *old;

  /* As urisourcebin's remove_source: steal first, then unlink and
   * remove. */
  g_mutex_lock (&chain->lock);
  old = g_steal_pointer (&chain->source);
  chain->retiring = old;
  sinkpad = chain->parser != NULL ?
      gst_element_get_static_pad (chain->parser, "sink") : NULL;
  g_mutex_unlock (&chain->lock);

  if (old != NULL) {
    g_autoptr (GstPad) oldpad = gst_element_get_static_pad (old, "src");

    if (oldpad != NULL && sinkpad != NULL)
      gst_pad_unlink (oldpad, sinkpad);
    gst_jimmy_remove_child (chain->bin, old);
    g_mutex_lock (&chain->lock);
    chain->retiring = NULL;
    g_mutex_unlock (&chain->lock);
  }

  if (source == NULL || sinkpad == NULL) {
    if (source != NULL)
      gst_object_unref (gst_object_ref_sink (source));
    g_set_error (error, GST_CORE_ERROR, GST_CORE_ERROR_FAILED,
        "Task \"%s\": the audio chain is gone", task_id);
    return FALSE;
  }

  gst_bin_add (chain->bin, source);
  srcpad = gst_element_get_static_pad (source, "src");
  if (srcpad == NULL || GST_PAD_LINK_FAILED (gst_pad_link (srcpad, sinkpad))) {
    gst_jimmy_set_link_error (error, task_id, source, chain->parser);
    gst_jimmy_remove_child (chain->bin, source);
    return FALSE;
  }

  g_mutex_lock (&chain->lock);
  chain->source = source;
  g_mutex_unlock (&chain->lock);
  gst_element_sync_state_with_parent (source);
  return TRUE;
}

/* PAUSED→READY, before the bin changes its children: they keep their
 * state until gst_jimmy_audio_chain_remove() takes them out, so that the
 * bin's change never waits for them. */
void
gst_jimmy_audio_chain_lock_state (GstJimmyAudioChain * chain)
{
  g_mutex_lock (&chain->lock);
  if (chain->source != NULL)
    gst_element_set_locked_state (chain->source, TRUE);
  if (chain->parser != NULL)
    gst_element_set_locked_state (chain->parser, TRUE);
  for (guint i = 0; i < G_N_ELEMENTS (chain->tail); i++)
    if (chain->tail[i] != NULL)
      gst_element_set_locked_state (chain->tail[i], TRUE);
  g_mutex_unlock (&chain->lock);
}

/* Takes the children out and stops them (see
 * gst_jimmy_remove_children()); @done (nullable) runs once they stopped.
 * Called with the bin's state lock held. */
void
gst_jimmy_audio_chain_remove (GstJimmyAudioChain * chain,
    GDestroyNotify done, gpointer done_data)
{
  GstElement *children[5];

  /* Downstream first. */
  g_mutex_lock (&chain->lock);
  children[0] = g_steal_pointer (&chain->tail[2]);
  children[1] = g_steal_pointer (&chain->tail[1]);
  children[2] = g_steal_pointer (&chain->tail[0]);
  children[3] = g_steal_pointer (&chain->parser);
  children[4] = g_steal_pointer (&chain->source);
  g_mutex_unlock (&chain->lock);

  set_ghost_target (chain, NULL);
  gst_jimmy_remove_children (chain->bin, children, G_N_ELEMENTS (children),
      done, done_data);
}

static gboolean
comes_from (GstObject * object, GstElement * element)
{
  return element != NULL && (object == GST_OBJECT_CAST (element)
      || gst_object_has_as_ancestor (object, GST_OBJECT_CAST (element)));
}

gboolean
gst_jimmy_audio_chain_has_source (GstJimmyAudioChain * chain,
    GstObject * object)
{
  gboolean found;

  g_mutex_lock (&chain->lock);
  found = comes_from (object, chain->source)
      || comes_from (object, chain->retiring);
  g_mutex_unlock (&chain->lock);
  return found;
}

gboolean
gst_jimmy_audio_chain_has_parser (GstJimmyAudioChain * chain,
    GstObject * object)
{
  gboolean found;

  g_mutex_lock (&chain->lock);
  found = comes_from (object, chain->parser);
  for (guint i = 0; i < G_N_ELEMENTS (chain->tail); i++)
    found = found || comes_from (object, chain->tail[i]);
  g_mutex_unlock (&chain->lock);
  return found;
}

/* Returns: (nullable): a web content type decodebin was given */
gchar *
gst_jimmy_audio_chain_dup_web_content (GstJimmyAudioChain * chain)
{
  gchar *type;

  g_mutex_lock (&chain->lock);
  type = g_strdup (chain->web_content);
  g_mutex_unlock (&chain->lock);
  return type;
}
