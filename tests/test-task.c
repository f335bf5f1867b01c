/* test-task.c: jimmy_task_new_from_response() on good and hostile bodies.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <string.h>

#include <glib-object.h>

#include "jimmy-error.h"
#include "jimmy-task.h"

/* The response examples of the query API's documentation, verbatim. */
static const char example_processing[] =
    "{\n"
    "  \"code\": 20000,\n"
    "  \"msg\": \"ok\",\n"
    "  \"data\": {\n"
    "    \"id\": \"audio_16b635ba-5889-4fa5-bbcc-bf67a38c353a\",\n"
    "    \"object\": \"audio\",\n"
    "    \"created\": 1781777280,\n"
    "    \"model\": \"soundCloningClone\",\n"
    "    \"status\": \"processing\",\n"
    "    \"error\": null\n"
    "  }\n"
    "}\n";

static const char example_preview_completed[] =
    "{\n"
    "  \"code\": 20000,\n"
    "  \"msg\": \"ok\",\n"
    "  \"data\": {\n"
    "    \"id\": \"audio_16b635ba-5889-4fa5-bbcc-bf67a38c353a\",\n"
    "    \"object\": \"audio\",\n"
    "    \"created\": 1781777280,\n"
    "    \"model\": \"soundCloningClone\",\n"
    "    \"status\": \"completed\",\n"
    "    \"modelId\": \"model_123456789\",\n"
    "    \"audioUrl\": \"https://example.com/preview-audio.mp3\",\n"
    "    \"error\": null\n"
    "  }\n"
    "}\n";

/* The schema's SoundCloneTaskData example, in the documented envelope. */
static const char example_queued[] =
    "{\"code\": 20000, \"msg\": \"ok\", \"data\": {"
    "\"id\": \"audio_16b635ba-5889-4fa5-bbcc-bf67a38c353a\", "
    "\"object\": \"audio\", \"created\": 1781777280, "
    "\"model\": \"soundCloningClone\", \"status\": \"queued\", "
    "\"error\": null}}";

#define EXAMPLE_ID "audio_16b635ba-5889-4fa5-bbcc-bf67a38c353a"

#define ENVELOPE(data) "{\"code\":20000,\"msg\":\"ok\",\"data\":" data "}"
#define TASK(members) ENVELOPE ("{" members "}")
#define ID "\"id\":\"audio_1\""
#define QUEUED ID ",\"status\":\"queued\""
#define COMPLETED ID ",\"status\":\"completed\""
#define AUDIO ",\"audioUrl\":\"https://cdn.example.com/a.mp3\""

typedef struct
{
  JimmyTask *task;              /* (owned) (nullable) */
  GError *error;                /* (owned) (nullable) */
  gint api_code;
} Fixture;

/* What the API code is when nobody set it. */
#define UNSET_API_CODE (-12345)

static void
fixture_set_up (Fixture *fixture, gconstpointer test_data)
{
  fixture->api_code = UNSET_API_CODE;
}

static void
fixture_tear_down (Fixture *fixture, gconstpointer test_data)
{
  g_clear_pointer (&fixture->task, jimmy_task_free);
  g_clear_error (&fixture->error);
}

static void
parse_bytes (Fixture *fixture, const char *body, gsize length)
{
  g_clear_pointer (&fixture->task, jimmy_task_free);
  g_clear_error (&fixture->error);
  fixture->task = jimmy_task_new_from_response (body, length,
      &fixture->api_code, &fixture->error);

  /* Exactly one of them, always. */
  g_assert_true ((fixture->task == NULL) != (fixture->error == NULL));
  if (fixture->error != NULL)
    g_test_message ("error: %s", fixture->error->message);
}

static void
parse (Fixture *fixture, const char *json)
{
  parse_bytes (fixture, json, strlen (json));
}

static void
assert_message_contains (const GError *error, const char *part)
{
  g_assert_nonnull (error);
  if (strstr (error->message, part) == NULL) {
    g_test_message ("expected \"%s\" in \"%s\"", part, error->message);
    g_test_fail ();
  }
}

static void
assert_malformed (Fixture *fixture, const char *message_part)
{
  g_assert_null (fixture->task);
  g_assert_error (fixture->error, JIMMY_CLIENT_ERROR,
      JIMMY_CLIENT_ERROR_MALFORMED);
  g_assert_true (g_utf8_validate (fixture->error->message, -1, NULL));
  if (message_part != NULL)
    assert_message_contains (fixture->error, message_part);
}

/* ---- The documented examples ---- */

static void
test_example_processing (Fixture *fixture, gconstpointer test_data)
{
  JimmyTask *task;

  parse (fixture, example_processing);
  g_assert_no_error (fixture->error);
  task = fixture->task;

  g_assert_cmpint (fixture->api_code, ==, JIMMY_API_CODE_OK);
  g_assert_cmpstr (task->id, ==, EXAMPLE_ID);
  g_assert_cmpstr (task->object, ==, "audio");
  g_assert_true (task->has_created);
  g_assert_cmpint (task->created, ==, 1781777280);
  g_assert_cmpstr (task->model, ==, "soundCloningClone");
  g_assert_cmpint (task->status, ==, JIMMY_TASK_STATUS_PROCESSING);
  g_assert_cmpstr (task->status_string, ==, "processing");
  g_assert_null (task->model_id);
  g_assert_null (task->audio_url);
  g_assert_null (task->subtitle_url);
  g_assert_null (task->error);
}

static void
test_example_preview_completed (Fixture *fixture, gconstpointer test_data)
{
  JimmyTask *task;

  parse (fixture, example_preview_completed);
  g_assert_no_error (fixture->error);
  task = fixture->task;

  g_assert_cmpint (fixture->api_code, ==, JIMMY_API_CODE_OK);
  g_assert_cmpstr (task->id, ==, EXAMPLE_ID);
  g_assert_cmpstr (task->object, ==, "audio");
  g_assert_true (task->has_created);
  g_assert_cmpint (task->created, ==, 1781777280);
  g_assert_cmpstr (task->model, ==, "soundCloningClone");
  g_assert_cmpint (task->status, ==, JIMMY_TASK_STATUS_COMPLETED);
  g_assert_cmpstr (task->status_string, ==, "completed");
  g_assert_cmpstr (task->model_id, ==, "model_123456789");
  g_assert_cmpstr (task->audio_url, ==,
      "https://example.com/preview-audio.mp3");
  g_assert_null (task->subtitle_url);
  g_assert_null (task->error);
}

static void
test_example_queued (Fixture *fixture, gconstpointer test_data)
{
  parse (fixture, example_queued);
  g_assert_no_error (fixture->error);

  g_assert_cmpstr (fixture->task->id, ==, EXAMPLE_ID);
  g_assert_cmpint (fixture->task->status, ==, JIMMY_TASK_STATUS_QUEUED);
  g_assert_cmpstr (fixture->task->status_string, ==, "queued");
  g_assert_null (fixture->task->audio_url);
}

