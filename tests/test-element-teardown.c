/* test-element-teardown.c: stopping is bounded whatever the children do.
 * A child that has not stopped within a bound is detached (its state
 * locked, taken out of the bin) and finished by a background thread,
 * which logs it at WARNING and releases it when it stops; the element
 * starts again at once.
 *
 * The child is a test-only element that blocks in its PAUSED→READY until
 * the test releases it, made the audio source through the element's test
 * hook: no sleep, no timing luck.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <string.h>

#include "element-fixture.h"

/* The element's test hook: the factory of the audio source. */
#define TEST_SOURCE_FACTORY "gst-jimmy-test-source-factory"

/* PAUSED→READY and READY→NULL must return within this. The element waits
 * 100 ms for its children; the rest is slack for a loaded machine. */
#define STOP_BOUND (500 * G_TIME_SPAN_MILLISECOND)

/* ---------------------------------------------------------------------- */
/* A source that blocks in its stop: filesrc ! queue of the test MP3 in a
 * bin */

typedef struct {
  GMutex lock;
  GCond cond;
  gboolean stopping;            /* blocked in PAUSED→READY */
  gboolean release;
  gboolean finalized;
  GString *log;                 /* WARNING lines of jimmyaudiosrc */
} Blocker;

static Blocker blocker;

#define TEST_TYPE_BLOCKING_SRC (test_blocking_src_get_type ())
G_DECLARE_FINAL_TYPE (TestBlockingSrc, test_blocking_src, TEST, BLOCKING_SRC,
    GstBin)

struct _TestBlockingSrc {
  GstBin parent;
};

G_DEFINE_TYPE (TestBlockingSrc, test_blocking_src, GST_TYPE_BIN)

static GstStaticPadTemplate blocking_src_template =
GST_STATIC_PAD_TEMPLATE ("src", GST_PAD_SRC, GST_PAD_ALWAYS,
    GST_STATIC_CAPS_ANY);

static GstStateChangeReturn
test_blocking_src_change_state (GstElement * element,
    GstStateChange transition)
{
  if (transition == GST_STATE_CHANGE_PAUSED_TO_READY) {
    g_mutex_lock (&blocker.lock);
    blocker.stopping = TRUE;
    g_cond_broadcast (&blocker.cond);
    while (!blocker.release)
      g_cond_wait (&blocker.cond, &blocker.lock);
    g_mutex_unlock (&blocker.lock);
  }
  return GST_ELEMENT_CLASS (test_blocking_src_parent_class)->change_state
      (element, transition);
}

static void
test_blocking_src_finalize (GObject * object)
{
  g_mutex_lock (&blocker.lock);
  blocker.finalized = TRUE;
  g_cond_broadcast (&blocker.cond);
  g_mutex_unlock (&blocker.lock);
  G_OBJECT_CLASS (test_blocking_src_parent_class)->finalize (object);
}

static void
test_blocking_src_init (TestBlockingSrc * self)
{
  element_fixture_fill_media_source (GST_ELEMENT (self),
      &blocking_src_template);
}

static void
test_blocking_src_class_init (TestBlockingSrcClass * klass)
{
  GST_ELEMENT_CLASS (klass)->change_state = test_blocking_src_change_state;
  G_OBJECT_CLASS (klass)->finalize = test_blocking_src_finalize;
  gst_element_class_add_static_pad_template (GST_ELEMENT_CLASS (klass),
      &blocking_src_template);
  gst_element_class_set_static_metadata (GST_ELEMENT_CLASS (klass),
      "Blocking source", "Source", "Blocks in PAUSED→READY (tests only)",
      "jimmyaudiosrc developers");
}

static void
keep_warnings (GstDebugCategory * category, GstDebugLevel level,
    const gchar * file, const gchar * function, gint line, GObject * object,
    GstDebugMessage * message, gpointer user_data)
{
  if (level != GST_LEVEL_WARNING
      || strcmp (gst_debug_category_get_name (category), "jimmyaudiosrc"))
    return;
  g_mutex_lock (&blocker.lock);
  g_string_append_printf (blocker.log, "%s\n",
      gst_debug_message_get (message));
  g_mutex_unlock (&blocker.lock);
}

