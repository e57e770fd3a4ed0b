"""Spans of prose: findings anchored at words (evidence is the words, range their LSP span), sentences, comments."""

from __future__ import annotations

import re

from xyguard.analyzers import rules
from xyguard.analyzers.findings import Finding, span_range


def finding_at(text: str, code: str, message: str, start: int, end: int, **fields) -> Finding:
    start, end = max(0, start), max(start, min(end, len(text)))
    evidence = fields.pop("evidence", None) or " ".join(text[start:end].split())[:200]
    return rules.make(code, message, evidence=evidence, range=span_range(text, start, end), **fields)


# A full stop ends a sentence only before whitespace or the end: "helpers.py", "3.12" and "os.path" go on.
# A line break ends one when the next line starts like a new one (a capital, a list item, a heading): a
# wrapped line of prose goes on in lower case.
_SENTENCE_END = re.compile(r"[.!?]+(?=\s|$)|\n\s*\n|\n(?=[ \t]*(?:[A-Z#>]|(?:[-*+]|\d+[.)])\s))")
# Abbreviations whose full stop is not an end (compared lower-case, with their own dots).
ABBREVIATIONS = frozenset({"e.g.", "i.e.", "etc.", "vs.", "a.k.a.", "cf.", "approx.", "incl.", "esp.", "resp.",
                           "mr.", "mrs.", "ms.", "dr.", "no.", "fig.", "ca."})
LONGEST_ABBREVIATION = max(map(len, ABBREVIATIONS)) + 2  # with an opening bracket or quote


def sentences(text: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence, in one pass. Ends: . ! ? before whitespace (not after an abbreviation
    such as "e.g."), a blank line, or a line break before a capital, a list item or a heading."""
    out, start = [], 0
    for m in _SENTENCE_END.finditer(text):
        end = m.end()
        if text[m.start()] == ".":
            # abbreviations are short: look back only that far (an unbounded look-back from every full stop
            # is quadratic on text without spaces)
            lo = max(0, m.start() - LONGEST_ABBREVIATION)
            word_start = max(text.rfind(" ", lo, m.start()), text.rfind("\n", lo, m.start()), lo - 1) + 1
            if text[word_start:m.start() + 1].lower().lstrip("(\"'") in ABBREVIATIONS:
                continue
        if text[start:end].strip():
            out.append((start, end))
        start = end
    if text[start:].strip():
        out.append((start, len(text)))
    return out


def sentence_bounds(text: str, offset: int) -> tuple[int, int]:
    """The sentence around `offset` (split on . ! ? and blank lines), for evidence that reads on its own."""
    left = max(text.rfind(". ", 0, offset), text.rfind("? ", 0, offset), text.rfind("! ", 0, offset),
               text.rfind("\n\n", 0, offset))
    left = 0 if left < 0 else left + 2
    ends = [i for i in (text.find(". ", offset), text.find("? ", offset), text.find("! ", offset),
                        text.find("\n\n", offset)) if i >= 0]
    right = min(ends) + 1 if ends else len(text)
    return left, right


_NOT_NEWLINE = re.compile(r"[^\r\n]")


def mask_html_comments(text: str) -> str:
    """Blank out HTML comments (suppression markers, notes to self) keeping every offset in place.
    A scan rather than a lazy regex: an unclosed `<!--` repeated would make the regex quadratic."""
    parts, pos = [], 0
    while (start := text.find("<!--", pos)) >= 0:
        end = text.find("-->", start + 4)
        if end < 0:
            break
        end += 3
        parts += [text[pos:start], _NOT_NEWLINE.sub(" ", text[start:end])]
        pos = end
    return "".join(parts) + text[pos:] if parts else text


_FENCE = re.compile(r"^[ \t]*(?:```|~~~)[^\n]*$", re.MULTILINE)
_TRACEBACK_START = re.compile(r"^[ \t]*Traceback \(most recent call last\):[^\n]*$", re.MULTILINE)
_TRACEBACK_BODY = re.compile(r"(?:\n(?:[ \t]+[^\n]*|[ \t]*))*(?:\n[\w.]+(?:Error|Exception|Warning|Exit|Interrupt)\b[^\n]*)?")


def mask_quoted_code(text: str) -> str:
    """Blank out fenced code blocks and Python tracebacks, keeping every offset: what a request quotes is
    evidence, not the request's own words (its names are the quoted program's, not requests for names)."""
    spans = []
    fences = [m for m in _FENCE.finditer(text)]
    for k in range(0, len(fences) - 1, 2):
        spans.append((fences[k].start(), fences[k + 1].end()))
    if len(fences) % 2:  # an unclosed fence runs to the end
        spans.append((fences[-1].start(), len(text)))
    for m in _TRACEBACK_START.finditer(text):
        body = _TRACEBACK_BODY.match(text, m.end())
        spans.append((m.start(), body.end() if body else m.end()))
    if not spans:
        return text
    out, pos = [], 0
    for start, end in sorted(spans):
        if start < pos:
            start = pos
        if start >= end:
            continue
        out += [text[pos:start], _NOT_NEWLINE.sub(" ", text[start:end])]
        pos = end
    return "".join(out) + text[pos:]


def clip(text: str, limit: int) -> str:
    """`text` on one line, at most `limit` characters (an ellipsis marks the cut): for messages that quote."""
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"
