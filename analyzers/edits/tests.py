"""DR208 tests deleted; DR209 tests weakened (assertions dropped, skips added, comparisons loosened).

Test cases are recognised per language by their definition lines, and read
whole (decorators, definition, body). A test whose name is gone is not
deleted when the change keeps what it checks:

- moved: the same name is defined in another file of the change;
- renamed, parametrised, merged or split: an added or rewritten test (or a
  few of them together) holds most of its distinctive words — the names it
  calls, the values it passes and checks;
- a duplicate: the repository still defines a test of that name elsewhere;
- grown into a class: `test_host_matching` became `class TestHostMatching`
  with a method per case.

A deletion the request or commit message states ("remove the host tests",
"remove unneeded test", a revert), of a test of code the same change
removes on purpose (it names a definition no file defines any more, and that
definition was private or its removal is stated), or of a test that only ran
on language versions the change drops, is information, not a warning. So is an assertion on what the message removes or deprecates.

Assertions are ranked by strength — equality and expected exceptions or
warnings above ordering/containment above bare truthiness — so
`assert x == 3` turning into `assert x` counts as loosened. A skip marker
counts only on a test that existed and ran before; one conditioned on the
platform or on an optional module being present is information.
"""

from __future__ import annotations

import bisect
import math
import re
from dataclasses import dataclass
from hashlib import blake2b

from .. import rules
from ..context.languages import is_test_path
from ..context.postings import postings
from ..findings import Finding, Range
from .diffmodel import DELETED, FileChange, Line
from .inputs import EditInput
from .stated_intent import RequestIntent, request_intent
from ..text.code import bound_name
from ..text.identifiers import DISTINCTIVE_WORD, MEANINGFUL_PART, split_identifier

_TEST_DEF = [
    re.compile(r"^\s*(?:async\s+)?def\s+(test\w*)\s*\("),  # pytest / unittest
    re.compile(r"""^\s*(?:it|test|specify)(?:\.only|\.skip|\.todo)?\s*\(\s*(['"`])(.+?)\1"""),  # jest / mocha / vitest
    re.compile(r"""^\s*x(?:it|test)\s*\(\s*(['"`])(.+?)\1"""),
    re.compile(r"^\s*func\s+(Test\w+)\s*\(\s*\w+\s+\*testing\.T"),  # go
    re.compile(r"^\s*(?:pub\s+)?(?:async\s+)?fn\s+(test\w*)\s*\("),  # rust (#[test] fns are usually test_*)
    re.compile(r"^\s*(?:public\s+)?void\s+(test\w*)\s*\("),  # junit
]
_ASSERT = re.compile(
    r"^\s*(assert\b|self\.assert\w*|self\.fail\w*|(?:with\s+)?pytest\.(?:raises|warns|deprecated_call)\b|"
    r"with\s+self\.assert(?:Raises|Warns|Logs)\w*|"
    r"expect\s*\(|assert(?:_eq|_ne)?!\s*\(|assert\.\w+\(|require\.\w+\(|assert\w*\(|Assert\.\w+\(|"
    r"t\.(?:Error|Errorf|Fatal|Fatalf|Fail)\b|np\.testing\.assert\w*|numpy\.testing\.assert\w*|assert_\w+\()")
_SKIP = re.compile(
    r"@pytest\.mark\.(?:skip|skipif|xfail)\b|\bpytest\.(?:skip|xfail)\s*\(|@unittest\.(?:skip\w*|expectedFailure)\b|"
    r"\bself\.skipTest\s*\(|\b(?:it|test|describe)\.(?:skip|todo)\s*\(|^\s*x(?:it|describe|test)\s*\(|\bt\.Skip\w*\s*\(|"
    r"#\[ignore\]|@(?:Disabled|Ignore)\b")
_EQUALITY = re.compile(r"==|!=|\bis\b|assert(?:Equal|NotEqual|Is|IsNone|IsNot|CountEqual|ListEqual|DictEqual|"
                       r"TupleEqual|SetEqual|MultiLineEqual|AlmostEqual|Raises\w*|Warns\w*)\b|"
                       r"\.(?:toBe|toEqual|toStrictEqual|toThrow|toMatchObject|toHaveLength)\(|assert_eq!|assert_ne!|"
                       r"assert\.(?:equal|strictEqual|deepEqual|deepStrictEqual|throws)|\.Equal\(|"
                       r"pytest\.(?:raises|warns|deprecated_call)|\b(?:is_|equal_to|same_instance|contains_exactly)\(|"
                       r"assert_array_equal|assert_allclose|assert_frame_equal|assert_equal")
