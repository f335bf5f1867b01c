/* bench-polls.c: the client's own record of its polls (BenchPolls).
 *
 * The server cannot see the schedule, and the element does not expose
 * it, so the benchmark watches the requests leave this process: an
 * emission hook on SoupMessage's "wrote-headers" runs, on the poller
 * thread, for every message any session in the process writes, and one on
 * "finished" for every message done. The hooks cost a hash lookup and a
 * few stores per poll; the libsoup floor (bench-floor) runs the same
 * hooks, so the CPU ratio compares like with like.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "bench-common.h"

#include <string.h>

#include <libsoup/soup.h>

typedef struct {
  gint64 first_us;              /* its first poll: slot 0 */
  gint64 slot;                  /* the slot of its latest poll */
  gint64 sent_us;               /* its latest poll */
  gint64 finished_us;
  guint window_polls;
  guint window_first_slot;      /* slot of its first poll in the window */
  gboolean window_seen;
  gboolean window_skipped;      /* a slot in the window had no poll */
  gdouble window_max_late_ms;
  gint64 min_offset_us;         /* least (sent - slot * interval) so far */
} TaskPolls;

/* One poll in the window: its offset from its task's grid. */
typedef struct {
  TaskPolls *task;
  const char *id;               /* the hash table's key */
  gint64 offset_us;             /* sent - (first_us + slot * interval) */
} WindowPoll;

struct _BenchPolls {
  GMutex lock;                  /* guards everything below */
  gint64 interval_us;
  GHashTable *tasks;            /* id -> TaskPolls */
  gboolean in_window;
  guint64 sent;                 /* in the window */
  guint64 finished;             /* in the window */
  GArray *window_polls;         /* WindowPoll, in send order */
};

/* The task id of a poll, or NULL for any other request. */
static const char *
task_id_of (SoupMessage * msg)
{
  const char *path = g_uri_get_path (soup_message_get_uri (msg));

  if (!g_str_has_prefix (path, BENCH_API_PREFIX))
    return NULL;
  return path + strlen (BENCH_API_PREFIX);
}

static TaskPolls *
lookup_or_add (BenchPolls * polls, const char *id, gboolean * added)
{
  TaskPolls *task = g_hash_table_lookup (polls->tasks, id);

  *added = task == NULL;
  if (task == NULL) {
    task = g_new0 (TaskPolls, 1);
    g_hash_table_insert (polls->tasks, g_strdup (id), task);
  }
  return task;
}

/* The schedule: the poller's grid of due times is not visible from
 * here, only that it has a fixed origin and step. Its origin is taken as
 * the earliest that every poll of the task seen so far allows (the least
 * of sent - slot * interval, usually the first poll's own send time or a
 * little less): lateness is then never negative, and is at least the
 * true lateness minus how late that best poll was. */
static void
record_sent (BenchPolls * polls, const char *id, gint64 now)
{
  gboolean added;
  TaskPolls *task = lookup_or_add (polls, id, &added);
  gint64 slot, offset;

  task->sent_us = now;
  if (added) {
    task->first_us = now;
    task->slot = 0;
    task->min_offset_us = 0;
    return;
  }
  /* Normally the next slot; later than a whole interval past it means the
   * poller skipped slots: count it against the latest slot it passed. */
  slot = task->slot + 1;
  offset = now - (task->first_us + slot * polls->interval_us);
  if (offset >= polls->interval_us) {
    slot = (now - task->first_us) / polls->interval_us;
    offset = now - (task->first_us + slot * polls->interval_us);
  }
  task->min_offset_us = MIN (task->min_offset_us, offset);
  if (polls->in_window) {
    WindowPoll poll = { task, NULL, offset };

    if (!task->window_seen) {
      task->window_seen = TRUE;
      task->window_first_slot = slot;
    } else if (slot != task->slot + 1) {
      task->window_skipped = TRUE;
    }
    task->window_polls++;
    g_hash_table_lookup_extended (polls->tasks, id, (gpointer *) & poll.id,
        NULL);
    g_array_append_val (polls->window_polls, poll);
  }
  task->slot = slot;
}

static gboolean
on_wrote_headers (GSignalInvocationHint * hint, guint n_params,
    const GValue * params, gpointer user_data)
{
  BenchPolls *polls = user_data;
  const char *id = task_id_of (g_value_get_object (&params[0]));
  gint64 now = g_get_monotonic_time ();

  if (id == NULL)
    return TRUE;
  g_mutex_lock (&polls->lock);
  if (polls->in_window)
    polls->sent++;
  record_sent (polls, id, now);
  g_mutex_unlock (&polls->lock);
  return TRUE;
}

