/* jimmy-mock-script-private.h: status scripts of the mock server.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum {
  JIMMY_MOCK_STEP_STATUS,
  JIMMY_MOCK_STEP_HTTP,
  JIMMY_MOCK_STEP_RETRY_AFTER,
  JIMMY_MOCK_STEP_API_ERROR,
  JIMMY_MOCK_STEP_GARBAGE,
  JIMMY_MOCK_STEP_RESET,
  JIMMY_MOCK_STEP_HANG,
  JIMMY_MOCK_STEP_REDIRECT,
  JIMMY_MOCK_STEP_REDIRECT_OTHER,
  JIMMY_MOCK_STEP_NO_AUDIO,
  JIMMY_MOCK_STEP_BAD_AUDIO_URL,
  JIMMY_MOCK_STEP_HUGE,
  JIMMY_MOCK_STEP_RETRY_AFTER_DATE,
  JIMMY_MOCK_STEP_CUT_BODY,
  JIMMY_MOCK_STEP_SLOW_HEADERS,
  JIMMY_MOCK_STEP_TRICKLE,
  JIMMY_MOCK_STEP_FLOOD,
  JIMMY_MOCK_STEP_REDIRECT_LOOP,
  JIMMY_MOCK_STEP_BODY,
} JimmyMockStepKind;

/* One `token[:count]` of a script. Never changes once parsed. */
typedef struct {
  JimmyMockStepKind kind;
  char *token;                  /* (owned): as written, without the count */
  guint value;                  /* HTTP status, Retry-After seconds or
                                 * milliseconds of delay */
  const char *name;             /* (nullable): in @token, the NAME of
                                 * body-NAME */
  guint count;
} JimmyMockStep;

gboolean jimmy_mock_body_name_is_valid (const char *name);

/* A task's position in its script. */
typedef struct _JimmyMockCursor JimmyMockCursor;

GPtrArray *jimmy_mock_script_parse (const char *script, GError ** error);

JimmyMockCursor *jimmy_mock_cursor_new (GPtrArray * steps,
    gboolean from_default);
void jimmy_mock_cursor_free (JimmyMockCursor * cursor);
gboolean jimmy_mock_cursor_is_from_default (const JimmyMockCursor * cursor);
const JimmyMockStep *jimmy_mock_cursor_next (JimmyMockCursor * cursor);

/* What jimmy_mock_server_set_media_fault() does to GET /media/<id>.mp3;
 * the grammar is the table in jimmy-mock-script.c. */
typedef enum {
  JIMMY_MOCK_MEDIA_FAULT_NONE,
  JIMMY_MOCK_MEDIA_FAULT_HTTP,          /* @value: the status */
  JIMMY_MOCK_MEDIA_FAULT_RESET_ONCE,    /* @value: bytes before the cut */
  JIMMY_MOCK_MEDIA_FAULT_RESET,         /* @value: bytes before the cut */
  JIMMY_MOCK_MEDIA_FAULT_HTML,
  JIMMY_MOCK_MEDIA_FAULT_EMPTY,
  JIMMY_MOCK_MEDIA_FAULT_TRUNCATE,      /* @value: bytes kept */
} JimmyMockMediaFaultKind;

typedef struct {
  JimmyMockMediaFaultKind kind;
  guint value;
} JimmyMockMediaFault;

gboolean jimmy_mock_media_fault_parse (const char *text,
    JimmyMockMediaFault * fault, GError ** error);

/* The grammars as --help prints them, from the same tables the parsers
 * read: one line per token, indented by two spaces. */
char *jimmy_mock_script_describe_tokens (void);
char *jimmy_mock_media_fault_describe_tokens (void);

G_END_DECLS
