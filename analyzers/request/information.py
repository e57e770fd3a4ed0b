"""What a request says and what it leaves out, for the kind of request it is (XY110).

Each kind needs its own pieces of information before an assistant can act without guessing:

- bug: the target (which code), what is observed (error, traceback, wrong output), a reproduction (input,
  steps, code, or the condition it happens under), and the expected behaviour (implied when the
  observation is a crash or an error);
- performance: the target (which operation) and a measure (how it is measured, what is fast enough);
- refactor: the target (which part) and what should be better afterwards;
- change: the target and what done looks like;
- question: when it is about an error, the error itself;
- function: the contract (contract.py decides: XY117) and the signature; examples are evidence.

A question is asked only when a piece the kind cannot do without is missing and cannot be recovered: a
target the repository resolves is present, and the session's goals can supply a missing target (see
analyze.build_report). The one question names the most valuable missing piece, with options where there
are natural ones. `assess` returns the pieces found and missing, for the report, and the finding, if any.
"""

from __future__ import annotations

import re
from collections.abc import Container
from dataclasses import dataclass, field
from typing import Any

from xyguard.analyzers.findings import Finding

from ..text.identifiers import CODE_NAME, FILE_MENTION
from ..text.spans import finding_at
from . import contract
from .kinds import FAILURE
from .spec import FunctionSpec

_I = re.IGNORECASE
MISSING_TARGET = "target"  # the piece a session's goals can supply (build_report drops the finding then)

# Words that name no particular part of a project: "make the app faster", "improve the code".
_GENERIC = frozenset("""app apps application applications code codebase project program programs system systems site
website service services thing things stuff everything something it this that these those them everything whole
performance speed quality overall general our my your their its the a an of in on for to and or with all some any
more less much better faster quicker cleaner nicer simpler easier smaller lighter good great fast quick wrong broken
again issue issues problem problems bug bugs error errors crash crashes failing fails failure weird strange odd""".split())
# Request verbs and fillers: they say what to do, not to what.
_VERBS = frozenset("""make makes making add adds adding improve improves improving fix fixes fixing clean cleanup cleans
tidy refactor refactoring optimise optimize optimising optimizing speed up reduce increase change update updates
updating rework redo polish enhance implement support allow please can could would you should we need want let get
do does done use using be is are was were have has having caching cache cached caches rewrite rework restructure
simplify handle handles work works working run runs running just really also again now here there so very bit lot
little""".split())
_PRONOUN_ONLY = re.compile(r"^\W*(?:please\s+)?(?:can\s+you\s+|could\s+you\s+)?\w+(?:\s+up)?\s+(?:it|this|that|them)\b", _I)

_ERROR_DETAIL = re.compile(
    r"\b\w+(?:Error|Exception|Warning)\b|\btraceback\b|\bstack\s*trace\b|\bsegfault|\bexit\s+(?:code|status)\b|"
    r"[\"'“][^\"'”\n]{8,200}[\"'”]|\b(?:raises?|raised|throws?|returns?|returned|prints?|printed|shows?|showed|"
    r"outputs?|gives?|gave|got|getting|produces?|crash(?:es|ed)?|hangs?|hung|freezes?|times?\s+out|"
    r"fail(?:s|ed)?\s+(?:with|to|on|when|due\s+to|because)|"
    r"instead\s+of|is\s+(?:empty|missing|none|null|ignored|lost|dropped|truncated)|are\s+(?:missing|ignored|lost|dropped))\b",
    _I)
# Observations whose correction goes without saying: it should not crash, hang, leak, raise; it should work.
_IMPLIED_EXPECTATION = re.compile(r"\b(?:\w+Error|\w+Exception|traceback|crash(?:es|ed|ing)?|segfaults?|hangs?|freezes?|"
                                  r"fail(?:s|ed|ing)?\s+(?:due\s+to|because)|"
                                  r"times?\s+out|deadlock\w*|leaks?|raises?|doesn'?t\s+work|does\s+not\s+work|"
                                  r"not\s+working|no\s+longer\s+works?|stopped\s+working|is\s+broken|breaks)\b", _I)
