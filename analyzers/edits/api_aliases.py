"""What still serves a public Python name after a change, though griffe reports it gone or changed.

griffe compares two static visits of a module. Some ways a library keeps a
name working are invisible to that comparison, and each is a real
refactoring shape:

- a module `__getattr__` that serves the old name (usually with a
  DeprecationWarning): `if name == "LazyFile": return _LazyFile`;
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
import typing
import builtins
from dataclasses import dataclass, field
from functools import lru_cache


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
        elif isinstance(node, (ast.Assign, ast.AnnAssign)) and node.value is not None:
            if isinstance(node.value, (ast.Name, ast.Attribute, ast.Call)):
                facts.aliases |= names
            if _is_type_variable(node.value):
                facts.type_variables |= names
            strings = _string_constants(node.value)
            if strings:
                for name in names:
                    collections[name] = strings
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.name == "__getattr__":
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


def still_served(path_in_module: str, old: ModuleFacts, new: ModuleFacts) -> str | None:
    """Why a name griffe reports removed still works for callers, or None. `path_in_module` is "f" or "C.m"."""
    if not new.parsed:
        return None
    parts = path_in_module.split(".")
    if len(parts) == 1:
        name = parts[0]
        if name in new.served_by_getattr:
            return "the module's __getattr__ still serves it"
        if name in new.bound:
            return "the module still binds it"
        return None
    if len(parts) == 2:
        cls, member = parts
        return _served_by_class(cls, member, old, new, set())
    return None


def _served_by_class(cls: str, member: str, old: ModuleFacts, new: ModuleFacts, seen: set[str]) -> str | None:
    if cls in seen:
        return None
    seen.add(cls)
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
        if leaf in new.classes and _served_by_class(leaf, member, old, new, seen):
            return f"{cls} inherits it from {leaf}"
    return None


def defined_conditionally(path_in_module: str, new: ModuleFacts) -> bool:
    """The object (or the class holding it) is defined in the branches of a module-level if/try."""
    return path_in_module.split(".", 1)[0] in new.conditional