static void
test_production_completed_with_subtitle (Fixture *fixture,
    gconstpointer test_data)
{
  parse (fixture, TASK (COMPLETED ",\"model\":\"soundCloningAudio\""
          ",\"audioUrl\":\"http://cdn.example.com:8080/a.mp3?sig=1\""
          ",\"subtitleFile\":\"https://cdn.example.com/a.srt\""));
  g_assert_no_error (fixture->error);

  g_assert_cmpint (fixture->task->status, ==, JIMMY_TASK_STATUS_COMPLETED);
  g_assert_cmpstr (fixture->task->model, ==, "soundCloningAudio");
  g_assert_cmpstr (fixture->task->audio_url, ==,
      "http://cdn.example.com:8080/a.mp3?sig=1");
  g_assert_cmpstr (fixture->task->subtitle_url, ==,
      "https://cdn.example.com/a.srt");
}

static void
test_failed_with_error (Fixture *fixture, gconstpointer test_data)
{
  parse (fixture, TASK (ID ",\"status\":\"failed\","
          "\"error\":\"voice sample too short\""));
  g_assert_no_error (fixture->error);

  g_assert_cmpint (fixture->task->status, ==, JIMMY_TASK_STATUS_FAILED);
  g_assert_cmpstr (fixture->task->status_string, ==, "failed");
  g_assert_cmpstr (fixture->task->error, ==, "voice sample too short");
}

static void
test_unknown_status_kept (Fixture *fixture, gconstpointer test_data)
{
  parse (fixture, TASK (ID ",\"status\":\"paused\""));
  g_assert_no_error (fixture->error);

  g_assert_cmpint (fixture->task->status, ==, JIMMY_TASK_STATUS_UNKNOWN);
  g_assert_cmpstr (fixture->task->status_string, ==, "paused");
}

static void
test_all_optional_null (Fixture *fixture, gconstpointer test_data)
{
  parse (fixture, TASK (QUEUED ",\"object\":null,\"created\":null,"
          "\"model\":null,\"modelId\":null,\"audioUrl\":null,"
          "\"subtitleFile\":null,\"error\":null"));
  g_assert_no_error (fixture->error);

  g_assert_cmpstr (fixture->task->id, ==, "audio_1");
  g_assert_null (fixture->task->object);
  g_assert_false (fixture->task->has_created);
  g_assert_null (fixture->task->model);
  g_assert_null (fixture->task->model_id);
  g_assert_null (fixture->task->audio_url);
  g_assert_null (fixture->task->subtitle_url);
  g_assert_null (fixture->task->error);
}

static void
test_all_optional_missing (Fixture *fixture, gconstpointer test_data)
{
  parse (fixture, TASK (QUEUED));
  g_assert_no_error (fixture->error);

  g_assert_cmpstr (fixture->task->id, ==, "audio_1");
  g_assert_cmpint (fixture->task->status, ==, JIMMY_TASK_STATUS_QUEUED);
  g_assert_null (fixture->task->object);
  g_assert_false (fixture->task->has_created);
  g_assert_null (fixture->task->model);
  g_assert_null (fixture->task->error);
}

static void
test_unknown_members_ignored (Fixture *fixture, gconstpointer test_data)
{
  parse (fixture, "{\"code\":20000,\"traceId\":[1,{\"a\":null}],"
      "\"data\":{" QUEUED ",\"progress\":0.5,\"extra\":{\"b\":[true]}}}");
  g_assert_no_error (fixture->error);
  g_assert_cmpint (fixture->task->status, ==, JIMMY_TASK_STATUS_QUEUED);
}

static void
test_non_ascii_strings (Fixture *fixture, gconstpointer test_data)
{
  parse (fixture, TASK ("\"id\":\"audio_音频\",\"status\":\"failed\","
          "\"error\":\"\\u58f0\\u97f3 \\ud83d\\ude00 tab\\tnewline\\n\""));
  g_assert_no_error (fixture->error);

  g_assert_cmpstr (fixture->task->id, ==, "audio_音频");
  g_assert_cmpstr (fixture->task->error, ==, "声音 😀 tab\tnewline\n");
}

static void
test_created_bounds (Fixture *fixture, gconstpointer test_data)
{
  parse (fixture, TASK (QUEUED ",\"created\":0"));
  g_assert_no_error (fixture->error);
  g_assert_true (fixture->task->has_created);
  g_assert_cmpint (fixture->task->created, ==, 0);

  parse (fixture, TASK (QUEUED ",\"created\":9223372036854775807"));
  g_assert_no_error (fixture->error);
  g_assert_cmpint (fixture->task->created, ==, G_MAXINT64);
}

/* The body is read by length, not up to a NUL: bytes after it are not
 * part of it. */
static void
test_length_not_nul (Fixture *fixture, gconstpointer test_data)
{
  g_autofree char *buffer = g_strconcat (example_queued, "}garbage", NULL);

  parse_bytes (fixture, buffer, strlen (example_queued));
  g_assert_no_error (fixture->error);
  g_assert_cmpint (fixture->task->status, ==, JIMMY_TASK_STATUS_QUEUED);
}

static void
test_null_out_api_code (Fixture *fixture, gconstpointer test_data)
{
  g_autoptr(JimmyTask) task = NULL;
  g_autoptr(GError) error = NULL;

  task = jimmy_task_new_from_response (example_queued,
      strlen (example_queued), NULL, NULL);
  g_assert_nonnull (task);

  g_clear_pointer (&task, jimmy_task_free);
  task = jimmy_task_new_from_response ("{\"code\":1}", 10, NULL, &error);
  g_assert_null (task);
  g_assert_error (error, JIMMY_CLIENT_ERROR, JIMMY_CLIENT_ERROR_API);
}

/* ---- The envelope's code ---- */

static void
test_api_code_with_msg (Fixture *fixture, gconstpointer test_data)
{
  parse (fixture, "{\"code\":40001,\"msg\":\"invalid task id\",\"data\":null}");

  g_assert_null (fixture->task);
  g_assert_error (fixture->error, JIMMY_CLIENT_ERROR, JIMMY_CLIENT_ERROR_API);
  g_assert_cmpint (fixture->api_code, ==, 40001);
  g_assert_cmpstr (fixture->error->message, ==,
      "The service answered with code 40001 (\"invalid task id\") "
      "instead of 20000.");
}

static void
test_api_code_without_msg (Fixture *fixture, gconstpointer test_data)
{
  parse (fixture, "{\"code\":50000}");

  g_assert_error (fixture->error, JIMMY_CLIENT_ERROR, JIMMY_CLIENT_ERROR_API);
  g_assert_cmpint (fixture->api_code, ==, 50000);
  g_assert_cmpstr (fixture->error->message, ==,
      "The service answered with code 50000 instead of 20000.");
}

