/* test-faults-media.c: the fault matrix of the audio download. The task
 * completes at once; then the media host (a second mock server, another
 * origin) breaks the download of audioUrl one way, and each test asserts
 * through a jimmyaudiosrc in a pipeline the outcome: EOS with the right
 * audio, or one error with its domain, code and a sentence fragment.
 * Every test then sets the pipeline to NULL and requires that to succeed
 * promptly.
 *
 * The expiry rows are the contract of the expired-URL recovery: a signed
 * audioUrl that the media host refuses (403) or cuts because it expired
 * is fetched afresh by polling the task once more, and playback resumes
 * where it stood.
 *
 * Test paths are the row names of the fault matrix in
 * docs/reliability.md.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <string.h>

#include <glib/gstdio.h>

#include "element-fixture.h"

#define ADD(path, func) \
  g_test_add ("/faults/media/" path, MediaFixture, NULL, \
      media_fixture_set_up, func, media_fixture_tear_down)

#define RAW_CAPS "audio/x-raw,format=S16LE,channels=1"

/* Everything decoded reaches the sink "sink" as RAW_CAPS, so that two
 * decodes can be compared byte for byte. */
#define LAUNCH "jimmyaudiosrc name=src task-id=" TEST_TASK_ID \
  " ! audioconvert ! " RAW_CAPS " ! fakesink name=sink sync=false"
#define LAUNCH_UNDECODED "jimmyaudiosrc name=src decode=false task-id=" \
  TEST_TASK_ID " ! fakesink name=sink sync=false"

#define MEDIA_PATH "/media/"

/* set_state (NULL) must return SUCCESS within this (generous for
 * valgrind). */

/* Where the connection is cut: in the first quarter of speech.mp3's
 * 175541 bytes, well past its first frames. */
#define RESET_AT 40000

/* reset-always: each response brings only this much; the file takes 18
 * requests. */
#define RESET_ALWAYS_AT 10000

typedef struct {
  ElementFixture base;
  GMutex lock;
  GByteArray *sunk;             /* (owned) what the sink "sink" got */
} MediaFixture;

static void
media_fixture_set_up (MediaFixture * mf, gconstpointer data)
{
  element_fixture_set_up (&mf->base, data);
  g_mutex_init (&mf->lock);
  mf->sunk = g_byte_array_new ();
}

static void
media_fixture_tear_down (MediaFixture * mf, gconstpointer data)
{
  element_fixture_tear_down (&mf->base, data);
  g_byte_array_unref (mf->sunk);
  g_mutex_clear (&mf->lock);
}

/* ---------------------------------------------------------------------- */
/* Helpers */

/* Streaming thread. */
static void
on_handoff (GstElement * sink, GstBuffer * buffer, GstPad * pad,
    gpointer user_data)
{
  MediaFixture *mf = user_data;
  GstMapInfo map;

  g_assert_true (gst_buffer_map (buffer, &map, GST_MAP_READ));
  g_mutex_lock (&mf->lock);
  g_byte_array_append (mf->sunk, map.data, map.size);
  g_mutex_unlock (&mf->lock);
  gst_buffer_unmap (buffer, &map);
}

static void
collect_sink (MediaFixture * mf, GstElement * pipeline)
{
  g_autoptr (GstElement) sink = gst_bin_get_by_name (GST_BIN (pipeline),
      "sink");

  g_assert_nonnull (sink);
  g_object_set (sink, "signal-handoffs", TRUE, NULL);
  g_signal_connect (sink, "handoff", G_CALLBACK (on_handoff), mf);
}

static gsize
sunk_size (MediaFixture * mf)
{
  gsize size;

  g_mutex_lock (&mf->lock);
  size = mf->sunk->len;
  g_mutex_unlock (&mf->lock);
  return size;
}

/* Breaks the media host with @fault, lets the task complete at once and
 * builds the pipeline, not started yet. */
static void
prepare_full (MediaFixture * mf, const char *fault, const char *launch)
{
  ElementFixture *f = &mf->base;
  g_autoptr (GError) error = NULL;

  g_assert_true (jimmy_mock_server_set_media_fault (f->media, fault,
          &error));
  g_assert_no_error (error);
  element_fixture_add_task (f, TEST_TASK_ID, "completed");
  element_fixture_launch (f, launch);
  collect_sink (mf, f->pipeline);
}

