"""The function specification inside a request: `def name(params) -> ret:` plus its docstring and examples.

Coding requests often arrive as a stub to complete (HumanEval style) or quote
one. Several checks need the same parts of it (the name, the parameters, the
prose, the worked examples), so it is parsed once here. Nothing is executed:
calls and values are only *parsed* (`ast.parse`, `ast.literal_eval`).
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass, field
from typing import Any

_DOCSTRING = re.compile(r'[rRuU]?(?:"""|\'\'\')(?P<body>.*?)(?:"""|\'\'\'|\Z)', re.DOTALL)
_DOCTEST = re.compile(r"^[ \t]*>>>[ \t]*(?P<call>.+?)[ \t]*\n(?P<out>(?:[ \t]*(?!>>>)\S.*(?:\n|$))+)", re.MULTILINE)
# `name(args) => out`, `==> out`, `➞ out`, `-> out`, `== out`, `should return out`, `# out`
_ARROW = re.compile(
    r"(?P<call>\b[A-Za-z_]\w*\((?:[^()\n]|\([^()\n]*\))*\))[ \t]*"
    r"(?:\#[ \t]*)?(?:={1,2}>|➞|->|→|={1,2}(?!=)|[ \t]should[ \t]+(?:return|be|give))[ \t:]*"
    r"(?P<out>[^\n]+)")
# "For xs = [4, 5] the output should be 9" and "Input: n = 7 ... Output: 8": named inputs, no call
_NAMED = [
    re.compile(r"[Ff]or\s+(?P<call>\w+\s*=[^\n]*?)\s*,?\s*the\s+output\s+should\s+be\s+(?P<out>[^\n]+?)\.?[ \t]*$",
               re.MULTILINE),
    re.compile(r"Input\s*:\s*(?P<call>[^\n]+)\s*\n\s*Output\s*:\s*(?P<out>[^\n]+)"),
]
_EXAMPLE_MARKER = re.compile(r"(?im)^\s*(?:for\s+)?examples?(?:\s+\d+)?\s*:?\s*$|\bfor example\b|\be\.g\.")


@dataclass
class Example:
    call: str  # the call as written, e.g. "sum_product([1, 2])"
    output: str  # the expected output as written
    start: int  # offset of the example in the request text
    end: int
    func: str | None = None  # the called name
    args: tuple | None = None  # literal arguments, when they are literals
    value: Any = None  # the literal output
    has_value: bool = False  # whether `value` parsed (None is a legitimate value)

    @property
    def key(self) -> str:
        if self.args is not None:
            return f"{self.func}{self.args!r}"
        return re.sub(r"\s+", " ", self.call)


@dataclass
class FunctionSpec:
    name: str
    params: list[str]  # parameter names (no annotations)
    returns: str | None  # return annotation text
    description: str  # docstring prose without the examples
    doc_start: int  # offset of the docstring body in the request text
    doc_end: int
    def_start: int
    def_end: int
    raw_params: str = ""
    examples: list[Example] = field(default_factory=list)
    other_defs: list[str] = field(default_factory=list)  # names of every other def in the text
    shows_examples: bool = False  # examples are given in some form, parsed or not
    source: str = "stub"  # "stub": the request's own def; "prose": a signature the prose asks for

MAX_LITERAL_CHARS = 2000  # an example's value longer than this is not read (literal_eval's cost, and nesting)
# A fenced stub is the one to write when the prose around it is a short ask, not an issue quoting code.
STUB_PROSE_WORDS = 80


def _literal(src: str) -> tuple[bool, Any]:
    src = src.strip().rstrip(".,;")
    if not src or len(src) > MAX_LITERAL_CHARS:
        return False, None
    lowered = {"true": "True", "false": "False", "none": "None", "null": "None"}.get(src.lower())
    try:
        return True, ast.literal_eval(lowered or src)
    except (ValueError, SyntaxError, TypeError, MemoryError, RecursionError):
        return False, None


def _parse_call(src: str) -> tuple[str | None, tuple | None]:
    try:
        node = ast.parse(src.strip(), mode="eval").body
    except (SyntaxError, ValueError, MemoryError, RecursionError):
        return None, None
    if not isinstance(node, ast.Call):
        return None, None
    func = node.func.id if isinstance(node.func, ast.Name) else (
        node.func.attr if isinstance(node.func, ast.Attribute) else None)
    if node.keywords:
        return func, None
    try:
        args = tuple(ast.literal_eval(a) for a in node.args)
    except (ValueError, SyntaxError, TypeError, MemoryError, RecursionError):
        return func, None
    return func, args


