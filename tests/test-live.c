/* test-live.c: GstJimmyLiveStitch, the leaf behind jimmyaudiosrc's live
 * mode, on its own: live silence, the switch to the task's audio, caps,
 * EOS and stopping.
 *
 * The element is no plugin feature, so this test links the object file
 * the elements module is built from (tests/meson.build): it checks the
 * very code the module ships, with no test-only plugin to register.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <string.h>

#include <gst/audio/audio.h>

#include "gstjimmylivestitch.h"
#include "test-timing.h"

/* No wait should take this long; a hang fails instead of stalling CI. */
#define WAIT_TIMEOUT (30 * G_TIME_SPAN_SECOND)
#define STOP_TIMEOUT (10 * G_TIME_SPAN_SECOND)

/* The bound, from PLAYING to the first buffer out of the element. */
#define FIRST_BUFFER_BOUND_US (50 * 1000)
/* A synchronised sink renders it after the pipeline's latency: one 10 ms
 * buffer plus basesink's 20 ms processing-deadline. The rest is margin
 * for a loaded machine. */
#define FIRST_RENDER_BOUND_US (100 * 1000)

typedef struct {
  GstClockTime pts;
  GstClockTime duration;
  guint64 offset;
  guint64 offset_end;
  gsize size;
  guint64 entered;              /* bytes through the sink pad by then */
} Stamp;

typedef struct {
  GstElement *pipeline;         /* (owned) (nullable) */
  GstElement *stitch;           /* (unowned) in pipeline */
  GstPad *feeder;               /* (owned) (nullable) the test's upstream */

  /* `lock` guards what follows; `cond` signals any change. */
  GMutex lock;
  GCond cond;
  GArray *stamps;               /* (owned) one Stamp per buffer the sink got */
  GByteArray *bytes;            /* (owned) all the sink got */
  gint64 first_buffer_us;       /* monotonic, 0 until a buffer came */
  gint64 first_pushed_us;       /* same, out of the stitch */
  GstCaps *signalled_caps;      /* (owned) (nullable) from output-caps */
  guint caps_signals;
  guint64 entered;              /* bytes through the stitch's sink pad */
  gboolean segment_seen;        /* by the sink, before any title tag */
  gsize title_at;               /* output bytes before a title tag, or
                                 * G_MAXSIZE */
  gboolean stopped;
  GstStateChangeReturn stop_result;
} Fixture;

static void
fixture_set_up (Fixture * f, gconstpointer data)
{
  g_mutex_init (&f->lock);
  g_cond_init (&f->cond);
  f->title_at = G_MAXSIZE;
  f->stamps = g_array_new (FALSE, FALSE, sizeof (Stamp));
  f->bytes = g_byte_array_new ();
}

static void
fixture_tear_down (Fixture * f, gconstpointer data)
{
  if (f->pipeline != NULL)
    g_assert_cmpint (gst_element_set_state (f->pipeline, GST_STATE_NULL), ==,
        GST_STATE_CHANGE_SUCCESS);
  gst_clear_object (&f->pipeline);
  gst_clear_object (&f->feeder);
  g_array_unref (f->stamps);
  g_byte_array_unref (f->bytes);
  gst_clear_caps (&f->signalled_caps);
  g_cond_clear (&f->cond);
  g_mutex_clear (&f->lock);
}

/* Streaming thread of the sink. */
static void
on_handoff (GstElement * sink, GstBuffer * buffer, GstPad * pad, Fixture * f)
{
  Stamp stamp = {
    .pts = GST_BUFFER_PTS (buffer),
    .duration = GST_BUFFER_DURATION (buffer),
    .offset = GST_BUFFER_OFFSET (buffer),
    .offset_end = GST_BUFFER_OFFSET_END (buffer),
    .size = gst_buffer_get_size (buffer),
  };
  GstMapInfo map;

  g_assert_true (gst_buffer_map (buffer, &map, GST_MAP_READ));
  g_mutex_lock (&f->lock);
  if (f->first_buffer_us == 0)
    f->first_buffer_us = g_get_monotonic_time ();
  stamp.entered = f->entered;
  g_array_append_val (f->stamps, stamp);
  g_byte_array_append (f->bytes, map.data, map.size);
  g_cond_broadcast (&f->cond);
  g_mutex_unlock (&f->lock);
  gst_buffer_unmap (buffer, &map);
}

/* Streaming thread of the stitch. */
static GstPadProbeReturn
note_first_push (GstPad * pad, GstPadProbeInfo * info, Fixture * f)
{
  g_mutex_lock (&f->lock);
  f->first_pushed_us = g_get_monotonic_time ();
  g_mutex_unlock (&f->lock);
  return GST_PAD_PROBE_REMOVE;
}

/* Streaming thread of the stitch. */
static void
on_output_caps (GstElement * stitch, GstCaps * caps, Fixture * f)
{
  g_mutex_lock (&f->lock);
  gst_caps_replace (&f->signalled_caps, caps);
  f->caps_signals++;
  g_cond_broadcast (&f->cond);
  g_mutex_unlock (&f->lock);
}

/* Streaming thread of the stitch. */
static GstPadProbeReturn
note_title (GstPad * pad, GstPadProbeInfo * info, Fixture * f)
{
  GstEvent *event = GST_PAD_PROBE_INFO_EVENT (info);
  GstTagList *tags;
  g_autofree gchar *title = NULL;

  if (GST_EVENT_TYPE (event) == GST_EVENT_SEGMENT) {
    g_mutex_lock (&f->lock);
    f->segment_seen = TRUE;
    g_mutex_unlock (&f->lock);
  }
  if (GST_EVENT_TYPE (event) != GST_EVENT_TAG)
    return GST_PAD_PROBE_OK;
  gst_event_parse_tag (event, &tags);
  if (gst_tag_list_get_string (tags, GST_TAG_TITLE, &title)) {
    g_mutex_lock (&f->lock);
    /* Sticky events keep their order: the tag never precedes the
     * segment. */
    g_assert_true (f->segment_seen);
    f->title_at = f->bytes->len;
    g_mutex_unlock (&f->lock);
  }
  return GST_PAD_PROBE_OK;
}

