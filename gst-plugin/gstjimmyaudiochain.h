/* gstjimmyaudiochain.h: source ! decodebin (or typefind) behind the src
 * ghost pad.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <gst/gst.h>

G_BEGIN_DECLS

typedef struct _GstJimmyAudioChain GstJimmyAudioChain;

/**
 * GstJimmyAudioChainCallbacks:
 * @audio_started: the src pad has its audio (streaming thread)
 * @not_audio: what was served is no audio; @media_type is the web content
 *   type found, or %NULL when decodebin found no audio stream (streaming
 *   thread)
 *
 * How the chain reports up; it calls nothing else of its owner.
 */
typedef struct
{
  void (*audio_started) (gpointer user_data);
  void (*not_audio) (const gchar *media_type, gpointer user_data);
} GstJimmyAudioChainCallbacks;

GstJimmyAudioChain *gst_jimmy_audio_chain_new (GstBin *bin,
                                               GstPad *ghost,
                                               const GstJimmyAudioChainCallbacks *callbacks,
                                               gpointer user_data,
                                               GDestroyNotify user_data_free);
GstJimmyAudioChain *gst_jimmy_audio_chain_ref (GstJimmyAudioChain *chain);
void gst_jimmy_audio_chain_unref (GstJimmyAudioChain *chain);

gboolean gst_jimmy_audio_chain_build (GstJimmyAudioChain *chain,
                                      const gchar *task_id,
                                      GstElement *source,
                                      gboolean decode,
                                      GError **error);
gboolean gst_jimmy_audio_chain_build_live (GstJimmyAudioChain *chain,
                                           const gchar *task_id,
                                           GstCaps *caps,
                                           GstPad *stitch_sink,
                                           GstElement *source,
                                           GError **error);
gboolean gst_jimmy_audio_chain_replace_source (GstJimmyAudioChain *chain,
                                               const gchar *task_id,
                                               GstElement *source,
                                               GError **error);
void gst_jimmy_audio_chain_lock_state (GstJimmyAudioChain *chain);
void gst_jimmy_audio_chain_remove (GstJimmyAudioChain *chain,
                                   GDestroyNotify done,
                                   gpointer done_data);

gboolean gst_jimmy_audio_chain_has_source (GstJimmyAudioChain *chain,
                                           GstObject *object);
gboolean gst_jimmy_audio_chain_has_parser (GstJimmyAudioChain *chain,
                                           GstObject *object);
gchar *gst_jimmy_audio_chain_dup_web_content (GstJimmyAudioChain *chain);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (GstJimmyAudioChain, gst_jimmy_audio_chain_unref)

G_END_DECLS
