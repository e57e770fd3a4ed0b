"""Request analysis in two steps: `detect` runs every detector, `build_report` turns the findings that
survive (configuration, suppressions, the session) into the report: intent layers, one question, a restatement.

The pipeline (analyzers/pipeline.py) runs the steps with the filtering in between; `analyze_request`
runs them back to back for callers that want the raw analysis of one text.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from xyguard.analyzers.context.model import WorkspaceContext
from xyguard.analyzers.findings import Finding
from xyguard.analyzers.text.hidden import hidden_character_findings

from . import complexity, contract, examples, grounding, hypotheses, intent, question, specificity, underspec, xy_catalogue
from .concretize import concretize
from .request_report import RequestReport
from .spec import FunctionSpec, parse_spec

MAX_CHARS = 200_000  # beyond this only the head is analysed; nobody writes a longer request by hand
MAX_GOALS = 8


@dataclass
class Detection:
    """What the detectors found in one request text, before anything is filtered."""

    text: str  # the analysed text (NULs removed, capped at MAX_CHARS)
    spec: FunctionSpec | None
    context: WorkspaceContext | None
    findings: list[Finding] = field(default_factory=list)


def _dedupe(findings: list[Finding]) -> list[Finding]:
    seen, out = set(), []
    for f in findings:
        key = (f.code, f.evidence)
        if key not in seen:
            seen.add(key)
            out.append(f)
    return out


def detect(text: str, context: WorkspaceContext | None = None) -> Detection:
    analysed = (text or "").replace("\0", "")[:MAX_CHARS]
    spec = parse_spec(analysed)
    _chosen, spans = intent.autonomy(analysed)
    findings: list[Finding] = []
    findings += xy_catalogue.detect(analysed, tuple(spans))
    findings += hypotheses.detect(analysed)
    findings += underspec.detect(analysed, spec)
    findings += examples.detect(analysed, spec)
    findings += contract.detect(analysed, spec)
    findings += grounding.detect(analysed, context)
    findings += grounding.existing_for_goals(analysed, findings, context)
    findings += hidden_character_findings(analysed)
    findings = _dedupe(findings)
    if spec is None:  # a prose report that names its code: hedges are hints, not blockers
        findings = specificity.soften(findings, analysed)
    return Detection(analysed, spec, context, findings)


def build_report(detection: Detection, findings: list[Finding], objectives: list[str] | None = None) -> RequestReport:
    """The report for `findings` (the detection's, filtered, plus any the session added); `objectives` are the
    session's goals, which stay the request's final goals whatever this turn says."""
    findings = sorted(findings, key=Finding.sort_key)
    layers = intent.infer(detection.text, detection.spec, detection.context, findings)
    if objectives:
        layers.final_goals = list(dict.fromkeys([*layers.final_goals, *objectives]))[:MAX_GOALS]
    size = complexity.estimate(detection.text, detection.spec)
    needed, asked, codes = question.decide(findings, size)
    return RequestReport(intent=layers, complexity=size, findings=findings, clarify_needed=needed,
                         question=asked, clarify_codes=codes,
                         concretized=concretize(detection.text, layers, findings, asked))


def analyze_request(text: str, context: WorkspaceContext | None = None) -> RequestReport:
    """Every detector's findings, unfiltered, as a report. Front-ends use the pipeline instead."""
    detection = detect(text, context)
    return build_report(detection, detection.findings)
