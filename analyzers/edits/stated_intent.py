"""What the request says about the change it expects: the names it mentions, and its size and kind.

Only what edit checks need: the request engineer's analyzer owns full intent
extraction. These are cheap lexical reads of the same text.
"""

from __future__ import annotations

import re
from functools import lru_cache

from ..text.identifiers import split_identifier

_IDENT = re.compile(r"[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*")
_PATHLIKE = re.compile(r"[\w.-]+(?:/[\w.-]+)+|\b[\w-]+\.(?:py|pyi|js|jsx|ts|tsx|go|rs|java|rb|c|h|cpp|toml|json|cfg|txt|md|rst|yml|yaml)\b")

# Words too common in requests and code alike to show that a file relates to a request.
STOP = frozenset("""
a an the and or not no of to in on at by for from with without into onto as is are was were be been being it its
this that these those there their then than so if else when while do does did done can could should would will may
might must shall has have had get set use used using make made new old add added remove removed fix fixed bug bugs
issue error errors fail fails failed failing work works working wrong correct incorrect expected actual result
results return returns returned value values true false none null self cls def class function method file files
code test tests line lines case cases example examples description traceback call calls called instead also only
just now still even but which what why how where who all any some each every other same more most less very much
many one two first last after before because since like see e g i ie eg we you they he she us our your my me
data type types object objects name names list dict str int string number time default option options param params
argument arguments support supported version versions python django module modules package import raise raises
""".split())

_SMALL_FIX = re.compile(
    r"\b(fix(?:es|ed|ing)?|bug|typo|crash(?:es|ed)?|error|exception|traceback|incorrect(?:ly)?|wrong|broken|"
    r"fails?|failing|regression|off[- ]by[- ]one|small|minor|tweak|adjust|patch|should(?:n't| not)?|doesn't|"
    r"does not|isn't|is not|unexpected(?:ly)?|raises?)\b", re.IGNORECASE)
_LARGE = re.compile(
    r"\b(refactor(?:s|ed|ing)?|rewrite|rewriting|re-?implement\w*|rework\w*|restructur\w*|redesign\w*|overhaul\w*|"
    r"port(?:ing)? (?:it |this )?to|migrat\w+|clean(?:s|ed)?[- ]?up|reorganiz\w+|moderniz\w+|replace the whole)\b",
    re.IGNORECASE)

_REQUESTED_API = [
    re.compile(r"\brenam\w*\s+(?:the\s+)?(?:\w+\s+)?`?(?P<a>[\w.]+)`?(?:\(\))?\s+(?:to|into|as)\s+`?(?P<b>[\w.]+)", re.I),
    re.compile(r"\b(?:remove|delete|drop|deprecate|get rid of)\s+(?:the\s+)?(?:\w+\s+)?`?(?P<a>[\w.]+)`?", re.I),
    re.compile(r"\bchange\s+(?:the\s+)?(?:signature|parameters|arguments|return type)\s+of\s+`?(?P<a>[\w.]+)", re.I),
    re.compile(r"\b(?:make|change)\s+`?(?P<a>[\w.]+)`?(?:\(\))?(?:'s)?\s+(?:signature|parameters|arguments)", re.I),
]
_ANY_API_CHANGE = re.compile(r"\b(break(?:ing)? (?:the )?(?:public )?api|change (?:the )?(?:public )?api|"
                             r"backwards?[- ]incompatible|api change)\b", re.I)


class RequestIntent:
    def __init__(self, text: str):
        self.text = text or ""
        self.mentions = _mentions(self.text)  # identifiers, dotted names and their parts, lower-cased
        self.paths = {p.lower().strip("./") for p in _PATHLIKE.findall(self.text)}
        self.small_fix = bool(_SMALL_FIX.search(self.text))
        self.large_change = bool(_LARGE.search(self.text))
        self.requested_api = _requested_api(self.text)
        self.any_api_change = bool(_ANY_API_CHANGE.search(self.text))

    def __bool__(self) -> bool:
        return bool(self.text.strip())

    def mentions_name(self, name: str) -> bool:
        n = name.lower()
        return n in self.mentions or any(p in self.mentions for p in split_identifier(name) if len(p) > 3 and p not in STOP)

    def asks_api_change(self, name: str) -> bool:
        """The request explicitly asks to rename/remove/re-sign this symbol (or break the API at large)."""
        leaf = name.rsplit(".", 1)[-1].lower()
        return self.any_api_change or leaf in self.requested_api or name.lower() in self.requested_api


@lru_cache(maxsize=256)
def request_intent(text: str) -> RequestIntent:
    return RequestIntent(text)


def _mentions(text: str) -> frozenset[str]:
    out: set[str] = set()
    for m in _IDENT.findall(text):
        low = m.lower()
        if low in STOP or len(low) < 3:
            continue
        out.add(low)
        for part in low.split("."):
            if len(part) >= 3 and part not in STOP:
                out.add(part)
        for piece in split_identifier(m):
            if len(piece) > 3 and piece not in STOP:
                out.add(piece)
    return frozenset(out)


def _requested_api(text: str) -> frozenset[str]:
    names: set[str] = set()
    for pattern in _REQUESTED_API:
        for m in pattern.finditer(text):
            for g in ("a", "b"):
                value = m.groupdict().get(g)
                if value:
                    names.add(value.lower())
                    names.add(value.rsplit(".", 1)[-1].lower())
    return frozenset(names)
