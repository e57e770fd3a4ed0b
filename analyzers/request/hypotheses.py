"""Stated hypotheses (XY102): the request proposes its own cause or fix.

The proposal is reported as the Y to verify and the nearest symptom sentence
as the likely X, so the assistant checks the guess before implementing it.
"""

from __future__ import annotations

import re

from xyguard.analyzers.findings import Finding

from ..text.spans import finding_at, sentence_bounds

_I = re.IGNORECASE
_PROPOSAL = re.compile(
    r"\b(?:I\s+(?:think|believe|guess|suspect|assume)|(?:it\s+)?(?:seems|looks)\s+like|probably(?:\s+because)?|"
    r"maybe\s+(?:we|I)\s+(?:should|need|could)|perhaps\s+(?:we|I)\s+(?:should|need)|the\s+(?:problem|issue|cause|culprit|fix)\s+"
    r"(?:is|must be|might be|seems to be)\s+(?:probably|likely|that|because|due|caused|(?:a|the)\s+missing|missing|to)|(?:we|I)\s+(?:just|only)\s+need\s+to|just\s+(?:add|remove|use|change|set|increase|wrap|"
    r"call|catch|make)|should\s+I\s+just|(?:is\s+)?caused\s+by|the\s+solution\s+is\s+to)\b", _I)
_SYMPTOM = re.compile(
    r"\b(?:fails?|failing|failed|error|exception|crash\w*|broken|doesn'?t\s+work|does\s+not\s+work|not\s+working|hangs?|"
    r"slow|flaky|randomly|wrong|incorrect|times?\s+out|timeout|leak\w*|traceback|raises?|returns?\s+None|segfault|"
    r"mismatch|unexpected)\b", _I)


def detect(text: str) -> list[Finding]:
    m = _PROPOSAL.search(text)
    if m is None:
        return []
    p_start, p_end = sentence_bounds(text, m.start())
    proposal = " ".join(text[p_start:p_end].split())
    symptom = None
    for s in _SYMPTOM.finditer(text):
        s_start, s_end = sentence_bounds(text, s.start())
        symptom = " ".join(text[s_start:s_end].split())
        break
    goal = f"resolve the symptom: {symptom[:160]}" if symptom else "the underlying problem the proposal is meant to fix"
    return [finding_at(text, "XY102", f"the request proposes its own cause or fix ('{proposal[:100]}'); verify it "
                       "against the symptom before implementing it", p_start, p_end, goal=goal,
                       question=f"What evidence points to this cause? If '{m.group(0).strip()} …' turns out wrong, "
                                "should I fix the symptom another way?")]
