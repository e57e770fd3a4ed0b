"""Conventions a change should follow: naming style per language, test frameworks and test folders."""

from __future__ import annotations

import posixpath
import re
from collections import Counter

from .languages import TEST_DIRS, is_test_path
from .model import Conventions, WorkspaceContext

_STYLES = [
    ("SCREAMING_SNAKE_CASE", re.compile(r"^[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+$")),
    ("snake_case", re.compile(r"^[a-z][a-z0-9]*(?:_[a-z0-9]+)+$")),
    ("camelCase", re.compile(r"^[a-z][a-z0-9]*(?:[A-Z][a-z0-9]*)+$")),
    ("PascalCase", re.compile(r"^(?:[A-Z][a-z0-9]+)+[A-Z]?$")),
]


def naming_style(name: str) -> str | None:
    """The style a multi-word name is written in; None for one-word names, which fit several styles."""
    name = name.strip("_")
    for style, pattern in _STYLES:
        if pattern.match(name):
            return style
    return None


_GROUPS = {"class": "class", "interface": "class", "struct": "class", "trait": "class", "type": "class",
           "enum": "class", "function": "function", "method": "function"}
_KIND, _NAME = 2, 3  # fields of a symbol row (model.Symbol.row)


def style_counts(rows) -> dict[str, dict[str, int]]:
    """"function" | "class" -> naming style -> how many of one file's symbol rows are named in that style."""
    out: dict[str, dict[str, int]] = {}
    for row in rows:
        group = _GROUPS.get(row[_KIND])
        style = naming_style(row[_NAME]) if group is not None else None
        if group is not None and style:
            counts = out.setdefault(group, {})
            counts[style] = counts.get(style, 0) + 1
    return out


def infer_naming(ctx: WorkspaceContext) -> dict[str, dict[str, str]]:
    """language -> {"function" | "class": the style most of its multi-word names use} (ties: by name).

    Per-file counts recorded at parse time are summed; only files without them are decoded."""
    by_lang: dict[str, dict[str, Counter]] = {}
    for path in ctx.symbols:
        known = ctx.symbols.summary(path)
        styles = known.styles if known is not None else style_counts(s.row() for s in ctx.symbols[path])
        language = ctx.language_of(path)
        if language is None:
            continue
        for group, counts in styles.items():
            by_lang.setdefault(language, {}).setdefault(group, Counter()).update(counts)
    return {lang: {g: min(c.items(), key=lambda kv: (-kv[1], kv[0]))[0] for g, c in groups.items() if c}
            for lang, groups in by_lang.items()}


def infer_conventions(ctx: WorkspaceContext, naming: dict[str, dict[str, str]] | None = None) -> Conventions:
    """`naming`: the styles already inferred for exactly these files (the cache keeps them), else read off the symbols."""
    conv = Conventions()
    conv.naming = naming if naming is not None else infer_naming(ctx)

    frameworks: list[str] = []
    deps = ctx.dependency_names()
    paths = list(ctx.files)
    if "pytest" in deps or any(p.endswith("conftest.py") for p in paths) or _pyproject_mentions(ctx, "[tool.pytest"):
        frameworks.append("pytest")
    elif any(posixpath.basename(p).startswith("test_") and p.endswith(".py") for p in paths):
        frameworks.append("unittest")
    for js in ("jest", "vitest", "mocha", "ava", "jasmine", "@playwright/test", "cypress"):
        if js in deps:
            frameworks.append(js)
    if any(p.endswith("_test.go") for p in paths):
        frameworks.append("go test")
    if ctx.languages.get("rust"):
        frameworks.append("cargo test")
    if any(d.startswith("junit") or d.endswith(":junit") or "junit-jupiter" in d for d in deps):
        frameworks.append("junit")
    conv.test_frameworks = frameworks

    dirs: Counter = Counter()
    for p in paths:
        if is_test_path(p):
            parts = p.split("/")
            top = next((i for i, part in enumerate(parts[:-1]) if part in TEST_DIRS), None)
            dirs["/".join(parts[: top + 1]) if top is not None else (posixpath.dirname(p) or ".")] += 1
    conv.test_dirs = [d for d, _ in sorted(dirs.items(), key=lambda kv: (-kv[1], kv[0]))[:5]]
    return conv


def _pyproject_mentions(ctx: WorkspaceContext, needle: str) -> bool:
    if "pyproject.toml" not in ctx.files:
        return False
    text = ctx.read_text("pyproject.toml") or ""
    return needle in text
