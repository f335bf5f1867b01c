#!/usr/bin/env bash
# Builds the project and runs the whole test suite.
#
# Usage: tools/run-tests.sh            (from anywhere in a checkout)
# Ends with meson's summary and a line "N passed, M failed".
set -euo pipefail
cd "$(dirname "$0")/.."

tools/setup-debian.sh

build=${BUILD_DIR:-build}
if [ ! -f "$build/build.ninja" ]; then
  meson setup "$build" --buildtype=debugoptimized
fi
meson compile -C "$build"

status=0
meson test -C "$build" --print-errorlogs --num-processes 2 || status=$?

# One line a CI reader can count on, from meson's own JSON log.
python3 tools/test-summary.py "$build/meson-logs/testlog.json"
exit $status
