/* element-reference.c: the reference of jimmyaudiosrc, generated from the
 * plugin itself: metadata, pads, URI protocols and every property of its
 * own with type, flags, range, default and blurb.
 *
 *   element-reference             prints it
 *   element-reference --check F   fails (TAP) when F differs from it
 *
 * docs/reference/jimmyaudiosrc.txt is its output; the test suite runs
 * --check on it, so the docs cannot drift from the code.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <stdio.h>

#include <gst/gst.h>

static void
append_value (GString * out, const GValue * value)
{
  g_autofree gchar *text = NULL;

  if (G_VALUE_HOLDS_STRING (value)) {
    const gchar *s = g_value_get_string (value);
    g_string_append (out, s != NULL ? s : "(null)");
    return;
  }
  /* A NULL boxed structure has no contents to print. */
  if (G_VALUE_HOLDS_BOXED (value) && g_value_get_boxed (value) == NULL) {
    g_string_append (out, "(null)");
    return;
  }
  text = g_strdup_value_contents (value);
  g_string_append (out, text);
}

static void
append_range (GString * out, GParamSpec * pspec)
{
  if (G_IS_PARAM_SPEC_UINT (pspec)) {
    GParamSpecUInt *p = G_PARAM_SPEC_UINT (pspec);
    g_string_append_printf (out, "  range: %u .. %u\n", p->minimum,
        p->maximum);
  } else if (G_IS_PARAM_SPEC_INT (pspec)) {
    GParamSpecInt *p = G_PARAM_SPEC_INT (pspec);
    g_string_append_printf (out, "  range: %d .. %d\n", p->minimum,
        p->maximum);
  } else if (G_IS_PARAM_SPEC_UINT64 (pspec)) {
    GParamSpecUInt64 *p = G_PARAM_SPEC_UINT64 (pspec);
    g_string_append_printf (out, "  range: %" G_GUINT64_FORMAT " .. %"
        G_GUINT64_FORMAT "\n", p->minimum, p->maximum);
  }
}

static void
append_flags (GString * out, GParamFlags flags)
{
  g_string_append (out, "  flags:");
  if (flags & G_PARAM_READABLE)
    g_string_append (out, " readable");
  if (flags & G_PARAM_WRITABLE)
    g_string_append (out, " writable");
  if (flags & GST_PARAM_MUTABLE_READY)
    g_string_append (out, " changeable-in-NULL-or-READY");
  g_string_append (out, "\n");
}

static void
append_properties (GString * out, GstElement * element)
{
  guint n, i;
  g_autofree GParamSpec **pspecs =
      g_object_class_list_properties (G_OBJECT_GET_CLASS (element), &n);

  g_string_append (out, "\nProperties\n");
  for (i = 0; i < n; i++) {
    GParamSpec *pspec = pspecs[i];
    GValue value = G_VALUE_INIT;

    /* GstBin's and GstObject's are documented by GStreamer. */
    if (pspec->owner_type != G_OBJECT_TYPE (element))
      continue;

    g_string_append_printf (out, "\n%s (%s)\n  %s\n", pspec->name,
        g_type_name (pspec->value_type), g_param_spec_get_blurb (pspec));
    append_flags (out, pspec->flags);
    append_range (out, pspec);
    g_value_init (&value, pspec->value_type);
    g_param_value_set_default (pspec, &value);
    g_string_append (out, "  default: ");
    append_value (out, &value);
    g_string_append (out, "\n");
    g_value_unset (&value);
  }
}

static gint
compare_templates (gconstpointer a, gconstpointer b)
{
  return g_strcmp0 (((const GstStaticPadTemplate *) a)->name_template,
      ((const GstStaticPadTemplate *) b)->name_template);
}

static void
append_pads (GString * out, GstElementFactory * factory)
{
  static const gchar *presence[] = { "always", "sometimes", "request" };
  g_autoptr (GList) templates = NULL;
  GList *l;

  /* Sorted: the registry cache does not keep their order. */
  templates = g_list_sort (g_list_copy ((GList *)
          gst_element_factory_get_static_pad_templates (factory)),
      compare_templates);
  g_string_append (out, "\nPad templates\n");
  for (l = templates; l; l = l->next) {
    GstStaticPadTemplate *t = l->data;
    g_string_append_printf (out, "  %s: %s, %s, %s\n", t->name_template,
        t->direction == GST_PAD_SRC ? "src" : "sink",
        presence[t->presence], t->static_caps.string);
  }
}

static gchar *
describe (void)
{
  g_autoptr (GstElementFactory) factory =
      gst_element_factory_find ("jimmyaudiosrc");
  g_autoptr (GstElement) element = NULL;
  GString *out = g_string_new (NULL);
  const gchar *const *protocols;
  guint i;

  g_assert_nonnull (factory);
  element = gst_element_factory_create (factory, NULL);
  gst_object_ref_sink (element);

  g_string_append_printf (out, "jimmyaudiosrc\n  %s\n  klass: %s\n  %s\n",
      gst_element_factory_get_metadata (factory, GST_ELEMENT_METADATA_LONGNAME),
      gst_element_factory_get_metadata (factory, GST_ELEMENT_METADATA_KLASS),
      gst_element_factory_get_metadata (factory,
          GST_ELEMENT_METADATA_DESCRIPTION));
  g_string_append_printf (out, "  rank: %u\n",
      gst_plugin_feature_get_rank (GST_PLUGIN_FEATURE (factory)));
  g_string_append (out, "  URI protocols (source):");
  protocols = gst_element_factory_get_uri_protocols (factory);
  for (i = 0; protocols != NULL && protocols[i] != NULL; i++)
    g_string_append_printf (out, " %s://", protocols[i]);
  g_string_append (out, "\n");

  append_pads (out, factory);
  append_properties (out, element);
  return g_string_free (out, FALSE);
}

static void
test_reference_matches (gconstpointer data)
{
  const gchar *path = data;
  g_autofree gchar *expected = NULL;
  g_autofree gchar *actual = describe ();
  g_autoptr (GError) error = NULL;

  g_assert_true (g_file_get_contents (path, &expected, NULL, &error));
  g_assert_no_error (error);
  if (g_strcmp0 (expected, actual) != 0) {
    g_test_message ("%s is out of date. Regenerate it with:\n"
        "  meson compile -C <build> update-reference\n"
        "The plugin now says:\n%s", path, actual);
    g_test_fail ();
  }
}

int
main (int argc, char **argv)
{
  gst_init (&argc, &argv);

  if (argc >= 3 && g_strcmp0 (argv[1], "--check") == 0) {
    const gchar *path = argv[2];
    gint i;

    /* What follows (--tap…) is for GLib's test framework. */
    for (i = 3; i <= argc; i++)
      argv[i - 2] = argv[i];
    argc -= 2;
    g_test_init (&argc, &argv, NULL);
    g_test_add_data_func ("/reference/matches-plugin", path,
        test_reference_matches);
    return g_test_run ();
  }

  {
    g_autofree gchar *text = describe ();
    /* Not g_print(): it would recode to a non-UTF-8 locale. */
    fputs (text, stdout);
  }
  return 0;
}
