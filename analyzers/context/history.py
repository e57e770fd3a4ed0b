"""Design history from git, read in streams (never one process per commit).

1. One `git log --name-status` stream over all new commits: per-file change
   counts and recency, co-change pairs, renames, reverts, decision commits.
2. One `git log -p` stream limited to manifest paths: dependencies removed.
3. One `git show` for the (few) revert and removal commits: the lines and
   symbols they took out, so an edit that puts them back can be recognised.

Incremental: when the cached head is an ancestor of HEAD only `old..HEAD` is
read and merged; otherwise (rebase, force-push) everything is re-read.
"""

from __future__ import annotations

import re
import threading
from dataclasses import asdict
from itertools import combinations

from .cancel import Cancelled
from .gitrun import Git, GitError
from .manifests import dependency_names_in_line
from .model import (Commit, Decision, DependencyRemoval, FileHistory, History, Rename, Revert)

RS, US, END = "\x1e", "\x1f", "\x1d"
_LOG_FORMAT = f"--format={RS}%H{US}%P{US}%at{US}%s{US}%b{END}"
MAX_COCHANGE_FILES = 20  # bulk commits (reformatting, vendoring) say nothing about coupling
MAX_RECENT = 200
MAX_PATCHED_COMMITS = 100
MAX_LINES_PER_COMMIT = 400
MANIFEST_PATHSPECS = [
    ":(glob)**/pyproject.toml", ":(glob)**/setup.cfg", ":(glob)**/setup.py", ":(glob)**/requirements*.txt",
    ":(glob)**/requirements*.in", ":(glob)**/package.json", ":(glob)**/go.mod", ":(glob)**/Cargo.toml",
    ":(glob)**/pom.xml", ":(glob)**/build.gradle", ":(glob)**/build.gradle.kts", ":(glob)**/Pipfile",
]

_REVERTS = re.compile(r"This reverts commit ([0-9a-f]{7,40})")
_PHRASE_END = re.compile(r"\s+(?:for|in|on|because|since|so|as|to fix|to avoid|which|that|when|from)\b.*$|[.;:,!(\[].*$", re.I)
_DECISIONS = [
    ("replace", re.compile(r"\breplac(?:e|es|ed|ing)\s+(?P<a>.+?)\s+(?:with|by)\s+(?P<b>.+)", re.I)),
    ("replace", re.compile(r"\bswitch(?:ed|es|ing)?\s+from\s+(?P<a>.+?)\s+to\s+(?P<b>.+)", re.I)),
    ("instead", re.compile(r"\buse[sd]?\s+(?P<b>.+?)\s+instead\s+of\s+(?P<a>.+)", re.I)),
    ("migrate", re.compile(r"\b(?:migrat|mov|port)(?:e|es|ed|ing)?\s+(?:from\s+(?P<a>.+?)\s+)?to\s+(?P<b>.+)", re.I)),
    ("remove", re.compile(r"^(?:\w+(?:\([\w-]+\))?:\s*)?(?:drop|remove|delete|get rid of|eliminate|rip out)(?:s|d|ped|ping|ed)?\s+"
                          r"(?:the\s+|our\s+|unused\s+)*(?:dependency\s+on\s+|use\s+of\s+|support\s+for\s+|usage\s+of\s+)?(?P<a>.+)", re.I)),
    ("avoid", re.compile(r"\b(?:don'?t|do not|never|avoid|stop)\s+(?:using\s+|use\s+)?(?P<a>.+)", re.I)),
]
_SYMBOL_DEF = re.compile(
    r"^\s*(?:export\s+)?(?:pub(?:\([\w\s]+\))?\s+)?(?:async\s+)?(?:def|class|function|fn|func|interface|struct|trait|enum|type)\s+"
    r"(?:\([^)]*\)\s*)?([A-Za-z_][\w]*)")


def _phrase(text: str | None) -> list[str]:
    if not text:
        return []
    text = text.strip().strip("`'\"")
    text = _PHRASE_END.sub("", text).strip().strip("`'\"")
    words = text.split()
    if not words or len(words) > 5:
        return []
    return [" ".join(words)]


def classify_decision(subject: str) -> tuple[str, list[str], list[str]] | None:
    """(kind, removed, chosen) when a commit subject records a design choice."""
    for kind, pattern in _DECISIONS:
        m = pattern.search(subject)
        if m:
            removed = _phrase(m.groupdict().get("a"))
            chosen = _phrase(m.groupdict().get("b"))
            if removed or chosen:
                return kind, removed, chosen
    return None


