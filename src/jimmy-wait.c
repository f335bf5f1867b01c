/* jimmy-wait.c
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "jimmy-wait.h"

#include <string.h>

/**
 * jimmy_poll_failure_clear:
 *
 * Frees what @failure holds and zeroes it; it may be reused.
 */
void
jimmy_poll_failure_clear (JimmyPollFailure * failure)
{
  g_clear_pointer (&failure->task_status, g_free);
  memset (failure, 0, sizeof *failure);
}

JimmyWaitCounts *
jimmy_wait_counts_new (void)
{
  JimmyWaitCounts *counts = g_new0 (JimmyWaitCounts, 1);

  g_atomic_ref_count_init (&counts->ref_count);
  return counts;
}

JimmyWaitCounts *
jimmy_wait_counts_ref (JimmyWaitCounts * counts)
{
  g_atomic_ref_count_inc (&counts->ref_count);
  return counts;
}

void
jimmy_wait_counts_unref (JimmyWaitCounts * counts)
{
  if (g_atomic_ref_count_dec (&counts->ref_count))
    g_free (counts);
}
