/* jimmy-mock-api.c: the mock server's task API: GET
 * /api/open-api/v1/audios/<id>, answered by the task's status script.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * The id is the one path segment, percent-decoded, so `%2F` is a '/'
 * inside the id, while a literal '/' (a second segment) is a 404. The same
 * API answers under /redirected/, where `redirect-same` points; that
 * advances the script too. The script grammar is the table in
 * jimmy-mock-script.c.
 */
#include "jimmy-mock-server-private.h"
#include "jimmy-mock-script-private.h"

#include <string.h>

#define DEFAULT_MODEL "soundCloningClone"
#define DEFAULT_FAILURE_TEXT "the voice sample is too short"

typedef struct {
  JimmyMockPart part;

  /* Guards every field below. Taken before the media host's lock. */
  GMutex lock;
  char *api_key;                /* (owned) (nullable) */
  char *model;                  /* (owned) */
  char *failure_text;           /* (owned) */
  char *media_base_url;         /* (owned) (nullable): NULL for this one */
  guint delay_ms;
  GPtrArray *default_steps;     /* (owned) (nullable) */
  GHashTable *tasks;            /* (owned): task id → JimmyMockCursor */
  GHashTable *bodies;           /* (owned): name → JimmyMockBody */
  guint token_serial;           /* signed URLs issued so far */
} Api;

static Api *
get_api (JimmyMockServer * server)
{
  return (Api *) jimmy_mock_server_get_part (server, JIMMY_MOCK_PART_API);
}

/* Advances the task's script by one poll. */
static JimmyMockReply *
next_reply (Api * api, const char *task_id)
{
  JimmyMockServer *server = api->part.server;
  g_autofree char *base_url =
      g_strdup (jimmy_mock_server_get_base_url (server));
  g_autofree char *token = NULL;
  JimmyMockCursor *cursor;
  JimmyMockReply *reply;
  gboolean signs_urls;
  JimmyMockTaskInfo task = {
    .id = task_id,
    .api_base_url = base_url,
  };

  jimmy_mock_media_get_flags (jimmy_mock_server_get_part (server,
          JIMMY_MOCK_PART_MEDIA), &task.has_subtitles, &signs_urls);

  g_mutex_lock (&api->lock);
  task.model = api->model;
  task.failure_text = api->failure_text;
  task.media_base_url = api->media_base_url ? api->media_base_url : base_url;
  task.bodies = api->bodies;
  /* A fresh signed URL in every answer: a re-poll gets a new one. */
  if (signs_urls) {
    token = g_strdup_printf ("t%u-%08x", ++api->token_serial,
        g_random_int ());
    task.audio_token = token;
  }

  cursor = g_hash_table_lookup (api->tasks, task_id);
  if (cursor == NULL && api->default_steps != NULL) {
    cursor = jimmy_mock_cursor_new (api->default_steps, TRUE);
    g_hash_table_insert (api->tasks, g_strdup (task_id), cursor);
  }
  if (cursor == NULL)
    reply = jimmy_mock_reply_new_error (SOUP_STATUS_NOT_FOUND, 40400,
        "task not found");
  else
    reply = jimmy_mock_reply_new_for_step (jimmy_mock_cursor_next (cursor),
        &task);
  g_mutex_unlock (&api->lock);
  return reply;
}

/* Returns: (nullable): the task id of an API path, or NULL for 404.
 * Only a literal '/' makes a second segment: an encoded one (%2F) is
 * part of the id, so a client that escapes ids properly can ask for any
 * id. */
static char *
task_id_from_segment (const char *segment)
{
  g_autofree char *id = NULL;

  if (*segment == '\0' || strchr (segment, '/') != NULL)
    return NULL;
  id = g_uri_unescape_string (segment, NULL);
  /* NULL for a bad escape or %00; JSON needs UTF-8. */
  if (id == NULL || *id == '\0' || !g_utf8_validate (id, -1, NULL))
    return NULL;
  return g_steal_pointer (&id);
}

static gboolean
authorized (const char *api_key, SoupServerMessage * msg)
{
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  const char *given = soup_message_headers_get_one (headers, "Authorization");
  g_autofree char *expected = NULL;

  if (api_key == NULL)
    return TRUE;
  expected = g_strdup_printf ("Bearer %s", api_key);
  return g_strcmp0 (given, expected) == 0;
}

