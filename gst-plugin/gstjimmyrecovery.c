/* gstjimmyrecovery.c: an expired signed audioUrl does not end playback.
 *
 * When the media host refuses the audio (HTTP 401, 403 or 410), at the
 * first request or when souphttpsrc reconnects mid-stream, the element
 * drops souphttpsrc's error, polls the task once more for a fresh
 * audioUrl, and swaps in a new souphttpsrc that asks for the rest of the
 * file with an HTTP Range request, continuing the same byte stream into
 * the same decodebin: no gap, no repeat, no new segment downstream. A
 * second refusal is an error.
 *
 * Probes on the network source's pad count the bytes that went
 * downstream, hold back the EOS basesrc sends after its error, and, on a
 * resumed source, drop the stream-start and segment that would otherwise
 * restart the stream.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "gstjimmyaudiosrc-private.h"
#include "gstjimmyelements.h"
#include "gstjimmymessages.h"

#define GST_CAT_DEFAULT gst_jimmy_audio_src_debug

static gboolean
is_expiry_status (guint status)
{
  return status == 401 || status == 403 || status == 410;
}

/* souphttpsrc puts the HTTP status in its error's details. */
static guint
http_status_of (GstMessage * message)
{
  const GstStructure *details = NULL;
  guint status = 0;

  gst_message_parse_error_details (message, &details);
  if (details != NULL)
    gst_structure_get_uint (details, "http-status-code", &status);
  return status;
}

static void
post_refused_again (GstJimmyAudioSrc * self, guint status)
{
  g_autofree gchar *task_id = gst_jimmy_audio_src_dup_run_task_id (self);
  g_autofree gchar *text = g_strdup_printf ("The media host refused the "
      "audio of task \"%s\" (HTTP %u) even at the fresh audioUrl the API "
      "gave after the first refusal. Check that the media host is reachable "
      "from here, or create the task again.", task_id, status);
  JimmyPollFailure failure = { .http_status = status };

  g_mutex_lock (&self->lock);
  self->failure_posted = TRUE;
  g_mutex_unlock (&self->lock);
  gst_jimmy_audio_src_end_progress (self, GST_PROGRESS_TYPE_ERROR, text);
  gst_jimmy_post_error (GST_ELEMENT_CAST (self), GST_RESOURCE_ERROR,
      status == 410 ? GST_RESOURCE_ERROR_NOT_FOUND :
      GST_RESOURCE_ERROR_NOT_AUTHORIZED, task_id, text, NULL, &failure);
}

/**
 * gst_jimmy_recovery_handle_message:
 *
 * Called from GstBin::handle_message, in whichever thread posted.
 *
 * Returns: %TRUE when @message was an error of the audio source that the
 * recovery takes over (it is then dropped).
 */
gboolean
gst_jimmy_recovery_handle_message (GstJimmyAudioSrc * self,
    GstMessage * message)
{
  guint status;
  guint64 received;
  gboolean from_source, swallow, again = FALSE, start = FALSE;

  if (GST_MESSAGE_TYPE (message) != GST_MESSAGE_ERROR)
    return FALSE;

  status = http_status_of (message);
  g_mutex_lock (&self->lock);
  from_source = self->audio_source != NULL
      && GST_MESSAGE_SRC (message) == GST_OBJECT_CAST (self->audio_source);
  /* After a refusal it took over, basesrc adds a flow error: drop it too. */
  swallow = from_source && self->recovering;
  if (from_source && !swallow && is_expiry_status (status)
      && self->audio_network) {
    swallow = TRUE;
    self->recovering = TRUE;
    again = self->recovered;
    start = !again;
  }
  received = self->bytes_received;
  g_mutex_unlock (&self->lock);

  if (again)
    post_refused_again (self, status);
  if (start) {
    GST_INFO_OBJECT (self, "audioUrl refused (HTTP %u) after %"
        G_GUINT64_FORMAT " bytes: asking the API for a fresh one", status,
        received);
    gst_jimmy_run_refresh_audio_url (self);
  }
  return swallow;
}

static GstPadProbeReturn
on_source_event (GstJimmyAudioSrc * self, GstPadProbeInfo * info,
    gboolean resumed, guint64 resume_offset)
{
  GstEvent *event = GST_PAD_PROBE_INFO_EVENT (info);
  gboolean recovering;

  switch (GST_EVENT_TYPE (event)) {
    case GST_EVENT_EOS:
      g_mutex_lock (&self->lock);
      recovering = self->recovering;
      g_mutex_unlock (&self->lock);
      /* What basesrc sends after its error: the stream is not over. */
      return recovering ? GST_PAD_PROBE_DROP : GST_PAD_PROBE_OK;
    case GST_EVENT_STREAM_START:
      return resumed ? GST_PAD_PROBE_DROP : GST_PAD_PROBE_OK;
    case GST_EVENT_SEGMENT:
      /* Bytes already flowed under the first source's segment. */
      return resumed && resume_offset > 0 ? GST_PAD_PROBE_DROP :
          GST_PAD_PROBE_OK;
    default:
      return GST_PAD_PROBE_OK;
  }
}