static void
prepare (MediaFixture * mf, const char *fault)
{
  prepare_full (mf, fault, LAUNCH);
}

static guint
count_polls (ElementFixture * f)
{
  return jimmy_mock_server_count_requests (f->api, TEST_TASK_PATH);
}

static guint
count_media (ElementFixture * f)
{
  return jimmy_mock_server_count_requests (f->media, MEDIA_PATH);
}

/* The @i-th request for the audio. */
static JimmyMockRequest *
media_request (ElementFixture * f, guint i)
{
  g_autoptr (GPtrArray) requests = jimmy_mock_server_dup_requests (f->media);
  guint n = 0, j;

  for (j = 0; j < requests->len; j++) {
    JimmyMockRequest *request = g_ptr_array_index (requests, j);

    if (g_str_has_prefix (request->path, MEDIA_PATH) && n++ == i)
      return g_ptr_array_steal_index (requests, j);
  }
  g_error ("no media request #%u: only %u", i, n);
  return NULL;
}

/* Where the @i-th request for the audio started: 0 without a Range. */
static guint64
media_request_start (ElementFixture * f, guint i)
{
  g_autoptr (JimmyMockRequest) request = media_request (f, i);
  char *end = NULL;
  guint64 start;

  if (request->range == NULL)
    return 0;
  /* "bytes=START-", the only form souphttpsrc sends for the rest. */
  g_assert_true (g_str_has_prefix (request->range, "bytes="));
  start = g_ascii_strtoull (request->range + strlen ("bytes="), &end, 10);
  g_assert_cmpstr (end, ==, "-");
  return start;
}

/* The token of the @i-th request for the audio, or NULL. */
static char *
media_request_token (ElementFixture * f, guint i)
{
  g_autoptr (JimmyMockRequest) request = media_request (f, i);

  if (request->query == NULL || !g_str_has_prefix (request->query, "token="))
    return NULL;
  return g_strdup (request->query + strlen ("token="));
}

/* The audio in @location decoded as the element's pipeline does. */
static GBytes *
reference_decode (MediaFixture * mf, const char *location)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GstElement) pipeline = NULL;
  g_autoptr (GstBus) bus = NULL;
  g_autoptr (GstMessage) end = NULL;
  g_autofree char *description = NULL;
  GBytes *decoded;

  description = g_strdup_printf ("filesrc location=\"%s\" ! decodebin ! "
      "audioconvert ! " RAW_CAPS " ! fakesink name=sink sync=false",
      location);
  pipeline = gst_parse_launch (description, &error);
  g_assert_no_error (error);

  g_mutex_lock (&mf->lock);
  g_byte_array_set_size (mf->sunk, 0);
  g_mutex_unlock (&mf->lock);
  collect_sink (mf, pipeline);

  bus = gst_element_get_bus (pipeline);
  gst_element_set_state (pipeline, GST_STATE_PLAYING);
  end = gst_bus_timed_pop_filtered (bus, 30 * GST_SECOND,
      GST_MESSAGE_EOS | GST_MESSAGE_ERROR);
  g_assert_nonnull (end);
  g_assert_cmpint (GST_MESSAGE_TYPE (end), ==, GST_MESSAGE_EOS);
  g_assert_cmpint (gst_element_set_state (pipeline, GST_STATE_NULL), ==,
      GST_STATE_CHANGE_SUCCESS);

  g_mutex_lock (&mf->lock);
  decoded = g_bytes_new (mf->sunk->data, mf->sunk->len);
  g_byte_array_set_size (mf->sunk, 0);
  g_mutex_unlock (&mf->lock);
  return decoded;
}

/* What the run sank, compared with the reference decode of @location:
 * every sample, none twice, no gap. */
static void
assert_decoded_equals (MediaFixture * mf, const char *location)
{
  g_autoptr (GBytes) expected = NULL;
  g_autoptr (GBytes) decoded = NULL;

  g_mutex_lock (&mf->lock);
  decoded = g_bytes_new (mf->sunk->data, mf->sunk->len);
  g_mutex_unlock (&mf->lock);
  expected = reference_decode (mf, location);

  g_test_message ("decoded %" G_GSIZE_FORMAT " bytes, the reference %"
      G_GSIZE_FORMAT, g_bytes_get_size (decoded),
      g_bytes_get_size (expected));
  g_assert_cmpuint (g_bytes_get_size (expected), >, 0);
  g_assert_cmpuint (g_bytes_get_size (decoded), ==,
      g_bytes_get_size (expected));
  g_assert_true (g_bytes_equal (decoded, expected));
}

