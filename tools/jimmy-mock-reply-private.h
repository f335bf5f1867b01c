/* jimmy-mock-reply-private.h: what the mock server answers.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include "jimmy-mock-script-private.h"

G_BEGIN_DECLS

#define JIMMY_MOCK_API_PREFIX "/api/open-api/v1/audios/"
#define JIMMY_MOCK_REDIRECTED_PREFIX "/redirected"
#define JIMMY_MOCK_MEDIA_PREFIX "/media/"

typedef enum {
  JIMMY_MOCK_REPLY_RESPOND,
  JIMMY_MOCK_REPLY_RESET,
  JIMMY_MOCK_REPLY_HOLD,
  JIMMY_MOCK_REPLY_CUT,
  JIMMY_MOCK_REPLY_STREAM,
} JimmyMockReplyAction;

/* What to do with one request: decided under the server's lock, carried
 * out on the server thread, possibly after a delay.
 *
 * - RESPOND: @status, @content_type, @body, all at once.
 * - CUT: headers announcing all of @body (Content-Length), then only its
 *   first @cut_at bytes, then the connection is closed.
 * - STREAM: chunked; @body, then @filler_length bytes of 'x', then @tail,
 *   @chunk_size bytes at a time, each chunk written once the previous one
 *   is, after @interval_ms. */
typedef struct {
  JimmyMockReplyAction action;
  guint status;
  char *content_type;           /* (owned) (nullable) */
  GBytes *body;                 /* (owned) (nullable) */
  char *header_name;            /* (owned) (nullable): one extra header */
  char *header_value;           /* (owned) (nullable) */
  char *summary;                /* (owned): what the log line says */
  guint delay_ms;               /* at least this long before answering */
  gsize cut_at;                 /* CUT */
  GBytes *tail;                 /* (owned) (nullable) STREAM */
  guint64 filler_length;        /* STREAM */
  gsize chunk_size;             /* STREAM */
  guint interval_ms;            /* STREAM */
} JimmyMockReply;

/* A body registered with jimmy_mock_server_add_body(). */
typedef struct {
  GBytes *bytes;                /* (owned) */
  char *content_type;           /* (owned) (nullable) */
} JimmyMockBody;

void jimmy_mock_body_free (JimmyMockBody * body);

/* How a task shows in responses. Everything is borrowed. */
typedef struct {
  const char *id;
  const char *model;
  const char *failure_text;
  const char *api_base_url;     /* where redirect-same points */
  const char *media_base_url;   /* where audioUrl/subtitleFile point */
  gboolean has_subtitles;
  const char *audio_token;      /* (nullable): audioUrl's ?token= */
  GHashTable *bodies;           /* name → JimmyMockBody, for body-NAME */
} JimmyMockTaskInfo;

JimmyMockReply *jimmy_mock_reply_new (JimmyMockReplyAction action,
    const char *summary);
JimmyMockReply *jimmy_mock_reply_new_error (guint status, gint64 code,
    const char *msg);
JimmyMockReply *jimmy_mock_reply_new_for_step (const JimmyMockStep * step,
    const JimmyMockTaskInfo * task);
JimmyMockReply *jimmy_mock_reply_new_media_page (guint status,
    const char *summary);
JimmyMockReply *jimmy_mock_reply_new_denied (const char *message,
    const char *summary);
void jimmy_mock_reply_set_header (JimmyMockReply * reply, const char *name,
    const char *value);
void jimmy_mock_reply_free (JimmyMockReply * reply);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (JimmyMockReply, jimmy_mock_reply_free);

const char *jimmy_mock_status_phrase (guint status);

G_END_DECLS
