/* jimmy-cache-private.h: what the cache's two files share: names, the
 * directory locks, and eviction of one entry.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define JIMMY_CACHE_AUDIO_NAME "audio"
#define JIMMY_CACHE_SUBTITLES_NAME "subtitles"
#define JIMMY_CACHE_RECORD_NAME "record.json"
/* Writers' temporary entries and evicted ones being deleted. */
#define JIMMY_CACHE_TEMP_PREFIX ".tmp-"
#define JIMMY_CACHE_HASH_LENGTH 64
/* An entry that keeps changing under a reader, or temporary directories
 * that keep disappearing under a writer, give up after this many. */
#define JIMMY_CACHE_ATTEMPTS 3

typedef enum {
  JIMMY_CACHE_EVICT_DONE,
  JIMMY_CACHE_EVICT_IN_USE,
  JIMMY_CACHE_EVICT_FAILED,
} JimmyCacheEvictResult;

void jimmy_cache_set_errno_error (GError **error,
                                  int saved_errno,
                                  const char *format,
                                  ...) G_GNUC_PRINTF (3, 4);
char *jimmy_cache_entry_name (const char *task_id);
int jimmy_cache_open_directory (const char *path);
int jimmy_cache_lock (int fd, int operation);
gboolean jimmy_cache_still_at (int fd, const char *path);
gboolean jimmy_cache_remove_tree (const char *path, GError **error);
JimmyCacheEvictResult jimmy_cache_evict (const char *cache_dir,
                                         const char *name,
                                         GError **error);

G_END_DECLS
