"""Examples that contradict the description, the function's name, its signature, or each other (XY112).

All checks are static: example calls and outputs are parsed as literals, and
compared with (a) the return annotation, (b) properties the description
states ("sorted", "unique", "positive", "True if"), (c) each other, (d) the
function's own name and parameter count, and (e) the result of a textbook
operation the description names in ordinary words (see oracles.py).
"""

from __future__ import annotations

import builtins
import re
from typing import Any

from xyguard.analyzers.findings import Finding

from . import oracles, result_shape
from ..text.spans import finding_at
from .spec import Example, FunctionSpec

_I = re.IGNORECASE
_SORTED_ASC = re.compile(r"\b(?:sorted|sort(?:ed)? (?:it |them )?in)\s+(?:in\s+)?(?:ascending|increasing|non-decreasing)(?:\s+order)?|"
                         r"\b(?:ascending|increasing)\s+order\b(?!\s+(?:according|by|based|if|when|of))|\bsorted (?:unique|list|elements)\b|\bfrom shortest to longest\b|"
                         r"\breturn sorted\b", _I)
_SORTED_DESC = re.compile(r"\b(?:descending|decreasing|non-increasing)\s+order\b|\bsorted\s+descendingly\b|\bfrom longest to shortest\b", _I)
_ANY_ASC = re.compile(r"\b(?:ascending(?:ly)?|increasing|non-decreasing|shortest to longest|smallest to largest)\b", _I)
_ANY_DESC = re.compile(r"\b(?:descending(?:ly)?|decreasing|non-increasing|longest to shortest|largest to smallest|reverse)\b", _I)
_SEPARATED_BY = re.compile(r"\bseparated by (space|comma)s?\b", _I)
_UNIQUE = re.compile(r"\bunique\b|\bwithout duplicates\b|\bdistinct elements\b", _I)
_ONLY_POSITIVE = re.compile(r"\breturn only positive\b|\bonly (?:the )?positive (?:numbers|elements|values)\b", _I)
_ONLY_NEGATIVE = re.compile(r"\breturn only negative\b|\bonly (?:the )?negative (?:numbers|elements|values)\b", _I)
_OUTPUT_SUBSET = re.compile(r"\b(?:filter|remove|keep only|select|return only)\b", _I)


def _type_ok(annotation: str, value: Any) -> bool | None:
    """Whether a literal fits a return annotation; None when we cannot tell."""
    ann = annotation.replace(" ", "").replace("typing.", "")
    if ann.startswith(("Optional[", "Union[", "Any")) or "|" in ann:
        return None
    base, _, inner = ann.partition("[")
    inner = inner[:-1] if inner.endswith("]") else inner
    base = base.lower()
    if base == "bool":
        return isinstance(value, bool)
    if base == "int":
        return isinstance(value, int) and not isinstance(value, bool)
    if base == "float":
        return isinstance(value, (int, float)) and not isinstance(value, bool)
    if base == "str":
        return isinstance(value, str)
    if base in ("list", "sequence"):
        if not isinstance(value, list):
            return False
        if inner and value:
            verdicts = [_type_ok(inner, v) for v in value]
            return False if False in verdicts else True
        return True
    if base == "tuple":
        if not isinstance(value, tuple):
            return False
        parts = [p for p in re.split(r",(?![^\[]*\])", inner) if p] if inner else []
        if parts and "..." not in parts:
            if len(parts) != len(value):
                return False
            verdicts = [_type_ok(p, v) for p, v in zip(parts, value)]
            return False if False in verdicts else True
        return True
    if base == "dict":
        return isinstance(value, dict)
    return None


def _where(text: str, ex: Example, message: str, question: str | None = None) -> Finding:
    return finding_at(text, "XY112", message, ex.start, ex.end,
                      question=question or "The examples and the description disagree: which one is right?")


def _against_annotation(text: str, spec: FunctionSpec) -> list[Finding]:
    if not spec.returns:
        return []
    for ex in spec.examples:
        if ex.has_value and _type_ok(spec.returns, ex.value) is False:
            return [_where(text, ex, f"example output {ex.output[:40]} does not fit the declared return type "
                                     f"'{spec.returns}'")]
    return []


# A doctest line with no output after it: an assignment or a call run for its effect ("G.add_edge(1, 2)").
_SESSION_STATEMENT = re.compile(r"^[ \t]*>>>[ \t]*\S[^\n]*\n[ \t]*(?:>>>|\.\.\.|$)", re.MULTILINE)
_PLAIN_CALL = re.compile(r"^[A-Za-z_]\w*\(")


def _stateless(ex: Example, session_changes_state: bool) -> bool:
    """Whether the call's result depends on its literal arguments alone. In a doctest session that builds or
    changes objects between the examples, `has_bridges(G)` or `t.heading()` may rightly answer differently
    each time; a plain call with literal arguments cannot."""
    if not session_changes_state:
        return True
    return ex.args is not None and _PLAIN_CALL.match(ex.call) is not None


def _against_each_other(text: str, spec: FunctionSpec) -> list[Finding]:
    seen: dict[str, Example] = {}
    changes_state = _SESSION_STATEMENT.search(text, spec.doc_start, spec.doc_end) is not None
    for ex in spec.examples:
        if not ex.has_value or not _stateless(ex, changes_state):
            continue
        first = seen.setdefault(ex.key, ex)
        if first is not ex and not oracles.same(first.value, ex.value):
            return [_where(text, ex, f"two examples give {ex.call} different results ({first.output[:30]} and "
                                     f"{ex.output[:30]})")]
    return []


