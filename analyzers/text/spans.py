"""Findings anchored in the request text: evidence is the matched words, range is their LSP span."""

from __future__ import annotations

from xyguard.analyzers import rules
from xyguard.analyzers.findings import Finding, span_range


def finding_at(text: str, code: str, message: str, start: int, end: int, **fields) -> Finding:
    start, end = max(0, start), max(start, min(end, len(text)))
    evidence = fields.pop("evidence", None) or " ".join(text[start:end].split())[:200]
    return rules.make(code, message, evidence=evidence, range=span_range(text, start, end), **fields)


def sentence_bounds(text: str, offset: int) -> tuple[int, int]:
    """The sentence around `offset` (split on . ! ? and blank lines), for evidence that reads on its own."""
    left = max(text.rfind(". ", 0, offset), text.rfind("? ", 0, offset), text.rfind("! ", 0, offset),
               text.rfind("\n\n", 0, offset))
    left = 0 if left < 0 else left + 2
    ends = [i for i in (text.find(". ", offset), text.find("? ", offset), text.find("! ", offset),
                        text.find("\n\n", offset)) if i >= 0]
    right = min(ends) + 1 if ends else len(text)
    return left, right
