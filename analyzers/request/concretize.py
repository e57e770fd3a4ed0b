"""The request restated with the inferred intent and constraints explicit: for a code action, or as an agent prefix."""

from __future__ import annotations

from xyguard.analyzers.findings import Finding

from .intent import Intent


def concretize(text: str, intent: Intent, findings: list[Finding], question: str | None) -> str:
    lines = [f"Task: {intent.immediate or ' '.join(text.split())[:240]}"]
    if intent.final_goals:
        lines.append("Likely goal: " + "; ".join(intent.final_goals))
    if intent.background:
        lines.append("Constraints:")
        lines += [f"- {b}" for b in intent.background]
    if intent.autonomy:
        lines.append("User's explicit choices (respect them):")
        lines += [f"- {a}" for a in intent.autonomy]
    doubts = [f for f in findings if f.severity in ("error", "warning")]
    if doubts:
        lines.append("Open points:")
        lines += [f"- {f.code}: {f.message}" for f in doubts[:6]]
    if question:
        lines.append(f"Ask first: {question}")
    return "\n".join(lines)