_ORDERING = re.compile(r"<=|>=|<|>|\bnot in\b|\bin\b|assert(?:Greater|Less|In|NotIn|Regex)\w*|\.(?:toContain|toMatch|"
                       r"toBeGreaterThan\w*|toBeLessThan\w*|toBeCloseTo)\(|isinstance|assertIsInstance")
# A skip that depends on the interpreter version: `skipif(sys.version_info < (3, 10))`, `skipif(PY_3_10_PLUS)`.
# A skip that depends on where the test runs, not on what it checks: the platform, or an optional module or
# feature that may be missing (`skipif(sys.platform == "win32")`, `importorskip`, "brotli is not installed").
_ENVIRONMENT_GATE = re.compile(
    r"\bsys\.platform\b|\bplatform\.(?:system|machine|python_implementation)\b|\bos\.name\b|"
    r"\b(?:IS|ON|RUNNING_ON)_[A-Z_]*(?:WIN|WINDOWS|MAC|MACOS|DARWIN|LINUX|PYPY|WASM|WASI|EMSCRIPTEN|PYODIDE)\b|"
    r"\b(?:win32|cygwin|darwin|emscripten|wasi|pyodide|webassembly)\b|\bimportorskip\b|\bfind_spec\b|"
    r"\bHAS_[A-Z0-9_]+\b|\b(?:not|isn't|is not) (?:available|installed|supported)\b|\bunavailable\b|"
    r"\brequires? (?:the )?[\w.-]+ (?:module|package|library|extension|backend)\b", re.I)
_VERSION_GATE = re.compile(r"version_info|\bPY_?\d|\bPY\d{2,}|\bPYPY\b|python_version|Pre-\d\.\d+|\bpy3\d+", re.I)

_ASSERT_WORDS = frozenset({"assertequal", "asserttrue", "assertfalse", "assertin", "assertis", "assertisnone",
                           "expect", "tobe", "toequal", "isinstance"})
_PINNED = re.compile(r"^\s*assert\s+(?:([A-Za-z_]\w*)\s+(?:is|==)\s+\S|\S.*?\s(?:is|==)\s+([A-Za-z_]\w*)\s*$)")
_INSPECTS = re.compile(r"^\s*assert\s+(?:not\s+)?(?:(?:hasattr|isinstance|callable|len|type)\(\s*([A-Za-z_]\w*)\b|"
                       r"([A-Za-z_]\w*)\.\w+)")
_MESSAGE_CHECK = re.compile(r"\bmatch\s*=|assert(?:Raises|Warns)Regex|\.toThrow\(\s*['\"/]")
_LITERAL = re.compile(r"""["']([^"'\n]{1,80})["']""")
_NUMBER = re.compile(r"(?<![\w.])\d[\d.]*")
_CLASS = re.compile(r"^\s*class\s+([A-Za-z_]\w*)")
_SIGNATURE_END = re.compile(r"^\)\s*(?:->\s*[^:]+)?:\s*(?:#.*)?$")
_DOTTED = re.compile(r"[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)*")
_ASSERT_KEYWORDS = frozenset({"assert", "not", "in", "is", "and", "or", "None", "True", "False"})
_TEST_AFFIX = re.compile(r"^(?:test_?|Test)|_?(?:tests?|Tests?)$")  # test_gen_salt, TestMultiDict, SaltTests
_WORD = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
# Words every test uses: they say nothing about what a particular test checks.
_COMMON = frozenset("""
def async await assert self cls return true false none null pytest mark parametrize fixture with as in not is and or
if else elif for while import from lambda yield pass raise try except finally class test it expect tobe toequal func
fn let const var err nil new this function describe result results value values expected actual output input data
""".split())
_SAME_TEST = 0.6  # share of a deleted test's (rarity-weighted) words one added test must hold to be its successor
_SAME_TEST_UNRELATED_NAME = 0.8  # ... when the two names share no word
_SPLIT_PART = 0.3  # ... that each part of a split must hold (and a test rewritten in place)
_SHARED_SUBJECT = 2  # name words (besides "test") a test rewritten in place keeps from the one it replaces
_SPLIT_WHOLE = 0.8  # ... that the parts of a split must hold together
_DUPLICATE = 0.9  # share of a deleted test's words a same-named test elsewhere must hold to be its duplicate
MAX_SUCCESSOR_PAIRS = 40_000  # deleted x added tests compared word by word, at most
MAX_ELSEWHERE_LOOKUPS = 50  # deleted tests looked up elsewhere in the repository, at most
_STATEMENT_LINES = 40  # an assertion spans at most this many lines
_GUARD_LINES = 3  # lines above an imperative skip that may hold its condition
_CLASS_HEADER_LINES = 30  # a test class's decorators, header and attributes are read this far, at most
# Names of at least this many words ("test", "redirect", "session") can be told apart from a rename.
_CLOSE_NAME_PARTS = 3
_MIN_WORDS = 2  # fewer distinctive words than this: only the name can say where a test went


