"""DR216: a credential added by the change (patterns live in analyzers/secrets.py, shared with redaction)."""

from __future__ import annotations

from .. import rules
from ..findings import Finding, Range
from ..text.secrets import find_secrets
from .inputs import EditInput


def _masked(value: str) -> str:
    return value[:4] + "…" + f"({len(value)} chars)" if len(value) > 8 else "…"


def check(inp: EditInput) -> list[Finding]:
    findings = []
    for fc in inp.content_files():
        added = fc.added()
        if not added:
            continue
        # Scan the added lines as one text so multi-line secrets (PEM blocks) are found whole.
        text = "\n".join(ln.text for ln in added)
        starts = []
        pos = 0
        for ln in added:
            starts.append(pos)
            pos += len(ln.text) + 1
        for kind, start, end in find_secrets(text):
            index = max(i for i, s in enumerate(starts) if s <= start)
            line = added[index]
            findings.append(rules.make(
                "DR216", f"A {kind.replace('-', ' ')} is added to {fc.path}.",
                # The evidence must not repeat the secret: reports get pasted into issues and logs.
                evidence=_masked(text[start:end]), path=fc.path,
                range=Range.lines((line.new_no or 1) - 1),
                question="Should this come from the environment or a secret store instead?",
                fix="Remove it from the change, rotate it, and load it from configuration."))
    return findings
