/* test-element-isolation.c: one application's slow code, or one bad
 * host, holds back no other pipeline. The poller thread shared by every
 * jimmyaudiosrc of the process posts nothing itself: a sync bus handler
 * of pipeline A that blocks, or a state change in A that blocks, delays
 * neither the status messages nor the preroll of pipeline B, and no
 * message of the element comes from the poller thread. 100 elements
 * whose API host holds every request take no slot an element on another
 * origin needs.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#define _GNU_SOURCE
#include <pthread.h>

#include "element-fixture.h"

#define TASK_A "audio_aaaaaaaa-5889-4fa5-bbcc-bf67a38c353a"
#define TASK_B "audio_bbbbbbbb-5889-4fa5-bbcc-bf67a38c353a"

/* The element's test hook: the factory of the audio source. */
#define TEST_SOURCE_FACTORY "gst-jimmy-test-source-factory"

/* How long A's handler blocks at most (it is released as soon as B is
 * done), and how late B may be: generous for a loaded 2-core machine and
 * for valgrind (B takes about 20 ms, 1.6 s under valgrind), and well
 * under the block: with the poller thread stuck in A's handler, B's
 * first status would come only after it. */
#define BLOCK (20 * G_TIME_SPAN_SECOND)
#define B_BOUND (10 * G_TIME_SPAN_SECOND)

typedef struct {
  GMutex lock;
  GCond cond;
  gboolean a_blocked;           /* A's handler is blocking */
  gboolean release;             /* B is done: A's handler may return */
  gboolean a_returned;          /* A's handler stopped blocking */
  gint64 b_first_status;        /* monotonic time, 0 before */
  guint from_poller;            /* messages posted on the poller thread */
} Shared;

static gboolean
on_poller_thread (void)
{
  char name[16] = "";

  pthread_getname_np (pthread_self (), name, sizeof name);
  return g_str_equal (name, "jimmy-poller");
}

static gboolean
is_jimmy_message (GstMessage * message)
{
  return GST_IS_ELEMENT (GST_MESSAGE_SRC (message))
      && g_str_has_prefix (GST_OBJECT_NAME (GST_MESSAGE_SRC (message)),
      "jimmy");
}

/* A's: blocks on the first status, until B is done or BLOCK passed. */
static GstBusSyncReply
block_a (GstBus * bus, GstMessage * message, gpointer user_data)
{
  Shared *shared = user_data;
  gint64 deadline;

  if (on_poller_thread ())
    g_atomic_int_inc (&shared->from_poller);
  if (GST_MESSAGE_TYPE (message) != GST_MESSAGE_ELEMENT
      || !gst_message_has_name (message, "jimmy-task-status"))
    return GST_BUS_PASS;

  g_mutex_lock (&shared->lock);
  if (!shared->a_blocked) {
    shared->a_blocked = TRUE;
    g_cond_broadcast (&shared->cond);
    deadline = g_get_monotonic_time () + BLOCK;
    while (!shared->release && g_cond_wait_until (&shared->cond,
            &shared->lock, deadline));
    shared->a_returned = TRUE;
  }
  g_mutex_unlock (&shared->lock);
  return GST_BUS_PASS;
}

/* B's: notes when its first status came, and from which thread. */
static GstBusSyncReply
watch_b (GstBus * bus, GstMessage * message, gpointer user_data)
{
  Shared *shared = user_data;

  if (is_jimmy_message (message) && on_poller_thread ())
    g_atomic_int_inc (&shared->from_poller);
  if (GST_MESSAGE_TYPE (message) == GST_MESSAGE_ELEMENT
      && gst_message_has_name (message, "jimmy-task-status")) {
    g_mutex_lock (&shared->lock);
    if (shared->b_first_status == 0)
      shared->b_first_status = g_get_monotonic_time ();
    g_mutex_unlock (&shared->lock);
  }
  return GST_BUS_PASS;
}

