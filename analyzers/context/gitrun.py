"""The one way xyguard runs git. A repository is untrusted input.

A repository's own `.git/config` can make ordinary git commands run
programs (core.fsmonitor, core.pager, diff.external, textconv drivers,
hooks, credential helpers, lazy fetches in partial clones). Every call here
forces those off through GIT_CONFIG_COUNT overrides (which win over the
repository's config), passes `--no-ext-diff --no-textconv` where a diff is
produced, never prompts, never takes optional locks, and puts `--` before
paths so that input can never be read as an option.
"""

from __future__ import annotations

import os
import shutil
import io
import subprocess
import threading
from pathlib import Path
from typing import Iterator, Sequence, cast

try:
    import fcntl
except ImportError:  # Windows
    fcntl = None  # type: ignore[assignment]


class GitError(RuntimeError):
    """git failed; `message` is a short, user-facing reason (no command dump)."""


class UnsafeRepository(GitError):
    """git refused the repository (owned by another user and not in safe.directory)."""


class UnsafeArgument(ValueError):
    """A ref or path from input that could be read as an option or leave the repository."""


_OVERRIDES = {
    "core.fsmonitor": "false",
    "core.hooksPath": "/dev/null",
    "core.pager": "cat",
    "core.editor": "true",
    "core.sshCommand": "false",
    "core.gitProxy": "",
    "core.askPass": "",
    "credential.helper": "",
    "protocol.allow": "never",
    "protocol.file.allow": "never",
    "uploadpack.packObjectsHook": "",
    "fetch.recurseSubmodules": "false",
    "submodule.recurse": "false",
    "gc.auto": "0",
    "maintenance.auto": "false",
    "log.showSignature": "false",
    "color.ui": "false",
    "i18n.logOutputEncoding": "UTF-8",
}


_DIFF_COMMANDS = {"diff", "log", "show", "diff-tree", "diff-index", "diff-files"}


def _git_binary() -> str:
    found = shutil.which("git")
    if not found:
        raise GitError("git is not installed or not on PATH")
    return found


def safe_env(base: dict[str, str] | None = None) -> dict[str, str]:
    env = dict(os.environ if base is None else base)
    # Drop anything that points git somewhere else or runs programs.
    for key in list(env):
        if key.startswith("GIT_") and key not in ("GIT_INDEX_FILE",):
            del env[key]
    env.update(
        GIT_TERMINAL_PROMPT="0",
        GIT_OPTIONAL_LOCKS="0",
        GIT_NO_LAZY_FETCH="1",
        GIT_ASKPASS="true",
        SSH_ASKPASS="true",
        GIT_PAGER="cat",
        PAGER="cat",
        GIT_EDITOR="true",
        GIT_ATTR_NOSYSTEM="1",
        GIT_CONFIG_NOSYSTEM="1",
        GIT_PROTOCOL_FROM_USER="0",
        LC_ALL="C",
        LANG="C",
    )
    env["GIT_CONFIG_COUNT"] = str(len(_OVERRIDES))
    for i, (key, value) in enumerate(_OVERRIDES.items()):
        env[f"GIT_CONFIG_KEY_{i}"] = key
        env[f"GIT_CONFIG_VALUE_{i}"] = value
    return env


def check_ref(ref: str) -> str:
    """Refs from input must look like refs, never options or transports."""
    if not ref or ref.startswith("-") or "::" in ref or any(c in ref for c in "\0\n\r ") or ".." in ref.replace("...", ""):
        raise UnsafeArgument(f"not a usable git revision: {ref!r}")
    return ref


def check_relpath(path: str) -> str:
    """Repository-relative paths from input must stay inside the repository."""
    p = path.replace("\\", "/")
    if not p or "\0" in p or p.startswith("/") or any(part == ".." for part in p.split("/")):
        raise UnsafeArgument(f"path outside the repository: {path!r}")
    return p


