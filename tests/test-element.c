/* test-element.c: jimmyaudiosrc playing tasks from the mock API.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <string.h>

#include <gst/check/gstharness.h>

#include "blackhole.h"
#include "element-fixture.h"

#define ADD(path, func) \
  g_test_add ("/element/" path, ElementFixture, NULL, \
      element_fixture_set_up, func, element_fixture_tear_down)

static void
test_messages_queued_to_completed (ElementFixture * f, gconstpointer data)
{
  const GstStructure *s;
  gint64 created = 0;
  g_autofree char *status = NULL;
  g_autofree char *audio_url = NULL;
  g_autofree char *model_id = NULL;

  element_fixture_add_task (f, TEST_TASK_ID, "queued:2,processing:3,completed");
  element_fixture_launch (f, "jimmyaudiosrc name=src task-id=" TEST_TASK_ID
      " ! audioconvert ! fakesink sync=false");
  element_fixture_run (f, GST_STATE_PLAYING);

  g_assert_null (f->error);
  g_assert_true (f->eos);
  /* Exactly one message per status change. */
  g_assert_cmpuint (f->statuses->len, ==, 3);
  g_assert_cmpstr (element_fixture_status_at (f, 0), ==, "queued");
  g_assert_cmpstr (element_fixture_status_at (f, 1), ==, "processing");
  g_assert_cmpstr (element_fixture_status_at (f, 2), ==, "completed");

  s = g_ptr_array_index (f->statuses, 0);
  g_assert_cmpstr (gst_structure_get_string (s, "task-id"), ==, TEST_TASK_ID);
  g_assert_cmpstr (gst_structure_get_string (s, "model"), ==,
      "soundCloningClone");
  g_assert_true (gst_structure_get_int64 (s, "created", &created));
  g_assert_cmpint (created, ==, 1781777280);
  g_assert_false (gst_structure_has_field (s, "audio-url"));
  g_assert_false (gst_structure_has_field (s, "error"));

  s = g_ptr_array_index (f->statuses, 2);
  g_assert_cmpstr (gst_structure_get_string (s, "model-id"), ==,
      "model_123456789");
  g_assert_true (g_str_has_prefix (gst_structure_get_string (s, "audio-url"),
          jimmy_mock_server_get_base_url (f->media)));

  /* START, one CONTINUE per status, COMPLETE when the audio started. */
  g_assert_cmpstr (f->progress->str, ==, "SCCCK");

  g_object_get (f->src, "status", &status, "audio-url", &audio_url,
      "model-id", &model_id, NULL);
  g_assert_cmpstr (status, ==, "completed");
  g_assert_cmpstr (audio_url, ==, gst_structure_get_string (s, "audio-url"));
  g_assert_cmpstr (model_id, ==, "model_123456789");
}

#define RAW_CAPS "audio/x-raw,format=S16LE,channels=1"

/* Runs @description to EOS and returns the bytes its appsink "sink" got. */
static GBytes *
pull_all (const char *description)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GstElement) pipeline = gst_parse_launch (description, &error);
  g_autoptr (GstElement) sink = NULL;
  g_autoptr (GByteArray) bytes = g_byte_array_new ();
  GstSample *sample = NULL;

  g_assert_no_error (error);
  sink = gst_bin_get_by_name (GST_BIN (pipeline), "sink");
  g_assert_nonnull (sink);
  g_object_set (sink, "sync", FALSE, NULL);
  g_assert_cmpint (gst_element_set_state (pipeline, GST_STATE_PLAYING), !=,
      GST_STATE_CHANGE_FAILURE);

  while (TRUE) {
    GstMapInfo map;
    g_signal_emit_by_name (sink, "pull-sample", &sample);
    if (sample == NULL)
      break;
    g_assert_true (gst_buffer_map (gst_sample_get_buffer (sample), &map,
            GST_MAP_READ));
    g_byte_array_append (bytes, map.data, map.size);
    gst_buffer_unmap (gst_sample_get_buffer (sample), &map);
    gst_sample_unref (sample);
  }

  /* pull-sample returns NULL at EOS, or on error. */
  {
    g_autoptr (GstBus) bus = gst_element_get_bus (pipeline);
    g_autoptr (GstMessage) end = gst_bus_timed_pop_filtered (bus,
        30 * GST_SECOND, GST_MESSAGE_EOS | GST_MESSAGE_ERROR);
    g_assert_nonnull (end);
    g_assert_cmpint (GST_MESSAGE_TYPE (end), ==, GST_MESSAGE_EOS);
  }
  gst_element_set_state (pipeline, GST_STATE_NULL);
  return g_byte_array_free_to_bytes (g_steal_pointer (&bytes));
}

