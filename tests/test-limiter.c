/* test-limiter.c: the poller's request slots, per origin and overall,
 * without any HTTP: the rules and the order jimmy-limiter.c promises.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "jimmy-limiter.h"

#define A "http://a.test:80"
#define B "http://b.test:80"

/* Slots of several "jobs", each bound to an origin. */
typedef struct {
  JimmyLimiter *limiter;        /* (owned) */
  GArray *slots;                /* (owned) JimmySlot, never reallocated */
} Fixture;

static void
fixture_init (Fixture * f, guint per_origin, guint total, guint reserved,
    guint n_slots)
{
  JimmyLimits limits = {
    .per_origin = per_origin,.total = total,.reserved = reserved,
  };

  f->limiter = jimmy_limiter_new (&limits);
  f->slots = g_array_sized_new (FALSE, TRUE, sizeof (JimmySlot), n_slots);
  g_array_set_size (f->slots, n_slots);
}

static JimmySlot *
slot_at (Fixture * f, guint i)
{
  return &g_array_index (f->slots, JimmySlot, i);
}

static guint
index_of (Fixture * f, JimmySlot * slot)
{
  return slot - slot_at (f, 0);
}

/* Slots [first, first + n) on @origin, queued in that order. */
static void
queue_on (Fixture * f, const char *origin, guint first, guint n)
{
  guint i;

  for (i = first; i < first + n; i++) {
    jimmy_slot_init (f->limiter, slot_at (f, i), origin);
    jimmy_limiter_enqueue (f->limiter, slot_at (f, i));
  }
}

/* Admits all that may go; returns their indices in admission order. */
static GArray *
admit_all (Fixture * f)
{
  GArray *admitted = g_array_new (FALSE, FALSE, sizeof (guint));
  JimmySlot *slot;

  while ((slot = jimmy_limiter_admit_next (f->limiter)) != NULL) {
    guint i = index_of (f, slot);

    g_assert_cmpint (slot->state, ==, JIMMY_SLOT_HOLDING);
    g_array_append_val (admitted, i);
  }
  return admitted;
}

static void
assert_admitted (GArray * admitted, const guint * expected, guint n)
{
  guint i;

  g_assert_cmpuint (admitted->len, ==, n);
  for (i = 0; i < n; i++)
    g_assert_cmpuint (g_array_index (admitted, guint, i), ==, expected[i]);
}

static void
fixture_clear (Fixture * f)
{
  guint i;

  for (i = 0; i < f->slots->len; i++) {
    JimmySlot *slot = slot_at (f, i);

    if (slot->state == JIMMY_SLOT_HOLDING)
      jimmy_limiter_release (f->limiter, slot);
    jimmy_slot_clear (f->limiter, slot);
  }
  g_assert_cmpuint (jimmy_limiter_get_in_flight (f->limiter, NULL), ==, 0);
  jimmy_limiter_free (f->limiter);
  g_array_unref (f->slots);
}

/* More due slots than P on one origin: P go, in the order they were
 * queued; each release lets the next in line go. */
static void
test_per_origin_fifo (void)
{
  Fixture f;
  g_autoptr (GArray) first = NULL;
  g_autoptr (GArray) next = NULL;
  const guint expected[] = { 0, 1, 2 };
  guint i;

  fixture_init (&f, 3, 100, 25, 10);
  queue_on (&f, A, 0, 10);

  first = admit_all (&f);
  assert_admitted (first, expected, 3);
  g_assert_cmpuint (jimmy_limiter_get_in_flight (f.limiter, A), ==, 3);

  /* Each release admits exactly the next one, in order: none starved. */
  for (i = 3; i < 10; i++) {
    g_autoptr (GArray) one = NULL;

    jimmy_limiter_release (f.limiter, slot_at (&f, i - 3));
    one = admit_all (&f);
    assert_admitted (one, &i, 1);
    g_assert_cmpuint (jimmy_limiter_get_in_flight (f.limiter, A), ==, 3);
  }
  /* A released slot queued again goes behind those already waiting. */
  jimmy_limiter_release (f.limiter, slot_at (&f, 7));
  jimmy_limiter_enqueue (f.limiter, slot_at (&f, 7));
  next = admit_all (&f);
  g_assert_cmpuint (next->len, ==, 1);
  g_assert_cmpuint (g_array_index (next, guint, 0), ==, 7);

  fixture_clear (&f);
}

/* Two busy origins take turns for the shared slots. */
static void
test_origins_take_turns (void)
{
  Fixture f;
  g_autoptr (GArray) admitted = NULL;
  /* A: slots 0-4, B: slots 5-9; 6 shared (total 8, 2 reserved). */
  const guint expected[] = { 0, 5, 1, 6, 2, 7, 8 };

  fixture_init (&f, 4, 8, 2, 10);
  queue_on (&f, A, 0, 5);
  queue_on (&f, B, 5, 5);

  admitted = admit_all (&f);
  /* A, B, A, B, A, B: 6, the shared part. Then A and B already hold
   * some, so the reserve stays free... */
  g_assert_cmpuint (admitted->len, ==, 6);
  assert_admitted (admitted, expected, 6);

  /* ...and a release goes to the origin whose turn it is. */
  jimmy_limiter_release (f.limiter, slot_at (&f, 0));
  g_clear_pointer (&admitted, g_array_unref);
  admitted = admit_all (&f);
  g_assert_cmpuint (admitted->len, ==, 1);
  g_assert_cmpuint (g_array_index (admitted, guint, 0), ==, 3);
  jimmy_limiter_release (f.limiter, slot_at (&f, 1));
  g_clear_pointer (&admitted, g_array_unref);
  admitted = admit_all (&f);
  g_assert_cmpuint (g_array_index (admitted, guint, 0), ==, 8);

  fixture_clear (&f);
}

