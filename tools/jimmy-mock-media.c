/* jimmy-mock-media.c: the mock server's media host: GET and HEAD of
 * /media/<name>.mp3 and /media/<name>.srt.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * The audio has Range support; it never needs the API key and is never
 * delayed. A media fault (the table in jimmy-mock-script.c) breaks it on
 * purpose; signed URLs that expire make it refuse a token once it has
 * served so many bytes, as an object store's signed URLs do, counted in
 * bytes so that a test can expire one at an exact position.
 */
#include "jimmy-mock-server-private.h"
#include "jimmy-mock-script-private.h"

#include <string.h>

/* A token the media host has seen. */
typedef struct {
  guint64 served;               /* body bytes, counted as written */
  gboolean expires;             /* FALSE: past expiring_tokens, no limit */
} TokenState;

typedef struct {
  JimmyMockPart part;

  /* Guards every field below. */
  GMutex lock;
  GBytes *audio;                /* (owned) (nullable) */
  GBytes *subtitles;            /* (owned) (nullable) */
  JimmyMockMediaFault fault;
  gboolean fault_used;          /* a once-only fault has struck */
  gint64 expiry;                /* bytes per signed URL, -1: unsigned */
  guint expiring_tokens;        /* how many tokens expire, 0: all */
  GHashTable *tokens;           /* (owned): token → TokenState */
} Media;

static Media *
get_media (JimmyMockServer * server)
{
  return (Media *) jimmy_mock_server_get_part (server,
      JIMMY_MOCK_PART_MEDIA);
}

/* ------------------------------------------------------------------------
 * Signed URLs
 * --------------------------------------------------------------------- */

/* Called with the lock held. */
static void
add_token_bytes_locked (Media * media, const char *token, guint64 n)
{
  TokenState *state = g_hash_table_lookup (media->tokens, token);

  if (state != NULL)
    state->served += n;
}

/* What a signed URL may still serve, in @remaining (G_MAXUINT64: no
 * limit); or the 403 that refuses it. A token seen for the first time is
 * fresh, and expires if it is among the first expiring_tokens. Called
 * with the lock held. */
static JimmyMockReply *
check_token_locked (Media * media, const char *token, guint64 * remaining)
{
  g_autofree char *summary = NULL;
  TokenState *state;

  if (token == NULL)
    return jimmy_mock_reply_new_denied ("Request is not signed",
        "unsigned URL (no token)");

  state = g_hash_table_lookup (media->tokens, token);
  if (state == NULL) {
    state = g_new0 (TokenState, 1);
    state->expires = media->expiring_tokens == 0 ||
        g_hash_table_size (media->tokens) < media->expiring_tokens;
    g_hash_table_insert (media->tokens, g_strdup (token), state);
  }
  if (!state->expires) {
    *remaining = G_MAXUINT64;
    return NULL;
  }
  if (state->served >= (guint64) media->expiry) {
    summary = g_strdup_printf ("token %s expired", token);
    return jimmy_mock_reply_new_denied ("Request has expired", summary);
  }
  *remaining = media->expiry - state->served;
  return NULL;
}

typedef struct {
  Media *media;                 /* (unowned): messages end before stop */
  char *token;                  /* (owned) */
} TokenCounter;

static void
token_counter_free (gpointer data, GClosure * closure)
{
  TokenCounter *counter = data;

  g_free (counter->token);
  g_free (counter);
}

static void
token_wrote_data_cb (SoupServerMessage * msg, guint size, gpointer user_data)
{
  TokenCounter *counter = user_data;

  g_mutex_lock (&counter->media->lock);
  add_token_bytes_locked (counter->media, counter->token, size);
  g_mutex_unlock (&counter->media->lock);
}

/* ------------------------------------------------------------------------
 * Serving
 * --------------------------------------------------------------------- */

typedef enum {
  RANGE_WHOLE,                  /* no Range: 200 with every byte */
  RANGE_ONE,                    /* one satisfiable range: 206 */
  RANGE_OTHER,                  /* several, or unsatisfiable: libsoup's */
} RangeKind;

