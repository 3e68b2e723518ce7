#!/usr/bin/env python3
"""Totals the test results of every test project into one line: 'N passed, N failed, N skipped'.

Reads the TRX files dotnet test writes and the TAP files of the Node tests (*.tap) in the results folder; exits
non-zero when anything failed or when no test ran at all, so a silent run never looks green.
"""
import pathlib
import re
import sys
import xml.etree.ElementTree as ET

NS = {"t": "http://microsoft.com/schemas/VisualStudio/TeamTest/2010"}


def count_trx(path):
    counters = ET.parse(path).getroot().find("t:ResultSummary/t:Counters", NS)
    if counters is None:
        return 0, 0, 0
    get = lambda name: int(counters.get(name, "0"))
    failed = get("failed") + get("error") + get("timeout") + get("aborted")
    skipped = get("notExecuted") + get("notRunnable") + get("inconclusive")
    # The VSTest TRX logger counts skipped tests as neither executed nor notExecuted; total - executed finds them.
    skipped = max(skipped, get("total") - get("executed"))
    return get("passed"), failed, skipped


def count_tap(path):
    text = path.read_text(encoding="utf-8", errors="replace")
    value = lambda name: sum(int(n) for n in re.findall(rf"^# {name} (\d+)$", text, re.M))
    return value("pass"), value("fail") + value("cancelled"), value("skipped") + value("todo")


def main(folder):
    root = pathlib.Path(folder)
    totals = [0, 0, 0]
    files = sorted(root.rglob("*.trx")) + sorted(root.rglob("*.tap"))
    for path in files:
        counts = count_trx(path) if path.suffix == ".trx" else count_tap(path)
        totals = [a + b for a, b in zip(totals, counts)]
    passed, failed, skipped = totals
    print(f"{passed} passed, {failed} failed, {skipped} skipped")
    if not files or passed + failed == 0:
        print("error: no test results were found", file=sys.stderr)
        return 1
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else "artifacts/test-results"))
