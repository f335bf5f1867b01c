/* jimmy-mock-script.c: parsing and stepping through status scripts.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Each grammar is one table below (script_tokens, media_fault_tokens):
 * the parsers, `jimmy-mock-server --help` and the error messages all read
 * it, so a token is added, or its help changed, in one place.
 */
#include "jimmy-mock-script-private.h"
#include "jimmy-mock-server.h"

#include <string.h>

static void
step_free (JimmyMockStep * step)
{
  g_free (step->token);
  g_free (step);
}

/* The steps are shared with other cursors (every task run by the default
 * script) and never change. */
struct _JimmyMockCursor
{
  GPtrArray *steps;             /* (owned) (element-type JimmyMockStep) */
  guint index;
  guint used;                   /* polls answered by steps[index] so far */
  gboolean from_default;
};

JimmyMockCursor *
jimmy_mock_cursor_new (GPtrArray * steps, gboolean from_default)
{
  JimmyMockCursor *cursor = g_new0 (JimmyMockCursor, 1);

  cursor->steps = g_ptr_array_ref (steps);
  cursor->from_default = from_default;
  return cursor;
}

void
jimmy_mock_cursor_free (JimmyMockCursor * cursor)
{
  g_ptr_array_unref (cursor->steps);
  g_free (cursor);
}

gboolean
jimmy_mock_cursor_is_from_default (const JimmyMockCursor * cursor)
{
  return cursor->from_default;
}

/* Returns the step answering this poll and moves on. */
const JimmyMockStep *
jimmy_mock_cursor_next (JimmyMockCursor * cursor)
{
  const JimmyMockStep *step =
      g_ptr_array_index (cursor->steps, cursor->index);

  cursor->used++;
  if (cursor->used >= step->count && cursor->index + 1 < cursor->steps->len) {
    cursor->index++;
    cursor->used = 0;
  }
  return step;
}

/* What body-NAME and jimmy_mock_server_add_body() accept as NAME:
 * [a-z0-9_-]+, so it can never hold the ',' or ':' of the script. */
gboolean
jimmy_mock_body_name_is_valid (const char *name)
{
  if (name == NULL || *name == '\0')
    return FALSE;
  for (; *name != '\0'; name++) {
    if (!g_ascii_islower (*name) && !g_ascii_isdigit (*name) && *name != '_'
        && *name != '-')
      return FALSE;
  }
  return TRUE;
}

/* ------------------------------------------------------------------------
 * The grammars: one table each, read by the parsers, --help and the
 * error messages alike
 * --------------------------------------------------------------------- */

typedef enum {
  ARG_NONE,                     /* the name exactly */
  ARG_NUMBER,                   /* the name up to its capitals, then a
                                 * number in [min, max] */
  ARG_BODY,                     /* "body-", then a body name */
  ARG_WORD,                     /* any lowercase word no other token is */
} ArgKind;

typedef struct {
  const char *name;             /* as --help shows it */
  gint kind;                    /* JimmyMockStepKind or
                                 * JimmyMockMediaFaultKind */
  ArgKind arg;
  guint min, max;               /* ARG_NUMBER */
  guint digits;                 /* ARG_NUMBER: exactly so many, 0: any */
  const char *help;
} Token;

