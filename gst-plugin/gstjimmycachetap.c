/* gstjimmycachetap.c: copies the audio, and the subtitles, as served into
 * the cache.
 *
 * A probe on the audio source's pad appends every buffer to the cache
 * entry while they arrive in order from byte 0; at EOS the audio is
 * complete if the entry holds the whole file. Another probe, on the
 * subtitle source's pad, gathers the subtitle file and hands it whole to
 * the entry at its EOS. The entry is committed once the audio is
 * complete and the subtitles (if watched) are stored or given up,
 * whichever comes last, then the cache is trimmed to cache-max-size.
 * A seek, a gap or a write error on the audio gives the entry up: a
 * later play fetches again. Everything runs on the sources' streaming
 * threads.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "gstjimmycachetap.h"

#include "gstjimmyelements.h"

#define GST_CAT_DEFAULT gst_jimmy_audio_src_debug

struct _GstJimmyCacheTap
{
  gatomicrefcount refs;         /* the owner's and each probe's */
  GstElement *element;          /* (owned) warnings go there */
  gchar *cache_dir;             /* (owned) */
  guint64 max_size;
  gchar *task_id;               /* (owned) */
  GstPad *audio_pad;            /* (owned) (nullable) */
  gulong audio_probe;
  GstPad *subtitle_pad;         /* (owned) (nullable) */
  gulong subtitle_probe;

  /* `lock` guards the fields below: the two streaming threads meet
   * here. */
  GMutex lock;
  JimmyCacheWriter *writer;     /* (owned) (nullable) once given up */
  gboolean audio_complete;      /* the audio is all in the entry */
  gboolean subtitles_pending;   /* watched, neither stored nor given up */
  GByteArray *subtitles;        /* (owned) (nullable) gathered so far */
};

static GstJimmyCacheTap *
tap_ref (GstJimmyCacheTap * tap)
{
  g_atomic_ref_count_inc (&tap->refs);
  return tap;
}

static void
tap_unref (GstJimmyCacheTap * tap)
{
  if (!g_atomic_ref_count_dec (&tap->refs))
    return;
  gst_clear_object (&tap->audio_pad);
  gst_clear_object (&tap->subtitle_pad);
  gst_object_unref (tap->element);
  g_free (tap->cache_dir);
  g_free (tap->task_id);
  g_clear_pointer (&tap->writer, jimmy_cache_writer_free);
  g_clear_pointer (&tap->subtitles, g_byte_array_unref);
  g_mutex_clear (&tap->lock);
  g_free (tap);
}

/* Lock held. */
static void
give_up (GstJimmyCacheTap * tap, const gchar * why)
{
  if (tap->writer == NULL)
    return;
  GST_INFO_OBJECT (tap->element, "not caching task %s: %s", tap->task_id,
      why);
  g_clear_pointer (&tap->writer, jimmy_cache_writer_free);
}

/* Commits once both sides are done, then trims the cache; a cache that
 * cannot be trimmed is a warning. Lock held on entry, released. */
static void
commit_if_done_and_unlock (GstJimmyCacheTap * tap)
{
  g_autoptr (GError) error = NULL;
  JimmyCacheWriter *writer = NULL;
  guint64 written = 0;

  if (tap->writer != NULL && tap->audio_complete && !tap->subtitles_pending)
    writer = g_steal_pointer (&tap->writer);
  g_mutex_unlock (&tap->lock);
  if (writer == NULL)
    return;

  written = jimmy_cache_writer_get_length (writer);
  if (!jimmy_cache_writer_commit (writer, &error)) {
    GST_INFO_OBJECT (tap->element, "not caching task %s: %s", tap->task_id,
        error->message);
    jimmy_cache_writer_free (writer);
    return;
  }
  jimmy_cache_writer_free (writer);
  GST_INFO_OBJECT (tap->element, "cached %" G_GUINT64_FORMAT " bytes of task "
      "%s", written, tap->task_id);
  if (!jimmy_cache_trim (tap->cache_dir, tap->max_size, tap->task_id,
          &error))
    GST_ELEMENT_WARNING (tap->element, RESOURCE, WRITE, ("%s",
            error->message), (NULL));
}

/* ---------------------------------------------------------------------- */
/* The audio */

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

/* Lock held. */
static void
check_audio_complete (GstJimmyCacheTap * tap)
{
  gint64 size = -1;
  guint64 written = jimmy_cache_writer_get_length (tap->writer);

  /* A download cut short also ends in EOS: check it is all there. */
  if (written == 0 || (gst_pad_query_duration (tap->audio_pad,
              GST_FORMAT_BYTES, &size) && size >= 0
          && (guint64) size != written)) {
    give_up (tap, "the download is incomplete");
    return;
  }
  tap->audio_complete = TRUE;
}

static GstPadProbeReturn
on_audio_data (GstPad * pad, GstPadProbeInfo * info, gpointer user_data)
{
  GstJimmyCacheTap *tap = user_data;

  g_mutex_lock (&tap->lock);
  if (tap->writer == NULL) {
    g_mutex_unlock (&tap->lock);
    return GST_PAD_PROBE_OK;
  }

  if (GST_PAD_PROBE_INFO_TYPE (info) & GST_PAD_PROBE_TYPE_BUFFER) {
    append_buffer (tap, GST_PAD_PROBE_INFO_BUFFER (info));
  } else {
    switch (GST_EVENT_TYPE (GST_PAD_PROBE_INFO_EVENT (info))) {
      case GST_EVENT_FLUSH_START:
        give_up (tap, "the stream was flushed (a seek)");
        break;
      case GST_EVENT_EOS:
        check_audio_complete (tap);
        commit_if_done_and_unlock (tap);
        return GST_PAD_PROBE_OK;
      default:
        break;
    }
  }
  g_mutex_unlock (&tap->lock);
  return GST_PAD_PROBE_OK;
}