static GstElement *
make_pipeline (ElementFixture * f, const char *task_id,
    GstBusSyncHandler handler, Shared * shared)
{
  g_autoptr (GstBus) bus = NULL;
  GstElement *pipeline = gst_pipeline_new (NULL);
  GstElement *src = element_fixture_make_src (f, task_id);
  GstElement *sink = gst_element_factory_make ("fakesink", NULL);

  gst_object_set_name (GST_OBJECT (src), "src");
  g_object_set (sink, "sync", FALSE, NULL);
  gst_bin_add_many (GST_BIN (pipeline), src, sink, NULL);
  g_assert_true (gst_element_link (src, sink));
  bus = gst_element_get_bus (pipeline);
  gst_bus_set_sync_handler (bus, handler, shared, NULL);
  return pipeline;
}

/* Sets B to PAUSED at *@start and returns when it prerolled, within
 * B_BOUND. */
static gint64
preroll_b (GstElement * b, gint64 * start)
{
  *start = g_get_monotonic_time ();
  gst_element_set_state (b, GST_STATE_PAUSED);
  g_assert_cmpint (gst_element_get_state (b, NULL, NULL,
          B_BOUND * GST_USECOND), ==, GST_STATE_CHANGE_SUCCESS);
  return g_get_monotonic_time ();
}

/* Once A is released: it prerolls too, then both stop. */
static void
preroll_a_then_stop_both (GstElement * a, GstElement * b)
{
  g_assert_cmpint (gst_element_get_state (a, NULL, NULL, 30 * GST_SECOND),
      ==, GST_STATE_CHANGE_SUCCESS);
  g_assert_cmpint (gst_element_set_state (a, GST_STATE_NULL), ==,
      GST_STATE_CHANGE_SUCCESS);
  g_assert_cmpint (gst_element_set_state (b, GST_STATE_NULL), ==,
      GST_STATE_CHANGE_SUCCESS);
}

static void
test_blocked_handler_holds_back_no_other (ElementFixture * f,
    gconstpointer data)
{
  Shared shared = { 0, };
  g_autoptr (GstElement) a = NULL;
  g_autoptr (GstElement) b = NULL;
  gint64 b_start, b_prerolled;

  g_mutex_init (&shared.lock);
  g_cond_init (&shared.cond);
  element_fixture_add_task (f, TASK_A, "processing,completed");
  element_fixture_add_task (f, TASK_B, "processing,completed");
  a = make_pipeline (f, TASK_A, block_a, &shared);
  b = make_pipeline (f, TASK_B, watch_b, &shared);

  /* A's handler blocks first. */
  g_assert_cmpint (gst_element_set_state (a, GST_STATE_PAUSED), ==,
      GST_STATE_CHANGE_ASYNC);
  g_mutex_lock (&shared.lock);
  while (!shared.a_blocked)
    g_cond_wait (&shared.cond, &shared.lock);
  g_mutex_unlock (&shared.lock);

  /* Then B polls, completes and prerolls, on time. */
  b_prerolled = preroll_b (b, &b_start);

  g_mutex_lock (&shared.lock);
  g_test_message ("B: first status after %" G_GINT64_FORMAT " µs, "
      "prerolled after %" G_GINT64_FORMAT " µs, A still blocked: %d",
      shared.b_first_status - b_start, b_prerolled - b_start,
      !shared.a_returned);
  /* B was done while A's handler still blocked. */
  g_assert_false (shared.a_returned);
  g_assert_cmpint (shared.b_first_status, >, 0);
  g_assert_cmpint (shared.b_first_status - b_start, <, B_BOUND);
  g_assert_cmpint (b_prerolled - b_start, <, B_BOUND);
  shared.release = TRUE;
  g_cond_broadcast (&shared.cond);
  g_mutex_unlock (&shared.lock);

  preroll_a_then_stop_both (a, b);
  g_assert_cmpuint (shared.from_poller, ==, 0);
  g_mutex_clear (&shared.lock);
  g_cond_clear (&shared.cond);
}

/* Every message of the element, in a whole play with statuses, progress,
 * tags and results, comes from elsewhere than the poller thread. */