static gboolean
on_finished (GSignalInvocationHint * hint, guint n_params,
    const GValue * params, gpointer user_data)
{
  BenchPolls *polls = user_data;
  const char *id = task_id_of (g_value_get_object (&params[0]));
  gint64 now = g_get_monotonic_time ();
  gboolean added;

  if (id == NULL)
    return TRUE;
  g_mutex_lock (&polls->lock);
  if (polls->in_window)
    polls->finished++;
  lookup_or_add (polls, id, &added)->finished_us = now;
  g_mutex_unlock (&polls->lock);
  return TRUE;
}

BenchPolls *
bench_polls_install (guint interval_ms)
{
  BenchPolls *polls = g_new0 (BenchPolls, 1);
  GType type = SOUP_TYPE_MESSAGE;
  /* The signals exist once the class does; it stays for the process. */
  gpointer klass = g_type_class_ref (type);
  guint wrote_headers = g_signal_lookup ("wrote-headers", type);
  guint finished = g_signal_lookup ("finished", type);

  g_assert (wrote_headers != 0 && finished != 0);
  (void) klass;

  g_mutex_init (&polls->lock);
  polls->interval_us = (gint64) interval_ms * 1000;
  polls->tasks = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
      g_free);
  polls->window_polls = g_array_new (FALSE, FALSE, sizeof (WindowPoll));
  g_signal_add_emission_hook (wrote_headers, 0, on_wrote_headers, polls,
      NULL);
  g_signal_add_emission_hook (finished, 0, on_finished, polls, NULL);
  return polls;
}

void
bench_polls_start_window (BenchPolls * polls)
{
  g_mutex_lock (&polls->lock);
  polls->in_window = TRUE;
  g_mutex_unlock (&polls->lock);
}

void
bench_polls_stop_window (BenchPolls * polls)
{
  g_mutex_lock (&polls->lock);
  polls->in_window = FALSE;
  g_mutex_unlock (&polls->lock);
}

guint64
bench_polls_sent (BenchPolls * polls)
{
  guint64 n;

  g_mutex_lock (&polls->lock);
  n = polls->sent;
  g_mutex_unlock (&polls->lock);
  return n;
}

guint64
bench_polls_finished (BenchPolls * polls)
{
  guint64 n;

  g_mutex_lock (&polls->lock);
  n = polls->finished;
  g_mutex_unlock (&polls->lock);
  return n;
}

GArray *
bench_polls_lateness_ms (BenchPolls * polls, const char *prefix)
{
  GArray *out = g_array_new (FALSE, FALSE, sizeof (gdouble));
  guint i;

  g_mutex_lock (&polls->lock);
  for (i = 0; i < polls->window_polls->len; i++) {
    WindowPoll *poll = &g_array_index (polls->window_polls, WindowPoll, i);
    gdouble late_ms = (poll->offset_us - poll->task->min_offset_us) / 1000.0;

    if (prefix == NULL || g_str_has_prefix (poll->id, prefix))
      g_array_append_val (out, late_ms);
  }
  g_mutex_unlock (&polls->lock);
  return out;
}

/* Called after the window: a task is on schedule when it was polled in
 * the window, in no slot later than @bound_ms and in no slot skipped
 * (between its first and last poll there, or at the window's end, which
 * the caller checks by giving a window of whole intervals). */
guint
bench_polls_on_schedule (BenchPolls * polls, const char *prefix,
    gdouble bound_ms, guint * tasks)
{
  GHashTableIter iter;
  gpointer key, value;
  guint n = 0, all = 0, i;

  g_mutex_lock (&polls->lock);
  /* Each task's worst poll in the window, against its final origin. */
  for (i = 0; i < polls->window_polls->len; i++) {
    WindowPoll *poll = &g_array_index (polls->window_polls, WindowPoll, i);
    gdouble late_ms = (poll->offset_us - poll->task->min_offset_us) / 1000.0;

    poll->task->window_max_late_ms = MAX (poll->task->window_max_late_ms,
        late_ms);
  }
  g_hash_table_iter_init (&iter, polls->tasks);
  while (g_hash_table_iter_next (&iter, &key, &value)) {
    TaskPolls *task = value;

    if (prefix != NULL && !g_str_has_prefix (key, prefix))
      continue;
    all++;
    if (task->window_seen && !task->window_skipped
        && task->window_max_late_ms <= bound_ms)
      n++;
  }
  g_mutex_unlock (&polls->lock);
  *tasks = all;
  return n;
}

gint64
bench_polls_last_us (BenchPolls * polls, const char *task_id,
    gboolean finished)
{
  TaskPolls *task;
  gint64 t = 0;

  g_mutex_lock (&polls->lock);
  task = g_hash_table_lookup (polls->tasks, task_id);
  if (task != NULL)
    t = finished ? task->finished_us : task->sent_us;
  g_mutex_unlock (&polls->lock);
  return t;
}
