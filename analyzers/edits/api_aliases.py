"""What still serves a public Python name after a change, though griffe reports it gone or changed.

griffe compares two static visits of a module. Some ways a library keeps a
name working are invisible to that comparison, and each is a real
refactoring shape:

- a module `__getattr__` that serves the old name (usually with a
  DeprecationWarning): `if name == "LazyFile": return _LazyFile`;
- a name re-exported by `from .module import *` from the module it was
  imported from before (a package `__init__` that stops listing names);
- a name still bound another way: re-exported, assigned a deprecated
  wrapper, declared only through `@overload` stubs, or defined in the
  branches of a version or TYPE_CHECKING conditional;
- a method or attribute removed from a class that a base class still
  provides: a builtin base (`args` of an exception, `get` of a dict), a base
  defined in the same module, or any base when the removed method only
  delegated to `super()`.

Everything here reads the text with `ast`; nothing is imported or run.
"""

from __future__ import annotations

import ast
import re
import typing
import builtins
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Callable


@dataclass
class ClassFacts:
    bases: list[str] = field(default_factory=list)  # as written: "dict", "t.Generic[T]", "base.Mixin"
    members: set[str] = field(default_factory=set)
    delegating: set[str] = field(default_factory=set)  # methods whose body calls super().<same name>


@dataclass
class ModuleFacts:
    parsed: bool = False
    bound: set[str] = field(default_factory=set)  # every name bound at module level, in any branch
    conditional: set[str] = field(default_factory=set)  # bound inside a module-level if/try (versions, TYPE_CHECKING)
    aliases: set[str] = field(default_factory=set)  # bound by an import or by assigning another name or a call
    served_by_getattr: set[str] = field(default_factory=set)  # strings a module-level __getattr__ answers to
    classes: dict[str, ClassFacts] = field(default_factory=dict)
    type_variables: set[str] = field(default_factory=set)  # T = TypeVar("T"), P = ParamSpec("P")
    imported_from: dict[str, str] = field(default_factory=dict)  # name -> module as written ("._api")
    star_sources: set[str] = field(default_factory=set)  # modules imported with `from X import *`
    declared_all: frozenset[str] | None = None  # a literal `__all__`: what a star import of this module takes

    def star_exports(self, name: str) -> bool | None:
        """Whether `from <this module> import *` binds `name` here (None: only its own star imports could)."""
        if self.declared_all is not None:
            return name in self.declared_all
        if name.startswith("_"):
            return False
        return True if name in self.bound else None


# The module a star import names, as written ("._transports"), read from the importing module's file:
# its facts, and the path further star imports resolve against; None when it is not in the repository.
StarResolver = Callable[[str, str], "tuple[str, ModuleFacts] | None"]
MAX_STAR_DEPTH = 4  # `__init__` star-importing a subpackage that star-imports its modules is two levels


_TYPE_VARIABLE_FACTORIES = frozenset({"TypeVar", "ParamSpec", "TypeVarTuple"})


@lru_cache(maxsize=64)
def module_facts(text: str) -> ModuleFacts:
    facts = ModuleFacts()
    try:
        tree = ast.parse(text)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return facts
    facts.parsed = True
    collections: dict[str, set[str]] = {}  # module-level names holding literal strings (a deprecation table)
    getattr_bodies: list[ast.AST] = []
    for node, conditional in _module_statements(tree.body):
        names = _bound_names(node)
        facts.bound |= names
        if conditional:
            facts.conditional |= names
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            facts.aliases |= names
            if isinstance(node, ast.ImportFrom):
                source = "." * node.level + (node.module or "")
                for alias in node.names:
                    if alias.name == "*":
                        facts.star_sources.add(source)
                    else:
                        facts.imported_from[alias.asname or alias.name] = source
        elif isinstance(node, (ast.Assign, ast.AnnAssign)) and node.value is not None:
            if isinstance(node.value, (ast.Name, ast.Attribute, ast.Call)):
                facts.aliases |= names
            if _is_type_variable(node.value):
                facts.type_variables |= names
            strings = _string_constants(node.value)
            if strings:
                for name in names:
                    collections[name] = strings
        if "__all__" in names:
            facts.declared_all = _literal_all(node, facts.declared_all)
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.name == "__getattr__":
            getattr_bodies.append(node)
        elif isinstance(node, ast.ClassDef):
            facts.classes[node.name] = _class_facts(node)
    for body in getattr_bodies:
        facts.served_by_getattr |= _string_constants(body)
        for sub in ast.walk(body):
            if isinstance(sub, ast.Name) and sub.id in collections:
                facts.served_by_getattr |= collections[sub.id]
    return facts


