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

_DEF = re.compile(r"^[ \t]*def[ \t]+(?P<name>[A-Za-z_]\w*)[ \t]*\((?P<params>[^)]*)\)[ \t]*(?:->[ \t]*(?P<ret>[^:\n]+))?:",
                  re.MULTILINE)
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


def _literal(src: str) -> tuple[bool, Any]:
    src = src.strip().rstrip(".,;")
    if not src or len(src) > 2000:
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


def parse_spec(text: str) -> FunctionSpec | None:
    """The last function stub with a docstring (earlier defs are usually helpers), or None."""
    defs = list(_DEF.finditer(text))
    if not defs:
        return None
    chosen = None
    for m in defs:
        after = m.end() + len(text[m.end():m.end() + 400]) - len(text[m.end():m.end() + 400].lstrip())
        doc = _DOCSTRING.match(text, after)
        if doc is not None:
            chosen = (m, doc)
    if chosen is None:
        m = defs[-1]
        body_start = body_end = m.end()
        body = ""
    else:
        m, doc = chosen
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
        name=m.group("name"), params=_param_names(m.group("params")), returns=(m.group("ret") or "").strip() or None,
        description=description.strip(), doc_start=body_start, doc_end=body_end, def_start=m.start(), def_end=m.end(),
        raw_params=m.group("params"), examples=examples,
        other_defs=[d.group("name") for d in defs if d is not m],
        shows_examples=bool(examples) or bool(_EXAMPLE_MARKER.search(body)),
    )