/* ---------------------------------------------------------------------- */
/* The subtitles */

static GstPadProbeReturn
on_subtitle_data (GstPad * pad, GstPadProbeInfo * info, gpointer user_data)
{
  GstJimmyCacheTap *tap = user_data;
  g_autoptr (GError) error = NULL;
  GstMapInfo map;

  g_mutex_lock (&tap->lock);
  if (!tap->subtitles_pending || tap->writer == NULL) {
    g_mutex_unlock (&tap->lock);
    return GST_PAD_PROBE_OK;
  }

  if (GST_PAD_PROBE_INFO_TYPE (info) & GST_PAD_PROBE_TYPE_BUFFER) {
    GstBuffer *buffer = GST_PAD_PROBE_INFO_BUFFER (info);

    if (gst_buffer_map (buffer, &map, GST_MAP_READ)) {
      g_byte_array_append (tap->subtitles, map.data, map.size);
      gst_buffer_unmap (buffer, &map);
    }
    g_mutex_unlock (&tap->lock);
    return GST_PAD_PROBE_OK;
  }
  if (GST_EVENT_TYPE (GST_PAD_PROBE_INFO_EVENT (info)) != GST_EVENT_EOS) {
    g_mutex_unlock (&tap->lock);
    return GST_PAD_PROBE_OK;
  }

  tap->subtitles_pending = FALSE;
  if (tap->subtitles->len > 0
      && !jimmy_cache_writer_set_subtitles (tap->writer, tap->subtitles->data,
          tap->subtitles->len, &error))
    give_up (tap, error->message);
  g_clear_pointer (&tap->subtitles, g_byte_array_unref);
  commit_if_done_and_unlock (tap);
  return GST_PAD_PROBE_OK;
}

/**
 * gst_jimmy_cache_tap_subtitles_failed:
 *
 * The subtitle download failed (its error comes before its EOS): the
 * entry is committed without subtitles.
 */
void
gst_jimmy_cache_tap_subtitles_failed (GstJimmyCacheTap * tap)
{
  g_mutex_lock (&tap->lock);
  if (!tap->subtitles_pending) {
    g_mutex_unlock (&tap->lock);
    return;
  }
  tap->subtitles_pending = FALSE;
  g_clear_pointer (&tap->subtitles, g_byte_array_unref);
  commit_if_done_and_unlock (tap);
}

/* ---------------------------------------------------------------------- */
/* Life */

/**
 * gst_jimmy_cache_tap_new:
 * @writer: (transfer full): the entry to write
 * @max_size: cache-max-size, 0 for no limit
 *
 * Returns: (transfer full): a tap watching nothing yet.
 */
GstJimmyCacheTap *
gst_jimmy_cache_tap_new (GstElement * element, JimmyCacheWriter * writer,
    const gchar * cache_dir, guint64 max_size, const gchar * task_id)
{
  GstJimmyCacheTap *tap = g_new0 (GstJimmyCacheTap, 1);

  g_atomic_ref_count_init (&tap->refs);
  tap->element = gst_object_ref (element);
  tap->cache_dir = g_strdup (cache_dir);
  tap->max_size = max_size;
  tap->task_id = g_strdup (task_id);
  g_mutex_init (&tap->lock);
  tap->writer = writer;
  jimmy_cache_writer_set_max_size (writer, max_size);
  return tap;
}

/* Call before @source starts. */
void
gst_jimmy_cache_tap_watch_audio (GstJimmyCacheTap * tap, GstElement * source)
{
  tap->audio_pad = gst_element_get_static_pad (source, "src");
  tap->audio_probe = gst_pad_add_probe (tap->audio_pad,
      GST_PAD_PROBE_TYPE_BUFFER | GST_PAD_PROBE_TYPE_EVENT_DOWNSTREAM |
      GST_PAD_PROBE_TYPE_EVENT_FLUSH, on_audio_data, tap_ref (tap),
      (GDestroyNotify) tap_unref);
}

/* Call before @source starts: the entry then waits for the subtitles. */
void
gst_jimmy_cache_tap_watch_subtitles (GstJimmyCacheTap * tap,
    GstElement * source)
{
  g_mutex_lock (&tap->lock);
  tap->subtitles_pending = TRUE;
  tap->subtitles = g_byte_array_new ();
  g_mutex_unlock (&tap->lock);
  tap->subtitle_pad = gst_element_get_static_pad (source, "src");
  tap->subtitle_probe = gst_pad_add_probe (tap->subtitle_pad,
      GST_PAD_PROBE_TYPE_BUFFER | GST_PAD_PROBE_TYPE_EVENT_DOWNSTREAM,
      on_subtitle_data, tap_ref (tap), (GDestroyNotify) tap_unref);
}

/* An unfinished entry is dropped. Each probe holds a reference, so a
 * probe still running keeps the tap until it returns. */
void
gst_jimmy_cache_tap_free (GstJimmyCacheTap * tap)
{
  if (tap->audio_probe != 0)
    gst_pad_remove_probe (tap->audio_pad, tap->audio_probe);
  if (tap->subtitle_probe != 0)
    gst_pad_remove_probe (tap->subtitle_pad, tap->subtitle_probe);
  g_mutex_lock (&tap->lock);
  give_up (tap, "stopped before the end");
  g_mutex_unlock (&tap->lock);
  tap_unref (tap);
}
