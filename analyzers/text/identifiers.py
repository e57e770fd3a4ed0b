"""Identifiers in code and prose: what one is, and the words it is made of."""

from __future__ import annotations

import re

_SPLIT = re.compile(r"[A-Z]+(?=[A-Z][a-z])|[A-Z]?[a-z]+|[A-Z]+|\d+")


def split_identifier(name: str) -> list[str]:
    """`parseHTTPResponse_fast` -> ['parse', 'http', 'response', 'fast']."""
    return [p.lower() for p in _SPLIT.findall(name)]


IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def holds_in_row(parts: list[str], words: tuple[str, ...] | list[str], shortened_last: bool = False) -> bool:
    """Whether an identifier's words hold `words` one after another (`http_transfer_encoding` holds transfer,
    encoding). `shortened_last`: the last word may be cut short, four letters at least (`config` for configuration)."""
    n = len(words)
    if not n:
        return False
    head, last = list(words[:-1]), words[-1]
    for i in range(len(parts) - n + 1):
        if parts[i:i + n - 1] == head and (parts[i + n - 1] == last or (
                shortened_last and len(last) >= DISTINCTIVE_WORD and parts[i + n - 1].startswith(last))):
            return True
    return False

# Texts are related through the words they share. Parts shorter than this ("id", "to", "of") say nothing
# about a subject; "url", "row", "log" do.
MEANINGFUL_PART = 3
# Words shorter than this are too common to relate two texts alone (a single shared word, a prefix match).
DISTINCTIVE_WORD = 4

# A name written the way code is written, in prose: `backticked`, a dotted path, a call, snake_case, CamelCase.
CODE_NAME = re.compile(r"`(?P<tick>[A-Za-z_][\w.]*(?:\(\))?)`|\b(?P<call>[A-Za-z_][\w.]*[A-Za-z0-9_])\(\)|"
                       r"\b(?P<dotted>[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)+)\b|"
                       r"\b(?P<snake>[a-z][a-z0-9]*(?:_[a-z0-9]+)+)\b|\b(?P<camel>[a-z]+(?:[A-Z][a-z0-9]+)+|(?:[A-Z][a-z0-9]+){2,})\b")
# A file named in prose: a path with a known extension.
FILE_MENTION = re.compile(r"(?<![\w/.-])(?P<path>(?:[\w.-]+/)*[\w-]+\.(?:py|pyi|js|jsx|ts|tsx|go|rs|java|kt|rb|php|c|h|cc|"
                          r"cpp|hpp|cs|swift|toml|json|ya?ml|md|rst|cfg|ini|sql|sh|txt|lock|html|css))\b")
