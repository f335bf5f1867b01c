/* test-cache.c: cache-dir keeps a completed task's audio, replays it with
 * no API request, and refetches damaged or partial entries.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <string.h>

#include <glib/gstdio.h>

#include "element-fixture.h"

typedef struct {
  ElementFixture base;
  char *cache_dir;              /* (owned) */
} CacheFixture;

static void
cache_fixture_set_up (CacheFixture * f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;

  element_fixture_set_up (&f->base, data);
  f->cache_dir = g_dir_make_tmp ("jimmy-cache-XXXXXX", &error);
  g_assert_no_error (error);
  element_fixture_add_task (&f->base, TEST_TASK_ID, "processing,completed");
}

static void
remove_dir (const char *path)
{
  g_autoptr (GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL) {
    g_autofree char *file = g_build_filename (path, name, NULL);
    if (g_file_test (file, G_FILE_TEST_IS_DIR))
      remove_dir (file);
    else
      g_unlink (file);
  }
  g_rmdir (path);
}

static void
cache_fixture_tear_down (CacheFixture * f, gconstpointer data)
{
  remove_dir (f->cache_dir);
  g_free (f->cache_dir);
  element_fixture_tear_down (&f->base, data);
}

static gint
compare_names (gconstpointer a, gconstpointer b)
{
  return g_strcmp0 (*(const char **) a, *(const char **) b);
}

