"""A small library of textbook operations whose results can be checked from literal examples.

When a description names one of these operations in ordinary words ("return
the sum of the numbers in the list", "check whether the string is a
palindrome"), we compute in our own code what the operation gives for an
example's literal arguments; a different expected output means the example
and the description disagree. Only operations every programmer knows by
name are here, recognised from how people describe them, never from a
function name: a name is the author's label, the description is the spec.

A phrase must name the whole operation: the match has to end the clause
("the sum of the numbers." applies, "the sum of the numbers at odd
positions" does not), so a qualified variant is never checked against the
plain operation. Nothing from the request is executed: arguments are
literals parsed with `ast.literal_eval`.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Any, Callable

_I = re.IGNORECASE


def _ints(*xs: Any) -> bool:
    return all(isinstance(x, int) and not isinstance(x, bool) for x in xs)


def _num_list(x: Any) -> bool:
    return isinstance(x, list) and all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in x)


def _one(a: tuple, fits: Callable[[Any], bool]) -> bool:
    return len(a) == 1 and fits(a[0])


def _is_str(x: Any) -> bool:
    return isinstance(x, str)


def _is_prime(n: int) -> bool:
    return n >= 2 and all(n % d for d in range(2, math.isqrt(n) + 1))




def _integer_root(n: int, k: int) -> int | None:
    """The integer r with r**k == n (sign kept for odd k), or None."""
    if n < 0:
        return None if k % 2 == 0 else (None if (r := _integer_root(-n, k)) is None else -r)
    r = round(n ** (1.0 / k))
    return next((c for c in (r - 1, r, r + 1) if c >= 0 and c ** k == n), None)


def _extremes_by_length(a: tuple, pick: Callable[..., int]) -> Any:
    """Every item of the extreme length: which of the ties is meant is the description's business, not ours."""
    if not _one(a, lambda x: isinstance(x, list) and x and all(map(_is_str, x))):
        return NotImplemented
    want = pick(len(s) for s in a[0])
    return Accept(*[s for s in a[0] if len(s) == want])


def _digit_sum(n: int) -> int:
    return sum(map(int, str(abs(n))))


class Accept:
    """Several results are all correct readings of the operation (e.g. unique elements sorted or in first-seen order)."""

    def __init__(self, *values: Any, casefold: bool = False) -> None:
        self.values, self.casefold = values, casefold


def _list_reduce(fn: Callable[[list], Any]) -> Callable[[tuple], Any]:
    return lambda a: fn(a[0]) if _one(a, _num_list) and a[0] else NotImplemented


def _on_str(fn: Callable[[str], Any]) -> Callable[[tuple], Any]:
    return lambda a: fn(a[0]) if _one(a, _is_str) else NotImplemented


def _on_seq(fn: Callable[[Any], Any]) -> Callable[[tuple], Any]:
    return lambda a: fn(a[0]) if _one(a, lambda x: isinstance(x, (str, list))) else NotImplemented


def _on_int(fn: Callable[[int], Any], lo: int = 0, hi: int = 10**6) -> Callable[[tuple], Any]:
    return lambda a: fn(a[0]) if _one(a, _ints) and lo <= a[0] <= hi else NotImplemented


def _unique(a: tuple) -> Any:
    if not _one(a, _num_list):
        return NotImplemented
    return Accept(sorted(set(a[0])), list(dict.fromkeys(a[0])))


def _gcd(a: tuple) -> Any:
    return math.gcd(a[0], a[1]) if len(a) == 2 and _ints(*a) else NotImplemented




@dataclass(frozen=True)
class Oracle:
    name: str  # how the operation is described to the user
    applies: _LazyPattern  # searched in the description, whitespace folded
    compute: Callable[[tuple], Any]  # -> expected value (or Accept), NotImplemented when inputs do not fit


# "returns True if <subject> is <property>": the subject as the description names it, measured on the argument.
_SUBJECTS: list[tuple[str, Callable[[Any], Any]]] = [
    (r"(?:the\s+|this\s+|a\s+)?(?:given\s+|input\s+)?(?:string|word|text)(?:'s)?\s+length|"
     r"the\s+length\s+of\s+(?:the\s+|this\s+|a\s+)?(?:given\s+|input\s+)?(?:string|word|text)",
     lambda x: len(x) if _is_str(x) else NotImplemented),
    (r"(?:the\s+|this\s+|a\s+)?(?:given\s+|input\s+)?(?:number|integer)(?:\s+[a-z])?|[a-z]",
     lambda x: x if _ints(x) else NotImplemented),
]
# Properties every programmer can compute, phrased as people write them.
_PROPERTIES: list[tuple[str, str, Callable[[int], bool]]] = [
    ("prime", r"(?:a\s+)?prime(?:\s+number)?", lambda n: _is_prime(n)),
    ("even", r"even", lambda n: n % 2 == 0),
    ("odd", r"odd", lambda n: n % 2 == 1),
    ("a perfect square", r"a\s+perfect\s+square", lambda n: _integer_root(n, 2) is not None),
    ("a perfect cube", r"a\s+perfect\s+cube", lambda n: _integer_root(n, 3) is not None),
    ("a power of two", r"a\s+power\s+of\s+(?:two|2)", lambda n: n > 0 and n & (n - 1) == 0),
]

