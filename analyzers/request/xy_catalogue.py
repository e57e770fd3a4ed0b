"""The catalogue of well-known XY patterns (XY101), kept as data in xy_catalogue.toml.

Loaded and compiled once; `detect` reports at most one finding per entry,
anchored at the words that triggered it.
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on 3.10 only
    import tomli as tomllib

from xyguard.analyzers.findings import Finding

from ..text.spans import finding_at


@dataclass(frozen=True)
class Pattern:
    id: str
    triggers: tuple[re.Pattern, ...]
    requires: tuple[re.Pattern, ...]
    goal: str
    question: str
    rationale: str
    example: str

    def match(self, text: str) -> re.Match | None:
        if not all(r.search(text) for r in self.requires):
            return None
        for trigger in self.triggers:
            m = trigger.search(text)
            if m:
                return m
        return None


@lru_cache(maxsize=1)
def catalogue() -> tuple[Pattern, ...]:
    raw = tomllib.loads(resources.files(__package__).joinpath("xy_catalogue.toml").read_text(encoding="utf-8"))
    flags = re.IGNORECASE | re.DOTALL
    return tuple(
        Pattern(
            id=entry["id"],
            triggers=tuple(re.compile(t, flags) for t in entry["triggers"]),
            requires=tuple(re.compile(t, flags) for t in entry.get("requires", [])),
            goal=entry["goal"], question=entry["question"], rationale=entry["rationale"], example=entry["example"],
        )
        for entry in raw["pattern"]
    )


def detect(text: str, skip: tuple[tuple[int, int], ...] = ()) -> list[Finding]:
    """`skip`: spans the user marked as deliberate choices (autonomy); matches inside them are not reported."""
    out = []
    for pattern in catalogue():
        m = pattern.match(text)
        if m is None or any(a <= m.start() < b for a, b in skip):
            continue
        out.append(finding_at(text, "XY101", f"looks like an XY problem ({pattern.id}): {pattern.rationale}",
                              m.start(), min(m.end(), m.start() + 300), goal=pattern.goal, question=pattern.question))
    return out
