"""DR212 naming drift, DR213 debug output, DR214 commented-out code, DR215 TODO spam.

Naming is judged against the file first (the names the change leaves in
place), then the repository's conventions, then the language's norm. Debug
output skips command-line entry points, where printing is the job.
"""

from __future__ import annotations

import ast
import re

from .. import rules
from ..context.conventions import naming_style
from ..context.languages import LANGUAGES, is_test_path
from ..findings import Finding, Range
from .diffmodel import FileChange
from .inputs import EditInput
from ..text.code import comment_body, defined_name

_CLASSLIKE = {"class", "struct", "enum", "trait", "interface", "type", "record"}

_ENTRY_POINT = re.compile(r"(^|/)(__main__\.py|cli[^/]*\.\w+|main\.\w+|manage\.py|setup\.py|scripts?/.*|bin/.*|examples?/.*|"
                          r"tools/.*|cmd/.*|demo[^/]*)$")
_MAIN_GUARD = re.compile(r"""if\s+__name__\s*==\s*['"]__main__['"]|^\s*func\s+main\s*\(|^\s*fn\s+main\s*\(|public\s+static\s+void\s+main""", re.M)

_TODO = re.compile(r"\b(TODO|FIXME|XXX|HACK)\b")
_TODO_LIMIT = 3
_CODE_HINT = re.compile(r"[=(){}\[\];]|^\s*(return|import|from|if|for|while|def|class|raise|yield|const|let|var)\b")
_JS_LIKE = re.compile(r"[;{}]\s*$|^\s*(return|const|let|var|if|for|while|import|export)\b.*[;{(]|^\s*\w[\w.]*\(.*\)\s*;?\s*$")


def check(inp: EditInput) -> list[Finding]:
    findings: list[Finding] = []
    todos: list[tuple[FileChange, int, str]] = []
    for fc in inp.content_files():
        lang = fc.language
        if lang is None:
            continue
        findings += _naming(fc, lang, inp)
        findings += _debug(fc, lang)
        findings += _commented_out(fc, lang)
        todos += [(fc, ln.new_no or 1, ln.text.strip()) for ln in fc.added() if _todo_comment(ln.text)]
    if len(todos) >= _TODO_LIMIT:
        fc, line, text = todos[0]
        findings.append(rules.make(
            "DR215", f"The change adds {len(todos)} TODO/FIXME markers: work left undone.",
            evidence="; ".join(t for _, _, t in todos[:3]), path=fc.path, range=Range.lines(line - 1),
            question="Which of these must be finished before the change is complete?"))
    return findings


def _todo_comment(line: str) -> bool:
    m = _TODO.search(line)
    return m is not None and any(marker in line[: m.start()] for marker in ("#", "//", "/*", "--", "*"))


# ---- DR212 -------------------------------------------------------------------------------------


def _expected_style(fc: FileChange, lang: str, group: str, inp: EditInput) -> str | None:
    # The file's own surviving names first: a camelCase module stays camelCase.
    styles: dict[str, int] = {}
    for no, text in fc.known_old_lines().items():
        found = defined_name(text, lang)
        if found and _group(found[0]) == group and (style := naming_style(found[1])):
            styles[style] = styles.get(style, 0) + 1
    if styles:
        return max(styles.items(), key=lambda kv: kv[1])[0]
    if inp.context is not None:
        style = inp.context.conventions.naming.get(lang, {}).get(group)
        if style:
            return style
    norms = LANGUAGES[lang].naming if lang in LANGUAGES else {}
    return norms.get(group)


def _group(kind: str) -> str:
    return "class" if kind in _CLASSLIKE else "function"


def _naming(fc: FileChange, lang: str, inp: EditInput) -> list[Finding]:
    out = []
    for ln in fc.added():
        found = defined_name(ln.text, lang)
        if not found:
            continue
        kind, name, _ = found
        if (lang == "python" and name.startswith("test")) or name.startswith("__"):
            continue
        style = naming_style(name)
        expected = _expected_style(fc, lang, _group(kind), inp)
        if style is None or expected is None or style == expected:
            continue
        if lang == "go" and {style, expected} <= {"camelCase", "PascalCase"}:
            continue  # Go's case is visibility, not style
        out.append(rules.make(
            "DR212", f"'{name}' is {style}; names like it in this code are {expected}.",
            evidence=ln.text.strip(), path=fc.path, range=Range.lines((ln.new_no or 1) - 1),
            fix=f"Rename '{name}' in {expected}."))
    return out


# ---- DR213 -------------------------------------------------------------------------------------


def _debug(fc: FileChange, lang: str) -> list[Finding]:
    pattern = LANGUAGES[lang].debug_output if lang in LANGUAGES else None
    if pattern is None or is_test_path(fc.path) or _ENTRY_POINT.search(fc.path):
        return []
    if fc.new_text is not None and _MAIN_GUARD.search(fc.new_text):
        return []
    out = []
    for ln in fc.added():
        m = pattern.match(ln.text)
        if m:
            out.append(rules.make(
                "DR213", f"Debug output added: {m.group(1).strip()}", evidence=ln.text.strip(), path=fc.path,
                range=Range.lines((ln.new_no or 1) - 1), fix="Remove it, or use the project's logging."))
    return out


# ---- DR214 -------------------------------------------------------------------------------------


# A commented-out line of code is short: `x = f(y)`; shorter than this is a word, longer is prose about code.
MIN_CODE_CHARS, MAX_CODE_COMMENT_WORDS = 4, 12


def _looks_like_code(body: str, lang: str) -> bool:
    if len(body) < MIN_CODE_CHARS or not _CODE_HINT.search(body) or _TODO.search(body):
        return False
    if lang == "python":
        if body.endswith(":"):
            body += " pass"
        # The first line of a commented-out call or literal leaves its bracket open.
        closing = {"(": ")", "[": "]", "{": "}"}.get(body[-1], "")
        try:
            tree = ast.parse(body + closing)
        except (SyntaxError, ValueError):
            return False
        if len(tree.body) != 1:
            return False
        node = tree.body[0]
        if isinstance(node, ast.Expr):
            return isinstance(node.value, ast.Call)  # prose parses as a bare name or comparison
        return not isinstance(node, ast.AnnAssign) or "=" in body
    return bool(_JS_LIKE.search(body)) and len(body.split()) <= MAX_CODE_COMMENT_WORDS


def _commented_out(fc: FileChange, lang: str) -> list[Finding]:
    out = []
    run: list = []
    lines = fc.added()
    for i, ln in enumerate(lines + [None]):
        body = comment_body(ln.text, lang) if ln is not None else None
        if ln is not None and body is not None and _looks_like_code(body, lang):
            if run and ln.new_no != (run[-1].new_no or 0) + 1:
                out.append(_dr214(fc, run))
                run = []
            run.append(ln)
            continue
        if run:
            out.append(_dr214(fc, run))
            run = []
    return out


def _dr214(fc: FileChange, run: list) -> Finding:
    first, last = run[0], run[-1]
    return rules.make(
        "DR214", f"{len(run)} line{'s' if len(run) != 1 else ''} of commented-out code added.",
        evidence=first.text.strip(), path=fc.path, range=Range.lines((first.new_no or 1) - 1, (last.new_no or 1) - 1),
        fix="Delete it; version control keeps the old code.")