/* Below 200 is not a final response: libsoup cannot send it as one. */
static const Token script_tokens[] = {
  {"WORD", JIMMY_MOCK_STEP_STATUS, ARG_WORD, 0, 0, 0,
      "HTTP 200 with a task of status WORD: queued, processing, completed, "
        "failed, or any other lowercase word [a-z]+ that is not a token "
        "below"},
  {"http-NNN", JIMMY_MOCK_STEP_HTTP, ARG_NUMBER, 200, 599, 3,
      "HTTP status NNN with {\"code\":NNN00,\"msg\":<its phrase>}"},
  {"retry-after-N", JIMMY_MOCK_STEP_RETRY_AFTER, ARG_NUMBER, 0, 86400, 0,
      "HTTP 429 with Retry-After: N (seconds)"},
  {"retry-after-date-N", JIMMY_MOCK_STEP_RETRY_AFTER_DATE, ARG_NUMBER, 0,
        86400, 0,
      "HTTP 429 with Retry-After: an HTTP-date N seconds from now (whole "
        "seconds: the client waits N - 1 to N s)"},
  {"api-error", JIMMY_MOCK_STEP_API_ERROR, ARG_NONE, 0, 0, 0,
      "HTTP 200 with the envelope code 50001 and \"data\":null"},
  {"garbage", JIMMY_MOCK_STEP_GARBAGE, ARG_NONE, 0, 0, 0,
      "HTTP 200, application/json, with the body <html>not json"},
  {"reset", JIMMY_MOCK_STEP_RESET, ARG_NONE, 0, 0, 0,
      "the connection is closed without a response"},
  {"cut-body", JIMMY_MOCK_STEP_CUT_BODY, ARG_NONE, 0, 0, 0,
      "HTTP 200 announcing a whole processing task (Content-Length), then "
        "only half of it before the connection is closed"},
  {"hang", JIMMY_MOCK_STEP_HANG, ARG_NONE, 0, 0, 0,
      "no response until jimmy_mock_server_release_held() or the server "
        "stops (the connection is then closed); a released request is "
        "answered like a new poll, so it costs a second step, and a second "
        "hang gets HTTP 503"},
  {"slow-headers-MS", JIMMY_MOCK_STEP_SLOW_HEADERS, ARG_NUMBER, 1, 600000, 0,
      "a processing task, after MS milliseconds; other requests are "
        "answered meanwhile"},
  {"trickle", JIMMY_MOCK_STEP_TRICKLE, ARG_NONE, 0, 0, 0,
      "HTTP 200, chunked: the headers at once, then a processing task one "
        "byte every 200 ms"},
  {"flood", JIMMY_MOCK_STEP_FLOOD, ARG_NONE, 0, 0, 0,
      "HTTP 200, chunked: a valid 64 MiB processing task, each 64 KiB chunk "
        "written once the client has taken the previous one"},
  {"redirect-same", JIMMY_MOCK_STEP_REDIRECT, ARG_NONE, 0, 0, 0,
      "HTTP 307 to the same task under /redirected/, which advances the "
        "script too: a redirect costs two steps"},
  {"redirect-other", JIMMY_MOCK_STEP_REDIRECT_OTHER, ARG_NONE, 0, 0, 0,
      "HTTP 307 to the same task path on the media base URL (another "
        "origin when that is another server)"},
  {"redirect-loop", JIMMY_MOCK_STEP_REDIRECT_LOOP, ARG_NONE, 0, 0, 0,
      "HTTP 302 to the task's own path on this server"},
  {"completed-no-audio", JIMMY_MOCK_STEP_NO_AUDIO, ARG_NONE, 0, 0, 0,
      "completed, without an audioUrl"},
  {"completed-bad-url", JIMMY_MOCK_STEP_BAD_AUDIO_URL, ARG_NONE, 0, 0, 0,
      "completed, with an ftp:// audioUrl"},
  {"huge", JIMMY_MOCK_STEP_HUGE, ARG_NONE, 0, 0, 0,
      "HTTP 200 with a valid 2 MiB envelope"},
  {"body-NAME", JIMMY_MOCK_STEP_BODY, ARG_BODY, 0, 0, 0,
      "HTTP 200 with the body registered as NAME ([a-z0-9_-]+, with "
        "jimmy_mock_server_add_body() or --body NAME=FILE), byte for byte"},
};

static const Token media_fault_tokens[] = {
  {"none", JIMMY_MOCK_MEDIA_FAULT_NONE, ARG_NONE, 0, 0, 0,
      "the file, normally (the default)"},
  {"http-NNN", JIMMY_MOCK_MEDIA_FAULT_HTTP, ARG_NUMBER, 400, 599, 3,
      "HTTP status NNN with a small HTML page (text/html)"},
  {"reset-after-N", JIMMY_MOCK_MEDIA_FAULT_RESET_ONCE, ARG_NUMBER, 0,
        G_MAXUINT, 0,
      "the first GET only (the first since the fault was set): headers "
        "announcing the whole response (206 and Content-Range for a Range "
        "request), its first N bytes, then the connection is closed; later "
        "requests, such as a retry with Range: bytes=N-, get the file"},
  {"reset-always-after-N", JIMMY_MOCK_MEDIA_FAULT_RESET, ARG_NUMBER, 0,
        G_MAXUINT, 0,
      "the same for every GET, Range requests included: each response stops "
        "N bytes after where it started"},
  {"html", JIMMY_MOCK_MEDIA_FAULT_HTML, ARG_NONE, 0, 0, 0,
      "HTTP 200, text/html: an HTML page instead of the audio"},
  {"empty", JIMMY_MOCK_MEDIA_FAULT_EMPTY, ARG_NONE, 0, 0, 0,
      "HTTP 200, audio/mpeg, a zero-byte body"},
  {"truncate-N", JIMMY_MOCK_MEDIA_FAULT_TRUNCATE, ARG_NUMBER, 0, G_MAXUINT, 0,
      "HTTP 200, audio/mpeg, only the first N bytes of the file with "
        "Content-Length: N: a truncated file served as if complete (Range "
        "requests are answered against those N bytes)"},
};

