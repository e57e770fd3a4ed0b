"""Shared parts of the security tests: running xyguard as a user would, and arming a repository against it."""

from __future__ import annotations

import json
import os
import shlex
import subprocess
import sys
from pathlib import Path

from fake_llm import FakeModel
from gitrepo import Repo
from lsp_raw import RawPeer

CLI = [sys.executable, "-m", "xyguard.server"]

# Environment variables a hostile caller environment could use to point git elsewhere are not the attack
# here: the repository is. Start from the test process' environment minus anything LLM-related, so that
# no command tries a model unless a test asks for one.
_LLM_VARS = ("XYGUARD_LLM_MODEL", "XYGUARD_LLM_API_BASE", "OPENAI_API_KEY", "ANTHROPIC_API_KEY")


def clean_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in _LLM_VARS}
    env.update(extra)
    return env


def xyguard(*args: str, cwd: Path | str, input: bytes | str | None = None, env: dict[str, str] | None = None,
            timeout: float = 120) -> subprocess.CompletedProcess:
    """Run one CLI command in a child process (bytes out), the way a user or a hook runs it."""
    if isinstance(input, str):
        input = input.encode()
    return subprocess.run([*CLI, *args], cwd=cwd, input=input, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                          env=env if env is not None else clean_env(), timeout=timeout,
                          stdin=None if input is not None else subprocess.DEVNULL)


AUDITED = [sys.executable, str(Path(__file__).with_name("audited.py"))]


def audited(*args: str, cwd: Path | str, log: Path, input: bytes | str | None = None,
            env: dict[str, str] | None = None, timeout: float = 120) -> tuple[subprocess.CompletedProcess, list[dict]]:
    """Like `xyguard`, under the audit hook of audited.py: (result, [records of opens, execs, network calls])."""
    if isinstance(input, str):
        input = input.encode()
    env = dict(env if env is not None else clean_env(), XYGUARD_AUDIT_LOG=str(log))
    proc = subprocess.run([*AUDITED, *args], cwd=cwd, input=input, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                          env=env, timeout=timeout, stdin=None if input is not None else subprocess.DEVNULL)
    return proc, read_audit(log)


def read_audit(log: Path) -> list[dict]:
    return [json.loads(line) for line in log.read_text().splitlines()] if log.exists() else []


def git_argvs(records: list[dict]) -> list[list[str]]:
    return [r["argv"] for r in records if r["event"] == "exec" and r["argv"] and Path(r["argv"][0]).name == "git"]


def assert_clean_failure(proc: subprocess.CompletedProcess) -> None:
    """A refusal a user can read: exit 2, no Python traceback."""
    err = proc.stderr.decode("utf-8", "replace")
    assert proc.returncode == 2, (proc.returncode, err)
    assert "Traceback" not in err, err


# ---- a booby-trapped repository ----------------------------------------------------------------------

def _touch(marker_dir: Path, name: str) -> str:
    """A shell command that leaves evidence it ran."""
    return f"touch {shlex.quote(str(marker_dir / name))}"