/* Origins that hang (never release) fill the shared part; an origin
 * with nothing in flight still gets its first request at once, from the
 * reserve, until R + 1 other origins each have one in flight. */
static void
test_reserve_for_new_origins (void)
{
  Fixture f;
  g_autoptr (GArray) admitted = NULL;
  const char *hung[] = { "http://h0.test:80", "http://h1.test:80",
    "http://h2.test:80"
  };
  guint i;

  /* P 4, T 8, R 2: shared S = 6. */
  fixture_init (&f, 4, 8, 2, 40);
  for (i = 0; i < 3; i++)
    queue_on (&f, hung[i], i * 10, 10);

  admitted = admit_all (&f);
  /* Turns h0 h1 h2 h0 h1 h2: S = 6 in flight, two each; none beyond. */
  g_assert_cmpuint (admitted->len, ==, 6);
  for (i = 0; i < 3; i++)
    g_assert_cmpuint (jimmy_limiter_get_in_flight (f.limiter, hung[i]), ==,
        2);

  /* A healthy origin: its first request goes from the reserve, and its
   * second must wait (it holds one, and S is used up). */
  queue_on (&f, A, 30, 2);
  g_clear_pointer (&admitted, g_array_unref);
  admitted = admit_all (&f);
  g_assert_cmpuint (admitted->len, ==, 1);
  g_assert_cmpuint (g_array_index (admitted, guint, 0), ==, 30);
  g_assert_cmpuint (jimmy_limiter_get_in_flight (f.limiter, NULL), ==, 7);

  /* Another new origin takes the last reserved slot: T = 8 reached, with
   * 5 origins holding (at least R + 1 = 3 are needed for that). A third
   * new origin now waits: the documented limit of the guarantee. */
  queue_on (&f, B, 32, 1);
  queue_on (&f, "http://c.test:80", 33, 1);
  g_clear_pointer (&admitted, g_array_unref);
  admitted = admit_all (&f);
  g_assert_cmpuint (admitted->len, ==, 1);
  g_assert_cmpuint (g_array_index (admitted, guint, 0), ==, 32);
  g_assert_cmpuint (jimmy_limiter_get_in_flight (f.limiter, NULL), ==, 8);

  /* Freed slots go to the origins that hold none, in line: A (its first
   * request is back, so its second counts as a first), then C. The hung
   * origins, at S, get nothing more. */
  jimmy_limiter_release (f.limiter, slot_at (&f, 30));
  g_clear_pointer (&admitted, g_array_unref);
  admitted = admit_all (&f);
  g_assert_cmpuint (admitted->len, ==, 1);
  g_assert_cmpuint (g_array_index (admitted, guint, 0), ==, 31);
  jimmy_limiter_release (f.limiter, slot_at (&f, 32));
  g_clear_pointer (&admitted, g_array_unref);
  admitted = admit_all (&f);
  g_assert_cmpuint (admitted->len, ==, 1);
  g_assert_cmpuint (g_array_index (admitted, guint, 0), ==, 33);

  fixture_clear (&f);
}

/* The reserve argument in numbers: however the origins come and go, the
 * total stays <= T, each origin <= P, and whenever an origin with none
 * in flight is refused, at least R + 1 other origins hold a slot. */
