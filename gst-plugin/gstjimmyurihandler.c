/* gstjimmyurihandler.c: jimmy://<task-id>?<property>=<value>&… URIs,
 * which make jimmyaudiosrc the source of playbin, uridecodebin,
 * gst-play-1.0 and gst-discoverer-1.0 (the GstURIHandler glue is in
 * gstjimmyaudiosrc.c).
 *
 * Query keys are property names; which ones a URI may carry follows from
 * the installed properties and their flags (readable, writable, settings
 * that may change in READY), so a new setting is a URI option without
 * touching this file. The values are parsed and range-checked by the
 * properties' own GParamSpecs.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <string.h>

#include "gstjimmyurihandler.h"
#include "jimmy-api.h"

#define OPTION_FLAGS (G_PARAM_READABLE | G_PARAM_WRITABLE | \
    GST_PARAM_MUTABLE_READY)

/* The authority gives the task id; keys never go into URIs, which players
 * log and media servers publish. */
static gboolean
is_uri_option (GParamSpec * pspec)
{
  return (pspec->flags & OPTION_FLAGS) == OPTION_FLAGS
      && (pspec->flags & G_PARAM_CONSTRUCT_ONLY) == 0
      && g_strcmp0 (pspec->name, "task-id") != 0
      && g_strcmp0 (pspec->name, "api-key") != 0;
}

static gchar *
escape_value (const gchar * value)
{
  return g_uri_escape_string (value, NULL, FALSE);
}

/* The value of @pspec on @object as a URI query value: strings as they
 * are, enums by their nick (the same on every GStreamer version),
 * everything else as gst_value_serialize() writes it. */
static gchar *
option_value_text (GObject * object, GParamSpec * pspec)
{
  g_auto (GValue) value = G_VALUE_INIT;
  GEnumValue *enum_value;

  g_value_init (&value, pspec->value_type);
  g_object_get_property (object, pspec->name, &value);
  if (G_VALUE_HOLDS_STRING (&value))
    return g_value_dup_string (&value);
  if (G_VALUE_HOLDS_ENUM (&value)) {
    enum_value = g_enum_get_value (G_PARAM_SPEC_ENUM (pspec)->enum_class,
        g_value_get_enum (&value));
    if (enum_value != NULL)
      return g_strdup (enum_value->value_nick);
  }
  return gst_value_serialize (&value);
}

/**
 * gst_jimmy_uri_build:
 * @task_id: (nullable)
 * @keys: (nullable): the options to give back, in the order to list them
 *
 * Returns: (nullable): jimmy://<task-id>?<key>=<value>&…, with the
 * current values of @keys on @object, everything percent-encoded.
 */
gchar *
gst_jimmy_uri_build (const gchar * task_id, GObject * object,
    const gchar * const *keys)
{
  g_autofree gchar *escaped = NULL;
  const gchar *separator = "?";
  GString *uri;
  guint i;

  if (task_id == NULL)
    return NULL;
  escaped = escape_value (task_id);
  uri = g_string_new (GST_JIMMY_URI_SCHEME "://");
  g_string_append (uri, escaped);
  for (i = 0; keys != NULL && keys[i] != NULL; i++) {
    GParamSpec *pspec = g_object_class_find_property (G_OBJECT_GET_CLASS
        (object), keys[i]);
    g_autofree gchar *text = NULL;
    g_autofree gchar *escaped_text = NULL;

    if (pspec == NULL)
      continue;
    text = option_value_text (object, pspec);
    if (text == NULL)
      continue;
    escaped_text = escape_value (text);
    g_string_append_printf (uri, "%s%s=%s", separator, keys[i],
        escaped_text);
    separator = "&";
  }
  return g_string_free (uri, FALSE);
}

static void
set_bad_uri (GError ** error)
{
  g_set_error (error, GST_URI_ERROR, GST_URI_ERROR_BAD_URI,
      "Not a jimmy URI: expected jimmy://<task-id>, e.g. "
      "jimmy://audio_16b635ba-5889-4fa5-bbcc-bf67a38c353a");
}

/* The task id is the URI's authority, percent-decoded; nothing else may
 * follow but a lone "/" and the query. */
static gchar *
parse_task_id (const gchar * uri, gchar ** out_query, GError ** error)
{
  g_autofree gchar *scheme = NULL;
  g_autofree gchar *userinfo = NULL;
  g_autofree gchar *host = NULL;
  g_autofree gchar *path = NULL;
  g_autofree gchar *fragment = NULL;
  gchar *task_id;
  gint port = -1;

  if (!g_uri_split (uri, G_URI_FLAGS_ENCODED | G_URI_FLAGS_NON_DNS, &scheme,
          &userinfo, &host, &port, &path, out_query, &fragment, NULL)
      || g_ascii_strcasecmp (scheme, GST_JIMMY_URI_SCHEME) != 0
      || userinfo != NULL || host == NULL || *host == '\0' || port != -1
      || fragment != NULL || (*path != '\0' && g_strcmp0 (path, "/") != 0))
    goto bad_uri;
  /* GUri strips the brackets of an IP literal: "jimmy://[::1]" is no id. */
  if (strstr (uri, "://[") != NULL)
    goto bad_uri;

  task_id = g_uri_unescape_string (host, NULL);
  if (task_id == NULL || !jimmy_api_validate_task_id (task_id, NULL)) {
    g_free (task_id);
    goto bad_uri;
  }
  return task_id;

bad_uri:
  g_clear_pointer (out_query, g_free);
  set_bad_uri (error);
  return NULL;
}

