"""DR202: public API broken — a public object removed or renamed, or its signature changed incompatibly.

Python goes through griffe (static visits of the old and new module text,
`find_breaking_changes`). When only the diff is known, griffe compares the
signatures the diff removes and adds, rebuilt as stub modules. Other
languages compare tree-sitter symbols (`context.symbols.extract_symbols`).
Private names never count; neither do tests, examples, scripts, or modules
nobody can import. A name that still works for callers (a module
`__getattr__`, a re-export or wrapper, `@overload` stubs, a base class that
provides it: `api_aliases`) is no break.

Severity says how much a reviewer would mind: a public object removed with
no alias is an error; an incompatible signature a warning; a changed default,
a type-only change or a removed type variable information. What the request
or commit message states (a removal, rename, deprecation, revert) is
reported at most as information, "as stated".
"""

from __future__ import annotations

import logging
import posixpath
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path, PurePosixPath

from .. import rules
from ..findings import Finding, Range, severity_rank
from .api_aliases import ModuleFacts, StarResolver, defined_conditionally, deprecated_objects, module_facts, still_served
from .diffmodel import ADDED, DELETED, FileChange, Line
from .inputs import EditInput
from .stated_intent import RequestIntent, request_intent
from ..context.languages import is_test_path
from ..context.releases import ABSENT, latest_release, released_text
from ..text.identifiers import CODE_NAME
from ..text.code import defined_name

_NOT_API = re.compile(r"(^|/)([\w.-]*[-_])?(tests?|testing|examples?|samples?|demos?|scripts?|benchmarks?|docs?|"
                      r"tools|bin|_vendor|vendor)/|(^|/)(setup|conftest|noxfile|manage|__main__)\.py$|"
                      r"^(duties|tasks|fabfile|dodo)\.py$")  # the project's own task runner, at its root


_API_DUNDERS = frozenset({"__init__", "__new__", "__call__"})
_MEMBERS_GROUPED = 3  # this many members removed from one class are reported as one change
# Special methods callers rely on by syntax: calling, iterating, indexing, `with`, `len()`, `await`.
_CALLER_PROTOCOL = _API_DUNDERS | frozenset({
    "__iter__", "__next__", "__len__", "__getitem__", "__setitem__", "__delitem__", "__contains__", "__enter__",
    "__exit__", "__aenter__", "__aexit__", "__aiter__", "__anext__", "__await__", "__getattr__", "__bool__"})

REMOVED, KIND_CHANGED = "Public object was removed", "Public object points to a different kind of object"
_MOVED = "Positional parameter was moved"
# What each kind of breakage means to a caller of a library.
_SEVERITY_OF_KIND = {
    REMOVED: "error",
    KIND_CHANGED: "warning",
    "Parameter was removed": "warning",
    "Parameter kind was changed": "warning",
    "Positional parameter was moved": "warning",
    "Parameter is now required": "warning",
    "Parameter was added as required": "warning",
    "Base class was removed": "warning",
    "Parameter default was changed": "info",  # calls still work; what the default means may not change
    "Return types are incompatible": "info",  # type checkers notice, running code does not
    "Attribute types are incompatible": "info",
}


@dataclass
class Break:
    name: str  # dotted path of the object, e.g. "pkg.mod.Parser.parse"
    what: str  # human description
    line: int  # one-based line in the new file (or the old one for removals), 0 when unknown
    severity: str = "error"
    kind: str = ""  # griffe's breakage kind, when griffe found it
    param: str = ""  # the parameter concerned, for parameter kinds


