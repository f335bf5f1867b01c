/* jimmy-rtsp-server.c: serves the audio of SoundClone tasks over RTSP,
 * encoded to Opus, at rtsp://127.0.0.1:8554/task/<task-id>.
 *
 *   JIMMY_API_KEY=sk_… jimmy-rtsp-server [--address ADDR] [--port PORT] \
 *       [--poll-interval MS]
 *   gst-play-1.0 rtsp://127.0.0.1:8554/task/audio_16b635ba-…
 *
 * Each client gets its own pipeline,
 *
 *   jimmyaudiosrc is-live=true ! audioconvert ! audioresample ! opusenc !
 *       rtpopuspay
 *
 * which answers the client's DESCRIBE at once, however long the task
 * takes: the client receives silence while the task is polled, then the
 * task's speech, then the end (RTCP BYE). If the task fails, the server
 * prints the element's error, and the element ends the stream. The API url comes from $JIMMY_API_URL (default
 * https://www.jimmyai.cn). Once it accepts connections the server prints
 * "listening on rtsp://ADDR:PORT/task/<task-id>" (--port 0 picks a free
 * port), then every task's statuses and errors. It runs until SIGINT or
 * SIGTERM.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <string.h>

#include <glib-unix.h>
#include <gst/gst.h>
#include <gst/rtsp-server/rtsp-server.h>

#define TASK_PATH "/task/"

/* ---------------------------------------------------------------------- */
/* JimmyTaskFactory: builds the pipeline of the task named in the URL */

#define JIMMY_TYPE_TASK_FACTORY (jimmy_task_factory_get_type ())
G_DECLARE_FINAL_TYPE (JimmyTaskFactory, jimmy_task_factory, JIMMY,
    TASK_FACTORY, GstRTSPMediaFactory)

struct _JimmyTaskFactory
{
  GstRTSPMediaFactory parent;
  guint poll_interval;          /* ms, for every task */
};

G_DEFINE_TYPE (JimmyTaskFactory, jimmy_task_factory,
    GST_TYPE_RTSP_MEDIA_FACTORY)

/* Returns: (transfer full) (nullable): the task id of a path
 * "/task/<id>[/…]", percent-decoded, or NULL for any other path. */
static gchar *
task_id_from_path (const gchar * path)
{
  g_autofree gchar *segment = NULL;
  const gchar *end;

  if (!g_str_has_prefix (path, TASK_PATH))
    return NULL;
  path += strlen (TASK_PATH);
  end = strchr (path, '/');
  segment = end ? g_strndup (path, end - path) : g_strdup (path);
  if (*segment == '\0')
    return NULL;
  /* NULL for a bad escape; jimmyaudiosrc checks what is left. */
  return g_uri_unescape_string (segment, NULL);
}

/* Runs on the thread that posted the message. */
static void
on_sync_message (GstBus * bus, GstMessage * message, gpointer user_data)
{
  const gchar *task_id = user_data;
  const GstStructure *s = gst_message_get_structure (message);

  if (GST_MESSAGE_TYPE (message) == GST_MESSAGE_ELEMENT
      && gst_structure_has_name (s, "jimmy-task-status")) {
    g_print ("task %s: %s\n", task_id, gst_structure_get_string (s,
            "status"));
  } else if (GST_MESSAGE_TYPE (message) == GST_MESSAGE_ERROR) {
    g_autoptr (GError) error = NULL;

    gst_message_parse_error (message, &error, NULL);
    g_printerr ("task %s: error: %s\n", task_id, error->message);
  }
}

