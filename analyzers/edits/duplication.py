"""DR211: added blocks that repeat code already in the repository.

Every source line is normalised — local names and literals become N and L,
keywords, punctuation, called functions and attributes stay — so a block
copied with renamed variables still matches. Windows of consecutive
non-trivial normalised lines are hashed into an index built once per
workspace context and kept on it. An added block whose window is in the
index, somewhere other than code this change removes (a move is not a copy),
is duplicated. A window of docstring prose alone is not code, nor is a run of
keyword-argument lines (every long call has that shape); declarations
that repeat by design are not code to reuse either: `@overload` signatures (they restate the implementation's parameters),
type stubs (.pyi), and example code. Only product code is compared: what the
change itself adds elsewhere is new code, and tests, maintainers' tools and
scripts, examples and generated files are never code the product could
reuse.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from hashlib import blake2b

from .. import rules
from ..context.languages import PARSED
from ..context.postings import Postings, postings, signed64
from ..findings import Finding, Range
from .diffmodel import FileChange
from .inputs import EditInput
from ..context.languages import is_test_path
from ..text.code import GENERATED_HEAD_LINES, comment_body, imported_modules, is_generated
from ..text.paths import is_support_path

WINDOW = 6  # normalised lines per fingerprint
MIN_TOKENS = 24  # a window must carry this much code; six `}` lines are not a block
MIN_LOGIC_LINES = 2  # ... and this many lines are more than one argument each (`x=y,`, `self.x,`)
_ARGUMENT_LINE = re.compile(r"^\w+(?: \. \w+)*(?: = \w+(?: \. \w+)*)? ,$")
_STORE_LINE = re.compile(r"^(?:self|this) \. \w+ = \w+$")  # the value: a parameter's name, N or a keyword-like one
# A line of literals alone (`"key": "value",`, `(768, 879, 0),`) is a table's entry: data, not logic.
_DATA_LINE = re.compile(r"^(?:L|[-+,:;()\[\]{}]|\s)*$")
MIN_CODE_LINES = 1  # ... of which this many lines are code: docstring prose alone is not a copy of code
MAX_LOCATIONS = 4  # places looked at per window: enough to see past the change's own copy in the work tree

_TOKEN = re.compile(r"""[A-Za-z_$][\w$]*|\d[\w.]*|"(?:\\.|[^"\\])*"|'(?:\\.|[^'\\])*'|`[^`]*`|==|!=|<=|>=|->|=>|::|\S""")
KEYWORDS = frozenset("""
and as assert async await break case catch class const continue def default del defer do elif else enum except export
extends false final finally fn for func from function go if impl implements import in interface is lambda let loop
match mod mut new nil none not null or package pass pub raise return self static struct super switch this throw throws
trait true try type typeof use var void where while with yield None True False
""".split())


_DEFINERS = frozenset({"def", "fn", "func", "function", "class", "struct", "interface", "trait", "enum", "type"})


def normalise(line: str) -> list[str]:
    tokens = _TOKEN.findall(line)
    out = []
    for i, tok in enumerate(tokens):
        first = tok[0]
        if first.isalpha() or first in "_$":
            defined = i > 0 and tokens[i - 1] in _DEFINERS
            called = i + 1 < len(tokens) and tokens[i + 1] == "(" and not defined
            attribute = i > 0 and tokens[i - 1] == "."
            out.append(tok if tok in KEYWORDS or called or attribute else "N")
        elif first.isdigit() or first in "\"'`":
            out.append("L")
        else:
            out.append(tok)
    return out


@dataclass
class _Sig:
    line: int  # one-based
    tokens: int
    text: str
    prose: bool = False  # a docstring line
    header: bool = False  # a line of a function's signature (`def f(`, `a: int,`, `) -> None:`)


