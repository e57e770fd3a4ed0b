"""Well-known operations whose results can be checked from literal examples, without running the request.

An oracle applies when the function's name or description names the
operation unambiguously ("is_prime", "sum and product", "sorted unique
elements"). It computes, in our own code, what the operation gives for the
example's literal arguments; a different expected output means the example
and the description disagree. Nothing from the request is executed: the
arguments are literals parsed with `ast.literal_eval`.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Any, Callable

_I = re.IGNORECASE


def _is_prime(n: int) -> bool:
    if n < 2:
        return False
    return all(n % d for d in range(2, math.isqrt(n) + 1))


def _fib(n: int) -> int:
    a, b = 0, 1
    for _ in range(n):
        a, b = b, a + b
    return a


def _ints(*xs: Any) -> bool:
    return all(isinstance(x, int) and not isinstance(x, bool) for x in xs)


def _int_list(x: Any) -> bool:
    return isinstance(x, list) and all(_ints(v) for v in x)


def _num_list(x: Any) -> bool:
    return isinstance(x, list) and all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in x)


def _str_list(x: Any) -> bool:
    return isinstance(x, list) and all(isinstance(v, str) for v in x)


@dataclass(frozen=True)
class Oracle:
    name: str  # how the operation is described to the user
    applies: re.Pattern  # searched in "function name + description"
    compute: Callable[[tuple], Any]  # -> expected value, or raises/returns NotImplemented when inputs do not fit


def _prime(a):
    return _is_prime(a[0]) if len(a) == 1 and _ints(a[0]) and a[0] < 10**9 else NotImplemented


def _sum_product(a):
    return (sum(a[0]), math.prod(a[0])) if len(a) == 1 and _int_list(a[0]) else NotImplemented


def _xor(a):
    if len(a) == 2 and all(isinstance(s, str) and set(s) <= {"0", "1"} for s in a) and len(a[0]) == len(a[1]):
        return "".join("0" if x == y else "1" for x, y in zip(*a))
    return NotImplemented


def _sorted_unique(a):
    return sorted(set(a[0])) if len(a) == 1 and _num_list(a[0]) else NotImplemented


def _common(a):
    return sorted(set(a[0]) & set(a[1])) if len(a) == 2 and _num_list(a[0]) and _num_list(a[1]) else NotImplemented


def _flip_case(a):
    return a[0].swapcase() if len(a) == 1 and isinstance(a[0], str) else NotImplemented


def _strlen(a):
    return len(a[0]) if len(a) == 1 and isinstance(a[0], str) else NotImplemented


def _distinct_chars(a):
    return len(set(a[0].lower())) if len(a) == 1 and isinstance(a[0], str) else NotImplemented


def _prefixes(a):
    return [a[0][: i + 1] for i in range(len(a[0]))] if len(a) == 1 and isinstance(a[0], str) else NotImplemented


def _concat(a):
    return "".join(a[0]) if len(a) == 1 and _str_list(a[0]) else NotImplemented


def _filter_prefix(a):
    return [s for s in a[0] if s.startswith(a[1])] if len(a) == 2 and _str_list(a[0]) and isinstance(a[1], str) else NotImplemented


def _filter_substring(a):
    return [s for s in a[0] if a[1] in s] if len(a) == 2 and _str_list(a[0]) and isinstance(a[1], str) else NotImplemented


def _positive(a):
    return [x for x in a[0] if x > 0] if len(a) == 1 and _num_list(a[0]) else NotImplemented


def _increment(a):
    return [x + 1 for x in a[0]] if len(a) == 1 and _num_list(a[0]) else NotImplemented


def _add(a):
    return a[0] + a[1] if len(a) == 2 and _ints(a[0], a[1]) else NotImplemented


def _fibonacci(a):
    return _fib(a[0]) if len(a) == 1 and _ints(a[0]) and 0 <= a[0] <= 500 else NotImplemented


def _factorial(a):
    return math.factorial(a[0]) if len(a) == 1 and _ints(a[0]) and 0 <= a[0] <= 200 else NotImplemented


def _gcd(a):
    return math.gcd(a[0], a[1]) if len(a) == 2 and _ints(a[0], a[1]) else NotImplemented


def _palindrome(a):
    return a[0] == a[0][::-1] if len(a) == 1 and isinstance(a[0], str) else NotImplemented


def _remove_vowels(a):
    return "".join(c for c in a[0] if c.lower() not in "aeiou") if len(a) == 1 and isinstance(a[0], str) else NotImplemented


def _max(a):
    return max(a[0]) if len(a) == 1 and _num_list(a[0]) and a[0] else NotImplemented


def _min(a):
    return min(a[0]) if len(a) == 1 and _num_list(a[0]) and a[0] else NotImplemented


def _below(a):
    return all(x < a[1] for x in a[0]) if len(a) == 2 and _num_list(a[0]) and isinstance(a[1], (int, float)) else NotImplemented


def _same_chars(a):
    return set(a[0]) == set(a[1]) if len(a) == 2 and all(isinstance(s, str) for s in a) else NotImplemented


def _monotonic(a):
    if len(a) != 1 or not _num_list(a[0]):
        return NotImplemented
    xs = a[0]
    return xs == sorted(xs) or xs == sorted(xs, reverse=True)


def _cube(a):
    if len(a) != 1 or not _ints(a[0]):
        return NotImplemented
    r = round(abs(a[0]) ** (1 / 3))
    return any((r + d) ** 3 == abs(a[0]) for d in (-1, 0, 1))


def _largest_prime_factor(a):
    if len(a) != 1 or not _ints(a[0]) or not 1 < a[0] < 10**9:
        return NotImplemented
    n, best, d = a[0], 1, 2
    while d * d <= n:
        while n % d == 0:
            best, n = d, n // d
        d += 1
    return max(best, n) if n > 1 else best


def _triangle_area(a):
    return a[0] * a[1] / 2 if len(a) == 2 and all(isinstance(x, (int, float)) for x in a) else NotImplemented


def _sum_to_n(a):
    return a[0] * (a[0] + 1) // 2 if len(a) == 1 and _ints(a[0]) and a[0] >= 0 else NotImplemented


def _reverse_words(a):
    return a[0][::-1] if len(a) == 1 and isinstance(a[0], (str, list)) else NotImplemented


def _derivative(a):
    return [i * x for i, x in enumerate(a[0])][1:] if len(a) == 1 and _num_list(a[0]) else NotImplemented


def _pow2_mod(a):
    return pow(2, a[0], a[1]) if len(a) == 2 and _ints(a[0], a[1]) and a[0] >= 0 and a[1] > 0 else NotImplemented


def _overlapping_count(a):
    if len(a) != 2 or not all(isinstance(s, str) for s in a) or not a[1]:
        return NotImplemented
    return sum(1 for i in range(len(a[0]) - len(a[1]) + 1) if a[0].startswith(a[1], i))


def _closest_pair(a):
    if len(a) != 1 or not _num_list(a[0]) or len(a[0]) < 2:
        return NotImplemented
    xs = sorted(a[0])
    best = min(zip(xs, xs[1:]), key=lambda p: p[1] - p[0])
    return tuple(best)


def _singletons(a):
    return [x for x in a[0] if a[0].count(x) == 1] if len(a) == 1 and isinstance(a[0], list) else NotImplemented


def _longest(a):
    if len(a) != 1 or not _str_list(a[0]):
        return NotImplemented
    return max(a[0], key=len) if a[0] else None


def _balanced(a):
    if len(a) != 1 or not isinstance(a[0], str) or not a[0] or set(a[0]) - set("<>()[]{}"):
        return NotImplemented
    pairs = {")": "(", ">": "<", "]": "[", "}": "{"}
    stack: list[str] = []
    for ch in a[0]:
        if ch in pairs:
            if not stack or stack.pop() != pairs[ch]:
                return False
        else:
            stack.append(ch)
    return not stack


_P = lambda s: re.compile(s, _I)  # noqa: E731

ORACLES: list[Oracle] = [
    Oracle("primality", _P(r"^is_prime\b|\breturn true if a given number is prime\b"), _prime),
    Oracle("(sum, product)", _P(r"^sum_product\b|\bsum and (?:a )?product of all\b"), _sum_product),
    Oracle("binary XOR", _P(r"\bstring_xor\b|\bbinary xor\b|\bxor on these inputs\b"), _xor),
    Oracle("sorted unique elements", _P(r"^unique\b|\breturn sorted unique elements\b"), _sorted_unique),
    Oracle("sorted common elements", _P(r"^common\b|\bsorted unique common elements\b"), _common),
    Oracle("swapped case", _P(r"^flip_case\b|^swap_?case\b|\bflip lowercase characters to uppercase and uppercase to lowercase\b"), _flip_case),
    Oracle("string length", _P(r"^strlen\b|^str_?len(?:gth)?\b|\breturn length of (?:the )?given string\b"), _strlen),
    Oracle("distinct characters ignoring case", _P(r"^count_distinct_characters\b|\bhow many distinct characters \(regardless of case\)"), _distinct_chars),
    Oracle("prefixes from shortest to longest", _P(r"^all_prefixes\b|\blist of all prefixes from shortest to longest\b"), _prefixes),
    Oracle("concatenation", _P(r"^concatenate\b|\bconcatenate list of strings into a single string\b"), _concat),
    Oracle("strings starting with the prefix", _P(r"^filter_by_prefix\b|\bonly for ones that start with a given prefix\b"), _filter_prefix),
    Oracle("strings containing the substring", _P(r"^filter_by_substring\b|\bonly for ones that contain given substring\b"), _filter_substring),
    Oracle("positive numbers only", _P(r"^get_positive\b|\breturn only positive numbers\b"), _positive),
    Oracle("elements incremented by 1", _P(r"^incr_list\b|\belements incremented by 1\b"), _increment),
    Oracle("sum of two numbers", _P(r"^add\b(?!_)|\badd two numbers\b"), _add),
    Oracle("Fibonacci number", _P(r"^fib\b|\breturn n-th fibonacci number\b"), _fibonacci),
    Oracle("factorial", _P(r"^factorial\b"), _factorial),
    Oracle("greatest common divisor", _P(r"^(?:greatest_common_divisor|gcd)\b|\breturn (?:a )?greatest common divisor\b"), _gcd),
    Oracle("palindrome test", _P(r"^is_palindrome\b|\bchecks if given string is a palindrome\b"), _palindrome),
    Oracle("vowels removed", _P(r"^remove_vowels\b|\breturns string without vowels\b"), _remove_vowels),
    Oracle("maximum element", _P(r"^max_element\b|\breturn maximum element in the list\b"), _max),
    Oracle("minimum element", _P(r"^min_element\b|\breturn minimum element in the list\b"), _min),
    Oracle("all below threshold", _P(r"^below_threshold\b|\breturn true if all numbers in the list l are below threshold\b"), _below),
    Oracle("same set of characters", _P(r"^same_chars\b|\bcheck if two words have the same characters\b"), _same_chars),
    Oracle("monotonic order", _P(r"^monotonic\b|\belements are monotonically increasing or decreasing\b"), _monotonic),
    Oracle("perfect cube", _P(r"^is_?cube\b|\bis a cube of some integer\b"), _cube),
    Oracle("largest prime factor", _P(r"^largest_prime_factor\b|\breturn the largest prime factor\b"), _largest_prime_factor),
    Oracle("triangle area from side and height", _P(r"^triangle_area\b.*\bhigh|\bgiven length of a side and high return area\b"), _triangle_area),
    Oracle("derivative coefficients", _P(r"^derivative\b|\breturn derivative of this polynomial\b"), _derivative),
    Oracle("2^n modulo p", _P(r"^modp\b|\breturn 2\^n modulo p\b"), _pow2_mod),
    Oracle("overlapping occurrence count", _P(r"^how_many_times\b|\bcount overlap+ing cases\b"), _overlapping_count),
    Oracle("closest pair, smaller first", _P(r"^find_closest_elements\b|\btwo that are the closest to each other and return them in order\b"), _closest_pair),
    Oracle("elements that occur once", _P(r"^remove_duplicates\b|\bremove all elements that occur more than once\b"), _singletons),
    Oracle("longest string", _P(r"^longest\b|\breturn the longest one\b"), _longest),
    Oracle("balanced brackets", _P(r"^correct_bracketing\b|\bevery opening bracket has a corresponding closing bracket\b"), _balanced),
    Oracle("sum of 1..n", _P(r"^sum_to_n\b|\bsums numbers from 1 to n\b"), _sum_to_n),
]


def applicable(name: str, description: str) -> list[Oracle]:
    folded = " ".join(description.split())
    return [o for o in ORACLES if o.applies.search(name) or o.applies.search(folded)]


def expected(oracle: Oracle, args: tuple) -> Any:
    try:
        return oracle.compute(args)
    except (TypeError, ValueError, OverflowError, ZeroDivisionError, IndexError):
        return NotImplemented


def same(a: Any, b: Any) -> bool:
    if isinstance(a, float) or isinstance(b, float):
        try:
            return math.isclose(float(a), float(b), rel_tol=1e-6, abs_tol=1e-6)
        except (TypeError, ValueError):
            return False
    if isinstance(a, (list, tuple)) and isinstance(b, (list, tuple)):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b))
    return a == b and type(a) is type(b) or (isinstance(a, bool) is isinstance(b, bool) and a == b)