static gboolean
api_route (JimmyMockPart * part, SoupServerMessage * msg, const char *path,
    GHashTable * query)
{
  Api *api = (Api *) part;
  g_autofree char *task_id = NULL;
  g_autofree char *api_key = NULL;
  JimmyMockReply *reply;
  guint delay_ms;

  if (g_str_has_prefix (path, JIMMY_MOCK_REDIRECTED_PREFIX
          JIMMY_MOCK_API_PREFIX))
    path += strlen (JIMMY_MOCK_REDIRECTED_PREFIX);
  if (!g_str_has_prefix (path, JIMMY_MOCK_API_PREFIX))
    return FALSE;

  g_mutex_lock (&api->lock);
  delay_ms = api->delay_ms;
  api_key = g_strdup (api->api_key);
  g_mutex_unlock (&api->lock);

  if (!authorized (api_key, msg)) {
    reply = jimmy_mock_reply_new_error (SOUP_STATUS_UNAUTHORIZED, 40100,
        "invalid api key");
    jimmy_mock_reply_set_header (reply, "WWW-Authenticate", "Bearer");
  } else if (soup_server_message_get_method (msg) != SOUP_METHOD_GET) {
    reply = jimmy_mock_reply_new_error (SOUP_STATUS_METHOD_NOT_ALLOWED,
        40500, "method not allowed");
    jimmy_mock_reply_set_header (reply, "Allow", "GET");
  } else if ((task_id = task_id_from_segment (path +
              strlen (JIMMY_MOCK_API_PREFIX))) == NULL) {
    reply = jimmy_mock_reply_new_error (SOUP_STATUS_NOT_FOUND, 40400,
        "task not found");
  } else {
    reply = next_reply (api, task_id);
  }

  delay_ms = MAX (delay_ms, reply->delay_ms);
  jimmy_mock_server_answer (part->server, msg, reply, part, task_id,
      delay_ms);
  return TRUE;
}

/* A `hang` released: answered like a new poll of its task. */
static JimmyMockReply *
api_release (JimmyMockPart * part, const char *task_id)
{
  JimmyMockReply *reply = next_reply ((Api *) part, task_id);

  if (reply->action == JIMMY_MOCK_REPLY_HOLD) {
    jimmy_mock_reply_free (reply);
    reply = jimmy_mock_reply_new_error (SOUP_STATUS_SERVICE_UNAVAILABLE,
        50300, "released, but the next step is hang again");
  }
  return reply;
}

static void
api_free (JimmyMockPart * part)
{
  Api *api = (Api *) part;

  g_hash_table_unref (api->tasks);
  g_hash_table_unref (api->bodies);
  g_clear_pointer (&api->default_steps, g_ptr_array_unref);
  g_free (api->media_base_url);
  g_free (api->failure_text);
  g_free (api->model);
  g_free (api->api_key);
  g_mutex_clear (&api->lock);
  g_free (api);
}

static const JimmyMockPartClass api_class = {
  .name = "api",
  .route = api_route,
  .release = api_release,
  .free = api_free,
};

JimmyMockPart *
jimmy_mock_api_new (JimmyMockServer * server)
{
  Api *api = g_new0 (Api, 1);

  api->part.klass = &api_class;
  api->part.server = server;
  g_mutex_init (&api->lock);
  api->model = g_strdup (DEFAULT_MODEL);
  api->failure_text = g_strdup (DEFAULT_FAILURE_TEXT);
  api->tasks = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
      (GDestroyNotify) jimmy_mock_cursor_free);
  api->bodies = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
      (GDestroyNotify) jimmy_mock_body_free);
  return &api->part;
}

/* ------------------------------------------------------------------------
 * Public API (documented in jimmy-mock-server.h)
 * --------------------------------------------------------------------- */

/* Every string setting is set here, under the lock. */
static void
replace_string (JimmyMockServer * self, gsize offset, const char *value)
{
  Api *api = get_api (self);
  char **field = G_STRUCT_MEMBER_P (api, offset);

  g_mutex_lock (&api->lock);
  g_free (*field);
  *field = g_strdup (value);
  g_mutex_unlock (&api->lock);
}

void
jimmy_mock_server_set_api_key (JimmyMockServer * self, const char *api_key)
{
  g_return_if_fail (JIMMY_IS_MOCK_SERVER (self));

  replace_string (self, G_STRUCT_OFFSET (Api, api_key), api_key);
}

void
jimmy_mock_server_set_model (JimmyMockServer * self, const char *model)
{
  g_return_if_fail (JIMMY_IS_MOCK_SERVER (self));

  replace_string (self, G_STRUCT_OFFSET (Api, model),
      model ? model : DEFAULT_MODEL);
}

