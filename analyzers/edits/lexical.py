"""Language-aware reading of single source lines: names defined, imports, comments, test files.

Line-level on purpose: checks must also work from a diff alone, where only
fragments of a file are known.
"""

from __future__ import annotations

import posixpath
import re

from ..context.conventions import is_test_path  # noqa: F401  (one definition of a test file)

_SPLIT = re.compile(r"[A-Z]+(?=[A-Z][a-z])|[A-Z]?[a-z]+|[A-Z]+|\d+")


def split_identifier(name: str) -> list[str]:
    """`parseHTTPResponse_fast` -> ['parse', 'http', 'response', 'fast']."""
    return [p.lower() for p in _SPLIT.findall(name)]


IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")

# ---- definitions -----------------------------------------------------------------------

_DEFS = {
    "python": re.compile(r"^(?P<indent>\s*)(?:async\s+)?(?P<kind>def|class)\s+(?P<name>[A-Za-z_]\w*)"),
    "javascript": re.compile(r"^(?P<indent>\s*)(?:export\s+)?(?:default\s+)?(?:async\s+)?(?P<kind>function\*?|class)\s+(?P<name>[A-Za-z_$][\w$]*)"
                             r"|^(?P<indent2>\s*)(?:export\s+)?(?:const|let|var)\s+(?P<name2>[A-Za-z_$][\w$]*)\s*=\s*(?:async\s*)?(?:\([^)]*\)|[A-Za-z_$][\w$]*)\s*=>"),
    "go": re.compile(r"^(?P<indent>\s*)(?P<kind>func|type)\s+(?:\([^)]*\)\s*)?(?P<name>[A-Za-z_]\w*)"),
    "rust": re.compile(r"^(?P<indent>\s*)(?:pub(?:\([^)]*\))?\s+)?(?:async\s+)?(?:unsafe\s+)?(?P<kind>fn|struct|enum|trait)\s+(?P<name>[A-Za-z_]\w*)"),
    "java": re.compile(r"^(?P<indent>\s*)(?:(?:public|protected|private|static|final|abstract|synchronized)\s+)*"
                       r"(?:(?P<kind>class|interface|enum|record)\s+(?P<name>[A-Za-z_]\w*)|[\w<>\[\],.? ]+\s+(?P<name2>[a-zA-Z_]\w*)\s*\()"),
}
_DEFS["typescript"] = _DEFS["tsx"] = _DEFS["javascript"]
_JAVA_NOT_METHODS = frozenset({"if", "for", "while", "switch", "catch", "return", "new", "else", "synchronized"})


def defined_name(line: str, language: str | None) -> tuple[str, str, int] | None:
    """(kind, name, indent) for a line that starts a function/class/type definition."""
    pattern = _DEFS.get(language or "")
    if pattern is None:
        return None
    m = pattern.match(line)
    if not m:
        return None
    gd = m.groupdict()
    name = gd.get("name") or gd.get("name2")
    if not name or (language == "java" and name in _JAVA_NOT_METHODS):
        return None
    kind = (gd.get("kind") or "function").rstrip("*")
    kind = {"def": "function", "func": "function", "fn": "function"}.get(kind, kind)
    indent = len(gd.get("indent") or gd.get("indent2") or "")
    return kind, name, indent


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

_LINE_COMMENT = {"python": "#", "shell": "#", "ruby": "#", "perl": "#", "r": "#", "toml": "#",
                 "javascript": "//", "typescript": "//", "tsx": "//", "go": "//", "rust": "//", "java": "//",
                 "c": "//", "cpp": "//", "csharp": "//", "kotlin": "//", "scala": "//", "swift": "//",
                 "php": "//", "dart": "//", "lua": "--", "sql": "--", "haskell": "--"}


def comment_body(line: str, language: str | None) -> str | None:
    """The text of a whole-line comment, or None when the line is not one."""
    marker = _LINE_COMMENT.get(language or "")
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


# ---- file roles --------------------------------------------------------------------------

_DOC_PATH = re.compile(r"(^|/)(docs?|doc_src|documentation|changelog\.d|changes|newsfragments|news|release[-_]?notes)/"
                       r"|\.(md|rst|txt|adoc)$|(^|/)(CHANGELOG|CHANGES|HISTORY|NEWS|AUTHORS|README)[^/]*$", re.I)


def is_doc_path(path: str) -> bool:
    return bool(_DOC_PATH.search(path))


def module_stem(path: str) -> str:
    stem = posixpath.splitext(posixpath.basename(path))[0]
    return posixpath.basename(posixpath.dirname(path)) if stem in ("__init__", "index", "mod", "lib", "main") else stem


# Words a definition line can start with, to skip the regex on every other line.
_DEF_STARTS = {
    "python": ("def ", "class ", "async "),
    "javascript": ("function", "class ", "export ", "async ", "const ", "let ", "var "),
    "go": ("func ", "type "),
    "rust": ("fn ", "pub", "struct ", "enum ", "trait ", "async ", "unsafe "),
}
_DEF_STARTS["typescript"] = _DEF_STARTS["tsx"] = _DEF_STARTS["javascript"]


def definitions(lines: dict[int, str], language: str | None) -> list[tuple[int, int, str]]:
    """(line, indent, name) of every definition line, in line order."""
    starts = _DEF_STARTS.get(language or "")
    out = []
    for no in sorted(lines):
        text = lines[no]
        if starts is not None and not text.lstrip().startswith(starts):
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