def signatures(lines: list[tuple[int, str]], language: str | None) -> list[_Sig]:
    """Normalised non-trivial code lines (comments, blanks, lone brackets and overload declarations dropped)."""
    out = []
    skip = _python_declarations(lines) if language == "python" else set()
    docstrings = _python_docstrings(lines) if language == "python" else set()
    headers = _python_headers(lines) if language == "python" else set()
    for no, text in lines:
        # Imports name what a module uses: two modules importing alike share no logic.
        if no in skip or imported_modules(text, language):
            continue
        count, shape = _line_shape(text, language)
        if count <= 2:
            continue
        out.append(_Sig(no, count, shape, no in docstrings, no in headers))
    return out


def _python_headers(lines: list[tuple[int, str]]) -> set[int]:
    """Line numbers of every function's signature, over its continuation lines."""
    out: set[int] = set()
    depth = 0
    inside = False
    for no, text in lines:
        stripped = text.lstrip()
        if not inside and stripped.startswith(("def ", "async def ")):
            inside, depth = True, 0
        if not inside:
            continue
        out.add(no)
        depth += text.count("(") + text.count("[") - text.count(")") - text.count("]")
        if depth <= 0 and stripped.rstrip().endswith((":", "...")):
            inside = False
    return out


@lru_cache(maxsize=1 << 16)
def _line_shape(text: str, language: str | None) -> tuple[int, str]:
    """(token count, normalised text) of one line; 0 for blanks and comments. Code repeats its lines (`)`,
    `return result`), so each distinct line is normalised once per process."""
    if not text.strip() or comment_body(text, language) is not None:
        return 0, ""
    toks = normalise(text.strip())
    return len(toks), " ".join(toks)


def _python_declarations(lines: list[tuple[int, str]]) -> set[int]:
    """Line numbers of `@overload` declarations: the decorator and the signature (over its continuation lines),
    which restate the implementation's parameters by design."""
    out: set[int] = set()
    depth = 0
    state = None  # None, "decorators" (an @overload seen), "header"
    for no, text in lines:
        stripped = text.lstrip()
        if state is None and stripped.startswith("@") and "overload" in stripped:
            state = "decorators"
        elif state == "decorators" and stripped.startswith(("def ", "async def ")):
            state, depth = "header", 0
        elif state == "decorators" and not stripped.startswith("@"):
            state = None
        if state is None:
            continue
        out.add(no)
        if state == "header":
            depth += text.count("(") + text.count("[") - text.count(")") - text.count("]")
            if depth <= 0 and stripped.rstrip().endswith((":", "...")):
                state = None
    return out


_TRIPLE = re.compile(r'"""|\'\'\'')


def _python_docstrings(lines: list[tuple[int, str]]) -> set[int]:
    """Line numbers inside triple-quoted strings that stand alone (docstrings): prose, however similar."""
    out: set[int] = set()
    quote: str | None = None
    for no, text in lines:
        stripped = text.strip()
        if quote is None:
            m = _TRIPLE.match(stripped.lstrip("rbuRBU"))
            if m is None:
                continue
            rest = stripped.lstrip("rbuRBU")[3:]
            out.add(no)
            if m.group(0) not in rest:
                quote = m.group(0)
        else:
            out.add(no)
            if quote in stripped:
                quote = None
    return out


def _windows(sigs: list[_Sig]):
    for i in range(len(sigs) - WINDOW + 1):
        chunk = sigs[i:i + WINDOW]
        code = [s for s in chunk if not s.prose]
        # A copy is of code: shared docstring prose alone (two functions documenting the same parameter) is not one.
        if sum(s.tokens for s in chunk) < MIN_TOKENS or len(code) < MIN_CODE_LINES:
            continue
        # Signatures repeat by protocol (`__exit__(self, exc_type, exc_val, exc_tb)`), and a constructor storing
        # its parameters (`self.impl = impl`) is the shape of every class: a copy has logic besides.
        if sum(1 for s in chunk if s.header or _STORE_LINE.match(s.text)) > WINDOW - MIN_LOGIC_LINES:
            continue
        # A run of `name=value,` lines is the shape of every call with many keyword arguments, not a copied block.
        if sum(1 for s in chunk if _ARGUMENT_LINE.match(s.text)) > WINDOW - MIN_LOGIC_LINES:
            continue
        # Nor is a stretch of table entries: two tables of the same shape hold different data.
        if sum(1 for s in chunk if _DATA_LINE.match(s.text)) > WINDOW - MIN_LOGIC_LINES:
            continue
        digest = blake2b("\n".join(s.text for s in chunk).encode(), digest_size=8).digest()
        yield int.from_bytes(digest, "little"), chunk[0].line, chunk[-1].line