/* Streaming thread of the task's chain. */
static GstPadProbeReturn
count_entered (GstPad * pad, GstPadProbeInfo * info, Fixture * f)
{
  g_mutex_lock (&f->lock);
  f->entered += gst_buffer_get_size (GST_PAD_PROBE_INFO_BUFFER (info));
  g_cond_broadcast (&f->cond);
  g_mutex_unlock (&f->lock);
  return GST_PAD_PROBE_OK;
}

/* stitch [! capsfilter caps=@filter] ! fakesink sync=true */
static void
build (Fixture * f, const char *filter)
{
  GstElement *sink = gst_element_factory_make ("fakesink", "sink");
  GstPad *sinkpad;

  f->pipeline = gst_pipeline_new ("live");
  /* Keep what stopping posts, for assert_no_error(). */
  gst_pipeline_set_auto_flush_bus (GST_PIPELINE (f->pipeline), FALSE);
  f->stitch = gst_jimmy_live_stitch_new ("stitch");
  g_assert_nonnull (sink);
  g_object_set (sink, "sync", TRUE, "signal-handoffs", TRUE, NULL);
  g_signal_connect (sink, "handoff", G_CALLBACK (on_handoff), f);
  g_signal_connect (f->stitch, "output-caps", G_CALLBACK (on_output_caps), f);
  gst_bin_add_many (GST_BIN (f->pipeline), f->stitch, sink, NULL);

  if (filter != NULL) {
    GstElement *capsfilter = gst_element_factory_make ("capsfilter", NULL);
    g_autoptr (GstCaps) caps = gst_caps_from_string (filter);

    g_assert_nonnull (caps);
    g_object_set (capsfilter, "caps", caps, NULL);
    gst_bin_add (GST_BIN (f->pipeline), capsfilter);
    g_assert_true (gst_element_link_many (f->stitch, capsfilter, sink, NULL));
  } else {
    g_assert_true (gst_element_link (f->stitch, sink));
  }

  sinkpad = gst_element_get_static_pad (f->stitch, "sink");
  gst_pad_add_probe (sinkpad, GST_PAD_PROBE_TYPE_BUFFER,
      (GstPadProbeCallback) count_entered, f, NULL);
  gst_object_unref (sinkpad);
  sinkpad = gst_element_get_static_pad (sink, "sink");
  gst_pad_add_probe (sinkpad, GST_PAD_PROBE_TYPE_EVENT_DOWNSTREAM,
      (GstPadProbeCallback) note_title, f, NULL);
  gst_object_unref (sinkpad);
}

static guint
n_stamps (Fixture * f)
{
  guint n;

  g_mutex_lock (&f->lock);
  n = f->stamps->len;
  g_mutex_unlock (&f->lock);
  return n;
}

static void
wait_for_buffers (Fixture * f, guint n)
{
  gint64 deadline = g_get_monotonic_time () + WAIT_TIMEOUT;

  g_mutex_lock (&f->lock);
  while (f->stamps->len < n && g_cond_wait_until (&f->cond, &f->lock,
          deadline));
  g_mutex_unlock (&f->lock);
  g_assert_cmpuint (n_stamps (f), >=, n);
}

static void
wait_for_entered (Fixture * f, guint64 bytes)
{
  gint64 deadline = g_get_monotonic_time () + WAIT_TIMEOUT;
  guint64 entered;

  g_mutex_lock (&f->lock);
  while (f->entered < bytes && g_cond_wait_until (&f->cond, &f->lock,
          deadline));
  entered = f->entered;
  g_mutex_unlock (&f->lock);
  g_assert_cmpuint (entered, >=, bytes);
}

/* Until the last buffer the sink got is @size bytes long. */
static void
wait_for_last_size (Fixture * f, gsize size)
{
  gint64 deadline = g_get_monotonic_time () + WAIT_TIMEOUT;
  gboolean found = FALSE;

  g_mutex_lock (&f->lock);
  do {
    found = f->stamps->len > 0 && g_array_index (f->stamps, Stamp,
        f->stamps->len - 1).size == size;
  } while (!found && g_cond_wait_until (&f->cond, &f->lock, deadline));
  g_mutex_unlock (&f->lock);
  g_assert_true (found);
}

static GstCaps *
wait_for_output_caps (Fixture * f)
{
  gint64 deadline = g_get_monotonic_time () + WAIT_TIMEOUT;
  GstCaps *caps = NULL;

  g_mutex_lock (&f->lock);
  while (f->signalled_caps == NULL && g_cond_wait_until (&f->cond, &f->lock,
          deadline));
  if (f->signalled_caps != NULL)
    caps = gst_caps_ref (f->signalled_caps);
  g_mutex_unlock (&f->lock);
  g_assert_nonnull (caps);
  return caps;
}

