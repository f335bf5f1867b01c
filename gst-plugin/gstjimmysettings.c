/* gstjimmysettings.c: settings that cannot work, refused before a run
 * starts, with what to do.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "gstjimmysettings.h"
#include "gstjimmymessages.h"
#include "jimmy-api.h"
#include "jimmy-proxy.h"

static gboolean
refuse_settings (GstElement * element, const gchar * task_id,
    const gchar * text)
{
  gst_jimmy_post_error (element, GST_RESOURCE_ERROR,
      GST_RESOURCE_ERROR_SETTINGS, task_id, text, NULL, NULL);
  return FALSE;
}

/**
 * gst_jimmy_settings_check_api_key:
 * @out_text: (out) (transfer full): why not, naming the task
 *
 * Whether @o has a usable API key. Only a run that polls needs one: a
 * cache hit makes no request.
 */
gboolean
gst_jimmy_settings_check_api_key (const JimmyPollOptions * o,
    gchar ** out_text)
{
  g_autoptr (GError) error = NULL;

  if (o->api_key == NULL) {
    *out_text = g_strdup_printf ("No API key for task \"%s\": set the "
        "JIMMY_API_KEY environment variable or the api-key property.",
        o->task_id);
    return FALSE;
  }
  if (!jimmy_api_validate_api_key (o->api_key, &error)) {
    *out_text = g_strdup_printf ("Task \"%s\": %s", o->task_id,
        error->message);
    return FALSE;
  }
  return TRUE;
}

/**
 * gst_jimmy_settings_validate:
 * @need_api_key: FALSE when a cache may spare the requests: the run then
 *   checks the key on a miss
 *
 * READY→PAUSED, before any I/O: posts RESOURCE/SETTINGS on @element and
 * returns FALSE when @o cannot work.
 */
gboolean
gst_jimmy_settings_validate (GstElement * element, const JimmyPollOptions * o,
    gboolean need_api_key)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GUri) api_uri = NULL;
  g_autofree gchar *text = NULL;

  if (o->task_id == NULL || *o->task_id == '\0')
    return refuse_settings (element, NULL, "No task-id set: set it to the id "
        "returned when the task was created, e.g. audio_16b635ba-…, or use "
        "a jimmy://<task-id> URI.");

  if (!jimmy_api_validate_task_id (o->task_id, &error))
    return refuse_settings (element, NULL, error->message);

  if (need_api_key && !gst_jimmy_settings_check_api_key (o, &text))
    return refuse_settings (element, o->task_id, text);

  api_uri = jimmy_api_parse_api_url (o->api_url, &error);
  if (api_uri == NULL) {
    text = g_strdup_printf ("Task \"%s\": %s", o->task_id, error->message);
    return refuse_settings (element, o->task_id, text);
  }

  /* The downloads use it too, cache or not. */
  if (!jimmy_proxy_validate (o->proxy, &error)) {
    text = g_strdup_printf ("Task \"%s\": %s", o->task_id, error->message);
    return refuse_settings (element, o->task_id, text);
  }
  return TRUE;
}

/**
 * gst_jimmy_settings_validate_live:
 *
 * READY→PAUSED: live mode stitches silence and decoded audio, so it needs
 * decode=true. Posts RESOURCE/SETTINGS and returns FALSE otherwise.
 */
gboolean
gst_jimmy_settings_validate_live (GstElement * element, const gchar * task_id,
    gboolean is_live, gboolean decode)
{
  g_autofree gchar *text = NULL;

  if (!is_live || decode)
    return TRUE;
  text = g_strdup_printf ("Task \"%s\": is-live=true needs decode=true: a "
      "live source plays silence until the task's audio comes, which it can "
      "only do with raw audio; set decode=true, or is-live=false to get the "
      "encoded stream as served.", task_id);
  return refuse_settings (element, task_id, text);
}
