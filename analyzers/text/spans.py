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


def sentences(text: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence, in one pass. Ends: . ! ? before whitespace (not after an abbreviation
    such as "e.g."), a blank line, or a line break before a capital, a list item or a heading."""
    out, start = [], 0
    for m in _SENTENCE_END.finditer(text):
        end = m.end()
        if text[m.start()] == ".":
            word_start = max(text.rfind(" ", 0, m.start()), text.rfind("\n", 0, m.start())) + 1
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


def clip(text: str, limit: int) -> str:
    """`text` on one line, at most `limit` characters (an ellipsis marks the cut): for messages that quote."""
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"
