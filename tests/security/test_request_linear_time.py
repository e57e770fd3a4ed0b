"""Request analysis takes linear time on any input: 1 MB of adversarial text per pattern family completes.

Each family is text built to make a regular expression backtrack: no sentence punctuation (patterns that
scan to the end of a sentence from every start), openers repeated without their closers ("<!--", "`",
"(", "def ", "if "), alternatives that never resolve ("or"), and very long words. A quadratic pattern
needs minutes to hours on a megabyte; a linear one needs seconds. The analysis runs in a subprocess with a
generous timeout, so a busy machine does not turn the test red while a quadratic regression does.
Per-family times are measured, as ratios between sizes, by benchmarks/request_linear_time.py.
"""

from __future__ import annotations

import subprocess
import sys

import pytest

SIZE = 1_000_000
TIMEOUT_S = 60  # a linear pass over 1 MB takes well under this even on a loaded 2-core machine

_UNIT = {
    # autonomy, goals, constraints: patterns that read to the end of a sentence, with no sentence end
    "no-punctuation": "I know you want it anyway but regardless keep going so that we can ",
    "autonomy-openers": "I know about ",
    "html-comment-openers": "<!-- ",
    "backtick-openers": "`a ",
    "paren-openers": "f(",
    "def-openers": "def f(",
    "if-openers": "if x or ",
    "or-chains": "odd or ",
    "fences": "```\n",
    "tracebacks": 'Traceback (most recent call last):\n  File "x.py", line 1\n',
    "catalogue-openers": "regex split copy sleep certificate timeout eval ",
    "hedges-and-vague": "a certain (e.g. x or y or ",
    "code-names": "foo_bar.BazQux() ",
    "dots-and-spaces": ". " * 3 + "    ",
    "placeholders": "TODO ",
    "vague-referents": "a specific function ",
    "zero-width": "a\u200b",
    "examples": ">>> f(1)\n1\n",
    "full-stops-without-spaces": "x.\n",
}
FAMILIES = {name: lambda size, u=unit: (u * (size // len(u) + 1))[:size] for name, unit in _UNIT.items()}
FAMILIES["long-word"] = lambda size: "a" * size
FAMILIES["long-identifier"] = lambda size: "x_" * (size // 2)
FAMILIES["long-number"] = lambda size: "1" * size

_RUN = """
import sys
from xyguard.analyzers.request.analyze import build_report, detect
from xyguard.analyzers.pipeline import Workspace, analyse_request
text = sys.stdin.read()
detection = detect(text)
build_report(detection, detection.findings)
analyse_request(text, Workspace(root=None), record=False)
print("done")
"""


@pytest.mark.parametrize("family", sorted(FAMILIES))
def test_a_megabyte_of_adversarial_text_is_analysed_in_linear_time(family):
    text = FAMILIES[family](SIZE)
    assert len(text) >= SIZE - 10
    proc = subprocess.run([sys.executable, "-c", _RUN], input=text, capture_output=True, text=True,
                          timeout=TIMEOUT_S)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert proc.stdout.strip() == "done"