# The end of a clause: the named operation is the whole ask, not the start of a qualified one.
_END = r"(?:\s+(?:in|of|from)\s+(?:the|a|an|this|that|given)\s+(?:given\s+)?(?:input\s+)?(?:list|array|sequence|collection|vector)(?:\s+\w{1,3})?)?\s*(?:[.;:!]|,\s+(?:and\s+)?(?:or\s+)?(?:return|returns|false|none|0|-1)\b|\s+(?:and|or)\s+(?:return\s+)?false(?:\s+otherwise)?|$)"
_ITEMS = r"(?:all\s+)?(?:of\s+)?(?:the\s+)?(?:given\s+)?(?:elements|numbers|values|integers|items|entries)"
_CHECK = r"(?:(?:return|returns)\s+true\s+(?:if|when)|check(?:s)?\s+(?:if|whether)|test(?:s)?\s+(?:if|whether)|determine(?:s)?\s+(?:if|whether)|whether)"


# The operation is what is asked for, not a property of the input ("the list has unique elements").
_ASK = (r"\b(?:return|returns|compute|computes|calculate|calculates|find|finds|get|gets|give|gives|output|outputs|"
        r"print|prints)\s+(?:only\s+)?(?:a\s+|an\s+|the\s+)?(?:list\s+of\s+(?:the\s+)?|sorted\s+)*")


class _LazyPattern:
    """Compiled on first search: the library is large, and most requests (and every commit message)
    never reach a function stub with examples, so start-up should not pay for it."""

    __slots__ = ("source", "_compiled")

    def __init__(self, source: str) -> None:
        self.source, self._compiled = source, None

    def search(self, text: str) -> re.Match | None:
        if self._compiled is None:
            self._compiled = re.compile(self.source, _I)
        return self._compiled.search(text)


def _P(*parts: str) -> _LazyPattern:
    return _LazyPattern("".join(parts))