def check(inp: EditInput) -> list[Finding]:
    intent = request_intent(inp.intent_text)
    notes = documented(inp.change)
    findings = []
    for fc in inp.content_files():
        if fc.status == ADDED or _NOT_API.search(fc.path) or is_test_path(fc.path):
            continue
        lang = fc.old_language
        if lang == "python":
            if not _importable(fc.old_path or fc.path):
                continue
            breaks = _python_breaks(fc, inp.context, _star_resolver(inp))
        elif lang in ("javascript", "typescript", "tsx", "go", "rust", "java"):
            breaks = _symbol_breaks(fc, lang, inp)
        else:
            continue
        if lang == "python" and inp.context is not None:
            _mark_unreleased(breaks, fc, inp.context.root)
        if intent and intent.removes_deprecated and fc.old_text is not None:
            _mark_deprecated(breaks, fc)
        if breaks and lang == "python" and fc.old_text is not None and fc.new_text is not None:
            _mark_newly_deprecated(breaks, fc)
        if breaks:
            _mark_documented(breaks, notes)
        grouped = _grouped(breaks)
        # A parameter the request removes shifts the ones after it: their move is part of the stated change.
        stated_objects = {b.name for b in grouped if b.param and _params_stated(b, intent)}
        for b in grouped:
            if fc.path.endswith(".pyi") and b.severity == "error":
                b.severity = "warning"  # a stub describes types: type checkers notice, running code does not
            findings.append(_finding(b, fc, intent, b.name in stated_objects and b.kind == _MOVED))
    return findings


def _params_stated(b: Break, intent: RequestIntent) -> bool:
    params = [p for p in b.param.split(",") if p]
    return bool(intent) and bool(params) and all(intent.states_removal(p) or intent.states_rename(p)
                                                 or intent.states_passing(p) for p in params)


def _grouped(breaks: list[Break]) -> list[Break]:
    """One finding per change: a signature whose parameters all shift, or a class whose members all go (its
    state moved elsewhere), is one change, not twenty."""
    groups: dict[tuple[str, str], list[Break]] = {}
    for b in breaks:
        groups.setdefault((b.name, b.kind or b.what), []).append(b)
    merged = []
    for (name, _), same in groups.items():
        first = same[0]
        if len(same) > 1:
            params = [b.param for b in same if b.param]
            subject, _, detail = first.what.partition(": ")
            subject = subject.split("(", 1)[0]
            first = Break(name, f"{subject}: {detail} for {len(same)} parameters ({_listed(params)})", first.line,
                          first.severity, first.kind, ",".join(params))
        merged.append(first)
    by_parent: dict[str, list[Break]] = {}
    for b in merged:
        if b.kind == REMOVED and b.name.count(".") >= 2:
            by_parent.setdefault(b.name.rsplit(".", 1)[0], []).append(b)
    out = []
    for b in merged:
        siblings = by_parent.get(b.name.rsplit(".", 1)[0], []) if b.kind == REMOVED else []
        if len(siblings) < _MEMBERS_GROUPED:
            out.append(b)
        elif b is siblings[0]:
            parent = b.name.rsplit(".", 1)[0]
            names = [s.name.rsplit(".", 1)[-1] for s in siblings]
            worst = max(siblings, key=lambda s: severity_rank(s.severity)).severity
            out.append(Break(parent, f"{parent.rsplit('.', 1)[-1]}: {len(siblings)} public members were removed "
                                     f"({_listed(names)})", b.line, worst, REMOVED, ",".join(names)))
    return out


def _mark_deprecated(breaks: list[Break], fc: FileChange) -> None:
    """"Remove deprecated code": breaks of what the old code itself marked deprecated are the stated removal."""
    deprecated = deprecated_objects(fc.old_text or "")
    if not deprecated:
        return
    module = _module_name(fc.old_path or fc.path)
    for b in breaks:
        inner = "" if b.name == module else _short(b.name, module)
        parts = inner.split(".")
        # The object, the class holding it, or (for a whole module) a module that warns on import.
        if any(".".join(parts[:n]) in deprecated for n in range(len(parts), 0, -1)) or inner in deprecated:
            b.severity, b.what = "info", b.what + " (deprecated before; the request removes deprecated code)"


def _mark_newly_deprecated(breaks: list[Break], fc: FileChange) -> None:
    """A parameter change to a function the change starts deprecating (it now warns, or its docs say so) is a
    managed transition: the author is handling compatibility on purpose, with a warning for the old use."""
    # "" (a module-level `__getattr__` shim) deprecates names, not these signatures.
    fresh = deprecated_objects(fc.new_text or "") - deprecated_objects(fc.old_text or "") - {""}
    if not fresh:
        return
    module = _module_name(fc.old_path or fc.path)
    for b in breaks:
        if b.param and b.kind != REMOVED and _short(b.name, module) in fresh:
            b.severity, b.what = "info", b.what + " (the change deprecates the old use, with a warning)"


