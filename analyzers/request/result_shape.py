"""What the text says the result looks like, checked against the examples (XY112).

Each check reads one generic statement about the result and tests every
example output against it, without knowing what the function computes:

- the only values it returns ("return True if ..., False otherwise",
  "returns 'Yes' if ... and 'No' otherwise", "return -1 if ...");
- the function name's plain meaning: `is_x` / `has_x` (or `isX`) answer yes or no;
- a pick from the input ("return the largest element") is one of the inputs;
- "a list of length k" has k items; a sorted list holds the same elements as the input;
- a text result "without vowels" (or "only digits") contains none (nothing else) of that class.

Each returns the first offending example, or None.
"""

from __future__ import annotations

import ast
import re
from typing import Any

from .spec import Example, FunctionSpec

_I = re.IGNORECASE
_LITERAL = r"(?:true|false|none|-?\d+(?:\.\d+)?|'[^'\n]{0,20}'|\"[^\"\n]{0,20}\")"
# a literal only when it stands alone: "return 2^n modulo p" names an expression, not the value 2
_ALONE = r"(?=\s*(?:$|[,.;:)]|\b(?:if|when|for|in|otherwise|and|or|else|as|only)\b))"
_RETURNS = re.compile(r"\breturns?\s+(?P<what>" + _LITERAL + _ALONE + r"|[a-z]+|\S+)", _I)
# "True if ..., False otherwise" without a second "return"
_OTHERWISE = re.compile(r"(?:,|\band\b|\belse\b)\s*(?P<what>" + _LITERAL + r")\s+(?:otherwise|in\s+other\s+cases|else)\b", _I)
_YES_NO_NAME = re.compile(r"^(?:is|has)(?:_[a-z]|[A-Z])", re.ASCII)
_PICK = re.compile(r"\breturns?\s+the\s+(?:largest|smallest|greatest|maximum|minimum|biggest|longest|shortest|first|last)\s+"
                   r"(?:element|number|integer|value|item|word|string)\b", _I)
_NOT_FOUND = (None, -1, "", [])
# "a list of length k": the output's size is one of the arguments
_SIZED = re.compile(r"\b(?:list|array|string|tuple)\s+of\s+(?:length|size)\s+(?P<n>[A-Za-z_]\w*)\b", _I)
_SORTS = re.compile(r"\bsorts?\s+(?:the\s+)?(?:given\s+)?(?:list|array)\b|\breturn\s+(?:the\s+|a\s+copy\s+of\s+the\s+)?(?:given\s+)?(?:list|array)\s+(?:after\s+sorting|sorted)\b", _I)


def _literal(src: str) -> Any:
    src = {"true": "True", "false": "False", "none": "None"}.get(src.lower(), src)
    try:
        return ast.literal_eval(src)
    except (ValueError, SyntaxError):
        return NotImplemented


def _valued(spec: FunctionSpec) -> list[Example]:
    return [ex for ex in spec.examples if ex.has_value]


def stated_values(spec: FunctionSpec) -> tuple[Example, str] | None:
    """Every 'return' in the description names a literal: outputs must be among them."""
    prose = " ".join(spec.description.split())
    named = [m.group("what") for m in _RETURNS.finditer(prose)]
    if not named:
        return None
    values = [_literal(w) for w in named] + [_literal(m.group("what")) for m in _OTHERWISE.finditer(prose)]
    if any(v is NotImplemented for v in values):  # "return the sum ...": the result is not limited to literals
        return None
    allowed = {repr(v) for v in values}
    for ex in _valued(spec):
        if repr(ex.value) not in allowed and not (isinstance(ex.value, bool) and {"True", "False"} & allowed):
            return ex, f"the description says the result is one of {', '.join(sorted(allowed))}, but the example gives {ex.output[:40]}"
    return None


def yes_no_name(spec: FunctionSpec) -> tuple[Example, str] | None:
    if not _YES_NO_NAME.match(spec.name):
        return None
    for ex in _valued(spec):
        if not isinstance(ex.value, bool) and ex.func == spec.name:
            return ex, f"'{spec.name}' reads as a yes/no question, but the example returns {ex.output[:40]}"
    return None


def picked_from_input(spec: FunctionSpec) -> tuple[Example, str] | None:
    if not _PICK.search(" ".join(spec.description.split())):
        return None
    for ex in _valued(spec):
        if ex.args is None or len(ex.args) != 1 or not isinstance(ex.args[0], list) or ex.value in _NOT_FOUND:
            continue
        if not any(repr(ex.value) == repr(x) for x in ex.args[0]):
            return ex, f"the description picks one element of the input, but the example returns {ex.output[:40]}, which is not in it"
    return None


