"""Whether to interrupt, and with which ONE question.

Only a finding a maintainer would want to answer may ask: one at warning level or above that carries a
question. Info and hint findings are notes; they never ask, however many there are. Of the findings
that may ask, the one whose answer unblocks the most is asked (the order below), ties broken by
position, so the user gets one question, the most useful one.
"""

from __future__ import annotations

from xyguard.analyzers.findings import Finding, severity_rank

# Most valuable first: a contradiction or conflict must be settled before anything else is worth asking; then
# what is broken in the text (inconsistent examples, a cut sentence), the real goal behind an XY pattern, the
# missing pieces of the request, open choices, and finally names the repository does not have.
PRIORITY = ("XY115", "XY107", "XY112", "XY116", "XY101", "XY117", "XY110", "XY111", "XY113", "XY105", "XY106",
            "XY104", "XY103", "XY102", "XY114")
_RANK = {code: i for i, code in enumerate(PRIORITY)}


def may_ask(f: Finding) -> bool:
    return f.code.startswith("XY") and bool(f.question) and severity_rank(f.severity) >= severity_rank("warning")


def decide(findings: list[Finding], complexity: str = "simple") -> tuple[bool, str | None, list[str]]:
    """(needed, the question, the codes that asked). `complexity` no longer changes the answer: a finding either
    deserves a question or it does not."""
    asking = [f for f in findings if may_ask(f)]
    if not asking:
        return False, None, []
    top = min(asking, key=lambda f: (_RANK.get(f.code, len(PRIORITY)), f.sort_key()[1:]))
    return True, top.question, sorted({f.code for f in asking})
