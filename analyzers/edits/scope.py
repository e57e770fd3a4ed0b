"""DR203: files the request neither names nor relates to; DR217: whitespace-only churn.

A file is in scope when the request (or the session's objectives) names it,
its folder, or a symbol it changes (a definition or a module-level
assignment), when its changed lines use a name the request writes as code
or two of the request's words, or when the request names a module whose
imports those lines use ("simplify with pathlib"). Scope then spreads along
real relations: imports, calls of
symbols the in-scope files change, the same definitions changed in two files,
the same line added to several (one edit swept across them), co-change
history. Tests, examples, docs, changelogs and type stubs (.pyi) that
accompany a fix are in scope; manifests and lock files are the dependency
checks' business, whitespace-only files DR217's; a file whose docstrings and
comments alone change is documentation, one where only the release number
changes is bookkeeping, and a generated file (its notice heads it) follows
its generator. The project's upkeep files
(CI, tox, nox, pre-commit, linter and type-checker settings wherever they
live, task runners, maintainers' scripts, the docs site's config, the
licence, the project template's answers) are in scope of
a message about upkeep ("update dev dependencies", "drop Python 3.8",
"update ruff"), and test tooling of a message about tests; dropping or
adding a language version puts the version checks it removes in scope. A
formatting pass owns every file it touches, and a message that names nothing
("update", "oops") gives nothing to hold the change against. What is left
was not asked for.
"""

from __future__ import annotations

import re

from .. import rules
from ..context.files import is_manifest
from ..findings import Finding, Range
from .diffmodel import FileChange, is_lock_file
from .inputs import EditInput
from .prose import only_prose_changed
from .stated_intent import STOP, RequestIntent, request_intent
from ..context.languages import is_test_path
from ..text.code import bound_name, defined_name, definitions, enclosing_definition, imported_modules
from ..text.identifiers import DISTINCTIVE_WORD, IDENTIFIER, MEANINGFUL_PART, holds_in_row, split_identifier
from ..text.paths import is_doc_path, is_support_path, is_test_tooling, module_stem

# The project's upkeep: continuous integration, environments, hooks, linters and type checkers, packaging.
_UPKEEP_PATH = re.compile(
    r"^\.(?:github|gitlab|circleci|azure-pipelines|buildkite|devcontainer|woodpecker)/|"
    r"(^|/)(?:\.gitlab-ci\.ya?ml|\.travis\.ya?ml|appveyor\.ya?ml|azure-pipelines\.ya?ml|\.pre-commit-config\.ya?ml|"
    r"\.pre-commit-hooks\.ya?ml|tox\.ini|noxfile\.py|pytest\.ini|\.coveragerc|codecov\.ya?ml|\.codecov\.ya?ml|"
    r"\.readthedocs\.ya?ml|mypy\.ini|\.mypy\.ini|pyrightconfig\.json|ruff\.toml|\.ruff\.toml|\.flake8|\.pylintrc|"
    r"\.editorconfig|\.gitignore|\.gitattributes|\.git-blame-ignore-revs|\.dockerignore|Dockerfile[^/]*|"
    r"Makefile|justfile|MANIFEST\.in|\.bumpversion\.cfg|renovate\.json5?|\.yamllint(?:\.ya?ml)?|"
    r"\.prettierrc[^/]*|\.eslintrc[^/]*|eslint\.config\.\w+|tsconfig[^/]*\.json|\.nvmrc|\.python-version|"
    r"rust-toolchain(?:\.toml)?|\.golangci\.ya?ml|\.copier-answers\.ya?ml|\.cruft\.json|mkdocs\.ya?ml|"
    r"LICEN[CS]E[^/]*|COPYING[^/]*)$|"
    # Task runners at the root: the project's own commands (duty, invoke, fabric, doit).
    r"^(?:duties|tasks|fabfile|dodo)\.py$|"
    # A tool's own settings file wherever the project keeps it (config/ty.toml, config/coverage.ini) and the
    # shared editor settings (.vscode/, config/vscode/).
    r"(^|/)(?:ty|mypy|ruff|coverage|pytest|pyright|pyrefly|flake8|pylint|black|isort|codespell|typos|bandit|"
    r"vulture|pre-commit|git-cliff|towncrier|bumpversion)\.(?:toml|ini|cfg|json|ya?ml)$|(^|/)\.?vscode/")
