"""Fresh drift: notice commits, checkouts and resets made outside the editor.

Drift diagnostics compare an open file with HEAD. A commit made in a
terminal or by an agent moves HEAD without touching any open document, so
without this module the diagnostics would describe the old HEAD until the
next edit or save. For each workspace folder inside a git repository it
follows three things:

- `HEAD` (a checkout, a commit on a detached HEAD),
- the ref HEAD points at, loose or in `packed-refs` (a commit, a reset, an amend),
- the index (an add, a reset, a stash).

When the client can watch files for us (`workspace/didChangeWatchedFiles`
with dynamic registration: VS Code, Neovim 0.9+), the server registers
watchers for them and checks on each event, with a slow safety poll in case
the client drops events inside `.git`. Otherwise (Neovim 0.7/0.8, Helix,
...) it polls. A check reads two small files and stats two more: no git
process runs and nothing in the repository is executed, so it is cheap
enough for the event loop and safe on an untrusted repository.

On a change the drift baselines of that repository are forgotten and the
folder's open documents analysed again; when HEAD moved, the workspace
context (history, API surface) is rebuilt first, which re-analyses them.

Wiring: `register(server)` (called from `create_server`) starts watching a
folder when its context is first built and chains onto the server's
`workspace/didChangeWatchedFiles` handler.
"""

from __future__ import annotations

import asyncio
import logging
import os
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable

from lsprotocol import types

if TYPE_CHECKING:
    from .server import XyguardServer

log = logging.getLogger("xyguard.lsp")

POLL_S = 0.5  # without file events from the client
SAFETY_POLL_S = 5.0  # with them: a client that drops events inside .git still catches up
SETTLE_S = 0.05  # a commit writes the index, the ref and the reflog in quick succession: one check for all
REGISTRATION_ID = "xyguard-git-watch"
_MAX_READ = 4096  # HEAD, a loose ref, `.git` and `commondir` files are a line each


@dataclass(frozen=True)
class GitFiles:
    """Where a work tree's git state lives (a linked worktree keeps HEAD and index apart from the refs)."""

    top: Path  # the work tree's top folder
    git_dir: Path  # HEAD, index
    common_dir: Path  # refs/, packed-refs


def _read(path: Path) -> str | None:
    """A small regular file's text; None for anything else (a FIFO or a device must never block us)."""
    try:
        if not stat.S_ISREG(os.stat(path).st_mode):
            return None
        with open(path, "rb") as handle:
            return handle.read(_MAX_READ).decode("utf-8", "replace")
    except OSError:
        return None


def _stat(path: Path) -> tuple[int, int, int] | None:
    try:
        st = os.stat(path)
    except OSError:
        return None
    return (st.st_ino, st.st_mtime_ns, st.st_size) if stat.S_ISREG(st.st_mode) else None


def find_git(root: Path) -> GitFiles | None:
    """The git files of the repository holding `root` (walking up, as git does), or None."""
    for folder in (root, *root.parents):
        dotgit = folder / ".git"
        try:
            mode = os.stat(dotgit).st_mode
        except OSError:
            continue
        if stat.S_ISDIR(mode):
            git_dir = dotgit
        elif stat.S_ISREG(mode):  # a linked worktree or a submodule: "gitdir: <path>"
            text = _read(dotgit) or ""
            if not text.startswith("gitdir:"):
                return None
            git_dir = folder / text[len("gitdir:"):].strip()
        else:
            return None
        common = _read(git_dir / "commondir")
        common_dir = git_dir / common.strip() if common and common.strip() else git_dir
        return GitFiles(folder, Path(os.path.normpath(git_dir)), Path(os.path.normpath(common_dir)))
    return None


def _safe_ref(ref: str) -> bool:
    parts = ref.split("/")
    return ref.startswith("refs/") and not os.path.isabs(ref) and ".." not in parts and "" not in parts


def read_state(files: GitFiles) -> tuple[tuple, tuple]:
    """(where HEAD points, the index's identity): equal states mean nothing a baseline depends on moved."""
    head = _read(files.git_dir / "HEAD")
    ref_value: str | None = None
    packed = None
    if head is not None and head.startswith("ref:"):
        ref = head[len("ref:"):].strip()
        if _safe_ref(ref):
            ref_value = _read(files.common_dir / ref)
            if ref_value is None:  # not loose: it lives in packed-refs (or the branch has no commit yet)
                packed = _stat(files.common_dir / "packed-refs")
    return (head, ref_value, packed), (_stat(files.git_dir / "index"),)


