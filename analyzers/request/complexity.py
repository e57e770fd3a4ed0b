"""A rough size of the task: simple, moderate or complex. It gates how readily a question is asked."""

from __future__ import annotations

import re

from .spec import FunctionSpec

_I = re.IGNORECASE
_BIG = re.compile(r"\b(?:architecture|redesign|migrat\w+|rewrite|refactor\w*|across|every|all (?:the )?(?:files|modules|services)|"
                  r"system|pipeline|framework|service|database|schema|deploy\w*|authentication|concurren\w+|distributed|"
                  r"performance|scal\w+|backward[s]? compatib\w+|api)\b", _I)
_STEPS = re.compile(r"(?m)^\s*(?:\d+[.)]|[-*•])\s+|\b(?:then|also|and then|after that|additionally|as well as)\b", _I)

# How much a request spells out before it counts as moderate or complex work (the question is asked only for
# work worth a question): words, large actions (rewrite, migrate, redesign), and sequenced steps.
SIMPLE_SPEC_WORDS, SIMPLE_SPEC_PARAMS = 40, 2
MODERATE_WORDS, MODERATE_STEPS = 25, 2
COMPLEX_WORDS, COMPLEX_BIG_ACTIONS, COMPLEX_STEPS = 120, 3, 4


def estimate(text: str, spec: FunctionSpec | None) -> str:
    words = len(text.split())
    if spec is not None:
        # a single function to write: size follows how much behaviour the description spells out
        return "simple" if len(spec.description.split()) < SIMPLE_SPEC_WORDS and len(spec.params) <= SIMPLE_SPEC_PARAMS \
            else "moderate"
    big = len(_BIG.findall(text))
    steps = len(_STEPS.findall(text))
    if words > COMPLEX_WORDS or big >= COMPLEX_BIG_ACTIONS or steps >= COMPLEX_STEPS:
        return "complex"
    if words > MODERATE_WORDS or big >= 1 or steps >= MODERATE_STEPS:
        return "moderate"
    return "simple"
