"""How concretely a prose request (an issue, a bug summary) names what it is about.

A report that names the code it concerns (`DataArray.quantile`, `ax.bar`,
astropy.table, a file path) and a version has already answered the
questions an assistant would ask first. In such a report a hedge ("in
certain cases", "the crash seems related to") or an unstated expected
behaviour ("X raises an exception" implies it should not) is a hint, not a
blocker: these findings are kept but lowered to info, so they only lead to a
question together with other evidence. A vague referent stays a blocker
unless the report names a thing of that very kind ("a specific function"
next to a named function is a stylistic tic; "a specific version" with no
version anywhere is missing information).
"""

from __future__ import annotations

import dataclasses
import re

from xyguard.analyzers.findings import Finding

_CODE = re.compile(r"`[^`\n]{2,80}`|\b[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)+\(?|\b[A-Za-z_]\w*\(\)|"
                   r"\b[a-z]+_[a-z_]+\b|\b[A-Z][a-z]+(?:[A-Z][a-z0-9]+)+\b")
_PATH = re.compile(r"(?<![\w/])[\w.-]+/[\w./-]+|\b[\w-]+\.(?:py|js|ts|go|rs|java|c|cpp|h|rb|toml|cfg|ini|ya?ml|json)\b")
_VERSION = re.compile(r"\b(?:v|version\s+)?\d+\.\d+(?:\.\d+)?\b", re.IGNORECASE)

# what kind of thing a vague referent is about -> the evidence that names one concretely
_NAMED_KIND = {
    "version": _VERSION, "versions": _VERSION,
    "function": _CODE, "method": _CODE, "class": _CODE, "module": _CODE, "attribute": _CODE, "parameter": _CODE,
    "argument": _CODE, "property": _CODE, "field": _CODE, "option": _CODE, "setting": _CODE, "subclass": _CODE,
    "file": _PATH, "line": _PATH,
}
_SOFT = {"XY111"}  # hedges (missing information is information.py's judgement, made with the same evidence)


@dataclasses.dataclass(frozen=True)
class Grounding:
    code_names: int
    paths: int
    versions: int

    @property
    def grounded(self) -> bool:
        return self.code_names + self.paths >= 1


def measure(text: str) -> Grounding:
    return Grounding(len(_CODE.findall(text)), len(_PATH.findall(text)), len(_VERSION.findall(text)))


def _referent_named(f: Finding, text: str) -> bool:
    kind = f.evidence.lower().split()[-1] if f.evidence else ""
    pattern = _NAMED_KIND.get(kind)
    return bool(pattern and pattern.search(text))


def soften(findings: list[Finding], text: str) -> list[Finding]:
    """Lower hedges to info in a report that names its code; keep every finding."""
    if not measure(text).grounded:
        return findings
    out = []
    for f in findings:
        soft = f.code in _SOFT or f.code == "XY113" and _referent_named(f, text)
        if soft and f.severity in ("warning", "error"):
            f = dataclasses.replace(f, severity="info")
        out.append(f)
    return out