static gboolean
log_has (const char *fragment)
{
  gboolean found;

  g_mutex_lock (&blocker.lock);
  found = strstr (blocker.log->str, fragment) != NULL;
  g_mutex_unlock (&blocker.lock);
  return found;
}

/* ---------------------------------------------------------------------- */

static gint64
timed_set_state (GstElement * pipeline, GstState state)
{
  gint64 start = g_get_monotonic_time ();

  g_assert_cmpint (gst_element_set_state (pipeline, state), ==,
      GST_STATE_CHANGE_SUCCESS);
  return g_get_monotonic_time () - start;
}

static void
test_child_stuck_in_stop (ElementFixture * f, gconstpointer data)
{
  gint64 to_ready, to_null, deadline;
  gboolean finalized;

  element_fixture_add_task (f, TEST_TASK_ID, "completed");
  element_fixture_launch (f, "jimmyaudiosrc name=src task-id=" TEST_TASK_ID
      " ! fakesink sync=false");
  g_object_set_data (G_OBJECT (f->src), TEST_SOURCE_FACTORY,
      (gpointer) "jimmytestblockingsrc");
  gst_element_set_state (f->pipeline, GST_STATE_PAUSED);
  g_assert_cmpint (gst_element_get_state (f->pipeline, NULL, NULL,
          30 * GST_SECOND), ==, GST_STATE_CHANGE_SUCCESS);

  /* The child blocks in its stop: the element's stop does not. */
  to_ready = timed_set_state (f->pipeline, GST_STATE_READY);
  to_null = timed_set_state (f->pipeline, GST_STATE_NULL);
  g_test_message ("PAUSED→READY took %" G_GINT64_FORMAT " µs, READY→NULL %"
      G_GINT64_FORMAT " µs", to_ready, to_null);
  g_assert_cmpint (to_ready, <, STOP_BOUND);
  g_assert_cmpint (to_null, <, STOP_BOUND);
  g_mutex_lock (&blocker.lock);
  g_assert_true (blocker.stopping);
  g_assert_false (blocker.finalized);
  g_mutex_unlock (&blocker.lock);
  g_assert_true (log_has ("has not stopped after 100 ms: detached"));

  /* It starts again at once, here with the real audio source. */
  g_object_set_data (G_OBJECT (f->src), TEST_SOURCE_FACTORY, NULL);
  element_fixture_run_to_eos (f);

  /* The stuck child stops at last: the reaper releases it. */
  g_mutex_lock (&blocker.lock);
  blocker.release = TRUE;
  g_cond_broadcast (&blocker.cond);
  deadline = g_get_monotonic_time () + 30 * G_TIME_SPAN_SECOND;
  while (!blocker.finalized && g_cond_wait_until (&blocker.cond,
          &blocker.lock, deadline));
  finalized = blocker.finalized;
  g_mutex_unlock (&blocker.lock);
  g_assert_true (finalized);
  g_assert_true (log_has ("stopped after"));
}

int
main (int argc, char **argv)
{
  gst_init (NULL, NULL);
  g_test_init (&argc, &argv, NULL);

  g_mutex_init (&blocker.lock);
  g_cond_init (&blocker.cond);
  blocker.log = g_string_new (NULL);
  gst_debug_set_threshold_for_name ("jimmyaudiosrc", GST_LEVEL_WARNING);
  gst_debug_add_log_function (keep_warnings, NULL, NULL);
  g_assert_true (gst_element_register (NULL, "jimmytestblockingsrc",
          GST_RANK_NONE, TEST_TYPE_BLOCKING_SRC));

#define ADD(path, func) \
  g_test_add ("/element-teardown/" path, ElementFixture, NULL, \
      element_fixture_set_up, func, element_fixture_tear_down)

  ADD ("child-stuck-in-stop", test_child_stuck_in_stop);

  return g_test_run ();
}
