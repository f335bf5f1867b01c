/* gstjimmyurihandler.c: jimmyaudiosrc as the source for jimmy://<task-id>,
 * for playbin, uridecodebin, gst-play-1.0 and gst-discoverer-1.0.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <string.h>

#include "gstjimmyaudiosrc-private.h"
#include "jimmy-api.h"


static GstURIType
gst_jimmy_audio_src_uri_get_type (GType type)
{
  return GST_URI_SRC;
}

static const gchar *const *
gst_jimmy_audio_src_uri_get_protocols (GType type)
{
  static const gchar *protocols[] = { "jimmy", NULL };

  return protocols;
}

static gchar *
gst_jimmy_audio_src_uri_get_uri (GstURIHandler * handler)
{
  g_autofree gchar *task_id = NULL;
  g_autofree gchar *escaped = NULL;

  g_object_get (handler, "task-id", &task_id, NULL);
  if (task_id == NULL)
    return NULL;
  escaped = g_uri_escape_string (task_id, NULL, FALSE);
  return g_strconcat ("jimmy://", escaped, NULL);
}

/* The task id is the URI's authority, percent-decoded; nothing else may
 * follow but a lone "/". */
static gchar *
task_id_from_uri (const gchar * uri, GError ** error)
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
      || g_ascii_strcasecmp (scheme, "jimmy") != 0 || userinfo != NULL
      || host == NULL || *host == '\0' || port != -1 || query != NULL
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
  g_set_error (error, GST_URI_ERROR, GST_URI_ERROR_BAD_URI,
      "Not a jimmy URI: expected jimmy://<task-id>, e.g. "
      "jimmy://audio_16b635ba-5889-4fa5-bbcc-bf67a38c353a");
  return NULL;
}

static gboolean
gst_jimmy_audio_src_uri_set_uri (GstURIHandler * handler, const gchar * uri,
    GError ** error)
{
  g_autofree gchar *task_id = NULL;

  if (GST_STATE (handler) >= GST_STATE_PAUSED) {
    g_set_error (error, GST_URI_ERROR, GST_URI_ERROR_BAD_STATE,
        "Changing the URI of jimmyaudiosrc while it plays is not supported");
    return FALSE;
  }

  task_id = task_id_from_uri (uri, error);
  if (task_id == NULL)
    return FALSE;

  g_object_set (handler, "task-id", task_id, NULL);
  return TRUE;
}

void
gst_jimmy_audio_src_uri_handler_init (gpointer g_iface, gpointer iface_data)
{
  GstURIHandlerInterface *iface = g_iface;

  iface->get_type = gst_jimmy_audio_src_uri_get_type;
  iface->get_protocols = gst_jimmy_audio_src_uri_get_protocols;
  iface->get_uri = gst_jimmy_audio_src_uri_get_uri;
  iface->set_uri = gst_jimmy_audio_src_uri_set_uri;
}
