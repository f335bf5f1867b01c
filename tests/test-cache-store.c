/* test-cache-store.c: the result cache on disk, without GStreamer: entries
 * with their subtitles, damage, the size limit and least-recently-used
 * eviction, other processes reading while one evicts, and what a killed
 * writer leaves behind.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "jimmy-cache.h"
#include "jimmy-error.h"

#define TASK_A "audio_cache_a"
#define TASK_B "audio_cache_b"
#define TASK_C "audio_cache_c"
#define TASK_D "audio_cache_d"
#define SUBTITLES "1\n00:00:00,000 --> 00:00:01,000\nHello\n"

typedef struct {
  char *dir;                    /* (owned) a fresh temporary directory */
  char *cache_dir;              /* (owned) dir/cache, not created yet */
} Fixture;

static void
remove_recursively (const char *path)
{
  g_autoptr (GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL) {
    g_autofree char *child = g_build_filename (path, name, NULL);

    if (g_file_test (child, G_FILE_TEST_IS_DIR))
      remove_recursively (child);
    else
      g_unlink (child);
  }
  g_rmdir (path);
}

static void
fixture_set_up (Fixture * f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;

  f->dir = g_dir_make_tmp ("jimmy-cache-store-XXXXXX", &error);
  g_assert_no_error (error);
  f->cache_dir = g_build_filename (f->dir, "cache", NULL);
}

static void
fixture_tear_down (Fixture * f, gconstpointer data)
{
  remove_recursively (f->dir);
  g_free (f->dir);
  g_free (f->cache_dir);
}

static JimmyTask *
make_task (const char *task_id)
{
  g_autofree char *body = g_strdup_printf ("{\"code\":20000,\"data\":{"
      "\"id\":\"%s\",\"status\":\"completed\","
      "\"audioUrl\":\"http://media.test/%s.mp3\","
      "\"subtitleFile\":\"http://media.test/%s.srt\"}}", task_id, task_id,
      task_id);
  g_autoptr (GError) error = NULL;
  JimmyTask *task = jimmy_task_new_from_response (body, strlen (body), NULL,
      &error);

  g_assert_no_error (error);
  return task;
}

/* Some audio, different for each task and size. */
static GBytes *
make_audio (const char *task_id, gsize size)
{
  guint8 *data = g_malloc (size);
  guint hash = g_str_hash (task_id);
  gsize i;

  for (i = 0; i < size; i++)
    data[i] = (guint8) (hash + i * 7 + i / 251);
  return g_bytes_new_take (data, size);
}

/* Writes the task's entry in chunks, as the element's tap does. */
static gboolean
store (const char *cache_dir, const char *task_id, GBytes * audio,
    const char *subtitles, guint64 max_size, GError ** error)
{
  g_autoptr (JimmyTask) task = make_task (task_id);
  g_autoptr (JimmyCacheWriter) writer = jimmy_cache_writer_new (cache_dir,
      task, error);
  gsize size, done = 0;
  const guint8 *data = g_bytes_get_data (audio, &size);

  if (writer == NULL)
    return FALSE;
  jimmy_cache_writer_set_max_size (writer, max_size);
  while (done < size) {
    gsize chunk = MIN (size - done, 4096);

    if (!jimmy_cache_writer_append (writer, data + done, chunk, error))
      return FALSE;
    done += chunk;
  }
  g_assert_cmpuint (jimmy_cache_writer_get_length (writer), ==, size);
  if (subtitles != NULL && !jimmy_cache_writer_set_subtitles (writer,
          (const guint8 *) subtitles, strlen (subtitles), error))
    return FALSE;
  return jimmy_cache_writer_commit (writer, error);
}

static void
store_ok (Fixture * f, const char *task_id, gsize size)
{
  g_autoptr (GBytes) audio = make_audio (task_id, size);
  g_autoptr (GError) error = NULL;

  g_assert_true (store (f->cache_dir, task_id, audio, NULL, 0, &error));
  g_assert_no_error (error);
}

static char *
entry_path (Fixture * f, const char *task_id, const char *file)
{
  g_autofree char *hash = g_compute_checksum_for_string (G_CHECKSUM_SHA256,
      task_id, -1);

  return g_build_filename (f->cache_dir, hash, file, NULL);
}

static gint
compare_names (gconstpointer a, gconstpointer b)
{
  return g_strcmp0 (*(const char **) a, *(const char **) b);
}

/* The names in @path, sorted, joined by spaces; an entry's hash is
 * written as the task it is of, temporary names as "tmp". */
