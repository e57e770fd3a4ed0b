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


def infer_naming(ctx: WorkspaceContext) -> dict[str, dict[str, str]]:
    """language -> {"function" | "class": the style most of its multi-word names use}."""
    by_lang: dict[str, dict[str, Counter]] = {}
    for sym in ctx.all_symbols():
        group = "class" if sym.kind in ("class", "interface", "struct", "trait", "type", "enum") else (
            "function" if sym.kind in ("function", "method") else None)
        if group is None:
            continue
        style = naming_style(sym.name)
        if style:
            by_lang.setdefault(sym.language, {}).setdefault(group, Counter())[style] += 1
    return {lang: {g: c.most_common(1)[0][0] for g, c in groups.items() if c} for lang, groups in by_lang.items()}


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