/* Reads the pipeline's bus until EOS; an error fails the test. */
static void
wait_for_eos (GstElement * pipeline)
{
  g_autoptr (GstBus) bus = gst_element_get_bus (pipeline);
  g_autoptr (GstMessage) message = gst_bus_timed_pop_filtered (bus,
      WAIT_TIMEOUT / G_TIME_SPAN_MILLISECOND * GST_MSECOND,
      GST_MESSAGE_EOS | GST_MESSAGE_ERROR);

  g_assert_nonnull (message);
  if (GST_MESSAGE_TYPE (message) == GST_MESSAGE_ERROR) {
    g_autoptr (GError) error = NULL;
    g_autofree gchar *debug = NULL;

    gst_message_parse_error (message, &error, &debug);
    g_error ("%s (%s)", error->message, debug);
  }
}

static void
assert_no_error (GstElement * pipeline)
{
  g_autoptr (GstBus) bus = gst_element_get_bus (pipeline);
  g_autoptr (GstMessage) message = gst_bus_pop_filtered (bus,
      GST_MESSAGE_ERROR);

  g_assert_null (message);
}

static void
on_decoded_pad (GstElement * decodebin, GstPad * pad, GstElement * convert)
{
  GstPad *sinkpad = gst_element_get_static_pad (convert, "sink");

  g_assert_cmpint (gst_pad_link (pad, sinkpad), ==, GST_PAD_LINK_OK);
  gst_object_unref (sinkpad);
}

/* Adds to @bin what the element's run builds for the task: the media
 * decoded and converted to @caps, linked to @downstream. Returns the
 * decodebin (unowned). */
static GstElement *
add_task_chain (GstBin * bin, GstCaps * caps, GstElement * downstream)
{
  const char *media = g_getenv ("JIMMY_MOCK_MEDIA");
  GstElement *src = gst_element_factory_make ("filesrc", NULL);
  GstElement *decodebin = gst_element_factory_make ("decodebin", NULL);
  GstElement *convert = gst_element_factory_make ("audioconvert", NULL);
  GstElement *resample = gst_element_factory_make ("audioresample", NULL);
  GstElement *filter = gst_element_factory_make ("capsfilter", NULL);

  g_assert_nonnull (media);
  g_object_set (src, "location", media, NULL);
  g_object_set (filter, "caps", caps, NULL);
  g_signal_connect (decodebin, "pad-added", G_CALLBACK (on_decoded_pad),
      convert);
  gst_bin_add_many (bin, src, decodebin, convert, resample, filter, NULL);
  g_assert_true (gst_element_link (src, decodebin));
  g_assert_true (gst_element_link_many (convert, resample, filter,
          downstream, NULL));

  g_assert_true (gst_element_sync_state_with_parent (filter));
  g_assert_true (gst_element_sync_state_with_parent (resample));
  g_assert_true (gst_element_sync_state_with_parent (convert));
  g_assert_true (gst_element_sync_state_with_parent (decodebin));
  g_assert_true (gst_element_sync_state_with_parent (src));
  return decodebin;
}

static void
append_buffer (GstElement * sink, GstBuffer * buffer, GstPad * pad,
    GByteArray * bytes)
{
  GstMapInfo map;

  g_assert_true (gst_buffer_map (buffer, &map, GST_MAP_READ));
  g_byte_array_append (bytes, map.data, map.size);
  gst_buffer_unmap (buffer, &map);
}

/* The media decoded as fast as possible, not live: what the live output
 * must hold after its silence. */
static GBytes *
decode_not_live (GstCaps * caps)
{
  g_autoptr (GstElement) pipeline = gst_pipeline_new ("reference");
  GstElement *sink = gst_element_factory_make ("fakesink", NULL);
  GByteArray *bytes = g_byte_array_new ();

  g_object_set (sink, "sync", FALSE, "signal-handoffs", TRUE, NULL);
  g_signal_connect (sink, "handoff", G_CALLBACK (append_buffer), bytes);
  gst_bin_add (GST_BIN (pipeline), sink);
  add_task_chain (GST_BIN (pipeline), caps, sink);
  g_assert_cmpint (gst_element_set_state (pipeline, GST_STATE_PLAYING), !=,
      GST_STATE_CHANGE_FAILURE);
  wait_for_eos (pipeline);
  g_assert_cmpint (gst_element_set_state (pipeline, GST_STATE_NULL), ==,
      GST_STATE_CHANGE_SUCCESS);
  return g_byte_array_free_to_bytes (bytes);
}

static void
assert_caps (GstCaps * caps, const char *format, gint rate, gint channels)
{
  GstStructure *s = gst_caps_get_structure (caps, 0);
  gint value = 0;

  g_assert_true (gst_caps_is_fixed (caps));
  g_assert_cmpstr (gst_structure_get_name (s), ==, "audio/x-raw");
  g_assert_cmpstr (gst_structure_get_string (s, "format"), ==, format);
  g_assert_cmpstr (gst_structure_get_string (s, "layout"), ==,
      "interleaved");
  g_assert_true (gst_structure_get_int (s, "rate", &value));
  g_assert_cmpint (value, ==, rate);
  g_assert_true (gst_structure_get_int (s, "channels", &value));
  g_assert_cmpint (value, ==, channels);
}

static gboolean
all_zero (const guint8 * data, gsize size)
{
  for (gsize i = 0; i < size; i++)
    if (data[i] != 0)
      return FALSE;
  return TRUE;
}

/* Each buffer starts where the previous one ended: offsets exactly, times
 * within one sample. */
static void
assert_contiguous (Fixture * f, gint rate)
{
  GstClockTime one_sample = gst_util_uint64_scale_int_ceil (1, GST_SECOND,
      rate);

  for (guint i = 1; i < f->stamps->len; i++) {
    const Stamp *prev = &g_array_index (f->stamps, Stamp, i - 1);
    const Stamp *stamp = &g_array_index (f->stamps, Stamp, i);
    GstClockTime prev_end = prev->pts + prev->duration;

    g_assert_true (GST_CLOCK_TIME_IS_VALID (stamp->pts));
    g_assert_true (GST_CLOCK_TIME_IS_VALID (stamp->duration));
    g_assert_cmpuint (stamp->offset, ==, prev->offset_end);
    g_assert_cmpuint (MAX (stamp->pts, prev_end) - MIN (stamp->pts,
            prev_end), <=, one_sample);
  }
}