static void
assert_decoded_complete (MediaFixture * mf)
{
  assert_decoded_equals (mf, g_getenv ("JIMMY_MOCK_MEDIA"));
}

static gsize
media_size (void)
{
  g_autoptr (GBytes) media = element_fixture_read_media ();

  return g_bytes_get_size (media);
}

/* Signed audioUrls on both servers: the API issues the tokens, the media
 * host enforces them; only the first @n_tokens expire (0: all). */
static void
set_expiry (ElementFixture * f, gint64 valid_bytes, guint n_tokens)
{
  jimmy_mock_server_set_media_expiry (f->api, valid_bytes);
  jimmy_mock_server_set_media_expiry (f->media, valid_bytes);
  jimmy_mock_server_set_media_expiry_tokens (f->media, n_tokens);
}

/* ---------------------------------------------------------------------- */
/* The media host refuses the audio */

static void
test_http_404 (MediaFixture * mf, gconstpointer data)
{
  ElementFixture *f = &mf->base;

  prepare (mf, "http-404");
  element_fixture_run_to_error (f, GST_RESOURCE_ERROR, GST_RESOURCE_ERROR_NOT_FOUND,
      "Not Found");
  /* Not a signed URL that expired: no re-poll, no retry. */
  g_assert_cmpuint (count_polls (f), ==, 1);
  g_assert_cmpuint (count_media (f), ==, 1);
  g_assert_cmpuint (sunk_size (mf), ==, 0);
}

/* A 403 is what an expired signed URL gets: the element polls the task
 * once more for a fresh audioUrl, which this host refuses too. */
static void
test_http_403 (MediaFixture * mf, gconstpointer data)
{
  ElementFixture *f = &mf->base;

  prepare (mf, "http-403");
  element_fixture_run_to_error (f, GST_RESOURCE_ERROR, GST_RESOURCE_ERROR_NOT_AUTHORIZED,
      "refused the audio of task \"" TEST_TASK_ID "\" (HTTP 403) even at "
      "the fresh audioUrl");
  g_assert_cmpuint (count_polls (f), ==, 2);
  g_assert_cmpuint (count_media (f), ==, 2);
  g_assert_cmpuint (sunk_size (mf), ==, 0);
}

/* 410 may be an expired link too: one re-poll, then an error that says
 * the audio is gone. Not NOT_AUTHORIZED: no key or authorization is
 * involved, and applications tell users to check their API key on that
 * code. */
static void
test_http_410 (MediaFixture * mf, gconstpointer data)
{
  ElementFixture *f = &mf->base;

  prepare (mf, "http-410");
  element_fixture_run_to_error (f, GST_RESOURCE_ERROR, GST_RESOURCE_ERROR_NOT_FOUND,
      "(HTTP 410)");
  element_fixture_assert_error (f, GST_RESOURCE_ERROR,
      GST_RESOURCE_ERROR_NOT_FOUND, TEST_TASK_ID);
  g_assert_cmpuint (count_polls (f), ==, 2);
  g_assert_cmpuint (count_media (f), ==, 2);
  g_assert_cmpuint (sunk_size (mf), ==, 0);
}

/* ---------------------------------------------------------------------- */
/* The connection drops mid-stream */

/* Once: souphttpsrc asks for the rest with a Range request, and the
 * decoded audio is whole. */
static void
test_reset_mid_stream (MediaFixture * mf, gconstpointer data)
{
  ElementFixture *f = &mf->base;

  prepare (mf, "reset-after-" G_STRINGIFY (RESET_AT));
  element_fixture_run_to_eos (f);
  assert_decoded_complete (mf);
  g_assert_cmpuint (count_polls (f), ==, 1);
  g_assert_cmpuint (count_media (f), ==, 2);
  g_assert_cmpuint (media_request_start (f, 0), ==, 0);
  g_assert_cmpuint (media_request_start (f, 1), ==, RESET_AT);
}

/* Every response drops RESET_ALWAYS_AT bytes after its start. souphttpsrc
 * counts its retries (3) between two reads that brought data, so as long
 * as each connection brings some, it goes on asking for the rest, and the
 * audio is whole in the end. */
