"""One user turn -> classified statements with the facets that make conflicts checkable.

A turn is split into clauses ("Fix the login bug but don't change the API"
is an objective and a requirement). Each clause gets a category
(objective, requirement, preference, profile, or none) and a list of
facets: small normalised claims such as ("deps", "none") for "no new
dependencies" or ("api", "change") for "rename fetch to get". Conflicts
between turns are decided on facets, never on raw wording, so that the
same rule catches "keep the API stable" / "don't break the public
interface" / "no breaking changes".
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..context.languages import NAMES
from ..text.identifiers import MEANINGFUL_PART

CATEGORIES = ("objectives", "requirements", "preferences", "profile")

# ---- clause splitting --------------------------------------------------------------------

_SENTENCE = re.compile(r"(?<=[.!?])\s+(?=[A-Z\"'(`])|\n+|(?<=[;])\s+|^\s*[-*•]\s+|\s+[-–—]\s+", re.MULTILINE)
# Split before a constraint that is glued to an ask: "add caching but don't add deps", "..., and keep X".
_CONSTRAINT_START = (r"(?:don'?t|do not|never|keep|make sure|ensure|must|should|only|avoid|no|stay|leave|"
                     r"stick|preferably|ideally)\b")
_JOIN = re.compile(r",?\s+\b(?:but|and|while|though|although)\s+(?=" + _CONSTRAINT_START + r")|,\s+(?=" +
                   _CONSTRAINT_START + r")|\s+(?=\bwithout\b)|,?\s+and\s+(?=i(?:'m| am| prefer| like| use| know)\b)",
                   re.IGNORECASE)


@dataclass
class Clause:
    text: str
    start: int  # offsets into the turn text
    end: int


def split_clauses(text: str) -> list[Clause]:
    clauses: list[Clause] = []
    for start, end in _spans(text, _SENTENCE, 0, len(text)):
        for s, e in _spans(text, _JOIN, start, end):
            piece = text[s:e]
            stripped = piece.strip().rstrip(".!;,")
            if len(stripped) < 2:
                continue
            lead = len(piece) - len(piece.lstrip())
            clauses.append(Clause(stripped, s + lead, s + lead + len(stripped)))
    return clauses


def _spans(text: str, pattern: re.Pattern, start: int, end: int):
    pos = start
    for m in pattern.finditer(text, start, end):
        if m.start() > pos:
            yield pos, m.start()
        pos = max(pos, m.end())
    if pos < end:
        yield pos, end


# ---- categories ----------------------------------------------------------------------------

_PROFILE = re.compile(r"^(?:i'?m|i am|i use|i'?ve been|i have been|i know|i work|i mostly|my background|"
                      r"as an?\b|i come from|i'?m new to|i am new to)\b", re.IGNORECASE)
_PREFERENCE = re.compile(r"\b(?:i(?:'d| would)? prefer|prefer(?:ably)?|i(?:'d| would) rather|rather than|"
                         r"i (?:really )?like(?! you to| to)|ideally|if possible|i(?:'d| would) love it if|"
                         r"nice to have|bonus if)\b", re.IGNORECASE)
_REQUIREMENT = re.compile(r"\b(?:must(?:n'?t)?|should(?:n'?t)?|don'?t|do not|never|keep|without|only|avoid|"
                          r"make sure|ensure|has to|have to|needs? to (?:stay|remain|be|keep|work|support|handle)|"
                          r"stay|remain|can'?t|cannot|not allowed|no (?:new|external|extra|additional|third[- ]party)|"
                          r"leave|stick (?:to|with)|backwards?[- ]compatible|as is)\b", re.IGNORECASE)
_ASK_LEAD = re.compile(r"^(?:(?:also|and|then|now|next|finally|ok(?:ay)?|so|actually|instead)\W+)*"
                       r"(?:please\s+|pls\s+|kindly\s+)?(?:(?:can|could|would|will) you\s+(?:please\s+)?|"
                       r"i(?:'d| would) like you to\s+|i want you to\s+|i need you to\s+|i want to\s+|i need to\s+|"
                       r"we need to\s+|we should\s+|let'?s\s+|help me\s+|go ahead and\s+|how (?:do|can|would) i\s+)?"
                       r"(?P<verb>[a-z]+)", re.IGNORECASE)
ASK_VERBS = frozenset("""
add fix implement make write create build refactor rename remove delete drop update change support handle
convert port migrate rewrite replace move extract split merge optimize optimise speed improve clean document
test cover debug investigate find figure show explain list return parse validate generate expose wire hook
use switch upgrade downgrade bump install configure set enable disable deprecate introduce extend allow
prevent stop ensure log cache retry translate simplify reduce increase sort filter format integrate
""".split())


def category_of(clause: str) -> str | None:
    lowered = clause.lower()
    if _PROFILE.search(lowered):
        return "profile"
    if _PREFERENCE.search(lowered):
        return "preferences"
    m = _ASK_LEAD.match(lowered)
    verb = m.group("verb") if m else None
    is_ask = verb in ASK_VERBS
    if is_ask and verb in ("use", "stick") and language_mentions(clause):
        return "requirements"  # "use Python" sets the working language
    if _REQUIREMENT.search(lowered):
        # "Keep ..." / "Make sure ..." lead verbs are constraints, not tasks.
        if not is_ask or verb in ("keep", "ensure", "use") or _negative(lowered):
            return "requirements"
        # An ask that carries its own "only"/"must" ("only fix the parser") is still the task.
        return "objectives"
    if is_ask:
        return "objectives"
    return None


def _negative(lowered: str) -> bool:
    return bool(re.match(r"^(?:please\s+)?(?:don'?t|do not|never|no\b|avoid|without|not\b)", lowered))


# ---- facets ------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Facet:
    """A normalised claim. `kind` 'rule' constrains later turns; 'ask' is something a turn wants done."""

    key: str  # api, deps, lang, tests, avoid, only, touch
    value: str
    kind: str  # rule | ask
    words: tuple[str, ...] = ()  # significant object words, for avoid/touch matching

    def to_list(self) -> list:
        return [self.key, self.value, self.kind, list(self.words)]

    @classmethod
    def from_list(cls, data: list) -> "Facet":
        return cls(data[0], data[1], data[2], tuple(data[3]) if len(data) > 3 else ())


_API_RULE = re.compile(r"\b(?:(?:keep|leave|preserve|maintain)\b.{0,40}\b(?:api|interface|signatures?|public)\b|"
                       r"(?:don'?t|do not|never|without|no)\b.{0,30}\b(?:break|chang|renam|remov|touch|modif)\w*\b.{0,30}"
                       r"\b(?:api|interface|signatures?|public (?:functions?|methods?|classes?|names?))\b|"
                       r"\bno breaking changes?\b|\bbackwards?[- ]compatib\w*|\b(?:api|interface|signatures?)\b.{0,30}"
                       r"\b(?:stable|unchanged|as is|the same|intact|frozen)\b)", re.IGNORECASE)
_API_RENAME = re.compile(r"\brename\s+(?:the\s+)?(?:public\s+)?(?:function|method|class|endpoint|parameter|argument|"
                         r"field|module)?\s*`?(?P<old>[A-Za-z_][\w.]*)`?(?:\(\))?\s+(?:to|as|into)\s+`?(?P<new>[A-Za-z_][\w.]*)",
                         re.IGNORECASE)
_API_REMOVE = re.compile(r"\b(?:remove|delete|drop|make private|hide)\s+(?:the\s+)?(?:public\s+)?"
                         r"(?:function|method|class|endpoint|parameter|argument)\s+`?(?P<old>[A-Za-z_][\w.]*)",
                         re.IGNORECASE)
_API_CHANGE = re.compile(r"\b(?:change|alter|modify|break)\s+(?:the\s+|its\s+|their\s+)?(?:public\s+)?"
                         r"(?:api|interface|signature|return type|parameters?)\b|"
                         r"\badd\s+(?:a\s+)?(?:new\s+)?required\s+(?:parameter|argument)\b", re.IGNORECASE)

_DEPS_RULE = re.compile(r"\b(?:no|zero|without(?: adding)?(?: any)?|don'?t (?:add|use|pull in|introduce|install)(?: any)?|"
                        r"do not (?:add|use|pull in|introduce|install)(?: any)?|never (?:add|use)|avoid(?: adding)?(?: any)?)"
                        r"\s+(?:new\s+|extra\s+|external\s+|additional\s+|third[- ]party\s+|more\s+|other\s+)*"
                        r"(?:dependenc(?:y|ies)|deps|librar(?:y|ies)|packages?|modules? from pypi|crates|gems)\b|"
                        r"\b(?:standard library|stdlib|std lib|built-?ins?)(?: modules)? only\b|\bonly (?:the )?(?:standard library|stdlib)\b|"
                        r"\bpure python\b|\bdependency[- ]free\b", re.IGNORECASE)
_DEPS_ASK = re.compile(r"\b(?:add|use|install|pull in|bring in|switch to|depend on|introduce|import)\s+(?:the\s+|a\s+)?"
                       r"`?(?P<name>[A-Za-z][\w.\-]*)`?(?P<kind>\s+(?:library|package|dependency|lib|module|crate|gem))?"
                       r"|\b(?:pip|npm|yarn|pnpm|cargo|go|poetry|uv)\s+(?:install|add|get)\s+(?P<inst>[A-Za-z@][\w.\-/@]*)",
                       re.IGNORECASE)
# Well-known third-party packages, so "add requests" is recognised without the word "library".
KNOWN_PACKAGES = frozenset("""
requests httpx aiohttp urllib3 numpy pandas scipy polars pydantic attrs click typer rich tqdm pyyaml yaml toml
lxml beautifulsoup4 bs4 django flask fastapi sqlalchemy celery redis boto3 pillow matplotlib seaborn pytest
arrow pendulum dateutil python-dateutil simplejson ujson orjson jinja2 marshmallow tenacity loguru structlog
lodash underscore axios moment dayjs express react vue jquery ramda rxjs chalk commander yargs zod
serde tokio reqwest clap anyhow thiserror rayon regex chrono
gorilla gin cobra viper testify zap logrus
guava jackson gson lombok okhttp
""".split())

_LANG_NAME = r"(?P<lang>c\+\+|c#|[A-Za-z][\w.]*)"
_LANG_CONTEXT = re.compile(r"\b(?:in|use|using|with|into|to|stick to|stick with|written in|only)\s+" + _LANG_NAME +
                           r"|\b" + _LANG_NAME.replace("lang", "lang2") + r"\s+only\b", re.IGNORECASE)
_LANG_SOURCE = re.compile(r"\bfrom\s+$", re.IGNORECASE)
# Names that are also ordinary words count only when written the way a language name is.
_CASE_SENSITIVE = {"go": "Go", "c": "C", "r": "R", "v": "V", "dart": "Dart", "swift": "Swift", "rust": "Rust"}

_TESTS_RULE = re.compile(r"\b(?:keep|preserve|don'?t (?:delete|remove|skip|disable|touch|modify|change|weaken)|"
                         r"do not (?:delete|remove|skip|disable|touch|modify|change|weaken)|never (?:delete|remove|skip|disable))"
                         r"\s+(?:the\s+|any\s+|all\s+|existing\s+|our\s+)*tests?\b|\btests? (?:must|should) (?:keep )?pass", re.IGNORECASE)
_TESTS_ASK = re.compile(r"\b(?:delete|remove|skip|disable|xfail|comment out|drop|ignore)\s+(?:the\s+|that\s+|this\s+|those\s+|"
                        r"these\s+|failing\s+|flaky\s+|broken\s+)*tests?\b", re.IGNORECASE)

_VERB_CLASSES = {
    "modify": "touch change modify edit rewrite refactor update alter rename reformat restructure".split(),
    "remove": "remove delete drop".split(),
    "add": "add introduce create".split(),
    "use": "use call import".split(),
}
_VERB_CLASS = {v: cls for cls, verbs in _VERB_CLASSES.items() for v in verbs}
_AVOID = re.compile(r"\b(?:don'?t|do not|never|avoid|stop)\s+(?:ever\s+)?(?P<verb>[a-z]+)(?:ing)?\s+(?P<obj>.{2,80})", re.IGNORECASE)
_LEAVE = re.compile(r"\bleave\s+(?P<obj>.{2,60}?)\s+(?:alone|as is|untouched|unchanged)\b", re.IGNORECASE)
_ONLY = re.compile(r"\bonly\s+(?:ever\s+)?(?P<verb>touch|change|modify|edit|update)\s+(?P<obj>.{2,80})|"
                   r"\b(?:changes?|edits?) (?:only|limited to|restricted to)\s+(?:in\s+)?(?P<obj2>.{2,80})", re.IGNORECASE)
_ASK_OBJECT = re.compile(r"^(?:.*?\b)?(?P<verb>" + "|".join(sorted(_VERB_CLASS, key=len, reverse=True)) +
                         r")\s+(?P<obj>.{2,80})", re.IGNORECASE)

STOPWORDS = frozenset("""
a an the this that these those it its of to in on for with and or but from by as at be is are was were do does
any all some my our your their me we you i them so just also please then new old more less very it's there here
code file files function functions method class thing stuff way one each every only ever again too well
""".split())
_WORD = re.compile(r"[A-Za-z_][\w.\-/]*")


def content_words(text: str) -> tuple[str, ...]:
    out = []
    for w in _WORD.findall(text):
        w = w.strip(".-/").lower()
        if len(w) < MEANINGFUL_PART or w in STOPWORDS:
            continue
        out.append(_stem(w))
    return tuple(dict.fromkeys(out))


def _stem(word: str) -> str:
    if "/" in word or "." in word or "_" in word:
        return word
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith(("sses", "xes", "ches", "shes")):
        return word[:-2]
    if word.endswith("s") and not word.endswith(("ss", "us", "is")) and len(word) > 3:
        return word[:-1]
    return word


def language_mentions(clause: str) -> list[str]:
    """Language ids the clause says to work in ('use Python', 'write it in Go'), not ones it comes from."""
    found: list[str] = []
    for m in _LANG_CONTEXT.finditer(clause):
        raw = m.group("lang") or m.group("lang2")
        name = raw.rstrip(".").lower()
        lang = NAMES.get(name)
        if not lang:
            continue
        expected = _CASE_SENSITIVE.get(name)
        if expected and raw.rstrip(".") != expected:
            continue
        if _LANG_SOURCE.search(clause[: m.start("lang" if m.group("lang") else "lang2")]):
            continue
        if lang not in found:
            found.append(lang)
    return found


def facets_of(clause: str, category: str | None) -> list[Facet]:
    """The checkable claims a clause makes. Rules come from constraints; asks from anything."""
    out: list[Facet] = []
    rule_like = category in ("requirements", "preferences") or _negative(clause.lower())
    if _API_RULE.search(clause):
        out.append(Facet("api", "stable", "rule"))
    else:
        for m in _API_RENAME.finditer(clause):
            out.append(Facet("api", "change", "ask", (m.group("old"),)))
        for m in _API_REMOVE.finditer(clause):
            out.append(Facet("api", "change", "ask", (m.group("old"),)))
        if _API_CHANGE.search(clause) and not _negative(clause.lower()):
            out.append(Facet("api", "change", "ask"))
    if _DEPS_RULE.search(clause):
        out.append(Facet("deps", "none", "rule"))
    elif not _negative(clause.lower()):
        for m in _DEPS_ASK.finditer(clause):
            name = (m.group("name") or m.group("inst") or "").lower()
            if m.group("inst") or m.group("kind") or name in KNOWN_PACKAGES:
                out.append(Facet("deps", "add", "ask", (name,)))
    for lang in language_mentions(clause):
        out.append(Facet("lang", lang, "rule" if rule_like else "ask"))
    if _TESTS_RULE.search(clause):
        out.append(Facet("tests", "keep", "rule"))
    elif _TESTS_ASK.search(clause) and not _negative(clause.lower()):
        out.append(Facet("tests", "remove", "ask"))
    covered = {f.key for f in out}
    if not covered & {"api", "deps", "tests", "lang"}:
        out.extend(_scope_facets(clause, rule_like))
    return out


def _scope_facets(clause: str, rule_like: bool) -> list[Facet]:
    """'don't touch billing/' (avoid), 'only change parser.py' (only), 'refactor billing' (touch)."""
    m = _AVOID.search(clause)
    if m and m.group("verb").lower() in _VERB_CLASS:
        words = content_words(m.group("obj"))
        if words:
            return [Facet("avoid", _VERB_CLASS[m.group("verb").lower()], "rule", words)]
    m = _LEAVE.search(clause)
    if m:
        words = content_words(m.group("obj"))
        if words:
            return [Facet("avoid", "modify", "rule", words)]
    m = _ONLY.search(clause)
    if m:
        words = content_words(m.group("obj") or m.group("obj2") or "")
        if words:
            return [Facet("only", "modify", "rule", words)]
    if rule_like:
        return []
    m = _ASK_OBJECT.search(clause)
    if m:
        words = content_words(m.group("obj"))
        if words:
            return [Facet("touch", _VERB_CLASS[m.group("verb").lower()], "ask", words)]
    return []