def _module_statements(body: list[ast.stmt], conditional: bool = False):
    """Module-level statements, descending into if/try/with blocks (whose definitions are still module-level)."""
    for node in body:
        if isinstance(node, ast.If):
            yield from _module_statements(node.body, True)
            yield from _module_statements(node.orelse, True)
        elif isinstance(node, ast.Try) or type(node).__name__ == "TryStar":
            node = typing.cast(ast.Try, node)  # TryStar (3.11+) has Try's fields
            for part in (node.body, node.orelse, node.finalbody, *[h.body for h in node.handlers]):
                yield from _module_statements(part, True)
        elif isinstance(node, (ast.With, ast.AsyncWith)):
            yield from _module_statements(node.body, conditional)
        else:
            yield node, conditional


def _bound_names(node: ast.stmt) -> set[str]:
    if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
        return {node.name}
    if isinstance(node, (ast.Import, ast.ImportFrom)):
        return {(a.asname or a.name).split(".")[0] for a in node.names if a.name != "*"}
    targets: list[ast.expr] = []
    if isinstance(node, ast.Assign):
        targets = node.targets
    elif isinstance(node, (ast.AnnAssign, ast.AugAssign)):
        targets = [node.target]
    elif type(node).__name__ == "TypeAlias":
        targets = [node.name]  # type: ignore[attr-defined]
    out: set[str] = set()
    for target in targets:
        for sub in ast.walk(target):
            if isinstance(sub, ast.Name):
                out.add(sub.id)
    return out


def _literal_all(node: ast.stmt, before: frozenset[str] | None) -> frozenset[str] | None:
    """`__all__` as a literal list or tuple of names (`+=` adds to it); None when it is computed."""
    value = node.value if isinstance(node, (ast.Assign, ast.AnnAssign, ast.AugAssign)) else None
    if not isinstance(value, (ast.List, ast.Tuple)) or not all(
            isinstance(e, ast.Constant) and isinstance(e.value, str) for e in value.elts):
        return None
    names = frozenset(str(typing.cast(ast.Constant, e).value) for e in value.elts)
    if isinstance(node, ast.AugAssign):
        return None if before is None else before | names
    return names


def _is_type_variable(value: ast.expr) -> bool:
    if not isinstance(value, ast.Call):
        return False
    func = value.func
    name = func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else ""
    return name in _TYPE_VARIABLE_FACTORIES


def _string_constants(node: ast.AST) -> set[str]:
    return {sub.value for sub in ast.walk(node) if isinstance(sub, ast.Constant) and isinstance(sub.value, str)
            and sub.value.isidentifier()}


def _class_facts(node: ast.ClassDef) -> ClassFacts:
    facts = ClassFacts(bases=[ast.unparse(b) for b in node.bases])
    for stmt, _ in _module_statements(node.body):
        facts.members |= _bound_names(stmt)
        if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef)):
            if _delegates_to_super(stmt):
                facts.delegating.add(stmt.name)
            facts.members |= _instance_attributes(stmt)
    return facts


def _instance_attributes(func: ast.FunctionDef | ast.AsyncFunctionDef) -> set[str]:
    """Attributes a method sets on its instance (`self.app = app`): members of every instance, as griffe sees."""
    if not func.args.args:
        return set()
    me = func.args.args[0].arg
    out: set[str] = set()
    for sub in ast.walk(func):
        targets = sub.targets if isinstance(sub, ast.Assign) else [sub.target] \
            if isinstance(sub, (ast.AnnAssign, ast.AugAssign)) else []
        for target in targets:
            if isinstance(target, ast.Attribute) and isinstance(target.value, ast.Name) and target.value.id == me:
                out.add(target.attr)
    return out


def _delegates_to_super(func: ast.FunctionDef | ast.AsyncFunctionDef) -> bool:
    """The method calls super().<its own name>: the base class has that name too."""
    for sub in ast.walk(func):
        if (isinstance(sub, ast.Attribute) and sub.attr == func.name and isinstance(sub.value, ast.Call)
                and isinstance(sub.value.func, ast.Name) and sub.value.func.id == "super"):
            return True
    return False


# ---- questions the API check asks --------------------------------------------------------------


def still_served(path_in_module: str, old: ModuleFacts, new: ModuleFacts, path: str = "",
                 resolve: StarResolver | None = None) -> str | None:
    """Why a name griffe reports removed still works for callers, or None. `path_in_module` is "f" or "C.m";
    `resolve` reads the modules the new text star-imports (`path` is the module's file)."""
    if not new.parsed:
        return None
    parts = path_in_module.split(".")
    if len(parts) == 1:
        name = parts[0]
        if name in new.served_by_getattr:
            return "the module's __getattr__ still serves it"
        if name in new.bound:
            return "the module still binds it"
        source = _star_source_serving(name, path, new, resolve, 0) if resolve is not None else None
        if source is None and old.imported_from.get(name) in new.star_sources:
            source = old.imported_from[name]  # the module it came from, when that module cannot be read
        if source is not None:
            return f"the module still re-exports it with `from {source} import *`"
        return None
    if len(parts) == 2:
        cls, member = parts
        return _served_by_class(cls, member, old, new, set(), path, resolve)
    return None


