"""Where goal states live: one JSON file per session, per repository, safe under concurrent writers.

In a git repository: `<git dir>/xyguard/sessions/<ID>.json` (never
committed, shared by every work-tree tool). Elsewhere: the platform cache
folder, under a hash of the root. Writers take an exclusive `flock` on a
sibling lock file for the whole read-modify-write, and write through a temp
file + os.replace, so a reader never sees half a file and no update is lost.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
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


_SESSIONS_DIRS: dict[Path, Path] = {}  # per process: a root's git dir does not move (every store asked git again)


def sessions_dir(root: str | os.PathLike) -> Path:
    root = Path(root).resolve()
    found = _SESSIONS_DIRS.get(root)
    if found is None:
        found = _SESSIONS_DIRS[root] = _sessions_dir(root)
    return found


def _sessions_dir(root: Path) -> Path:
    from ..context.gitrun import Git, GitError

    git_dir = None
    try:
        git_dir = Git(root).git_dir()
    except (GitError, OSError):
        git_dir = None
    if git_dir is not None:
        return git_dir / "xyguard" / "sessions"
    import platformdirs

    key = hashlib.sha256(str(root).encode("utf-8", "surrogateescape")).hexdigest()[:16]
    return Path(platformdirs.user_cache_dir("xyguard")) / "sessions" / key


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
        self.directory = Path(directory) if directory is not None else sessions_dir(root)

    def path(self, session_id: str) -> Path:
        return self.directory / f"{check_session_id(session_id)}.json"

    def exists(self, session_id: str) -> bool:
        return self.path(session_id).is_file()

    def ids(self) -> list[str]:
        if not self.directory.is_dir():
            return []
        return sorted(p.stem for p in self.directory.glob("*.json") if _ID.match(p.stem))

    def load(self, session_id: str) -> GoalState:
        """The session's state, or a fresh empty one when it does not exist yet."""
        path = self.path(session_id)
        try:
            with path.open("rb") as fh:
                data = fh.read(MAX_SESSION_BYTES + 1)
        except FileNotFoundError:
            return GoalState(session=session_id)
        except OSError as exc:
            raise SessionError(f"session {session_id}: cannot read {path}: {exc.strerror}") from None
        if len(data) > MAX_SESSION_BYTES:
            raise SessionError(f"session {session_id}: {path} is larger than {MAX_SESSION_BYTES // 1024 // 1024} MB")
        try:
            state = GoalState.from_dict(json.loads(data.decode("utf-8")))
        except (ValueError, KeyError, TypeError) as exc:
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

    @contextlib.contextmanager
    def _locked(self, session_id: str) -> Iterator[None]:
        path = self.path(session_id)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise SessionError(f"cannot create the session folder {path.parent}: {exc.strerror}") from None
        fd = os.open(path.with_suffix(".lock"), os.O_RDWR | os.O_CREAT, 0o600)
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
        fd, tmp = tempfile.mkstemp(prefix=f".{session_id}.", suffix=".tmp", dir=path.parent)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                json.dump(state.to_dict(include_internal=True), fh, ensure_ascii=False, indent=1)
                fh.flush()
                os.fsync(fh.fileno())
            os.replace(tmp, path)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
            raise
