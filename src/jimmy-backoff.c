/* jimmy-backoff.c: how long to wait before retrying a failed poll.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "jimmy-backoff.h"

#include <string.h>

#include <libsoup/soup.h>

/**
 * jimmy_backoff_delay_us:
 * @failures: consecutive failures so far, at least 1.
 * @base_ms: the delay after the first failure.
 * @random01: a random number in [0, 1], passed in so tests can pin it.
 *
 * Doubles the delay with each failure, up to
 * MAX (%JIMMY_BACKOFF_MAX_DELAY_MS, @base_ms), then applies "equal
 * jitter": half the delay is fixed and half random, so clients that failed
 * together do not retry together, yet none retries almost at once.
 *
 * Returns: the delay in microseconds.
 */
gint64
jimmy_backoff_delay_us (guint failures, guint base_ms, double random01)
{
  guint64 cap_ms = MAX (JIMMY_BACKOFF_MAX_DELAY_MS, base_ms);
  guint shift;
  guint64 delay_ms;
  gint64 delay_us;
  gint64 half_us;

  g_return_val_if_fail (failures >= 1, 0);

  /* Written so that NaN becomes 0 too. */
  if (!(random01 >= 0.0))
    random01 = 0.0;
  else if (random01 > 1.0)
    random01 = 1.0;

  /* base_ms < 2^32 and shift < 32, so the shift cannot overflow. */
  shift = failures - 1;
  if (shift >= 32 || ((guint64) base_ms << shift) > cap_ms)
    delay_ms = cap_ms;
  else
    delay_ms = (guint64) base_ms << shift;

  delay_us = (gint64) delay_ms * 1000;
  half_us = delay_us / 2;

  return half_us + (gint64) (random01 * (double) (delay_us - half_us));
}

static gboolean
is_all_digits (const char *s)
{
  if (*s == '\0')
    return FALSE;

  for (; *s != '\0'; s++) {
    if (!g_ascii_isdigit (*s))
      return FALSE;
  }

  return TRUE;
}

/* Digit by digit, stopping at the clamp, so no length of digits
 * overflows. */
static gint64
parse_clamped_seconds (const char *digits)
{
  gint64 seconds = 0;

  for (; *digits != '\0'; digits++) {
    seconds = seconds * 10 + (*digits - '0');
    if (seconds >= JIMMY_BACKOFF_MAX_RETRY_AFTER_S)
      return JIMMY_BACKOFF_MAX_RETRY_AFTER_S;
  }

  return seconds;
}

static gint64
delay_until (GDateTime *date, GDateTime *now)
{
  g_autoptr(GDateTime) current = NULL;
  GTimeSpan delay;

  if (now == NULL)
    now = current = g_date_time_new_now_utc ();

  delay = g_date_time_difference (date, now);

  return CLAMP (delay, 0,
      (gint64) JIMMY_BACKOFF_MAX_RETRY_AFTER_S * G_USEC_PER_SEC);
}

/**
 * jimmy_backoff_parse_retry_after:
 * @value: (nullable): a Retry-After header value.
 * @now: (nullable): the current time, for HTTP-dates; %NULL for the clock.
 * @out_delay_us: (out): the delay it asks for, in microseconds, at most
 *   %JIMMY_BACKOFF_MAX_RETRY_AFTER_S seconds.
 *
 * Understands both forms of RFC 9110: delta-seconds and an HTTP-date. A
 * date in the past asks for no delay.
 *
 * Returns: %FALSE if @value is neither form; @out_delay_us is then unset.
 */
gboolean
jimmy_backoff_parse_retry_after (const char *value, GDateTime *now,
    gint64 *out_delay_us)
{
  g_autofree char *stripped = NULL;
  g_autoptr(GDateTime) date = NULL;

  g_return_val_if_fail (out_delay_us != NULL, FALSE);

  if (value == NULL)
    return FALSE;

  stripped = g_strstrip (g_strdup (value));

  if (is_all_digits (stripped)) {
    *out_delay_us = parse_clamped_seconds (stripped) * G_USEC_PER_SEC;
    return TRUE;
  }

  date = soup_date_time_new_from_http_string (stripped);
  if (date == NULL)
    return FALSE;

  *out_delay_us = delay_until (date, now);
  return TRUE;
}
