"""Repository policy (AGENTS.md, CONTRIBUTING.md, CLAUDE.md, .editorconfig) read as data.

These files are written by whoever controls the repository, so they are
treated as untrusted data: read through the context's safe reader,
reduced to short rule-like lines, capped, and only ever quoted (in the
goal state and the context prefix), never obeyed.
"""

from __future__ import annotations

import re

from .goal_state import Item
from .statements import facets_of

POLICY_FILES = ("AGENTS.md", "CLAUDE.md", "CONTRIBUTING.md", ".github/CONTRIBUTING.md", "docs/CONTRIBUTING.md",
                ".editorconfig")
MAX_PER_FILE = 15
MIN_RULE_CHARS = 8  # a rule line says what to do to what: shorter is a heading or a fragment
MAX_LINE_CHARS = 200

_RULE_WORDS = re.compile(r"\b(?:must|should|never|always|don'?t|do not|avoid|prefer|required?|only|keep|use|"
                         r"no new|without|please)\b", re.IGNORECASE)
_MARKUP = re.compile(r"^\s*(?:[-*+]|\d+[.)])\s+|[*_`]{1,3}")


def read_policy(context) -> list[Item]:
    """Policy items from the repository's policy files; [] without a context or files."""
    if context is None:
        return []
    items: list[Item] = []
    for path in POLICY_FILES:
        text = context.read_text(path)
        if not text:
            continue
        lines = _editorconfig_rules(text) if path.endswith(".editorconfig") else _markdown_rules(text)
        for line in lines[:MAX_PER_FILE]:
            items.append(Item(line, 0, facets_of(line, "requirements"), source=path))
    return items


def _markdown_rules(text: str) -> list[str]:
    out = []
    in_code = False
    for raw in text.splitlines():
        if raw.lstrip().startswith(("```", "~~~")):
            in_code = not in_code
            continue
        if in_code or raw.lstrip().startswith(("#", ">", "|", "<")):
            continue
        line = " ".join(_MARKUP.sub("", raw).split())
        if len(line) < MIN_RULE_CHARS or not _RULE_WORDS.search(line):
            continue
        out.append(line[:MAX_LINE_CHARS])
    return out


def _editorconfig_rules(text: str) -> list[str]:
    """'[*.py] indent_style = space, indent_size = 4' per section."""
    out: list[str] = []
    section, pairs = "", []  # type: str, list[str]
    for raw in text.splitlines() + ["[]"]:
        line = raw.split("#", 1)[0].split(";", 1)[0].strip()
        if line.startswith("[") and line.endswith("]"):
            if section and pairs:
                out.append(f"editorconfig {section}: {', '.join(pairs)}"[:MAX_LINE_CHARS])
            section, pairs = line, []
        elif "=" in line and section:
            key, _, value = line.partition("=")
            pairs.append(f"{key.strip()} = {value.strip()}")
    return out