def _star_source_serving(name: str, path: str, facts: ModuleFacts, resolve: StarResolver, depth: int) -> str | None:
    """The star import of `facts` (as written) that binds `name`, following star imports of star imports."""
    if depth >= MAX_STAR_DEPTH:
        return None
    for source in sorted(facts.star_sources):
        found = resolve(path, source)
        if found is None:
            continue
        target_path, target = found
        exported = target.star_exports(name)
        if exported or (exported is None and _star_source_serving(name, target_path, target, resolve, depth + 1)):
            return source
    return None


def _served_by_class(cls: str, member: str, old: ModuleFacts, new: ModuleFacts, seen: set[tuple[str, str]], path: str = "",
                     resolve: StarResolver | None = None, depth: int = 0) -> str | None:
    if (path, cls) in seen:
        return None
    seen.add((path, cls))
    facts = new.classes.get(cls)
    if facts is None:
        return None
    if member in facts.members:
        return f"{cls} still defines it"
    before = old.classes.get(cls)
    if before is not None and member in before.delegating:
        return f"the removed {cls}.{member} only delegated to its base class, which still provides it"
    for base in [*facts.bases, "object"]:  # every class is an object: __repr__, __eq__, __hash__ come from there
        leaf = base.split("[", 1)[0].rsplit(".", 1)[-1]
        builtin = getattr(builtins, leaf, None)
        if isinstance(builtin, type) and hasattr(builtin, member):
            return f"{cls} inherits it from {leaf}"
        if leaf in new.classes and _served_by_class(leaf, member, old, new, seen, path, resolve, depth):
            return f"{cls} inherits it from {leaf}"
        found = _base_module(base.split("[", 1)[0], new, path, resolve) if depth < MAX_STAR_DEPTH else None
        if found is not None and _served_by_class(leaf, member, found[1], found[1], seen, found[0], resolve, depth + 1):
            return f"{cls} inherits it from {leaf}"
    return None


def _base_module(base: str, facts: ModuleFacts, path: str, resolve: StarResolver | None) -> tuple[str, ModuleFacts] | None:
    """The module of the repository defining a base class imported from it: `from .base import Dialect` or
    `from ..engine import default` with `default.DefaultDialect`."""
    if resolve is None or not path:
        return None
    head, _, rest = base.partition(".")
    source = facts.imported_from.get(head)
    if source is None:
        return None
    if not rest:  # the class itself was imported
        found = resolve(path, source)
        return found if found is not None and head in found[1].classes else None
    module = source + ("" if source.endswith(".") else ".") + head  # `from ..engine import default`: a module
    found = resolve(path, module)
    return found if found is not None and rest.rsplit(".", 1)[-1] in found[1].classes else None


@lru_cache(maxsize=32)
def deprecated_objects(text: str) -> frozenset[str]:
    """Qualified names ("f", "C", "C.m") whose own source says they are deprecated (a DeprecationWarning, a
    `@deprecated` decorator, a `.. deprecated::` note), and "" when the module as a whole warns on import."""
    try:
        tree = ast.parse(text)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return frozenset()
    out: set[str] = set()
    # The lines of each statement, sliced from one split (ast.get_source_segment splits the whole text per call:
    # quadratic on a module of a thousand definitions).
    rows = text.splitlines(keepends=True)

    def source(node: ast.stmt) -> str:
        return "".join(rows[node.lineno - 1:node.end_lineno or node.lineno])

    def visit(body: list[ast.stmt], prefix: str) -> None:
        for node in body:
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                segment = source(node)
                decorators = " ".join(ast.unparse(d) for d in node.decorator_list)
                if _DEPRECATION.search(segment) or _DEPRECATION.search(decorators):
                    out.add(prefix + node.name)
                if isinstance(node, ast.ClassDef):
                    visit(node.body, prefix + node.name + ".")
            elif not prefix and _DEPRECATION.search(source(node)):
                out.add("")  # a module-level warning: importing the module is deprecated

    visit(tree.body, "")
    if "__getattr__" in out:
        out.add("")  # a shim whose every name warns on access
    return frozenset(out)


_DEPRECATION = re.compile(r"DeprecationWarning|\bdeprecated\b|\.\. deprecated::", re.I)


def defined_conditionally(path_in_module: str, new: ModuleFacts) -> bool:
    """The object (or the class holding it) is defined in the branches of a module-level if/try."""
    return path_in_module.split(".", 1)[0] in new.conditional
