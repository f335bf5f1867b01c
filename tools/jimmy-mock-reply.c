/* jimmy-mock-reply.c: the responses of the mock server, built with
 * json-glib.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "jimmy-mock-reply-private.h"

#include <string.h>

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#define TASK_CREATED 1781777280
#define TASK_MODEL_ID "model_123456789"

#define GARBAGE "<html>not json"

/* Over the client's 1 MiB limit. */
#define HUGE_SIZE (2 * 1024 * 1024)

/* What a completed task says about its audio. */
typedef enum {
  AUDIO_SERVED,
  AUDIO_MISSING,
  AUDIO_NOT_HTTP,
} AudioMode;

/* Not in libsoup 3.2's SoupStatus, whose phrase for it is "Unknown
 * Error". */
#define STATUS_TOO_MANY_REQUESTS 429

const char *
jimmy_mock_status_phrase (guint status)
{
  if (status == STATUS_TOO_MANY_REQUESTS)
    return "Too Many Requests";
  return soup_status_get_phrase (status);
}

void
jimmy_mock_reply_free (JimmyMockReply * reply)
{
  g_free (reply->content_type);
  g_clear_pointer (&reply->body, g_bytes_unref);
  g_free (reply->header_name);
  g_free (reply->header_value);
  g_free (reply->summary);
  g_free (reply);
}

JimmyMockReply *
jimmy_mock_reply_new (JimmyMockReplyAction action, const char *summary)
{
  JimmyMockReply *reply = g_new0 (JimmyMockReply, 1);

  reply->action = action;
  reply->summary = g_strdup (summary);
  return reply;
}

/* Takes @body. */
static JimmyMockReply *
reply_new_json (guint status, GBytes * body, const char *summary)
{
  JimmyMockReply *reply =
      jimmy_mock_reply_new (JIMMY_MOCK_REPLY_RESPOND, summary);

  reply->status = status;
  reply->content_type = g_strdup ("application/json");
  reply->body = body;
  return reply;
}

/* One extra response header; a second call replaces it. */
void
jimmy_mock_reply_set_header (JimmyMockReply * reply, const char *name,
    const char *value)
{
  g_free (reply->header_name);
  g_free (reply->header_value);
  reply->header_name = g_strdup (name);
  reply->header_value = g_strdup (value);
}

static GBytes *
builder_to_bytes (JsonBuilder * builder)
{
  g_autoptr(JsonNode) root = json_builder_get_root (builder);
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  gsize length;
  char *data;

  json_generator_set_root (generator, root);
  data = json_generator_to_data (generator, &length);
  return g_bytes_new_take (data, length);
}

/* `{"code":…,"msg":…}`, plus `"data":null` for an API envelope. */
static GBytes *
error_body (gint64 code, const char *msg, gboolean with_data)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "code");
  json_builder_add_int_value (builder, code);
  json_builder_set_member_name (builder, "msg");
  json_builder_add_string_value (builder, msg);
  if (with_data) {
    json_builder_set_member_name (builder, "data");
    json_builder_add_null_value (builder);
  }
  json_builder_end_object (builder);
  return builder_to_bytes (builder);
}

/* A JSON error body whose `msg` is also the log summary. */
JimmyMockReply *
jimmy_mock_reply_new_error (guint status, gint64 code, const char *msg)
{
  return reply_new_json (status, error_body (code, msg, FALSE), msg);
}

static char *
media_url (const JimmyMockTaskInfo * task, const char *extension)
{
  g_autofree char *escaped = g_uri_escape_string (task->id, NULL, FALSE);

  return g_strdup_printf ("%s" JIMMY_MOCK_MEDIA_PREFIX "%s.%s",
      task->media_base_url, escaped, extension);
}

static void
add_string_member (JsonBuilder * builder, const char *name,
    const char *value)
{
  json_builder_set_member_name (builder, name);
  json_builder_add_string_value (builder, value);
}

/* The members only a completed task has. */
static void
add_completed_members (JsonBuilder * builder, const JimmyMockTaskInfo * task,
    AudioMode audio)
{
  g_autofree char *audio_url = media_url (task, "mp3");

  add_string_member (builder, "modelId", TASK_MODEL_ID);
  if (audio == AUDIO_SERVED)
    add_string_member (builder, "audioUrl", audio_url);
  else if (audio == AUDIO_NOT_HTTP)
    add_string_member (builder, "audioUrl", "ftp://127.0.0.1/audio.mp3");
  if (task->has_subtitles) {
    g_autofree char *srt_url = media_url (task, "srt");

    add_string_member (builder, "subtitleFile", srt_url);
  }
}

/* The documented envelope around a task of any @status; @padding bytes
 * of filler in an extra member make it as large as a test needs. */