static GstBusSyncReply
count_from_poller (GstBus * bus, GstMessage * message, gpointer user_data)
{
  guint *count = user_data;

  if (on_poller_thread ())
    g_atomic_int_inc (count);
  return GST_BUS_PASS;
}

static void
on_notify (GObject * object, GParamSpec * pspec, gpointer user_data)
{
  guint *count = user_data;

  if (on_poller_thread ())
    g_atomic_int_inc (count);
}

static void
test_nothing_posted_from_poller (ElementFixture * f, gconstpointer data)
{
  g_autoptr (GstBus) bus = NULL;
  guint from_poller = 0;

  element_fixture_add_task (f, TEST_TASK_ID, "queued,processing,completed");
  element_fixture_launch (f, "jimmyaudiosrc name=src task-id=" TEST_TASK_ID
      " ! fakesink sync=false");
  bus = gst_element_get_bus (f->pipeline);
  gst_bus_set_sync_handler (bus, count_from_poller, &from_poller, NULL);
  g_signal_connect (f->src, "notify", G_CALLBACK (on_notify), &from_poller);
  element_fixture_run_to_eos (f);
  g_assert_cmpuint (f->statuses->len, ==, 3);
  g_assert_cmpuint (from_poller, ==, 0);
}


/* ---------------------------------------------------------------------- */
/* A state change of A that blocks: A's audio source is a test-only
 * element whose NULL→READY waits until the test releases it. The element
 * builds its chain, and so starts that source, under its own state lock
 * on its async pool; with the poller thread doing it, every other element
 * of the process would wait for it. */

typedef struct {
  GMutex lock;
  GCond cond;
  gboolean blocked;             /* in NULL→READY */
  gboolean release;
} Hold;

static Hold hold;

#define TEST_TYPE_HOLDING_SRC (test_holding_src_get_type ())
G_DECLARE_FINAL_TYPE (TestHoldingSrc, test_holding_src, TEST, HOLDING_SRC,
    GstBin)

struct _TestHoldingSrc {
  GstBin parent;
};

G_DEFINE_TYPE (TestHoldingSrc, test_holding_src, GST_TYPE_BIN)

static GstStaticPadTemplate holding_src_template =
GST_STATIC_PAD_TEMPLATE ("src", GST_PAD_SRC, GST_PAD_ALWAYS,
    GST_STATIC_CAPS_ANY);

static GstStateChangeReturn
test_holding_src_change_state (GstElement * element, GstStateChange transition)
{
  gint64 deadline = g_get_monotonic_time () + BLOCK;

  if (transition == GST_STATE_CHANGE_NULL_TO_READY) {
    g_mutex_lock (&hold.lock);
    hold.blocked = TRUE;
    g_cond_broadcast (&hold.cond);
    while (!hold.release && g_cond_wait_until (&hold.cond, &hold.lock,
            deadline));
    g_mutex_unlock (&hold.lock);
  }
  return GST_ELEMENT_CLASS (test_holding_src_parent_class)->change_state
      (element, transition);
}

/* The test MP3, in push mode as souphttpsrc. */
static void
test_holding_src_init (TestHoldingSrc * self)
{
  element_fixture_fill_media_source (GST_ELEMENT (self),
      &holding_src_template);
}

static void
test_holding_src_class_init (TestHoldingSrcClass * klass)
{
  GST_ELEMENT_CLASS (klass)->change_state = test_holding_src_change_state;
  gst_element_class_add_static_pad_template (GST_ELEMENT_CLASS (klass),
      &holding_src_template);
  gst_element_class_set_static_metadata (GST_ELEMENT_CLASS (klass),
      "Holding source", "Source", "Blocks in NULL→READY (tests only)",
      "jimmyaudiosrc developers");
}

/* A's: counts what comes from the poller thread. */
static GstBusSyncReply
watch_a (GstBus * bus, GstMessage * message, gpointer user_data)
{
  Shared *shared = user_data;

  if (on_poller_thread ())
    g_atomic_int_inc (&shared->from_poller);
  return GST_BUS_PASS;
}

