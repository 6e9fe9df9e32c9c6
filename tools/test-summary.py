#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Prints 'N passed, N failed, N skipped' from meson's testlog.json.

A test that printed TAP counts once per sub-test; any other test counts once.
A test that crashed or timed out after its last 'ok' line counts as failed."""
import json
import re
import sys

FAILED = ("FAIL", "TIMEOUT", "ERROR", "UNEXPECTEDPASS", "INTERRUPT")


def main(path):
    passed = failed = skipped = 0
    with open(path, encoding="utf-8") as log:
        for line in log:
            test = json.loads(line)
            tap = [l for l in test.get("stdout", "").splitlines()
                   if re.match(r"(not )?ok\b", l)]
            if tap:
                for l in tap:
                    if "# SKIP" in l:
                        skipped += 1
                    elif l.startswith("not ok"):
                        failed += 0 if "# TODO" in l else 1
                    else:
                        passed += 1
                if test["result"] in FAILED and not any(l.startswith("not ok") for l in tap):
                    failed += 1
            elif test["result"] in ("OK", "EXPECTEDFAIL"):
                passed += 1
            elif test["result"] == "SKIP":
                skipped += 1
            else:
                failed += 1
    print(f"{passed} passed, {failed} failed, {skipped} skipped")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