static GstElement *
jimmy_task_factory_create_element (GstRTSPMediaFactory * factory,
    const GstRTSPUrl * url)
{
  JimmyTaskFactory *self = JIMMY_TASK_FACTORY (factory);
  g_autofree gchar *task_id = task_id_from_path (url->abspath);
  g_autoptr (GError) error = NULL;
  GstElement *bin, *src;

  if (task_id == NULL)
    return NULL;

  /* is-live: DESCRIBE is answered at once, with silence until the task's
   * audio (gst-rtsp-server waits at most 20 s for a non-live source). */
  bin = gst_parse_bin_from_description ("jimmyaudiosrc name=src "
      "is-live=true ! audioconvert ! audioresample ! opusenc ! rtpopuspay name=pay0 pt=96",
      FALSE, &error);
  if (bin == NULL) {
    g_printerr ("error: %s (are the jimmy plugin, gst-plugins-base and "
        "gst-plugins-good installed?)\n", error->message);
    return NULL;
  }
  /* Set as a property, the id can never change the pipeline. */
  src = gst_bin_get_by_name (GST_BIN (bin), "src");
  g_object_set (src, "task-id", task_id, "poll-interval",
      self->poll_interval, NULL);
  gst_object_unref (src);
  g_print ("task %s: a client asked for it\n", task_id);
  return bin;
}

/* The pipeline is created after the element: watch its bus for the task's
 * statuses and errors, which GstRTSPMedia would otherwise only log. */
static GstElement *
jimmy_task_factory_create_pipeline (GstRTSPMediaFactory * factory,
    GstRTSPMedia * media)
{
  GstElement *pipeline = GST_RTSP_MEDIA_FACTORY_CLASS
      (jimmy_task_factory_parent_class)->create_pipeline (factory, media);
  g_autoptr (GstElement) bin = gst_rtsp_media_get_element (media);
  g_autoptr (GstElement) src = gst_bin_get_by_name (GST_BIN (bin), "src");
  g_autoptr (GstBus) bus = gst_pipeline_get_bus (GST_PIPELINE (pipeline));
  gchar *task_id;

  g_object_get (src, "task-id", &task_id, NULL);
  gst_bus_enable_sync_message_emission (bus);
  g_signal_connect_data (bus, "sync-message", G_CALLBACK (on_sync_message),
      task_id, (GClosureNotify) g_free, 0);
  return pipeline;
}

static void
jimmy_task_factory_class_init (JimmyTaskFactoryClass * klass)
{
  GstRTSPMediaFactoryClass *factory_class =
      GST_RTSP_MEDIA_FACTORY_CLASS (klass);

  factory_class->create_element = jimmy_task_factory_create_element;
  factory_class->create_pipeline = jimmy_task_factory_create_pipeline;
}

static void
jimmy_task_factory_init (JimmyTaskFactory * self)
{
}

static GstRTSPMediaFactory *
jimmy_task_factory_new (guint poll_interval)
{
  JimmyTaskFactory *self = g_object_new (JIMMY_TYPE_TASK_FACTORY, NULL);

  self->poll_interval = poll_interval;
  return GST_RTSP_MEDIA_FACTORY (self);
}

/* ---------------------------------------------------------------------- */
/* JimmyTaskMounts: mounts the factory at /task/<id> on first request */

/* GstRTSPMountPoints only serves a DESCRIBE for a path mounted exactly,
 * so a single "/task" mount would not do: each id gets its own mount. */
#define JIMMY_TYPE_TASK_MOUNTS (jimmy_task_mounts_get_type ())
G_DECLARE_FINAL_TYPE (JimmyTaskMounts, jimmy_task_mounts, JIMMY,
    TASK_MOUNTS, GstRTSPMountPoints)

struct _JimmyTaskMounts
{
  GstRTSPMountPoints parent;
  GstRTSPMediaFactory *factory; /* (owned) */
};

G_DEFINE_TYPE (JimmyTaskMounts, jimmy_task_mounts,
    GST_TYPE_RTSP_MOUNT_POINTS)

/* Called for every request, before the mounts are searched. */
static gchar *
jimmy_task_mounts_make_path (GstRTSPMountPoints * mounts,
    const GstRTSPUrl * url)
{
  JimmyTaskMounts *self = JIMMY_TASK_MOUNTS (mounts);
  g_autofree gchar *task_id = task_id_from_path (url->abspath);

  if (task_id != NULL) {
    const gchar *segment = url->abspath + strlen (TASK_PATH);
    g_autofree gchar *mount = g_strndup (url->abspath,
        strlen (TASK_PATH) + strcspn (segment, "/"));

    /* Replaces an earlier mount of the same path. */
    gst_rtsp_mount_points_add_factory (mounts, mount,
        g_object_ref (self->factory));
  }
  return GST_RTSP_MOUNT_POINTS_CLASS
      (jimmy_task_mounts_parent_class)->make_path (mounts, url);
}