_ABOUT_TESTS = re.compile(r"\btest(?:s|ing|ed)?\b|\btyping\b|\btype[- ]check\w*|\bcoverage\b", re.I)
# What git and tools leave alone: an ignore list changes no behaviour of the product.
_IGNORE_FILE = re.compile(r"(^|/)\.(?:gitignore|dockerignore|ignore|prettierignore|eslintignore)$")
# Example code accompanies the API it shows, as tests do.
_EXAMPLE_PATH = re.compile(r"(^|/)([\w.-]*[-_])?(examples?|samples?|demos?)/")
# A line that asks which interpreter runs: the code a version-support change removes or adds.
_VERSION_CHECK = re.compile(r"version_info|\bPY_?\d|\bPY\d{2,}|python_version|python_requires|requires-python|"
                            r"\bpy3\d+\b|sys\.version\b", re.I)
_STRICT_ARGUMENT = re.compile(r",\s*strict=(?:True|False)(?=\s*\))")
_TYPING_ALIASES = (r"Dict|List|Tuple|Set|FrozenSet|Type|Deque|DefaultDict|OrderedDict|Counter|ChainMap|Optional|Union|"
                   r"Iterator|Iterable|Generator|AsyncIterator|AsyncGenerator|Callable|Mapping|MutableMapping|Sequence|"
                   r"MutableSequence|Awaitable|Coroutine|Pattern|Match|TypeAlias")
# Spellings newer interpreters make unnecessary: typing's aliases of builtins and abc classes, Optional/Union, a
# generator's default send and return types (`Generator[X, None, None]`), and the imports that brought them.
_MODERNISED = re.compile(r"\bsocket\.timeout\b|\basyncio\.TimeoutError\b|\b(?:IOError|EnvironmentError)\b|"
                         r"\bGenerator\[[^\n]*,\s*None,\s*None\]|\bAsyncGenerator\[[^\n]*,\s*None\]|"
                         rf"^\s*(?:{_TYPING_ALIASES}),?\s*$|^\s*from\s+collections\.abc\s+import\b|"
                         rf"\btyping\.(?:{_TYPING_ALIASES})\b|"
                         r"^\s*from\s+typing(?:_extensions)?\s+import\b|\b(?:Optional|Union|Dict|List|Tuple|Set|Type)\[")
# A comment addressed to a tool: formatter switches, linter and type-checker suppressions, eslint directives.
_TOOL_DIRECTIVE = re.compile(r"#\s*(?:fmt|noqa|type|pragma|pylint|isort|ruff|mypy|pyright)\b|//\s*(?:eslint|@ts-|prettier)|"
                             r"#\s*nosec\b|#\s*NOQA\b", re.I)
# An added line long enough to be one edit applied in several files (the same import, the same call).
_SWEEP_LINE = 20
_FORMAT_REQUEST = re.compile(r"\b(format\w*|reformat\w*|indent\w*|whitespace|style|lint\w*|black|prettier|gofmt|rustfmt)\b", re.I)
_MIN_CHURN_LINES = 3
# The release number a package carries in code: bumping it belongs to whatever change is released with it.
_VERSION_ASSIGNMENT = re.compile(r"^\s*(?:__version__|__version_info__|version|version_info|VERSION)\s*(?::[^=]*)?=")


