/* test-proxy.c: which proxy a request takes, for the API and the audio.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "jimmy-poller.h"
#include "jimmy-proxy.h"

#define HTTP_PROXY "http://proxy.test:3128"
#define HTTPS_PROXY "http://secure-proxy.test:3129"

static const char *const proxy_variables[] = {
  "http_proxy", "HTTP_PROXY", "https_proxy", "HTTPS_PROXY", "no_proxy",
  "NO_PROXY", NULL
};

static void
clear_proxy_environment (void)
{
  guint i;

  for (i = 0; proxy_variables[i] != NULL; i++)
    g_unsetenv (proxy_variables[i]);
}

static void
assert_proxy (const char *proxy, const char *uri, const char *expected)
{
  g_autofree char *answer = jimmy_proxy_for_uri (proxy, uri);

  g_assert_cmpstr (answer, ==, expected);
}

static void
test_explicit (void)
{
  clear_proxy_environment ();
  g_setenv ("http_proxy", HTTP_PROXY, TRUE);
  g_setenv ("no_proxy", "media.test", TRUE);

  /* An explicit proxy is for everything; the environment is not read. */
  assert_proxy ("http://explicit.test:8080", "http://media.test/a.mp3",
      "http://explicit.test:8080");
  assert_proxy ("http://explicit.test:8080", "https://api.test/x",
      "http://explicit.test:8080");
  /* "" is none, whatever $http_proxy says: souphttpsrc left to itself
   * would take $http_proxy here. */
  assert_proxy ("", "http://media.test/a.mp3", JIMMY_PROXY_DIRECT);
  assert_proxy ("", "http://other.test/a.mp3", JIMMY_PROXY_DIRECT);
  g_assert_null (jimmy_proxy_resolver_new (""));
}

static void
test_environment (void)
{
  clear_proxy_environment ();
  g_assert_null (jimmy_proxy_resolver_new (NULL));
  assert_proxy (NULL, "http://media.test/a.mp3", JIMMY_PROXY_DIRECT);

  g_setenv ("http_proxy", HTTP_PROXY, TRUE);
  g_setenv ("https_proxy", HTTPS_PROXY, TRUE);
  g_setenv ("no_proxy", " media.test, 127.0.0.1 ,,", TRUE);
  /* Per scheme, as curl does. */
  assert_proxy (NULL, "http://api.test/x", HTTP_PROXY);
  assert_proxy (NULL, "https://api.test/x", HTTPS_PROXY);
  /* $no_proxy exempts its hosts, spaces and empty entries ignored. */
  assert_proxy (NULL, "http://media.test/a.mp3", JIMMY_PROXY_DIRECT);
  assert_proxy (NULL, "https://media.test/a.mp3", JIMMY_PROXY_DIRECT);
  assert_proxy (NULL, "http://127.0.0.1:8000/a.mp3", JIMMY_PROXY_DIRECT);
}

static void
test_environment_case (void)
{
  clear_proxy_environment ();
  /* The uppercase forms count too; the lowercase one wins when both are
   * set, and an empty one does not hide the other. */
  g_setenv ("HTTP_PROXY", "http://upper.test:1", TRUE);
  assert_proxy (NULL, "http://api.test/x", "http://upper.test:1");
  g_setenv ("http_proxy", HTTP_PROXY, TRUE);
  assert_proxy (NULL, "http://api.test/x", HTTP_PROXY);
  g_setenv ("http_proxy", "", TRUE);
  assert_proxy (NULL, "http://api.test/x", "http://upper.test:1");

  /* Only an https proxy: http goes direct. */
  clear_proxy_environment ();
  g_setenv ("HTTPS_PROXY", HTTPS_PROXY, TRUE);
  assert_proxy (NULL, "http://api.test/x", JIMMY_PROXY_DIRECT);
  assert_proxy (NULL, "https://api.test/x", HTTPS_PROXY);
  g_setenv ("NO_PROXY", "api.test", TRUE);
  assert_proxy (NULL, "https://api.test/x", JIMMY_PROXY_DIRECT);
}

/* Validation refuses @proxy with a message that says how to write it,
 * and the resolver functions never pass it on to GIO (whose CRITICALs
 * are fatal here: G_DEBUG=fatal-criticals). */