def _param_names(raw: str) -> list[str]:
    names = []
    depth = 0
    part = ""
    for ch in raw + ",":
        if ch in "[(":
            depth += 1
        elif ch in "])":
            depth -= 1
        if ch == "," and depth == 0:
            name = part.split(":")[0].split("=")[0].strip().lstrip("*")
            if name and name not in ("self", "cls", "/", "..."):
                names.append(name)
            part = ""
        else:
            part += ch
    return names


def _make_example(call: str, output: str, start: int, end: int) -> Example:
    output = output.strip()
    func, args = _parse_call(call)
    ok, value = _literal(output)
    return Example(call=call.strip(), output=output, start=start, end=end, func=func, args=args,
                   value=value, has_value=ok)


def _examples(text: str, base: int) -> list[Example]:
    found: list[Example] = []
    taken: list[tuple[int, int]] = []
    for m in _DOCTEST.finditer(text):
        out_lines = [ln.strip() for ln in m.group("out").splitlines() if ln.strip()]
        out = " ".join(out_lines)
        if out.startswith(('"""', "'''")):
            continue
        found.append(_make_example(m.group("call"), out, base + m.start(), base + m.end()))
        taken.append((m.start(), m.end()))
    for m in _ARROW.finditer(text):
        if any(a <= m.start() < b for a, b in taken):
            continue
        out = m.group("out").strip()
        if not out:  # "f(n) = " and nothing after: a definition that stops, not an example
            continue
        # "f(x) -> 19 - 5 - 6 = 8": the value is what the worked arithmetic ends in
        if "=" in out and not out.startswith(("=", "[", "(", "{", "'", '"')):
            out = out.rsplit("=", 1)[1]
        example = _make_example(m.group("call"), out, base + m.start(), base + m.end())
        if example.func is None:  # prose that happens to contain "(...) ->", not an example
            continue
        found.append(example)
        taken.append((m.start(), m.end()))
    for pattern in _NAMED:
        for m in pattern.finditer(text):
            if not any(a <= m.start() < b for a, b in taken):
                found.append(_make_example(m.group("call"), m.group("out"), base + m.start(), base + m.end()))
    found.sort(key=lambda e: e.start)
    return found


_DEF_START = re.compile(r"^[ \t]*(?:async[ \t]+)?def[ \t]+(?P<name>[A-Za-z_]\w*)[ \t]*\(", re.MULTILINE)
MAX_HEADER_CHARS = 2000  # a def header longer than this is not one a person wrote
# Lines of a body that leave a function unimplemented.
_STUB_BODY = re.compile(r"^\s*(?:pass|\.\.\.|raise\s+NotImplementedError\b.*|#.*)?\s*$")
_FENCE = re.compile(r"^[ \t]*(?:```|~~~)", re.MULTILINE)
_TRACEBACK = re.compile(r"^\s*(?:Traceback \(most recent call last\):|File \"[^\"\n]*\", line \d+)", re.MULTILINE)
# Code that opens a request: the request is the code (a stub to complete), not prose that quotes some.
_CODE_OPENING = re.compile(r"^\s*(?:from\s+\S+\s+import\b|import\s+\w|def\s|async\s+def\s|class\s|@\w|#)")
# Prose asking for a function by its signature: "Implement `parse(text, strict=False)` in `pkg/io.py`."
_PROSE_SIGNATURE = re.compile(r"\b(?:implement|write|create|add|complete|define|code)\s+(?:a\s+|the\s+)?(?:function\s+|method\s+)?"
                              r"`(?P<name>[A-Za-z_]\w*)\((?P<params>[^`\n]{0,400})\)(?:\s*->\s*(?P<ret>[^`\n]+))?`", re.IGNORECASE)
_ASKS_TO_IMPLEMENT = re.compile(r"\b(?:implement|complete|finish|fill\s+in|write)\b", re.IGNORECASE)


def _header(text: str, m: re.Match) -> tuple[str, str | None, int] | None:
    """(params, return annotation, end offset after ':') of a def whose '(' ends `m`, brackets balanced."""
    depth, i, limit = 1, m.end(), min(len(text), m.end() + MAX_HEADER_CHARS)
    quote = None
    while i < limit and depth:
        ch = text[i]
        if quote:
            if ch == quote:
                quote = None
        elif ch in "'\"":
            quote = ch
        elif ch in "([{":
            depth += 1
        elif ch in ")]}":
            depth -= 1
        i += 1
    if depth:
        return None
    params = text[m.end():i - 1]
    rest = re.match(r"[ \t]*(?:->[ \t]*(?P<ret>[^\n]+?))?[ \t]*:", text[i:i + 400])
    if rest is None:
        return None
    return params, (rest.group("ret") or "").strip() or None, i + rest.end()