static void
test_blocked_state_change_holds_back_no_other (ElementFixture * f,
    gconstpointer data)
{
  Shared shared = { 0, };
  g_autoptr (GstElement) a = NULL;
  g_autoptr (GstElement) b = NULL;
  g_autoptr (GstElement) a_src = NULL;
  gint64 b_start, b_prerolled;
  gboolean a_still_blocked;

  g_mutex_init (&shared.lock);
  g_cond_init (&shared.cond);
  element_fixture_add_task (f, TASK_A, "processing,completed");
  element_fixture_add_task (f, TASK_B, "processing,completed");
  a = make_pipeline (f, TASK_A, watch_a, &shared);
  b = make_pipeline (f, TASK_B, watch_b, &shared);
  a_src = gst_bin_get_by_name (GST_BIN (a), "src");
  g_object_set_data (G_OBJECT (a_src), TEST_SOURCE_FACTORY,
      (gpointer) "jimmytestholdingsrc");

  /* A's task completes and the start of its source blocks. */
  g_assert_cmpint (gst_element_set_state (a, GST_STATE_PAUSED), ==,
      GST_STATE_CHANGE_ASYNC);
  g_mutex_lock (&hold.lock);
  while (!hold.blocked)
    g_cond_wait (&hold.cond, &hold.lock);
  g_mutex_unlock (&hold.lock);

  /* Then B polls, completes and prerolls, on time. */
  b_prerolled = preroll_b (b, &b_start);

  g_mutex_lock (&hold.lock);
  a_still_blocked = !hold.release;
  hold.release = TRUE;
  g_cond_broadcast (&hold.cond);
  g_mutex_unlock (&hold.lock);
  g_test_message ("B: first status after %" G_GINT64_FORMAT " µs, "
      "prerolled after %" G_GINT64_FORMAT " µs, A's state change still "
      "blocked: %d", shared.b_first_status - b_start, b_prerolled - b_start,
      a_still_blocked);
  g_assert_cmpint (shared.b_first_status, >, 0);
  g_assert_cmpint (shared.b_first_status - b_start, <, B_BOUND);
  g_assert_cmpint (b_prerolled - b_start, <, B_BOUND);

  /* Released, A prerolls too. */
  preroll_a_then_stop_both (a, b);
  g_assert_cmpuint (g_atomic_int_get (&shared.from_poller), ==, 0);
  g_mutex_clear (&shared.lock);
  g_cond_clear (&shared.cond);
}

/* ---------------------------------------------------------------------- */
/* 100 elements on an API host that accepts every request and never
 * answers (request-timeout=0: they wait for ever); one element on
 * another origin. */

#define N_HUNG 100

/* How long the healthy element may take from PLAYING to EOS (alone:
 * about 50 ms, 3 polls 10 ms apart). Generous for a loaded 2-core machine
 * and valgrind; with the process-wide 8 request slots of old, its poll
 * was never sent at all. */
#define ALONE_BOUND (10 * G_TIME_SPAN_SECOND)

static GstElement *
make_hung_pipeline (ElementFixture * f, JimmyMockServer * hung, guint i)
{
  g_autofree char *task_id = g_strdup_printf ("audio_hung_%03u", i);
  GstElement *pipeline = gst_pipeline_new (NULL);
  GstElement *src = element_fixture_make_src (f, task_id);
  GstElement *sink = gst_element_factory_make ("fakesink", NULL);

  g_object_set (src, "api-url", jimmy_mock_server_get_base_url (hung),
      "request-timeout", 0, NULL);
  gst_bin_add_many (GST_BIN (pipeline), src, sink, NULL);
  g_assert_true (gst_element_link (src, sink));
  return pipeline;
}

