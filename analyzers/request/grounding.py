"""Checks that ground the request in the repository (XY103-XY106).

- XY103: the repository already provides what the request asks to build (name tokens and docstrings).
- XY104: the request names a symbol or file that does not exist, and a real one is close (a likely typo).
  Only code-shaped names in the request's prose are read (backticks, dotted paths, calls, snake_case,
  CamelCase), never names inside the code or tracebacks it quotes, and a name is unknown only when it
  resolves nowhere (resolve.py: symbols, parameters, identifiers, builtins, stdlib, dependencies).
  A name that resolves nowhere and resembles nothing is probably new: a hint, never a question.
- XY105: the request asks for a language or well-known library the repository does not use.
- XY106: the request asks to bring back a dependency, module or API that a commit removed, matched on
  that name (a removed dependency, or a code-shaped name), never on ordinary words or the project itself,
  and only while the name is still absent from the repository.

The per-repository index (name tokens, file names) is built once per context
object and reused, so a request costs a few dictionary look-ups.
"""

from __future__ import annotations

import difflib
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, TYPE_CHECKING

from xyguard.analyzers.context.memo import PerContext
from xyguard.analyzers.findings import Finding

from ..text.identifiers import CODE_NAME, DISTINCTIVE_WORD, FILE_MENTION, MEANINGFUL_PART
from ..text.spans import finding_at, mask_quoted_code
from .resolve import resolver

if TYPE_CHECKING:
    from xyguard.analyzers.context.model import WorkspaceContext

_I = re.IGNORECASE
_BUILD = re.compile(r"\b(?:write|implement|create|add|build|make|code|need)\s+(?:me\s+)?(?:a|an|some|the)?\s*"
                    r"(?:new\s+)?(?:\w+\s+){0,2}?(?:function|helper|method|utility|util|class|routine|module)s?\b"
                    r"(?P<rest>[^.\n]{0,160})", _I)
_CODE_IDENT = CODE_NAME
_PATH = FILE_MENTION
_CREATES = re.compile(r"\b(?:new|create|add|named|called|write|implement|introduce|define|rename\s+\S+\s+to)\s+"
                      r"(?:a\s+|an\s+|the\s+)?(?:new\s+)?(?:\w+\s+)?$", _I)
_LANG_ASK = re.compile(r"\b(?:in|using|with|to|into|port(?:ed)?\s+to|rewrite\s+(?:\w+\s+)?in|written\s+in)\s+"
                       r"(?P<lang>[A-Za-z][A-Za-z+#.]*)\b(?:\s+(?:code|service|script|module|helper|version|library|port))?", _I)
_USE_LIB = re.compile(r"\b(?:use|using|with|via|switch\s+to|migrate\s+to|add|adopt|bring\s+back|go\s+back\s+to)\s+"
                      r"(?:the\s+)?(?P<lib>[A-Za-z][\w.-]{1,40})\b", _I)
# Asking for something to come back (or to be used again): the object is what a commit may have removed.
_BRING_BACK = re.compile(
    r"\b(?:bring(?:ing)?\s+back|restor(?:e|ing)|re-?add(?:ing)?|re-?introduc(?:e|ing)|reinstat(?:e|ing)|revert(?:ing)?\s+to|"
    r"go(?:ing)?\s+back\s+to|switch(?:ing)?\s+(?:back\s+)?to|add(?:ing)?\s+back|put(?:ting)?\s+back|use|using|"
    r"migrat(?:e|ing)\s+to|depend(?:ing)?\s+on|re-?enabl(?:e|ing)|undo(?:ing)?\s+the\s+removal\s+of)\s+"
    r"(?:the\s+|a\s+|an\s+)?(?:old\s+|previous\s+)?(?P<tick>`)?(?P<name>[A-Za-z_][\w.-]{1,60}(?:\(\))?)", _I)
MIN_NAME_WORDS = 2  # words of a symbol's name (stop words aside) the request must all use for XY103
_STOP = frozenset("a an the to of in on for and or with by from into that this it is are be as at get set make new "
                  "function helper method class write implement create add build me some code util utility which "
                  "returns return given list string value values data file files".split())
