/* test-live-element.c: jimmyaudiosrc is-live=true against the mock API:
 * no preroll, silence at once from PLAYING, then the task's audio on the
 * same timeline, exactly the samples a non-live decode gives, then EOS;
 * statuses, the cache and stops work as without it.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <string.h>

#include <glib/gstdio.h>
#include <gst/gst.h>

#include "element-fixture.h"
#include "test-timing.h"

/* What the live output is when downstream does not care. */
#define OUTPUT_CAPS "audio/x-raw, format=(string)S16LE, rate=(int)48000, " \
    "channels=(int)2, layout=(string)interleaved"
#define RATE 48000
#define BPF 4                   /* bytes per frame: S16, 2 channels */

/* Polls every 10 ms (the fixture's): about a second of waiting. */
#define SLOW_SCRIPT "queued:5,processing:80,completed"

typedef struct
{
  gboolean live;                /* check the stitch's stamps */
  GMutex lock;                  /* guards all below */
  GCond cond;
  GByteArray *bytes;            /* (owned) every sample, in order */
  guint buffers;
  guint64 next_offset;          /* where the last buffer ended */
  GstClockTime next_pts;
  guint64 worst_gap_ns;         /* largest |pts - previous end| */
  gboolean offsets_contiguous;
  gint64 first_buffer_time;     /* monotonic, 0 until one came */
  gboolean eos;
} Capture;

static void
capture_init (Capture * c)
{
  memset (c, 0, sizeof *c);
  c->live = TRUE;
  g_mutex_init (&c->lock);
  g_cond_init (&c->cond);
  c->bytes = g_byte_array_new ();
  c->offsets_contiguous = TRUE;
  c->next_pts = GST_CLOCK_TIME_NONE;
}

static void
capture_clear (Capture * c)
{
  g_byte_array_unref (c->bytes);
  g_mutex_clear (&c->lock);
  g_cond_clear (&c->cond);
}

static void
capture_buffer (Capture * c, GstBuffer * buffer)
{
  GstMapInfo map;
  GstClockTime pts = GST_BUFFER_PTS (buffer);

  gst_buffer_map (buffer, &map, GST_MAP_READ);
  g_mutex_lock (&c->lock);
  if (!c->live) {
    /* The non-live reference: only its samples. */
  } else if (c->buffers == 0) {
    c->first_buffer_time = g_get_monotonic_time ();
    /* The timestamps are in running time: only the offsets start at 0. */
    g_assert_cmpuint (GST_BUFFER_OFFSET (buffer), ==, 0);
  } else {
    guint64 gap = pts > c->next_pts ? pts - c->next_pts : c->next_pts - pts;

    c->worst_gap_ns = MAX (c->worst_gap_ns, gap);
    if (GST_BUFFER_OFFSET (buffer) != c->next_offset)
      c->offsets_contiguous = FALSE;
  }
  g_assert_cmpuint (map.size % BPF, ==, 0);
  if (c->live)
    g_assert_cmpuint (GST_BUFFER_OFFSET_END (buffer) -
        GST_BUFFER_OFFSET (buffer), ==, map.size / BPF);
  c->next_offset = GST_BUFFER_OFFSET_END (buffer);
  c->next_pts = pts + GST_BUFFER_DURATION (buffer);
  g_byte_array_append (c->bytes, map.data, map.size);
  c->buffers++;
  g_cond_broadcast (&c->cond);
  g_mutex_unlock (&c->lock);
  gst_buffer_unmap (buffer, &map);
}

static GstPadProbeReturn
on_sink_data (GstPad * pad, GstPadProbeInfo * info, gpointer user_data)
{
  Capture *c = user_data;

  if (GST_PAD_PROBE_INFO_TYPE (info) & GST_PAD_PROBE_TYPE_BUFFER) {
    capture_buffer (c, GST_PAD_PROBE_INFO_BUFFER (info));
  } else if (GST_EVENT_TYPE (GST_PAD_PROBE_INFO_EVENT (info)) == GST_EVENT_EOS) {
    g_mutex_lock (&c->lock);
    c->eos = TRUE;
    g_cond_broadcast (&c->cond);
    g_mutex_unlock (&c->lock);
  }
  return GST_PAD_PROBE_OK;
}

