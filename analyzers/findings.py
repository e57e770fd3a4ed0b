"""The Finding every check produces, and the LSP-shaped range it points at.

Positions follow LSP: zero-based lines, characters counted in UTF-16 code
units (what every LSP client expects by default). Helpers here convert from
Python string offsets so no check has to think about surrogate pairs.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

SEVERITIES = ("error", "warning", "info", "hint")
_RANK = {name: rank for rank, name in enumerate(reversed(SEVERITIES))}


def severity_rank(severity: str) -> int:
    """Higher is worse: hint=0 ... error=3. Unknown severities rank lowest."""
    return _RANK.get(severity, -1)


def at_or_above(severity: str, level: str) -> bool:
    return severity_rank(severity) >= severity_rank(level)


@dataclass(frozen=True)
class Position:
    line: int
    character: int

    def to_dict(self) -> dict[str, int]:
        return {"line": self.line, "character": self.character}


@dataclass(frozen=True)
class Range:
    start: Position
    end: Position

    @classmethod
    def lines(cls, first: int, last: int | None = None) -> "Range":
        """Whole lines, zero-based and inclusive of `last`."""
        last = first if last is None else last
        return cls(Position(first, 0), Position(last + 1, 0))

    def to_dict(self) -> dict[str, Any]:
        return {"start": self.start.to_dict(), "end": self.end.to_dict()}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "Range":
        s, e = data["start"], data["end"]
        return cls(Position(int(s["line"]), int(s["character"])), Position(int(e["line"]), int(e["character"])))


def utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def offset_to_position(text: str, offset: int) -> Position:
    """Python str offset -> LSP position (UTF-16 columns). \n, \r\n and \r each end a line."""
    prefix = text[: max(0, min(offset, len(text)))]
    line = prefix.count("\n") + prefix.count("\r") - prefix.count("\r\n")
    line_start = max(prefix.rfind("\n"), prefix.rfind("\r")) + 1
    return Position(line, utf16_len(prefix[line_start:]))


def span_range(text: str, start: int, end: int) -> Range:
    return Range(offset_to_position(text, start), offset_to_position(text, end))


@dataclass
class Finding:
    """One thing a check noticed. Field names are part of the JSON contract."""

    code: str
    severity: str
    message: str
    evidence: str = ""
    path: str | None = None
    range: Range | None = None
    question: str | None = None
    fix: str | None = None
    # Optional extras (the JSON contract allows added fields).
    goal: str | None = None  # the likely real goal behind an XY pattern
    related: list[dict[str, Any]] = field(default_factory=list)  # e.g. cited commits, earlier turns
    source: str | None = None  # "llm" when the optional model wrote it; None for the offline checks

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "code": self.code,
            "severity": self.severity,
            "message": self.message,
            "evidence": self.evidence,
            "path": self.path,
            "range": self.range.to_dict() if self.range else None,
            "question": self.question,
            "fix": self.fix,
        }
        if self.goal:
            out["goal"] = self.goal
        if self.related:
            out["related"] = self.related
        if self.source:
            out["source"] = self.source
        return out

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "Finding":
        rng = data.get("range")
        return cls(
            code=data["code"],
            severity=data["severity"],
            message=data["message"],
            evidence=data.get("evidence", ""),
            path=data.get("path"),
            range=Range.from_dict(rng) if rng else None,
            question=data.get("question"),
            fix=data.get("fix"),
            goal=data.get("goal"),
            related=list(data.get("related") or []),
            source=data.get("source"),
        )

    def sort_key(self) -> tuple:
        r = self.range
        return (self.path or "", r.start.line if r else -1, r.start.character if r else -1, self.code)
