/* gstjimmymodule.c: the entry point of the elements module, called by
 * the plugin file once it is safe to load libsoup 3 (see gstjimmymodule.h).
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "gstjimmymodule.h"
#include "gstjimmyelements.h"

const char gst_jimmy_module_version[] = VERSION;

gboolean
gst_jimmy_module_register (GstPlugin * plugin)
{
  return GST_ELEMENT_REGISTER (jimmyaudiosrc, plugin);
}
