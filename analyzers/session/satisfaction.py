"""Intent satisfaction: was the underlying goal addressed? — kept apart from "is the change good?".

For each objective: does the change do what it asks (the names and words
it mentions appear where the verb says they should: renamed from/to,
added, removed, or changed at all)? For each requirement: does the change
keep it (requirements.judge)? Each gets addressed / not addressed /
unknown with the evidence. The edit checks' findings are reported
beside this, as the separate answer to "is the change good?".
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from ..context.languages import is_test_path

from ..text.code import defined_name

from ..text.identifiers import split_identifier
from ..findings import Finding, at_or_above
from .goal_state import GoalState, Item
from .requirements import ADDRESSED, NOT_ADDRESSED, UNKNOWN, judge
from .statements import ASK_VERBS, STOPWORDS, content_words

# Words that say what kind of work it is, not what it is about.
_GENERIC = frozenset("""
bug bugs issue issues error errors problem problems feature support way case cases work works working thing
broken wrong correct correctly properly better faster slower new old current existing something everything
make sure should must need want like it's code test tests
""".split()) | ASK_VERBS | STOPWORDS
_IDENT = re.compile(r"`([^`]{2,80})`|\b([A-Za-z_][A-Za-z0-9_]*(?:[._/][A-Za-z0-9_]+)+|[a-z]+_[a-z0-9_]+|"
                    r"[a-z]+[A-Z][A-Za-z0-9]*|[A-Z][a-z]+[A-Z][A-Za-z0-9]*)\b")
_PATH = re.compile(r"/|\.(?:py|pyi|js|jsx|ts|tsx|go|rs|java|kt|rb|php|c|h|cc|cpp|hpp|cs|swift|md|rst|toml|json|ya?ml|cfg|ini|txt|sh)$")
_RENAME = re.compile(r"\brename\s+.*?`?([A-Za-z_][\w.]*)`?(?:\(\))?\s+(?:to|as|into)\s+`?([A-Za-z_][\w.]*)", re.IGNORECASE)
_REMOVE = re.compile(r"^\W*(?:please\s+)?(?:remove|delete|drop|get rid of)\b", re.IGNORECASE)
_ADD = re.compile(r"^\W*(?:please\s+)?(?:add|implement|create|write|introduce|support|build|generate|expose)\b", re.IGNORECASE)
_TEST = re.compile(r"\b(?:tests?|unit[- ]tests?|coverage|cover)\b", re.IGNORECASE)
_LEAD = re.compile(r"^(?:(?:also|and|then|now|next|so|ok(?:ay)?|please|can you|could you|would you|i want you to|"
                   r"i need you to|i'd like you to|let'?s)\s+)+", re.IGNORECASE)


@dataclass
class Judgement:
    text: str
    turn: int
    status: str
    evidence: list[str] = field(default_factory=list)
    source: str | None = None

    def to_dict(self) -> dict[str, Any]:
        out = {"text": self.text, "turn": self.turn, "status": self.status, "evidence": self.evidence[:8]}
        if self.source:
            out["source"] = self.source
        return out


def terms_of(text: str) -> tuple[list[str], list[str]]:
    """(identifiers, content words) an objective is about."""
    idents = []
    for m in _IDENT.finditer(text):
        token = (m.group(1) or m.group(2)).strip("()")
        if token.lower() not in _GENERIC and token not in idents:
            idents.append(token)
    words = [w for w in content_words(text) if w not in _GENERIC and not any(w == i.lower() for i in idents)]
    return idents, words


class _ChangeText:
    """The searchable sides of a change: added text, removed text, paths, enclosing names."""

    def __init__(self, change):
        self.change = change
        self.added = {fc.path: "\n".join(ln.text for ln in fc.added()) for fc in change}
        self.removed = {fc.path: "\n".join(ln.text for ln in fc.removed()) for fc in change}
        self.headers = {fc.path: " ".join(h.header for h in fc.hunks) for fc in change}
        self.defined = {fc.path: {d[1] for ln in fc.added() for d in [defined_name(ln.text, fc.language)] if d}
                        for fc in change}

    def where(self, token: str, side: str) -> list[str]:
        """'path (+ line)' evidence for a token on one side ('+', '-', or 'any' incl. paths and headers)."""
        if _PATH.search(token):
            low = token.lower().lstrip("./")
            return [f"{fc.path}: {fc.status}" for fc in self.change
                    if fc.path.lower() == low or fc.path.lower().endswith("/" + low)
                    or fc.path.lower().startswith(low.rstrip("/") + "/")]
        pattern = re.compile(r"(?<![A-Za-z0-9_])" + re.escape(token) + r"(?![A-Za-z0-9_])", re.IGNORECASE)
        hits = []
        for fc in self.change:
            lines = []
            if side in ("+", "any"):
                lines += [("+", ln) for ln in fc.added()]
            if side in ("-", "any"):
                lines += [("-", ln) for ln in fc.removed()]
            for kind, ln in lines:
                if pattern.search(ln.text):
                    no = ln.new_no if kind == "+" else ln.old_no
                    hits.append(f"{fc.path}:{no} {kind} {' '.join(ln.text.split())[:100]}")
                    break
            else:
                if side == "any" and (pattern.search(fc.path) or pattern.search(self.headers[fc.path])):
                    hits.append(f"{fc.path}: changes {'code in ' + token if pattern.search(self.headers[fc.path]) else 'this file'}")
                elif side == "any" and token.lower() in {p for p in split_identifier(fc.path.rsplit('/', 1)[-1].split('.')[0])}:
                    hits.append(f"{fc.path}: changes this file")
        return hits


def judge_objective(item: Item, change) -> Judgement:
    text = _LEAD.sub("", item.text.strip())
    ct = _ChangeText(change)
    j = Judgement(item.text, item.turn, UNKNOWN)
    if len(change) == 0:
        j.status, j.evidence = NOT_ADDRESSED, ["the change is empty"]
        return j
    m = _RENAME.search(text)
    if m:
        old, new = m.group(1).split(".")[-1], m.group(2).split(".")[-1]
        gone, came = ct.where(old, "-"), ct.where(new, "+")
        j.evidence = [f"removes {old}: {e}" for e in gone[:2]] + [f"adds {new}: {e}" for e in came[:2]]
        j.status = ADDRESSED if gone and came else NOT_ADDRESSED if not gone and not came else UNKNOWN
        if j.status == NOT_ADDRESSED:
            j.evidence = [f"neither {old} removed nor {new} added anywhere in the change"]
        return j
    idents, words = terms_of(text)
    if _TEST.search(text) and _ADD.search(text):
        test_files = [fc.path for fc in change if is_test_path(fc.path) and fc.added()]
        if not test_files:
            j.status, j.evidence = NOT_ADDRESSED, ["no test file gains lines"]
            return j
        hits = [h for t in idents + words for h in ct.where(t, "+") if is_test_path(h.split(":", 1)[0])]
        j.status = ADDRESSED if hits or not (idents or words) else UNKNOWN
        j.evidence = (hits or [f"adds lines to {p}" for p in test_files])[:4]
        return j
    side = "-" if _REMOVE.search(text) else "+" if _ADD.search(text) else "any"
    if not idents and not words:
        j.evidence = ["the objective names nothing the change could be matched against"]
        return j
    found_idents = {t: ct.where(t, side) for t in idents}
    found_words = {w: ct.where(w, "any") for w in words}
    ident_hits = [t for t, h in found_idents.items() if h]
    word_hits = [w for w, h in found_words.items() if h]
    j.evidence = [e for t in ident_hits for e in found_idents[t][:2]] + [e for w in word_hits for e in found_words[w][:1]]
    if idents and len(ident_hits) == len(idents) or not idents and words and len(word_hits) * 2 >= len(words):
        j.status = ADDRESSED
    elif not ident_hits and not word_hits:
        j.status = NOT_ADDRESSED
        j.evidence = [f"nothing in the change mentions {', '.join((idents + words)[:6])}"
                      + (" on the side the objective implies" if side != "any" else "")]
    else:
        missing = [t for t in idents if not found_idents[t]] + [w for w in words if not found_words[w]]
        j.evidence.append(f"not found: {', '.join(missing[:6])}")
    return j


def _overall(judgements: list[Judgement]) -> str:
    statuses = [j.status for j in judgements]
    if not statuses or all(s == UNKNOWN for s in statuses):
        return UNKNOWN
    if all(s == ADDRESSED for s in statuses):
        return ADDRESSED
    if all(s == NOT_ADDRESSED for s in statuses if s != UNKNOWN) and ADDRESSED not in statuses:
        return NOT_ADDRESSED
    return "partially addressed"


def _counts(judgements: list[Judgement]) -> dict[str, int]:
    return {s: sum(1 for j in judgements if j.status == s) for s in (ADDRESSED, NOT_ADDRESSED, UNKNOWN)}


def satisfaction(state: GoalState, change, findings: list[Finding], skipped: list[dict[str, Any]],
                 summary: dict[str, Any] | None = None, fail_level: str = "warning") -> dict[str, Any]:
    objectives = [judge_objective(i, change) for i in state.active("objectives")]
    requirements = []
    for cat in ("requirements", "policy"):
        for item in state.active(cat):
            v = judge(item, change, findings, skipped)
            requirements.append(Judgement(item.text, item.turn, v.status, v.evidence, item.source))
    checkable = [r for r in requirements if r.status != UNKNOWN or not r.source]
    problems = [f for f in findings if at_or_above(f.severity, fail_level)]
    return {
        "session": state.session,
        "turns": state.turn_count,
        "goal": {
            "question": "Was the underlying goal addressed?",
            "status": _overall(objectives),
            "objectives": _counts(objectives),
            "requirements": _counts(checkable),
            "requirements_kept": not any(r.status == NOT_ADDRESSED for r in requirements),
        },
        "objectives": [j.to_dict() for j in objectives],
        "requirements": [j.to_dict() for j in checkable],
        "change": {
            "question": "Is the change good?",
            "ok": not problems,
            "findings": [f.to_dict() for f in findings],
            "summary": summary or {},
            "skipped": skipped,
        },
        "open_conflicts": [c.to_dict() for c in state.open_conflicts()],
    }