static RangeKind
requested_range (SoupServerMessage * msg, gsize total, gsize * start,
    gsize * length)
{
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  SoupRange *ranges = NULL;
  RangeKind kind = RANGE_OTHER;
  int n = 0;

  if (!soup_message_headers_get_ranges (headers, total, &ranges, &n)) {
    *start = 0;
    *length = total;
    return RANGE_WHOLE;
  }
  if (n == 1 && ranges[0].start >= 0 && ranges[0].start <= ranges[0].end
      && (gsize) ranges[0].end < total) {
    *start = ranges[0].start;
    *length = ranges[0].end - ranges[0].start + 1;
    kind = RANGE_ONE;
  }
  soup_message_headers_free_ranges (headers, ranges);
  return kind;
}

/* The fault for this request, spending a once-only one. Called with the
 * lock held. */
static JimmyMockMediaFault
take_fault_locked (Media * media, gboolean is_get)
{
  JimmyMockMediaFault fault = media->fault;

  gboolean resets = fault.kind == JIMMY_MOCK_MEDIA_FAULT_RESET_ONCE ||
      fault.kind == JIMMY_MOCK_MEDIA_FAULT_RESET;

  /* Only a body can be cut; a HEAD leaves a once-only fault armed. */
  if (resets && !is_get)
    fault.kind = JIMMY_MOCK_MEDIA_FAULT_NONE;
  if (fault.kind == JIMMY_MOCK_MEDIA_FAULT_RESET_ONCE) {
    if (media->fault_used)
      fault.kind = JIMMY_MOCK_MEDIA_FAULT_NONE;
    media->fault_used = TRUE;
  }
  return fault;
}

/* The audio as a media fault changes it, or NULL when the fault answers
 * something else (set in @reply). */
static GBytes *
apply_fault (const JimmyMockMediaFault * fault, GBytes * audio,
    JimmyMockReply ** reply, guint64 * limit)
{
  gsize size = g_bytes_get_size (audio);

  switch (fault->kind) {
    case JIMMY_MOCK_MEDIA_FAULT_NONE:
      break;
    case JIMMY_MOCK_MEDIA_FAULT_HTTP:
      *reply = jimmy_mock_reply_new_media_page (fault->value,
          "media fault: http");
      return NULL;
    case JIMMY_MOCK_MEDIA_FAULT_HTML:
      *reply = jimmy_mock_reply_new_media_page (SOUP_STATUS_OK,
          "media fault: html");
      return NULL;
    case JIMMY_MOCK_MEDIA_FAULT_EMPTY:
      return g_bytes_new (NULL, 0);
    case JIMMY_MOCK_MEDIA_FAULT_TRUNCATE:
      return g_bytes_new_from_bytes (audio, 0, MIN (fault->value, size));
    case JIMMY_MOCK_MEDIA_FAULT_RESET_ONCE:
    case JIMMY_MOCK_MEDIA_FAULT_RESET:
      *limit = MIN (*limit, fault->value);
      break;
  }
  return g_bytes_ref (audio);
}

/* Serves @bytes, or only the first @limit bytes of what the request asks
 * for, as a cut response. @token: (nullable): the signed URL's, charged
 * with what is sent. */
