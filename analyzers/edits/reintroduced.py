"""DR210: the change re-adds lines or a symbol that a revert or a removal commit took out.

The context records, for each revert and each 'remove/replace X' commit,
the lines and definitions it deleted (whitespace-folded). A definition
re-added by name, or a run of the same distinctive lines, brings back what
the project deliberately took out; the finding cites that commit. When the
request or message says so ("restore", "re-add", a revert of the revert),
it is information, as stated.
"""

from __future__ import annotations

import posixpath
import re

from .. import rules
from ..context.history import normalise_line
from ..context.manifests import normalise
from ..findings import Finding, Range
from .diffmodel import FileChange
from .inputs import EditInput
from .stated_intent import request_intent
from ..context.languages import is_test_path
from ..text.code import defined_name, imported_modules
from ..text.identifiers import DISTINCTIVE_WORD

_MIN_LINES = 4  # matching lines needed when no definition name matches
_DISTINCTIVE = 20  # characters: 'return None' repeats everywhere, a long line rarely does
# The machinery of deprecating and of module attribute shims is the same for whatever it serves: deprecating
# one name re-adds the lines that removing another deprecated name took out, and brings nothing back.
_SCAFFOLDING = re.compile(
    r"\s*(?:import warnings\b|from warnings import\b|warnings\.warn\(|warn\(|(?:Pending)?DeprecationWarning\b|"
    r"FutureWarning\b|stacklevel\s*=|\.\. deprecated::|def __getattr__\(|def __dir__\(|raise AttributeError\()")


def check(inp: EditInput) -> list[Finding]:
    if not inp.need_context("DR210", "the design history (reverts, removals) is unknown"):
        return []
    history = inp.context.history
    if not history.available:
        inp.skip("DR210", "the repository has no git history")
        return []
    sources = [s for s in [*history.reverts, *history.decisions]
               if getattr(s, "removed_lines", None) or getattr(s, "removed_symbols", None)]
    if not sources:
        return []
    findings = []
    covered = {r.name for r in history.dependency_removals}  # DR207 reports those, with the manifest commit
    own = _own_packages(inp.context)
    declared = inp.context.dependency_names()
    for fc in inp.content_files():
        if is_test_path(fc.path):
            continue  # tests come back with the code they test; the code is what history decided about
        for source in sources:
            found = (_symbol_match(fc, source) or _import_match(fc, source, covered, own, declared)
                     or _line_match(fc, source))
            if found is not None:
                findings.append(found)
    intent = request_intent(inp.intent_text)
    if intent and intent.restores:
        from dataclasses import replace

        findings = [replace(f, severity="info", message=f.message + " As stated in the request.", question=None)
                    for f in findings]
    return findings


def _own_packages(ctx) -> set[str]:
    """Top-level names the repository provides itself: its root folders and modules, and those under src/."""
    names: set[str] = set()
    for path in ctx.files:
        parts = path.split("/")
        if parts[0] in ("src", "lib") and len(parts) > 1:
            parts = parts[1:]
        names.add(posixpath.splitext(parts[0])[0])
    return names


def _cite(source) -> str:
    return f"{source.sha[:10]} (\"{source.subject}\")"


def _symbol_match(fc: FileChange, source) -> Finding | None:
    removed = {s for s in getattr(source, "removed_symbols", []) or [] if len(s) >= DISTINCTIVE_WORD and not s.startswith("__")}
    if not removed:
        return None
    lang = fc.language
    still_there = {d[1] for ln in fc.removed() if (d := defined_name(ln.text, lang))}
    for ln in fc.added():
        found = defined_name(ln.text, lang)
        if found and found[1] in removed and found[1] not in still_there:
            return _brought_back(fc, ln, source, found[1], "adds it back")
    return None


def _brought_back(fc: FileChange, ln, source, name: str, how: str) -> Finding:
    return rules.make(
        "DR210", f"'{name}' was taken out by {_cite(source)}; this change {how}.",
        evidence=ln.text.strip(), path=fc.path, range=Range.lines((ln.new_no or 1) - 1),
        question=f"History removed '{name}' on purpose; is bringing it back intended?",
        related=[{"commit": source.sha, "subject": source.subject}])


def _import_match(fc: FileChange, source, covered: set[str], own: set[str], declared: set[str]) -> Finding | None:
    """A third-party import the commit took out, imported again: the dependency itself comes back.

    A removal commit counts only for what its message says it removes ("drop simplejson"); a revert for all
    it took out. The project's own packages never come back: they never left."""
    import sys

    def top(module: str) -> str:
        return module.lstrip(".").split(".")[0].split("/")[0]

    removed = {top(m) for ln in getattr(source, "removed_lines", []) or [] for m in imported_modules(ln, fc.language)}
    removed -= set(getattr(sys, "stdlib_module_names", ())) | covered | own | {""}
    removed = {r for r in removed if normalise(r, "pypi") not in declared}  # still a dependency: never left
    named = getattr(source, "removed", None)
    if named is not None:  # a decision: only the packages its message names
        words = {w.lower() for phrase in named for w in re.findall(r"[\w.-]+", phrase)}
        removed = {r for r in removed if r.lower() in words}
    if not removed:
        return None
    for ln in fc.added():
        for module in imported_modules(ln.text, fc.language):
            if top(module) in removed and not module.startswith("."):
                return _brought_back(fc, ln, source, top(module), "imports it again")
    return None


def _line_match(fc: FileChange, source) -> Finding | None:
    removed_lines = set(getattr(source, "removed_lines", []) or [])
    if not removed_lines:
        return None
    hits = [ln for ln in fc.added() if normalise_line(ln.text) in removed_lines and not _SCAFFOLDING.match(ln.text)
            and not imported_modules(ln.text, fc.language)]
    distinctive = [ln for ln in hits if len(normalise_line(ln.text)) >= _DISTINCTIVE]
    if len(hits) < _MIN_LINES or len(distinctive) < 2:
        return None
    first = hits[0]
    return rules.make(
        "DR210", f"{len(hits)} added lines are the same as lines {_cite(source)} removed.",
        evidence=normalise_line(distinctive[0].text), path=fc.path, range=Range.lines((first.new_no or 1) - 1),
        question="History removed this code on purpose; is bringing it back intended?",
        related=[{"commit": source.sha, "subject": source.subject}])