static void
test_decoded_length_matches (ElementFixture * f, gconstpointer data)
{
  g_autofree char *ours = NULL;
  g_autofree char *reference = NULL;
  g_autoptr (GBytes) decoded = NULL;
  g_autoptr (GBytes) expected = NULL;

  element_fixture_add_task (f, TEST_TASK_ID, "processing,completed");
  ours = g_strdup_printf ("jimmyaudiosrc task-id=" TEST_TASK_ID " api-key="
      TEST_API_KEY " api-url=%s poll-interval=10 ! audioconvert ! "
      RAW_CAPS " ! appsink name=sink",
      jimmy_mock_server_get_base_url (f->api));
  reference = g_strdup_printf ("filesrc location=\"%s\" ! decodebin ! "
      "audioconvert ! " RAW_CAPS " ! appsink name=sink",
      g_getenv ("JIMMY_MOCK_MEDIA"));

  decoded = pull_all (ours);
  expected = pull_all (reference);

  /* Several seconds of speech, every sample of it. */
  g_assert_cmpuint (g_bytes_get_size (expected), >, 44100 * 2 * 3);
  g_assert_cmpuint (g_bytes_get_size (decoded), ==,
      g_bytes_get_size (expected));
  g_assert_true (g_bytes_equal (decoded, expected));
}

static void
test_decode_false_byte_identical (ElementFixture * f, gconstpointer data)
{
  g_autoptr (GBytes) expected = element_fixture_read_media ();
  g_autoptr (GByteArray) got = g_byte_array_new ();
  GstHarness *h;
  GstBuffer *buffer;
  GstEvent *event;
  g_autoptr (GstCaps) caps = NULL;

  element_fixture_add_task (f, TEST_TASK_ID, "completed");
  h = gst_harness_new ("jimmyaudiosrc");
  g_object_set (h->element, "task-id", TEST_TASK_ID, "api-key", TEST_API_KEY,
      "api-url", jimmy_mock_server_get_base_url (f->api), "poll-interval", 10,
      "decode", FALSE, NULL);
  /* Not gst_harness_play(): it insists on a synchronous state change,
   * and this source prerolls asynchronously, by design. */
  g_assert_cmpint (gst_element_set_state (h->element, GST_STATE_PLAYING), ==,
      GST_STATE_CHANGE_ASYNC);

  /* Until EOS: the harness queues events and buffers separately. */
  while (TRUE) {
    GstMapInfo map;

    event = gst_harness_try_pull_event (h);
    if (event != NULL) {
      gboolean is_eos = GST_EVENT_TYPE (event) == GST_EVENT_EOS;
      gst_event_unref (event);
      if (is_eos && gst_harness_buffers_in_queue (h) == 0)
        break;
      continue;
    }
    buffer = gst_harness_pull (h);
    g_assert_nonnull (buffer);
    g_assert_true (gst_buffer_map (buffer, &map, GST_MAP_READ));
    g_byte_array_append (got, map.data, map.size);
    gst_buffer_unmap (buffer, &map);
    gst_buffer_unref (buffer);
    if (got->len >= g_bytes_get_size (expected))
      break;
  }

  caps = gst_pad_get_current_caps (h->sinkpad);
  g_assert_nonnull (caps);
  g_assert_true (gst_structure_has_name (gst_caps_get_structure (caps, 0),
          "audio/mpeg"));
  g_assert_cmpuint (got->len, ==, g_bytes_get_size (expected));
  g_assert_cmpmem (got->data, got->len, g_bytes_get_data (expected, NULL),
      g_bytes_get_size (expected));
  gst_harness_teardown (h);
}

