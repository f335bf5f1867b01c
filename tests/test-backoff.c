/* test-backoff.c: retry delays and Retry-After.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <math.h>

#include <libsoup/soup.h>

#include "jimmy-backoff.h"

#define MS (G_GINT64_CONSTANT (1000))
#define S ((gint64) G_USEC_PER_SEC)
#define MAX_DELAY_US (JIMMY_BACKOFF_MAX_DELAY_MS * MS)
#define MAX_RETRY_AFTER_US ((gint64) JIMMY_BACKOFF_MAX_RETRY_AFTER_S * S)

/* ---- Exponential delays with equal jitter ---- */

/* With base 1 s the full delays are 1, 2, 4, … 32, then 60 s (the cap). */
static void
test_delay_sequence (void)
{
  const gint64 full_ms[] = {
    1000, 2000, 4000, 8000, 16000, 32000, 60000, 60000, 60000,
  };
  guint i;

  for (i = 0; i < G_N_ELEMENTS (full_ms); i++) {
    guint failures = i + 1;
    gint64 full_us = full_ms[i] * MS;

    g_assert_cmpint (jimmy_backoff_delay_us (failures, 1000, 0.0), ==,
        full_us / 2);
    g_assert_cmpint (jimmy_backoff_delay_us (failures, 1000, 0.5), ==,
        full_us * 3 / 4);
    g_assert_cmpint (jimmy_backoff_delay_us (failures, 1000, 1.0), ==,
        full_us);
  }
}

static void
test_delay_small_base (void)
{
  g_assert_cmpint (jimmy_backoff_delay_us (1, 250, 1.0), ==, 250 * MS);
  g_assert_cmpint (jimmy_backoff_delay_us (3, 250, 1.0), ==, 1000 * MS);
  g_assert_cmpint (jimmy_backoff_delay_us (3, 250, 0.0), ==, 500 * MS);
  g_assert_cmpint (jimmy_backoff_delay_us (1, 1, 0.5), ==, 750);
  g_assert_cmpint (jimmy_backoff_delay_us (5, 0, 1.0), ==, 0);
}

static void
test_delay_cap (void)
{
  /* 1 s * 2^6 = 64 s is past the cap. */
  g_assert_cmpint (jimmy_backoff_delay_us (7, 1000, 1.0), ==, MAX_DELAY_US);
  g_assert_cmpint (jimmy_backoff_delay_us (7, 1000, 0.0), ==,
      MAX_DELAY_US / 2);
  g_assert_cmpint (jimmy_backoff_delay_us (2, 59999, 1.0), ==, MAX_DELAY_US);

  /* A base above the cap raises the cap to the base. */
  g_assert_cmpint (jimmy_backoff_delay_us (1, 90000, 1.0), ==, 90000 * MS);
  g_assert_cmpint (jimmy_backoff_delay_us (4, 90000, 1.0), ==, 90000 * MS);
  g_assert_cmpint (jimmy_backoff_delay_us (4, 90000, 0.0), ==, 45000 * MS);
}

static void
test_delay_huge_failures (void)
{
  const guint failures[] = { 31, 32, 33, 64, 65, 1000, G_MAXUINT - 1,
    G_MAXUINT };
  gsize i;

  for (i = 0; i < G_N_ELEMENTS (failures); i++) {
    g_assert_cmpint (jimmy_backoff_delay_us (failures[i], 1000, 1.0), ==,
        MAX_DELAY_US);
    g_assert_cmpint (jimmy_backoff_delay_us (failures[i], 1, 0.0), ==,
        MAX_DELAY_US / 2);
    g_assert_cmpint (jimmy_backoff_delay_us (failures[i], G_MAXUINT, 1.0),
        ==, (gint64) G_MAXUINT * MS);
  }
}