def check(inp: EditInput) -> list[Finding]:
    findings = _churn(inp)
    intent = request_intent(inp.intent_text)
    if not intent:
        inp.skip("DR203", "no request or session objectives to compare the change with")
        return findings
    if not intent.names_anything:
        inp.skip("DR203", "the request or message names nothing to hold the change against")
        return findings
    if intent.style_pass:
        inp.skip("DR203", "a formatting or lint pass: every file it touches is what it says")
        return findings
    files = [fc for fc in inp.content_files() if fc.hunks]
    # A generator's output follows its generator and its input: never a change of subject of its own.
    candidates = [fc for fc in files if not _always_in_scope(fc.path) and not _in_scope_of_upkeep(fc, intent)
                  and not fc.generated]
    if len(candidates) < 2:
        return findings
    # A file whose change is only whitespace is formatting (DR217's business), one whose change is only
    # docstrings and comments is documentation: neither is a change of subject. They still anchor the scope
    # (the request may name them), but are never reported; nor is a file where only the release number changes.
    prose = {fc.path for fc in candidates if _whitespace_only(fc) or only_prose_changed(fc) or _version_bump(fc)}
    facts = {fc.path: _facts(fc) for fc in candidates}
    in_scope = {fc.path for fc in candidates if _named_by_request(fc.path, facts[fc.path], intent)}
    if not in_scope:
        # The fix has to live somewhere: take the largest change as its home.
        in_scope = {max(candidates, key=lambda f: len(f.added()) + len(f.removed())).path}
    _spread(in_scope, candidates, facts, inp.context)
    for fc in candidates:
        if fc.path in in_scope or fc.path in prose:
            continue
        touched = sorted(facts[fc.path]["symbols"])[:4]
        what = f" ({', '.join(touched)})" if touched else ""
        first = next((ln.new_no or ln.old_no or 1 for ln in fc.added() + fc.removed()), 1)
        findings.append(rules.make(
            "DR203", f"{fc.path}{what} is changed, but nothing in the request names or relates to it.",
            evidence=fc.path + what, path=fc.path, range=Range.lines(first - 1),
            question=f"Was changing {fc.path} part of the task, or should it go in a separate change?",
            fix="Drop the unrelated edits or move them to their own change."))
    return findings


def _version_bump(fc: FileChange) -> bool:
    changed = [ln.text for ln in fc.added() + fc.removed() if ln.text.strip()]
    return bool(changed) and all(_VERSION_ASSIGNMENT.match(t) for t in changed)


def _whitespace_only(fc: FileChange) -> bool:
    return all(_squash(removed) == _squash(added) for removed, added in fc.blocks())


def _always_in_scope(path: str) -> bool:
    # Type stubs (.pyi) are the typing face of the code beside them, as docs are its prose face.
    return (is_test_path(path) or is_doc_path(path) or is_manifest(path) or is_lock_file(path)
            or path.endswith(".pyi") or bool(_EXAMPLE_PATH.search(path)) or bool(_IGNORE_FILE.search(path)))


def _in_scope_of_upkeep(fc: FileChange, intent: RequestIntent) -> bool:
    """Upkeep files for an upkeep message, test tooling for a message about tests, version checks for a
    message about the language versions the project supports."""
    if intent.maintenance and (_UPKEEP_PATH.search(fc.path) or is_support_path(fc.path)):
        return True  # the project's own settings, tasks and maintainers' scripts
    # Test tooling: in scope of any message about tests or typing checks.
    if is_test_tooling(fc.path) and _ABOUT_TESTS.search(intent.text):
        return True
    changed = [ln.text for ln in fc.added() + fc.removed() if ln.text.strip()]
    if intent.maintenance and changed and all(_TOOL_DIRECTIVE.search(t) for t in changed):
        return True  # only formatter, linter or type-checker directives change
    if not intent.version_support:
        return False
    if any(_VERSION_CHECK.search(ln.text) or _names_version(ln.text, intent.versions) for ln in fc.added() + fc.removed()):
        return True  # a version test, or a note about the versions the message is about ("for Python < 3.9")
    if all(_strictness_only(removed, added) for removed, added in fc.blocks()):
        return True  # `zip(a, b)` -> `zip(a, b, strict=True)`: what 3.10 allows and linters then ask for
    # What dropping old versions allows: builtin generics, collections.abc, `X | None` (pyupgrade's work).
    removed = [ln.text for ln in fc.removed() if ln.text.strip()]
    return bool(removed) and all(_MODERNISED.search(t) for t in removed)


