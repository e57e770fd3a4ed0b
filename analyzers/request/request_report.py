"""RequestReport: the JSON contract of request analysis (see DESIGN.md)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

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

    def to_dict(self) -> dict[str, Any]:
        return {
            "clarify": {"needed": self.clarify_needed, "question": self.question, "codes": self.clarify_codes},
            "intent": self.intent.to_dict(),
            "complexity": self.complexity,
            "findings": [f.to_dict() for f in self.findings],
            "concretized": self.concretized,
        }
