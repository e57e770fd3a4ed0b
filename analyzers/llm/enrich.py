"""The LLM's judgment on top of the offline result — never instead of it.

`enrich_request` and `enrich_edit` take the offline report (as its JSON
dict) and return a copy that may hold extra findings. Nothing the offline
analysis found is removed or rewritten: the clarifying question, the
concretized request and the intent stay the offline text, and what the
model proposes instead goes beside them, in `llm.proposals`. Everything the
model wrote is marked as its own (`"source": "llm"` on findings) and is
checked for instructions to the reader (instructions.py) first: a finding
or proposal holding a command, a URL or "ignore previous instructions" is
withheld, and `llm.withheld` says which field and why. When no model is
configured, or the model is down, slow, or answers with something that does
not match the schema (too long or too deeply nested included), the offline
report comes back unchanged apart from `"llm": {"used": false, "note":
"llm: not used (<reason>)"}`, within the configured deadline.
"""

from __future__ import annotations

import copy
import json
import logging
import re
from typing import Any, TYPE_CHECKING

from .. import rules
from ..findings import Finding, Range, span_range
from .client import LLMUnavailable, complete
from .instructions import instruction_signs
from .payload import Payload
from .schemas import SCHEMAS, SchemaError, parse_reply

if TYPE_CHECKING:
    from xyguard.analyzers.context.model import WorkspaceContext
    from xyguard.analyzers.config import Config

log = logging.getLogger("xyguard.llm")

# Codes the model may add: its judgment covers the request and the edit, not our session or safety checks.
REQUEST_CODES = tuple(c for c in rules.RULES if c.startswith("XY1") and c not in ("XY107", "XY120"))
EDIT_CODES = tuple(c for c in rules.RULES if c.startswith("DR2"))
MAX_SYMBOLS = 30


def _note(report: dict[str, Any], used: bool, reason: str, model: str | None = None, added: int = 0,
          **extra: Any) -> dict[str, Any]:
    note = f"llm: used ({model}, {added} finding(s) added)" if used else f"llm: not used ({reason})"
    withheld = extra.get("withheld")
    if used and withheld:
        note += f"; {len(withheld)} part(s) of its reply withheld"
    report["llm"] = {"used": used, "model": model, "added": added, "note": note, **extra}
    return report


class _Screen:
    """What the model wrote, checked field by field; the withheld parts are listed with the reason."""

    def __init__(self, given: str = ""):
        self.withheld: list[dict[str, str]] = []
        self.given = given  # text the user gave us: quoting it back is not the model's instruction

    def ok(self, where: str, text: Any) -> bool:
        if not isinstance(text, str) or not text:
            return True
        signs = instruction_signs(text)
        if signs:
            self.withheld.append({"field": where, "reason": "; ".join(signs)})
            log.warning("withheld the model's %s: %s", where, "; ".join(signs))
        return not signs

    def text(self, where: str, text: Any) -> Any:
        return text if self.ok(where, text) else None


class _NotUsed(Exception):
    """The model gave nothing usable; the message is the reason the report's note gives."""


def _ask(name: str, payload: Payload, config, **values: str) -> dict[str, Any]:
    """One schema-valid reply to the `name` prompt, or _NotUsed with the reason."""
    instructions = _render(name, schema=json.dumps(SCHEMAS[name]), **values)
    try:
        return parse_reply(complete(payload.messages(instructions), config.llm), name)
    except SchemaError as exc:
        raise _NotUsed(f"reply rejected: {exc}") from None
    except LLMUnavailable as exc:
        raise _NotUsed(str(exc)) from None


def _offline_summary(findings: list[dict[str, Any]]) -> str:
    if not findings:
        return "(none)"
    return "\n".join(f"- {f['code']}: {f['message']}" for f in findings[:20])


def _context_sections(payload: Payload, context, text: str) -> None:
    if context is None:
        return
    facts = {"primary_language": context.primary_language(), "languages": sorted(context.languages),
             "dependencies": sorted(context.dependency_names())[:60]}
    payload.add("repository facts (JSON)", json.dumps(facts))
    words = {w.lower() for w in re.findall(r"[A-Za-z_]\w{2,}", text)}
    related = [s for s in context.all_symbols(public_only=True)
               if s.name.lower() in words or any(p in words for p in s.name.lower().split("_") if len(p) > 3)]
    if related:
        payload.add("public symbols the request may refer to",
                    "\n".join(f"{s.path}: {s.signature}" for s in related[:MAX_SYMBOLS]))
    decisions = context.history.decisions[:10]
    if decisions:
        payload.add("design decisions from git history", "\n".join(f"{d.sha[:10]} {d.subject}" for d in decisions))


def _llm_finding(item: dict[str, Any], model: str, allowed: tuple[str, ...], screen: _Screen, where: str,
                 text: str | None = None, paths: set[str] | None = None) -> Finding | None:
    code = item["code"].upper()
    if code not in allowed:
        return None
    evidence = item.get("evidence", "")
    quoted = bool(evidence) and evidence in screen.given
    if not (screen.ok(f"{where}.message", item["message"]) and screen.ok(f"{where}.question", item.get("question"))
            and (quoted or screen.ok(f"{where}.evidence", evidence))):
        return None
    rng = None
    path = item.get("path")
    if paths is not None:
        if path not in paths:
            return None
        line = item.get("line")
        rng = Range.lines(line - 1) if isinstance(line, int) and line > 0 else None
    elif text is not None and evidence and evidence in text:
        start = text.index(evidence)
        rng = span_range(text, start, start + len(evidence))
    return rules.make(code, "[llm] " + item["message"], evidence=evidence, path=path if paths is not None else None,
                      range=rng, question=item.get("question") or None, related=[{"source": "llm", "model": model}],
                      source="llm")


