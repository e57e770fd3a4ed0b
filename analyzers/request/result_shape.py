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

import typing
from collections.abc import Sized

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
_NOT_FOUND: tuple[Any, ...] = (None, -1, "", [])
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
    verb_match = re.match(r"\w+", m.group(0)[len(m.group(0).split()[0]):].strip())
    if verb_match is None:
        return None
    verb = verb_match.group(0).lower().rstrip("s")
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


# "the number of vowels in the string", "how many elements of the list ...": a count of the input's own items.
_ITEM_NOUN = (r"(?:elements?|items?|entries|entry|numbers?|integers?|values?|strings?|words?|characters?|chars?|letters?|"
              r"vowels?|consonants?|digits?)")
_COUNT_ADJECTIVES = r"(?:(?:distinct|unique|different|odd|even|positive|negative|non-negative|nonzero|non-zero|prime|"  \
                    r"upper(?:\s*case)?|lower(?:\s*case)?|capital|alphabetic|numeric|duplicate|repeated|consecutive|"  \
                    r"(?:[a-z]+-)?digit)\s+){0,2}"
_CONTAINER = r"(?P<container>list|array|sequence|string|word|sentence|text|[A-Za-z_]\w*)"
_COUNT_OF_ITEMS = re.compile(
    r"\b(?:(?:the\s+)?(?:total\s+)?(?:number|count)\s+of|how\s+many)\s+(?:the\s+)?" + _COUNT_ADJECTIVES + _ITEM_NOUN
    + r"\s+(?:(?:are|there\s+are|appear|occur)\s+)?(?:in|of|inside|within)\s+(?:the\s+|a\s+|an\s+|this\s+)?"
      r"(?:given\s+|input\s+)?" + _CONTAINER + r"\b", _I)
_SEQUENCE_WORDS = {"list": list, "array": list, "sequence": list, "string": str, "word": str, "sentence": str, "text": str}


def _counted_argument(spec: FunctionSpec, ex: Example, container: str) -> list | str | None:
    """The argument whose items are counted: the parameter the text names, else the one argument of that kind."""
    if ex.args is None or len(ex.args) != len(spec.params):
        return None
    if container in spec.params:
        arg = ex.args[spec.params.index(container)]
        return arg if isinstance(arg, (list, str)) else None
    kind = _SEQUENCE_WORDS.get(container.lower())
    if kind is None:
        return None
    fitting = [a for a in ex.args if isinstance(a, kind)]
    return fitting[0] if len(fitting) == 1 else None


def count_within_input(spec: FunctionSpec) -> tuple[Example, str] | None:
    """A count of the input's items is a whole number from 0 to the input's length: 'the number of vowels in
    the string' cannot be 9 for 'hello', nor -2."""
    prose = " ".join(spec.description.split())
    m = _COUNT_OF_ITEMS.search(prose)
    if m is None:
        return None
    negative_allowed = re.search(r"(?<![\w.])-\d", prose) is not None  # "return -1 if there are none"
    for ex in _valued(spec):
        value = ex.value
        if not isinstance(value, int) or isinstance(value, bool):
            continue
        counted = _counted_argument(spec, ex, m.group("container"))
        if counted is None:
            continue
        if value > len(counted) or (value < 0 and not negative_allowed):
            return ex, (f"the description counts {' '.join(m.group(0).split())!r}, at most {len(counted)} here, "
                        f"but the example gives {ex.output[:40]}")
    return None


# "If the list is empty, return None", "return 0 for an empty list", "an empty string gives ''".
_EMPTY_VALUE = r"(?P<value>none|null|true|false|-?\d+(?:\.\d+)?|''|\"\"|\[\s*\]|\(\s*\)|\{\s*\}|'[^'\n]{0,20}'|\"[^\"\n]{0,20}\")"
_EMPTY_THING = (r"(?:the\s+|an\s+|a\s+)?(?:given\s+|input\s+)?(?P<thing>list|array|sequence|string|dictionary|dict|"
                r"tuple|set|input|[A-Za-z_]\w*)")
_EMPTY_RESULT = [
    re.compile(r"\b(?:if|when)\s+" + _EMPTY_THING + r"\s+is\s+empty\s*,?\s*(?:then\s+)?(?:the\s+function\s+)?"
               r"(?:should\s+)?returns?\s+" + _EMPTY_VALUE + _ALONE, _I),
    re.compile(r"\breturns?\s+" + _EMPTY_VALUE + r"\s+(?:if|when)\s+" + _EMPTY_THING + r"\s+is\s+empty\b", _I),
    re.compile(r"\breturns?\s+" + _EMPTY_VALUE + r"\s+for\s+an\s+empty\s+(?P<thing>list|array|sequence|string|"
               r"dictionary|dict|tuple|set|input)\b", _I),
]
_EMPTY_OF: dict[str, type | tuple[type, ...]] = {"list": list, "array": list, "sequence": (list, tuple), "string": str, "dictionary": dict, "dict": dict,
             "tuple": tuple, "set": (set, frozenset)}


def _empty_argument(spec: FunctionSpec, ex: Example, thing: str) -> bool:
    """Whether the example passes the empty input the text speaks of."""
    if ex.args is None or len(ex.args) != len(spec.params) or not ex.args:
        return False
    if thing in spec.params:
        arg = ex.args[spec.params.index(thing)]
        return isinstance(arg, (list, tuple, str, dict, set)) and len(arg) == 0
    kind = _EMPTY_OF.get(thing.lower())
    if thing.lower() == "input":  # "if the input is empty": the function's one input
        return len(ex.args) == 1 and isinstance(ex.args[0], (list, tuple, str, dict, set)) and len(ex.args[0]) == 0
    if kind is None:
        return False
    fitting = [a for a in ex.args if isinstance(a, kind)]
    return len(fitting) == 1 and len(typing.cast(Sized, fitting[0])) == 0


def stated_empty_result(spec: FunctionSpec) -> tuple[Example, str] | None:
    """The text names the result for an empty input; an example with that empty input must give it."""
    prose = " ".join(spec.description.split())
    for pattern in _EMPTY_RESULT:
        for m in pattern.finditer(prose):
            want = _literal(m.group("value"))
            if want is NotImplemented:
                continue
            for ex in _valued(spec):
                if _empty_argument(spec, ex, m.group("thing")) and not _same_literal(want, ex.value):
                    return ex, (f"the description says an empty {m.group('thing')} gives {m.group('value')}, "
                                f"but the example gives {ex.output[:40]}")
    return None


def _same_literal(a: Any, b: Any) -> bool:
    if isinstance(a, bool) or isinstance(b, bool) or a is None or b is None:
        return type(a) is type(b) and a == b
    return a == b


CHECKS = (stated_values, yes_no_name, picked_from_input, sized_by_argument, sorting_keeps_elements, character_class, filtered_by_text,
          count_within_input, stated_empty_result)
