/* jimmy-cache.h: completed tasks' audio kept on disk, replayed without
 * asking the API again.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <glib.h>

#include "jimmy-task.h"

G_BEGIN_DECLS

typedef struct _JimmyCacheWriter JimmyCacheWriter;

JimmyTask *jimmy_cache_lookup (const char *cache_dir,
                               const char *task_id,
                               char **out_audio_path,
                               GError **error);

JimmyCacheWriter *jimmy_cache_writer_new (const char *cache_dir,
                                          const JimmyTask *task,
                                          GError **error);
gboolean jimmy_cache_writer_append (JimmyCacheWriter *writer,
                                    const guint8 *data,
                                    gsize length,
                                    GError **error);
guint64 jimmy_cache_writer_get_length (JimmyCacheWriter *writer);
gboolean jimmy_cache_writer_commit (JimmyCacheWriter *writer,
                                    GError **error);
void jimmy_cache_writer_free (JimmyCacheWriter *writer);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (JimmyCacheWriter, jimmy_cache_writer_free)

G_END_DECLS
