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
} JimmyMockReplyAction;

/* What to do with one request: decided under the server's lock, carried
 * out on the server thread, possibly after a delay. */
typedef struct {
  JimmyMockReplyAction action;
  guint status;
  char *content_type;           /* (owned) (nullable) */
  GBytes *body;                 /* (owned) (nullable) */
  char *header_name;            /* (owned) (nullable): one extra header */
  char *header_value;           /* (owned) (nullable) */
  char *summary;                /* (owned): what the log line says */
} JimmyMockReply;

/* How a task shows in responses. Every string is borrowed. */
typedef struct {
  const char *id;
  const char *model;
  const char *failure_text;
  const char *api_base_url;     /* where redirect-same points */
  const char *media_base_url;   /* where audioUrl/subtitleFile point */
  gboolean has_subtitles;
} JimmyMockTaskInfo;

JimmyMockReply *jimmy_mock_reply_new (JimmyMockReplyAction action,
    const char *summary);
JimmyMockReply *jimmy_mock_reply_new_error (guint status, gint64 code,
    const char *msg);
JimmyMockReply *jimmy_mock_reply_new_for_step (const JimmyMockStep * step,
    const JimmyMockTaskInfo * task);
void jimmy_mock_reply_set_header (JimmyMockReply * reply, const char *name,
    const char *value);
void jimmy_mock_reply_free (JimmyMockReply * reply);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (JimmyMockReply, jimmy_mock_reply_free);

const char *jimmy_mock_status_phrase (guint status);

G_END_DECLS
