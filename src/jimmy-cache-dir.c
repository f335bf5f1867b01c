/* jimmy-cache-dir.c: the cache directory as processes share it: the
 * locks on entries, eviction of the least recently used, and what killed
 * processes left behind. See jimmy-cache.c for the layout.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "jimmy-cache.h"
#include "jimmy-cache-private.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib/gstdio.h>

/* "<what>: <strerror>" in the G_FILE_ERROR domain. */
void
jimmy_cache_set_errno_error (GError ** error, int saved_errno,
    const char *format, ...)
{
  g_autofree char *what = NULL;
  va_list args;

  va_start (args, format);
  what = g_strdup_vprintf (format, args);
  va_end (args);
  g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved_errno),
      "%s: %s", what, g_strerror (saved_errno));
}

char *
jimmy_cache_entry_name (const char *task_id)
{
  return g_compute_checksum_for_string (G_CHECKSUM_SHA256, task_id, -1);
}

static gboolean
is_hash (const char *name, gsize length)
{
  gsize i;

  if (length != JIMMY_CACHE_HASH_LENGTH)
    return FALSE;
  for (i = 0; i < length; i++)
    if (!g_ascii_isdigit (name[i]) && (name[i] < 'a' || name[i] > 'f'))
      return FALSE;
  return TRUE;
}

int
jimmy_cache_open_directory (const char *path)
{
  return open (path, O_RDONLY | O_DIRECTORY | O_CLOEXEC | O_NOFOLLOW);
}

/* flock(2), retried when a signal interrupts it. A filesystem without
 * locks fails with something other than EWOULDBLOCK: callers go on
 * without the lock then. */
int
jimmy_cache_lock (int fd, int operation)
{
  int result;

  do
    result = flock (fd, operation);
  while (result != 0 && errno == EINTR);
  return result;
}

/* Whether @path still names the directory open as @fd: it may have
 * been evicted (or replaced) between the open and the lock. */
gboolean
jimmy_cache_still_at (int fd, const char *path)
{
  struct stat opened, named;

  return fstat (fd, &opened) == 0 && lstat (path, &named) == 0
      && opened.st_dev == named.st_dev && opened.st_ino == named.st_ino;
}

/* Removes a directory of the cache's own making: files only. */
gboolean
jimmy_cache_remove_tree (const char *path, GError ** error)
{
  g_autoptr (GError) local_error = NULL;
  g_autoptr (GDir) dir = g_dir_open (path, 0, &local_error);
  const char *name;

  if (dir == NULL) {
    if (g_error_matches (local_error, G_FILE_ERROR, G_FILE_ERROR_NOENT))
      return TRUE;
    g_propagate_error (error, g_steal_pointer (&local_error));
    return FALSE;
  }
  while ((name = g_dir_read_name (dir)) != NULL) {
    g_autofree char *file = g_build_filename (path, name, NULL);

    if (g_unlink (file) != 0 && errno != ENOENT) {
      jimmy_cache_set_errno_error (error, errno, "Could not remove %s", file);
      return FALSE;
    }
  }
  if (g_rmdir (path) != 0 && errno != ENOENT) {
    jimmy_cache_set_errno_error (error, errno, "Could not remove %s", path);
    return FALSE;
  }
  return TRUE;
}

/* Removes the entry @name unless a reader holds it. It is renamed away
 * first, so that no reader ever sees it half deleted. */
JimmyCacheEvictResult
jimmy_cache_evict (const char *cache_dir, const char *name, GError ** error)
{
  g_autofree char *path = g_build_filename (cache_dir, name, NULL);
  g_autofree char *trash = NULL;
  JimmyCacheEvictResult result = JIMMY_CACHE_EVICT_DONE;
  int fd = jimmy_cache_open_directory (path);

  if (fd < 0) {
    if (errno == ENOENT)
      return JIMMY_CACHE_EVICT_DONE;
    jimmy_cache_set_errno_error (error, errno, "Could not remove the cache "
        "entry %s", path);
    return JIMMY_CACHE_EVICT_FAILED;
  }
  if (jimmy_cache_lock (fd, LOCK_EX | LOCK_NB) != 0 && errno == EWOULDBLOCK) {
    close (fd);
    return JIMMY_CACHE_EVICT_IN_USE;
  }

  /* Gone meanwhile, or already replaced by a newer entry: leave it. */
  if (jimmy_cache_still_at (fd, path)) {
    trash = g_strdup_printf ("%s/" JIMMY_CACHE_TEMP_PREFIX "%s-%08x%08x",
        cache_dir, name, g_random_int (), g_random_int ());
    if (g_rename (path, trash) != 0) {
      jimmy_cache_set_errno_error (error, errno, "Could not remove the "
          "cache entry %s", path);
      result = JIMMY_CACHE_EVICT_FAILED;
    } else if (!jimmy_cache_remove_tree (trash, error)) {
      result = JIMMY_CACHE_EVICT_FAILED;
    }
  }
  close (fd);
  return result;
}

