/* gstjimmychilderrors.c: what the chains' elements report, said for the
 * task.
 *
 * souphttpsrc, filesrc, decodebin and typefind know nothing of tasks:
 * their errors name neither the task nor what to do, and some mislead (a
 * web page served instead of audio makes decodebin ask for a "text/html
 * decoder" plug-in; basesrc's "Internal data stream error" may mean a
 * network failure or a downstream that refused the format). These
 * functions only say it better; when to say it is the run's policy.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <string.h>

#include "gstjimmychilderrors.h"

void
gst_jimmy_child_error_clear (GstJimmyChildError * error)
{
  g_clear_pointer (&error->text, g_free);
  g_clear_pointer (&error->debug, g_free);
}

/* A web page or API answer where the audio should be: what a wrong or
 * expired URL typically serves. */
gboolean
gst_jimmy_is_web_content (const gchar * media_type)
{
  return g_str_has_prefix (media_type, "text/")
      || strstr (media_type, "html") != NULL
      || strstr (media_type, "xml") != NULL
      || strstr (media_type, "json") != NULL;
}

/* souphttpsrc puts the HTTP status in its error's details. */
guint
gst_jimmy_child_error_http_status (GstMessage * message)
{
  const GstStructure *details = NULL;
  guint status = 0;

  gst_message_parse_error_details (message, &details);
  if (details != NULL)
    gst_structure_get_uint (details, "http-status-code", &status);
  return status;
}

/* basesrc's GST_ELEMENT_FLOW_ERROR carries the flow return. */
static gboolean
flow_return_of (GstMessage * message, GstFlowReturn * flow)
{
  const GstStructure *details = NULL;
  gint value;

  gst_message_parse_error_details (message, &details);
  if (details == NULL || !gst_structure_get_int (details, "flow-return",
          &value))
    return FALSE;
  *flow = value;
  return TRUE;
}

/**
 * gst_jimmy_child_error_explain:
 * @what: "read" for a source's errors, "decode" for a parser's
 * @caps: (nullable): what the src pad carried, for a format downstream
 *   refused
 *
 * Fills @out with what the element says for the child's error @message.
 */
void
gst_jimmy_child_error_explain (GstMessage * message, const gchar * task_id,
    const gchar * what, GstCaps * caps, GstJimmyChildError * out)
{
  g_autoptr (GError) error = NULL;
  g_autofree gchar *format = NULL;
  GstFlowReturn flow = GST_FLOW_OK;

  gst_message_parse_error (message, &error, &out->debug);
  out->http_status = gst_jimmy_child_error_http_status (message);
  out->domain = error->domain;
  out->code = error->code;

  if (!(error->domain == GST_STREAM_ERROR
          && error->code == GST_STREAM_ERROR_FAILED)) {
    out->text = g_strdup_printf ("Could not %s the audio of task \"%s\": %s",
        what, task_id, error->message);
    return;
  }

  /* basesrc's flow error: it stopped because of what flow returned. */
  flow_return_of (message, &flow);
  switch (flow) {
    case GST_FLOW_NOT_NEGOTIATED:
      format = caps != NULL ? gst_caps_to_string (caps) :
          g_strdup ("as served");
      out->domain = GST_STREAM_ERROR;
      out->code = GST_STREAM_ERROR_FORMAT;
      out->text = g_strdup_printf ("The element downstream did not accept "
          "the audio format (%s) of task \"%s\"; add audioconvert and "
          "audioresample, or a decoder with decode=false.", format, task_id);
      break;
    case GST_FLOW_NOT_LINKED:
      out->domain = GST_CORE_ERROR;
      out->code = GST_CORE_ERROR_PAD;
      out->text = g_strdup_printf ("Nothing is linked to the src pad of "
          "jimmyaudiosrc for task \"%s\"; link it before going to PAUSED.",
          task_id);
      break;
    default:
      /* souphttpsrc gave up without a word: the network. */
      out->domain = GST_RESOURCE_ERROR;
      out->code = GST_RESOURCE_ERROR_READ;
      out->text = g_strdup_printf ("The media host stopped sending the "
          "audio of task \"%s\", also when asked again; check that it is "
          "reachable, or try again later.", task_id);
      break;
  }
}

/* @media_type: (nullable): the web content served, if known */
gchar *
gst_jimmy_not_audio_text (const gchar * task_id, const gchar * media_type)
{
  if (media_type != NULL)
    return g_strdup_printf ("The audioUrl of task \"%s\" served %s, not "
        "audio; check the task's audio-url.", task_id, media_type);
  return g_strdup_printf ("The audioUrl of task \"%s\" has no audio stream "
      "GStreamer can decode; check the task's audio-url.", task_id);
}