static char *
list_dir (Fixture * f, const char *path)
{
  static const char *const tasks[] = { TASK_A, TASK_B, TASK_C, TASK_D, NULL };
  g_autoptr (GDir) dir = g_dir_open (path, 0, NULL);
  g_autoptr (GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL) {
    char *shown = g_str_has_prefix (name, ".tmp-") ? g_strdup ("tmp") : NULL;
    guint i;

    for (i = 0; shown == NULL && tasks[i] != NULL; i++) {
      g_autofree char *hash = g_compute_checksum_for_string
          (G_CHECKSUM_SHA256, tasks[i], -1);
      if (strcmp (name, hash) == 0)
        shown = g_strdup (tasks[i]);
    }
    g_ptr_array_add (names, shown != NULL ? shown : g_strdup (name));
  }
  g_ptr_array_sort (names, compare_names);
  g_ptr_array_add (names, NULL);
  return g_strjoinv (" ", (char **) names->pdata);
}

static void
assert_cache (Fixture * f, const char *expected)
{
  g_autofree char *listing = list_dir (f, f->cache_dir);

  g_assert_cmpstr (listing, ==, expected);
}

static void
assert_file (const char *path, const void *data, gsize size)
{
  g_autofree char *contents = NULL;
  gsize length = 0;
  g_autoptr (GError) error = NULL;

  g_assert_true (g_file_get_contents (path, &contents, &length, &error));
  g_assert_no_error (error);
  g_assert_cmpmem (contents, length, data, size);
}

/* Sets the modification time of @path to @age_s seconds ago. */
static void
age_path (const char *path, gint64 age_s)
{
  struct timespec times[2];

  times[0].tv_sec = times[1].tv_sec = time (NULL) - age_s;
  times[0].tv_nsec = times[1].tv_nsec = 0;
  g_assert_cmpint (utimensat (AT_FDCWD, path, times, AT_SYMLINK_NOFOLLOW), ==,
      0);
}

static void
age_entry (Fixture * f, const char *task_id, gint64 age_s)
{
  g_autofree char *path = entry_path (f, task_id, NULL);

  age_path (path, age_s);
}

static void
hit (Fixture * f, const char *task_id)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (JimmyCacheEntry) entry = jimmy_cache_entry_open (f->cache_dir,
      task_id, &error);

  g_assert_no_error (error);
  g_assert_nonnull (entry);
}

/* ---------------------------------------------------------------------- */

static void
test_round_trip (Fixture * f, gconstpointer data)
{
  g_autoptr (GBytes) audio = make_audio (TASK_A, 100000);
  g_autoptr (GError) error = NULL;
  g_autoptr (JimmyCacheEntry) entry = NULL;
  g_autoptr (JimmyTask) task = NULL;
  g_autofree char *audio_path = NULL;
  g_autofree char *dir = entry_path (f, TASK_A, NULL);
  g_autofree char *listing = NULL;

  /* A miss, in a directory that does not even exist yet. */
  g_assert_null (jimmy_cache_entry_open (f->cache_dir, TASK_A, &error));
  g_assert_no_error (error);

  g_assert_true (store (f->cache_dir, TASK_A, audio, SUBTITLES, 0, &error));
  g_assert_no_error (error);
  /* One entry directory, no temporary left. */
  assert_cache (f, TASK_A);
  listing = list_dir (f, dir);
  g_assert_cmpstr (listing, ==, "audio record.json subtitles");

  entry = jimmy_cache_entry_open (f->cache_dir, TASK_A, &error);
  g_assert_no_error (error);
  g_assert_nonnull (entry);
  g_assert_cmpstr (jimmy_cache_entry_get_task (entry)->id, ==, TASK_A);
  g_assert_cmpstr (jimmy_cache_entry_get_task (entry)->subtitle_url, ==,
      "http://media.test/" TASK_A ".srt");
  assert_file (jimmy_cache_entry_get_audio_path (entry),
      g_bytes_get_data (audio, NULL), g_bytes_get_size (audio));
  assert_file (jimmy_cache_entry_get_subtitle_path (entry), SUBTITLES,
      strlen (SUBTITLES));

  /* The older call still works, and gives the same file. */
  task = jimmy_cache_lookup (f->cache_dir, TASK_A, &audio_path, &error);
  g_assert_no_error (error);
  g_assert_nonnull (task);
  g_assert_cmpstr (task->id, ==, TASK_A);
  g_assert_cmpstr (audio_path, ==, jimmy_cache_entry_get_audio_path (entry));
}

static void
test_without_subtitles (Fixture * f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (JimmyCacheEntry) entry = NULL;
  g_autofree char *dir = entry_path (f, TASK_A, NULL);
  g_autofree char *listing = NULL;

  store_ok (f, TASK_A, 1000);
  listing = list_dir (f, dir);
  g_assert_cmpstr (listing, ==, "audio record.json");
  entry = jimmy_cache_entry_open (f->cache_dir, TASK_A, &error);
  g_assert_no_error (error);
  g_assert_nonnull (entry);
  g_assert_null (jimmy_cache_entry_get_subtitle_path (entry));
}

