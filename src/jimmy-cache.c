/* jimmy-cache.c: completed tasks' audio and subtitles kept on disk.
 *
 * An entry is a directory named after the SHA-256 of the task id (any id
 * is a safe file name that way) holding `audio`, the bytes exactly as
 * served, `subtitles` if they were stored, and `record.json`: their sizes
 * and SHA-256 and the task as the API described it. A writer fills a
 * temporary directory `.tmp-<hash>-XXXXXX` and renames it into place, so
 * an entry appears whole or not at all; eviction renames it to a
 * temporary name before deleting its files, so it disappears whole too.
 * An entry whose files do not match its record is deleted and refetched.
 *
 * Processes may share a directory; flock(2) on the directories keeps
 * them apart. A reader holds a shared lock on an entry for as long as it
 * uses it, and an evicter takes an exclusive one without waiting, or
 * skips the entry; a reader does not wait either (an entry held
 * exclusively is a miss). A writer holds an exclusive lock on its temporary
 * directory until the rename: that is how the next process to open the
 * cache tells a live writer's files from a killed one's.
 *
 * An entry directory's modification time is its use stamp, set when it
 * is stored and on every hit; eviction removes the least recently used
 * first. Only names of the cache's own forms are ever touched.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "jimmy-cache.h"
#include "jimmy-cache-private.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "jimmy-error.h"

#define ENTRY_VERSION 2
/* The task response, escaped inside the record, and a little more. */
#define MAX_RECORD_SIZE (4 * JIMMY_TASK_MAX_RESPONSE_SIZE)

struct _JimmyCacheEntry {
  int fd;                       /* the entry's directory, share-locked */
  char *audio_path;             /* (owned) */
  char *subtitle_path;          /* (owned) (nullable) */
  JimmyTask *task;              /* (owned) */
};

struct _JimmyCacheWriter {
  gatomicrefcount ref_count;
  /* The audio arrives on one streaming thread, the subtitles may arrive
   * on another: the lock guards every field below. */
  GMutex lock;
  char *task_id;                /* (owned) */
  char *entry_path;             /* (owned) final name */
  char *temp_path;              /* (owned) (nullable) temporary directory */
  int dir_fd;                   /* the temporary directory, locked; -1 */
  int fd;                       /* the audio; -1 once closed */
  char *response;               /* (owned) the task, as an API response */
  GChecksum *checksum;          /* (owned) SHA-256 of the audio so far */
  guint64 length;
  guint64 max_size;             /* 0: no limit */
  char *subtitles_sha256;       /* (owned) (nullable) none stored */
  guint64 subtitles_length;
  gboolean committed;
};

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
checksum_file (const char *path, guint64 * out_size)
{
  g_autoptr (GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA256);
  g_autofree guint8 *buffer = g_malloc (64 * 1024);
  guint64 size = 0;
  gssize n;
  int fd = open (path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);

  if (fd < 0)
    return NULL;
  /* read(), not mmap(): a file truncated under us must not SIGBUS. */
  while ((n = read (fd, buffer, 64 * 1024)) != 0) {
    if (n < 0 && errno == EINTR)
      continue;
    if (n < 0) {
      close (fd);
      return NULL;
    }
    g_checksum_update (checksum, buffer, n);
    size += n;
  }
  close (fd);
  *out_size = size;
  return g_strdup (g_checksum_get_string (checksum));
}

/* Typed access to the record: a damaged one may hold anything. */
static const char *
get_string_member (JsonObject * object, const char *name)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node)
      || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

static gboolean
get_size_member (JsonObject * object, const char *name, guint64 * out_size)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node)
      || json_node_get_value_type (node) != G_TYPE_INT64
      || json_node_get_int (node) < 0)
    return FALSE;
  *out_size = json_node_get_int (node);
  return TRUE;
}

static JsonObject *
get_object_member (JsonObject * object, const char *name)
{
  JsonNode *node = json_object_get_member (object, name);

  return node != NULL && JSON_NODE_HOLDS_OBJECT (node) ?
      json_node_get_object (node) : NULL;
}