static void
jimmy_task_mounts_finalize (GObject * object)
{
  JimmyTaskMounts *self = JIMMY_TASK_MOUNTS (object);

  g_clear_object (&self->factory);
  G_OBJECT_CLASS (jimmy_task_mounts_parent_class)->finalize (object);
}

static void
jimmy_task_mounts_class_init (JimmyTaskMountsClass * klass)
{
  G_OBJECT_CLASS (klass)->finalize = jimmy_task_mounts_finalize;
  GST_RTSP_MOUNT_POINTS_CLASS (klass)->make_path =
      jimmy_task_mounts_make_path;
}

static void
jimmy_task_mounts_init (JimmyTaskMounts * self)
{
}

/* Takes ownership of @factory. */
static GstRTSPMountPoints *
jimmy_task_mounts_new (GstRTSPMediaFactory * factory)
{
  JimmyTaskMounts *self = g_object_new (JIMMY_TYPE_TASK_MOUNTS, NULL);

  self->factory = factory;
  return GST_RTSP_MOUNT_POINTS (self);
}

/* ---------------------------------------------------------------------- */

static gboolean
quit_cb (gpointer user_data)
{
  g_main_loop_quit (user_data);
  return G_SOURCE_CONTINUE;
}

int
main (int argc, char **argv)
{
  g_autoptr (GOptionContext) context = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (GstRTSPServer) server = NULL;
  g_autoptr (GstRTSPMountPoints) mounts = NULL;
  g_autoptr (GMainLoop) loop = NULL;
  g_autofree gchar *address = NULL;
  g_autofree gchar *service = NULL;
  gint port = 8554, interval = 5000;
  GOptionEntry entries[] = {
    {"address", 'a', 0, G_OPTION_ARG_STRING, &address,
        "Address to listen on (default 127.0.0.1; 0.0.0.0 for all)", "ADDR"},
    {"port", 'p', 0, G_OPTION_ARG_INT, &port,
        "Port to listen on (default 8554; 0 picks a free one)", "PORT"},
    {"poll-interval", 'i', 0, G_OPTION_ARG_INT, &interval,
        "Milliseconds between polls of a task (default 5000)", "MS"},
    {NULL}
  };
  guint sigint_id, sigterm_id;

  context = g_option_context_new ("- serve SoundClone tasks over RTSP");
  g_option_context_add_main_entries (context, entries, NULL);
  g_option_context_add_group (context, gst_init_get_option_group ());
  if (!g_option_context_parse (context, &argc, &argv, &error)) {
    g_printerr ("%s\n", error->message);
    return 2;
  }
  if (argc != 1 || port < 0 || port > G_MAXUINT16 || interval <= 0) {
    g_printerr ("usage: %s [--address ADDR] [--port PORT] "
        "[--poll-interval MS]\n", argv[0]);
    return 2;
  }
  if (address == NULL)
    address = g_strdup ("127.0.0.1");

  server = gst_rtsp_server_new ();
  service = g_strdup_printf ("%d", port);
  gst_rtsp_server_set_address (server, address);
  gst_rtsp_server_set_service (server, service);
  mounts = jimmy_task_mounts_new (jimmy_task_factory_new (interval));
  gst_rtsp_server_set_mount_points (server, mounts);

  if (gst_rtsp_server_attach (server, NULL) == 0) {
    g_printerr ("error: cannot listen on %s port %d\n", address, port);
    return 1;
  }
  g_print ("listening on rtsp://%s:%d" TASK_PATH "<task-id>\n", address,
      gst_rtsp_server_get_bound_port (server));

  loop = g_main_loop_new (NULL, FALSE);
  sigint_id = g_unix_signal_add (SIGINT, quit_cb, loop);
  sigterm_id = g_unix_signal_add (SIGTERM, quit_cb, loop);
  g_main_loop_run (loop);
  g_source_remove (sigint_id);
  g_source_remove (sigterm_id);
  return 0;
}