/* Only a string msg is quoted; data is not looked at. */
static void
test_api_code_msg_not_string (Fixture *fixture, gconstpointer test_data)
{
  parse (fixture, "{\"code\":-1,\"msg\":{\"text\":\"no\"},\"data\":[1]}");

  g_assert_error (fixture->error, JIMMY_CLIENT_ERROR, JIMMY_CLIENT_ERROR_API);
  g_assert_cmpint (fixture->api_code, ==, -1);
  g_assert_cmpstr (fixture->error->message, ==,
      "The service answered with code -1 instead of 20000.");
}

/* A server chooses msg: it must not flood or forge log lines. */
static void
test_api_code_msg_long (Fixture *fixture, gconstpointer test_data)
{
  g_autoptr(GString) json = g_string_new ("{\"code\":40300,\"msg\":\"");
  int i;

  for (i = 0; i < 10000; i++)
    g_string_append (json, "音\\n");
  g_string_append (json, "\"}");

  parse (fixture, json->str);
  g_assert_error (fixture->error, JIMMY_CLIENT_ERROR, JIMMY_CLIENT_ERROR_API);
  g_assert_cmpint (fixture->api_code, ==, 40300);
  g_assert_cmpuint (strlen (fixture->error->message), <, 320);
  g_assert_true (g_utf8_validate (fixture->error->message, -1, NULL));
  g_assert_null (strchr (fixture->error->message, '\n'));
  assert_message_contains (fixture->error, "音\\x0a");
}

/* ---- Lone surrogates: one error on every json-glib ----
 *
 * json-glib 1.6 turned a lone surrogate escape into bytes that are not
 * UTF-8, and 1.10 refuses it while parsing, in its own words: the byte
 * scan refuses it first, with one sentence, before `code` is read. */

/* @escape_at: the refused escape and what follows it, unique in @json. */
static void
assert_lone_surrogate (Fixture *fixture, const char *json,
    const char *escape_at, guint value)
{
  const char *at = strstr (json, escape_at);
  g_autofree char *expected = NULL;

  g_assert_nonnull (at);
  g_assert_null (strstr (at + 1, escape_at));
  expected = g_strdup_printf ("The response holds \\u%04x at byte %"
      G_GSIZE_FORMAT ", half of a UTF-16 surrogate pair without the other "
      "half, so one of its strings is not text; check api-url points at "
      "the SoundClone API.", value, (gsize) (at - json));

  parse (fixture, json);
  g_assert_null (fixture->task);
  g_assert_error (fixture->error, JIMMY_CLIENT_ERROR,
      JIMMY_CLIENT_ERROR_MALFORMED);
  g_assert_cmpstr (fixture->error->message, ==, expected);
  g_assert_cmpint (fixture->api_code, ==, UNSET_API_CODE);
}

/* In an error envelope's msg, too: json-glib 1.6 once let the service's
 * code through with the broken msg, 1.10 refused the body. */
static void
test_api_code_msg_lone_surrogate (Fixture *fixture, gconstpointer test_data)
{
  assert_lone_surrogate (fixture,
      "{\"code\":40001,\"msg\":\"bad \\ud83d id\"}", "\\ud83d", 0xd83d);
}

typedef struct
{
  const char *path;
  const char *json;
  const char *escape_at;
  guint value;
} LoneSurrogate;

static const LoneSurrogate lone_surrogates[] = {
  {"/task/refused/lone-surrogate", TASK (ID ",\"status\":\"queued\\udc00\""),
      "\\udc00", 0xdc00},
  {"/task/refused/lone-high-surrogate",
      TASK (ID ",\"status\":\"queued\\ud83dx\""), "\\ud83d", 0xd83d},
  {"/task/lone-surrogate/high-at-end",
      TASK (QUEUED ",\"error\":\"\\ud83d\""), "\\ud83d", 0xd83d},
  {"/task/lone-surrogate/high-then-escape",
      TASK (QUEUED ",\"error\":\"\\ud83d\\n\""), "\\ud83d", 0xd83d},
  {"/task/lone-surrogate/high-then-not-low",
      TASK (QUEUED ",\"error\":\"\\ud800\\u0041\""), "\\ud800", 0xd800},
  {"/task/lone-surrogate/high-then-high",
      TASK (QUEUED ",\"error\":\"\\ud800\\ud800\""), "\\ud800\\ud800",
      0xd800},
  {"/task/lone-surrogate/low-then-high",
      TASK (QUEUED ",\"error\":\"\\udc00\\ud800\""), "\\udc00", 0xdc00},
  {"/task/lone-surrogate/low-after-pair",
      TASK (QUEUED ",\"error\":\"\\ud83d\\ude00\\ude00\""),
      "\\ude00\"", 0xde00},
  {"/task/lone-surrogate/upper-case-hex",
      TASK (QUEUED ",\"error\":\"\\uDBFF!\""), "\\uDBFF", 0xdbff},
  {"/task/lone-surrogate/in-id", TASK ("\"id\":\"audio_\\udfff\""),
      "\\udfff", 0xdfff},
  {"/task/lone-surrogate/in-key", TASK (QUEUED ",\"\\udc00\":1"),
      "\\udc00", 0xdc00},
  {"/task/lone-surrogate/in-unknown-member",
      TASK (QUEUED ",\"extra\":[\"\\ud800\"]"), "\\ud800", 0xd800},
  /* Cut off after the escape: the scan still speaks first. */
  {"/task/lone-surrogate/end-of-body", "{\"code\":40001,\"msg\":\"\\ud83d",
      "\\ud83d", 0xd83d},
};

static void
test_lone_surrogate (Fixture *fixture, gconstpointer test_data)
{
  const LoneSurrogate *lone = test_data;

  assert_lone_surrogate (fixture, lone->json, lone->escape_at, lone->value);
}

/* Whole pairs pass, wherever they are. */
static void
test_surrogate_pairs (Fixture *fixture, gconstpointer test_data)
{
  parse (fixture, TASK ("\"id\":\"audio_\\ud83d\\ude00\",\"status\":"
          "\"queued\",\"\\udbff\\udfff\":\"\\uD83D\\uDE00\""));
  g_assert_no_error (fixture->error);
  g_assert_cmpstr (fixture->task->id, ==, "audio_\xf0\x9f\x98\x80");

  parse (fixture, "{\"code\":40001,\"msg\":\"\\ud83d\\ude00\"}");
  g_assert_error (fixture->error, JIMMY_CLIENT_ERROR, JIMMY_CLIENT_ERROR_API);
  assert_message_contains (fixture->error, "\xf0\x9f\x98\x80");
}

