"""The EditReport: findings, a size summary, and the checks that could not run (with why)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..contract import SCHEMA_VERSION
from ..findings import Finding


@dataclass
class Skip:
    check: str  # a code (DR206) or a part of the input (a path)
    reason: str

    def to_dict(self) -> dict[str, str]:
        return {"check": self.check, "reason": self.reason}


@dataclass
class EditReport:
    findings: list[Finding] = field(default_factory=list)
    files: int = 0
    added: int = 0
    removed: int = 0
    skipped: list[Skip] = field(default_factory=list)
    blocking: bool = False  # a finding at or above the fail level (set by the pipeline)
    llm: dict[str, Any] | None = None  # whether the optional model was consulted, and what it added

    def to_dict(self) -> dict[str, Any]:
        out = {
            "schema_version": SCHEMA_VERSION,
            "findings": [f.to_dict() for f in self.findings],
            "summary": {"files": self.files, "added": self.added, "removed": self.removed},
            "skipped": [s.to_dict() for s in self.skipped],
            "blocking": self.blocking,
        }
        if self.llm is not None:
            out["llm"] = self.llm
        return out
