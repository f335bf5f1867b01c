/* gstjimmyaudiosrc-private.h: what the element's files share.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include "gstjimmyaudiosrc.h"
#include "gstjimmytags.h"
#include "jimmy-poller.h"

G_BEGIN_DECLS

struct _GstJimmyAudioSrc
{
  GstBin parent;

  GstPad *srcpad;               /* the ghost pad, always there */
  GstJimmyTagInjector *tag_injector;    /* on srcpad */

  /* Settings and results; the object lock guards them. NULL api_key and
   * api_url mean "not set": the environment decides at start. */
  gchar *task_id;
  gchar *api_key;
  gchar *api_url;
  guint poll_interval;
  guint task_timeout;
  guint request_timeout;
  gint max_retries;
  gboolean decode;
  gchar *user_agent;
  gchar *proxy;
  gboolean ssl_strict;
  gboolean subtitles;
  gchar *status;
  gchar *model_id;
  gchar *audio_url;
  gchar *subtitle_url;

  /* Runtime state; `lock` guards it. Never post messages, add pads or
   * change child states while holding it. */
  GMutex lock;
  JimmyPoller *poller;          /* NULL → READY … READY → NULL */
  GCancellable *cancellable;    /* the current wait's */
  JimmyPollOptions *options;    /* the current run's settings */
  gboolean run_decode;
  gboolean run_subtitles;
  guint generation;             /* bumped by every start and stop */
  gboolean async_pending;
  gboolean progress_open;       /* START posted, no ending yet */
  gboolean audio_exposed;
  GstElement *http_src;         /* children, added once completed */
  GstElement *parser;
  GstElement *subtitle_src;     /* with subtitles=true and a subtitleFile */
  GstElement *subtitle_parser;
  GstPad *subtitle_pad;         /* the "subtitle" ghost pad, while added */
};

/* gstjimmyaudiosrc.c */
void gst_jimmy_audio_src_preroll_done (GstJimmyAudioSrc *self);
void gst_jimmy_audio_src_audio_started (GstJimmyAudioSrc *self);
void gst_jimmy_audio_src_end_progress (GstJimmyAudioSrc *self,
                                       GstProgressType type,
                                       const gchar *text);
gchar *gst_jimmy_audio_src_dup_run_task_id (GstJimmyAudioSrc *self);

/* gstjimmyaudiochain.c */
GstElement *gst_jimmy_make_child (GstJimmyAudioSrc *self,
                                  const gchar *factory);
GstElement *gst_jimmy_make_http_src (GstJimmyAudioSrc *self,
                                     const JimmyPollOptions *options,
                                     const gchar *url);
void gst_jimmy_remove_child (GstJimmyAudioSrc *self,
                             GstElement *element);
gboolean gst_jimmy_audio_chain_add (GstJimmyAudioSrc *self,
                                    const JimmyPollOptions *options,
                                    gboolean decode,
                                    const gchar *audio_url);
void gst_jimmy_audio_chain_remove (GstJimmyAudioSrc *self);

/* gstjimmysubtitlechain.c */
gboolean gst_jimmy_subtitle_chain_add (GstJimmyAudioSrc *self,
                                       const JimmyPollOptions *options,
                                       const gchar *subtitle_url);
void gst_jimmy_subtitle_chain_remove (GstJimmyAudioSrc *self);

/* gstjimmyurihandler.c */
void gst_jimmy_audio_src_uri_handler_init (gpointer g_iface,
                                           gpointer iface_data);

G_END_DECLS
