"""Public API surface from tree-sitter, using each grammar's own queries/tags.scm.

Only the `@definition.*` patterns of tags.scm are kept (references are not
API and cost query time). Each definition gets a qualified name, its
signature text up to the body, parameters, the first docstring line, and
the public/exported flag by its language's rule:

    Python  no leading underscore, and listed in __all__ when the module has one
    JS/TS   exported (export statement, export clause, module.exports/exports.X)
    Go      capitalised
    Rust    `pub` (not `pub(crate)`/`pub(super)`)
    Java    `public` (interface members are implicitly public)
"""

from __future__ import annotations

import re
from functools import lru_cache
from operator import itemgetter
from typing import Any, NamedTuple

from .model import Symbol

_EXTRA_PATTERNS = {
    "typescript": """
(type_alias_declaration name: (type_identifier) @name) @definition.type
(enum_declaration name: (identifier) @name) @definition.enum
""",
    "java": """
(enum_declaration name: (identifier) @name) @definition.enum
(record_declaration name: (identifier) @name) @definition.class
(constructor_declaration name: (identifier) @name) @definition.method
""",
}
_EXTRA_PATTERNS["tsx"] = _EXTRA_PATTERNS["typescript"]

_SCOPE_TYPES = {
    "class_definition", "class_declaration", "class", "abstract_class_declaration", "interface_declaration",
    "impl_item", "trait_item", "struct_item", "enum_declaration", "record_declaration", "module",
    "internal_module", "mod_item",
}
_FUNCTION_TYPES = {
    "function_definition", "function_declaration", "function_item", "method_definition", "method_declaration",
    "arrow_function", "function_expression", "generator_function_declaration", "constructor_declaration",
}


def _definition_patterns(source: str) -> str:
    """The top-level s-expressions of a query that capture a definition."""
    out, depth, start, in_string, escape = [], 0, None, False, False
    for i, ch in enumerate(source):
        if in_string:
            if escape:
                escape = False
            elif ch == "\\":
                escape = True
            elif ch == '"':
                in_string = False
            continue
        if ch == ";" and depth == 0:
            continue
        if ch == '"':
            in_string = True
        elif ch == "(":
            if depth == 0:
                start = i
            depth += 1
        elif ch == ")":
            depth -= 1
            if depth == 0 and start is not None:
                # A trailing `@definition.x` capture sits after the closing paren.
                tail = re.match(r"\s*(@[\w.]+\s*)*", source[i + 1:])
                chunk = source[start:i + 1] + (tail.group(0) if tail else "")
                if "@definition." in chunk:
                    out.append(chunk)
                start = None
    return "\n".join(out)


# The official per-language grammar wheels (each ships its queries/tags.scm).
_GRAMMARS = {"python": "tree_sitter_python", "javascript": "tree_sitter_javascript",
             "typescript": "tree_sitter_typescript", "tsx": "tree_sitter_typescript", "go": "tree_sitter_go",
             "rust": "tree_sitter_rust", "java": "tree_sitter_java"}


@lru_cache(maxsize=None)
def _grammar(language: str) -> tuple[Any, str] | None:
    """(tree-sitter Language, its tags query source) once per process; None if no grammar is installed."""
    import tree_sitter as ts

    import importlib

    module = _GRAMMARS.get(language)
    if module is None:
        return None
    try:
        mod: Any = importlib.import_module(module)
        if language in ("typescript", "tsx"):
            lang = mod.language_tsx() if language == "tsx" else mod.language_typescript()
            tags = importlib.import_module("tree_sitter_javascript").TAGS_QUERY + "\n" + mod.TAGS_QUERY
        else:
            lang, tags = mod.language(), mod.TAGS_QUERY
    except ImportError:
        return None
    return ts.Language(lang), tags


@lru_cache(maxsize=None)
def _parser(language: str) -> Any | None:
    import tree_sitter as ts

    grammar = _grammar(language)
    return None if grammar is None else ts.Parser(grammar[0])