static void
test_reset_mid_stream_repeated (MediaFixture * mf, gconstpointer data)
{
  ElementFixture *f = &mf->base;
  guint n = (media_size () + RESET_ALWAYS_AT - 1) / RESET_ALWAYS_AT;
  guint i;

  prepare (mf, "reset-always-after-" G_STRINGIFY (RESET_ALWAYS_AT));
  element_fixture_run_to_eos (f);
  assert_decoded_complete (mf);
  g_assert_cmpuint (count_polls (f), ==, 1);
  /* Each request where the last one stopped. */
  g_assert_cmpuint (count_media (f), ==, n);
  for (i = 0; i < n; i++)
    g_assert_cmpuint (media_request_start (f, i), ==, i * RESET_ALWAYS_AT);
}

/* Every response is cut before its first byte: no progress, so
 * souphttpsrc gives up after its 3 retries, and the element says so. */
static void
test_reset_no_progress (MediaFixture * mf, gconstpointer data)
{
  ElementFixture *f = &mf->base;

  prepare (mf, "reset-always-after-0");
  element_fixture_run_to_error (f, GST_RESOURCE_ERROR, GST_RESOURCE_ERROR_READ,
      TEST_TASK_ID);
  g_assert_cmpuint (count_polls (f), ==, 1);
  g_assert_cmpuint (count_media (f), ==, 4);
  g_assert_cmpuint (sunk_size (mf), ==, 0);
}

/* ---------------------------------------------------------------------- */
/* Something other than the audio, with 200 */

/* A web page instead of the audio (a login page, a CDN's error page with
 * 200): the element's own error, not decodebin's "missing a plug-in",
 * which would send the user looking for a codec. */
static void
test_html (MediaFixture * mf, gconstpointer data)
{
  ElementFixture *f = &mf->base;

  prepare (mf, "html");
  element_fixture_run_to_error (f, GST_STREAM_ERROR, GST_STREAM_ERROR_WRONG_TYPE,
      "served text/html, not audio");
  element_fixture_assert_error (f, GST_STREAM_ERROR,
      GST_STREAM_ERROR_WRONG_TYPE, TEST_TASK_ID);
  g_assert_cmpuint (count_polls (f), ==, 1);
  g_assert_cmpuint (sunk_size (mf), ==, 0);
}

/* decode=false saves the stream as served: an HTML page is no audio
 * either. */
static void
test_html_undecoded (MediaFixture * mf, gconstpointer data)
{
  ElementFixture *f = &mf->base;

  prepare_full (mf, "html", LAUNCH_UNDECODED);
  element_fixture_run_to_error (f, GST_STREAM_ERROR, GST_STREAM_ERROR_WRONG_TYPE,
      TEST_TASK_ID);
  g_assert_cmpuint (sunk_size (mf), ==, 0);
}

static void
test_empty (MediaFixture * mf, gconstpointer data)
{
  ElementFixture *f = &mf->base;

  prepare (mf, "empty");
  element_fixture_run_to_error (f, GST_STREAM_ERROR, GST_STREAM_ERROR_TYPE_NOT_FOUND,
      "Stream doesn't contain enough data.");
  g_assert_cmpuint (count_polls (f), ==, 1);
  g_assert_cmpuint (count_media (f), ==, 1);
  g_assert_cmpuint (sunk_size (mf), ==, 0);
}

static void
test_empty_undecoded (MediaFixture * mf, gconstpointer data)
{
  ElementFixture *f = &mf->base;

  prepare_full (mf, "empty", LAUNCH_UNDECODED);
  element_fixture_run_to_error (f, GST_STREAM_ERROR, GST_STREAM_ERROR_TYPE_NOT_FOUND,
      "Stream doesn't contain enough data.");
  g_assert_cmpuint (sunk_size (mf), ==, 0);
}

/* A truncated file served as if complete: there is no way to tell, so
 * what it has plays, exactly as the same truncated file does from disk,
 * then EOS. */