# ---- overrides -----------------------------------------------------------------------------------

_OVERRIDE = re.compile(r"\b(?:changed my mind|change of plans?|scratch that|forget (?:what i said|about|the)|"
                       r"ignore (?:what i said|my earlier|the earlier)|i know i said|despite what i said|"
                       r"contrary to what i said|no longer (?:need|want|matters?)|it'?s (?:now )?(?:ok|okay|fine) to|"
                       r"you (?:can|may) now|lift(?:ing)? the|drop the (?:earlier|previous) (?:rule|requirement|constraint)|"
                       r"override (?:the|my) (?:earlier|previous)|(?:do|change|rename|add|use|go ahead)\b.{0,40}\banyway)\b",
                       re.IGNORECASE)


def is_override(text: str) -> bool:
    """The user explicitly replaces an earlier statement; applying it is then not silent."""
    return bool(_OVERRIDE.search(text))


@dataclass
class Statement:
    clause: Clause
    category: str | None
    facets: list[Facet] = field(default_factory=list)


_CODE = re.compile(r"^[ \t]*(```|~~~).*?(?:^[ \t]*\1[^\n]*$|\Z)", re.MULTILINE | re.DOTALL)


def _blank_code(text: str) -> str:
    """Fenced code blocks become spaces (offsets kept): words in code are not the user's statements."""
    return _CODE.sub(lambda m: "".join(c if c == "\n" else " " for c in m.group(0)), text)


def parse_turn(text: str) -> list[Statement]:
    out = []
    for clause in split_clauses(_blank_code(text)):
        category = category_of(clause.text)
        out.append(Statement(clause, category, facets_of(clause.text, category)))
    return out