static void
capture_sink (ElementFixture * f, Capture * c)
{
  g_autoptr (GstElement) sink = gst_bin_get_by_name (GST_BIN (f->pipeline),
      "sink");
  g_autoptr (GstPad) pad = gst_element_get_static_pad (sink, "sink");

  gst_pad_add_probe (pad, GST_PAD_PROBE_TYPE_BUFFER |
      GST_PAD_PROBE_TYPE_EVENT_DOWNSTREAM, on_sink_data, c, NULL);
}

/* The samples a non-live run of the same task gives, converted as live
 * mode converts them; @extra: more properties of the element. */
static GByteArray *
decode_not_live (ElementFixture * f, const char *task_id, const char *extra)
{
  g_autofree char *description = g_strdup_printf ("jimmyaudiosrc name=src "
      "task-id=%s %s ! audioconvert ! audioresample ! " OUTPUT_CAPS " ! "
      "fakesink name=sink sync=false", task_id, extra);
  Capture c;
  GByteArray *bytes;

  capture_init (&c);
  c.live = FALSE;
  element_fixture_launch (f, description);
  capture_sink (f, &c);
  element_fixture_run_to_eos (f);
  bytes = g_byte_array_ref (c.bytes);
  capture_clear (&c);
  f->eos = FALSE;
  g_ptr_array_set_size (f->statuses, 0);
  g_string_truncate (f->progress, 0);
  return bytes;
}

/* The samples of the test audio decoded not live, from a task of its own. */
static GByteArray *
decode_reference (ElementFixture * f)
{
  const char *reference_id = "audio_live-reference";

  element_fixture_add_task (f, reference_id, "completed");
  return decode_not_live (f, reference_id, "");
}

static void wait_for_status (ElementFixture * f, const char *status);

static void
launch_live (ElementFixture * f, const char *task_id, const char *extra)
{
  g_autofree char *description = g_strdup_printf ("jimmyaudiosrc name=src "
      "is-live=true task-id=%s %s ! fakesink name=sink sync=true", task_id,
      extra != NULL ? extra : "");

  element_fixture_launch (f, description);
}

/* NULL→PAUSED is NO_PREROLL, at once; returns when PLAYING was set. */
static gint64
pause_then_play (ElementFixture * f)
{
  gint64 start;

  g_assert_cmpint (gst_element_set_state (f->pipeline, GST_STATE_PAUSED), ==,
      GST_STATE_CHANGE_NO_PREROLL);
  start = g_get_monotonic_time ();
  g_assert_cmpint (gst_element_set_state (f->pipeline, GST_STATE_PLAYING),
      !=, GST_STATE_CHANGE_FAILURE);
  return start;
}

/* The output is all silence, then exactly @reference. */
static void
assert_silence_then (GByteArray * output, GByteArray * reference)
{
  gsize silence;

  g_assert_cmpuint (reference->len, >, RATE * BPF);     /* over a second */
  g_assert_cmpuint (output->len, >=, reference->len);
  silence = output->len - reference->len;
  g_test_message ("%" G_GSIZE_FORMAT " samples of silence, then %u of "
      "audio", silence / BPF, reference->len / BPF);
  for (gsize i = 0; i < silence; i++)
    if (output->data[i] != 0)
      g_error ("sample %" G_GSIZE_FORMAT " of the silence is not silent",
          i / BPF);
  g_assert_true (memcmp (output->data + silence, reference->data,
          reference->len) == 0);
}

static void
assert_statuses_posted (ElementFixture * f)
{
  g_assert_cmpuint (f->statuses->len, >=, 3);
  g_assert_cmpstr (element_fixture_status_at (f, 0), ==, "queued");
  g_assert_cmpstr (element_fixture_status_at (f, 1), ==, "processing");
  g_assert_cmpstr (element_fixture_status_at (f, f->statuses->len - 1), ==,
      "completed");
  g_assert_cmpint (f->progress->str[0], ==, 'S');
  g_assert_cmpint (f->progress->str[f->progress->len - 1], ==, 'K');
}

/* Silence within 50 ms of PLAYING, while the task is still queued; the
 * audio follows without gap or overlap, all of it, then EOS. */