/* Whatever fails once `code` was read still reports it. */
static void
test_api_code_set_before_data_error (Fixture *fixture,
    gconstpointer test_data)
{
  parse (fixture, "{\"code\":20000,\"data\":[]}");

  assert_malformed (fixture, "\"data\" is an array, expected an object");
  g_assert_cmpint (fixture->api_code, ==, JIMMY_API_CODE_OK);
}

/* ---- Type errors name the field, its type and the task ---- */

static void
test_type_error_message (Fixture *fixture, gconstpointer test_data)
{
  parse (fixture, TASK (QUEUED ",\"created\":\"1781777280\""));

  assert_malformed (fixture, NULL);
  g_assert_cmpstr (fixture->error->message, ==,
      "Task \"audio_1\": \"created\" is a string, expected an integer.");
}

static void
test_error_message_bounded (Fixture *fixture, gconstpointer test_data)
{
  g_autoptr(GString) id = g_string_new (NULL);
  g_autofree char *json = NULL;

  while (id->len < 100000)
    g_string_append (id, "audio_\\u0007");

  json = g_strdup_printf (TASK ("\"id\":\"%s\",\"status\":\"queued\","
          "\"created\":true"), id->str);
  parse (fixture, json);

  assert_malformed (fixture, "\"created\" is a boolean, expected an integer");
  g_assert_cmpuint (strlen (fixture->error->message), <, 400);
  g_assert_null (strchr (fixture->error->message, '\a'));
}

static void
test_audio_url_message_bounded (Fixture *fixture, gconstpointer test_data)
{
  g_autoptr(GString) url = g_string_new ("ftp://example.com/");
  g_autofree char *json = NULL;

  while (url->len < 100000)
    g_string_append (url, "aaaaaaaaaa");

  json = g_strdup_printf (TASK (COMPLETED ",\"audioUrl\":\"%s\""), url->str);
  parse (fixture, json);

  assert_malformed (fixture, "Task \"audio_1\"");
  assert_message_contains (fixture->error, "audioUrl");
  assert_message_contains (fixture->error, "ftp://example.com/");
  g_assert_cmpuint (strlen (fixture->error->message), <, 400);
}

/* ---- Size, encoding and depth ---- */

static void
test_empty_body (Fixture *fixture, gconstpointer test_data)
{
  parse_bytes (fixture, NULL, 0);
  assert_malformed (fixture, "empty");
  g_assert_cmpint (fixture->api_code, ==, UNSET_API_CODE);

  parse_bytes (fixture, "", 0);
  assert_malformed (fixture, "empty");
}

static void
test_whitespace_body (Fixture *fixture, gconstpointer test_data)
{
  parse (fixture, " \r\n\t ");
  assert_malformed (fixture, "white space");
}

/* A body that is valid apart from its size: @length bytes, space padded. */
static char *
make_padded_body (gsize length)
{
  char *body = g_malloc (length);
  gsize example_length = strlen (example_queued);

  g_assert_cmpuint (length, >=, example_length);
  memcpy (body, example_queued, example_length);
  memset (body + example_length, ' ', length - example_length);

  return body;
}

static void
test_size_limit (Fixture *fixture, gconstpointer test_data)
{
  g_autofree char *at_limit = make_padded_body (JIMMY_TASK_MAX_RESPONSE_SIZE);
  g_autofree char *over_limit =
      make_padded_body (JIMMY_TASK_MAX_RESPONSE_SIZE + 1);

  parse_bytes (fixture, at_limit, JIMMY_TASK_MAX_RESPONSE_SIZE);
  g_assert_no_error (fixture->error);

  parse_bytes (fixture, over_limit, JIMMY_TASK_MAX_RESPONSE_SIZE + 1);
  assert_malformed (fixture, "larger than 1 MiB");
  g_assert_cmpint (fixture->api_code, ==, JIMMY_API_CODE_OK);
}

static void
test_invalid_utf8 (Fixture *fixture, gconstpointer test_data)
{
  parse (fixture, TASK (QUEUED ",\"error\":\"caf\xe9\""));
  assert_malformed (fixture, "not valid UTF-8");
  g_assert_cmpint (fixture->api_code, ==, UNSET_API_CODE);

  /* An overlong encoding of '"'. */
  parse (fixture, TASK (QUEUED ",\"error\":\"\xc0\xa2\""));
  assert_malformed (fixture, "not valid UTF-8");
}

static void
test_nul_byte (Fixture *fixture, gconstpointer test_data)
{
  const char body[] = "{\"code\":20000,\0\"data\":{}}";

  parse_bytes (fixture, body, sizeof (body) - 1);
  assert_malformed (fixture, "NUL byte at byte 14");
}

/* A string of @depth '[' (and as many ']' if @close), inside a task. */
static char *
make_nested_task (guint depth, gboolean close)
{
  GString *json = g_string_new ("{\"code\":20000,\"data\":{" QUEUED
      ",\"extra\":");
  guint i;

  for (i = 0; i < depth; i++)
    g_string_append_c (json, '[');
  for (i = 0; close && i < depth; i++)
    g_string_append_c (json, ']');
  if (close)
    g_string_append (json, "}}");

  return g_string_free (json, FALSE);
}

/* The root object and data count as two levels. */
static void
test_depth_at_limit (Fixture *fixture, gconstpointer test_data)
{
  g_autofree char *json = make_nested_task (JIMMY_TASK_MAX_JSON_DEPTH - 2,
      TRUE);

  parse (fixture, json);
  g_assert_no_error (fixture->error);
  g_assert_cmpint (fixture->task->status, ==, JIMMY_TASK_STATUS_QUEUED);
}

static void
test_depth_over_limit (Fixture *fixture, gconstpointer test_data)
{
  g_autofree char *json = make_nested_task (JIMMY_TASK_MAX_JSON_DEPTH - 1,
      TRUE);

  parse (fixture, json);
  assert_malformed (fixture, "more than 64 levels deep");
}

/* Without the scan json-glib would overflow the stack on these. */
static void
test_depth_huge (Fixture *fixture, gconstpointer test_data)
{
  g_autofree char *closed = make_nested_task (100000, TRUE);
  g_autofree char *open = make_nested_task (100000, FALSE);
  g_autoptr(GString) objects = g_string_new (NULL);
  guint i;

  parse (fixture, closed);
  assert_malformed (fixture, "more than 64 levels deep");

  parse (fixture, open);
  assert_malformed (fixture, "more than 64 levels deep");

  for (i = 0; i < 100000; i++)
    g_string_append (objects, "{\"a\":");
  parse (fixture, objects->str);
  assert_malformed (fixture, "more than 64 levels deep");
}