class GitWatch:
    def __init__(self, server: "XyguardServer"):
        self.server = server
        self._repos: dict[Path, tuple[GitFiles, tuple, tuple]] = {}  # workspace folder -> files, HEAD state, index
        self._registered: set[Path] = set()  # git dirs the client watches for us
        self._string_globs_registered = False
        self._poll: asyncio.Task | None = None
        self._soon: asyncio.TimerHandle | None = None
        self.client_watches = False

    # ---- which folders -----------------------------------------------------------------

    def watch(self, root: Path) -> None:
        """Follow the git state of the repository holding this workspace folder (idempotent)."""
        if root in self._repos:
            return
        files = find_git(root)
        if files is None:
            return
        head, index = read_state(files)
        self._repos[root] = (files, head, index)
        log.debug("watching %s for commits and checkouts", files.git_dir)
        self._ask_client_to_watch(files)
        self._start_polling()

    def _ask_client_to_watch(self, files: GitFiles) -> None:
        caps = self.server.client_capabilities
        watched = caps.workspace.did_change_watched_files if caps and caps.workspace else None
        if not (watched and watched.dynamic_registration):
            return
        self.client_watches = True
        watchers = []
        if watched.relative_pattern_support:
            # Relative patterns reach a git dir outside the workspace folder too (a linked worktree).
            for base, names in ((files.git_dir, ("HEAD", "index")), (files.common_dir, ("packed-refs", "refs/heads/**"))):
                key = base / "|".join(names)
                if key in self._registered:
                    continue
                self._registered.add(key)
                watchers += [types.FileSystemWatcher(glob_pattern=types.RelativePattern(base_uri=base.as_uri(), pattern=name))
                             for name in names]
        elif not self._string_globs_registered:
            self._string_globs_registered = True
            watchers = [types.FileSystemWatcher(glob_pattern=f"**/.git/{name}")
                        for name in ("HEAD", "index", "packed-refs", "refs/heads/**")]
        if not watchers:
            return
        options = types.DidChangeWatchedFilesRegistrationOptions(watchers=watchers)
        try:
            sent = self.server.client_register_capability(types.RegistrationParams(registrations=[types.Registration(
                id=f"{REGISTRATION_ID}-{len(self._registered)}", method=types.WORKSPACE_DID_CHANGE_WATCHED_FILES,
                register_options=options)]))
        except Exception as exc:
            self._refused(exc)
            return
        if sent is not None and hasattr(sent, "add_done_callback"):
            sent.add_done_callback(self._registration_answered)

    def _registration_answered(self, answer) -> None:
        if not answer.cancelled() and answer.exception() is not None:
            self._refused(answer.exception())

    def _refused(self, exc: BaseException | None) -> None:
        """The client would not watch: poll at the fast rate instead."""
        log.info("the client did not register the git file watchers (%s); polling instead", exc)
        self.client_watches = False

    def _start_polling(self) -> None:
        if self._poll is None or self._poll.done():
            try:
                self._poll = asyncio.get_running_loop().create_task(self._polling())
            except RuntimeError:  # no event loop: only a unit test calling check() itself
                pass

    async def _polling(self) -> None:
        while self._repos:
            await asyncio.sleep(SAFETY_POLL_S if self.client_watches else POLL_S)
            try:
                self.check()
            except Exception:  # a broken repository must not stop the watch of the others
                log.exception("checking the git state failed")

    # ---- noticing a change -------------------------------------------------------------

    def soon(self) -> None:
        """A watched file changed (or may have): check once the burst of writes has settled."""
        if self._soon is not None:
            self._soon.cancel()
        try:
            self._soon = asyncio.get_running_loop().call_later(SETTLE_S, self._check_logged)
        except RuntimeError:  # no loop (a unit test calling the handler directly)
            self._check_logged()

    def _check_logged(self) -> None:
        self._soon = None
        try:
            self.check()
        except Exception:
            log.exception("checking the git state failed")

    def check(self) -> list[Path]:
        """Compare every watched folder's git state with the last one seen; refresh those that moved."""
        live = set(self.server.workspaces.roots())
        changed = []
        for root, (files, head, index) in list(self._repos.items()):
            if root not in live:  # the folder was closed
                del self._repos[root]
                continue
            new_head, new_index = read_state(files)
            if (new_head, new_index) == (head, index):
                continue
            self._repos[root] = (files, new_head, new_index)
            self.refresh(root, files, head_moved=new_head != head)
            changed.append(root)
        return changed

    def refresh(self, root: Path, files: GitFiles, head_moved: bool) -> None:
        server = self.server
        log.info("%s in %s: refreshing drift", "HEAD moved" if head_moved else "the index changed", files.top)
        server.drift.forget_baselines(files.top.resolve())
        if head_moved:
            # The history and the API surface at HEAD changed too; the rebuilt context re-analyses the folder.
            known = server.workspaces.ready(root) is not None
            server.workspaces.invalidate(root)
            if known:
                return
        server.reanalyse(root)


def _chain(original: Callable[..., Any], after: Callable[[], None]) -> Callable[..., Any]:
    """`original` (sync or async), then `after`: pygls keeps one handler per notification."""
    if asyncio.iscoroutinefunction(original):
        async def chained_async(*args: Any, **kwargs: Any) -> Any:
            try:
                return await original(*args, **kwargs)
            finally:
                after()
        return chained_async

    def chained(*args: Any, **kwargs: Any) -> Any:
        try:
            return original(*args, **kwargs)
        finally:
            after()
    return chained


def register(server: "XyguardServer") -> GitWatch:
    watch = GitWatch(server)
    server.workspaces.on_ready.append(watch.watch)
    features = server.protocol.fm.features
    method = types.WORKSPACE_DID_CHANGE_WATCHED_FILES
    if method in features:
        features[method] = _chain(features[method], watch.soon)
    else:
        @server.feature(method)
        def did_change_watched_files(ls: "XyguardServer", params: types.DidChangeWatchedFilesParams) -> None:
            watch.soon()
    return watch