# Names an example may call besides the function itself: `round(mean(x), 2)` calls the builtin `round`.
# (`dir(__builtins__)` is not this list: outside __main__, __builtins__ is a dict and dir() lists its methods.)
BUILTIN_NAMES = frozenset(dir(builtins))


def _against_name(text: str, spec: FunctionSpec) -> list[Finding]:
    """Every example calls one other name: the examples may belong to another function. Info only: the reader
    can nearly always tell which function is meant, so it is worth a note, never an interruption."""
    known = {spec.name, *spec.other_defs}
    called = {ex.func for ex in spec.examples if ex.func}
    strangers = sorted(n for n in called if n not in known and n not in BUILTIN_NAMES)
    if len(strangers) == 1 and all(ex.func in strangers or ex.func is None for ex in spec.examples):
        ex = next(e for e in spec.examples if e.func in strangers)
        return [finding_at(text, "XY112", f"the examples call '{strangers[0]}' but the function is '{spec.name}'",
                           ex.start, ex.end, severity="info",
                           question=f"Is the function '{spec.name}' or '{strangers[0]}', and do the examples belong to it?")]
    return []


def _against_arity(text: str, spec: FunctionSpec) -> list[Finding]:
    if not spec.params or any(ch in spec.raw_params for ch in "=*"):
        return []
    for ex in spec.examples:
        if ex.args is not None and ex.func == spec.name and len(ex.args) != len(spec.params):
            return [_where(text, ex, f"example passes {len(ex.args)} argument(s) but '{spec.name}' takes "
                                     f"{len(spec.params)} ({', '.join(spec.params)})")]
    return []


def _against_stated_properties(text: str, spec: FunctionSpec) -> list[Finding]:
    desc = spec.description
    checks = []
    mentions_asc, mentions_desc = _ANY_ASC.search(desc), _ANY_DESC.search(desc)
    if _SORTED_ASC.search(desc) and not mentions_desc:
        checks.append(("sorted ascending", lambda v: v == sorted(v)))
    if _SORTED_DESC.search(desc) and not mentions_asc:
        checks.append(("sorted descending", lambda v: v == sorted(v, reverse=True)))
    separator = _SEPARATED_BY.search(desc)
    if separator:
        sep = {"space": " ", "comma": ","}[separator.group(1).lower()]
        for ex in spec.examples:
            if ex.args and isinstance(ex.args[0], str) and len(ex.args[0]) > 8 and sep not in ex.args[0]:
                return [_where(text, ex, f"the description says the input is separated by {separator.group(1)}s, "
                                         f"but the example input {ex.args[0]!r} has none")]
    if _UNIQUE.search(desc):
        checks.append(("free of duplicates", lambda v: len(set(map(repr, v))) == len(v)))
    if _ONLY_POSITIVE.search(desc):
        checks.append(("positive numbers only", lambda v: all(isinstance(x, (int, float)) and x > 0 for x in v)))
    if _ONLY_NEGATIVE.search(desc):
        checks.append(("negative numbers only", lambda v: all(isinstance(x, (int, float)) and x < 0 for x in v)))
    for ex in spec.examples:
        if not (ex.has_value and isinstance(ex.value, list)):
            continue
        for what, ok in checks:
            try:
                good = ok(ex.value)
            except TypeError:
                continue
            if not good:
                return [_where(text, ex, f"the description says the result is {what}, but the example gives {ex.output[:40]}")]
        if _OUTPUT_SUBSET.search(desc) and ex.args and isinstance(ex.args[0], list) and ex.value:
            pool = {repr(x) for x in ex.args[0]}
            if not all(repr(x) in pool for x in ex.value):
                return [_where(text, ex, f"the description filters the input, but the example returns "
                                         f"{ex.output[:40]}, which is not drawn from it")]
    return []


def _against_oracles(text: str, spec: FunctionSpec) -> list[Finding]:
    for oracle in oracles.applicable(spec.description):
        for ex in spec.examples:
            if ex.args is None or not ex.has_value:
                continue
            want = oracles.expected(oracle, ex.args)
            if want is NotImplemented:
                continue
            if not oracles.agrees(want, ex.value):
                shown = want.values[0] if isinstance(want, oracles.Accept) else want
                return [_where(text, ex, f"the description asks for the {oracle.name}, which for these inputs is "
                                         f"{shown!r}, but the example says {ex.output[:40]}")]
    return []


def _against_result_shape(text: str, spec: FunctionSpec) -> list[Finding]:
    for check in result_shape.CHECKS:
        hit = check(spec)
        if hit:
            return [_where(text, hit[0], hit[1])]
    return []


_CHECKS = (_against_each_other, _against_annotation, _against_arity, _against_stated_properties, _against_oracles,
           _against_result_shape, _against_name)


def detect(text: str, spec: FunctionSpec | None) -> list[Finding]:
    if spec is None or not spec.examples:
        return []
    for check in _CHECKS:
        found = check(text, spec)
        if found:
            return found  # one contradiction is enough to ask; more would repeat the question
    return []
