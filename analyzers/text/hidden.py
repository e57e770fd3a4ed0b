"""Invisible Unicode in text a person reads: found, decoded for the reader, and stripped.

Invisible characters can carry instructions a human reviewer never sees
(Unicode tag characters spell ASCII invisibly; bidi controls reorder what
is shown). Every request is checked for them (XY120) so the user learns
their text carried them; the LLM path strips them before anything is sent.
"""

from __future__ import annotations

import re

from .. import rules
from ..findings import Finding, span_range

# Tag characters, bidi embeddings/overrides/isolates, zero-width space/joiners, word joiner, BOM.
INVISIBLE = re.compile("[\U000E0000-\U000E007F\u202A-\u202E\u2066-\u2069\u200B-\u200D\u2060\uFEFF]+")


def _describe(ch: str) -> str:
    cp = ord(ch)
    if 0xE0000 <= cp <= 0xE007F:
        return "Unicode tag characters"
    if 0x202A <= cp <= 0x202E or 0x2066 <= cp <= 0x2069:
        return "bidirectional control characters"
    return "zero-width characters"


def _tag_text(run: str) -> str:
    """Tag characters mirror ASCII: decoding them shows the user what was hidden."""
    return "".join(chr(ord(c) - 0xE0000) for c in run if 0xE0020 <= ord(c) <= 0xE007E)


def strip_invisible(text: str) -> tuple[str, int, list[str]]:
    kinds: list[str] = []
    count = 0
    for m in INVISIBLE.finditer(text):
        count += len(m.group(0))
        for ch in m.group(0):
            kind = _describe(ch)
            if kind not in kinds:
                kinds.append(kind)
    return (INVISIBLE.sub("", text) if count else text), count, kinds


# Runs reported one by one; the rest are counted in the last finding. Each finding's range costs a scan of
# the text, so an unbounded number of runs (one between every two letters) would make the check quadratic.
MAX_REPORTED_RUNS = 20


def hidden_character_findings(text: str, path: str | None = None) -> list[Finding]:
    """XY120 for each run of invisible characters in `text` (ranges point into `text`)."""
    out = []
    for i, m in enumerate(INVISIBLE.finditer(text)):
        if i == MAX_REPORTED_RUNS:
            more = sum(1 for _ in INVISIBLE.finditer(text, m.start()))
            out[-1].message += f" {more} more run(s) of invisible characters follow."
            break
        run = m.group(0)
        kinds = sorted({_describe(c) for c in run})
        hidden = _tag_text(run)
        message = f"{len(run)} invisible character(s) ({', '.join(kinds)}) were found and stripped before analysis"
        if hidden:
            message += f"; they spell: {hidden[:80]!r}"
        out.append(rules.make("XY120", message + ".", evidence=" ".join(f"U+{ord(c):04X}" for c in run[:12]),
                              path=path, range=span_range(text, m.start(), m.end()),
                              fix="Remove the hidden characters; retype the text if it was pasted."))
    return out
