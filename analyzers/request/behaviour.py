"""Whether a function spec says what the function must do (XY117).

The prose may only set the scene ("You are given a list of integers.",
"Write a function that takes an array as input.") or be missing, leaving
the examples as the whole specification: a rule inferred from a few
input/output pairs is a guess, so the spec is missing its output statement.
"""

from __future__ import annotations

import re

from xyguard.analyzers.findings import Finding

from ..text.spans import finding_at
from .spec import FunctionSpec

_I = re.IGNORECASE
_SENTENCES = re.compile(r"[^.!?\n]+(?:[.!?]+|\n|$)")
# Sentences that only introduce the inputs or the task, and say nothing about the result.
_SETUP = re.compile(
    r"^\W*(?:task|examples?|for example|note|notes|restrictions?|constraints?|hint)\W*$|"
    r"^\W*(?:you\s+(?:are|will\s+be)\s+given|given|(?:this|the)\s+function\s+(?:will\s+)?(?:takes?|receives?|accepts?|gets?)|"
    r"(?:write|create|implement)\s+(?:a|the)\s+function\s+(?:which|that)\s+(?:takes?|receives?|accepts?)(?:\s+\w+){0,6}?\s+as\s+(?:an?\s+)?(?:input|argument|parameter)s?\s*\W*$|"
    r"the\s+input\s+is|input\s*:)", _I)
# Words that state something about the result or the rule that produces it.
_BEHAVIOUR = re.compile(
    r"\b(?:return|returns|returned|output|outputs|result|results|yield|yields|print|prints|produce|produces|"
    r"compute|computes|calculate|calculates|count|counts|find|finds|determine|determines|decide|check|checks|"
    r"convert|converts|sort|sorts|sorted|order|filter|filters|remove|removes|replace|replaces|reverse|encode|decode|"
    r"concatenate|split|merge|insert|add|adds|subtract|multiply|divide|round|rounds|shift|rotate|translate|"
    r"generate|generates|build|builds|create|creates|make|makes|transform|map|sum|product|average|mean|"
    r"maximum|minimum|largest|smallest|true|false|equal|equals|should\s+be|is\s+defined|defined\s+as|means|how\s+many|"
    r"flip|flips|swap|swaps|change|changes|modify|modifies|keep|keeps|capitali[sz]e|strip|trim|extract|extracts|select|"
    r"selects|pick|choose|evaluate|evaluates|solve|solves|parse|parses|format|formats|match|matches|compare|compares|"
    r"group|groups|separate|arrange|rearrange|double|square|increment|decrement|truncate|pad|fill)\b", _I)


def _prose_sentences(description: str) -> list[str]:
    return [" ".join(m.group(0).split()) for m in _SENTENCES.finditer(description) if m.group(0).strip()]


def examples_only(text: str, spec: FunctionSpec | None) -> list[Finding]:
    """XY117: the examples are the whole specification; no sentence says what the result is."""
    if spec is None or not spec.examples:
        return []
    for sentence in _prose_sentences(spec.description):
        setup = _SETUP.search(sentence)
        if setup:
            # "Given a string, count ...": what follows the setup words may still state the behaviour
            sentence = sentence[setup.end():]
        if _BEHAVIOUR.search(sentence):
            return []
    evidence = " ".join(spec.description.split())[:160] or f"{spec.name}: examples only"
    return [finding_at(text, "XY117", "the description never says what the function computes: only the examples "
                       "show it, and several rules fit a few examples", spec.def_start, spec.def_end, evidence=evidence,
                       question=f"In one sentence, what should {spec.name} compute from its input? The examples "
                                "alone fit more than one rule.")]


def detect(text: str, spec: FunctionSpec | None) -> list[Finding]:
    return examples_only(text, spec)
