"""Whether a name a request mentions exists somewhere it could mean: the repository or the language around it.

A name resolves when it is one of the repository's symbols, module names or identifiers (any identifier in
its code: parameters, attributes, locals, imported modules, keyword arguments), a Python builtin or keyword, a
standard-library module, a declared dependency or a module a dependency provides, or the project itself.
Only a name that resolves nowhere can be unknown; a name that resolves is evidence the request is specific.

The repository's identifiers are a per-file inverted index in the workspace cache (context/postings.py):
built once, refreshed per changed file, and looked up by hash, so a request costs one query.
"""

from __future__ import annotations

import builtins
import hashlib
import keyword
import sys
from collections.abc import Container
from typing import Iterable, TYPE_CHECKING

from ..context.memo import PerContext
from ..context.postings import postings
from ..text.identifiers import IDENTIFIER

if TYPE_CHECKING:
    from xyguard.analyzers.context.model import WorkspaceContext

INDEX = "identifiers@1"
MAX_NAMES_LOOKED_UP = 200  # names of one request checked against the index; more is pasted code, not a request
_BUILTIN = frozenset(n.lower() for n in dir(builtins)) | frozenset(keyword.kwlist) | frozenset(
    k.lower() for k in getattr(keyword, "softkwlist", []))
_STDLIB = frozenset(n.lower() for n in getattr(sys, "stdlib_module_names", ()))
# Distributions whose import name is not their project name (the common cases; others import as named).
_PROVIDES = {
    "pyyaml": ("yaml",), "beautifulsoup4": ("bs4",), "pillow": ("pil",), "attrs": ("attr", "attrs"),
    "scikit-learn": ("sklearn",), "python-dateutil": ("dateutil",), "opencv-python": ("cv2",), "pyjwt": ("jwt",),
    "pyopenssl": ("openssl",), "protobuf": ("google",), "msgpack-python": ("msgpack",), "typing-extensions":
    ("typing_extensions",), "importlib-metadata": ("importlib_metadata",), "pywin32": ("win32api", "win32con"),
    "markupsafe": ("markupsafe",), "pygments": ("pygments",), "pysocks": ("socks",), "h2": ("h2",),
}


def key(name: str) -> int:
    return int.from_bytes(hashlib.blake2b(name.lower().encode("utf-8", "surrogatepass"), digest_size=8).digest(), "big")


def _extract(path: str, text: str, language: str) -> Iterable[tuple[int, int, int]]:
    seen = set()
    for word in IDENTIFIER.findall(text):
        lowered = word.lower()
        if lowered not in seen:
            seen.add(lowered)
            yield key(lowered), 0, 0


def dependency_modules(names: Iterable[str]) -> set[str]:
    """Import names a set of declared distributions provides (lower case)."""
    out = set()
    for dist in names:
        dist = dist.lower()
        out.add(dist)
        out.add(dist.replace("-", "_"))
        for prefix in ("python-", "py-"):
            if dist.startswith(prefix):
                out.add(dist[len(prefix):].replace("-", "_"))
        out.update(_PROVIDES.get(dist, ()))
    return out


class Resolver:
    """Answers 'does this name exist anywhere it could mean?' for one workspace context."""

    def __init__(self, context: WorkspaceContext, symbol_names: Container[str]):
        self.context = context
        self.symbols = symbol_names  # lower-case names and qualnames of the repository's symbols
        self.dependencies = dependency_modules(d.name for d in context.dependencies)
        self.project = {part.lower() for path in context.files for part in path.split("/")[:2]
                        if part.isidentifier()} | {context.root.name.lower()}
        # module names are names too: "test_decoders" is tests/test_decoders.py
        self.modules = {path.rsplit("/", 1)[-1].rsplit(".", 1)[0].lower() for path in context.files}
        self._index = None
        self._cache: dict[str, bool] = {}

    def _identifiers(self):
        if self._index is None:
            self._index = postings(self.context, INDEX, _extract)
        return self._index

    def outside_repository(self, name: str) -> bool:
        """A builtin, keyword, standard-library module or dependency (by its first dotted part)."""
        head = name.split(".")[0].lower()
        return head in _BUILTIN or head in _STDLIB or head in self.dependencies

    def known(self, names: Iterable[str]) -> dict[str, bool]:
        """For each (possibly dotted) name: does it resolve? One index query for the whole batch."""
        out: dict[str, bool] = {}
        pending: dict[str, list[str]] = {}
        for name in list(dict.fromkeys(names))[:MAX_NAMES_LOOKED_UP]:
            lowered = name.lower().strip("()")
            if lowered in self._cache:
                out[name] = self._cache[lowered]
                continue
            parts = [p for p in lowered.split(".") if p]
            if not parts:
                out[name] = True
                continue
            last = parts[-1]
            # `_name` and `name` are one name spelt private or public
            if (lowered in self.symbols or self.outside_repository(lowered) or last in self.symbols
                    or "_" + last in self.symbols or last.lstrip("_") in self.symbols
                    or last in self.modules or parts[0] in self.project and len(parts) == 1):
                out[name] = self._cache[lowered] = True
                continue
            pending[name] = parts
        if pending:
            index = self._identifiers()
            found = index.find(key(p[-1]) for p in pending.values())
            from ..context.postings import signed64

            for name, parts in pending.items():
                hit = signed64(key(parts[-1])) in found
                out[name] = self._cache[name.lower().strip("()")] = hit
        return out


_RESOLVERS: PerContext[Resolver] = PerContext()


def resolver(context: WorkspaceContext, symbol_names: Container[str]) -> Resolver:
    """One resolver per context object (its parameter set and index handle are reused across requests)."""
    return _RESOLVERS.get(context, lambda: Resolver(context, symbol_names))

