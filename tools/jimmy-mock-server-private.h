/* jimmy-mock-server-private.h: the core of the mock server and its parts.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * The core (jimmy-mock-server.c) runs the thread, logs the requests,
 * holds, delays and releases them, and hands each request to its parts in
 * turn. A part owns one concern and its settings, behind its own lock:
 *
 * - the API (jimmy-mock-api.c): the task API and its status scripts;
 * - the media host (jimmy-mock-media.c): /media/, faults, signed URLs;
 * - the transport (jimmy-mock-transport.c): responses that break the
 *   connection on purpose (reset, cut short, streamed slowly).
 *
 * Locks are taken in that order when nested (the API asks the media host
 * whether it signs URLs); the core's lock is never held while calling a
 * part.
 */
#pragma once

#include <libsoup/soup.h>

#include "jimmy-mock-reply-private.h"
#include "jimmy-mock-server.h"

G_BEGIN_DECLS

typedef struct _JimmyMockPart JimmyMockPart;

/* What every part implements. Every function but free() runs on the
 * server thread; every one may be NULL. */
typedef struct {
  const char *name;
  /* Answers, holds or delays @msg when @path is this part's, and returns
   * TRUE; FALSE leaves it to the next part (at the end: a 404). */
  gboolean (*route) (JimmyMockPart * part, SoupServerMessage * msg,
      const char *path, GHashTable * query);
  /* What to answer a request this part held, now released. */
  JimmyMockReply *(*release) (JimmyMockPart * part, const char *key);
  /* The server stops: end what is in flight, before the listener closes. */
  void (*stop) (JimmyMockPart * part);
  /* Once it closed: wait on @context for what stop() ended. */
  void (*drain) (JimmyMockPart * part, GMainContext * context);
  void (*free) (JimmyMockPart * part);
} JimmyMockPartClass;

struct _JimmyMockPart
{
  const JimmyMockPartClass *klass;
  JimmyMockServer *server;      /* (unowned): it owns the part */
};

typedef enum {
  JIMMY_MOCK_PART_API,
  JIMMY_MOCK_PART_MEDIA,
  JIMMY_MOCK_PART_TRANSPORT,
  JIMMY_MOCK_N_PARTS,
} JimmyMockPartId;

JimmyMockPart *jimmy_mock_api_new (JimmyMockServer * server);
JimmyMockPart *jimmy_mock_media_new (JimmyMockServer * server);
JimmyMockPart *jimmy_mock_transport_new (JimmyMockServer * server);

/* Core services for the parts. */
JimmyMockPart *jimmy_mock_server_get_part (JimmyMockServer * self,
    JimmyMockPartId id);
void jimmy_mock_server_emit_served (JimmyMockServer * self,
    SoupServerMessage * msg, guint status, const char *summary);
void jimmy_mock_server_set_summary (SoupServerMessage * msg,
    const char *summary);
void jimmy_mock_server_answer (JimmyMockServer * self,
    SoupServerMessage * msg, JimmyMockReply * reply, JimmyMockPart * owner,
    const char *key, guint delay_ms);
void jimmy_mock_server_reply (JimmyMockServer * self, SoupServerMessage * msg,
    const JimmyMockReply * reply, gboolean paused);

/* The media host, for the API's answers. */
void jimmy_mock_media_get_flags (JimmyMockPart * media,
    gboolean * has_subtitles, gboolean * signs_urls);

/* The transport: each takes the message over. */
void jimmy_mock_transport_reset (JimmyMockPart * transport,
    SoupServerMessage * msg, const char *summary);
void jimmy_mock_transport_cut (JimmyMockPart * transport,
    SoupServerMessage * msg, guint status, const char *content_type,
    GBytes * bytes, gsize start, gsize length, gsize cut,
    const char *summary);
void jimmy_mock_transport_stream (JimmyMockPart * transport,
    SoupServerMessage * msg, const JimmyMockReply * reply);

G_END_DECLS
