"""RequestReport: the JSON contract of request analysis (see DESIGN.md)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from xyguard.analyzers.contract import SCHEMA_VERSION
from xyguard.analyzers.findings import Finding

from .intent import Intent


@dataclass
class RequestReport:
    intent: Intent
    complexity: str
    findings: list[Finding] = field(default_factory=list)
    clarify_needed: bool = False
    question: str | None = None
    clarify_codes: list[str] = field(default_factory=list)
    concretized: str = ""
    blocking: bool = False  # a finding at or above the fail level (set by the pipeline)
    llm: dict[str, Any] | None = None  # whether the optional model was consulted, and what it added

    def to_dict(self) -> dict[str, Any]:
        out = {
            "schema_version": SCHEMA_VERSION,
            "clarify": {"needed": self.clarify_needed, "question": self.question, "codes": self.clarify_codes},
            "intent": self.intent.to_dict(),
            "complexity": self.complexity,
            "findings": [f.to_dict() for f in self.findings],
            "concretized": self.concretized,
            "blocking": self.blocking,
        }
        if self.llm is not None:
            out["llm"] = self.llm
        return out