static gboolean
is_lower_word (const char *text)
{
  if (*text == '\0')
    return FALSE;
  for (; *text != '\0'; text++) {
    if (*text < 'a' || *text > 'z')
      return FALSE;
  }
  return TRUE;
}

/* Decimal digits only: g_ascii_string_to_unsigned() alone would let a
 * sign through. */
static gboolean
parse_number (const char *text, guint min, guint max, guint digits,
    guint * out)
{
  guint64 value;
  const char *p;

  if (*text == '\0' || (digits > 0 && strlen (text) != digits))
    return FALSE;
  for (p = text; *p != '\0'; p++) {
    if (!g_ascii_isdigit (*p))
      return FALSE;
  }
  if (!g_ascii_string_to_unsigned (text, 10, min, max, &value, NULL))
    return FALSE;
  *out = (guint) value;
  return TRUE;
}

/* The length of @token's fixed part: up to its first capital. */
static gsize
prefix_length (const Token * token)
{
  const char *p = token->name;

  while (*p != '\0' && !g_ascii_isupper (*p))
    p++;
  return p - token->name;
}

/* Returns: TRUE if @text is written as @token says, with its number in
 * @value and its NAME (a pointer into @text) in @name. */
static gboolean
token_matches (const Token * token, const char *text, guint * value,
    const char **name)
{
  gsize n = prefix_length (token);

  switch (token->arg) {
    case ARG_NONE:
      return strcmp (text, token->name) == 0;
    case ARG_NUMBER:
      return strncmp (text, token->name, n) == 0 &&
          parse_number (text + n, token->min, token->max, token->digits,
          value);
    case ARG_BODY:
      *name = text + n;
      return strncmp (text, token->name, n) == 0 &&
          jimmy_mock_body_name_is_valid (*name);
    case ARG_WORD:
      return is_lower_word (text);
  }
  g_return_val_if_reached (FALSE);
}

/* Returns: (nullable): the token @text is, the lowercase word last. */
static const Token *
token_lookup (const Token * tokens, gsize n_tokens, const char *text,
    guint * value, const char **name)
{
  const Token *word = NULL;
  gsize i;

  for (i = 0; i < n_tokens; i++) {
    if (tokens[i].arg == ARG_WORD)
      word = &tokens[i];
    else if (token_matches (&tokens[i], text, value, name))
      return &tokens[i];
  }
  if (word != NULL && token_matches (word, text, value, name))
    return word;
  return NULL;
}

/* "http-NNN (200-599)": the name, and the range when it says something. */
static void
append_token_name (GString * out, const Token * token)
{
  g_string_append (out, token->name);
  if (token->arg == ARG_NUMBER && token->max != G_MAXUINT)
    g_string_append_printf (out, " (%u-%u)", token->min, token->max);
}

/* "WORD, http-NNN (200-599), … or body-NAME", for error messages. */
static char *
list_tokens (const Token * tokens, gsize n_tokens)
{
  GString *out = g_string_new (NULL);
  gsize i;

  for (i = 0; i < n_tokens; i++) {
    if (i > 0)
      g_string_append (out, i + 1 < n_tokens ? ", " : " or ");
    if (tokens[i].arg == ARG_WORD)
      g_string_append (out, "a lowercase status word");
    else
      append_token_name (out, &tokens[i]);
  }
  return g_string_free (out, FALSE);
}

/* One entry per token: its name, then its help wrapped under it. */
static char *
describe_tokens (const Token * tokens, gsize n_tokens)
{
  GString *out = g_string_new (NULL);
  gsize i;

  for (i = 0; i < n_tokens; i++) {
    g_auto (GStrv) words = g_strsplit (tokens[i].help, " ", -1);
    gsize column = 0;
    guint w;

    g_string_append (out, "  ");
    append_token_name (out, &tokens[i]);
    for (w = 0; words[w] != NULL; w++) {
      if (column == 0 || column + 1 + strlen (words[w]) > 76) {
        g_string_append (out, "\n      ");
        column = 6;
      } else {
        g_string_append_c (out, ' ');
        column++;
      }
      g_string_append (out, words[w]);
      column += strlen (words[w]);
    }
    g_string_append_c (out, '\n');
  }
  return g_string_free (out, FALSE);
}

