"""What the request says about the change it expects: the names it mentions, and its size and kind.

Only what edit checks need: the request engineer's analyzer owns full intent
extraction. These are cheap lexical reads of the same text. The text is a
request, a session's objectives, or a commit message; whatever it states
(a removal, a rename, a revert, a dependency or version-support change,
maintenance of the tooling) is not drift, and the checks that find such a
change report it at most as information, "as stated".
"""

from __future__ import annotations

import re
from functools import lru_cache

from ..text.identifiers import CODE_NAME, DISTINCTIVE_WORD, MEANINGFUL_PART, split_identifier

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

# 'Revert "..."' (git's own subject), "This reverts commit ...", "revert #12", "back out", "roll back", "undo".
_REVERT = re.compile(r"^\s*revert\b|\bthis reverts commit\b|\brevert(?:s|ed|ing)?\b|\bback(?:s|ed|ing)? out\b|"
                     r"\broll(?:s|ed|ing)? back\b|\bundo(?:es|ne|ing)?\b", re.I | re.M)
# A removal and its object, up to the end of the clause: "remove werkzeug host tests", "drop the old parser".
_REMOVAL = re.compile(
    r"\b(?:remov(?:e|es|ed|ing)|delet(?:e|es|ed|ing)|drop(?:s|ped|ping)?|get(?:s|ting)? rid of|deprecat(?:e|es|ed|ing)|"
    r"clean(?:s|ed|ing)?[- ]?up|strip(?:s|ped|ping)?|eliminat(?:e|es|ed|ing)|retir(?:e|es|ed|ing)|prun(?:e|es|ed|ing)|"
    r"replac(?:e|es|ed|ing)|merg(?:e|es|ed|ing)|consolidat(?:e|es|ed|ing)|parametri[sz](?:e|es|ed|ing)|"
    r"renam(?:e|es|ed|ing)|mov(?:e|es|ed|ing)|split(?:s|ting)?)\b(?P<obj>(?:[^.;:!?\n]|\.(?=\w)){0,80})", re.I)
# "evolve: remove ...", "fix(parser): drop ...": the area a conventional subject names.
_SUBJECT_SCOPE = re.compile(r"^\s*(?:[\w-]+\(([\w.-]+)\)|([A-Za-z_][\w.-]*))!?:\s")
# Tests reworked as such: "redesigned tests", "clean up the tests", "parametrize tests", "tests: restructure".
_TEST_REWORK = re.compile(
    r"\b(?:redesign|rewrit|rework|restructur|reorganis|reorganiz|refactor|clean(?:s|ed|ing)?[- ]?up|consolidat|"
    r"simplif|tid(?:y|ies|ied|ying)|overhaul|moderni[sz]|split|merg|parametri[sz]|dedup\w*)\w*\b[^.\n]{0,40}?"
    r"\btests?\b|\btests?\b[^.\n]{0,20}?\b(?:redesign|rewrit|rework|restructur|reorganis|reorganiz|refactor|"
    r"clean(?:s|ed|ing)?[- ]?up|consolidat|simplif)\w*|"
    # A message whose subject is the tests: the conventional `test:` type, or "test X via/with Y".
    r"^\s*tests?(?:\([^)]*\))?!?:|^\s*test\s+\S+\s+(?:via|with|using|through|against|by)\b", re.I | re.M)
# Tests skipped on purpose: "skip some tests on Windows", "xfail the flaky network test".
_TEST_SKIP = re.compile(r"\b(?:skip|xfail|disabl|quarantin|ignor)\w*\b[^.\n]{0,40}?\btests?\b|"
                        r"\btests?\b[^.\n]{0,30}?\b(?:skip|xfail|disabl)\w*", re.I)
# A formatting or lint pass over the code: every file it touches is what it says.
_STYLE_PASS = re.compile(
    r"^\s*style(?:\([^)]*\))?!?:|\bre-?format\w*|\bformat(?:ting)? (?:guidelines|rules|code|sources?|files?|all)\b|"
    r"\b(?:apply|applied|applies|run|ran|runs)\s+(?:the\s+)?(?:black|ruff|isort|prettier|gofmt|rustfmt|formatter|"
    r"formatting|format\w*|linters?|pre-commit)\b|\bauto[- ]?fix\w*|\blint fix\w*|^\s*\[pre-commit\.ci\]", re.I | re.M)