EXPECTED = re.compile(
    r"\b(?:expected|expect(?:s|ing)?|should|shouldn'?t|instead|rather\s+than|intended|desired|correct(?:ly)?\s+"
    r"(?:behaviou?r|result|output)|ought\s+to|want(?:s|ed)?\s+(?:it\s+)?to|would\s+like|supposed\s+to|must|needs?\s+to|"
    r"to\s+(?:match|be|return|raise|handle|accept|reject|support|allow)|consistent\s+with|as\s+(?:it|they)\s+(?:does|do|did)|"
    r"so\s+that|in\s+order\s+to|like\s+(?:the|it)|same\s+as)\b", _I)
_REPRODUCTION = re.compile(
    r"```|^\s{4,}\S|>>>|\$\s+\w|\bsteps?\s+to\s+reproduce\b|\breproduc\w+|^\s*\d+[.)]\s|\bminimal\s+example\b|"
    r"\b(?:when|whenever|if|after|while|once|given)\s+\w+|\b(?:bug|issue|case|problem|regression)\s+where\s+\w+|"
    r"\b(?:with|for|on)\s+(?:an?\s+)?(?:empty|no|none|null|zero|negative|unicode|non-ascii|\d|[`'\"])|"
    r"\be\.g\.|\bfor\s+(?:example|instance)\b|`[^`\n]*\([^`\n]*\)[^`\n]*`",
    _I | re.MULTILINE)
_MEASURE = re.compile(
    r"\b\d+(?:\.\d+)?\s*(?:ms|milliseconds?|s|sec(?:ond)?s?|minutes?|mins?|hours?|%|x|times|mb|gb|kb|bytes|"
    r"requests?(?:/s|\s+per\s+second)|rps|qps|ops)\b|\bp(?:50|90|95|99)\b|\bbenchmark\w*|\bprofil\w+|\bflame\s*graph|"
    r"\b(?:under|below|within|at\s+most|less\s+than|from\s+\d)\b[^.\n]{0,30}\d|\bbig-?o\b|\bo\([^)]{1,12}\)|"
    r"\b(?:quadratic|linear|exponential)\b", _I)
_CONSTRAINT = re.compile(r"\b(?:don'?t|do\s+not|never|must(?:n'?t|\s+not)?|keep|without|only|avoid|no\s+new|should\s+not|"
                         r"shouldn'?t|preserve|make\s+sure|ensure|backward[s]?\s+compatib\w+)\b", _I)
_ACCEPTANCE = re.compile(r"\btests?\b|\bassert|\bdone\s+when\b|\bacceptance\b|\bexample\b", _I)
_VAGUE_VERB = re.compile(r"^\W*(?:please\s+)?(?:can\s+you\s+|could\s+you\s+)?(?:improve|optimi[sz]e|clean\s*up|tidy(?:\s+up)?|"
                         r"refactor|enhance|rework|redo|polish|speed\s+up|make\s+(?:\w+\s+){0,3}?(?:better|faster|nicer|"
                         r"cleaner|quicker|simpler|more\s+\w+)|add\s+caching|cache)\b", _I)
# What a bare vague verb lacks: "improve the parser" says nothing of how; "... so that it accepts X" does.
_CRITERIA = re.compile(r"\d|\bso\s+that\b|\bshould\b|\bmust\b|\bexpected\b|\binstead\b|\bwhen\b|\bbecause\b|"
                       r"\bfrom\b.*\bto\b|\bby\b|\bbelow\b|\babove\b|\bunder\b|\bfor\b|\bwith\b|\busing\b|\bto\s+\w+|`", _I)
MAX_BARE_ASK_WORDS = 12  # a longer request says more than its verb
# Text meant for people to read: whether it got better is judged by reading it, not by a measure.
_PROSE_TARGET = re.compile(r"\b(?:docs?|documentation|docstrings?|readme|changelog|comments?|messages?|wording|"
                           r"typos?|spelling|grammar|examples?|tutorial|guide)\b", _I)
# A reference to an issue or pull request: the report it points to holds what the text leaves out.
_ISSUE_REFERENCE = re.compile(r"(?<![\w&])#\d{1,7}\b|\bGH-\d+\b|/(?:issues|pull|merge_requests)/\d+|"
                              r"\b(?:issue|bug|ticket)\s+#?\d+\b", _I)
# Anything concrete in a report: code, an error, a literal, a version.
_CONCRETE = re.compile(r"```|`[^`\n]+`|^\s{4,}\S|>>>|Traceback|\b\w+(?:Error|Exception|Warning)\b|"
                       r"[\"'][^\"'\n]{2,80}[\"']|\b\d+(?:\.\d+)+\b|\$ \w|https?://", re.MULTILINE)