@dataclass(frozen=True)
class Case:
    name: str
    qualname: str  # with the enclosing test class, when there is one: TestInclude.test_allow
    line: int  # the definition line (one-based, on its side)
    start: int  # the first decorator line
    end: int
    text: str  # decorators, definition and body
    context: str = ""  # the enclosing test class's decorators, header and attributes (`storage_class = X`)


def _test_name(text: str) -> str | None:
    for pattern in _TEST_DEF:
        m = pattern.match(text)
        if m:
            return m.group(m.lastindex or 0)
    return None


def _indent(text: str) -> int:
    return len(text) - len(text.lstrip())


def cases(lines: dict[int, str]) -> tuple[Case, ...]:
    """Test cases among known lines: each from its first decorator to the end of its indented body."""
    out: list[Case] = []
    numbers = sorted(lines)
    pending: tuple[int, int] | None = None  # (first decorator line, its indentation) of the definition to come
    classes: list[tuple[int, str, int]] = []  # enclosing class definitions: (indentation, name, first line)
    previous = None
    for i, n in enumerate(numbers):
        text = lines[n]
        stripped = text.strip()
        if previous is not None and n != previous + 1:
            pending = None  # the diff shows no more of this stretch
        previous = n
        if not stripped:
            pending = None
            continue
        indent = _indent(text)
        if pending and (indent > pending[1] or (indent == pending[1] and stripped[:1] in ")]")):
            continue  # inside a decorator written over several lines
        while classes and classes[-1][0] >= indent and stripped[:1] not in ")]}":
            classes.pop()
        if stripped.startswith(("@", "#[")):
            if not pending or indent != pending[1]:
                pending = (n, indent)
            continue
        start = pending[0] if pending and pending[1] == indent else n
        pending = None
        if (m := _CLASS.match(text)) is not None:
            classes.append((indent, m.group(1), start))
        name = _test_name(text)
        if name is None:
            continue
        end = n
        for k in numbers[i + 1:]:
            body = lines[k]
            if k != end + 1:
                break
            if body.strip() and _indent(body) <= indent:
                if _indent(body) == indent and body.strip()[:1] in "})]":
                    end = k  # the closing brace of a braced body
                    if _SIGNATURE_END.match(body.strip()):
                        continue  # `):` closing a signature written over several lines: the body follows
                break
            end = k
        while end > n and not lines[end].strip():
            end -= 1
        if out and out[-1].start <= n <= out[-1].end:
            continue  # a function nested in a test (`def test(): ...` inside it) is no test of its own
        qualname = ".".join([c for _, c, _ in classes] + [name])
        out.append(Case(name, qualname, n, start, end, "\n".join(lines[k] for k in range(start, end + 1)),
                        _class_header(lines, classes[-1][2]) if classes else ""))
    return tuple(out)


def _class_header(lines: dict[int, str], first: int) -> str:
    """A test class from its first decorator to its first method: what every test in it shares."""
    out: list[str] = []
    seen_class = False
    k = first
    while k in lines and len(out) < _CLASS_HEADER_LINES:
        text = lines[k]
        if seen_class and text.lstrip().startswith(("def ", "async def ", "@")):
            break
        seen_class = seen_class or _CLASS.match(text) is not None
        out.append(text)
        k += 1
    return "\n".join(out)


def _words(text: str) -> set[str]:
    """The names a test uses and the literal values it passes and expects ("hi, there!", 404)."""
    words = {w.lower() for w in _WORD.findall(text) if len(w) >= MEANINGFUL_PART and w.lower() not in _COMMON}
    words |= {f"'{lit.lower()}'" for lit in _LITERAL.findall(text) if len(lit.strip()) >= 3}
    words |= {n for n in _NUMBER.findall(text) if len(n) >= 2}
    return words


