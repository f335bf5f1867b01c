/* jimmy-job.c: the poller thread's state, its jobs and their waiters.
 *
 * A *waiter* is one jimmy_poller_wait_async() call. Waiters that watch the
 * same task with the same settings share one *job*, which polls the task:
 * one timer in the worker's scheduler, at most one request in flight.
 * A job due for a poll queues for a request slot of its API's origin
 * (jimmy-limiter.c: limits per origin and overall, first come first
 * served within an origin, origins in turn), so ten thousand due jobs
 * never become ten thousand requests inside libsoup at once, and an
 * origin that never answers holds only its own slots.
 *
 * Everything here runs on the poller thread (the one iterating the
 * worker's context), and so needs no lock. Waiters talk back to their
 * callers through the callers' own main contexts.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "jimmy-job.h"

#include <string.h>

#include "jimmy-api.h"
#include "jimmy-backoff.h"
#include "jimmy-error.h"
#include "jimmy-proxy.h"
#include "jimmy-request.h"
#include "jimmy-scheduler.h"
#include "jimmy-session-pool.h"
#include "jimmy-text.h"

typedef enum {
  JOB_IDLE,                     /* timer set for the next poll */
  JOB_READY,                    /* queued for a request slot */
  JOB_IN_FLIGHT,                /* timer set for the request deadline */
} JobState;

typedef struct _JimmyJob JimmyJob;

struct _JimmyWorker {
  GMainContext *context;        /* (owned) */
  JimmyScheduler *scheduler;    /* (owned) */
  JimmySessionPool *sessions;   /* (owned) */
  JimmyLimiter *limiter;        /* (owned) the request slots */
  GHashTable *jobs;             /* (owned) key → JimmyJob, owned */
};

struct _JimmyJob {
  JimmyWorker *worker;
  char *key;                    /* (owned) */
  JimmyPollOptions *options;    /* (owned) */
  GUri *api_uri;                /* (owned) */
  GUri *task_uri;               /* (owned) */
  SoupSession *session;         /* (unowned) the pool's */
  JobState state;
  JimmyTimer timer;
  JimmySlot slot;               /* queued while JOB_READY, held in flight */
  GCancellable *request_cancellable;    /* (owned) (nullable) */
  gboolean request_timed_out;
  gint64 request_started_us;
  gint64 poll_due_us;           /* when the current poll was due */
  gboolean doomed;              /* freed when its request returns */
  guint failures;
  JimmyTask *last_task;         /* (owned) (nullable) */
  GPtrArray *waiters;           /* (owned) JimmyWaiter, owned refs */
};

struct _JimmyWaiter {
  gatomicrefcount ref_count;
  GTask *task;                  /* (owned) (nullable) until returned */
  JimmyPollOptions *options;    /* (owned) */
  JimmyTaskUpdateFunc update_func;
  gpointer update_data;
  GDestroyNotify update_data_destroy;
  GCancellable *cancellable;    /* (owned) (nullable) */
  gulong cancelled_id;
  JimmyWorker *worker;          /* set while attached */
  JimmyJob *job;                /* (nullable) set while attached */
  JimmyTimer deadline;
  JimmyTask *reported;          /* (owned) (nullable) last update sent */
  JimmyPollFailure failure;     /* filled when it fails */
};

static void job_release (JimmyJob * job);
static void pump_ready_jobs (JimmyWorker * worker);

/* ---------------------------------------------------------------------- */
/* Waiters */

JimmyWaiter *
jimmy_waiter_new (GTask * task, const JimmyPollOptions * options,
    JimmyTaskUpdateFunc update_func, gpointer update_data,
    GDestroyNotify update_data_destroy)
{
  JimmyWaiter *waiter = g_new0 (JimmyWaiter, 1);

  g_atomic_ref_count_init (&waiter->ref_count);
  waiter->task = g_object_ref (task);
  waiter->options = jimmy_poll_options_copy (options);
  waiter->update_func = update_func;
  waiter->update_data = update_data;
  waiter->update_data_destroy = update_data_destroy;
  if (g_task_get_cancellable (task) != NULL)
    waiter->cancellable = g_object_ref (g_task_get_cancellable (task));
  return waiter;
}