# Where a change tells its readers what it changes: a changelog entry, or a version note in a docstring.
_CHANGELOG = re.compile(r"(?:^|/)(?:CHANGES|CHANGELOG|HISTORY|NEWS|RELEASE[_-]?NOTES)(?:\.\w+)?$|(?:^|/)changelog\.d/|"
                        r"(?:^|/)(?:docs?/)?(?:changes|changelog|whatsnew)(?:/|\.\w+$)", re.I)
_VERSION_NOTE = re.compile(r"\.\. (?:versionchanged|deprecated|versionremoved)::")
_NOTE_LINES = 4  # a version note's text runs this many lines under its directive, at most


def documented(change) -> frozenset[str]:
    """Code names the change itself documents: in the changelog lines it adds, and in the version notes it adds
    to docstrings ("The ``on_update`` parameter was removed."). Lower case."""
    text: list[str] = []
    for fc in change:
        added = fc.added()
        if _CHANGELOG.search(fc.path):
            text += [ln.text for ln in added]
            continue
        added = list(added)
        for i, ln in enumerate(added):
            if _VERSION_NOTE.search(ln.text):
                text += [x.text for x in added[i:i + 1 + _NOTE_LINES]]
    return frozenset(next(g for g in m.groups() if g).rstrip("()").rsplit(".", 1)[-1].lower()
                     for m in CODE_NAME.finditer("\n".join(text)))


def _mark_documented(breaks: list[Break], names: frozenset[str]) -> None:
    """What the change documents as changed ("The private ``gen_salt`` method is removed.") is stated."""
    if not names:
        return
    for b in breaks:
        subject = b.param if b.param and b.kind != REMOVED else b.name.rsplit(".", 1)[-1]
        parts = [p for p in subject.split(",") if p]
        if parts and all(p.lower() in names for p in parts):
            b.severity, b.what = "info", b.what + " (the change documents it)"


def _mark_unreleased(breaks: list[Break], fc: FileChange, root) -> None:
    """Breaks of names the latest release does not hold become information: nobody outside calls them yet."""
    pending = [b for b in breaks if b.severity in ("error", "warning")]
    if not pending:
        return
    tag = latest_release(root)
    if tag is None:
        return
    text = released_text(root, tag, fc.old_path or fc.path)
    if text is None:
        return
    module = _module_name(fc.old_path or fc.path)
    facts = module_facts(text) if text != ABSENT else None  # an empty file defined nothing either
    for b in pending:
        inner = "" if b.name == module else _short(b.name, module)
        if facts is None or not _released_in(inner, facts):
            b.severity, b.what = "info", b.what + f" (added after the latest release, {tag}: no outside callers yet)"


def _released_in(inner: str, facts: ModuleFacts) -> bool:
    """Whether a module (as its release held it) had this object: "f", "C" or "C.m"; unsure means yes."""
    if not facts.parsed or inner == "":
        return True
    top, _, member = inner.partition(".")
    if top not in facts.bound and top not in facts.served_by_getattr:
        return False
    cls = facts.classes.get(top)
    return cls is None or not member or member.split(".")[0] in cls.members or bool(cls.bases)


def _listed(names: list[str]) -> str:
    return ", ".join(names[:5]) + (", ..." if len(names) > 5 else "")


def _finding(b: Break, fc: FileChange, intent: RequestIntent, consequence: bool = False) -> Finding:
    leaf = b.name.rsplit(".", 1)[-1]
    stated = bool(intent) and (consequence or intent.asks_api_change(leaf) or intent.asks_api_change(b.name)
                               or intent.states_removal(leaf) or _privatised_as_stated(b, fc, intent)
                               or _params_stated(b, intent))
    msg = f"Public API change: {b.what}."
    if stated and intent.keeps_api:
        # Asked for, and against a constraint the same request states: the reviewer has to settle it.
        stated = False
        msg += " The request asks for it but also asks to keep the public API stable."
    if stated:
        msg += " As stated in the request; make sure callers are updated."
    return rules.make(
        "DR202", msg, severity="info" if stated else b.severity, evidence=b.name, path=fc.path,
        range=Range.lines(max(b.line - 1, 0)),
        question=None if stated else f"Callers of {leaf} outside this change will break; is changing it intended?",
        fix=None if stated else "Keep the old name or signature (add a compatible wrapper, an alias or a default) "
                                "unless the user asked to change the API.")