static void
test_not_committed (Fixture * f, gconstpointer data)
{
  g_autoptr (JimmyTask) task = make_task (TASK_A);
  g_autoptr (GError) error = NULL;
  JimmyCacheWriter *writer;

  writer = jimmy_cache_writer_new (f->cache_dir, task, &error);
  g_assert_no_error (error);
  g_assert_true (jimmy_cache_writer_append (writer, (const guint8 *) "abc", 3,
          &error));
  g_assert_true (jimmy_cache_writer_set_subtitles (writer,
          (const guint8 *) SUBTITLES, strlen (SUBTITLES), &error));
  /* Being written: only a temporary directory, which no reader sees. */
  assert_cache (f, "tmp");
  g_assert_null (jimmy_cache_entry_open (f->cache_dir, TASK_A, &error));
  g_assert_no_error (error);
  assert_cache (f, "tmp");

  /* Given up: nothing is left. */
  jimmy_cache_writer_free (writer);
  assert_cache (f, "");
}

static void
test_late_subtitles (Fixture * f, gconstpointer data)
{
  g_autoptr (JimmyTask) task = make_task (TASK_A);
  g_autoptr (GError) error = NULL;
  g_autoptr (JimmyCacheWriter) writer = NULL;

  writer = jimmy_cache_writer_new (f->cache_dir, task, &error);
  g_assert_true (jimmy_cache_writer_append (writer, (const guint8 *) "abc", 3,
          &error));
  g_assert_true (jimmy_cache_writer_commit (writer, &error));
  g_assert_no_error (error);

  g_assert_false (jimmy_cache_writer_set_subtitles (writer,
          (const guint8 *) SUBTITLES, strlen (SUBTITLES), &error));
  g_assert_error (error, G_FILE_ERROR, G_FILE_ERROR_FAILED);
  g_assert_cmpstr (error->message, ==, "The cache entry of task "
      "\"" TASK_A "\" is already complete: nothing can be added to it.");
}

static gpointer
add_subtitles (gpointer data)
{
  JimmyCacheWriter *writer = data;
  gboolean ok;

  ok = jimmy_cache_writer_set_subtitles (writer, (const guint8 *) SUBTITLES,
      strlen (SUBTITLES), NULL);
  jimmy_cache_writer_free (writer);
  return GINT_TO_POINTER (ok);
}

static void
test_shared_writer (Fixture * f, gconstpointer data)
{
  g_autoptr (JimmyTask) task = make_task (TASK_A);
  g_autoptr (GBytes) audio = make_audio (TASK_A, 300000);
  g_autoptr (GError) error = NULL;
  g_autoptr (JimmyCacheEntry) entry = NULL;
  JimmyCacheWriter *writer;
  GThread *thread;
  const guint8 *bytes = g_bytes_get_data (audio, NULL);
  gsize done;

  /* The subtitles come from another thread, with their own reference,
   * while the audio is appended. */
  writer = jimmy_cache_writer_new (f->cache_dir, task, &error);
  g_assert_no_error (error);
  thread = g_thread_new ("subtitles", add_subtitles,
      jimmy_cache_writer_ref (writer));
  for (done = 0; done < 300000; done += 1000)
    g_assert_true (jimmy_cache_writer_append (writer, bytes + done, 1000,
            &error));
  g_assert_true (GPOINTER_TO_INT (g_thread_join (thread)));
  g_assert_true (jimmy_cache_writer_commit (writer, &error));
  g_assert_no_error (error);
  jimmy_cache_writer_free (writer);

  entry = jimmy_cache_entry_open (f->cache_dir, TASK_A, &error);
  g_assert_no_error (error);
  g_assert_nonnull (entry);
  assert_file (jimmy_cache_entry_get_audio_path (entry), bytes, 300000);
  assert_file (jimmy_cache_entry_get_subtitle_path (entry), SUBTITLES,
      strlen (SUBTITLES));

  /* Given up by both holders: nothing is left until the last one. */
  g_clear_pointer (&entry, jimmy_cache_entry_free);
  g_assert_true (jimmy_cache_trim (f->cache_dir, 1, NULL, &error));
  writer = jimmy_cache_writer_new (f->cache_dir, task, &error);
  jimmy_cache_writer_ref (writer);
  jimmy_cache_writer_free (writer);
  assert_cache (f, "tmp");
  g_assert_true (jimmy_cache_writer_append (writer, bytes, 10, &error));
  jimmy_cache_writer_free (writer);
  assert_cache (f, "");
}

/* Damages a stored entry with @damage, then asserts the next lookup
 * reports it with @why and deletes it. */
