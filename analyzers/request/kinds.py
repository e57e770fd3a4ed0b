"""What kind of request a text is: it decides which information the request needs.

Kinds: `function` (implement a function: the request's own stub or a signature in prose), `question` (a
how-to question), `bug` (something fails or is wrong), `performance` (make something faster or lighter),
`refactor` (restructure without changing behaviour), `operations` (configuration, CI, deployment,
dependencies, tooling), `change` (add or change behaviour; the default). Read from the request's own words
(quoted code and tracebacks are evidence of a bug, not the ask).
"""

from __future__ import annotations

import re

from .spec import FunctionSpec

_I = re.IGNORECASE
KINDS = ("function", "question", "bug", "performance", "refactor", "operations", "change")

_QUESTION = re.compile(r"^\W*(?:how|what|why|which|where|when|is\s+there|are\s+there|can\s+(?:i|we|you)|could\s+(?:i|we)|"
                       r"should\s+(?:i|we)|do\s+(?:i|we|you)|does|is\s+it)\b[^?]{0,400}\?|\bhow\s+(?:do|can|should|would)\s+"
                       r"(?:i|we|one)\b", _I)
FAILURE = re.compile(
    r"\b(?:bug|error|errors|exception|traceback|crash(?:es|ed|ing)?|fails?|failing|failed|failure|broken|breaks|"
    r"wrong|incorrect(?:ly)?|regression|doesn'?t\s+work|does\s+not\s+work|not\s+working|no\s+longer\s+works?|"
    r"hangs?|hanging|freezes?|segfaults?|raises?|unexpected(?:ly)?|misbehav\w+|\w+Error\b|\w+Exception\b|"
    r"(?:an?|the|this)\s+(?:issue|problem)\s+(?:with|in|where|when|that)|discrepanc\w+|inconsisten\w+)"
    r"(?!\s+(?:messages?|handling|handlers?|reporting|codes?|pages?|types?|classes|hierarchy)\b)", _I)
_PERFORMANCE = re.compile(
    r"\b(?:faster|slow(?:er|ly|ness|s|ed)?|speed(?:\s*up|ed\s+up)?|perf(?:ormance|ormant)?|optimi[sz](?:e|ed|es|ing|ation)|"
    r"latency|throughput|memory\s+(?:usage|use|footprint|leak)|cach(?:e|es|ed|ing)|bottleneck|efficien(?:t|cy))\b", _I)
_REFACTOR = re.compile(
    r"\b(?:refactor\w*|clean\s*(?:up|s\s+up)|cleanup|tidy(?:\s+up)?|restructur\w+|reorganis\w+|reorganiz\w+|simplif\w+|"
    r"de-?duplicat\w+|readab\w+|maintainab\w+|rename[sd]?|extract\w*\s+(?:a\s+)?(?:helper|function|method|class)|"
    r"improve\s+(?:the\s+)?code(?:\s+quality)?|code\s+quality|dead\s+code)\b", _I)
_OPERATIONS = re.compile(
    r"\b(?:deploy\w*|ci|github\s+actions|workflow|pipeline|docker\w*|kubernetes|k8s|helm|nginx|environment\s+variables?|"
    r"\.env|config(?:uration)?\s+file|install\w*|pip|npm|poetry|requirements\.txt|pre-commit|tox|nox|"
    r"(?:bump|pin|upgrade|update)\s+(?:the\s+)?(?:version|dependenc\w+|\w+\s+to\s+\d)|version\s+bump|release|"
    r"\.gitignore|permissions?|certificates?|ssl|tls|proxy|ports?|cron|systemd|logging\s+config\w*)\b", _I)


def reports_failure(prose: str) -> bool:
    """Whether the text reports something failing. 'Catch errors', 'handle exceptions' ask for error handling;
    'Remove X. Not worth a broken CI.' is a change whose reason mentions a failure: the report must be in the
    first sentence when the request opens with an instruction to change something."""
    head = prose.strip()
    if _CHANGE_OPENING.match(head):
        first = re.split(r"(?<=[.!?])\s|\n\s*\n", head, maxsplit=1)[0]
        if not _failure_reported(first):
            return False
    return _failure_reported(prose)


def _failure_reported(text: str) -> bool:
    for m in FAILURE.finditer(text):
        before = text[max(0, m.start() - 24):m.start()]
        if not _HANDLING.search(before):
            return True
    return False


def classify(prose: str, spec: FunctionSpec | None) -> str:
    """`prose`: the request with quoted code and tracebacks blanked out."""
    if spec is not None:
        return "function"
    head = prose.strip()
    if _QUESTION.search(head[:600]):
        return "question"
    if reports_failure(prose) and not _adds_tests_only(prose):
        return "bug"
    if _PERFORMANCE.search(prose):
        return "performance"
    if _REFACTOR.search(prose):
        return "refactor"
    if _OPERATIONS.search(prose):
        return "operations"
    return "change"


# Verbs that ask for handling of errors rather than report one: "catch errors", "log the exception".
_HANDLING = re.compile(r"\b(?:catch|catches|catching|handle|handles|handling|ignore|ignores|suppress|log|logs|report|"
                       r"raise|raises|throw|swallow|avoid|prevent|fewer|no|without|on)\s+(?:the\s+|any\s+|all\s+)?$", _I)
# An instruction to change something: the request is a change unless its first sentence reports a failure.
_CHANGE_OPENING = re.compile(r"^\W*(?:please\s+)?(?:add|remove|rename|update|use|support|allow|drop|replace|move|"
                             r"document|bump|refactor|extract|invoke|introduce|deprecate|expose|implement|make|set|"
                             r"change|convert|split|merge|simplify|enable|disable|pin|upgrade|delete|test|document)\b", _I)
_TESTS_ONLY = re.compile(r"^\W*(?:add|write|extend)\s+(?:a\s+|more\s+|the\s+)?(?:regression\s+|unit\s+)?tests?\b", _I)


def _adds_tests_only(prose: str) -> bool:
    """'Add a test for the error on empty input' asks for a test, not for a bug fix."""
    return bool(_TESTS_ONLY.match(prose))