# Issue references ("Fixes #1313") say which issue closes, not how big the change is.
_ISSUE_REFERENCE = re.compile(r"\b(?:fix(?:es|ed)?|close[sd]?|resolve[sd]?|refs?)\s+(?:[\w-]+/[\w.-]+)?#\d+", re.I)
# A subject that announces a feature: not a small fix, whatever its body's sub-commits say.
_FEATURE_SUBJECT = re.compile(r"^\s*(?:[\w-]+(?:\([^)]*\))?!?:\s*)?(?:implement|introduc|support)\w*\b|"
                              r"^[^\n]*\badd(?:s|ed|ing)?\b[^.\n]{0,40}\bsupport\b", re.I)
# Words of a removal's object that say nothing about which thing goes.
_VAGUE_OBJECT = frozenset("""
unused old dead stale obsolete deprecated legacy redundant duplicate duplicated useless unnecessary extra needless
outdated broken flaky leftover leftovers some several various few couple both support references reference usage
uses compat compatibility helper helpers function functions method methods class classes module modules test tests
testing check checks thing things stuff bits parts part into onto over under between within across out
""".split())
# Bringing something back on purpose: "restore the old parser", "re-add X", "reintroduce", "bring back".
_RESTORE = re.compile(r"\b(?:restor(?:e|es|ed|ing)|re-?add(?:s|ed|ing)?|re-?introduc(?:e|es|ed|ing)|re-?enabl(?:e|es|ed|ing)|"
                      r"bring(?:s|ing)? back|brought back|un-?revert\w*|re-?land\w*|re-?apply\w*|re-?appl(?:y|ies|ied))\b",
                      re.I)
# A constraint on the API: "keep the public API stable", "don't break backwards compatibility".
_KEEP_API = re.compile(r"\b(?:keep|keeps|keeping|preserv\w*|maintain\w*|retain\w*|don'?t break|do not break|never break|"
                       r"without breaking|no breaking)\b[^.\n]{0,30}?\b(?:public\s+)?(?:api|interface|signatures?|"
                       r"backwards?[- ]compat\w*|compatib\w*)\b|\bmust stay (?:backwards?[- ])?compatible\b", re.I)
# Names written as packages: `quoted`, or what a change moves to ("replace X by Y", "switch to Y", "use Y").
_PACKAGE_NAMED = re.compile(r"`([\w.-]+)`|\b(?:by|with|to|use|using)\s+([A-Za-z][\w.-]+)", re.I)
_RENAME = re.compile(r"\brenam(?:e|es|ed|ing)\b", re.I)
# Words of a distribution's name that say nothing about which one it is: mkdocstrings-python, types-requests.
_DISTRIBUTION_FILLER = frozenset({"python", "types", "stubs", "plugin", "extra", "extras", "core", "client", "binary"})
# Words a message uses when it names nothing in particular: "update", "oops", "misc fixes", "wip".
_GENERIC_MESSAGE_WORDS = frozenset("""
update updates updated updating change changes changed changing improve improves improved improvement improvements
cleanup tweak tweaks misc miscellaneous wip oops stuff minor various refactor refactoring small more things thing
polish nit nits typo typos fixup squash amend temp tmp save progress commit changelog release bump dev
""".split())
# "make X private", "mark ... as private": a public name going private is what the message says.
_PRIVATISE = re.compile(r"\b(?:make|makes|made|making|mark|marks|marked|marking)\b[^.\n]{0,60}\bprivate\b", re.I)
# Dependency upkeep in general words: "update dev dependencies", "bump deps", "update dev", "refresh the lock file".
_DEPENDENCY_UPKEEP = re.compile(
    r"\b(?:updat|bump|upgrad|refresh|sync|pin|unpin|relock|lock|renovat|autoupdat)\w*\b[^.\n]{0,40}?"
    r"\b(?:dev|deps|dependenc(?:y|ies)|requirements|lock ?files?|toolchain|tools|tooling|pre-commit|hooks|"
    r"environments?|envs?|groups?)\b|\bdependenc(?:y|ies) groups?\b|^\s*(?:chore|build|deps)\(deps?\)|"
    r"^\s*deps?(?:\([^)]*\))?!?:", re.I | re.M)
