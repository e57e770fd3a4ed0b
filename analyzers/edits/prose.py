"""Whether a change touches only prose: docstrings and comments, the code's documentation.

Python files with both sides known are compared as syntax trees with their
docstrings (and every other string standing alone as a statement) taken out
(comments never reach the tree): equal trees mean the code itself did not
change, however many lines did.
"""

from __future__ import annotations

import ast
from functools import lru_cache

from .diffmodel import FileChange


def only_prose_changed(fc: FileChange | None) -> bool:
    """A Python file whose syntax tree, docstrings aside, is the same before and after."""
    if fc is None or fc.old_text is None or fc.new_text is None or fc.language != "python":
        return False
    old, new = _code_shape(fc.old_text), _code_shape(fc.new_text)
    return old is not None and old == new


@lru_cache(maxsize=64)
def _code_shape(text: str) -> str | None:
    try:
        tree = ast.parse(text)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return None
    # A string standing alone as a statement does nothing: a docstring, or the attribute docstring Sphinx reads
    # under an assignment (`MARKERS = {...}` then `"""What they are."""`).
    for node in ast.walk(tree):
        for field in ("body", "orelse", "finalbody"):
            body = getattr(node, field, None)
            if isinstance(body, list) and body and isinstance(body[0], ast.stmt):
                kept = [s for s in body if not _bare_string(s)]
                if len(kept) != len(body):
                    setattr(node, field, kept or [ast.Pass()])
    return ast.dump(tree)


def _bare_string(stmt: ast.stmt) -> bool:
    return isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Constant) and isinstance(stmt.value.value, str)