def normalise_line(line: str) -> str:
    return " ".join(line.split())


def _meaningful(line: str) -> bool:
    s = normalise_line(line)
    return len(s) >= 8 and any(c.isalnum() for c in s) and not s.startswith(("#", "//", "*", "/*"))


def _stream_log(git: Git, rev_range: list[str], extra: list[str]):
    """Yield (sha, parents, time, subject, body, name_status_lines) per commit."""
    header: list[str] = []
    in_header = False
    current = None
    for raw in git.stream(["log", "--no-color", _LOG_FORMAT, *extra, *rev_range, "--"]):
        line = raw.decode("utf-8", "replace").rstrip("\n")
        if line.startswith(RS):
            if current is not None:
                yield current
            header = [line[1:]]
            in_header = END not in line
            if not in_header:
                current = _commit_from_header(header)
            continue
        if in_header:
            header.append(line)
            if END in line:
                in_header = False
                current = _commit_from_header(header)
            continue
        if current is not None and line:
            current[5].append(line)
    if current is not None:
        yield current


def _commit_from_header(lines: list[str]):
    text = "\n".join(lines)
    text = text[: text.index(END)] if END in text else text
    parts = text.split(US)
    sha, parents, at, subject = parts[0], parts[1], parts[2], parts[3]
    body = parts[4] if len(parts) > 4 else ""
    return [sha, parents.split(), int(at or 0), subject, body, []]


def _to_history(data: dict) -> History:
    h = History(**{k: v for k, v in data.items() if k not in (
        "files", "renames", "reverts", "dependency_removals", "decisions", "recent")})
    h.files = {p: FileHistory(**v) for p, v in data.get("files", {}).items()}
    h.renames = [Rename(**r) for r in data.get("renames", [])]
    h.reverts = [Revert(**r) for r in data.get("reverts", [])]
    h.dependency_removals = [DependencyRemoval(**r) for r in data.get("dependency_removals", [])]
    h.decisions = [Decision(**r) for r in data.get("decisions", [])]
    h.recent = [Commit(**r) for r in data.get("recent", [])]
    return h


def read_history(git: Git, cache=None, cancel: threading.Event | None = None) -> History:
    head = git.head()
    if head is None:  # empty repository, unborn HEAD
        return History(available=False)
    detached = git.run(["symbolic-ref", "-q", "HEAD"], check=False).strip() == b""
    shallow = git.is_shallow()
    cached = cache.get("history") if cache is not None else None
    base: History | None = None
    rev_range = [head]
    if cached and cached.get("head") == head:
        h = _to_history(cached)
        h.detached, h.shallow = detached, shallow
        return h
    if cached and cached.get("head"):
        old = cached["head"]
        if _is_ancestor(git, old, head):
            base = _to_history(cached)
            rev_range = [f"{old}..{head}"]
    history = base or History()
    history.available, history.head, history.detached, history.shallow = True, head, detached, shallow
    new_commits = _read_log(git, rev_range, history, cancel)
    # Patches need old blobs. A partial clone lacks them and lazy fetching is off (GIT_NO_LAZY_FETCH), so
    # git stops at the first missing one: keep what was read before it rather than lose the whole history.
    for read_patches in (lambda: _read_manifest_removals(git, rev_range, history, cancel),
                         lambda: _read_removed_lines(git, history, new_commits)):
        try:
            read_patches()
        except GitError:
            pass
    history.recent = (new_commits + history.recent)[:MAX_RECENT]
    if cache is not None:
        cache.put("history", asdict(history))
    return history


def _is_ancestor(git: Git, old: str, new: str) -> bool:
    try:
        git.run(["merge-base", "--is-ancestor", old, new], timeout=30)
        return True
    except GitError:
        return False