/* Whether the file @name of the entry is what @part of its record says. */
static gboolean
part_matches (const char *entry_path, const char *name, JsonObject * part)
{
  g_autofree char *path = g_build_filename (entry_path, name, NULL);
  g_autofree char *actual_sha = NULL;
  const char *sha = get_string_member (part, "sha256");
  guint64 size, actual_size = 0;

  if (sha == NULL || !get_size_member (part, "size", &size))
    return FALSE;
  actual_sha = checksum_file (path, &actual_size);
  return actual_sha != NULL && actual_size == size
      && strcmp (actual_sha, sha) == 0;
}

/* The task of the entry at @path, once every file matched its record;
 * %NULL with @why saying what was wrong. */
static JimmyTask *
read_entry (const char *path, const char *task_id,
    gboolean * out_has_subtitles, const char **why)
{
  g_autofree char *record_path = g_build_filename (path,
      JIMMY_CACHE_RECORD_NAME, NULL);
  g_autofree char *contents = NULL;
  g_autoptr (JsonNode) root = NULL;
  g_autoptr (JimmyTask) task = NULL;
  JsonObject *record, *audio, *subtitles;
  const char *response;
  gsize length = 0;
  guint64 version;

  *why = "unreadable";
  if (!g_file_get_contents (record_path, &contents, &length, NULL)
      || length > MAX_RECORD_SIZE)
    return NULL;
  root = json_from_string (contents, NULL);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return NULL;
  record = json_node_get_object (root);
  audio = get_object_member (record, "audio");
  subtitles = get_object_member (record, "subtitles");
  response = get_string_member (record, "response");
  if (!get_size_member (record, "version", &version)
      || version != ENTRY_VERSION || audio == NULL || response == NULL)
    return NULL;

  *why = "incomplete or damaged";
  if (!part_matches (path, JIMMY_CACHE_AUDIO_NAME, audio)
      || (subtitles != NULL && !part_matches (path, JIMMY_CACHE_SUBTITLES_NAME,
              subtitles)))
    return NULL;

  *why = "unreadable";
  task = jimmy_task_new_from_response (response, strlen (response), NULL,
      NULL);
  if (task == NULL || g_strcmp0 (task->id, task_id) != 0
      || task->status != JIMMY_TASK_STATUS_COMPLETED)
    return NULL;

  *out_has_subtitles = subtitles != NULL;
  return g_steal_pointer (&task);
}

static void
damaged_entry (const char *cache_dir, const char *name, const char *task_id,
    const char *why, GError ** error)
{
  g_autoptr (GError) evict_error = NULL;

  switch (jimmy_cache_evict (cache_dir, name, &evict_error)) {
    case JIMMY_CACHE_EVICT_DONE:
      g_set_error (error, JIMMY_CLIENT_ERROR, JIMMY_CLIENT_ERROR_MALFORMED,
          "The cached audio of task \"%s\" was %s; it was deleted and will "
          "be fetched again.", task_id, why);
      break;
    case JIMMY_CACHE_EVICT_IN_USE:
      g_set_error (error, JIMMY_CLIENT_ERROR, JIMMY_CLIENT_ERROR_MALFORMED,
          "The cached audio of task \"%s\" was %s; it will be fetched again "
          "(another process still reads it, so it was not deleted yet).",
          task_id, why);
      break;
    case JIMMY_CACHE_EVICT_FAILED:
      g_set_error (error, JIMMY_CLIENT_ERROR, JIMMY_CLIENT_ERROR_MALFORMED,
          "The cached audio of task \"%s\" was %s and could not be deleted "
          "(%s); it will be fetched again.", task_id, why,
          evict_error->message);
      break;
  }
}

/* The entry directory, share-locked and still in place; -1 on a miss
 * (no error) or when it cannot be opened (with an error). Never waits. */
static int
open_locked (const char *path, const char *task_id, GError ** error)
{
  guint attempt;

  for (attempt = 0; attempt < JIMMY_CACHE_ATTEMPTS; attempt++) {
    int fd = jimmy_cache_open_directory (path);

    if (fd < 0) {
      int saved_errno = errno;

      if (saved_errno != ENOENT)
        g_set_error (error, G_FILE_ERROR, g_file_error_from_errno
            (saved_errno), "Could not read the cache entry of task \"%s\" "
            "at %s: %s; it will be fetched from the API.", task_id, path,
            g_strerror (saved_errno));
      return -1;
    }
    /* Held exclusively, it is being evicted, or its writer has only
     * just renamed it into place: a miss, rather than a wait on another
     * process. */
    if (jimmy_cache_lock (fd, LOCK_SH | LOCK_NB) != 0 && errno == EWOULDBLOCK) {
      close (fd);
      return -1;
    }
    if (jimmy_cache_still_at (fd, path))
      return fd;
    close (fd);
  }
  /* Evicted and stored again, over and over: a miss this time. */
  return -1;
}

