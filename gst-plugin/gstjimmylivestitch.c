/* gstjimmylivestitch.c: jimmyaudiosrc's live mode: a live GstBaseSrc that
 * outputs silence from PLAYING on, then, from the first buffer queued on
 * its "sink" pad, the task's decoded audio, then EOS.
 *
 * Every output buffer is stamped from one sample counter, so the switch
 * from silence to audio is exact: no gap, no overlap, and the audio's
 * samples go out unchanged (only their metadata is rewritten). GstBaseSrc
 * paces the buffers on the clock and shifts them into running time.
 *
 * The owner decides whether audio is coming at all; this element only
 * waits. Its sink pad holds GST_JIMMY_LIVE_STITCH_MAX_QUEUED_MS of audio,
 * then blocks upstream until the clock has played some of it out.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <gst/audio/audio.h>

#include "gstjimmylivestitch.h"

GST_DEBUG_CATEGORY_STATIC (gst_jimmy_live_stitch_debug);
#define GST_CAT_DEFAULT gst_jimmy_live_stitch_debug

/* What audiotestsrc would pick, with the rate and channels issue 9 asks
 * for, when downstream does not care. */
#define DEFAULT_FORMAT "S16LE"
#define DEFAULT_RATE 48000
#define DEFAULT_CHANNELS 2

struct _GstJimmyLiveStitch
{
  GstBaseSrc parent;

  GstPad *sinkpad;              /* the task's decoded audio comes in here */

  /* `lock` guards everything below; `cond` is signalled whenever any of
   * it changes. Never push, emit or post while holding it. */
  GMutex lock;
  GCond cond;
  GstCaps *caps;                /* (nullable) the run's output caps */
  GstAudioInfo info;            /* parsed from caps */
  GstBuffer *silence;           /* (nullable) one silence buffer, shared */
  GQueue queue;                 /* (owned) buffers and tag events */
  gsize queued_bytes;           /* of the buffers in queue */
  gboolean sink_eos;            /* the task's audio has ended */
  gboolean sink_flushing;       /* sink pad inactive or flushing */
  gboolean src_unlocked;        /* between unlock and unlock_stop */
  gboolean audio_started;       /* the task's first buffer went out */
  guint64 next_sample;          /* output offset of the next buffer */
};