static void
test_silence_then_audio (ElementFixture * f, gconstpointer data)
{
  g_autoptr (GByteArray) reference = NULL;
  g_autoptr (GstElement) src = NULL;
  Capture c;
  gint64 playing;
  g_autofree char *status = NULL;

  reference = decode_reference (f);

  element_fixture_add_task (f, TEST_TASK_ID, SLOW_SCRIPT);
  capture_init (&c);
  launch_live (f, TEST_TASK_ID, NULL);
  capture_sink (f, &c);
  playing = pause_then_play (f);

  g_mutex_lock (&c.lock);
  while (c.buffers == 0)
    g_cond_wait (&c.cond, &c.lock);
  g_test_message ("first buffer %" G_GINT64_FORMAT " us after PLAYING",
      c.first_buffer_time - playing);
  /* The bound, scaled under valgrind and ASan. */
  g_assert_cmpint (c.first_buffer_time - playing, <,
      50 * 1000 * test_timing_slowdown ());
  g_mutex_unlock (&c.lock);
  /* Before the task completed. */
  src = gst_bin_get_by_name (GST_BIN (f->pipeline), "src");
  g_object_get (src, "status", &status, NULL);
  g_assert_cmpstr (status, !=, "completed");

  element_fixture_run (f, GST_STATE_PLAYING);
  g_assert_null (f->error);
  g_assert_true (f->eos);
  g_mutex_lock (&c.lock);
  g_assert_true (c.eos);
  g_test_message ("%u buffers; worst timestamp gap %" G_GUINT64_FORMAT " ns",
      c.buffers, c.worst_gap_ns);
  g_assert_true (c.offsets_contiguous);
  g_assert_cmpuint (c.worst_gap_ns, <=, GST_SECOND / RATE);
  assert_silence_then (c.bytes, reference);
  g_mutex_unlock (&c.lock);
  assert_statuses_posted (f);
  element_fixture_stop_promptly (f);
  capture_clear (&c);
}

/* Downstream's caps are the output's: the audio is converted to them. */
static void
test_downstream_caps (ElementFixture * f, gconstpointer data)
{
  Capture c;
  g_autoptr (GstElement) sink = NULL;
  g_autoptr (GstPad) pad = NULL;
  g_autoptr (GstCaps) caps = NULL;
  GstStructure *s;
  gint rate = 0, channels = 0;

  element_fixture_add_task (f, TEST_TASK_ID, "queued,completed");
  capture_init (&c);
  element_fixture_launch (f, "jimmyaudiosrc name=src is-live=true "
      "task-id=" TEST_TASK_ID " ! audio/x-raw,format=F32LE,rate=22050,"
      "channels=1 ! fakesink name=sink sync=true");
  sink = gst_bin_get_by_name (GST_BIN (f->pipeline), "sink");
  pad = gst_element_get_static_pad (sink, "sink");
  capture_sink (f, &c);
  pause_then_play (f);
  /* The task's audio flows, converted: a second of it. */
  wait_for_status (f, "completed");
  g_mutex_lock (&c.lock);
  {
    guint target_len = c.bytes->len + 22050 * 4;

    while (c.bytes->len < target_len)
      g_cond_wait (&c.cond, &c.lock);
  }
  g_mutex_unlock (&c.lock);
  g_assert_null (f->error);
  caps = gst_pad_get_current_caps (pad);
  g_assert_nonnull (caps);
  s = gst_caps_get_structure (caps, 0);
  g_assert_cmpstr (gst_structure_get_string (s, "format"), ==, "F32LE");
  g_assert_true (gst_structure_get_int (s, "rate", &rate));
  g_assert_true (gst_structure_get_int (s, "channels", &channels));
  g_assert_cmpint (rate, ==, 22050);
  g_assert_cmpint (channels, ==, 1);
  element_fixture_stop_promptly (f);
  capture_clear (&c);
}

static void
test_refuses_decode_false (ElementFixture * f, gconstpointer data)
{
  element_fixture_add_task (f, TEST_TASK_ID, "completed");
  launch_live (f, TEST_TASK_ID, "decode=false");
  g_assert_cmpint (gst_element_set_state (f->pipeline, GST_STATE_PAUSED), ==,
      GST_STATE_CHANGE_FAILURE);
  element_fixture_run (f, GST_STATE_PAUSED);
  element_fixture_assert_error (f, GST_RESOURCE_ERROR,
      GST_RESOURCE_ERROR_SETTINGS, "is-live=true needs decode=true");
  /* Nothing was asked of the API. */
  g_assert_cmpuint (jimmy_mock_server_count_requests (f->api, "/"), ==, 0);
  element_fixture_stop_promptly (f);
}

