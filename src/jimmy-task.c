/* jimmy-task.c: turns a query API response into a JimmyTask.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "jimmy-task.h"

#include <stdarg.h>
#include <string.h>

#include <json-glib/json-glib.h>

#include "jimmy-api.h"
#include "jimmy-error.h"
#include "jimmy-text.h"


/* The advice for answers that do not look like the API's at all. */
#define CHECK_API_URL "check api-url points at the SoundClone API"

G_DEFINE_BOXED_TYPE (JimmyTask, jimmy_task, jimmy_task_copy, jimmy_task_free)

static const struct
{
  JimmyTaskStatus status;
  const char *name;
} status_names[] = {
  {JIMMY_TASK_STATUS_QUEUED, "queued"},
  {JIMMY_TASK_STATUS_PROCESSING, "processing"},
  {JIMMY_TASK_STATUS_COMPLETED, "completed"},
  {JIMMY_TASK_STATUS_FAILED, "failed"},
};

JimmyTaskStatus
jimmy_task_status_from_string (const char *status)
{
  gsize i;

  if (status == NULL)
    return JIMMY_TASK_STATUS_UNKNOWN;

  for (i = 0; i < G_N_ELEMENTS (status_names); i++) {
    if (strcmp (status, status_names[i].name) == 0)
      return status_names[i].status;
  }

  return JIMMY_TASK_STATUS_UNKNOWN;
}

const char *
jimmy_task_status_to_string (JimmyTaskStatus status)
{
  gsize i;

  for (i = 0; i < G_N_ELEMENTS (status_names); i++) {
    if (status_names[i].status == status)
      return status_names[i].name;
  }

  return "unknown";
}

JimmyTask *
jimmy_task_copy (const JimmyTask *task)
{
  JimmyTask *copy;

  g_return_val_if_fail (task != NULL, NULL);

  copy = g_new0 (JimmyTask, 1);
  copy->id = g_strdup (task->id);
  copy->object = g_strdup (task->object);
  copy->created = task->created;
  copy->has_created = task->has_created;
  copy->model = g_strdup (task->model);
  copy->status = task->status;
  copy->status_string = g_strdup (task->status_string);
  copy->model_id = g_strdup (task->model_id);
  copy->audio_url = g_strdup (task->audio_url);
  copy->subtitle_url = g_strdup (task->subtitle_url);
  copy->error = g_strdup (task->error);

  return copy;
}

void
jimmy_task_free (JimmyTask *task)
{
  if (task == NULL)
    return;

  g_free (task->id);
  g_free (task->object);
  g_free (task->model);
  g_free (task->status_string);
  g_free (task->model_id);
  g_free (task->audio_url);
  g_free (task->subtitle_url);
  g_free (task->error);
  g_free (task);
}

gboolean
jimmy_task_status_equal (const JimmyTask *a, const JimmyTask *b)
{
  if (a == NULL || b == NULL)
    return FALSE;

  return g_strcmp0 (a->status_string, b->status_string) == 0;
}

static gboolean set_malformed (GError **error, const char *format, ...)
    G_GNUC_PRINTF (2, 3);

/* Always returns FALSE, so callers can `return set_malformed (…);`. */
static gboolean
set_malformed (GError **error, const char *format, ...)
{
  va_list args;

  va_start (args, format);
  g_propagate_error (error, g_error_new_valist (JIMMY_CLIENT_ERROR,
          JIMMY_CLIENT_ERROR_MALFORMED, format, args));
  va_end (args);

  return FALSE;
}

/* ---- The byte scan that runs before json-glib ---- */

static gboolean
is_number_byte (char c)
{
  return g_ascii_isalnum (c) || c == '.' || c == '+' || c == '-';
}

/* Returns the offset just past the word starting at @start. */
static gsize
skip_word (const char *body, gsize length, gsize start, gboolean numeric)
{
  gsize i = start;

  while (i < length && (numeric ? is_number_byte (body[i])
          : g_ascii_isalpha (body[i])))
    i++;

  return i;
}

/* RFC 8259's number grammar. json-glib also takes hex and octal, which a
 * strict server never sends, so we refuse them rather than misread them. */