/**
 * jimmy_cache_entry_open:
 *
 * Looks @task_id up in @cache_dir, first removing what killed processes
 * left there (see jimmy_cache_remove_leftovers()). A hit is checked
 * against its record, marked as used now, and held: no process evicts
 * it until jimmy_cache_entry_free(), so its files can be opened by path
 * (filesrc's location) in the meantime.
 *
 * Returns: (transfer full) (nullable): the entry. %NULL without an error
 * on a miss; %NULL with an error when the entry cannot be read (a
 * #GFileError) or was damaged (%JIMMY_CLIENT_ERROR_MALFORMED; it is
 * deleted): either way the caller fetches the task anew.
 */
JimmyCacheEntry *
jimmy_cache_entry_open (const char *cache_dir, const char *task_id,
    GError ** error)
{
  g_autofree char *name = jimmy_cache_entry_name (task_id);
  g_autofree char *path = g_build_filename (cache_dir, name, NULL);
  g_autoptr (JimmyTask) task = NULL;
  JimmyCacheEntry *entry;
  gboolean has_subtitles = FALSE;
  const char *why = NULL;
  int fd;

  jimmy_cache_remove_leftovers (cache_dir, NULL, NULL);

  fd = open_locked (path, task_id, error);
  if (fd < 0)
    return NULL;

  task = read_entry (path, task_id, &has_subtitles, &why);
  if (task == NULL) {
    close (fd);
    damaged_entry (cache_dir, name, task_id, why, error);
    return NULL;
  }

  /* The use stamp. A cache this process may not write still plays. */
  if (futimens (fd, NULL) != 0)
    g_debug ("could not mark %s as used: %s", path, g_strerror (errno));

  entry = g_new0 (JimmyCacheEntry, 1);
  entry->fd = fd;
  entry->audio_path = g_build_filename (path, JIMMY_CACHE_AUDIO_NAME, NULL);
  if (has_subtitles)
    entry->subtitle_path = g_build_filename (path,
        JIMMY_CACHE_SUBTITLES_NAME, NULL);
  entry->task = g_steal_pointer (&task);
  return entry;
}

/**
 * jimmy_cache_entry_get_task:
 *
 * Returns: (transfer none): the completed task, as it was stored.
 */
const JimmyTask *
jimmy_cache_entry_get_task (const JimmyCacheEntry * entry)
{
  return entry->task;
}

/**
 * jimmy_cache_entry_get_audio_path:
 *
 * Returns: (transfer none): the audio file, valid while @entry is held.
 */
const char *
jimmy_cache_entry_get_audio_path (const JimmyCacheEntry * entry)
{
  return entry->audio_path;
}

/**
 * jimmy_cache_entry_get_subtitle_path:
 *
 * Returns: (transfer none) (nullable): the subtitle file stored with the
 * audio, or %NULL when none was.
 */
const char *
jimmy_cache_entry_get_subtitle_path (const JimmyCacheEntry * entry)
{
  return entry->subtitle_path;
}

/* Lets eviction have the entry again. */
void
jimmy_cache_entry_free (JimmyCacheEntry * entry)
{
  if (entry == NULL)
    return;

  close (entry->fd);
  g_free (entry->audio_path);
  g_free (entry->subtitle_path);
  g_clear_pointer (&entry->task, jimmy_task_free);
  g_free (entry);
}

/**
 * jimmy_cache_lookup:
 * @out_audio_path: (out): where the cached audio is
 *
 * jimmy_cache_entry_open(), releasing the entry at once: another process
 * may evict it before the audio is opened. Prefer holding the entry.
 *
 * Returns: (transfer full) (nullable): the completed task from the cache.
 * %NULL without an error on a miss; %NULL with an error when an entry
 * could not be read or was found damaged (it is deleted: the caller
 * fetches anew).
 */
