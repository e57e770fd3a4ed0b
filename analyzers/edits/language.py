"""DR201: code added in a language foreign to the repository or to the folder it lands in.

With a repository, a new file is foreign when its language (family) has
almost no presence in the repository and none in its folder. From a diff
alone, the project's languages are those of the files the diff modifies or
deletes (they existed before the change). A file replaced by one with the
same stem in another language is a switch either way.

A switch the request asks for ("port the parser to Rust") is information, as
stated; one against a language the request insists on ("keep it in Python")
is an error; otherwise a warning for the reviewer to weigh.
"""

from __future__ import annotations

import posixpath
import re

from .. import rules
from ..context.languages import LANGUAGES, same_stack
from ..findings import Finding, Range
from .diffmodel import ADDED, DELETED, RENAMED
from .inputs import EditInput
from .stated_intent import request_intent

# Glue languages that sit beside any project (build and CI scripts, queries).
_GLUE = frozenset({"shell", "powershell", "sql"})
_MINOR_SHARE = 0.05


def check(inp: EditInput) -> list[Finding]:
    findings = [_weighed(f, inp) for f in _switches(inp)]
    return findings


def _names(lang: str) -> list[str]:
    record = LANGUAGES.get(lang)
    return [lang, *(record.spoken if record else ())]


def _weighed(f: Finding, inp: EditInput) -> Finding:
    """As stated when the request names the new language; an error against a stated constraint: the request
    insists on the old language, or names the code it is about, which the repository holds in that language
    ("fix the crash in parse_date", and parse_date is Python)."""
    from dataclasses import replace

    intent = request_intent(inp.intent_text)
    text = intent.text
    new_lang, old_langs = f.related[0]["language"], f.related[0]["from"]
    if text and any(re.search(rf"(?<![\w.+#-]){re.escape(n)}(?![\w+#-])", text, re.I) for n in _names(new_lang)):
        return replace(f, severity="info", message=f.message + " As stated in the request.", question=None)
    for old in old_langs:
        if any(re.search(rf"\b(?:keep|stay|stays|remain|only|must|in|pure)\b[^.\n]{{0,30}}(?<![\w.+#-]){re.escape(n)}"
                         rf"(?![\w+#-])|(?<![\w.+#-]){re.escape(n)}[- ]only\b", text, re.I) for n in _names(old)):
            return replace(f, severity="error", message=f.message + f" The request asks for {old}.")
    named = _named_code_language(intent, inp)
    if named in old_langs:
        return replace(f, severity="error", message=f.message + f" The request is about {named} code.")
    return f


_MAX_NAMES_LOOKED_UP = 12  # names of the request looked up in the repository's symbols


def _named_code_language(intent, inp: EditInput) -> str | None:
    """The language of the code the request names: a path it mentions, or a symbol the repository defines."""
    from ..context.languages import language_for_path

    for path in intent.paths:
        lang = language_for_path(path)
        if lang:
            return lang
    ctx = inp.context
    if ctx is None:
        return None
    # Identifier-looking words first (snake_case, dotted), then the longer words: a bounded number of lookups.
    names = sorted(intent.mentions, key=lambda m: ("_" not in m and "." not in m, -len(m), m))[:_MAX_NAMES_LOOKED_UP]
    for name in names:
        for sym in ctx.find_symbols(name):
            if sym.language:
                return sym.language
    return None


def _switches(inp: EditInput) -> list[Finding]:
    findings = _replacements(inp)
    replaced = {f.path for f in findings}
    existing = _existing_languages(inp)
    if existing is None:
        inp.skip("DR201", "no repository and no modified files in the diff: the project's language is unknown")
        return findings
    for fc in inp.change:
        lang = fc.language
        if fc.status != ADDED or lang is None or lang in _GLUE or fc.path in replaced:
            continue
        if _foreign(inp, fc.path, lang, existing):
            where = "the repository" if inp.context is not None else "the other files in this change"
            main = ", ".join(sorted(existing)[:3])
            findings.append(rules.make(
                "DR201", f"New {lang} file in a project written in {main}: {lang} is foreign to {where}.",
                evidence=fc.path, path=fc.path, range=Range.lines(0),
                question=f"Should this be written in {main} like the rest of the project?",
                related=[{"language": lang, "from": sorted(existing, key=lambda k: -existing[k])[:3]}]))
    return findings


def _existing_languages(inp: EditInput) -> dict[str, float] | None:
    ctx = inp.context
    if ctx is not None and ctx.languages:
        # Byte shares without the files this change adds (the work tree may already hold them).
        added = {fc.path for fc in inp.change if fc.status == ADDED}
        sizes: dict[str, int] = {}
        for path, info in ctx.files.items():
            if info.language and path not in added:
                sizes[info.language] = sizes.get(info.language, 0) + max(info.size, 1)
        total = sum(sizes.values())
        if total:
            return {lang: n / total for lang, n in sizes.items()}
    before = [fc.old_language for fc in inp.change if fc.status != ADDED]
    langs = [lang for lang in before if lang]
    if not langs:
        return None
    return {lang: langs.count(lang) / len(langs) for lang in set(langs)}


def _foreign(inp: EditInput, path: str, lang: str, existing: dict[str, float]) -> bool:
    share = sum(s for other, s in existing.items() if same_stack(other, lang))
    if inp.context is None:
        return share == 0
    if share >= _MINOR_SHARE:
        return False
    # A minority language is at home in a folder that already holds it (a C extension beside Python).
    folder = posixpath.dirname(path)
    new = {fc.path for fc in inp.change if fc.status == ADDED}
    siblings = [p for p in inp.context.files if posixpath.dirname(p) == folder and p not in new]
    return not any(same_stack(inp.context.language_of(p), lang) for p in siblings)


def _replacements(inp: EditInput) -> list[Finding]:
    """A file deleted (or renamed) and replaced by the same stem in another language."""
    out = []
    deleted = {posixpath.splitext(fc.path)[0]: fc for fc in inp.change if fc.status == DELETED and fc.old_language}
    for fc in inp.change:
        lang = fc.language
        if lang is None:
            continue
        old: str | None = None
        old_lang: str | None = None
        if fc.status == RENAMED and fc.old_language and not same_stack(fc.old_language, lang):
            old = fc.old_path
            old_lang = fc.old_language
        elif fc.status == ADDED:
            gone = deleted.get(posixpath.splitext(fc.path)[0])
            if gone is not None and not same_stack(gone.old_language, lang):
                old, old_lang = gone.path, gone.old_language
        if old is None:
            continue
        out.append(rules.make(
            "DR201", f"{old} ({old_lang}) is replaced by {fc.path} ({lang}): the change switches language.",
            evidence=f"{old} -> {fc.path}", path=fc.path, range=Range.lines(0),
            question=f"Keep {old} in {old_lang} and fix it there?",
            related=[{"language": lang, "from": [old_lang]}]))
    return out