/* What the stitch tells the pipeline; @rate 0 before negotiation. */
static void
assert_latency (Fixture * f, gint rate)
{
  g_autoptr (GstQuery) query = gst_query_new_latency ();
  gboolean live = FALSE;
  GstClockTime min = 0, max = 0;

  g_assert_true (gst_element_query (f->stitch, query));
  gst_query_parse_latency (query, &live, &min, &max);
  g_assert_true (live);
  g_assert_cmpuint (min, ==, rate == 0 ? 10 * GST_MSECOND :
      gst_util_uint64_scale_int (rate / 100, GST_SECOND, rate));
  g_assert_cmpuint (max, ==, GST_CLOCK_TIME_NONE);
}

static void
test_first_buffer_at_once (Fixture * f, gconstpointer data)
{
  g_autoptr (GstCaps) caps = NULL;
  gint64 playing_us, pushed_us, rendered_us;
  gint64 slowdown = test_timing_slowdown ();
  const Stamp *first;
  GstPad *srcpad;

  build (f, NULL);
  g_assert_cmpint (gst_element_set_state (f->pipeline, GST_STATE_READY), ==,
      GST_STATE_CHANGE_SUCCESS);
  assert_latency (f, 0);
  g_assert_cmpint (gst_element_set_state (f->pipeline, GST_STATE_PAUSED), ==,
      GST_STATE_CHANGE_NO_PREROLL);
  /* Negotiated in PAUSED, but no data before PLAYING. */
  caps = wait_for_output_caps (f);
  assert_latency (f, 48000);
  g_assert_cmpuint (n_stamps (f), ==, 0);
  srcpad = gst_element_get_static_pad (f->stitch, "src");
  gst_pad_add_probe (srcpad, GST_PAD_PROBE_TYPE_BUFFER,
      (GstPadProbeCallback) note_first_push, f, NULL);
  gst_object_unref (srcpad);

  playing_us = g_get_monotonic_time ();
  g_assert_cmpint (gst_element_set_state (f->pipeline, GST_STATE_PLAYING),
      !=, GST_STATE_CHANGE_FAILURE);
  wait_for_buffers (f, 1);

  g_mutex_lock (&f->lock);
  pushed_us = f->first_pushed_us - playing_us;
  rendered_us = f->first_buffer_us - playing_us;
  g_mutex_unlock (&f->lock);
  g_test_message ("first buffer %" G_GINT64_FORMAT " us after PLAYING, "
      "at the sink %" G_GINT64_FORMAT " us", pushed_us, rendered_us);
  if (slowdown > 1)
    g_test_message ("under valgrind or ASan: bounds x %" G_GINT64_FORMAT,
        slowdown);
  g_assert_cmpint (pushed_us, <, FIRST_BUFFER_BOUND_US * slowdown);
  g_assert_cmpint (rendered_us, <, FIRST_RENDER_BOUND_US * slowdown);

  /* Stamped in running time, which starts at PLAYING. */
  first = &g_array_index (f->stamps, Stamp, 0);
  g_assert_cmpuint (first->pts, <,
      FIRST_BUFFER_BOUND_US * slowdown * GST_USECOND);
  g_assert_cmpuint (first->offset, ==, 0);
}

static void
test_fixate_default (Fixture * f, gconstpointer data)
{
  g_autoptr (GstCaps) caps = NULL;
  g_autoptr (GstCaps) output_caps = NULL;

  build (f, NULL);
  g_assert_null (gst_jimmy_live_stitch_dup_output_caps (GST_JIMMY_LIVE_STITCH
          (f->stitch)));
  g_assert_cmpint (gst_element_set_state (f->pipeline, GST_STATE_PLAYING),
      !=, GST_STATE_CHANGE_FAILURE);
  caps = wait_for_output_caps (f);
  wait_for_buffers (f, 3);

  assert_caps (caps, "S16LE", 48000, 2);
  output_caps = gst_jimmy_live_stitch_dup_output_caps (GST_JIMMY_LIVE_STITCH
      (f->stitch));
  g_assert_true (gst_caps_is_equal (caps, output_caps));

  g_mutex_lock (&f->lock);
  g_assert_cmpuint (f->caps_signals, ==, 1);
  for (guint i = 0; i < 3; i++) {
    const Stamp *stamp = &g_array_index (f->stamps, Stamp, i);

    /* 10 ms of silence: 480 frames of 2 × 16 bits. */
    g_assert_cmpuint (stamp->size, ==, 480 * 4);
    g_assert_cmpuint (stamp->duration, ==, 10 * GST_MSECOND);
  }
  g_assert_true (all_zero (f->bytes->data, 3 * 480 * 4));
  assert_contiguous (f, 48000);
  g_mutex_unlock (&f->lock);
}

typedef struct {
  const char *filter;
  const char *format;
  gint rate;
  gint channels;
} Required;

static const Required required_mono = {
  "audio/x-raw,rate=22050,channels=1", "S16LE", 22050, 1
};

static const Required required_float_surround = {
  "audio/x-raw,format=F32LE,rate=[8000,16000],channels=[3,6]",
  "F32LE", 16000, 3
};

static const Required required_unsigned = {
  "audio/x-raw,format=U8,rate=8000", "U8", 8000, 2
};