def _privatised_as_stated(b: Break, fc: FileChange, intent: RequestIntent) -> bool:
    """'make these helpers private': a public name now defined as _name is the stated change."""
    if not intent.privatises or fc.new_text is None:
        return False
    leaf = b.name.rsplit(".", 1)[-1]
    return re.search(rf"^\s*(?:async\s+def|def|class)\s+_{re.escape(leaf)}\b", fc.new_text, re.M) is not None


def _importable(path: str) -> bool:
    """Whether callers can import this module: identifier names all the way down (namespace packages need no
    __init__.py). `typing-examples/x.py` or `my-scripts/run.py` is nobody's API."""
    parts = list(PurePosixPath(path).parts)
    if parts and parts[0] in ("src", "lib") and len(parts) > 1:
        parts = parts[1:]
    stem = PurePosixPath(parts[-1]).stem if parts else ""
    return all(p.isidentifier() for p in [*parts[:-1], stem])


# ---- Python ------------------------------------------------------------------------------


def _module_name(path: str) -> str:
    parts = list(PurePosixPath(path).with_suffix("").parts)
    if parts and parts[0] in ("src", "lib") and len(parts) > 1:
        parts = parts[1:]
    if parts and parts[-1] == "__init__":
        parts = parts[:-1]
    parts = [re.sub(r"\W", "_", p) or "m" for p in parts]
    return ".".join(parts) or "module"


def _python_breaks(fc: FileChange, context, resolve: StarResolver | None = None) -> list[Break]:
    module = _module_name(fc.path)
    if fc.status == DELETED:
        return [] if _private(module) else [Break(module, f"module {fc.path} was deleted", 0)]
    exported: set[str] | None = None
    if _private(module):
        # A private module is API only through what a package __init__ re-exports from it (attr._make.attrs).
        exported = _reexported(context, fc.old_path or fc.path) if context is not None else set()
        if not exported:
            return []
        if "*" in exported:  # `from ._api import *`: what the module's __all__ lists, or all its public names
            declared = module_facts(fc.old_text).declared_all if fc.old_text is not None else None
            exported = set(declared) if declared is not None else None
    if fc.old_text is not None and fc.new_text is not None:
        if not _touches_interface(fc):
            return []  # only bodies changed: griffe would find nothing, and visiting big modules is slow
        breaks = _griffe_breaks(_module_name(fc.old_path or fc.path), fc.path, fc.old_text, fc.new_text)
        breaks = _reconciled(breaks, _module_name(fc.old_path or fc.path), fc.old_text, fc.new_text, fc.path, resolve)
        if exported is not None:
            base = _module_name(fc.old_path or fc.path) + "."
            breaks = [b for b in breaks if b.name[len(base):].split(".")[0] in exported]
        return breaks
    old_stub, new_stub = _signature_stubs(fc)
    if not old_stub:
        return []
    breaks = _griffe_breaks(_module_name(fc.path), fc.path, old_stub, new_stub)
    for b in breaks:  # stub line numbers mean nothing: point at the definition in the diff
        b.line = _line_in_diff(fc, b.name.rsplit(".", 1)[-1])
    return breaks


def _line_in_diff(fc: FileChange, name: str) -> int:
    """The new-side line of `def name`/`class name` in the diff: where it is added, else where it was removed."""
    header = re.compile(rf"^\s*(?:async\s+def|def|class)\s+{re.escape(name)}\b")
    for ln in fc.added():
        if header.match(ln.text):
            return ln.new_no or 0
    for ln in fc.removed():
        if header.match(ln.text):
            return fc.new_line_for(ln)
    return 0