# A runtime or language version the project supports: "drop Python 3.9", "add 3.14 to the classifiers", "py312".
_VERSION_SUPPORT = re.compile(
    r"\b(?:python|py|pypy|cpython|node(?:js)?|go|rust|msrv|java|jdk)\s*v?\d+(?:\.\d+)?\b|\bpy3\d{1,2}\b|"
    r"(?<![\w.])3\.\d{1,2}(?![\w.])|\brequires?[-_ ]python\b|\b(?:trove )?classifiers?\b|\bend[- ]of[- ]life\b|\beol\b",
    re.I)
# A value handed to code that did not take it: "pass context through dispatch methods", "add a `timeout`
# parameter", "accept a strict argument".
_PASSES = re.compile(
    r"\b(?:pass(?:es|ed|ing)?|thread(?:s|ed|ing)?|forward(?:s|ed|ing)?|propagat\w+|plumb\w*)\s+(?:the\s+|an?\s+)?"
    r"`?(?P<a>[A-Za-z_][\w.]*)`?\s+(?:through|to|into|down|along|around)\b|"
    r"\b(?:add(?:s|ed|ing)?|accept(?:s|ed|ing)?|tak(?:e|es|ing)|took)\s+(?:an?\s+|the\s+|new\s+)*"
    r"`?(?P<b>[A-Za-z_][\w.]*)`?\s+(?:param(?:eter)?s?|arg(?:ument)?s?|kwargs?|keyword(?:\s+argument)?s?)\b", re.I)
_RELEASE_NUMBER = re.compile(r"(?<![\w.])\d{1,2}\.\d{1,2}(?![\w.])")
_COMPOUND = re.compile(r"\b[A-Za-z][A-Za-z0-9]*(?:[-_][A-Za-z0-9]+)+\b|\b[a-z]+(?:[A-Z][a-z0-9]+)+\b|\b(?:[A-Z][a-z0-9]+){2,}\b")
# Project upkeep: CI, test environments, linters and type checkers, packaging and release tooling.
_MAINTENANCE = re.compile(
    r"^\s*(?:ci|build|chore|deps|release|style|test|tests)(?:\([^)]*\))?!?:|"
    r"\b(?:ci|cd|workflows?|github actions|actions|tox|nox|pre-commit|precommit|lint(?:s|er|ers|ing)?|ruff|flake8|"
    r"black|isort|mypy|pyright|pyrefly|zizmor|pinact|typing|type[- ]check\w*|coverage|codecov|packaging|"
    r"classifiers?|dependabot|renovate|readthedocs|rtd|pipeline|environments?|envs?|lock ?files?|uv|poetry|"
    r"hatch|setuptools|wheels?|sdist|tooling|toolchain|makefile|docker\w*|devcontainer|release|version bump|"
    r"update dev|upgrade|bump)\b", re.I | re.M)


# "remove deprecated code", "escalate deprecations", "drop the deprecated aliases": what was deprecated goes.
_REMOVES_DEPRECATED = re.compile(r"\b(?:remov|drop|delet|escalat|clean|purg|retir)\w*\b[^.\n]{0,40}?\bdeprecat\w*|"
                                 r"\bdeprecat\w*\b[^.\n]{0,30}?\b(?:remov|drop|delet)\w*", re.I)


# Tests as the object of a removal: "remove unneeded test", "drop the werkzeug host tests". The clause ends at
# punctuation or at another verb ("remove X and update the tests" removes no test).
_REMOVES_TESTS = re.compile(
    r"\b(?:remov|delet|drop|prun|eliminat|retir|get(?:s|ting)? rid of)\w*\b"
    r"(?:(?!\b(?:and|add\w*|updat\w*|fix\w*|adjust\w*|chang\w*|with|to|for)\b)[^.,;:!?()\n]){0,40}?\btests?\b", re.I)


