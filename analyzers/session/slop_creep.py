"""Slop creep: drift that no single edit shows but a session accumulates.

Each checked edit leaves a record (public API changes, files touched
outside the session's objectives, duplicated lines added, files rewritten,
requirements broken). The session's totals and the trend of a per-edit
drift score decide SC301-SC304 when a threshold is crossed; a broken
session requirement is SC305 straight away.
"""

from __future__ import annotations

import hashlib
import time
from typing import Any

from .. import rules
from ..text.code import defined_name
from ..text.identifiers import MEANINGFUL_PART, split_identifier
from ..text.paths import is_doc_path, module_stem
from ..findings import Finding
from .goal_state import GoalState
from .requirements import NOT_ADDRESSED, judge
from .statements import ASK_VERBS, content_words

# Thresholds over the whole session. Each finding also needs the current edit to contribute.
API_CHANGES = 3  # public API changes in total ...
API_EDITS = 2  # ... or API changes in this many separate edits
OUTSIDE_FILES = 3  # distinct files outside the objectives ...
OUTSIDE_EDITS = 2  # ... spread over at least this many edits
DUPLICATED_LINES = 20
REWRITES_OF_SAME_FILE = 2
TREND_WINDOW = 6
MAX_SEEN_LINES = 20000
MIN_DUP_LINE = 12  # shorter lines ('return None', '}') repeat legitimately


def line_key(text: str) -> str | None:
    norm = " ".join(text.split())
    if len(norm) < MIN_DUP_LINE or not any(c.isalpha() for c in norm):
        return None
    return hashlib.blake2b(norm.encode("utf-8", "surrogatepass"), digest_size=8).hexdigest()


def fingerprint(change) -> str:
    h = hashlib.blake2b(digest_size=12)
    for fc in change:
        h.update(fc.path.encode("utf-8", "surrogatepass") + b"\0" + fc.status.encode())
        for line in fc.added() + fc.removed():
            h.update(line.kind.encode() + line.text.encode("utf-8", "surrogatepass") + b"\n")
    return h.hexdigest()


# ---- one edit's record -----------------------------------------------------------------------


def objective_words(state: GoalState) -> set[str]:
    words: set[str] = set()
    for cat in ("objectives", "requirements"):
        for item in getattr(state, cat):
            if item.status in ("active", "pending"):
                words.update(content_words(item.text))
                words.update(p for w in content_words(item.text) for p in split_identifier(w) if len(p) >= MEANINGFUL_PART)
    return words - ASK_VERBS


def file_words(fc, context) -> set[str]:
    """What a changed file is 'about': its path parts and the names it defines or the diff touches."""
    words: set[str] = {fc.path.lower(), fc.path.lower().rsplit("/", 1)[-1]}
    for part in fc.path.lower().split("/"):
        stem = part.split(".", 1)[0]
        words.add(stem)
        words.update(split_identifier(stem))
    stem = module_stem(fc.path).lower()
    for affix in ("test_", "_test", "tests", ".test", ".spec"):
        stem = stem.replace(affix, "")
    words.add(stem)
    names: set[str] = set()
    for hunk in fc.hunks:
        names.update(w for w in hunk.header.replace("(", " ").split() if w.isidentifier())
        for line in hunk.lines:
            found = defined_name(line.text, fc.language)
            if found:
                names.add(found[1])
    if context is not None:
        names.update(s.name for s in context.symbols.get(fc.path, []))
    for name in names:
        words.add(name.lower())
        words.update(split_identifier(name))
    return {content_words(w)[0] if content_words(w) else w for w in words}


def outside_files(change, state: GoalState, context) -> list[str] | None:
    """Changed files unrelated to the session's objectives; None when there are no objectives to judge by."""
    wanted = objective_words(state)
    if not wanted:
        return None
    out = []
    for fc in change:
        if is_doc_path(fc.path):
            continue
        if file_words(fc, context) & wanted:
            continue
        out.append(fc.path)
    return out


