/* gstjimmymodule.h: what the plugin file finds in the elements module.
 *
 * The plugin file (libgstjimmy.so) links neither libsoup nor the task
 * client: libsoup 3 aborts the process when it is loaded where libsoup 2
 * already is, so the plugin first looks for libsoup 2 and only then loads
 * the module that holds the elements and links libsoup 3. The module's
 * directory sits next to the plugin directory, in the build tree as in
 * the installed one:
 *
 *   <libdir>/gstreamer-1.0/libgstjimmy.so
 *   <libdir>/gstreamer1.0-jimmy/libgstjimmyelements.so
 *
 * It is not in the plugin directory itself, where GStreamer's registry
 * would try it as a plugin.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <gmodule.h>
#include <gst/gst.h>

G_BEGIN_DECLS

#define GST_JIMMY_MODULE_DIR_NAME "gstreamer1.0-jimmy"
#define GST_JIMMY_MODULE_FILE_NAME "libgstjimmyelements." G_MODULE_SUFFIX

/* The module's version string; the plugin refuses a module of another
 * version (a half-upgraded installation). */
#define GST_JIMMY_MODULE_VERSION_SYMBOL "gst_jimmy_module_version"
G_MODULE_EXPORT extern const char gst_jimmy_module_version[];

/* Registers the plugin's elements on @plugin. */
#define GST_JIMMY_MODULE_REGISTER_SYMBOL "gst_jimmy_module_register"
typedef gboolean (*GstJimmyModuleRegisterFunc) (GstPlugin * plugin);
G_MODULE_EXPORT gboolean gst_jimmy_module_register (GstPlugin * plugin);

G_END_DECLS
