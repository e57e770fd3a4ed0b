"""Whether a change touches only prose: docstrings and comments, the code's documentation.

Python files with both sides known are compared as syntax trees with their
docstrings taken out (comments never reach the tree): equal trees mean the
code itself did not change, however many lines did.
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
    for node in ast.walk(tree):
        body = getattr(node, "body", None)
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)) and body \
                and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant) \
                and isinstance(body[0].value.value, str):
            node.body = body[1:] or [ast.Pass()]
    return ast.dump(tree)