/* Brackets in strings are text, however many, escaped quotes or not. */
static void
test_depth_ignores_strings (Fixture *fixture, gconstpointer test_data)
{
  g_autoptr(GString) json = g_string_new ("{\"code\":20000,\"data\":{"
      QUEUED ",\"error\":\"\\\"\\\\");
  guint i;

  for (i = 0; i < 100000; i++)
    g_string_append (json, "[{");
  g_string_append (json, "\"}}");

  parse (fixture, json->str);
  g_assert_no_error (fixture->error);
  g_assert_true (g_str_has_prefix (fixture->task->error, "\"\\[{[{"));
}

/* json-glib takes comments and single-quoted strings, either of which
 * could hide a '"' from the depth scan. */
static void
test_depth_hidden_by_extensions (Fixture *fixture, gconstpointer test_data)
{
  const char *prefixes[] = {
    "{\"code\":20000,\"data\":{'a\"':",
    "{\"code\":20000,\"data\":{/* \" */\"a\":",
    "{\"code\":20000,\"data\":{// \"\n\"a\":",
    "{\"code\":20000,\"data\":{# \"\n\"a\":",
  };
  gsize p;

  for (p = 0; p < G_N_ELEMENTS (prefixes); p++) {
    g_autoptr(GString) json = g_string_new (prefixes[p]);
    guint i;

    for (i = 0; i < 100000; i++)
      g_string_append_c (json, '[');

    parse (fixture, json->str);
    assert_malformed (fixture, "not JSON: unexpected character");
  }
}

/* ---- json-glib's integers ---- */

/* json-glib 1.6 wraps integers beyond 64 bits instead of failing. */
static void
test_created_huge (Fixture *fixture, gconstpointer test_data)
{
  const char *huge[] = {
    "99999999999999999999",     /* json-glib reads -1 */
    "-99999999999999999999",    /* json-glib reads 1 */
    "9223372036854775808",      /* json-glib reads G_MININT64 */
    "-9223372036854775809",     /* json-glib reads G_MAXINT64 */
    "18446744073709551616",
  };
  gsize i;

  for (i = 0; i < G_N_ELEMENTS (huge); i++) {
    g_autofree char *json = g_strdup_printf (TASK (QUEUED ",\"created\":%s"),
        huge[i]);

    parse (fixture, json);
    assert_malformed (fixture, "does not fit in 64 bits");
    g_assert_cmpint (fixture->api_code, ==, UNSET_API_CODE);
  }
}

static void
test_code_huge (Fixture *fixture, gconstpointer test_data)
{
  /* json-glib would read 20000 + 2^64 as 20000. */
  parse (fixture, "{\"code\":18446744073709571616,\"data\":{" QUEUED "}}");
  assert_malformed (fixture, "does not fit in 64 bits");
  g_assert_cmpint (fixture->api_code, ==, UNSET_API_CODE);

  parse (fixture, "{\"code\":5000000000,\"data\":{" QUEUED "}}");
  assert_malformed (fixture, "out of range");
  g_assert_cmpint (fixture->api_code, ==, UNSET_API_CODE);
}

/* ---- Table-driven refusals ---- */

typedef struct
{
  const char *path;
  const char *json;
  gint code;
  const char *message_part;
} Refusal;

