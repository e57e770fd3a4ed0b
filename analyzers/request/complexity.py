"""A rough size of the task: simple, moderate or complex. It gates how readily a question is asked."""

from __future__ import annotations

import re

from .spec import FunctionSpec

_I = re.IGNORECASE
_BIG = re.compile(r"\b(?:architecture|redesign|migrat\w+|rewrite|refactor\w*|across|every|all (?:the )?(?:files|modules|services)|"
                  r"system|pipeline|framework|service|database|schema|deploy\w*|authentication|concurren\w+|distributed|"
                  r"performance|scal\w+|backward[s]? compatib\w+|api)\b", _I)
_STEPS = re.compile(r"(?m)^\s*(?:\d+[.)]|[-*•])\s+|\b(?:then|also|and then|after that|additionally|as well as)\b", _I)


def estimate(text: str, spec: FunctionSpec | None) -> str:
    words = len(text.split())
    if spec is not None:
        # a single function to write: size follows how much behaviour the description spells out
        return "simple" if len(spec.description.split()) < 40 and len(spec.params) <= 2 else "moderate"
    big = len(_BIG.findall(text))
    steps = len(_STEPS.findall(text))
    if words > 120 or big >= 3 or steps >= 4:
        return "complex"
    if words > 25 or big >= 1 or steps >= 2:
        return "moderate"
    return "simple"