static void
assert_damage_detected (Fixture * f, const char *file, const char *contents,
    gssize length, const char *why)
{
  g_autofree char *path = entry_path (f, TASK_A, file);
  g_autofree char *message = g_strdup_printf ("The cached audio of task \""
      TASK_A "\" was %s; it was deleted and will be fetched again.", why);
  g_autoptr (GError) error = NULL;

  store_ok (f, TASK_A, 5000);
  if (contents == NULL)
    g_assert_cmpint (g_unlink (path), ==, 0);
  else
    g_assert_true (g_file_set_contents (path, contents, length, NULL));

  g_assert_null (jimmy_cache_entry_open (f->cache_dir, TASK_A, &error));
  g_assert_error (error, JIMMY_CLIENT_ERROR, JIMMY_CLIENT_ERROR_MALFORMED);
  g_assert_cmpstr (error->message, ==, message);
  assert_cache (f, "");
}

static void
test_damaged (Fixture * f, gconstpointer data)
{
  g_autoptr (GBytes) audio = make_audio (TASK_A, 5000);
  g_autoptr (GError) error = NULL;
  g_autofree char *subtitles_path = entry_path (f, TASK_A, "subtitles");
  g_autofree char *changed = g_memdup2 (g_bytes_get_data (audio, NULL), 5000);

  changed[2500] ^= 0x55;
  assert_damage_detected (f, "audio", changed, 5000,
      "incomplete or damaged");
  assert_damage_detected (f, "audio", changed, 2500, "incomplete or damaged");
  assert_damage_detected (f, "audio", NULL, 0, "incomplete or damaged");
  assert_damage_detected (f, "record.json", NULL, 0, "unreadable");
  assert_damage_detected (f, "record.json", "{\"version\": 2", -1,
      "unreadable");
  /* Wrong types anywhere: no CRITICAL from json-glib (fatal here). */
  assert_damage_detected (f, "record.json", "{\"version\": \"2\", "
      "\"audio\": 5, \"response\": {}}", -1, "unreadable");
  assert_damage_detected (f, "record.json", "{\"version\": 2, \"audio\": "
      "{\"size\": \"5000\", \"sha256\": 1}, \"response\": \"x\"}", -1,
      "incomplete or damaged");
  assert_damage_detected (f, "record.json", "{\"version\": 1, \"size\": 5000,"
      "\"sha256\": \"x\", \"response\": \"x\"}", -1, "unreadable");

  /* The subtitles are checked like the audio. */
  g_assert_true (store (f->cache_dir, TASK_A, audio, SUBTITLES, 0, &error));
  g_assert_true (g_file_set_contents (subtitles_path, "1\nBye\n", -1, NULL));
  g_assert_null (jimmy_cache_entry_open (f->cache_dir, TASK_A, &error));
  g_assert_error (error, JIMMY_CLIENT_ERROR, JIMMY_CLIENT_ERROR_MALFORMED);
  assert_cache (f, "");
}

static void
test_replace_existing (Fixture * f, gconstpointer data)
{
  g_autoptr (GBytes) second = make_audio (TASK_B, 3000);
  g_autoptr (GBytes) third = make_audio (TASK_C, 4000);
  g_autoptr (JimmyCacheEntry) entry = NULL;
  g_autoptr (GError) error = NULL;

  /* Another process stored the task meanwhile: the newer entry wins. */
  store_ok (f, TASK_A, 2000);
  g_assert_true (store (f->cache_dir, TASK_A, second, NULL, 0, &error));
  g_assert_no_error (error);
  assert_cache (f, TASK_A);
  entry = jimmy_cache_entry_open (f->cache_dir, TASK_A, &error);
  g_assert_nonnull (entry);
  assert_file (jimmy_cache_entry_get_audio_path (entry),
      g_bytes_get_data (second, NULL), 3000);

  /* Unless it is being read: then the one there stays, whole. */
  g_assert_true (store (f->cache_dir, TASK_A, third, NULL, 0, &error));
  g_assert_no_error (error);
  assert_cache (f, TASK_A);
  assert_file (jimmy_cache_entry_get_audio_path (entry),
      g_bytes_get_data (second, NULL), 3000);
}

static void
test_max_size_refused (Fixture * f, gconstpointer data)
{
  g_autoptr (GBytes) audio = make_audio (TASK_A, 10000);
  g_autoptr (GError) error = NULL;

  /* Refused while it is written, not after. */
  g_assert_false (store (f->cache_dir, TASK_A, audio, NULL, 9999, &error));
  g_assert_error (error, G_FILE_ERROR, G_FILE_ERROR_NOSPC);
  g_assert_cmpstr (error->message, ==, "Task \"" TASK_A "\" is not cached: "
      "its entry is larger than the cache's maximum size (9999 bytes).");
  g_clear_error (&error);
  assert_cache (f, "");

  /* The record counts too. */
  g_assert_false (store (f->cache_dir, TASK_A, audio, NULL, 10010, &error));
  g_assert_error (error, G_FILE_ERROR, G_FILE_ERROR_NOSPC);
  g_clear_error (&error);
  assert_cache (f, "");

  g_assert_true (store (f->cache_dir, TASK_A, audio, SUBTITLES, 20000,
          &error));
  g_assert_no_error (error);
  assert_cache (f, TASK_A);
}