static void
test_is_live_mutable_ready (ElementFixture * f, gconstpointer data)
{
  gboolean live = FALSE;

  element_fixture_add_task (f, TEST_TASK_ID, "processing");
  launch_live (f, TEST_TASK_ID, NULL);
  g_assert_cmpint (gst_element_set_state (f->pipeline, GST_STATE_PAUSED), ==,
      GST_STATE_CHANGE_NO_PREROLL);
  g_test_expect_message (NULL, G_LOG_LEVEL_WARNING,
      "*\"is-live\" property cannot be changed in the PAUSED state*");
  g_object_set (f->src, "is-live", FALSE, NULL);
  g_test_assert_expected_messages ();
  g_object_get (f->src, "is-live", &live, NULL);
  g_assert_true (live);
  element_fixture_stop_promptly (f);
}

/* A cache hit: no API request, no silence to speak of, all the audio. */
static void
test_cache_hit (ElementFixture * f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("jimmy-live-XXXXXX", &error);
  g_autofree char *extra = g_strdup_printf ("cache-dir=\"%s\"", dir);
  g_autoptr (GByteArray) reference = NULL;
  Capture c;

  g_assert_no_error (error);
  element_fixture_add_task (f, TEST_TASK_ID, "completed");
  /* Fills the cache. */
  reference = decode_not_live (f, TEST_TASK_ID, extra);
  jimmy_mock_server_clear_requests (f->api);
  jimmy_mock_server_clear_requests (f->media);

  capture_init (&c);
  launch_live (f, TEST_TASK_ID, extra);
  capture_sink (f, &c);
  pause_then_play (f);
  element_fixture_run (f, GST_STATE_PLAYING);
  g_assert_null (f->error);
  g_assert_true (f->eos);
  g_mutex_lock (&c.lock);
  g_assert_true (c.offsets_contiguous);
  assert_silence_then (c.bytes, reference);
  g_mutex_unlock (&c.lock);
  g_assert_cmpuint (jimmy_mock_server_count_requests (f->api, "/"), ==, 0);
  g_assert_cmpuint (jimmy_mock_server_count_requests (f->media, "/"), ==, 0);
  g_assert_cmpuint (f->statuses->len, ==, 1);
  g_assert_cmpstr (element_fixture_status_at (f, 0), ==, "completed");
  element_fixture_stop_promptly (f);
  capture_clear (&c);

  {
    g_autoptr (GDir) d = g_dir_open (dir, 0, NULL);
    const char *name;

    /* The entry's directory, then the directory itself. */
    while (d != NULL && (name = g_dir_read_name (d)) != NULL) {
      g_autofree char *sub = g_build_filename (dir, name, NULL);
      g_autoptr (GDir) e = g_dir_open (sub, 0, NULL);
      const char *file;

      while (e != NULL && (file = g_dir_read_name (e)) != NULL) {
        g_autofree char *path = g_build_filename (sub, file, NULL);
        g_unlink (path);
      }
      g_rmdir (sub);
    }
    g_rmdir (dir);
  }
}

/* A failed task: the element's error, as without is-live; then the
 * silence ends with EOS, for consumers that keep running after errors. */
static void
test_failed_task (ElementFixture * f, gconstpointer data)
{
  gint64 deadline = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;
  Capture c;

  element_fixture_add_task (f, TEST_TASK_ID, "queued:20,failed");
  capture_init (&c);
  launch_live (f, TEST_TASK_ID, NULL);
  capture_sink (f, &c);
  pause_then_play (f);
  element_fixture_run (f, GST_STATE_PLAYING);
  element_fixture_assert_error (f, GST_RESOURCE_ERROR,
      GST_RESOURCE_ERROR_FAILED, NULL);

  g_mutex_lock (&c.lock);
  while (!c.eos)
    g_assert_true (g_cond_wait_until (&c.cond, &c.lock, deadline));
  g_assert_cmpuint (c.buffers, >, 0);
  for (guint i = 0; i < c.bytes->len; i++)
    g_assert_cmpint (c.bytes->data[i], ==, 0);
  g_mutex_unlock (&c.lock);
  element_fixture_stop_promptly (f);
  capture_clear (&c);
}

/* The expired-URL recovery: the audio resumes at the fresh audioUrl, and
 * the output still has all of it. */