static void
serve (Media * media, SoupServerMessage * msg, GBytes * bytes,
    const char *content_type, const char *token, guint64 limit)
{
  g_autofree char *summary = NULL;
  SoupMessageHeaders *headers;
  SoupMessageBody *body;
  gsize start = 0, length = 0;
  RangeKind range = RANGE_OTHER;

  if (limit != G_MAXUINT64)
    range = requested_range (msg, g_bytes_get_size (bytes), &start, &length);

  if (range != RANGE_OTHER && limit < length) {
    summary = g_strdup_printf ("%s, cut after %" G_GUINT64_FORMAT " of %"
        G_GSIZE_FORMAT " bytes%s%s", content_type, limit, length,
        token ? ", token " : "", token ? token : "");
    if (token != NULL) {
      g_mutex_lock (&media->lock);
      add_token_bytes_locked (media, token, limit);
      g_mutex_unlock (&media->lock);
    }
    jimmy_mock_transport_cut (jimmy_mock_server_get_part (media->part.server,
            JIMMY_MOCK_PART_TRANSPORT), msg, range == RANGE_ONE ?
        SOUP_STATUS_PARTIAL_CONTENT : SOUP_STATUS_OK, content_type, bytes,
        start, length, limit, summary);
    return;
  }

  if (token != NULL) {
    TokenCounter *counter = g_new0 (TokenCounter, 1);

    counter->media = media;
    counter->token = g_strdup (token);
    g_signal_connect_data (msg, "wrote-body-data",
        G_CALLBACK (token_wrote_data_cb), counter, token_counter_free, 0);
    summary = g_strdup_printf ("%s, token %s", content_type, token);
  }

  /* libsoup turns a complete body into 206/416 by itself when the
   * request has a Range header (one range, or multipart/byteranges). */
  soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
  headers = soup_server_message_get_response_headers (msg);
  soup_message_headers_set_content_type (headers, content_type, NULL);
  soup_message_headers_replace (headers, "Accept-Ranges", "bytes");
  body = soup_server_message_get_response_body (msg);
  /* libsoup refuses empty chunks; an empty body is just complete. */
  if (g_bytes_get_size (bytes) > 0)
    soup_message_body_append_bytes (body, bytes);
  soup_message_body_complete (body);
  jimmy_mock_server_set_summary (msg, summary ? summary : content_type);
}

static gboolean
media_route (JimmyMockPart * part, SoupServerMessage * msg, const char *path,
    GHashTable * query)
{
  Media *media = (Media *) part;
  const char *method = soup_server_message_get_method (msg);
  const char *name = path + strlen (JIMMY_MOCK_MEDIA_PREFIX);
  const char *token = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GBytes) served = NULL;
  g_autoptr(JimmyMockReply) reply = NULL;
  const char *content_type = NULL;
  JimmyMockMediaFault fault = { JIMMY_MOCK_MEDIA_FAULT_NONE, 0 };
  guint64 limit = G_MAXUINT64;
  gboolean is_audio = FALSE;

  if (!g_str_has_prefix (path, JIMMY_MOCK_MEDIA_PREFIX))
    return FALSE;

  if (method != SOUP_METHOD_GET && method != SOUP_METHOD_HEAD) {
    reply = jimmy_mock_reply_new_error (SOUP_STATUS_METHOD_NOT_ALLOWED,
        40500, "method not allowed");
    jimmy_mock_reply_set_header (reply, "Allow", "GET, HEAD");
    jimmy_mock_server_reply (part->server, msg, reply, FALSE);
    return TRUE;
  }

  g_mutex_lock (&media->lock);
  if (strchr (name, '/') != NULL) {
    /* Only one segment, like the real media host. */
  } else if (g_str_has_suffix (name, ".mp3") && media->audio != NULL) {
    bytes = g_bytes_ref (media->audio);
    content_type = "audio/mpeg";
    is_audio = TRUE;
  } else if (g_str_has_suffix (name, ".srt") && media->subtitles != NULL) {
    bytes = g_bytes_ref (media->subtitles);
    content_type = "text/plain; charset=utf-8";
  }
  /* A refused signed URL is refused whatever the fault; the fault comes
   * with the audio. */
  if (is_audio && media->expiry >= 0) {
    token = query != NULL ? g_hash_table_lookup (query, "token") : NULL;
    reply = check_token_locked (media, token, &limit);
  }
  if (is_audio && reply == NULL)
    fault = take_fault_locked (media, method == SOUP_METHOD_GET);
  g_mutex_unlock (&media->lock);

  if (reply == NULL && bytes == NULL)
    reply = jimmy_mock_reply_new_error (SOUP_STATUS_NOT_FOUND, 40400,
        "media not found");
  if (reply == NULL)
    served = apply_fault (&fault, bytes, &reply, &limit);
  if (reply != NULL) {
    jimmy_mock_server_reply (part->server, msg, reply, FALSE);
    return TRUE;
  }

  /* A HEAD has no body to cut. */
  if (method != SOUP_METHOD_GET)
    limit = G_MAXUINT64;
  serve (media, msg, served, content_type, token, limit);
  return TRUE;
}

/* ------------------------------------------------------------------------
 * The part
 * --------------------------------------------------------------------- */