MIN_TERM_CHARS = 4  # shorter words name too many things in a repository to count as naming one
_ABOUT_AN_ERROR = re.compile(r"\b(?:this|that|the|an?|my)\s+(?:error|exception|warning|issue|problem|bug|crash)\b", _I)


@dataclass
class Information:
    kind: str
    present: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "present": self.present, "missing": self.missing}

# A request this short that opens with "it" / "this" has nothing else to name its subject with.
SHORT_REQUEST_WORDS = 25
MISSING_PIECE_SPAN = 200  # characters underlined for "this request lacks ...": the opening, not the whole text


def _content_words(prose: str) -> list[str]:
    return [w for w in re.findall(r"[a-z][a-z'-]{2,}", prose.lower()) if w not in _GENERIC and w not in _VERBS]


def target(prose: str, resolved: list[str]) -> str | None:
    """How the request names what it is about, or None when it names nothing in particular."""
    if resolved:
        return "target (in the repository: " + ", ".join(resolved[:3]) + ")"
    names = [next(g for g in m.groups() if g) for m in CODE_NAME.finditer(prose)]
    names += [m.group("path") for m in FILE_MENTION.finditer(prose)]
    if names:
        return "target (" + ", ".join(dict.fromkeys(names[:3])) + ")"
    if _PRONOUN_ONLY.match(prose) and len(prose.split()) < SHORT_REQUEST_WORDS:
        return None
    words = _content_words(prose)
    return f"target ({' '.join(words[:4])})" if words else None


def _ask(text: str, kind: str, piece: str, message: str, question: str) -> Finding:
    end = min(len(text.rstrip()), MISSING_PIECE_SPAN)
    return finding_at(text, "XY110", message, 0, end, question=question,
                      related=[{"kind": "missing", "piece": piece, "request_kind": kind}])


def concrete(text: str, prose: str, resolved: list[str], vocabulary: Container[str] | None) -> bool:
    """Whether the report shows anything concrete: code, a name written as code, an error, a literal, a version, a
    file, or, with a repository, words that name its code. An abstract description can be read several ways."""
    if resolved or _CONCRETE.search(text) or CODE_NAME.search(prose) or FILE_MENTION.search(prose):
        return True
    return vocabulary is not None and bool(vocabulary) and any(
        w in vocabulary for w in _content_words(prose) if len(w) >= MIN_TERM_CHARS)


def assess(text: str, prose: str, kind: str, spec: FunctionSpec | None, resolved: list[str],
           vocabulary: Container[str] | None = None) -> Information:
    """`prose`: the request with quoted code masked; `resolved`: code names the repository resolves;
    `vocabulary`: the words of the repository's names, when there is a repository."""
    info = Information(kind)
    if kind == "function":
        return _function(info, spec)
    found = target(prose, resolved)
    has = {
        "target": found is not None,
        "observed behaviour": bool(_ERROR_DETAIL.search(text)),
        "expected behaviour": bool(EXPECTED.search(prose)),
        "reproduction": bool(_REPRODUCTION.search(text)),
        "measure": bool(_MEASURE.search(prose)),
        "constraints": bool(_CONSTRAINT.search(prose)),
    }
    implied = bool(_IMPLIED_EXPECTATION.search(text))
    reference = _ISSUE_REFERENCE.search(prose)
    if reference:  # what the report leaves out is in the issue it cites
        for piece in ("observed behaviour", "reproduction", "expected behaviour"):
            if not has[piece]:
                has[piece] = True
                info.present.append(f"{piece} (in {reference.group(0).strip('/')})")
    needed = {
        "bug": ["target", "observed behaviour", "reproduction", "expected behaviour"],
        "performance": ["target", "measure"],
        "refactor": ["target"],
        "change": ["target", "expected behaviour"],
        "question": ["observed behaviour"] if _ABOUT_AN_ERROR.search(prose) else [],
        "operations": ["target"],
    }[kind]
    for piece in ("target", "observed behaviour", "reproduction", "expected behaviour", "measure", "constraints"):
        if has[piece] and any(p.startswith(piece + " (in ") for p in info.present):
            continue
        if has[piece]:
            info.present.append(found if piece == "target" and found is not None else piece)
        elif piece == "expected behaviour" and kind == "bug" and implied:
            info.present.append("expected behaviour (implied: no error)")
        elif piece in needed:
            info.missing.append(piece)
    has["concrete"] = concrete(text, prose, resolved, vocabulary)
    finding = _decide(text, prose, kind, info, has, implied)
    if finding is not None:
        info.findings.append(finding)
        asked_for = finding.related[0]["piece"]
        if asked_for not in info.missing:  # the block says why the question is asked
            info.missing.append(asked_for)
    return info