static void
test_guarantee_randomised (void)
{
  const guint n_origins = 12, per_origin_slots = 8;
  Fixture f;
  GRand *rand = g_rand_new_with_seed (20261202);
  char *origins[12];
  guint round, i;

  fixture_init (&f, 3, 10, 3, n_origins * per_origin_slots);
  for (i = 0; i < n_origins; i++) {
    guint j;

    origins[i] = g_strdup_printf ("http://o%u.test:80", i);
    for (j = 0; j < per_origin_slots; j++)
      jimmy_slot_init (f.limiter, slot_at (&f, i * per_origin_slots + j),
          origins[i]);
  }

  for (round = 0; round < 20000; round++) {
    JimmySlot *slot = slot_at (&f, g_rand_int_range (rand, 0,
            f.slots->len));
    guint busy = 0, total = 0;
    g_autoptr (GArray) admitted = NULL;

    switch (slot->state) {
      case JIMMY_SLOT_IDLE:
        jimmy_limiter_enqueue (f.limiter, slot);
        break;
      case JIMMY_SLOT_QUEUED:
        if (g_rand_boolean (rand))
          jimmy_limiter_dequeue (f.limiter, slot);
        break;
      case JIMMY_SLOT_HOLDING:
        jimmy_limiter_release (f.limiter, slot);
        break;
    }
    admitted = admit_all (&f);

    for (i = 0; i < n_origins; i++) {
      guint n = jimmy_limiter_get_in_flight (f.limiter, origins[i]);

      g_assert_cmpuint (n, <=, 3);
      busy += n > 0;
      total += n;
    }
    g_assert_cmpuint (total, ==, jimmy_limiter_get_in_flight (f.limiter,
            NULL));
    g_assert_cmpuint (total, <=, 10);
    /* Nothing admissible is left waiting. */
    for (i = 0; i < f.slots->len; i++) {
      JimmySlot *s = slot_at (&f, i);
      guint held = jimmy_limiter_get_in_flight (f.limiter,
          origins[i / per_origin_slots]);

      if (s->state != JIMMY_SLOT_QUEUED)
        continue;
      if (held == 0)
        /* Refused an origin holding none: only with T reached, and so
         * R + 1 other origins busy. */
        g_assert_cmpuint (busy, >=, 3 + 1);
      else
        g_assert_true (held == 3 || total >= 10 - 3);
    }
  }

  fixture_clear (&f);
  for (i = 0; i < n_origins; i++)
    g_free (origins[i]);
  g_rand_free (rand);
}

static void
test_origin_key (void)
{
  const struct {
    const char *url;
    const char *key;
  } cases[] = {
    {"http://API.Example.COM/v1", "http://api.example.com:80"},
    {"HTTPS://api.example.com", "https://api.example.com:443"},
    {"https://api.example.com:443/x", "https://api.example.com:443"},
    {"http://127.0.0.1:8080", "http://127.0.0.1:8080"},
    {"http://[::1]:81/", "http://[::1]:81"},
  };
  guint i;

  for (i = 0; i < G_N_ELEMENTS (cases); i++) {
    g_autoptr (GUri) uri = g_uri_parse (cases[i].url, G_URI_FLAGS_ENCODED,
        NULL);
    g_autofree char *key = NULL;

    g_assert_nonnull (uri);
    key = jimmy_origin_key_for_uri (uri);
    g_assert_cmpstr (key, ==, cases[i].key);
  }
}

static void
test_limits_init (void)
{
  JimmyLimits limits;

  jimmy_limits_init (&limits, JIMMY_LIMIT_DEFAULT_PER_ORIGIN,
      JIMMY_LIMIT_DEFAULT_TOTAL);
  g_assert_cmpuint (limits.per_origin, ==, 256);
  g_assert_cmpuint (limits.total, ==, 1024);
  g_assert_cmpuint (limits.reserved, ==, 256);

  jimmy_limits_init (&limits, 1, 1);
  g_assert_cmpuint (limits.reserved, ==, 1);
}

/* The test program has no other thread: setenv is safe here. */
static void
test_limits_from_environment (void)
{
  JimmyLimits limits;

  g_setenv (JIMMY_LIMIT_ENV_PER_ORIGIN, "32", TRUE);
  g_setenv (JIMMY_LIMIT_ENV_TOTAL, "lots", TRUE);
  g_test_expect_message ("JimmyClient", G_LOG_LEVEL_WARNING,
      "JIMMY_MAX_REQUESTS=\"lots\" is not a whole number from 1 to 65535; "
      "using 1024 instead. Fix or unset it.");
  jimmy_limits_init_from_environment (&limits);
  g_test_assert_expected_messages ();
  g_assert_cmpuint (limits.per_origin, ==, 32);
  g_assert_cmpuint (limits.total, ==, JIMMY_LIMIT_DEFAULT_TOTAL);

  g_unsetenv (JIMMY_LIMIT_ENV_TOTAL);
  g_setenv (JIMMY_LIMIT_ENV_PER_ORIGIN, "0", TRUE);
  g_test_expect_message ("JimmyClient", G_LOG_LEVEL_WARNING,
      "JIMMY_MAX_REQUESTS_PER_ORIGIN=\"0\" is not a whole number*");
  jimmy_limits_init_from_environment (&limits);
  g_test_assert_expected_messages ();
  g_assert_cmpuint (limits.per_origin, ==, JIMMY_LIMIT_DEFAULT_PER_ORIGIN);
  g_assert_cmpuint (limits.total, ==, JIMMY_LIMIT_DEFAULT_TOTAL);
  g_unsetenv (JIMMY_LIMIT_ENV_PER_ORIGIN);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/limiter/per-origin-fifo", test_per_origin_fifo);
  g_test_add_func ("/limiter/origins-take-turns", test_origins_take_turns);
  g_test_add_func ("/limiter/reserve-for-new-origins",
      test_reserve_for_new_origins);
  g_test_add_func ("/limiter/guarantee-randomised",
      test_guarantee_randomised);
  g_test_add_func ("/limiter/origin-key", test_origin_key);
  g_test_add_func ("/limiter/limits-init", test_limits_init);
  g_test_add_func ("/limiter/limits-from-environment",
      test_limits_from_environment);

  return g_test_run ();
}