INDEX = "duplication@12"  # bump when normalise/_windows/_extract change what is indexed


def _extract(path: str, text: str, language: str):
    if is_test_path(path) or is_support_path(path) or is_generated(text.split("\n", GENERATED_HEAD_LINES), language):
        # Product code only: tests, tools, examples and generated tables are neither checked for copies nor
        # code to reuse.
        return ()
    return _windows(signatures(list(enumerate(text.splitlines(), start=1)), language))


def index_for(ctx) -> Postings:
    """Fingerprint windows of every parsed source file, kept incrementally in the workspace cache."""
    return postings(ctx, INDEX, _extract, languages=PARSED)


def check(inp: EditInput) -> list[Finding]:
    if not inp.need_context("DR211", "no existing code to compare the added code with"):
        return []
    idx = index_for(inp.context)
    removed_spans = {fc.old_path or fc.path: {ln.old_no for ln in fc.removed()} for fc in inp.change}
    # What this change adds is not existing code, wherever it sits (two new blocks alike are SC303's business).
    added_spans = {fc.path: {ln.new_no for ln in fc.added()} for fc in inp.change}
    findings = []
    for fc in inp.content_files():
        if fc.language not in PARSED or is_test_path(fc.path) or fc.path.endswith(".pyi") \
                or is_support_path(fc.path) or fc.generated:
            continue
        findings += _duplicates(fc, idx, removed_spans, added_spans)
    return findings


def _added_runs(fc: FileChange) -> list[list[tuple[int, str]]]:
    """Added lines grouped into runs that only blank or comment lines interrupt."""
    runs: list[list[tuple[int, str]]] = []
    current: list[tuple[int, str]] = []
    last = None
    for ln in fc.added():
        if ln.new_no is None:
            continue
        if last is not None and ln.new_no != last + 1:
            runs.append(current)
            current = []
        current.append((ln.new_no, ln.text))
        last = ln.new_no
    if current:
        runs.append(current)
    return runs


def _duplicates(fc: FileChange, idx: Postings, removed_spans: dict[str, set], added_spans: dict[str, set]) \
        -> list[Finding]:
    out = []
    for run in _added_runs(fc):
        own_lines = {no for no, _ in run}
        windows = list(_windows(signatures(run, fc.language)))
        found = idx.find(h for h, _, _ in windows)
        hit = None
        copied: set[int] = set()
        for h, first, last in windows:
            for where in found.get(signed64(h), [])[:MAX_LOCATIONS]:
                path = where[0]
                span = set(range(where[1], where[2] + 1))
                if span & added_spans.get(path, set()):
                    continue  # the work tree already holds this change: new code, not existing code
                if span & removed_spans.get(path, set()):
                    continue  # moved, not copied
                hit = hit or (path, where[1], where[2])
                copied.update(range(first, last + 1))
                break
        if hit is None:
            continue
        path, first, last = hit
        start = min(copied)
        out.append(rules.make(
            "DR211", f"{len(copied & own_lines)} added lines repeat existing code at {path}:{first}"
                     f" (same structure, names and literals aside).",
            evidence=f"{path}:{first}-{last}", path=fc.path, range=Range.lines(start - 1, max(copied) - 1),
            question=f"Can this reuse the code at {path}:{first} instead of copying it?",
            fix=f"Call or extract the existing code from {path} rather than duplicating it.",
            related=[{"path": path, "line": first}]))
    return out