static GBytes *
task_body (const JimmyMockTaskInfo * task, const char *status,
    AudioMode audio, gsize padding)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "code");
  json_builder_add_int_value (builder, 20000);
  add_string_member (builder, "msg", "ok");
  json_builder_set_member_name (builder, "data");

  json_builder_begin_object (builder);
  add_string_member (builder, "id", task->id);
  add_string_member (builder, "object", "audio");
  json_builder_set_member_name (builder, "created");
  json_builder_add_int_value (builder, TASK_CREATED);
  add_string_member (builder, "model", task->model);
  add_string_member (builder, "status", status);
  if (strcmp (status, "completed") == 0)
    add_completed_members (builder, task, audio);
  if (padding > 0) {
    g_autofree char *filler = g_strnfill (padding, 'x');
    add_string_member (builder, "padding", filler);
  }
  json_builder_set_member_name (builder, "error");
  if (strcmp (status, "failed") == 0)
    json_builder_add_string_value (builder, task->failure_text);
  else
    json_builder_add_null_value (builder);
  json_builder_end_object (builder);

  json_builder_end_object (builder);
  return builder_to_bytes (builder);
}

static JimmyMockReply *
http_status_reply (const JimmyMockStep * step)
{
  JimmyMockReply *reply;

  /* These two must not have a body. */
  if (step->value == SOUP_STATUS_NO_CONTENT ||
      step->value == SOUP_STATUS_NOT_MODIFIED) {
    reply = jimmy_mock_reply_new (JIMMY_MOCK_REPLY_RESPOND, step->token);
    reply->status = step->value;
    return reply;
  }
  return reply_new_json (step->value,
      error_body ((gint64) step->value * 100,
          jimmy_mock_status_phrase (step->value), FALSE), step->token);
}

static JimmyMockReply *
retry_after_reply (const JimmyMockStep * step)
{
  g_autofree char *seconds = g_strdup_printf ("%u", step->value);
  JimmyMockReply *reply;

  reply = reply_new_json (STATUS_TOO_MANY_REQUESTS,
      error_body (STATUS_TOO_MANY_REQUESTS * 100,
          jimmy_mock_status_phrase (STATUS_TOO_MANY_REQUESTS), FALSE),
      step->token);
  jimmy_mock_reply_set_header (reply, "Retry-After", seconds);
  return reply;
}

/* 307 to the task's path under @base_url + @prefix. */
static JimmyMockReply *
redirect_reply (const JimmyMockStep * step, const JimmyMockTaskInfo * task,
    const char *base_url, const char *prefix)
{
  g_autofree char *escaped = g_uri_escape_string (task->id, NULL, FALSE);
  g_autofree char *location = NULL;
  JimmyMockReply *reply;

  location = g_strdup_printf ("%s%s" JIMMY_MOCK_API_PREFIX "%s", base_url,
      prefix, escaped);
  reply = reply_new_json (SOUP_STATUS_TEMPORARY_REDIRECT,
      error_body (SOUP_STATUS_TEMPORARY_REDIRECT * 100,
          jimmy_mock_status_phrase (SOUP_STATUS_TEMPORARY_REDIRECT), FALSE),
      step->token);
  jimmy_mock_reply_set_header (reply, "Location", location);
  return reply;
}

/* The answer of one script step for @task. */
JimmyMockReply *
jimmy_mock_reply_new_for_step (const JimmyMockStep * step,
    const JimmyMockTaskInfo * task)
{
  switch (step->kind) {
    case JIMMY_MOCK_STEP_STATUS:
      return reply_new_json (SOUP_STATUS_OK, task_body (task, step->token,
              AUDIO_SERVED, 0), step->token);
    case JIMMY_MOCK_STEP_NO_AUDIO:
      return reply_new_json (SOUP_STATUS_OK, task_body (task, "completed",
              AUDIO_MISSING, 0), step->token);
    case JIMMY_MOCK_STEP_BAD_AUDIO_URL:
      return reply_new_json (SOUP_STATUS_OK, task_body (task, "completed",
              AUDIO_NOT_HTTP, 0), step->token);
    case JIMMY_MOCK_STEP_HUGE:
      return reply_new_json (SOUP_STATUS_OK, task_body (task, "processing",
              AUDIO_SERVED, HUGE_SIZE), step->token);
    case JIMMY_MOCK_STEP_HTTP:
      return http_status_reply (step);
    case JIMMY_MOCK_STEP_RETRY_AFTER:
      return retry_after_reply (step);
    case JIMMY_MOCK_STEP_API_ERROR:
      return reply_new_json (SOUP_STATUS_OK,
          error_body (50001, "internal task store error", TRUE),
          step->token);
    case JIMMY_MOCK_STEP_GARBAGE:
      return reply_new_json (SOUP_STATUS_OK,
          g_bytes_new_static (GARBAGE, strlen (GARBAGE)), step->token);
    case JIMMY_MOCK_STEP_RESET:
      return jimmy_mock_reply_new (JIMMY_MOCK_REPLY_RESET, step->token);
    case JIMMY_MOCK_STEP_HANG:
      return jimmy_mock_reply_new (JIMMY_MOCK_REPLY_HOLD, step->token);
    case JIMMY_MOCK_STEP_REDIRECT:
      return redirect_reply (step, task, task->api_base_url,
          JIMMY_MOCK_REDIRECTED_PREFIX);
    case JIMMY_MOCK_STEP_REDIRECT_OTHER:
      return redirect_reply (step, task, task->media_base_url, "");
  }
  g_return_val_if_reached (NULL);
}
