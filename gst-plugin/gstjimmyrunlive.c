/* gstjimmyrunlive.c: a run with is-live=true. The live stitch is the
 * bin's output from READY→PAUSED on (no preroll): it plays silence from
 * PLAYING while the task is polled. The audio chain, `source ! decodebin
 * ! audioconvert ! audioresample ! capsfilter`, feeds the stitch's sink
 * pad once the task completed and the stitch negotiated its output caps,
 * whichever comes second.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "gstjimmyrun-private.h"
#include "gstjimmychildren.h"
#include "gstjimmyelements.h"
#include "gstjimmylivestitch.h"

#define GST_CAT_DEFAULT gst_jimmy_audio_src_debug

/* In the element's async pool: the task completed before the caps. */
static void
build_in_pool (GstElement * element, gpointer user_data)
{
  GstJimmyRun *run = user_data;
  gboolean stopped;

  GST_STATE_LOCK (element);
  g_mutex_lock (&run->lock);
  stopped = run->state == RUN_STOPPED;
  g_mutex_unlock (&run->lock);
  if (!stopped)
    gst_jimmy_run_build_chains (run, element);
  GST_STATE_UNLOCK (element);
}

/* The stitch's streaming thread, in PAUSED: must not block nor change
 * states, so the bin work goes to the async pool. */
static void
on_output_caps (GstElement * stitch, GstCaps * caps, GstJimmyRun * run)
{
  g_autoptr (GstElement) element = NULL;
  gboolean build;

  g_mutex_lock (&run->lock);
  gst_caps_replace (&run->output_caps, caps);
  build = run->live_task_ready && !run->live_built
      && run->state != RUN_STOPPED && run->state != RUN_FAILED;
  if (build)
    element = gst_object_ref (run->element);
  g_mutex_unlock (&run->lock);

  GST_DEBUG_OBJECT (stitch, "output caps %" GST_PTR_FORMAT "%s", caps,
      build ? "; the task is waiting for them" : "");
  if (build)
    gst_element_call_async (element, build_in_pool, gst_jimmy_run_ref (run),
        (GDestroyNotify) gst_jimmy_run_unref);
}

gboolean
gst_jimmy_run_is_live (GstJimmyRun * run)
{
  return run->settings->is_live;
}

/**
 * gst_jimmy_run_start_live:
 *
 * READY→PAUSED, before chaining up, instead of
 * gst_jimmy_run_start_preroll(): adds the live stitch and points the src
 * pad at it, so the bin's change brings it to PAUSED and returns
 * NO_PREROLL.
 */
void
gst_jimmy_run_start_live (GstJimmyRun * run)
{
  GstElement *stitch = gst_object_ref_sink (gst_jimmy_live_stitch_new
      ("live-stitch"));
  g_autoptr (GstPad) srcpad = gst_element_get_static_pad (run->element, "src");
  g_autoptr (GstPad) target = gst_element_get_static_pad (stitch, "src");
  gulong id;

  id = g_signal_connect_data (stitch, "output-caps",
      G_CALLBACK (on_output_caps), gst_jimmy_run_ref (run),
      (GClosureNotify) (void (*)(void)) gst_jimmy_run_unref, 0);
  g_mutex_lock (&run->lock);
  run->stitch = gst_object_ref (stitch);
  run->output_caps_id = id;
  g_mutex_unlock (&run->lock);

  gst_bin_add (GST_BIN_CAST (run->element), stitch);
  if (!gst_ghost_pad_set_target (GST_GHOST_PAD_CAST (srcpad), target))
    GST_WARNING_OBJECT (run->element, "could not target the live stitch");
  gst_object_unref (stitch);
}

/**
 * gst_jimmy_run_live_claim_build:
 *
 * With the state lock held, when the task's chains are due: whether they
 * are to be built now (the caps are known, and nobody built them yet).
 * Otherwise the output-caps handler builds them later.
 */
