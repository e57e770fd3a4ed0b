"""Whether to interrupt, and with which ONE question.

Each finding carries a weight by how much it blocks acting; a question is
asked when the weights add up (or, for a simple request, only when a
blocking finding is present). The question asked is the one from the
heaviest finding, ties broken by position, so the user gets the most
informative question first and only once.
"""

from __future__ import annotations

from xyguard.analyzers.findings import Finding, severity_rank

# How much each code, at warning level or above, blocks acting on the request.
BLOCKING = {
    "XY101": 1.0, "XY104": 1.0, "XY105": 1.0, "XY106": 1.0, "XY107": 1.0, "XY110": 1.0, "XY111": 1.0,
    "XY112": 1.2, "XY113": 1.0, "XY115": 1.1, "XY116": 1.1, "XY117": 1.1, "XY103": 0.8,
    "XY102": 0.6,
}
# Codes that only corroborate other evidence: a placeholder name is worth mentioning, never worth an
# interruption by itself (their weight stays below THRESHOLD whatever their severity).
CORROBORATING = {"XY114": 0.3}
INFO_WEIGHT = 0.5  # an info-level finding is a hint: two of them together justify a question
THRESHOLD = 1.0


def weight(f: Finding) -> float:
    if f.code in CORROBORATING:
        return CORROBORATING[f.code]
    base = BLOCKING.get(f.code, 0.5)
    return base if severity_rank(f.severity) >= severity_rank("warning") else min(base, INFO_WEIGHT)


def decide(findings: list[Finding], complexity: str) -> tuple[bool, str | None, list[str]]:
    relevant = [f for f in findings if f.code.startswith("XY") and f.question]
    if not relevant:
        return False, None, []
    blocking = [f for f in relevant if severity_rank(f.severity) >= severity_rank("warning")]
    if complexity == "simple":
        needed = any(weight(f) >= THRESHOLD for f in blocking)
    else:
        # repeated findings of one code count once: the same doubt restated is not new evidence
        per_code: dict[str, float] = {}
        for f in relevant:
            per_code[f.code] = max(per_code.get(f.code, 0.0), weight(f))
        needed = sum(per_code.values()) >= THRESHOLD
    if not needed:
        return False, None, []
    top = max(relevant, key=lambda f: (weight(f), -f.sort_key()[1], -f.sort_key()[2]))
    codes = sorted({f.code for f in relevant if weight(f) >= INFO_WEIGHT or f.code in CORROBORATING})
    return True, top.question, codes
