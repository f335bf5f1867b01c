/* gstjimmyproperties.h: jimmyaudiosrc's properties, their ids and
 * defaults.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <gst/gst.h>
#include <libsoup/soup.h>

G_BEGIN_DECLS

#define GST_JIMMY_DEFAULT_USER_AGENT "GStreamer jimmyaudiosrc/" VERSION
#define GST_JIMMY_DEFAULT_DECODE TRUE
#define GST_JIMMY_DEFAULT_SSL_STRICT TRUE
#define GST_JIMMY_DEFAULT_HTTP_LOG_LEVEL SOUP_LOGGER_LOG_HEADERS
#define GST_JIMMY_DEFAULT_SUBTITLES FALSE
#define GST_JIMMY_DEFAULT_IS_LIVE FALSE

typedef enum
{
  PROP_0,
  PROP_TASK_ID,
  PROP_API_KEY,
  PROP_API_URL,
  PROP_POLL_INTERVAL,
  PROP_TASK_TIMEOUT,
  PROP_REQUEST_TIMEOUT,
  PROP_MAX_RETRIES,
  PROP_DECODE,
  PROP_USER_AGENT,
  PROP_PROXY,
  PROP_SSL_STRICT,
  PROP_HTTP_LOG_LEVEL,
  PROP_SUBTITLES,
  PROP_CACHE_DIR,
  PROP_CACHE_MAX_SIZE,
  PROP_IS_LIVE,
  PROP_STATUS,
  PROP_MODEL_ID,
  PROP_AUDIO_URL,
  PROP_SUBTITLE_URL,
  PROP_STATS,
  N_PROPS
} GstJimmyProperty;

void gst_jimmy_properties_install (GObjectClass *klass,
                                   GParamSpec **properties);

G_END_DECLS