def _griffe_breaks(module: str, path: str, old: str, new: str) -> list[Break]:
    import griffe

    logging.getLogger("griffe").setLevel(logging.CRITICAL)
    try:
        old_mod = _visit_baseline(module, path, old)
        new_mod = griffe.visit(module, filepath=Path(path), code=new)
        found = list(griffe.find_breaking_changes(old_mod, new_mod))
    except (SyntaxError, ValueError, AttributeError, KeyError, TypeError, RecursionError):
        return []  # unparsable text on either side: nothing reliable to say
    out = []
    for b in found:
        kind = b.kind.value
        obj_path = b.obj.path
        if _private(obj_path[len(module) + 1:] if obj_path.startswith(module + ".") else obj_path):
            continue
        if b.kind.value == "Attribute value was changed":
            continue  # a constant's value is data, not signature
        if _absorbed(b, new_mod, module):
            continue
        if "arameter" in kind and (_called_by_framework(b.obj) or _protocol_method(obj_path)):
            continue
        detail = b.kind.value.lower()
        pname = getattr(b.old_value, "name", None) or getattr(b.new_value, "name", None)
        subject = f"{_short(obj_path, module)}({pname})" if pname and "arameter" in b.kind.value else _short(obj_path, module)
        if b.kind.value == "Parameter default was changed":
            detail += f" ({getattr(b.old_value, 'default', '?')} -> {getattr(b.new_value, 'default', '?')})"
        out.append(Break(obj_path, f"{subject}: {detail}", _line_of(b.obj), _SEVERITY_OF_KIND.get(kind, "warning"),
                         kind, pname if pname and "arameter" in kind else ""))
    return out


def _reconciled(breaks: list[Break], module: str, old_text: str, new_text: str, path: str = "",
                resolve: StarResolver | None = None) -> list[Break]:
    """Drop what still serves callers (aliases, overloads, inheritance); soften what only typing sees."""
    if not breaks:
        return breaks
    old, new = module_facts(old_text), module_facts(new_text)
    out = []
    for b in breaks:
        kind = b.kind
        inner = _short(b.name, module)
        if kind in (REMOVED, KIND_CHANGED) and still_served(inner, old, new, path, resolve):
            if kind == REMOVED or inner in new.aliases:
                continue  # an alias, a wrapper, an overload or a base class still answers to the name
        if kind == REMOVED and "." not in inner and re.search(
                rf"^{re.escape(inner)}\s*(?::[^=\n]*)?=\s*(?:logging\.)?getLogger\(", old_text, re.M):
            continue  # a module's logger: where its messages go, not something callers import
        if kind != REMOVED and defined_conditionally(inner, new):
            continue  # per-version or TYPE_CHECKING definitions: griffe sees one branch of several
        if kind == REMOVED and inner in old.type_variables:
            b.severity, b.what = "info", b.what + " (a type variable: only annotations used it)"
        leaf = inner.rsplit(".", 1)[-1]
        if kind == REMOVED and leaf.startswith("__") and leaf.endswith("__") and leaf not in _CALLER_PROTOCOL:
            b.severity, b.what = "info", b.what + " (a special method: behaviour, not a name callers use)"
        out.append(b)
    return out


def _line_of(obj) -> int:
    """The object's line; 0 when griffe cannot tell (an alias, e.g. a re-export, whose target is not loaded)."""
    import griffe

    try:
        return getattr(obj, "lineno", 0) or 0
    except griffe.AliasResolutionError:
        return 0


_DEFINED = re.compile(r"^\s*(?:async\s+def|def|class)\s+([A-Za-z_]\w*)", re.M)


def _header_lines(lines: dict[int, str]) -> set[int]:
    """Line numbers of def/class headers (across continuation lines) and decorators."""
    out: set[int] = set()
    open_header = False
    depth = 0
    for no in sorted(lines):
        text = lines[no]
        stripped = text.lstrip()
        if not open_header and not stripped.startswith(("def ", "class ", "async ", "@")):
            continue
        if not open_header and (_DEFINED.match(text) or stripped.startswith("@")):
            open_header = not stripped.startswith("@")
            depth = 0
            out.add(no)
        elif open_header:
            out.add(no)
        if open_header:
            depth += text.count("(") + text.count("[") - text.count(")") - text.count("]")
            if depth <= 0 and stripped.rstrip().endswith(":"):
                open_header = False
    return out