def check(inp: EditInput) -> list[Finding]:
    tests = [fc for fc in inp.content_files() if is_test_path(fc.path) or is_test_path(fc.old_path or "")]
    if not tests:
        return []
    intent = request_intent(inp.intent_text)
    old_cases = {fc.path: fc.derived("old", cases) for fc in tests}
    new_cases = {fc.path: fc.derived("new", cases) if fc.status != DELETED else () for fc in tests}
    findings = []
    removed_code, added_code = _changed_definitions(inp)
    for fc in tests:
        findings += _removed(fc, tests, old_cases, new_cases, inp, intent, removed_code)
        if fc.status != DELETED:
            findings += _weakened(fc, old_cases, new_cases, intent, added_code)
    return findings


# ---- DR208 ------------------------------------------------------------------------------------


def _rewritten_cases(tests: list[FileChange], new_cases: dict) -> list[Case]:
    """Tests the change adds or rewrites (an added line inside them): where a deleted test's checks may have gone."""
    out = []
    for fc in tests:
        added = sorted(ln.new_no for ln in fc.added() if ln.new_no)
        for case in new_cases[fc.path]:
            at = bisect.bisect_left(added, case.start)
            if at < len(added) and added[at] <= case.end:
                out.append(case)
    return out


def _rarity(all_cases: list[Case]) -> dict[str, float]:
    """How much each word says about a test: rare among the tests around, high; in most of them, near zero."""
    counts: dict[str, int] = {}
    for case in all_cases:
        for w in _words(case.text):
            counts[w] = counts.get(w, 0) + 1
    total = len(all_cases)
    return {w: math.log((total + 1) / (n + 0.5)) for w, n in counts.items()}


def _name_parts(name: str) -> set[str]:
    return {p for p in split_identifier(name) if len(p) >= MEANINGFUL_PART and p not in _COMMON}


def _close_names(old: str, new: str) -> bool:
    a, b = split_identifier(old), split_identifier(new)
    if len(a) < _CLOSE_NAME_PARTS or len(b) < _CLOSE_NAME_PARTS:
        return False
    if b[:len(a)] == a or a[:len(b)] == b:
        return True
    # One word more or fewer; a swapped word (`valid` -> `invalid`) may be a different test taking its place.
    return len(set(a) ^ set(b)) == 1 and len(set(a) & set(b)) >= _CLOSE_NAME_PARTS


def _shared_subject(old: str, new: str) -> int:
    """How many leading words (after "test") two test names share."""
    a, b = (split_identifier(n) for n in (old, new))
    a, b = (w[1:] if w[:1] == ["test"] else w for w in (a, b))
    count = 0
    for x, y in zip(a, b):
        if x != y:
            break
        count += 1
    return count


def _replaced_in_place(fc: FileChange) -> dict[int, set[str]]:
    """Definition line of a removed test -> names of the tests added in its place (the same block of the diff)."""
    out: dict[int, set[str]] = {}
    for removed, added in fc.blocks():
        names = {name for ln in added if (name := _test_name(ln.text))}
        if names:
            for ln in removed:
                if ln.old_no is not None and _test_name(ln.text):
                    out[ln.old_no] = names
    return out


def _kept_by_successors(case: Case, successors: list[tuple[str, set[str]]], rarity: dict[str, float],
                        in_place: set[str] | frozenset[str] = frozenset()) -> bool:
    """Renamed, parametrised, merged into another test, or split into several: its distinctive words live on.

    Words are weighted by rarity, so the fixtures every test uses (monkeypatch, capsys, runner) count for
    little. A successor whose name shares nothing with the old name must hold more of it."""
    words = _words(case.text) - {case.name.lower()}
    weight = {w: rarity.get(w, 1.0) for w in words}
    total = sum(weight.values())
    if len(words) < _MIN_WORDS or total <= 0:
        return False
    parts = _name_parts(case.name)

    def share(other: set[str]) -> float:
        return sum(weight[w] for w in words & other) / total

    shares = [(share(w), bool(parts & _name_parts(n))) for n, w in successors]
    if any(s >= (_SAME_TEST if related else _SAME_TEST_UNRELATED_NAME) for s, related in shares):
        return True
    # Rewritten where it stood, under a name that keeps its subject, the words it starts with
    # (`test_xmlattr_key_with_spaces` -> `test_xmlattr_key_invalid`, parametrised over more cases): the same test,
    # broadened. `test_slugify_strips_punctuation` -> `test_slugify_keeps_punctuation` keeps one: another test.
    if any(n in in_place and _shared_subject(case.name, n) >= _SHARED_SUBJECT and s >= _SPLIT_PART
           for (n, _), (s, _) in zip(successors, shares)):
        return True
    # A name extended into variants (`_attr` -> `_attr_enable`, `_attr_disable`) or with one word dropped
    # (`redirect_keep_session` -> `redirect_session`) is the same test renamed, given some shared checks.
    if any(_close_names(case.name, n) and s >= _SPLIT_PART for (n, _), (s, _) in zip(successors, shares)):
        return True
    pieces = [w for (_, w), (s, _) in zip(successors, shares) if s >= _SPLIT_PART]
    return len(pieces) >= 2 and share(set().union(*pieces)) >= _SPLIT_WHOLE


