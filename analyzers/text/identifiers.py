"""Identifiers in code and prose: what one is, and the words it is made of."""

from __future__ import annotations

import re

_SPLIT = re.compile(r"[A-Z]+(?=[A-Z][a-z])|[A-Z]?[a-z]+|[A-Z]+|\d+")


def split_identifier(name: str) -> list[str]:
    """`parseHTTPResponse_fast` -> ['parse', 'http', 'response', 'fast']."""
    return [p.lower() for p in _SPLIT.findall(name)]


IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