def _touches_interface(fc: FileChange) -> bool:
    """Whether a changed line is a signature, a decorator, or a module-level statement (names, imports).

    A definition that is only added, under a name the old text never defined, cannot break a caller:
    it is left out, so a commit that adds a helper to a big module does not cost two griffe visits.
    """
    new_lines = fc.known_new_lines()
    old_headers = fc.derived("old", _header_lines)
    new_headers = fc.derived("new", _header_lines)
    for ln in fc.removed():
        if ln.old_no in old_headers or (ln.text[:1] not in (" ", "\t", "#", "") and ln.text.strip()):
            return True
    old_names: set[str] | None = None
    for ln in fc.added():
        if ln.new_no is not None and ln.new_no in new_headers:
            if fc.old_text is None:
                return True  # without the old text, a "new" name may be an old one redefined
            if old_names is None:
                old_names = set(_DEFINED.findall(fc.old_text))
            name = _defined_at(new_lines, ln.new_no)
            if name is None or name in old_names:
                return True
        elif ln.text[:1] not in (" ", "\t", "#", "") and ln.text.strip():
            return True
    return False


def _defined_at(lines: dict[int, str], no: int) -> str | None:
    """The name a header line (or the decorator above it) defines."""
    for probe in range(no, no + 50):
        text = lines.get(probe)
        if text is None:
            return None
        m = _DEFINED.match(text)
        if m:
            return m.group(1)
        if not text.lstrip().startswith("@") and probe > no and text.strip() and not text.rstrip().endswith((",", "(")):
            return None
    return None


def _star_resolver(inp: EditInput) -> StarResolver:
    """Reads a star-imported module as the change leaves it: the change's new text, else the work tree's file."""
    new_texts = {fc.path: fc.new_text for fc in inp.change if fc.status != DELETED}

    def resolve(importer: str, source: str) -> tuple[str, ModuleFacts] | None:
        for candidate in _module_files(importer, source):
            text = new_texts[candidate] if candidate in new_texts else \
                inp.context.read_text(candidate) if inp.context is not None else None
            if text is not None:
                return candidate, module_facts(text)
        return None

    return resolve


def _module_files(importer: str, source: str) -> list[str]:
    """Files that may hold the module `source` (as written in `from <source> import *`) imported by `importer`."""
    level = len(source) - len(source.lstrip("."))
    parts = [p for p in source[level:].split(".") if p]
    if level:
        base = posixpath.dirname(importer)
        for _ in range(level - 1):
            base = posixpath.dirname(base)
        bases = [base]
    else:
        bases = ["", "src"]  # an absolute import: the package at the root or in the src layout
    out = []
    for base in bases:
        stem = posixpath.join(base, *parts) if parts else base
        out += [stem + ".py", posixpath.join(stem, "__init__.py")] if parts else [posixpath.join(stem, "__init__.py")]
    return [p.lstrip("/") for p in out]


def _reexported(context, path: str) -> set[str]:
    """Names that a package `__init__.py` (same folder or the one above) imports from this module."""
    folder = posixpath.dirname(path)
    stem = posixpath.splitext(posixpath.basename(path))[0]
    names: set[str] = set()
    pattern = re.compile(rf"^\s*from\s+(?:\.+|[\w.]+\.){re.escape(stem)}\s+import\s+(\([^)]*\)|[^\n]+)", re.M)
    for init in {posixpath.join(folder, "__init__.py"), posixpath.join(posixpath.dirname(folder), "__init__.py")}:
        text = context.read_text(init.lstrip("/")) or ""
        for m in pattern.finditer(text):
            for item in m.group(1).strip("()").split(","):
                words = item.split()
                if words:
                    names.add(words[0])
    return names


@lru_cache(maxsize=64)
def _visit_baseline(module: str, path: str, code: str):
    """The baseline side repeats across checks of the same work tree (every keystroke in an editor)."""
    import griffe

    return griffe.visit(module, filepath=Path(path), code=code)


# Decorators that hand a function to a framework which calls it with keyword arguments by parameter name: pluggy
# hook implementations and specifications, pytest fixtures, web routes, language-server features, CLI commands.
_FRAMEWORK_CALLED = re.compile(r"hookimpl|hookspec|(?:^|\.)fixture\b|\.route\b|\.feature\b|\.command\b")
# Special methods Python itself calls, positionally: renaming their parameters breaks nobody. Constructors and
# __call__ are called by people, with keywords too.
_CALLED_BY_NAME = frozenset({"__init__", "__new__", "__call__", "__init_subclass__", "__class_getitem__"})


