/* test-secrets.c: the API key never shows in any log line, at any
 * GST_DEBUG level, nor in GLib's or libsoup's own logging, even with
 * libsoup's HTTP logger at body level written to a file.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <stdio.h>
#include <string.h>

#include <glib/gstdio.h>

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

/* The debug log file of /secrets/http-log-body, while it runs. Written
 * from on_gst_log(): GStreamer 1.22 leaks its list of log functions on
 * every change, so the test installs none of its own. Other threads may
 * log at any time: the lock makes the close wait for a line being
 * written. */
static GMutex debug_file_lock;
static FILE *debug_file;

/* As gst_debug_log_default() prints it, object names included. */
static void
write_to_debug_file (GstDebugCategory * category, GstDebugLevel level,
    const gchar * file, const gchar * function, gint line, GObject * object,
    GstDebugMessage * message)
{
  g_mutex_lock (&debug_file_lock);
  if (debug_file != NULL) {
    g_autofree gchar *formatted = gst_debug_log_get_line (category, level,
        file, function, line, object, message);
    fputs (formatted, debug_file);
  }
  g_mutex_unlock (&debug_file_lock);
}

static void
on_gst_log (GstDebugCategory * category, GstDebugLevel level,
    const gchar * file, const gchar * function, gint line, GObject * object,
    GstDebugMessage * message, gpointer user_data)
{
  check_line (gst_debug_message_get (message));
  write_to_debug_file (category, level, file, function, line, object,
      message);
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

/* Every bus message, as text: structure, and for errors, warnings and
 * infos the GError and debug string, which the structure does not
 * print. */
typedef struct {
  GMutex lock;
  GString *text;                /* (owned) */
} MessageLog;

static GstBusSyncReply
record_message (GstBus * bus, GstMessage * message, gpointer user_data)
{
  MessageLog *log = user_data;
  const GstStructure *s = gst_message_get_structure (message);
  g_autofree gchar *structure = s ? gst_structure_to_string (s) : NULL;
  g_autoptr (GError) error = NULL;
  g_autofree gchar *debug = NULL;

  switch (GST_MESSAGE_TYPE (message)) {
    case GST_MESSAGE_ERROR:
      gst_message_parse_error (message, &error, &debug);
      break;
    case GST_MESSAGE_WARNING:
      gst_message_parse_warning (message, &error, &debug);
      break;
    case GST_MESSAGE_INFO:
      gst_message_parse_info (message, &error, &debug);
      break;
    default:
      break;
  }

  g_mutex_lock (&log->lock);
  g_string_append_printf (log->text, "%s from %s: %s; %s; %s\n",
      GST_MESSAGE_TYPE_NAME (message), GST_MESSAGE_SRC_NAME (message),
      structure ? structure : "", error ? error->message : "",
      debug ? debug : "");
  g_mutex_unlock (&log->lock);
  return GST_BUS_PASS;
}

/* A line of the log from the "jimmyhttp" category holding @fragment.
 * Walks the lines in place: the log is megabytes, and splitting it with
 * strstr() would be quadratic under ASan, whose strstr() measures the
 * whole rest of the string on every call; g_strstr_len() keeps to the
 * line. */
static gboolean
has_http_line (const char *contents, gsize length, const char *fragment)
{
  const char *line = contents;
  const char *end = contents + length;

  while (line < end) {
    const char *newline = memchr (line, '\n', end - line);
    gsize line_length = (newline != NULL ? newline : end) - line;

    if (g_strstr_len (line, line_length, " jimmyhttp ") != NULL
        && g_strstr_len (line, line_length, fragment) != NULL)
      return TRUE;
    line += line_length + 1;
  }
  return FALSE;
}

/* Issue 3: GST_DEBUG=*:9 (set in main(), so "jimmyhttp" is above TRACE)
 * and http-log-level=body, the debug output written to a file. The file
 * must hold libsoup's log of the API requests, bodies included, and
 * nowhere the key; no bus message may hold it either. */
static void
test_http_log_body (ElementFixture * f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *path = NULL;
  g_autofree char *contents = NULL;
  gsize length;
  g_autoptr (GstBus) bus = NULL;
  MessageLog messages;
  int fd;

  g_mutex_init (&messages.lock);
  messages.text = g_string_new (NULL);
  fd = g_file_open_tmp ("jimmy-debug-XXXXXX.log", &path, &error);
  g_assert_no_error (error);
  g_mutex_lock (&debug_file_lock);
  debug_file = fdopen (fd, "w");
  g_assert_nonnull (debug_file);
  g_mutex_unlock (&debug_file_lock);

  element_fixture_add_task (f, TEST_TASK_ID, "queued,processing,completed");
  element_fixture_launch (f, "jimmyaudiosrc name=src http-log-level=body "
      "task-id=" TEST_TASK_ID " ! audioconvert ! fakesink sync=false");
  bus = gst_element_get_bus (f->pipeline);
  gst_bus_set_sync_handler (bus, record_message, &messages, NULL);
  element_fixture_run_to_eos (f);

  g_mutex_lock (&debug_file_lock);
  g_assert_cmpint (fclose (g_steal_pointer (&debug_file)), ==, 0);
  g_mutex_unlock (&debug_file_lock);
  gst_bus_set_sync_handler (bus, NULL, NULL, NULL);

  g_assert_true (g_file_get_contents (path, &contents, &length, &error));
  g_assert_no_error (error);
  g_assert_cmpint (g_unlink (path), ==, 0);

  /* The logger really ran, at body level: requests, response bodies and
   * the redacted Authorization header are all in the file. */
  g_assert_true (has_http_line (contents, length, "> GET " TEST_TASK_PATH
          TEST_TASK_ID " HTTP/1.1"));
  g_assert_true (has_http_line (contents, length, "\"status\""));
  g_assert_true (has_http_line (contents, length,
          "> Authorization: [REDACTED]"));
  g_assert_null (strstr (contents, TEST_API_KEY));

  g_assert_nonnull (strstr (messages.text->str, "jimmy-task-status"));
  g_assert_null (strstr (messages.text->str, TEST_API_KEY));
  g_string_free (messages.text, TRUE);
  g_mutex_clear (&messages.lock);
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
  g_test_add ("/secrets/http-log-body", ElementFixture, NULL,
      element_fixture_set_up, test_http_log_body, element_fixture_tear_down);

  return g_test_run ();
}
