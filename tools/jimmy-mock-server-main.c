/* jimmy-mock-server-main.c: the jimmy-mock-server program.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Runs a JimmyMockServer until SIGINT or SIGTERM, for trying the element
 * by hand or from scripts. It prints exactly one line on stdout,
 * `JIMMY_API_URL=http://127.0.0.1:PORT`, as soon as it listens, then one
 * line per request on stderr.
 */
#include "jimmy-mock-server.h"
#include "jimmy-mock-script-private.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <glib-unix.h>

#define EXIT_USAGE 2

#define DEFAULT_SCRIPT "queued:1,processing:3,completed"

#ifndef JIMMY_MOCK_DEFAULT_MEDIA
#error "meson must define JIMMY_MOCK_DEFAULT_MEDIA"
#endif

typedef struct {
  char *address;
  gint port;
  char *api_key;
  char *media;
  char **tasks;
  char *script;
  gint delay_ms;
  char *subtitles;
  char *media_base_url;
  char **bodies;
  char *media_fault;
  gint64 media_expiry;
  gint media_expiry_tokens;
} Options;

static void
options_clear (Options * options)
{
  g_free (options->address);
  g_free (options->api_key);
  g_free (options->media);
  g_strfreev (options->tasks);
  g_free (options->script);
  g_free (options->subtitles);
  g_free (options->media_base_url);
  g_strfreev (options->bodies);
  g_free (options->media_fault);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Options, options_clear);

/* The text after the options. The token lists come from the tables the
 * parsers read (jimmy-mock-script.c). */
static char *
describe (void)
{
  g_autofree char *tokens = jimmy_mock_script_describe_tokens ();
  g_autofree char *faults = jimmy_mock_media_fault_describe_tokens ();

  return g_strdup_printf ("Status scripts:\n"
      "  A script is a comma-separated list of steps TOKEN[:COUNT]. A step\n"
      "  answers COUNT polls of the task (default 1), then the next step\n"
      "  takes over; the last step answers every poll after that. Each task\n"
      "  id keeps its own position. Tokens:\n"
      "%s"
      "\n"
      "  Example: --task audio_1=queued:1,processing:3,completed\n"
      "           --task audio_2=retry-after-1,http-503,failed\n"
      "           --body html=page.html --task audio_3=body-html\n"
      "\n"
      "Paths served:\n"
      "  GET /api/open-api/v1/audios/ID   the task API (also under\n"
      "                                   /redirected/)\n"
      "  GET /media/NAME.mp3              the media file (Range supported)\n"
      "  GET /media/NAME.srt              the subtitles, with --subtitles\n"
      "\n"
      "Media faults (--media-fault F), for every GET /media/NAME.mp3:\n"
      "%s"
      "\n"
      "Signed URLs (--media-expiry BYTES):\n"
      "  Completed tasks carry audioUrl with ?token=TOKEN, a fresh token in\n"
      "  every answer. Each token serves BYTES bytes of audio in all: the\n"
      "  response that crosses that is cut there (connection closed), and\n"
      "  later requests with the token, or without one, get HTTP 403. 0\n"
      "  expires every token at once. --media-expiry-tokens N limits only\n"
      "  the first N tokens requested; later ones never expire (0 bytes and\n"
      "  1 token: the first audioUrl is expired, a re-poll's plays).\n"
      "  With --media-base-url pointing at another jimmy-mock-server, give\n"
      "  both the same --media-expiry: this server issues the tokens, the\n"
      "  media host enforces them. The request log on stderr names each\n"
      "  token.\n"
      "\n"
      "Environment:\n"
      "  JIMMY_MOCK_API_KEY  the API key, when --api-key is not given\n",
      tokens, faults);
}