static const Refusal refusals[] = {
  /* Not JSON at all. */
  {"/task/refused/garbage", "hello, world", JIMMY_CLIENT_ERROR_MALFORMED,
      "not JSON ("},
  {"/task/refused/html",
        "<!DOCTYPE html>\n<html><body>Bad gateway</body></html>",
      JIMMY_CLIENT_ERROR_MALFORMED, "HTML"},
  {"/task/refused/truncated", "{\"code\":20000,\"msg\":\"ok\",\"data\":{\"id\"",
      JIMMY_CLIENT_ERROR_MALFORMED, "not JSON ("},
  {"/task/refused/unterminated-string", "{\"code\":20000,\"msg\":\"ok",
      JIMMY_CLIENT_ERROR_MALFORMED, "not JSON ("},
  {"/task/refused/trailing-comma", "{\"code\":20000,}",
      JIMMY_CLIENT_ERROR_MALFORMED, "not JSON ("},
  {"/task/refused/trailing-garbage", TASK (QUEUED) " x",
      JIMMY_CLIENT_ERROR_MALFORMED, "not JSON ("},
  /* json-glib 1.6 would return the first and ignore the rest. */
  {"/task/refused/two-objects", TASK (QUEUED) " " TASK (COMPLETED AUDIO),
      JIMMY_CLIENT_ERROR_MALFORMED, "more than one JSON value"},
  {"/task/refused/object-then-array", TASK (QUEUED) "[]",
      JIMMY_CLIENT_ERROR_MALFORMED, "more than one JSON value"},
  {"/task/refused/object-then-string", TASK (QUEUED) "\"x\"",
      JIMMY_CLIENT_ERROR_MALFORMED, "not JSON ("},
  {"/task/refused/single-quotes", "{'code':20000}",
      JIMMY_CLIENT_ERROR_MALFORMED, "unexpected character '''"},
  {"/task/refused/control-byte", "{\"code\":\a20000}",
      JIMMY_CLIENT_ERROR_MALFORMED, "unexpected byte 0x07 at byte 8"},
  {"/task/refused/hex", TASK (QUEUED ",\"created\":0x10"),
      JIMMY_CLIENT_ERROR_MALFORMED, "\"0x10\""},
  {"/task/refused/octal", TASK (QUEUED ",\"created\":010"),
      JIMMY_CLIENT_ERROR_MALFORMED, "not a JSON number"},
  {"/task/refused/infinity", TASK (QUEUED ",\"created\":-Infinity"),
      JIMMY_CLIENT_ERROR_MALFORMED, "not a JSON number"},
  {"/task/refused/nul-escape", TASK (QUEUED ",\"error\":\"a\\u0000b\""),
      JIMMY_CLIENT_ERROR_MALFORMED, "\\u0000"},
  /* Lone surrogates: see lone_surrogates[]. */

  /* Not the envelope. */
  {"/task/refused/root-array", "[" TASK (QUEUED) "]",
      JIMMY_CLIENT_ERROR_MALFORMED, "is an array, expected an object"},
  {"/task/refused/root-string", "\"ok\"", JIMMY_CLIENT_ERROR_MALFORMED,
      "is a string, expected an object"},
  {"/task/refused/root-number", "20000", JIMMY_CLIENT_ERROR_MALFORMED,
      "is an integer, expected an object"},
  {"/task/refused/root-null", "null", JIMMY_CLIENT_ERROR_MALFORMED,
      "is null, expected an object"},
  {"/task/refused/code-missing", "{\"msg\":\"ok\",\"data\":{" QUEUED "}}",
      JIMMY_CLIENT_ERROR_MALFORMED, "has no \"code\""},
  {"/task/refused/code-null", "{\"code\":null,\"data\":{" QUEUED "}}",
      JIMMY_CLIENT_ERROR_MALFORMED, "has no \"code\""},
  {"/task/refused/code-string", "{\"code\":\"20000\",\"data\":{" QUEUED "}}",
        JIMMY_CLIENT_ERROR_MALFORMED,
      "\"code\" is a string, expected an integer"},
  {"/task/refused/code-double", "{\"code\":20000.0,\"data\":{" QUEUED "}}",
        JIMMY_CLIENT_ERROR_MALFORMED,
      "\"code\" is a fractional number, expected an integer"},
  {"/task/refused/code-bool", "{\"code\":true,\"data\":{" QUEUED "}}",
      JIMMY_CLIENT_ERROR_MALFORMED, "\"code\" is a boolean"},
  {"/task/refused/data-missing", "{\"code\":20000,\"msg\":\"ok\"}",
      JIMMY_CLIENT_ERROR_MALFORMED, "has no \"data\""},
  {"/task/refused/data-null", "{\"code\":20000,\"data\":null}",
      JIMMY_CLIENT_ERROR_MALFORMED, "\"data\" is null, expected an object"},
  {"/task/refused/data-array", "{\"code\":20000,\"data\":[{" QUEUED "}]}",
      JIMMY_CLIENT_ERROR_MALFORMED, "\"data\" is an array, expected an object"},
  {"/task/refused/data-string", "{\"code\":20000,\"data\":\"queued\"}",
      JIMMY_CLIENT_ERROR_MALFORMED, "\"data\" is a string"},

  /* Required members. */
  {"/task/refused/id-missing", TASK ("\"status\":\"queued\""),
      JIMMY_CLIENT_ERROR_MALFORMED, "\"id\" is missing"},
  {"/task/refused/id-null", TASK ("\"id\":null,\"status\":\"queued\""),
      JIMMY_CLIENT_ERROR_MALFORMED, "\"id\" is null, expected a string"},
  {"/task/refused/id-empty", TASK ("\"id\":\"\",\"status\":\"queued\""),
      JIMMY_CLIENT_ERROR_MALFORMED, "\"id\" is empty"},
  {"/task/refused/status-missing", TASK (ID),
      JIMMY_CLIENT_ERROR_MALFORMED, "Task \"audio_1\": \"status\" is missing"},
  {"/task/refused/status-null", TASK (ID ",\"status\":null"),
      JIMMY_CLIENT_ERROR_MALFORMED, "\"status\" is null, expected a string"},

  /* created. */
  {"/task/refused/created-negative", TASK (QUEUED ",\"created\":-1"),
      JIMMY_CLIENT_ERROR_MALFORMED, "\"created\" is negative (-1)"},
  {"/task/refused/created-double", TASK (QUEUED ",\"created\":1781777280.0"),
        JIMMY_CLIENT_ERROR_MALFORMED,
      "\"created\" is a fractional number, expected an integer"},
  {"/task/refused/created-exponent", TASK (QUEUED ",\"created\":1.78e9"),
      JIMMY_CLIENT_ERROR_MALFORMED, "\"created\" is a fractional number"},
  {"/task/refused/created-string",
        TASK (QUEUED ",\"created\":\"1781777280\""),
      JIMMY_CLIENT_ERROR_MALFORMED, "\"created\" is a string"},
  {"/task/refused/created-bool", TASK (QUEUED ",\"created\":false"),
      JIMMY_CLIENT_ERROR_MALFORMED, "\"created\" is a boolean"},
  {"/task/refused/created-array", TASK (QUEUED ",\"created\":[1]"),
      JIMMY_CLIENT_ERROR_MALFORMED, "\"created\" is an array"},
  {"/task/refused/created-object", TASK (QUEUED ",\"created\":{}"),
      JIMMY_CLIENT_ERROR_MALFORMED, "\"created\" is an object"},

  /* URLs. */
  {"/task/refused/completed-without-audio-url", TASK (COMPLETED),
        JIMMY_CLIENT_ERROR_MALFORMED,
      "Task \"audio_1\" completed without an audioUrl"},
  {"/task/refused/completed-null-audio-url",
        TASK (COMPLETED ",\"audioUrl\":null"),
      JIMMY_CLIENT_ERROR_MALFORMED, "completed without an audioUrl"},
  {"/task/refused/audio-url-ftp",
        TASK (COMPLETED ",\"audioUrl\":\"ftp://example.com/a.mp3\""),
        JIMMY_CLIENT_ERROR_MALFORMED,
      "audioUrl is not an http or https URL (\"ftp://example.com/a.mp3\")"},
  {"/task/refused/audio-url-file",
        TASK (COMPLETED ",\"audioUrl\":\"file:///etc/passwd\""),
      JIMMY_CLIENT_ERROR_MALFORMED, "audioUrl is not an http or https URL"},
  {"/task/refused/audio-url-javascript",
        TASK (COMPLETED ",\"audioUrl\":\"javascript:alert(1)\""),
      JIMMY_CLIENT_ERROR_MALFORMED, "audioUrl is not an http or https URL"},
  {"/task/refused/audio-url-relative",
        TASK (COMPLETED ",\"audioUrl\":\"/files/a.mp3\""),
      JIMMY_CLIENT_ERROR_MALFORMED, "audioUrl is not an http or https URL"},
  {"/task/refused/audio-url-no-host",
        TASK (COMPLETED ",\"audioUrl\":\"https:///a.mp3\""),
      JIMMY_CLIENT_ERROR_MALFORMED, "audioUrl is not an http or https URL"},
  {"/task/refused/audio-url-empty", TASK (COMPLETED ",\"audioUrl\":\"\""),
      JIMMY_CLIENT_ERROR_MALFORMED, "audioUrl is not an http or https URL"},
  {"/task/refused/audio-url-while-processing",
        TASK (ID ",\"status\":\"processing\",\"audioUrl\":\"file:///x\""),
      JIMMY_CLIENT_ERROR_MALFORMED, "audioUrl is not an http or https URL"},
  {"/task/refused/subtitle-url-data",
        TASK (COMPLETED AUDIO ",\"subtitleFile\":\"data:text/plain,hi\""),
        JIMMY_CLIENT_ERROR_MALFORMED,
      "Task \"audio_1\": subtitleFile is not an http or https URL"},
};

static void
test_refused (Fixture *fixture, gconstpointer test_data)
{
  const Refusal *refusal = test_data;

  parse (fixture, refusal->json);

  g_assert_null (fixture->task);
  g_assert_error (fixture->error, JIMMY_CLIENT_ERROR, refusal->code);
  g_assert_true (g_utf8_validate (fixture->error->message, -1, NULL));
  if (refusal->message_part != NULL)
    assert_message_contains (fixture->error, refusal->message_part);
}

/* Every string member, with every JSON type but string and null. */
static const char *const string_members[] = {
  "id", "status", "object", "model", "modelId", "audioUrl", "subtitleFile",
  "error",
};

