"""Does a change keep a session requirement? One verdict per requirement, with the evidence.

Used twice: by slop creep (a broken requirement is SC305) and by intent
satisfaction (each requirement addressed / not addressed / unknown). The
edit checks have already judged the change; a requirement is mostly a
lens on their findings ("no new dependencies" is broken exactly when
DR205/DR206/DR207 fire), plus the path rules only a session knows
("don't touch billing/", "only change parser.py").
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..context.languages import same_stack
from ..findings import Finding
from ..context.languages import is_test_path
from ..text.identifiers import split_identifier
from ..text.paths import is_doc_path
from .goal_state import Item
from .statements import Facet, content_words

ADDRESSED, NOT_ADDRESSED, UNKNOWN = "addressed", "not addressed", "unknown"

# Requirement facet -> the edit-check codes that break it.
_BREAKING_CODES = {
    ("deps", "none"): ("DR205", "DR206", "DR207"),
    ("api", "stable"): ("DR202",),
    ("tests", "keep"): ("DR208", "DR209"),
}
_CODE_NAMES = {"DR205": "new dependency", "DR206": "undeclared import", "DR207": "removed dependency returns",
               "DR202": "public API break", "DR208": "test removed", "DR209": "test weakened",
               "DR201": "language switch"}


@dataclass
class Verdict:
    status: str
    evidence: list[str] = field(default_factory=list)
    breaking: list[Finding] = field(default_factory=list)  # the edit findings that show the break
    paths: list[str] = field(default_factory=list)  # files that break a path rule


def judge(item: Item, change, findings: list[Finding], skipped: list[dict[str, Any]]) -> Verdict:
    """The verdict for one requirement over one change (`change` is an edits Change)."""
    verdicts = [v for f in item.facets if f.kind == "rule" if (v := _judge_facet(f, change, findings, skipped)) is not None]
    if not verdicts:
        return Verdict(UNKNOWN, ["no automatic check covers this requirement"])
    broken = [v for v in verdicts if v.status == NOT_ADDRESSED]
    if broken:
        return Verdict(NOT_ADDRESSED, [e for v in broken for e in v.evidence],
                       [f for v in broken for f in v.breaking], [p for v in broken for p in v.paths])
    if any(v.status == UNKNOWN for v in verdicts):
        return Verdict(UNKNOWN, [e for v in verdicts for e in v.evidence])
    return Verdict(ADDRESSED, [e for v in verdicts for e in v.evidence])


def _judge_facet(facet: Facet, change, findings: list[Finding], skipped: list[dict[str, Any]]) -> Verdict | None:
    codes = _BREAKING_CODES.get((facet.key, facet.value))
    if codes:
        hits = [f for f in findings if f.code in codes]
        if hits:
            return Verdict(NOT_ADDRESSED, [f"{f.code} {_CODE_NAMES.get(f.code, '')}: {f.message}" for f in hits], hits)
        not_run = [s for s in skipped if s.get("check") in codes]
        if not_run:
            return Verdict(UNKNOWN, [f"{s['check']} could not run: {s['reason']}" for s in not_run])
        return Verdict(ADDRESSED, [f"no {' / '.join(_CODE_NAMES[c] for c in codes)} finding "
                                   f"in {len(change)} changed file(s)"])
    if facet.key == "lang":
        return _judge_language(facet.value, change, findings)
    if facet.key == "avoid":
        return _judge_avoid(facet, change)
    if facet.key == "only":
        return _judge_only(facet, change)
    return None


def _judge_language(lang: str, change, findings: list[Finding]) -> Verdict:
    foreign = [fc.path for fc in change if fc.status != "deleted" and fc.language and not is_doc_path(fc.path)
               and not same_stack(fc.language, lang) and fc.added()]
    switches = [f for f in findings if f.code == "DR201"]
    if foreign or switches:
        evidence = [f"{p} is {_lang_of(change, p)}, not {lang}" for p in foreign]
        evidence += [f"DR201 language switch: {f.message}" for f in switches]
        return Verdict(NOT_ADDRESSED, evidence, switches, foreign)
    return Verdict(ADDRESSED, [f"every changed source file is {lang} (or none is source)"])


def _lang_of(change, path: str) -> str:
    fc = change.get(path)
    return (fc.language if fc else None) or "another language"


def _path_words(path: str) -> set[str]:
    words = {path.lower()}
    for part in path.lower().split("/"):
        stem = part.split(".", 1)[0]
        words.add(part)
        words.add(stem)
        words.update(split_identifier(stem))
    return {content_words(w)[0] if content_words(w) else w for w in words}


def _mentions(words: tuple[str, ...], path: str) -> bool:
    pw = _path_words(path)
    for w in words:
        if "/" in w or "." in w:
            if path.lower() == w or path.lower().endswith("/" + w) or path.lower().startswith(w.rstrip("/") + "/"):
                return True
        elif w in pw:
            return True
    return False


def _judge_avoid(facet: Facet, change) -> Verdict:
    touched = []
    for fc in change:
        if not _mentions(facet.words, fc.path):
            continue
        if facet.value == "remove" and fc.status != "deleted" and not fc.removed():
            continue
        if facet.value in ("modify", "remove") or (facet.value == "add" and fc.added()):
            touched.append(fc.path)
    if touched:
        return Verdict(NOT_ADDRESSED, [f"changes {p}" for p in touched], paths=touched)
    return Verdict(ADDRESSED, [f"no changed file matches {' '.join(facet.words)}"])


def _judge_only(facet: Facet, change) -> Verdict:
    outside = [fc.path for fc in change if not _mentions(facet.words, fc.path)
               and not is_test_path(fc.path) and not is_doc_path(fc.path)]
    if outside:
        return Verdict(NOT_ADDRESSED, [f"also changes {p}" for p in outside], paths=outside)
    return Verdict(ADDRESSED, [f"every changed file matches {' '.join(facet.words)}"])
