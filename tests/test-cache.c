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

static char *
entry_file (CacheFixture * f, const char *name)
{
  g_autofree char *hash = g_compute_checksum_for_string (G_CHECKSUM_SHA256,
      TEST_TASK_ID, -1);

  return g_build_filename (f->cache_dir, hash, name, NULL);
}

/* Plays the task once with decode=false; returns the bytes it gave. */
static GBytes *
play (CacheFixture * f)
{
  ElementFixture *e = &f->base;
  g_autofree char *description = g_strdup_printf ("jimmyaudiosrc name=src "
      "decode=false cache-dir=\"%s\" task-id=" TEST_TASK_ID " ! "
      "appsink name=sink sync=false emit-signals=false", f->cache_dir);
  g_autoptr (GstElement) sink = NULL;
  g_autoptr (GByteArray) bytes = g_byte_array_new ();
  GstSample *sample;

  element_fixture_stop (e);
  g_ptr_array_set_size (e->statuses, 0);
  e->eos = FALSE;
  jimmy_mock_server_clear_requests (e->api);
  jimmy_mock_server_clear_requests (e->media);
  element_fixture_launch (e, description);
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

  return g_test_run ();
}