JimmyWaiter *
jimmy_waiter_ref (JimmyWaiter * waiter)
{
  g_atomic_ref_count_inc (&waiter->ref_count);
  return waiter;
}

/* The last unref may come from any thread: the poller thread, or the
 * caller's when its GTask goes away. */
void
jimmy_waiter_unref (JimmyWaiter * waiter)
{
  if (!g_atomic_ref_count_dec (&waiter->ref_count))
    return;

  g_assert (waiter->job == NULL);
  g_clear_object (&waiter->task);
  jimmy_poll_options_free (waiter->options);
  if (waiter->update_data_destroy != NULL)
    waiter->update_data_destroy (waiter->update_data);
  g_clear_object (&waiter->cancellable);
  g_clear_pointer (&waiter->reported, jimmy_task_free);
  jimmy_poll_failure_clear (&waiter->failure);
  g_free (waiter);
}

void
jimmy_waiter_steal_failure (JimmyWaiter * waiter, JimmyPollFailure * failure)
{
  *failure = waiter->failure;
  memset (&waiter->failure, 0, sizeof waiter->failure);
}

typedef struct {
  JimmyWaiter *waiter;          /* (owned) */
  JimmyTask *task;              /* (owned) */
} Update;

static void
update_free (Update * update)
{
  jimmy_waiter_unref (update->waiter);
  jimmy_task_free (update->task);
  g_free (update);
}

static gboolean
deliver_update (gpointer user_data)
{
  Update *update = user_data;

  update->waiter->update_func (update->task, update->waiter->update_data);
  return G_SOURCE_REMOVE;
}

/* Updates travel to the caller's context in order, ahead of the final
 * GTask result, which takes the same route. */
static void
waiter_report (JimmyWaiter * waiter, const JimmyTask * task)
{
  GMainContext *context;
  Update *update;

  if (jimmy_task_status_equal (waiter->reported, task))
    return;

  g_clear_pointer (&waiter->reported, jimmy_task_free);
  waiter->reported = jimmy_task_copy (task);
  if (waiter->update_func == NULL)
    return;

  update = g_new0 (Update, 1);
  update->waiter = jimmy_waiter_ref (waiter);
  update->task = jimmy_task_copy (task);
  context = g_task_get_context (waiter->task);
  if (context == waiter->worker->context) {
    deliver_update (update);
    update_free (update);
  } else {
    g_main_context_invoke_full (context, G_PRIORITY_DEFAULT, deliver_update,
        update, (GDestroyNotify) update_free);
  }
}

/* Unhooks the waiter from its job, timer and cancellable. Returns the
 * job, which the caller must release if it has no waiters left. */
static JimmyJob *
waiter_detach (JimmyWaiter * waiter)
{
  JimmyJob *job = waiter->job;

  jimmy_scheduler_remove (waiter->worker->scheduler, &waiter->deadline);
  if (waiter->cancelled_id != 0) {
    /* Never blocks for long: the handler only queues an idle. */
    g_cancellable_disconnect (waiter->cancellable, waiter->cancelled_id);
    waiter->cancelled_id = 0;
  }
  waiter->job = NULL;
  if (job != NULL)
    g_ptr_array_remove_fast (job->waiters, waiter);
  return job;
}

static void
release_job_if_unwatched (JimmyJob * job)
{
  if (job != NULL && job->waiters->len == 0)
    job_release (job);
}

/* Takes the caller's ref on @waiter. */
static void
waiter_return_task (JimmyWaiter * waiter, const JimmyTask * task)
{
  GTask *gtask = g_steal_pointer (&waiter->task);

  g_task_return_pointer (gtask, jimmy_task_copy (task),
      (GDestroyNotify) jimmy_task_free);
  g_object_unref (gtask);
  jimmy_waiter_unref (waiter);
}

