/* test-libsoup2.c: in a process that already holds libsoup 2, the plugin
 * refuses to register with one warning, and the process lives on.
 *
 * libsoup 3 aborts any process where libsoup 2 is loaded, and the other
 * way round, so this program links neither (no mock server, no client
 * library): the children load libsoup 2 themselves.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <dlfcn.h>
#include <string.h>
#include <sys/wait.h>

#include <glib/gstdio.h>
#include <gst/gst.h>

#define LIBSOUP_2_SONAME "libsoup-2.4.so.1"
#define LIBSOUP_3_SONAME "libsoup-3.0.so.0"
#define REFUSAL "*not registering jimmyaudiosrc*libsoup 2*"

static gboolean
library_is_loaded (const char *soname)
{
  void *handle = dlopen (soname, RTLD_LAZY | RTLD_NOLOAD);

  if (handle == NULL)
    return FALSE;
  dlclose (handle);
  return TRUE;
}

static void
load_libsoup2 (void)
{
  void *handle = dlopen (LIBSOUP_2_SONAME, RTLD_NOW | RTLD_GLOBAL);

  if (handle == NULL)
    g_error ("cannot load %s (%s): install libsoup2.4-1, as "
        "tools/setup-debian.sh does", LIBSOUP_2_SONAME, dlerror ());
  g_assert_true (library_is_loaded (LIBSOUP_2_SONAME));
}

static void
child_refuses (void)
{
  GstElementFactory *factory;
  GstElement *element;

  g_assert_false (library_is_loaded (LIBSOUP_3_SONAME));
  load_libsoup2 ();

  /* The registry knows the element (it was scanned without libsoup 2), so
   * this is an application's first use of it. */
  factory = gst_element_factory_find ("jimmyaudiosrc");
  g_assert_nonnull (factory);
  gst_object_unref (factory);

  g_test_expect_message (NULL, G_LOG_LEVEL_WARNING, REFUSAL);
  element = gst_element_factory_make ("jimmyaudiosrc", NULL);
  g_test_assert_expected_messages ();
  g_assert_null (element);

  /* Asked again, it fails the same way without warning again (an
   * unexpected warning would end this child). */
  element = gst_element_factory_make ("jimmyaudiosrc", NULL);
  g_assert_null (element);

  /* Nothing loaded libsoup 3: the process is as safe as before. */
  g_assert_false (library_is_loaded (LIBSOUP_3_SONAME));
}

static void
test_refused_when_libsoup2_loaded (void)
{
  if (g_test_subprocess ()) {
    child_refuses ();
    return;
  }
  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
  /* Passed, so neither aborted nor killed by a signal. */
  g_test_trap_assert_passed ();
  g_test_trap_assert_stderr_unmatched ("*libsoup-ERROR*");
}

/* The control: without libsoup 2 the same calls work, and they do load
 * libsoup 3, so the check above is not vacuous. */
static void
test_registered_without_libsoup2 (void)
{
  if (g_test_subprocess ()) {
    GstElement *element;

    g_assert_false (library_is_loaded (LIBSOUP_2_SONAME));
    element = gst_element_factory_make ("jimmyaudiosrc", NULL);
    g_assert_nonnull (element);
    g_assert_true (library_is_loaded (LIBSOUP_3_SONAME));
    gst_object_unref (element);
    return;
  }
  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_passed ();
}

static guint
count_occurrences (const char *haystack, const char *needle)
{
  guint n = 0;
  const char *at = haystack;

  while ((at = strstr (at, needle)) != NULL) {
    n++;
    at += strlen (needle);
  }
  return n;
}

/* As a user meets it: gst-inspect-1.0 with libsoup 2 preloaded and a
 * registry scanned from scratch, where the plugin scanner holds libsoup 2
 * too. Only our plugin is scanned: some of Debian's plugins link
 * libsoup 3 and would abort the scanner themselves. */
static void
test_gst_inspect_with_libsoup2_preloaded (void)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *tmpdir = g_dir_make_tmp ("test-libsoup2-XXXXXX", &error);
  g_autofree char *registry = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_auto (GStrv) envp = g_get_environ ();
  const char *argv[] = { "gst-inspect-1.0", "jimmyaudiosrc", NULL };
  gint status;

  g_assert_no_error (error);
  registry = g_build_filename (tmpdir, "registry.bin", NULL);
  envp = g_environ_setenv (envp, "LD_PRELOAD", LIBSOUP_2_SONAME, TRUE);
  envp = g_environ_setenv (envp, "GST_REGISTRY", registry, TRUE);
  envp = g_environ_setenv (envp, "GST_PLUGIN_SYSTEM_PATH_1_0", "", TRUE);

  g_spawn_sync (NULL, (char **) argv, envp, G_SPAWN_SEARCH_PATH, NULL, NULL,
      &out, &err, &status, &error);
  g_assert_no_error (error);
  g_test_message ("gst-inspect-1.0 said:\n%s", err);

  /* It exits on its own (no abort, no signal), having found no element. */
  g_assert_true (WIFEXITED (status));
  g_assert_cmpint (WEXITSTATUS (status), !=, 0);
  g_assert_nonnull (strstr (err, "No such element or plugin"));
  g_assert_cmpuint (count_occurrences (err, "not registering jimmyaudiosrc"),
      ==, 1);
  g_assert_null (strstr (err, "libsoup-ERROR"));

  g_remove (registry);
  g_rmdir (tmpdir);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  gst_init (&argc, &argv);

  g_test_add_func ("/libsoup2/refused-when-loaded",
      test_refused_when_libsoup2_loaded);
  g_test_add_func ("/libsoup2/registered-without-it",
      test_registered_without_libsoup2);
  g_test_add_func ("/libsoup2/gst-inspect-with-libsoup2-preloaded",
      test_gst_inspect_with_libsoup2_preloaded);
  return g_test_run ();
}
