/* gstjimmyrun-private.h: what the run's own files share (gstjimmyrun.c,
 * gstjimmyrunreport.c, gstjimmyrunpolicy.c); nothing else includes it.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include "gstjimmyrun.h"
#include "gstjimmyaudiochain.h"
#include "gstjimmycachetap.h"
#include "gstjimmysourcewatch.h"
#include "gstjimmysubtitlechain.h"
#include "gstjimmyinbox.h"
#include "gstjimmystats.h"

G_BEGIN_DECLS

typedef enum
{
  RUN_WAITING,                  /* polling the task, or reading the cache */
  RUN_BUILDING,                 /* completed: chains built, no audio yet */
  RUN_PLAYING,                  /* audio on the src pad, preroll done */
  RUN_RECOVERING,               /* audioUrl refused: re-polling, resuming */
  RUN_FAILED,                   /* one error posted; the rest is dropped */
  RUN_STOPPED,                  /* PAUSED→READY came; callbacks are late */
} RunState;

struct _GstJimmyRun
{
  /* Set at creation, read-only after. */
  GstJimmyRunSettings *settings;        /* (owned) */
  GstJimmyRunCallbacks callbacks;
  JimmyPoller *poller;          /* (owned) */
  GstJimmyTagInjector *tag_injector;    /* (unowned) the element's */
  GstJimmyInbox *inbox;         /* (owned) Event, poller → async pool */
  GstJimmyStats *stats;         /* (owned) has its own lock */

  /* `lock` guards everything below. Never held while posting, changing
   * states, adding or removing children or pads, or calling callbacks;
   * taken after the element's state lock, before a chain's lock. */
  GMutex lock;
  RunState state;
  GstElement *element;          /* (owned) until finished */
  GCancellable *cancellable;    /* (owned) (nullable) the waits' */
  gboolean async_pending;       /* async-start posted, not async-done */
  gboolean progress_open;       /* progress START posted, no end yet */
  gboolean audio_started;       /* a RECOVERING run goes back to PLAYING */
  GstObject *refused_source;    /* (owned) (nullable) its errors are
                                 * the refusal's, being recovered */
  gboolean refreshed;           /* the one refresh of audioUrl was used */
  gboolean subtitle_warned;     /* the subtitles' failure was reported */
  JimmyTask *task;              /* (owned) (nullable) once completed */
  JimmyCacheEntry *cache_entry; /* (owned) (nullable) the hit it plays,
                                 * held (never evicted) until finished */
  GstJimmyAudioChain *audio;    /* (owned) (nullable) */
  GstJimmySourceWatch *watch;   /* (owned) (nullable) on a network source */
  GstJimmyCacheTap *cache_tap;  /* (owned) (nullable) */
  GstJimmySubtitleChain *subtitles;     /* (owned) (nullable) */

  /* Live mode only (gstjimmyrunlive.c). */
  GstElement *stitch;           /* (owned) (nullable) in the bin */
  gulong output_caps_id;        /* its output-caps handler */
  GstCaps *output_caps;         /* (owned) (nullable) once negotiated */
  gboolean live_task_ready;     /* the task's chains wait for the caps */
  gboolean live_built;          /* the audio chain was built */
};

/* gstjimmyrunreport.c: preroll, progress and the one error of a run */
const gchar *gst_jimmy_run_task_id (GstJimmyRun *run);
GstElement *gst_jimmy_run_dup_element (GstJimmyRun *run);
void gst_jimmy_run_preroll_done (GstJimmyRun *run,
                                 GstElement *element);
void gst_jimmy_run_post_progress (GstElement *element,
                                  GstProgressType type,
                                  const gchar *text);
void gst_jimmy_run_end_progress (GstJimmyRun *run,
                                 GstElement *element,
                                 GstProgressType type,
                                 const gchar *text);
void gst_jimmy_run_fail (GstJimmyRun *run,
                         GstElement *element,
                         const gchar *progress_text,
                         GQuark domain,
                         gint code,
                         const gchar *text,
                         const gchar *debug,
                         const JimmyPollFailure *failure);
void gst_jimmy_run_fail_build (GstJimmyRun *run,
                               GstElement *element,
                               const GError *error);
void gst_jimmy_run_fail_wait (GstJimmyRun *run,
                              GstElement *element,
                              const GError *error,
                              const JimmyPollFailure *failure);
void gst_jimmy_run_fail_not_audio (GstJimmyRun *run,
                                   GstElement *element,
                                   const gchar *media_type);

/* gstjimmyrun.c */
void gst_jimmy_run_refresh_audio_url (GstJimmyRun *run);
void gst_jimmy_run_build_chains (GstJimmyRun *run,
                                 GstElement *element);

/* gstjimmyrunlive.c: is-live=true */
gboolean gst_jimmy_run_live_claim_build (GstJimmyRun *run);
gboolean gst_jimmy_run_live_build_audio (GstJimmyRun *run,
                                         GstJimmyAudioChain *chain,
                                         const gchar *task_id,
                                         GstElement *source,
                                         GError **error);
void gst_jimmy_run_live_end_without_audio (GstJimmyRun *run);
gboolean gst_jimmy_run_live_drops_message (GstJimmyRun *run,
                                           GstMessage *message);
void gst_jimmy_run_live_remove (GstJimmyRun *run,
                                GstElement *element);

G_END_DECLS