static void
test_expired_url_resumed (ElementFixture * f, gconstpointer data)
{
  g_autoptr (GByteArray) reference = NULL;
  g_autoptr (GBytes) media = NULL;
  Capture c;

  reference = decode_reference (f);
  jimmy_mock_server_clear_requests (f->api);
  jimmy_mock_server_clear_requests (f->media);

  element_fixture_add_task (f, TEST_TASK_ID, "queued,completed");
  /* The first signed audioUrl serves half the file, then is refused. */
  media = element_fixture_read_media ();
  jimmy_mock_server_set_media_expiry (f->api, g_bytes_get_size (media) / 2);
  jimmy_mock_server_set_media_expiry (f->media, g_bytes_get_size (media) / 2);
  jimmy_mock_server_set_media_expiry_tokens (f->media, 1);
  capture_init (&c);
  launch_live (f, TEST_TASK_ID, NULL);
  capture_sink (f, &c);
  element_fixture_run (f, GST_STATE_PLAYING);
  g_assert_null (f->error);
  g_assert_true (f->eos);
  g_mutex_lock (&c.lock);
  g_assert_true (c.offsets_contiguous);
  assert_silence_then (c.bytes, reference);
  g_mutex_unlock (&c.lock);
  /* The cut request, maybe souphttpsrc's retry of it, the fresh one. */
  g_assert_cmpuint (jimmy_mock_server_count_requests (f->media, "/media/"),
      >=, 2);
  g_assert_cmpuint (jimmy_mock_server_count_requests (f->media, "/media/"),
      <=, 3);
  g_assert_cmpuint (jimmy_mock_server_count_requests (f->api,
          TEST_TASK_PATH), ==, 3);
  element_fixture_stop_promptly (f);
  capture_clear (&c);
}

/* Stops at every stage, to READY and to NULL: promptly, no hang. */
typedef enum
{
  STOP_PAUSED,                  /* before PLAYING, task queued */
  STOP_WAITING,                 /* playing silence, task processing */
  STOP_COMPLETED,               /* as the chain is being built */
  STOP_PLAYING_AUDIO,           /* once audio flows */
} StopAt;

static void
wait_for_status (ElementFixture * f, const char *status)
{
  g_autoptr (GstBus) bus = gst_element_get_bus (f->pipeline);

  while (TRUE) {
    GstMessage *message = gst_bus_timed_pop_filtered (bus, 30 * GST_SECOND,
        GST_MESSAGE_ELEMENT | GST_MESSAGE_ERROR);
    const GstStructure *s;
    gboolean found;

    g_assert_nonnull (message);
    g_assert_cmpint (GST_MESSAGE_TYPE (message), !=, GST_MESSAGE_ERROR);
    s = gst_message_get_structure (message);
    found = gst_structure_has_name (s, "jimmy-task-status")
        && g_strcmp0 (gst_structure_get_string (s, "status"), status) == 0;
    gst_message_unref (message);
    if (found)
      return;
  }
}

static void
stop_at (ElementFixture * f, StopAt when, GstState target)
{
  Capture c;

  element_fixture_add_task (f, TEST_TASK_ID, "queued:3,processing:10,"
      "completed");
  capture_init (&c);
  launch_live (f, TEST_TASK_ID, NULL);
  capture_sink (f, &c);
  if (when == STOP_PAUSED) {
    g_assert_cmpint (gst_element_set_state (f->pipeline, GST_STATE_PAUSED),
        ==, GST_STATE_CHANGE_NO_PREROLL);
    wait_for_status (f, "queued");
  } else {
    pause_then_play (f);
    wait_for_status (f, when == STOP_WAITING ? "processing" : "completed");
  }
  if (when == STOP_PLAYING_AUDIO) {
    guint target_len;

    /* A second of audio past the silence so far. */
    g_mutex_lock (&c.lock);
    target_len = c.bytes->len + RATE * BPF;
    while (c.bytes->len < target_len && !c.eos)
      g_cond_wait (&c.cond, &c.lock);
    g_mutex_unlock (&c.lock);
  }

  {
    gint64 start = g_get_monotonic_time ();

    g_assert_cmpint (gst_element_set_state (f->pipeline, target), ==,
        GST_STATE_CHANGE_SUCCESS);
    g_assert_cmpint (g_get_monotonic_time () - start, <, 5 * G_USEC_PER_SEC);
  }
  element_fixture_stop_promptly (f);
  capture_clear (&c);
}

static void
test_stop (ElementFixture * f, gconstpointer data)
{
  guint i = GPOINTER_TO_UINT (data);

  stop_at (f, i / 2, i % 2 ? GST_STATE_NULL : GST_STATE_READY);
}

/* Held in PAUSED until the task's audio is there, as gst-launch-1.0 does
 * while the progress is open: decodebin prerolls inside the bin, which
 * must not make the live bin lose its state; PLAYING then plays it all,
 * to EOS, through an async sink. */