static void
test_delay_random_out_of_range (void)
{
  g_assert_cmpint (jimmy_backoff_delay_us (1, 1000, -1.0), ==, 500 * MS);
  g_assert_cmpint (jimmy_backoff_delay_us (1, 1000, 7.0), ==, 1000 * MS);
  g_assert_cmpint (jimmy_backoff_delay_us (1, 1000, NAN), ==, 500 * MS);
}

/* The jitter spreads delays over [d/2, d], never outside. */
static void
test_delay_jitter_bounds (void)
{
  guint failures;

  for (failures = 1; failures < 12; failures++) {
    gint64 low = jimmy_backoff_delay_us (failures, 700, 0.0);
    gint64 high = jimmy_backoff_delay_us (failures, 700, 1.0);
    int i;

    g_assert_cmpint (high, ==, 2 * low);
    for (i = 0; i < 50; i++) {
      gint64 delay = jimmy_backoff_delay_us (failures, 700,
          g_test_rand_double_range (0.0, 1.0));

      g_assert_cmpint (delay, >=, low);
      g_assert_cmpint (delay, <=, high);
    }
  }
}

/* ---- Retry-After ---- */

typedef struct
{
  GDateTime *now;               /* (owned) */
} Fixture;

static void
fixture_set_up (Fixture *fixture, gconstpointer test_data)
{
  /* The RFC's example date. */
  fixture->now = g_date_time_new_utc (1994, 11, 6, 8, 49, 37);
}

static void
fixture_tear_down (Fixture *fixture, gconstpointer test_data)
{
  g_clear_pointer (&fixture->now, g_date_time_unref);
}

static void
assert_retry_after (Fixture *fixture, const char *value, gint64 expected_us)
{
  gint64 delay_us = -1;

  g_test_message ("Retry-After: \"%s\"", value);
  g_assert_true (jimmy_backoff_parse_retry_after (value, fixture->now,
          &delay_us));
  g_assert_cmpint (delay_us, ==, expected_us);
}

static void
assert_retry_after_refused (Fixture *fixture, const char *value)
{
  gint64 delay_us = -1;

  g_test_message ("Retry-After: \"%s\"", value);
  g_assert_false (jimmy_backoff_parse_retry_after (value, fixture->now,
          &delay_us));
  /* Left alone on failure. */
  g_assert_cmpint (delay_us, ==, -1);
}

static void
test_retry_after_seconds (Fixture *fixture, gconstpointer test_data)
{
  assert_retry_after (fixture, "0", 0);
  assert_retry_after (fixture, "1", 1 * S);
  assert_retry_after (fixture, "120", 120 * S);
  assert_retry_after (fixture, "007", 7 * S);
}

static void
test_retry_after_whitespace (Fixture *fixture, gconstpointer test_data)
{
  assert_retry_after (fixture, " 120", 120 * S);
  assert_retry_after (fixture, "120 ", 120 * S);
  assert_retry_after (fixture, "\t 120 \t", 120 * S);
}

static void
test_retry_after_huge (Fixture *fixture, gconstpointer test_data)
{
  assert_retry_after (fixture, "86399", 86399 * S);
  assert_retry_after (fixture, "86400", MAX_RETRY_AFTER_US);
  assert_retry_after (fixture, "86401", MAX_RETRY_AFTER_US);
  assert_retry_after (fixture, "4294967296", MAX_RETRY_AFTER_US);
  assert_retry_after (fixture, "99999999999999999999999999999999999999",
      MAX_RETRY_AFTER_US);
}

static void
test_retry_after_refused (Fixture *fixture, gconstpointer test_data)
{
  const char *values[] = {
    "", " ", "-1", "+1", "1.5", "1e3", "0x10", "1 2", "12s", "soon",
    "120, 60", "Nov 1994",
  };
  gsize i;

  for (i = 0; i < G_N_ELEMENTS (values); i++)
    assert_retry_after_refused (fixture, values[i]);

  assert_retry_after_refused (fixture, NULL);
}