def _removed(fc: FileChange, tests: list[FileChange], old_cases: dict, new_cases: dict, inp: EditInput,
             intent: RequestIntent, removed_code: dict[str, str]) -> list[Finding]:
    still = {c.qualname for cs in new_cases.values() for c in cs}
    shown_only = _added_names([t for t in tests if t.new_text is None])  # files known only from the diff
    gone = [c for c in old_cases[fc.path]
            if c.qualname not in still and c.name not in shown_only and _deleted_here(fc, c)]
    if not gone:
        return []
    rewritten = _rewritten_cases(tests, new_cases)
    successors = [(case.name, _words(case.text)) for case in rewritten]
    if len(gone) * max(len(successors), 1) > MAX_SUCCESSOR_PAIRS:
        inp.skip("DR208", f"{fc.path}: {len(gone)} tests removed against {len(successors)} added or rewritten, too "
                          f"many to match one by one; a rewrite of the suite, not checked test by test")
        return []
    rarity = _rarity([c for cs in [*old_cases.values(), *new_cases.values()] for c in cs])
    # The words of each test class holding a rewritten test.
    classes = {tuple(split_identifier(c.qualname.rsplit(".", 2)[-2])) for c in rewritten if "." in c.qualname}
    in_place = _replaced_in_place(fc)
    gone = [c for c in gone if not _kept_by_successors(c, successors, rarity, in_place.get(c.line, set()))
            and not _became_class(c, classes)]
    gone = [c for i, c in enumerate(gone) if i >= MAX_ELSEWHERE_LOOKUPS or not _defined_elsewhere(c, inp)]
    stated = [(c, why) for c in gone if (why := _why_gone(c, fc.path, intent, removed_code))]
    unstated = [c for c in gone if all(c is not s for s, _ in stated)]
    if fc.status == DELETED:
        out = []
        reasons = sorted({w for _, w in stated})
        for group, why in ((unstated, None), *(([c for c, w in stated if w == r], r) for r in reasons)):
            if group:
                names = ", ".join(c.qualname for c in group[:5]) + (" ..." if len(group) > 5 else "")
                out.append(_dr208(f"Test file {fc.path} is deleted with {len(group)} "
                                  f"test{'s' if len(group) != 1 else ''} ({names})", why, fc.path, None, fc.path))
        return out
    return [_dr208(f"Test '{c.qualname}' is deleted", why, fc.path,
                   Range.lines(fc.new_line_for(_line_at(fc, c.line)) - 1), c.text.splitlines()[c.line - c.start].strip())
            for c, why in [*((c, None) for c in unstated), *stated]]


def _became_class(case: Case, classes: set[tuple[str, ...]]) -> bool:
    """`test_host_matching` grown into `class TestHostMatching` with a method per case: the same test, split
    (and `test_host_matching_building` folded into it, when the class name is specific enough)."""
    words = tuple(split_identifier(case.name))
    return words in classes or any(len(c) >= _CLOSE_NAME_PARTS and words[:len(c)] == c for c in classes)


def _changed_definitions(inp: EditInput) -> tuple[dict[str, str], frozenset[str]]:
    """Names the change's product code stops defining anywhere (lower case, leading underscores dropped -> as
    written), and names it starts defining. A test of a removed one has nothing left to test; a definition moved
    to another file is neither."""
    gone: dict[str, str] = {}
    kept: set[str] = set()
    for fc in inp.content_files():
        if is_test_path(fc.path) or is_test_path(fc.old_path or ""):
            continue
        for side, lines in (("old", fc.removed()), ("new", fc.added())):
            for ln in lines:
                name = bound_name(ln.text, fc.language)
                if name:
                    key = name.lstrip("_").lower()
                    if side == "old":
                        gone[key] = name
                    else:
                        kept.add(key)

    def distinctive(key: str) -> bool:
        return len(key) >= DISTINCTIVE_WORD and key not in _COMMON

    return ({k: v for k, v in gone.items() if k not in kept and distinctive(k)},
            frozenset(k for k in kept if k not in gone and distinctive(k)))