def _spans(pattern: re.Pattern, text: str) -> list[tuple[int, int]]:
    """Fenced code blocks: (start, end) between pairs of fences."""
    marks = [m.start() for m in pattern.finditer(text)]
    return [(marks[k], marks[k + 1]) for k in range(0, len(marks) - 1, 2)]


def _in_traceback(text: str, at: int) -> bool:
    """A def quoted by a traceback: the frames above it in the same block name files and lines."""
    block_start = text.rfind("\n\n", 0, at)
    return _TRACEBACK.search(text, max(0, block_start), at) is not None


def _unimplemented(text: str, body_end: int, indent: int) -> bool:
    """After the docstring, the body is empty (or pass / ... / NotImplementedError) up to the next dedent."""
    for line in text[body_end:body_end + 4000].splitlines()[1:]:
        if not line.strip():
            continue
        if len(line) - len(line.lstrip()) <= indent:
            return True
        if not _STUB_BODY.match(line):
            return False
    return True


def _own_code(text: str, at: int) -> bool:
    """Whether the def at `at` belongs to the request itself rather than to code the request quotes."""
    if _in_traceback(text, at):
        return False
    fences = _spans(_FENCE, text)
    inside = next(((a, b) for a, b in fences if a <= at < b), None)
    if inside is None:
        return bool(_CODE_OPENING.match(text)) or not fences and text[:at].strip() == ""
    # a stub in a fenced block is the request's own when the prose around the code asks for it to be written
    prose = text[:inside[0]] + text[inside[1]:]
    return bool(_ASKS_TO_IMPLEMENT.search(prose)) and len(prose.split()) < STUB_PROSE_WORDS


def _prose_spec(text: str) -> FunctionSpec | None:
    m = _PROSE_SIGNATURE.search(text)
    if m is None:
        return None
    body_start = m.end()  # "... `f(x)` that returns ..." : the rest of the sentence is already description
    body = text[body_start:]
    examples = _examples(body, body_start)
    cut = [e.start - body_start for e in examples if e.args is not None]
    description = body[:min(cut)] if cut else body
    return FunctionSpec(
        name=m.group("name"), params=_param_names(m.group("params")), returns=(m.group("ret") or "").strip() or None,
        description=description.strip(), doc_start=body_start, doc_end=len(text), def_start=m.start(), def_end=m.end(),
        raw_params=m.group("params"), examples=examples, shows_examples=bool(examples) or bool(_EXAMPLE_MARKER.search(body)),
        source="prose")


def parse_spec(text: str) -> FunctionSpec | None:
    """The function the request asks to implement: the last unimplemented stub of the request's own code (earlier
    defs are usually helpers), else a signature the prose asks for. A def in a quoted sample or traceback is not it."""
    found = []
    for m in _DEF_START.finditer(text):
        header = _header(text, m)
        if header is None or not _own_code(text, m.start()):
            continue
        params, ret, end = header
        found.append((m, params, ret, end))
    if not found:
        return _prose_spec(text)
    chosen = None
    for m, params, ret, end in found:
        after = end + len(text[end:end + 400]) - len(text[end:end + 400].lstrip())
        doc = _DOCSTRING.match(text, after)
        indent = len(m.group(0)) - len(m.group(0).lstrip(" \t"))
        if doc is not None and _unimplemented(text, doc.end(), indent):
            chosen = (m, params, ret, end, doc)
    if chosen is None:
        m, params, ret, end = found[-1]
        if not _unimplemented(text, end, len(m.group(0)) - len(m.group(0).lstrip(" \t"))):
            return _prose_spec(text)
        body_start = body_end = end
        body = ""
    else:
        m, params, ret, end, doc = chosen
        body_start, body_end = doc.start("body"), doc.end("body")
        body = doc.group("body")
    examples = _examples(body, body_start)
    description = body
    # "pick t so that f(t) = 1." reads like an example but is prose: only literal calls end the description
    cut = [e.start - body_start for e in examples if e.args is not None]
    for marker in re.finditer(r"(?im)^\s*(?:for\s+)?examples?(?:\s+\d+)?\s*:?\s*$|^\s*>>>", body):
        cut.append(marker.start())
    if cut:
        description = body[: min(cut)]
    return FunctionSpec(
        name=m.group("name"), params=_param_names(params), returns=ret,
        description=description.strip(), doc_start=body_start, doc_end=body_end, def_start=m.start(), def_end=end,
        raw_params=params, examples=examples,
        other_defs=[d.group("name") for d, *_ in found if d is not m],
        shows_examples=bool(examples) or bool(_EXAMPLE_MARKER.search(body)),
    )