static void
test_no_key_to_media_host (ElementFixture * f, gconstpointer data)
{
  g_autoptr (GPtrArray) media_requests = NULL;
  g_autoptr (GPtrArray) api_requests = NULL;
  guint i;

  element_fixture_add_task (f, TEST_TASK_ID, "processing,completed");
  element_fixture_launch (f, "jimmyaudiosrc name=src task-id=" TEST_TASK_ID
      " ! fakesink sync=false");
  element_fixture_run (f, GST_STATE_PLAYING);
  g_assert_null (f->error);

  api_requests = jimmy_mock_server_dup_requests (f->api);
  g_assert_cmpuint (api_requests->len, ==, 2);
  for (i = 0; i < api_requests->len; i++) {
    JimmyMockRequest *r = g_ptr_array_index (api_requests, i);
    g_assert_cmpstr (r->authorization, ==, "Bearer " TEST_API_KEY);
  }

  media_requests = jimmy_mock_server_dup_requests (f->media);
  g_assert_cmpuint (media_requests->len, >=, 1);
  for (i = 0; i < media_requests->len; i++) {
    JimmyMockRequest *r = g_ptr_array_index (media_requests, i);
    g_assert_true (g_str_has_prefix (r->path, "/media/"));
    g_assert_null (r->authorization);
  }
}

static void
test_get_state_waits_for_task (ElementFixture * f, gconstpointer data)
{
  GstState state, pending;

  element_fixture_add_task (f, TEST_TASK_ID, "hang,completed");
  element_fixture_launch (f, "jimmyaudiosrc name=src task-id=" TEST_TASK_ID
      " ! fakesink");

  g_assert_cmpint (gst_element_set_state (f->pipeline, GST_STATE_PAUSED), ==,
      GST_STATE_CHANGE_ASYNC);
  g_assert_true (jimmy_mock_server_wait_for_requests (f->api, TEST_TASK_PATH,
          1, 10000));
  /* The poll is held by the server: preroll cannot be done. */
  g_assert_cmpint (gst_element_get_state (f->pipeline, &state, &pending, 0),
      ==, GST_STATE_CHANGE_ASYNC);
  g_assert_cmpint (pending, ==, GST_STATE_PAUSED);

  jimmy_mock_server_release_held (f->api);
  g_assert_cmpint (gst_element_get_state (f->pipeline, &state, &pending,
          30 * GST_SECOND), ==, GST_STATE_CHANGE_SUCCESS);
  g_assert_cmpint (state, ==, GST_STATE_PAUSED);
}

typedef struct {
  GMutex lock;
  GCond cond;
  gboolean finalized;
} FinalizeWatch;

static void
on_finalized (gpointer data, GObject * where_the_object_was)
{
  FinalizeWatch *watch = data;

  g_mutex_lock (&watch->lock);
  watch->finalized = TRUE;
  g_cond_signal (&watch->cond);
  g_mutex_unlock (&watch->lock);
}

static void
test_null_during_poll (ElementFixture * f, gconstpointer data)
{
  FinalizeWatch watch = { 0, };
  gint64 start, elapsed, deadline;

  element_fixture_add_task (f, TEST_TASK_ID, "hang");
  element_fixture_launch (f, "jimmyaudiosrc name=src task-id=" TEST_TASK_ID
      " ! fakesink");
  g_object_weak_ref (G_OBJECT (f->src), on_finalized, &watch);

  gst_element_set_state (f->pipeline, GST_STATE_PLAYING);
  g_assert_true (jimmy_mock_server_wait_for_requests (f->api, TEST_TASK_PATH,
          1, 10000));

  start = g_get_monotonic_time ();
  g_assert_cmpint (gst_element_set_state (f->pipeline, GST_STATE_NULL), ==,
      GST_STATE_CHANGE_SUCCESS);
  elapsed = g_get_monotonic_time () - start;
  /* The poll stays held by the server: NULL must not wait for it. */
  g_assert_cmpint (elapsed, <, G_USEC_PER_SEC);

  gst_clear_object (&f->pipeline);
  /* The poller thread drops its last ref once the cancel reached it. */
  deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;
  g_mutex_lock (&watch.lock);
  while (!watch.finalized && g_cond_wait_until (&watch.cond, &watch.lock,
          deadline));
  g_assert_true (watch.finalized);
  g_mutex_unlock (&watch.lock);
}

/* MUTABLE_READY settings are refused while a run plays with a copy: one
 * warning naming the property and the state, and the value read back is
 * the one in use. The same for a jimmy:// URI. */
