/* test-api.c: task ids, api urls, media urls and origins.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <string.h>

#include <glib.h>

#include "jimmy-api.h"
#include "jimmy-error.h"

#define EXAMPLE_ID "audio_16b635ba-5889-4fa5-bbcc-bf67a38c353a"

static void
assert_message_contains (const GError *error, const char *part)
{
  g_assert_nonnull (error);
  if (strstr (error->message, part) == NULL) {
    g_test_message ("expected \"%s\" in \"%s\"", part, error->message);
    g_test_fail ();
  }
}

static void
assert_message_lacks (const GError *error, const char *part)
{
  g_assert_nonnull (error);
  if (strstr (error->message, part) != NULL) {
    g_test_message ("did not expect \"%s\" in \"%s\"", part, error->message);
    g_test_fail ();
  }
}

static char *
make_repeated (char c, gsize length)
{
  char *s = g_malloc (length + 1);

  memset (s, c, length);
  s[length] = '\0';

  return s;
}

/* ---- Task ids ---- */

static void
test_task_id_valid (void)
{
  g_autofree char *longest = make_repeated ('a',
      JIMMY_API_MAX_TASK_ID_LENGTH);
  const char *ids[] = {
    EXAMPLE_ID, "a", "...", ".a", "a.", "音频", "a/b", "../x", "a b", "%",
    "?", "#", longest,
  };
  gsize i;

  for (i = 0; i < G_N_ELEMENTS (ids); i++) {
    g_autoptr(GError) error = NULL;

    g_test_message ("id: %s", ids[i]);
    g_assert_true (jimmy_api_validate_task_id (ids[i], &error));
    g_assert_no_error (error);
  }
}

static void
test_task_id_refused (void)
{
  g_autofree char *too_long = make_repeated ('a',
      JIMMY_API_MAX_TASK_ID_LENGTH + 1);
  const struct
  {
    const char *id;
    const char *message_part;
  } cases[] = {
    {NULL, "No task id is set"},
    {"", "No task id is set"},
    {".", "path step"},
    {"..", "path step"},
    {"audio\n1", "control character 0x0a at byte 5"},
    {"\t", "control character 0x09"},
    {"audio\x7f", "control character 0x7f"},
    {"\x1b[31maudio", "control character 0x1b"},
    {"audio_\xff", "not valid UTF-8"},
    {"audio_\xc3", "not valid UTF-8"},
    {too_long, "257 bytes long"},
  };
  gsize i;

  for (i = 0; i < G_N_ELEMENTS (cases); i++) {
    g_autoptr(GError) error = NULL;

    g_assert_false (jimmy_api_validate_task_id (cases[i].id, &error));
    g_assert_error (error, JIMMY_CLIENT_ERROR,
        JIMMY_CLIENT_ERROR_INVALID_ARGUMENT);
    g_test_message ("%s", error->message);
    assert_message_contains (error, cases[i].message_part);
    assert_message_contains (error, "set task-id to the id returned by the "
        "create call, e.g. audio_");
    g_assert_true (g_utf8_validate (error->message, -1, NULL));
    g_assert_null (strchr (error->message, '\x1b'));
  }

  g_assert_false (jimmy_api_validate_task_id ("", NULL));
}

/* ---- Api keys ---- */

static void
test_api_key_valid (void)
{
  const char *keys[] = {
    "sk_test_1234", "a", "abc-._~+/=", "eyJhbGciOiJIUzI1NiJ9.e30.sig==",
  };
  gsize i;

  for (i = 0; i < G_N_ELEMENTS (keys); i++)
    g_assert_true (jimmy_api_validate_api_key (keys[i], NULL));
}

static void
test_api_key_refused (void)
{
  const struct {
    const char *key;
    const char *message_part;
  } cases[] = {
    {"sk_secret\n", "a control character (such as a line break) at byte 9"},
    {"sk_secret\r\nX-Injected: 1", "control character"},
    {"sk secret", "a space at byte 2"},
    {"\tsk_secret", "control character (such as a line break) at byte 0"},
    {"sk_secret\x7f", "control character"},
    {"sk_s\xc3\xa9" "cret", "a non-ASCII byte at byte 4"},
  };
  gsize i;

  for (i = 0; i < G_N_ELEMENTS (cases); i++) {
    g_autoptr (GError) error = NULL;

    g_assert_false (jimmy_api_validate_api_key (cases[i].key, &error));
    g_assert_error (error, JIMMY_CLIENT_ERROR,
        JIMMY_CLIENT_ERROR_INVALID_ARGUMENT);
    g_test_message ("%s", error->message);
    assert_message_contains (error, cases[i].message_part);
    assert_message_contains (error, "check JIMMY_API_KEY or the api-key");
    /* The message never quotes the key. */
    g_assert_null (strstr (error->message, "secret"));
    g_assert_null (strstr (error->message, "cret"));
  }
}

