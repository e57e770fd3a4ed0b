"""LSP handlers live at module level, as in pygls's examples; `feature` marks them and `register` adds a
module's marked handlers to a server. Feature modules therefore never import the server module (no cycle),
and their handlers can be imported and called directly in tests."""

from __future__ import annotations

from types import ModuleType
from typing import Any, Callable, TypeVar

F = TypeVar("F", bound=Callable[..., Any])
_MARK = "xyguard_lsp_feature"


def feature(method: str, options: Any = None) -> Callable[[F], F]:
    def mark(fn: F) -> F:
        setattr(fn, _MARK, (method, options))
        return fn
    return mark


def register(server: Any, module: ModuleType) -> list[str]:
    """Register every handler `module` marks; returns the LSP methods, in definition order."""
    methods = []
    for value in list(vars(module).values()):
        spec = getattr(value, _MARK, None)
        if spec is not None and callable(value) and getattr(value, "__module__", None) == module.__name__:
            method, options = spec
            server.feature(method, options)(value)
            methods.append(method)
    return methods