static void
fill_failure (JimmyPollFailure * failure, const JimmyRequestOutcome * outcome,
    const JimmyTask * last_task)
{
  jimmy_poll_failure_clear (failure);
  if (outcome != NULL) {
    failure->http_status = outcome->http_status;
    failure->api_code = outcome->api_code;
    failure->has_api_code = outcome->has_api_code;
  }
  if (last_task != NULL)
    failure->task_status = g_strdup (last_task->status_string);
}

/* Takes the caller's ref on @waiter. */
static void
waiter_return_error (JimmyWaiter * waiter, const GError * error,
    const JimmyRequestOutcome * outcome, const JimmyTask * last_task)
{
  GTask *gtask = g_steal_pointer (&waiter->task);

  fill_failure (&waiter->failure, outcome, last_task);
  g_task_return_error (gtask, g_error_copy (error));
  g_object_unref (gtask);
  jimmy_waiter_unref (waiter);
}

static void
on_deadline (gpointer user_data)
{
  JimmyWaiter *waiter = user_data;
  JimmyJob *job = waiter_detach (waiter);
  const JimmyTask *last = job->last_task;
  g_autoptr (GError) error = NULL;

  error = g_error_new (JIMMY_CLIENT_ERROR, JIMMY_CLIENT_ERROR_TIMED_OUT,
      "Task \"%s\" did not complete within %u s (last status: %s). Raise "
      "task-timeout, or set it to 0 to wait for ever.",
      waiter->options->task_id, waiter->options->task_timeout_s,
      last != NULL ? last->status_string : "none received");
  waiter_return_error (waiter, error, NULL, last);
  release_job_if_unwatched (job);
}

static gboolean
cancel_in_worker (gpointer user_data)
{
  JimmyWaiter *waiter = user_data;
  JimmyJob *job;
  g_autoptr (GError) error = NULL;

  /* Already returned for another reason. */
  if (waiter->job == NULL)
    return G_SOURCE_REMOVE;

  job = waiter_detach (waiter);
  g_cancellable_set_error_if_cancelled (waiter->cancellable, &error);
  waiter_return_error (waiter, error, NULL, job->last_task);
  release_job_if_unwatched (job);
  return G_SOURCE_REMOVE;
}

/* Runs in whichever thread cancels, perhaps inside
 * g_cancellable_connect(): always defer to the next iteration of the
 * worker's context. The attached waiter holds its own ref. */
static void
on_cancelled (GCancellable * cancellable, gpointer user_data)
{
  JimmyWaiter *waiter = user_data;
  GSource *source = g_idle_source_new ();

  g_source_set_priority (source, G_PRIORITY_HIGH);
  g_source_set_callback (source, cancel_in_worker, jimmy_waiter_ref (waiter),
      (GDestroyNotify) jimmy_waiter_unref);
  g_source_set_static_name (source, "JimmyWaiterCancel");
  g_source_attach (source, waiter->worker->context);
  g_source_unref (source);
}

/* ---------------------------------------------------------------------- */
/* Jobs */

static char *
make_job_key (const JimmyPollOptions * o)
{
  SoupLoggerLogLevel level = jimmy_poll_options_get_http_log_level (o);
  g_autofree char *plain = NULL;

  /* Hashed so the key is not kept twice, in the clear, in the table.
   * The HTTP log settings are in it although they change nothing the
   * waiters see: the job's session, and so whether its requests are
   * logged, follows the options of the waiter that created it. A waiter
   * asking for a log must not join a job that logs nothing (or the
   * reverse); the cost, two polls of one task, arises only while someone
   * is tracing. */
  plain = g_strdup_printf ("%s\x1f%s\x1f%s\x1f%u\x1f%u\x1f%d\x1f%s\x1f%s\x1f%d"
      "\x1f%d\x1f%p", o->api_url, o->task_id, o->api_key ? o->api_key : "",
      o->poll_interval_ms, o->request_timeout_s, o->max_retries,
      o->user_agent ? o->user_agent : "", o->proxy ? o->proxy : "\x1e",
      o->ssl_strict, level, level != SOUP_LOGGER_LOG_NONE ?
      (gpointer) o->http_log_func : NULL);
  return g_compute_checksum_for_string (G_CHECKSUM_SHA256, plain, -1);
}

