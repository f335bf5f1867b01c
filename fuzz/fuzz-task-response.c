/* fuzz-task-response.c: libFuzzer target for jimmy_task_new_from_response(),
 * the parser of the query API's JSON response.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Besides crashes, leaks and undefined behaviour it checks what the parser
 * promises: a task XOR a JIMMY_CLIENT_ERROR, only valid UTF-8 strings in
 * the task, only http(s) URLs, and error messages that are short, valid
 * UTF-8 and free of control characters (they end up in logs).
 */
#include "fuzz-common.h"

#include <string.h>

#include "jimmy-api.h"
#include "jimmy-error.h"
#include "jimmy-task.h"

static void
check_task_string (const char *field, const char *value, gboolean nullable)
{
  if (value == NULL) {
    if (!nullable)
      fuzz_fail ("task field %s is NULL", field);
    return;
  }
  if (!g_utf8_validate (value, -1, NULL))
    fuzz_fail ("task field %s is not valid UTF-8", field);
}

static void
check_task (const JimmyTask * task, gint api_code)
{
  g_autoptr (JimmyTask) copy = NULL;

  if (api_code != JIMMY_API_CODE_OK)
    fuzz_fail ("a task was returned with code %d", api_code);

  check_task_string ("id", task->id, FALSE);
  if (task->id[0] == '\0')
    fuzz_fail ("the task id is empty");
  check_task_string ("status_string", task->status_string, FALSE);
  check_task_string ("object", task->object, TRUE);
  check_task_string ("model", task->model, TRUE);
  check_task_string ("model_id", task->model_id, TRUE);
  check_task_string ("audio_url", task->audio_url, TRUE);
  check_task_string ("subtitle_url", task->subtitle_url, TRUE);
  check_task_string ("error", task->error, TRUE);

  if (task->status != jimmy_task_status_from_string (task->status_string))
    fuzz_fail ("status %d does not match \"%s\"", task->status,
        task->status_string);
  if (task->status == JIMMY_TASK_STATUS_COMPLETED && task->audio_url == NULL)
    fuzz_fail ("completed without an audio URL");
  if (task->has_created && task->created < 0)
    fuzz_fail ("negative created time");
  if (!task->has_created && task->created != 0)
    fuzz_fail ("created set although absent");

  /* What the parser let through must pass the check it claims to apply. */
  if (task->audio_url != NULL &&
      !jimmy_api_validate_media_url (task->audio_url, "audioUrl", NULL, NULL))
    fuzz_fail ("audio URL passed the parser but not the URL check");
  if (task->subtitle_url != NULL &&
      !jimmy_api_validate_media_url (task->subtitle_url, "subtitleFile",
          NULL, NULL))
    fuzz_fail ("subtitle URL passed the parser but not the URL check");

  copy = jimmy_task_copy (task);
  if (!jimmy_task_status_equal (task, copy))
    fuzz_fail ("a task differs from its copy");
  if (g_strcmp0 (copy->audio_url, task->audio_url) != 0 ||
      g_strcmp0 (copy->id, task->id) != 0)
    fuzz_fail ("jimmy_task_copy() lost a field");
}

int LLVMFuzzerTestOneInput (const guint8 * data, size_t size);

int
LLVMFuzzerTestOneInput (const guint8 * data, size_t size)
{
  g_autoptr (JimmyTask) task = NULL;
  g_autoptr (GError) error = NULL;
  gint api_code = G_MININT;

  /* libFuzzer's buffer is exactly @size bytes and not NUL-terminated, so
   * ASan catches any read past the end. */
  task = jimmy_task_new_from_response ((const char *) data, size, &api_code,
      &error);

  if ((task == NULL) == (error == NULL))
    fuzz_fail ("a task and an error, or neither");

  if (task != NULL) {
    check_task (task, api_code);
    return 0;
  }

  if (error->domain != JIMMY_CLIENT_ERROR ||
      (error->code != JIMMY_CLIENT_ERROR_API &&
          error->code != JIMMY_CLIENT_ERROR_MALFORMED))
    fuzz_fail ("unexpected error %s %d: %s",
        g_quark_to_string (error->domain), error->code, error->message);
  if (error->code == JIMMY_CLIENT_ERROR_API && (api_code == G_MININT ||
          api_code == JIMMY_API_CODE_OK))
    fuzz_fail ("an API error without the code that caused it");
  fuzz_check_message ("jimmy_task_new_from_response", error->message);

  return 0;
}
