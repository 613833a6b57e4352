"""Every public callable with adversarial arguments: no crash, hang or unidiomatic error.

The fuzzer is `tests/fuzz.py` (``python tests/fuzz.py`` prints its tallies);
this runs it once, in child processes on the test driver, and fails on any
case it counts as bad, listing them.
"""

from __future__ import annotations

import sys

import fuzz


def test_no_public_callable_misbehaves_on_adversarial_arguments() -> None:
    result = fuzz.run(python=sys.executable)
    report = "\n".join(fuzz._report(result))
    print(report)  # the tallies, in the test's output
    assert result["callables"] > 500, report  # the catalogue found the API
    assert result["calls"] > 20000, report
    assert sum(result["tallies"].get(kind, 0) for kind in ("TypeError", "ValueError",
                                                           "OverflowError")) > 10000, report
    bad = [failure for failure in result["failures"] if failure["outcome"].split(":")[0]
           in fuzz.BAD]
    shown = "\n".join(f"{f['outcome']}: {f['name']} ({f['variant']} {f['position']} = "
                      f"{f['value']}) {f.get('detail', '')[-300:]}" for f in bad[:40])
    assert not bad, f"{len(bad)} bad cases:\n{shown}\n\n{report}"