enum
{
  SIGNAL_OUTPUT_CAPS,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* Interleaved only: a frame is then a sample of every channel. */
#define STITCH_CAPS GST_AUDIO_CAPS_MAKE (GST_AUDIO_FORMATS_ALL) \
    ", layout = (string) interleaved"

static GstStaticPadTemplate src_template = GST_STATIC_PAD_TEMPLATE ("src",
    GST_PAD_SRC, GST_PAD_ALWAYS, GST_STATIC_CAPS (STITCH_CAPS));

static GstStaticPadTemplate sink_template = GST_STATIC_PAD_TEMPLATE ("sink",
    GST_PAD_SINK, GST_PAD_ALWAYS, GST_STATIC_CAPS (STITCH_CAPS));

#define gst_jimmy_live_stitch_parent_class parent_class
G_DEFINE_TYPE_WITH_CODE (GstJimmyLiveStitch, gst_jimmy_live_stitch,
    GST_TYPE_BASE_SRC,
    GST_DEBUG_CATEGORY_INIT (gst_jimmy_live_stitch_debug, "jimmylivestitch",
        0, "jimmyaudiosrc's live mode: silence, then the task's audio"));

/* Called with the lock held. */
static void
clear_queue_locked (GstJimmyLiveStitch * self)
{
  GstMiniObject *item;

  while ((item = g_queue_pop_head (&self->queue)) != NULL)
    gst_mini_object_unref (item);
  self->queued_bytes = 0;
}

/* Called with the lock held. */
static gsize
max_queued_bytes_locked (GstJimmyLiveStitch * self)
{
  return (gsize) GST_AUDIO_INFO_BPF (&self->info) *
      gst_util_uint64_scale_int (GST_AUDIO_INFO_RATE (&self->info),
      GST_JIMMY_LIVE_STITCH_MAX_QUEUED_MS, 1000);
}

static guint
silence_samples (const GstAudioInfo * info)
{
  return MAX (1, gst_util_uint64_scale_int (GST_AUDIO_INFO_RATE (info),
          GST_JIMMY_LIVE_STITCH_SILENCE_MS, 1000));
}

static GstBuffer *
make_silence (const GstAudioInfo * info)
{
  gsize size = (gsize) silence_samples (info) * GST_AUDIO_INFO_BPF (info);
  GstBuffer *buffer = gst_buffer_new_allocate (NULL, size, NULL);
  GstMapInfo map;

  gst_buffer_map (buffer, &map, GST_MAP_WRITE);
  gst_audio_format_info_fill_silence (info->finfo, map.data, map.size);
  gst_buffer_unmap (buffer, &map);
  return buffer;
}

/* Stamps @buffer as the next samples of the output timeline. Times come
 * from sample offsets, so each buffer ends exactly where the next starts.
 * Called with the lock held. */
static GstBuffer *
stamp_locked (GstJimmyLiveStitch * self, GstBuffer * buffer)
{
  gint rate = GST_AUDIO_INFO_RATE (&self->info);
  gsize size = gst_buffer_get_size (buffer);
  guint64 start = self->next_sample;
  guint64 end = start + size / GST_AUDIO_INFO_BPF (&self->info);
  GstClockTime pts = gst_util_uint64_scale_int (start, GST_SECOND, rate);

  if (size % GST_AUDIO_INFO_BPF (&self->info) != 0)
    GST_WARNING_OBJECT (self, "buffer of %" G_GSIZE_FORMAT " bytes is not "
        "a whole number of frames", size);

  buffer = gst_buffer_make_writable (buffer);
  GST_BUFFER_PTS (buffer) = pts;
  GST_BUFFER_DTS (buffer) = GST_CLOCK_TIME_NONE;
  GST_BUFFER_DURATION (buffer) =
      gst_util_uint64_scale_int (end, GST_SECOND, rate) - pts;
  GST_BUFFER_OFFSET (buffer) = start;
  GST_BUFFER_OFFSET_END (buffer) = end;
  /* Our timeline has no break, whatever the decoder's had. */
  GST_BUFFER_FLAG_UNSET (buffer, GST_BUFFER_FLAG_DISCONT);
  GST_BUFFER_FLAG_UNSET (buffer, GST_BUFFER_FLAG_RESYNC);
  self->next_sample = end;
  return buffer;
}

/* The next thing to output: a queued buffer or tag event, or, before the
 * task's audio started, silence. Waits only once the audio started and
 * the queue ran dry. Called with the lock held. */
static GstFlowReturn
take_next_locked (GstJimmyLiveStitch * self, GstMiniObject ** item)
{
  for (;;) {
    if (self->src_unlocked)
      return GST_FLOW_FLUSHING;
    if (self->caps == NULL)
      return GST_FLOW_NOT_NEGOTIATED;

    *item = g_queue_pop_head (&self->queue);
    if (*item != NULL) {
      if (GST_IS_BUFFER (*item)) {
        self->queued_bytes -= gst_buffer_get_size (GST_BUFFER_CAST (*item));
        if (!self->audio_started)
          GST_INFO_OBJECT (self, "task audio starts at sample %"
              G_GUINT64_FORMAT, self->next_sample);
        self->audio_started = TRUE;
        *item = GST_MINI_OBJECT_CAST (stamp_locked (self,
                GST_BUFFER_CAST (*item)));
        /* There is room for the sink pad again. */
        g_cond_broadcast (&self->cond);
      }
      return GST_FLOW_OK;
    }
    if (self->sink_eos)
      return GST_FLOW_EOS;
    if (!self->audio_started) {
      *item = GST_MINI_OBJECT_CAST (stamp_locked (self,
              gst_buffer_copy (self->silence)));
      return GST_FLOW_OK;
    }
    g_cond_wait (&self->cond, &self->lock);
  }
}

static GstFlowReturn
gst_jimmy_live_stitch_create (GstBaseSrc * src, guint64 offset, guint size,
    GstBuffer ** buffer)
{
  GstJimmyLiveStitch *self = GST_JIMMY_LIVE_STITCH (src);
  GstMiniObject *item = NULL;
  GstFlowReturn ret;

  for (;;) {
    g_mutex_lock (&self->lock);
    ret = take_next_locked (self, &item);
    g_mutex_unlock (&self->lock);

    if (ret != GST_FLOW_OK || GST_IS_BUFFER (item))
      break;
    /* A tag of the task's stream. GstBaseSrc pushes it after its segment,
     * just before the buffer we return. (gst_element_send_event() would
     * take the state lock, which a state change may hold while it waits
     * for this thread.) */
    GST_ELEMENT_CLASS (parent_class)->send_event (GST_ELEMENT (src),
        GST_EVENT_CAST (item));
  }

  if (ret == GST_FLOW_OK)
    *buffer = GST_BUFFER_CAST (item);
  else
    GST_DEBUG_OBJECT (self, "no buffer: %s", gst_flow_get_name (ret));
  return ret;
}

/* Live sources sync on the start of each buffer, as audiotestsrc does. */
static void
gst_jimmy_live_stitch_get_times (GstBaseSrc * src, GstBuffer * buffer,
    GstClockTime * start, GstClockTime * end)
{
  GstClockTime pts = GST_BUFFER_PTS (buffer);

  if (!GST_CLOCK_TIME_IS_VALID (pts))
    return;
  *start = pts;
  if (GST_BUFFER_DURATION_IS_VALID (buffer))
    *end = pts + GST_BUFFER_DURATION (buffer);
}

/* Once negotiated, the caps stay for the run: the task's chain is built
 * for them. */
static GstCaps *
gst_jimmy_live_stitch_get_caps (GstBaseSrc * src, GstCaps * filter)
{
  GstJimmyLiveStitch *self = GST_JIMMY_LIVE_STITCH (src);
  GstCaps *caps = gst_jimmy_live_stitch_dup_output_caps (self);

  if (caps == NULL)
    caps = gst_pad_get_pad_template_caps (GST_BASE_SRC_PAD (src));
  if (filter != NULL) {
    GstCaps *both = gst_caps_intersect_full (filter, caps,
        GST_CAPS_INTERSECT_FIRST);
    gst_caps_unref (caps);
    caps = both;
  }
  return caps;
}

/* audiotestsrc's fixation, with our defaults. */
static GstCaps *
gst_jimmy_live_stitch_fixate (GstBaseSrc * src, GstCaps * caps)
{
  GstStructure *s;
  gint channels;

  caps = gst_caps_make_writable (caps);
  s = gst_caps_get_structure (caps, 0);
  gst_structure_fixate_field_nearest_int (s, "rate", DEFAULT_RATE);
  gst_structure_fixate_field_string (s, "format", DEFAULT_FORMAT);
  gst_structure_fixate_field_string (s, "layout", "interleaved");
  gst_structure_fixate_field_nearest_int (s, "channels", DEFAULT_CHANNELS);
  if (gst_structure_get_int (s, "channels", &channels) && channels > 2
      && !gst_structure_has_field_typed (s, "channel-mask", GST_TYPE_BITMASK))
    gst_structure_set (s, "channel-mask", GST_TYPE_BITMASK,
        gst_audio_channel_get_fallback_mask (channels), NULL);

  return GST_BASE_SRC_CLASS (parent_class)->fixate (src, caps);
}

static gboolean
gst_jimmy_live_stitch_set_caps (GstBaseSrc * src, GstCaps * caps)
{
  GstJimmyLiveStitch *self = GST_JIMMY_LIVE_STITCH (src);
  GstAudioInfo info;
  gboolean first;

  if (!gst_audio_info_from_caps (&info, caps)) {
    GST_ERROR_OBJECT (self, "unusable caps %" GST_PTR_FORMAT, caps);
    return FALSE;
  }

  g_mutex_lock (&self->lock);
  first = self->caps == NULL;
  if (first) {
    self->caps = gst_caps_ref (caps);
    self->info = info;
    self->silence = make_silence (&info);
  } else if (!gst_caps_is_equal (caps, self->caps)) {
    g_mutex_unlock (&self->lock);
    GST_ERROR_OBJECT (self, "caps changed within a run: %" GST_PTR_FORMAT,
        caps);
    return FALSE;
  }
  g_mutex_unlock (&self->lock);

  if (first) {
    GST_INFO_OBJECT (self, "output caps %" GST_PTR_FORMAT, caps);
    g_signal_emit (self, signals[SIGNAL_OUTPUT_CAPS], 0, caps);
  }
  return TRUE;
}

static gboolean
gst_jimmy_live_stitch_query (GstBaseSrc * src, GstQuery * query)
{
  GstJimmyLiveStitch *self = GST_JIMMY_LIVE_STITCH (src);
  GstClockTime latency = GST_JIMMY_LIVE_STITCH_SILENCE_MS * GST_MSECOND;

  if (GST_QUERY_TYPE (query) != GST_QUERY_LATENCY)
    return GST_BASE_SRC_CLASS (parent_class)->query (src, query);

  /* A silence buffer is pushed when its first sample is due. Before the
   * caps are known (the pipeline may ask right away), its nominal length. */
  g_mutex_lock (&self->lock);
  if (self->caps != NULL)
    latency = gst_util_uint64_scale_int (silence_samples (&self->info),
        GST_SECOND, GST_AUDIO_INFO_RATE (&self->info));
  g_mutex_unlock (&self->lock);

  gst_query_set_latency (query, TRUE, latency, GST_CLOCK_TIME_NONE);
  return TRUE;
}

static gboolean
gst_jimmy_live_stitch_start (GstBaseSrc * src)
{
  GstJimmyLiveStitch *self = GST_JIMMY_LIVE_STITCH (src);

  g_mutex_lock (&self->lock);
  clear_queue_locked (self);
  self->sink_eos = FALSE;
  self->src_unlocked = FALSE;
  self->audio_started = FALSE;
  self->next_sample = 0;
  g_mutex_unlock (&self->lock);
  return TRUE;
}

/* Forgets the run: the next one negotiates again. */
static gboolean
gst_jimmy_live_stitch_stop (GstBaseSrc * src)
{
  GstJimmyLiveStitch *self = GST_JIMMY_LIVE_STITCH (src);

  g_mutex_lock (&self->lock);
  clear_queue_locked (self);
  gst_clear_caps (&self->caps);
  gst_clear_buffer (&self->silence);
  gst_audio_info_init (&self->info);
  g_cond_broadcast (&self->cond);
  g_mutex_unlock (&self->lock);
  return TRUE;
}

static gboolean
gst_jimmy_live_stitch_unlock (GstBaseSrc * src)
{
  GstJimmyLiveStitch *self = GST_JIMMY_LIVE_STITCH (src);

  g_mutex_lock (&self->lock);
  self->src_unlocked = TRUE;
  g_cond_broadcast (&self->cond);
  g_mutex_unlock (&self->lock);
  return TRUE;
}

static gboolean
gst_jimmy_live_stitch_unlock_stop (GstBaseSrc * src)
{
  GstJimmyLiveStitch *self = GST_JIMMY_LIVE_STITCH (src);

  g_mutex_lock (&self->lock);
  self->src_unlocked = FALSE;
  g_mutex_unlock (&self->lock);
  return TRUE;
}

/* Streaming thread of the task's chain. Blocks while the queue is full,
 * until the output has room or the pad stops. */
static GstFlowReturn
gst_jimmy_live_stitch_sink_chain (GstPad * pad, GstObject * parent,
    GstBuffer * buffer)
{
  GstJimmyLiveStitch *self = GST_JIMMY_LIVE_STITCH (parent);
  GstFlowReturn ret = GST_FLOW_OK;

  g_mutex_lock (&self->lock);
  while (!self->sink_flushing && self->caps != NULL
      && self->queued_bytes >= max_queued_bytes_locked (self))
    g_cond_wait (&self->cond, &self->lock);

  /* No caps here means stop() ran (the caps event checked them before
   * any buffer): the src pad stops first, the sink pad just after. */
  if (self->sink_flushing || self->caps == NULL)
    ret = GST_FLOW_FLUSHING;
  else if (self->sink_eos)
    ret = GST_FLOW_EOS;

  if (ret == GST_FLOW_OK) {
    self->queued_bytes += gst_buffer_get_size (buffer);
    g_queue_push_tail (&self->queue, buffer);
    g_cond_broadcast (&self->cond);
  }
  g_mutex_unlock (&self->lock);

  if (ret != GST_FLOW_OK) {
    GST_DEBUG_OBJECT (self, "refusing a buffer: %s", gst_flow_get_name (ret));
    gst_buffer_unref (buffer);
  }
  return ret;
}

/* Whether the task's chain produces exactly the output caps. */
static gboolean
matches_output (GstJimmyLiveStitch * self, GstCaps * caps)
{
  GstAudioInfo in, out;
  gboolean known;

  g_mutex_lock (&self->lock);
  known = self->caps != NULL;
  out = self->info;
  g_mutex_unlock (&self->lock);

  return known && gst_audio_info_from_caps (&in, caps)
      && gst_audio_info_is_equal (&in, &out);
}

static gboolean
gst_jimmy_live_stitch_sink_event (GstPad * pad, GstObject * parent,
    GstEvent * event)
{
  GstJimmyLiveStitch *self = GST_JIMMY_LIVE_STITCH (parent);
  gboolean ret = TRUE;

  switch (GST_EVENT_TYPE (event)) {
    case GST_EVENT_CAPS:{
      GstCaps *caps;

      gst_event_parse_caps (event, &caps);
      ret = matches_output (self, caps);
      if (!ret)
        GST_WARNING_OBJECT (self, "the task's chain must produce the output "
            "caps, not %" GST_PTR_FORMAT, caps);
      break;
    }
    case GST_EVENT_TAG:
      g_mutex_lock (&self->lock);
      g_queue_push_tail (&self->queue, g_steal_pointer (&event));
      g_cond_broadcast (&self->cond);
      g_mutex_unlock (&self->lock);
      break;
    case GST_EVENT_EOS:
      g_mutex_lock (&self->lock);
      self->sink_eos = TRUE;
      g_cond_broadcast (&self->cond);
      g_mutex_unlock (&self->lock);
      break;
    case GST_EVENT_FLUSH_START:
      g_mutex_lock (&self->lock);
      self->sink_flushing = TRUE;
      g_cond_broadcast (&self->cond);
      g_mutex_unlock (&self->lock);
      break;
    case GST_EVENT_FLUSH_STOP:
      g_mutex_lock (&self->lock);
      self->sink_flushing = FALSE;
      self->sink_eos = FALSE;
      clear_queue_locked (self);
      g_mutex_unlock (&self->lock);
      break;
    default:
      /* Stream-start, segment, gap: the output's timeline is our own. */
      break;
  }

  if (event != NULL)
    gst_event_unref (event);
  return ret;
}

static gboolean
gst_jimmy_live_stitch_sink_query (GstPad * pad, GstObject * parent,
    GstQuery * query)
{
  GstJimmyLiveStitch *self = GST_JIMMY_LIVE_STITCH (parent);

  switch (GST_QUERY_TYPE (query)) {
    case GST_QUERY_CAPS:{
      GstCaps *filter, *caps;

      gst_query_parse_caps (query, &filter);
      caps = gst_jimmy_live_stitch_dup_output_caps (self);
      if (caps == NULL)
        caps = gst_pad_get_pad_template_caps (pad);
      if (filter != NULL) {
        GstCaps *both = gst_caps_intersect_full (filter, caps,
            GST_CAPS_INTERSECT_FIRST);
        gst_caps_unref (caps);
        caps = both;
      }
      gst_query_set_caps_result (query, caps);
      gst_caps_unref (caps);
      return TRUE;
    }
    case GST_QUERY_ACCEPT_CAPS:{
      GstCaps *caps;

      gst_query_parse_accept_caps (query, &caps);
      gst_query_set_accept_caps_result (query, matches_output (self, caps));
      return TRUE;
    }
    default:
      /* The sink side ends here: nothing is forwarded downstream. */
      return FALSE;
  }
}

/* Runs before the pad waits for its streaming thread to stop, so a chain
 * call blocked on a full queue is woken here. */
static gboolean
gst_jimmy_live_stitch_sink_activate_mode (GstPad * pad, GstObject * parent,
    GstPadMode mode, gboolean active)
{
  GstJimmyLiveStitch *self = GST_JIMMY_LIVE_STITCH (parent);

  if (mode != GST_PAD_MODE_PUSH)
    return FALSE;

  g_mutex_lock (&self->lock);
  self->sink_flushing = !active;
  g_cond_broadcast (&self->cond);
  g_mutex_unlock (&self->lock);
  return TRUE;
}

static void
gst_jimmy_live_stitch_finalize (GObject * object)
{
  GstJimmyLiveStitch *self = GST_JIMMY_LIVE_STITCH (object);

  clear_queue_locked (self);
  gst_clear_caps (&self->caps);
  gst_clear_buffer (&self->silence);
  g_cond_clear (&self->cond);
  g_mutex_clear (&self->lock);

  G_OBJECT_CLASS (parent_class)->finalize (object);
}

static void
gst_jimmy_live_stitch_class_init (GstJimmyLiveStitchClass * klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GstElementClass *element_class = GST_ELEMENT_CLASS (klass);
  GstBaseSrcClass *src_class = GST_BASE_SRC_CLASS (klass);

  object_class->finalize = gst_jimmy_live_stitch_finalize;

  gst_element_class_add_static_pad_template (element_class, &src_template);
  gst_element_class_add_static_pad_template (element_class, &sink_template);
  gst_element_class_set_static_metadata (element_class,
      "Jimmy live stitch", "Source/Audio",
      "Live silence until the task's audio comes, then that audio",
      "gst-jimmy developers");

  src_class->create = GST_DEBUG_FUNCPTR (gst_jimmy_live_stitch_create);
  src_class->get_times = GST_DEBUG_FUNCPTR (gst_jimmy_live_stitch_get_times);
  src_class->get_caps = GST_DEBUG_FUNCPTR (gst_jimmy_live_stitch_get_caps);
  src_class->fixate = GST_DEBUG_FUNCPTR (gst_jimmy_live_stitch_fixate);
  src_class->set_caps = GST_DEBUG_FUNCPTR (gst_jimmy_live_stitch_set_caps);
  src_class->query = GST_DEBUG_FUNCPTR (gst_jimmy_live_stitch_query);
  src_class->start = GST_DEBUG_FUNCPTR (gst_jimmy_live_stitch_start);
  src_class->stop = GST_DEBUG_FUNCPTR (gst_jimmy_live_stitch_stop);
  src_class->unlock = GST_DEBUG_FUNCPTR (gst_jimmy_live_stitch_unlock);
  src_class->unlock_stop =
      GST_DEBUG_FUNCPTR (gst_jimmy_live_stitch_unlock_stop);

  /**
   * GstJimmyLiveStitch::output-caps:
   * @stitch: the element
   * @caps: the caps it outputs, which the task's chain must produce
   *
   * Emitted once per run, on the streaming thread, when the output caps
   * are negotiated (in PAUSED, before any buffer). Handlers must not
   * block nor change states; hand bin changes to gst_element_call_async().
   */
  signals[SIGNAL_OUTPUT_CAPS] = g_signal_new ("output-caps",
      G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
      G_TYPE_NONE, 1, GST_TYPE_CAPS | G_SIGNAL_TYPE_STATIC_SCOPE);
}

static void
gst_jimmy_live_stitch_init (GstJimmyLiveStitch * self)
{
  g_mutex_init (&self->lock);
  g_cond_init (&self->cond);
  g_queue_init (&self->queue);
  gst_audio_info_init (&self->info);

  gst_base_src_set_live (GST_BASE_SRC (self), TRUE);
  gst_base_src_set_format (GST_BASE_SRC (self), GST_FORMAT_TIME);

  self->sinkpad = gst_pad_new_from_static_template (&sink_template, "sink");
  gst_pad_set_chain_function (self->sinkpad,
      GST_DEBUG_FUNCPTR (gst_jimmy_live_stitch_sink_chain));
  gst_pad_set_event_function (self->sinkpad,
      GST_DEBUG_FUNCPTR (gst_jimmy_live_stitch_sink_event));
  gst_pad_set_query_function (self->sinkpad,
      GST_DEBUG_FUNCPTR (gst_jimmy_live_stitch_sink_query));
  gst_pad_set_activatemode_function (self->sinkpad,
      GST_DEBUG_FUNCPTR (gst_jimmy_live_stitch_sink_activate_mode));
  gst_element_add_pad (GST_ELEMENT (self), self->sinkpad);
}

/**
 * gst_jimmy_live_stitch_new:
 * @name: (nullable): the element's name
 *
 * Returns: (transfer floating): a live stitch, to add to a bin.
 */
GstElement *
gst_jimmy_live_stitch_new (const gchar * name)
{
  return g_object_new (GST_TYPE_JIMMY_LIVE_STITCH, "name", name, NULL);
}

/**
 * gst_jimmy_live_stitch_dup_output_caps:
 *
 * Returns: (transfer full) (nullable): the caps of this run's output, which
 * the task's chain must produce; NULL until negotiated (see the
 * #GstJimmyLiveStitch::output-caps signal). Any thread.
 */
GstCaps *
gst_jimmy_live_stitch_dup_output_caps (GstJimmyLiveStitch * self)
{
  GstCaps *caps = NULL;

  g_return_val_if_fail (GST_IS_JIMMY_LIVE_STITCH (self), NULL);

  g_mutex_lock (&self->lock);
  if (self->caps != NULL)
    caps = gst_caps_ref (self->caps);
  g_mutex_unlock (&self->lock);
  return caps;
}