char *
jimmy_mock_script_describe_tokens (void)
{
  return describe_tokens (script_tokens, G_N_ELEMENTS (script_tokens));
}

char *
jimmy_mock_media_fault_describe_tokens (void)
{
  return describe_tokens (media_fault_tokens,
      G_N_ELEMENTS (media_fault_tokens));
}

/* ------------------------------------------------------------------------
 * Status scripts
 * --------------------------------------------------------------------- */

static JimmyMockStep *
parse_step (const char *text, GError ** error)
{
  g_autofree char *copy = g_strstrip (g_strdup (text));
  g_autofree char *expected = NULL;
  const Token *token;
  JimmyMockStep *step;
  char *colon;

  step = g_new0 (JimmyMockStep, 1);
  step->count = 1;

  colon = strchr (copy, ':');
  if (colon != NULL) {
    *colon = '\0';
    if (!parse_number (colon + 1, 1, G_MAXUINT, 0, &step->count)) {
      g_set_error (error, JIMMY_MOCK_SERVER_ERROR,
          JIMMY_MOCK_SERVER_ERROR_INVALID_SCRIPT,
          "Invalid count in script step \"%s\": expected a number of at "
          "least 1", text);
      step_free (step);
      return NULL;
    }
  }
  step->token = g_strdup (copy);
  token = token_lookup (script_tokens, G_N_ELEMENTS (script_tokens),
      step->token, &step->value, &step->name);
  if (token == NULL) {
    expected = list_tokens (script_tokens, G_N_ELEMENTS (script_tokens));
    g_set_error (error, JIMMY_MOCK_SERVER_ERROR,
        JIMMY_MOCK_SERVER_ERROR_INVALID_SCRIPT,
        "Invalid token \"%s\" in script: expected %s (see "
        "jimmy-mock-server --help)", step->token, expected);
    step_free (step);
    return NULL;
  }
  step->kind = token->kind;
  return step;
}

/* Returns: (transfer full) (element-type JimmyMockStep): the steps, never
 * empty. */
GPtrArray *
jimmy_mock_script_parse (const char *script, GError ** error)
{
  g_autoptr(GPtrArray) steps = NULL;
  g_auto(GStrv) parts = NULL;
  guint i;

  if (script == NULL || *script == '\0') {
    g_set_error_literal (error, JIMMY_MOCK_SERVER_ERROR,
        JIMMY_MOCK_SERVER_ERROR_INVALID_SCRIPT, "The script is empty");
    return NULL;
  }

  steps = g_ptr_array_new_with_free_func ((GDestroyNotify) step_free);
  parts = g_strsplit (script, ",", -1);
  for (i = 0; parts[i] != NULL; i++) {
    JimmyMockStep *step = parse_step (parts[i], error);

    if (step == NULL)
      return NULL;
    g_ptr_array_add (steps, step);
  }
  return g_steal_pointer (&steps);
}

/* Documented in jimmy-mock-server.h. */
gboolean
jimmy_mock_script_validate (const char *script, GError ** error)
{
  g_autoptr(GPtrArray) steps = jimmy_mock_script_parse (script, error);

  return steps != NULL;
}

/* ------------------------------------------------------------------------
 * Media faults
 * --------------------------------------------------------------------- */

/**
 * jimmy_mock_media_fault_parse:
 * @text: (nullable): a media fault from the table above; %NULL for none
 * @fault: (out caller-allocates): where to store it
 * @error: return location for a #GError
 *
 * Returns: %TRUE if @text is a media fault; @fault is left alone if not
 */
gboolean
jimmy_mock_media_fault_parse (const char *text, JimmyMockMediaFault * fault,
    GError ** error)
{
  JimmyMockMediaFault parsed = { JIMMY_MOCK_MEDIA_FAULT_NONE, 0 };
  const Token *token = NULL;
  const char *name;

  if (text != NULL) {
    token = token_lookup (media_fault_tokens,
        G_N_ELEMENTS (media_fault_tokens), text, &parsed.value, &name);
    if (token == NULL) {
      g_autofree char *expected = list_tokens (media_fault_tokens,
          G_N_ELEMENTS (media_fault_tokens));

      g_set_error (error, JIMMY_MOCK_SERVER_ERROR,
          JIMMY_MOCK_SERVER_ERROR_INVALID_ARGUMENT,
          "Invalid media fault \"%s\": expected %s", text, expected);
      return FALSE;
    }
    parsed.kind = token->kind;
  }
  *fault = parsed;
  return TRUE;
}