def _read_log(git: Git, rev_range: list[str], h: History, cancel) -> list[Commit]:
    new: list[Commit] = []
    count = 0
    for sha, parents, at, subject, body, status_lines in _stream_log(git, rev_range, ["--name-status", "-M"]):
        count += 1
        if cancel is not None and count % 500 == 0 and cancel.is_set():
            raise Cancelled()
        files = []
        for entry in status_lines:
            parts = entry.split("\t")
            status = parts[0]
            if status.startswith("R") and len(parts) == 3:
                h.renames.append(Rename(old=parts[1], new=parts[2], sha=sha))
                files.append(parts[2])
            elif len(parts) >= 2:
                files.append(parts[-1])
        for path in files:
            fh = h.files.get(path)
            if fh is None:
                fh = h.files[path] = FileHistory()
            fh.changes += 1
            if at >= fh.last_time:
                fh.last_time, fh.last_sha = at, sha
        if 2 <= len(files) <= MAX_COCHANGE_FILES:
            for a, b in combinations(sorted(set(files)), 2):
                row = h.cochange.setdefault(a, {})
                row[b] = row.get(b, 0) + 1
                row = h.cochange.setdefault(b, {})
                row[a] = row.get(a, 0) + 1
        commit = Commit(sha=sha, time=at, subject=subject, files=files[:50])
        if len(new) < MAX_RECENT:
            new.append(commit)
        reverted = _REVERTS.search(body)
        if subject.startswith("Revert ") or reverted:
            h.reverts.append(Revert(sha=sha, time=at, subject=subject, reverted_sha=reverted.group(1) if reverted else None,
                                    files=files[:50]))
            continue
        decision = classify_decision(subject)
        if decision is not None:
            kind, removed, chosen = decision
            h.decisions.append(Decision(sha=sha, time=at, subject=subject, kind=kind, removed=removed, chosen=chosen,
                                        files=files[:50]))
    h.commits += count
    return new


def _read_manifest_removals(git: Git, rev_range: list[str], h: History, cancel) -> None:
    """Dependencies a commit removed from a manifest without adding back in the same commit."""
    current: dict | None = None
    path = None

    def flush(c):
        if not c:
            return
        for manifest, (removed, added) in c["files"].items():
            for name in sorted(removed - added):
                h.dependency_removals.append(DependencyRemoval(name=name, manifest=manifest, sha=c["sha"],
                                                               time=c["time"], subject=c["subject"]))

    for raw in git.stream(["log", "--no-color", f"--format={RS}%H{US}%at{US}%s", "-p", "--unified=0", "--no-renames",
                           *rev_range, "--", *MANIFEST_PATHSPECS]):
        line = raw.decode("utf-8", "replace").rstrip("\n")
        if line.startswith(RS):
            flush(current)
            sha, at, subject = (line[1:].split(US) + ["", "", ""])[:3]
            current = {"sha": sha, "time": int(at or 0), "subject": subject, "files": {}}
            path = None
        elif line.startswith("+++ ") or line.startswith("--- "):
            if line.startswith("+++ "):
                target = line[4:]
                path = target[2:] if target.startswith("b/") else None
        elif line.startswith("diff --git "):
            m = re.match(r"diff --git a/(.*) b/(.*)$", line)
            path = m.group(1) if m else None
        elif current is not None and path and line[:1] in "+-" and not line.startswith(("+++", "---")):
            removed, added = current["files"].setdefault(path, (set(), set()))
            for name in dependency_names_in_line(path, line[1:]):
                (added if line[0] == "+" else removed).add(name)
    flush(current)


def _read_removed_lines(git: Git, h: History, new_commits: list[Commit]) -> None:
    """Lines and symbols taken out by reverts and removal decisions (one `git show` for all)."""
    new_shas = {c.sha for c in new_commits}
    targets: dict[str, object] = {}
    for r in h.reverts:
        if r.sha in new_shas:
            targets[r.sha] = r
    for d in h.decisions:
        if d.sha in new_shas and d.kind in ("remove", "replace", "revert"):
            targets[d.sha] = d
    shas = list(targets)[:MAX_PATCHED_COMMITS]
    if not shas:
        return
    current = None
    for raw in git.stream(["show", "--no-color", f"--format={RS}%H", "-p", "--unified=0", *shas, "--"]):
        line = raw.decode("utf-8", "replace").rstrip("\n")
        if line.startswith(RS):
            current = targets.get(line[1:].strip())
            continue
        if current is None or not line.startswith("-") or line.startswith("---"):
            continue
        body = line[1:]
        m = _SYMBOL_DEF.match(body)
        if m and m.group(1) not in current.removed_symbols:
            current.removed_symbols.append(m.group(1))
        if _meaningful(body) and len(current.removed_lines) < MAX_LINES_PER_COMMIT:
            current.removed_lines.append(normalise_line(body))