static const struct
{
  const char *name;
  const char *json;
  const char *description;
} wrong_types[] = {
  {"integer", "42", "an integer"},
  {"double", "4.2", "a fractional number"},
  {"bool", "true", "a boolean"},
  {"array", "[\"https://example.com/a.mp3\"]", "an array"},
  {"object", "{\"url\":\"https://example.com/a.mp3\"}", "an object"},
};

static void
add_wrong_type_refusals (GPtrArray *owned)
{
  gsize m, t;

  for (m = 0; m < G_N_ELEMENTS (string_members); m++) {
    for (t = 0; t < G_N_ELEMENTS (wrong_types); t++) {
      const char *member = string_members[m];
      Refusal *refusal = g_new0 (Refusal, 1);
      GString *json = g_string_new ("{\"code\":20000,\"data\":{");

      /* The member under test goes first, so it is the first problem. */
      g_string_append_printf (json, "\"%s\":%s", member, wrong_types[t].json);
      if (strcmp (member, "id") != 0)
        g_string_append (json, ",\"id\":\"audio_1\"");
      if (strcmp (member, "status") != 0)
        g_string_append (json, ",\"status\":\"processing\"");
      g_string_append (json, "}}");

      refusal->path = g_strdup_printf ("/task/refused/type/%s/%s", member,
          wrong_types[t].name);
      refusal->json = g_string_free (json, FALSE);
      refusal->code = JIMMY_CLIENT_ERROR_MALFORMED;
      refusal->message_part = g_strdup_printf ("\"%s\" is %s, expected a "
          "string", member, wrong_types[t].description);

      g_ptr_array_add (owned, (char *) refusal->path);
      g_ptr_array_add (owned, (char *) refusal->json);
      g_ptr_array_add (owned, (char *) refusal->message_part);
      g_ptr_array_add (owned, refusal);

      g_test_add (refusal->path, Fixture, refusal, fixture_set_up,
          test_refused, fixture_tear_down);
    }
  }
}

/* ---- Status names, copy, free and equality ---- */

static void
test_status_strings (void)
{
  const struct
  {
    const char *name;
    JimmyTaskStatus status;
  } known[] = {
    {"queued", JIMMY_TASK_STATUS_QUEUED},
    {"processing", JIMMY_TASK_STATUS_PROCESSING},
    {"completed", JIMMY_TASK_STATUS_COMPLETED},
    {"failed", JIMMY_TASK_STATUS_FAILED},
  };
  gsize i;

  for (i = 0; i < G_N_ELEMENTS (known); i++) {
    g_assert_cmpint (jimmy_task_status_from_string (known[i].name), ==,
        known[i].status);
    g_assert_cmpstr (jimmy_task_status_to_string (known[i].status), ==,
        known[i].name);
  }

  g_assert_cmpint (jimmy_task_status_from_string ("Completed"), ==,
      JIMMY_TASK_STATUS_UNKNOWN);
  g_assert_cmpint (jimmy_task_status_from_string (""), ==,
      JIMMY_TASK_STATUS_UNKNOWN);
  g_assert_cmpint (jimmy_task_status_from_string (NULL), ==,
      JIMMY_TASK_STATUS_UNKNOWN);
  g_assert_cmpstr (jimmy_task_status_to_string (JIMMY_TASK_STATUS_UNKNOWN),
      ==, "unknown");
  g_assert_cmpstr (jimmy_task_status_to_string ((JimmyTaskStatus) 99), ==,
      "unknown");
}

static JimmyTask *
parse_or_fail (const char *json)
{
  g_autoptr(GError) error = NULL;
  JimmyTask *task;

  task = jimmy_task_new_from_response (json, strlen (json), NULL, &error);
  g_assert_no_error (error);

  return task;
}

static void
test_copy (void)
{
  g_autoptr(JimmyTask) task = NULL;
  g_autoptr(JimmyTask) copy = NULL;
  JimmyTask *boxed;

  task = parse_or_fail (TASK (COMPLETED ",\"object\":\"audio\","
          "\"created\":7,\"model\":\"soundCloningAudio\",\"modelId\":\"m\","
          "\"audioUrl\":\"https://a.example/a.mp3\","
          "\"subtitleFile\":\"https://a.example/a.srt\",\"error\":\"none\""));
  copy = jimmy_task_copy (task);

  g_assert_true (copy != task);
  g_assert_cmpstr (copy->id, ==, "audio_1");
  g_assert_true (copy->id != task->id);
  g_assert_cmpstr (copy->object, ==, "audio");
  g_assert_true (copy->has_created);
  g_assert_cmpint (copy->created, ==, 7);
  g_assert_cmpstr (copy->model, ==, "soundCloningAudio");
  g_assert_cmpint (copy->status, ==, JIMMY_TASK_STATUS_COMPLETED);
  g_assert_cmpstr (copy->status_string, ==, "completed");
  g_assert_cmpstr (copy->model_id, ==, "m");
  g_assert_cmpstr (copy->audio_url, ==, "https://a.example/a.mp3");
  g_assert_cmpstr (copy->subtitle_url, ==, "https://a.example/a.srt");
  g_assert_cmpstr (copy->error, ==, "none");

  boxed = g_boxed_copy (JIMMY_TYPE_TASK, task);
  g_assert_cmpstr (boxed->audio_url, ==, task->audio_url);
  g_boxed_free (JIMMY_TYPE_TASK, boxed);
  g_assert_cmpstr (g_type_name (JIMMY_TYPE_TASK), ==, "JimmyTask");
}

static void
test_copy_nulls (void)
{
  g_autoptr(JimmyTask) task = parse_or_fail (TASK (QUEUED));
  g_autoptr(JimmyTask) copy = jimmy_task_copy (task);

  g_assert_cmpstr (copy->id, ==, "audio_1");
  g_assert_null (copy->object);
  g_assert_false (copy->has_created);
  g_assert_null (copy->audio_url);
  g_assert_null (copy->error);

  /* NULL-safe, like g_free(). */
  jimmy_task_free (NULL);
}

static void
test_status_equal (void)
{
  g_autoptr(JimmyTask) queued = parse_or_fail (TASK (QUEUED));
  g_autoptr(JimmyTask) queued_later =
      parse_or_fail (TASK (QUEUED ",\"created\":99"));
  g_autoptr(JimmyTask) processing =
      parse_or_fail (TASK (ID ",\"status\":\"processing\""));
  g_autoptr(JimmyTask) paused =
      parse_or_fail (TASK (ID ",\"status\":\"paused\""));
  g_autoptr(JimmyTask) stopped =
      parse_or_fail (TASK (ID ",\"status\":\"stopped\""));

  g_assert_true (jimmy_task_status_equal (queued, queued_later));
  g_assert_true (jimmy_task_status_equal (queued, queued));
  g_assert_false (jimmy_task_status_equal (queued, processing));
  /* Both UNKNOWN, but different news. */
  g_assert_false (jimmy_task_status_equal (paused, stopped));
  g_assert_false (jimmy_task_status_equal (NULL, queued));
  g_assert_false (jimmy_task_status_equal (queued, NULL));
  g_assert_false (jimmy_task_status_equal (NULL, NULL));
}

