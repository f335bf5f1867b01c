/* bench-decode.c: B1, decoding a long MP3 served on loopback, end to end.
 *
 * The same file, served by a jimmy-mock-server process whose task is
 * already completed, goes through three pipelines, interleaved round by
 * round (the starting pipeline rotates):
 *
 *   jimmyaudiosrc ! fakesink              (one poll, then the two below)
 *   souphttpsrc ! decodebin ! fakesink    (what jimmyaudiosrc runs inside)
 *   filesrc ! decodebin ! fakesink        (no HTTP at all)
 *
 * Each run is timed from set_state(PLAYING) to the EOS message, in wall
 * time and in CPU time of the whole process (getrusage); the mock's CPU
 * is not in it. One warm-up round is dropped.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "bench-common.h"

#include <stdlib.h>

#include <glib/gstdio.h>

#define RUN_TIMEOUT_US (120 * G_USEC_PER_SEC)

enum {
  JIMMY,
  SOUP,
  FILESRC,
  N_VARIANTS
};

static const char *const variant_names[N_VARIANTS] = {
  "jimmyaudiosrc ! fakesink",
  "souphttpsrc ! decodebin ! fakesink",
  "filesrc ! decodebin ! fakesink",
};

typedef struct {
  GArray *wall_ms;              /* (owned) gdouble */
  GArray *cpu_ms;               /* (owned) gdouble */
  GstClockTime decoded;         /* of the last run */
} Results;

static char *
describe (guint variant, guint run, const char *base_url, const char *media)
{
  switch (variant) {
    case JIMMY:
      return g_strdup_printf ("jimmyaudiosrc task-id=bench_decode_%u "
          "api-url=%s api-key=" BENCH_API_KEY " poll-interval=100 ! "
          "fakesink name=sink", run, base_url);
    case SOUP:
      return g_strdup_printf ("souphttpsrc location=%s/media/bench_decode.mp3"
          " ! decodebin ! fakesink name=sink", base_url);
    default:
      return g_strdup_printf ("filesrc location=\"%s\" ! decodebin ! "
          "fakesink name=sink", media);
  }
}

static gboolean
run_once (const char *description, BenchRun * run)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GstElement) pipeline = gst_parse_launch (description, &error);
  gboolean ok;

  if (pipeline == NULL) {
    g_printerr ("%s: %s\n", description, error->message);
    return FALSE;
  }
  ok = bench_run_to_eos (pipeline, RUN_TIMEOUT_US, run);
  gst_element_set_state (pipeline, GST_STATE_NULL);
  return ok;
}

static gdouble
ratio_of_medians (Results * a, Results * b, gboolean cpu)
{
  return cpu ? bench_median (a->cpu_ms) / bench_median (b->cpu_ms) :
      bench_median (a->wall_ms) / bench_median (b->wall_ms);
}

static void
print_results (Results * results, GArray * paired_wall, GArray * paired_cpu,
    guint runs, gsize media_size)
{
  guint v;

  g_print ("\n#### B1 full decode: %.1f MB MP3, %u interleaved runs each\n\n",
      media_size / 1e6, runs);
  g_print ("| pipeline | wall median (ms) | wall min-max (ms) | CPU median "
      "(ms) | CPU min-max (ms) | wall / souphttpsrc | CPU / souphttpsrc | "
      "decoded (s) |\n|---|---|---|---|---|---|---|---|\n");
  for (v = 0; v < N_VARIANTS; v++) {
    Results *r = &results[v];

    g_print ("| `%s` | %.1f | %.1f-%.1f | %.1f | %.1f-%.1f | %.3f | %.3f | "
        "%.1f |\n", variant_names[v], bench_median (r->wall_ms),
        bench_min (r->wall_ms), bench_max (r->wall_ms),
        bench_median (r->cpu_ms), bench_min (r->cpu_ms),
        bench_max (r->cpu_ms), ratio_of_medians (r, &results[SOUP], FALSE),
        ratio_of_medians (r, &results[SOUP], TRUE),
        (gdouble) r->decoded / GST_SECOND);
  }
  g_print ("\nPaired per round, jimmyaudiosrc / souphttpsrc: wall median "
      "%.3f (min %.3f, max %.3f); CPU median %.3f (min %.3f, max %.3f). "
      "Target: <= 1.03.\n", bench_median (paired_wall),
      bench_min (paired_wall), bench_max (paired_wall),
      bench_median (paired_cpu), bench_min (paired_cpu),
      bench_max (paired_cpu));
}