def _names_version(text: str, versions: frozenset[str]) -> bool:
    return any(re.search(rf"(?<![\w.]){re.escape(v)}(?![\d])", text) for v in versions)


def _strictness_only(removed, added) -> bool:
    if len(removed) != len(added) or not removed:
        return False
    return all(_STRICT_ARGUMENT.sub("", a.text) == r.text and a.text != r.text for r, a in zip(removed, added))


def _facts(fc: FileChange) -> dict:
    """What a file's change is about: symbols it touches, words it uses, modules it imports."""
    lang = fc.language
    symbols: set[str] = set()
    for h in fc.hunks:
        head = defined_name(h.header, lang) if h.header else None
        if head:
            symbols.add(head[1])
    new_defs, old_defs = fc.derived("new", definitions, lang), fc.derived("old", definitions, lang)
    for ln in fc.added():
        if ln.new_no is not None:
            symbols.add(enclosing_definition(new_defs, ln.new_no, ln.text) or "")
    for ln in fc.removed():
        if ln.old_no is not None:
            symbols.add(enclosing_definition(old_defs, ln.old_no, ln.text) or "")
    symbols.discard("")
    changed = fc.added() + fc.removed()
    words: set[str] = set()
    for ln in changed:
        if (bound := bound_name(ln.text, lang)) is not None:
            symbols.add(bound)
        for ident in IDENTIFIER.findall(ln.text):
            if len(ident) >= DISTINCTIVE_WORD and ident.lower() not in STOP:
                words.add(ident)
    if fc.new_text is not None:
        imports = set(fc.derived("new", _imported_names, lang))
    else:
        imports = set(_imported_names({i: ln.text for i, ln in enumerate(ln for h in fc.hunks for ln in h.lines)}, lang))
    sweep = {" ".join(ln.text.split()) for ln in fc.added() if len(ln.text.strip()) >= _SWEEP_LINE}
    return {"symbols": symbols, "words": words, "imports": imports, "stem": module_stem(fc.path).lower(),
            "sweep": sweep, "modules_used": _modules_used(fc, words)}


_PY_FROM_NAMES = re.compile(r"^\s*from\s+([\w.]+)\s+import\s+\(?([\w\s,]+)\)?\s*$")


def _modules_used(fc: FileChange, words: set[str]) -> set[str]:
    """Modules (last component) whose imported names the changed lines use: `Path(...)` uses pathlib."""
    if fc.language != "python":
        return set()
    return {module for name, module in fc.derived("new", _import_bindings) if name in words}


def _import_bindings(lines: dict[int, str]) -> frozenset[tuple[str, str]]:
    """(name bound, module's last component) for each Python import: `from pathlib import Path as P` binds P."""
    out: set[tuple[str, str]] = set()
    for text in lines.values():
        m = _PY_FROM_NAMES.match(text)
        if m:
            module = m.group(1).rsplit(".", 1)[-1].lower()
            out |= {(item.split()[-1], module) for item in m.group(2).split(",") if item.strip()}
            continue
        for module in imported_modules(text, "python"):
            leaf = module.rsplit(".", 1)[-1]
            out.add((leaf, leaf.lower()))
    return frozenset(out)


_RELATIVE_IMPORT = re.compile(r"\s*from\s+\.+([\w.]*)\s+import\s+(.+)")


def _imported_names(lines: dict[int, str], lang: str | None) -> frozenset[str]:
    """Last components of the modules the lines import, and the names relative imports bring in."""
    imports: set[str] = set()
    for text in lines.values():
        for mod in imported_modules(text, lang):
            imports.add(mod.replace("/", ".").rsplit(".", 1)[-1].lower())
        if lang == "python":
            m = _RELATIVE_IMPORT.match(text)
            if m:
                imports.update(x.lower() for x in re.findall(r"\w+", (m.group(1) or "") + " " + m.group(2)))
    return frozenset(imports)