/* ---- The fuzzing seeds stay valid ---- */

static void
test_fuzz_seeds (void)
{
  g_autofree char *dir_path = g_test_build_filename (G_TEST_DIST, "data",
      "fuzz-seeds", NULL);
  g_autoptr(GDir) dir = NULL;
  g_autoptr(GError) error = NULL;
  const char *name;
  guint n_seeds = 0;

  dir = g_dir_open (dir_path, 0, &error);
  g_assert_no_error (error);

  while ((name = g_dir_read_name (dir)) != NULL) {
    g_autofree char *path = g_build_filename (dir_path, name, NULL);
    g_autofree char *contents = NULL;
    g_autoptr(JimmyTask) task = NULL;
    g_autoptr(GError) parse_error = NULL;
    gsize length = 0;
    gint api_code = UNSET_API_CODE;

    if (!g_str_has_suffix (name, ".json"))
      continue;

    g_file_get_contents (path, &contents, &length, &error);
    g_assert_no_error (error);

    task = jimmy_task_new_from_response (contents, length, &api_code,
        &parse_error);

    /* Seeds named api-error-* carry a failure code; all others a task. */
    if (g_str_has_prefix (name, "api-error")) {
      g_assert_error (parse_error, JIMMY_CLIENT_ERROR,
          JIMMY_CLIENT_ERROR_API);
      g_assert_cmpint (api_code, !=, JIMMY_API_CODE_OK);
    } else {
      g_assert_no_error (parse_error);
      g_assert_cmpint (api_code, ==, JIMMY_API_CODE_OK);
      g_assert_cmpint (task->status, !=, JIMMY_TASK_STATUS_UNKNOWN);
    }
    n_seeds++;
  }

  g_assert_cmpuint (n_seeds, >=, 3);
}

#define ADD_FIXTURE_TEST(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

int
main (int argc, char **argv)
{
  g_autoptr(GPtrArray) owned = g_ptr_array_new_with_free_func (g_free);
  gsize i;
  int ret;

  g_test_init (&argc, &argv, NULL);

  ADD_FIXTURE_TEST ("/task/example/processing", test_example_processing);
  ADD_FIXTURE_TEST ("/task/example/preview-completed",
      test_example_preview_completed);
  ADD_FIXTURE_TEST ("/task/example/queued", test_example_queued);
  ADD_FIXTURE_TEST ("/task/production-completed-with-subtitle",
      test_production_completed_with_subtitle);
  ADD_FIXTURE_TEST ("/task/failed-with-error", test_failed_with_error);
  ADD_FIXTURE_TEST ("/task/unknown-status-kept", test_unknown_status_kept);
  ADD_FIXTURE_TEST ("/task/optional/null", test_all_optional_null);
  ADD_FIXTURE_TEST ("/task/optional/missing", test_all_optional_missing);
  ADD_FIXTURE_TEST ("/task/unknown-members-ignored",
      test_unknown_members_ignored);
  ADD_FIXTURE_TEST ("/task/non-ascii-strings", test_non_ascii_strings);
  ADD_FIXTURE_TEST ("/task/created/bounds", test_created_bounds);
  ADD_FIXTURE_TEST ("/task/created/huge", test_created_huge);
  ADD_FIXTURE_TEST ("/task/length-not-nul", test_length_not_nul);
  ADD_FIXTURE_TEST ("/task/null-out-api-code", test_null_out_api_code);

  ADD_FIXTURE_TEST ("/task/api-code/with-msg", test_api_code_with_msg);
  ADD_FIXTURE_TEST ("/task/api-code/without-msg", test_api_code_without_msg);
  ADD_FIXTURE_TEST ("/task/api-code/msg-not-string",
      test_api_code_msg_not_string);
  ADD_FIXTURE_TEST ("/task/api-code/msg-long", test_api_code_msg_long);
  ADD_FIXTURE_TEST ("/task/api-code/msg-lone-surrogate",
      test_api_code_msg_lone_surrogate);
  ADD_FIXTURE_TEST ("/task/surrogate-pairs", test_surrogate_pairs);
  for (i = 0; i < G_N_ELEMENTS (lone_surrogates); i++) {
    g_test_add (lone_surrogates[i].path, Fixture, &lone_surrogates[i],
        fixture_set_up, test_lone_surrogate, fixture_tear_down);
  }
  ADD_FIXTURE_TEST ("/task/api-code/set-before-data-error",
      test_api_code_set_before_data_error);
  ADD_FIXTURE_TEST ("/task/api-code/huge", test_code_huge);

  ADD_FIXTURE_TEST ("/task/message/type-error", test_type_error_message);
  ADD_FIXTURE_TEST ("/task/message/bounded", test_error_message_bounded);
  ADD_FIXTURE_TEST ("/task/message/audio-url-bounded",
      test_audio_url_message_bounded);

  ADD_FIXTURE_TEST ("/task/body/empty", test_empty_body);
  ADD_FIXTURE_TEST ("/task/body/whitespace", test_whitespace_body);
  ADD_FIXTURE_TEST ("/task/body/size-limit", test_size_limit);
  ADD_FIXTURE_TEST ("/task/body/invalid-utf8", test_invalid_utf8);
  ADD_FIXTURE_TEST ("/task/body/nul-byte", test_nul_byte);
  ADD_FIXTURE_TEST ("/task/depth/at-limit", test_depth_at_limit);
  ADD_FIXTURE_TEST ("/task/depth/over-limit", test_depth_over_limit);
  ADD_FIXTURE_TEST ("/task/depth/huge", test_depth_huge);
  ADD_FIXTURE_TEST ("/task/depth/ignores-strings", test_depth_ignores_strings);
  ADD_FIXTURE_TEST ("/task/depth/hidden-by-extensions",
      test_depth_hidden_by_extensions);

  for (i = 0; i < G_N_ELEMENTS (refusals); i++) {
    g_test_add (refusals[i].path, Fixture, &refusals[i], fixture_set_up,
        test_refused, fixture_tear_down);
  }
  add_wrong_type_refusals (owned);

  g_test_add_func ("/task/status-strings", test_status_strings);
  g_test_add_func ("/task/copy", test_copy);
  g_test_add_func ("/task/copy-nulls", test_copy_nulls);
  g_test_add_func ("/task/status-equal", test_status_equal);
  g_test_add_func ("/task/fuzz-seeds", test_fuzz_seeds);

  ret = g_test_run ();

  return ret;
}