class RequestIntent:
    def __init__(self, text: str):
        self.text = text or ""
        self.mentions = _mentions(self.text)  # identifiers, dotted names and their parts, lower-cased
        # Names written as code (`quoted`, snake_case, dotted, call()): each names one thing, on its own.
        self.code_names = frozenset(
            low for m in CODE_NAME.finditer(self.text)
            for low in [next(g for g in m.groups() if g).rstrip("()").lower()] if low not in STOP)
        self.paths = {p.lower().strip("./") for p in _PATHLIKE.findall(self.text)}
        self.small_fix = bool(_SMALL_FIX.search(_ISSUE_REFERENCE.sub(" ", self.text)))
        self.large_change = bool(_LARGE.search(self.text) or _FEATURE_SUBJECT.search(self.text))
        self.requested_api = _requested_api(self.text)
        self.any_api_change = bool(_ANY_API_CHANGE.search(self.text))
        self.revert = bool(_REVERT.search(self.text))
        self.restores = self.revert or bool(_RESTORE.search(self.text))
        self.keeps_api = bool(_KEEP_API.search(self.text))
        self.package_names = frozenset((a or b).lower() for a, b in _PACKAGE_NAMED.findall(self.text))
        self.removals = _removal_objects(self.text)  # content words of each thing the text says goes away
        self.reworks_tests = bool(_TEST_REWORK.search(self.text))
        self.skips_tests = bool(_TEST_SKIP.search(self.text))
        self.removes_deprecated = bool(_REMOVES_DEPRECATED.search(self.text))
        self.removes_tests = bool(_REMOVES_TESTS.search(self.text))
        self.style_pass = bool(_STYLE_PASS.search(self.text))
        self.privatises = bool(_PRIVATISE.search(self.text))
        self.dependency_upkeep = bool(_DEPENDENCY_UPKEEP.search(self.text))
        self.passes = frozenset((m.group("a") or m.group("b")).rsplit(".", 1)[-1].lower() for m in _PASSES.finditer(self.text))
        self.version_support = bool(_VERSION_SUPPORT.search(self.text))
        # The release numbers the text speaks of ("drop Python 3.9": 3.9), when it is about version support.
        self.versions = frozenset(_RELEASE_NUMBER.findall(self.text)) if self.version_support else frozenset()
        # Terms of several words ("transfer-encoding", `max_age`, "ContentRange"): a changed name holding the
        # same words in order (HTTP_TRANSFER_ENCODING) is what the text names.
        self.compounds = frozenset(
            parts for term in _COMPOUND.findall(self.text)
            if len(parts := tuple(p for p in split_identifier(term) if len(p) >= MEANINGFUL_PART)) >= 2)
        self.maintenance = self.dependency_upkeep or self.version_support or bool(_MAINTENANCE.search(self.text))

    def __bool__(self) -> bool:
        return bool(self.text.strip())

    def mentions_name(self, name: str) -> bool:
        n = name.lower()
        return n in self.mentions or any(p in self.mentions for p in split_identifier(name) if len(p) >= DISTINCTIVE_WORD and p not in STOP)

    def asks_api_change(self, name: str) -> bool:
        """The request explicitly asks to rename/remove/re-sign this symbol (or break the API at large)."""
        leaf = name.rsplit(".", 1)[-1].lower()
        return self.any_api_change or leaf in self.requested_api or name.lower() in self.requested_api

    @property
    def names_anything(self) -> bool:
        """Whether the text names anything a change could be held against ('update', 'oops' name nothing)."""
        return bool(self.paths) or any(m not in _GENERIC_MESSAGE_WORDS and not m.isdigit() for m in self.mentions)

    def states_removal(self, name: str, path: str | None = None) -> bool:
        """The text says this goes: a revert, or a removal (rename, move, merge...) whose object names it or its file.

        "remove werkzeug host tests" states the removal of `test_host_matching` in tests/test_werkzeug.py;
        "remove unused code" states nothing in particular.
        """
        if self.revert:
            return True
        leaf = name.rsplit(".", 1)[-1]
        if leaf.lower() in self.requested_api or name.lower() in self.requested_api:
            return True
        words = {leaf.lower()}
        for part in name.split("."):  # the class a test or method sits in names it too: TestProvides.test_in_all
            words |= {p for p in split_identifier(part) if len(p) >= MEANINGFUL_PART and p not in STOP}
        if path:
            stem = path.rsplit("/", 1)[-1].split(".", 1)[0]
            words |= {p for p in split_identifier(stem) if len(p) >= MEANINGFUL_PART and p not in STOP}
        words -= _VAGUE_OBJECT
        return any(_overlap(words, obj) for obj in self.removals)

    def states_rename(self, name: str) -> bool:
        """The text renames something and names this or its new spelling ("rename argument" beside
        `pad_event_to` states the rename of `pad_event`)."""
        if not _RENAME.search(self.text):
            return False
        low = name.lower()
        return any(m == low or (len(low) >= DISTINCTIVE_WORD and (m.startswith(low) or low.startswith(m)) and len(m) >= DISTINCTIVE_WORD)
                   for m in self.mentions)

    def states_passing(self, param: str) -> bool:
        """The text hands this value to the code: "pass context through ..." states a `ctx` or `context` parameter
        (an abbreviation keeps the word's first letter and the order of its letters)."""
        low = param.lower().lstrip("_")
        return any(low == word or _abbreviates(low, word) for word in self.passes)

    def states_dependency(self, name: str, dev: bool = False) -> bool:
        """The text asks for this dependency change: it names the package, reverts, or (for a development
        dependency) speaks of dependency upkeep in general."""
        low = name.lower()
        if self.revert or low in self.mentions or low.replace("-", "_") in self.mentions or low in self.package_names:
            return True
        # "replace `mkautodoc` by `mkdocstrings`" names mkdocstrings-python by its distinctive part; the part must be
        # named as a package (quoted, or what the change switches to), not a word ("typing clarifications").
        parts = [p for p in re.split(r"[-_.]", low) if len(p) >= DISTINCTIVE_WORD and p not in _DISTRIBUTION_FILLER]
        if any(p in self.package_names for p in parts):
            return True
        return dev and self.dependency_upkeep