void
jimmy_mock_server_set_failure_text (JimmyMockServer * self, const char *text)
{
  g_return_if_fail (JIMMY_IS_MOCK_SERVER (self));

  replace_string (self, G_STRUCT_OFFSET (Api, failure_text),
      text ? text : DEFAULT_FAILURE_TEXT);
}

void
jimmy_mock_server_set_media_base_url (JimmyMockServer * self,
    const char *base_url)
{
  g_autofree char *url = g_strdup (base_url);

  g_return_if_fail (JIMMY_IS_MOCK_SERVER (self));

  /* The paths are appended with their own '/'. */
  if (url != NULL && g_str_has_suffix (url, "/"))
    url[strlen (url) - 1] = '\0';
  replace_string (self, G_STRUCT_OFFSET (Api, media_base_url), url);
}

void
jimmy_mock_server_set_delay (JimmyMockServer * self, guint delay_ms)
{
  Api *api;

  g_return_if_fail (JIMMY_IS_MOCK_SERVER (self));

  api = get_api (self);
  g_mutex_lock (&api->lock);
  api->delay_ms = delay_ms;
  g_mutex_unlock (&api->lock);
}

gboolean
jimmy_mock_server_add_task (JimmyMockServer * self, const char *task_id,
    const char *script, GError ** error)
{
  g_autoptr(GPtrArray) steps = NULL;
  Api *api;

  g_return_val_if_fail (JIMMY_IS_MOCK_SERVER (self), FALSE);
  g_return_val_if_fail (task_id != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  /* These could never be asked for. */
  if (*task_id == '\0' || !g_utf8_validate (task_id, -1, NULL)) {
    g_set_error_literal (error, JIMMY_MOCK_SERVER_ERROR,
        JIMMY_MOCK_SERVER_ERROR_INVALID_ARGUMENT,
        "A task id must be non-empty UTF-8");
    return FALSE;
  }
  steps = jimmy_mock_script_parse (script, error);
  if (steps == NULL)
    return FALSE;

  api = get_api (self);
  g_mutex_lock (&api->lock);
  g_hash_table_replace (api->tasks, g_strdup (task_id),
      jimmy_mock_cursor_new (steps, FALSE));
  g_mutex_unlock (&api->lock);
  return TRUE;
}

static gboolean
is_from_default (gpointer key, gpointer value, gpointer user_data)
{
  return jimmy_mock_cursor_is_from_default (value);
}

void
jimmy_mock_server_set_default_script (JimmyMockServer * self,
    const char *script)
{
  g_autoptr(GPtrArray) steps = NULL;
  g_autoptr(GError) error = NULL;
  Api *api;

  g_return_if_fail (JIMMY_IS_MOCK_SERVER (self));

  if (script != NULL) {
    steps = jimmy_mock_script_parse (script, &error);
    if (steps == NULL) {
      g_critical ("%s", error->message);
      return;
    }
  }

  api = get_api (self);
  g_mutex_lock (&api->lock);
  g_clear_pointer (&api->default_steps, g_ptr_array_unref);
  api->default_steps = g_steal_pointer (&steps);
  g_hash_table_foreach_remove (api->tasks, is_from_default, NULL);
  g_mutex_unlock (&api->lock);
}

gboolean
jimmy_mock_server_add_body (JimmyMockServer * self, const char *name,
    GBytes * bytes, const char *content_type, GError ** error)
{
  JimmyMockBody *body;
  Api *api;

  g_return_val_if_fail (JIMMY_IS_MOCK_SERVER (self), FALSE);
  g_return_val_if_fail (name != NULL, FALSE);
  g_return_val_if_fail (bytes != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!jimmy_mock_body_name_is_valid (name)) {
    g_set_error (error, JIMMY_MOCK_SERVER_ERROR,
        JIMMY_MOCK_SERVER_ERROR_INVALID_ARGUMENT,
        "Invalid body name \"%s\": expected lowercase letters, digits, '_' "
        "and '-'", name);
    return FALSE;
  }

  body = g_new0 (JimmyMockBody, 1);
  body->bytes = g_bytes_ref (bytes);
  body->content_type = g_strdup (content_type);

  api = get_api (self);
  g_mutex_lock (&api->lock);
  g_hash_table_replace (api->bodies, g_strdup (name), body);
  g_mutex_unlock (&api->lock);
  return TRUE;
}