/* Returns: FALSE with @error set on a bad option. */
static gboolean
parse_options (int *argc, char ***argv, Options * options, GError ** error)
{
  GOptionEntry entries[] = {
    {"address", 0, 0, G_OPTION_ARG_STRING, &options->address,
        "IP address to listen on (default 127.0.0.1)", "ADDR"},
    {"port", 0, 0, G_OPTION_ARG_INT, &options->port,
        "Port to listen on (default 0: any free port)", "PORT"},
    {"api-key", 0, 0, G_OPTION_ARG_STRING, &options->api_key,
        "Require \"Authorization: Bearer KEY\" on API requests", "KEY"},
    {"media", 0, 0, G_OPTION_ARG_FILENAME, &options->media,
        "MP3 file served for every /media/*.mp3 (default: the bundled "
          "speech.mp3)", "FILE"},
    {"task", 0, 0, G_OPTION_ARG_STRING_ARRAY, &options->tasks,
        "Status script of one task id (repeatable)", "ID=SCRIPT"},
    {"body", 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &options->bodies,
        "Serve FILE (as application/json) for body-NAME steps (repeatable)",
        "NAME=FILE"},
    {"script", 0, 0, G_OPTION_ARG_STRING, &options->script,
        "Status script of every other task id (default "
          DEFAULT_SCRIPT ")", "SCRIPT"},
    {"delay-ms", 0, 0, G_OPTION_ARG_INT, &options->delay_ms,
        "Delay every API response by N milliseconds", "N"},
    {"subtitles", 0, 0, G_OPTION_ARG_FILENAME, &options->subtitles,
        "SRT file: completed tasks then carry subtitleFile", "FILE"},
    {"media-base-url", 0, 0, G_OPTION_ARG_STRING, &options->media_base_url,
        "Origin for audioUrl and subtitleFile (default: this server)",
        "URL"},
    {"media-fault", 0, 0, G_OPTION_ARG_STRING, &options->media_fault,
        "Break every /media/*.mp3 request one way (see below)", "F"},
    {"media-expiry", 0, 0, G_OPTION_ARG_INT64, &options->media_expiry,
        "Signed audioUrls, each serving BYTES bytes before it expires "
          "(default -1: unsigned)", "BYTES"},
    {"media-expiry-tokens", 0, 0, G_OPTION_ARG_INT,
          &options->media_expiry_tokens,
        "Only the first N tokens requested expire (default 0: all)", "N"},
    {NULL}
  };
  g_autoptr(GOptionContext) context = NULL;
  g_autofree char *description = describe ();

  context = g_option_context_new ("- mock SoundClone task API server");
  g_option_context_set_summary (context,
      "Serves a scripted imitation of the SoundClone task API and the audio "
      "it points to,\nfor testing jimmyaudiosrc without the real service. "
      "Runs until SIGINT or SIGTERM.");
  g_option_context_set_description (context, description);
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, argc, argv, error))
    return FALSE;

  if (*argc > 1) {
    g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_FAILED,
        "Unexpected argument \"%s\"", (*argv)[1]);
    return FALSE;
  }
  if (options->port < 0 || options->port > G_MAXUINT16) {
    g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
        "--port must be between 0 and 65535, not %d", options->port);
    return FALSE;
  }
  if (options->media_expiry < -1) {
    g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
        "--media-expiry must be -1 (off) or a number of bytes");
    return FALSE;
  }
  if (options->media_expiry_tokens < 0) {
    g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
        "--media-expiry-tokens must not be negative");
    return FALSE;
  }
  if (options->delay_ms < 0) {
    g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
        "--delay-ms must not be negative");
    return FALSE;
  }
  if (options->address == NULL)
    options->address = g_strdup ("127.0.0.1");
  if (options->script == NULL)
    options->script = g_strdup (DEFAULT_SCRIPT);
  if (options->api_key == NULL && g_getenv ("JIMMY_MOCK_API_KEY") != NULL &&
      *g_getenv ("JIMMY_MOCK_API_KEY") != '\0')
    options->api_key = g_strdup (g_getenv ("JIMMY_MOCK_API_KEY"));
  return TRUE;
}

static gboolean
add_tasks (JimmyMockServer * server, char **tasks, GError ** error)
{
  for (; tasks != NULL && *tasks != NULL; tasks++) {
    g_autofree char *id = g_strdup (*tasks);
    char *script = strchr (id, '=');

    if (script == NULL) {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
          "--task expects ID=SCRIPT, not \"%s\"", *tasks);
      return FALSE;
    }
    *script++ = '\0';
    if (!jimmy_mock_server_add_task (server, id, script, error)) {
      g_prefix_error (error, "--task %s: ", id);
      return FALSE;
    }
  }
  return TRUE;
}

static gboolean
add_bodies (JimmyMockServer * server, char **bodies, GError ** error)
{
  for (; bodies != NULL && *bodies != NULL; bodies++) {
    g_autofree char *name = g_strdup (*bodies);
    g_autoptr(GBytes) bytes = NULL;
    char *contents = NULL;
    char *path = strchr (name, '=');
    gsize length;

    if (path == NULL) {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
          "--body expects NAME=FILE, not \"%s\"", *bodies);
      return FALSE;
    }
    *path++ = '\0';
    if (!g_file_get_contents (path, &contents, &length, error))
      return FALSE;
    bytes = g_bytes_new_take (contents, length);
    if (!jimmy_mock_server_add_body (server, name, bytes, "application/json",
            error)) {
      g_prefix_error (error, "--body: ");
      return FALSE;
    }
  }
  return TRUE;
}

