"""Whether a function's own specification says what the function must do (XY117).

A docstring is the contract when one of its sentences states behaviour: what is returned, computed, changed
or raised ("Return the path of the user's cache folder.", "Opens the archive for reading."). Examples are evidence
for the contract, not a requirement: a stub whose prose states its behaviour needs no example, and a stub
whose prose only sets the scene ("The input is a list of paths.") leaves the rule to be guessed, from
the examples when there are some. Sentences that say nothing about the result do not count:

- the result named only by its type ("Return an integer.");
- an operation that needs a criterion and has none ("Filter the values.", "Check the list.");
- a single word ("Concatenate").
"""

from __future__ import annotations

import re

from xyguard.analyzers.findings import Finding

from ..text.spans import finding_at
from .spec import FunctionSpec

_I = re.IGNORECASE
SENTENCES = re.compile(r"[^.!?\n]+(?:[.!?]+|\n|$)")
# Sentences, or their openings, that only introduce the inputs or the task.
_SETUP = re.compile(
    r"^\W*(?:task|examples?|for example|note|notes|restrictions?|constraints?|hint|args|arguments|parameters|params)\W*$|"
    r"^\W*(?:you\s+(?:are|will\s+be)\s+given|given|(?:this|the)\s+function\s+(?:will\s+)?(?:takes?|receives?|accepts?|gets?)|"
    r"(?:write|create|implement)\s+(?:a|the)\s+function\s+(?:which|that)\s+(?:takes?|receives?|accepts?)(?:\s+\w+){0,6}?\s+as\s+(?:an?\s+)?(?:input|argument|parameter)s?\s*\W*$|"
    r"(?:write|create|implement|complete)\s+(?:a|the)\s+function\s+(?:which|that)\s+(?:takes?|receives?|accepts?|gets?)\b|"
    r"(?:the\s+)?inputs?(?:\s+to\s+(?:this|the)\s+function)?\s+(?:is|are)\b|input\s*:|takes\s+as\s+input|"
    r"in\s+this\s+(?:task|problem|kata|exercise)\b)", _I)
# How a sentence that is not an instruction starts: a description of the world, not of the function's job.
_NOT_A_VERB = frozenset("""the a an this that these those there it its in on at for if when while each every you we i
our your my his her their input inputs given note notes as one some all any no many most""".split())
# Words that state something about the result or the rule that produces it.
_BEHAVIOUR = re.compile(
    r"\b(?:return|returns|returned|output|outputs|result|results|yield|yields|print|prints|produce|produces|"
    r"compute|computes|calculate|calculates|count|counts|find|finds|determine|determines|decide|decides|check|checks|"
    r"convert|converts|sort|sorts|sorted|order|filter|filters|remove|removes|replace|replaces|reverse|reverses|"
    r"encode|encodes|decode|decodes|concatenate|split|splits|merge|merges|insert|inserts|add|adds|subtract|multiply|"
    r"divide|round|rounds|shift|shifts|rotate|rotates|translate|generate|generates|build|builds|create|creates|make|"
    r"makes|transform|transforms|map|maps|sum|product|average|mean|maximum|minimum|largest|smallest|true|false|equal|"
    r"equals|should\s+be|is\s+defined|defined\s+as|(?:is|are)\s+considered|means|how\s+many|flip|flips|swap|swaps|change|changes|modify|"
    r"modifies|keep|keeps|capitali[sz]e|strip|strips|trim|extract|extracts|select|selects|pick|choose|evaluate|"
    r"evaluates|solve|solves|parse|parses|format|formats|match|matches|compare|compares|group|groups|separate|"
    r"arrange|rearrange|double|square|increment|decrement|truncate|pad|fill|raise|raises|open|opens|close|closes|"
    r"write|writes|read|reads|load|loads|save|saves|set|sets|get|gets|register|registers|call|calls|invoke|invokes|"
    r"wrap|wraps|apply|applies|resolve|resolves|show|shows|display|displays|prompt|prompts|echo|echoes|emit|emits|"
    r"send|sends|store|stores|update|updates|validate|validates|handle|handles|construct|constructs|test|tests|"
    r"iterate|iterates|collect|collects|clear|clears|reset|resets|start|starts|stop|stops|run|runs|exit|exits)\b", _I)
# A third-person verb opening a docstring sentence: "Prompts a user ...", "Creates the context ...".
_THIRD_PERSON = re.compile(r"^\W*[A-Z][a-z]{2,}(?:s|es)\s+(?:a|an|the|this|that|these|those|all|every|each|its|their|"
                           r"one|whether|if|how|what|which|true|false|none|it|them|to|from|on|in|into|with|for)\b")
_TYPE_NOUN = (r"(?:integer|int|number|string|str|list|value|boolean|bool|float|tuple|dict|dictionary|array|result|"
              r"object|answer)")