static void
assert_refused (const char *proxy, const char *message)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GProxyResolver) resolver = NULL;

  g_assert_false (jimmy_proxy_validate (proxy, &error));
  g_assert_error (error, JIMMY_CLIENT_ERROR,
      JIMMY_CLIENT_ERROR_INVALID_ARGUMENT);
  g_assert_cmpstr (error->message, ==, message);

  resolver = jimmy_proxy_resolver_new (proxy);
  g_assert_null (resolver);
  assert_proxy (proxy, "http://api.test/x", JIMMY_PROXY_DIRECT);
}

#define HOW_TO "write it as http://host:port (or https://, socks5://, with " \
  "user:password@ before the host if the proxy needs them)"

static void
test_invalid (void)
{
  clear_proxy_environment ();
  /* The examples: g_simple_proxy_resolver_new() printed two
   * CRITICALs for the first, and took the second for a URI of scheme
   * "localhost". */
  assert_refused ("127.0.0.1:3128", "The proxy \"127.0.0.1:3128\" is not "
      "a proxy URI: " HOW_TO ", or set proxy to \"\" for none.");
  assert_refused ("localhost:3128", "The proxy \"localhost:3128\" is not "
      "a proxy URI: " HOW_TO ", or set proxy to \"\" for none.");
  assert_refused ("garbage", "The proxy \"garbage\" is not a proxy URI: "
      HOW_TO ", or set proxy to \"\" for none.");
  assert_refused ("ftp://proxy.test:21", "The proxy \"ftp://proxy.test:21\" "
      "has a scheme no proxy is reached by: " HOW_TO ", or set proxy to "
      "\"\" for none.");
  assert_refused ("http://", "The proxy \"http://\" does not name a valid "
      "host: " HOW_TO ", or set proxy to \"\" for none.");
  assert_refused ("http://proxy test:3128", "The proxy "
      "\"http://proxy test:3128\" does not name a valid host: " HOW_TO
      ", or set proxy to \"\" for none.");
  assert_refused ("http://proxy.test:99999", "The proxy "
      "\"http://proxy.test:99999\" is not a proxy URI: " HOW_TO ", or set "
      "proxy to \"\" for none.");
  assert_refused ("http://wpad.test/proxy.pac", "The proxy "
      "\"http://wpad.test/proxy.pac\" has a path, query or fragment, which "
      "a proxy URI has not: " HOW_TO ", or set proxy to \"\" for none.");
  /* The password is not repeated in the message. */
  assert_refused ("http://user:s3cret@proxy.test:port", "The proxy "
      "\"http://…@proxy.test:port\" is not a proxy URI: " HOW_TO ", or set "
      "proxy to \"\" for none.");
}

static void
test_valid (void)
{
  static const char *const valid[] = {
    "http://proxy.test:3128", "http://proxy.test:3128/", "HTTP://Proxy.Test",
    "https://proxy.test:443", "socks://proxy.test:1080",
    "socks4://proxy.test", "socks4a://proxy.test", "socks5://proxy.test:1080",
    "http://user:pass%40word@proxy.test:3128", "http://127.0.0.1:3128",
    "http://[::1]:3128", NULL
  };
  guint i;

  clear_proxy_environment ();
  for (i = 0; valid[i] != NULL; i++) {
    g_autoptr (GError) error = NULL;
    g_autoptr (GProxyResolver) resolver = NULL;

    g_assert_true (jimmy_proxy_validate (valid[i], &error));
    g_assert_no_error (error);
    resolver = jimmy_proxy_resolver_new (valid[i]);
    g_assert_nonnull (resolver);
  }
  assert_proxy ("http://user:pass@proxy.test:3128", "https://api.test/x",
      "http://user:pass@proxy.test:3128");
  /* "" is no proxy; NULL with no variable set is the (empty)
   * environment. */
  g_assert_true (jimmy_proxy_validate ("", NULL));
  g_assert_true (jimmy_proxy_validate (NULL, NULL));
}