static gboolean
is_json_number (const char *s, gsize len, gboolean *out_is_integer)
{
  gsize i = 0;
  gboolean is_integer = TRUE;

  if (i < len && s[i] == '-')
    i++;

  if (i < len && s[i] == '0') {
    i++;
  } else if (i < len && s[i] >= '1' && s[i] <= '9') {
    while (i < len && g_ascii_isdigit (s[i]))
      i++;
  } else {
    return FALSE;
  }

  if (i < len && s[i] == '.') {
    gsize digits_start = ++i;

    while (i < len && g_ascii_isdigit (s[i]))
      i++;
    if (i == digits_start)
      return FALSE;
    is_integer = FALSE;
  }

  if (i < len && (s[i] == 'e' || s[i] == 'E')) {
    gsize digits_start;

    i++;
    if (i < len && (s[i] == '+' || s[i] == '-'))
      i++;
    digits_start = i;
    while (i < len && g_ascii_isdigit (s[i]))
      i++;
    if (i == digits_start)
      return FALSE;
    is_integer = FALSE;
  }

  *out_is_integer = is_integer;
  return i == len;
}

/* @s is a valid JSON integer, so it has no leading zeros and the digit
 * count alone decides, except at exactly 19 digits. */
static gboolean
integer_fits_int64 (const char *s, gsize len)
{
  gboolean negative = s[0] == '-';
  const char *digits = negative ? s + 1 : s;
  gsize n_digits = negative ? len - 1 : len;
  const char *limit = negative ? "9223372036854775808" : "9223372036854775807";

  if (n_digits != 19)
    return n_digits < 19;

  return memcmp (digits, limit, 19) <= 0;
}

static gboolean
check_number (const char *body, gsize start, gsize end, GError **error)
{
  g_autofree char *quoted = NULL;
  gboolean is_integer = FALSE;

  if (!is_json_number (body + start, end - start, &is_integer)) {
    quoted = jimmy_text_quote (body + start, MIN (end - start, 40));
    return set_malformed (error, "The response is not JSON: \"%s\" at byte %"
        G_GSIZE_FORMAT " is not a JSON number; " CHECK_API_URL ".",
        quoted, start);
  }

  /* json-glib 1.6 wraps such integers silently: 99999999999999999999
   * becomes -1 and -99999999999999999999 becomes 1. */
  if (is_integer && !integer_fits_int64 (body + start, end - start)) {
    quoted = jimmy_text_quote (body + start, MIN (end - start, 40));
    return set_malformed (error, "The response holds the integer %s at "
        "byte %" G_GSIZE_FORMAT ", which does not fit in 64 bits.",
        quoted, start);
  }

  return TRUE;
}

static gboolean
only_white_space_before (const char *body, gsize offset)
{
  gsize i;

  for (i = 0; i < offset; i++) {
    if (!g_ascii_isspace (body[i]))
      return FALSE;
  }

  return TRUE;
}

static gboolean
set_unexpected_byte (GError **error, const char *body, gsize offset)
{
  guchar c = body[offset];

  /* A proxy's error page, or an api-url pointing at a web site. */
  if (c == '<' && only_white_space_before (body, offset)) {
    return set_malformed (error, "The response is an HTML or XML page, not "
        "JSON; " CHECK_API_URL ".");
  }

  if (g_ascii_isgraph (c)) {
    return set_malformed (error, "The response is not JSON: unexpected "
        "character '%c' at byte %" G_GSIZE_FORMAT "; " CHECK_API_URL ".",
        c, offset);
  }

  return set_malformed (error, "The response is not JSON: unexpected byte "
      "0x%02x at byte %" G_GSIZE_FORMAT "; " CHECK_API_URL ".", c, offset);
}

/* Reads the 4 hex digits of a \u escape at @s, if there are 4. */
static gboolean
read_hex4 (const char *s, gsize available, guint *out_value)
{
  guint value = 0;
  gsize k;

  if (available < 4)
    return FALSE;

  for (k = 0; k < 4; k++) {
    gint digit = g_ascii_xdigit_value (s[k]);

    if (digit < 0)
      return FALSE;
    value = value * 16 + digit;
  }

  *out_value = value;
  return TRUE;
}