static guint64
entry_bytes (Fixture * f, const char *task_id)
{
  static const char *const files[] = { "audio", "record.json", "subtitles",
    NULL
  };
  guint64 total = 0;
  guint i;

  for (i = 0; files[i] != NULL; i++) {
    g_autofree char *path = entry_path (f, task_id, files[i]);
    GStatBuf st;

    if (g_stat (path, &st) == 0)
      total += st.st_size;
  }
  return total;
}

static void
test_trim_least_recently_used (Fixture * f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  guint64 three;

  store_ok (f, TASK_A, 10000);
  store_ok (f, TASK_B, 10000);
  store_ok (f, TASK_C, 10000);
  /* Stored in this order, long ago; then A is played again. */
  age_entry (f, TASK_A, 300);
  age_entry (f, TASK_B, 200);
  age_entry (f, TASK_C, 100);
  hit (f, TASK_A);

  /* 0 is no limit. */
  g_assert_true (jimmy_cache_trim (f->cache_dir, 0, NULL, &error));
  assert_cache (f, TASK_A " " TASK_B " " TASK_C);

  store_ok (f, TASK_D, 10000);
  three = entry_bytes (f, TASK_A) + entry_bytes (f, TASK_C) +
      entry_bytes (f, TASK_D);
  g_assert_true (jimmy_cache_trim (f->cache_dir, three, TASK_D, &error));
  g_assert_no_error (error);
  /* B was used longest ago (A's hit counted). */
  assert_cache (f, TASK_A " " TASK_C " " TASK_D);

  /* The kept entry stays even when it alone is over the limit. */
  g_assert_true (jimmy_cache_trim (f->cache_dir, 1, TASK_D, &error));
  g_assert_no_error (error);
  assert_cache (f, TASK_D);
  g_assert_true (jimmy_cache_trim (f->cache_dir, 1, NULL, &error));
  assert_cache (f, "");
}

static void
test_trim_skips_entry_in_use (Fixture * f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) audio = make_audio (TASK_A, 10000);
  JimmyCacheEntry *entry;

  store_ok (f, TASK_A, 10000);
  store_ok (f, TASK_B, 10000);
  age_entry (f, TASK_A, 200);
  age_entry (f, TASK_B, 100);

  /* A is the oldest, but held: B goes instead, A stays playable. */
  entry = jimmy_cache_entry_open (f->cache_dir, TASK_A, &error);
  g_assert_nonnull (entry);
  age_entry (f, TASK_A, 200);
  g_assert_true (jimmy_cache_trim (f->cache_dir, 1, NULL, &error));
  g_assert_no_error (error);
  assert_cache (f, TASK_A);
  assert_file (jimmy_cache_entry_get_audio_path (entry),
      g_bytes_get_data (audio, NULL), 10000);

  /* Released, it can go. */
  jimmy_cache_entry_free (entry);
  g_assert_true (jimmy_cache_trim (f->cache_dir, 1, NULL, &error));
  assert_cache (f, "");
}

static void
test_busy_entry_is_a_miss (Fixture * f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *path = entry_path (f, TASK_A, NULL);
  int fd;

  /* Held exclusively (an evicter at work, or its writer just done): a
   * reader does not wait for another process, it fetches anew. */
  store_ok (f, TASK_A, 1000);
  fd = open (path, O_RDONLY | O_DIRECTORY);
  g_assert_cmpint (flock (fd, LOCK_EX), ==, 0);
  g_assert_null (jimmy_cache_entry_open (f->cache_dir, TASK_A, &error));
  g_assert_no_error (error);
  close (fd);
  hit (f, TASK_A);
}

/* ---------------------------------------------------------------------- */
/* Other processes */

static void
write_byte (int fd, char c)
{
  g_assert_cmpint (write (fd, &c, 1), ==, 1);
}

static char
read_byte (int fd)
{
  char c = 0;
  gssize n;

  do
    n = read (fd, &c, 1);
  while (n < 0 && errno == EINTR);
  return n == 1 ? c : 0;
}

static int
wait_child (pid_t pid)
{
  int status = 0;

  g_assert_cmpint (waitpid (pid, &status, 0), ==, pid);
  return status;
}

/* Child: holds the entry, tells the parent, waits for its go, then reads
 * the audio by path as filesrc would. Exit status 0 when it was whole. */
static int
hold_and_read (Fixture * f, int to_parent, int from_parent)
{
  g_autoptr (GBytes) audio = make_audio (TASK_A, 200000);
  g_autoptr (JimmyCacheEntry) entry = NULL;
  g_autofree char *contents = NULL;
  gsize length = 0;

  entry = jimmy_cache_entry_open (f->cache_dir, TASK_A, NULL);
  write_byte (to_parent, entry != NULL ? 'h' : 'm');
  if (entry == NULL || read_byte (from_parent) != 'g')
    return 2;
  if (!g_file_get_contents (jimmy_cache_entry_get_audio_path (entry),
          &contents, &length, NULL))
    return 3;
  return g_bytes_get_size (audio) == length
      && memcmp (contents, g_bytes_get_data (audio, NULL), length) == 0 ? 0 :
      4;
}