static void
test_fixate_required (Fixture * f, gconstpointer data)
{
  const Required *required = data;
  g_autoptr (GstCaps) caps = NULL;
  GstAudioInfo info;
  g_autofree guint8 *silence = NULL;
  gsize silence_size;

  build (f, required->filter);
  g_assert_cmpint (gst_element_set_state (f->pipeline, GST_STATE_PLAYING),
      !=, GST_STATE_CHANGE_FAILURE);
  caps = wait_for_output_caps (f);
  wait_for_buffers (f, 2);

  assert_caps (caps, required->format, required->rate, required->channels);
  if (required->channels > 2) {
    guint64 mask = 0;

    g_assert_true (gst_structure_get (gst_caps_get_structure (caps, 0),
            "channel-mask", GST_TYPE_BITMASK, &mask, NULL));
    g_assert_cmphex (mask, ==,
        gst_audio_channel_get_fallback_mask (required->channels));
  }

  /* The buffers are that format's silence, 10 ms each. */
  g_assert_true (gst_audio_info_from_caps (&info, caps));
  silence_size = (gsize) required->rate / 100 * GST_AUDIO_INFO_BPF (&info);
  silence = g_malloc (silence_size);
  gst_audio_format_info_fill_silence (info.finfo, silence, silence_size);
  g_mutex_lock (&f->lock);
  g_assert_cmpuint (g_array_index (f->stamps, Stamp, 0).size, ==,
      silence_size);
  g_assert_cmpmem (f->bytes->data, silence_size, silence, silence_size);
  assert_contiguous (f, required->rate);
  g_mutex_unlock (&f->lock);
}

static void
test_switch_to_task_audio (Fixture * f, gconstpointer data)
{
  g_autoptr (GstCaps) caps = NULL;
  g_autoptr (GBytes) reference = NULL;
  const guint8 *expected;
  gsize expected_size, silence_size, buffer_max = 0, out = 0;
  const gsize silence_buffer = 480 * 4;
  const gsize queue_max = 48000 * 4 * GST_JIMMY_LIVE_STITCH_MAX_QUEUED_MS
      / 1000;
  guint i;

  build (f, NULL);
  g_assert_cmpint (gst_element_set_state (f->pipeline, GST_STATE_PLAYING),
      !=, GST_STATE_CHANGE_FAILURE);
  caps = wait_for_output_caps (f);
  assert_caps (caps, "S16LE", 48000, 2);
  /* What the audio must be, decoded while the silence plays. */
  reference = decode_not_live (caps);
  wait_for_buffers (f, 20);

  add_task_chain (GST_BIN (f->pipeline), caps, f->stitch);
  wait_for_eos (f->pipeline);
  g_assert_cmpint (gst_element_set_state (f->pipeline, GST_STATE_NULL), ==,
      GST_STATE_CHANGE_SUCCESS);

  /* Silence in whole 10 ms buffers, then every sample of the audio. */
  expected = g_bytes_get_data (reference, &expected_size);
  g_assert_cmpuint (expected_size, >, 10 * 48000 * 4);
  g_assert_cmpuint (f->bytes->len, >, expected_size);
  silence_size = f->bytes->len - expected_size;
  g_test_message ("%" G_GSIZE_FORMAT " ms of silence, then %" G_GSIZE_FORMAT
      " frames of audio", silence_size / silence_buffer * 10,
      expected_size / 4);
  g_assert_cmpuint (silence_size % silence_buffer, ==, 0);
  g_assert_cmpuint (silence_size / silence_buffer, >=, 20);
  g_assert_true (all_zero (f->bytes->data, silence_size));
  g_assert_cmpmem (f->bytes->data + silence_size, expected_size, expected,
      expected_size);

  /* One timeline across the switch, to the last sample. */
  assert_contiguous (f, 48000);
  g_assert_cmpuint (g_array_index (f->stamps, Stamp, f->stamps->len - 1)
      .offset_end, ==, f->bytes->len / 4);

  /* The sink pad never held more than its queue and the buffers in
   * flight: the decoder was held back, not run to the end. */
  for (i = 0; i < f->stamps->len; i++)
    buffer_max = MAX (buffer_max, g_array_index (f->stamps, Stamp, i).size);
  for (i = 0; i < f->stamps->len; i++) {
    const Stamp *stamp = &g_array_index (f->stamps, Stamp, i);
    gsize audio_out = out > silence_size ? out - silence_size : 0;

    g_assert_cmpuint (stamp->entered - audio_out, <=,
        queue_max + 3 * buffer_max);
    out += stamp->size;
  }
}

/* The test's own upstream for the sink pad, as the task's chain would
 * be: stream-start, the output caps, a segment. */
static void
add_feeder (Fixture * f, GstCaps * caps)
{
  GstPad *sinkpad = gst_element_get_static_pad (f->stitch, "sink");
  GstSegment segment;

  f->feeder = gst_pad_new ("feeder", GST_PAD_SRC);
  g_assert_true (gst_pad_set_active (f->feeder, TRUE));
  g_assert_cmpint (gst_pad_link (f->feeder, sinkpad), ==, GST_PAD_LINK_OK);
  gst_object_unref (sinkpad);

  gst_segment_init (&segment, GST_FORMAT_TIME);
  g_assert_true (gst_pad_push_event (f->feeder,
          gst_event_new_stream_start ("task")));
  g_assert_true (gst_pad_push_event (f->feeder, gst_event_new_caps (caps)));
  g_assert_true (gst_pad_push_event (f->feeder,
          gst_event_new_segment (&segment)));
}

