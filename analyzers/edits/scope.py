"""DR203: files the request neither names nor relates to; DR217: whitespace-only churn.

A file is in scope when the request (or the session's objectives) names it,
its folder, or a symbol it changes, or when its changed lines use the
request's words. Scope then spreads along real relations: imports, calls of
symbols the in-scope files change, co-change history. Tests, docs and
changelogs that accompany a fix are in scope; manifests are the dependency
checks' business. What is left was not asked for.
"""

from __future__ import annotations

import re

from .. import rules
from ..context.files import is_manifest
from ..findings import Finding, Range
from .diffmodel import FileChange
from .inputs import EditInput
from .stated_intent import STOP, RequestIntent, request_intent
from ..context.languages import is_test_path
from ..text.code import defined_name, definitions, enclosing_definition, imported_modules
from ..text.identifiers import IDENTIFIER, split_identifier
from ..text.paths import is_doc_path, module_stem

_FORMAT_REQUEST = re.compile(r"\b(format\w*|reformat\w*|indent\w*|whitespace|style|lint\w*|black|prettier|gofmt|rustfmt)\b", re.I)
_MIN_CHURN_LINES = 3


def check(inp: EditInput) -> list[Finding]:
    findings = _churn(inp)
    intent = request_intent(inp.intent_text)
    if not intent:
        inp.skip("DR203", "no request or session objectives to compare the change with")
        return findings
    files = [fc for fc in inp.content_files() if fc.hunks]
    candidates = [fc for fc in files if not _always_in_scope(fc.path)]
    if len(candidates) < 2:
        return findings
    facts = {fc.path: _facts(fc) for fc in candidates}
    in_scope = {fc.path for fc in candidates if _named_by_request(fc.path, facts[fc.path], intent)}
    if not in_scope:
        # The fix has to live somewhere: take the largest change as its home.
        in_scope = {max(candidates, key=lambda f: len(f.added()) + len(f.removed())).path}
    _spread(in_scope, candidates, facts, inp.context)
    for fc in candidates:
        if fc.path in in_scope:
            continue
        touched = sorted(facts[fc.path]["symbols"])[:4]
        what = f" ({', '.join(touched)})" if touched else ""
        first = next((ln.new_no or ln.old_no or 1 for ln in fc.added() + fc.removed()), 1)
        findings.append(rules.make(
            "DR203", f"{fc.path}{what} is changed, but nothing in the request names or relates to it.",
            evidence=fc.path + what, path=fc.path, range=Range.lines(first - 1),
            question=f"Was changing {fc.path} part of the task, or should it go in a separate change?",
            fix="Drop the unrelated edits or move them to their own change."))
    return findings


def _always_in_scope(path: str) -> bool:
    return is_test_path(path) or is_doc_path(path) or is_manifest(path) or path.endswith((".lock", ".sum"))


def _facts(fc: FileChange) -> dict:
    """What a file's change is about: symbols it touches, words it uses, modules it imports."""
    lang = fc.language
    symbols: set[str] = set()
    for h in fc.hunks:
        head = defined_name(h.header, lang) if h.header else None
        if head:
            symbols.add(head[1])
    new_defs, old_defs = fc.derived("new", definitions, lang), fc.derived("old", definitions, lang)
    for ln in fc.added():
        symbols.add(enclosing_definition(new_defs, ln.new_no, ln.text) or "")
    for ln in fc.removed():
        symbols.add(enclosing_definition(old_defs, ln.old_no, ln.text) or "")
    symbols.discard("")
    changed = fc.added() + fc.removed()
    words: set[str] = set()
    for ln in changed:
        found = defined_name(ln.text, lang)
        if found:
            symbols.add(found[1])
        for ident in IDENTIFIER.findall(ln.text):
            if len(ident) >= 4 and ident.lower() not in STOP:
                words.add(ident)
    if fc.new_text is not None:
        imports = set(fc.derived("new", _imported_names, lang))
    else:
        imports = set(_imported_names({i: ln.text for i, ln in enumerate(ln for h in fc.hunks for ln in h.lines)}, lang))
    return {"symbols": symbols, "words": words, "imports": imports, "stem": module_stem(fc.path).lower()}


