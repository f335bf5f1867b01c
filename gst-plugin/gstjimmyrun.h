/* gstjimmyrun.h: one run of jimmyaudiosrc, from READY→PAUSED to
 * PAUSED→READY.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <gst/gst.h>

#include "gstjimmystats.h"
#include "gstjimmytags.h"
#include "jimmy-poller.h"

G_BEGIN_DECLS

typedef struct _GstJimmyRun GstJimmyRun;

/**
 * GstJimmyRunSettings:
 * @options: (owned): the task and HTTP settings
 * @cache_dir: (owned) (nullable): where completed tasks are kept
 * @cache_max_size: trim the cache to this many bytes after storing (0:
 *   no limit)
 *
 * What the shell copied from its properties at READY→PAUSED.
 */
typedef struct
{
  JimmyPollOptions *options;
  gboolean decode;
  gboolean subtitles;
  gchar *cache_dir;
  guint64 cache_max_size;
  gboolean is_live;             /* silence until the audio: see
                                 * gstjimmyrunlive.c */
} GstJimmyRunSettings;

void gst_jimmy_run_settings_free (GstJimmyRunSettings *settings);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GstJimmyRunSettings, gst_jimmy_run_settings_free)

/**
 * GstJimmyRunCallbacks:
 * @bin_message: hands async-start and async-done to the bin's own
 *   GstBin::handle_message, so that the bin's state completes
 * @result: the task as last reported, for the read-only properties
 *
 * How a run reports up to the element. Never called on the poller thread.
 */
typedef struct
{
  void (*bin_message) (GstElement *element, GstMessage *message);
  void (*result) (GstElement *element, const JimmyTask *task);
} GstJimmyRunCallbacks;

/* Test hook: object data under this key on the element names the factory
 * the expired-URL recovery makes its resumed source with (default
 * souphttpsrc). Only tests set it. */
#define GST_JIMMY_TEST_RESUME_FACTORY "gst-jimmy-test-resume-factory"
/* Test hook: the factory of the audio source itself, made without any
 * property set (e.g. a child that blocks in its stop). */
#define GST_JIMMY_TEST_SOURCE_FACTORY "gst-jimmy-test-source-factory"

GstJimmyRun *gst_jimmy_run_new (GstElement *element,
                                JimmyPoller *poller,
                                GstJimmyTagInjector *tag_injector,
                                GstJimmyRunSettings *settings,
                                const GstJimmyRunCallbacks *callbacks);
GstJimmyRun *gst_jimmy_run_ref (GstJimmyRun *run);
GstJimmyStats *gst_jimmy_run_dup_stats (GstJimmyRun *run);
void gst_jimmy_run_unref (GstJimmyRun *run);

void gst_jimmy_run_start_preroll (GstJimmyRun *run);
void gst_jimmy_run_start_live (GstJimmyRun *run);
gboolean gst_jimmy_run_is_live (GstJimmyRun *run);
void gst_jimmy_run_start (GstJimmyRun *run);
void gst_jimmy_run_stop (GstJimmyRun *run);
void gst_jimmy_run_finish (GstJimmyRun *run);
gboolean gst_jimmy_run_handle_message (GstJimmyRun *run,
                                       GstMessage *message);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (GstJimmyRun, gst_jimmy_run_unref)

G_END_DECLS