/* ---- Api urls ---- */

static void
test_api_url_valid (void)
{
  const struct
  {
    const char *url;
    const char *host;
    gint port;
    const char *path;
  } cases[] = {
    {JIMMY_API_DEFAULT_URL, "www.jimmyai.cn", -1, ""},
    {"http://127.0.0.1:8080", "127.0.0.1", 8080, ""},
    {"https://example.com/prefix/", "example.com", -1, "/prefix/"},
    {"https://example.com/a%20b", "example.com", -1, "/a%20b"},
    {"http://[::1]:8080/p", "::1", 8080, "/p"},
    {"HTTPS://Example.COM", "Example.COM", -1, ""},
  };
  gsize i;

  for (i = 0; i < G_N_ELEMENTS (cases); i++) {
    g_autoptr(GError) error = NULL;
    g_autoptr(GUri) uri = jimmy_api_parse_api_url (cases[i].url, &error);

    g_assert_no_error (error);
    g_assert_nonnull (uri);
    g_assert_cmpstr (g_uri_get_host (uri), ==, cases[i].host);
    g_assert_cmpint (g_uri_get_port (uri), ==, cases[i].port);
    g_assert_cmpstr (g_uri_get_path (uri), ==, cases[i].path);
    g_assert_true (g_uri_get_flags (uri) & G_URI_FLAGS_ENCODED);
  }
}

static void
test_api_url_refused (void)
{
  const struct
  {
    const char *url;
    const char *message_part;
  } cases[] = {
    {NULL, "No api-url is set"},
    {"", "No api-url is set"},
    {"ftp://example.com", "\"ftp://example.com\" is not an http or https URL"},
    {"file:///srv/api", "\"file:///srv/api\" is not an http or https URL"},
    {"javascript:alert(1)", "is not an http or https URL"},
    {"example.com", "\"example.com\" is not a valid URL"},
    {"not a url", "holds spaces or control characters"},
    {"http://", "\"http://\" has no host"},
    {"http:///api", "\"http:///api\" has no host"},
    {"http:", "has no host"},
    {"http://exa mple.com", "holds spaces or control characters"},
    {"http://a\nb/", "\"http://a\\x0ab/\" holds spaces or control"},
    {"http://example.com:99999", "is not a valid URL"},
    {"http://example.com:0", "has port 0"},
    {"http://example.com/%zz", "is not a valid URL"},
    {"https://example.com/v1?a=b", "\"https://example.com/v1\" has a query"},
    {"https://example.com?", "has a query"},
    {"https://example.com/#top", "\"https://example.com/#top\" has a fragment"},
    {"https://example.com#", "has a fragment"},
    {"https://user:s3cret@example.com", "holds a user name or password"},
    {"https://@example.com", "holds a user name or password"},
  };
  gsize i;

  for (i = 0; i < G_N_ELEMENTS (cases); i++) {
    g_autoptr(GError) error = NULL;
    g_autoptr(GUri) uri = jimmy_api_parse_api_url (cases[i].url, &error);

    g_assert_null (uri);
    g_assert_error (error, JIMMY_CLIENT_ERROR,
        JIMMY_CLIENT_ERROR_INVALID_ARGUMENT);
    g_test_message ("%s", error->message);
    assert_message_contains (error, cases[i].message_part);
    g_assert_null (strchr (error->message, '\n'));
  }
}

/* Credentials and queries (which may hold a key) are never echoed,
 * whatever else is wrong with the URL. */
static void
test_api_url_hides_credentials (void)
{
  const char *urls[] = {
    "https://user:s3cret@example.com",
    "https://user:s3cret@example.com/?q",
    "http://user:s3cret@example.com:port/",
    "http://user:s3cret@exa mple.com/",
    "ftp://user:s3cret@example.com/",
    "https://example.com/?key=s3cret",
    "https://example.com/?key=s3cret#top",
  };
  gsize i;

  for (i = 0; i < G_N_ELEMENTS (urls); i++) {
    g_autoptr(GError) error = NULL;
    g_autoptr(GUri) uri = jimmy_api_parse_api_url (urls[i], &error);

    g_assert_null (uri);
    g_assert_error (error, JIMMY_CLIENT_ERROR,
        JIMMY_CLIENT_ERROR_INVALID_ARGUMENT);
    g_test_message ("%s", error->message);
    assert_message_lacks (error, "s3cret");
  }
}