_RELATIVE_IMPORT = re.compile(r"\s*from\s+\.+([\w.]*)\s+import\s+(.+)")


def _imported_names(lines: dict[int, str], lang: str | None) -> frozenset[str]:
    """Last components of the modules the lines import, and the names relative imports bring in."""
    imports: set[str] = set()
    for text in lines.values():
        for mod in imported_modules(text, lang):
            imports.add(mod.replace("/", ".").rsplit(".", 1)[-1].lower())
        if lang == "python":
            m = _RELATIVE_IMPORT.match(text)
            if m:
                imports.update(x.lower() for x in re.findall(r"\w+", (m.group(1) or "") + " " + m.group(2)))
    return frozenset(imports)


def _named_by_request(path: str, facts: dict, intent: RequestIntent) -> bool:
    low = path.lower()
    if any(p and (low.endswith(p) or p in low) for p in intent.paths):
        return True
    stem = facts["stem"]
    if len(stem) >= 3 and stem not in STOP and (stem in intent.mentions or intent.mentions_name(stem)):
        return True
    if any(intent.mentions_name(s) for s in facts["symbols"]):
        return True
    hits = {w.lower() for w in facts["words"] if w.lower() in intent.mentions}
    parts = {p for w in facts["words"] for p in split_identifier(w) if len(p) > 4 and p in intent.mentions}
    return len(hits) >= 2 or (len(hits) >= 1 and len(parts) >= 2)


def _spread(in_scope: set[str], files: list[FileChange], facts: dict, context) -> None:
    changed = True
    while changed:
        changed = False
        for fc in files:
            if fc.path in in_scope:
                continue
            if any(_related(fc.path, other, facts, context) for other in list(in_scope)):
                in_scope.add(fc.path)
                changed = True


def _related(a: str, b: str, facts: dict, context) -> bool:
    fa, fb = facts[a], facts[b]
    if fa["stem"] in fb["imports"] or fb["stem"] in fa["imports"]:
        return True
    # One side's changed lines use a symbol the other side changes (a caller following a callee).
    if fa["symbols"] & fb["words"] or fb["symbols"] & fa["words"]:
        return True
    if context is not None:
        history = context.history
        together = history.cochange.get(a, {}).get(b, 0)
        if together >= 2:
            least = min(history.files.get(a).changes if a in history.files else together,
                        history.files.get(b).changes if b in history.files else together) or 1
            if together / least >= 0.5:
                return True
    return False


# ---- DR217: whitespace churn ----------------------------------------------------------------


def _squash(lines) -> str:
    return "".join("".join(ln.text.split()) for ln in lines)


def _churn(inp: EditInput) -> list[Finding]:
    if _FORMAT_REQUEST.search(inp.intent_text or ""):
        return []
    out = []
    for fc in inp.content_files():
        new_defs = fc.derived("new", definitions, fc.language)
        pure, real = [], set()
        for removed, added in fc.blocks():
            first = (added or removed)[0]
            where = enclosing_definition(new_defs, first.new_no or fc.new_line_for(first), first.text)
            if removed and added and _squash(removed) == _squash(added):
                pure.append((where, added))
            else:
                real.add(where)
        # Re-indenting inside the function being fixed is part of the fix (a new `try:` block).
        churn_lines = [ln.new_no for where, added in pure if where not in real for ln in added if ln.new_no]
        if len(churn_lines) >= _MIN_CHURN_LINES:
            out.append(rules.make(
                "DR217", f"{len(churn_lines)} lines in {fc.path} change only in whitespace or layout.",
                evidence=f"lines {churn_lines[0]}-{churn_lines[-1]}", path=fc.path,
                range=Range.lines(churn_lines[0] - 1, churn_lines[-1] - 1),
                fix="Revert the reformatting so the change shows only the fix."))
    return out
