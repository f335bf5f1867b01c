/* jimmy-text.h: text that leaves the client: quoting what a server or a
 * setting said, and forgetting secrets (private to the client and the
 * plugin).
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Quoted text is cut after this many bytes. */
#define JIMMY_TEXT_MAX_QUOTED_BYTES 200

char *jimmy_text_quote (const char *text,
                        gssize length);
void jimmy_text_free_secret (char *secret);

G_END_DECLS
