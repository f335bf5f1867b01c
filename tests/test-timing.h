/* test-timing.h: how much slower than a plain build a test runs.
 *
 * The few tests that assert a time bound the issues set (a first buffer
 * within 50 ms, say) scale it by this under valgrind and ASan, which
 * .ci/sanitizers.sh runs them with: valgrind makes all code tens of
 * times slower, ASan several times.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <string.h>

#include <glib.h>

#define TEST_VALGRIND_SLOWDOWN 20
#define TEST_ASAN_SLOWDOWN 10

static inline gboolean
test_under_valgrind (void)
{
  const char *preload = g_getenv ("LD_PRELOAD");

  return preload != NULL && strstr (preload, "vgpreload") != NULL;
}

static inline gint64
test_timing_slowdown (void)
{
  if (test_under_valgrind ())
    return TEST_VALGRIND_SLOWDOWN;
#ifdef __SANITIZE_ADDRESS__
  return TEST_ASAN_SLOWDOWN;
#else
  return 1;
#endif
}