@lru_cache(maxsize=None)
def _query(language: str) -> Any | None:
    """The definition patterns of the tags query, compiled on first use: Python's symbols come from a walk
    and never need it, so a parse worker does not compile it."""
    import tree_sitter as ts

    grammar = _grammar(language)
    if grammar is None:
        return None
    ts_lang, tags = grammar
    return ts.Query(ts_lang, _definition_patterns(tags) + _EXTRA_PATTERNS.get(language, ""))


def parse(source: bytes, language: str):
    """A tree-sitter tree, or None when the language has no grammar here."""
    parser = _parser(language)
    return None if parser is None else parser.parse(source)


def _text(node, source: bytes) -> str:
    return source[node.start_byte:node.end_byte].decode("utf-8", "replace")


def _fold(text: str, limit: int = 300) -> str:
    text = " ".join(text.split())  # runs of whitespace folded (str.split's whitespace is the regex \s)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _name_of(node, source: bytes) -> str | None:
    name = node.child_by_field_name("name")
    if name is None and node.type == "impl_item":
        name = node.child_by_field_name("type")
    return _text(name, source) if name is not None else None


def _function_node(node):
    """The node holding parameters and body (a declarator's arrow function, or the node itself)."""
    if node.type == "variable_declarator":
        value = node.child_by_field_name("value")
        return value if value is not None else node
    if node.type in ("assignment_expression", "pair"):
        value = node.child_by_field_name("right") or node.child_by_field_name("value")
        return value if value is not None else node
    return node


def _signature(node, source: bytes) -> str:
    fn = _function_node(node)
    body = fn.child_by_field_name("body")
    end = body.start_byte if body is not None and body.start_byte > node.start_byte else node.end_byte
    start = node.start_byte
    return _fold(source[start:end].decode("utf-8", "replace").rstrip(" {:=>\n\t"))


def _params(node, source: bytes) -> list[str]:
    fn = _function_node(node)
    params = fn.child_by_field_name("parameters") or fn.child_by_field_name("parameter")
    if params is None:
        return []
    if params.type in ("identifier",):  # x => ...
        return [_text(params, source)]
    return [_fold(_text(c, source), 120) for c in params.named_children if c.type not in ("comment",)]


def _doc(node, source: bytes, language: str) -> str:
    if language == "python":
        return _python_doc(node.child_by_field_name("body"), source)
    target = node
    if node.type == "variable_declarator" and node.parent is not None:
        target = node.parent
    if target.parent is not None and target.parent.type == "export_statement":
        target = target.parent
    prev = target.prev_named_sibling
    if prev is not None and prev.type in ("comment", "line_comment", "block_comment") and prev.end_point[0] >= target.start_point[0] - 1:
        raw = _text(prev, source)
        for line in raw.splitlines():
            line = line.strip().lstrip("/*!#").strip().removesuffix("*/").strip()
            if line and not line.startswith("@"):
                return _fold(line, 200)
    return ""


def _python_all(root, source: bytes) -> set[str] | None:
    for stmt in root.named_children:
        if stmt.type != "expression_statement" or not stmt.named_child_count:
            continue
        assign = stmt.named_children[0]
        if assign.type not in ("assignment", "augmented_assignment"):
            continue
        left = assign.child_by_field_name("left")
        if left is None or _text(left, source) != "__all__":
            continue
        right = assign.child_by_field_name("right")
        if right is not None and right.type in ("list", "tuple"):
            return {_text(s, source).strip("\"'") for s in right.named_children if s.type == "string"}
    return None


def _js_exported_names(root, source: bytes) -> set[str]:
    names: set[str] = set()
    for stmt in root.named_children:
        if stmt.type == "export_statement":
            for clause in stmt.named_children:
                if clause.type == "export_clause":
                    for spec in clause.named_children:
                        n = spec.child_by_field_name("name")
                        if n is not None:
                            names.add(_text(n, source))
        elif stmt.type == "expression_statement" and stmt.named_child_count:
            expr = stmt.named_children[0]
            if expr.type == "assignment_expression":
                left = _text(expr.child_by_field_name("left"), source)
                right = expr.child_by_field_name("right")
                if left == "module.exports" and right is not None:
                    if right.type == "object":
                        for prop in right.named_children:
                            key = prop.child_by_field_name("key") or (prop if prop.type == "shorthand_property_identifier" else None)
                            if key is not None:
                                names.add(_text(key, source))
                    elif right.type == "identifier":
                        names.add(_text(right, source))
    return names


