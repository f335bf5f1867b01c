/* bench-parent.c: what the benchmarks that run children share: the
 * server bench/serve.sh started, the children's results, and medians and
 * ranges over runs.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "bench-common.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#ifndef BENCH_SERVE_SCRIPT
#error "meson must define BENCH_SERVE_SCRIPT"
#endif

/* ---------------------------------------------------------------------- */
/* The server */

const char *
bench_api_url (void)
{
  const char *url = g_getenv ("BENCH_API_URL");

  if (url == NULL || url[0] == '\0')
    g_printerr ("no BENCH_API_URL: run this under bench/serve.sh (bench/run.sh"
        " does)\n");
  return url && url[0] ? url : NULL;
}

/* @pid and its descendants, through /proc/PID/task/PID/children. */
static gint64
tree_cpu_time_us (const char *pid)
{
  g_autofree char *children_path = g_strdup_printf
      ("/proc/%s/task/%s/children", pid, pid);
  g_autofree char *children = NULL;
  g_auto (GStrv) each = NULL;
  gint64 total = bench_process_cpu_time_us (atoi (pid));
  guint i;

  if (total < 0)
    return 0;
  if (!g_file_get_contents (children_path, &children, NULL, NULL))
    return total;
  each = g_strsplit (g_strstrip (children), " ", -1);
  for (i = 0; each[i] != NULL; i++) {
    if (each[i][0] != '\0')
      total += tree_cpu_time_us (each[i]);
  }
  return total;
}

gint64
bench_server_cpu_time_us (void)
{
  g_auto (GStrv) pids = g_strsplit (g_getenv ("BENCH_SERVER_PIDS") ?
      g_getenv ("BENCH_SERVER_PIDS") : "", " ", -1);
  gint64 total = 0;
  guint i;

  for (i = 0; pids[i] != NULL; i++) {
    if (pids[i][0] != '\0')
      total += tree_cpu_time_us (pids[i]);
  }
  return total;
}

/* ---------------------------------------------------------------------- */
/* Children */

GKeyFile *
bench_run_child (const char *const *argv)
{
  g_autoptr (GSubprocess) child = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (GKeyFile) result = g_key_file_new ();
  g_autofree char *out = NULL;
  const char *start;

  child = g_subprocess_newv (argv, G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error);
  if (child == NULL
      || !g_subprocess_communicate_utf8 (child, NULL, NULL, &out, NULL,
          &error)) {
    g_printerr ("%s failed: %s\n", argv[0], error->message);
    return NULL;
  }
  start = out ? strstr (out, "[result]") : NULL;
  if (!g_subprocess_get_successful (child) || start == NULL
      || !g_key_file_load_from_data (result, start, -1, G_KEY_FILE_NONE,
          &error)) {
    g_autofree char *line = g_strjoinv (" ", (char **) argv);

    g_printerr ("this child failed (%s): %s\n", error ? error->message :
        "no result", line);
    return NULL;
  }
  return g_steal_pointer (&result);
}

char *
bench_sibling (const char *name)
{
  g_autofree char *exe = g_file_read_link ("/proc/self/exe", NULL);
  g_autofree char *dir = g_path_get_dirname (exe);

  return g_build_filename (dir, name, NULL);
}

const char *
bench_serve_script (void)
{
  return BENCH_SERVE_SCRIPT;
}

/* ---------------------------------------------------------------------- */
/* Medians over runs */

struct _BenchAgg {
  GHashTable *values;           /* key -> GArray of gdouble */
};

BenchAgg *
bench_agg_new (void)
{
  BenchAgg *agg = g_new0 (BenchAgg, 1);

  agg->values = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
      (GDestroyNotify) g_array_unref);
  return agg;
}

void
bench_agg_free (BenchAgg * agg)
{
  g_hash_table_unref (agg->values);
  g_free (agg);
}

void
bench_agg_add (BenchAgg * agg, const char *key, gdouble value)
{
  GArray *values = g_hash_table_lookup (agg->values, key);

  if (values == NULL) {
    values = g_array_new (FALSE, FALSE, sizeof (gdouble));
    g_hash_table_insert (agg->values, g_strdup (key), values);
  }
  g_array_append_val (values, value);
}

void
bench_agg_add_result (BenchAgg * agg, GKeyFile * result)
{
  g_auto (GStrv) keys = g_key_file_get_keys (result, "result", NULL, NULL);
  guint i;

  for (i = 0; keys != NULL && keys[i] != NULL; i++) {
    g_autofree char *text = g_key_file_get_value (result, "result", keys[i],
        NULL);
    char *end = NULL;
    gdouble value = g_ascii_strtod (text, &end);

    if (end != text && *end == '\0')
      bench_agg_add (agg, keys[i], value);
  }
}

gdouble
bench_agg_median (BenchAgg * agg, const char *key)
{
  GArray *values = g_hash_table_lookup (agg->values, key);

  return values && values->len ? bench_median (values) : NAN;
}

/* @format is the caller's printf format for one number. */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
char *
bench_agg_format (BenchAgg * agg, const char *key, const char *format)
{
  GArray *values = g_hash_table_lookup (agg->values, key);
  g_autofree char *fmt = NULL;

  if (values == NULL || values->len == 0)
    return g_strdup ("–");
  if (values->len == 1)
    return g_strdup_printf (format, g_array_index (values, gdouble, 0));
  fmt = g_strdup_printf ("%s (%s–%s)", format, format, format);
  return g_strdup_printf (fmt, bench_median (values), bench_min (values),
      bench_max (values));
}
#pragma GCC diagnostic pop