/* Checks the escape at @i (the backslash) and sets *out_last to the
 * offset of its last byte. JSON wants exactly 4 hex digits after \u, and
 * a UTF-16 surrogate only as a high one followed by a low one. json-glib
 * 1.6 takes fewer digits ("\udc0" is U+DC00), turns a lone surrogate into
 * bytes that are not UTF-8, and leaks its string buffer when a surrogate
 * is followed by a \u escape that does not complete a pair; json-glib
 * 1.10 refuses lone surrogates with a message of its own. So such escapes
 * never reach json-glib, and every json-glib gives the same error. */
static gboolean
check_escape (const char *body, gsize length, gsize i, gsize *out_last,
    GError **error)
{
  guint first, second;

  /* Whatever is escaped, it cannot end the string. */
  *out_last = i + 1;
  if (body[i + 1] != 'u')
    return TRUE;

  if (!read_hex4 (body + i + 2, length - i - 2, &first)) {
    return set_malformed (error, "The response holds a \\u escape "
        "without 4 hex digits at byte %" G_GSIZE_FORMAT ".", i);
  }

  *out_last = i + 5;
  if (first < 0xd800 || first > 0xdfff)
    return TRUE;

  if (first <= 0xdbff && length - i >= 12 && body[i + 6] == '\\'
      && body[i + 7] == 'u'
      && read_hex4 (body + i + 8, length - i - 8, &second)
      && second >= 0xdc00 && second <= 0xdfff) {
    *out_last = i + 11;
    return TRUE;
  }

  return set_malformed (error, "The response holds \\u%04x at byte %"
      G_GSIZE_FORMAT ", half of a UTF-16 surrogate pair without the other "
      "half, so one of its strings is not text; " CHECK_API_URL ".", first,
      i);
}

/* A cheap pass over the raw bytes that refuses what json-glib 1.6 would
 * choke on or misread: nesting deeper than JIMMY_TASK_MAX_JSON_DEPTH (its
 * parser recurses per level, so 100000 levels overflow the stack),
 * integers beyond 64 bits, "\u0000" (it silently cuts the string), \u
 * escapes that are not whole characters (see check_escape()), and a
 * second object or array after the first value, even a scalar one (it
 * silently ignores the second value, and leaks it: "0{…}" cost json-glib
 * 1.6 the whole object).
 *
 * Outside strings only bytes that JSON allows there are accepted. That is
 * what makes the depth count sound: json-glib also knows comments and
 * single-quoted strings, either of which could hide a '"' from this scan
 * and so hide brackets from the count. Syntax errors are left to
 * json-glib, whose messages say more. */
static gboolean
check_json_text (const char *body, gsize length, GError **error)
{
  gboolean in_string = FALSE;
  gboolean closed_root = FALSE;
  guint depth = 0;
  gsize i;

  for (i = 0; i < length; i++) {
    char c = body[i];

    if (in_string) {
      if (c == '\\' && i + 1 < length) {
        if (length - i > 5 && memcmp (body + i + 1, "u0000", 5) == 0) {
          return set_malformed (error, "The response holds a string with "
              "a \\u0000 escape at byte %" G_GSIZE_FORMAT ", which no field "
              "of the API may contain.", i);
        }
        if (!check_escape (body, length, i, &i, error))
          return FALSE;
      } else if (c == '"') {
        in_string = FALSE;
        /* A top-level scalar is a whole value too. */
        if (depth == 0)
          closed_root = TRUE;
      }
      continue;
    }

    switch (c) {
      case '"':
        in_string = TRUE;
        break;
      case '[':
      case '{':
        if (depth == 0 && closed_root) {
          return set_malformed (error, "The response holds more than one "
              "JSON value (the second starts at byte %" G_GSIZE_FORMAT "); "
              CHECK_API_URL ".", i);
        }
        if (++depth > JIMMY_TASK_MAX_JSON_DEPTH) {
          return set_malformed (error, "The response nests JSON more than "
              "%d levels deep (at byte %" G_GSIZE_FORMAT "), which the API "
              "never does.", JIMMY_TASK_MAX_JSON_DEPTH, i);
        }
        break;
      case ']':
      case '}':
        /* Too many closers are a syntax error json-glib reports. */
        if (depth > 0 && --depth == 0)
          closed_root = TRUE;
        break;
      case ' ':
      case '\t':
      case '\n':
      case '\r':
      case ':':
      case ',':
        break;
      default:
        if (c == '-' || g_ascii_isdigit (c)) {
          gsize end = skip_word (body, length, i, TRUE);

          if (!check_number (body, i, end, error))
            return FALSE;
          i = end - 1;
          if (depth == 0)
            closed_root = TRUE;
        } else if (g_ascii_isalpha (c)) {
          /* true, false, null, or an identifier json-glib will refuse. */
          i = skip_word (body, length, i, FALSE) - 1;
          if (depth == 0)
            closed_root = TRUE;
        } else {
          return set_unexpected_byte (error, body, i);
        }
        break;
    }
  }

  return TRUE;
}

