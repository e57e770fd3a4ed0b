"""DR208 tests deleted; DR209 tests weakened (assertions dropped, skips added, comparisons loosened).

Test cases are recognised per language by their definition lines; a test
that is removed in one place and added in another (moved, renamed file) is
not a deletion. Assertions are ranked by strength — equality above
ordering/containment above bare truthiness — so `assert x == 3` turning into
`assert x` counts as loosened.
"""

from __future__ import annotations

import re

from .. import rules
from ..findings import Finding, Range
from .diffmodel import DELETED, FileChange, Line
from .inputs import EditInput
from ..context.languages import is_test_path

_TEST_DEF = [
    re.compile(r"^\s*(?:async\s+)?def\s+(test\w*)\s*\("),  # pytest / unittest
    re.compile(r"""^\s*(?:it|test|specify)(?:\.only)?\s*\(\s*(['"`])(.+?)\1"""),  # jest / mocha / vitest
    re.compile(r"^\s*func\s+(Test\w+)\s*\(\s*\w+\s+\*testing\.T"),  # go
    re.compile(r"^\s*(?:pub\s+)?(?:async\s+)?fn\s+(test\w*)\s*\("),  # rust (#[test] fns are usually test_*)
    re.compile(r"^\s*(?:public\s+)?void\s+(test\w*)\s*\("),  # junit
]
_ASSERT = re.compile(
    r"^\s*(assert\b|self\.assert\w*|self\.fail\w*|pytest\.raises|with\s+pytest\.raises|with\s+self\.assertRaises|"
    r"expect\s*\(|assert(?:_eq|_ne)?!\s*\(|assert\.\w+\(|require\.\w+\(|assert\w*\(|Assert\.\w+\(|"
    r"t\.(?:Error|Errorf|Fatal|Fatalf|Fail)\b|np\.testing\.assert\w*|numpy\.testing\.assert\w*|assert_\w+\()")
_SKIP = re.compile(
    r"@pytest\.mark\.(?:skip|skipif|xfail)\b|\bpytest\.(?:skip|xfail)\s*\(|@unittest\.(?:skip\w*|expectedFailure)\b|"
    r"\bself\.skipTest\s*\(|\b(?:it|test|describe)\.(?:skip|todo)\s*\(|^\s*x(?:it|describe|test)\s*\(|\bt\.Skip\w*\s*\(|"
    r"#\[ignore\]|@(?:Disabled|Ignore)\b")
_EQUALITY = re.compile(r"==|!=|\bis\b|assert(?:Equal|NotEqual|Is|IsNone|IsNot|CountEqual|ListEqual|DictEqual|"
                       r"TupleEqual|SetEqual|MultiLineEqual|AlmostEqual|Raises\w*|Warns\w*)\b|"
                       r"\.(?:toBe|toEqual|toStrictEqual|toThrow|toMatchObject|toHaveLength)\(|assert_eq!|assert_ne!|"
                       r"assert\.(?:equal|strictEqual|deepEqual|deepStrictEqual|throws)|\.Equal\(|pytest\.raises|"
                       r"assert_array_equal|assert_allclose|assert_frame_equal|assert_equal")
_ORDERING = re.compile(r"<=|>=|<|>|\bnot in\b|\bin\b|assert(?:Greater|Less|In|NotIn|Regex)\w*|\.(?:toContain|toMatch|"
                       r"toBeGreaterThan\w*|toBeLessThan\w*|toBeCloseTo)\(|isinstance|assertIsInstance")


def _strength(line: str) -> int:
    """3 equality/exception, 2 ordering/containment/type, 1 truthiness."""
    if _EQUALITY.search(line):
        return 3
    if _ORDERING.search(line):
        return 2
    return 1


def _test_names(lines: list[Line]) -> dict[str, Line]:
    out = {}
    for ln in lines:
        for pattern in _TEST_DEF:
            m = pattern.match(ln.text)
            if m:
                out[m.group(m.lastindex)] = ln
                break
    return out


def check(inp: EditInput) -> list[Finding]:
    tests = [fc for fc in inp.content_files() if is_test_path(fc.path) or is_test_path(fc.old_path or "")]
    if not tests:
        return []
    added_everywhere = set(_test_names([ln for fc in tests for ln in fc.added()]))
    findings = []
    for fc in tests:
        findings += _removed(fc, added_everywhere)
        if fc.status != DELETED:
            findings += _weakened(fc)
    return findings


def _removed(fc: FileChange, added_everywhere: set[str]) -> list[Finding]:
    had = _test_names(fc.removed())
    gone = {name: ln for name, ln in had.items() if name not in added_everywhere}
    if fc.status == DELETED and had and not gone:
        return []  # every test it held is added elsewhere: moved, not deleted
    if fc.status == DELETED:
        names = sorted(gone)
        return [rules.make(
            "DR208", f"Test file {fc.path} is deleted" + (f" with {len(names)} tests ({', '.join(names[:5])})" if names else "") + ".",
            evidence=fc.path, path=fc.path, range=None,
            question="Were these tests obsolete, or are they failing because of this change?",
            fix="Keep the tests and fix the code they exercise.")]
    return [rules.make(
        "DR208", f"Test '{name}' is deleted.", evidence=ln.text.strip(), path=fc.path,
        range=Range.lines(fc.new_line_for(ln) - 1),
        question=f"Is '{name}' obsolete, or failing because of this change?",
        fix="Keep the test and fix the code it exercises.")
        for name, ln in sorted(gone.items())]


def _weakened(fc: FileChange) -> list[Finding]:
    out = []
    lost_asserts = 0
    first_lost: Line | None = None
    for removed, added in fc.blocks():
        r_asserts = [ln for ln in removed if _ASSERT.match(ln.text)]
        a_asserts = [ln for ln in added if _ASSERT.match(ln.text)]
        if len(r_asserts) > len(a_asserts):
            lost_asserts += len(r_asserts) - len(a_asserts)
            first_lost = first_lost or r_asserts[0]
        for old, new in zip(r_asserts, a_asserts):
            if _strength(new.text) < _strength(old.text):
                out.append(rules.make(
                    "DR209", "An assertion is loosened: the new check accepts results the old one rejected.",
                    evidence=f"{old.text.strip()}  ->  {new.text.strip()}", path=fc.path,
                    range=Range.lines((new.new_no or 1) - 1),
                    question="Did the expected value really change, or is the test being made to pass?"))
        for ln in added:
            if _SKIP.search(ln.text) and not any(_SKIP.search(r.text) for r in removed):
                out.append(rules.make(
                    "DR209", "A skip or expected-failure marker is added to a test.", evidence=ln.text.strip(),
                    path=fc.path, range=Range.lines((ln.new_no or 1) - 1),
                    question="Why should this test stop running? Is it failing because of this change?"))
    # Assertions removed outright (not as part of a deleted test, which DR208 reports).
    removed_tests = _test_names(fc.removed())
    if lost_asserts and first_lost is not None and len(removed_tests) == 0:
        out.append(rules.make(
            "DR209", f"{lost_asserts} assertion{'s' if lost_asserts != 1 else ''} removed from {fc.path}.",
            evidence=first_lost.text.strip(), path=fc.path, range=Range.lines(fc.new_line_for(first_lost) - 1),
            question="Which behaviour stops being checked, and why?"))
    return out