# "Return an integer.", "output a list": the result is named only by its type.
_TYPE_ONLY = re.compile(r"\b(?:return|returns|output|outputs|produce|produces|give|gives)\s+(?:back\s+)?(?:a|an|one|some)\s+"
                        + _TYPE_NOUN + r"\s*[.!]?\s*$", _I)
# Operations that mean nothing without a criterion: "Filter the list.", "Check the values."
_NEEDS_CRITERION = re.compile(r"^\W*(?:check|checks|filter|filters|validate|validates|process|processes|handle|"
                              r"handles|test|tests)\b", _I)
_CRITERION = re.compile(r"\b(?:if|whether|that|which|who|for|by|to|so|where|when|only|keep|keeping|containing|with|"
                        r"without|against|than|is|are|has|have)\b", _I)


MIN_UNLISTED_WORDS = 6  # a plain sentence this long, not setup, is taken to state behaviour


_ASKING_VERB = re.compile(r"\b(?:return|returns|output|outputs|compute|computes|calculate|calculates|find|finds|"
                          r"determine|determines|count|counts|check|checks|convert|converts|decide|decides|should|must|"
                          r"sort|sorts|remove|removes|replace|replaces|print|prints|produce|produces|generate|generates)\b",
                          _I)
_RESULT_NOUN_PHRASE = re.compile(r"^\W*(?:the|a|an)\s+\w+", _I)
_FINITE_VERB = re.compile(r"\b(?:is|are|was|were|has|have|had|will|would|can|could|should|must|does|do|did|may|might)\b", _I)
_SUBORDINATE = re.compile(r"\b(?:where|which|that|who|whose|when|if|because|while)\b", _I)
MAX_NOUN_PHRASE_WORDS = 12
_RELATIVE_OPENING = re.compile(r"^\W*(?:that|which)\s+", _I)


def sentences(description: str) -> list[str]:
    return [" ".join(m.group(0).split()) for m in SENTENCES.finditer(description) if m.group(0).strip()]


def _states_behaviour(sentence: str) -> bool:
    setup = _SETUP.search(sentence)
    if setup:  # "Given a string, count ...": what follows the setup words may still state the behaviour
        sentence = sentence[setup.end():]
        # ... but only with a verb that asks for something: the rest of a setup sentence describes the input,
        # where words like "groups" or "order" are nouns
        return bool(_ASKING_VERB.search(sentence)) and not _TYPE_ONLY.search(sentence)
    sentence = _RELATIVE_OPENING.sub("", sentence)  # "`clamp(x)` that limits x ...": the clause is the description
    words = re.findall(r"[A-Za-z]+", sentence)
    if len(words) < 2 or _TYPE_ONLY.search(sentence):
        return False
    if _NEEDS_CRITERION.match(sentence) and not _CRITERION.search(sentence):
        return False
    if _BEHAVIOUR.search(sentence) or _THIRD_PERSON.match(sentence):
        return True
    main_clause = _SUBORDINATE.split(sentence, 1)[0]  # "The folder where wheels are kept": "are" is the clause's
    if _RESULT_NOUN_PHRASE.match(sentence) and not _FINITE_VERB.search(main_clause) and len(words) <= MAX_NOUN_PHRASE_WORDS:
        return True  # "The computed command path.": a property's docstring names what it gives
    # a sentence of some length that opens like an instruction ("Pass the object on ...") states behaviour the
    # verb list does not know; one that opens like a description of the world ("There are eight ...") does not
    return setup is None and len(words) >= MIN_UNLISTED_WORDS and words[0].lower() not in _NOT_A_VERB


def behaviour_sentences(description: str) -> list[str]:
    """The sentences of a description that say what the function does."""
    return [s for s in sentences(description) if _states_behaviour(s)]


def states_contract(spec: FunctionSpec) -> bool:
    return bool(behaviour_sentences(spec.description))


def missing_contract(text: str, spec: FunctionSpec | None) -> list[Finding]:
    """XY117 when no sentence of the function's own description says what it does."""
    if spec is None or states_contract(spec):
        return []
    evidence = " ".join(spec.description.split())[:160] or spec.name
    if spec.shows_examples:
        return [finding_at(text, "XY117", "the description never says what the function computes: only the examples "
                           "show it, and several rules fit a few examples", spec.def_start, spec.def_end,
                           evidence=evidence,
                           question=f"In one sentence, what should {spec.name} compute from its input? The examples "
                                    "alone fit more than one rule.")]
    return [finding_at(text, "XY117", "the specification says neither what the function returns nor what it does, and "
                       "shows no example", spec.def_start, spec.def_end, evidence=evidence,
                       question=f"What should {spec.name} return? One input with its expected output would settle it.")]


def detect(text: str, spec: FunctionSpec | None) -> list[Finding]:
    return missing_contract(text, spec)
