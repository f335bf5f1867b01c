#!/usr/bin/env bash
# CI: the whole test suite under AddressSanitizer, UndefinedBehaviorSanitizer
# and LeakSanitizer (a second build directory), then the element tests
# under valgrind memcheck (the normal build directory).
#
# Usage: .ci/sanitizers.sh
#   ASAN_BUILD_DIR  the sanitizer build (default build-asan)
#   BUILD_DIR       the normal build, for valgrind (default build)
#
# Every finding is fatal: ASan and UBSan stop the test at the first
# error, LSan fails it at exit, valgrind fails it on any error or
# definite leak. Suppressions cover GLib, GStreamer, libsoup and system
# libraries only: tests/lsan.supp, tests/valgrind.supp,
# tools/libsoup-3.2.supp. Ends with three lines:
#   "asan+ubsan: N passed, M failed, K skipped"
#   "asan+ubsan+lsan: N passed, M failed, K skipped"
#   "valgrind: N passed, M failed, K skipped"
set -euo pipefail
cd "$(dirname "$0")/.."

# gcc's libasan and libubsan come with gcc; valgrind does not.
tools/setup-debian.sh valgrind

asan_build=${ASAN_BUILD_DIR:-build-asan}
build=${BUILD_DIR:-build}

summary () {
  python3 tools/test-summary.py "$2" "$1"
}

# ---- ASan + UBSan + LSan ----

if [ ! -f "$asan_build/build.ninja" ]; then
  meson setup "$asan_build" --buildtype=debugoptimized \
    -Db_sanitize=address,undefined -Db_lundef=false
fi
meson compile -C "$asan_build"

# The plugin is built with ASan, and gst-plugin-scanner is not: the
# scanner cannot load it ("ASan runtime does not come first in initial
# library list") and GStreamer would blacklist it. So each test process
# scans the plugins itself. That loads every system plugin once, so the
# registries are deleted before each pass: every run scans, and reports,
# the same.
export GST_REGISTRY_FORK=no
# GLib 2.74's slice allocator would hide leaks and use-after-free.
export G_SLICE=always-malloc
export UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1
asan_common=halt_on_error=1:abort_on_error=1:print_summary=1:detect_stack_use_after_return=1
# The examples suite runs python3, and gst-tools runs gst-inspect-1.0;
# neither is built with ASan, so neither can load the ASan-built plugin.
skip=(--no-suite examples --no-suite gst-tools)

# Pass 1: ASan + UBSan, the stress tests at full size. Everything runs
# about three times slower.
rm -f "$asan_build"/tests/*.registry
asan_status=0
ASAN_OPTIONS=$asan_common:detect_leaks=0 JIMMY_STRESS_WATCHDOG_S=300 \
  meson test -C "$asan_build" "${skip[@]}" --print-errorlogs \
  --num-processes 2 --timeout-multiplier 4 --logbase testlog-asan ||
  asan_status=$?

# Pass 2: LeakSanitizer too. GLib and GStreamer have no frame pointers, so
# LSan needs the slow unwinder to see who allocated a leak (and to match
# tests/lsan.supp); that costs about ten times, so the stress tests run
# smaller: a leak per cycle still shows as hundreds of objects.
rm -f "$asan_build"/tests/*.registry
lsan_status=0
ASAN_OPTIONS=$asan_common:detect_leaks=1:fast_unwind_on_malloc=0:malloc_context_size=16 \
LSAN_OPTIONS=suppressions=$PWD/tests/lsan.supp:print_suppressions=0 \
JIMMY_STRESS_WATCHDOG_S=600 JIMMY_STRESS_CYCLES=200 \
JIMMY_STRESS_ELEMENTS=20 JIMMY_STRESS_TOGGLES=50 \
  meson test -C "$asan_build" "${skip[@]}" --print-errorlogs \
  --num-processes 2 --timeout-multiplier 10 --logbase testlog-lsan ||
  lsan_status=$?

unset GST_REGISTRY_FORK G_SLICE UBSAN_OPTIONS

# ---- valgrind memcheck: the element tests ----

if [ ! -f "$build/build.ninja" ]; then
  meson setup "$build" --buildtype=debugoptimized
fi
meson compile -C "$build"

valgrind_status=0
# With a setup, meson logs to meson-logs/testlog-valgrind.json: the plain
# run's testlog.json stays as it was.
# regex-jit: tests whose elements run PCRE2 JIT code (subparse), which
# memcheck reports as uninitialised jumps; ASan covers them above.
meson test -C "$build" --setup valgrind --suite element --no-suite regex-jit \
  --print-errorlogs --num-processes 2 || valgrind_status=$?

# meson shows only a failed test's last lines: print every valgrind
# finding in full, so a rare one can be read from the CI log.
if [ "$valgrind_status" -ne 0 ]; then
  echo "valgrind: every finding, in full:"
  grep -A34 -E "definitely lost in loss record|Invalid (read|write|free)|uninitialised|Mismatched free" \
    "$build/meson-logs/testlog-valgrind.txt" || true
fi

summary "asan+ubsan" "$asan_build/meson-logs/testlog-asan.json"
summary "asan+ubsan+lsan" "$asan_build/meson-logs/testlog-lsan.json"
summary valgrind "$build/meson-logs/testlog-valgrind.json"
[ "$asan_status" -eq 0 ] && [ "$lsan_status" -eq 0 ] &&
  [ "$valgrind_status" -eq 0 ]