static void on_job_timer (gpointer user_data);

static JimmyJob *
job_new (JimmyWorker * worker, const char *key,
    const JimmyPollOptions * options, GError ** error)
{
  g_autoptr (GUri) api_uri = NULL;
  g_autoptr (GUri) task_uri = NULL;
  g_autofree char *origin = NULL;
  JimmyJob *job;

  api_uri = jimmy_api_parse_api_url (options->api_url, error);
  if (api_uri == NULL)
    return NULL;
  /* Never hand GIO a proxy it would refuse with CRITICALs. */
  if (!jimmy_proxy_validate (options->proxy, error)) {
    g_prefix_error (error, "Task \"%s\": ", options->task_id);
    return NULL;
  }
  task_uri = jimmy_api_build_task_uri (api_uri, options->task_id, error);
  if (task_uri == NULL)
    return NULL;

  job = g_new0 (JimmyJob, 1);
  job->worker = worker;
  job->key = g_strdup (key);
  job->options = jimmy_poll_options_copy (options);
  job->api_uri = g_steal_pointer (&api_uri);
  job->task_uri = g_steal_pointer (&task_uri);
  job->session = jimmy_session_pool_get (worker->sessions, options);
  job->state = JOB_IDLE;
  jimmy_timer_init (&job->timer, on_job_timer, job);
  /* Slots go by the api-url's origin, where every poll starts. */
  origin = jimmy_origin_key_for_uri (job->api_uri);
  jimmy_slot_init (worker->limiter, &job->slot, origin);
  job->waiters = g_ptr_array_new ();
  return job;
}

static void
job_free (JimmyJob * job)
{
  g_assert (job->waiters->len == 0);
  jimmy_slot_clear (job->worker->limiter, &job->slot);
  g_free (job->key);
  jimmy_poll_options_free (job->options);
  g_uri_unref (job->api_uri);
  g_uri_unref (job->task_uri);
  g_clear_object (&job->request_cancellable);
  g_clear_pointer (&job->last_task, jimmy_task_free);
  g_ptr_array_unref (job->waiters);
  g_free (job);
}

/* Forgets the job; a request in flight is cancelled and frees it when it
 * returns. */
static void
job_release (JimmyJob * job)
{
  JimmyWorker *worker = job->worker;

  g_hash_table_steal (worker->jobs, job->key);
  jimmy_scheduler_remove (worker->scheduler, &job->timer);
  if (job->state == JOB_READY)
    jimmy_limiter_dequeue (worker->limiter, &job->slot);

  if (job->state == JOB_IN_FLIGHT) {
    job->doomed = TRUE;
    g_cancellable_cancel (job->request_cancellable);
    return;
  }
  job_free (job);
}

static void
job_make_ready (JimmyJob * job)
{
  /* The timer still holds the due time it fired for; a new job has none. */
  job->poll_due_us = job->timer.due_us > 0 ? job->timer.due_us :
      g_get_monotonic_time ();
  job->state = JOB_READY;
  jimmy_limiter_enqueue (job->worker->limiter, &job->slot);
  pump_ready_jobs (job->worker);
}

static void
job_schedule_poll (JimmyJob * job, gint64 due_us)
{
  job->state = JOB_IDLE;
  jimmy_scheduler_add (job->worker->scheduler, &job->timer, due_us);
}