static void
test_settings_refused_while_running (ElementFixture * f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autofree gchar *task_id = NULL;
  guint interval = 0;

  element_fixture_add_task (f, TEST_TASK_ID, "hang");
  element_fixture_launch (f, "jimmyaudiosrc name=src task-id=" TEST_TASK_ID
      " ! fakesink");
  /* Prerolling: the task never completes. */
  g_assert_cmpint (gst_element_set_state (f->pipeline, GST_STATE_PAUSED), ==,
      GST_STATE_CHANGE_ASYNC);

  g_test_expect_message (NULL, G_LOG_LEVEL_WARNING,
      "src: the \"task-id\" property cannot be changed in the PAUSED "
      "state; set the element to READY or NULL first");
  g_object_set (f->src, "task-id", "audio_other", NULL);
  g_test_assert_expected_messages ();
  g_object_get (f->src, "task-id", &task_id, NULL);
  g_assert_cmpstr (task_id, ==, TEST_TASK_ID);

  g_test_expect_message (NULL, G_LOG_LEVEL_WARNING,
      "*\"poll-interval\" property cannot be changed in the PAUSED state*");
  g_object_set (f->src, "poll-interval", 5000, NULL);
  g_test_assert_expected_messages ();
  g_object_get (f->src, "poll-interval", &interval, NULL);
  g_assert_cmpuint (interval, ==, 10);

  g_assert_false (gst_uri_handler_set_uri (GST_URI_HANDLER (f->src),
          "jimmy://audio_other", &error));
  g_assert_error (error, GST_URI_ERROR, GST_URI_ERROR_BAD_STATE);
  g_clear_error (&error);

  /* Asked for PLAYING (still prerolling, so still PAUSED): the same. */
  gst_element_set_state (f->pipeline, GST_STATE_PLAYING);
  g_test_expect_message (NULL, G_LOG_LEVEL_WARNING,
      "*\"api-key\" property cannot be changed in the PAUSED state*");
  g_object_set (f->src, "api-key", "sk_other", NULL);
  g_test_assert_expected_messages ();

  /* Back in READY, settings change again. */
  g_assert_cmpint (gst_element_set_state (f->pipeline, GST_STATE_READY), ==,
      GST_STATE_CHANGE_SUCCESS);
  g_object_set (f->src, "poll-interval", 5000, NULL);
  g_object_get (f->src, "poll-interval", &interval, NULL);
  g_assert_cmpuint (interval, ==, 5000);
  g_assert_true (gst_uri_handler_set_uri (GST_URI_HANDLER (f->src),
          "jimmy://audio_other", &error));
  g_assert_no_error (error);
}

static void
test_tags_merged (ElementFixture * f, gconstpointer data)
{
  g_autofree gchar *title = NULL;
  g_autofree gchar *codec = NULL;
  g_autofree gchar *comment = NULL;

  element_fixture_add_task (f, TEST_TASK_ID, "processing,completed");
  element_fixture_launch (f, "jimmyaudiosrc name=src task-id=" TEST_TASK_ID
      " ! audioconvert ! fakesink sync=false");
  element_fixture_run (f, GST_STATE_PLAYING);
  g_assert_null (f->error);

  /* What the sink received: ours, merged with the stream's own. */
  g_assert_nonnull (f->sink_tags);
  g_assert_true (gst_tag_list_get_string (f->sink_tags, GST_TAG_TITLE,
          &title));
  g_assert_cmpstr (title, ==, TEST_TASK_ID);
  g_assert_true (gst_tag_list_get_string (f->sink_tags, GST_TAG_COMMENT,
          &comment));
  g_assert_nonnull (strstr (comment, TEST_TASK_ID));
  g_assert_true (gst_tag_list_get_string (f->sink_tags, GST_TAG_AUDIO_CODEC,
          &codec));
  g_assert_nonnull (strstr (codec, "MP3"));
}

/* First buffer timestamp at the sink after a seek. */
static GstPadProbeReturn
on_sink_buffer (GstPad * pad, GstPadProbeInfo * info, gpointer user_data)
{
  GstClockTime *first_pts = user_data;

  if (*first_pts == GST_CLOCK_TIME_NONE)
    *first_pts = GST_BUFFER_PTS (GST_PAD_PROBE_INFO_BUFFER (info));
  return GST_PAD_PROBE_OK;
}