def _exercised(case: Case, removed: dict[str, str]) -> list[str]:
    """The removed names the test (or its class: `storage_class = _OrderedMultiDict`) uses or is named after."""
    used = {w.lstrip("_").lower() for w in _WORD.findall(case.context + "\n" + case.text)}
    subjects = {_TEST_AFFIX.sub("", n).lower() for n in (case.name, *case.qualname.split(".")[:-1])}
    return [removed[k] for k in (used | subjects) if k in removed]


def _removal_accounted_for(names: list[str], intent: RequestIntent) -> bool:
    """The code those tests exercised went on purpose: private helpers, or a removal the request states. A public
    function dropped unasked (rewritten in another language, say) is the drift, and its tests' deletion with it."""
    return any(n.startswith("_") for n in names) or bool(intent) and (
        intent.revert or intent.removes_deprecated or any(intent.states_removal(n) for n in names))


def _dr208(what: str, why: str | None, path: str, where: Range | None, evidence: str) -> Finding:
    return rules.make(
        "DR208", what + (f" ({why})." if why else "."), severity="info" if why else None, evidence=evidence,
        path=path, range=where,
        question=None if why else "Are these tests obsolete, or failing because of this change?",
        fix=None if why else "Keep the tests and fix the code they exercise.")


def _added_names(tests: list[FileChange]) -> set[str]:
    """Test names on added lines (the new text may be unknown when the change is a bare diff)."""
    return {name for fc in tests for ln in fc.added() if (name := _test_name(ln.text))}


def _deleted_here(fc: FileChange, case: Case) -> bool:
    """The change removes the test's definition line (not just a line the diff happens to show)."""
    if fc.status == DELETED:
        return True
    return any(ln.old_no == case.line for ln in fc.removed())


def _line_at(fc: FileChange, old_no: int) -> Line:
    return next((ln for ln in fc.removed() if ln.old_no == old_no), Line("-", "", old_no, None))


def _why_gone(case: Case, path: str, intent: RequestIntent, removed_code: dict[str, str]) -> str | None:
    """Why a deleted test goes with the change: the request says so, or its code went."""
    if intent and (intent.states_removal(case.qualname, path) or intent.removes_tests):
        return "as stated in the request"
    exercised = _exercised(case, removed_code) if removed_code else []
    if exercised and _removal_accounted_for(exercised, intent):
        return "it tests code this change removes"
    if not intent:
        return None
    if intent.reworks_tests:
        return "the request reworks the tests"
    if intent.removes_deprecated and "deprecat" in (case.context + case.text).lower():
        return "a test of deprecated code the request removes"
    if intent.version_support and any(_VERSION_GATE.search(ln) for ln in case.text.splitlines()
                                      if _SKIP.search(ln) or "version" in ln.lower()):
        return "it only ran on language versions the change drops, as stated"
    return None


INDEX = "test-names@1"


def _name_key(name: str) -> int:
    return int.from_bytes(blake2b(name.encode(), digest_size=8).digest(), "little")


def _extract_test_names(path: str, text: str, language: str):
    if not is_test_path(path):
        return
    for no, line in enumerate(text.splitlines(), start=1):
        if "test" in line.lower() and (name := _test_name(line)):
            yield _name_key(name), no, no


def _defined_elsewhere(case: Case, inp: EditInput) -> bool:
    """The repository still holds this very test in a file the change leaves alone: a duplicate was removed.

    Test names repeat across files (`test_repr`); the copy must check the same things to count."""
    if inp.context is None:
        return False
    changed = {p for fc in inp.change for p in (fc.path, fc.old_path) if p}
    index = postings(inp.context, INDEX, _extract_test_names)
    words = _words(case.text) - {case.name.lower()}
    for path, line, _ in index.get(_name_key(case.name)):
        if path in changed:
            continue
        text = inp.context.read_text(path) or ""
        other = next((c for c in cases(dict(enumerate(text.splitlines(), start=1))) if c.line == line), None)
        if other is not None and words and len(words & _words(other.text)) / len(words) >= _DUPLICATE:
            return True
    return False


# ---- DR209 ------------------------------------------------------------------------------------


def _strength(line: str) -> int:
    """3 equality/exception/warning, 2 ordering/containment/type, 1 truthiness."""
    if _EQUALITY.search(line):
        return 3
    if _ORDERING.search(line):
        return 2
    return 1


def _operands(line: str) -> set[str]:
    """Everything an assertion compares: names, and every literal however short (`== 0` is a check)."""
    return ({w.lower() for w in _WORD.findall(line)} | {f"'{lit}'" for lit in _LITERAL.findall(line)}
            | set(_NUMBER.findall(line))) - {"assert", "self"}