_SPLIT_NAME = re.compile(r"[A-Z]?[a-z0-9]+|[A-Z]+(?![a-z])")

# Well-known libraries and the job they do: a request for one whose job the repository already fills with another
# is a foreign stack choice worth asking about.
_LIBRARY_ROLE = {
    "requests": "http client", "httpx": "http client", "aiohttp": "http client", "urllib3": "http client",
    "axios": "http client", "node-fetch": "http client", "got": "http client",
    "django": "web framework", "flask": "web framework", "fastapi": "web framework", "starlette": "web framework",
    "express": "web framework", "koa": "web framework", "fastify": "web framework",
    "react": "ui framework", "vue": "ui framework", "angular": "ui framework", "svelte": "ui framework",
    "pytest": "test framework", "nose": "test framework", "jest": "test framework", "mocha": "test framework",
    "vitest": "test framework", "jasmine": "test framework",
    "sqlalchemy": "orm", "peewee": "orm", "tortoise-orm": "orm", "prisma": "orm", "sequelize": "orm", "typeorm": "orm",
    "pandas": "dataframes", "polars": "dataframes",
    "click": "cli parsing", "typer": "cli parsing", "argparse": "cli parsing", "docopt": "cli parsing",
    "commander": "cli parsing", "yargs": "cli parsing",
    "pydantic": "validation", "marshmallow": "validation", "attrs": "data classes",
    "moment": "dates", "dayjs": "dates", "date-fns": "dates", "arrow": "dates", "pendulum": "dates",
    "lodash": "utilities", "underscore": "utilities", "ramda": "utilities",
    "celery": "task queue", "rq": "task queue", "dramatiq": "task queue",
    "loguru": "logging", "structlog": "logging", "winston": "logging", "pino": "logging",
    "simplejson": "json", "ujson": "json", "orjson": "json",
}


@dataclass
class _Index:
    tokens: dict[str, list[Any]] = field(default_factory=dict)  # name token -> symbols having it
    names: dict[str, list[Any]] = field(default_factory=dict)  # lower name / qualname -> symbols
    name_list: list[str] = field(default_factory=list)
    by_prefix: dict[str, list[str]] = field(default_factory=dict)  # first two letters -> names (near-miss pool)
    basenames: dict[str, list[str]] = field(default_factory=dict)  # file basename -> paths
    paths: set[str] = field(default_factory=set)
    removed_deps: dict[str, tuple[str, str, str]] = field(default_factory=dict)  # lower name -> (sha, subject, how)
    removed_apis: dict[str, tuple[str, str, str]] = field(default_factory=dict)  # symbols/modules commits took out
    listing: list[str] | None = None  # every file path under the root, read once when a path needs it


_INDEXES: PerContext[_Index] = PerContext()


def _tokens(name: str) -> list[str]:
    return [t.lower() for t in _SPLIT_NAME.findall(name.replace("_", " "))]


def _index(context: WorkspaceContext) -> _Index:
    return _INDEXES.get(context, lambda: _build_index(context))


def _build_index(context: WorkspaceContext) -> _Index:
    idx = _Index()
    _symbol_index(context, idx)
    idx.paths = set(context.files) | set(context.manifests)
    for path in idx.paths:
        idx.basenames.setdefault(path.rsplit("/", 1)[-1].lower(), []).append(path)
    history = context.history
    for rem in history.dependency_removals:
        idx.removed_deps.setdefault(rem.name.lower(), (rem.sha, rem.subject, f"removed from {rem.manifest}"))
    for dec in history.decisions:
        for name in dec.removed:
            idx.removed_apis.setdefault(name.lower(), (dec.sha, dec.subject, f"the project chose {', '.join(dec.chosen) or 'against it'}"))
        for name in dec.removed_symbols:
            idx.removed_apis.setdefault(name.lower(), (dec.sha, dec.subject, "removed"))
    for rev in history.reverts:
        for name in rev.removed_symbols:
            idx.removed_apis.setdefault(name.lower(), (rev.sha, rev.subject, "reverted"))
    return idx


_INDEX_NAME = "grounding.index@2"  # bump when _symbol_index changes what it keeps
_POS_BITS = 20  # a reference is (file number << _POS_BITS) | position of the symbol in that file