/* @frames of a stereo S16 ramp that no silence can be mistaken for. */
static GstBuffer *
make_ramp (guint frames, gint16 first)
{
  GstBuffer *buffer = gst_buffer_new_allocate (NULL, frames * 4, NULL);
  GstMapInfo map;
  gint16 *samples;

  g_assert_true (gst_buffer_map (buffer, &map, GST_MAP_WRITE));
  samples = (gint16 *) map.data;
  for (guint i = 0; i < frames * 2; i++)
    samples[i] = first + i + 1;
  gst_buffer_unmap (buffer, &map);
  /* A decoder's own times, which the output must not keep. */
  GST_BUFFER_PTS (buffer) = 7 * GST_SECOND;
  GST_BUFFER_FLAG_SET (buffer, GST_BUFFER_FLAG_DISCONT);
  return buffer;
}

static void
test_owner_ends_without_audio (Fixture * f, gconstpointer data)
{
  g_autoptr (GstCaps) caps = NULL;

  build (f, NULL);
  g_assert_cmpint (gst_element_set_state (f->pipeline, GST_STATE_PLAYING),
      !=, GST_STATE_CHANGE_FAILURE);
  caps = wait_for_output_caps (f);
  wait_for_buffers (f, 2);

  /* The owner gave up on the audio: EOS on the sink pad ends the stream. */
  add_feeder (f, caps);
  g_assert_true (gst_pad_push_event (f->feeder, gst_event_new_eos ()));
  wait_for_eos (f->pipeline);

  g_mutex_lock (&f->lock);
  g_assert_true (all_zero (f->bytes->data, f->bytes->len));
  assert_contiguous (f, 48000);
  g_mutex_unlock (&f->lock);
}

static void
test_refuses_other_caps (Fixture * f, gconstpointer data)
{
  g_autoptr (GstCaps) caps = NULL;
  g_autoptr (GstCaps) other = gst_caps_from_string ("audio/x-raw,"
      "format=S16LE,layout=interleaved,rate=44100,channels=2");
  GstPad *sinkpad;
  g_autoptr (GstCaps) allowed = NULL;

  build (f, NULL);
  g_assert_cmpint (gst_element_set_state (f->pipeline, GST_STATE_PLAYING),
      !=, GST_STATE_CHANGE_FAILURE);
  caps = wait_for_output_caps (f);

  /* Upstream is told what to produce, and nothing else is taken. */
  sinkpad = gst_element_get_static_pad (f->stitch, "sink");
  allowed = gst_pad_query_caps (sinkpad, NULL);
  g_assert_true (gst_caps_is_equal (allowed, caps));
  g_assert_false (gst_pad_query_accept_caps (sinkpad, other));
  g_assert_true (gst_pad_query_accept_caps (sinkpad, caps));
  g_assert_false (gst_pad_send_event (sinkpad, gst_event_new_caps (other)));
  gst_object_unref (sinkpad);

  /* Pushed anyway, the caps stop the chain's data. */
  add_feeder (f, caps);
  gst_pad_push_event (f->feeder, gst_event_new_caps (other));
  g_assert_cmpint (gst_pad_push (f->feeder, make_ramp (100, 0)), ==,
      GST_FLOW_NOT_NEGOTIATED);
}

/* Samples pass unchanged, restamped on the output's timeline, and a
 * pause while waiting for more keeps that timeline. */
static void
test_restamps_samples_unchanged (Fixture * f, gconstpointer data)
{
  g_autoptr (GstCaps) caps = NULL;
  g_autoptr (GstBuffer) first = make_ramp (300, 0);
  g_autoptr (GstBuffer) second = make_ramp (200, 1000);
  GstMapInfo map;
  gsize silence_size, after;

  build (f, NULL);
  g_assert_cmpint (gst_element_set_state (f->pipeline, GST_STATE_PLAYING),
      !=, GST_STATE_CHANGE_FAILURE);
  caps = wait_for_output_caps (f);
  wait_for_buffers (f, 3);
  add_feeder (f, caps);

  g_assert_true (gst_pad_push_event (f->feeder,
          gst_event_new_tag (gst_tag_list_new (GST_TAG_TITLE, "Ramp",
                  NULL))));
  g_assert_cmpint (gst_pad_push (f->feeder, gst_buffer_ref (first)), ==,
      GST_FLOW_OK);
  /* Once out, the output waits for more audio, not silence. */
  wait_for_last_size (f, 300 * 4);

  g_assert_cmpint (gst_element_set_state (f->pipeline, GST_STATE_PAUSED), ==,
      GST_STATE_CHANGE_NO_PREROLL);
  g_assert_cmpint (gst_element_set_state (f->pipeline, GST_STATE_PLAYING),
      !=, GST_STATE_CHANGE_FAILURE);
  g_assert_cmpint (gst_pad_push (f->feeder, gst_buffer_ref (second)), ==,
      GST_FLOW_OK);
  g_assert_true (gst_pad_push_event (f->feeder, gst_event_new_eos ()));
  wait_for_eos (f->pipeline);
  assert_no_error (f->pipeline);

  g_mutex_lock (&f->lock);
  after = f->bytes->len;
  silence_size = after - 500 * 4;
  g_assert_cmpuint (silence_size % (480 * 4), ==, 0);
  g_assert_true (all_zero (f->bytes->data, silence_size));
  g_assert_true (gst_buffer_map (first, &map, GST_MAP_READ));
  g_assert_cmpmem (f->bytes->data + silence_size, 300 * 4, map.data,
      map.size);
  gst_buffer_unmap (first, &map);
  g_assert_true (gst_buffer_map (second, &map, GST_MAP_READ));
  g_assert_cmpmem (f->bytes->data + silence_size + 300 * 4, 200 * 4,
      map.data, map.size);
  gst_buffer_unmap (second, &map);
  /* The stream's tags went out before its first samples (and after the
   * silence buffer that was due when they came). */
  g_assert_cmpuint (f->title_at, <=, silence_size);
  g_assert_cmpuint (f->title_at % (480 * 4), ==, 0);

  /* Offsets and times carry on; the decoder's do not come through. The
   * pause re-anchors on the running time, as any live source does, so
   * only offsets are checked across it. */
  {
    const Stamp *a = &g_array_index (f->stamps, Stamp, f->stamps->len - 2);
    const Stamp *b = &g_array_index (f->stamps, Stamp, f->stamps->len - 1);

    g_assert_cmpuint (a->offset, ==, silence_size / 4);
    g_assert_cmpuint (a->offset_end, ==, a->offset + 300);
    g_assert_cmpuint (b->offset, ==, a->offset_end);
    g_assert_cmpuint (b->offset_end, ==, b->offset + 200);
    g_assert_cmpuint (a->duration, ==,
        gst_util_uint64_scale_int (a->offset_end, GST_SECOND, 48000)
        - gst_util_uint64_scale_int (a->offset, GST_SECOND, 48000));
    g_assert_cmpuint (a->pts, <, 7 * GST_SECOND);
  }
  g_mutex_unlock (&f->lock);
}