static gboolean
check_body (const char *body, gsize length, GError **error)
{
  const char *end = NULL;

  if (length > JIMMY_TASK_MAX_RESPONSE_SIZE) {
    return set_malformed (error, "The response is larger than 1 MiB (%"
        G_GSIZE_FORMAT " bytes); " CHECK_API_URL ".", length);
  }

  if (length == 0) {
    return set_malformed (error, "The response body is empty; "
        CHECK_API_URL ".");
  }

  if (!g_utf8_validate_len (body, length, &end)) {
    gsize offset = end - body;

    if (*end == '\0') {
      return set_malformed (error, "The response holds a NUL byte at byte %"
          G_GSIZE_FORMAT "; " CHECK_API_URL ".", offset);
    }
    return set_malformed (error, "The response is not valid UTF-8 (at byte %"
        G_GSIZE_FORMAT "); " CHECK_API_URL ".", offset);
  }

  return check_json_text (body, length, error);
}

static JsonNode *
parse_json (const char *body, gsize length, GError **error)
{
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  g_autoptr(GError) local_error = NULL;
  JsonNode *root;

  if (!json_parser_load_from_data (parser, body, length, &local_error)) {
    g_autofree char *reason = jimmy_text_quote (local_error->message, -1);

    set_malformed (error, "The response is not JSON (%s); " CHECK_API_URL
        ".", reason);
    return NULL;
  }

  /* json-glib answers nothing at all for blank input. */
  root = json_parser_steal_root (parser);
  if (root == NULL) {
    set_malformed (error, "The response holds only white space; "
        CHECK_API_URL ".");
    return NULL;
  }

  return root;
}

/* ---- Type-checked member access ---- */

static const char *
describe_node_type (JsonNode *node)
{
  switch (json_node_get_node_type (node)) {
    case JSON_NODE_OBJECT:
      return "an object";
    case JSON_NODE_ARRAY:
      return "an array";
    case JSON_NODE_NULL:
      return "null";
    case JSON_NODE_VALUE:
      break;
  }

  switch (json_node_get_value_type (node)) {
    case G_TYPE_INT64:
      return "an integer";
    case G_TYPE_DOUBLE:
      return "a fractional number";
    case G_TYPE_BOOLEAN:
      return "a boolean";
    case G_TYPE_STRING:
      return "a string";
    default:
      return "a value of unknown type";
  }
}

static gboolean
node_holds (JsonNode *node, GType value_type)
{
  return json_node_get_node_type (node) == JSON_NODE_VALUE &&
      json_node_get_value_type (node) == value_type;
}

static gboolean
set_wrong_type (GError **error, const char *where, const char *member,
    JsonNode *node, const char *expected)
{
  return set_malformed (error, "%s: \"%s\" is %s, expected %s.", where,
      member, describe_node_type (node), expected);
}

/* @where names what holds @member in error messages, e.g. `Task "x"`.
 * A missing or null member gives %NULL; *out_value is only set on success. */