class _SymbolRefs(Mapping):
    """Name token -> symbols, kept as references (file number, position) and resolved on lookup: an index read
    back from the cache decodes only the files whose symbols a request's words hit."""

    def __init__(self, refs: dict[str, list[int]], paths: list[str], symbols: Any):
        self._refs, self._paths, self._symbols = refs, paths, symbols

    def __getitem__(self, token: str) -> list[Any]:
        out = []
        for ref in self._refs[token]:
            try:
                out.append(self._symbols[self._paths[ref >> _POS_BITS]][ref & ((1 << _POS_BITS) - 1)])
            except (KeyError, IndexError, TypeError):
                continue  # the cache and the files disagree: that symbol is skipped, not a crash
        return out

    def __iter__(self):
        return iter(self._refs)

    def __len__(self) -> int:
        return len(self._refs)


class _Decoded:
    """A JSON text decoded on first use (most requests never ask whether a name exists or what it resembles)."""

    def __init__(self, text: str, build=lambda value: value):
        self.text, self._build, self._value = text, build, None

    @property
    def value(self):
        if self._value is None:
            self._value = self._build(json.loads(self.text))
        return self._value


class _LazySet:
    def __init__(self, text: str):
        self._decoded = _Decoded(text, set)

    def __contains__(self, item: object) -> bool:
        return item in self._decoded.value

    def __len__(self) -> int:
        return len(self._decoded.value)

    def __bool__(self) -> bool:  # asked before every lookup: answered without decoding
        return self._decoded.text.strip() != "[]"


class _LazyPrefixes:
    """First two letters -> names, built from the sorted name list on first lookup."""

    def __init__(self, text: str):
        self._decoded = _Decoded(text, _by_prefix)

    def get(self, key: str, default=()):
        return self._decoded.value.get(key, default)


def _by_prefix(names: list[str]) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for name in names:
        out.setdefault(name[:2].lower(), []).append(name)
    return out


def _symbol_index(context: WorkspaceContext, idx: _Index) -> None:
    """Names, name tokens and the near-miss pool of every symbol, from the cache when the files are unchanged
    (a fresh process, such as an agent hook, would otherwise tokenise every symbol for each request)."""
    from ..context.derived import files_state, load_derived, store_derived

    state = files_state(context) if context.cache_path is not None else None
    kept = load_derived(context, _INDEX_NAME, state) if state is not None else None
    if isinstance(kept, dict) and {"paths", "tokens", "names", "name_list"} <= kept.keys():
        idx.tokens = _SymbolRefs(kept["tokens"], kept["paths"], context.symbols)  # type: ignore[assignment]
        idx.names = _LazySet(kept["names"])  # type: ignore[assignment]  # membership is all that is asked of it
        idx.by_prefix = _LazyPrefixes(kept["name_list"])  # type: ignore[assignment]
        return
    paths = list(context.symbols)
    refs: dict[str, list[int]] = {}
    for number, path in enumerate(paths):
        for i, sym in enumerate(context.symbols[path]):
            idx.names.setdefault(sym.name.lower(), []).append(sym)
            idx.names.setdefault(sym.qualname.lower(), []).append(sym)
            for tok in set(_tokens(sym.name)):
                idx.tokens.setdefault(tok, []).append(sym)
                refs.setdefault(tok, []).append((number << _POS_BITS) | i)
    idx.name_list = sorted({s.name for syms in idx.names.values() for s in syms})
    idx.by_prefix = _by_prefix(idx.name_list)
    if state is not None:
        store_derived(context, _INDEX_NAME, {"paths": paths, "tokens": refs, "names": json.dumps(list(idx.names)),
                                             "name_list": json.dumps(idx.name_list)}, state)


def _cite(sha: str, subject: str) -> dict[str, str]:
    return {"kind": "commit", "sha": sha, "subject": subject}