@lru_cache(maxsize=256)
def request_intent(text: str) -> RequestIntent:
    return RequestIntent(text)


def _mentions(text: str) -> frozenset[str]:
    out: set[str] = set()
    for m in _IDENT.findall(text):
        low = m.lower()
        if low in STOP or len(low) < MEANINGFUL_PART:
            continue
        out.add(low)
        for part in low.split("."):
            if len(part) >= MEANINGFUL_PART and part not in STOP:
                out.add(part)
        for piece in split_identifier(m):
            if len(piece) >= DISTINCTIVE_WORD and piece not in STOP:
                out.add(piece)
    return frozenset(out)


def _abbreviates(short: str, word: str) -> bool:
    """`ctx` for context, `cfg` for config, `req` for request: same first letter, letters in order, shorter."""
    if len(short) < MEANINGFUL_PART or len(short) >= len(word) or short[0] != word[0]:
        return False
    rest = iter(word[1:])
    return all(c in rest for c in short[1:])


def _overlap(words: set[str], obj: frozenset[str]) -> bool:
    """A shared word, or one the other begins with ("inst" of "instances"), four letters at least."""
    if words & obj:
        return True
    return any(len(w) >= DISTINCTIVE_WORD and len(o) >= DISTINCTIVE_WORD and (o.startswith(w) or w.startswith(o)) for w in words for o in obj)


def _removal_objects(text: str) -> tuple[frozenset[str], ...]:
    scope = _SUBJECT_SCOPE.match(text.strip().split("\n", 1)[0]) if text.strip() else None
    area = {w for w in split_identifier(next((g for g in scope.groups() if g), "")) if len(w) >= MEANINGFUL_PART} if scope else set()
    area -= STOP | _VAGUE_OBJECT
    out = []
    for m in _REMOVAL.finditer(text):
        words = set(area)
        for ident in _IDENT.findall(m.group("obj")):
            for part in {ident.lower(), *ident.lower().split("."), *split_identifier(ident)}:
                if len(part) >= MEANINGFUL_PART and part not in STOP and part not in _VAGUE_OBJECT:
                    words.add(part)
        if words:
            out.append(frozenset(words))
    return tuple(out)


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