static void
test_api_url_message_bounded (void)
{
  g_autofree char *path = make_repeated ('p', 100000);
  g_autofree char *url = g_strconcat ("ftp://example.com/", path, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GUri) uri = jimmy_api_parse_api_url (url, &error);

  g_assert_null (uri);
  g_assert_error (error, JIMMY_CLIENT_ERROR,
      JIMMY_CLIENT_ERROR_INVALID_ARGUMENT);
  assert_message_contains (error, "ftp://example.com/ppp");
  g_assert_cmpuint (strlen (error->message), <, 400);
}

/* ---- Task uris ---- */

static char *
build_task_uri_string (const char *api_url, const char *task_id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GUri) api_uri = jimmy_api_parse_api_url (api_url, &error);
  g_autoptr(GUri) task_uri = NULL;

  g_assert_no_error (error);
  task_uri = jimmy_api_build_task_uri (api_uri, task_id, &error);
  g_assert_no_error (error);
  g_assert_nonnull (task_uri);

  return g_uri_to_string (task_uri);
}

static void
test_task_uri_default (void)
{
  g_autofree char *uri = build_task_uri_string (JIMMY_API_DEFAULT_URL,
      EXAMPLE_ID);

  g_assert_cmpstr (uri, ==, "https://www.jimmyai.cn/api/open-api/v1/audios/"
      EXAMPLE_ID);
}

static void
test_task_uri_prefix (void)
{
  const struct
  {
    const char *api_url;
    const char *expected;
  } cases[] = {
    {"https://example.com/", "https://example.com/api/open-api/v1/audios/a"},
    {"https://example.com/prefix",
        "https://example.com/prefix/api/open-api/v1/audios/a"},
    {"https://example.com/prefix/",
        "https://example.com/prefix/api/open-api/v1/audios/a"},
    {"https://example.com/prefix//",
        "https://example.com/prefix/api/open-api/v1/audios/a"},
    {"https://example.com/a%20b/",
        "https://example.com/a%20b/api/open-api/v1/audios/a"},
    {"http://127.0.0.1:8080",
        "http://127.0.0.1:8080/api/open-api/v1/audios/a"},
    {"http://[::1]:8080/p/", "http://[::1]:8080/p/api/open-api/v1/audios/a"},
  };
  gsize i;

  for (i = 0; i < G_N_ELEMENTS (cases); i++) {
    g_autofree char *uri = build_task_uri_string (cases[i].api_url, "a");

    g_assert_cmpstr (uri, ==, cases[i].expected);
  }
}

/* Whatever the id holds, it stays one path segment and adds no query or
 * fragment; the server gets the id back by unescaping that segment. */
static void
test_task_uri_one_segment (void)
{
  const struct
  {
    const char *id;
    const char *segment;
  } cases[] = {
    {EXAMPLE_ID, EXAMPLE_ID},
    {"a/b", "a%2Fb"},
    {"../admin", "..%2Fadmin"},
    {"...", "..."},
    {"a?b=c", "a%3Fb%3Dc"},
    {"a#b", "a%23b"},
    {"100%", "100%25"},
    {"%2F", "%252F"},
    {"a b", "a%20b"},
    {"a+b&c;d", "a%2Bb%26c%3Bd"},
    {"~a_b-c.d", "~a_b-c.d"},
    {"音频", "%E9%9F%B3%E9%A2%91"},
  };
  gsize i;

  for (i = 0; i < G_N_ELEMENTS (cases); i++) {
    g_autofree char *uri_string = build_task_uri_string (
        "https://example.com/v", cases[i].id);
    g_autofree char *expected = g_strconcat ("https://example.com/v"
        JIMMY_API_TASK_PATH, cases[i].segment, NULL);
    g_autoptr(GUri) reparsed = NULL;
    g_autoptr(GError) error = NULL;
    g_autofree char *unescaped = NULL;
    const char *path;
    const char *segment;

    g_assert_cmpstr (uri_string, ==, expected);

    reparsed = g_uri_parse (uri_string, G_URI_FLAGS_ENCODED, &error);
    g_assert_no_error (error);
    g_assert_null (g_uri_get_query (reparsed));
    g_assert_null (g_uri_get_fragment (reparsed));

    path = g_uri_get_path (reparsed);
    g_assert_true (g_str_has_prefix (path, "/v" JIMMY_API_TASK_PATH));
    segment = path + strlen ("/v" JIMMY_API_TASK_PATH);
    g_assert_null (strchr (segment, '/'));
    unescaped = g_uri_unescape_string (segment, NULL);
    g_assert_cmpstr (unescaped, ==, cases[i].id);
  }
}