/* Every waiter gets the same ending; the job is gone afterwards. */
static void
job_complete (JimmyJob * job, const JimmyTask * task, const GError * error,
    const JimmyRequestOutcome * outcome)
{
  g_autoptr (GPtrArray) waiters = NULL;
  guint i;

  /* Steal everything first: returning may call back into us. */
  g_hash_table_steal (job->worker->jobs, job->key);
  waiters = g_ptr_array_copy (job->waiters, NULL, NULL);
  for (i = 0; i < waiters->len; i++)
    waiter_detach (g_ptr_array_index (waiters, i));

  for (i = 0; i < waiters->len; i++) {
    JimmyWaiter *waiter = g_ptr_array_index (waiters, i);
    if (error == NULL)
      waiter_return_task (waiter, task);
    else
      waiter_return_error (waiter, error, outcome, job->last_task);
  }
  job_free (job);
}

static void
job_take_task (JimmyJob * job, JimmyRequestOutcome * outcome)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *reason = NULL;
  gint64 interval_us, now, next_us;
  const JimmyTask *task;
  gboolean changed;
  guint i;

  changed = !jimmy_task_status_equal (job->last_task, outcome->task);
  g_clear_pointer (&job->last_task, jimmy_task_free);
  job->last_task = g_steal_pointer (&outcome->task);
  job->failures = 0;
  task = job->last_task;

  /* Only on a change: late joiners got the current status on attaching,
   * and thousands of waiters may share one task. */
  if (changed)
    for (i = 0; i < job->waiters->len; i++)
      waiter_report (g_ptr_array_index (job->waiters, i), task);

  switch (task->status) {
    case JIMMY_TASK_STATUS_COMPLETED:
      job_complete (job, task, NULL, NULL);
      return;
    case JIMMY_TASK_STATUS_FAILED:
      reason = task->error != NULL ? jimmy_text_quote (task->error, -1) :
          g_strdup ("the service gave no reason");
      error = g_error_new (JIMMY_CLIENT_ERROR, JIMMY_CLIENT_ERROR_TASK_FAILED,
          "Task \"%s\" failed: %s. Create a new task; retrying this one "
          "cannot help.", task->id, reason);
      job_complete (job, NULL, error, outcome);
      return;
    default:
      /* A fixed grid: the interval runs from when the last poll was due,
       * so neither wake-up latency, queueing nor request time adds drift.
       * A poll more than an interval late skips to the next slot rather
       * than catching up, which would poll back to back under load. */
      interval_us = (gint64) job->options->poll_interval_ms * 1000;
      now = g_get_monotonic_time ();
      next_us = job->poll_due_us + interval_us;
      if (next_us <= now)
        next_us += ((now - next_us) / interval_us + 1) * interval_us;
      job_schedule_poll (job, next_us);
      return;
  }
}

static void
job_take_transient_failure (JimmyJob * job, JimmyRequestOutcome * outcome)
{
  const JimmyPollOptions *o = job->options;
  g_autoptr (GError) error = NULL;
  gint64 delay_us;

  job->failures++;
  if (o->max_retries >= 0 && job->failures > (guint) o->max_retries) {
    const char *last = outcome->error->message;

    error = g_error_new (JIMMY_CLIENT_ERROR,
        JIMMY_CLIENT_ERROR_RETRIES_EXHAUSTED,
        "Gave up on task \"%s\" after %u failed poll%s in a row. The last "
        "one: %s%s Check that api-url is reachable, or raise max-retries "
        "(-1 retries for ever).", o->task_id, job->failures,
        job->failures == 1 ? "" : "s", last,
        g_str_has_suffix (last, ".") ? "" : ".");
    job_complete (job, NULL, error, outcome);
    return;
  }

  delay_us = jimmy_backoff_delay_us (job->failures, o->poll_interval_ms,
      g_random_double ());
  delay_us = MAX (delay_us, outcome->retry_after_us);
  g_debug ("task %s: poll failed (%u in a row), retrying in %" G_GINT64_FORMAT
      " ms: %s", o->task_id, job->failures, delay_us / 1000,
      outcome->error->message);
  job_schedule_poll (job, g_get_monotonic_time () + delay_us);
}

