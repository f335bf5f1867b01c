#!/usr/bin/env bash
# The build options: the plugin builds with its runtime dependencies only.
#
#   1. -Dtests=disabled -Dexamples=disabled configures, prints the summary,
#      builds the plugin, and `meson introspect --dependencies` names no
#      RTSP-server or check dependency.
#   2. With gstreamer-rtsp-server-1.0 and gstreamer-check-1.0 hidden from
#      pkg-config (as on a machine without their dev packages), the default
#      options (auto) configure and build, leaving out what needs them.
#
# Usage: .ci/build-options.sh      (from anywhere in a checkout)
# Builds in a temporary directory; nothing is written to the checkout.
# Ends with one line "build-options: N passed, M failed"; exits non-zero
# if any check failed. See docs/packaging.md.
set -uo pipefail
cd "$(dirname "$0")/.." || exit 1

tmp=$(mktemp -d "${TMPDIR:-/tmp}/gst-jimmy-build-options.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

passed=0
failed=0
pass() { echo "ok: $*"; passed=$((passed + 1)); }
fail() { echo "FAILED: $*"; failed=$((failed + 1)); }
check() {
  local what=$1
  shift
  if "$@"; then pass "$what"; else fail "$what"; fi
}

# Prints the names of the dependencies meson found for build dir $1.
dependencies() {
  meson introspect --dependencies "$1" |
    python3 -c 'import json, sys; print("\n".join(d["name"] for d in json.load(sys.stdin)))'
}

# Prints the names of the targets of build dir $1.
targets() {
  meson introspect --targets "$1" |
    python3 -c 'import json, sys; print("\n".join(t["name"] for t in json.load(sys.stdin)))'
}

no_optional_dependency() {
  ! dependencies "$1" | grep -E 'rtsp-server|check'
}

no_test_or_example_target() {
  ! targets "$1" | grep -E '^(test-|jimmy-play|jimmy-rtsp-server)'
}

plugin_built() {
  [ -f "$1/gst-plugin/gstreamer-1.0/libgstjimmy.so" ] &&
    [ -f "$1/gst-plugin/gstreamer1.0-jimmy/libgstjimmyelements.so" ]
}

# --- 1. tests and examples disabled --------------------------------------
b=$tmp/disabled
if meson setup "$b" -Dtests=disabled -Dexamples=disabled >"$tmp/setup.log" 2>&1; then
  pass "meson setup -Dtests=disabled -Dexamples=disabled"
  check "the setup ends with a summary of what is built" \
    grep -q 'jimmy-rtsp-server example *: NO' "$tmp/setup.log"
  check "introspect --dependencies names no RTSP-server or check dependency" \
    no_optional_dependency "$b"
  check "no test or example target" \
    no_test_or_example_target "$b"
  if meson compile -C "$b" >"$tmp/compile.log" 2>&1; then
    check "meson compile builds the plugin" plugin_built "$b"
  else
    tail -n 30 "$tmp/compile.log"
    fail "meson compile with tests and examples disabled"
  fi
else
  tail -n 30 "$tmp/setup.log"
  fail "meson setup -Dtests=disabled -Dexamples=disabled"
fi

# --- 2. default options without the optional dev packages ---------------
# A pkg-config directory holding every .pc file but those two.
pc=$tmp/pkgconfig
mkdir -p "$pc"
IFS=: read -r -a pc_dirs <<<"$(pkg-config --variable pc_path pkg-config)"
for dir in "${pc_dirs[@]}"; do
  for file in "$dir"/*.pc; do
    [ -f "$file" ] || continue
    name=$(basename "$file")
    case $name in
      gstreamer-rtsp-server-1.0.pc | gstreamer-check-1.0.pc) ;;
      *) [ -e "$pc/$name" ] || ln -s "$file" "$pc/$name" ;;
    esac
  done
done

b=$tmp/auto
if PKG_CONFIG_LIBDIR=$pc PKG_CONFIG_PATH= meson setup "$b" >"$tmp/setup.log" 2>&1; then
  pass "meson setup (auto) without the RTSP-server and check dev files"
  check "the summary says the element tests and the RTSP example are left out" \
    sh -c 'grep -q "element tests (gstreamer-check) *: NO" "$0" &&
      grep -q "jimmy-rtsp-server example *: NO" "$0"' "$tmp/setup.log"
  check "introspect --dependencies names no RTSP-server or check dependency" \
    no_optional_dependency "$b"
  if PKG_CONFIG_LIBDIR=$pc PKG_CONFIG_PATH= meson compile -C "$b" \
    >"$tmp/compile.log" 2>&1; then
    check "meson compile builds the plugin, jimmy-play and the client tests" \
      sh -c '[ -f "$0/examples/jimmy-play" ] && [ -f "$0/tests/test-task" ]' "$b"
  else
    tail -n 30 "$tmp/compile.log"
    fail "meson compile (auto) without the RTSP-server and check dev files"
  fi
else
  tail -n 30 "$tmp/setup.log"
  fail "meson setup (auto) without the RTSP-server and check dev files"
fi

echo "build-options: $passed passed, $failed failed"
exit $((failed == 0 ? 0 : 1))
