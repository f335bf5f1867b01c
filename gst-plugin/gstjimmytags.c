/* gstjimmytags.c: the task's tags, merged into the audio's own.
 *
 * Players show a stream's tags; a SoundClone MP3 usually has none worth
 * showing. The injector watches the src pad: a stream-scope tag event
 * gets the task's tags merged in (the stream's own values win), and if
 * the first buffer comes before any, the task's tags go out ahead of it.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "gstjimmytags.h"

struct _GstJimmyTagInjector
{
  GstPad *pad;                  /* (owned) */
  gulong probe_id;
  GMutex lock;                  /* guards the two fields below */
  GstTagList *tags;             /* (owned) (nullable) this run's */
  gboolean sent;
};

/**
 * gst_jimmy_task_tags_new:
 *
 * Returns: (transfer full): stream-scope tags describing @task: its id as
 * the title, a comment, the creation time, and model/modelId as extended
 * comments.
 */
GstTagList *
gst_jimmy_task_tags_new (const JimmyTask * task)
{
  g_autofree gchar *comment = g_strdup_printf ("Jimmy AI SoundClone task %s",
      task->id);
  GstTagList *tags = gst_tag_list_new (GST_TAG_TITLE, task->id,
      GST_TAG_COMMENT, comment, NULL);

  gst_tag_list_set_scope (tags, GST_TAG_SCOPE_STREAM);
  if (task->has_created) {
    GstDateTime *created =
        gst_date_time_new_from_unix_epoch_utc (task->created);
    if (created != NULL) {
      gst_tag_list_add (tags, GST_TAG_MERGE_APPEND, GST_TAG_DATE_TIME,
          created, NULL);
      gst_date_time_unref (created);
    }
  }
  if (task->model != NULL) {
    g_autofree gchar *model = g_strconcat ("jimmy-model=", task->model, NULL);
    gst_tag_list_add (tags, GST_TAG_MERGE_APPEND, GST_TAG_EXTENDED_COMMENT,
        model, NULL);
  }
  if (task->model_id != NULL) {
    g_autofree gchar *model_id = g_strconcat ("jimmy-model-id=",
        task->model_id, NULL);
    gst_tag_list_add (tags, GST_TAG_MERGE_APPEND, GST_TAG_EXTENDED_COMMENT,
        model_id, NULL);
  }
  return tags;
}

/* Returns this run's tags if they still have to go out. */
static GstTagList *
take_unsent_tags (GstJimmyTagInjector * injector)
{
  GstTagList *tags = NULL;

  g_mutex_lock (&injector->lock);
  if (!injector->sent && injector->tags != NULL) {
    tags = gst_tag_list_ref (injector->tags);
    injector->sent = TRUE;
  }
  g_mutex_unlock (&injector->lock);
  return tags;
}

static GstPadProbeReturn
merge_into_tag_event (GstJimmyTagInjector * injector, GstPadProbeInfo * info)
{
  GstEvent *event = GST_PAD_PROBE_INFO_EVENT (info);
  GstTagList *stream_tags, *merged;
  g_autoptr (GstTagList) ours = NULL;

  gst_event_parse_tag (event, &stream_tags);
  if (gst_tag_list_get_scope (stream_tags) != GST_TAG_SCOPE_STREAM)
    return GST_PAD_PROBE_OK;

  g_mutex_lock (&injector->lock);
  if (injector->tags != NULL)
    ours = gst_tag_list_ref (injector->tags);
  injector->sent = TRUE;
  g_mutex_unlock (&injector->lock);
  if (ours == NULL)
    return GST_PAD_PROBE_OK;

  merged = gst_tag_list_merge (stream_tags, ours, GST_TAG_MERGE_KEEP);
  gst_tag_list_set_scope (merged, GST_TAG_SCOPE_STREAM);
  GST_PAD_PROBE_INFO_DATA (info) = gst_event_new_tag (merged);
  gst_event_unref (event);
  return GST_PAD_PROBE_OK;
}

/* Streaming thread of whatever feeds the pad. */
static GstPadProbeReturn
on_pad_data (GstPad * pad, GstPadProbeInfo * info, gpointer user_data)
{
  GstJimmyTagInjector *injector = user_data;
  GstTagList *tags;

  if (GST_PAD_PROBE_INFO_TYPE (info) & GST_PAD_PROBE_TYPE_EVENT_DOWNSTREAM) {
    if (GST_EVENT_TYPE (GST_PAD_PROBE_INFO_EVENT (info)) == GST_EVENT_TAG)
      return merge_into_tag_event (injector, info);
    return GST_PAD_PROBE_OK;
  }

  /* Data before any tag event: send ours first. */
  tags = take_unsent_tags (injector);
  if (tags != NULL)
    gst_pad_push_event (pad, gst_event_new_tag (tags));
  return GST_PAD_PROBE_OK;
}

GstJimmyTagInjector *
gst_jimmy_tag_injector_new (GstPad * pad)
{
  GstJimmyTagInjector *injector = g_new0 (GstJimmyTagInjector, 1);

  g_mutex_init (&injector->lock);
  injector->pad = gst_object_ref (pad);
  injector->probe_id = gst_pad_add_probe (pad,
      GST_PAD_PROBE_TYPE_EVENT_DOWNSTREAM | GST_PAD_PROBE_TYPE_BUFFER |
      GST_PAD_PROBE_TYPE_BUFFER_LIST, on_pad_data, injector, NULL);
  return injector;
}

void
gst_jimmy_tag_injector_free (GstJimmyTagInjector * injector)
{
  gst_pad_remove_probe (injector->pad, injector->probe_id);
  gst_object_unref (injector->pad);
  g_clear_pointer (&injector->tags, gst_tag_list_unref);
  g_mutex_clear (&injector->lock);
  g_free (injector);
}

/* Starts over with @tags (nullable), e.g. for a new run. */
void
gst_jimmy_tag_injector_set_tags (GstJimmyTagInjector * injector,
    const GstTagList * tags)
{
  g_mutex_lock (&injector->lock);
  g_clear_pointer (&injector->tags, gst_tag_list_unref);
  if (tags != NULL)
    injector->tags = gst_tag_list_copy (tags);
  injector->sent = FALSE;
  g_mutex_unlock (&injector->lock);
}