def duplicated_lines(change, state: GoalState, findings: list[Finding]) -> tuple[int, dict[str, str]]:
    """Lines this edit adds twice, or adds again in another file than an earlier edit did, or that DR211 matched.

    Per file the larger of our count and DR211's is taken, so a paste both notice is counted once.
    """
    count = 0
    new_seen: dict[str, str] = {}
    copied: dict[str, int] = {}
    for f in findings:
        if f.code == "DR211" and f.path and f.range is not None:
            copied[f.path] = copied.get(f.path, 0) + max(1, f.range.end.line - f.range.start.line)
    for fc in change:
        if is_doc_path(fc.path):
            continue
        repeats = 0
        for line in fc.added():
            key = line_key(line.text)
            if key is None:
                continue
            earlier = state.seen_lines.get(key)
            if key in new_seen or (earlier is not None and earlier != fc.path):
                repeats += 1
            new_seen.setdefault(key, fc.path)
        count += max(repeats, copied.pop(fc.path, 0))
    return count + sum(copied.values()), new_seen


def edit_record(change, report_findings: list[Finding], state: GoalState, context) -> tuple[dict[str, Any], dict[str, str]]:
    api = sum(1 for f in report_findings if f.code == "DR202")
    outside = outside_files(change, state, context)
    dup, seen = duplicated_lines(change, state, report_findings)
    rewritten = sorted({f.path for f in report_findings if f.code == "DR204" and f.path})
    record = {
        "fingerprint": fingerprint(change),
        "turn": state.turn_count,
        "time": time.time(),
        "files": [fc.path for fc in change][:200],
        "added": sum(len(fc.added()) for fc in change),
        "removed": sum(len(fc.removed()) for fc in change),
        "api_changes": api,
        "outside": outside if outside is not None else [],
        "objectives_known": outside is not None,
        "duplicated": dup,
        "rewritten": rewritten,
    }
    record["score"] = drift_score(record)
    return record, seen


def drift_score(record: dict[str, Any]) -> float:
    """One number per edit so a trend can be read: API breaks and rewrites weigh most."""
    return 3.0 * record["api_changes"] + len(record["outside"]) + record["duplicated"] / 10 + 2.0 * len(record["rewritten"])


# ---- the session view --------------------------------------------------------------------------


def trend(records: list[dict[str, Any]]) -> str:
    """'rising' / 'falling' / 'steady' over the last edits ('n/a' with fewer than two)."""
    scores = [r.get("score", 0.0) for r in records[-TREND_WINDOW:]]
    if len(scores) < 2:
        return "n/a"
    half = len(scores) // 2
    first = sum(scores[:half]) / half
    second = sum(scores[half:]) / (len(scores) - half)
    if second > first * 1.25 and second - first >= 1:
        return "rising"
    if second < first * 0.8 and first - second >= 1:
        return "falling"
    return "steady"


def totals(records: list[dict[str, Any]]) -> dict[str, Any]:
    rewrites: dict[str, int] = {}
    for r in records:
        for p in r.get("rewritten", []):
            rewrites[p] = rewrites.get(p, 0) + 1
    outside = sorted({p for r in records for p in r.get("outside", [])})
    return {
        "edits": len(records),
        "api_changes": sum(r.get("api_changes", 0) for r in records),
        "api_edits": sum(1 for r in records if r.get("api_changes")),
        "outside_files": outside,
        "outside_edits": sum(1 for r in records if r.get("outside")),
        "duplicated": sum(r.get("duplicated", 0) for r in records),
        "rewrites": rewrites,
        "added": sum(r.get("added", 0) for r in records),
        "removed": sum(r.get("removed", 0) for r in records),
        "trend": trend(records),
        "scores": [round(r.get("score", 0.0), 2) for r in records[-TREND_WINDOW:]],
    }


