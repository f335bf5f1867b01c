#!/usr/bin/env python3
"""Counts a meson test log (meson-logs/testlog*.json) into the one line
CI readers look for: "[LABEL: ]N passed, M failed, K skipped".

Before it, each test that did not pass gets a "FAILED NAME (RESULT…)"
line and the last lines of its output, indented with "  | ", so that a
reader of only the end of a long CI log still sees what failed and why.

Usage: tools/test-summary.py TESTLOG.json [LABEL]

A log that is missing or unreadable (an aborted run) counts as one
failure, so the line is always printed.

SPDX-License-Identifier: LGPL-2.1-or-later
"""
import json
import sys

TAIL_LINES = 25


def report_failure(test):
    name = test.get("name", "?")
    print(f"FAILED {name} ({test['result']}, {test.get('duration', 0):.1f} s)")
    output = (test.get("stdout") or "") + (test.get("stderr") or "")
    for line in output.rstrip("\n").split("\n")[-TAIL_LINES:]:
        print(f"  | {line}")


passed = failed = skipped = 0
try:
    with open(sys.argv[1]) as log:
        for line in log:
            test = json.loads(line)
            result = test["result"]
            if result in ("OK", "EXPECTEDFAIL"):
                passed += 1
            elif result == "SKIP":
                skipped += 1
            else:
                failed += 1
                report_failure(test)
except (OSError, ValueError, KeyError):
    print("FAILED: the test log is missing or unreadable")
    failed += 1
label = f"{sys.argv[2]}: " if len(sys.argv) > 2 else ""
print(f"{label}{passed} passed, {failed} failed, {skipped} skipped")
