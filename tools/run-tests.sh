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
python3 - "$build/meson-logs/testlog.json" <<'PY'
import json, sys
passed = failed = skipped = 0
with open(sys.argv[1]) as log:
    for line in log:
        result = json.loads(line)["result"]
        if result in ("OK", "EXPECTEDFAIL"):
            passed += 1
        elif result == "SKIP":
            skipped += 1
        else:
            failed += 1
print(f"{passed} passed, {failed} failed, {skipped} skipped")
PY
exit $status
