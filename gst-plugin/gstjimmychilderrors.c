/* gstjimmychilderrors.c: what the audio chain's elements report, said for
 * the task.
 *
 * souphttpsrc, filesrc, decodebin and typefind know nothing of tasks:
 * their errors name neither the task nor what to do, and some mislead (a
 * web page served instead of audio makes decodebin ask for a "text/html
 * decoder" plug-in). Their first error is posted again as the element's
 * own, naming the task, with the task details; the rest of that
 * failure's errors are dropped.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <string.h>

#include <gst/pbutils/missing-plugins.h>

#include "gstjimmyaudiosrc-private.h"
#include "gstjimmyelements.h"
#include "gstjimmymessages.h"

#define GST_CAT_DEFAULT gst_jimmy_audio_src_debug

/* A web page or API answer where the audio should be: what a wrong or
 * expired URL typically serves. */
static gboolean
is_web_content (const gchar * media_type)
{
  return g_str_has_prefix (media_type, "text/")
      || strstr (media_type, "html") != NULL
      || strstr (media_type, "xml") != NULL
      || strstr (media_type, "json") != NULL;
}

/* Posts, once per run, that the audioUrl did not serve audio. */
void
gst_jimmy_post_not_audio (GstJimmyAudioSrc * self, const gchar * media_type)
{
  g_autofree gchar *task_id = gst_jimmy_audio_src_dup_run_task_id (self);
  g_autofree gchar *text = NULL;
  gboolean first;

  g_mutex_lock (&self->lock);
  first = !self->failure_posted;
  self->failure_posted = TRUE;
  g_mutex_unlock (&self->lock);
  if (!first)
    return;

  text = media_type != NULL ?
      g_strdup_printf ("The audioUrl of task \"%s\" served %s, not audio; "
      "check the task's audio-url.", task_id, media_type) :
      g_strdup_printf ("The audioUrl of task \"%s\" has no audio stream "
      "GStreamer can decode; check the task's audio-url.", task_id);
  gst_jimmy_audio_src_end_progress (self, GST_PROGRESS_TYPE_ERROR, text);
  gst_jimmy_post_error (GST_ELEMENT_CAST (self), GST_STREAM_ERROR,
      GST_STREAM_ERROR_WRONG_TYPE, task_id, text, media_type, NULL);
  gst_jimmy_audio_src_preroll_done (self);
}

/* decodebin's "autoplug-continue", streaming thread: it comes before the
 * missing-plugin message decodebin would post for a web page. */
gboolean
gst_jimmy_on_autoplug_continue (GstElement * decoder, GstPad * pad,
    GstCaps * caps, GstJimmyAudioSrc * self)
{
  const gchar *type;

  if (gst_caps_is_empty (caps) || gst_caps_is_any (caps))
    return TRUE;
  type = gst_structure_get_name (gst_caps_get_structure (caps, 0));
  if (is_web_content (type)) {
    g_mutex_lock (&self->lock);
    g_free (self->not_audio_type);
    self->not_audio_type = g_strdup (type);
    g_mutex_unlock (&self->lock);
  }
  return TRUE;
}

/* typefind's "have-type" with decode=false, streaming thread. */
void
gst_jimmy_on_have_type (GstElement * typefind, guint probability,
    GstCaps * caps, GstJimmyAudioSrc * self)
{
  const gchar *type = gst_structure_get_name (gst_caps_get_structure (caps,
          0));

  if (is_web_content (type))
    gst_jimmy_post_not_audio (self, type);
}

/* @what: "read" for the source's errors, "decode" for the parser's */
static void
post_chain_error (GstJimmyAudioSrc * self, GstMessage * message,
    const gchar * what)
{
  g_autoptr (GError) error = NULL;
  g_autofree gchar *debug = NULL;
  g_autofree gchar *task_id = gst_jimmy_audio_src_dup_run_task_id (self);
  g_autofree gchar *text = NULL;
  const GstStructure *details = NULL;
  JimmyPollFailure failure = { 0, };
  GQuark domain;
  gint code;

  gst_message_parse_error (message, &error, &debug);
  gst_message_parse_error_details (message, &details);
  if (details != NULL)
    gst_structure_get_uint (details, "http-status-code",
        &failure.http_status);

  domain = error->domain;
  code = error->code;
  if (domain == GST_STREAM_ERROR && code == GST_STREAM_ERROR_FAILED) {
    /* basesrc's flow error: souphttpsrc gave up without a word. */
    domain = GST_RESOURCE_ERROR;
    code = GST_RESOURCE_ERROR_READ;
    text = g_strdup_printf ("The media host stopped sending the audio of "
        "task \"%s\", also when asked again; check that it is reachable, "
        "or try again later.", task_id);
  } else {
    text = g_strdup_printf ("Could not %s the audio of task \"%s\": %s",
        what, task_id, error->message);
  }
  gst_jimmy_audio_src_end_progress (self, GST_PROGRESS_TYPE_ERROR, text);
  gst_jimmy_post_error (GST_ELEMENT_CAST (self), domain, code, task_id,
      text, debug, &failure);
  gst_jimmy_audio_src_preroll_done (self);
}

static gboolean
comes_from (GstMessage * message, GstElement * element)
{
  return element != NULL && (GST_MESSAGE_SRC (message) ==
      GST_OBJECT_CAST (element) || gst_object_has_as_ancestor
      (GST_MESSAGE_SRC (message), GST_OBJECT_CAST (element)));
}

/**
 * gst_jimmy_child_errors_handle_message:
 *
 * Called from GstBin::handle_message, in whichever thread posted.
 *
 * Returns: %TRUE when @message was taken over (it is then dropped).
 */
gboolean
gst_jimmy_child_errors_handle_message (GstJimmyAudioSrc * self,
    GstMessage * message)
{
  g_autofree gchar *not_audio = NULL;
  gboolean from_source, from_parser, first;

  if (GST_MESSAGE_TYPE (message) != GST_MESSAGE_ERROR
      && !gst_is_missing_plugin_message (message))
    return FALSE;

  g_mutex_lock (&self->lock);
  from_source = comes_from (message, self->audio_source);
  from_parser = comes_from (message, self->parser);
  not_audio = g_strdup (self->not_audio_type);
  g_mutex_unlock (&self->lock);

  /* A "text/html decoder" is no plug-in to look for. */
  if (from_parser && not_audio != NULL) {
    if (GST_MESSAGE_TYPE (message) == GST_MESSAGE_ERROR)
      gst_jimmy_post_not_audio (self, not_audio);
    return TRUE;
  }
  if (!(from_source || from_parser)
      || GST_MESSAGE_TYPE (message) != GST_MESSAGE_ERROR)
    return FALSE;

  g_mutex_lock (&self->lock);
  first = !self->failure_posted;
  self->failure_posted = TRUE;
  g_mutex_unlock (&self->lock);
  if (first)
    post_chain_error (self, message, from_source ? "read" : "decode");
  return TRUE;
}