JimmyTask *
jimmy_cache_lookup (const char *cache_dir, const char *task_id,
    char **out_audio_path, GError ** error)
{
  g_autoptr (JimmyCacheEntry) entry = jimmy_cache_entry_open (cache_dir,
      task_id, error);

  if (entry == NULL)
    return NULL;
  *out_audio_path = g_strdup (entry->audio_path);
  return g_steal_pointer (&entry->task);
}

/* Creates and locks the writer's temporary directory. A cleaner that
 * took it between the two (it looks abandoned until locked) is removing
 * it: then make another. */
static gboolean
make_temp_dir (JimmyCacheWriter * writer, const char *cache_dir,
    const char *name, GError ** error)
{
  guint attempt;

  for (attempt = 0; attempt < JIMMY_CACHE_ATTEMPTS; attempt++) {
    g_autofree char *template = g_strdup_printf ("%s/" JIMMY_CACHE_TEMP_PREFIX
        "%s-XXXXXX", cache_dir, name);
    int fd;

    if (g_mkdtemp_full (template, 0700) == NULL) {
      jimmy_cache_set_errno_error (error, errno, "Could not write to the cache "
          "directory %s", cache_dir);
      return FALSE;
    }
    fd = jimmy_cache_open_directory (template);
    if (fd < 0)
      continue;
    if ((jimmy_cache_lock (fd, LOCK_EX | LOCK_NB) != 0 && errno == EWOULDBLOCK)
        || !jimmy_cache_still_at (fd, template)) {
      close (fd);
      continue;
    }
    writer->dir_fd = fd;
    writer->temp_path = g_steal_pointer (&template);
    return TRUE;
  }
  g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_FAILED, "Could not write "
      "to the cache directory %s: its temporary files kept disappearing.",
      cache_dir);
  return FALSE;
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
  g_autoptr (JimmyCacheWriter) writer = NULL;
  g_autofree char *name = NULL;

  if (g_mkdir_with_parents (cache_dir, 0700) != 0) {
    jimmy_cache_set_errno_error (error, errno, "Could not create the cache "
        "directory %s", cache_dir);
    return NULL;
  }

  writer = g_new0 (JimmyCacheWriter, 1);
  g_atomic_ref_count_init (&writer->ref_count);
  g_mutex_init (&writer->lock);
  writer->fd = -1;
  writer->dir_fd = -1;
  name = jimmy_cache_entry_name (task->id);
  writer->task_id = g_strdup (task->id);
  writer->entry_path = g_build_filename (cache_dir, name, NULL);
  if (!make_temp_dir (writer, cache_dir, name, error))
    return NULL;

  writer->fd = openat (writer->dir_fd, JIMMY_CACHE_AUDIO_NAME,
      O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (writer->fd < 0) {
    jimmy_cache_set_errno_error (error, errno, "Could not write to the "
        "cache directory %s", cache_dir);
    return NULL;
  }
  writer->response = task_to_response (task);
  writer->checksum = g_checksum_new (G_CHECKSUM_SHA256);
  return g_steal_pointer (&writer);
}

/**
 * jimmy_cache_writer_set_max_size:
 * @max_size: the cache's maximum size in bytes; 0 for no limit
 *
 * An entry larger than this is refused as it is written
 * (%G_FILE_ERROR_NOSPC), rather than stored and evicted at once.
 */
void
jimmy_cache_writer_set_max_size (JimmyCacheWriter * writer, guint64 max_size)
{
  g_mutex_lock (&writer->lock);
  writer->max_size = max_size;
  g_mutex_unlock (&writer->lock);
}

/* Called with the lock held. */
static gboolean
check_fits (JimmyCacheWriter * writer, guint64 size, GError ** error)
{
  if (writer->max_size == 0 || size <= writer->max_size)
    return TRUE;
  g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_NOSPC, "Task \"%s\" is not "
      "cached: its entry is larger than the cache's maximum size (%"
      G_GUINT64_FORMAT " bytes).", writer->task_id, writer->max_size);
  return FALSE;
}

/* Called with the lock held. */
static gboolean
check_open (JimmyCacheWriter * writer, GError ** error)
{
  if (!writer->committed && writer->fd >= 0)
    return TRUE;
  g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_FAILED, "The cache entry "
      "of task \"%s\" is already complete: nothing can be added to it.",
      writer->task_id);
  return FALSE;
}

static gboolean
write_all (int fd, const guint8 * data, gsize length)
{
  gsize done = 0;

  while (done < length) {
    gssize n = write (fd, data + done, length - done);
    if (n < 0 && errno == EINTR)
      continue;
    if (n < 0)
      return FALSE;
    done += n;
  }
  return TRUE;
}