static gboolean
get_optional_string_member (JsonObject *object, const char *member,
    const char *where, char **out_value, GError **error)
{
  JsonNode *node = json_object_get_member (object, member);
  const char *value;

  if (node == NULL || JSON_NODE_HOLDS_NULL (node)) {
    *out_value = NULL;
    return TRUE;
  }

  if (!node_holds (node, G_TYPE_STRING))
    return set_wrong_type (error, where, member, node, "a string");

  /* JimmyTask promises UTF-8. check_escape() already refused the lone
   * surrogates json-glib 1.6 would turn into other bytes; this does not
   * rely on it. */
  value = json_node_get_string (node);
  if (!g_utf8_validate (value, -1, NULL)) {
    return set_malformed (error, "%s: \"%s\" is not valid UTF-8.", where,
        member);
  }

  *out_value = g_strdup (value);
  return TRUE;
}

static gboolean
get_required_string_member (JsonObject *object, const char *member,
    const char *where, char **out_value, GError **error)
{
  JsonNode *node = json_object_get_member (object, member);

  if (node == NULL)
    return set_malformed (error, "%s: \"%s\" is missing.", where, member);

  if (JSON_NODE_HOLDS_NULL (node))
    return set_wrong_type (error, where, member, node, "a string");

  return get_optional_string_member (object, member, where, out_value, error);
}

/* Only JSON integers count: 1.0, "1" and true are all refused. */
static gboolean
get_optional_int64_member (JsonObject *object, const char *member,
    const char *where, gboolean *out_present, gint64 *out_value,
    GError **error)
{
  JsonNode *node = json_object_get_member (object, member);

  if (node == NULL || JSON_NODE_HOLDS_NULL (node)) {
    *out_present = FALSE;
    *out_value = 0;
    return TRUE;
  }

  if (!node_holds (node, G_TYPE_INT64))
    return set_wrong_type (error, where, member, node, "an integer");

  *out_present = TRUE;
  *out_value = json_node_get_int (node);
  return TRUE;
}

/* ---- The envelope and the task ---- */

static gboolean
read_envelope_code (JsonObject *root, gint *out_code, GError **error)
{
  gboolean present = FALSE;
  gint64 code = 0;

  if (!get_optional_int64_member (root, "code", "The response", &present,
          &code, error))
    return FALSE;

  if (!present) {
    return set_malformed (error, "The response has no \"code\"; "
        CHECK_API_URL ".");
  }

  if (code < G_MININT || code > G_MAXINT) {
    return set_malformed (error, "The response: \"code\" %" G_GINT64_FORMAT
        " is out of range; " CHECK_API_URL ".", code);
  }

  *out_code = (gint) code;
  return TRUE;
}

static void
set_api_error (JsonObject *root, gint code, GError **error)
{
  JsonNode *msg = json_object_get_member (root, "msg");

  if (msg != NULL && node_holds (msg, G_TYPE_STRING)) {
    g_autofree char *quoted =
        jimmy_text_quote (json_node_get_string (msg), -1);

    g_set_error (error, JIMMY_CLIENT_ERROR, JIMMY_CLIENT_ERROR_API,
        "The service answered with code %d (\"%s\") instead of %d.",
        code, quoted, JIMMY_API_CODE_OK);
    return;
  }

  g_set_error (error, JIMMY_CLIENT_ERROR, JIMMY_CLIENT_ERROR_API,
      "The service answered with code %d instead of %d.",
      code, JIMMY_API_CODE_OK);
}

static JsonObject *
get_data_object (JsonObject *root, GError **error)
{
  JsonNode *data = json_object_get_member (root, "data");

  if (data == NULL) {
    set_malformed (error, "The response has no \"data\" although its "
        "\"code\" is %d; " CHECK_API_URL ".", JIMMY_API_CODE_OK);
    return NULL;
  }

  if (!JSON_NODE_HOLDS_OBJECT (data)) {
    set_wrong_type (error, "The response", "data", data, "an object");
    return NULL;
  }

  return json_node_get_object (data);
}

static gboolean
read_task_id (JsonObject *data, JimmyTask *task, GError **error)
{
  if (!get_required_string_member (data, "id", "The response's task",
          &task->id, error))
    return FALSE;

  if (task->id[0] == '\0')
    return set_malformed (error, "The response's task: \"id\" is empty.");

  return TRUE;
}