gboolean
gst_jimmy_run_live_claim_build (GstJimmyRun * run)
{
  gboolean claimed;

  g_mutex_lock (&run->lock);
  run->live_task_ready = TRUE;
  claimed = run->output_caps != NULL && !run->live_built;
  if (claimed)
    run->live_built = TRUE;
  g_mutex_unlock (&run->lock);
  if (!claimed)
    GST_DEBUG_OBJECT (run->element, "task %s completed; waiting for the "
        "output caps", gst_jimmy_run_task_id (run));
  return claimed;
}

/* With the state lock held: the decoded audio into the stitch. */
gboolean
gst_jimmy_run_live_build_audio (GstJimmyRun * run, GstJimmyAudioChain * chain,
    const gchar * task_id, GstElement * source, GError ** error)
{
  g_autoptr (GstCaps) caps = NULL;
  g_autoptr (GstPad) sinkpad = NULL;

  g_mutex_lock (&run->lock);
  caps = gst_caps_ref (run->output_caps);
  sinkpad = gst_element_get_static_pad (run->stitch, "sink");
  g_mutex_unlock (&run->lock);

  return gst_jimmy_audio_chain_build_live (chain, task_id, caps, sinkpad,
      source, error);
}

/**
 * gst_jimmy_run_live_end_without_audio:
 *
 * After a live run's error was posted, in whichever thread: if no audio
 * reached the stitch, end its output (stream-start, then EOS into its
 * sink pad, which nothing else feeds yet), so that a consumer that keeps
 * running after errors, as gst-rtsp-server does, sees the end instead of
 * silence for ever. Audio that started ends on its own EOS.
 */
void
gst_jimmy_run_live_end_without_audio (GstJimmyRun * run)
{
  g_autoptr (GstElement) stitch = NULL;
  g_autoptr (GstPad) sinkpad = NULL;

  if (!run->settings->is_live)
    return;
  g_mutex_lock (&run->lock);
  if (run->stitch != NULL && !run->audio_started)
    stitch = gst_object_ref (run->stitch);
  g_mutex_unlock (&run->lock);
  if (stitch == NULL)
    return;

  GST_DEBUG_OBJECT (stitch, "ending the output: the run failed before any "
      "audio");
  sinkpad = gst_element_get_static_pad (stitch, "sink");
  gst_pad_send_event (sinkpad, gst_event_new_stream_start ("jimmy-no-audio"));
  gst_pad_send_event (sinkpad, gst_event_new_eos ());
}

/**
 * gst_jimmy_run_live_drops_message:
 *
 * From GstBin::handle_message, in whichever thread posted: a live bin
 * has no preroll, so the audio chain's own (decodebin's async-start and
 * async-done, when it is built in PAUSED) must not reach the bin, which
 * would then lose its state and hold the pipeline's sinks in PAUSED.
 */
gboolean
gst_jimmy_run_live_drops_message (GstJimmyRun * run, GstMessage * message)
{
  GstMessageType type = GST_MESSAGE_TYPE (message);

  if (!run->settings->is_live)
    return FALSE;
  if (type != GST_MESSAGE_ASYNC_START && type != GST_MESSAGE_ASYNC_DONE)
    return FALSE;
  GST_DEBUG_OBJECT (GST_MESSAGE_SRC (message), "dropping %s: a live bin "
      "does not preroll", GST_MESSAGE_TYPE_NAME (message));
  return TRUE;
}

/**
 * gst_jimmy_run_live_remove:
 *
 * From gst_jimmy_run_finish(), after the audio chain was taken out: the
 * bin already brought the stitch down; take it out too.
 */
void
gst_jimmy_run_live_remove (GstJimmyRun * run, GstElement * element)
{
  g_autoptr (GstPad) srcpad = NULL;
  GstElement *stitch;
  gulong id;

  g_mutex_lock (&run->lock);
  stitch = g_steal_pointer (&run->stitch);
  id = run->output_caps_id;
  run->output_caps_id = 0;
  g_mutex_unlock (&run->lock);
  if (stitch == NULL)
    return;

  /* The handler holds a reference to the run. */
  g_signal_handler_disconnect (stitch, id);
  srcpad = gst_element_get_static_pad (element, "src");
  gst_ghost_pad_set_target (GST_GHOST_PAD_CAST (srcpad), NULL);
  gst_jimmy_remove_child (GST_BIN_CAST (element), stitch);
  gst_object_unref (stitch);
}