ORACLES: list[Oracle] = [
    Oracle("sum of the elements", _P(_ASK, r"sum\s+of\s+", _ITEMS, _END), _list_reduce(sum)),
    Oracle("product of the elements", _P(_ASK, r"product\s+of\s+", _ITEMS, _END), _list_reduce(math.prod)),
    Oracle("maximum element", _P(_ASK, r"(?:maximum|max|largest|biggest|greatest)\s+(?:element|number|value|integer|item)", _END),
           _list_reduce(max)),
    Oracle("minimum element", _P(_ASK, r"(?:minimum|min|smallest|least)\s+(?:element|number|value|integer|item)", _END),
           _list_reduce(min)),
    Oracle("number of elements", _P(_ASK, r"(?:number|count)\s+of\s+(?:elements|items|entries)", _END),
           lambda a: len(a[0]) if _one(a, lambda x: isinstance(x, list)) else NotImplemented),
    Oracle("length of the string", _P(_ASK, r"length\s+of\s+(?:the\s+|a\s+)?(?:given\s+|input\s+)?string", _END), _on_str(len)),
    Oracle("reversal", _P(r"\breverse(?:s|d)?\s+(?:the\s+|a\s+)?(?:given\s+|input\s+)?(?:string|list|array)", _END,
                          r"|\b(?:string|list|array)\s+reversed", _END), _on_seq(lambda s: s[::-1])),
    Oracle("ascending sort", _P(r"\bsort(?:s|ed)?\s+(?:the\s+)?(?:given\s+|input\s+)?(?:list|array|numbers|elements)\s+"
                                r"in\s+(?:ascending|increasing)\s+order", _END), _on_seq(lambda s: sorted(s) if isinstance(s, list) else NotImplemented)),
    Oracle("descending sort", _P(r"\bsort(?:s|ed)?\s+(?:the\s+)?(?:given\s+|input\s+)?(?:list|array|numbers|elements)\s+"
                                 r"in\s+(?:descending|decreasing)\s+order", _END),
           _on_seq(lambda s: sorted(s, reverse=True) if isinstance(s, list) else NotImplemented)),
    Oracle("unique elements", _P(_ASK, r"(?:unique|distinct)\s+elements", _END), _unique),
    Oracle("sum of the digits", _P(_ASK, r"(?:total\s+)?sum\s+of\s+(?:its|the|all)\s+(?:decimal\s+)?digits(?:\s+of\s+(?:the\s+)?(?:given\s+)?"
                                  r"(?:number|integer|[a-z]))?", _END),
           _on_int(_digit_sum, lo=-10**18, hi=10**18)),
    Oracle("longest string", _P(_ASK, r"longest\s+(?:one|string|word|element|item)", _END), lambda a: _extremes_by_length(a, max)),
    Oracle("shortest string", _P(_ASK, r"shortest\s+(?:one|string|word|element|item)", _END), lambda a: _extremes_by_length(a, min)),
    Oracle("factorial", _P(_ASK, r"factorial\s+of\s+(?:the\s+|a\s+)?(?:given\s+)?(?:number|integer|[a-z])", _END), _on_int(math.factorial, hi=300)),
    Oracle("greatest common divisor", _P(_ASK, r"greatest\s+common\s+divisor\s+of\s+(?:two\s+)?(?:integers|numbers|[a-z]\s+and\s+[a-z])", _END), _gcd),
    Oracle("palindrome test", _P(r"\b", _CHECK, r"\s+(?:a|the)\s+(?:given\s+|input\s+)?(?:string|word|text)\s+is\s+a\s+palindrome", _END),
           _on_str(lambda s: s == s[::-1])),
    Oracle("upper case", _P(r"\b(?:convert|turn|change)s?\s+(?:the\s+|a\s+)?(?:given\s+)?string\s+(?:to|into)\s+upper\s*case", _END),
           _on_str(str.upper)),
    Oracle("lower case", _P(r"\b(?:convert|turn|change)s?\s+(?:the\s+|a\s+)?(?:given\s+)?string\s+(?:to|into)\s+lower\s*case", _END),
           _on_str(str.lower)),
    Oracle("absolute value", _P(_ASK, r"absolute\s+value\s+of\s+(?:the\s+|a\s+)?(?:given\s+)?(?:number|integer|[a-z])", _END),
           lambda a: abs(a[0]) if len(a) == 1 and isinstance(a[0], (int, float)) else NotImplemented),
    Oracle("concatenation", _P(r"\bconcatenat\w*\s+(?:the\s+|a\s+)?(?:given\s+)?(?:list\s+of\s+)?strings(?:\s+into\s+(?:a\s+)?(?:single\s+)?string)?", _END),
           lambda a: "".join(a[0]) if _one(a, lambda x: isinstance(x, list) and all(map(_is_str, x))) else NotImplemented),
]


# The primality test and its kin: every subject with every property.
def _property_oracle(subject: str, measure: Callable[[Any], Any], label: str, words: str,
                     holds: Callable[[int], bool]) -> Oracle:
    def compute(a: tuple) -> Any:
        if len(a) != 1:
            return NotImplemented
        value = measure(a[0])
        return NotImplemented if value is NotImplemented or abs(value) > 10**9 else holds(value)

    return Oracle(f"test whether the value is {label}", _P(r"\b", _CHECK, r"\s+", f"(?:{subject})", r"\s+is\s+", words, _END), compute)


ORACLES += [_property_oracle(subject, measure, label, words, holds)
            for subject, measure in _SUBJECTS for label, words, holds in _PROPERTIES]

def applicable(description: str) -> list[Oracle]:
    folded = " ".join(description.split())
    return [oracle for oracle in ORACLES if oracle.applies.search(folded)]


def expected(oracle: Oracle, args: tuple) -> Any:
    try:
        return oracle.compute(args)
    except (TypeError, ValueError, OverflowError, ZeroDivisionError, IndexError, RecursionError):
        return NotImplemented


def agrees(want: Any, got: Any) -> bool:
    """Whether an example's output is a correct result of the operation."""
    if isinstance(want, Accept):
        if want.casefold and isinstance(got, str):
            return any(isinstance(v, str) and v.lower() == got.lower() for v in want.values)
        return any(same(v, got) for v in want.values)
    return same(want, got)


def same(a: Any, b: Any) -> bool:
    if isinstance(a, bool) or isinstance(b, bool):
        return isinstance(a, bool) and isinstance(b, bool) and a == b
    if isinstance(a, float) or isinstance(b, float):
        try:
            return math.isclose(float(a), float(b), rel_tol=1e-6, abs_tol=1e-6)
        except (TypeError, ValueError):
            return False
    if isinstance(a, (list, tuple)) and isinstance(b, (list, tuple)):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b))
    return a == b