class Git:
    """git bound to one work tree, with the protections above on every call."""

    def __init__(self, root: str | os.PathLike, env: dict[str, str] | None = None):
        self.root = Path(root)
        self._git = _git_binary()
        self._env = safe_env(env)
        self._neutralize_drivers()

    def _neutralize_drivers(self) -> None:
        """Blank every filter driver command the repository's config names.

        `--no-textconv` does not stop a clean filter, which git runs on work-tree
        content for ordinary commands such as `status` and `diff HEAD`.
        """
        try:
            out = self.run(["config", "--null", "--name-only", "--get-regexp", r"^filter\..*\."],
                           check=False, timeout=10)
        except (GitError, OSError):
            return
        extra = {}
        for name in out.decode("utf-8", "replace").split("\0"):
            section, _, key = name.rpartition(".")
            if section and key.lower() in ("clean", "smudge", "process"):
                extra[name] = ""
            if section.startswith("filter.") and key.lower() == "required":
                extra[name] = "false"
        if extra:
            count = int(self._env["GIT_CONFIG_COUNT"])
            for i, (key, value) in enumerate(extra.items(), start=count):
                self._env[f"GIT_CONFIG_KEY_{i}"] = key
                self._env[f"GIT_CONFIG_VALUE_{i}"] = value
            self._env["GIT_CONFIG_COUNT"] = str(count + len(extra))

    def _argv(self, args: Sequence[str]) -> list[str]:
        args = list(args)
        if args and args[0] in _DIFF_COMMANDS:
            # External diff and textconv drivers are repository-configured programs.
            args[1:1] = ["--no-ext-diff", "--no-textconv"]
        return [self._git, "--no-pager", "-c", "core.quotePath=false", *args]

    def run(self, args: Sequence[str], *, check: bool = True, timeout: float | None = 60,
            input: bytes | None = None) -> bytes:
        try:
            proc = subprocess.run(
                self._argv(args), cwd=self.root, env=self._env, input=input,
                stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                stdin=None if input is not None else subprocess.DEVNULL, timeout=timeout,
            )
        except subprocess.TimeoutExpired:
            raise GitError(f"git {args[0]} timed out") from None
        if check and proc.returncode != 0:
            raise _error(proc.stderr)
        return proc.stdout

    def text(self, args: Sequence[str], **kw) -> str:
        return self.run(args, **kw).decode("utf-8", "replace")

    def stream(self, args: Sequence[str], input: bytes | None = None, chunk: int | None = None) -> Iterator[bytes]:
        """Yield stdout lines (or, with `chunk`, blocks of up to that many bytes) of a long git command without
        holding its output in memory.

        `input` is written to its stdin (revisions for `--stdin`) from a thread of its own, so a command that
        starts writing before it has read everything cannot block us both. Closing the generator early
        (e.g. on cancellation) kills the process.
        """
        proc = subprocess.Popen(self._argv(args), cwd=self.root, env=self._env,
                                stdin=subprocess.DEVNULL if input is None else subprocess.PIPE,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        if chunk is not None:
            widen_pipe(proc.stdout, chunk)
        writer = None
        if input is not None:
            writer = threading.Thread(target=_feed, args=(proc.stdin, input), name="xyguard-git-stdin", daemon=True)
            writer.start()
        finished = False
        try:
            assert proc.stdout is not None
            if chunk is None:
                yield from proc.stdout
            else:
                reader = cast(io.BufferedReader, proc.stdout)
                while block := reader.read1(chunk):
                    yield block
            finished = True
        finally:
            if not finished:
                proc.kill()
            proc.stdout.close()  # type: ignore[union-attr]
            err = proc.stderr.read() if proc.stderr else b""
            if proc.stderr:
                proc.stderr.close()
            code = proc.wait()
            if writer is not None:
                writer.join()
            if finished and code != 0:
                raise _error(err)

    # ---- small helpers every caller needs --------------------------------------------

    def toplevel(self) -> Path | None:
        try:
            out = self.text(["rev-parse", "--show-toplevel"]).strip()
        except UnsafeRepository:
            raise
        except GitError:
            return None
        return Path(out) if out else None

    def git_dir(self) -> Path | None:
        try:
            out = self.text(["rev-parse", "--absolute-git-dir"]).strip()
        except UnsafeRepository:
            raise
        except GitError:
            return None
        return Path(out) if out else None

    def head(self) -> str | None:
        """The commit HEAD points at, or None in an empty repository (unborn HEAD)."""
        out = self.run(["rev-parse", "--verify", "--quiet", "HEAD^{commit}"], check=False).decode().strip()
        return out or None

    def skip_worktree_paths(self) -> set[str]:
        """Tracked paths a sparse checkout leaves out of the work tree (absent on purpose, not deleted)."""
        out = set()
        for entry in self.run(["ls-files", "-z", "-t"], timeout=120).split(b"\0"):
            if entry.startswith(b"S "):
                out.add(entry[2:].decode("utf-8", "surrogateescape"))
        return out

    def unstaged_paths(self) -> set[str]:
        """Tracked paths whose work-tree content differs from the index (git compares contents where the stat
        data alone cannot tell, in memory: nothing is written)."""
        out = self.run(["diff", "--name-only", "-z", "--no-renames", "--"], timeout=120)
        return {p.decode("utf-8", "surrogateescape") for p in out.split(b"\0") if p}

    def is_shallow(self) -> bool:
        return self.text(["rev-parse", "--is-shallow-repository"], check=False).strip() == "true"

    def show_file(self, rev: str, path: str) -> bytes | None:
        """Contents of `path` at `rev` (blob only, no textconv, no filters), or None if absent."""
        spec = f"{check_ref(rev)}:{check_relpath(path)}"
        out = self.run(["cat-file", "blob", spec], check=False) if self._is_blob(spec) else None
        return out

    def _is_blob(self, spec: str) -> bool:
        return self.run(["cat-file", "-t", spec], check=False).strip() == b"blob"


def widen_pipe(stream, size: int) -> None:
    """Ask for a pipe that holds `size` bytes (Linux; up to the system's cap, 1 MB by default; elsewhere the
    default stays), so its writer is not stopped every 64 KB while the reader is off the CPU. A 64 KB pipe fills
    in a few milliseconds of `git log` output, and the history read is the critical path of a cold index."""
    setter = getattr(fcntl, "F_SETPIPE_SZ", None)
    if setter is None or stream is None:
        return
    try:
        fcntl.fcntl(stream.fileno(), setter, size)
    except OSError:
        pass  # above the cap, or not a pipe: the default size works, only slower


def _feed(stream, data: bytes) -> None:
    try:
        stream.write(data)
        stream.close()
    except (BrokenPipeError, OSError, ValueError):  # git exited early (an error it reports itself)
        pass


_DAMAGE = (
    # (what git says, what it means for the user): one line each, git's own words after it.
    (("index file smaller than expected", "bad index file", "index file corrupt", "bad signature 0x"),
     "the git index (.git/index) is damaged; `git reset` rebuilds it from HEAD"),
    (("unable to read ", "bad object ", "missing blob ", "missing tree ", "loose object", "is corrupt",
      "packfile", "did not receive expected object"),
     "the repository is missing or has damaged objects; `git fsck` lists them"),
)


def _error(stderr: bytes) -> GitError:
    msg = stderr.decode("utf-8", "replace").strip()
    if "dubious ownership" in msg or "safe.directory" in msg:
        return UnsafeRepository(
            "git refuses this repository: it is owned by another user. If you trust it, mark it safe with "
            "`git config --global --add safe.directory <path>`.")
    first = next((line for line in msg.splitlines() if line.startswith(("fatal:", "error:"))), msg[:200])
    first = " ".join(first.split())[:300] or "git failed"
    for needles, meaning in _DAMAGE:
        if any(n in first for n in needles):
            return GitError(f"{meaning} (git: {first.removeprefix('fatal: ').removeprefix('error: ')})")
    return GitError(first)


def is_git_worktree(path: str | os.PathLike) -> bool:
    try:
        return Git(path).toplevel() is not None
    except UnsafeRepository:
        raise
    except (GitError, OSError):
        return False
