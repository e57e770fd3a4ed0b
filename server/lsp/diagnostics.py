"""Findings -> LSP diagnostics, and the per-document record that hover and code actions read back."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from lsprotocol import types

from xyguard.analyzers.findings import Finding, Position, Range, utf16_len

SOURCE = "xyguard"
_SEVERITY = {
    "error": types.DiagnosticSeverity.Error,
    "warning": types.DiagnosticSeverity.Warning,
    "info": types.DiagnosticSeverity.Information,
    "hint": types.DiagnosticSeverity.Hint,
}


@dataclass
class Published:
    """What was last published for one document: the version it describes and the findings behind it."""

    version: int | None
    findings: list[Finding] = field(default_factory=list)
    report: Any = None  # the RequestReport for request documents (clarify question, concretized text)
    kind: str = "request"  # "request" or "drift"


def first_line_range(text: str) -> Range:
    """Where a finding about the whole document goes: its first non-blank line."""
    for number, line in enumerate(text.splitlines()):
        if line.strip():
            return Range(Position(number, 0), Position(number, utf16_len(line)))
    return Range(Position(0, 0), Position(0, 0))


def to_lsp_range(r: Range) -> types.Range:
    return types.Range(start=types.Position(line=r.start.line, character=r.start.character),
                       end=types.Position(line=r.end.line, character=r.end.character))


def from_lsp_range(r: types.Range) -> Range:
    return Range.from_dict({"start": {"line": r.start.line, "character": r.start.character},
                            "end": {"line": r.end.line, "character": r.end.character}})


def to_diagnostic(f: Finding) -> types.Diagnostic:
    message = f.message
    if f.question:
        message += f"\nAsk: {f.question}"
    return types.Diagnostic(
        range=to_lsp_range(f.range or Range.lines(0)),
        severity=_SEVERITY.get(f.severity, types.DiagnosticSeverity.Warning),
        code=f.code,
        source=SOURCE,
        message=message,
        data=f.to_dict(),
    )


def contains(r: Range, line: int, character: int) -> bool:
    start, end = (r.start.line, r.start.character), (r.end.line, r.end.character)
    return start <= (line, character) <= end or (start == end and start[0] == line)


def overlaps(a: Range, b: Range) -> bool:
    return (a.start.line, a.start.character) <= (b.end.line, b.end.character) and \
        (b.start.line, b.start.character) <= (a.end.line, a.end.character)