/* A GUri parsed without G_URI_FLAGS_ENCODED holds a decoded path. */
static void
test_task_uri_from_decoded_uri (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GUri) api_uri = g_uri_parse ("https://example.com/a%20b/",
      G_URI_FLAGS_NONE, &error);
  g_autoptr(GUri) task_uri = NULL;
  g_autofree char *uri_string = NULL;

  g_assert_no_error (error);
  g_assert_cmpstr (g_uri_get_path (api_uri), ==, "/a b/");

  task_uri = jimmy_api_build_task_uri (api_uri, "x/y", &error);
  g_assert_no_error (error);
  uri_string = g_uri_to_string (task_uri);
  g_assert_cmpstr (uri_string, ==,
      "https://example.com/a%20b/api/open-api/v1/audios/x%2Fy");
}

static void
test_task_uri_refused_id (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GUri) api_uri = jimmy_api_parse_api_url (JIMMY_API_DEFAULT_URL,
      &error);
  const char *ids[] = { NULL, "", ".", "..", "a\r\nHost: evil" };
  gsize i;

  g_assert_no_error (error);

  for (i = 0; i < G_N_ELEMENTS (ids); i++) {
    g_autoptr(GUri) task_uri = jimmy_api_build_task_uri (api_uri, ids[i],
        &error);

    g_assert_null (task_uri);
    g_assert_error (error, JIMMY_CLIENT_ERROR,
        JIMMY_CLIENT_ERROR_INVALID_ARGUMENT);
    g_clear_error (&error);
  }
}

/* ---- Media urls ---- */

static void
test_media_url_valid (void)
{
  const char *urls[] = {
    "https://example.com/preview-audio.mp3",
    "http://cdn.example.com:8080/a.mp3?sig=abc&expires=1#t=10",
    "HTTPS://EXAMPLE.COM/A.MP3",
    "https://[::1]/a.mp3",
    "https://user@cdn.example.com/a.mp3",
    "https://cdn.example.com/%E9%9F%B3.mp3",
  };
  gsize i;

  for (i = 0; i < G_N_ELEMENTS (urls); i++) {
    g_autoptr(GError) error = NULL;

    g_test_message ("url: %s", urls[i]);
    g_assert_true (jimmy_api_validate_media_url (urls[i], "audioUrl",
            "audio_1", &error));
    g_assert_no_error (error);
  }
}

static void
test_media_url_refused (void)
{
  const char *urls[] = {
    "", "ftp://example.com/a.mp3", "file:///etc/passwd",
    "javascript:alert(1)", "data:audio/mpeg;base64,AAAA",
    "//example.com/a.mp3", "/a.mp3", "a.mp3", "https://", "https:///a.mp3",
    "http://exa mple.com/a.mp3", "https://example.com/a\n.mp3",
    "https://example.com/%zz", "https://example.com:99999/a.mp3",
    "rtsp://example.com/a",
  };
  gsize i;

  for (i = 0; i < G_N_ELEMENTS (urls); i++) {
    g_autoptr(GError) error = NULL;

    g_assert_false (jimmy_api_validate_media_url (urls[i], "audioUrl",
            "audio_1", &error));
    g_assert_error (error, JIMMY_CLIENT_ERROR, JIMMY_CLIENT_ERROR_MALFORMED);
    g_test_message ("%s", error->message);
    assert_message_contains (error, "Task \"audio_1\": audioUrl is not an "
        "http or https URL");
    g_assert_null (strchr (error->message, '\n'));
  }
}

static void
test_media_url_messages (void)
{
  g_autofree char *path = make_repeated ('x', 100000);
  g_autofree char *long_url = g_strconcat ("ftp://example.com/", path, NULL);
  g_autoptr(GError) error = NULL;

  g_assert_false (jimmy_api_validate_media_url (NULL, "subtitleFile",
          "audio_1", &error));
  g_assert_error (error, JIMMY_CLIENT_ERROR, JIMMY_CLIENT_ERROR_MALFORMED);
  g_assert_cmpstr (error->message, ==, "Task \"audio_1\" has no subtitleFile.");
  g_clear_error (&error);

  g_assert_false (jimmy_api_validate_media_url ("ftp://a/b", "audioUrl", NULL,
          &error));
  g_assert_cmpstr (error->message, ==,
      "The task: audioUrl is not an http or https URL (\"ftp://a/b\").");
  g_clear_error (&error);

  g_assert_false (jimmy_api_validate_media_url (long_url, "audioUrl",
          "audio_1", &error));
  g_assert_error (error, JIMMY_CLIENT_ERROR, JIMMY_CLIENT_ERROR_MALFORMED);
  assert_message_contains (error, "ftp://example.com/xxx");
  g_assert_cmpuint (strlen (error->message), <, 400);
}