static void
test_eviction_waits_for_reader (Fixture * f, gconstpointer data)
{
  int to_parent[2], to_child[2];
  g_autoptr (GError) error = NULL;
  pid_t pid;
  int status;

  store_ok (f, TASK_A, 200000);
  g_assert_cmpint (pipe (to_parent), ==, 0);
  g_assert_cmpint (pipe (to_child), ==, 0);
  pid = fork ();
  g_assert_cmpint (pid, >=, 0);
  if (pid == 0) {
    /* Only the parent's ends open: its death is an end of file here. */
    close (to_child[1]);
    close (to_parent[0]);
    _exit (hold_and_read (f, to_parent[1], to_child[0]));
  }
  close (to_child[0]);
  close (to_parent[1]);

  g_assert_cmpint (read_byte (to_parent[0]), ==, 'h');
  /* The other process holds it: over the limit, it stays. Storing the
   * task again does not replace it either. */
  g_assert_true (jimmy_cache_trim (f->cache_dir, 1, NULL, &error));
  g_assert_no_error (error);
  assert_cache (f, TASK_A);
  store_ok (f, TASK_A, 1000);
  assert_cache (f, TASK_A);

  write_byte (to_child[1], 'g');
  status = wait_child (pid);
  g_assert_true (WIFEXITED (status));
  g_assert_cmpint (WEXITSTATUS (status), ==, 0);

  /* Released with the process: now it goes. */
  g_assert_true (jimmy_cache_trim (f->cache_dir, 1, NULL, &error));
  assert_cache (f, "");
  close (to_parent[0]);
  close (to_child[1]);
}

#define RACE_ROUNDS 40

static gboolean
has_input (int fd)
{
  struct pollfd pfd = { fd, POLLIN, 0 };

  return poll (&pfd, 1, 0) != 0;
}

/* Child: reads the entry over and over while the parent stores and
 * evicts it, until the parent is done. Every hit must read whole; a miss
 * is fine. */
static int
read_repeatedly (Fixture * f, int from_parent, guint * out_hits)
{
  g_autoptr (GBytes) audio = make_audio (TASK_A, 50000);

  *out_hits = 0;
  while (!has_input (from_parent)) {
    g_autoptr (GError) error = NULL;
    g_autoptr (JimmyCacheEntry) entry = NULL;
    g_autofree char *contents = NULL;
    g_autofree char *subtitles = NULL;
    gsize length = 0;

    entry = jimmy_cache_entry_open (f->cache_dir, TASK_A, &error);
    if (error != NULL)
      return 1;                 /* never damaged, never unreadable */
    if (entry == NULL)
      continue;
    if (!g_file_get_contents (jimmy_cache_entry_get_audio_path (entry),
            &contents, &length, NULL)
        || length != g_bytes_get_size (audio)
        || memcmp (contents, g_bytes_get_data (audio, NULL), length) != 0)
      return 2;
    if (!g_file_get_contents (jimmy_cache_entry_get_subtitle_path (entry),
            &subtitles, NULL, NULL) || strcmp (subtitles, SUBTITLES) != 0)
      return 3;
    (*out_hits)++;
  }
  return 0;
}

static void
test_read_races_eviction (Fixture * f, gconstpointer data)
{
  /* Made after the fork: the child leaves with _exit(), and would leak
   * it. */
  g_autoptr (GBytes) audio = NULL;
  int to_parent[2], to_child[2];
  guint hits = 0, round;
  pid_t pid;
  int status;

  g_assert_cmpint (pipe (to_parent), ==, 0);
  g_assert_cmpint (pipe (to_child), ==, 0);
  pid = fork ();
  g_assert_cmpint (pid, >=, 0);
  if (pid == 0) {
    int code;

    close (to_child[1]);
    close (to_parent[0]);
    code = read_repeatedly (f, to_child[0], &hits);
    if (write (to_parent[1], &hits, sizeof hits) != sizeof hits)
      code = 9;
    _exit (code);
  }
  close (to_child[0]);
  close (to_parent[1]);
  audio = make_audio (TASK_A, 50000);

  /* Until the rounds are done, or the reader failed. */
  for (round = 0; round < RACE_ROUNDS && waitpid (pid, &status,
          WNOHANG) == 0; round++) {
    g_autoptr (GError) error = NULL;

    g_assert_true (store (f->cache_dir, TASK_A, audio, SUBTITLES, 0,
            &error));
    g_assert_no_error (error);
    g_assert_true (jimmy_cache_trim (f->cache_dir, 1, NULL, &error));
    g_assert_no_error (error);
  }
  if (round == RACE_ROUNDS) {
    write_byte (to_child[1], 's');
    status = wait_child (pid);
  }
  g_assert_true (WIFEXITED (status));
  g_assert_cmpint (WEXITSTATUS (status), ==, 0);
  g_assert_cmpint (read (to_parent[0], &hits, sizeof hits), ==, sizeof hits);
  g_test_message ("%u reads hit whole entries while %u were stored and "
      "evicted", hits, RACE_ROUNDS);
  close (to_parent[0]);
  close (to_child[1]);

  /* No temporary directory survives the race. */
  g_assert_true (jimmy_cache_trim (f->cache_dir, 1, NULL, NULL));
  assert_cache (f, "");
}