static JimmyRequestOutcome *
timed_out_outcome (JimmyJob * job)
{
  JimmyRequestOutcome *outcome = g_new0 (JimmyRequestOutcome, 1);

  outcome->verdict = JIMMY_REQUEST_TRANSIENT;
  outcome->retry_after_us = -1;
  outcome->error = g_error_new (G_IO_ERROR, G_IO_ERROR_TIMED_OUT,
      "Polling task \"%s\" took longer than request-timeout (%u s).",
      job->options->task_id, job->options->request_timeout_s);
  return outcome;
}

/* Adds one poll and how it ended to the counts of every waiter that
 * asked for them: a job polls for all its waiters. */
static void
job_count_poll (JimmyJob * job, const JimmyRequestOutcome * outcome)
{
  gboolean failed = outcome->verdict != JIMMY_REQUEST_OK;
  gboolean retried = outcome->verdict == JIMMY_REQUEST_TRANSIENT
      && (job->options->max_retries < 0
      || job->failures < (guint) job->options->max_retries);
  guint i;

  for (i = 0; i < job->waiters->len; i++) {
    JimmyWaitCounts *counts = ((JimmyWaiter *)
        g_ptr_array_index (job->waiters, i))->options->counts;

    if (counts == NULL)
      continue;
    g_atomic_int_inc (&counts->polls);
    if (!failed)
      continue;
    if (retried)
      g_atomic_int_inc (&counts->retries);
    if (outcome->http_status >= 400 && outcome->http_status < 500)
      g_atomic_int_inc (&counts->http_4xx);
    else if (outcome->http_status >= 500 && outcome->http_status < 600)
      g_atomic_int_inc (&counts->http_5xx);
    else
      g_atomic_int_inc (&counts->transport);
  }
}

static void
on_request_done (GObject * source, GAsyncResult * result, gpointer user_data)
{
  JimmyJob *job = user_data;
  JimmyWorker *worker = job->worker;
  g_autoptr (JimmyRequestOutcome) outcome = NULL;

  outcome = jimmy_request_send_finish (result, NULL);
  jimmy_limiter_release (worker->limiter, &job->slot);
  g_clear_object (&job->request_cancellable);
  jimmy_scheduler_remove (worker->scheduler, &job->timer);
  job->state = JOB_IDLE;

  if (job->doomed) {
    job_free (job);
  } else {
    if (outcome == NULL && job->request_timed_out)
      outcome = timed_out_outcome (job);
    g_assert (outcome != NULL);

    job_count_poll (job, outcome);
    switch (outcome->verdict) {
      case JIMMY_REQUEST_OK:
        job_take_task (job, outcome);
        break;
      case JIMMY_REQUEST_TRANSIENT:
        job_take_transient_failure (job, outcome);
        break;
      case JIMMY_REQUEST_FATAL:
        job_complete (job, NULL, outcome->error, outcome);
        break;
    }
  }
  pump_ready_jobs (worker);
}

static void
job_start_request (JimmyJob * job)
{
  JimmyWorker *worker = job->worker;
  const JimmyPollOptions *o = job->options;

  job->state = JOB_IN_FLIGHT;
  job->request_timed_out = FALSE;
  job->request_started_us = g_get_monotonic_time ();
  job->request_cancellable = g_cancellable_new ();
  if (o->request_timeout_s > 0)
    jimmy_scheduler_add (worker->scheduler, &job->timer,
        job->request_started_us + (gint64) o->request_timeout_s *
        G_USEC_PER_SEC);

  jimmy_request_send_async (job->session, job->api_uri, job->task_uri,
      o->task_id, o->api_key, o->ssl_strict, job->request_cancellable,
      on_request_done, job);
}

/* Fires for the next poll, or, in flight, at the request deadline. */
static void
on_job_timer (gpointer user_data)
{
  JimmyJob *job = user_data;

  if (job->state == JOB_IN_FLIGHT) {
    job->request_timed_out = TRUE;
    g_cancellable_cancel (job->request_cancellable);
    return;
  }
  job_make_ready (job);
}

