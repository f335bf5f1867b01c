/* fuzz-replay.c: runs a fuzz target over files, without libFuzzer.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Linked with one target's LLVMFuzzerTestOneInput(), it keeps the seeds
 * and every input that once crashed covered by the normal build, with any
 * compiler: each file is one TAP subtest, so a regression names its file.
 *
 * Usage: fuzz-replay-<target> [--tap] DIR_OR_FILE...
 * Files whose names start with '.' are skipped (e.g. .gitkeep).
 */
#include <glib.h>
#include <glib/gstdio.h>

int LLVMFuzzerTestOneInput (const guint8 * data, size_t size);

static void
replay_file (gconstpointer user_data)
{
  const char *path = user_data;
  g_autoptr (GError) error = NULL;
  g_autofree char *contents = NULL;
  g_autofree guint8 *exact = NULL;
  gsize length = 0;

  g_assert_true (g_file_get_contents (path, &contents, &length, &error));
  g_assert_no_error (error);

  /* An exactly sized copy, not NUL-terminated, as libFuzzer passes it, so
   * a sanitizer build catches reads past the end. */
  exact = g_memdup2 (contents, length);
  LLVMFuzzerTestOneInput (exact, length);
}

static gint
compare_names (gconstpointer a, gconstpointer b)
{
  return g_strcmp0 (*(const char *const *) a, *(const char *const *) b);
}

static guint
add_path (const char *path, GPtrArray * owned)
{
  g_autoptr (GDir) dir = NULL;
  g_autoptr (GPtrArray) names = NULL;
  g_autoptr (GError) error = NULL;
  const char *name;
  guint i;

  if (!g_file_test (path, G_FILE_TEST_IS_DIR)) {
    char *test_path = g_strdup_printf ("/fuzz-replay/%s", path);

    g_ptr_array_add (owned, test_path);
    g_ptr_array_add (owned, g_strdup (path));
    g_test_add_data_func (test_path, owned->pdata[owned->len - 1],
        replay_file);
    return 1;
  }

  dir = g_dir_open (path, 0, &error);
  g_assert_no_error (error);

  /* Sorted, so the TAP numbering is stable. */
  names = g_ptr_array_new_with_free_func (g_free);
  while ((name = g_dir_read_name (dir)) != NULL) {
    if (name[0] != '.')
      g_ptr_array_add (names, g_strdup (name));
  }
  g_ptr_array_sort (names, compare_names);

  for (i = 0; i < names->len; i++) {
    const char *file = g_ptr_array_index (names, i);
    g_autofree char *dir_name = g_path_get_basename (path);
    char *test_path = g_strdup_printf ("/fuzz-replay/%s/%s", dir_name, file);

    g_ptr_array_add (owned, test_path);
    g_ptr_array_add (owned, g_build_filename (path, file, NULL));
    g_test_add_data_func (test_path, owned->pdata[owned->len - 1],
        replay_file);
  }
  return names->len;
}

int
main (int argc, char **argv)
{
  g_autoptr (GPtrArray) owned = g_ptr_array_new_with_free_func (g_free);
  guint n_files = 0;
  int i;

  g_test_init (&argc, &argv, NULL);

  for (i = 1; i < argc; i++)
    n_files += add_path (argv[i], owned);

  /* No input at all means a wrong path, not a pass. */
  if (n_files == 0) {
    g_printerr ("fuzz-replay: no input files given\n");
    return 1;
  }

  return g_test_run ();
}
