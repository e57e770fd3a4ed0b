"""The commit message against the staged change: the message is the stated intent.

DR220: the message describes a much smaller change than the diff makes
("fix typo" on a commit that rewrites a module).
DR221: the message claims what the change does not do ("add tests" with no
test file touched, "docs:" on a code change, "fix parse_date" when
parse_date is not touched).
Plus the request-side checks that make sense for a message (vague wording,
an undefined referent, hidden characters...), at info severity: they are
about how the message reads, not about the change.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from typing import Callable

from .. import rules
from ..findings import Finding, Range
from .diffmodel import ADDED, DELETED, Change, Line
from ..context.languages import is_test_path
from ..text.code import comment_body, definitions, enclosing_definition
from ..text.identifiers import DISTINCTIVE_WORD, IDENTIFIER, holds_in_row, split_identifier
from ..text.paths import is_doc_path, is_support_path, is_test_tooling
from .prose import only_prose_changed
from .rewrite import _lost_lines, _meaningful  # one definition of lines a change really loses

# ---- the message ---------------------------------------------------------------------------

_SCISSORS = re.compile(r"^# -+ >8 -+$")


def clean_message(raw: str, comment_char: str = "#") -> str:
    """What git would record: comment lines blanked (so line numbers stay), the verbose diff cut off."""
    out = []
    for line in raw.replace("\r\n", "\n").split("\n"):
        if _SCISSORS.match(line):
            break
        out.append("" if line.startswith(comment_char) else line)
    return "\n".join(out).rstrip()


def _skip_message(message: str) -> bool:
    """Messages git or tools write: nothing to hold the change against."""
    subject = message.strip().split("\n", 1)[0]
    return not subject or bool(re.match(r"(Merge (branch|pull request|remote-tracking)|Revert \")", subject))


def _subject(message: str) -> tuple[int, str]:
    """(zero-based line number, text) of the first non-empty line, without fixup!/squash! prefixes."""
    for lineno, line in enumerate(message.split("\n")):
        if line.strip():
            return lineno, re.sub(r"^((fixup|squash|amend)! )+", "", line.strip())
    return 0, ""


# ---- how big the change really is -----------------------------------------------------------

_SIMILAR = 0.75  # a line this similar to a removed one is a tweak (a typo fix), not new content
_PAIRING_WINDOW = 8  # a tweaked line stays near its place: each line is compared with this many on either side


def _squash(text: str) -> str:
    """Content without the parts formatters change: whitespace, quote style, commas."""
    return re.sub(r"[\s,]+", "", text).replace("'", '"')


@dataclass
class FileSize:
    path: str
    status: str
    substantive: list[Line] = field(default_factory=list)  # lines whose content really changed
    edited: list[Line] = field(default_factory=list)  # every line of a block that is not only reformatted
    old_lines: int = 0  # meaningful lines before the change
    lost: int = 0  # of those, removed and not coming back anywhere in the file
    generated: bool = False  # a lock file: counted as a file, its lines never compared

    @property
    def rewritten(self) -> bool:
        return self.lost >= 20 and self.lost / max(self.old_lines, 1) >= 0.5


@dataclass
class ChangeSize:
    files: list[FileSize]
    added: int
    removed: int

    @property
    def substantive(self) -> int:
        return sum(len(f.substantive) for f in self.files)

    def describe(self) -> str:
        parts = [f"{len(self.files)} file{'s' if len(self.files) != 1 else ''}, +{self.added} -{self.removed}"]
        rewritten = [f.path for f in self.files if f.rewritten]
        if rewritten:
            parts.append(f"rewrites {', '.join(rewritten[:3])}")
        created = [f.path for f in self.files if f.status == ADDED and f.substantive]
        deleted = [f.path for f in self.files if f.status == DELETED]
        if created:
            parts.append(f"adds {', '.join(created[:3])}")
        if deleted:
            parts.append(f"deletes {', '.join(deleted[:3])}")
        generated = [f.path for f in self.files if f.generated]
        if generated:
            parts.append(f"lock files not counted: {', '.join(generated[:3])}")
        return "; ".join(parts)


def _block_substance(removed: list[Line], added: list[Line]) -> list[Line]:
    """The lines of a (removed, added) block that are new content rather than a tweak of a nearby line.

    A tweak keeps its place, so each line is compared only with the lines around the same relative
    position on the other side: linear in the block, however large it is.
    """
    if not removed or not added:
        return [ln for ln in removed + added if ln.text.strip()]
    old = [_squash(ln.text) for ln in removed]
    new = [_squash(ln.text) for ln in added]
    matcher = difflib.SequenceMatcher(autojunk=False)

    def unmatched(lines: list[Line], mine: list[str], theirs: list[str]) -> list[Line]:
        out = []
        exact = set(theirs)
        scale = len(theirs) / len(mine)
        for k, (ln, text) in enumerate(zip(lines, mine)):
            if not text or text in exact:
                continue
            matcher.set_seq2(text)
            centre = int(k * scale)
            best = 0.0
            for other in theirs[max(0, centre - _PAIRING_WINDOW):centre + _PAIRING_WINDOW + 1]:
                matcher.set_seq1(other)
                if matcher.real_quick_ratio() >= _SIMILAR and matcher.quick_ratio() >= _SIMILAR:
                    best = max(best, matcher.ratio())
                    if best >= _SIMILAR:
                        break
            if best < _SIMILAR:
                out.append(ln)
        return out

    return unmatched(removed, old, new) + unmatched(added, new, old)


def measure(change: Change) -> ChangeSize:
    files = []
    for fc in change.files:
        if fc.lock_file or fc.binary:
            files.append(FileSize(fc.path, fc.status, generated=fc.lock_file))
            continue
        # The same measure of "rewritten" as the DR204 check uses, so the two never disagree.
        size = FileSize(fc.path, fc.status, old_lines=len(fc.derived("old", _meaningful)), lost=len(_lost_lines(fc)))
        for removed, added in fc.blocks():
            if _squash("".join(ln.text for ln in removed)) == _squash("".join(ln.text for ln in added)):
                continue  # reformatting or re-wrapping only
            size.edited += removed + added
            # Comments and docstrings are prose: rewording them is the cosmetic edit a message may claim.
            size.substantive += [ln for ln in _block_substance(removed, added) if not _is_prose(ln.text, fc.path)]
        files.append(size)
    return ChangeSize(files, change.added_count, change.removed_count)


# ---- DR220: the message describes a smaller change ------------------------------------------

# What each kind of claim allows before the change is clearly more than the message says.
_CLAIMS = [
    # (pattern, what the message claims, substantive lines allowed, files allowed)
    (re.compile(r"\b(typos?|misspell\w*|spelling|wording|grammar|punctuation|whitespace|white space|"
                r"indentation|re-?indent\w*|re-?format\w*|formatting|cosmetic\w*|nits?|"
                r"(?:fix|update|improve|clarify|reword)\w* (?:a |the )?(?:comments?|docstrings?))\b", re.I),
     "a cosmetic edit", 6, 10),
    (re.compile(r"^(style)(\([^)]*\))?!?:", re.I), "a style-only edit", 6, 20),
    (re.compile(r"\b(minor|tiny|trivial|small|quick|simple|slight(?:ly)?|one[- ]line[rd]?|tweak\w*)\b", re.I),
     "a small change", 30, 5),
    # The project's own version only: bumping a tool ("bump mypy to 1.18", "bump versions of pre-commit hooks")
    # brings the fixes its new release asks for.
    (re.compile(r"\b(bump(?:s|ed)? (?:the )?version\b(?!s? of)|version bump|bump(?:s|ed)? to v?\d)", re.I),
     "a version bump", 8, 4),
]
# "label formatting", "date formatting": the formatting a program produces is a feature, not a cosmetic edit.
_OUTPUT_FORMATTING = re.compile(r"(?:\b(?!(?:fix|fixes|fixed|apply|applies|applied|run|runs|ran|code|source|the|some|"
                                r"minor|more|auto|black|ruff|prettier|style|and|a|of|in|with)\b)[a-z]+|`[^`\n]+`)\s+"
                                r"formatting\b",
                                re.I)
# "strip whitespace when ...", "preserve indentation": the text a program handles is behaviour, not a cosmetic edit.
_HANDLED_TEXT = re.compile(r"\b(?:strip|strips|stripped|stripping|trim\w*|preserv\w*|keep\w*|collaps\w*|normali[sz]\w*|"
                           r"ignor\w*|handl\w*|escap\w*|pars\w*|detect\w*|render\w*|wrap\w*|split\w*)\s+(?:\w+\s+)?"
                           r"(?:whitespace|white space|indentation|punctuation)\b", re.I)
# Words that say the change is big after all: then the message is not understating it.
_BIG = re.compile(r"\b(refactor\w*|rewrit\w*|re-?implement\w*|rework\w*|overhaul\w*|migrat\w*|port(?:ed|ing)? to|"
                  r"redesign\w*|restructur\w*|reorganiz\w*|replac\w*|introduc\w*|implement\w*|add(?:s|ed|ing)?|"
                  r"new|feature|support|and more|various|several|many|multiple)\b", re.I)


def _understated(message: str, subject: tuple[int, str], sized: Callable[[], ChangeSize]) -> list[Finding]:
    lineno, text = subject
    if _BIG.search(message):
        return []
    for pattern, claim, line_budget, file_budget in _CLAIMS:
        m = pattern.search(text)
        if not m or (m.group(0).lower() == "formatting" and _OUTPUT_FORMATTING.search(text)) \
                or _HANDLED_TEXT.search(text):
            continue
        size = sized()
        over = []
        if size.substantive > line_budget:
            over.append(f"{size.substantive} lines of real content change")
        if len(size.files) > file_budget:
            over.append(f"{len(size.files)} files")
        if any(f.rewritten for f in size.files):
            over.append("a file rewritten")
        if any(f.status in (ADDED, DELETED) and not is_doc_path(f.path) and f.substantive for f in size.files):
            over.append("files added or deleted")
        if not over:
            return []
        return [rules.make(
            "DR220",
            f"The message describes {claim} ('{m.group(0)}') but the change is larger: {', '.join(over)} "
            f"({size.describe()}).",
            evidence=text, range=Range.lines(lineno),
            question="Is all of this change meant to be in this commit? If so, say what it does in the message.",
            fix="Split the unrelated part into its own commit, or describe the whole change in the message.")]
    return []


# ---- DR221: claims the change does not make --------------------------------------------------

_TEST_CLAIM = re.compile(
    r"^tests?(\([^)]*\))?!?:|"
    r"\b(add(?:s|ed|ing)?|writ(?:e|es|ten|ing)|wrote|includ(?:e|es|ed|ing)|with|plus|new|more|extra|"
    r"expand(?:s|ed|ing)?|extend(?:s|ed|ing)?|improv(?:e|es|ed|ing)|increas(?:e|es|ed|ing))"
    r"\s+(?:\w+\s+){0,2}?(?:unit\s+|regression\s+|integration\s+|e2e\s+)?(?:tests?|test cases?|test coverage|coverage)\b",
    re.I | re.M)
_TEST_TYPE = re.compile(r"^tests?(\([^)]*\))?!?:", re.I)
_COVERAGE_DIRECTIVE = re.compile(r"\s*(?:#\s*pragma:\s*no\s*(?:cover|branch)\b|//\s*(?:istanbul|c8) ignore[^\n]*|"
                                 r"#\s*nocov\b)", re.I)
_NOT_TEST_COVERAGE = re.compile(r"\btyp(?:e|es|ing|ed)\s+(?:hint\s+|annotation\s+)?coverage\b", re.I)
_NEGATED_TESTS = re.compile(r"\b(no|without|skip\w*|missing|todo:?)\s+(?:\w+\s+)?tests?\b", re.I)
_DOCS_CLAIM = re.compile(
    r"^docs?(\([^)]*\))?!?:|\b(docs?|documentation|readme|comments?)[- ]only\b|"
    r"\bonly (?:the )?(docs?|documentation|readme|comments?)\b|\bno code changes?\b", re.I | re.M)
# The documentation's own build settings: part of the docs.
_DOCS_TOOLING = re.compile(r"(^|/)(?:\.readthedocs\.ya?ml|mkdocs\.ya?ml|docs?/conf\.py|docs?/requirements[^/]*\.txt|"
                           r"\.github/ISSUE_TEMPLATE/[^/]+|typos\.toml|\.codespellrc|_typos\.toml)$")
_PROSE = re.compile(r"""^\s*("{3}|'{3}|/\*\*?|\*|<!--|[A-Za-z][\w'`-]*(?:[ ,;:.!?()'`-]+[\w'`-]+){2,}[.:!?]?\s*("{3}|'{3}|\*/)?$)""")
_CODE_PUNCT = re.compile(r"[=\[\]{}();<>]|^\s*(def|class|function|return|import|from|if|for|while|var|let|const)\b")
# Names that read as code in a message: `quoted`, call(), snake_case, camelCase, dotted.name.
_CODE_NAME = re.compile(r"`([^`\s]{2,80})`|\b([A-Za-z_][\w]*(?:\.[A-Za-z_]\w*)*)\(\)|"
                        r"\b([a-z][a-z0-9]*(?:_[a-z0-9]+)+|_[a-z]\w+|[a-z]+[A-Z]\w*|[A-Za-z_]\w*\.[a-z_]\w*(?:\.\w+)*)\b")
_LEADING_TAG = re.compile(r"^\s*\[[^\]\n]{1,40}\]")
_FILE_EXT = re.compile(r"\.(py|pyi|js|jsx|ts|tsx|go|rs|java|rb|c|h|cc|cpp|md|rst|txt|toml|json|ya?ml|cfg|ini|lock)$", re.I)


def _is_prose(line: str, path: str) -> bool:
    """A comment or documentation line, as far as a line alone can tell."""
    from ..context.languages import language_for_path

    if not line.strip() or comment_body(line, language_for_path(path)) is not None:
        return True
    return bool(_PROSE.match(line)) and not _CODE_PUNCT.search(line)


def _tests_claimed_not_touched(message: str, change: Change) -> Finding | None:
    m = _TEST_CLAIM.search(message)
    if not m or _NEGATED_TESTS.search(m.group(0)) or _NOT_TEST_COVERAGE.search(m.group(0)):
        return None
    if any(is_test_path(fc.path) and (fc.added() or fc.status == ADDED) for fc in change.files):
        return None
    if _TEST_TYPE.match(m.group(0)) and any(is_test_path(fc.path) or is_test_tooling(fc.path) for fc in change.files):
        return None  # `test:` says the commit is about the tests: removing a fixture or fixing discovery is that
    added = sorted(_COVERAGE_DIRECTIVE.sub("", ln.text).rstrip() for fc in change.files for ln in fc.added())
    removed = sorted(ln.text.rstrip() for fc in change.files for ln in fc.removed())
    if added and added != sorted(ln.text.rstrip() for fc in change.files for ln in fc.added()) \
            and [t for t in added if t.strip()] == [t for t in removed if t.strip()]:
        return None  # only coverage pragmas change: what the tests measure
    lineno = message[:m.start()].count("\n")
    return rules.make(
        "DR221", f"The message says '{m.group(0).strip()}' but no test file is added or changed.",
        evidence=m.group(0).strip(), range=Range.lines(lineno),
        question="Were the tests left out of this commit (not staged)?",
        fix="Stage the test files, or drop the claim from the message.")


def _docs_claimed_code_changed(message: str, change: Change, sized: Callable[[], ChangeSize]) -> Finding | None:
    m = _DOCS_CLAIM.search(message)
    if not m:
        return None
    size = sized()
    # What ships is what "documentation only" promises not to change: maintainers' tools and scripts (the docs
    # build's among them) do not ship, and a file the message itself names is stated.
    lowered = message.lower()
    code = [f.path for f in size.files
            if not is_doc_path(f.path) and not _DOCS_TOOLING.search(f.path) and not is_support_path(f.path)
            and f.path.lower() not in lowered
            and any(not _is_prose(ln.text, f.path) for ln in f.edited)
            and not only_prose_changed(change.get(f.path))]
    if not code:
        return None
    lineno = message[:m.start()].count("\n")
    return rules.make(
        "DR221", f"The message says this is documentation only ('{m.group(0).strip()}') but code changes in "
                 f"{', '.join(code[:3])}{' and more' if len(code) > 3 else ''}.",
        evidence=m.group(0).strip(), range=Range.lines(lineno),
        question="Is the code change meant to be in this commit?",
        fix="Commit the code change separately with a message that describes it.")


def _mentioned_names(subject: str) -> list[tuple[str, int, int]]:
    out = []
    tag = _LEADING_TAG.match(subject)  # "[pre-commit.ci] ...": who or what sent it, not a name the change holds
    for m in _CODE_NAME.finditer(subject):
        if tag is not None and m.start() < tag.end():
            continue
        name = next(g for g in m.groups() if g)
        if m.group(1):  # `follow_symlinks=True`, `get(url)`: a quoted expression names its leading identifier
            lead = re.match(r"@?[\w./-]+", name)
            name = lead.group(0) if lead else name
        if re.match(r"^v?\d", name) or "://" in name or any(len(part) < 2 for part in name.split(".")) \
                or not re.search(r"[A-Za-z]", name):
            continue  # `[*]`, `3.12`: values, not names
        start = m.start()
        if not m.group(1) and _FILE_EXT.search(name):
            while start > 0 and (subject[start - 1].isalnum() or subject[start - 1] in "-_."):
                start -= 1  # "release-notes.md" is one file name, not "notes.md"
            name = subject[start:m.end()]
        out.append((name.strip("()").lstrip("@"), start, m.end()))
    return out


def _touches(change: Change, name: str) -> bool:
    """The change's paths, hunk headers, or the lines of its hunks mention the name."""
    if _FILE_EXT.search(name) or "/" in name:
        wanted = name.lower().lstrip("./")
        # "middleware/test_base" names tests/middleware/test_base.py: with or without its extension.
        # Files the change holds but does not read (a symlink, a submodule, an oversized file) are touched too.
        paths = [p for fc in change.files for p in (fc.path, fc.old_path)] + [p for p, _ in change.notes]
        if any(p and (p.lower().endswith(wanted) or p.lower().rsplit(".", 1)[0].endswith(wanted)) for p in paths):
            return True
        if _FILE_EXT.search(name):
            return False
        # Not a path after all: a protocol method (`workspace/didChangeConfiguration`), an action (`pre-commit/action`).
        if any(wanted in ln.text.lower() for fc in change.files for h in fc.hunks for ln in h.lines):
            return True
        return _touches_words(change, name)
    if _touches_words(change, name):
        return True
    leaves = {name.lower(), name.rsplit(".", 1)[-1].lower()}
    # `follow_symlinks` the parameter is stored as `follow_symlink`: one word, singular or plural.
    leaves |= {leaf[:-1] for leaf in leaves if leaf.endswith("s") and len(leaf) > DISTINCTIVE_WORD}
    for fc in change.files:
        stem = fc.path.rsplit("/", 1)[-1].split(".", 1)[0].lower()
        if stem in leaves or leaves & set(fc.path.lower().split("/")[:-1]):
            return True  # the module, or the package folder holding the changed file
        if leaves & _enclosing_names(fc):
            return True  # the change is inside that function, below its header
        if any(leaf in head.lower() for head in _open_calls(fc) for leaf in leaves):
            return True  # an argument added to a call that opens above the diff's context
        for h in fc.hunks:
            if any(leaf in h.header.lower() for leaf in leaves):
                return True
            if any(leaf in ln.text.lower() for ln in h.lines for leaf in leaves):
                return True
    return False


def _touches_words(change: Change, name: str) -> bool:
    """The name's words in a row in a changed line or header, however spelled: `workspace.ignoreFolders` is
    `ignore_folders` in Python, `didChangeConfig` is `did_change_configuration` (a last word shortened)."""
    words = [p for p in split_identifier(name.rsplit("/", 1)[-1].rsplit(".", 1)[-1]) if len(p) >= 2]
    if len(words) < 2:
        return False

    def holds(text: str) -> bool:
        return any(holds_in_row(split_identifier(ident), words, shortened_last=True) for ident in IDENTIFIER.findall(text))

    return any(holds(h.header) or any(holds(ln.text) for ln in h.lines) for fc in change.files for h in fc.hunks)


_CALL_REACH = 30  # lines above a changed line searched for the bracket it sits in


def _open_calls(fc) -> list[str]:
    """The lines that open the brackets the changed lines sit in (`x = get_fields(` above `+ dict_cls=dict,`)."""
    out = []
    for side, lines in (("new", fc.added()), ("old", fc.removed())):
        text = fc.new_text if side == "new" else fc.old_text
        if text is None or not lines:
            continue
        rows = text.split("\n")
        for ln in lines[:_CALL_REACH]:
            no = (ln.new_no if side == "new" else ln.old_no) or 0
            depth = 0
            for k in range(no - 2, max(no - 2 - _CALL_REACH, -1), -1):
                row = rows[k] if 0 <= k < len(rows) else ""
                depth += row.count(")") + row.count("]") + row.count("}") - row.count("(") - row.count("[") - row.count("{")
                if depth < 0:
                    out.append(row)
                    break
    return out


def _enclosing_names(fc) -> set[str]:
    """Names of the definitions that enclose the change's lines (with the whole file known)."""
    if fc.binary or fc.lock_file or (fc.new_text is None and fc.old_text is None):
        return set()
    lang = fc.language
    names: set[str] = set()
    for side, lines in (("new", fc.added()), ("old", fc.removed())):
        defs = fc.derived(side, definitions, lang)
        for ln in lines:
            no = ln.new_no if side == "new" else ln.old_no
            found = enclosing_definition(defs, no, ln.text) if no else None
            if found:
                names.add(found.lower())
    return names


def _names_not_touched(subject: tuple[int, str], change: Change) -> list[Finding]:
    lineno, text = subject
    out = []
    for name, start, end in _mentioned_names(text):
        if _touches(change, name):
            continue
        out.append(rules.make(
            "DR221", f"The message names `{name}` but the change does not touch it.",
            evidence=name, range=Range.lines(lineno),
            question=f"Is the change to `{name}` missing from this commit, or does the message name the wrong thing?",
            fix="Stage the missing change, or name what the commit actually changes."))
    return out


# ---- the request-side checks that apply to a message ----------------------------------------

# XY104 (unknown reference) is left out: a commit often names what it adds, which HEAD cannot know.
# XY110 (no acceptance criteria) too: a message reports what was done, it does not ask for it.
# ---- entry point -------------------------------------------------------------------------------


def check_message(message: str, change: Change) -> list[Finding]:
    """Findings about the commit message against the staged change. `message` should be cleaned.

    The message read as a request (wording, hidden characters) is the pipeline's part: edits never import request."""
    if _skip_message(message):
        return []
    subject = _subject(message)
    sizes: list[ChangeSize] = []

    def sized() -> ChangeSize:
        """The change measured once, and only when a claim in the message needs its size."""
        if not sizes:
            sizes.append(measure(change))
        return sizes[0]

    findings = _understated(message, subject, sized)
    for claim in (_tests_claimed_not_touched(message, change), _docs_claimed_code_changed(message, change, sized)):
        if claim is not None:
            findings.append(claim)
    findings += _names_not_touched(subject, change)
    return findings