static void
test_truncated (MediaFixture * mf, gconstpointer data)
{
  ElementFixture *f = &mf->base;
  g_autoptr (GBytes) media = element_fixture_read_media ();
  g_autoptr (GError) error = NULL;
  g_autofree char *path = NULL;
  gsize keep = g_bytes_get_size (media) / 2;
  g_autofree char *fault = g_strdup_printf ("truncate-%" G_GSIZE_FORMAT,
      keep);
  int fd;

  fd = g_file_open_tmp ("test-faults-media-XXXXXX.mp3", &path, &error);
  g_assert_no_error (error);
  g_assert_true (g_close (fd, NULL));
  g_assert_true (g_file_set_contents (path, g_bytes_get_data (media, NULL),
          keep, &error));
  g_assert_no_error (error);

  prepare (mf, fault);
  element_fixture_run_to_eos (f);
  assert_decoded_equals (mf, path);
  g_assert_cmpuint (count_media (f), ==, 1);
  g_assert_cmpint (g_unlink (path), ==, 0);
}

/* ---------------------------------------------------------------------- */
/* Signed URLs that expire: the contract of the recovery */

/* The first audioUrl has expired before it is used: one re-poll brings a
 * fresh one, which plays whole. */
static void
test_expiry_at_start (MediaFixture * mf, gconstpointer data)
{
  ElementFixture *f = &mf->base;
  g_autofree char *first = NULL;
  g_autofree char *second = NULL;

  set_expiry (f, 0, 1);
  prepare (mf, NULL);
  element_fixture_run_to_eos (f);
  assert_decoded_complete (mf);

  g_assert_cmpuint (count_polls (f), ==, 2);
  g_assert_cmpuint (count_media (f), ==, 2);
  first = media_request_token (f, 0);
  second = media_request_token (f, 1);
  g_assert_nonnull (first);
  g_assert_nonnull (second);
  g_assert_cmpstr (first, !=, second);
  g_assert_cmpuint (media_request_start (f, 1), ==, 0);
}

/* The audioUrl expires halfway: one re-poll brings a fresh one, and the
 * download resumes where it stood with a Range request. The decoded audio
 * is the reference, byte for byte: nothing lost, nothing twice. */
static void
test_expiry_mid_stream (MediaFixture * mf, gconstpointer data)
{
  ElementFixture *f = &mf->base;
  gsize valid = media_size () / 2;
  g_autofree char *first = NULL;
  g_autofree char *fresh = NULL;
  g_autofree char *last = NULL;
  guint n;

  set_expiry (f, valid, 1);
  prepare (mf, NULL);
  element_fixture_run_to_eos (f);
  assert_decoded_complete (mf);

  g_assert_cmpuint (count_polls (f), ==, 2);
  /* The cut request, maybe souphttpsrc's retry of it (403), then the
   * fresh URL from where the download stood. */
  n = count_media (f);
  g_assert_cmpuint (n, >=, 2);
  g_assert_cmpuint (n, <=, 3);
  first = media_request_token (f, 0);
  fresh = media_request_token (f, n - 1);
  g_assert_nonnull (first);
  g_assert_nonnull (fresh);
  g_assert_cmpstr (first, !=, fresh);
  if (n == 3) {
    last = media_request_token (f, 1);
    g_assert_cmpstr (last, ==, first);
  }
  g_assert_cmpuint (media_request_start (f, n - 1), >, 0);
  g_assert_cmpuint (media_request_start (f, n - 1), <=, valid);
}

/* The fresh audioUrl expires too: exactly one re-poll, then an error. */
static void
test_expiry_twice (MediaFixture * mf, gconstpointer data)
{
  ElementFixture *f = &mf->base;
  gsize valid = media_size () / 3;
  g_autofree char *first = NULL;
  g_autofree char *fresh = NULL;
  guint n;

  /* Every URL expires a third of the file after where it started. */
  set_expiry (f, valid, 0);
  prepare (mf, NULL);
  element_fixture_run_to_error (f, GST_RESOURCE_ERROR, GST_RESOURCE_ERROR_NOT_AUTHORIZED,
      "refused the audio of task \"" TEST_TASK_ID "\" (HTTP 403) even at "
      "the fresh audioUrl");
  g_assert_cmpuint (count_polls (f), ==, 2);
  /* Per URL: the cut request and souphttpsrc's retry of it (403). */
  n = count_media (f);
  g_assert_cmpuint (n, ==, 4);
  first = media_request_token (f, 0);
  fresh = media_request_token (f, 2);
  g_assert_cmpstr (first, !=, fresh);
  g_assert_cmpuint (media_request_start (f, 2), ==, valid);
  /* What came before the second expiry was played. */
  g_assert_cmpuint (sunk_size (mf), >, 0);
}

