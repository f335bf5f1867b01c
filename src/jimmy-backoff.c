/* jimmy-backoff.c: how long to wait before retrying a failed poll.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "jimmy-backoff.h"

#include <string.h>

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

/* ---- HTTP dates ----
 *
 * Parsed here rather than by soup_date_time_new_from_http_string(), whose
 * limits changed within libsoup 3.6 (Debian's 3.6.5-3 refuses the year
 * 9999, which 3.2 takes): the same header must give the same wait
 * whichever libsoup is loaded. */

static const char *const day_names[] = {
  "Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun",
};

static const char *const long_day_names[] = {
  "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday",
  "Sunday",
};

static const char *const month_names[] = {
  "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct",
  "Nov", "Dec",
};

/* Each eat_…() moves *p past what it read, and only if it read it. */
static gboolean
eat (const char **p, const char *literal)
{
  gsize n = strlen (literal);

  if (g_ascii_strncasecmp (*p, literal, n) != 0)
    return FALSE;
  *p += n;
  return TRUE;
}

static gboolean
eat_digits (const char **p, guint n_digits, gint *out_value)
{
  gint value = 0;
  guint k;

  for (k = 0; k < n_digits; k++) {
    if (!g_ascii_isdigit ((*p)[k]))
      return FALSE;
    value = value * 10 + ((*p)[k] - '0');
  }
  *p += n_digits;
  *out_value = value;
  return TRUE;
}

/* *out_index is 0 for the first name. */
static gboolean
eat_name (const char **p, const char *const *names, guint n_names,
    gint *out_index)
{
  guint i;

  for (i = 0; i < n_names; i++) {
    if (eat (p, names[i])) {
      *out_index = i;
      return TRUE;
    }
  }
  return FALSE;
}

static gboolean
eat_time (const char **p, gint *hour, gint *minute, gint *second)
{
  return eat_digits (p, 2, hour) && eat (p, ":")
      && eat_digits (p, 2, minute) && eat (p, ":")
      && eat_digits (p, 2, second);
}

/* RFC 9110: a two-digit year more than 50 years ahead is in the past. So
 * the year is the latest one with those two digits that is at most 50
 * years ahead. */
static gint
full_year (gint two_digits, GDateTime *now)
{
  gint latest = g_date_time_get_year (now) + 50;

  return latest - (latest - two_digits) % 100;
}

typedef struct
{
  gint year, month, day, hour, minute, second;
} DateFields;

/* "Sun, 06 Nov 1994 08:49:37 GMT", after "Sun". */
static gboolean
eat_imf_fixdate (const char **p, DateFields *d)
{
  return eat (p, ", ") && eat_digits (p, 2, &d->day) && eat (p, " ")
      && eat_name (p, month_names, 12, &d->month) && eat (p, " ")
      && eat_digits (p, 4, &d->year) && eat (p, " ")
      && eat_time (p, &d->hour, &d->minute, &d->second) && eat (p, " GMT");
}

/* "Sunday, 06-Nov-94 08:49:37 GMT", after "Sunday". */
static gboolean
eat_rfc850_date (const char **p, GDateTime *now, DateFields *d)
{
  if (!(eat (p, ", ") && eat_digits (p, 2, &d->day) && eat (p, "-")
          && eat_name (p, month_names, 12, &d->month) && eat (p, "-")
          && eat_digits (p, 2, &d->year) && eat (p, " ")
          && eat_time (p, &d->hour, &d->minute, &d->second)
          && eat (p, " GMT")))
    return FALSE;
  d->year = full_year (d->year, now);
  return TRUE;
}

/* "Sun Nov  6 08:49:37 1994", after "Sun". */
static gboolean
eat_asctime_date (const char **p, DateFields *d)
{
  return eat (p, " ") && eat_name (p, month_names, 12, &d->month)
      && eat (p, " ") && (eat_digits (p, 2, &d->day)
          || (eat (p, " ") && eat_digits (p, 1, &d->day)))
      && eat (p, " ") && eat_time (p, &d->hour, &d->minute, &d->second)
      && eat (p, " ") && eat_digits (p, 4, &d->year);
}

/* RFC 9110, section 5.6.7: IMF-fixdate and the two obsolete forms a
 * recipient must still take, all in GMT. Names are taken in any case;
 * the day name is not checked against the date. Returns %NULL for
 * anything else, and for dates GDateTime cannot hold (31 Nov, 23:59:60,
 * a year before 1 or after 9999). */
static GDateTime *
parse_http_date (const char *s, GDateTime *now)
{
  DateFields d = { 0, };
  gint day_name;
  gboolean read;

  if (eat_name (&s, long_day_names, G_N_ELEMENTS (long_day_names),
          &day_name))
    read = eat_rfc850_date (&s, now, &d);
  else if (eat_name (&s, day_names, G_N_ELEMENTS (day_names), &day_name))
    read = s[0] == ',' ? eat_imf_fixdate (&s, &d) : eat_asctime_date (&s, &d);
  else
    read = FALSE;

  if (!read || *s != '\0')
    return NULL;

  return g_date_time_new_utc (d.year, d.month + 1, d.day, d.hour, d.minute,
      d.second);
}

/**
 * jimmy_backoff_parse_retry_after:
 * @value: (nullable): a Retry-After header value.
 * @now: (nullable): the current time, for HTTP-dates; %NULL for the clock.
 * @out_delay_us: (out): the delay it asks for, in microseconds, at most
 *   %JIMMY_BACKOFF_MAX_RETRY_AFTER_S seconds.
 *
 * Understands both forms of RFC 9110: delta-seconds and an HTTP-date (in
 * any of its three formats). A date in the past asks for no delay; one
 * more than %JIMMY_BACKOFF_MAX_RETRY_AFTER_S seconds ahead, up to the
 * last second of the year 9999, asks for that many. Anything else,
 * including a date that does not exist (31 Nov, 23:59:60) or a year past
 * 9999, is not a Retry-After: %FALSE, and the caller's backoff alone
 * decides. This does not depend on the libsoup version.
 *
 * Returns: %FALSE if @value is neither form; @out_delay_us is then unset.
 */
gboolean
jimmy_backoff_parse_retry_after (const char *value, GDateTime *now,
    gint64 *out_delay_us)
{
  g_autofree char *stripped = NULL;
  g_autoptr(GDateTime) current = NULL;
  g_autoptr(GDateTime) date = NULL;
  GTimeSpan delay;

  g_return_val_if_fail (out_delay_us != NULL, FALSE);

  if (value == NULL)
    return FALSE;

  stripped = g_strstrip (g_strdup (value));

  if (is_all_digits (stripped)) {
    *out_delay_us = parse_clamped_seconds (stripped) * G_USEC_PER_SEC;
    return TRUE;
  }

  if (now == NULL)
    now = current = g_date_time_new_now_utc ();

  date = parse_http_date (stripped, now);
  if (date == NULL)
    return FALSE;

  delay = g_date_time_difference (date, now);
  *out_delay_us = CLAMP (delay, 0,
      (gint64) JIMMY_BACKOFF_MAX_RETRY_AFTER_S * G_USEC_PER_SEC);
  return TRUE;
}
