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
from xyguard.analyzers.text.spans import mask_quoted_code

from . import complexity, contract, information, kinds, examples, grounding, hypotheses, intent, question, specificity, underspec, xy_catalogue
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
    information: information.Information | None = None  # the request's kind, what it says and what it lacks


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
    prose = mask_quoted_code(analysed)
    kind = kinds.classify(prose, spec)
    _chosen, spans = intent.autonomy(analysed)
    findings: list[Finding] = []
    findings += xy_catalogue.detect(prose, tuple(spans))  # what the request asks, not the code it quotes
    findings += hypotheses.detect(analysed)
    findings += underspec.detect(analysed, spec)
    findings += examples.detect(analysed, spec)
    findings += contract.detect(analysed, spec)
    findings += grounding.detect(analysed, context)
    findings += grounding.existing_for_goals(analysed, findings, context)
    findings += hidden_character_findings(analysed)
    info = information.assess(analysed, prose, kind, spec, grounding.resolved_names(prose, context),
                              grounding.repository_vocabulary(context))
    findings += info.findings
    findings = _dedupe(findings)
    if spec is None:  # a prose report that names its code: hedges are hints, not blockers
        findings = specificity.soften(findings, analysed)
    return Detection(analysed, spec, context, findings, info)


def _target_from_session(detection: Detection, objectives: list[str] | None) -> bool:
    """A follow-up turn ('now make it faster') takes its target from the session's goals: not a gap then."""
    info = detection.information
    return bool(objectives) and info is not None and information.MISSING_TARGET in info.missing


def _asks_for_target(f: Finding) -> bool:
    return f.code == "XY110" and any(r.get("kind") == "missing" and r.get("piece") == information.MISSING_TARGET
                                     for r in f.related)


def build_report(detection: Detection, findings: list[Finding], objectives: list[str] | None = None) -> RequestReport:
    """The report for `findings` (the detection's, filtered, plus any the session added); `objectives` are the
    session's goals, which stay the request's final goals whatever this turn says."""
    recovered = _target_from_session(detection, objectives)
    if recovered:
        findings = [f for f in findings if not _asks_for_target(f)]
    findings = sorted(findings, key=Finding.sort_key)
    layers = intent.infer(detection.text, detection.spec, detection.context, findings)
    if objectives:
        layers.final_goals = list(dict.fromkeys([*layers.final_goals, *objectives]))[:MAX_GOALS]
    size = complexity.estimate(detection.text, detection.spec)
    needed, asked, codes = question.decide(findings, size)
    return RequestReport(intent=layers, complexity=size, findings=findings, clarify_needed=needed,
                         question=asked, clarify_codes=codes,
                         concretized=concretize(detection.text, layers, findings, asked),
                         information=_information_block(detection, recovered))


def _information_block(detection: Detection, recovered: bool) -> dict | None:
    info = detection.information
    if info is None:
        return None
    block = info.to_dict()
    if recovered:
        block["missing"] = [p for p in block["missing"] if p != information.MISSING_TARGET]
        block["present"] = [*block["present"], "target (from the session's goals)"]
    return block


def analyze_request(text: str, context: WorkspaceContext | None = None) -> RequestReport:
    """Every detector's findings, unfiltered, as a report. Front-ends use the pipeline instead."""
    detection = detect(text, context)
    return build_report(detection, detection.findings)
