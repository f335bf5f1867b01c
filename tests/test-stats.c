/* test-stats.c: the read-only "stats" property: counts from the poller,
 * times, bytes and the cache flag, read live from another thread and
 * consistent after EOS.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <string.h>

#include <glib/gstdio.h>

#include "element-fixture.h"

#define ADD(path, func) \
  g_test_add ("/stats/" path, ElementFixture, NULL, \
      element_fixture_set_up, func, element_fixture_tear_down)

#define LAUNCH "jimmyaudiosrc name=src task-id=" TEST_TASK_ID \
  " ! audioconvert ! fakesink sync=false"

static GstStructure *
get_stats (GstElement * src)
{
  GstStructure *stats = NULL;

  g_object_get (src, "stats", &stats, NULL);
  g_assert_nonnull (stats);
  g_assert_true (gst_structure_has_name (stats, "application/x-jimmy-stats"));
  return stats;
}

static guint
get_uint (const GstStructure * s, const char *field)
{
  guint value = G_MAXUINT;

  g_assert_true (gst_structure_get_uint (s, field, &value));
  return value;
}

static guint64
get_uint64 (const GstStructure * s, const char *field)
{
  guint64 value = G_MAXUINT64;

  g_assert_true (gst_structure_get_uint64 (s, field, &value));
  return value;
}

static gboolean
get_boolean (const GstStructure * s, const char *field)
{
  gboolean value = FALSE;

  g_assert_true (gst_structure_get_boolean (s, field, &value));
  return value;
}

static void
test_stats_before_a_run (void)
{
  g_autoptr (GstElement) src = gst_element_factory_make ("jimmyaudiosrc",
      NULL);
  g_autoptr (GstStructure) stats = get_stats (src);

  g_assert_cmpuint (get_uint (stats, "polls"), ==, 0);
  g_assert_cmpuint (get_uint64 (stats, "bytes-downloaded"), ==, 0);
  g_assert_false (get_boolean (stats, "from-cache"));
}

/* After EOS: the polls are the API's requests, the 503 was retried and
 * counted as a 5xx, the bytes are the file's, the times add up. */
static void
test_stats_after_eos (ElementFixture * f, gconstpointer data)
{
  g_autoptr (GBytes) media = element_fixture_read_media ();
  g_autoptr (GstStructure) stats = NULL;
  g_autoptr (GstStructure) stopped = NULL;
  g_autoptr (GstElement) src = NULL;
  guint64 queued, processing, waiting;

  element_fixture_add_task (f, TEST_TASK_ID,
      "queued,http-503,processing,processing,completed");
  element_fixture_launch (f, LAUNCH);
  src = gst_object_ref (f->src);
  element_fixture_run (f, GST_STATE_PLAYING);
  g_assert_true (f->eos);

  stats = get_stats (src);
  {
    g_autofree char *text = gst_structure_to_string (stats);
    g_test_message ("%s", text);
  }
  g_assert_cmpuint (get_uint (stats, "polls"), ==,
      jimmy_mock_server_count_requests (f->api, TEST_TASK_PATH));
  g_assert_cmpuint (get_uint (stats, "polls"), ==, 5);
  g_assert_cmpuint (get_uint (stats, "retries"), ==, 1);
  g_assert_cmpuint (get_uint (stats, "http-5xx"), ==, 1);
  g_assert_cmpuint (get_uint (stats, "http-4xx"), ==, 0);
  g_assert_cmpuint (get_uint (stats, "transport-errors"), ==, 0);
  g_assert_cmpuint (get_uint (stats, "recoveries"), ==, 0);
  g_assert_cmpuint (get_uint64 (stats, "bytes-downloaded"), ==,
      g_bytes_get_size (media));
  g_assert_false (get_boolean (stats, "from-cache"));

  /* Queued for one interval and a retry, processing for two intervals
   * (10 ms each at least); all inside the wait. */
  queued = get_uint64 (stats, "queued-ms");
  processing = get_uint64 (stats, "processing-ms");
  waiting = get_uint64 (stats, "waiting-ms");
  g_assert_cmpuint (processing, >=, 10);
  g_assert_cmpuint (queued + processing, <=, waiting + 1);
  g_assert_cmpuint (get_uint64 (stats, "completion-to-first-buffer-ms"), <=,
      60 * 1000);

  /* Still readable once stopped: the last run's, its counts unchanged. */
  element_fixture_stop (f);
  stopped = get_stats (src);
  g_assert_cmpuint (get_uint (stopped, "polls"), ==, 5);
  g_assert_cmpuint (get_uint64 (stopped, "waiting-ms"), ==, waiting);
  g_assert_cmpuint (get_uint64 (stopped, "bytes-downloaded"), ==,
      g_bytes_get_size (media));
}

typedef struct {
  GstElement *src;
  gint stop;
  guint reads;
  guint last_polls;
  guint64 last_waiting;
  guint polls_at_processing;    /* read when "processing" was posted */
} Reader;

/* In the thread that posts (the element's async pool): the status
 * message follows the poll that brought it, so the stats already count
 * that poll, and the task is not complete yet. */