def _has_ancestor(node, types: set[str], stop: frozenset[str] | set[str] = frozenset()) -> bool:
    p = node.parent
    while p is not None:
        if p.type in types:
            return True
        if p.type in stop:
            return False
        p = p.parent
    return False


def _visibility_rust(node, source: bytes) -> bool:
    for c in node.children:
        if c.type == "visibility_modifier":
            return _text(c, source).strip() == "pub"
    return False


def _public_java(node, source: bytes, in_interface: bool) -> bool:
    for c in node.children:
        if c.type == "modifiers":
            mods = _text(c, source)
            if "private" in mods or "protected" in mods:
                return False
            if "public" in mods:
                return True
    return in_interface


def _public(node, name: str, language: str, source: bytes, scopes: list, ctx: dict) -> bool:
    if language == "python":
        if name.startswith("_") and not (name.startswith("__") and name.endswith("__")):
            return False
        if not scopes and ctx["all"] is not None:
            return name in ctx["all"]
        return True
    if language in ("javascript", "typescript", "tsx"):
        if name.startswith("#"):
            return False
        for c in node.children:
            if c.type == "accessibility_modifier" and _text(c, source) in ("private", "protected"):
                return False
        outer = scopes[0][1] if scopes else node
        decl = outer
        if decl.type == "variable_declarator" and decl.parent is not None:
            decl = decl.parent
        if decl.parent is not None and decl.parent.type == "export_statement":
            return True
        if node.type == "assignment_expression":
            left = _text(node.child_by_field_name("left"), source)
            return left.startswith(("module.exports", "exports."))
        top_name = scopes[0][0] if scopes else name
        return top_name in ctx["exports"]
    if language == "go":
        return name[:1].isupper()
    if language == "rust":
        if node.type == "function_item" and node.parent is not None and node.parent.type == "declaration_list":
            owner = node.parent.parent
            if owner is not None and owner.type == "trait_item":
                return _visibility_rust(owner, source)
            if owner is not None and owner.type == "impl_item" and owner.child_by_field_name("trait") is not None:
                return True  # trait impls are as visible as the trait and type
        return _visibility_rust(node, source)
    if language == "java":
        in_interface = bool(scopes) and scopes[-1][1].type == "interface_declaration"
        return _public_java(node, source, in_interface) and all(_public_java(s, source, False) for _, s in scopes)
    return not name.startswith("_")


def _go_receiver(node, source: bytes) -> str | None:
    recv = node.child_by_field_name("receiver")
    if recv is None:
        return None
    m = re.search(r"([A-Za-z_]\w*)\s*(?:\[[^\]]*\])?\s*\)\s*$", _text(recv, source))
    return m.group(1) if m else None


def _scopes(node, source: bytes) -> list[tuple[str | None, Any]]:
    """Enclosing named scopes, outermost first; [None] marker when inside a function body."""
    out: list[tuple[str | None, Any]] = []
    p = node.parent
    while p is not None:
        if p.type in _SCOPE_TYPES:
            n = _name_of(p, source)
            if n:
                out.append((n, p))
        elif p.type in _FUNCTION_TYPES:
            out.append((None, p))
        p = p.parent
    out.reverse()
    return out


# Python statements that hold other statements (a function's body is not walked: nothing in it is API).
_PYTHON_CONTAINERS = frozenset({
    "block", "decorated_definition", "if_statement", "elif_clause", "else_clause", "try_statement", "except_clause",
    "except_group_clause", "finally_clause", "with_statement", "for_statement", "while_statement", "match_statement",
    "case_clause", "ERROR",
})


class _PythonKinds(NamedTuple):
    """Kind ids of the Python node types the walk tells apart. `node.type` builds a new str at every read and
    the walk reads one per statement, parameter and docstring of every file; `node.kind_id` is a small int."""

    identifier: int
    string: int
    comment: int
    expression_statement: int
    assignment: int
    function_definition: int
    class_definition: int
    containers: frozenset[int]