def _decide(text: str, prose: str, kind: str, info: Information, has: dict[str, bool], implied: bool) -> Finding | None:
    """The one gap worth a question, by kind; None when the request can be acted on."""
    short = " ".join(prose.split())[:60]
    vague = _VAGUE_VERB.match(prose)
    if vague and len(prose.split()) <= MAX_BARE_ASK_WORDS and not _CRITERIA.search(prose[vague.end():]) \
            and not _PROSE_TARGET.search(prose[vague.end():]):
        # a goal with no measure: "make the app faster", "add caching", "clean up", "improve the parser"
        if not has["target"]:
            return _ask(text, kind, "target", f"'{short}' names neither what to change nor how to tell it is better",
                        f"'{' '.join(vague.group(0).split())}': which part should change, and how will you tell it is "
                        "better (a number to reach, a behaviour, a test that should pass)?")
        return _ask(text, kind, "acceptance", f"'{short}' says what to touch, not what 'done' looks like",
                    f"What should be better after '{vague.group(0).strip()}': which behaviour, and measured how?")
    if kind == "bug":
        if not has["observed behaviour"] and not FAILURE.search(prose):
            return None
        if not has["concrete"]:
            return _ask(text, kind, "reproduction", "the report describes the problem only in general words: no code, "
                        "error, input or name to reproduce it with",
                        "Can you show it: the code or input that triggers it, the output or error you get, and "
                        "which function or file it happens in?")
        if not has["target"] and not has["reproduction"]:
            return _ask(text, kind, "target", "the report says something goes wrong but neither where (which code) nor "
                        "how to see it (input, steps or code)",
                        "Where does it go wrong: which function, command or file, and what input or steps show it?")
        if not has["observed behaviour"] and not has["reproduction"]:  # a reproduction shows what happens
            return _ask(text, kind, "observed behaviour", "the report names a problem but not what actually happens",
                        "What happens exactly: an error (which message or traceback), a wrong result (which one), or "
                        "a hang?")
        if not has["expected behaviour"] and not implied and not has["reproduction"]:
            return _ask(text, kind, "expected behaviour", "the report describes a wrong behaviour but not what the "
                        "correct one is, nor how to reproduce it",
                        "What should happen instead, and with which input does it go wrong?")
        return None
    if kind == "performance" and not has["measure"] and not has["target"]:
        return _ask(text, kind, "target", f"'{short}' asks for speed without saying which operation or how it is "
                    "measured", f"'{short}': which operation is too slow (start-up, one request, a batch job, memory "
                    "use), how do you measure it, and what would be fast enough?")
    if kind == "refactor" and not has["target"]:
        return _ask(text, kind, "target", f"'{short}' does not say which part of the code, or what should be better "
                    "afterwards", f"'{short}': which part of the code, and what should be better afterwards "
                    "(readability, duplication, testability, a smaller API)?")
    if kind == "change" and not has["target"] and _VAGUE_VERB.match(prose):
        return _ask(text, kind, "target", f"'{short}' says what to touch, not what 'done' looks like",
                    "What should change, and how will you know it is done (a behaviour, a test, a number)?")
    if kind == "question" and "observed behaviour" in info.missing:
        return _ask(text, kind, "observed behaviour", "the question is about an error it does not show",
                    "Which error exactly: can you paste the message or the traceback?")
    return None


def _function(info: Information, spec: FunctionSpec | None) -> Information:
    assert spec is not None
    info.present.append(f"signature ({spec.name}({', '.join(spec.params)}))")
    if contract.states_contract(spec):
        info.present.append("contract")
    else:
        info.missing.append("contract")
    if spec.shows_examples:
        info.present.append("examples")
    if spec.returns:
        info.present.append(f"return type ({spec.returns})")
    return info