def arm(repo: Repo, marker_dir: Path) -> list[str]:
    """Make ordinary git commands in `repo` run programs that create files in `marker_dir`.

    Every vector a repository's own config offers is set at once; each leaves a file named after itself.
    Returns the vector names. Arm AFTER making the commits a test needs (the hooks would fire otherwise).
    """
    marker_dir.mkdir(parents=True, exist_ok=True)
    hooks = repo.root / ".git" / "evil-hooks"
    hooks.mkdir()
    for hook in ("pre-commit", "commit-msg", "post-checkout", "post-index-change", "pre-auto-gc",
                 "reference-transaction", "fsmonitor-watchman", "post-commit", "pre-push"):
        script = hooks / hook
        script.write_text(f"#!/bin/sh\n{_touch(marker_dir, 'hook-' + hook)}\ncat >/dev/null 2>&1\nexit 0\n")
        script.chmod(0o755)
        # The default hooks folder too, for anything that ignores core.hooksPath.
        default = repo.root / ".git" / "hooks" / hook
        default.write_text(script.read_text())
        default.chmod(0o755)
    settings = {
        "core.fsmonitor": _touch(marker_dir, "fsmonitor"),
        "core.pager": _touch(marker_dir, "pager") + "; cat",
        "core.hooksPath": str(hooks),
        "core.editor": _touch(marker_dir, "editor"),
        "core.sshCommand": _touch(marker_dir, "ssh"),
        "core.askPass": _touch(marker_dir, "askpass"),
        "core.alternateRefsCommand": _touch(marker_dir, "alternate-refs"),
        "diff.external": _touch(marker_dir, "diff-external") + " #",
        "diff.evil.textconv": _touch(marker_dir, "textconv") + "; cat",
        "diff.evil.command": _touch(marker_dir, "diff-driver") + " #",
        "filter.evil.clean": _touch(marker_dir, "filter-clean") + "; cat",
        "filter.evil.smudge": _touch(marker_dir, "filter-smudge") + "; cat",
        "filter.evil.required": "true",
        "log.showSignature": "true",
        "gpg.program": _touch(marker_dir, "gpg"),
        "credential.helper": "!" + _touch(marker_dir, "credential"),
        "pager.log": _touch(marker_dir, "pager-log") + "; cat",
        "pager.diff": _touch(marker_dir, "pager-diff") + "; cat",
        "pager.show": _touch(marker_dir, "pager-show") + "; cat",
        "sequence.editor": _touch(marker_dir, "sequence-editor"),
        "uploadpack.packObjectsHook": _touch(marker_dir, "pack-objects-hook"),
    }
    for key, value in settings.items():
        repo.git("config", key, value)
    # Attributes route every tracked file through the drivers above (textconv, diff driver, filters).
    attributes = "* diff=evil filter=evil\n"
    (repo.root / ".git" / "info").mkdir(exist_ok=True)
    (repo.root / ".git" / "info" / "attributes").write_text(attributes)
    return list(settings)


def markers(marker_dir: Path) -> list[str]:
    return sorted(p.name for p in marker_dir.iterdir()) if marker_dir.exists() else []


def clear_markers(marker_dir: Path) -> None:
    for p in marker_dir.iterdir():
        p.unlink()


def jsonl(rows: list[dict]) -> str:
    return "".join(json.dumps(r) + "\n" for r in rows)


# ---- a language server in a child process, spoken to in raw JSON-RPC -------------------------------

class LspProcess:
    """`python -m xyguard.server lsp` over pipes, framed by hand so broken bytes can be sent too.

    Server-to-client requests are answered with null, the way a minimal client would; notifications are kept
    in `notifications` in arrival order.
    """

    def __init__(self, cwd: Path | str | None = None, env: dict[str, str] | None = None, runner=CLI):
        import tempfile

        # stderr goes to a file: a pipe nobody reads fills up after 64 KB of log and blocks the server.
        self._log = tempfile.TemporaryFile()
        self.proc = subprocess.Popen([*runner, "lsp"], cwd=cwd, env=env if env is not None else clean_env(),
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=self._log)
        self.peer = RawPeer(self.proc.stdout.fileno(), self.proc.stdin.fileno())
        self.notifications: list[dict] = []
        self.stderr = b""
        self._next_id = 1000

    def __enter__(self) -> "LspProcess":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> bytes:
        """Stop the server (if still running) and return everything it wrote to stderr (again on later calls)."""
        if self.proc.poll() is None:
            self.proc.kill()
        self.proc.wait(10)
        if not self._log.closed:
            self._log.seek(0)
            self.stderr = self._log.read()
            for stream in (self.proc.stdin, self.proc.stdout, self._log):
                stream.close()
        return self.stderr

    def log_tail(self, size: int = 3000) -> str:
        """The end of what the server has logged so far (for failure messages)."""
        self._log.flush()
        with open(self._log.fileno(), "rb", closefd=False) as f:
            f.seek(max(0, os.fstat(self._log.fileno()).st_size - size))
            return f.read().decode("utf-8", "replace")

    # ---- bytes ------------------------------------------------------------------------------

    def send_bytes(self, data: bytes) -> None:
        self.peer.send_bytes(data)

    def send(self, message) -> None:
        self.peer.send(message)

    def receive(self, timeout: float) -> dict:
        """The next framed message; TimeoutError when none arrives in time, EOFError when the server is gone."""
        return self.peer.receive(timeout)

    def notify(self, method: str, params=None) -> None:
        self.send({"jsonrpc": "2.0", "method": method, "params": params})

    def request(self, method: str, params=None, timeout: float = 20.0) -> dict:
        self._next_id += 1
        msg_id = self._next_id
        self.send({"jsonrpc": "2.0", "id": msg_id, "method": method, "params": params})
        return self.wait_response(msg_id, timeout)

    def wait_response(self, msg_id, timeout: float = 20.0) -> dict:
        found = self.pump(timeout, lambda m: m.get("id") == msg_id and "method" not in m)
        if found is None:
            raise TimeoutError(f"no response to request {msg_id!r} within {timeout} s")
        return found

    def pump(self, timeout: float, until=None) -> dict | None:
        """Read messages for up to `timeout` seconds; return the first one matching `until` (or None)."""
        import time

        deadline = time.monotonic() + timeout
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return None
            try:
                message = self.receive(remaining)
            except TimeoutError:
                return None
            if "method" in message and "id" in message:  # the server asks the client something
                self.send({"jsonrpc": "2.0", "id": message["id"],
                           "result": [None] * len((message.get("params") or {}).get("items", []))
                           if message["method"] == "workspace/configuration" else None})
            elif "method" in message:
                self.notifications.append(message)
            if until is not None and until(message):
                return message

    def initialize(self, root: Path | None, options: dict | None = None, process_id: int | None = None) -> dict:
        params = {"processId": process_id, "rootUri": root.as_uri() if root else None,
                  "workspaceFolders": [{"uri": root.as_uri(), "name": root.name}] if root else None,
                  "capabilities": {"workspace": {"configuration": True}},
                  "initializationOptions": options if options is not None else {"debounceMs": 20}}
        answer = self.request("initialize", params)
        self.notify("initialized", {})
        return answer

    def open(self, uri: str, text: str, language_id: str = "python", version: int = 1) -> None:
        self.notify("textDocument/didOpen", {"textDocument": {"uri": uri, "languageId": language_id,
                                                              "version": version, "text": text}})

    def diagnostics(self, uri: str, timeout: float = 30.0, min_version: int | None = None,
                    having=None) -> dict | None:
        """The first publishDiagnostics for `uri` (at `min_version` or later, and whose diagnostics satisfy
        `having`, if given), or None after `timeout`."""
        def wanted(m: dict) -> bool:
            p = m.get("params") or {}
            return (m.get("method") == "textDocument/publishDiagnostics" and p.get("uri") == uri
                    and (min_version is None or (p.get("version") or 0) >= min_version)
                    and (having is None or having(p.get("diagnostics") or [])))

        already = next((m for m in self.notifications if wanted(m)), None)
        return already or self.pump(timeout, wanted)

    def shutdown(self, timeout: float = 10.0) -> int:
        """A polite shutdown/exit; returns the exit code."""
        assert "result" in self.request("shutdown", None, timeout)
        self.notify("exit")
        return self.proc.wait(timeout)