def _called_by_framework(obj) -> bool:
    try:
        return any(_FRAMEWORK_CALLED.search(str(d.value)) for d in getattr(obj, "decorators", ()) or ())
    except (AttributeError, TypeError, ValueError):
        return False


def _protocol_method(obj_path: str) -> bool:
    leaf = obj_path.rsplit(".", 1)[-1]
    return leaf.startswith("__") and leaf.endswith("__") and leaf not in _CALLED_BY_NAME


def _absorbed(b, new_mod, module: str) -> bool:
    """A removed parameter that the new *args / **kwargs still accepts breaks no call site that worked."""
    if b.kind.value != "Parameter was removed":
        return False
    try:
        params = new_mod[_short(b.obj.path, module)].parameters
    except (KeyError, AttributeError, ValueError):
        return False
    kinds = {p.kind.value for p in params}
    old_kind = getattr(getattr(b.old_value, "kind", None), "value", "")
    if old_kind in ("variadic positional", "variadic keyword") and old_kind in kinds:
        return True  # `*pathnames` renamed `*untrusted`: no caller can spell its name
    positional = old_kind in ("positional-only", "positional or keyword")
    keyword = old_kind in ("keyword-only", "positional or keyword")
    return (positional and "variadic positional" in kinds) or (keyword and "variadic keyword" in kinds)


def _private(dotted: str) -> bool:
    return any(part.startswith("_") and not (part.startswith("__") and part.endswith("__"))
               for part in dotted.split("."))


def _short(obj_path: str, module: str) -> str:
    return obj_path[len(module) + 1:] if obj_path.startswith(module + ".") else obj_path


def _signature_stubs(fc: FileChange) -> tuple[str, str]:
    """Stub modules holding only the definitions the diff removes and the matching ones it adds.

    Module-level definitions stay module-level; indented ones that take self/cls (or
    carry a method decorator) become methods of one stand-in class. Anything else
    (nested helpers) is not API and is left out.
    """
    old_defs = _defs(fc, "-")
    if not old_defs:
        return "", ""
    new_defs = _defs(fc, "+")
    # Definitions the diff only shows as context on the new side still exist.
    kept = {key for key in _defs(fc, " ")}
    old_lines, new_lines = [], []
    for key, stub in old_defs.items():
        old_lines.append(stub)
        if key in new_defs:
            new_lines.append(new_defs[key])
        elif key in kept:
            new_lines.append(stub)
    return _as_module(old_lines), _as_module(new_lines)


def _as_module(stubs: list[str]) -> str:
    top = [s for s in stubs if not s.startswith("    ")]
    methods = [s for s in stubs if s.startswith("    ")]
    return "\n".join(top + ["class C:", "    pass"] + methods) + "\n"


def _defs(fc: FileChange, side: str) -> dict[tuple[str, str], str]:
    """(scope, name) -> one-line stub of each def/class line of the given side ('-', '+' or ' ')."""
    out: dict[tuple[str, str], str] = {}
    for hunk in fc.hunks:
        lines = [ln for ln in hunk.lines if ln.kind in (side, " ")] if side != " " else hunk.lines
        for i, ln in enumerate(lines):
            if ln.kind != side:
                continue
            found = defined_name(ln.text, "python")
            if found is None:
                continue
            kind, name, indent = found
            if _private(name) or (name.startswith("__") and name not in _API_DUNDERS):
                continue  # private, or a protocol method whose removal changes behaviour, not signatures
            signature = _gather_signature(lines, i)
            if signature is None:
                continue
            if indent == 0:
                scope = ""
            elif indent <= 4 and kind == "function" and _is_method(lines, i, signature):
                scope = "C"
            else:
                continue
            if kind == "class":
                out[(scope, name)] = f"class {name}: pass"
            else:
                out[(scope, name)] = ("    " if scope else "") + f"def {name}({signature}): pass"
    return out