/* A whole small file in the temporary directory, synced. Called with the
 * lock held. */
static gboolean
write_part (JimmyCacheWriter * writer, const char *name, const void *data,
    gsize length, GError ** error)
{
  int fd = openat (writer->dir_fd, name, O_WRONLY | O_CREAT | O_TRUNC |
      O_CLOEXEC, 0600);
  int saved_errno;

  if (fd >= 0 && write_all (fd, data, length) && fsync (fd) == 0
      && close (fd) == 0)
    return TRUE;
  saved_errno = errno;
  if (fd >= 0)
    close (fd);
  jimmy_cache_set_errno_error (error, saved_errno, "Could not write %s/%s",
      writer->temp_path, name);
  return FALSE;
}

gboolean
jimmy_cache_writer_append (JimmyCacheWriter * writer, const guint8 * data,
    gsize length, GError ** error)
{
  G_GNUC_UNUSED g_autoptr (GMutexLocker) locker =
      g_mutex_locker_new (&writer->lock);

  if (!check_open (writer, error)
      || !check_fits (writer, writer->length + writer->subtitles_length +
          length, error))
    return FALSE;
  if (!write_all (writer->fd, data, length)) {
    jimmy_cache_set_errno_error (error, errno, "Could not write %s/"
        JIMMY_CACHE_AUDIO_NAME, writer->temp_path);
    return FALSE;
  }
  g_checksum_update (writer->checksum, data, length);
  writer->length += length;
  return TRUE;
}

/**
 * jimmy_cache_writer_set_subtitles:
 * @data: (array length=length): the task's subtitle file, whole
 *
 * Stores the subtitles in the entry beside the audio: they appear with
 * it, atomically, at jimmy_cache_writer_commit(), and
 * jimmy_cache_entry_get_subtitle_path() gives them back. Call before the
 * commit, from any thread; a second call replaces the first.
 */
gboolean
jimmy_cache_writer_set_subtitles (JimmyCacheWriter * writer,
    const guint8 * data, gsize length, GError ** error)
{
  G_GNUC_UNUSED g_autoptr (GMutexLocker) locker =
      g_mutex_locker_new (&writer->lock);

  if (!check_open (writer, error)
      || !check_fits (writer, writer->length + length, error))
    return FALSE;
  g_clear_pointer (&writer->subtitles_sha256, g_free);
  writer->subtitles_length = 0;
  if (!write_part (writer, JIMMY_CACHE_SUBTITLES_NAME, data, length, error))
    return FALSE;
  writer->subtitles_sha256 = g_compute_checksum_for_data (G_CHECKSUM_SHA256,
      data, length);
  writer->subtitles_length = length;
  return TRUE;
}

guint64
jimmy_cache_writer_get_length (JimmyCacheWriter * writer)
{
  G_GNUC_UNUSED g_autoptr (GMutexLocker) locker =
      g_mutex_locker_new (&writer->lock);

  return writer->length;
}

static void
add_part (JsonBuilder * builder, const char *name, guint64 size,
    const char *sha256)
{
  json_builder_set_member_name (builder, name);
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "size");
  json_builder_add_int_value (builder, size);
  json_builder_set_member_name (builder, "sha256");
  json_builder_add_string_value (builder, sha256);
  json_builder_end_object (builder);
}

/* Called with the lock held. */
static char *
make_record (JimmyCacheWriter * writer)
{
  g_autoptr (JsonBuilder) builder = json_builder_new ();
  g_autoptr (JsonNode) root = NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "version");
  json_builder_add_int_value (builder, ENTRY_VERSION);
  add_part (builder, "audio", writer->length,
      g_checksum_get_string (writer->checksum));
  if (writer->subtitles_sha256 != NULL)
    add_part (builder, "subtitles", writer->subtitles_length,
        writer->subtitles_sha256);
  json_builder_set_member_name (builder, "response");
  json_builder_add_string_value (builder, writer->response);
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  return json_to_string (root, TRUE);
}

/* Renames the temporary directory into place. An entry there already
 * (another process stored the task too) is replaced unless it is being
 * read; then it stays, and this one is dropped. Called with the lock
 * held. */