def creep_findings(records: list[dict[str, Any]]) -> list[Finding]:
    """SC301-SC304 for the newest record, when the session's totals cross a threshold it contributed to."""
    if not records:
        return []
    last = records[-1]
    t = totals(records)
    trend_note = f" (drift trend: {t['trend']}, per-edit scores {t['scores']})" if t["trend"] != "n/a" else ""
    out: list[Finding] = []
    if last["api_changes"] and (t["api_changes"] >= API_CHANGES or t["api_edits"] >= API_EDITS):
        out.append(rules.make(
            "SC301", f"{t['api_changes']} public API changes over {t['api_edits']} of {t['edits']} edits in this "
                     f"session{trend_note}.",
            evidence=f"this edit: {last['api_changes']} DR202 finding(s)",
            question="Are these API changes part of what you want, or should the public interface stay as it was?"))
    if last["outside"] and len(t["outside_files"]) >= OUTSIDE_FILES and t["outside_edits"] >= OUTSIDE_EDITS:
        out.append(rules.make(
            "SC302", f"{len(t['outside_files'])} files outside the session's objectives have been changed over "
                     f"{t['outside_edits']} edits{trend_note}.",
            evidence="outside: " + ", ".join(t["outside_files"][:8]),
            question="Should the session's work extend to these files, or stay with the stated objectives?"))
    if last["duplicated"] and t["duplicated"] >= DUPLICATED_LINES:
        out.append(rules.make(
            "SC303", f"{t['duplicated']} duplicated lines added over {t['edits']} edits{trend_note}.",
            evidence=f"this edit: {last['duplicated']} duplicated line(s)",
            fix="Reuse or extract the repeated code instead of pasting it again."))
    for path in last["rewritten"]:
        if t["rewrites"].get(path, 0) >= REWRITES_OF_SAME_FILE:
            out.append(rules.make(
                "SC304", f"{path} has been rewritten wholesale in {t['rewrites'][path]} edits this session{trend_note}.",
                evidence=path, path=None,
                question=f"Is repeatedly rewriting {path} converging, or should the next edit be a smaller fix?"))
    return out


def violation_findings(state: GoalState, change, report_findings: list[Finding],
                       skipped: list[dict[str, Any]]) -> list[Finding]:
    """SC305 for each session requirement (or repository policy) the change breaks."""
    out: list[Finding] = []
    for cat in ("requirements", "policy"):
        for item in state.active(cat):
            verdict = judge(item, change, report_findings, skipped)
            if verdict.status != NOT_ADDRESSED:
                continue
            where = item.source or f"turn {item.turn}"
            if verdict.breaking:
                for f in verdict.breaking:
                    out.append(rules.make(
                        "SC305", f"Breaks the session requirement from {where}: \"{item.text}\" ({f.code}: {f.message})",
                        evidence=f.evidence, path=f.path, range=f.range,
                        related=[{"turn": item.turn, "text": item.text, "source": item.source, "finding": f.code}]))
            for path in verdict.paths:
                if any(f.path == path for f in verdict.breaking):
                    continue
                out.append(rules.make(
                    "SC305", f"Changes {path}, which the session requirement from {where} rules out: \"{item.text}\".",
                    evidence=item.text, path=path,
                    related=[{"turn": item.turn, "text": item.text, "source": item.source}]))
    return out


def record(state: GoalState, change, report_findings: list[Finding], skipped: list[dict[str, Any]],
           context) -> list[Finding]:
    """Add this edit to the session (re-checking the same change replaces its record) and return SC3xx findings."""
    rec, seen = edit_record(change, report_findings, state, context)
    state.edits = [r for r in state.edits if r.get("fingerprint") != rec["fingerprint"]]
    state.edits.append(rec)
    for key, path in seen.items():
        state.seen_lines.setdefault(key, path)
    if len(state.seen_lines) > MAX_SEEN_LINES:
        state.seen_lines = dict(list(state.seen_lines.items())[-MAX_SEEN_LINES:])
    return creep_findings(state.edits) + violation_findings(state, change, report_findings, skipped)
