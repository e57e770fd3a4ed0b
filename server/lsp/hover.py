"""Hover on a flagged span: what was found, why it matters (the rule's rationale), the likely goal, the question."""

from __future__ import annotations

from typing import TYPE_CHECKING

from lsprotocol import types

from .features import feature

from xyguard.analyzers.findings import Finding
from xyguard.analyzers.rules import RULES

from .diagnostics import contains, to_lsp_range

if TYPE_CHECKING:
    from .server import XyguardServer


def hover_markdown(f: Finding) -> str:
    rule = RULES.get(f.code)
    title = f"**{f.code}** {rule.name}" if rule else f"**{f.code}**"
    parts = [f"{title} ({f.severity}): {f.message}"]
    if rule:
        parts.append(f"*Why it matters:* {rule.rationale}")
    if f.goal:
        parts.append(f"*Likely real goal:* {f.goal}")
    if f.question:
        parts.append(f"*Ask:* {f.question}")
    if f.fix:
        parts.append(f"*Fix:* {f.fix}")
    if f.evidence:
        evidence = " ".join(f.evidence.split())
        parts.append(f"*Evidence:* `{evidence[:200].replace('`', chr(39))}`")
    return "\n\n".join(parts)


@feature(types.TEXT_DOCUMENT_HOVER)
def hover(ls: "XyguardServer", params: types.HoverParams) -> types.Hover | None:
    published = ls.published.get(params.text_document.uri)
    if published is None:
        return None
    line, character = params.position.line, params.position.character
    hits = [f for f in published.findings if f.range is not None and contains(f.range, line, character)]
    if not hits:
        return None
    return types.Hover(
        contents=types.MarkupContent(kind=types.MarkupKind.Markdown,
                                     value="\n\n---\n\n".join(hover_markdown(f) for f in hits)),
        range=to_lsp_range(hits[0].range) if hits[0].range is not None else None,
    )

