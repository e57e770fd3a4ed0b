"""The pipeline: parse once, run each detector, gate the question, restate the request."""

from __future__ import annotations

from typing import Any

from xyguard.analyzers.findings import Finding
from xyguard.analyzers.text.hidden import hidden_character_findings

from . import behaviour, complexity, examples, grounding, hypotheses, intent, question, specificity, underspec, xy_catalogue
from .concretize import concretize
from .request_report import RequestReport
from .spec import parse_spec

MAX_CHARS = 200_000  # beyond this only the head is analysed; nobody writes a longer request by hand


def _dedupe(findings: list[Finding]) -> list[Finding]:
    seen, out = set(), []
    for f in findings:
        key = (f.code, f.evidence)
        if key not in seen:
            seen.add(key)
            out.append(f)
    return out


def analyze_request(text: str, context: Any = None, config: Any = None, goal_state: Any = None) -> RequestReport:
    text = (text or "").replace("\0", "")
    analysed = text[:MAX_CHARS]
    spec = parse_spec(analysed)
    chosen, spans = intent.autonomy(analysed)
    findings: list[Finding] = []
    findings += xy_catalogue.detect(analysed, tuple(spans))
    findings += hypotheses.detect(analysed)
    findings += underspec.detect(analysed, spec)
    findings += examples.detect(analysed, spec)
    findings += behaviour.detect(analysed, spec)
    findings += grounding.detect(analysed, context)
    findings += grounding.existing_for_goals(analysed, findings, context)
    findings += hidden_character_findings(analysed)
    findings = _dedupe(findings)
    if spec is None:  # a prose report that names its code: hedges are hints, not blockers
        findings = specificity.soften(findings, analysed)
    if config is not None:
        from xyguard.analyzers.config import drop_suppressed

        findings = drop_suppressed(config.apply(findings), analysed)
    findings.sort(key=Finding.sort_key)
    layers = intent.infer(analysed, spec, context, findings)
    if goal_state is not None and getattr(goal_state, "objectives", None):
        layers.final_goals = list(dict.fromkeys([*layers.final_goals, *goal_state.objectives]))[:8]
    size = complexity.estimate(analysed, spec)
    needed, asked, codes = question.decide(findings, size)
    return RequestReport(intent=layers, complexity=size, findings=findings, clarify_needed=needed,
                         question=asked, clarify_codes=codes,
                         concretized=concretize(analysed, layers, findings, asked))
