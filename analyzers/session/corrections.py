"""Correction traces: where, in real conversations, the user had to correct the assistant, and why.

Input: JSON Lines, one conversation per line:

    {"id": "conv-1", "turns": [{"role": "user", "content": "..."}, {"role": "assistant", "content": "..."}, ...]}

(`messages` is accepted for `turns`; roles other than user/assistant are
ignored.) A user turn that follows an assistant turn and pushes back on it
("that's not what I asked", "no, I meant", "you changed X", "I said ...",
"why did you ...", "revert that") is a correction. Each correction is
put in one failure type — intent (an XY miss), scope, constraint violated,
factual, format — by the cues it contains; the summary counts them and
keeps a few examples of each. This is the production error analysis that
shows where the intent gap is.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any, Iterable

from ..text.spans import clip

FAILURE_TYPES = ("intent", "scope", "constraint", "factual", "format")
LABELS = {"intent": "intent / XY (solved a different problem)", "scope": "scope (did more or other than asked)",
          "constraint": "constraint violated", "factual": "factual (wrong or made-up facts)",
          "format": "format (right content, wrong shape)", "other": "other correction"}
MAX_EXAMPLES = 3
MAX_LINE_BYTES = 2 * 1024 * 1024

# Pushback: the turn corrects what the assistant just did.
_CORRECTION = re.compile(r"""
    \b(?:that'?s|that is|this is|it'?s|it is)\s+not\s+what\s+i\s+(?:asked|meant|wanted|said|need)
  | \bnot\s+what\s+i\s+(?:asked|meant|wanted)
  | ^\W*no\b[,.!]?\s+(?:i\s+(?:meant|said|asked|wanted)|that'?s|the\b|it\b|not\b|you\b|don'?t|please|i\b)
  | \bi\s+(?:meant|said|asked\s+(?:for|you)|told\s+you|wanted|didn'?t\s+(?:ask|want|say))\b
  | \byou\s+(?:changed|modified|removed|deleted|broke|added|rewrote|renamed|touched|ignored|forgot|missed|
              misunderstood|used|introduced|dropped|skipped|didn'?t|did\s+not)\b
  | \bwhy\s+did\s+you\b
  | \b(?:revert|undo|roll\s*back)\s+(?:that|this|it|those|these|the|your)\b
  | \bplease\s+don'?t\b | \b(?:stop|quit)\s+\w+ing\b
  | \b(?:wrong|incorrect|not\s+(?:right|correct|true))\b
  | \b(?:doesn'?t|does\s+not|didn'?t|won'?t|still\s+(?:doesn'?t|fails?|broken))\s+(?:work|compile|run|exist|help|fix)
  | \bthere\s+is\s+no\b | \bdoesn'?t\s+exist\b | \bno\s+such\b
  | \binstead\s+of\b.{0,40}\byou\b | \bactually,?\s+i\b
  | \bstill\s+(?:fails?|failing|broken|crash\w*|errors?|the\s+same)\b
  | \b(?:just|only)\s+(?:give\s+me\s+|show\s+me\s+)?(?:the\s+)?(?:code|diff|patch|answer|command)\b
  | \bno\s+(?:explanation|commentary|prose)\b | \btoo\s+(?:long|verbose)\b
""", re.IGNORECASE | re.VERBOSE | re.MULTILINE)

# Failure-type cues, strongest first within each type; the type with the best score wins.
_CUES: dict[str, list[tuple[re.Pattern, float]]] = {
    "constraint": [
        (re.compile(r"\bi\s+(?:said|told\s+you|asked\s+you)\s+(?:not\s+to|no\b|to\s+(?:keep|use|stay|avoid|only)|"
                    r"(?:we|it)\s+(?:can'?t|must|should|need))", re.I), 3.0),
        (re.compile(r"\b(?:new|another|extra|third[- ]party)\s+(?:dependenc\w+|librar\w+|packages?)\b|"
                    r"\byou\s+(?:added|introduced|used|pulled\s+in)\s+(?:a\s+|an\s+)?(?:dependenc\w+|librar\w+|package)", re.I), 2.5),
        (re.compile(r"\b(?:public\s+)?api\b|\bsignature\b|\bbackwards?[- ]compat\w*|\bbreaking\s+change", re.I), 1.5),
        (re.compile(r"\b(?:delet|remov|skip|disabl)\w*\s+(?:the\s+|a\s+|my\s+|our\s+)?tests?\b|\btests?\s+(?:were|was)\s+(?:deleted|removed)", re.I), 2.5),
        (re.compile(r"\b(?:in|use|using)\s+(?:python|typescript|javascript|rust|java|go|golang|ruby|c\+\+|kotlin)\b.{0,30}\bnot\b|"
                    r"\bnot\s+(?:in\s+)?(?:python|typescript|javascript|rust|java|golang|ruby|c\+\+|kotlin)\b", re.I), 2.0),
        (re.compile(r"\b(?:must|mustn'?t|never|not\s+allowed|requirement|constraint|we\s+can'?t\s+use|without)\b", re.I), 1.0),
    ],
    "scope": [
        (re.compile(r"\bi\s+(?:didn'?t|did\s+not|never)\s+ask(?:ed)?\s+(?:you\s+)?(?:to|for)\b|\bonly\s+asked\b|\bjust\s+asked\b", re.I), 3.0),
        (re.compile(r"\byou\s+(?:changed|modified|touched|rewrote|refactored|reformatted|renamed|edited|removed|deleted)\b", re.I), 2.0),
        (re.compile(r"\bwhy\s+did\s+you\s+(?:change|modify|touch|rewrite|refactor|reformat|rename|edit|remove|delete|add)\b", re.I), 2.0),
        (re.compile(r"\b(?:unrelated|leave\s+\w+(?:\s+\w+)?\s+alone|too\s+many\s+changes|only\s+(?:change|touch|fix)|"
                    r"(?:just|only)\s+the\b|out\s+of\s+scope|scope)\b", re.I), 1.5),
        (re.compile(r"\b(?:revert|undo|roll\s*back)\b", re.I), 1.0),
    ],
    "intent": [
        (re.compile(r"\bnot\s+what\s+i\s+(?:asked|meant|wanted|need)|\bno,?\s+i\s+meant\b|\bi\s+meant\b|"
                    r"\bmisunderst\w+|\bwrong\s+(?:problem|thing|function|file|one|question)", re.I), 3.0),
        (re.compile(r"\bwhat\s+i\s+(?:actually|really)\s+(?:want|need|meant)|\bmy\s+(?:real|actual)\s+(?:goal|problem|question)|"
                    r"\bthe\s+(?:real|actual)\s+(?:goal|problem|issue)|\bi\s+(?:was\s+)?(?:trying|want)\s+to\b", re.I), 2.0),
        (re.compile(r"\bi\s+(?:asked\s+(?:for|about)|wanted)\b|\binstead\b|\bactually\b", re.I), 1.0),
    ],
    "factual": [
        (re.compile(r"\b(?:doesn'?t|does\s+not)\s+exist\b|\bthere\s+is\s+no\b|\bno\s+such\b|\bmade\s+(?:that|it|this)\s+up|"
                    r"\bhallucinat\w+|\bnot\s+a\s+real\b", re.I), 3.0),
        (re.compile(r"\b(?:that'?s|that\s+is|this\s+is|it'?s)\s+(?:wrong|incorrect|not\s+(?:true|right|correct))\b|"
                    r"\bdeprecated\b|\bremoved\s+in\s+(?:version|v?\d)", re.I), 2.0),
        (re.compile(r"\b(?:doesn'?t|does\s+not|didn'?t|won'?t|still)\s+(?:work|compile|run|fails?|broken|pass)|"
                    r"\b(?:error|exception|traceback|typeerror|attributeerror|nameerror|importerror)\b", re.I), 1.5),
    ],
    "format": [
        (re.compile(r"\b(?:as|in)\s+(?:a\s+)?(?:json|yaml|csv|table|diff|patch|markdown|bullet|list|code\s+block)\b|"
                    r"\b(?:too\s+(?:long|verbose|short)|shorter|more\s+concise|less\s+verbose)\b", re.I), 3.0),
        (re.compile(r"\b(?:just|only)\s+(?:the\s+)?(?:code|diff|answer|command)\b|\bno\s+(?:explanation|commentary|prose)\b|"
                    r"\b(?:format(?:ting)?|indentation|output\s+format|one\s+line|single\s+file|whole\s+file|full\s+file)\b", re.I), 2.0),
    ],
}
_PRIORITY = {t: i for i, t in enumerate(FAILURE_TYPES)}  # tie-break: intent before scope before constraint ...


@dataclass
class Correction:
    conversation: str
    turn: int  # index into the conversation's turns
    text: str
    failure: str
    cues: list[str] = field(default_factory=list)
    previous: str = ""  # the assistant turn being corrected

    def to_dict(self) -> dict[str, Any]:
        return {"conversation": self.conversation, "turn": self.turn, "failure": self.failure,
                "text": clip(self.text, 300), "cues": self.cues, "assistant_before": clip(self.previous, 200)}


def is_correction(text: str) -> bool:
    return bool(_CORRECTION.search(text))


def classify(text: str) -> tuple[str, list[str]]:
    """The failure type a correction points at, with the words that decided it."""
    best, best_score, best_cues = "other", 0.0, []
    for failure in FAILURE_TYPES:
        score, cues = 0.0, []
        for pattern, weight in _CUES[failure]:
            m = pattern.search(text)
            if m:
                score += weight
                cues.append(m.group(0).strip())
        if score > best_score or (score == best_score and score > 0 and _PRIORITY[failure] < _PRIORITY.get(best, 99)):
            best, best_score, best_cues = failure, score, cues
    return best, best_cues


def corrections_in(conv_id: str, turns: list[dict[str, Any]]) -> list[Correction]:
    out: list[Correction] = []
    previous = None
    for index, turn in enumerate(turns):
        role, content = turn.get("role"), turn.get("content")
        if isinstance(content, list):  # OpenAI-style content parts
            content = " ".join(p.get("text", "") for p in content if isinstance(p, dict))
        if not isinstance(content, str) or role not in ("user", "assistant"):
            continue
        if role == "assistant":
            previous = content
            continue
        if previous is not None and is_correction(content):
            failure, cues = classify(content)
            out.append(Correction(conv_id, index, content, failure, cues, previous))
        previous = None
    return out


@dataclass
class TraceSummary:
    conversations: int = 0
    user_turns: int = 0
    corrections: list[Correction] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)  # unreadable lines, with their line numbers

    def to_dict(self) -> dict[str, Any]:
        counts = {t: 0 for t in (*FAILURE_TYPES, "other")}
        examples: dict[str, list[dict[str, Any]]] = {t: [] for t in counts}
        for c in self.corrections:
            counts[c.failure] += 1
            if len(examples[c.failure]) < MAX_EXAMPLES:
                examples[c.failure].append(c.to_dict())
        corrected = len({c.conversation for c in self.corrections})
        return {
            "conversations": self.conversations,
            "user_turns": self.user_turns,
            "corrections": len(self.corrections),
            "conversations_with_corrections": corrected,
            "correction_rate": round(len(self.corrections) / self.user_turns, 4) if self.user_turns else 0.0,
            "by_failure": counts,
            "examples": {t: e for t, e in examples.items() if e},
            "errors": self.errors,
        }


def analyze_lines(lines: Iterable[str]) -> TraceSummary:
    summary = TraceSummary()
    for lineno, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            if len(line) > MAX_LINE_BYTES:
                raise ValueError("line too long")
            obj = json.loads(line)
            if not isinstance(obj, dict):
                raise ValueError("not a JSON object")
            turns = obj.get("turns", obj.get("messages"))
            if not isinstance(turns, list) or not all(isinstance(t, dict) for t in turns):
                raise ValueError("'turns' must be a list of {role, content} objects")
        except ValueError as exc:
            msg = exc.msg if isinstance(exc, json.JSONDecodeError) else str(exc)
            summary.errors.append(f"line {lineno}: {msg}")
            continue
        conv_id = str(obj.get("id", f"line-{lineno}"))
        summary.conversations += 1
        summary.user_turns += sum(1 for t in turns if t.get("role") == "user")
        summary.corrections += corrections_in(conv_id, turns)
    return summary
