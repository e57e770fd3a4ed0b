"""Text on its way to a model: invisible Unicode stripped, every secret-shaped value redacted.

The offline analysis reports the invisible characters (XY120, text/hidden.py);
here they are removed so the model never reads what a reviewer cannot see.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..text.hidden import strip_invisible
from ..text.secrets import find_secret_shapes


@dataclass
class Cleaned:
    text: str
    invisible: int = 0  # characters removed
    kinds: list[str] = field(default_factory=list)
    secrets: int = 0  # values redacted


def clean(text: str) -> Cleaned:
    """What may be sent: no invisible characters, no secrets."""
    stripped, count, kinds = strip_invisible(text)
    spans = find_secret_shapes(stripped)
    if not spans:
        return Cleaned(stripped, count, kinds, 0)
    out, pos = [], 0
    for kind, start, end in spans:
        out += [stripped[pos:start], f"[REDACTED:{kind}]"]
        pos = end
    out.append(stripped[pos:])
    return Cleaned("".join(out), count, kinds, len(spans))
