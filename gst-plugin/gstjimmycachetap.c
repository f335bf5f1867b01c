/* gstjimmycachetap.c: copies the audio as served into the cache.
 *
 * A probe on the HTTP source's pad appends every buffer to the cache
 * entry while they arrive in order from byte 0; at EOS the entry is
 * committed if it holds the whole file. A seek, a gap or a write error
 * gives the entry up: a later play fetches again. All of it runs on the
 * source's streaming thread.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "gstjimmycachetap.h"

#include "gstjimmyelements.h"

#define GST_CAT_DEFAULT gst_jimmy_audio_src_debug

struct _GstJimmyCacheTap
{
  GstPad *pad;                  /* (owned) */
  gulong probe_id;
  JimmyCacheWriter *writer;     /* (owned) (nullable) once given up */
};

static void
give_up (GstJimmyCacheTap * tap, const gchar * why)
{
  if (tap->writer == NULL)
    return;
  GST_INFO_OBJECT (tap->pad, "not caching this download: %s", why);
  g_clear_pointer (&tap->writer, jimmy_cache_writer_free);
}

static void
append_buffer (GstJimmyCacheTap * tap, GstBuffer * buffer)
{
  g_autoptr (GError) error = NULL;
  guint64 offset = GST_BUFFER_OFFSET (buffer);
  GstMapInfo map;

  if (offset != GST_BUFFER_OFFSET_NONE
      && offset != jimmy_cache_writer_get_length (tap->writer)) {
    give_up (tap, "the download is not read in order");
    return;
  }
  if (!gst_buffer_map (buffer, &map, GST_MAP_READ)) {
    give_up (tap, "a buffer could not be read");
    return;
  }
  if (!jimmy_cache_writer_append (tap->writer, map.data, map.size, &error))
    give_up (tap, error->message);
  gst_buffer_unmap (buffer, &map);
}

static void
commit (GstJimmyCacheTap * tap)
{
  g_autoptr (GError) error = NULL;
  gint64 size = -1;
  guint64 written = jimmy_cache_writer_get_length (tap->writer);

  /* A download cut short also ends in EOS: check it is all there. */
  if (written == 0 || (gst_pad_query_duration (tap->pad, GST_FORMAT_BYTES,
              &size) && size >= 0 && (guint64) size != written)) {
    give_up (tap, "the download is incomplete");
    return;
  }
  if (!jimmy_cache_writer_commit (tap->writer, &error)) {
    give_up (tap, error->message);
    return;
  }
  GST_INFO_OBJECT (tap->pad, "cached %" G_GUINT64_FORMAT " bytes", written);
  g_clear_pointer (&tap->writer, jimmy_cache_writer_free);
}

static GstPadProbeReturn
on_source_data (GstPad * pad, GstPadProbeInfo * info, gpointer user_data)
{
  GstJimmyCacheTap *tap = user_data;

  if (tap->writer == NULL)
    return GST_PAD_PROBE_OK;

  if (GST_PAD_PROBE_INFO_TYPE (info) & GST_PAD_PROBE_TYPE_BUFFER) {
    append_buffer (tap, GST_PAD_PROBE_INFO_BUFFER (info));
    return GST_PAD_PROBE_OK;
  }

  switch (GST_EVENT_TYPE (GST_PAD_PROBE_INFO_EVENT (info))) {
    case GST_EVENT_FLUSH_START:
      give_up (tap, "the stream was flushed (a seek)");
      break;
    case GST_EVENT_EOS:
      commit (tap);
      break;
    default:
      break;
  }
  return GST_PAD_PROBE_OK;
}

/**
 * gst_jimmy_cache_tap_new:
 * @writer: (transfer full): the entry to write
 *
 * Returns: (transfer full): a tap on @source's src pad.
 */
GstJimmyCacheTap *
gst_jimmy_cache_tap_new (GstElement * source, JimmyCacheWriter * writer)
{
  GstJimmyCacheTap *tap = g_new0 (GstJimmyCacheTap, 1);

  tap->pad = gst_element_get_static_pad (source, "src");
  tap->writer = writer;
  tap->probe_id = gst_pad_add_probe (tap->pad, GST_PAD_PROBE_TYPE_BUFFER |
      GST_PAD_PROBE_TYPE_EVENT_DOWNSTREAM | GST_PAD_PROBE_TYPE_EVENT_FLUSH,
      on_source_data, tap, NULL);
  return tap;
}

/* Call once the source's streaming thread has stopped. */
void
gst_jimmy_cache_tap_free (GstJimmyCacheTap * tap)
{
  if (tap->probe_id != 0)
    gst_pad_remove_probe (tap->pad, tap->probe_id);
  gst_object_unref (tap->pad);
  g_clear_pointer (&tap->writer, jimmy_cache_writer_free);
  g_free (tap);
}
