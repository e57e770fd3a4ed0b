"""Where goal states live: one JSON file per session, per repository, safe under concurrent writers.

In a git repository: `<git dir>/xyguard/sessions/<ID>.json` (never
committed, shared by every work-tree tool). Elsewhere: the platform cache
folder, under a hash of the root. Writers take an exclusive `flock` on a
sibling lock file for the whole read-modify-write, and write through a temp
file + os.replace, so a reader never sees half a file and no update is lost.

The git dir comes with the repository (an archive, a clone of a hostile
project), so what is there is untrusted: a symlinked `xyguard` or
`sessions` folder is refused (sessions would be written outside the
repository), and session and lock files are opened with O_NOFOLLOW and
O_NONBLOCK and must be regular files (a FIFO there used to hang
`request --session` and every server worker; a symlink was followed).
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import json
import os
import re
import stat
import tempfile
from pathlib import Path
from typing import Callable, Iterator

from .goal_state import GoalState

try:  # POSIX; on Windows updates are still atomic (os.replace) but not serialised.
    import fcntl
except ImportError:  # pragma: no cover
    fcntl = None  # type: ignore[assignment]

_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$")
MAX_SESSION_BYTES = 4 * 1024 * 1024


class SessionError(ValueError):
    """A bad session id or an unreadable session file; the message says which and what to do."""


def check_session_id(session_id: str) -> str:
    if not isinstance(session_id, str) or not _ID.match(session_id) or ".." in session_id:
        raise SessionError(f"invalid session id {session_id!r}: use letters, digits, '.', '_' or '-' "
                           "(at most 128, not starting with a dot)")
    return session_id


# Per process: a root's git dir does not move (every store asked git again).
_LOCATIONS: dict[Path, tuple[Path, tuple[Path, ...]]] = {}


def sessions_location(root: str | os.PathLike) -> tuple[Path, tuple[Path, ...]]:
    """The sessions folder for `root`, and the folders on its path that came with the repository (must be real
    folders, never symlinks)."""
    root = Path(root).resolve()
    found = _LOCATIONS.get(root)
    if found is None:
        found = _LOCATIONS[root] = _sessions_location(root)
    return found


def _sessions_location(root: Path) -> tuple[Path, tuple[Path, ...]]:
    from ..context.gitrun import Git, GitError

    git_dir = None
    try:
        git_dir = Git(root).git_dir()
    except (GitError, OSError):
        git_dir = None
    if git_dir is not None:
        ours = git_dir / "xyguard"
        return ours / "sessions", (ours, ours / "sessions")
    import platformdirs

    key = hashlib.sha256(str(root).encode("utf-8", "surrogateescape")).hexdigest()[:16]
    return Path(platformdirs.user_cache_dir("xyguard")) / "sessions" / key, ()


def sessions_dir(root: str | os.PathLike) -> Path:
    return sessions_location(root)[0]


def _check_folder(folder: Path) -> bool:
    """True when `folder` exists as a real folder, False when absent; SessionError for anything else."""
    try:
        st = os.lstat(folder)
    except FileNotFoundError:
        return False
    except OSError as exc:
        raise SessionError(f"cannot use the session folder {folder}: {exc.strerror}") from None
    if stat.S_ISLNK(st.st_mode):
        raise SessionError(f"{folder} is a symbolic link; refusing to keep sessions through it")
    if not stat.S_ISDIR(st.st_mode):
        raise SessionError(f"{folder} is not a folder")
    return True


def _open_regular(path: Path, flags: int, what: str, mode: int = 0o600) -> int:
    """A descriptor for `path` that is a regular file: no symlink followed, no FIFO or device waited on."""
    try:
        fd = os.open(path, flags | os.O_NOFOLLOW | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0), mode)
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise SessionError(f"{what}: {path} is a symbolic link; refusing to follow it") from None
        raise
    if not stat.S_ISREG(os.fstat(fd).st_mode):
        os.close(fd)
        raise SessionError(f"{what}: {path} is not a regular file (a FIFO, device or folder); "
                           "remove it to start the session afresh")
    if flags & (os.O_WRONLY | os.O_RDWR) == 0:  # reads block normally again once it is known to be a file
        os.set_blocking(fd, True)
    return fd


def _head(root: Path) -> str | None:
    """The commit HEAD points at, or None (no repository, no commit yet, git unusable)."""
    from ..context.gitrun import Git, GitError

    try:
        return Git(root).head()
    except (GitError, OSError, ValueError):
        return None


class SessionStore:
    def __init__(self, root: str | os.PathLike, directory: str | os.PathLike | None = None):
        self.root = Path(root)
        self.guarded: tuple[Path, ...]
        if directory is not None:
            self.directory, self.guarded = Path(directory), (Path(directory),)
        else:
            self.directory, self.guarded = sessions_location(root)

    def path(self, session_id: str) -> Path:
        return self.directory / f"{check_session_id(session_id)}.json"

    def _folders_ready(self) -> bool:
        """True when the sessions folder exists; SessionError when a folder on its way is not a real folder."""
        return all([_check_folder(folder) for folder in self.guarded]) if self.guarded else self.directory.is_dir()

    def exists(self, session_id: str) -> bool:
        path = self.path(session_id)
        if not self._folders_ready():
            return False
        try:
            mode = os.lstat(path).st_mode
        except FileNotFoundError:
            return False
        except OSError as exc:
            raise SessionError(f"session {session_id}: cannot read {path}: {exc.strerror}") from None
        if stat.S_ISLNK(mode):
            raise SessionError(f"session {session_id}: {path} is a symbolic link; refusing to follow it")
        if not stat.S_ISREG(mode):
            raise SessionError(f"session {session_id}: {path} is not a regular file (a FIFO, device or folder); "
                               "remove it to start the session afresh")
        return True

    def ids(self) -> list[str]:
        if not self._folders_ready():
            return []
        return sorted(p.stem for p in self.directory.glob("*.json") if _ID.match(p.stem))

    def load(self, session_id: str) -> GoalState:
        """The session's state, or a fresh empty one when it does not exist yet."""
        path = self.path(session_id)
        if not self._folders_ready():
            return GoalState(session=session_id)
        try:
            fd = _open_regular(path, os.O_RDONLY, f"session {session_id}")
        except FileNotFoundError:
            return GoalState(session=session_id)
        except OSError as exc:
            raise SessionError(f"session {session_id}: cannot read {path}: {exc.strerror}") from None
        try:
            with os.fdopen(fd, "rb") as fh:
                data = fh.read(MAX_SESSION_BYTES + 1)
        except OSError as exc:
            raise SessionError(f"session {session_id}: cannot read {path}: {exc.strerror}") from None
        if len(data) > MAX_SESSION_BYTES:
            raise SessionError(f"session {session_id}: {path} is larger than {MAX_SESSION_BYTES // 1024 // 1024} MB")
        try:
            state = GoalState.from_dict(json.loads(data.decode("utf-8")))
        except (ValueError, KeyError, TypeError, RecursionError) as exc:
            raise SessionError(f"session {session_id}: {path} is not a valid session file ({exc}); "
                               f"`xyguard session reset {session_id}` starts it afresh") from None
        state.session = session_id
        return state

    def update(self, session_id: str, fn: Callable[[GoalState], object]) -> GoalState:
        """Load, apply `fn` (which mutates the state), and save — as one step no other writer interleaves."""
        with self._locked(session_id):
            new = not self.exists(session_id)
            state = self.load(session_id)
            if new:
                state.baseline = _head(self.root)  # "the session start": what drift can be measured from
            fn(state)
            self._write(session_id, state)
            return state

    def reset(self, session_id: str) -> bool:
        """Forget the session. True when there was something to forget."""
        with self._locked(session_id):
            try:
                self.path(session_id).unlink()
                return True
            except FileNotFoundError:
                return False

    # ---- internals ------------------------------------------------------------------------

    def _make_folders(self) -> None:
        for folder in self.guarded or (self.directory,):
            if _check_folder(folder) if self.guarded else folder.is_dir():
                continue
            try:
                folder.mkdir(mode=0o700, parents=True, exist_ok=True)
            except OSError as exc:
                raise SessionError(f"cannot create the session folder {folder}: {exc.strerror}") from None
            _check_folder(folder)  # nothing swapped a link in between

    @contextlib.contextmanager
    def _locked(self, session_id: str) -> Iterator[None]:
        path = self.path(session_id)
        self._make_folders()
        lock = path.with_suffix(".lock")
        try:
            fd = _open_regular(lock, os.O_RDWR | os.O_CREAT, f"session {session_id}")
        except OSError as exc:
            raise SessionError(f"session {session_id}: cannot lock {lock}: {exc.strerror}") from None
        try:
            if fcntl is not None:
                fcntl.flock(fd, fcntl.LOCK_EX)
            yield
        finally:
            if fcntl is not None:
                fcntl.flock(fd, fcntl.LOCK_UN)
            os.close(fd)

    def _write(self, session_id: str, state: GoalState) -> None:
        path = self.path(session_id)
        try:
            fd, tmp = tempfile.mkstemp(prefix=f".{session_id}.", suffix=".tmp", dir=path.parent)
        except OSError as exc:
            raise SessionError(f"session {session_id}: cannot write in {path.parent}: {exc.strerror}") from None
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                json.dump(state.to_dict(include_internal=True), fh, ensure_ascii=False, indent=1)
                fh.flush()
                os.fsync(fh.fileno())
            os.replace(tmp, path)  # replaces a planted link or FIFO itself, never what it points at
        except BaseException as exc:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
            if isinstance(exc, OSError):
                raise SessionError(f"session {session_id}: cannot write {path}: {exc.strerror}") from None
            raise
