/* gstjimmyrunreport.c: what a run tells the application about itself:
 * the preroll (async-start, async-done), progress messages (START,
 * CONTINUE on every status, then exactly one of COMPLETE, ERROR or
 * CANCELED, as rtspsrc posts them) and its one error: the first failure
 * of a run is posted, the rest of it is dropped.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "gstjimmyrun-private.h"
#include "gstjimmychilderrors.h"
#include "gstjimmyelements.h"
#include "gstjimmymessages.h"

#define GST_CAT_DEFAULT gst_jimmy_audio_src_debug

const gchar *
gst_jimmy_run_task_id (GstJimmyRun * run)
{
  return run->settings->options->task_id;
}

/* Returns: (transfer full) (nullable): the element, unless stopped */
GstElement *
gst_jimmy_run_dup_element (GstJimmyRun * run)
{
  GstElement *element = NULL;

  g_mutex_lock (&run->lock);
  if (run->state != RUN_STOPPED)
    element = gst_object_ref (run->element);
  g_mutex_unlock (&run->lock);
  return element;
}

/* ---------------------------------------------------------------------- */
/* Preroll and progress: the bin is ASYNC from READY→PAUSED until audio
 * flows; progress as rtspsrc posts it: START, CONTINUE on every status,
 * then exactly one of COMPLETE, ERROR or CANCELED. */

#define PROGRESS_CODE "task"

void
gst_jimmy_run_start_preroll (GstJimmyRun * run)
{
  g_mutex_lock (&run->lock);
  run->async_pending = TRUE;
  g_mutex_unlock (&run->lock);
  run->callbacks.bin_message (run->element,
      gst_message_new_async_start (GST_OBJECT_CAST (run->element)));
}

void
gst_jimmy_run_preroll_done (GstJimmyRun * run, GstElement * element)
{
  gboolean pending;

  g_mutex_lock (&run->lock);
  pending = run->async_pending;
  run->async_pending = FALSE;
  g_mutex_unlock (&run->lock);
  if (pending)
    run->callbacks.bin_message (element,
        gst_message_new_async_done (GST_OBJECT_CAST (element),
            GST_CLOCK_TIME_NONE));
}

void
gst_jimmy_run_post_progress (GstElement * element, GstProgressType type,
    const gchar * text)
{
  gst_element_post_message (element,
      gst_message_new_progress (GST_OBJECT_CAST (element), type,
          PROGRESS_CODE, text));
}

/* Posts @type unless the progress already ended. */
void
gst_jimmy_run_end_progress (GstJimmyRun * run, GstElement * element,
    GstProgressType type, const gchar * text)
{
  gboolean open;

  g_mutex_lock (&run->lock);
  open = run->progress_open;
  run->progress_open = FALSE;
  g_mutex_unlock (&run->lock);
  if (open)
    gst_jimmy_run_post_progress (element, type, text);
}

/* ---------------------------------------------------------------------- */
/* Failures: one error per run */

/* Returns: whether this is the run's first failure (and it is not
 * stopped). */
static gboolean
enter_failed (GstJimmyRun * run)
{
  gboolean first;

  g_mutex_lock (&run->lock);
  first = run->state != RUN_FAILED && run->state != RUN_STOPPED;
  if (first)
    run->state = RUN_FAILED;
  g_mutex_unlock (&run->lock);
  return first;
}

/* @progress_text: (nullable): for the progress ERROR; default @text */
void
gst_jimmy_run_fail (GstJimmyRun * run, GstElement * element,
    const gchar * progress_text, GQuark domain, gint code, const gchar * text,
    const gchar * debug, const JimmyPollFailure * failure)
{
  if (!enter_failed (run))
    return;
  GST_WARNING_OBJECT (element, "%s", text);
  gst_jimmy_run_end_progress (run, element, GST_PROGRESS_TYPE_ERROR,
      progress_text != NULL ? progress_text : text);
  gst_jimmy_post_error (element, domain, code, gst_jimmy_run_task_id (run),
      text, debug, failure);
  gst_jimmy_run_preroll_done (run, element);
  gst_jimmy_run_live_end_without_audio (run);
}

/* The chains could not be built: a missing plug-in, a broken install. */
void
gst_jimmy_run_fail_build (GstJimmyRun * run, GstElement * element,
    const GError * error)
{
  gst_jimmy_run_fail (run, element,
      "Could not build the pipeline for the task's audio", error->domain,
      error->code, error->message, NULL, NULL);
}

/* A wait failed: the client's error, mapped to a RESOURCE code. */
void
gst_jimmy_run_fail_wait (GstJimmyRun * run, GstElement * element,
    const GError * error, const JimmyPollFailure * failure)
{
  if (!enter_failed (run))
    return;
  GST_WARNING_OBJECT (element, "%s", error->message);
  gst_jimmy_run_end_progress (run, element, GST_PROGRESS_TYPE_ERROR,
      error->message);
  gst_jimmy_post_client_error (element, gst_jimmy_run_task_id (run), error,
      failure);
  gst_jimmy_run_preroll_done (run, element);
  gst_jimmy_run_live_end_without_audio (run);
}

/* What was served is no audio. @media_type: (nullable): the web content
 * found */
void
gst_jimmy_run_fail_not_audio (GstJimmyRun * run, GstElement * element,
    const gchar * media_type)
{
  g_autofree gchar *text = gst_jimmy_not_audio_text (gst_jimmy_run_task_id
      (run), media_type);

  gst_jimmy_run_fail (run, element, NULL, GST_STREAM_ERROR,
      GST_STREAM_ERROR_WRONG_TYPE, text, media_type, NULL);
}
