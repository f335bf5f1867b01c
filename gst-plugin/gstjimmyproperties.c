/* gstjimmyproperties.c: jimmyaudiosrc's property specs, with what each
 * means and when it may change. "Settings" are MUTABLE_READY: the
 * element refuses them from READY→PAUSED on.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "gstjimmyproperties.h"
#include "jimmy-api.h"
#include "jimmy-poll-options.h"

#define SETTING_FLAGS (G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | \
    GST_PARAM_MUTABLE_READY)
#define RESULT_FLAGS (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS)

/* Fills @properties (N_PROPS) and installs them on @klass. */
void
gst_jimmy_properties_install (GObjectClass * klass, GParamSpec ** properties)
{
  /**
   * GstJimmyAudioSrc:task-id:
   *
   * The SoundClone task to play. Required; read at READY→PAUSED. Sent
   * percent-encoded as one path segment.
   */
  properties[PROP_TASK_ID] = g_param_spec_string ("task-id", "Task ID",
      "SoundClone task id returned by the create call (e.g. audio_…); "
      "required", NULL, SETTING_FLAGS);

  /**
   * GstJimmyAudioSrc:api-key:
   *
   * The Bearer token. Write-only; read at READY→PAUSED. Unset or empty
   * falls back to $JIMMY_API_KEY. Sent only to the api-url's origin.
   */
  properties[PROP_API_KEY] = g_param_spec_string ("api-key", "API key",
      "Jimmy AI API key (write-only); default: $JIMMY_API_KEY. Prefer the "
      "environment variable: launch lines are logged", NULL,
      G_PARAM_WRITABLE | G_PARAM_STATIC_STRINGS | GST_PARAM_MUTABLE_READY);

  /**
   * GstJimmyAudioSrc:api-url:
   *
   * Base URL of the API. Unset or empty falls back to $JIMMY_API_URL, then
   * to https://www.jimmyai.cn. Reading it gives the URL a start would use.
   */
  properties[PROP_API_URL] = g_param_spec_string ("api-url", "API URL",
      "Base URL of the Jimmy AI API (http or https); default: "
      "$JIMMY_API_URL, else " JIMMY_API_DEFAULT_URL, JIMMY_API_DEFAULT_URL,
      SETTING_FLAGS);

  /**
   * GstJimmyAudioSrc:poll-interval:
   *
   * Time between two polls while the task is queued or processing. The
   * service asks for 5 to 10 s.
   */
  properties[PROP_POLL_INTERVAL] = g_param_spec_uint ("poll-interval",
      "Poll interval", "Milliseconds between two polls of the task",
      JIMMY_POLL_MIN_INTERVAL_MS, JIMMY_POLL_MAX_INTERVAL_MS,
      JIMMY_POLL_DEFAULT_INTERVAL_MS, SETTING_FLAGS);

  /**
   * GstJimmyAudioSrc:task-timeout:
   *
   * Give up with an error if the task has not completed this many
   * seconds after polling started.
   */
  properties[PROP_TASK_TIMEOUT] = g_param_spec_uint ("task-timeout",
      "Task timeout", "Seconds to wait for the task to complete "
      "(0 = wait for ever)", 0, G_MAXUINT, JIMMY_POLL_DEFAULT_TASK_TIMEOUT_S,
      SETTING_FLAGS);

  /**
   * GstJimmyAudioSrc:request-timeout:
   *
   * Limit on one API request, headers and body; also souphttpsrc's
   * timeout for the audio download.
   */
  properties[PROP_REQUEST_TIMEOUT] = g_param_spec_uint ("request-timeout",
      "Request timeout", "Seconds one HTTP request may take (0 = no limit)",
      0, 3600, JIMMY_POLL_DEFAULT_REQUEST_TIMEOUT_S, SETTING_FLAGS);

  /**
   * GstJimmyAudioSrc:max-retries:
   *
   * Consecutive transient failures tolerated (connection errors, request
   * timeouts, HTTP 408, 429 and 5xx) before giving up, with exponential
   * backoff and jitter between tries, honouring Retry-After.
   */
  properties[PROP_MAX_RETRIES] = g_param_spec_int ("max-retries",
      "Max retries", "Consecutive failed polls tolerated before giving up "
      "(-1 = retry for ever)", -1, G_MAXINT, JIMMY_POLL_DEFAULT_MAX_RETRIES,
      SETTING_FLAGS);

  /**
   * GstJimmyAudioSrc:decode:
   *
   * TRUE outputs raw decoded audio; FALSE outputs the encoded stream
   * exactly as served (e.g. audio/mpeg), for saving without re-encoding.
   */
  properties[PROP_DECODE] = g_param_spec_boolean ("decode", "Decode",
      "Output decoded raw audio (TRUE) or the encoded stream as served "
      "(FALSE)", GST_JIMMY_DEFAULT_DECODE, SETTING_FLAGS);

  /**
   * GstJimmyAudioSrc:user-agent:
   *
   * User-Agent of the API requests and of the audio download.
   */
  properties[PROP_USER_AGENT] = g_param_spec_string ("user-agent",
      "User-Agent", "User-Agent header of every request",
      GST_JIMMY_DEFAULT_USER_AGENT, SETTING_FLAGS);

  /**
   * GstJimmyAudioSrc:proxy:
   *
   * HTTP proxy for the API and the audio. Unset uses $http_proxy,
   * $https_proxy and $no_proxy; "" means no proxy.
   */
  properties[PROP_PROXY] = g_param_spec_string ("proxy", "Proxy",
      "HTTP proxy URI (default: $http_proxy/$https_proxy; \"\" = none)",
      NULL, SETTING_FLAGS);

  /**
   * GstJimmyAudioSrc:ssl-strict:
   *
   * Refuse TLS certificates that do not verify. Only turn off for test
   * servers.
   */
  properties[PROP_SSL_STRICT] = g_param_spec_boolean ("ssl-strict",
      "SSL strict", "Refuse TLS certificates that do not verify",
      GST_JIMMY_DEFAULT_SSL_STRICT, SETTING_FLAGS);

  /**
   * GstJimmyAudioSrc:http-log-level:
   *
   * How much of each task API request and response libsoup logs, as
   * souphttpsrc's property of the same name: the log is only made when
   * the "jimmyhttp" debug category is at TRACE level or above, and goes
   * there. The values of Authorization, Proxy-Authorization, Cookie and
   * Set-Cookie headers are replaced with "[REDACTED]". The audio
   * download is souphttpsrc's, with its own http-log-level.
   */
  properties[PROP_HTTP_LOG_LEVEL] = g_param_spec_enum ("http-log-level",
      "HTTP log level", "How much of the task API requests to log, when the "
      "\"jimmyhttp\" debug category is at TRACE or above; credentials are "
      "redacted", SOUP_TYPE_LOGGER_LOG_LEVEL, GST_JIMMY_DEFAULT_HTTP_LOG_LEVEL,
      SETTING_FLAGS);

  /**
   * GstJimmyAudioSrc:subtitles:
   *
   * Add a "subtitle" sometimes pad once the task completed, before the
   * audio starts: the task's subtitleFile as timed text (souphttpsrc !
   * subparse), or an empty stream for a task without one. Subtitles
   * never stop the audio: a failed download (or an unlinked pad) is a
   * WARNING and ends the subtitle pad.
   */
  properties[PROP_SUBTITLES] = g_param_spec_boolean ("subtitles",
      "Subtitles", "Expose the task's subtitleFile as timed text on a "
      "\"subtitle\" sometimes pad", GST_JIMMY_DEFAULT_SUBTITLES, SETTING_FLAGS);

  /**
   * GstJimmyAudioSrc:cache-dir:
   *
   * Directory where completed tasks' audio is kept, as served, under a
   * name derived from the task id. A task found there plays from disk
   * without any API request; an entry whose size or SHA-256 does not
   * match its record is deleted and fetched again. Entries are written
   * under a temporary name and renamed when complete. Unset: no cache.
   */
  properties[PROP_CACHE_DIR] = g_param_spec_string ("cache-dir",
      "Cache directory", "Keep completed tasks' audio here and replay it "
      "without asking the API (unset = no cache)", NULL, SETTING_FLAGS);

  /**
   * GstJimmyAudioSrc:cache-max-size:
   *
   * After storing an entry, the least recently used entries of cache-dir
   * are evicted until the cache holds at most this many bytes (an entry
   * in use by any process is never evicted; one larger than the limit is
   * not stored). 0: no limit.
   */
  properties[PROP_CACHE_MAX_SIZE] = g_param_spec_uint64 ("cache-max-size",
      "Cache max size", "Bytes cache-dir may hold; the least recently used "
      "entries are evicted after storing (0 = no limit)", 0, G_MAXUINT64, 0,
      SETTING_FLAGS);

  /**
   * GstJimmyAudioSrc:is-live:
   *
   * Be a live source, as `audiotestsrc is-live=true`, for consumers that
   * cannot wait for the task (media servers, Icecast): READY→PAUSED
   * returns NO_PREROLL; from PLAYING the element outputs silence at once,
   * in raw audio caps negotiated with downstream (S16LE, 48000 Hz, 2
   * channels when downstream does not care), then the task's decoded
   * audio, converted to the same caps, on the same timeline (no gap, no
   * overlap), then EOS. Statuses, errors, recovery and the cache work as
   * without it. Needs decode=true (a SETTINGS error otherwise).
   */
  properties[PROP_IS_LIVE] = g_param_spec_boolean ("is-live", "Is live",
      "Live source: output silence from PLAYING until the task's audio "
      "comes, without preroll (needs decode=true)", GST_JIMMY_DEFAULT_IS_LIVE,
      SETTING_FLAGS);

  /**
   * GstJimmyAudioSrc:status:
   *
   * The task's last reported status: queued, processing, completed,
   * failed, or what else the service said. NULL before the first poll.
   */
  properties[PROP_STATUS] = g_param_spec_string ("status", "Status",
      "Last status the service reported for the task (read-only)", NULL,
      RESULT_FLAGS);

  properties[PROP_MODEL_ID] = g_param_spec_string ("model-id", "Model ID",
      "modelId of a completed preview task (read-only)", NULL, RESULT_FLAGS);

  properties[PROP_AUDIO_URL] = g_param_spec_string ("audio-url",
      "Audio URL", "audioUrl of the completed task (read-only)", NULL,
      RESULT_FLAGS);

  properties[PROP_SUBTITLE_URL] = g_param_spec_string ("subtitle-url",
      "Subtitle URL", "subtitleFile of the completed task, if any "
      "(read-only)", NULL, RESULT_FLAGS);

  /**
   * GstJimmyAudioSrc:stats:
   *
   * What the current (or last) run did, as an
   * "application/x-jimmy-stats" structure: polls, retries, failed polls
   * by class, time queued, processing and waiting, time from completion
   * to the first audio buffer, bytes downloaded, recoveries and whether
   * the audio came from the cache. A copy, updated live; see
   * docs/element.md.
   */
  properties[PROP_STATS] = g_param_spec_boxed ("stats", "Statistics",
      "What the current or last run did: polls, retries, errors, times, "
      "bytes (read-only)", GST_TYPE_STRUCTURE, RESULT_FLAGS);

  g_object_class_install_properties (klass, N_PROPS, properties);
}