def _statement(lines: dict[int, str], start: int | None, first: str) -> str:
    """An assertion with its continuation lines, up to where its brackets close."""
    text, depth, no = first, _depth(first), start
    while depth > 0 and no is not None and no - (start or 0) < _STATEMENT_LINES and (no + 1) in lines:
        no += 1
        text += " " + lines[no].strip()
        depth += _depth(lines[no])
    return text


def _depth(text: str) -> int:
    return text.count("(") + text.count("[") + text.count("{") - text.count(")") - text.count("]") - text.count("}")


def _pinned_values(text: str) -> set[str]:
    """Names an assertion pins whole (`assert styles is X`, `assert result == expected`): checks of their parts
    (`hasattr(styles, "reset")`) add nothing."""
    out: set[str] = set()
    for line in text.splitlines():
        m = _PINNED.match(line)
        if m:
            out.add(m.group(1) or m.group(2))
    return out


def _subject(line: str) -> str | None:
    """The value an assertion inspects: `hasattr(v, ...)`, `isinstance(v, ...)`, `v.attr ...`, `len(v) ...`."""
    m = _INSPECTS.match(line)
    return next((g for g in m.groups() if g), None) if m else None


def _assert_count(text: str) -> int:
    """Checks a test makes: one per assertion, and one more for an expected exception's or warning's message
    (`pytest.raises(E, match=...)` checks the type and the text, as two asserts did)."""
    lines = dict(enumerate(text.splitlines()))
    return sum(1 + bool(_MESSAGE_CHECK.search(_statement(lines, no, line)))
               for no, line in lines.items() if _ASSERT.match(line))


def _case_at(all_cases: tuple[Case, ...], line: int | None) -> Case | None:
    """The test holding a line (cases come in line order and do not overlap)."""
    if line is None or not all_cases:
        return None
    at = bisect.bisect_right([c.start for c in all_cases], line) - 1
    return all_cases[at] if at >= 0 and all_cases[at].start <= line <= all_cases[at].end else None


def _skip_as_stated(marker: str, intent: RequestIntent) -> str | None:
    if _ENVIRONMENT_GATE.search(marker):
        return "only where the platform or an optional component lacks what it needs"
    if not intent:
        return None
    if intent.skips_tests:
        return "as stated in the request"
    if intent.version_support and _VERSION_GATE.search(marker):
        return "on the language versions the request is about"
    return None


def _checks_stated_removal(line: str, intent: RequestIntent) -> bool:
    """An assertion on what the request removes or deprecates ("deprecate Content-MD5" and
    `assert request.content_md5 == ...`): the check goes with its subject."""
    if not intent or not intent.removals or intent.revert:
        return False
    names = {m for m in _DOTTED.findall(line) if m.lower() not in _COMMON and m not in _ASSERT_KEYWORDS}
    return any(intent.states_removal(name) for name in names)


def _skips_new_variant(condition: str, added_code: frozenset[str]) -> str | None:
    """`if protocol is SansIOProtocol: pytest.skip(...)` where the change adds SansIOProtocol: the test still runs
    as before for everything else; only the variant the change brings is left out."""
    used = {w.lstrip("_").lower() for w in _WORD.findall(condition)}
    return "only for what this change adds" if used & added_code else None