static void
test_retry_after_date (Fixture *fixture, gconstpointer test_data)
{
  g_autoptr(GDateTime) later = g_date_time_add_seconds (fixture->now, 120);
  g_autofree char *later_string = soup_date_time_to_string (later,
      SOUP_DATE_HTTP);

  assert_retry_after (fixture, later_string, 120 * S);
  assert_retry_after (fixture, "Sun, 06 Nov 1994 08:51:37 GMT", 120 * S);
  assert_retry_after (fixture, " Sun, 06 Nov 1994 08:49:38 GMT ", 1 * S);
  /* The two obsolete forms RFC 9110 still requires. */
  assert_retry_after (fixture, "Sunday, 06-Nov-94 08:50:37 GMT", 60 * S);
  assert_retry_after (fixture, "Sun Nov  6 08:50:37 1994", 60 * S);
}

static void
test_retry_after_date_past (Fixture *fixture, gconstpointer test_data)
{
  assert_retry_after (fixture, "Sun, 06 Nov 1994 08:49:37 GMT", 0);
  assert_retry_after (fixture, "Sun, 06 Nov 1994 08:49:36 GMT", 0);
  assert_retry_after (fixture, "Thu, 01 Jan 1970 00:00:00 GMT", 0);
}

/* One rule on every libsoup (3.6.5-3 refuses the year 9999, 3.2 takes
 * it): a date later than the cap asks for the cap, up to the last second
 * GDateTime holds. */
static void
test_retry_after_date_far (Fixture *fixture, gconstpointer test_data)
{
  assert_retry_after (fixture, "Fri, 31 Dec 9999 23:59:59 GMT",
      MAX_RETRY_AFTER_US);
  assert_retry_after (fixture, "Fri Dec 31 23:59:59 9999",
      MAX_RETRY_AFTER_US);
  /* A day after the RFC's date, and one second more. */
  assert_retry_after (fixture, "Mon, 07 Nov 1994 08:49:37 GMT",
      MAX_RETRY_AFTER_US);
  assert_retry_after (fixture, "Mon, 07 Nov 1994 08:49:36 GMT",
      MAX_RETRY_AFTER_US - S);
}

/* Not a date: the header is ignored, whatever libsoup would say. */
static void
test_retry_after_date_refused (Fixture *fixture, gconstpointer test_data)
{
  const char *values[] = {
    /* Five-digit year, and year 0. */
    "Sat, 01 Jan 10000 00:00:00 GMT", "Sat, 01 Jan 0000 00:00:00 GMT",
    /* Days, hours and seconds that do not exist. */
    "Wed, 31 Nov 1994 08:49:37 GMT", "Tue, 29 Feb 2022 08:49:37 GMT",
    "Sun, 06 Nov 1994 24:00:00 GMT", "Sun, 06 Nov 1994 08:60:00 GMT",
    "Sun, 06 Nov 1994 08:49:60 GMT", "Sun, 00 Nov 1994 08:49:37 GMT",
    /* Not GMT, or not quite the grammar. */
    "Sun, 06 Nov 1994 08:49:37 +0000", "Sun, 06 Nov 1994 08:49:37 UTC",
    "Sun, 06 Nov 1994 08:49:37", "Sun, 6 Nov 1994 08:49:37 GMT",
    "Sun, 06 Nov 94 08:49:37 GMT", "Sun, 06 Nov 1994 8:49:37 GMT",
    "Sun, 06 Nov 1994 08:49:37 GMT x", "Sun,06 Nov 1994 08:49:37 GMT",
    "Sunday, 06-Nov-1994 08:49:37 GMT", "Sun Nov 6 08:49:37 1994",
    "Son, 06 Nov 1994 08:49:37 GMT", "Sun, 06 Noc 1994 08:49:37 GMT",
    "Sun",
  };
  gsize i;

  for (i = 0; i < G_N_ELEMENTS (values); i++)
    assert_retry_after_refused (fixture, values[i]);
}

