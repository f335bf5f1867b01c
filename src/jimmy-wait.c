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