def _gather_signature(lines: list[Line], start: int) -> str | None:
    """The parameter text of a def starting at lines[start], across continuation lines."""
    text = lines[start].text
    j = start
    while text.count("(") > text.count(")") and j + 1 < len(lines) and j - start < 30:
        j += 1
        text += " " + lines[j].text.strip()
    m = re.search(r"\((.*)\)\s*(?:->.*)?:\s*(?:#.*)?$", text)
    return m.group(1) if m else None


def _is_method(lines: list[Line], i: int, params: str) -> bool:
    first = params.split(",")[0].split(":")[0].strip()
    if first in ("self", "cls"):
        return True
    prev = lines[i - 1].text.strip() if i > 0 else ""
    return prev in ("@staticmethod", "@classmethod", "@property")


# ---- other languages through tree-sitter symbols ----------------------------------------


def _symbol_breaks(fc: FileChange, lang: str, inp: EditInput) -> list[Break]:
    try:
        from ..context.symbols import extract_symbols
    except ImportError:
        inp.skip("DR202", f"{lang}: the symbol extractor is unavailable")
        return []
    if fc.old_text is None or (fc.new_text is None and fc.status != DELETED):
        return _line_breaks(fc, lang)
    old = {(s.qualname, s.kind): s for s in extract_symbols(fc.old_path or fc.path, fc.old_text, lang) if s.public}
    if fc.status == DELETED:
        return [Break(s.qualname, f"exported {s.kind} {s.qualname} was removed with {fc.path}", s.start_line + 1)
                for s in old.values()]
    if fc.new_text is None:  # unreachable after the checks above; narrows the type
        return _line_breaks(fc, lang)
    new = {(s.qualname, s.kind): s for s in extract_symbols(fc.path, fc.new_text, lang) if s.public}
    out = []
    for key, sym in old.items():
        now = new.get(key)
        if now is None:
            out.append(Break(sym.qualname, f"exported {sym.kind} {sym.qualname} was removed or renamed", sym.start_line + 1))
        elif _incompatible(sym.params, now.params, lang):
            out.append(Break(sym.qualname, f"{sym.qualname}: parameters changed from ({', '.join(sym.params)}) "
                                           f"to ({', '.join(now.params)})", now.start_line + 1))
    return out


def _fold(p: str) -> str:
    return " ".join(p.split())


def _optional(param: str, lang: str) -> bool:
    name = param.split(":")[0].split("=")[0]
    return lang in ("javascript", "typescript", "tsx") and ("=" in param or "?" in name or param.lstrip().startswith("..."))


def _incompatible(old: list[str], new: list[str], lang: str) -> bool:
    old_f, new_f = [_fold(p) for p in old], [_fold(p) for p in new]
    if old_f == new_f:
        return False
    # Appending optional parameters keeps every call site valid; anything else does not.
    return not (new_f[: len(old_f)] == old_f and all(_optional(p, lang) for p in new_f[len(old_f):]))


def _exported(kind_name: tuple[str, str, int], line: str, lang: str) -> bool:
    name = kind_name[1]
    if lang == "go":
        return name[:1].isupper()
    if lang == "rust":
        return line.lstrip().startswith("pub ")
    if lang == "java":
        return bool(re.match(r"\s*(public|protected)\b", line))
    return line.lstrip().startswith("export ")


def _line_breaks(fc: FileChange, lang: str) -> list[Break]:
    """From the diff alone: exported definitions the diff removes and never adds back."""
    def names(lines: list[Line]) -> dict[str, tuple[int, str]]:
        out = {}
        for ln in lines:
            found = defined_name(ln.text, lang)
            if found and _exported(found, ln.text, lang):
                params = re.search(r"\(([^)]*)\)", ln.text[ln.text.find(found[1]):])
                out[found[1]] = ((ln.old_no or ln.new_no or 0), params.group(1) if params else "")
        return out

    removed, added = names(fc.removed()), names(fc.added())
    out = []
    for name, (line, params) in removed.items():
        if name not in added:
            out.append(Break(name, f"exported {name} was removed or renamed", line))
        elif _incompatible([p for p in params.split(",") if p.strip()],
                           [p for p in added[name][1].split(",") if p.strip()], lang):
            out.append(Break(name, f"{name}: parameters changed from ({params}) to ({added[name][1]})", added[name][0]))
    return out
