"""Language-aware reading of single source lines: names defined, imports, comments.

Line-level on purpose: checks must also work from a diff alone, where only
fragments of a file are known.
"""

from __future__ import annotations

import re

from ..context.languages import LANGUAGES

# ---- definitions -----------------------------------------------------------------------


def defined_name(line: str, language: str | None) -> tuple[str, str, int] | None:
    """(kind, name, indent) for a line that starts a function/class/type definition."""
    lang = LANGUAGES.get(language or "")
    if lang is None or lang.definition is None:
        return None
    m = lang.definition.match(line)
    if not m:
        return None
    gd = m.groupdict()
    name = gd.get("name") or gd.get("name2")
    if not name or name in lang.not_definitions:
        return None
    kind = (gd.get("kind") or "function").rstrip("*")
    kind = {"def": "function", "func": "function", "fn": "function"}.get(kind, kind)
    indent = len(gd.get("indent") or gd.get("indent2") or "")
    return kind, name, indent


# Module-level bindings by assignment: type aliases, constants, registries (`URLTypes = Union[...]`).
_PY_MODULE_ASSIGNMENT = re.compile(r"([A-Za-z_]\w*)\s*(?::[^=\n]*)?=(?!=)")
_JS_MODULE_ASSIGNMENT = re.compile(r"(?:export\s+)?(?:const|let|var)\s+([A-Za-z_$][\w$]*)\s*(?::[^=\n]*)?=(?!=)")


def module_assignment(line: str, language: str | None) -> str | None:
    """The name an unindented assignment binds at module level, in languages where that defines API."""
    if not line[:1].isalpha() and line[:1] != "_":
        return None
    pattern = _PY_MODULE_ASSIGNMENT if language == "python" else \
        _JS_MODULE_ASSIGNMENT if language in ("javascript", "typescript", "tsx") else None
    m = pattern.match(line) if pattern is not None else None
    return m.group(1) if m else None


# ---- imports ---------------------------------------------------------------------------

_PY_IMPORT = re.compile(r"^\s*import\s+([\w.]+(?:\s+as\s+\w+)?(?:\s*,\s*[\w.]+(?:\s+as\s+\w+)?)*)")
_PY_FROM = re.compile(r"^\s*from\s+(\.*)([\w.]*)\s+import\b")
_JS_IMPORT = re.compile(r"""(?:^\s*import\s[^'"]*?from\s*|^\s*import\s*|\brequire\s*\(\s*|\bimport\s*\(\s*)['"]([^'"]+)['"]""")
_GO_IMPORT = re.compile(r"""^\s*(?:import\s+)?(?:[\w.]+\s+)?"([^"]+)"\s*$""")
_RUST_USE = re.compile(r"^\s*(?:pub\s+)?(?:use|extern\s+crate)\s+([A-Za-z_]\w*)")


def imported_modules(line: str, language: str | None) -> list[str]:
    """Absolute module/package names a line imports (relative Python imports give none)."""
    if language == "python":
        m = _PY_FROM.match(line)
        if m:
            return [] if m.group(1) or not m.group(2) else [m.group(2)]
        m = _PY_IMPORT.match(line)
        if m:
            return [part.split()[0] for part in m.group(1).split(",") if part.strip()]
        return []
    if language in ("javascript", "typescript", "tsx"):
        return _JS_IMPORT.findall(line)
    if language == "go":
        m = _GO_IMPORT.match(line)
        return [m.group(1)] if m else []
    if language == "rust":
        m = _RUST_USE.match(line)
        return [m.group(1)] if m and m.group(1) not in ("crate", "self", "super", "std", "core", "alloc") else []
    return []


# ---- comments ----------------------------------------------------------------------------

def comment_body(line: str, language: str | None) -> str | None:
    """The text of a whole-line comment, or None when the line is not one."""
    lang = LANGUAGES.get(language or "")
    marker = lang.line_comment if lang is not None else None
    if marker is None:
        return None
    stripped = line.lstrip()
    if not stripped.startswith(marker):
        return None
    body = stripped[len(marker):]
    if marker == "//" and body.startswith("/"):  # /// doc comments
        return None
    if marker == "#" and body.startswith("!"):  # shebang
        return None
    return body.strip()


def definitions(lines: dict[int, str], language: str | None) -> list[tuple[int, int, str]]:
    """(line, indent, name) of every definition line, in line order."""
    lang = LANGUAGES.get(language or "")
    starts = lang.definition_starts if lang is not None else ()
    out = []
    for no in sorted(lines):
        text = lines[no]
        if starts and not text.lstrip().startswith(starts):
            continue
        found = defined_name(text, language)
        if found:
            out.append((no, found[2], found[1]))
    return out


def enclosing_definition(defs: list[tuple[int, int, str]], line_no: int, line_text: str) -> str | None:
    """The name of the nearest definition above `line_no` that encloses it (by indentation)."""
    indent = len(line_text) - len(line_text.lstrip()) if line_text.strip() else 10_000
    lo, hi = 0, len(defs)
    while lo < hi:  # defs before line_no
        mid = (lo + hi) // 2
        if defs[mid][0] < line_no:
            lo = mid + 1
        else:
            hi = mid
    for i in range(lo - 1, -1, -1):
        if defs[i][1] < indent:
            return defs[i][2]
    return None