static gboolean
refuse_option (GError ** error, const gchar * key, const gchar * why)
{
  g_set_error (error, GST_URI_ERROR, GST_URI_ERROR_BAD_URI,
      "Bad jimmy URI option \"%s\": %s", key, why);
  return FALSE;
}

static gboolean
is_unsigned (GType type)
{
  return type == G_TYPE_UINT || type == G_TYPE_UINT64 || type == G_TYPE_ULONG
      || type == G_TYPE_UCHAR;
}

/* Parses @text as a value of @pspec, within its range. */
static gboolean
parse_option_value (GParamSpec * pspec, const gchar * text, GValue * value,
    GError ** error)
{
  g_autofree gchar *why = NULL;

  g_value_init (value, pspec->value_type);
  if (G_VALUE_HOLDS_STRING (value)) {
    if (!g_utf8_validate (text, -1, NULL))
      return refuse_option (error, pspec->name, "the value is not UTF-8.");
    g_value_set_string (value, text);
  } else if (!gst_value_deserialize (value, text)
      || (is_unsigned (pspec->value_type) && strchr (text, '-') != NULL)) {
    /* strtoull() takes "-1" for G_MAXUINT64: no negative unsigned. */
    why = g_strdup_printf ("\"%s\" is not a valid %s; gst-inspect-1.0 "
        "jimmyaudiosrc lists the settings with their types and ranges.",
        text, g_type_name (pspec->value_type));
    return refuse_option (error, pspec->name, why);
  }
  /* g_param_value_validate() clamps and says so: out of range. */
  if (g_param_value_validate (pspec, value)) {
    why = g_strdup_printf ("\"%s\" is out of range; gst-inspect-1.0 "
        "jimmyaudiosrc lists the settings with their types and ranges.",
        text);
    return refuse_option (error, pspec->name, why);
  }
  return TRUE;
}

static gboolean
check_option_key (GObjectClass * klass, const gchar * key, GError ** error)
{
  GParamSpec *pspec = g_object_class_find_property (klass, key);

  if (g_strcmp0 (key, "api-key") == 0)
    return refuse_option (error, key, "API keys never go into URIs, which "
        "players log and media servers publish; set the JIMMY_API_KEY "
        "environment variable instead.");
  if (g_strcmp0 (key, "task-id") == 0)
    return refuse_option (error, key, "the task id is the URI's host part: "
        "jimmy://<task-id>.");
  if (pspec != NULL && !(pspec->flags & G_PARAM_WRITABLE))
    return refuse_option (error, key, "a read-only result of the task, not "
        "a setting.");
  if (pspec == NULL || !is_uri_option (pspec))
    return refuse_option (error, key, "no such setting of jimmyaudiosrc; "
        "query keys are the names of its settings, e.g. "
        "jimmy://<task-id>?poll-interval=1000.");
  return TRUE;
}

/* Returns: (transfer full) (nullable): the options of @query as a
 * structure, its fields in the properties' order. */
static GstStructure *
parse_options (GObjectClass * klass, const gchar * query, GError ** error)
{
  g_autoptr (GHashTable) params = NULL;
  g_autoptr (GError) params_error = NULL;
  g_autofree GParamSpec **pspecs = NULL;
  g_autoptr (GstStructure) options = gst_structure_new_empty ("options");
  GHashTableIter iter;
  gpointer key;
  guint i, n;

  if (query == NULL)
    return g_steal_pointer (&options);

  params = g_uri_parse_params (query, -1, "&", G_URI_PARAMS_NONE,
      &params_error);
  if (params == NULL) {
    g_set_error (error, GST_URI_ERROR, GST_URI_ERROR_BAD_URI,
        "Bad jimmy URI options: %s; write them as "
        "jimmy://<task-id>?poll-interval=1000&task-timeout=600",
        params_error->message);
    return NULL;
  }

  g_hash_table_iter_init (&iter, params);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    if (!check_option_key (klass, key, error))
      return NULL;

  pspecs = g_object_class_list_properties (klass, &n);
  for (i = 0; i < n; i++) {
    const gchar *text = g_hash_table_lookup (params, pspecs[i]->name);
    g_auto (GValue) value = G_VALUE_INIT;

    if (text == NULL)
      continue;
    if (!parse_option_value (pspecs[i], text, &value, error))
      return NULL;
    gst_structure_set_value (options, pspecs[i]->name, &value);
  }
  return g_steal_pointer (&options);
}

/**
 * gst_jimmy_uri_parse:
 * @klass: the element's class, whose properties are the options
 * @out_task_id: (out) (transfer full): the task id
 * @out_options: (out) (transfer full): one field per option, named after
 *   its property, holding a value of its type, in range
 *
 * Returns: whether @uri is a jimmy URI with usable options; otherwise
 * @error is set (GST_URI_ERROR_BAD_URI), naming the option at fault.
 */
gboolean
gst_jimmy_uri_parse (const gchar * uri, GObjectClass * klass,
    gchar ** out_task_id, GstStructure ** out_options, GError ** error)
{
  g_autofree gchar *query = NULL;
  g_autofree gchar *task_id = NULL;
  GstStructure *options;

  task_id = parse_task_id (uri, &query, error);
  if (task_id == NULL)
    return FALSE;
  options = parse_options (klass, query, error);
  if (options == NULL)
    return FALSE;
  *out_task_id = g_steal_pointer (&task_id);
  *out_options = options;
  return TRUE;
}