static void
test_duration_and_seek (ElementFixture * f, gconstpointer data)
{
  g_autoptr (GstElement) sink = NULL;
  g_autoptr (GstPad) sinkpad = NULL;
  g_autoptr (GPtrArray) media_requests = NULL;
  GstClockTime first_pts = GST_CLOCK_TIME_NONE;
  gint64 duration = -1;
  gboolean ranged = FALSE;
  guint i;

  element_fixture_add_task (f, TEST_TASK_ID, "completed");
  element_fixture_launch (f, "jimmyaudiosrc name=src task-id=" TEST_TASK_ID
      " ! audioconvert ! fakesink name=sink sync=false");
  g_assert_cmpint (gst_element_set_state (f->pipeline, GST_STATE_PAUSED), ==,
      GST_STATE_CHANGE_ASYNC);
  g_assert_cmpint (gst_element_get_state (f->pipeline, NULL, NULL,
          30 * GST_SECOND), ==, GST_STATE_CHANGE_SUCCESS);

  /* The bundled speech lasts 10.9 s. */
  g_assert_true (gst_element_query_duration (f->pipeline, GST_FORMAT_TIME,
          &duration));
  g_assert_cmpint (duration, >, 10 * GST_SECOND);
  g_assert_cmpint (duration, <, 12 * GST_SECOND);

  sink = gst_bin_get_by_name (GST_BIN (f->pipeline), "sink");
  sinkpad = gst_element_get_static_pad (sink, "sink");
  g_assert_true (gst_element_seek_simple (f->pipeline, GST_FORMAT_TIME,
          GST_SEEK_FLAG_FLUSH | GST_SEEK_FLAG_ACCURATE, 5 * GST_SECOND));
  g_assert_cmpint (gst_element_get_state (f->pipeline, NULL, NULL,
          30 * GST_SECOND), ==, GST_STATE_CHANGE_SUCCESS);
  gst_pad_add_probe (sinkpad, GST_PAD_PROBE_TYPE_BUFFER, on_sink_buffer,
      &first_pts, NULL);
  element_fixture_run (f, GST_STATE_PLAYING);
  g_assert_null (f->error);
  g_assert_true (f->eos);

  /* Playback resumed at the seek target... */
  g_assert_cmpuint (first_pts, !=, GST_CLOCK_TIME_NONE);
  g_assert_cmpuint (first_pts, >=, 4 * GST_SECOND);
  g_assert_cmpuint (first_pts, <=, 6 * GST_SECOND);
  /* ...through an HTTP range request to the media host. */
  media_requests = jimmy_mock_server_dup_requests (f->media);
  for (i = 0; i < media_requests->len; i++) {
    JimmyMockRequest *r = g_ptr_array_index (media_requests, i);
    if (r->range != NULL && !g_str_has_prefix (r->range, "bytes=0-"))
      ranged = TRUE;
  }
  g_assert_true (ranged);
}

static void
test_progress_canceled (ElementFixture * f, gconstpointer data)
{
  g_autoptr (GstBus) bus = NULL;
  GstMessage *message;

  element_fixture_add_task (f, TEST_TASK_ID, "queued,hang");
  element_fixture_launch (f, "jimmyaudiosrc name=src task-id=" TEST_TASK_ID
      " ! fakesink");
  bus = gst_element_get_bus (f->pipeline);
  gst_element_set_state (f->pipeline, GST_STATE_PLAYING);
  g_assert_true (jimmy_mock_server_wait_for_requests (f->api, TEST_TASK_PATH,
          2, 10000));
  /* READY, not NULL: a pipeline at NULL flushes its bus. */
  g_assert_cmpint (gst_element_set_state (f->pipeline, GST_STATE_READY), ==,
      GST_STATE_CHANGE_SUCCESS);

  while ((message = gst_bus_pop_filtered (bus, GST_MESSAGE_PROGRESS))) {
    GstProgressType type;
    gst_message_parse_progress (message, &type, NULL, NULL);
    g_string_append_c (f->progress, "SCKXE"[type]);
    gst_message_unref (message);
  }
  g_assert_cmpstr (f->progress->str, ==, "SCX");
}

