/* jimmy-mock-script.c: parsing and stepping through status scripts.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * The grammar is described in jimmy-mock-server.c.
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
parse_number (const char *text, guint min, guint max, guint * out)
{
  guint64 value;
  const char *p;

  if (*text == '\0')
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

static gboolean
parse_token (const char *token, JimmyMockStep * step)
{
  static const struct {
    const char *token;
    JimmyMockStepKind kind;
  } fixed[] = {
    {"api-error", JIMMY_MOCK_STEP_API_ERROR},
    {"garbage", JIMMY_MOCK_STEP_GARBAGE},
    {"reset", JIMMY_MOCK_STEP_RESET},
    {"hang", JIMMY_MOCK_STEP_HANG},
    {"redirect-same", JIMMY_MOCK_STEP_REDIRECT},
    {"redirect-other", JIMMY_MOCK_STEP_REDIRECT_OTHER},
    {"completed-no-audio", JIMMY_MOCK_STEP_NO_AUDIO},
    {"completed-bad-url", JIMMY_MOCK_STEP_BAD_AUDIO_URL},
    {"huge", JIMMY_MOCK_STEP_HUGE},
    {"cut-body", JIMMY_MOCK_STEP_CUT_BODY},
    {"trickle", JIMMY_MOCK_STEP_TRICKLE},
    {"flood", JIMMY_MOCK_STEP_FLOOD},
    {"redirect-loop", JIMMY_MOCK_STEP_REDIRECT_LOOP},
  };
  guint i;

  for (i = 0; i < G_N_ELEMENTS (fixed); i++) {
    if (strcmp (token, fixed[i].token) == 0) {
      step->kind = fixed[i].kind;
      return TRUE;
    }
  }

  if (g_str_has_prefix (token, "http-")) {
    step->kind = JIMMY_MOCK_STEP_HTTP;
    /* Below 200 is not a final response; libsoup cannot send it as one. */
    return strlen (token) == strlen ("http-NNN") &&
        parse_number (token + strlen ("http-"), 200, 599, &step->value);
  }
  if (g_str_has_prefix (token, "retry-after-date-")) {
    step->kind = JIMMY_MOCK_STEP_RETRY_AFTER_DATE;
    return parse_number (token + strlen ("retry-after-date-"), 0, 86400,
        &step->value);
  }
  if (g_str_has_prefix (token, "retry-after-")) {
    step->kind = JIMMY_MOCK_STEP_RETRY_AFTER;
    return parse_number (token + strlen ("retry-after-"), 0, 86400,
        &step->value);
  }
  if (g_str_has_prefix (token, "slow-headers-")) {
    step->kind = JIMMY_MOCK_STEP_SLOW_HEADERS;
    return parse_number (token + strlen ("slow-headers-"), 1, 600000,
        &step->value);
  }
  if (g_str_has_prefix (token, "body-")) {
    step->kind = JIMMY_MOCK_STEP_BODY;
    step->name = token + strlen ("body-");
    return jimmy_mock_body_name_is_valid (step->name);
  }
  if (is_lower_word (token)) {
    step->kind = JIMMY_MOCK_STEP_STATUS;
    return TRUE;
  }
  return FALSE;
}