@lru_cache(maxsize=None)
def _python_kinds() -> _PythonKinds:
    grammar = _grammar("python")
    assert grammar is not None  # only asked once a Python parser exists
    kind = grammar[0].id_for_node_kind
    return _PythonKinds._make([*(kind(name, True) for name in _PythonKinds._fields[:-1]),
                               frozenset(kind(name, True) for name in _PYTHON_CONTAINERS)])


def _python_definitions(root, source: bytes) -> list[tuple[Any, str, Any, str]]:
    """(node, kind, name node, qualified-name prefix) of what the Python tags query captures and survives the
    nested-in-a-function rule: module-level assignments to a name, classes, and functions, outside any
    function. The prefix is the enclosing classes' names, each followed by a dot ("" at module level). Walking
    statements only visits a small part of the nodes the query matcher does."""
    kinds = _python_kinds()
    out: list[tuple[Any, str, Any, str]] = []
    for stmt in root.named_children:
        if stmt.kind_id == kinds.expression_statement:
            for part in stmt.named_children:
                left = part.child_by_field_name("left") if part.kind_id == kinds.assignment else None
                if left is not None and left.kind_id == kinds.identifier:
                    out.append((part, "constant", left, ""))

    _python_visit(root, "", source, kinds, out)
    return out


def _python_visit(node, prefix: str, source: bytes, kinds: _PythonKinds, out: list) -> None:
    """The classes and functions among a node's statements, into `out`. (Not a closure: a nested function that
    calls itself is a reference cycle, and that cycle would keep each file's whole tree alive until the cyclic
    collector runs, which a parse worker defers.)"""
    for child in node.named_children:
        kind = child.kind_id
        if kind == kinds.function_definition:
            out.append((child, "function", child.child_by_field_name("name"), prefix))
        elif kind == kinds.class_definition:
            name = child.child_by_field_name("name")
            out.append((child, "class", name, prefix))
            # Its body, and what error recovery hangs off the class itself.
            _python_visit(child, prefix if name is None else f"{prefix}{_text(name, source)}.", source, kinds, out)
        elif kind in kinds.containers:
            _python_visit(child, prefix, source, kinds, out)


_LINE_BREAK = re.compile("[\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]")  # where str.splitlines() splits


def _python_doc(body, source: bytes) -> str:
    """The first line of the docstring that opens a Python body."""
    kinds = _python_kinds()
    # named_child(0), not named_children[0]: that builds a list of every statement of the body.
    first = body.named_child(0) if body is not None and body.named_child_count else None
    if first is not None and first.kind_id == kinds.expression_statement and first.named_child_count:
        string = first.named_child(0)
        if string.kind_id == kinds.string:
            text = _text(string, source).lstrip("rRbBuUfF").strip("\"'").lstrip()
            # Its first line (which is not blank: it starts past the whitespace), found without splitting a long
            # docstring into all its lines; trailing whitespace left in it is folded away.
            end = _LINE_BREAK.search(text)
            return _fold(text if end is None else text[:end.start()], 200) if text else ""
    return ""


def _python_parts(node, source: bytes) -> tuple[str, str, list[str]]:
    """(signature, doc, params) of a Python definition as _signature, _doc and _params give them, with its body
    looked up once: no Python definition is a declarator or a pair (the nodes _function_node unwraps), and
    Python's grammar has no `parameter` field. Every definition of a cold index comes through here."""
    body = node.child_by_field_name("body")
    start = node.start_byte
    end = body.start_byte if body is not None and body.start_byte > start else node.end_byte
    signature = _fold(source[start:end].decode("utf-8", "replace").rstrip(" {:=>\n\t"))
    found = node.child_by_field_name("parameters")
    if found is None:
        params = []
    else:
        kinds = _python_kinds()
        if found.kind_id == kinds.identifier:
            params = [_text(found, source)]
        else:
            comment = kinds.comment
            params = [_fold(source[c.start_byte:c.end_byte].decode("utf-8", "replace"), 120)
                      for c in found.named_children if c.kind_id != comment]
    return signature, _python_doc(body, source), params


def _python_symbols(path: str, root, source: bytes) -> list[Symbol]:
    return [Symbol(*row) for row in _python_rows(path, root, source)]