static void
test_hung_origin_holds_back_no_other (ElementFixture * f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (JimmyMockServer) hung = jimmy_mock_server_new ();
  g_autoptr (GPtrArray) requests = NULL;
  g_autoptr (GstBus) bus = NULL;
  g_autoptr (GstMessage) message = NULL;
  GstElement *hung_pipelines[N_HUNG];
  gint64 start, done, prev;
  gint64 first_poll = -1, worst_gap = 0;
  guint i, polls = 0;

  jimmy_mock_server_set_default_script (hung, "hang");
  g_assert_true (jimmy_mock_server_start (hung, "127.0.0.1", 0, &error));
  g_assert_no_error (error);
  for (i = 0; i < N_HUNG; i++) {
    hung_pipelines[i] = make_hung_pipeline (f, hung, i);
    g_assert_cmpint (gst_element_set_state (hung_pipelines[i],
            GST_STATE_PLAYING), ==, GST_STATE_CHANGE_ASYNC);
  }
  /* All 100 polls are at the hung host, held. */
  g_assert_true (jimmy_mock_server_wait_for_requests (hung, TEST_TASK_PATH,
          N_HUNG, 60000));

  element_fixture_add_task (f, TEST_TASK_ID, "processing,processing,"
      "completed");
  element_fixture_launch (f, "jimmyaudiosrc name=src task-id=" TEST_TASK_ID
      " ! audioconvert ! fakesink sync=false");
  bus = gst_element_get_bus (f->pipeline);
  start = g_get_monotonic_time ();
  gst_element_set_state (f->pipeline, GST_STATE_PLAYING);
  message = gst_bus_timed_pop_filtered (bus, ALONE_BOUND * GST_USECOND,
      GST_MESSAGE_EOS | GST_MESSAGE_ERROR);
  done = g_get_monotonic_time ();

  /* As if alone: its three polls, 10 ms apart, then EOS. */
  requests = jimmy_mock_server_dup_requests (f->api);
  prev = start;
  for (i = 0; i < requests->len; i++) {
    JimmyMockRequest *request = g_ptr_array_index (requests, i);

    if (!g_str_has_prefix (request->path, TEST_TASK_PATH))
      continue;
    if (first_poll < 0)
      first_poll = request->time_us - start;
    else
      worst_gap = MAX (worst_gap, request->time_us - prev);
    prev = request->time_us;
    polls++;
  }
  g_test_message ("with %u polls held at another origin: first poll after "
      "%" G_GINT64_FORMAT " µs, longest gap between polls %" G_GINT64_FORMAT
      " µs (poll-interval 10 ms), EOS after %" G_GINT64_FORMAT " µs", N_HUNG,
      first_poll, worst_gap, done - start);
  g_assert_nonnull (message);
  g_assert_cmpint (GST_MESSAGE_TYPE (message), ==, GST_MESSAGE_EOS);
  g_assert_cmpuint (polls, ==, 3);
  g_assert_cmpint (done - start, <, ALONE_BOUND);
  /* The hung host never saw it. */
  g_assert_cmpuint (jimmy_mock_server_count_requests (hung,
          TEST_TASK_PATH TEST_TASK_ID), ==, 0);

  for (i = 0; i < N_HUNG; i++) {
    g_assert_cmpint (gst_element_set_state (hung_pipelines[i],
            GST_STATE_NULL), ==, GST_STATE_CHANGE_SUCCESS);
    gst_object_unref (hung_pipelines[i]);
  }
  jimmy_mock_server_stop (hung);
}

int
main (int argc, char **argv)
{
  gst_init (NULL, NULL);
  g_test_init (&argc, &argv, NULL);
  g_mutex_init (&hold.lock);
  g_cond_init (&hold.cond);
  g_assert_true (gst_element_register (NULL, "jimmytestholdingsrc",
          GST_RANK_NONE, TEST_TYPE_HOLDING_SRC));

#define ADD(path, func) \
  g_test_add ("/element-isolation/" path, ElementFixture, NULL, \
      element_fixture_set_up, func, element_fixture_tear_down)

  ADD ("blocked-handler-holds-back-no-other",
      test_blocked_handler_holds_back_no_other);
  ADD ("blocked-state-change-holds-back-no-other",
      test_blocked_state_change_holds_back_no_other);
  ADD ("nothing-posted-from-poller", test_nothing_posted_from_poller);
  ADD ("hung-origin-holds-back-no-other",
      test_hung_origin_holds_back_no_other);

  return g_test_run ();
}