def _consult(report: dict[str, Any], prompt: str, payload: Payload, config, codes: tuple[str, ...], screen: _Screen,
             **scope: Any) -> tuple[dict[str, Any], int]:
    """Ask the model with the offline findings as context; merge the findings it adds. Raises _NotUsed."""
    reply = _ask(prompt, payload, config, offline=_offline_summary(report["findings"]), codes=", ".join(codes))
    found = (_llm_finding(item, config.llm.model, codes, screen, f"findings[{i}]", **scope)
             for i, item in enumerate(reply["findings"]))
    return reply, _merge(report, [f for f in found if f], config)


def _merge(report: dict[str, Any], new: list[Finding], config) -> int:
    if config is not None:
        new = config.apply(new)
    have = {(f["code"], f.get("path"), f.get("evidence", "")) for f in report["findings"]}
    added = 0
    for f in new:
        key = (f.code, f.path, f.evidence)
        if key not in have:
            report["findings"].append(f.to_dict())
            have.add(key)
            added += 1
    return added


def enrich_request(report: dict[str, Any], text: str, context: WorkspaceContext | None = None, config: Config | None = None) -> dict[str, Any]:
    """The request report with the model's findings added and its question and rewrite proposed beside ours."""
    report = copy.deepcopy(report)
    report.setdefault("findings", [])  # hidden characters (XY120) are already reported offline
    if config is None or not config.llm.enabled:
        return _note(report, False, "no model configured")
    payload = Payload()
    payload.add("the user's request", text)
    _context_sections(payload, context, text)
    screen = _Screen(text)
    try:
        reply, added = _consult(report, "decompose_request", payload, config, REQUEST_CODES, screen, text=text)
    except _NotUsed as exc:
        return _note(report, False, str(exc))
    # The model proposes; the offline question, concretized request and intent stay as they are (an agent reading
    # `concretized` must get our text, not whatever the endpoint chose to write there).
    proposals = {
        "source": "llm",
        "needs_clarification": bool(reply.get("needs_clarification")),
        "question": screen.text("question", reply.get("question")),
        "concretized": screen.text("concretized", reply.get("concretized")),
        "final_goals": [g for i, g in enumerate(reply.get("final_goals", [])) if screen.ok(f"final_goals[{i}]", g)],
        "background": [g for i, g in enumerate(reply.get("background", [])) if screen.ok(f"background[{i}]", g)],
    }
    return _note(report, True, "", config.llm.model, added, proposals=proposals, withheld=screen.withheld)


def enrich_edit(report: dict[str, Any], diff: str, request: str | None = None, context: WorkspaceContext | None = None,
                config=None) -> dict[str, Any]:
    """The edit report with the model's extra drift findings (paths must be files in the change)."""
    from ..edits.diffmodel import Change

    report = copy.deepcopy(report)
    report.setdefault("findings", [])
    if config is None or not config.llm.enabled:
        return _note(report, False, "no model configured")
    try:
        paths = {fc.path for fc in Change.from_diff(diff)}
    except Exception:  # noqa: BLE001 - an unparsable diff has nothing for the model to point at
        paths = set()
    payload = Payload()
    if request:
        payload.add("the user's request", request)
    payload.add("the proposed change (unified diff)", diff)
    _context_sections(payload, context, request or "")
    screen = _Screen(diff)
    try:
        reply, added = _consult(report, "check_edit", payload, config, EDIT_CODES, screen, paths=paths)
    except _NotUsed as exc:
        return _note(report, False, str(exc))
    proposals = {"source": "llm", "summary": screen.text("summary", reply.get("summary"))}
    return _note(report, True, "", config.llm.model, added, proposals=proposals, withheld=screen.withheld)


def _render(name: str, **values: str) -> str:
    from xyguard.prompts import render

    return render(name, **values)


def enrich_evaluation(result: dict[str, Any], diff: str, context: WorkspaceContext | None = None, config: Config | None = None) -> dict[str, Any]:
    """Intent satisfaction with the model's judgment on the items the offline check left 'unknown'.

    Only 'unknown' items can change; an offline 'addressed' or 'not addressed' stands.
    """
    result = copy.deepcopy(result)
    if config is None or not config.llm.enabled:
        return _note(result, False, "no model configured")
    unknown = [i for i in result.get("objectives", []) + result.get("requirements", []) if i["status"] == "unknown"]
    if not unknown:
        return _note(result, False, "nothing left undecided")
    payload = Payload()
    payload.add("the proposed change (unified diff)", diff)
    items = "\n".join(f"- {i['text']}" for i in unknown)
    try:
        reply = _ask("evaluate_satisfaction", payload, config, items=items)
    except _NotUsed as exc:
        return _note(result, False, str(exc))
    verdicts = {v["text"]: v for v in reply["items"]}
    screen = _Screen(diff)
    changed = 0
    for index, item in enumerate(unknown):
        v = verdicts.get(item["text"])
        if v and v["status"] != "unknown":
            item["status"] = v["status"]
            item["source"] = "llm"
            evidence = screen.text(f"items[{index}].evidence", v.get("evidence", "")) or ""
            item["evidence"] = list(item["evidence"]) + [f"[llm] {evidence}".rstrip()]
            changed += 1
    return _note(result, True, "", config.llm.model, changed, withheld=screen.withheld)