static GstBusSyncReply
on_sync_message (GstBus * bus, GstMessage * message, gpointer user_data)
{
  Reader *r = user_data;
  const GstStructure *s = gst_message_get_structure (message);

  if (GST_MESSAGE_TYPE (message) == GST_MESSAGE_ELEMENT
      && gst_structure_has_name (s, "jimmy-task-status")
      && g_strcmp0 (gst_structure_get_string (s, "status"),
          "processing") == 0 && r->polls_at_processing == 0) {
    g_autoptr (GstStructure) stats = get_stats (r->src);
    r->polls_at_processing = get_uint (stats, "polls");
  }
  return GST_BUS_PASS;
}

/* Another thread than the streaming and bus ones: every read is a whole
 * copy whose counters never go back. */
static gpointer
read_stats_loop (gpointer user_data)
{
  Reader *r = user_data;

  while (!g_atomic_int_get (&r->stop)) {
    g_autoptr (GstStructure) stats = get_stats (r->src);
    guint polls = get_uint (stats, "polls");
    guint64 waiting = get_uint64 (stats, "waiting-ms");

    g_assert_cmpuint (polls, >=, r->last_polls);
    g_assert_cmpuint (waiting, >=, r->last_waiting);
    r->last_polls = polls;
    r->last_waiting = waiting;
    r->reads++;
    g_thread_yield ();
  }
  return NULL;
}

static void
test_stats_read_live (ElementFixture * f, gconstpointer data)
{
  Reader r = { 0, };
  GThread *thread;
  g_autoptr (GstStructure) stats = NULL;
  g_autoptr (GstElement) src = NULL;
  g_autoptr (GstBus) bus = NULL;

  element_fixture_add_task (f, TEST_TASK_ID,
      "queued,processing,processing,processing,processing,completed");
  element_fixture_launch (f, LAUNCH);
  src = gst_object_ref (f->src);
  /* 800 ms between "processing" and "completed": the async pool posting
   * the status may lag the poller by that much and this still holds. */
  g_object_set (src, "poll-interval", 200, NULL);
  r.src = src;
  bus = gst_element_get_bus (f->pipeline);
  gst_bus_set_sync_handler (bus, on_sync_message, &r, NULL);
  thread = g_thread_new ("stats-reader", read_stats_loop, &r);
  element_fixture_run (f, GST_STATE_PLAYING);
  g_assert_true (f->eos);
  g_atomic_int_set (&r.stop, 1);
  g_thread_join (thread);

  gst_bus_set_sync_handler (bus, NULL, NULL, NULL);

  /* Live: the second poll brought "processing", long before the sixth
   * brought "completed". */
  g_assert_cmpuint (r.polls_at_processing, >=, 2);
  g_assert_cmpuint (r.polls_at_processing, <, 6);
  g_assert_cmpuint (r.reads, >, 0);
  stats = get_stats (src);
  g_assert_cmpuint (get_uint (stats, "polls"), ==, 6);
  g_assert_cmpuint (r.last_polls, <=, 6);
}

static void
remove_tree (const char *path)
{
  g_autoptr (GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL) {
    g_autofree char *file = g_build_filename (path, name, NULL);
    if (g_file_test (file, G_FILE_TEST_IS_DIR))
      remove_tree (file);
    else
      g_unlink (file);
  }
  g_rmdir (path);
}

/* A cache hit: from-cache, no poll, nothing downloaded. */
static void
test_stats_cache_hit (ElementFixture * f, gconstpointer data)
{
  g_autofree char *cache_dir = g_dir_make_tmp ("jimmy-stats-XXXXXX", NULL);
  g_autofree char *launch = g_strdup_printf ("jimmyaudiosrc name=src "
      "cache-dir=\"%s\" task-id=" TEST_TASK_ID " ! audioconvert ! "
      "fakesink sync=false", cache_dir);
  g_autoptr (GstStructure) first = NULL;
  g_autoptr (GstStructure) second = NULL;

  element_fixture_add_task (f, TEST_TASK_ID, "completed");
  element_fixture_launch (f, launch);
  element_fixture_run (f, GST_STATE_PLAYING);
  g_assert_true (f->eos);
  first = get_stats (f->src);
  g_assert_false (get_boolean (first, "from-cache"));
  g_assert_cmpuint (get_uint (first, "polls"), ==, 1);
  element_fixture_stop (f);

  f->eos = FALSE;
  element_fixture_launch (f, launch);
  element_fixture_run (f, GST_STATE_PLAYING);
  g_assert_true (f->eos);
  second = get_stats (f->src);
  g_assert_true (get_boolean (second, "from-cache"));
  g_assert_cmpuint (get_uint (second, "polls"), ==, 0);
  g_assert_cmpuint (get_uint64 (second, "bytes-downloaded"), ==, 0);
  element_fixture_stop (f);
  remove_tree (cache_dir);
}

int
main (int argc, char **argv)
{
  gst_init (NULL, NULL);
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/stats/before-a-run", test_stats_before_a_run);
  ADD ("after-eos", test_stats_after_eos);
  ADD ("read-live", test_stats_read_live);
  ADD ("cache-hit", test_stats_cache_hit);

  return g_test_run ();
}