static JimmyJob *
job_of_slot (JimmySlot * slot)
{
  return (JimmyJob *) ((char *) slot - G_STRUCT_OFFSET (JimmyJob, slot));
}

/* Starts every request the limiter admits now. libsoup has already put
 * a finished request's keep-alive connection back when its callback
 * runs, so the next request of that origin reuses it. */
static void
pump_ready_jobs (JimmyWorker * worker)
{
  JimmySlot *slot;

  while ((slot = jimmy_limiter_admit_next (worker->limiter)) != NULL)
    job_start_request (job_of_slot (slot));
}

/* ---------------------------------------------------------------------- */
/* Worker */

JimmyWorker *
jimmy_worker_new (GMainContext * context, const JimmyLimits * limits)
{
  JimmyWorker *worker = g_new0 (JimmyWorker, 1);

  worker->context = g_main_context_ref (context);
  worker->scheduler = jimmy_scheduler_new (context);
  worker->limiter = jimmy_limiter_new (limits);
  /* libsoup's per-host limit is per origin too (scheme, host, port). */
  worker->sessions = jimmy_session_pool_new (limits->total,
      limits->per_origin);
  worker->jobs = g_hash_table_new (g_str_hash, g_str_equal);
  return worker;
}

/* Lets cancelled requests come back, so their jobs are freed. Call on the
 * poller thread once no waiter is left. */
void
jimmy_worker_drain (JimmyWorker * worker)
{
  g_assert (g_hash_table_size (worker->jobs) == 0);
  while (jimmy_limiter_get_in_flight (worker->limiter, NULL) > 0)
    g_main_context_iteration (worker->context, TRUE);
}

void
jimmy_worker_free (JimmyWorker * worker)
{
  g_hash_table_unref (worker->jobs);
  jimmy_session_pool_free (worker->sessions);
  jimmy_limiter_free (worker->limiter);
  jimmy_scheduler_free (worker->scheduler);
  g_main_context_unref (worker->context);
  g_free (worker);
}

static void
attach_to_job (JimmyWorker * worker, JimmyWaiter * waiter, JimmyJob * job)
{
  const JimmyPollOptions *o = waiter->options;

  waiter->worker = worker;
  waiter->job = job;
  /* The caller's ref moves into the array, which has no free func:
   * waiter_detach() hands it back. */
  g_ptr_array_add (job->waiters, waiter);

  jimmy_timer_init (&waiter->deadline, on_deadline, waiter);
  if (o->task_timeout_s > 0)
    jimmy_scheduler_add (worker->scheduler, &waiter->deadline,
        g_get_monotonic_time () + (gint64) o->task_timeout_s *
        G_USEC_PER_SEC);

  if (job->last_task != NULL)
    waiter_report (waiter, job->last_task);

  if (waiter->cancellable != NULL)
    waiter->cancelled_id = g_cancellable_connect (waiter->cancellable,
        G_CALLBACK (on_cancelled), waiter, NULL);
}

/**
 * jimmy_worker_attach:
 * @waiter: (transfer full): a new waiter
 *
 * Starts the wait, joining a job that already polls the same task with the
 * same settings. Call on the poller thread.
 */
void
jimmy_worker_attach (JimmyWorker * worker, JimmyWaiter * waiter)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *key = NULL;
  JimmyJob *job;
  gboolean is_new = FALSE;

  waiter->worker = worker;
  if (g_cancellable_set_error_if_cancelled (waiter->cancellable, &error)) {
    waiter_return_error (waiter, error, NULL, NULL);
    return;
  }

  key = make_job_key (waiter->options);
  job = g_hash_table_lookup (worker->jobs, key);
  if (job == NULL) {
    job = job_new (worker, key, waiter->options, &error);
    if (job == NULL) {
      waiter_return_error (waiter, error, NULL, NULL);
      return;
    }
    g_hash_table_insert (worker->jobs, job->key, job);
    is_new = TRUE;
  }

  attach_to_job (worker, waiter, job);
  if (is_new)
    job_make_ready (job);
}