void
jimmy_mock_media_get_flags (JimmyMockPart * part, gboolean * has_subtitles,
    gboolean * signs_urls)
{
  Media *media = (Media *) part;

  g_mutex_lock (&media->lock);
  *has_subtitles = media->subtitles != NULL;
  *signs_urls = media->expiry >= 0;
  g_mutex_unlock (&media->lock);
}

static void
media_free (JimmyMockPart * part)
{
  Media *media = (Media *) part;

  g_clear_pointer (&media->audio, g_bytes_unref);
  g_clear_pointer (&media->subtitles, g_bytes_unref);
  g_hash_table_unref (media->tokens);
  g_mutex_clear (&media->lock);
  g_free (media);
}

static const JimmyMockPartClass media_class = {
  .name = "media",
  .route = media_route,
  .free = media_free,
};

JimmyMockPart *
jimmy_mock_media_new (JimmyMockServer * server)
{
  Media *media = g_new0 (Media, 1);

  media->part.klass = &media_class;
  media->part.server = server;
  g_mutex_init (&media->lock);
  media->expiry = -1;
  media->tokens = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
      g_free);
  return &media->part;
}

/* ------------------------------------------------------------------------
 * Public API (documented in jimmy-mock-server.h)
 * --------------------------------------------------------------------- */

/* Takes @bytes. */
static void
replace_bytes (JimmyMockServer * self, gsize offset, GBytes * bytes)
{
  Media *media = get_media (self);
  GBytes **field = G_STRUCT_MEMBER_P (media, offset);

  g_mutex_lock (&media->lock);
  g_clear_pointer (field, g_bytes_unref);
  *field = bytes;
  g_mutex_unlock (&media->lock);
}

gboolean
jimmy_mock_server_set_media_file (JimmyMockServer * self, const char *path,
    GError ** error)
{
  GBytes *bytes = NULL;
  char *contents;
  gsize length;

  g_return_val_if_fail (JIMMY_IS_MOCK_SERVER (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (path != NULL) {
    if (!g_file_get_contents (path, &contents, &length, error))
      return FALSE;
    bytes = g_bytes_new_take (contents, length);
  }
  replace_bytes (self, G_STRUCT_OFFSET (Media, audio), bytes);
  return TRUE;
}

void
jimmy_mock_server_set_subtitles (JimmyMockServer * self,
    const char *srt_text)
{
  g_return_if_fail (JIMMY_IS_MOCK_SERVER (self));

  replace_bytes (self, G_STRUCT_OFFSET (Media, subtitles), srt_text == NULL ?
      NULL : g_bytes_new (srt_text, strlen (srt_text)));
}

gboolean
jimmy_mock_server_set_media_fault (JimmyMockServer * self, const char *fault,
    GError ** error)
{
  JimmyMockMediaFault parsed;
  Media *media;

  g_return_val_if_fail (JIMMY_IS_MOCK_SERVER (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!jimmy_mock_media_fault_parse (fault, &parsed, error))
    return FALSE;

  media = get_media (self);
  g_mutex_lock (&media->lock);
  media->fault = parsed;
  media->fault_used = FALSE;
  g_mutex_unlock (&media->lock);
  return TRUE;
}

/* Either setting starts every token afresh. @valid_bytes, @n_tokens:
 * (nullable): the new values, or NULL to keep one. */
static void
set_expiry (JimmyMockServer * self, const gint64 * valid_bytes,
    const guint * n_tokens)
{
  Media *media = get_media (self);

  g_mutex_lock (&media->lock);
  if (valid_bytes != NULL)
    media->expiry = *valid_bytes;
  if (n_tokens != NULL)
    media->expiring_tokens = *n_tokens;
  g_hash_table_remove_all (media->tokens);
  g_mutex_unlock (&media->lock);
}

void
jimmy_mock_server_set_media_expiry (JimmyMockServer * self,
    gint64 valid_bytes)
{
  g_return_if_fail (JIMMY_IS_MOCK_SERVER (self));
  g_return_if_fail (valid_bytes >= -1);

  set_expiry (self, &valid_bytes, NULL);
}

void
jimmy_mock_server_set_media_expiry_tokens (JimmyMockServer * self,
    guint n_tokens)
{
  g_return_if_fail (JIMMY_IS_MOCK_SERVER (self));

  set_expiry (self, NULL, &n_tokens);
}
