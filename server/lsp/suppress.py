"""Edits that silence a code: an inline comment on the flagged line, or an `ignore` entry in the configuration.

Configuration edits are text insertions into the existing TOML (so the
user's comments and layout survive): `.xyguard.toml` if present, else the
`[tool.xyguard]` table of pyproject.toml, else a new `.xyguard.toml`.
"""

from __future__ import annotations

import re
from pathlib import Path

from xyguard.analyzers.findings import offset_to_position, utf16_len

_HASH = {"python", "ruby", "shell", "perl", "r", "julia", "elixir", "powershell", "nim"}
_DASHES = {"sql", "lua", "haskell"}
_PERCENT = {"erlang"}
_EXISTING = re.compile(r"xyguard:\s*ignore\[(?P<codes>[A-Za-z0-9_,\s]*)\]", re.IGNORECASE)
_TABLE = re.compile(r"^\s*\[", re.MULTILINE)


def comment_for(path: str, markdown: bool) -> tuple[str, str]:
    """(opening, closing) of a line comment in the file's language."""
    from xyguard.analyzers.context.languages import language_for_path  # the context package is heavy to import

    if markdown:
        return "<!-- ", " -->"
    language = language_for_path(path)
    if language in _HASH:
        return "# ", ""
    if language in _DASHES:
        return "-- ", ""
    if language in _PERCENT:
        return "% ", ""
    if language is None and path.endswith((".toml", ".yaml", ".yml", ".cfg", ".ini", ".txt")):
        return "# ", ""
    return "// ", ""


def inline_suppression(line_text: str, code: str, path: str, markdown: bool) -> tuple[int, int, str] | None:
    """(start, end, new text) in UTF-16 columns of `line_text` adding `code` to the line's ignore comment."""
    line_text = line_text.rstrip("\r\n")
    existing = _EXISTING.search(line_text)
    if existing:
        codes = [c.strip() for c in existing.group("codes").split(",") if c.strip()]
        if code in codes:
            return None
        start = utf16_len(line_text[: existing.start("codes")])
        end = utf16_len(line_text[: existing.end("codes")])
        return start, end, ", ".join(codes + [code])
    opening, closing = comment_for(path, markdown)
    end = utf16_len(line_text)
    gap = "" if not line_text.strip() else (" " if markdown else "  ")  # PEP 8's two spaces before code comments
    return end, end, f"{gap}{opening}xyguard: ignore[{code}]{closing}"


def _insert_into_ignore(text: str, start: int, end: int, code: str) -> tuple[int, str] | None:
    """In text[start:end] (one TOML table), the offset and text that add `code` to `ignore`; None if present."""
    m = re.compile(r"^\s*ignore\s*=\s*\[", re.MULTILINE).search(text, start, end)
    if m is None:
        return None
    close = text.find("]", m.end())
    listed = text[m.end(): close if close != -1 else end]
    if re.search(rf"[\"']{re.escape(code)}[\"']", listed):
        return -1, ""
    return m.end(), f'"{code}"{", " if listed.strip() else ""}'


def config_suppression(root: Path, code: str) -> tuple[Path, str | None, int, str] | None:
    """(file, its current text or None to create it, offset, text to insert), or None when already ignored."""
    dedicated = root / ".xyguard.toml"
    pyproject = root / "pyproject.toml"
    if dedicated.is_file() and not dedicated.is_symlink():
        text = dedicated.read_text(encoding="utf-8", errors="replace")
        header = re.search(r"^\s*\[tool\.xyguard\]\s*$", text, re.MULTILINE)
        start = header.end() if header else 0
        following = _TABLE.search(text, start + (1 if header else 0))
        end = following.start() if following else len(text)
        return _edit(dedicated, text, start, end, code)
    if pyproject.is_file() and not pyproject.is_symlink():
        text = pyproject.read_text(encoding="utf-8", errors="replace")
        header = re.search(r"^\s*\[tool\.xyguard\]\s*$", text, re.MULTILINE)
        if header is None:
            sep = "" if text.endswith("\n") or not text else "\n"
            return pyproject, text, len(text), f'{sep}\n[tool.xyguard]\nignore = ["{code}"]\n'
        following = _TABLE.search(text, header.end())
        return _edit(pyproject, text, header.end(), following.start() if following else len(text), code)
    return dedicated, None, 0, f'ignore = ["{code}"]\n'


def _edit(path: Path, text: str, start: int, end: int, code: str):
    found = _insert_into_ignore(text, start, end, code)
    if found is None:
        at = start if start == 0 else text.find("\n", start) + 1 or len(text)
        prefix = "" if at == 0 or text[at - 1: at] == "\n" else "\n"
        return path, text, at, f'{prefix}ignore = ["{code}"]\n'
    if found[0] == -1:
        return None
    return path, text, found[0], found[1]


def position_of(text: str, offset: int) -> tuple[int, int]:
    p = offset_to_position(text, offset)
    return p.line, p.character
