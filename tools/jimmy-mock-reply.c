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

/* `trickle`: one byte this often. */
#define TRICKLE_INTERVAL_MS 200

/* `flood`: far more than any client should read, in chunks of this size. */
#define FLOOD_SIZE (64 * 1024 * 1024)
#define FLOOD_CHUNK_SIZE (64 * 1024)

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
jimmy_mock_body_free (JimmyMockBody * body)
{
  g_bytes_unref (body->bytes);
  g_free (body->content_type);
  g_free (body);
}

void
jimmy_mock_reply_free (JimmyMockReply * reply)
{
  g_free (reply->content_type);
  g_clear_pointer (&reply->body, g_bytes_unref);
  g_clear_pointer (&reply->tail, g_bytes_unref);
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
  if (audio == AUDIO_SERVED && task->audio_token != NULL) {
    g_autofree char *signed_url = g_strdup_printf ("%s?token=%s", audio_url,
        task->audio_token);

    add_string_member (builder, "audioUrl", signed_url);
  } else if (audio == AUDIO_SERVED) {
    add_string_member (builder, "audioUrl", audio_url);
  } else if (audio == AUDIO_NOT_HTTP) {
    add_string_member (builder, "audioUrl", "ftp://127.0.0.1/audio.mp3");
  }
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

/* 429 with `Retry-After: <HTTP-date>`, N seconds from now. The date has
 * whole seconds, so the client waits between N - 1 and N seconds. */
static JimmyMockReply *
retry_after_date_reply (const JimmyMockStep * step)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) then = g_date_time_add_seconds (now, step->value);
  g_autofree char *date = soup_date_time_to_string (then, SOUP_DATE_HTTP);
  JimmyMockReply *reply;

  reply = reply_new_json (STATUS_TOO_MANY_REQUESTS,
      error_body (STATUS_TOO_MANY_REQUESTS * 100,
          jimmy_mock_status_phrase (STATUS_TOO_MANY_REQUESTS), FALSE),
      step->token);
  jimmy_mock_reply_set_header (reply, "Retry-After", date);
  return reply;
}

/* @status (a 3xx) to the task's path under @base_url + @prefix. */
static JimmyMockReply *
redirect_reply (const JimmyMockStep * step, const JimmyMockTaskInfo * task,
    guint status, const char *base_url, const char *prefix)
{
  g_autofree char *escaped = g_uri_escape_string (task->id, NULL, FALSE);
  g_autofree char *location = NULL;
  JimmyMockReply *reply;

  location = g_strdup_printf ("%s%s" JIMMY_MOCK_API_PREFIX "%s", base_url,
      prefix, escaped);
  reply = reply_new_json (status, error_body (status * 100,
          jimmy_mock_status_phrase (status), FALSE), step->token);
  jimmy_mock_reply_set_header (reply, "Location", location);
  return reply;
}

/* A processing task whose body is cut in the middle. */
static JimmyMockReply *
cut_body_reply (const JimmyMockStep * step, const JimmyMockTaskInfo * task)
{
  JimmyMockReply *reply = reply_new_json (SOUP_STATUS_OK,
      task_body (task, "processing", AUDIO_SERVED, 0), step->token);

  reply->action = JIMMY_MOCK_REPLY_CUT;
  reply->cut_at = g_bytes_get_size (reply->body) / 2;
  return reply;
}

/* A processing task, one byte every TRICKLE_INTERVAL_MS. */
static JimmyMockReply *
trickle_reply (const JimmyMockStep * step, const JimmyMockTaskInfo * task)
{
  JimmyMockReply *reply = reply_new_json (SOUP_STATUS_OK,
      task_body (task, "processing", AUDIO_SERVED, 0), step->token);

  reply->action = JIMMY_MOCK_REPLY_STREAM;
  reply->chunk_size = 1;
  reply->interval_ms = TRICKLE_INTERVAL_MS;
  return reply;
}

/* A valid processing task of FLOOD_SIZE bytes, most of them the 'x's of a
 * "padding" member, streamed without ever being held whole: the task with
 * a one-byte padding, split around that byte. */
static JimmyMockReply *
flood_reply (const JimmyMockStep * step, const JimmyMockTaskInfo * task)
{
  g_autoptr(GBytes) small = task_body (task, "processing", AUDIO_SERVED, 1);
  gsize size;
  const char *text = g_bytes_get_data (small, &size);
  g_autofree char *copy = g_strndup (text, size);
  const char *padding = g_strrstr (copy, "\"padding\":\"x\"");
  gsize head_size;
  JimmyMockReply *reply;

  g_assert (padding != NULL);
  head_size = padding - copy + strlen ("\"padding\":\"");

  reply = reply_new_json (SOUP_STATUS_OK,
      g_bytes_new_from_bytes (small, 0, head_size), step->token);
  reply->action = JIMMY_MOCK_REPLY_STREAM;
  reply->tail = g_bytes_new_from_bytes (small, head_size + 1,
      size - head_size - 1);
  reply->filler_length = FLOOD_SIZE - (size - 1);
  reply->chunk_size = FLOOD_CHUNK_SIZE;
  return reply;
}

