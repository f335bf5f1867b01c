#!/usr/bin/env bash
# Builds the Debian package in a temporary copy of the tree, checks it
# with lintian, unpacks it into a throwaway root (the machine's own
# /usr is left alone) and plays a mock task through the unpacked plugin.
#
# Usage: .ci/package.sh                  (from anywhere in a checkout)
#   PACKAGE_OUTPUT_DIR=DIR   copy the .deb, .dsc, .changes … there
#   DEB_BUILD_OPTIONS=nocheck   skip the test suite during the build
#
# Nothing is written to the checkout. Ends with one line
# "package: N passed, M failed"; exits non-zero if any check failed.
# See docs/packaging.md.
set -euo pipefail
cd "$(dirname "$0")/.."
start=$SECONDS

tools/setup-debian.sh dpkg-dev debhelper lintian

tmp=$(mktemp -d "${TMPDIR:-/tmp}/gst-jimmy-package.XXXXXX")
server=
# shellcheck disable=SC2317  # run by the trap
cleanup() {
  if [ -n "$server" ]; then
    kill "$server" 2>/dev/null || true
    wait "$server" 2>/dev/null || true
  fi
  rm -rf "$tmp"
}
trap cleanup EXIT

passed=0
failed=0
pass() { echo "ok: $*"; passed=$((passed + 1)); }
fail() { echo "FAILED: $*"; failed=$((failed + 1)); }
finish() {
  echo "package: took $((SECONDS - start)) s"
  echo "package: $passed passed, $failed failed"
  exit $((failed == 0 ? 0 : 1))
}

version=$(meson introspect --projectinfo meson.build |
  python3 -c 'import json, sys; print(json.load(sys.stdin)["version"])')
multiarch=$(dpkg-architecture -qDEB_HOST_MULTIARCH)
gnu_type=$(dpkg-architecture -qDEB_HOST_GNU_TYPE)
arch=$(dpkg-architecture -qDEB_HOST_ARCH)
system_plugins=$(pkg-config --variable=pluginsdir gstreamer-1.0)

# --- the version: meson's project version is the package's -------------
changelog_version=$(dpkg-parsechangelog -l debian/changelog -S Version)
if [ "$changelog_version" = "$version" ]; then
  pass "version $version in meson.build and debian/changelog"
else
  fail "meson.build says $version, debian/changelog says $changelog_version"
  finish
fi

# --- build: source and binary packages, in a copy of the tree ----------
# The copy holds what git would commit (tracked files and untracked ones
# that .gitignore does not exclude), so build directories stay out.
src=$tmp/gst-jimmy-$version
mkdir "$src"
if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
  git ls-files -z --cached --others --exclude-standard |
    while IFS= read -r -d '' f; do
      # Tracked but deleted in the work tree: leave it out.
      if [ -e "$f" ] || [ -L "$f" ]; then printf '%s\0' "$f"; fi
    done |
    tar --null -T - -cf - | tar -xf - -C "$src"
else
  tar --exclude='./build*' --exclude='./_build*' --exclude='./obj-*' \
    -cf - . | tar -xf - -C "$src"
fi

# Build-Depends are read from debian/control: install whatever
# tools/setup-debian.sh did not.
if ! (cd "$src" && dpkg-checkbuilddeps) 2>"$tmp/builddeps.log"; then
  cat "$tmp/builddeps.log"
  sudo=()
  [ "$(id -u)" -eq 0 ] || sudo=(sudo)
  "${sudo[@]}" apt-get update -q
  DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get build-dep -y -q \
    --no-install-recommends "$src"
fi

build_log=$tmp/build.log
echo "package: building gst-jimmy $version (dpkg-buildpackage, log in $build_log)"
if (cd "$src" && DEB_BUILD_OPTIONS="${DEB_BUILD_OPTIONS:-} parallel=$(nproc)" \
    dpkg-buildpackage -us -uc) >"$build_log" 2>&1; then
  # The test suite's summary, when it ran.
  sed -n '/^Ok: /,/^Timeout: /p' "$build_log"
  pass "dpkg-buildpackage -us -uc"
