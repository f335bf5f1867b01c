/* gstjimmyurihandler.c: jimmy://<task-id> URIs, which make jimmyaudiosrc
 * the source of playbin, uridecodebin, gst-play-1.0 and gst-discoverer-1.0
 * (the GstURIHandler glue is in gstjimmyaudiosrc.c).
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <string.h>

#include "gstjimmyurihandler.h"
#include "jimmy-api.h"

/**
 * gst_jimmy_uri_for_task_id:
 * @task_id: (nullable)
 *
 * Returns: (nullable): jimmy://<task-id>, the id percent-encoded.
 */
gchar *
gst_jimmy_uri_for_task_id (const gchar * task_id)
{
  g_autofree gchar *escaped = NULL;

  if (task_id == NULL)
    return NULL;
  escaped = g_uri_escape_string (task_id, NULL, FALSE);
  return g_strconcat (GST_JIMMY_URI_SCHEME "://", escaped, NULL);
}

/* The task id is the URI's authority, percent-decoded; nothing else may
 * follow but a lone "/". */
gchar *
gst_jimmy_uri_parse_task_id (const gchar * uri, GError ** error)
{
  g_autofree gchar *scheme = NULL;
  g_autofree gchar *userinfo = NULL;
  g_autofree gchar *host = NULL;
  g_autofree gchar *path = NULL;
  g_autofree gchar *query = NULL;
  g_autofree gchar *fragment = NULL;
  gchar *task_id;
  gint port = -1;

  if (!g_uri_split (uri, G_URI_FLAGS_ENCODED | G_URI_FLAGS_NON_DNS, &scheme,
          &userinfo, &host, &port, &path, &query, &fragment, NULL)
      || g_ascii_strcasecmp (scheme, GST_JIMMY_URI_SCHEME) != 0
      || userinfo != NULL || host == NULL || *host == '\0' || port != -1
      || query != NULL || fragment != NULL || (*path != '\0'
          && g_strcmp0 (path, "/") != 0))
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
  g_set_error (error, GST_URI_ERROR, GST_URI_ERROR_BAD_URI,
      "Not a jimmy URI: expected jimmy://<task-id>, e.g. "
      "jimmy://audio_16b635ba-5889-4fa5-bbcc-bf67a38c353a");
  return NULL;
}