/* ---- Origins ---- */

static void
test_same_origin (void)
{
  const struct
  {
    const char *a;
    const char *b;
    gboolean same;
  } cases[] = {
    {"https://a.example", "https://a.example", TRUE},
    {"https://a.example", "https://a.example:443/x", TRUE},
    {"http://a.example:80", "http://a.example/y", TRUE},
    {"HTTPS://A.EXAMPLE", "https://a.example", TRUE},
    {"https://a.example/x?q=1", "https://a.example/z#w", TRUE},
    {"http://127.0.0.1:8080", "http://127.0.0.1:8080/media", TRUE},
    {"https://a.example", "http://a.example", FALSE},
    {"http://a.example:443", "https://a.example", FALSE},
    {"https://a.example:80", "http://a.example", FALSE},
    {"https://a.example", "https://a.example:8443", FALSE},
    {"http://127.0.0.1:8080", "http://127.0.0.1:8081", FALSE},
    {"https://a.example", "https://b.a.example", FALSE},
    {"https://a.example", "https://a.example.evil.example", FALSE},
    {"https://a.example", "https://evil.example", FALSE},
    {"https://a.example", "https://user@evil.example", FALSE},
  };
  gsize i;

  for (i = 0; i < G_N_ELEMENTS (cases); i++) {
    g_autoptr(GUri) a = g_uri_parse (cases[i].a, G_URI_FLAGS_ENCODED, NULL);
    g_autoptr(GUri) b = g_uri_parse (cases[i].b, G_URI_FLAGS_ENCODED, NULL);

    g_test_message ("%s vs %s", cases[i].a, cases[i].b);
    g_assert_nonnull (a);
    g_assert_nonnull (b);
    g_assert_cmpint (jimmy_api_same_origin (a, b), ==, cases[i].same);
    g_assert_cmpint (jimmy_api_same_origin (b, a), ==, cases[i].same);
  }
}

static void
test_same_origin_null (void)
{
  g_autoptr(GUri) a = g_uri_parse ("https://a.example", G_URI_FLAGS_ENCODED,
      NULL);
  g_autoptr(GUri) no_host = g_uri_parse ("mailto:x@a.example",
      G_URI_FLAGS_ENCODED, NULL);

  g_assert_false (jimmy_api_same_origin (a, NULL));
  g_assert_false (jimmy_api_same_origin (NULL, a));
  g_assert_false (jimmy_api_same_origin (NULL, NULL));
  g_assert_false (jimmy_api_same_origin (no_host, no_host));
  g_assert_false (jimmy_api_same_origin (a, no_host));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/api/task-id/valid", test_task_id_valid);
  g_test_add_func ("/api/task-id/refused", test_task_id_refused);
  g_test_add_func ("/api/api-key/valid", test_api_key_valid);
  g_test_add_func ("/api/api-key/refused", test_api_key_refused);
  g_test_add_func ("/api/api-url/valid", test_api_url_valid);
  g_test_add_func ("/api/api-url/refused", test_api_url_refused);
  g_test_add_func ("/api/api-url/hides-credentials",
      test_api_url_hides_credentials);
  g_test_add_func ("/api/api-url/message-bounded",
      test_api_url_message_bounded);
  g_test_add_func ("/api/task-uri/default", test_task_uri_default);
  g_test_add_func ("/api/task-uri/prefix", test_task_uri_prefix);
  g_test_add_func ("/api/task-uri/one-segment", test_task_uri_one_segment);
  g_test_add_func ("/api/task-uri/from-decoded-uri",
      test_task_uri_from_decoded_uri);
  g_test_add_func ("/api/task-uri/refused-id", test_task_uri_refused_id);
  g_test_add_func ("/api/media-url/valid", test_media_url_valid);
  g_test_add_func ("/api/media-url/refused", test_media_url_refused);
  g_test_add_func ("/api/media-url/messages", test_media_url_messages);
  g_test_add_func ("/api/same-origin", test_same_origin);
  g_test_add_func ("/api/same-origin/null", test_same_origin_null);

  return g_test_run ();
}