static JimmyMockStep *
parse_step (const char *text, GError ** error)
{
  g_autofree char *copy = g_strstrip (g_strdup (text));
  JimmyMockStep *step;
  char *colon;

  step = g_new0 (JimmyMockStep, 1);
  step->count = 1;

  colon = strchr (copy, ':');
  if (colon != NULL) {
    *colon = '\0';
    if (!parse_number (colon + 1, 1, G_MAXUINT, &step->count))
      goto bad_count;
  }
  step->token = g_strdup (copy);
  if (!parse_token (step->token, step))
    goto bad_token;

  return step;

  /* ERRORS */
bad_count:
  {
    g_set_error (error, JIMMY_MOCK_SERVER_ERROR,
        JIMMY_MOCK_SERVER_ERROR_INVALID_SCRIPT,
        "Invalid count in script step \"%s\": expected a number of at "
        "least 1", text);
    step_free (step);
    return NULL;
  }
bad_token:
  {
    g_set_error (error, JIMMY_MOCK_SERVER_ERROR,
        JIMMY_MOCK_SERVER_ERROR_INVALID_SCRIPT,
        "Invalid token \"%s\" in script: expected a lowercase status word, "
        "http-NNN (200-599), retry-after-N, retry-after-date-N, api-error, "
        "garbage, reset, cut-body, hang, slow-headers-MS (1-600000), "
        "trickle, flood, redirect-same, redirect-other, redirect-loop, "
        "completed-no-audio, completed-bad-url, huge or body-NAME "
        "(NAME of [a-z0-9_-])", step->token);
    step_free (step);
    return NULL;
  }
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

/**
 * jimmy_mock_script_validate:
 * @script: a status script
 * @error: return location for a #GError
 *
 * Checks @script against the grammar described in the section
 * documentation, without any server.
 *
 * Returns: %TRUE if @script is valid
 */
gboolean
jimmy_mock_script_validate (const char *script, GError ** error)
{
  g_autoptr(GPtrArray) steps = jimmy_mock_script_parse (script, error);

  return steps != NULL;
}

/* ------------------------------------------------------------------------
 * Media faults
 * --------------------------------------------------------------------- */

/* Returns: TRUE if @text is "<prefix><number in [min, max]>". */
static gboolean
parse_numbered (const char *text, const char *prefix, guint min, guint max,
    guint * out)
{
  return g_str_has_prefix (text, prefix) &&
      parse_number (text + strlen (prefix), min, max, out);
}

/**
 * jimmy_mock_media_fault_parse:
 * @text: (nullable): a media fault, as documented for
 *   jimmy_mock_server_set_media_fault(); %NULL or "none" for none
 * @fault: (out caller-allocates): where to store it
 * @error: return location for a #GError
 *
 * Returns: %TRUE if @text is a media fault; @fault is left alone if not
 */
gboolean
jimmy_mock_media_fault_parse (const char *text, JimmyMockMediaFault * fault,
    GError ** error)
{
  JimmyMockMediaFault parsed = { JIMMY_MOCK_MEDIA_FAULT_NONE, 0, FALSE };

  if (text == NULL || strcmp (text, "none") == 0) {
    /* Nothing: serve the file. */
  } else if (strcmp (text, "html") == 0) {
    parsed.kind = JIMMY_MOCK_MEDIA_FAULT_HTML;
  } else if (strcmp (text, "empty") == 0) {
    parsed.kind = JIMMY_MOCK_MEDIA_FAULT_EMPTY;
  } else if (strlen (text) == strlen ("http-NNN") &&
      parse_numbered (text, "http-", 400, 599, &parsed.value)) {
    parsed.kind = JIMMY_MOCK_MEDIA_FAULT_HTTP;
  } else if (parse_numbered (text, "reset-after-", 0, G_MAXUINT,
          &parsed.value)) {
    parsed.kind = JIMMY_MOCK_MEDIA_FAULT_RESET;
    parsed.first_only = TRUE;
  } else if (parse_numbered (text, "reset-always-after-", 0, G_MAXUINT,
          &parsed.value)) {
    parsed.kind = JIMMY_MOCK_MEDIA_FAULT_RESET;
  } else if (parse_numbered (text, "truncate-", 0, G_MAXUINT,
          &parsed.value)) {
    parsed.kind = JIMMY_MOCK_MEDIA_FAULT_TRUNCATE;
  } else {
    g_set_error (error, JIMMY_MOCK_SERVER_ERROR,
        JIMMY_MOCK_SERVER_ERROR_INVALID_ARGUMENT,
        "Invalid media fault \"%s\": expected none, http-NNN (400-599), "
        "reset-after-N, reset-always-after-N, html, empty or truncate-N",
        text);
    return FALSE;
  }

  *fault = parsed;
  return TRUE;
}
