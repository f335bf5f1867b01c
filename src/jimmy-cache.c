/* jimmy-cache.c: completed tasks' audio kept on disk.
 *
 * An entry is two files named after the SHA-256 of the task id (any id is
 * a safe file name that way): `<hash>.audio`, the bytes exactly as
 * served, and `<hash>.json`, written last, holding their size and SHA-256
 * and the task as the API described it. Both are written under temporary
 * names and renamed into place, so a reader sees a whole entry or none;
 * one whose audio does not match its record is deleted and refetched.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "jimmy-cache.h"

#include <errno.h>
#include <string.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <unistd.h>

#include "jimmy-error.h"

#define ENTRY_VERSION 1

struct _JimmyCacheWriter {
  char *audio_path;             /* (owned) final name */
  char *record_path;            /* (owned) final name */
  char *temp_path;              /* (owned) where the audio is written */
  char *response;               /* (owned) the task, as an API response */
  int fd;                       /* -1 once closed */
  GChecksum *checksum;          /* (owned) SHA-256 so far */
  guint64 length;
  gboolean committed;
};

static char *
entry_path (const char *cache_dir, const char *task_id, const char *suffix)
{
  g_autofree char *hash = g_compute_checksum_for_string (G_CHECKSUM_SHA256,
      task_id, -1);
  g_autofree char *name = g_strconcat (hash, suffix, NULL);

  return g_build_filename (cache_dir, name, NULL);
}

/* The task as the API's own envelope, so that reading it back goes
 * through the same checks as a live response. */
static char *
task_to_response (const JimmyTask * task)
{
  g_autoptr (JsonBuilder) builder = json_builder_new ();
  g_autoptr (JsonNode) root = NULL;

#define ADD_STRING(name, value) \
  if ((value) != NULL) { \
    json_builder_set_member_name (builder, name); \
    json_builder_add_string_value (builder, value); \
  }

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "code");
  json_builder_add_int_value (builder, JIMMY_API_CODE_OK);
  json_builder_set_member_name (builder, "data");
  json_builder_begin_object (builder);
  ADD_STRING ("id", task->id);
  ADD_STRING ("object", task->object);
  if (task->has_created) {
    json_builder_set_member_name (builder, "created");
    json_builder_add_int_value (builder, task->created);
  }
  ADD_STRING ("model", task->model);
  ADD_STRING ("status", task->status_string);
  ADD_STRING ("modelId", task->model_id);
  ADD_STRING ("audioUrl", task->audio_url);
  ADD_STRING ("subtitleFile", task->subtitle_url);
  ADD_STRING ("error", task->error);
  json_builder_end_object (builder);
  json_builder_end_object (builder);
#undef ADD_STRING

  root = json_builder_get_root (builder);
  return json_to_string (root, FALSE);
}

static char *
checksum_file (const char *path, guint64 * out_size, GError ** error)
{
  g_autoptr (GMappedFile) file = g_mapped_file_new (path, FALSE, error);

  if (file == NULL)
    return NULL;
  *out_size = g_mapped_file_get_length (file);
  return g_compute_checksum_for_data (G_CHECKSUM_SHA256,
      (const guchar *) g_mapped_file_get_contents (file), *out_size);
}

static void
delete_entry (const char *audio_path, const char *record_path)
{
  g_unlink (record_path);
  g_unlink (audio_path);
}

static JimmyTask *
corrupt_entry (const char *audio_path, const char *record_path,
    const char *task_id, const char *why, GError ** error)
{
  delete_entry (audio_path, record_path);
  g_set_error (error, JIMMY_CLIENT_ERROR, JIMMY_CLIENT_ERROR_MALFORMED,
      "The cached audio of task \"%s\" was %s; it was deleted and will be "
      "fetched again.", task_id, why);
  return NULL;
}

/**
 * jimmy_cache_lookup:
 * @out_audio_path: (out): where the cached audio is
 *
 * Returns: (transfer full) (nullable): the completed task from the cache.
 * %NULL without an error on a miss; %NULL with an error when an entry was
 * found damaged (it is deleted: the caller fetches anew).
 */
JimmyTask *
jimmy_cache_lookup (const char *cache_dir, const char *task_id,
    char **out_audio_path, GError ** error)
{
  g_autofree char *audio_path = entry_path (cache_dir, task_id, ".audio");
  g_autofree char *record_path = entry_path (cache_dir, task_id, ".json");
  g_autofree char *contents = NULL;
  g_autofree char *actual_sha = NULL;
  g_autoptr (JsonNode) root = NULL;
  g_autoptr (JimmyTask) task = NULL;
  JsonObject *record;
  const char *sha, *response;
  gsize length = 0;
  guint64 actual_size = 0;

  if (!g_file_get_contents (record_path, &contents, &length, NULL))
    return NULL;

  root = json_from_string (contents, NULL);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return corrupt_entry (audio_path, record_path, task_id, "unreadable",
        error);
  record = json_node_get_object (root);
  sha = json_object_get_string_member_with_default (record, "sha256", NULL);
  response = json_object_get_string_member_with_default (record, "response",
      NULL);
  if (json_object_get_int_member_with_default (record, "version", 0) !=
      ENTRY_VERSION || sha == NULL || response == NULL)
    return corrupt_entry (audio_path, record_path, task_id, "unreadable",
        error);

  actual_sha = checksum_file (audio_path, &actual_size, NULL);
  if (actual_sha == NULL || actual_size != (guint64)
      json_object_get_int_member_with_default (record, "size", -1)
      || g_strcmp0 (actual_sha, sha) != 0)
    return corrupt_entry (audio_path, record_path, task_id,
        "incomplete or damaged", error);

  task = jimmy_task_new_from_response (response, strlen (response), NULL,
      NULL);
  if (task == NULL || g_strcmp0 (task->id, task_id) != 0
      || task->status != JIMMY_TASK_STATUS_COMPLETED)
    return corrupt_entry (audio_path, record_path, task_id, "unreadable",
        error);

  *out_audio_path = g_steal_pointer (&audio_path);
  return g_steal_pointer (&task);
}