/* Audio there before PLAYING (a cached task) goes out at once, with no
 * silence, and its tags keep their place after the segment. */
static void
test_audio_before_playing (Fixture * f, gconstpointer data)
{
  g_autoptr (GstCaps) caps = NULL;
  g_autoptr (GstBuffer) ramp = make_ramp (300, 0);
  GstMapInfo map;

  build (f, NULL);
  g_assert_cmpint (gst_element_set_state (f->pipeline, GST_STATE_PAUSED), ==,
      GST_STATE_CHANGE_NO_PREROLL);
  caps = wait_for_output_caps (f);
  add_feeder (f, caps);
  g_assert_true (gst_pad_push_event (f->feeder,
          gst_event_new_tag (gst_tag_list_new (GST_TAG_TITLE, "Ramp",
                  NULL))));
  g_assert_cmpint (gst_pad_push (f->feeder, gst_buffer_ref (ramp)), ==,
      GST_FLOW_OK);
  g_assert_true (gst_pad_push_event (f->feeder, gst_event_new_eos ()));

  g_assert_cmpint (gst_element_set_state (f->pipeline, GST_STATE_PLAYING),
      !=, GST_STATE_CHANGE_FAILURE);
  wait_for_eos (f->pipeline);

  g_mutex_lock (&f->lock);
  g_assert_cmpuint (f->stamps->len, ==, 1);
  g_assert_cmpuint (g_array_index (f->stamps, Stamp, 0).offset, ==, 0);
  g_assert_true (gst_buffer_map (ramp, &map, GST_MAP_READ));
  g_assert_cmpmem (f->bytes->data, f->bytes->len, map.data, map.size);
  gst_buffer_unmap (ramp, &map);
  g_assert_cmpuint (f->title_at, ==, 0);
  g_mutex_unlock (&f->lock);
}

typedef enum {
  STOP_AT_PLAYING,              /* right after the state change */
  STOP_IN_SILENCE,
  STOP_UPSTREAM_BLOCKED,        /* the queue is full, the decoder waits */
  STOP_WAITING_FOR_AUDIO,       /* audio started, the queue ran dry */
  STOP_AFTER_PAUSE,             /* PLAYING → PAUSED with audio queued */
  STOP_FEEDER_BLOCKED,          /* the test's own push waits for room */
} StopPoint;

/* Pushes audio until the stitch refuses it; returns why, as a pointer. */
static gpointer
feed_until_refused (gpointer data)
{
  Fixture *f = data;
  GstFlowReturn ret;

  do {
    ret = gst_pad_push (f->feeder, make_ramp (480, 0));
  } while (ret == GST_FLOW_OK);
  return GINT_TO_POINTER (ret);
}

static gpointer
set_null (gpointer data)
{
  Fixture *f = data;
  GstStateChangeReturn ret = gst_element_set_state (f->pipeline,
      GST_STATE_NULL);

  g_mutex_lock (&f->lock);
  f->stop_result = ret;
  f->stopped = TRUE;
  g_cond_broadcast (&f->cond);
  g_mutex_unlock (&f->lock);
  return NULL;
}

/* Sets NULL on another thread, so that a hang fails here, quickly. */
static void
stop_within_deadline (Fixture * f)
{
  gint64 deadline = g_get_monotonic_time () + STOP_TIMEOUT;
  GThread *thread = g_thread_new ("set-null", set_null, f);
  gboolean stopped;

  g_mutex_lock (&f->lock);
  while (!f->stopped && g_cond_wait_until (&f->cond, &f->lock, deadline));
  stopped = f->stopped;
  g_mutex_unlock (&f->lock);
  if (!stopped)
    g_error ("setting NULL did not return within 10 s");
  g_thread_join (thread);
  g_assert_cmpint (f->stop_result, ==, GST_STATE_CHANGE_SUCCESS);
}