static void
test_restart (ElementFixture * f, gconstpointer data)
{
  element_fixture_add_task (f, TEST_TASK_ID, "processing,completed");
  element_fixture_launch (f, "jimmyaudiosrc name=src task-id=" TEST_TASK_ID
      " ! audioconvert ! fakesink sync=false");

  element_fixture_run (f, GST_STATE_PLAYING);
  g_assert_null (f->error);
  g_assert_true (f->eos);
  g_assert_cmpint (gst_element_set_state (f->pipeline, GST_STATE_NULL), ==,
      GST_STATE_CHANGE_SUCCESS);

  /* The script's last step repeats: the second run sees "completed". */
  f->eos = FALSE;
  g_ptr_array_set_size (f->statuses, 0);
  element_fixture_run (f, GST_STATE_PLAYING);
  g_assert_null (f->error);
  g_assert_true (f->eos);
  g_assert_cmpuint (f->statuses->len, ==, 1);
  g_assert_cmpstr (element_fixture_status_at (f, 0), ==, "completed");
}

static void
test_completion_races_shutdown (ElementFixture * f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GSocket) hole = NULL;
  g_autofree char *hole_url = NULL;
  guint i;

  element_fixture_add_task (f, TEST_TASK_ID, "completed");
  element_fixture_launch (f, "jimmyaudiosrc name=src task-id=" TEST_TASK_ID
      " ! audioconvert ! fakesink sync=false");

  /* Stop at every point: before the poll, during it, while the chain is
   * being built. The media host never answers meanwhile: souphttpsrc
   * stopped after a response arrived (even a 404's) can crash in
   * libsoup (docs/reliability.md, "Known upstream problems"), which is
   * not what this test is about. */
  hole = test_blackhole_open (&hole_url, &error);
  g_assert_no_error (error);
  jimmy_mock_server_set_media_base_url (f->api, hole_url);
  for (i = 0; i < 40; i++) {
    gst_element_set_state (f->pipeline, GST_STATE_PLAYING);
    if (i % 4 != 0)
      g_usleep (i * 500);       /* spreads the stop over the start-up */
    g_assert_cmpint (gst_element_set_state (f->pipeline, GST_STATE_NULL), ==,
        GST_STATE_CHANGE_SUCCESS);
  }
  g_socket_close (hole, NULL);

  /* Still works afterwards. */
  jimmy_mock_server_set_media_base_url (f->api,
      jimmy_mock_server_get_base_url (f->media));
  element_fixture_run (f, GST_STATE_PLAYING);
  g_assert_null (f->error);
  g_assert_true (f->eos);
}

/* $http_proxy names a port where nothing listens: the audio plays only
 * if its download goes direct, as proxy="" and $no_proxy say. Left to
 * its own default, souphttpsrc would take $http_proxy for every URL. */
static void
play_beside_dead_env_proxy (ElementFixture * f, const char *proxy,
    const char *no_proxy)
{
  g_setenv ("http_proxy", "http://127.0.0.1:1", TRUE);
  g_setenv ("no_proxy", no_proxy, TRUE);

  element_fixture_add_task (f, TEST_TASK_ID, "completed");
  element_fixture_launch (f, "jimmyaudiosrc name=src task-id=" TEST_TASK_ID
      " ! fakesink sync=false");
  g_object_set (f->src, "proxy", proxy, NULL);
  element_fixture_run_to_eos (f);
  g_assert_cmpuint (jimmy_mock_server_count_requests (f->media, "/"), >=, 1);

  /* As tests/meson.build sets them. */
  g_setenv ("http_proxy", "", TRUE);
  g_setenv ("no_proxy", "", TRUE);
}

static void
test_empty_proxy_beats_environment (ElementFixture * f, gconstpointer data)
{
  play_beside_dead_env_proxy (f, "", "");
}

static void
test_no_proxy_exempts_media_host (ElementFixture * f, gconstpointer data)
{
  play_beside_dead_env_proxy (f, NULL, "localhost,127.0.0.1");
}

