/* jimmy-cache.h: completed tasks' audio (and subtitles) kept on disk,
 * replayed without asking the API again.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <glib.h>

#include "jimmy-task.h"

G_BEGIN_DECLS

/* Temporary files older than this are removed even if a writer still
 * holds them (a pipeline paused for an hour loses its entry, not its
 * audio). */
#define JIMMY_CACHE_LEFTOVER_AGE_S (60 * 60)

typedef struct _JimmyCacheEntry JimmyCacheEntry;
typedef struct _JimmyCacheWriter JimmyCacheWriter;

JimmyCacheEntry *jimmy_cache_entry_open (const char *cache_dir,
                                         const char *task_id,
                                         GError **error);
const JimmyTask *jimmy_cache_entry_get_task (const JimmyCacheEntry *entry);
const char *jimmy_cache_entry_get_audio_path (const JimmyCacheEntry *entry);
const char *jimmy_cache_entry_get_subtitle_path (
    const JimmyCacheEntry *entry);
void jimmy_cache_entry_free (JimmyCacheEntry *entry);

JimmyTask *jimmy_cache_lookup (const char *cache_dir,
                               const char *task_id,
                               char **out_audio_path,
                               GError **error);

JimmyCacheWriter *jimmy_cache_writer_new (const char *cache_dir,
                                          const JimmyTask *task,
                                          GError **error);
JimmyCacheWriter *jimmy_cache_writer_ref (JimmyCacheWriter *writer);
void jimmy_cache_writer_set_max_size (JimmyCacheWriter *writer,
                                      guint64 max_size);
gboolean jimmy_cache_writer_append (JimmyCacheWriter *writer,
                                    const guint8 *data,
                                    gsize length,
                                    GError **error);
gboolean jimmy_cache_writer_set_subtitles (JimmyCacheWriter *writer,
                                           const guint8 *data,
                                           gsize length,
                                           GError **error);
guint64 jimmy_cache_writer_get_length (JimmyCacheWriter *writer);
gboolean jimmy_cache_writer_commit (JimmyCacheWriter *writer,
                                    GError **error);
void jimmy_cache_writer_free (JimmyCacheWriter *writer);

gboolean jimmy_cache_trim (const char *cache_dir,
                           guint64 max_size,
                           const char *keep_task_id,
                           GError **error);
gboolean jimmy_cache_remove_leftovers (const char *cache_dir,
                                       guint *out_removed,
                                       GError **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (JimmyCacheEntry, jimmy_cache_entry_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (JimmyCacheWriter, jimmy_cache_writer_free)

G_END_DECLS