def _weakened(fc: FileChange, old_cases: dict, new_cases: dict, intent: RequestIntent,
              added_code: frozenset[str] = frozenset()) -> list[Finding]:
    out = []
    mine_old, mine_new = old_cases[fc.path], new_cases[fc.path]
    before = {c.qualname: c for cs in old_cases.values() for c in cs}  # tests as they were, wherever they lived
    before_by_name = {c.name: c for cs in old_cases.values() for c in cs}
    lost_asserts = 0
    first_lost: Line | None = None
    old_lines, new_lines = fc.known_old_lines(), fc.known_new_lines()
    old_by_name = {c.qualname: c for c in mine_old}
    for case in mine_new:
        earlier = old_by_name.get(case.qualname)
        if earlier is None:
            continue
        dropped = _assert_count(earlier.text) - _assert_count(case.text)
        if dropped > 0:  # the test checks fewer things than it did
            removed_here = [ln for ln in fc.removed() if earlier.start <= (ln.old_no or 0) <= earlier.end
                            and _ASSERT.match(ln.text)]
            # Checks folded into another assertion (`assert (a, b) == (1, 2)`) are not lost.
            checked_now = set().union(*[_operands(t) for t in case.text.splitlines() if _ASSERT.match(t)])
            pinned = _pinned_values(case.text)
            lost = [ln for ln in removed_here if not (_operands(ln.text) - _ASSERT_WORDS) <= checked_now
                    and _subject(ln.text) not in pinned and not _checks_stated_removal(ln.text, intent)]
            if lost and _checks_stated_removal(earlier.text, intent):
                lost = []  # the test exercised what the message removes ("Remove WatchGod")
            if lost:
                lost_asserts += min(dropped, len(lost))
                first_lost = first_lost or lost[0]
    for removed, added in fc.blocks():
        r_asserts = [ln for ln in removed if _ASSERT.match(ln.text)]
        a_asserts = [ln for ln in added if _ASSERT.match(ln.text)]
        if r_asserts and not a_asserts:
            # Assertions dropped from helpers outside any test (a test's own are counted above).
            loose = [ln for ln in r_asserts if _case_at(mine_old, ln.old_no) is None]
            if loose and _checks_stated_removal("\n".join(ln.text for ln in removed), intent):
                loose = []  # `if cls is WatchGodReload:` ... under "Remove WatchGod": the branch goes with its subject
            lost_asserts += len(loose)
            first_lost = first_lost or (loose[0] if loose else None)
        elif r_asserts:
            # A multi-line assertion is judged whole: `assert {` ... `} == result` compares for equality.
            old = max(r_asserts, key=lambda ln: _strength(_statement(old_lines, ln.old_no, ln.text)))
            new = max(a_asserts, key=lambda ln: _strength(_statement(new_lines, ln.new_no, ln.text)))
            if _strength(_statement(new_lines, new.new_no, new.text)) >= \
                    _strength(_statement(old_lines, old.old_no, old.text)):
                continue
            out.append(rules.make(
                "DR209", "An assertion is loosened: the new check accepts results the old one rejected.",
                evidence=f"{old.text.strip()}  ->  {new.text.strip()}", path=fc.path,
                range=Range.lines((new.new_no or 1) - 1),
                question="Did the expected value really change, or is the test being made to pass?"))
        for ln in added:
            if not _SKIP.search(ln.text) or any(_SKIP.search(r.text) for r in removed):
                continue
            case = _case_at(mine_new, ln.new_no)
            earlier = (before.get(case.qualname) or before_by_name.get(case.name)) if case is not None else None
            if case is not None and (earlier is None or any(_SKIP.search(t) for t in earlier.text.splitlines())):
                continue  # a new test that does not run everywhere, or one that was already skipped so
            # The marker with what conditions it: decorator arguments, or the `if` guarding an imperative skip.
            guard = [new_lines.get(n, "") for n in range((ln.new_no or 1) - _GUARD_LINES, (ln.new_no or 1) + 1)]
            marker = "\n".join(x.text for x in added if case is None or case.start <= (x.new_no or 0) <= case.line)
            condition = [ln.text, *(g for g in guard if g.lstrip().startswith(("if ", "elif ")))]
            why = _skip_as_stated("\n".join([marker, *guard]), intent) or _skips_new_variant(
                "\n".join(condition), added_code)
            out.append(rules.make(
                "DR209", "A skip or expected-failure marker is added to a test"
                         + (f" ('{case.qualname}') that ran before" if case is not None else "")
                         + (f" ({why})." if why else "."),
                severity="info" if why else None,
                evidence=ln.text.strip(), path=fc.path, range=Range.lines((ln.new_no or 1) - 1),
                question=None if why else "Why should this test stop running? Is it failing because of this change?"))
    # Checks that moved to a test the change adds (a case split out of a rewritten test) are not lost.
    lost_asserts = min(lost_asserts, sum(_assert_count(c.text) for c in mine_old)
                       - sum(_assert_count(c.text) for c in mine_new))
    if lost_asserts > 0 and first_lost is not None:
        why = None if not intent else "a revert, as stated" if intent.revert else \
            "the request reworks the tests" if intent.reworks_tests else None
        reworked = why is not None
        out.append(rules.make(
            "DR209", f"{lost_asserts} assertion{'s' if lost_asserts != 1 else ''} removed from {fc.path}"
                     + (f" ({why})." if why else "."),
            severity="info" if reworked else None,
            evidence=first_lost.text.strip(), path=fc.path, range=Range.lines(fc.new_line_for(first_lost) - 1),
            question=None if reworked else "Which behaviour stops being checked, and why?"))
    return out