else
  # dh prints meson's whole log on a failure: show the failed tests and
  # the errors first, then the end.
  grep -n -E '^ *[0-9]+/[0-9]+ .* (ERROR|FAIL|TIMEOUT) |Bail out!|: ERROR: |^(dh_[a-z_]+|dpkg-[a-z]+): error|^make: \*\*\*' \
    "$build_log" | head -n 40 || true
  echo "…"
  tail -n 60 "$build_log"
  fail "dpkg-buildpackage -us -uc (errors and the last 60 lines above)"
  finish
fi

deb=$tmp/gstreamer1.0-jimmy_${version}_${arch}.deb
changes=$tmp/gst-jimmy_${version}_${arch}.changes
if [ -n "${PACKAGE_OUTPUT_DIR:-}" ]; then
  mkdir -p "$PACKAGE_OUTPUT_DIR"
  cp "$tmp"/*.deb "$tmp"/*.dsc "$tmp"/*.tar.* "$tmp"/*.buildinfo \
    "$tmp"/*.changes "$PACKAGE_OUTPUT_DIR"/
  echo "package: copied the packages to $PACKAGE_OUTPUT_DIR"
fi

# --- lintian: source, binaries and .changes -----------------------------
# Info and pedantic tags are shown too; errors and warnings fail. The
# overrides (and why) are in debian/*lintian-overrides; O: lines show
# where they applied.
echo "package: lintian --display-info --pedantic --show-overrides"
lintian_status=0
lintian --display-info --pedantic --show-overrides --fail-on error,warning \
  "$changes" >"$tmp/lintian.log" 2>&1 || lintian_status=$?
grep -v '^running with root privileges' "$tmp/lintian.log" || true
if [ "$lintian_status" -eq 0 ]; then
  pass "lintian (no errors or warnings)"
else
  fail "lintian"
fi

# --- contents: the plugin, its elements module and docs, nothing else ---
plugin_rel=usr/lib/$multiarch/gstreamer-1.0/libgstjimmy.so
module_rel=usr/lib/$multiarch/gstreamer1.0-jimmy/libgstjimmyelements.so
dpkg-deb -c "$deb" | awk '{ print $6 }' | sed 's|^\./||' | grep -v -e '/$' -e '^$' \
  >"$tmp/contents"
expected="$plugin_rel
$module_rel
usr/share/doc/gstreamer1.0-jimmy/changelog.gz
usr/share/doc/gstreamer1.0-jimmy/copyright
usr/share/doc/gstreamer1.0-jimmy/element.md.gz"
if [ "$(LC_ALL=C sort "$tmp/contents")" = "$expected" ] &&
  [ "$(dpkg-deb -f "$deb" Version)" = "$version" ]; then
  pass "$(basename "$deb") holds /$plugin_rel, /$module_rel and the docs"
else
  echo "contents:"; cat "$tmp/contents"
  fail "unexpected contents or version in $(basename "$deb")"
fi

# Its Depends are satisfiable here (a simulation: nothing is installed).
if apt-get install --simulate -q "$deb" >"$tmp/simulate.log" 2>&1; then
  pass "apt-get install --simulate $(basename "$deb")"
else
  cat "$tmp/simulate.log"
  fail "apt-get install --simulate $(basename "$deb")"
fi

# --- the unpacked plugin, and only it -----------------------------------
# dpkg -x into a throwaway root rather than dpkg -i: the machine (a
# developer's, or CI's, which later sessions may get back) stays as it
# was. GStreamer sees this root's plugin directory first, then Debian's,
# never GST_PLUGIN_PATH (the build tree) nor ~/.local, and uses its own
# registry file.
root=$tmp/root
dpkg -x "$deb" "$root"
unset GST_PLUGIN_PATH GST_PLUGIN_PATH_1_0 GST_PLUGIN_SYSTEM_PATH
unset http_proxy https_proxy HTTP_PROXY HTTPS_PROXY all_proxy ALL_PROXY
unset no_proxy NO_PROXY JIMMY_API_URL JIMMY_API_KEY
export GST_PLUGIN_SYSTEM_PATH_1_0=$root/usr/lib/$multiarch/gstreamer-1.0:$system_plugins
export GST_REGISTRY_1_0=$tmp/registry.bin GST_REGISTRY=$tmp/registry.bin
export LC_ALL=C.UTF-8

if gst-inspect-1.0 jimmyaudiosrc >"$tmp/inspect.log" 2>&1; then
  sed -n '/^Plugin Details:/,/^$/p' "$tmp/inspect.log"
  filename=$(sed -n 's/^ *Filename *//p' "$tmp/inspect.log")
  plugin_version=$(sed -n 's/^ *Version *//p' "$tmp/inspect.log")
  if [ "$filename" = "$root/$plugin_rel" ] && [ "$plugin_version" = "$version" ]; then
    pass "gst-inspect-1.0 jimmyaudiosrc finds the unpacked plugin"
  else
    fail "gst-inspect-1.0 jimmyaudiosrc loaded $filename, version $plugin_version"
  fi