static gboolean
read_created (JsonObject *data, const char *where, JimmyTask *task,
    GError **error)
{
  if (!get_optional_int64_member (data, "created", where, &task->has_created,
          &task->created, error))
    return FALSE;

  if (task->has_created && task->created < 0) {
    return set_malformed (error, "%s: \"created\" is negative (%"
        G_GINT64_FORMAT "), expected seconds since 1970.", where,
        task->created);
  }

  return TRUE;
}

/* The URLs are handed to other elements, so only http(s) gets through. */
static gboolean
check_urls (JimmyTask *task, const char *where, GError **error)
{
  if (task->status == JIMMY_TASK_STATUS_COMPLETED && task->audio_url == NULL) {
    return set_malformed (error, "%s completed without an audioUrl, so "
        "there is nothing to play.", where);
  }

  if (task->audio_url != NULL &&
      !jimmy_api_validate_media_url (task->audio_url, "audioUrl", task->id,
          error))
    return FALSE;

  if (task->subtitle_url != NULL &&
      !jimmy_api_validate_media_url (task->subtitle_url, "subtitleFile",
          task->id, error))
    return FALSE;

  return TRUE;
}

static JimmyTask *
task_new_from_data (JsonObject *data, GError **error)
{
  g_autoptr(JimmyTask) task = g_new0 (JimmyTask, 1);
  g_autofree char *quoted_id = NULL;
  g_autofree char *where = NULL;

  if (!read_task_id (data, task, error))
    return NULL;

  quoted_id = jimmy_text_quote (task->id, -1);
  where = g_strdup_printf ("Task \"%s\"", quoted_id);

  if (!get_required_string_member (data, "status", where,
          &task->status_string, error) ||
      !get_optional_string_member (data, "object", where, &task->object,
          error) ||
      !get_optional_string_member (data, "model", where, &task->model,
          error) ||
      !get_optional_string_member (data, "modelId", where, &task->model_id,
          error) ||
      !get_optional_string_member (data, "audioUrl", where, &task->audio_url,
          error) ||
      !get_optional_string_member (data, "subtitleFile", where,
          &task->subtitle_url, error) ||
      !get_optional_string_member (data, "error", where, &task->error,
          error) ||
      !read_created (data, where, task, error))
    return NULL;

  task->status = jimmy_task_status_from_string (task->status_string);

  if (!check_urls (task, where, error))
    return NULL;

  return g_steal_pointer (&task);
}

/**
 * jimmy_task_new_from_response:
 * @body: (array length=length): the response body, not necessarily
 *   NUL-terminated.
 * @length: the size of @body in bytes.
 * @out_api_code: (out) (optional): the envelope `code`, set as soon as it
 *   could be read, even if parsing fails later.
 * @error: a #JIMMY_CLIENT_ERROR: %JIMMY_CLIENT_ERROR_API when `code` is not
 *   20000, %JIMMY_CLIENT_ERROR_MALFORMED for anything else.
 *
 * Parses a query response envelope. Everything is checked before it is
 * trusted: size, encoding, depth, every field's JSON type, and that the
 * URLs are http or https.
 *
 * Returns: (transfer full): the task, or %NULL with @error set.
 */
JimmyTask *
jimmy_task_new_from_response (const char *body, gsize length,
    gint *out_api_code, GError **error)
{
  g_autoptr(JsonNode) root_node = NULL;
  JsonObject *root;
  JsonObject *data;
  gint code = 0;

  g_return_val_if_fail (body != NULL || length == 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!check_body (body, length, error))
    return NULL;

  root_node = parse_json (body, length, error);
  if (root_node == NULL)
    return NULL;

  if (!JSON_NODE_HOLDS_OBJECT (root_node)) {
    set_malformed (error, "The response is %s, expected an object with "
        "\"code\" and \"data\"; " CHECK_API_URL ".",
        describe_node_type (root_node));
    return NULL;
  }
  root = json_node_get_object (root_node);

  if (!read_envelope_code (root, &code, error))
    return NULL;

  if (out_api_code != NULL)
    *out_api_code = code;

  if (code != JIMMY_API_CODE_OK) {
    set_api_error (root, code, error);
    return NULL;
  }

  data = get_data_object (root, error);
  if (data == NULL)
    return NULL;

  return task_new_from_data (data, error);
}