typedef struct
{
  GstJimmyAudioSrc *self;       /* (unowned) the source's parent */
  guint64 resume_offset;
  gboolean resumed;
} Watch;

/* Streaming thread of the source. */
static GstPadProbeReturn
on_source_data (GstPad * pad, GstPadProbeInfo * info, gpointer user_data)
{
  Watch *watch = user_data;
  GstJimmyAudioSrc *self = watch->self;

  if (GST_PAD_PROBE_INFO_TYPE (info) & GST_PAD_PROBE_TYPE_BUFFER) {
    GstBuffer *buffer = GST_PAD_PROBE_INFO_BUFFER (info);
    guint64 end = GST_BUFFER_OFFSET_IS_VALID (buffer) ?
        GST_BUFFER_OFFSET (buffer) + gst_buffer_get_size (buffer) : 0;

    /* The resumed bytes continue the stream: a DISCONT would make the
     * decoder drain and reset at the join. */
    if (watch->resumed && GST_BUFFER_IS_DISCONT (buffer)) {
      buffer = gst_buffer_make_writable (buffer);
      GST_BUFFER_FLAG_UNSET (buffer, GST_BUFFER_FLAG_DISCONT);
      GST_PAD_PROBE_INFO_DATA (info) = buffer;
    }

    g_mutex_lock (&self->lock);
    self->bytes_received = end > 0 ? end :
        self->bytes_received + gst_buffer_get_size (buffer);
    g_mutex_unlock (&self->lock);
    return GST_PAD_PROBE_OK;
  }
  return on_source_event (self, info, watch->resumed, watch->resume_offset);
}

/**
 * gst_jimmy_recovery_watch_source:
 * @resume_offset: the byte the source starts at; a source resuming after
 *   a refusal has %TRUE @resumed
 *
 * Puts the probes on a network audio source.
 */
void
gst_jimmy_recovery_watch_source (GstJimmyAudioSrc * self,
    GstElement * source, gboolean resumed, guint64 resume_offset)
{
  GstPad *pad = gst_element_get_static_pad (source, "src");
  Watch *watch = g_new0 (Watch, 1);

  watch->self = self;
  watch->resumed = resumed;
  watch->resume_offset = resume_offset;
  gst_pad_add_probe (pad, GST_PAD_PROBE_TYPE_BUFFER |
      GST_PAD_PROBE_TYPE_EVENT_DOWNSTREAM, on_source_data, watch, g_free);
  gst_object_unref (pad);
}

/**
 * gst_jimmy_recovery_resume:
 *
 * Replaces the refused source with one for the run's fresh audioUrl,
 * starting at the first byte not yet sent downstream. Called with the
 * state lock held, for the current run.
 */
void
gst_jimmy_recovery_resume (GstJimmyAudioSrc * self)
{
  g_autoptr (JimmyPollOptions) options = NULL;
  g_autoptr (JimmyTask) task = NULL;
  g_autoptr (GstPad) sinkpad = NULL;
  g_autoptr (GstPad) srcpad = NULL;
  GstElement *old, *source;
  GstJimmyCacheTap *cache_tap;
  guint64 offset;

  g_mutex_lock (&self->lock);
  old = self->audio_source ? gst_object_ref (self->audio_source) : NULL;
  sinkpad = self->parser ? gst_element_get_static_pad (self->parser,
      "sink") : NULL;
  offset = self->bytes_received;
  /* A resumed download is not cached: the entry would miss its start. */
  cache_tap = g_steal_pointer (&self->cache_tap);
  options = jimmy_poll_options_copy (self->options);
  task = jimmy_task_copy (self->run_task);
  g_mutex_unlock (&self->lock);

  if (old == NULL || sinkpad == NULL)
    return;

  gst_jimmy_remove_child (self, old);
  gst_object_unref (old);
  g_clear_pointer (&cache_tap, gst_jimmy_cache_tap_free);

  source = gst_jimmy_make_http_src (self, options, task->audio_url);
  if (source == NULL)
    return;
  /* basesrc keeps a seek sent before it starts: souphttpsrc then asks
   * for "Range: bytes=offset-". */
  if (offset > 0)
    gst_element_send_event (source, gst_event_new_seek (1.0,
            GST_FORMAT_BYTES, GST_SEEK_FLAG_NONE, GST_SEEK_TYPE_SET, offset,
            GST_SEEK_TYPE_NONE, -1));
  gst_jimmy_recovery_watch_source (self, source, TRUE, offset);
  gst_bin_add (GST_BIN_CAST (self), source);

  srcpad = gst_element_get_static_pad (source, "src");
  if (GST_PAD_LINK_FAILED (gst_pad_link (srcpad, sinkpad))) {
    gst_jimmy_post_link_error (self);
    return;
  }

  g_mutex_lock (&self->lock);
  self->audio_source = source;
  self->recovering = FALSE;
  self->recovered = TRUE;
  g_mutex_unlock (&self->lock);

  GST_INFO_OBJECT (self, "resuming task %s at byte %" G_GUINT64_FORMAT,
      task->id, offset);
  gst_element_sync_state_with_parent (source);
}
