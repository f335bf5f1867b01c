/* jimmy-text.c
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "jimmy-text.h"

#include <string.h>

/**
 * jimmy_text_quote:
 * @text: text from a server or a setting, any bytes
 * @length: its length, or -1 if NUL-terminated
 *
 * Text a server or a hostile setting chose ends up in error messages and
 * logs: keep it short, valid UTF-8 and free of control characters, so it
 * can neither flood a log nor forge lines in it.
 *
 * Returns: (transfer full): the text, safe to print.
 */
char *
jimmy_text_quote (const char *text, gssize length)
{
  g_autofree char *valid = g_utf8_make_valid (text, length);
  GString *out = g_string_new (NULL);
  const char *p;

  for (p = valid; *p != '\0'; p = g_utf8_next_char (p)) {
    gunichar c = g_utf8_get_char (p);

    if (out->len >= JIMMY_TEXT_MAX_QUOTED_BYTES) {
      g_string_append (out, "…");
      break;
    }

    if (c < 0x20 || c == 0x7f)
      g_string_append_printf (out, "\\x%02x", c);
    else if (c >= 0x80 && c < 0xa0)
      g_string_append_printf (out, "\\u%04x", c);
    else
      g_string_append_unichar (out, c);
  }

  return g_string_free (out, FALSE);
}

/**
 * jimmy_text_free_secret:
 * @secret: (nullable) (transfer full): an API key or a header carrying one
 *
 * Frees @secret after overwriting it, so the key does not linger in freed
 * heap memory (core dumps, later allocations).
 */
void
jimmy_text_free_secret (char *secret)
{
  if (secret == NULL)
    return;

  /* explicit_bzero: a plain memset before free may be optimised away. */
  explicit_bzero (secret, strlen (secret));
  g_free (secret);
}
