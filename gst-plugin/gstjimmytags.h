/* gstjimmytags.h: the task's tags, merged into the audio's own.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <gst/gst.h>

#include "jimmy-task.h"

G_BEGIN_DECLS

typedef struct _GstJimmyTagInjector GstJimmyTagInjector;

GstTagList *gst_jimmy_task_tags_new (const JimmyTask *task);

GstJimmyTagInjector *gst_jimmy_tag_injector_new (GstPad *pad);
void gst_jimmy_tag_injector_free (GstJimmyTagInjector *injector);
void gst_jimmy_tag_injector_set_tags (GstJimmyTagInjector *injector,
                                      const GstTagList *tags);

G_END_DECLS
