/* test-secrets.c: the API key never shows in any log line, at any
 * GST_DEBUG level, nor in GLib's or libsoup's own logging.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <string.h>

#include "element-fixture.h"

#define WRONG_KEY "sk_test_wrong_9d8e7f"

/* Written from any thread. */
static gint lines_seen;
static gint leaks_seen;

static void
check_line (const char *line)
{
  g_atomic_int_inc (&lines_seen);
  if (line != NULL && (strstr (line, TEST_API_KEY) != NULL
          || strstr (line, WRONG_KEY) != NULL))
    g_atomic_int_inc (&leaks_seen);
}

static void
on_gst_log (GstDebugCategory * category, GstDebugLevel level,
    const gchar * file, const gchar * function, gint line, GObject * object,
    GstDebugMessage * message, gpointer user_data)
{
  check_line (gst_debug_message_get (message));
}

static GLogWriterOutput
on_glib_log (GLogLevelFlags level, const GLogField * fields, gsize n_fields,
    gpointer user_data)
{
  gsize i;

  for (i = 0; i < n_fields; i++)
    if (g_strcmp0 (fields[i].key, "MESSAGE") == 0 && fields[i].length < 0)
      check_line (fields[i].value);
  /* Debug output is not printed, it would be megabytes; test failures
   * and warnings still are. */
  if (level & (G_LOG_LEVEL_ERROR | G_LOG_LEVEL_CRITICAL |
          G_LOG_LEVEL_WARNING))
    return g_log_writer_default (level, fields, n_fields, user_data);
  return G_LOG_WRITER_HANDLED;
}

static void
run_everything_logged (ElementFixture * f, const char *key)
{
  gint before = g_atomic_int_get (&lines_seen);

  element_fixture_launch (f, "jimmyaudiosrc name=src task-id=" TEST_TASK_ID
      " ! audioconvert ! fakesink sync=false");
  /* Set like an application does; launch-line values are logged by the
   * parser itself, which the docs warn about. */
  g_object_set (f->src, "api-key", key, NULL);
  element_fixture_run (f, GST_STATE_PLAYING);
  element_fixture_stop (f);

  /* The logging was really on. */
  g_assert_cmpint (g_atomic_int_get (&lines_seen) - before, >, 1000);
  g_assert_cmpint (g_atomic_int_get (&leaks_seen), ==, 0);
}

static void
test_key_not_logged_on_success (ElementFixture * f, gconstpointer data)
{
  element_fixture_add_task (f, TEST_TASK_ID, "queued,processing,completed");
  run_everything_logged (f, TEST_API_KEY);
  g_assert_true (f->eos);
}

static void
test_key_not_logged_on_refusal (ElementFixture * f, gconstpointer data)
{
  element_fixture_add_task (f, TEST_TASK_ID, "completed");
  run_everything_logged (f, WRONG_KEY);
  element_fixture_assert_error (f, GST_RESOURCE_ERROR,
      GST_RESOURCE_ERROR_NOT_AUTHORIZED, NULL);
}

int
main (int argc, char **argv)
{
  /* Before anything logs: GLib accepts one writer per process. */
  g_log_set_writer_func (on_glib_log, NULL, NULL);
  g_setenv ("G_MESSAGES_DEBUG", "all", TRUE);

  gst_init (NULL, NULL);
  gst_debug_remove_log_function (gst_debug_log_default);
  gst_debug_add_log_function (on_gst_log, NULL, NULL);
  gst_debug_set_active (TRUE);
  gst_debug_set_default_threshold (GST_LEVEL_MEMDUMP);

  g_test_init (&argc, &argv, NULL);
  g_test_add ("/secrets/key-not-logged-on-success", ElementFixture, NULL,
      element_fixture_set_up, test_key_not_logged_on_success,
      element_fixture_tear_down);
  g_test_add ("/secrets/key-not-logged-on-refusal", ElementFixture, NULL,
      element_fixture_set_up, test_key_not_logged_on_refusal,
      element_fixture_tear_down);

  return g_test_run ();
}