def _named_by_request(path: str, facts: dict, intent: RequestIntent) -> bool:
    low = path.lower()
    if any(p and (low.endswith(p) or p in low) for p in intent.paths):
        return True
    stem = facts["stem"]
    if len(stem) >= MEANINGFUL_PART and stem not in STOP and (stem in intent.mentions or intent.mentions_name(stem)):
        return True
    if any(intent.mentions_name(s) for s in facts["symbols"]):
        return True
    hits = {w.lower() for w in facts["words"] if w.lower() in intent.mentions}
    if hits & intent.code_names:
        return True  # a name the request writes as code (`pathsend`) is in the changed lines
    if facts["modules_used"] & intent.mentions:
        return True  # "simplify with pathlib": the change uses what the file imports from the module named
    if intent.compounds and any(holds_in_row(split_identifier(w), c) for w in facts["words"] for c in intent.compounds):
        return True  # "parse transfer-encoding" and HTTP_TRANSFER_ENCODING in the changed lines
    parts = {p for w in facts["words"] for p in split_identifier(w) if len(p) > 4 and p in intent.mentions}
    return len(hits) >= 2 or (len(hits) >= 1 and len(parts) >= 2)


def _spread(in_scope: set[str], files: list[FileChange], facts: dict, context) -> None:
    changed = True
    while changed:
        changed = False
        for fc in files:
            if fc.path in in_scope:
                continue
            if any(_related(fc.path, other, facts, context) for other in list(in_scope)):
                in_scope.add(fc.path)
                changed = True


def _related(a: str, b: str, facts: dict, context) -> bool:
    fa, fb = facts[a], facts[b]
    if fa["stem"] in fb["imports"] or fb["stem"] in fa["imports"]:
        return True
    # One side's changed lines use a symbol the other side changes (a caller following a callee), or both
    # change definitions of the same name (an implementation and its stub, a function and its twin).
    shared = {name for name in fa["symbols"] & fb["symbols"] if not name.startswith("__")}
    if fa["symbols"] & fb["words"] or fb["symbols"] & fa["words"] or shared:
        return True
    # The same line added to both: one edit swept across files (an import, a wrapper call).
    if fa["sweep"] & fb["sweep"]:
        return True
    if context is not None:
        history = context.history
        together = history.cochange.get(a, {}).get(b, 0)
        if together >= 2:
            least = min(history.files.get(a).changes if a in history.files else together,
                        history.files.get(b).changes if b in history.files else together) or 1
            if together / least >= 0.5:
                return True
    return False


# ---- DR217: whitespace churn ----------------------------------------------------------------


def _squash(lines) -> str:
    return "".join("".join(ln.text.split()) for ln in lines)


def _churn(inp: EditInput) -> list[Finding]:
    if _FORMAT_REQUEST.search(inp.intent_text or ""):
        return []
    out = []
    for fc in inp.content_files():
        new_defs = fc.derived("new", definitions, fc.language)
        pure, real = [], set()
        for removed, added in fc.blocks():
            first = (added or removed)[0]
            where = enclosing_definition(new_defs, first.new_no or fc.new_line_for(first), first.text)
            if removed and added and _squash(removed) == _squash(added):
                pure.append((where, added))
            else:
                real.add(where)
        # Re-indenting inside the function being fixed is part of the fix (a new `try:` block).
        churn_lines = [ln.new_no for where, added in pure if where not in real for ln in added if ln.new_no]
        if len(churn_lines) >= _MIN_CHURN_LINES:
            out.append(rules.make(
                "DR217", f"{len(churn_lines)} lines in {fc.path} change only in whitespace or layout.",
                evidence=f"lines {churn_lines[0]}-{churn_lines[-1]}", path=fc.path,
                range=Range.lines(churn_lines[0] - 1, churn_lines[-1] - 1),
                fix="Revert the reformatting so the change shows only the fix."))
    return out
