/* jimmy-api.h: the task API's URLs, and who may see the API key.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The query endpoint, relative to the api url. */
#define JIMMY_API_TASK_PATH "/api/open-api/v1/audios/"

/* Task ids longer than this are refused: real ones are about 42 bytes. */
#define JIMMY_API_MAX_TASK_ID_LENGTH 256

#define JIMMY_API_DEFAULT_URL "https://www.jimmyai.cn"

gboolean jimmy_api_validate_task_id (const char *task_id,
                                     GError **error);
gboolean jimmy_api_validate_api_key (const char *api_key,
                                     GError **error);
GUri *jimmy_api_parse_api_url (const char *api_url,
                               GError **error);
GUri *jimmy_api_build_task_uri (GUri *api_uri,
                                const char *task_id,
                                GError **error);
gboolean jimmy_api_validate_media_url (const char *url,
                                       const char *field,
                                       const char *task_id,
                                       GError **error);
gboolean jimmy_api_same_origin (GUri *a,
                                GUri *b);

G_END_DECLS
