/* gstjimmyrunpolicy.c: what a run does with the errors its chains post,
 * in whichever thread posted them: the first error of a failure is
 * posted again as the element's own, naming the task (and saying what it
 * is: the network, the format downstream refused, web content); the rest
 * are dropped; an audioUrl the media host refuses (HTTP 401, 403, 410) is
 * refreshed once; the subtitles only ever warn.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <gst/pbutils/missing-plugins.h>

#include "gstjimmyrun-private.h"
#include "gstjimmychilderrors.h"
#include "gstjimmyelements.h"
#include "gstjimmymessages.h"

#define GST_CAT_DEFAULT gst_jimmy_audio_src_debug

static gboolean
is_expiry_status (guint status)
{
  return status == 401 || status == 403 || status == 410;
}

static void
fail_refused_again (GstJimmyRun * run, GstElement * element, guint status)
{
  g_autofree gchar *text = g_strdup_printf ("The media host refused the "
      "audio of task \"%s\" (HTTP %u) even at the fresh audioUrl the API "
      "gave after the first refusal; create the task again, or check what "
      "the media host lets this client fetch.", gst_jimmy_run_task_id (run),
      status);
  JimmyPollFailure failure = {.http_status = status };

  gst_jimmy_run_fail (run, element, NULL, GST_RESOURCE_ERROR, status == 410 ?
      GST_RESOURCE_ERROR_NOT_FOUND : GST_RESOURCE_ERROR_NOT_AUTHORIZED, text,
      NULL, &failure);
}

/* The media host refused the audioUrl: the first time, poll the task
 * once more for a fresh one (the errors of the refused source are
 * dropped until it is replaced); the second time, fail. */
static void
refused (GstJimmyRun * run, GstElement * element, GstObject * source,
    guint status)
{
  gboolean again;

  g_mutex_lock (&run->lock);
  again = run->refreshed;
  /* What basesrc sends after its error is no end of the audio. */
  if (run->watch != NULL)
    gst_jimmy_source_watch_hold_eos (run->watch);
  if (!again) {
    run->refreshed = TRUE;
    run->state = RUN_RECOVERING;
    gst_object_replace ((GstObject **) & run->refused_source, source);
  }
  g_mutex_unlock (&run->lock);

  if (again) {
    fail_refused_again (run, element, status);
    return;
  }
  GST_INFO_OBJECT (element, "audioUrl refused (HTTP %u): asking the API "
      "for a fresh one", status);
  gst_jimmy_run_refresh_audio_url (run);
}

/* A failed subtitle download ends the subtitle pad (basesrc sends EOS
 * after its error); the audio plays on. */
static void
warn_subtitles (GstJimmyRun * run, GstElement * element, GstMessage * message)
{
  g_autoptr (GError) error = NULL;
  g_autofree gchar *debug = NULL;
  g_autofree gchar *text = NULL;
  gboolean first;

  g_mutex_lock (&run->lock);
  first = !run->subtitle_warned;
  run->subtitle_warned = TRUE;
  /* Before the EOS basesrc sends after its error: not a whole file. */
  if (run->cache_tap != NULL)
    gst_jimmy_cache_tap_subtitles_failed (run->cache_tap);
  g_mutex_unlock (&run->lock);
  if (!first)
    return;

  gst_message_parse_error (message, &error, &debug);
  text = g_strdup_printf ("Could not fetch the subtitles of task \"%s\": "
      "%s; the subtitle pad ends, the audio plays on.",
      gst_jimmy_run_task_id (run), error->message);
  gst_jimmy_post_warning (element, error->domain, error->code,
      gst_jimmy_run_task_id (run), text, debug);
}

static void
explain_chain_error (GstJimmyRun * run, GstElement * element,
    GstMessage * message, gboolean from_source)
{
  GstJimmyChildError explained = { 0, };
  g_autoptr (GstPad) srcpad = gst_element_get_static_pad (element, "src");
  g_autoptr (GstPad) target =
      gst_ghost_pad_get_target (GST_GHOST_PAD_CAST (srcpad));
  /* What was offered downstream, even if refused (a sticky event). */
  g_autoptr (GstCaps) caps = gst_pad_get_current_caps (target != NULL ?
      target : srcpad);
  JimmyPollFailure failure = { 0, };

  gst_jimmy_child_error_explain (message, gst_jimmy_run_task_id (run),
      from_source ? "read" : "decode", caps, &explained);
  failure.http_status = explained.http_status;
  gst_jimmy_run_fail (run, element, NULL, explained.domain, explained.code,
      explained.text, explained.debug, &failure);
  gst_jimmy_child_error_clear (&explained);
}

/**
 * gst_jimmy_run_handle_message:
 *
 * Called from GstBin::handle_message, in whichever thread posted: the
 * policy for the chains' errors. The first error of a failure is posted
 * again as the element's own, naming the task; the rest are dropped; a
 * refused audioUrl is refreshed once; subtitles only warn.
 *
 * Returns: %TRUE when @message was taken over (it is then dropped).
 */
gboolean
gst_jimmy_run_handle_message (GstJimmyRun * run, GstMessage * message)
{
  g_autoptr (GstElement) element = NULL;
  g_autofree gchar *web_content = NULL;
  GstObject *src = GST_MESSAGE_SRC (message);
  gboolean error, from_source, from_parser, from_subtitles, network;
  gboolean from_refused;
  RunState state;

  if (gst_jimmy_run_live_drops_message (run, message))
    return TRUE;

  error = GST_MESSAGE_TYPE (message) == GST_MESSAGE_ERROR;
  if (!error && !gst_is_missing_plugin_message (message))
    return FALSE;

  g_mutex_lock (&run->lock);
  state = run->state;
  element = state != RUN_STOPPED ? gst_object_ref (run->element) : NULL;
  from_source = run->audio != NULL
      && gst_jimmy_audio_chain_has_source (run->audio, src);
  from_parser = run->audio != NULL
      && gst_jimmy_audio_chain_has_parser (run->audio, src);
  from_subtitles = run->subtitles != NULL
      && gst_jimmy_subtitle_chain_has (run->subtitles, src);
  web_content = from_parser ?
      gst_jimmy_audio_chain_dup_web_content (run->audio) : NULL;
  network = run->watch != NULL;
  from_refused = run->refused_source != NULL
      && (src == run->refused_source
      || gst_object_has_as_ancestor (src, run->refused_source));
  g_mutex_unlock (&run->lock);

  if (!(from_source || from_parser || from_subtitles))
    return FALSE;
  if (element == NULL)
    /* Stopped: what the children say while they stop is no news. */
    return error;
  if (!error)
    /* A "text/html decoder" is no plug-in to look for. */
    return from_parser && web_content != NULL;

  if (from_subtitles) {
    warn_subtitles (run, element, message);
  } else if (state == RUN_FAILED || from_refused) {
    /* The rest of a failure, or of a refusal being recovered. */
  } else if (from_source && network
      && is_expiry_status (gst_jimmy_child_error_http_status (message))) {
    refused (run, element, src, gst_jimmy_child_error_http_status (message));
  } else if (from_parser && web_content != NULL) {
    gst_jimmy_run_fail_not_audio (run, element, web_content);
  } else {
    explain_chain_error (run, element, message, from_source);
  }
  return TRUE;
}
