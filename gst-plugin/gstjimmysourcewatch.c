/* gstjimmysourcewatch.c: probes on a network audio source, for the
 * expired-URL recovery.
 *
 * They count the bytes that went downstream (where a replacement source
 * resumes), hold back the EOS basesrc sends after its error once the run
 * took that error over, and, on a resumed source, drop the stream-start
 * and segment that would otherwise restart the stream. All of it runs on
 * the source's streaming thread.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "gstjimmysourcewatch.h"

struct _GstJimmySourceWatch
{
  gboolean resumed;             /* continues a refused source's bytes */
  guint64 resume_offset;

  GMutex lock;                  /* guards the two below */
  guint64 position;             /* bytes sent downstream so far */
  gboolean hold_eos;            /* the source failed: its EOS is no end */
};

static void
watch_clear (GstJimmySourceWatch * watch)
{
  g_mutex_clear (&watch->lock);
}

GstJimmySourceWatch *
gst_jimmy_source_watch_ref (GstJimmySourceWatch * watch)
{
  return g_atomic_rc_box_acquire (watch);
}

void
gst_jimmy_source_watch_unref (GstJimmySourceWatch * watch)
{
  g_atomic_rc_box_release_full (watch, (GDestroyNotify) watch_clear);
}

static GstPadProbeReturn
on_event (GstJimmySourceWatch * watch, GstEvent * event)
{
  gboolean hold;

  switch (GST_EVENT_TYPE (event)) {
    case GST_EVENT_EOS:
      g_mutex_lock (&watch->lock);
      hold = watch->hold_eos;
      g_mutex_unlock (&watch->lock);
      return hold ? GST_PAD_PROBE_DROP : GST_PAD_PROBE_OK;
    case GST_EVENT_STREAM_START:
      return watch->resumed ? GST_PAD_PROBE_DROP : GST_PAD_PROBE_OK;
    case GST_EVENT_SEGMENT:
      /* Bytes already flowed under the first source's segment. */
      return watch->resumed && watch->resume_offset > 0 ?
          GST_PAD_PROBE_DROP : GST_PAD_PROBE_OK;
    default:
      return GST_PAD_PROBE_OK;
  }
}

static GstPadProbeReturn
on_source_data (GstPad * pad, GstPadProbeInfo * info, gpointer user_data)
{
  GstJimmySourceWatch *watch = user_data;
  GstBuffer *buffer;
  guint64 end;

  if (!(GST_PAD_PROBE_INFO_TYPE (info) & GST_PAD_PROBE_TYPE_BUFFER))
    return on_event (watch, GST_PAD_PROBE_INFO_EVENT (info));

  buffer = GST_PAD_PROBE_INFO_BUFFER (info);
  end = GST_BUFFER_OFFSET_IS_VALID (buffer) ?
      GST_BUFFER_OFFSET (buffer) + gst_buffer_get_size (buffer) : 0;

  /* The resumed bytes continue the stream: a DISCONT would make the
   * decoder drain and reset at the join. */
  if (watch->resumed && GST_BUFFER_IS_DISCONT (buffer)) {
    buffer = gst_buffer_make_writable (buffer);
    GST_BUFFER_FLAG_UNSET (buffer, GST_BUFFER_FLAG_DISCONT);
    GST_PAD_PROBE_INFO_DATA (info) = buffer;
  }

  g_mutex_lock (&watch->lock);
  watch->position = end > 0 ? end :
      watch->position + gst_buffer_get_size (buffer);
  g_mutex_unlock (&watch->lock);
  return GST_PAD_PROBE_OK;
}

/**
 * gst_jimmy_source_watch_attach:
 * @resume_offset: the byte @source starts at; a source resuming after a
 *   refusal has %TRUE @resumed
 *
 * Returns: (transfer full): the watch on @source's src pad
 */
GstJimmySourceWatch *
gst_jimmy_source_watch_attach (GstElement * source, gboolean resumed,
    guint64 resume_offset)
{
  g_autoptr (GstPad) pad = gst_element_get_static_pad (source, "src");
  GstJimmySourceWatch *watch = g_atomic_rc_box_new0 (GstJimmySourceWatch);

  g_mutex_init (&watch->lock);
  watch->resumed = resumed;
  watch->resume_offset = resume_offset;
  watch->position = resume_offset;
  if (pad != NULL)
    gst_pad_add_probe (pad, GST_PAD_PROBE_TYPE_BUFFER |
        GST_PAD_PROBE_TYPE_EVENT_DOWNSTREAM, on_source_data,
        gst_jimmy_source_watch_ref (watch),
        (GDestroyNotify) gst_jimmy_source_watch_unref);
  return watch;
}

/* Where a replacement source would resume. */
guint64
gst_jimmy_source_watch_get_position (GstJimmySourceWatch * watch)
{
  guint64 position;

  g_mutex_lock (&watch->lock);
  position = watch->position;
  g_mutex_unlock (&watch->lock);
  return position;
}

/* What basesrc sends after its error from now on is no end of stream. */
void
gst_jimmy_source_watch_hold_eos (GstJimmySourceWatch * watch)
{
  g_mutex_lock (&watch->lock);
  watch->hold_eos = TRUE;
  g_mutex_unlock (&watch->lock);
}