/* Child: starts writing an entry, tells the parent, and waits to be
 * killed (or for the parent to be gone: an end of file). */
static void
write_until_killed (Fixture * f, int to_parent, int from_parent)
{
  g_autoptr (JimmyTask) task = make_task (TASK_A);
  JimmyCacheWriter *writer = jimmy_cache_writer_new (f->cache_dir, task,
      NULL);

  if (writer == NULL
      || !jimmy_cache_writer_append (writer, (const guint8 *) "abc", 3, NULL))
    _exit (1);
  write_byte (to_parent, 'w');
  read_byte (from_parent);
  _exit (0);
}

static void
test_killed_writer (Fixture * f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (JimmyCacheEntry) entry = NULL;
  int to_parent[2], to_child[2];
  guint removed = 99;
  pid_t pid;
  int status;

  g_assert_cmpint (g_mkdir_with_parents (f->cache_dir, 0700), ==, 0);
  g_assert_cmpint (pipe (to_parent), ==, 0);
  g_assert_cmpint (pipe (to_child), ==, 0);
  pid = fork ();
  g_assert_cmpint (pid, >=, 0);
  if (pid == 0) {
    close (to_child[1]);
    close (to_parent[0]);
    write_until_killed (f, to_parent[1], to_child[0]);
  }
  close (to_child[0]);
  close (to_parent[1]);
  g_assert_cmpint (read_byte (to_parent[0]), ==, 'w');

  /* A live writer's files are left alone. */
  g_assert_true (jimmy_cache_remove_leftovers (f->cache_dir, &removed,
          &error));
  g_assert_no_error (error);
  g_assert_cmpuint (removed, ==, 0);
  assert_cache (f, "tmp");

  g_assert_cmpint (kill (pid, SIGKILL), ==, 0);
  status = wait_child (pid);
  g_assert_true (WIFSIGNALED (status));
  assert_cache (f, "tmp");

  /* Opening the cache next time removes them. */
  entry = jimmy_cache_entry_open (f->cache_dir, TASK_A, &error);
  g_assert_no_error (error);
  g_assert_null (entry);
  assert_cache (f, "");
  close (to_parent[0]);
  close (to_child[1]);
}

static void
test_old_leftovers (Fixture * f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *hash = g_compute_checksum_for_string (G_CHECKSUM_SHA256,
      TASK_B, -1);
  g_autofree char *temp = NULL;
  g_autofree char *temp_audio = NULL;
  g_autofree char *old_audio = g_strdup_printf ("%s/%s.audio", f->cache_dir,
      hash);
  g_autofree char *old_record = g_strdup_printf ("%s/%s.json", f->cache_dir,
      hash);
  g_autofree char *old_temp = g_strdup_printf ("%s/%s.audio.AbC123",
      f->cache_dir, hash);
  g_autofree char *fresh_temp = g_strdup_printf ("%s/%s.json.XyZ789",
      f->cache_dir, hash);
  g_autofree char *other = g_build_filename (f->cache_dir, "notes.txt", NULL);
  guint removed = 0;
  int fd;

  /* A temporary entry whose writer holds it, unchanged for two hours. */
  g_assert_cmpint (g_mkdir_with_parents (f->cache_dir, 0700), ==, 0);
  temp = g_strdup_printf ("%s/.tmp-%s-Q1w2E3", f->cache_dir, hash);
  g_assert_cmpint (g_mkdir (temp, 0700), ==, 0);
  temp_audio = g_build_filename (temp, "audio", NULL);
  g_assert_true (g_file_set_contents (temp_audio, "abc", 3, NULL));
  fd = open (temp, O_RDONLY | O_DIRECTORY);
  g_assert_cmpint (flock (fd, LOCK_EX), ==, 0);

  /* The cache's first format, and what is not the cache's. */
  g_assert_true (g_file_set_contents (old_audio, "abc", 3, NULL));
  g_assert_true (g_file_set_contents (old_record, "{}", 2, NULL));
  g_assert_true (g_file_set_contents (old_temp, "ab", 2, NULL));
  g_assert_true (g_file_set_contents (fresh_temp, "ab", 2, NULL));
  g_assert_true (g_file_set_contents (other, "mine", 4, NULL));
  age_path (old_temp, 2 * 60 * 60);
  store_ok (f, TASK_A, 1000);

  /* Locked and fresh: kept. */
  g_assert_true (jimmy_cache_remove_leftovers (f->cache_dir, &removed,
          &error));
  g_assert_no_error (error);
  g_assert_cmpuint (removed, ==, 3);
  g_assert_false (g_file_test (old_audio, G_FILE_TEST_EXISTS));
  g_assert_false (g_file_test (old_record, G_FILE_TEST_EXISTS));
  g_assert_false (g_file_test (old_temp, G_FILE_TEST_EXISTS));
  g_assert_true (g_file_test (fresh_temp, G_FILE_TEST_EXISTS));
  g_assert_true (g_file_test (other, G_FILE_TEST_EXISTS));
  g_assert_true (g_file_test (temp_audio, G_FILE_TEST_EXISTS));
  hit (f, TASK_A);

  /* Locked but unchanged for longer than JIMMY_CACHE_LEFTOVER_AGE_S. */
  age_path (temp_audio, 2 * 60 * 60);
  age_path (temp, 2 * 60 * 60);
  g_assert_true (jimmy_cache_remove_leftovers (f->cache_dir, &removed,
          &error));
  g_assert_cmpuint (removed, ==, 1);
  g_assert_false (g_file_test (temp, G_FILE_TEST_EXISTS));
  g_assert_true (g_file_test (fresh_temp, G_FILE_TEST_EXISTS));
  g_assert_true (g_file_test (other, G_FILE_TEST_EXISTS));
  hit (f, TASK_A);
  close (fd);
}