static void
test_environment_defaults (ElementFixture * f, gconstpointer data)
{
  g_autoptr (GstElement) src = gst_element_factory_make ("jimmyaudiosrc",
      NULL);
  g_autofree char *api_url = NULL;

  g_setenv ("JIMMY_API_URL", jimmy_mock_server_get_base_url (f->api), TRUE);
  g_setenv ("JIMMY_API_KEY", TEST_API_KEY, TRUE);
  g_object_get (src, "api-url", &api_url, NULL);
  g_assert_cmpstr (api_url, ==, jimmy_mock_server_get_base_url (f->api));

  element_fixture_add_task (f, TEST_TASK_ID, "completed");
  f->pipeline = gst_parse_launch ("jimmyaudiosrc name=src poll-interval=10 "
      "task-id=" TEST_TASK_ID " ! fakesink sync=false", NULL);
  element_fixture_run (f, GST_STATE_PLAYING);
  g_assert_null (f->error);
  g_assert_true (f->eos);

  g_unsetenv ("JIMMY_API_URL");
  g_unsetenv ("JIMMY_API_KEY");
}

static void
test_property_beats_environment (ElementFixture * f, gconstpointer data)
{
  g_setenv ("JIMMY_API_KEY", "sk_from_environment", TRUE);
  g_setenv ("JIMMY_API_URL", "http://127.0.0.1:1", TRUE);

  element_fixture_add_task (f, TEST_TASK_ID, "completed");
  element_fixture_launch (f, "jimmyaudiosrc name=src task-id=" TEST_TASK_ID
      " ! fakesink sync=false");
  element_fixture_run (f, GST_STATE_PLAYING);
  g_assert_null (f->error);
  g_assert_true (f->eos);

  g_unsetenv ("JIMMY_API_URL");
  g_unsetenv ("JIMMY_API_KEY");
}

static void
test_api_key_write_only (void)
{
  g_autoptr (GstElement) src = gst_element_factory_make ("jimmyaudiosrc",
      NULL);
  GParamSpec *pspec = g_object_class_find_property (G_OBJECT_GET_CLASS (src),
      "api-key");

  g_assert_nonnull (pspec);
  g_assert_true (pspec->flags & G_PARAM_WRITABLE);
  g_assert_false (pspec->flags & G_PARAM_READABLE);
}

static void
test_pad_and_metadata (void)
{
  g_autoptr (GstElement) src = gst_element_factory_make ("jimmyaudiosrc",
      NULL);
  g_autoptr (GstPad) pad = gst_element_get_static_pad (src, "src");
  GstElementFactory *factory = gst_element_get_factory (src);

  g_assert_nonnull (pad);
  g_assert_true (GST_IS_GHOST_PAD (pad));
  g_assert_null (gst_ghost_pad_get_target (GST_GHOST_PAD (pad)));
  g_assert_true (GST_IS_BIN (src));
  g_assert_true (GST_OBJECT_FLAG_IS_SET (src, GST_ELEMENT_FLAG_SOURCE));
  g_assert_cmpstr (gst_element_factory_get_metadata (factory,
          GST_ELEMENT_METADATA_KLASS), ==, "Source/Audio/Network");
}

int
main (int argc, char **argv)
{
  gst_init (NULL, NULL);
  g_test_init (&argc, &argv, NULL);

  ADD ("messages-queued-to-completed", test_messages_queued_to_completed);
  ADD ("decoded-length-matches", test_decoded_length_matches);
  ADD ("decode-false-byte-identical", test_decode_false_byte_identical);
  ADD ("no-key-to-media-host", test_no_key_to_media_host);
  ADD ("get-state-waits-for-task", test_get_state_waits_for_task);
  ADD ("null-during-poll", test_null_during_poll);
  ADD ("settings-refused-while-running",
      test_settings_refused_while_running);
  ADD ("tags-merged", test_tags_merged);
  ADD ("duration-and-seek", test_duration_and_seek);
  ADD ("progress-canceled", test_progress_canceled);
  ADD ("restart", test_restart);
  ADD ("completion-races-shutdown", test_completion_races_shutdown);
  ADD ("environment-defaults", test_environment_defaults);
  ADD ("property-beats-environment", test_property_beats_environment);
  ADD ("empty-proxy-beats-environment", test_empty_proxy_beats_environment);
  ADD ("no-proxy-exempts-media-host", test_no_proxy_exempts_media_host);
  g_test_add_func ("/element/api-key-write-only", test_api_key_write_only);
  g_test_add_func ("/element/pad-and-metadata", test_pad_and_metadata);

  return g_test_run ();
}