/* The default media is optional: an installed binary may outlive the
 * source tree it was built from. An explicit --media is not. */
static gboolean
set_media (JimmyMockServer * server, const char *media, GError ** error)
{
  g_autoptr(GError) local_error = NULL;

  if (media != NULL)
    return jimmy_mock_server_set_media_file (server, media, error);

  if (!jimmy_mock_server_set_media_file (server, JIMMY_MOCK_DEFAULT_MEDIA,
          &local_error))
    g_printerr ("jimmy-mock-server: warning: %s; /media/ will answer 404\n",
        local_error->message);
  return TRUE;
}

static gboolean
set_subtitles (JimmyMockServer * server, const char *path, GError ** error)
{
  g_autofree char *text = NULL;

  if (path == NULL)
    return TRUE;
  if (!g_file_get_contents (path, &text, NULL, error))
    return FALSE;
  jimmy_mock_server_set_subtitles (server, text);
  return TRUE;
}

/* Returns: FALSE with @error set if an option value is unusable. */
static gboolean
configure (JimmyMockServer * server, const Options * options, GError ** error)
{
  if (!jimmy_mock_script_validate (options->script, error)) {
    g_prefix_error (error, "--script: ");
    return FALSE;
  }
  jimmy_mock_server_set_default_script (server, options->script);

  if (!add_tasks (server, options->tasks, error) ||
      !add_bodies (server, options->bodies, error) ||
      !set_media (server, options->media, error) ||
      !set_subtitles (server, options->subtitles, error))
    return FALSE;

  if (!jimmy_mock_server_set_media_fault (server, options->media_fault,
          error)) {
    g_prefix_error (error, "--media-fault: ");
    return FALSE;
  }
  jimmy_mock_server_set_media_expiry (server, options->media_expiry);
  jimmy_mock_server_set_media_expiry_tokens (server,
      options->media_expiry_tokens);
  jimmy_mock_server_set_api_key (server, options->api_key);
  jimmy_mock_server_set_delay (server, options->delay_ms);
  jimmy_mock_server_set_media_base_url (server, options->media_base_url);
  return TRUE;
}

/* Runs on the server thread; stdio locks the stream for us. */
static void
request_served_cb (JimmyMockServer * server, const char *method,
    const char *path, guint status, const char *summary, gpointer user_data)
{
  if (status == 0)
    fprintf (stderr, "%s %s -> %s\n", method, path, summary);
  else
    fprintf (stderr, "%s %s -> %u %s\n", method, path, status, summary);
}

static gboolean
quit_cb (gpointer user_data)
{
  GMainLoop *loop = user_data;

  g_main_loop_quit (loop);
  return G_SOURCE_CONTINUE;
}

int
main (int argc, char **argv)
{
  g_auto (Options) options = {.media_expiry = -1 };
  g_autoptr(JimmyMockServer) server = NULL;
  g_autoptr(GMainLoop) loop = NULL;
  g_autoptr(GError) error = NULL;
  guint sigint_id, sigterm_id;

  if (!parse_options (&argc, &argv, &options, &error)) {
    g_printerr ("jimmy-mock-server: %s\n"
        "Run \"jimmy-mock-server --help\" for the options.\n", error->message);
    return EXIT_USAGE;
  }

  server = jimmy_mock_server_new ();
  if (!configure (server, &options, &error)) {
    g_printerr ("jimmy-mock-server: %s\n", error->message);
    return EXIT_USAGE;
  }
  g_signal_connect (server, "request-served",
      G_CALLBACK (request_served_cb), NULL);

  if (!jimmy_mock_server_start (server, options.address, options.port,
          &error)) {
    g_printerr ("jimmy-mock-server: %s\n", error->message);
    return g_error_matches (error, JIMMY_MOCK_SERVER_ERROR,
        JIMMY_MOCK_SERVER_ERROR_INVALID_ARGUMENT) ? EXIT_USAGE : EXIT_FAILURE;
  }

  printf ("JIMMY_API_URL=%s\n", jimmy_mock_server_get_base_url (server));
  fflush (stdout);

  loop = g_main_loop_new (NULL, FALSE);
  sigint_id = g_unix_signal_add (SIGINT, quit_cb, loop);
  sigterm_id = g_unix_signal_add (SIGTERM, quit_cb, loop);
  g_main_loop_run (loop);
  g_source_remove (sigint_id);
  g_source_remove (sigterm_id);

  jimmy_mock_server_stop (server);
  return EXIT_SUCCESS;
}
