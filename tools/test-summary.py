#!/usr/bin/env python3
"""Counts a meson test log (meson-logs/testlog*.json) into the one line
CI readers look for: "[LABEL: ]N passed, M failed, K skipped".

Usage: tools/test-summary.py TESTLOG.json [LABEL]

A log that is missing or unreadable (an aborted run) counts as one
failure, so the line is always printed.

SPDX-License-Identifier: LGPL-2.1-or-later
"""
import json
import sys

passed = failed = skipped = 0
try:
    with open(sys.argv[1]) as log:
        for line in log:
            result = json.loads(line)["result"]
            if result in ("OK", "EXPECTEDFAIL"):
                passed += 1
            elif result == "SKIP":
                skipped += 1
            else:
                failed += 1
except (OSError, ValueError, KeyError):
    failed += 1
label = f"{sys.argv[2]}: " if len(sys.argv) > 2 else ""
print(f"{label}{passed} passed, {failed} failed, {skipped} skipped")