static gboolean
move_into_place (JimmyCacheWriter * writer, GError ** error)
{
  g_autofree char *cache_dir = g_path_get_dirname (writer->entry_path);
  g_autofree char *name = g_path_get_basename (writer->entry_path);
  guint attempt;

  for (attempt = 0; attempt < JIMMY_CACHE_ATTEMPTS; attempt++) {
    if (g_rename (writer->temp_path, writer->entry_path) == 0) {
      /* Stored is used: the newest entry is the last one evicted. */
      if (futimens (writer->dir_fd, NULL) != 0)
        g_debug ("could not mark %s as used: %s", writer->entry_path,
            g_strerror (errno));
      return TRUE;
    }
    if (errno != ENOTEMPTY && errno != EEXIST) {
      jimmy_cache_set_errno_error (error, errno, "Could not store %s",
          writer->entry_path);
      return FALSE;
    }
    switch (jimmy_cache_evict (cache_dir, name, error)) {
      case JIMMY_CACHE_EVICT_DONE:
        continue;
      case JIMMY_CACHE_EVICT_IN_USE:
        jimmy_cache_remove_tree (writer->temp_path, NULL);
        return TRUE;
      case JIMMY_CACHE_EVICT_FAILED:
        return FALSE;
    }
  }
  jimmy_cache_remove_tree (writer->temp_path, NULL);
  return TRUE;
}

/**
 * jimmy_cache_writer_commit:
 *
 * Makes the entry visible: the audio (and subtitles) are synced, the
 * record written, and the entry renamed into place in one step. The
 * cache is not trimmed here: call jimmy_cache_trim() next.
 */
gboolean
jimmy_cache_writer_commit (JimmyCacheWriter * writer, GError ** error)
{
  G_GNUC_UNUSED g_autoptr (GMutexLocker) locker =
      g_mutex_locker_new (&writer->lock);
  g_autofree char *record = NULL;
  int fd = writer->fd;
  int saved_errno;

  if (!check_open (writer, error))
    return FALSE;
  writer->fd = -1;
  if (fsync (fd) != 0) {
    saved_errno = errno;
    close (fd);
    jimmy_cache_set_errno_error (error, saved_errno, "Could not store %s",
        writer->entry_path);
    return FALSE;
  }
  if (close (fd) != 0) {
    jimmy_cache_set_errno_error (error, errno, "Could not store %s",
        writer->entry_path);
    return FALSE;
  }

  record = make_record (writer);
  if (!check_fits (writer, writer->length + writer->subtitles_length +
          strlen (record), error)
      || !write_part (writer, JIMMY_CACHE_RECORD_NAME, record,
          strlen (record), error))
    return FALSE;
  /* The names inside are durable before the entry appears. */
  fsync (writer->dir_fd);
  if (!move_into_place (writer, error))
    return FALSE;

  writer->committed = TRUE;
  close (writer->dir_fd);
  writer->dir_fd = -1;
  return TRUE;
}

/**
 * jimmy_cache_writer_ref:
 *
 * For a writer shared by the audio's and the subtitles' streaming
 * threads: each holds a reference and drops it with
 * jimmy_cache_writer_free().
 *
 * Returns: (transfer full): @writer
 */
JimmyCacheWriter *
jimmy_cache_writer_ref (JimmyCacheWriter * writer)
{
  g_atomic_ref_count_inc (&writer->ref_count);
  return writer;
}

/**
 * jimmy_cache_writer_free:
 *
 * Drops a reference. With the last one, what was written and not
 * committed is removed.
 */
void
jimmy_cache_writer_free (JimmyCacheWriter * writer)
{
  if (writer == NULL || !g_atomic_ref_count_dec (&writer->ref_count))
    return;

  if (writer->fd >= 0)
    close (writer->fd);
  /* Still holding the lock: no cleaner is in the way. */
  if (!writer->committed && writer->temp_path != NULL)
    jimmy_cache_remove_tree (writer->temp_path, NULL);
  if (writer->dir_fd >= 0)
    close (writer->dir_fd);
  g_free (writer->task_id);
  g_free (writer->entry_path);
  g_free (writer->temp_path);
  g_free (writer->response);
  g_free (writer->subtitles_sha256);
  if (writer->checksum != NULL)
    g_checksum_free (writer->checksum);
  g_mutex_clear (&writer->lock);
  g_free (writer);
}