static void
test_built_in_paused (ElementFixture * f, gconstpointer data)
{
  g_autoptr (GstBus) bus = NULL;
  Capture c;

  element_fixture_add_task (f, TEST_TASK_ID, "queued,processing:3,completed");
  capture_init (&c);
  launch_live (f, TEST_TASK_ID, NULL);
  capture_sink (f, &c);
  bus = gst_element_get_bus (f->pipeline);
  g_assert_cmpint (gst_element_set_state (f->pipeline, GST_STATE_PAUSED), ==,
      GST_STATE_CHANGE_NO_PREROLL);
  /* Progress COMPLETE: the decoded audio is linked to the stitch. */
  while (TRUE) {
    g_autoptr (GstMessage) message = gst_bus_timed_pop_filtered (bus,
        30 * GST_SECOND, GST_MESSAGE_PROGRESS | GST_MESSAGE_ERROR);
    GstProgressType type;

    g_assert_nonnull (message);
    g_assert_cmpint (GST_MESSAGE_TYPE (message), ==, GST_MESSAGE_PROGRESS);
    gst_message_parse_progress (message, &type, NULL, NULL);
    if (type == GST_PROGRESS_TYPE_COMPLETE)
      break;
  }
  element_fixture_run (f, GST_STATE_PLAYING);
  g_assert_null (f->error);
  g_assert_true (f->eos);
  g_mutex_lock (&c.lock);
  g_assert_true (c.offsets_contiguous);
  g_assert_cmpuint (c.bytes->len, >, 10 * RATE * BPF);
  g_mutex_unlock (&c.lock);
  element_fixture_stop_promptly (f);
  capture_clear (&c);
}

/* READY → PLAYING again: a second run negotiates and plays on its own. */
static void
test_restart (ElementFixture * f, gconstpointer data)
{
  Capture c;

  element_fixture_add_task (f, TEST_TASK_ID, "queued:3,processing:10,"
      "completed");
  capture_init (&c);
  launch_live (f, TEST_TASK_ID, NULL);
  capture_sink (f, &c);
  pause_then_play (f);
  wait_for_status (f, "processing");
  g_assert_cmpint (gst_element_set_state (f->pipeline, GST_STATE_READY), ==,
      GST_STATE_CHANGE_SUCCESS);
  g_mutex_lock (&c.lock);
  c.buffers = 0;                /* the new run's offsets start at 0 */
  g_mutex_unlock (&c.lock);
  /* The task completed meanwhile: the new run finds it so, and plays. */
  pause_then_play (f);
  wait_for_status (f, "completed");
  g_mutex_lock (&c.lock);
  {
    guint target_len = c.bytes->len + RATE * BPF;

    while (c.bytes->len < target_len)
      g_cond_wait (&c.cond, &c.lock);
  }
  g_assert_true (c.offsets_contiguous);
  g_mutex_unlock (&c.lock);
  element_fixture_stop_promptly (f);
  capture_clear (&c);
}

int
main (int argc, char **argv)
{
  static const char *stop_names[] = {
    "paused-ready", "paused-null", "waiting-ready", "waiting-null",
    "completed-ready", "completed-null", "audio-ready", "audio-null",
  };

  gst_init (&argc, &argv);
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func, data) \
  g_test_add ("/live-element/" path, ElementFixture, data, \
      element_fixture_set_up, func, element_fixture_tear_down)

  ADD ("silence-then-audio", test_silence_then_audio, NULL);
  ADD ("downstream-caps", test_downstream_caps, NULL);
  ADD ("refuses-decode-false", test_refuses_decode_false, NULL);
  ADD ("is-live-mutable-ready", test_is_live_mutable_ready, NULL);
  ADD ("cache-hit", test_cache_hit, NULL);
  ADD ("failed-task", test_failed_task, NULL);
  ADD ("expired-url-resumed", test_expired_url_resumed, NULL);
  ADD ("restart", test_restart, NULL);
  ADD ("built-in-paused", test_built_in_paused, NULL);
  for (guint i = 0; i < G_N_ELEMENTS (stop_names); i++) {
    g_autofree char *path = g_strdup_printf ("/live-element/stop/%s",
        stop_names[i]);

    g_test_add (path, ElementFixture, GUINT_TO_POINTER (i),
        element_fixture_set_up, test_stop, element_fixture_tear_down);
  }

  return g_test_run ();
}
