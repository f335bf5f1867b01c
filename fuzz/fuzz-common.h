/* fuzz-common.h: what the fuzz targets share.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <stdlib.h>
#include <string.h>

#include <glib.h>

/* Error messages quote at most JIMMY_TEXT_MAX_QUOTED_BYTES of any one
 * input, and no message quotes more than three, so anything longer means
 * some input got through unquoted. */
#define FUZZ_MAX_MESSAGE_BYTES 1024

/* An invariant broke: abort, so libFuzzer saves the input as a crash. */
#define fuzz_fail(...) \
  G_STMT_START { \
    g_printerr ("fuzz invariant violated: "); \
    g_printerr (__VA_ARGS__); \
    g_printerr ("\n"); \
    abort (); \
  } G_STMT_END

/* Messages reach logs and GstMessages: they must be short, valid UTF-8
 * and free of control characters, whatever the input. */
static inline void
fuzz_check_message (const char *what, const char *message)
{
  const char *p;

  if (message == NULL)
    fuzz_fail ("%s: an error without a message", what);
  if (!g_utf8_validate (message, -1, NULL))
    fuzz_fail ("%s: the error message is not valid UTF-8", what);
  if (strlen (message) > FUZZ_MAX_MESSAGE_BYTES)
    fuzz_fail ("%s: the error message is %" G_GSIZE_FORMAT " bytes long",
        what, strlen (message));
  for (p = message; *p != '\0'; p++) {
    if ((guchar) * p < 0x20 || *p == 0x7f)
      fuzz_fail ("%s: the error message holds control byte 0x%02x", what,
          (guchar) * p);
  }
}
