/* gstjimmyaudiosrc-private.h: what the element's files share.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include "gstjimmyaudiosrc.h"
#include "gstjimmycachetap.h"
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
  SoupLoggerLogLevel http_log_level;
  gboolean subtitles;
  gchar *cache_dir;
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
  gchar *run_cache_dir;         /* (nullable) */
  JimmyTask *run_task;          /* (nullable) once completed */
  gchar *run_cached_audio;      /* (nullable) the cache entry it plays */
  guint generation;             /* bumped by every start and stop */
  gboolean async_pending;
  gboolean progress_open;       /* START posted, no ending yet */
  gboolean audio_exposed;
  GstElement *audio_source;     /* children, added once completed */
  GstElement *parser;
  GstElement *subtitle_src;     /* with subtitles=true and a subtitleFile */
  GstElement *subtitle_parser;
  GstPad *subtitle_pad;         /* the "subtitle" ghost pad, while added */
  GstJimmyCacheTap *cache_tap;  /* (nullable) copying audio to the cache */
  gboolean audio_network;       /* audio_source is souphttpsrc */
  guint64 bytes_received;       /* audio bytes sent downstream so far */
  gboolean recovering;          /* re-polling after the media host refused */
  gboolean recovered;           /* already did, this run */
  gboolean failure_posted;      /* the chain's failure was reported */
  gchar *not_audio_type;        /* (nullable) web content found instead */
};

/* gstjimmyaudiosrc.c */
void gst_jimmy_audio_src_set_result (GstJimmyAudioSrc *self,
                                     const JimmyTask *task);
void gst_jimmy_audio_src_start_progress (GstJimmyAudioSrc *self);
void gst_jimmy_audio_src_continue_progress (GstJimmyAudioSrc *self,
                                            const JimmyTask *task);
void gst_jimmy_audio_src_preroll_done (GstJimmyAudioSrc *self);
void gst_jimmy_audio_src_audio_started (GstJimmyAudioSrc *self);
void gst_jimmy_audio_src_end_progress (GstJimmyAudioSrc *self,
                                       GstProgressType type,
                                       const gchar *text);

/* gstjimmyaudiochain.c */
GstElement *gst_jimmy_make_child (GstJimmyAudioSrc *self,
                                  const gchar *factory);
GstElement *gst_jimmy_make_http_src (GstJimmyAudioSrc *self,
                                     const JimmyPollOptions *options,
                                     const gchar *url);
void gst_jimmy_remove_child (GstJimmyAudioSrc *self,
                             GstElement *element);
void gst_jimmy_post_link_error (GstJimmyAudioSrc *self);
gboolean gst_jimmy_audio_chain_add (GstJimmyAudioSrc *self,
                                    GstElement *source,
                                    gboolean decode);
void gst_jimmy_audio_chain_remove (GstJimmyAudioSrc *self);

/* gstjimmyrun.c */
GST_DEBUG_CATEGORY_EXTERN (gst_jimmy_http_debug);
gchar *gst_jimmy_audio_src_dup_run_task_id (GstJimmyAudioSrc *self);
const gchar *gst_jimmy_nonempty_or_null (const gchar *value);
gboolean gst_jimmy_run_prepare (GstJimmyAudioSrc *self);
void gst_jimmy_run_start (GstJimmyAudioSrc *self);
void gst_jimmy_run_stop (GstJimmyAudioSrc *self);

void gst_jimmy_run_refresh_audio_url (GstJimmyAudioSrc *self);

/* gstjimmychilderrors.c */
gboolean gst_jimmy_child_errors_handle_message (GstJimmyAudioSrc *self,
                                                GstMessage *message);
void gst_jimmy_post_not_audio (GstJimmyAudioSrc *self,
                               const gchar *media_type);
gboolean gst_jimmy_on_autoplug_continue (GstElement *decoder,
                                         GstPad *pad,
                                         GstCaps *caps,
                                         GstJimmyAudioSrc *self);
void gst_jimmy_on_have_type (GstElement *typefind,
                             guint probability,
                             GstCaps *caps,
                             GstJimmyAudioSrc *self);

/* gstjimmyrecovery.c */
gboolean gst_jimmy_recovery_handle_message (GstJimmyAudioSrc *self,
                                            GstMessage *message);
void gst_jimmy_recovery_watch_source (GstJimmyAudioSrc *self,
                                      GstElement *source,
                                      gboolean resumed,
                                      guint64 resume_offset);
void gst_jimmy_recovery_resume (GstJimmyAudioSrc *self);

/* gstjimmysubtitlechain.c */
gboolean gst_jimmy_subtitle_chain_add (GstJimmyAudioSrc *self,
                                       const JimmyPollOptions *options,
                                       const gchar *subtitle_url);
void gst_jimmy_subtitle_chain_remove (GstJimmyAudioSrc *self);

/* gstjimmyurihandler.c */
void gst_jimmy_audio_src_uri_handler_init (gpointer g_iface,
                                           gpointer iface_data);

G_END_DECLS