def sized_by_argument(spec: FunctionSpec) -> tuple[Example, str] | None:
    m = _SIZED.search(" ".join(spec.description.split()))
    if m is None or m.group("n") not in spec.params:
        return None
    at = spec.params.index(m.group("n"))
    for ex in _valued(spec):
        if ex.args is None or len(ex.args) != len(spec.params) or not isinstance(ex.value, (list, str, tuple)):
            continue
        n = ex.args[at]
        if isinstance(n, int) and not isinstance(n, bool) and len(ex.value) != n:
            return ex, f"the description says the result has length {m.group('n')} (= {n}), but the example gives {ex.output[:40]}"
    return None


def sorting_keeps_elements(spec: FunctionSpec) -> tuple[Example, str] | None:
    """Sorting, by whatever key, only reorders: the output holds exactly the input's elements."""
    if not _SORTS.search(" ".join(spec.description.split())):
        return None
    for ex in _valued(spec):
        if ex.args is None or len(ex.args) != 1 or not isinstance(ex.args[0], list) or not isinstance(ex.value, list):
            continue
        if sorted(map(repr, ex.args[0])) != sorted(map(repr, ex.value)):
            return ex, f"the description sorts the input, but the example output {ex.output[:40]} does not hold the same elements"
    return None


# Character classes a text result can be promised to lack ("without vowels") or to consist of ("only digits").
_CHAR_CLASSES = {
    "vowels": lambda c: c.lower() in "aeiou", "consonants": lambda c: c.isalpha() and c.lower() not in "aeiou",
    "digits": str.isdigit, "numbers": str.isdigit, "spaces": str.isspace, "whitespace": str.isspace,
    "punctuation": lambda c: not c.isalnum() and not c.isspace(), "letters": str.isalpha,
    "uppercase letters": str.isupper, "lowercase letters": str.islower,
}
_CLASS_NAMES = "|".join(sorted(_CHAR_CLASSES, key=len, reverse=True))
_WITHOUT = re.compile(rf"\b(?:returns?|gives?|outputs?)\b[^.]{{0,60}}?\b(?:without|with\s+no|with\s+all)\s+(?:the\s+|any\s+)?(?P<cls>{_CLASS_NAMES})\b"
                      rf"(?P<removed>\s+removed)?", _I)
_ONLY = re.compile(rf"\b(?:returns?|keeps?)\b[^.]{{0,60}}?\bonly\s+(?:the\s+)?(?P<cls>{_CLASS_NAMES})\b", _I)


def character_class(spec: FunctionSpec) -> tuple[Example, str] | None:
    """A text result promised to lack a character class (or to hold nothing else) must do so in every example."""
    prose = " ".join(spec.description.split())
    rules = []
    for m in _WITHOUT.finditer(prose):
        if "with all" not in m.group(0).lower() or m.group("removed"):  # "with all vowels" keeps them, unless removed
            rules.append((m.group("cls").lower(), False))
    rules += [(m.group("cls").lower(), True) for m in _ONLY.finditer(prose)]
    for cls, only in rules:
        test = _CHAR_CLASSES[cls]
        for ex in _valued(spec):
            if not isinstance(ex.value, str) or not ex.value:
                continue
            bad = [c for c in ex.value if test(c) != only]
            if bad:
                promise = f"only {cls}" if only else f"no {cls}"
                return ex, f"the description promises {promise}, but the example output {ex.output[:40]} has {bad[0]!r}"
    return None


# "the strings that start with the prefix": a filter whose test is a string argument
_TEXT_FILTER = re.compile(r"\b(?:that|which|who)\s+(?:start|begin|end|contain)s?(?:\s+with)?\s+(?:the\s+|a\s+)?(?:given\s+)?"
                          r"(?P<param>[A-Za-z_]\w*)\b", _I)
_TEXT_TESTS = {"start": str.startswith, "begin": str.startswith, "end": str.endswith,
               "contain": lambda s, part: part in s}


def filtered_by_text(spec: FunctionSpec) -> tuple[Example, str] | None:
    """Every item a text filter keeps passes the filter: 'the names that start with prefix' keeps no 'bcd'."""
    m = _TEXT_FILTER.search(" ".join(spec.description.split()))
    if m is None or m.group("param") not in spec.params:
        return None
    verb = re.match(r"\w+", m.group(0)[len(m.group(0).split()[0]):].strip()).group(0).lower().rstrip("s")
    test, at = _TEXT_TESTS.get(verb), spec.params.index(m.group("param"))
    for ex in _valued(spec):
        if test is None or ex.args is None or len(ex.args) != len(spec.params) or not isinstance(ex.value, list):
            continue
        part = ex.args[at]
        if isinstance(part, str) and all(isinstance(v, str) for v in ex.value):
            bad = [v for v in ex.value if not test(v, part)]
            if bad:
                return ex, f"the description keeps the items that {verb} with {part!r}, but the example keeps {bad[0]!r}"
    return None


CHECKS = (stated_values, yes_no_name, picked_from_input, sized_by_argument, sorting_keeps_elements, character_class, filtered_by_text)
