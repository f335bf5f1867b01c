/* test-proxy.c: which proxy a request takes, for the API and the audio.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
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

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/proxy/explicit", test_explicit);
  g_test_add_func ("/proxy/environment", test_environment);
  g_test_add_func ("/proxy/environment-case", test_environment_case);
  return g_test_run ();
}