# ---- a model endpoint on 127.0.0.1 that keeps every byte it is sent -------------------------------

class RecordingModel(FakeModel):
    """The shared fake model endpoint (tests/fake_llm.py), read as the raw bytes it was sent."""

    @property
    def bodies(self) -> list[bytes]:
        return self.raw


# ---- time and peak memory of one command ------------------------------------------------------------

_MEASURE = """
import resource, subprocess, sys, time
started = time.monotonic()
proc = subprocess.run(sys.argv[1:], stdin=sys.stdin)
elapsed = time.monotonic() - started
peak_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss  # Linux: KiB, the largest descendant
sys.stderr.write(f"\\nMEASURED {elapsed:.3f} {peak_kb}\\n")
sys.exit(proc.returncode)
"""


def measured(*args: str, cwd: Path | str, input: bytes | str | None = None,
             timeout: float = 180) -> tuple[subprocess.CompletedProcess, float, float]:
    """Run one CLI command in a fresh parent that reports its wall time and peak RSS: (result, seconds, MB)."""
    if isinstance(input, str):
        input = input.encode()
    proc = subprocess.run([sys.executable, "-c", _MEASURE, *CLI, *args], cwd=cwd, input=input, env=clean_env(),
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=timeout,
                          stdin=None if input is not None else subprocess.DEVNULL)
    head, _, tail = proc.stderr.rpartition(b"\nMEASURED ")
    seconds, peak_kb = tail.split()
    proc.stderr = head
    return proc, float(seconds), int(peak_kb) / 1024


def utf16_slice(text: str, rng: dict) -> str:
    """The text an LSP range (UTF-16 code units, LSP line breaks) covers."""
    import re

    lines = re.split(r"\r\n|\r|\n", text)

    def offset(pos: dict) -> int:
        before = sum(len(line.encode("utf-16-le")) // 2 + 1 for line in lines[:pos["line"]])
        return before + pos["character"]

    units = "\n".join(lines).encode("utf-16-le")
    return units[2 * offset(rng["start"]):2 * offset(rng["end"])].decode("utf-16-le")