/* ---------------------------------------------------------------------- */
/* Downstream refuses: not the network's fault */

/* audioconvert takes no MP3: the format is to blame, not the media host. */
static void
test_not_negotiated (MediaFixture * mf, gconstpointer data)
{
  ElementFixture *f = &mf->base;
  g_autoptr (GError) error = NULL;
  g_autofree char *debug = NULL;

  prepare_full (mf, NULL, "jimmyaudiosrc name=src decode=false task-id="
      TEST_TASK_ID " ! audioconvert ! fakesink name=sink sync=false");
  element_fixture_run (f, GST_STATE_PLAYING);
  element_fixture_assert_error (f, GST_STREAM_ERROR, GST_STREAM_ERROR_FORMAT,
      "downstream did not accept the audio format");
  element_fixture_assert_error (f, GST_STREAM_ERROR, GST_STREAM_ERROR_FORMAT,
      "audio/mpeg");
  element_fixture_assert_error (f, GST_STREAM_ERROR, GST_STREAM_ERROR_FORMAT,
      TEST_TASK_ID);
  gst_message_parse_error (f->error, &error, &debug);
  g_assert_null (strstr (error->message, "reachable"));
  element_fixture_stop_promptly (f);
}

/* Nothing linked to the src pad. */
static void
test_not_linked (MediaFixture * mf, gconstpointer data)
{
  ElementFixture *f = &mf->base;
  g_autoptr (GError) error = NULL;
  g_autofree char *debug = NULL;

  prepare_full (mf, NULL, "jimmyaudiosrc name=src decode=false task-id="
      TEST_TASK_ID " identity ! fakesink name=sink sync=false");
  element_fixture_run (f, GST_STATE_PLAYING);
  element_fixture_assert_error (f, GST_CORE_ERROR, GST_CORE_ERROR_PAD,
      "Nothing is linked to the src pad");
  gst_message_parse_error (f->error, &error, &debug);
  g_assert_null (strstr (error->message, "reachable"));
  element_fixture_stop_promptly (f);
}

/* The element's test hook: the factory of the source a resume makes. */
#define TEST_RESUME_FACTORY "gst-jimmy-test-resume-factory"

/* The resumed source cannot be made (a test hook names a factory that
 * does not exist): the refused source is out of the bin before that, so
 * the error is the missing element's, and the stop touches nothing freed
 * (it used to: the element kept pointing at the removed source). */
static void
test_expiry_resume_fails (MediaFixture * mf, gconstpointer data)
{
  ElementFixture *f = &mf->base;

  set_expiry (f, 0, 1);
  prepare (mf, NULL);
  g_object_set_data_full (G_OBJECT (f->src), TEST_RESUME_FACTORY,
      g_strdup ("jimmytestnosuchsrc"), g_free);
  element_fixture_run_to_error (f, GST_CORE_ERROR,
      GST_CORE_ERROR_MISSING_PLUGIN, "\"jimmytestnosuchsrc\" is missing");
  g_assert_cmpuint (count_polls (f), ==, 2);
  g_assert_cmpuint (count_media (f), ==, 1);
  g_assert_cmpuint (sunk_size (mf), ==, 0);
}

int
main (int argc, char **argv)
{
  gst_init (NULL, NULL);
  g_test_init (&argc, &argv, NULL);

  ADD ("http-404", test_http_404);
  ADD ("http-403", test_http_403);
  ADD ("http-410", test_http_410);

  ADD ("reset-mid-stream", test_reset_mid_stream);
  ADD ("reset-mid-stream-repeated", test_reset_mid_stream_repeated);
  ADD ("reset-no-progress", test_reset_no_progress);

  ADD ("html", test_html);
  ADD ("html-undecoded", test_html_undecoded);
  ADD ("empty", test_empty);
  ADD ("empty-undecoded", test_empty_undecoded);
  ADD ("truncated", test_truncated);

  ADD ("expiry-at-start", test_expiry_at_start);
  ADD ("expiry-mid-stream", test_expiry_mid_stream);
  ADD ("expiry-twice", test_expiry_twice);
  ADD ("not-negotiated", test_not_negotiated);
  ADD ("not-linked", test_not_linked);
  ADD ("expiry-resume-fails", test_expiry_resume_fails);

  return g_test_run ();
}