/* ---------------------------------------------------------------------- */
/* Eviction and leftovers */

typedef struct {
  char *name;                   /* (owned) */
  struct timespec used;
  guint64 size;
} EntryInfo;

static void
entry_info_clear (EntryInfo * info)
{
  g_free (info->name);
}

static guint64
entry_size (const char *path)
{
  static const char *const parts[] = {
    JIMMY_CACHE_AUDIO_NAME, JIMMY_CACHE_SUBTITLES_NAME,
    JIMMY_CACHE_RECORD_NAME, NULL
  };
  guint64 size = 0;
  guint i;

  for (i = 0; parts[i] != NULL; i++) {
    g_autofree char *file = g_build_filename (path, parts[i], NULL);
    struct stat st;

    if (lstat (file, &st) == 0)
      size += st.st_size;
  }
  return size;
}

static gint
compare_use (gconstpointer a, gconstpointer b)
{
  const EntryInfo *x = a, *y = b;

  if (x->used.tv_sec != y->used.tv_sec)
    return x->used.tv_sec < y->used.tv_sec ? -1 : 1;
  if (x->used.tv_nsec != y->used.tv_nsec)
    return x->used.tv_nsec < y->used.tv_nsec ? -1 : 1;
  return strcmp (x->name, y->name);
}

/* The entries of @cache_dir, least recently used first. */
static GArray *
list_entries (const char *cache_dir, guint64 * out_total, GError ** error)
{
  g_autoptr (GError) local_error = NULL;
  g_autoptr (GDir) dir = g_dir_open (cache_dir, 0, &local_error);
  g_autoptr (GArray) entries = g_array_new (FALSE, FALSE, sizeof (EntryInfo));
  const char *name;

  g_array_set_clear_func (entries, (GDestroyNotify) entry_info_clear);
  *out_total = 0;
  if (dir == NULL) {
    if (g_error_matches (local_error, G_FILE_ERROR, G_FILE_ERROR_NOENT))
      return g_steal_pointer (&entries);
    g_propagate_error (error, g_steal_pointer (&local_error));
    return NULL;
  }
  while ((name = g_dir_read_name (dir)) != NULL) {
    g_autofree char *path = g_build_filename (cache_dir, name, NULL);
    EntryInfo info;
    struct stat st;

    if (!is_hash (name, strlen (name)) || lstat (path, &st) != 0
        || !S_ISDIR (st.st_mode))
      continue;
    info.name = g_strdup (name);
    info.used = st.st_mtim;
    info.size = entry_size (path);
    *out_total += info.size;
    g_array_append_val (entries, info);
  }
  g_array_sort (entries, compare_use);
  return g_steal_pointer (&entries);
}

/**
 * jimmy_cache_trim:
 * @max_size: in bytes; 0 for no limit (nothing is done)
 * @keep_task_id: (nullable): an entry never to evict (the one just
 *   stored)
 *
 * Evicts the least recently used entries until the entries' files add up
 * to @max_size or less. Entries another process is reading are skipped,
 * so the cache may stay above its size until they are released.
 *
 * Returns: %FALSE with a #GFileError when the directory could not be read
 * or an entry could not be removed; the others are still evicted.
 */
gboolean
jimmy_cache_trim (const char *cache_dir, guint64 max_size,
    const char *keep_task_id, GError ** error)
{
  g_autofree char *keep = NULL;
  g_autoptr (GArray) entries = NULL;
  g_autoptr (GError) first_error = NULL;
  guint64 total = 0;
  guint i;

  if (max_size == 0)
    return TRUE;
  entries = list_entries (cache_dir, &total, error);
  if (entries == NULL)
    return FALSE;
  if (keep_task_id != NULL)
    keep = jimmy_cache_entry_name (keep_task_id);

  for (i = 0; i < entries->len && total > max_size; i++) {
    EntryInfo *info = &g_array_index (entries, EntryInfo, i);

    if (g_strcmp0 (info->name, keep) == 0)
      continue;
    if (jimmy_cache_evict (cache_dir, info->name, first_error == NULL ?
            &first_error : NULL) == JIMMY_CACHE_EVICT_DONE)
      total -= info->size;
  }

  if (first_error != NULL) {
    g_propagate_prefixed_error (error, g_steal_pointer (&first_error),
        "The cache %s could not be brought under its maximum size: ",
        cache_dir);
    return FALSE;
  }
  return TRUE;
}

/* The newest modification time of a temporary directory and its files:
 * a live writer's audio file changes as the download goes on. */