static void
add_names (GPtrArray * names, const char *path)
{
  g_autoptr (GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while ((name = g_dir_read_name (dir)) != NULL) {
    g_autofree char *file = g_build_filename (path, name, NULL);
    if (g_file_test (file, G_FILE_TEST_IS_DIR))
      add_names (names, file);
    else
      g_ptr_array_add (names, g_str_has_suffix (name, ".json") ?
          g_strdup ("record") : g_strdup (name));
  }
}

/* Names in the cache directory and its entries' directories, sorted,
 * joined by spaces. */
static char *
list_cache (CacheFixture * f)
{
  g_autoptr (GPtrArray) names = g_ptr_array_new_with_free_func (g_free);

  add_names (names, f->cache_dir);
  g_ptr_array_sort (names, compare_names);
  g_ptr_array_add (names, NULL);
  return g_strjoinv (" ", (char **) names->pdata);
}

static void
count_buffer (guint * count)
{
  (*count)++;
}

static char *
entry_file (CacheFixture * f, const char *name)
{
  g_autofree char *hash = g_compute_checksum_for_string (G_CHECKSUM_SHA256,
      TEST_TASK_ID, -1);

  return g_build_filename (f->cache_dir, hash, name, NULL);
}

/* Plays @task_id once with decode=false and @extra properties on the
 * element (and, with subtitles=true in @extra, its subtitle pad into a
 * fakesink, whose buffers @subtitle_texts gets); returns the bytes it
 * gave. */
static GBytes *
play_full (CacheFixture * f, const char *task_id, const char *extra,
    guint * subtitle_buffers)
{
  ElementFixture *e = &f->base;
  g_autofree char *description = g_strdup_printf ("jimmyaudiosrc name=src "
      "decode=false cache-dir=\"%s\" task-id=%s %s ! "
      "appsink name=sink sync=false emit-signals=false%s", f->cache_dir,
      task_id, extra, subtitle_buffers != NULL ?
      " src.subtitle ! fakesink name=text sync=false signal-handoffs=true" :
      "");
  g_autoptr (GstElement) sink = NULL;
  g_autoptr (GByteArray) bytes = g_byte_array_new ();
  GstSample *sample;

  element_fixture_stop (e);
  g_ptr_array_set_size (e->statuses, 0);
  e->eos = FALSE;
  jimmy_mock_server_clear_requests (e->api);
  jimmy_mock_server_clear_requests (e->media);
  element_fixture_launch (e, description);
  if (subtitle_buffers != NULL) {
    g_autoptr (GstElement) text = gst_bin_get_by_name (GST_BIN (e->pipeline),
        "text");
    *subtitle_buffers = 0;
    g_signal_connect_swapped (text, "handoff", G_CALLBACK (count_buffer),
        subtitle_buffers);
  }
  sink = gst_bin_get_by_name (GST_BIN (e->pipeline), "sink");
  gst_element_set_state (e->pipeline, GST_STATE_PLAYING);

  while (TRUE) {
    GstMapInfo map;
    g_signal_emit_by_name (sink, "pull-sample", &sample);
    if (sample == NULL)
      break;
    gst_buffer_map (gst_sample_get_buffer (sample), &map, GST_MAP_READ);
    g_byte_array_append (bytes, map.data, map.size);
    gst_buffer_unmap (gst_sample_get_buffer (sample), &map);
    gst_sample_unref (sample);
  }
  /* Reads the bus to the end: statuses, warnings, EOS. */
  element_fixture_run (e, GST_STATE_PLAYING);
  g_assert_null (e->error);
  g_assert_true (e->eos);
  /* Stopping commits nothing more: the entry was complete at EOS. */
  element_fixture_stop (e);
  return g_byte_array_free_to_bytes (g_steal_pointer (&bytes));
}

static GBytes *
play (CacheFixture * f)
{
  return play_full (f, TEST_TASK_ID, "", NULL);
}

static void
test_replay_without_api (CacheFixture * f, gconstpointer data)
{
  g_autoptr (GBytes) served = element_fixture_read_media ();
  g_autoptr (GBytes) first = NULL;
  g_autoptr (GBytes) second = NULL;
  g_autofree char *listing = NULL;

  first = play (f);
  g_assert_true (g_bytes_equal (first, served));
  g_assert_cmpuint (jimmy_mock_server_count_requests (f->base.api,
          TEST_TASK_PATH), ==, 2);
  listing = list_cache (f);
  g_assert_cmpstr (listing, ==, "audio record");

  second = play (f);
  g_assert_true (g_bytes_equal (second, served));
  /* No API request, no media download: the disk had it all. */
  g_assert_cmpuint (jimmy_mock_server_count_requests (f->base.api, "/"), ==,
      0);
  g_assert_cmpuint (f->base.statuses->len, ==, 1);
  g_assert_cmpstr (gst_structure_get_string (g_ptr_array_index
          (f->base.statuses, 0), "status"), ==, "completed");
}

static void
damage_and_replay (CacheFixture * f, gboolean truncate)
{
  g_autoptr (GBytes) served = element_fixture_read_media ();
  g_autoptr (GBytes) first = NULL;
  g_autoptr (GBytes) again = NULL;
  g_autoptr (GBytes) third = NULL;
  g_autofree char *audio = entry_file (f, "audio");
  g_autofree char *contents = NULL;
  gsize length;

  first = play (f);
  g_assert_true (g_file_get_contents (audio, &contents, &length, NULL));
  if (truncate)
    length /= 2;
  else
    contents[length / 2] ^= 0x55;
  g_assert_true (g_file_set_contents (audio, contents, length, NULL));

  /* Detected, deleted and fetched again, in full (the task's script now
   * answers "completed" at once). */
  again = play (f);
  g_assert_true (g_bytes_equal (again, served));
  g_assert_cmpuint (jimmy_mock_server_count_requests (f->base.api,
          TEST_TASK_PATH), ==, 1);
  g_assert_cmpuint (jimmy_mock_server_count_requests (f->base.media,
          "/media/"), >=, 1);

  /* And the new entry is good. */
  third = play (f);
  g_assert_true (g_bytes_equal (third, served));
  g_assert_cmpuint (jimmy_mock_server_count_requests (f->base.api, "/"), ==,
      0);
}

static void
test_damaged_entry_refetched (CacheFixture * f, gconstpointer data)
{
  damage_and_replay (f, FALSE);
}

static void
test_partial_entry_refetched (CacheFixture * f, gconstpointer data)
{
  damage_and_replay (f, TRUE);
}

static void
test_record_without_audio_refetched (CacheFixture * f, gconstpointer data)
{
  g_autoptr (GBytes) first = NULL;
  g_autoptr (GBytes) again = NULL;
  g_autofree char *audio = entry_file (f, "audio");

  first = play (f);
  g_assert_cmpint (g_unlink (audio), ==, 0);
  again = play (f);
  g_assert_cmpuint (jimmy_mock_server_count_requests (f->base.api,
          TEST_TASK_PATH), ==, 1);
}

static void
stop_to_ready (GstElement * pipeline, gpointer user_data)
{
  gst_element_set_state (pipeline, GST_STATE_READY);
}

static GstPadProbeReturn
on_first_buffer (GstPad * pad, GstPadProbeInfo * info, gpointer user_data)
{
  ElementFixture *e = user_data;

  /* Real-time playback has barely started: stop it, from another thread
   * (not the streaming thread, which the stop joins). */
  gst_element_call_async (e->pipeline, stop_to_ready, NULL, NULL);
  return GST_PAD_PROBE_REMOVE;
}

static void
test_interrupted_download_not_cached (CacheFixture * f, gconstpointer data)
{
  ElementFixture *e = &f->base;
  g_autofree char *description = g_strdup_printf ("jimmyaudiosrc name=src "
      "cache-dir=\"%s\" task-id=" TEST_TASK_ID " ! audioconvert ! "
      "fakesink name=sink sync=true", f->cache_dir);
  g_autoptr (GstElement) sink = NULL;
  g_autoptr (GstPad) pad = NULL;
  g_autofree char *listing = NULL;
  GstState state = GST_STATE_VOID_PENDING;

  element_fixture_launch (e, description);
  sink = gst_bin_get_by_name (GST_BIN (e->pipeline), "sink");
  pad = gst_element_get_static_pad (sink, "sink");
  gst_pad_add_probe (pad, GST_PAD_PROBE_TYPE_BUFFER, on_first_buffer, e,
      NULL);
  gst_element_set_state (e->pipeline, GST_STATE_PLAYING);
  while (state != GST_STATE_READY)
    gst_element_get_state (e->pipeline, &state, NULL, GST_SECOND);
  element_fixture_stop (e);

  /* Neither an entry nor a temporary file is left. */
  listing = list_cache (f);
  g_assert_cmpstr (listing, ==, "");
}

#define OTHER_TASK_ID "audio_0c9e7f4a-1b2d-4e6f-8a9b-0c1d2e3f4a5b"

static char *
entry_dir_of (CacheFixture * f, const char *task_id)
{
  g_autofree char *hash = g_compute_checksum_for_string (G_CHECKSUM_SHA256,
      task_id, -1);

  return g_build_filename (f->cache_dir, hash, NULL);
}

/* cache-max-size: storing a second task evicts the least recently used
 * entry, so that the cache fits. */
static void
test_max_size_evicts (CacheFixture * f, gconstpointer data)
{
  g_autoptr (GBytes) served = element_fixture_read_media ();
  g_autoptr (GBytes) first = NULL;
  g_autoptr (GBytes) second = NULL;
  g_autoptr (GBytes) third = NULL;
  g_autofree char *extra = NULL;
  g_autofree char *dir_a = entry_dir_of (f, TEST_TASK_ID);
  g_autofree char *dir_b = entry_dir_of (f, OTHER_TASK_ID);

  /* Room for one entry (audio and record), not two. */
  extra = g_strdup_printf ("cache-max-size=%" G_GSIZE_FORMAT,
      g_bytes_get_size (served) * 3 / 2);
  element_fixture_add_task (&f->base, OTHER_TASK_ID, "completed");

  first = play_full (f, TEST_TASK_ID, extra, NULL);
  g_assert_true (g_file_test (dir_a, G_FILE_TEST_IS_DIR));
  second = play_full (f, OTHER_TASK_ID, extra, NULL);
  g_assert_true (g_bytes_equal (second, served));
  g_assert_true (g_file_test (dir_b, G_FILE_TEST_IS_DIR));
  g_assert_false (g_file_test (dir_a, G_FILE_TEST_EXISTS));

  /* The kept one replays from disk. */
  third = play_full (f, OTHER_TASK_ID, extra, NULL);
  g_assert_cmpuint (jimmy_mock_server_count_requests (f->base.api, "/"), ==,
      0);
}

/* A hit makes no request, so it needs no key; a miss does. */
static void
test_hit_without_key (CacheFixture * f, gconstpointer data)
{
  ElementFixture *e = &f->base;
  g_autoptr (GBytes) served = element_fixture_read_media ();
  g_autoptr (GBytes) first = NULL;
  g_autoptr (GBytes) again = NULL;
  g_autofree char *description = NULL;

  g_unsetenv ("JIMMY_API_KEY");
  first = play (f);
  /* element_fixture_launch sets the key: take it away again. */
  again = play_full (f, TEST_TASK_ID, "api-key=\"\"", NULL);
  g_assert_true (g_bytes_equal (again, served));
  g_assert_cmpuint (jimmy_mock_server_count_requests (e->api, "/"), ==, 0);

  /* A miss without a key: the same SETTINGS error as without a cache,
   * once the cache said no, and still no request. */
  element_fixture_add_task (e, OTHER_TASK_ID, "completed");
  element_fixture_stop (e);
  e->eos = FALSE;
  jimmy_mock_server_clear_requests (e->api);
  description = g_strdup_printf ("jimmyaudiosrc name=src cache-dir=\"%s\" "
      "task-id=" OTHER_TASK_ID " ! fakesink sync=false", f->cache_dir);
  element_fixture_launch (e, description);
  g_object_set (e->src, "api-key", NULL, NULL);
  element_fixture_run_to_error (e, GST_RESOURCE_ERROR,
      GST_RESOURCE_ERROR_SETTINGS, "No API key for task \"" OTHER_TASK_ID
      "\"");
  g_assert_cmpuint (jimmy_mock_server_count_requests (e->api, "/"), ==, 0);
}

/* Subtitles are stored with their audio and replayed from disk: the
 * second play needs neither the API nor the media host. */
static void
test_subtitles_replayed_from_cache (CacheFixture * f, gconstpointer data)
{
  ElementFixture *e = &f->base;
  g_autoptr (GBytes) served = element_fixture_read_media ();
  g_autoptr (GBytes) first = NULL;
  g_autoptr (GBytes) again = NULL;
  g_autofree char *srt = NULL;
  g_autofree char *stored = NULL;
  g_autofree char *subtitles_file = entry_file (f, "subtitles");
  g_autofree char *listing = NULL;
  guint downloaded = 0, replayed = 0;

  g_assert_true (g_file_get_contents (g_getenv ("JIMMY_MOCK_SUBTITLES"),
          &srt, NULL, NULL));
  jimmy_mock_server_set_subtitles (e->api, srt);
  jimmy_mock_server_set_subtitles (e->media, srt);

  first = play_full (f, TEST_TASK_ID, "subtitles=true", &downloaded);
  g_assert_cmpuint (downloaded, >, 0);
  listing = list_cache (f);
  g_assert_cmpstr (listing, ==, "audio record subtitles");
  g_assert_true (g_file_get_contents (subtitles_file, &stored, NULL, NULL));
  g_assert_cmpstr (stored, ==, srt);

  jimmy_mock_server_stop (e->media);
  jimmy_mock_server_stop (e->api);
  again = play_full (f, TEST_TASK_ID, "subtitles=true", &replayed);
  g_assert_true (g_bytes_equal (again, served));
  g_assert_cmpuint (replayed, ==, downloaded);
}

/* A proxy that is no URI: RESOURCE/SETTINGS at READY→PAUSED saying how
 * to write it, naming the task, and no GLib CRITICAL (fatal here). */
static void
test_bad_proxy (CacheFixture * f, gconstpointer data)
{
  ElementFixture *e = &f->base;
  const char *bad[] = { "127.0.0.1:3128", "localhost:3128" };
  guint i;

  for (i = 0; i < G_N_ELEMENTS (bad); i++) {
    g_autoptr (GstBus) bus = NULL;
    g_autoptr (GError) error = NULL;

    element_fixture_stop (e);
    element_fixture_launch (e, "jimmyaudiosrc name=src task-id="
        TEST_TASK_ID " ! fakesink");
    g_object_set (e->src, "proxy", bad[i], NULL);
    bus = gst_element_get_bus (e->pipeline);
    g_assert_cmpint (gst_element_set_state (e->pipeline, GST_STATE_PAUSED),
        ==, GST_STATE_CHANGE_FAILURE);
    g_clear_pointer (&e->error, gst_message_unref);
    e->error = gst_bus_pop_filtered (bus, GST_MESSAGE_ERROR);
    element_fixture_assert_error (e, GST_RESOURCE_ERROR,
        GST_RESOURCE_ERROR_SETTINGS, "Task \"" TEST_TASK_ID "\": ");
    gst_message_parse_error (e->error, &error, NULL);
    g_test_message ("%s", error->message);
    g_assert_nonnull (strstr (error->message, bad[i]));
    g_assert_nonnull (strstr (error->message, "http://"));
    g_assert_cmpuint (jimmy_mock_server_count_requests (e->api, "/"), ==, 0);
  }
}

int
main (int argc, char **argv)
{
  gst_init (NULL, NULL);
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add ("/cache/" path, CacheFixture, NULL, cache_fixture_set_up, \
      func, cache_fixture_tear_down)

  ADD ("replay-without-api", test_replay_without_api);
  ADD ("damaged-entry-refetched", test_damaged_entry_refetched);
  ADD ("partial-entry-refetched", test_partial_entry_refetched);
  ADD ("record-without-audio-refetched", test_record_without_audio_refetched);
  ADD ("interrupted-download-not-cached",
      test_interrupted_download_not_cached);
  ADD ("max-size-evicts", test_max_size_evicts);
  ADD ("hit-without-key", test_hit_without_key);
  ADD ("subtitles-replayed-from-cache", test_subtitles_replayed_from_cache);
  ADD ("bad-proxy", test_bad_proxy);

  return g_test_run ();
}
