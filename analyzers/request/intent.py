"""The four layers of a request: immediate desire, final goals, background desiderata, autonomy.

Background comes from the text (don't / must / keep / without / only) and,
when a workspace context is given, from the repository (language, libraries,
test setup, naming). Autonomy records explicit choices ("I know about X, but
use Y"): their spans are passed to the XY catalogue so it does not nag about Y.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, TYPE_CHECKING

from xyguard.analyzers.findings import Finding

from ..text.spans import sentences
from .spec import FunctionSpec

if TYPE_CHECKING:
    from xyguard.analyzers.context.model import WorkspaceContext

# How many declared dependencies the restated request lists, and how long a quoted sentence may be.
MAX_LISTED_DEPENDENCIES = 15

_I = re.IGNORECASE
_CONSTRAINT = re.compile(r"\b(?:don'?t|do not|never|must(?:n'?t| not)?|keep|without|only|avoid|no new|should not|"
                         r"shouldn'?t|preserve|make sure|ensure|required?)\b", _I)
_GOAL = re.compile(r"\b(?:so that|in order to|because I (?:want|need)|the goal is(?: to)?|my goal is(?: to)?|I'?m trying to|"
                   r"we(?:'re| are) trying to|so (?:we|I|users?) can|ultimately)\s+(?P<goal>[^.!?\n]+)", _I)
# Explicit choices, found per sentence by where they start; the choice runs to the sentence's end. (One
# pattern with "[^.!?]*" runs from every start to the sentence end: quadratic on text without punctuation.)
_CHOICE_START = re.compile(r"\bI (?:prefer|want to use|would rather|'d rather|have to use|must use|need to use)\s|"
                           r"\b(?:deliberately|intentionally|on purpose)\b", _I)
_KNOW_BUT = re.compile(r"\bI know\b", _I)
_BUT = re.compile(r"\bbut\s", _I)
_AWARE = re.compile(r"\b(?:yes|I'm aware|I am aware)\b", _I)
_STILL = re.compile(r"\b(?:anyway|regardless|still)\b", _I)
_ANYWAY = re.compile(r"\b(?:anyway|regardless)\b", _I)
_FILLER = re.compile(r"^\W*(?:hi|hello|hey|please|can you|could you|would you|I want you to|I need you to)\W+", _I)


@dataclass
class Intent:
    immediate: str
    final_goals: list[str] = field(default_factory=list)
    background: list[str] = field(default_factory=list)
    autonomy: list[str] = field(default_factory=list)
    autonomy_spans: list[tuple[int, int]] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {"immediate": self.immediate, "final_goals": self.final_goals, "background": self.background,
                "autonomy": self.autonomy}


def _choice_in(sentence: str) -> int | None:
    """Where an explicit choice starts in one sentence, or None. Each test is one left-to-right scan."""
    know = _KNOW_BUT.search(sentence)
    if know and _BUT.search(sentence, know.end()):
        return know.start()
    start = _CHOICE_START.search(sentence)
    if start:
        return start.start()
    aware = _AWARE.search(sentence)
    if aware and _STILL.search(sentence, aware.end()):
        return aware.start()
    if _ANYWAY.search(sentence):
        return len(sentence) - len(sentence.lstrip())
    return None


def autonomy(text: str) -> tuple[list[str], list[tuple[int, int]]]:
    found, spans = [], []
    for start, end in sentences(text):
        sentence = text[start:end].rstrip(".!?\n \t")
        at = _choice_in(sentence)
        if at is None:
            continue
        found.append(" ".join(sentence[at:].split())[:200])
        spans.append((start + at, start + len(sentence)))
    return found, spans


def _immediate(text: str, spec: FunctionSpec | None) -> str:
    if spec is not None:
        description = spec.description or ""
        first = next(iter(sentences(description)), None)
        what = " ".join(description[first[0]:first[1]].split()) if first else "(no description)"
        params = ", ".join(spec.params) or "..."
        return f"implement {spec.name}({params}): {what}"[:240]
    for start, end in sentences(text):
        sentence = " ".join(text[start:end].split())
        if len(sentence) > 3:
            return _FILLER.sub("", sentence)[:240]
    return ""


def runtime_dependencies(context: WorkspaceContext) -> list[str]:
    """What the project itself declares it runs on: the runtime dependencies of its top-level manifests
    (an example app's or a docs folder's manifest is not the project's)."""
    runtime = [d for d in context.dependencies if not d.dev]
    if not runtime:
        return []
    top = min(d.manifest.count("/") for d in runtime)
    return sorted({d.name for d in runtime if d.manifest.count("/") == top})


def repository_background(context: WorkspaceContext | None) -> list[str]:
    if context is None:
        return []
    out = []
    primary = context.primary_language()
    if primary:
        share = context.language_share(primary)
        out.append(f"written in {primary} ({share:.0%} of the code); keep changes in {primary}")
    names = runtime_dependencies(context)
    if names:
        listed = ", ".join(names[:MAX_LISTED_DEPENDENCIES]) + (", …" if len(names) > MAX_LISTED_DEPENDENCIES else "")
        out.append("declared dependencies: " + listed + "; add no new ones unless asked")
    conv = context.conventions
    if conv.test_frameworks:
        out.append("tests use " + ", ".join(conv.test_frameworks) + (f" in {', '.join(conv.test_dirs)}" if conv.test_dirs else ""))
    if primary and conv.naming.get(primary):
        style = ", ".join(f"{k}s {v}" for k, v in sorted(conv.naming[primary].items()))
        out.append(f"naming: {style}")
    if any(True for _ in context.all_symbols(public_only=True)):
        out.append("keep existing public signatures compatible")
    return out


def infer(text: str, spec: FunctionSpec | None, context: WorkspaceContext | None, findings: list[Finding]) -> Intent:
    goals = [" ".join(m.group("goal").split())[:200] for m in _GOAL.finditer(text)]
    for f in findings:
        if f.goal and f.goal not in goals:
            goals.append(f.goal)
    stated = []
    source = text if spec is None else spec.description
    for start, end in sentences(source):
        sentence = " ".join(source[start:end].split())
        if _CONSTRAINT.search(sentence) and sentence not in stated:
            stated.append(sentence[:200])
    chosen, spans = autonomy(text)
    return Intent(immediate=_immediate(text, spec), final_goals=goals[:5],
                  background=stated[:8] + repository_background(context), autonomy=chosen, autonomy_spans=spans)
