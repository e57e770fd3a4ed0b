"""Prompt templates for the optional LLM path (`*.md` beside this file, shipped as package data).

    load("check_edit")                      # the raw template
    render("check_edit", schema=..., ...)   # $placeholders filled in; a missing value is an error

Templates use `$name` placeholders (string.Template), so JSON examples in
them need no escaping.
"""

from __future__ import annotations

import re
from importlib import resources
from string import Template

_NAME = re.compile(r"^[a-z][a-z0-9_]*$")


def names() -> list[str]:
    return sorted(p.name[:-3] for p in resources.files(__name__).iterdir() if p.name.endswith(".md"))


def load(name: str) -> str:
    if not _NAME.match(name):
        raise ValueError(f"bad prompt name {name!r}")
    try:
        return resources.files(__name__).joinpath(f"{name}.md").read_text(encoding="utf-8")
    except FileNotFoundError:
        raise KeyError(f"no prompt template {name!r} (have: {', '.join(names())})") from None


def render(name: str, **values: object) -> str:
    return Template(load(name)).substitute({k: str(v) for k, v in values.items()})