static void
test_stop_anytime (Fixture * f, gconstpointer data)
{
  StopPoint point = GPOINTER_TO_INT (data);
  g_autoptr (GstCaps) caps = NULL;
  GstElement *stitch, *decodebin = NULL;
  GThread *feeding = NULL;

  build (f, NULL);
  stitch = f->stitch;
  g_object_add_weak_pointer (G_OBJECT (stitch), (gpointer *) & stitch);
  g_assert_cmpint (gst_element_set_state (f->pipeline, GST_STATE_PLAYING),
      !=, GST_STATE_CHANGE_FAILURE);

  if (point != STOP_AT_PLAYING) {
    caps = wait_for_output_caps (f);
    wait_for_buffers (f, 2);
  }
  if (point == STOP_UPSTREAM_BLOCKED || point == STOP_AFTER_PAUSE) {
    decodebin = add_task_chain (GST_BIN (f->pipeline), caps, f->stitch);
    g_object_add_weak_pointer (G_OBJECT (decodebin), (gpointer *) & decodebin);
    /* More than the queue holds: the chain now blocks on a full queue. */
    wait_for_entered (f, 48000 * 4 * GST_JIMMY_LIVE_STITCH_MAX_QUEUED_MS
        / 1000);
  }
  if (point == STOP_WAITING_FOR_AUDIO) {
    add_feeder (f, caps);
    g_assert_cmpint (gst_pad_push (f->feeder, make_ramp (100, 0)), ==,
        GST_FLOW_OK);
    wait_for_last_size (f, 100 * 4);
  }
  if (point == STOP_FEEDER_BLOCKED) {
    add_feeder (f, caps);
    feeding = g_thread_new ("feed", feed_until_refused, f);
    wait_for_entered (f, 48000 * 4 * GST_JIMMY_LIVE_STITCH_MAX_QUEUED_MS
        / 1000);
  }
  if (point == STOP_AFTER_PAUSE)
    g_assert_cmpint (gst_element_set_state (f->pipeline, GST_STATE_PAUSED),
        ==, GST_STATE_CHANGE_NO_PREROLL);

  stop_within_deadline (f);
  assert_no_error (f->pipeline);
  /* Woken by the stop, a waiting push is told to flush, not failed. */
  if (feeding != NULL)
    g_assert_cmpint (GPOINTER_TO_INT (g_thread_join (feeding)), ==,
        GST_FLOW_FLUSHING);
  if (f->feeder != NULL)
    g_assert_cmpint (gst_pad_push (f->feeder, make_ramp (100, 0)), ==,
        GST_FLOW_FLUSHING);

  /* Nothing holds on to the elements once the pipeline is gone. */
  gst_clear_object (&f->pipeline);
  gst_clear_object (&f->feeder);
  g_assert_null (stitch);
  g_assert_null (decodebin);
}

/* A stitch can run again: caps and timeline start afresh. */
static void
test_runs_twice (Fixture * f, gconstpointer data)
{
  g_autoptr (GstCaps) caps = NULL;
  const Stamp *stamp;

  build (f, NULL);
  for (guint run = 0; run < 2; run++) {
    g_assert_cmpint (gst_element_set_state (f->pipeline, GST_STATE_PLAYING),
        !=, GST_STATE_CHANGE_FAILURE);
    wait_for_buffers (f, 2);
    g_assert_cmpint (gst_element_set_state (f->pipeline, GST_STATE_READY), ==,
        GST_STATE_CHANGE_SUCCESS);
    g_assert_null (gst_jimmy_live_stitch_dup_output_caps
        (GST_JIMMY_LIVE_STITCH (f->stitch)));

    g_mutex_lock (&f->lock);
    stamp = &g_array_index (f->stamps, Stamp, 0);
    g_assert_cmpuint (stamp->offset, ==, 0);
    g_array_set_size (f->stamps, 0);
    g_byte_array_set_size (f->bytes, 0);
    g_mutex_unlock (&f->lock);
  }
  g_assert_cmpuint (f->caps_signals, ==, 2);
}

#define ADD(path, data, func) \
  g_test_add ("/live/" path, Fixture, data, fixture_set_up, func, \
      fixture_tear_down)

int
main (int argc, char **argv)
{
  gst_init (&argc, &argv);
  g_test_init (&argc, &argv, NULL);
  /* GStreamer warns of misordered events (a tag before the segment). */
  g_log_set_always_fatal (G_LOG_FATAL_MASK | G_LOG_LEVEL_WARNING
      | G_LOG_LEVEL_CRITICAL);

  ADD ("first-buffer-at-once", NULL, test_first_buffer_at_once);
  ADD ("fixate/default", NULL, test_fixate_default);
  ADD ("fixate/required-mono", &required_mono, test_fixate_required);
  ADD ("fixate/required-float-surround", &required_float_surround,
      test_fixate_required);
  ADD ("fixate/required-unsigned", &required_unsigned, test_fixate_required);
  ADD ("switch-to-task-audio", NULL, test_switch_to_task_audio);
  ADD ("restamps-samples-unchanged", NULL, test_restamps_samples_unchanged);
  ADD ("audio-before-playing", NULL, test_audio_before_playing);
  ADD ("owner-ends-without-audio", NULL, test_owner_ends_without_audio);
  ADD ("refuses-other-caps", NULL, test_refuses_other_caps);
  ADD ("runs-twice", NULL, test_runs_twice);
  ADD ("stop/at-playing", GINT_TO_POINTER (STOP_AT_PLAYING),
      test_stop_anytime);
  ADD ("stop/in-silence", GINT_TO_POINTER (STOP_IN_SILENCE),
      test_stop_anytime);
  ADD ("stop/upstream-blocked", GINT_TO_POINTER (STOP_UPSTREAM_BLOCKED),
      test_stop_anytime);
  ADD ("stop/waiting-for-audio", GINT_TO_POINTER (STOP_WAITING_FOR_AUDIO),
      test_stop_anytime);
  ADD ("stop/after-pause", GINT_TO_POINTER (STOP_AFTER_PAUSE),
      test_stop_anytime);
  ADD ("stop/feeder-blocked", GINT_TO_POINTER (STOP_FEEDER_BLOCKED),
      test_stop_anytime);

  return g_test_run ();
}