static void
test_environment_invalid (void)
{
  g_autoptr (GError) error = NULL;

  /* Without a scheme, a variable means http://, as for curl and
   * souphttpsrc. */
  clear_proxy_environment ();
  g_setenv ("http_proxy", "127.0.0.1:3128", TRUE);
  g_setenv ("HTTPS_PROXY", "proxy.test:3129", TRUE);
  g_assert_true (jimmy_proxy_validate (NULL, &error));
  g_assert_no_error (error);
  assert_proxy (NULL, "http://api.test/x", "http://127.0.0.1:3128");
  assert_proxy (NULL, "https://api.test/x", "http://proxy.test:3129");

  /* What is still not a proxy URI is an error naming the variable, and
   * never reaches GIO: that variable counts as unset. */
  g_setenv ("HTTPS_PROXY", "http://user:pw@proxy.test:bad", TRUE);
  g_assert_false (jimmy_proxy_validate (NULL, &error));
  g_assert_error (error, JIMMY_CLIENT_ERROR,
      JIMMY_CLIENT_ERROR_INVALID_ARGUMENT);
  g_assert_cmpstr (error->message, ==, "The HTTPS_PROXY environment "
      "variable (\"http://…@proxy.test:bad\") is not a proxy URI: " HOW_TO
      ", or unset it.");
  g_clear_error (&error);
  assert_proxy (NULL, "https://api.test/x", JIMMY_PROXY_DIRECT);
  assert_proxy (NULL, "http://api.test/x", "http://127.0.0.1:3128");

  g_setenv ("http_proxy", "gopher://proxy.test", TRUE);
  g_assert_false (jimmy_proxy_validate (NULL, &error));
  g_assert_error (error, JIMMY_CLIENT_ERROR,
      JIMMY_CLIENT_ERROR_INVALID_ARGUMENT);
  g_assert_true (g_str_has_prefix (error->message, "The http_proxy "
          "environment variable (\"gopher://proxy.test\") has a scheme"));
  g_clear_error (&error);
  assert_proxy (NULL, "http://api.test/x", JIMMY_PROXY_DIRECT);

  /* An explicit proxy does not read the environment at all. */
  g_assert_true (jimmy_proxy_validate ("", NULL));
  g_assert_true (jimmy_proxy_validate (HTTP_PROXY, NULL));
}

typedef struct {
  GMainLoop *loop;
  GError *error;
  JimmyTask *task;
} WaitResult;

static void
on_wait_done (GObject * source, GAsyncResult * result, gpointer user_data)
{
  WaitResult *r = user_data;

  r->task = jimmy_poller_wait_finish (JIMMY_POLLER (source), result, NULL,
      &r->error);
  g_main_loop_quit (r->loop);
}

/* The poller refuses the wait before any request: no session is made
 * with the proxy. The API URL is a closed port; it is never tried. */
static void
assert_poll_refused (const char *proxy, const char *message)
{
  g_autoptr (JimmyPoller) poller = jimmy_poller_new ();
  g_autoptr (JimmyPollOptions) o = jimmy_poll_options_new
      ("http://127.0.0.1:9/v1", "audio_proxy", "key");
  WaitResult r = { 0 };

  o->proxy = g_strdup (proxy);
  r.loop = g_main_loop_new (NULL, FALSE);
  jimmy_poller_wait_async (poller, o, NULL, NULL, NULL, NULL, on_wait_done,
      &r);
  g_main_loop_run (r.loop);
  g_assert_null (r.task);
  g_assert_error (r.error, JIMMY_CLIENT_ERROR,
      JIMMY_CLIENT_ERROR_INVALID_ARGUMENT);
  g_assert_cmpstr (r.error->message, ==, message);
  g_error_free (r.error);
  g_main_loop_unref (r.loop);
}

/* Runs last: setenv() is not safe once the poller's thread exists, so
 * the environment is set before the first poller. */
static void
test_poller_refuses (void)
{
  clear_proxy_environment ();
  g_setenv ("http_proxy", "bad proxy", TRUE);
  assert_poll_refused ("localhost:3128", "Task \"audio_proxy\": The proxy "
      "\"localhost:3128\" is not a proxy URI: " HOW_TO ", or set proxy to "
      "\"\" for none.");
  assert_poll_refused (NULL, "Task \"audio_proxy\": The http_proxy "
      "environment variable (\"bad proxy\") does not name a valid host: "
      HOW_TO ", or unset it.");
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/proxy/explicit", test_explicit);
  g_test_add_func ("/proxy/environment", test_environment);
  g_test_add_func ("/proxy/environment-case", test_environment_case);
  g_test_add_func ("/proxy/invalid", test_invalid);
  g_test_add_func ("/proxy/valid", test_valid);
  g_test_add_func ("/proxy/environment-invalid", test_environment_invalid);
  g_test_add_func ("/proxy/poller-refuses", test_poller_refuses);
  return g_test_run ();
}
