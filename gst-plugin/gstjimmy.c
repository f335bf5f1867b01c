/* gstjimmy.c: the "jimmy" plugin: Jimmy AI SoundClone tasks as audio.
 *
 * This file is all of libgstjimmy.so. It checks that the process can take
 * libsoup 3, then loads the module that holds the elements and lets it
 * register them (see gstjimmymodule.h for why they are two files).
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <dlfcn.h>

#include "gstjimmymodule.h"

GST_DEBUG_CATEGORY_STATIC (gst_jimmy_plugin_debug);
#define GST_CAT_DEFAULT gst_jimmy_plugin_debug

#define LIBSOUP_2_SONAME "libsoup-2.4.so.1"

static gboolean
libsoup2_is_loaded (void)
{
  void *handle;

  /* With RTLD_NOLOAD, dlopen() only finds a library that is already
   * mapped; it never loads one. GStreamer's soup plugin probes alike. */
  handle = dlopen (LIBSOUP_2_SONAME, RTLD_LAZY | RTLD_NOLOAD);
  if (handle == NULL)
    return FALSE;
  dlclose (handle);
  return TRUE;
}

/* GStreamer retries a plugin that failed to load each time one of its
 * elements is asked for: say why once per process, then only in the
 * debug log. */
static void
warn_once (const char *why)
{
  static gint warned;

  if (g_atomic_int_compare_and_exchange (&warned, 0, 1))
    g_warning ("jimmy: %s", why);
  else
    GST_WARNING ("%s", why);
}

/* Next to the plugin directory first, so a build tree or a relocated
 * installation uses its own module; then where meson installed it. */
static char *
find_elements_module (GstPlugin * plugin)
{
  const char *plugin_file = gst_plugin_get_filename (plugin);

  if (plugin_file != NULL) {
    g_autofree char *plugin_dir = g_path_get_dirname (plugin_file);
    g_autofree char *beside = g_build_filename (plugin_dir, "..",
        GST_JIMMY_MODULE_DIR_NAME, GST_JIMMY_MODULE_FILE_NAME, NULL);

    if (g_file_test (beside, G_FILE_TEST_IS_REGULAR))
      return g_steal_pointer (&beside);
  }
  return g_build_filename (JIMMY_MODULE_DIR, GST_JIMMY_MODULE_FILE_NAME,
      NULL);
}

static GModule *
open_elements_module (GstPlugin * plugin)
{
  g_autofree char *path = find_elements_module (plugin);
  g_autofree char *why = NULL;
  GModule *module;
  const char *version = NULL;

  GST_DEBUG ("loading %s", path);
  module = g_module_open (path, G_MODULE_BIND_LOCAL);
  if (module == NULL) {
    why = g_strdup_printf ("cannot load the jimmyaudiosrc element: %s. "
        "Reinstall the plugin (its two files belong together).",
        g_module_error ());
    warn_once (why);
    return NULL;
  }

  if (!g_module_symbol (module, GST_JIMMY_MODULE_VERSION_SYMBOL,
          (gpointer *) & version) || g_strcmp0 (version, VERSION) != 0) {
    why = g_strdup_printf ("cannot load the jimmyaudiosrc element: %s is "
        "version %s, the plugin is version %s. Reinstall the plugin (its "
        "two files belong together).", path,
        version != NULL ? version : "unknown", VERSION);
    warn_once (why);
    g_module_close (module);
    return NULL;
  }
  return module;
}

static gboolean
plugin_init (GstPlugin * plugin)
{
  GModule *module;
  GstJimmyModuleRegisterFunc register_elements;

  GST_DEBUG_CATEGORY_INIT (gst_jimmy_plugin_debug, "jimmyplugin", 0,
      "Loading the jimmy plugin's elements");

  if (libsoup2_is_loaded ()) {
    /* Returning FALSE leaves the process running: loading libsoup 3 here
     * would abort it. */
    warn_once ("not registering jimmyaudiosrc: this process has already "
        "loaded libsoup 2 (" LIBSOUP_2_SONAME "), and jimmyaudiosrc needs "
        "libsoup 3, which aborts any process that holds both. Use "
        "jimmyaudiosrc in a process where no library loads libsoup 2.");
    return FALSE;
  }

  module = open_elements_module (plugin);
  if (module == NULL)
    return FALSE;
  if (!g_module_symbol (module, GST_JIMMY_MODULE_REGISTER_SYMBOL,
          (gpointer *) & register_elements)) {
    warn_once ("cannot load the jimmyaudiosrc element: the elements module "
        "has no " GST_JIMMY_MODULE_REGISTER_SYMBOL ". Reinstall the plugin.");
    g_module_close (module);
    return FALSE;
  }

  /* The element types live in the module: it stays for the process's
   * life, like the plugin file itself. */
  g_module_make_resident (module);
  return register_elements (plugin);
}

GST_PLUGIN_DEFINE (GST_VERSION_MAJOR, GST_VERSION_MINOR, jimmy,
    "Plays the audio of Jimmy AI SoundClone tasks",
    plugin_init, VERSION, GST_LICENSE, GST_PACKAGE_NAME, GST_PACKAGE_ORIGIN)
