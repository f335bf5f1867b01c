/* jimmy-task.h: one SoundClone task as the query API describes it.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

/* The API's success code in the response envelope. */
#define JIMMY_API_CODE_OK 20000

/* Bodies larger than this are refused, never buffered whole. */
#define JIMMY_TASK_MAX_RESPONSE_SIZE (1024 * 1024)

/* Deeper JSON nesting is refused before json-glib sees it: its parser
 * recurses once per level. */
#define JIMMY_TASK_MAX_JSON_DEPTH 64

/**
 * JimmyTaskStatus:
 * @JIMMY_TASK_STATUS_UNKNOWN: a status string this library does not know;
 *   the raw string is in #JimmyTask.status_string. Not an error.
 * @JIMMY_TASK_STATUS_QUEUED: waiting in the service's queue.
 * @JIMMY_TASK_STATUS_PROCESSING: in progress.
 * @JIMMY_TASK_STATUS_COMPLETED: done; `audio_url` is set.
 * @JIMMY_TASK_STATUS_FAILED: failed; `error` says why.
 */
typedef enum {
  JIMMY_TASK_STATUS_UNKNOWN,
  JIMMY_TASK_STATUS_QUEUED,
  JIMMY_TASK_STATUS_PROCESSING,
  JIMMY_TASK_STATUS_COMPLETED,
  JIMMY_TASK_STATUS_FAILED,
} JimmyTaskStatus;

/**
 * JimmyTask:
 * @id: the task id (never %NULL).
 * @object: the `object` field, normally "audio" (nullable).
 * @created: creation time in seconds since the epoch, if @has_created.
 * @has_created: whether `created` was present and not null.
 * @model: "soundCloningClone" or "soundCloningAudio" (nullable).
 * @status: the parsed status.
 * @status_string: the status exactly as the service sent it (never %NULL).
 * @model_id: `modelId`, set when a preview completes (nullable).
 * @audio_url: `audioUrl`, an http or https URL (nullable).
 * @subtitle_url: `subtitleFile`, an http or https URL (nullable).
 * @error: `error`, the failure reason (nullable).
 *
 * A plain, immutable snapshot of one task. All strings are owned and valid
 * UTF-8.
 */
typedef struct {
  char *id;
  char *object;
  gint64 created;
  gboolean has_created;
  char *model;
  JimmyTaskStatus status;
  char *status_string;
  char *model_id;
  char *audio_url;
  char *subtitle_url;
  char *error;
} JimmyTask;

#define JIMMY_TYPE_TASK (jimmy_task_get_type ())
GType jimmy_task_get_type (void) G_GNUC_CONST;

JimmyTask *jimmy_task_new_from_response (const char *body,
                                         gsize length,
                                         gint *out_api_code,
                                         GError **error);
JimmyTask *jimmy_task_copy (const JimmyTask *task);
void jimmy_task_free (JimmyTask *task);
gboolean jimmy_task_status_equal (const JimmyTask *a, const JimmyTask *b);

JimmyTaskStatus jimmy_task_status_from_string (const char *status);
const char *jimmy_task_status_to_string (JimmyTaskStatus status);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (JimmyTask, jimmy_task_free)

G_END_DECLS
