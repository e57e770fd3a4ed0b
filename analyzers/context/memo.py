"""Values derived from one workspace context object, kept exactly as long as that object lives.

Checks build indexes over a context (a name index, a vocabulary, a resolver) once and reuse them across
requests; a rebuilt context gets new ones. A weak reference drops the entry with its context, so a server
that re-indexes a workspace does not keep the old indexes alive.
"""

from __future__ import annotations

import weakref
from typing import Any, Callable, Generic, TypeVar

T = TypeVar("T")


class PerContext(Generic[T]):
    def __init__(self) -> None:
        self._entries: dict[int, tuple[weakref.ref, T]] = {}

    def get(self, context: Any, build: Callable[[], T]) -> T:
        key = id(context)
        hit = self._entries.get(key)
        if hit is not None and hit[0]() is context:
            return hit[1]
        value = build()
        entries = self._entries  # bound now: at interpreter exit the module's globals may already be gone

        def forget(_ref: weakref.ref, key: int = key) -> None:
            entries.pop(key, None)

        try:
            entries[key] = (weakref.ref(context, forget), value)
        except TypeError:  # an object that cannot be weakly referenced: built again each time
            pass
        return value
