"""The four layers of a request: immediate desire, final goals, background desiderata, autonomy.

Background comes from the text (don't / must / keep / without / only) and,
when a workspace context is given, from the repository (language, libraries,
test setup, naming). Autonomy records explicit choices ("I know about X, but
use Y"): their spans are passed to the XY catalogue so it does not nag about Y.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from xyguard.analyzers.findings import Finding

from ..text.spans import sentences
from .spec import FunctionSpec

# How many declared dependencies the restated request lists, and how long a quoted sentence may be.
MAX_LISTED_DEPENDENCIES = 15

_I = re.IGNORECASE
_CONSTRAINT = re.compile(r"\b(?:don'?t|do not|never|must(?:n'?t| not)?|keep|without|only|avoid|no new|should not|"
                         r"shouldn'?t|preserve|make sure|ensure|required?)\b", _I)
_GOAL = re.compile(r"\b(?:so that|in order to|because I (?:want|need)|the goal is(?: to)?|my goal is(?: to)?|I'?m trying to|"
                   r"we(?:'re| are) trying to|so (?:we|I|users?) can|ultimately)\s+(?P<goal>[^.!?\n]+)", _I)
_AUTONOMY = re.compile(
    r"\b(?:I know (?:about |that )?[^.!?\n]*?,?\s*but\s+[^.!?\n]+|I (?:prefer|want to use|would rather|'d rather|have to use|must use|"
    r"need to use)\s+[^.!?\n]+|(?:deliberately|intentionally|on purpose)[^.!?\n]*|(?:yes|I'm aware|I am aware),?\s+[^.!?\n]*"
    r"(?:anyway|regardless|still)[^.!?\n]*|[^.!?\n]*\b(?:anyway|regardless)\b[^.!?\n]*)", _I)
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


def autonomy(text: str) -> tuple[list[str], list[tuple[int, int]]]:
    found, spans = [], []
    for m in _AUTONOMY.finditer(text):
        found.append(" ".join(m.group(0).split())[:200])
        spans.append((m.start(), m.end()))
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


def runtime_dependencies(context: Any) -> list[str]:
    """What the project itself declares it runs on: the runtime dependencies of its top-level manifests
    (an example app's or a docs folder's manifest is not the project's)."""
    runtime = [d for d in context.dependencies if not d.dev]
    if not runtime:
        return []
    top = min(d.manifest.count("/") for d in runtime)
    return sorted({d.name for d in runtime if d.manifest.count("/") == top})


def repository_background(context: Any) -> list[str]:
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
    if context.all_symbols and any(True for _ in context.all_symbols(public_only=True)):
        out.append("keep existing public signatures compatible")
    return out


def infer(text: str, spec: FunctionSpec | None, context: Any, findings: list[Finding]) -> Intent:
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