static gint64
newest_change (const char *path)
{
  g_autoptr (GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;
  struct stat st;
  gint64 newest = 0;

  if (lstat (path, &st) == 0)
    newest = st.st_mtime;
  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL) {
    g_autofree char *file = g_build_filename (path, name, NULL);

    if (lstat (file, &st) == 0)
      newest = MAX (newest, (gint64) st.st_mtime);
  }
  return newest;
}

/* Whether the temporary directory @path was left by a process that is
 * gone: nobody holds its lock, or it has not changed for an hour. */
static gboolean
remove_if_abandoned (const char *path, gint64 now, gboolean * out_removed,
    GError ** error)
{
  gboolean abandoned, ok = TRUE;
  int fd = jimmy_cache_open_directory (path);

  *out_removed = FALSE;
  if (fd < 0)
    return TRUE;
  abandoned = newest_change (path) + JIMMY_CACHE_LEFTOVER_AGE_S < now;
  /* EWOULDBLOCK is a live writer; other failures (a filesystem without
   * locks) leave only the age to go by. */
  if (!abandoned && jimmy_cache_lock (fd, LOCK_EX | LOCK_NB) == 0)
    abandoned = TRUE;
  if (abandoned) {
    ok = jimmy_cache_remove_tree (path, error);
    *out_removed = ok;
  }
  close (fd);
  return ok;
}

/* Files of the cache's first format, `<hash>.audio` and `<hash>.json`
 * beside each other, and their temporary files. */
static gboolean
is_old_format (const char *name, gboolean * out_temporary)
{
  const char *suffix = name + JIMMY_CACHE_HASH_LENGTH;

  if (strlen (name) <= JIMMY_CACHE_HASH_LENGTH
      || !is_hash (name, JIMMY_CACHE_HASH_LENGTH))
    return FALSE;
  *out_temporary = g_str_has_prefix (suffix, ".audio.")
      || g_str_has_prefix (suffix, ".json.");
  return *out_temporary || strcmp (suffix, ".audio") == 0
      || strcmp (suffix, ".json") == 0;
}

static gboolean
remove_old_format (const char *path, gboolean temporary, gint64 now,
    gboolean * out_removed, GError ** error)
{
  struct stat st;

  *out_removed = FALSE;
  if (lstat (path, &st) != 0 || !S_ISREG (st.st_mode)
      || (temporary && st.st_mtime + JIMMY_CACHE_LEFTOVER_AGE_S >= now))
    return TRUE;
  if (g_unlink (path) != 0 && errno != ENOENT) {
    jimmy_cache_set_errno_error (error, errno, "Could not remove %s", path);
    return FALSE;
  }
  *out_removed = TRUE;
  return TRUE;
}

/**
 * jimmy_cache_remove_leftovers:
 * @out_removed: (out) (optional): how many leftovers were removed
 *
 * Removes what killed processes left in @cache_dir: temporary entries no
 * live writer holds, or that have not changed for
 * %JIMMY_CACHE_LEFTOVER_AGE_S; and the files of the cache's first
 * format (`<hash>.audio`, `<hash>.json`), which nothing reads any more.
 * jimmy_cache_entry_open() calls it.
 *
 * Returns: %FALSE with a #GFileError when the directory could not be read
 * or a leftover could not be removed; the others are still removed. A
 * missing directory has no leftovers.
 */
gboolean
jimmy_cache_remove_leftovers (const char *cache_dir, guint * out_removed,
    GError ** error)
{
  g_autoptr (GError) local_error = NULL;
  g_autoptr (GError) first_error = NULL;
  g_autoptr (GDir) dir = g_dir_open (cache_dir, 0, &local_error);
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  guint removed = 0;
  const char *name;

  if (out_removed != NULL)
    *out_removed = 0;
  if (dir == NULL) {
    if (g_error_matches (local_error, G_FILE_ERROR, G_FILE_ERROR_NOENT))
      return TRUE;
    g_propagate_error (error, g_steal_pointer (&local_error));
    return FALSE;
  }

  while ((name = g_dir_read_name (dir)) != NULL) {
    g_autofree char *path = g_build_filename (cache_dir, name, NULL);
    GError **problem = first_error == NULL ? &first_error : NULL;
    gboolean temporary = FALSE, gone = FALSE;

    if (g_str_has_prefix (name, JIMMY_CACHE_TEMP_PREFIX))
      remove_if_abandoned (path, now, &gone, problem);
    else if (is_old_format (name, &temporary))
      remove_old_format (path, temporary, now, &gone, problem);
    removed += gone ? 1 : 0;
  }

  if (out_removed != NULL)
    *out_removed = removed;
  if (first_error != NULL) {
    g_propagate_error (error, g_steal_pointer (&first_error));
    return FALSE;
  }
  return TRUE;
}