/**
 * jimmy_cache_writer_new:
 * @task: the completed task whose audio is about to be written
 *
 * Returns: (transfer full): a writer for a new entry, or %NULL with a
 * #GFileError when the cache directory is not writable.
 */
JimmyCacheWriter *
jimmy_cache_writer_new (const char *cache_dir, const JimmyTask * task,
    GError ** error)
{
  g_autoptr (JimmyCacheWriter) writer = g_new0 (JimmyCacheWriter, 1);
  g_autofree char *template = NULL;

  writer->fd = -1;
  if (g_mkdir_with_parents (cache_dir, 0700) != 0) {
    int saved_errno = errno;
    g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved_errno),
        "Could not create the cache directory %s: %s", cache_dir,
        g_strerror (saved_errno));
    return NULL;
  }

  writer->audio_path = entry_path (cache_dir, task->id, ".audio");
  writer->record_path = entry_path (cache_dir, task->id, ".json");
  template = g_strconcat (writer->audio_path, ".XXXXXX", NULL);
  writer->fd = g_mkstemp_full (template, O_WRONLY | O_CLOEXEC, 0600);
  if (writer->fd < 0) {
    int saved_errno = errno;
    g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved_errno),
        "Could not write to the cache directory %s: %s", cache_dir,
        g_strerror (saved_errno));
    return NULL;
  }
  writer->temp_path = g_steal_pointer (&template);
  writer->response = task_to_response (task);
  writer->checksum = g_checksum_new (G_CHECKSUM_SHA256);
  return g_steal_pointer (&writer);
}

gboolean
jimmy_cache_writer_append (JimmyCacheWriter * writer, const guint8 * data,
    gsize length, GError ** error)
{
  gsize done = 0;

  while (done < length) {
    gssize n = write (writer->fd, data + done, length - done);
    if (n < 0 && errno == EINTR)
      continue;
    if (n < 0) {
      int saved_errno = errno;
      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved_errno),
          "Could not write %s: %s", writer->temp_path,
          g_strerror (saved_errno));
      return FALSE;
    }
    done += n;
  }
  g_checksum_update (writer->checksum, data, length);
  writer->length += length;
  return TRUE;
}

guint64
jimmy_cache_writer_get_length (JimmyCacheWriter * writer)
{
  return writer->length;
}

static char *
make_record (JimmyCacheWriter * writer)
{
  g_autoptr (JsonBuilder) builder = json_builder_new ();
  g_autoptr (JsonNode) root = NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "version");
  json_builder_add_int_value (builder, ENTRY_VERSION);
  json_builder_set_member_name (builder, "size");
  json_builder_add_int_value (builder, writer->length);
  json_builder_set_member_name (builder, "sha256");
  json_builder_add_string_value (builder,
      g_checksum_get_string (writer->checksum));
  json_builder_set_member_name (builder, "response");
  json_builder_add_string_value (builder, writer->response);
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  return json_to_string (root, TRUE);
}

/**
 * jimmy_cache_writer_commit:
 *
 * Makes the entry visible: the audio is synced and renamed into place,
 * then its record is written atomically.
 */
gboolean
jimmy_cache_writer_commit (JimmyCacheWriter * writer, GError ** error)
{
  g_autofree char *record = NULL;
  int fd = writer->fd;

  writer->fd = -1;
  if (fsync (fd) != 0 || close (fd) != 0
      || g_rename (writer->temp_path, writer->audio_path) != 0) {
    int saved_errno = errno;
    g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved_errno),
        "Could not store %s: %s", writer->audio_path,
        g_strerror (saved_errno));
    return FALSE;
  }

  record = make_record (writer);
  if (!g_file_set_contents_full (writer->record_path, record, -1,
          G_FILE_SET_CONTENTS_CONSISTENT, 0600, error))
    return FALSE;

  writer->committed = TRUE;
  return TRUE;
}

/* Without a commit, what was written is removed. */
void
jimmy_cache_writer_free (JimmyCacheWriter * writer)
{
  if (writer == NULL)
    return;

  if (writer->fd >= 0)
    close (writer->fd);
  if (!writer->committed && writer->temp_path != NULL)
    g_unlink (writer->temp_path);
  g_free (writer->audio_path);
  g_free (writer->record_path);
  g_free (writer->temp_path);
  g_free (writer->response);
  if (writer->checksum != NULL)
    g_checksum_free (writer->checksum);
  g_free (writer);
}