_START_LINE, _QUALNAME = 6, 4  # positions in a symbol row (Symbol.row)
_ROW_ORDER = itemgetter(_START_LINE, _QUALNAME)


def _python_rows(path: str, root, source: bytes) -> list[tuple]:
    """Python's symbols as rows (Symbol.row), in the order extract_symbols gives: a parse worker sends rows,
    so it never builds the Symbol objects."""
    listed = _python_all(root, source)
    identifier = _python_kinds().identifier
    out = []
    for node, kind, name_node, prefix in _python_definitions(root, source):
        if name_node is None or name_node.kind_id != identifier:
            continue
        name = _text(name_node, source)
        if name == "__all__":
            continue
        if kind == "function" and prefix:
            kind = "method"
        elif kind == "constant" and not name.isupper():
            kind = "variable"
        signature, doc, params = _python_parts(node, source)
        # _public's rule for Python, for a definition at module level when the prefix is empty
        public = (not name.startswith("_") or (name.startswith("__") and name.endswith("__"))) and (
            bool(prefix) or listed is None or name in listed)
        out.append((path, "python", kind, name, prefix + name, signature, node.start_point[0], node.end_point[0],
                    doc, public, params))
    out.sort(key=_ROW_ORDER)
    return out


def symbol_rows(path: str, source: bytes, language: str) -> list[tuple]:
    """`[s.row() for s in extract_symbols(path, source, language)]`, without the Symbol objects for Python."""
    if language == "python":
        parser = _parser(language)
        if parser is not None:
            return _python_rows(path, parser.parse(source).root_node, source)
    return [s.row() for s in extract_symbols(path, source, language)]


def extract_symbols(path: str, source: bytes | str, language: str, *, walk: bool = True) -> list[Symbol]:
    """Definitions in one file with qualified names, signatures, docs and the public flag.

    Python's definitions come from a walk over its statements (`walk=False`: from the tags query, as for
    every other language; both give the same symbols, a test holds them together)."""
    parser = _parser(language)
    if parser is None:
        return []
    if isinstance(source, str):
        source = source.encode("utf-8", "replace")
    import tree_sitter as ts

    tree = parser.parse(source)
    root = tree.root_node
    if language == "python" and walk:
        return _python_symbols(path, root, source)
    query = _query(language)
    if query is None:  # a language without a grammar has no parser either; kept for the type checker
        return []
    ctx = {"all": _python_all(root, source) if language == "python" else None,
           "exports": _js_exported_names(root, source) if language in ("javascript", "typescript", "tsx") else set()}
    seen: set[tuple[int, int]] = set()
    out: list[Symbol] = []
    for _pattern, caps in ts.QueryCursor(query).matches(root):
        names = caps.get("name") or []
        defs = [(k, v) for k, v in caps.items() if k.startswith("definition.")]
        if not names or not defs:
            continue
        kind, nodes = defs[0]
        node = nodes[0]
        key = (node.start_byte, node.end_byte)
        if key in seen:
            continue
        seen.add(key)
        name = _text(names[0], source)
        if name == "__all__":
            continue
        scopes = _scopes(node, source)
        if any(n is None for n, _ in scopes):
            continue  # nested inside a function: not API
        kind = kind.split(".", 1)[1]
        if language == "python" and kind == "function" and scopes:
            kind = "method"
        qual_parts = [n for n, _ in scopes if n is not None]  # (no None left: nested ones were skipped)
        if language == "go" and kind == "method":
            recv = _go_receiver(node, source)
            if recv:
                qual_parts = [recv]
        qualname = ".".join([*qual_parts, name])
        if language == "python" and kind == "constant" and not (name.isupper() or name == "__all__"):
            kind = "variable"
        out.append(Symbol(
            path=path, language=language, kind=kind, name=name, qualname=qualname,
            signature=_signature(node, source), start_line=node.start_point[0], end_line=node.end_point[0],
            doc=_doc(node, source, language), public=_public(node, name, language, source, scopes, ctx),
            params=_params(node, source),
        ))
    out.sort(key=lambda s: (s.start_line, s.qualname))
    return out