static void
test_unusable_directory (Fixture * f, gconstpointer data)
{
  g_autoptr (JimmyTask) task = make_task (TASK_A);
  g_autoptr (GError) error = NULL;
  g_autofree char *file = g_build_filename (f->dir, "a-file", NULL);
  g_autofree char *message = NULL;
  g_autofree char *hash = g_compute_checksum_for_string (G_CHECKSUM_SHA256,
      TASK_A, -1);

  /* A file where the directory should be (root is not stopped by
   * permissions, so this is what a test can rely on). */
  g_assert_true (g_file_set_contents (file, "x", 1, NULL));
  g_assert_null (jimmy_cache_writer_new (file, task, &error));
  g_assert_error (error, G_FILE_ERROR, G_FILE_ERROR_NOTDIR);
  message = g_strdup_printf ("Could not create the cache directory %s: Not "
      "a directory", file);
  g_assert_cmpstr (error->message, ==, message);
  g_clear_error (&error);

  g_assert_null (jimmy_cache_entry_open (file, TASK_A, &error));
  g_assert_error (error, G_FILE_ERROR, G_FILE_ERROR_NOTDIR);
  g_free (message);
  message = g_strdup_printf ("Could not read the cache entry of task \""
      TASK_A "\" at %s/%s: Not a directory; it will be fetched from the "
      "API.", file, hash);
  g_assert_cmpstr (error->message, ==, message);
  g_clear_error (&error);

  g_assert_false (jimmy_cache_trim (file, 1, NULL, &error));
  g_assert_error (error, G_FILE_ERROR, G_FILE_ERROR_NOTDIR);
  g_clear_error (&error);
  g_assert_false (jimmy_cache_remove_leftovers (file, NULL, &error));
  g_assert_error (error, G_FILE_ERROR, G_FILE_ERROR_NOTDIR);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  /* A child that failed early closed its pipe: no SIGPIPE, an assert. */
  signal (SIGPIPE, SIG_IGN);

#define ADD(path, func) \
  g_test_add ("/cache-store/" path, Fixture, NULL, fixture_set_up, func, \
      fixture_tear_down)
  ADD ("round-trip", test_round_trip);
  ADD ("without-subtitles", test_without_subtitles);
  ADD ("not-committed", test_not_committed);
  ADD ("late-subtitles", test_late_subtitles);
  ADD ("shared-writer", test_shared_writer);
  ADD ("damaged", test_damaged);
  ADD ("replace-existing", test_replace_existing);
  ADD ("max-size-refused", test_max_size_refused);
  ADD ("trim-least-recently-used", test_trim_least_recently_used);
  ADD ("trim-skips-entry-in-use", test_trim_skips_entry_in_use);
  ADD ("busy-entry-is-a-miss", test_busy_entry_is_a_miss);
  ADD ("eviction-waits-for-reader", test_eviction_waits_for_reader);
  ADD ("read-races-eviction", test_read_races_eviction);
  ADD ("killed-writer", test_killed_writer);
  ADD ("old-leftovers", test_old_leftovers);
  ADD ("unusable-directory", test_unusable_directory);
#undef ADD
  return g_test_run ();
}
