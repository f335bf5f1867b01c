/* gstjimmymessages.c: what jimmyaudiosrc tells the application: the
 * "jimmy-task-status" element message and errors with details.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "gstjimmymessages.h"

static void
set_string_if_present (GstStructure * s, const char *field, const char *value)
{
  if (value != NULL)
    gst_structure_set (s, field, G_TYPE_STRING, value, NULL);
}

/**
 * gst_jimmy_task_status_message_new:
 *
 * Returns: (transfer full): an element message with the task's fields;
 * optional ones only when the service sent them.
 */
GstMessage *
gst_jimmy_task_status_message_new (GstElement * element,
    const JimmyTask * task)
{
  GstStructure *s = gst_structure_new (GST_JIMMY_TASK_STATUS_MESSAGE,
      "task-id", G_TYPE_STRING, task->id,
      "status", G_TYPE_STRING, task->status_string, NULL);

  set_string_if_present (s, "model", task->model);
  if (task->has_created)
    gst_structure_set (s, "created", G_TYPE_INT64, task->created, NULL);
  set_string_if_present (s, "model-id", task->model_id);
  set_string_if_present (s, "audio-url", task->audio_url);
  set_string_if_present (s, "subtitle-url", task->subtitle_url);
  set_string_if_present (s, "error", task->error);

  return gst_message_new_element (GST_OBJECT (element), s);
}

static GstResourceError
resource_error_for (const GError * error)
{
  if (error->domain != JIMMY_CLIENT_ERROR)
    return GST_RESOURCE_ERROR_READ;

  switch ((JimmyClientError) error->code) {
    case JIMMY_CLIENT_ERROR_INVALID_ARGUMENT:
      return GST_RESOURCE_ERROR_SETTINGS;
    case JIMMY_CLIENT_ERROR_NOT_AUTHORIZED:
      return GST_RESOURCE_ERROR_NOT_AUTHORIZED;
    case JIMMY_CLIENT_ERROR_NOT_FOUND:
      return GST_RESOURCE_ERROR_NOT_FOUND;
    case JIMMY_CLIENT_ERROR_API:
    case JIMMY_CLIENT_ERROR_TASK_FAILED:
      return GST_RESOURCE_ERROR_FAILED;
    case JIMMY_CLIENT_ERROR_HTTP:
    case JIMMY_CLIENT_ERROR_MALFORMED:
    case JIMMY_CLIENT_ERROR_RETRIES_EXHAUSTED:
    case JIMMY_CLIENT_ERROR_TIMED_OUT:
    case JIMMY_CLIENT_ERROR_TLS:
      return GST_RESOURCE_ERROR_READ;
  }
  return GST_RESOURCE_ERROR_READ;
}

/**
 * gst_jimmy_post_error:
 * @text: the sentence for users; it names the task and says what to do
 * @debug: (nullable): details for developers
 * @failure: (nullable): details of a failed wait
 *
 * Posts an error whose details always carry "task-id" and, when known,
 * "http-status", "api-code" and "task-status", so that applications can
 * read them with gst_message_parse_error_details().
 */
void
gst_jimmy_post_error (GstElement * element, GQuark domain, gint code,
    const char *task_id, const char *text, const char *debug,
    const JimmyPollFailure * failure)
{
  GstStructure *details = gst_structure_new ("details",
      "task-id", G_TYPE_STRING, task_id != NULL ? task_id : "", NULL);

  if (failure != NULL && failure->http_status != 0)
    gst_structure_set (details, "http-status", G_TYPE_UINT,
        failure->http_status, NULL);
  if (failure != NULL && failure->has_api_code)
    gst_structure_set (details, "api-code", G_TYPE_INT, failure->api_code,
        NULL);
  if (failure != NULL && failure->task_status != NULL)
    gst_structure_set (details, "task-status", G_TYPE_STRING,
        failure->task_status, NULL);

  /* What GST_ELEMENT_ERROR_WITH_DETAILS expands to, with a domain and code
   * known only at run time. Takes the text, debug and details. */
  gst_element_message_full_with_details (element, GST_MESSAGE_ERROR, domain,
      code, g_strdup (text), g_strdup (debug), __FILE__, GST_FUNCTION,
      __LINE__, details);
}

/**
 * gst_jimmy_post_warning:
 *
 * A warning with the "task-id" detail: something of the task did not
 * work, and the rest plays on.
 */
void
gst_jimmy_post_warning (GstElement * element, GQuark domain, gint code,
    const char *task_id, const char *text, const char *debug)
{
  GstStructure *details = gst_structure_new ("details",
      "task-id", G_TYPE_STRING, task_id != NULL ? task_id : "", NULL);

  gst_element_message_full_with_details (element, GST_MESSAGE_WARNING,
      domain, code, g_strdup (text), g_strdup (debug), __FILE__,
      GST_FUNCTION, __LINE__, details);
}

/**
 * gst_jimmy_post_client_error:
 * @failure: (nullable): details of the failed wait
 *
 * Posts @error from the client library as the RESOURCE error its code
 * maps to, with its sentence as the message.
 */
void
gst_jimmy_post_client_error (GstElement * element, const char *task_id,
    const GError * error, const JimmyPollFailure * failure)
{
  g_autofree char *debug = jimmy_error_debug_text (error);

  gst_jimmy_post_error (element, GST_RESOURCE_ERROR,
      resource_error_for (error), task_id, error->message, debug, failure);
}