else
  cat "$tmp/inspect.log"
  fail "gst-inspect-1.0 jimmyaudiosrc"
fi

# --- playback through the unpacked plugin -------------------------------
# The mock server is the one the package build compiled (GLib and
# libsoup only: it loads no GStreamer plugin), on loopback.
mock=$src/obj-$gnu_type/tools/jimmy-mock-server
key=sk_package_$RANDOM$RANDOM
"$mock" --address 127.0.0.1 --port 0 --api-key "$key" --script completed \
  --media "$src/tools/media/speech.mp3" \
  >"$tmp/server.out" 2>"$tmp/server.err" &
server=$!
for _ in $(seq 100); do
  grep -q '^JIMMY_API_URL=' "$tmp/server.out" && break
  kill -0 "$server" 2>/dev/null || break
  sleep 0.1
done
api_url=$(sed -n 's/^JIMMY_API_URL=//p' "$tmp/server.out")
if [ -z "$api_url" ]; then
  cat "$tmp/server.err"
  fail "the mock server did not start"
  finish
fi
echo "package: mock SoundClone API at $api_url"

# Prints the duration gst-discoverer-1.0 finds in $1, in seconds.
duration_of() {
  { gst-discoverer-1.0 -t 30 "$1" 2>&1 || true; } |
    sed -n 's/^ *Duration: \([0-9]*\):\([0-9]*\):\([0-9.]*\)$/\1 \2 \3/p' |
    awk '{ printf "%.3f\n", $1 * 3600 + $2 * 60 + $3 }'
}
# Speech is 10.914 s (tools/media/README.md).
duration_ok() {
  awk -v d="$1" 'BEGIN { exit !(d >= 10.8 && d <= 11.0) }'
}

wav=$tmp/task.wav
if JIMMY_API_URL=$api_url JIMMY_API_KEY=$key G_DEBUG=fatal-criticals \
    timeout 60 gst-launch-1.0 jimmyaudiosrc task-id=audio_package_check ! \
    audioconvert ! wavenc ! filesink location="$wav" \
    >"$tmp/launch.log" 2>&1; then
  size=$(stat -c %s "$wav" 2>/dev/null || echo 0)
  duration=$(duration_of "$wav")
  echo "package: $(basename "$wav"): $size bytes, ${duration:-?} s"
  if [ "$size" -gt 44 ] && [ -n "$duration" ] && duration_ok "$duration"; then
    pass "gst-launch-1.0 jimmyaudiosrc ! … ! wavenc: ${duration} s of audio"
  else
    fail "the WAV file is empty or not ~10.9 s long"
  fi
else
  cat "$tmp/launch.log" "$tmp/server.err"
  fail "gst-launch-1.0 jimmyaudiosrc task-id=audio_package_check"
fi

# The jimmy:// URI handler, through the registry's URI lookup.
uri_duration=$(JIMMY_API_URL=$api_url JIMMY_API_KEY=$key \
  duration_of jimmy://audio_package_uri)
if [ -n "$uri_duration" ] && duration_ok "$uri_duration"; then
  pass "gst-discoverer-1.0 jimmy://audio_package_uri: ${uri_duration} s"
else
  cat "$tmp/server.err"
  fail "gst-discoverer-1.0 jimmy://audio_package_uri (duration ${uri_duration:-none})"
fi

finish