/* Names in any case; the day name need not match the date. */
static void
test_retry_after_date_lenient (Fixture *fixture, gconstpointer test_data)
{
  assert_retry_after (fixture, "sun, 06 nov 1994 08:51:37 gmt", 120 * S);
  assert_retry_after (fixture, "Mon, 06 Nov 1994 08:51:37 GMT", 120 * S);
  assert_retry_after (fixture, "Sun Nov 06 08:51:37 1994", 120 * S);
}

/* RFC 9110: a two-digit year more than 50 years ahead is in the past. */
static void
test_retry_after_date_two_digit_year (Fixture *fixture,
    gconstpointer test_data)
{
  /* 2044 is 50 years after 1994, so still ahead; 2045 is not. */
  assert_retry_after (fixture, "Sunday, 06-Nov-44 08:49:37 GMT",
      MAX_RETRY_AFTER_US);
  assert_retry_after (fixture, "Monday, 06-Nov-45 08:49:37 GMT", 0);
  assert_retry_after (fixture, "Sunday, 06-Nov-94 08:49:38 GMT", 1 * S);
  assert_retry_after (fixture, "Sunday, 06-Nov-00 08:49:37 GMT",
      MAX_RETRY_AFTER_US);
}

/* Without a given time, the clock decides. */
static void
test_retry_after_date_now (void)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) later = g_date_time_add_seconds (now, 600);
  g_autofree char *later_string = soup_date_time_to_string (later,
      SOUP_DATE_HTTP);
  gint64 delay_us = -1;

  g_assert_true (jimmy_backoff_parse_retry_after (later_string, NULL,
          &delay_us));
  /* The date has whole seconds and the test may be slow. */
  g_assert_cmpint (delay_us, >, 500 * S);
  g_assert_cmpint (delay_us, <=, 600 * S);

  g_assert_true (jimmy_backoff_parse_retry_after (
          "Sun, 06 Nov 1994 08:49:37 GMT", NULL, &delay_us));
  g_assert_cmpint (delay_us, ==, 0);
}

#define ADD_FIXTURE_TEST(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/backoff/delay/sequence", test_delay_sequence);
  g_test_add_func ("/backoff/delay/small-base", test_delay_small_base);
  g_test_add_func ("/backoff/delay/cap", test_delay_cap);
  g_test_add_func ("/backoff/delay/huge-failures", test_delay_huge_failures);
  g_test_add_func ("/backoff/delay/random-out-of-range",
      test_delay_random_out_of_range);
  g_test_add_func ("/backoff/delay/jitter-bounds", test_delay_jitter_bounds);

  ADD_FIXTURE_TEST ("/backoff/retry-after/seconds", test_retry_after_seconds);
  ADD_FIXTURE_TEST ("/backoff/retry-after/whitespace",
      test_retry_after_whitespace);
  ADD_FIXTURE_TEST ("/backoff/retry-after/huge", test_retry_after_huge);
  ADD_FIXTURE_TEST ("/backoff/retry-after/refused", test_retry_after_refused);
  ADD_FIXTURE_TEST ("/backoff/retry-after/date", test_retry_after_date);
  ADD_FIXTURE_TEST ("/backoff/retry-after/date-past",
      test_retry_after_date_past);
  ADD_FIXTURE_TEST ("/backoff/retry-after/date-far",
      test_retry_after_date_far);
  ADD_FIXTURE_TEST ("/backoff/retry-after/date-refused",
      test_retry_after_date_refused);
  ADD_FIXTURE_TEST ("/backoff/retry-after/date-lenient",
      test_retry_after_date_lenient);
  ADD_FIXTURE_TEST ("/backoff/retry-after/date-two-digit-year",
      test_retry_after_date_two_digit_year);
  g_test_add_func ("/backoff/retry-after/date-now",
      test_retry_after_date_now);

  return g_test_run ();
}
