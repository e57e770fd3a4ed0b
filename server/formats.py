"""Rendering findings for people (text, like a linter) and machines (JSON, SARIF 2.1.0)."""

from __future__ import annotations

import os
import sys
from collections import defaultdict
from typing import Any, Iterable

from xyguard.analyzers.findings import Finding, severity_rank
from xyguard.analyzers.rules import RULES

from .version import VERSION

_COLOURS = {"error": "31", "warning": "33", "info": "36", "hint": "2"}


def use_colour(stream=None) -> bool:
    stream = stream or sys.stdout  # looked up per call: pytest and redirections replace sys.stdout
    return stream.isatty() and "NO_COLOR" not in os.environ and os.environ.get("TERM") != "dumb"


def _paint(text: str, code: str, colour: bool) -> str:
    return f"\033[{code}m{text}\033[0m" if colour else text


def finding_line(f: Finding, colour: bool = False, default_path: str | None = None) -> str:
    where = f.path or default_path or "<request>"
    if f.range is not None:
        where += f":{f.range.start.line + 1}:{f.range.start.character + 1}"
    sev = _paint(f.severity, _COLOURS.get(f.severity, "0"), colour)
    line = f"{where}: {_paint(f.code, '1', colour)} {sev} {f.message}"
    if f.evidence:
        ev = " ".join(f.evidence.split())
        line += f"\n    evidence: {ev[:160]}{'…' if len(ev) > 160 else ''}"
    if f.goal:
        line += f"\n    likely goal: {f.goal}"
    if f.question:
        line += f"\n    ask: {f.question}"
    if f.fix:
        line += f"\n    fix: {f.fix}"
    return line


def render_findings(findings: Iterable[Finding], colour: bool = False, default_path: str | None = None,
                    group_by_file: bool = False) -> str:
    findings = sorted(findings, key=Finding.sort_key)
    if not group_by_file:
        return "\n".join(finding_line(f, colour, default_path) for f in findings)
    groups: dict[str, list[Finding]] = defaultdict(list)
    for f in findings:
        groups[f.path or default_path or "<change>"].append(f)
    out = []
    for path, items in groups.items():
        out.append(_paint(path, "1", colour))
        for f in items:
            out.append("  " + finding_line(f, colour, path).replace("\n", "\n  "))
    return "\n".join(out)


def count_line(findings: list[Finding]) -> str:
    if not findings:
        return "No findings."
    by: dict[str, int] = defaultdict(int)
    for f in findings:
        by[f.severity] += 1
    parts = [f"{n} {sev}{'s' if n != 1 else ''}" for sev, n in sorted(by.items(), key=lambda kv: -severity_rank(kv[0]))]
    return f"Found {len(findings)} finding{'s' if len(findings) != 1 else ''} ({', '.join(parts)})."


_SARIF_LEVEL = {"error": "error", "warning": "warning", "info": "note", "hint": "note"}


def sarif(findings: Iterable[Finding], *, request_uri: str = "request.md", tool_version: str = VERSION) -> dict[str, Any]:
    """SARIF 2.1.0 as GitHub code scanning accepts it (every result has a physical location)."""
    findings = list(findings)
    used = sorted({f.code for f in findings})
    rules = [
        {
            "id": code,
            "name": RULES[code].name if code in RULES else code,
            "shortDescription": {"text": RULES[code].summary if code in RULES else code},
            "fullDescription": {"text": RULES[code].rationale if code in RULES else code},
            "help": {"text": f"{RULES[code].rationale}\nExample: {RULES[code].example}" if code in RULES else code},
            "defaultConfiguration": {"level": _SARIF_LEVEL.get(RULES[code].severity, "warning") if code in RULES else "warning"},
        }
        for code in used
    ]
    index = {code: i for i, code in enumerate(used)}
    results = []
    for f in findings:
        region: dict[str, int] = {"startLine": 1}
        if f.range is not None:
            region = {"startLine": f.range.start.line + 1, "startColumn": f.range.start.character + 1}
            end_line = f.range.end.line + 1
            if f.range.end.character == 0 and end_line > region["startLine"]:
                region["endLine"] = end_line - 1
            else:
                region["endLine"] = end_line
                region["endColumn"] = max(f.range.end.character + 1, region["startColumn"] if end_line == region["startLine"] else 1)
        text = f.message + (f"\nQuestion: {f.question}" if f.question else "")
        results.append({
            "ruleId": f.code,
            "ruleIndex": index[f.code],
            "level": _SARIF_LEVEL.get(f.severity, "warning"),
            "message": {"text": text},
            "locations": [{"physicalLocation": {"artifactLocation": {"uri": f.path or request_uri}, "region": region}}],
            "partialFingerprints": {"xyguard/v1": f"{f.code}:{f.path or request_uri}:{f.evidence[:80]}"},
        })
    return {
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {"name": "xyguard", "version": tool_version,
                                "informationUri": "https://pypi.org/project/xyguard/", "rules": rules}},
            "results": results,
        }],
    }