def _near(name: str, idx: _Index, cutoff: float) -> list[str]:
    """Nearest real names. Typos rarely hit the first letters or every word, so only names sharing the first two
    letters or a name token are compared: difflib over every symbol of a large repository is too slow."""
    pool = set(idx.by_prefix.get(name[:2].lower(), ()))
    for tok in _tokens(name):
        if len(tok) > 2:
            pool.update(s.name for s in idx.tokens.get(tok, ())[:200])
    return difflib.get_close_matches(name, sorted(pool), n=3, cutoff=cutoff)


def _best_existing(wanted: set[str], idx: _Index, min_words: int = MIN_NAME_WORDS) -> Any:
    """The public symbol whose name words are all among `wanted` (docstring words break ties), or None."""
    stems = {w[:5] for w in wanted}
    best, best_score = None, 0.0
    candidates: dict[int, Any] = {}
    for w in wanted:
        for sym in idx.tokens.get(w, ()):
            candidates[id(sym)] = sym
    for sym in candidates.values():
        toks = [t for t in _tokens(sym.name) if t not in _STOP]
        if not toks or sym.kind in ("module",) or not sym.public:
            continue
        covered = sum(1 for t in toks if t in wanted or t[:5] in stems)
        doc_hits = len(wanted & {w.lower() for w in re.findall(r"[A-Za-z]+", sym.doc or "")})
        score = covered / len(toks) + 0.1 * min(doc_hits, 3)
        # a one-word name ("logger", "parse") names a topic, not the job: from a request's words alone it never
        # claims the job is done (an XY pattern's goal is specific enough, with a docstring word to confirm it)
        if covered == len(toks) and (len(toks) >= MIN_NAME_WORDS or doc_hits >= 1 and min_words <= 1) \
                and score > best_score:
            best, best_score = sym, score
    return best


def _existing_finding(text: str, sym: Any, start: int, end: int) -> Finding:
    where = f"{sym.path}:{sym.start_line + 1}"
    return finding_at(text, "XY103", f"the repository already has {sym.qualname} ({where})"
                      + (f": {sym.doc}" if sym.doc else ""), start, end,
                      goal=f"reuse or extend {sym.qualname}",
                      question=f"{sym.qualname} in {sym.path} already does this; should I use or extend it instead "
                               "of writing a new one?",
                      related=[{"kind": "symbol", "path": sym.path, "name": sym.qualname, "line": sym.start_line}])


def _words(text: str) -> set[str]:
    return {w for w in (x.lower() for x in re.findall(r"[A-Za-z][A-Za-z0-9]+", text)) if w not in _STOP and len(w) > 2}


def reinvents_existing(text: str, context: WorkspaceContext, idx: _Index) -> list[Finding]:
    m = _BUILD.search(text)
    if m is None:
        return []
    best = _best_existing(_words(text[m.start():m.end() + 40]), idx)
    if best is None or _extends(text[m.start():m.end() + 40], best):
        return []
    return [_existing_finding(text, best, m.start(), m.end())]


_DESTINATION = re.compile(r"\b(?:add|adds|adding|put|move)\b.{0,80}?\b(?:to|into|in|on|onto)\s+(?P<where>.{0,60})", _I | re.S)


def _extends(phrase: str, sym: Any) -> bool:
    """'Add async methods to the filtering bound logger': the existing symbol is where the new code goes."""
    m = _DESTINATION.search(phrase)
    if m is None:
        return False
    where = _words(m.group("where"))
    return all(t in where for t in _tokens(sym.name) if t not in _STOP)


def existing_for_goals(text: str, findings: list[Finding], context: WorkspaceContext | None) -> list[Finding]:
    """When an XY pattern's likely real goal is something the repository already provides, say which symbol.

    "The last three characters of a filename" -> the goal "the file extension" -> `paths.file_extension`.
    """
    if context is None:
        return []
    idx = _index(context)
    out = []
    for f in findings:
        start = text.find(f.evidence) if f.code == "XY101" and f.goal and f.evidence else -1
        best = _best_existing(_words(f.goal), idx, min_words=1) if start >= 0 and f.goal else None
        if best is not None:
            out.append(_existing_finding(text, best, start, start + len(f.evidence)))
    return out


