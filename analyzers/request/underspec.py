"""Underspecification and ambiguity in the request's own words.

Each detector looks for one way a request leaves a decision to the assistant:
vague quantifiers and open alternatives (XY111), undefined referents (XY113),
placeholder names (XY114), contradictory constraints (XY115), truncated text
(XY116), missing inputs/outputs (XY117), and missing acceptance criteria or
expected behaviour (XY110). Patterns are compiled once at import.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from itertools import islice

from xyguard.analyzers.findings import Finding

from ..text.spans import finding_at
from .spec import FunctionSpec
from .information import SHORT_REQUEST_WORDS

_I = re.IGNORECASE

# ---- XY111: vague quantifiers and open alternatives ----------------------------------

# What a request can leave undecided: the rule, the value, the order, the form of the result.
_DECISION_NOUN = (r"(?:conditions?|criteri(?:on|a)|requirements?|rules?|patterns?|propert(?:y|ies)|values?|numbers?|"
                  r"thresholds?|ways?|orders?|formats?|bases?|operations?|amounts?)\b")

# Hedges: real specifications use them for details the implementer may settle ("convert to the appropriate
# type"), so alone they are a note, never a question.
_HEDGE = re.compile(r"\b(?:appropriate(?:ly)?|as needed|if necessary|reasonabl[ey]|suitabl[ey]|roughly|somehow|some kind of|"
                    r"some sort of)\b", _I)

# Nouns after "certain" that only hedge about when something happens ("in certain situations").
_HEDGE_NOUN = r"(?:cases?|situations?|circumstances?|platforms?|systems?|environments?|versions?|users?|scenarios?|contexts?|times?|points?)\b"

_VAGUE = [
    # "a certain condition" leaves a decision open; "in certain situations" only hedges about when something happens
    # ("a certain number of carrots" is a quantity, as "some" is: not a decision)
    (re.compile(r"\b(?:a|an|some|the)?\s*certain\s+(?!(?:number|amount)s?\s+of\b)(?:" + _DECISION_NOUN + r"|(?!" + _HEDGE_NOUN + r")[a-z]+\s+"
                + _DECISION_NOUN + r"|(?!" + _HEDGE_NOUN + r")[a-z]{3,}(?=\s*[.,;)]|\s+(?:of|in|from|to|and|or)\b))"),
     "'{m}' leaves the exact choice unstated"),
    (re.compile(r"\b(?:a|some|the)\s+(?:specific|particular|given)\s+(?:condition|requirement|criteri(?:on|a)|rule|way|pattern|operation|type|base|property)s?\b", _I),
     "'{m}' does not say which one"),
    (re.compile(r"\((?:e\.g\.|eg\.|such as|for example|like)[^()]*\bor\b[^()]*\)", _I),
     "the alternatives in '{m}' are examples, not a decision"),
    (re.compile(r"\b(?:or|and)\s+(?:an)?other(?:\s+(?:specific\s+)?\w+)?(?:\s+\w+)?\s*(?:\)|\.|,|$)", _I | re.M),
     "'{m}' leaves the set of cases open"),
    (re.compile(r"\b(?:or|and)\s+(?:meeting|satisfying|having)\s+(?:an)?other\b[^.)\n]*", _I),
     "'{m}' leaves the set of cases open"),
    (re.compile(r"\b(?:etc\.?|and so on|and so forth|or something(?: similar| like that)?|or whatever)(?=\W|$)", _I),
     "'{m}' leaves the list open"),
    (_HEDGE, "'{m}' hands the decision to the assistant"),
    (re.compile(r"\bor\s+(?:a\s+)?similar\s+\w+", _I),
     "'{m}' does not say how similar"),
    (re.compile(r"\bby\s+(?:a|an|some)\s+(?:number|amount|value|factor|offset)\b", _I),
     "'{m}' does not say how much"),
    (re.compile(r"\b(?:a|an|some)\s+(?:specific|particular)\s+[a-z]+", _I),
     "'{m}' does not say which one"),
    (re.compile(r"\b(?:[\w*!]+|\d+)(?:\s+than)?\s+or\s+(?:[\w*!]+|\d+)(?:\s+than)?\s+or\s+(?:[\w*!]+|\d+)\b", _I),
     "'{m}' lists alternatives without choosing one"),
    (re.compile(r"\beither\s+(?:-?\d+(?:\.\d+)?|'[^']*'|\"[^\"]*\"|true|false|none)\s+or\s+(?:-?\d+(?:\.\d+)?|'[^']*'|\"[^\"]*\"|true|false|none)\b", _I),
     "'{m}' does not say which value"),
]

# Mutually exclusive alternatives: "ascending or descending", "the smallest or largest", "add or multiply".
_OPPOSITES = [
    {"ascending", "descending"}, {"ascendingly", "descendingly"}, {"increasing", "decreasing"},
    {"smallest", "largest", "biggest", "greatest"}, {"shortest", "longest"}, {"minimum", "maximum"},
    {"min", "max"}, {"lowest", "highest"}, {"closest", "farthest", "furthest"}, {"first", "last"},
    {"odd", "even"}, {"prime", "composite"}, {"positive", "negative"}, {"uppercase", "lowercase"},
    {"upper", "lower"}, {"left", "right"}, {"more", "less", "fewer"}, {"greater", "smaller", "less"},
    {"prefix", "suffix"}, {"prefixes", "suffixes"}, {"start", "end"}, {"starts", "ends"}, {"before", "after"},
    {"inclusive", "exclusive"}, {"horizontal", "vertical"}, {"rows", "columns"}, {"sync", "async"},
    {"synchronous", "asynchronous"}, {"encode", "decode"}, {"encoded", "decoded"}, {"encoding", "decoding"},
    {"add", "multiply", "subtract", "divide"}, {"sum", "product", "difference"}, {"mean", "median"},
    {"octal", "hexadecimal", "binary", "decimal"},
]
_WORD_OR_WORD = re.compile(r"\b(?:non-)?([a-z]+)(?:\s+than)?\s+(?:or|and/or|/)\s+(?:non-)?([a-z]+)\b((?:\s+or\s+[a-z]+)*)", _I)
# "are rising or falling", "split on tabs or spaces": a condition that accepts both, not a choice.
_DISJUNCTION_CONTEXT = re.compile(r"\b(?:if|whether|when|are|is|be|by|that|which|who|either|both|any)\W+(?:\w+\W+){0,2}$", _I)
# Words that commonly follow "X or Y" in settled prose ("more or less", "sooner or later").
_IDIOMS = {("more", "less"), ("sooner", "later"), ("true", "false")}
# Complements: every case is one or the other, so "if it is odd or even" holds always. As a condition it is
# vacuous, so the text is really offering a choice it never makes.
_COMPLEMENTS = [{"odd", "even"}, {"prime", "composite"}, {"positive", "negative"}]
# Extremes pick one item out of many: "the dates that are the earliest or latest" is a choice even after "that are".
_EXTREMES = frozenset({"smallest", "largest", "biggest", "greatest", "shortest", "longest", "minimum", "maximum", "min",
                       "max", "lowest", "highest", "closest", "farthest", "furthest", "first", "last"})
_TRUE_CONDITION = re.compile(r"(?:if|whether|when|either|both|any)\b", _I)
# An ask between the condition word and the alternatives makes them the result: "which gives the lowest or highest".
_ASK_VERB = re.compile(r"\b(?:return|returns|select|selects|find|finds|compute|computes|get|gets|output|outputs|pick|picks)\b", _I)
# The same noun under two opposite qualifiers: "the first item or the last item", "odd rows or even rows".
_QUALIFIED_PAIR = re.compile(r"\b([a-z]+)\s+([a-z]{3,})\s+or\s+(?:the\s+)?([a-z]+)\s+\2\b", _I)

# ---- XY113: undefined referents -----------------------------------------------------

_VAGUE_REFERENT = re.compile(
    r"\b(?:a|an|some|the)\s+(?:specific|particular)\s+"
    r"(?:function|method|class|module|file|package|library|component|version|parameter|argument|attribute|field|"
    r"setting|option|line|endpoint|subclass|property|instance|backend|key|commit|configuration|test|command|"
    r"object|variable|column|table|model|operation|feature|element)s?\b", _I)
_DANGLING_PRONOUN = re.compile(r"^\W*(?:please\s+)?(?:can you\s+|could you\s+)?(?:fix|change|update|improve|make|update|handle|redo)\s+(?:it|this|that|them)\b", _I)
_UNDEFINED_QUANTITY = re.compile(
    r"\b(?P<v>[A-Z])\s+(?:times?|time\(s\)|corresponding|more|less|elements?|items?|characters?|digits?|positions?|places?|steps?)\b")

# ---- XY114: placeholder names -------------------------------------------------------

PLACEHOLDER_NAMES = frozenset({
    "foo", "bar", "baz", "qux", "func", "function", "fn", "f", "g", "my_function", "myfunction",
    "solution", "solve", "dummy", "placeholder", "xxx", "tmp", "temp", "something", "thing", "stuff", "do_stuff",
    "do_something", "helper", "method", "test_func", "todo", "unnamed", "untitled", "name", "your_function",
})
_PLACEHOLDER_IN_TEXT = re.compile(r"\b(?:TODO|TBD|XXX|FIXME|<[A-Za-z _-]{2,30}>|\[(?:insert|name|todo)[^\]]*\])", re.M)

# ---- XY115: contradictory constraints ------------------------------------------------

_CONTRADICTIONS = [
    (re.compile(r"\b(?:keep|preserve|don'?t change|do not change|without changing|leave)\s+(?:the\s+)?(?:function\s+|public\s+|method\s+)?(?:signature|api|interface)", _I),
     re.compile(r"\b(?:add|adding|introduce)\s+(?:a\s+|an\s+)?(?:new\s+)?required\s+(?:\w+\s+)?(?:parameter|argument)|\b(?:rename|remove|drop)\s+(?:the\s+)?(?:\w+\s+)?(?:parameter|argument|method|function)", _I),
     "keeping the signature/API unchanged conflicts with changing its parameters or names"),
    (re.compile(r"\b(?:no new (?:dependencies|packages|libraries)|without (?:adding |any )?(?:new )?(?:dependencies|packages|libraries)|(?:only|just) (?:the )?standard library|stdlib only)", _I),
     re.compile(r"\b(?:pip install|npm install|cargo add|yarn add|add (?:a |the )?(?:dependency|package) )|\buse (?:the )?(?:requests|numpy|pandas|lodash|axios|httpx|attrs|pydantic)\b", _I),
     "'no new dependencies' conflicts with installing or using a third-party package"),
    (re.compile(r"\b(?:don'?t|do not|never|without)\s+(?:modify|modifying|mutate|mutating|change|changing)\s+(?:the\s+)?(?:input|argument|list|original)", _I),
     re.compile(r"\bin[- ]place\b", _I),
     "not modifying the input conflicts with doing it in place"),
    (re.compile(r"\b(?:no|without|don'?t (?:use|add)|do not (?:use|add))\s+(?:any\s+)?(?:loops?|for[- ]loops?)\b", _I),
     re.compile(r"\b(?:iterate|loop)\s+(?:over|through)\b", _I),
     "'no loops' conflicts with iterating over the items"),
]

# ---- XY116: truncation ----------------------------------------------------------------

_DANGLING_WORDS = frozenset(
    "to the a an of and or with by for in that which whose is are be than from as if when into on at its their "
    "his her your our this these those each every such whether because so but where while then also not between "
    "among via using like about over under until unless since after before is was were will would should can "
    "could must may might has have had do does did".split())
# A docstring field list entry (":meta private:", ":rtype:") ends in ':' and is complete.
_FIELD_MARKER = re.compile(r"(?:^|\s):[\w ]+:$")
_CODE_PUNCTUATION = re.compile(r"[(){}\[\]=;<>]|\s{4,}|\xa0")
_LAST_WORD = re.compile(r"(?<![\w'])([A-Za-z']+)\W*$")  # a whole word: a hash's trailing letters are not one
# A clause cut inside the prose: "if this integer is.", "add the elements that..", "the string is , and".
# Stranded prepositions ("the list to compare with.") are ordinary English, so only words that cannot end a clause.
# The word must stand alone: "as-is." and "a.k.a." end in "is." and "a." but are whole expressions.
_CUT_CLAUSE = re.compile(r"(?<![\w.'-])(?P<w>the|a|an|of|that|which|whose|is|are|than|and|or|between|divisible|without|"
                         r"their|its|your|our|my)"
                         r"(?:\s*\.(?![\w.]*\w)|\s+,)", _I)
# Words that end sentences of ordinary prose; inside a function's specification they signal a cut.
_MAY_END_PROSE = frozenset({"that", "which", "is", "are"})
# A relative clause whose verb needs a complement it never gets: "remove the lines that match.", "items that occur."
# "only for ones.": 'ones' with nothing saying which ones
_CUT_ONES = re.compile(r"\b(?:for|of|with|to|only|the)\s+(?P<w>ones)\s*\.(?![\w.]*\w)", _I)
_CUT_RELATIVE = re.compile(r"\b(?:that|which|who)\s+(?:only\s+)?(?P<w>occurs?|match(?:es)?|contains?|satisf(?:y|ies)|"
                           r"meets?|exceeds?|equals?)\s*\.(?![\w.]*\w)", _I)
# "leave it as it is.", "whatever the value is.": a copula may end a clause after these
_COPULA_MAY_END = re.compile(r"\b(?:as|what|where|how|who|whatever|wherever|whoever|whichever)\s+(?:\w+\s+){0,2}$", _I)

# ---- XY110 / XY117: missing behaviour, io, acceptance ------------------------------------

# Only a short description that trails off in "..." is cut off; a long one uses it as an "and so on".
TRAILING_ELLIPSIS_WORDS = 12


_RETURN_WORDS = re.compile(r"\b(?:return|returns|returned|output|outputs|result|results|yield|yields|print|prints|"
                           r"produce|produces|give|gives|true|false|should be|equal to|evaluate|evaluates|count|find)\b", _I)
_PROCESS_WITHOUT_OUTPUT = re.compile(
    r"\b(?:write|create|implement|make|build|add)\s+(?:a|an|the)\s+(?:\w+\s+)?(?:function|method|script|class|tool|endpoint)\s+"
    r"(?:that|which|to)\s+(?:processes|handles|deals with|works with|manages|process|handle|manage|takes care of)\b", _I)


# A request with more vague phrases than this is pasted text; more findings would say nothing new, and each
# one costs a scan of the text for its position (so an unbounded number would make the analysis quadratic).
MAX_FINDINGS_PER_CHECK = 12


def vague_wording(text: str, scope: tuple[int, int], taken: Sequence[tuple[int, int]] = ()) -> list[Finding]:
    """`taken`: spans another detector already explains (e.g. a vague referent), not reported twice."""
    lo, hi = scope
    region = text[lo:hi]
    out: list[Finding] = []
    seen: list[tuple[int, int]] = list(taken)

    def add(start: int, end: int, message: str) -> None:
        if any(a < end and start < b for a, b in seen):
            return
        seen.append((start, end))
        hedge = _HEDGE.fullmatch(text[start:end].strip()) is not None
        out.append(finding_at(text, "XY111", message, start, end, severity="info" if hedge else None,
                              question="Which exactly do you mean: " + " ".join(text[start:end].split())[:80] + "?"))

    for pattern, template in _VAGUE:
        for m in pattern.finditer(region):
            if len(out) >= MAX_FINDINGS_PER_CHECK:
                return out
            if m.group(0).strip():
                add(lo + m.start(), lo + m.end(), template.format(m=" ".join(m.group(0).split())))
    for m in _WORD_OR_WORD.finditer(region):
        if len(out) >= MAX_FINDINGS_PER_CHECK:
            return out
        words = [m.group(1).lower(), m.group(2).lower()] + re.findall(r"[a-z]+", (m.group(3) or "").lower())[1::2]
        if (words[0], words[1]) in _IDIOMS:
            continue
        if any(len({w for w in words if w in group}) >= 2 for group in _OPPOSITES):
            start = lo + m.start()
            vacuous = any(len({w for w in words if w in group}) >= 2 for group in _COMPLEMENTS)
            before = text[max(0, start - 40):start]
            condition = _DISJUNCTION_CONTEXT.search(before)
            # "if the first or last line is ..." is a real condition; "the dates that are the closest or farthest" picks
            relative = condition is not None and not _TRUE_CONDITION.match(condition.group(0))
            choice = (vacuous or not condition or _ASK_VERB.search(before[condition.start():])
                      or relative and any(w in _EXTREMES for w in words))
            out.append(finding_at(text, "XY111",
                                  f"'{' '.join(m.group(0).split())}' offers alternatives that exclude each other; "
                                  "which one is wanted?", start, lo + m.end(), severity="warning" if choice else "info",
                                  question=f"Which one: {' or '.join(words)}?"))
            seen.append((start, lo + m.end()))
    for m in _QUALIFIED_PAIR.finditer(region):
        if len(out) >= MAX_FINDINGS_PER_CHECK:
            return out
        first, second = m.group(1).lower(), m.group(3).lower()
        if any({first, second} <= group for group in _OPPOSITES):
            add(lo + m.start(), lo + m.end(), f"'{' '.join(m.group(0).split())}' offers alternatives that exclude each "
                "other; which one is wanted?")
    return out


def undefined_referents(text: str, scope: tuple[int, int], spec: FunctionSpec | None) -> list[Finding]:
    lo, hi = scope
    region = text[lo:hi]
    out: list[Finding] = []
    for m in islice(_VAGUE_REFERENT.finditer(region), MAX_FINDINGS_PER_CHECK):
        out.append(finding_at(text, "XY113", f"'{' '.join(m.group(0).split())}' is referred to but never identified",
                              lo + m.start(), lo + m.end(), severity="warning",
                              question=f"Which {m.group(0).split()[-1]} do you mean (name it, or point to the file)?"))
    pronoun = _DANGLING_PRONOUN.match(region)
    if pronoun and len(region.split()) < SHORT_REQUEST_WORDS:
        out.append(finding_at(text, "XY113", "the request says what to do to 'it' but never says what 'it' is",
                              lo + pronoun.start(), lo + pronoun.end(),
                              question="What should be changed: which file, function or behaviour?"))
    if spec is not None:
        known = {p.lower() for p in spec.params}
        for m in islice(_UNDEFINED_QUANTITY.finditer(region), MAX_FINDINGS_PER_CHECK):
            var = m.group("v")
            if var.lower() in known or var in ("A", "I"):
                continue
            if re.search(rf"\b(?:integer|number|int|value|given)\s+{var}\b|\b{var}\s*(?:=|is\s+(?:a|an|the))", region):
                continue
            out.append(finding_at(text, "XY113", f"'{var}' is used as a quantity but is neither a parameter nor defined",
                                  lo + m.start(), lo + m.end(), severity="warning",
                                  question=f"What is {var}: a fixed number (which?) or a new parameter?"))
    return out


def placeholder_names(text: str, spec: FunctionSpec | None) -> list[Finding]:
    out: list[Finding] = []
    if spec is not None and spec.name.lower() in PLACEHOLDER_NAMES:
        # info, not warning: a docstring can specify a function completely whatever it is called
        out.append(finding_at(text, "XY114", f"the function is called '{spec.name}', a placeholder that says nothing "
                              "about what it does", spec.def_start, spec.def_end,
                              question=f"What is '{spec.name}' for? Its real name is part of the specification."))
    if spec is not None and re.search(r"\(\s*\.\.\.\s*\)", spec.raw_params and f"({spec.raw_params})" or ""):
        # elided parameters are missing inputs, not a naming matter: they block acting on their own
        out.append(finding_at(text, "XY117", "the parameters are elided ('...'): inputs are unknown",
                              spec.def_start, spec.def_end, severity="warning",
                              question="What are the function's parameters and their types?"))
    for m in islice(_PLACEHOLDER_IN_TEXT.finditer(text), MAX_FINDINGS_PER_CHECK):
        out.append(finding_at(text, "XY114", f"'{m.group(0)}' is a placeholder left in the request", m.start(), m.end()))
    return out


def contradictions(text: str) -> list[Finding]:
    out = []
    for keep, change, message in _CONTRADICTIONS:
        a, b = keep.search(text), change.search(text)
        if a and b:
            start, end = min(a.start(), b.start()), max(a.end(), b.end())
            out.append(finding_at(text, "XY115", message, start, end,
                                  evidence=f"{a.group(0)} … {b.group(0)}",
                                  question=f"Which should win: '{a.group(0)}' or '{b.group(0)}'?"))
    return out


def truncation(text: str, spec: FunctionSpec | None) -> list[Finding]:
    return _cut_clause(text, spec) or _cut_end(text, spec)


def _cut_clause(text: str, spec: FunctionSpec | None) -> list[Finding]:
    prose, base = (spec.description, spec.doc_start) if spec is not None else (text, 0)
    offset = max(text.find(prose, base), base)  # the description is the docstring's prose, stripped
    for m in [*_CUT_CLAUSE.finditer(prose), *_CUT_RELATIVE.finditer(prose), *_CUT_ONES.finditer(prose)]:
        if m.group("w") == "A":
            continue  # "redirects from A to B and back to A.": a capital letter is a label, not the article
        trailing_dots = prose[m.end():m.end() + 1] == "."  # "that.." trails off; "that." may end a sentence
        if spec is None and m.group("w").lower() in _MAY_END_PROSE and not trailing_dots and "," not in m.group(0):
            continue  # "doesn't like that.", "which `String` is.": prose may end a sentence so
        if m.group("w").lower() in ("is", "are") and _COPULA_MAY_END.search(prose[max(0, m.start() - 60):m.start()]):
            continue
        start = offset + m.start()
        clause = " ".join(prose[max(0, m.start() - 40):m.end()].split())
        return [finding_at(text, "XY116", f"a sentence stops before it says what it means ('…{clause}')",
                           start, start + len(m.group(0)),
                           question="Part of the description seems cut off: how does that sentence end?")]
    return []


def _cut_end(text: str, spec: FunctionSpec | None) -> list[Finding]:
    if spec is not None:
        if spec.examples:  # the prose before the examples may legitimately end in ':'
            return []
        prose, base = spec.description, spec.doc_start + text[spec.doc_start:spec.doc_end].find(spec.description[:30])
    else:
        prose, base = text.rstrip(), 0
        if _CODE_PUNCTUATION.search(prose.rstrip().splitlines()[-1] if prose.strip() else ""):
            return []  # the text ends in pasted code, not in a sentence
    stripped = prose.rstrip()
    if not stripped:
        return []
    last_line = stripped.splitlines()[-1].strip()
    m = _LAST_WORD.search(last_line)
    trailing = last_line[m.end(1):].strip() if m else ""
    dangling = m is not None and m.group(1).lower() in _DANGLING_WORDS and trailing in ("", ",", ":")
    # a hyphen right after a letter is a word cut in two; after a space it is a literal ("replace with -")
    # a description that announces more (":" or "=") and then stops
    announces = spec is not None and stripped.endswith((":", "=")) and not _FIELD_MARKER.search(stripped)
    cut_mid_word = (announces or stripped.endswith(("(", ",")) or re.search(r"[A-Za-z][-—]$", stripped) is not None
                    or stripped.endswith("...") and len(stripped.split()) < TRAILING_ELLIPSIS_WORDS)
    if not (dangling or cut_mid_word):
        return []
    start = base + prose.rfind(last_line)
    return [finding_at(text, "XY116", f"the request stops mid-sentence ('…{last_line[-40:]}'): the part that says "
                       "what to do is missing", start, start + len(last_line),
                       question="The request seems cut off: how does the sentence end, and what should the result be?")]


def missing_io(text: str, spec: FunctionSpec | None) -> list[Finding]:
    out: list[Finding] = []
    if spec is not None:  # a function's contract is contract.py's business
        return out
    m = _PROCESS_WITHOUT_OUTPUT.search(text)
    if m and not _RETURN_WORDS.search(text[m.end():]):
        out.append(finding_at(text, "XY117", "the request says what to process but not what should come out",
                              m.start(), m.end(), question="What should it produce: a return value (which type), a file, "
                                                           "a side effect?"))
    return out


def detect(text: str, spec: FunctionSpec | None) -> list[Finding]:
    scope = (spec.doc_start, spec.doc_end) if spec is not None else (0, len(text))
    referents = undefined_referents(text, scope, spec)
    # the referents undefined_referents reported (at most its cap): their words are not vague wording too
    taken = [(m.start(), m.end()) for m in islice(_VAGUE_REFERENT.finditer(text, *scope), MAX_FINDINGS_PER_CHECK)]
    findings = referents + vague_wording(text, scope, taken)
    findings += placeholder_names(text, spec)
    findings += contradictions(text)
    findings += truncation(text, spec)
    findings += missing_io(text, spec)
    return findings