int
main (int argc, char **argv)
{
  g_autofree char *media = NULL;
  g_autofree char *workdir = NULL;
  g_autofree char *log_path = NULL;
  gint runs = 7;
  GOptionEntry entries[] = {
    {"media", 0, 0, G_OPTION_ARG_FILENAME, &media,
        "The MP3 to serve and decode (required)", "FILE"},
    {"runs", 0, 0, G_OPTION_ARG_INT, &runs,
        "Measured runs per pipeline (default 7)", "N"},
    {"workdir", 0, 0, G_OPTION_ARG_FILENAME, &workdir,
        "Where the mock's log goes (default: the temp dir)", "DIR"},
    {NULL}
  };
  g_autoptr (GOptionContext) context = g_option_context_new ("- B1");
  g_autoptr (GError) error = NULL;
  g_autoptr (GArray) paired_wall = g_array_new (FALSE, FALSE,
      sizeof (gdouble));
  g_autoptr (GArray) paired_cpu = g_array_new (FALSE, FALSE,
      sizeof (gdouble));
  const char *mock_args[4] = { "--script=completed", NULL, NULL, NULL };
  g_autofree char *media_arg = NULL;
  Results results[N_VARIANTS];
  BenchMock *mock;
  GStatBuf st;
  gint round, v;

  g_option_context_add_main_entries (context, entries, NULL);
  g_option_context_add_group (context, gst_init_get_option_group ());
  if (!g_option_context_parse (context, &argc, &argv, &error)
      || media == NULL || runs < 1 || g_stat (media, &st) != 0) {
    g_printerr ("bench-decode: %s\n", error ? error->message :
        "--media FILE (existing) and --runs ≥ 1 are required");
    return 2;
  }
  if (gst_element_factory_find ("jimmyaudiosrc") == NULL) {
    g_printerr ("bench-decode: no jimmyaudiosrc: run through bench/run.sh\n");
    return 2;
  }

  if (workdir == NULL)
    workdir = g_strdup (g_get_tmp_dir ());
  log_path = g_build_filename (workdir, "bench-decode-mock.log", NULL);
  media_arg = g_strdup_printf ("--media=%s", media);
  mock_args[1] = media_arg;
  mock = bench_mock_spawn (mock_args, log_path, &error);
  if (mock == NULL) {
    g_printerr ("bench-decode: %s\n", error->message);
    return 1;
  }

  for (v = 0; v < N_VARIANTS; v++) {
    results[v].wall_ms = g_array_new (FALSE, FALSE, sizeof (gdouble));
    results[v].cpu_ms = g_array_new (FALSE, FALSE, sizeof (gdouble));
  }

  /* Round 0 warms caches and loads plugins; it is not counted. */
  for (round = 0; round <= runs; round++) {
    BenchRun run_of[N_VARIANTS];
    gint k;

    for (k = 0; k < N_VARIANTS; k++) {
      g_autofree char *description = NULL;
      BenchRun run = { 0 };
      gdouble wall_ms, cpu_ms;

      v = (round + k) % N_VARIANTS;
      description = describe (v, round, mock->base_url, media);
      if (!run_once (description, &run)) {
        bench_mock_stop (mock);
        return 1;
      }
      run_of[v] = run;
      if (round == 0)
        continue;
      wall_ms = run.wall_us / 1000.0;
      cpu_ms = run.cpu_us / 1000.0;
      g_array_append_val (results[v].wall_ms, wall_ms);
      g_array_append_val (results[v].cpu_ms, cpu_ms);
      results[v].decoded = run.decoded;
    }
    if (round > 0) {
      gdouble w = (gdouble) run_of[JIMMY].wall_us / run_of[SOUP].wall_us;
      gdouble c = (gdouble) run_of[JIMMY].cpu_us / run_of[SOUP].cpu_us;
      g_array_append_val (paired_wall, w);
      g_array_append_val (paired_cpu, c);
    }
  }

  bench_print_machine ();
  print_results (results, paired_wall, paired_cpu, runs, st.st_size);

  bench_mock_stop (mock);
  for (v = 0; v < N_VARIANTS; v++) {
    g_array_unref (results[v].wall_ms);
    g_array_unref (results[v].cpu_ms);
  }
  return 0;
}