def _path_exists(context: WorkspaceContext, idx: _Index, path: str) -> bool:
    """A path under the root (lstat only, never followed out of it), or a file of that name anywhere in it."""
    import os
    from pathlib import PurePosixPath

    rel = PurePosixPath(path)
    if rel.is_absolute() or ".." in rel.parts:
        return False
    root = context.root
    if os.path.lexists(os.path.join(root, *rel.parts)):
        return True
    base = rel.name.lower()
    if base in idx.basenames:
        return True
    if idx.listing is None:
        idx.listing = _walk(root)
    return any(p.rsplit("/", 1)[-1].lower() == base or p.endswith("/" + path) for p in idx.listing)


MAX_LISTED_FILES = 50_000  # a repository larger than this is not walked for a file name


def _walk(root: Any) -> list[str]:
    import os

    out: list[str] = []
    for folder, dirs, files in os.walk(root):  # os.walk does not follow symlinked folders
        dirs[:] = [d for d in dirs if not d.startswith(".git") and d not in ("node_modules", "__pycache__")]
        rel = os.path.relpath(folder, root).replace(os.sep, "/")
        out += [f if rel == "." else f"{rel}/{f}" for f in files]
        if len(out) > MAX_LISTED_FILES:
            break
    return out


def unknown_references(text: str, context: WorkspaceContext, idx: _Index) -> list[Finding]:
    prose = mask_quoted_code(text)  # the user's own code and tracebacks name the user's own variables
    res = resolver(context, idx.names)
    candidates = []
    seen: set[str] = set()
    for m in _CODE_IDENT.finditer(prose):
        raw = next(g for g in m.groups() if g).rstrip("()").rstrip(".")
        name = raw.split(".")[-1]
        if name.lower() in seen or len(name) < DISTINCTIVE_WORD:
            continue
        seen.add(name.lower())
        if _CREATES.search(prose[max(0, m.start() - 40):m.start()]):
            continue
        candidates.append((m, raw, name))
    known = res.known(raw for _, raw, _ in candidates)
    out: list[Finding] = []
    for m, raw, name in candidates:
        if known.get(raw, True):
            continue
        close = _near(name, idx, 0.8)
        if close:
            out.append(finding_at(text, "XY104", f"'{name}' does not exist in the repository; did you mean "
                                  f"{', '.join(close)}?", m.start(), m.end(),
                                  question=f"Do you mean {' or '.join(close)}, or should '{name}' be created?"))
        else:
            out.append(finding_at(text, "XY104", f"'{name}' is not in the repository (a new name?)", m.start(), m.end(),
                                  severity="hint"))
    for m in _PATH.finditer(prose):
        path = m.group("path")
        if path in idx.paths or _CREATES.search(prose[max(0, m.start() - 40):m.start()]) or _path_exists(context, idx, path):
            continue
        close = difflib.get_close_matches(path, sorted(idx.paths), n=3, cutoff=0.8)
        out.append(finding_at(text, "XY104", f"there is no file '{path}' in the repository"
                              + (f"; nearest: {', '.join(close)}" if close else ""), m.start(), m.end(),
                              severity=None if close else "hint",
                              question=f"Do you mean {' or '.join(close)}?" if close else None))
    return out


def foreign_stack(text: str, context: WorkspaceContext, idx: _Index) -> list[Finding]:
    from xyguard.analyzers.context.languages import NAMES, same_stack

    out: list[Finding] = []
    present = set(context.languages or {})
    primary = context.primary_language()
    if present:
        for m in _LANG_ASK.finditer(text):
            word = m.group("lang").lower()
            lang = NAMES.get(word)
            # "go" and "c" are common words: only count them capitalised or with a code noun after them
            if lang is None or (word in ("go", "c", "r") and not (m.group("lang")[0].isupper() and m.group(0) != m.group(0).lower())):
                continue
            if lang in present or any(same_stack(lang, p) for p in present):
                continue
            out.append(finding_at(text, "XY105", f"the request asks for {m.group('lang')}, which the repository does "
                                  f"not use (it is {primary or 'written in other languages'})", m.start(), m.end(),
                                  goal=f"the feature, in {primary}" if primary else None,
                                  question=f"Should this be written in {primary} like the rest of the repository, or "
                                           f"do you really want a {m.group('lang')} component?"))
    declared = {d.name.lower() for d in context.dependencies}
    roles: dict[str, list[str]] = {}
    for dep in declared:
        if dep in _LIBRARY_ROLE:
            roles.setdefault(_LIBRARY_ROLE[dep], []).append(dep)
    for m in _USE_LIB.finditer(text):
        lib = m.group("lib").lower()
        role = _LIBRARY_ROLE.get(lib)
        if role and lib not in declared and roles.get(role):
            have = ", ".join(sorted(roles[role]))
            out.append(finding_at(text, "XY105", f"the request asks for {m.group('lib')} but the repository already "
                                  f"uses {have} for {role}", m.start(), m.end(), goal=f"the feature, with {have}",
                                  question=f"The project uses {have} for {role}; should I use that instead of adding "
                                           f"{m.group('lib')}?"))
    return out