/* 200 with a body the test registered, byte for byte. */
static JimmyMockReply *
canned_body_reply (const JimmyMockStep * step, const JimmyMockTaskInfo * task)
{
  JimmyMockBody *body = task->bodies != NULL ?
      g_hash_table_lookup (task->bodies, step->name) : NULL;
  JimmyMockReply *reply;

  if (body == NULL) {
    g_warning ("The script asks for the body \"%s\", which was never "
        "added with jimmy_mock_server_add_body()", step->name);
    return jimmy_mock_reply_new_error (SOUP_STATUS_INTERNAL_SERVER_ERROR,
        50000, "no such canned body");
  }

  reply = jimmy_mock_reply_new (JIMMY_MOCK_REPLY_RESPOND, step->token);
  reply->status = SOUP_STATUS_OK;
  reply->content_type = g_strdup (body->content_type);
  reply->body = g_bytes_ref (body->bytes);
  return reply;
}

/* What a web server or CDN answers instead of the audio: an HTML page
 * for @status (200 for a page served as if it were the file). */
JimmyMockReply *
jimmy_mock_reply_new_media_page (guint status, const char *summary)
{
  JimmyMockReply *reply = jimmy_mock_reply_new (JIMMY_MOCK_REPLY_RESPOND,
      summary);
  g_autofree char *title = NULL;
  char *page;

  if (status == SOUP_STATUS_OK)
    title = g_strdup ("Sign in to download");
  else
    title = g_strdup_printf ("%u %s", status,
        jimmy_mock_status_phrase (status));
  page = g_strdup_printf ("<!DOCTYPE html>\n<html><head><title>%s</title>"
      "</head><body><h1>%s</h1><p>jimmy-mock-server</p></body></html>\n",
      title, title);

  reply->status = status;
  reply->content_type = g_strdup ("text/html; charset=utf-8");
  reply->body = g_bytes_new_take (page, strlen (page));
  return reply;
}

/* 403 as an object store answers a signed URL it refuses. */
JimmyMockReply *
jimmy_mock_reply_new_denied (const char *message, const char *summary)
{
  JimmyMockReply *reply = jimmy_mock_reply_new (JIMMY_MOCK_REPLY_RESPOND,
      summary);
  char *body = g_markup_printf_escaped ("<?xml version=\"1.0\" "
      "encoding=\"UTF-8\"?>\n<Error><Code>AccessDenied</Code>"
      "<Message>%s</Message></Error>\n", message);

  reply->status = SOUP_STATUS_FORBIDDEN;
  reply->content_type = g_strdup ("application/xml");
  reply->body = g_bytes_new_take (body, strlen (body));
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
    case JIMMY_MOCK_STEP_RETRY_AFTER_DATE:
      return retry_after_date_reply (step);
    case JIMMY_MOCK_STEP_REDIRECT:
      return redirect_reply (step, task, SOUP_STATUS_TEMPORARY_REDIRECT,
          task->api_base_url, JIMMY_MOCK_REDIRECTED_PREFIX);
    case JIMMY_MOCK_STEP_REDIRECT_OTHER:
      return redirect_reply (step, task, SOUP_STATUS_TEMPORARY_REDIRECT,
          task->media_base_url, "");
    case JIMMY_MOCK_STEP_REDIRECT_LOOP:
      /* Where the poll came from: every answer sends it back there. */
      return redirect_reply (step, task, SOUP_STATUS_FOUND,
          task->api_base_url, "");
    case JIMMY_MOCK_STEP_CUT_BODY:
      return cut_body_reply (step, task);
    case JIMMY_MOCK_STEP_SLOW_HEADERS:{
      JimmyMockReply *reply = reply_new_json (SOUP_STATUS_OK,
          task_body (task, "processing", AUDIO_SERVED, 0), step->token);

      reply->delay_ms = step->value;
      return reply;
    }
    case JIMMY_MOCK_STEP_TRICKLE:
      return trickle_reply (step, task);
    case JIMMY_MOCK_STEP_FLOOD:
      return flood_reply (step, task);
    case JIMMY_MOCK_STEP_BODY:
      return canned_body_reply (step, task);
  }
  g_return_val_if_reached (NULL);
}
