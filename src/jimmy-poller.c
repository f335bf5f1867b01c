/* jimmy-poller.c: waits on tasks, for a whole process, from one thread.
 *
 * A JimmyPoller owns one thread that runs its own GMainContext; every
 * HTTP request, timer and SoupSession lives there (see jimmy-job.c). The
 * process-wide instance from jimmy_poller_dup_default() is created on
 * first use and stopped when its last user lets go. Its request limits
 * (jimmy-limiter.c) are fixed when it is created.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "jimmy-poller.h"

#include "jimmy-job.h"
#include "jimmy-limiter.h"

#include <string.h>

struct _JimmyPoller {
  GObject parent_instance;

  guint max_requests_per_origin;        /* construct-only; 0 until set */
  guint max_requests;                   /* construct-only; 0 until set */
  GMainContext *context;        /* (owned) the thread's */
  GMainLoop *loop;              /* (owned) */
  GThread *thread;              /* (owned) */
  JimmyWorker *worker;          /* (owned) used on the thread only */
};

enum {
  PROP_0,
  PROP_MAX_REQUESTS_PER_ORIGIN,
  PROP_MAX_REQUESTS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_TYPE (JimmyPoller, jimmy_poller, G_TYPE_OBJECT)

/* The shared instance, weakly held so it stops with its last user. */
static GMutex default_lock;
static GWeakRef default_poller;

/* The thread's state outlives the object when the object's last ref is
 * dropped on the thread itself: the thread then cleans up after its loop
 * returns. */
typedef struct {
  GMainContext *context;        /* (owned) */
  GMainLoop *loop;              /* (owned) */
  JimmyWorker *worker;          /* (owned) */
} ThreadData;

static gpointer
poller_thread (gpointer user_data)
{
  ThreadData *data = user_data;

  g_main_context_push_thread_default (data->context);
  g_main_loop_run (data->loop);
  jimmy_worker_drain (data->worker);
  jimmy_worker_free (data->worker);
  g_main_context_pop_thread_default (data->context);

  g_main_loop_unref (data->loop);
  g_main_context_unref (data->context);
  g_free (data);
  return NULL;
}

static void
jimmy_poller_init (JimmyPoller * self)
{
}

/* Unset limits come from the environment, or the defaults. */
static void
resolve_limits (JimmyPoller * self, JimmyLimits * limits)
{
  jimmy_limits_init_from_environment (limits);
  if (self->max_requests_per_origin == 0)
    self->max_requests_per_origin = limits->per_origin;
  if (self->max_requests == 0)
    self->max_requests = limits->total;
  jimmy_limits_init (limits, self->max_requests_per_origin,
      self->max_requests);
}

static void
jimmy_poller_constructed (GObject * object)
{
  JimmyPoller *self = JIMMY_POLLER (object);
  ThreadData *data = g_new0 (ThreadData, 1);
  JimmyLimits limits;

  G_OBJECT_CLASS (jimmy_poller_parent_class)->constructed (object);

  resolve_limits (self, &limits);
  self->context = g_main_context_new ();
  self->loop = g_main_loop_new (self->context, FALSE);
  self->worker = jimmy_worker_new (self->context, &limits);

  data->context = g_main_context_ref (self->context);
  data->loop = g_main_loop_ref (self->loop);
  data->worker = self->worker;
  self->thread = g_thread_new ("jimmy-poller", poller_thread, data);
}

static gboolean
quit_loop (gpointer user_data)
{
  g_main_loop_quit (user_data);
  return G_SOURCE_REMOVE;
}

static void
jimmy_poller_finalize (GObject * object)
{
  JimmyPoller *self = JIMMY_POLLER (object);
  GSource *source = g_idle_source_new ();

  /* Every wait holds a ref on us, so no job is left, only cancelled
   * requests still unwinding; the thread lets those finish. */
  g_source_set_callback (source, quit_loop, g_main_loop_ref (self->loop),
      (GDestroyNotify) g_main_loop_unref);
  g_source_attach (source, self->context);
  g_source_unref (source);

  if (g_thread_self () == self->thread)
    g_thread_unref (self->thread);
  else
    g_thread_join (self->thread);

  g_main_loop_unref (self->loop);
  g_main_context_unref (self->context);

  G_OBJECT_CLASS (jimmy_poller_parent_class)->finalize (object);
}

static void
jimmy_poller_set_property (GObject * object, guint prop_id,
    const GValue * value, GParamSpec * pspec)
{
  JimmyPoller *self = JIMMY_POLLER (object);

  switch (prop_id) {
    case PROP_MAX_REQUESTS_PER_ORIGIN:
      self->max_requests_per_origin = g_value_get_uint (value);
      break;
    case PROP_MAX_REQUESTS:
      self->max_requests = g_value_get_uint (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
      break;
  }
}

static void
jimmy_poller_get_property (GObject * object, guint prop_id, GValue * value,
    GParamSpec * pspec)
{
  JimmyPoller *self = JIMMY_POLLER (object);

  switch (prop_id) {
    case PROP_MAX_REQUESTS_PER_ORIGIN:
      g_value_set_uint (value, self->max_requests_per_origin);
      break;
    case PROP_MAX_REQUESTS:
      g_value_set_uint (value, self->max_requests);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
      break;
  }
}

static void
jimmy_poller_class_init (JimmyPollerClass * klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->constructed = jimmy_poller_constructed;
  object_class->finalize = jimmy_poller_finalize;
  object_class->set_property = jimmy_poller_set_property;
  object_class->get_property = jimmy_poller_get_property;

  /**
   * JimmyPoller:max-requests-per-origin:
   *
   * API requests in flight to one origin (scheme, host, port) at most;
   * also each HTTP session's connection limit per host. 0 takes
   * JIMMY_MAX_REQUESTS_PER_ORIGIN from the environment, or 256. Reads
   * back the value in force.
   */
  properties[PROP_MAX_REQUESTS_PER_ORIGIN] =
      g_param_spec_uint ("max-requests-per-origin", NULL, NULL,
      0, JIMMY_LIMIT_MAX, 0, G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY |
      G_PARAM_STATIC_STRINGS);

  /**
   * JimmyPoller:max-requests:
   *
   * API requests in flight in all at most; a quarter of them (at least
   * one) is kept for origins that have none in flight. 0 takes
   * JIMMY_MAX_REQUESTS from the environment, or 1024. Reads back the
   * value in force.
   */
  properties[PROP_MAX_REQUESTS] =
      g_param_spec_uint ("max-requests", NULL, NULL,
      0, JIMMY_LIMIT_MAX, 0, G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY |
      G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

/**
 * jimmy_poller_new:
 *
 * A poller with a thread of its own. Most users want the shared one:
 * jimmy_poller_dup_default().
 *
 * Returns: (transfer full): a new poller.
 */
JimmyPoller *
jimmy_poller_new (void)
{
  return g_object_new (JIMMY_TYPE_POLLER, NULL);
}

/**
 * jimmy_poller_dup_default:
 *
 * The process's shared poller: one thread and one SoupSession per HTTP
 * configuration for every user. Started on first use, stopped when the
 * last reference is dropped. Thread-safe.
 *
 * Returns: (transfer full): the shared poller.
 */
JimmyPoller *
jimmy_poller_dup_default (void)
{
  JimmyPoller *poller;

  g_mutex_lock (&default_lock);
  poller = g_weak_ref_get (&default_poller);
  if (poller == NULL) {
    poller = jimmy_poller_new ();
    g_weak_ref_set (&default_poller, poller);
  }
  g_mutex_unlock (&default_lock);

  return poller;
}

/**
 * jimmy_poller_get_main_context:
 *
 * The context of the poller's thread. Callers without a main loop of
 * their own (GStreamer elements) can start jimmy_poller_wait_async() from
 * it with g_main_context_invoke(), so that its callbacks run on the poller
 * thread.
 *
 * Returns: (transfer none): the poller thread's context.
 */
GMainContext *
jimmy_poller_get_main_context (JimmyPoller * self)
{
  g_return_val_if_fail (JIMMY_IS_POLLER (self), NULL);

  return self->context;
}

typedef struct {
  JimmyPoller *poller;          /* (owned) */
  JimmyWaiter *waiter;          /* (owned) */
} Attach;

static gboolean
attach_in_thread (gpointer user_data)
{
  Attach *attach = user_data;

  jimmy_worker_attach (attach->poller->worker,
      g_steal_pointer (&attach->waiter));
  g_object_unref (attach->poller);
  g_free (attach);
  return G_SOURCE_REMOVE;
}

/**
 * jimmy_poller_wait_async:
 * @options: what to wait for; copied
 * @update_func: (nullable): called on the first status seen and on every
 *   status change
 * @update_data: data for @update_func
 * @update_data_destroy: (nullable): frees @update_data once the wait is
 *   over, from any thread
 * @cancellable: (nullable): cancels the wait
 * @callback: called when the task completed, failed or the wait ended
 *
 * Polls the task until it completes or fails, retrying transient errors
 * with backoff, within @options' task timeout. Waits with the same options
 * share one poll. @update_func and @callback run in the thread-default
 * main context of the calling thread, updates always before the result.
 * Thread-safe.
 */
void
jimmy_poller_wait_async (JimmyPoller * self, const JimmyPollOptions * options,
    JimmyTaskUpdateFunc update_func, gpointer update_data,
    GDestroyNotify update_data_destroy, GCancellable * cancellable,
    GAsyncReadyCallback callback, gpointer user_data)
{
  g_autoptr (GTask) task = NULL;
  JimmyWaiter *waiter;
  Attach *attach;

  g_return_if_fail (JIMMY_IS_POLLER (self));
  g_return_if_fail (options != NULL);
  g_return_if_fail (options->poll_interval_ms >= JIMMY_POLL_MIN_INTERVAL_MS);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, jimmy_poller_wait_async);
  g_task_set_name (task, "jimmy_poller_wait_async");
  /* The result is not dropped on cancellation: the waiter returns it. */
  g_task_set_check_cancellable (task, FALSE);

  waiter = jimmy_waiter_new (task, options, update_func, update_data,
      update_data_destroy);
  g_task_set_task_data (task, jimmy_waiter_ref (waiter),
      (GDestroyNotify) jimmy_waiter_unref);

  attach = g_new0 (Attach, 1);
  attach->poller = g_object_ref (self);
  attach->waiter = waiter;
  g_main_context_invoke (self->context, attach_in_thread, attach);
}

/**
 * jimmy_poller_wait_finish:
 * @failure: (out caller-allocates) (optional): filled with details when
 *   the wait failed; clear with jimmy_poll_failure_clear()
 *
 * Returns: (transfer full): the completed task, or %NULL with @error set:
 * %G_IO_ERROR_CANCELLED, or a #JimmyClientError.
 */
JimmyTask *
jimmy_poller_wait_finish (JimmyPoller * self, GAsyncResult * result,
    JimmyPollFailure * failure, GError ** error)
{
  JimmyTask *task;

  g_return_val_if_fail (JIMMY_IS_POLLER (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_async_result_is_tagged (result,
          jimmy_poller_wait_async), NULL);

  task = g_task_propagate_pointer (G_TASK (result), error);
  if (failure != NULL) {
    memset (failure, 0, sizeof *failure);
    if (task == NULL)
      jimmy_waiter_steal_failure (g_task_get_task_data (G_TASK (result)),
          failure);
  }
  return task;
}
