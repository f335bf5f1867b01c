/* test-element-isolation.c: one application's slow code holds back no
 * other pipeline. The poller thread shared by every jimmyaudiosrc of the
 * process posts nothing itself: a sync bus handler of pipeline A that
 * blocks for 3 s delays neither the status messages nor the preroll of
 * pipeline B, and no message of the element comes from the poller
 * thread.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#define _GNU_SOURCE
#include <pthread.h>

#include "element-fixture.h"

#define TASK_A "audio_aaaaaaaa-5889-4fa5-bbcc-bf67a38c353a"
#define TASK_B "audio_bbbbbbbb-5889-4fa5-bbcc-bf67a38c353a"

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

  g_object_set (sink, "sync", FALSE, NULL);
  gst_bin_add_many (GST_BIN (pipeline), src, sink, NULL);
  g_assert_true (gst_element_link (src, sink));
  bus = gst_element_get_bus (pipeline);
  gst_bus_set_sync_handler (bus, handler, shared, NULL);
  return pipeline;
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
  b_start = g_get_monotonic_time ();
  gst_element_set_state (b, GST_STATE_PAUSED);
  g_assert_cmpint (gst_element_get_state (b, NULL, NULL,
          B_BOUND * GST_USECOND), ==, GST_STATE_CHANGE_SUCCESS);
  b_prerolled = g_get_monotonic_time ();

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

  g_assert_cmpint (gst_element_get_state (a, NULL, NULL, 30 * GST_SECOND),
      ==, GST_STATE_CHANGE_SUCCESS);
  g_assert_cmpint (gst_element_set_state (a, GST_STATE_NULL), ==,
      GST_STATE_CHANGE_SUCCESS);
  g_assert_cmpint (gst_element_set_state (b, GST_STATE_NULL), ==,
      GST_STATE_CHANGE_SUCCESS);
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

int
main (int argc, char **argv)
{
  gst_init (NULL, NULL);
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add ("/element-isolation/" path, ElementFixture, NULL, \
      element_fixture_set_up, func, element_fixture_tear_down)

  ADD ("blocked-handler-holds-back-no-other",
      test_blocked_handler_holds_back_no_other);
  ADD ("nothing-posted-from-poller", test_nothing_posted_from_poller);

  return g_test_run ();
}