def reintroductions(text: str, context: WorkspaceContext, idx: _Index) -> list[Finding]:
    """XY106: the request asks to bring back (or use again) a dependency or API that a commit removed."""
    if not idx.removed_deps and not idx.removed_apis:
        return []
    prose = mask_quoted_code(text)
    res = resolver(context, idx.names)
    declared = {d.name.lower() for d in context.dependencies}
    out: list[Finding] = []
    reported: set[str] = set()
    for m in _BRING_BACK.finditer(prose):
        raw = m.group("name").rstrip(".,;:")
        lowered = raw.lower()
        if lowered in reported or lowered in res.project:
            continue
        code_shaped = bool(m.group("tick")) or bool(re.search(r"[._]|[a-z][A-Z]|\(\)", raw))
        hit = idx.removed_deps.get(lowered) if lowered not in declared else None
        if hit is None and code_shaped:
            api = idx.removed_apis.get(lowered) or idx.removed_apis.get(lowered.split(".")[-1])
            if api is not None and not res.known([raw]).get(raw, False):  # still absent: it really is gone
                hit = api
        if hit is None:
            continue
        reported.add(lowered)
        sha, subject, how = hit
        out.append(finding_at(text, "XY106", f"'{raw}' was taken out by commit {sha[:10]} '{subject}' ({how})",
                              m.start("name"), m.end("name"), related=[_cite(sha, subject)],
                              question=f"Commit {sha[:10]} ('{subject}') removed {raw}; do you want to reverse that "
                                       "decision, or do it with what replaced it?"))
    return out


def resolved_names(prose: str, context: WorkspaceContext | None) -> list[str]:
    """Code-shaped names of the request (quoted code already masked) that the repository itself defines or uses."""
    if context is None:
        return []
    idx = _index(context)
    res = resolver(context, idx.names)
    names = [next(g for g in m.groups() if g).rstrip("()") for m in _CODE_IDENT.finditer(prose)]
    names = [n for n in dict.fromkeys(names) if len(n) >= MEANINGFUL_PART and not res.outside_repository(n)]
    known = res.known(names)
    return [n for n in names if known.get(n)]


class _Vocabulary:
    """The words the repository's names are made of (`parse_config` -> parse, config) and its module names:
    a report that says 'the config parser' in words is about code the repository has."""

    def __init__(self, idx: _Index):
        self._tokens = idx.tokens
        self._stems = {p.rsplit("/", 1)[-1].rsplit(".", 1)[0].lower() for p in idx.paths}

    def __contains__(self, word: object) -> bool:
        return word in self._tokens or word in self._stems

    def __bool__(self) -> bool:
        return bool(self._stems) or len(self._tokens) > 0


_VOCABULARIES: PerContext[_Vocabulary] = PerContext()


def repository_vocabulary(context: WorkspaceContext | None) -> _Vocabulary | None:
    if context is None:
        return None
    return _VOCABULARIES.get(context, lambda: _Vocabulary(_index(context)))


def detect(text: str, context: WorkspaceContext | None) -> list[Finding]:
    if context is None:
        return []
    idx = _index(context)
    findings = reinvents_existing(text, context, idx)
    findings += unknown_references(text, context, idx)
    findings += foreign_stack(text, context, idx)
    findings += reintroductions(text, context, idx)
    return findings
