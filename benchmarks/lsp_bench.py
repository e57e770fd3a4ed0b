"""Language server speed: `initialize` answered after process start (goal <= 0.5 s), and the time from the
last didChange to published diagnostics on a request document (p95), with the workspace context warm.

    .venv/bin/python benchmarks/lsp_bench.py [--starts 10] [--rounds 30] [--debounce-ms 300] [--sqlalchemy]
    .venv/bin/python benchmarks/lsp_bench.py --memory-only [--edits 20000]   # memory over many edits only

Also checks that a whole session (initialize, a request document analysed) never imports litellm when no
LLM is configured, and that the server's memory does not grow with the number of edits: resident memory
after 20,000 didChange notifications within 10% of that after 1,000 (pygls 2.1.1 alone kept ~2 KB per
change). Prints one JSON object.
"""

from __future__ import annotations

import argparse
import json
import os
import select
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

SERVER = [sys.executable, "-m", "xyguard.server", "lsp"]
TYPED = ("In src/app/config.py, make parse_config(path) raise ValueError naming the line number when a line has "
         "no '=' separator; add a test in tests/test_config.py.")


class Peer:
    """Minimal LSP framing over a child process's pipes."""

    def __init__(self, argv: list[str], stderr=subprocess.DEVNULL):
        self.started = time.perf_counter()
        self.proc = subprocess.Popen(argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=stderr)
        self.buffer = b""

    def send(self, message: dict) -> float:
        body = json.dumps(message).encode()
        self.proc.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        self.proc.stdin.flush()
        return time.perf_counter()

    def receive(self, timeout: float = 60.0) -> tuple[dict, float]:
        deadline = time.monotonic() + timeout
        fd = self.proc.stdout.fileno()
        while True:
            head, sep, rest = self.buffer.partition(b"\r\n\r\n")
            if sep:
                length = int(next(h.split(b":")[1] for h in head.split(b"\r\n") if h.lower().startswith(b"content-length")))
                if len(rest) >= length:
                    self.buffer = rest[length:]
                    return json.loads(rest[:length]), time.perf_counter()
            ready, _, _ = select.select([fd], [], [], max(0.0, deadline - time.monotonic()))
            if not ready:
                raise TimeoutError("server sent nothing")
            chunk = os.read(fd, 1 << 16)
            if not chunk:
                raise EOFError("server exited")
            self.buffer += chunk

    def wait(self, predicate, timeout: float = 60.0) -> tuple[dict, float]:
        while True:
            message, at = self.receive(timeout)
            if predicate(message):
                return message, at

    def initialize(self, root: Path | None, options: dict | None = None) -> float:
        params = {"processId": os.getpid(), "capabilities": {},
                  "rootUri": root.as_uri() if root else None,
                  "workspaceFolders": [{"uri": root.as_uri(), "name": root.name}] if root else None,
                  "initializationOptions": options or {}}
        self.send({"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": params})
        _, at = self.wait(lambda m: m.get("id") == 1)
        self.send({"jsonrpc": "2.0", "method": "initialized", "params": {}})
        return at - self.started

    def close(self) -> None:
        try:
            self.send({"jsonrpc": "2.0", "id": 999, "method": "shutdown"})
            self.wait(lambda m: m.get("id") == 999, 30)
            self.send({"jsonrpc": "2.0", "method": "exit"})
            self.proc.wait(10)
        finally:
            if self.proc.poll() is None:
                self.proc.kill()


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def small_repo() -> Path:
    root = Path(tempfile.mkdtemp(prefix="xyguard-lsp-bench-")) / "app"
    (root / "src" / "app").mkdir(parents=True)
    (root / "src" / "app" / "config.py").write_text("def parse_config(path):\n    return {}\n")
    (root / "pyproject.toml").write_text('[project]\nname = "app"\nversion = "1"\n')
    env = {**os.environ, "GIT_AUTHOR_NAME": "b", "GIT_AUTHOR_EMAIL": "b@b", "GIT_COMMITTER_NAME": "b",
           "GIT_COMMITTER_EMAIL": "b@b"}
    for args in (["init", "-q"], ["add", "-A"], ["commit", "-qm", "init"]):
        subprocess.run(["git", *args], cwd=root, env=env, check=True)
    return root


def bench_initialize(starts: int) -> dict:
    times = []
    for _ in range(starts):
        peer = Peer(SERVER)
        times.append(peer.initialize(None))
        peer.close()
    return {"runs": starts, "p50_s": round(statistics.median(times), 3), "p95_s": round(percentile(times, 0.95), 3),
            "max_s": round(max(times), 3), "goal_s": 0.5}


def bench_diagnostics(root: Path, rounds: int, debounce_ms: int) -> dict:
    peer = Peer([sys.executable, "-X", "importtime", *SERVER[1:]], stderr=subprocess.PIPE)
    stderr_lines: list[bytes] = []
    import threading

    drain = threading.Thread(target=lambda: stderr_lines.extend(peer.proc.stderr), daemon=True)
    drain.start()
    peer.initialize(root, {"debounceMs": debounce_ms})
    # Warm: wait for the workspace context (a custom request awaits it) and the first analysis.
    peer.send({"jsonrpc": "2.0", "id": 2, "method": "xyguard/analyzeRequest", "params": {"text": "warm up"}})
    peer.wait(lambda m: m.get("id") == 2, 600)
    uri = (root / "bench.prompt.md").as_uri()
    peer.send({"jsonrpc": "2.0", "method": "textDocument/didOpen", "params": {"textDocument": {
        "uri": uri, "languageId": "markdown", "version": 1, "text": "Improve the parser."}}})
    peer.wait(lambda m: m.get("method") == "textDocument/publishDiagnostics")
    version, latencies = 1, []
    for round_ in range(rounds):
        text = TYPED[: 40 + (round_ * 7) % (len(TYPED) - 40)]
        last = 0.0
        for cut in range(len(text) - 5, len(text) + 1):  # a burst of keystrokes, 30 ms apart
            version += 1
            last = peer.send({"jsonrpc": "2.0", "method": "textDocument/didChange", "params": {
                "textDocument": {"uri": uri, "version": version},
                "contentChanges": [{"text": text[:cut]}]}})
            time.sleep(0.03)
        target = version
        _, at = peer.wait(lambda m: m.get("method") == "textDocument/publishDiagnostics"
                          and m["params"].get("version") == target)
        latencies.append(at - last)
    # Load the edit checks' indexes too (duplication, imports): the server's memory at its fullest.
    edited = next(iter(sorted(root.rglob("*.py"))), None)
    if edited is not None:
        rel = edited.relative_to(root).as_posix()
        diff = f"--- a/{rel}\n+++ b/{rel}\n@@ -1,0 +1,1 @@\n+import os\n"
        peer.send({"jsonrpc": "2.0", "id": 3, "method": "xyguard/checkEdit", "params": {"diff": diff, "uri": root.as_uri()}})
        peer.wait(lambda m: m.get("id") == 3, 600)
    peak_mb = _peak_rss_mb(peer.proc.pid)
    peer.close()
    drain.join(5)
    imported = b"".join(stderr_lines)
    return {"rounds": rounds, "debounce_ms": debounce_ms,
            "p50_ms": round(1000 * statistics.median(latencies), 1),
            "p95_ms": round(1000 * percentile(latencies, 0.95), 1),
            "p95_beyond_debounce_ms": round(1000 * percentile(latencies, 0.95) - debounce_ms, 1),
            "litellm_imported": b"litellm" in imported,
            "server_peak_rss_mb": peak_mb, "rss_goal_mb": 300}


def _rss_mb(pid: int) -> float:
    """The server's current resident memory (VmRSS), from /proc."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return round(int(line.split()[1]) / 1024, 1)
    raise RuntimeError("no VmRSS")


def bench_edit_memory(root: Path, edits: int, first: int = 1000) -> dict:
    """RSS after `first` and after `edits` didChange notifications on one open document (incremental changes,
    typing and deleting so the text stays small): what the server keeps per message shows as growth."""
    peer = Peer(SERVER)
    peer.initialize(root, {"debounceMs": 50})
    uri = (root / "notes.request.md").as_uri()
    peer.send({"jsonrpc": "2.0", "method": "textDocument/didOpen", "params": {"textDocument": {
        "uri": uri, "languageId": "markdown", "version": 1, "text": "Improve the parser.\n"}}})
    peer.wait(lambda m: m.get("method") == "textDocument/publishDiagnostics")
    version, marks = 1, {}

    def settle() -> None:
        # A request answered means every notification before it was read and dispatched.
        peer.send({"jsonrpc": "2.0", "id": 10_000_000 + version, "method": "xyguard/analyzeRequest",
                   "params": {"text": "ping"}})
        peer.wait(lambda m: m.get("id") == 10_000_000 + version, 300)
        time.sleep(1.0)  # the debounced analysis of the last version

    for target in (first, edits):
        while version - 1 < target:
            version += 1
            at_end = {"line": 1, "character": 0}
            if version % 2:
                change = {"range": {"start": at_end, "end": at_end}, "text": "x"}
            else:
                change = {"range": {"start": at_end, "end": {"line": 1, "character": 1}}, "text": ""}
            peer.send({"jsonrpc": "2.0", "method": "textDocument/didChange", "params": {
                "textDocument": {"uri": uri, "version": version}, "contentChanges": [change]}})
            if version % 500 == 0:
                _drain(peer)
        settle()
        marks[target] = _rss_mb(peer.proc.pid)
    peer.close()
    growth = marks[edits] / marks[first] - 1
    return {"edits": edits, f"rss_after_{first}_mb": marks[first], f"rss_after_{edits}_mb": marks[edits],
            "growth_pct": round(100 * growth, 1), "goal_pct": 10, "ok": growth <= 0.10}


def _drain(peer: Peer) -> None:
    """Read what the server sent so far (diagnostics), so its stdout pipe never fills."""
    while True:
        ready, _, _ = select.select([peer.proc.stdout.fileno()], [], [], 0)
        if not ready:
            return
        chunk = os.read(peer.proc.stdout.fileno(), 1 << 16)
        if not chunk:
            return
        peer.buffer += chunk


def _peak_rss_mb(pid: int) -> float | None:
    """The server's peak resident memory (VmHWM) so far, from /proc."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return round(int(line.split()[1]) / 1024, 1)
    except OSError:
        pass
    return None


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--starts", type=int, default=10)
    parser.add_argument("--rounds", type=int, default=30)
    parser.add_argument("--debounce-ms", type=int, default=300)
    parser.add_argument("--sqlalchemy", action="store_true", help="use the SQLAlchemy corpus as the workspace")
    parser.add_argument("--edits", type=int, default=20000, help="didChange notifications for the memory check")
    parser.add_argument("--memory-only", action="store_true", help="run only the memory-over-edits check")
    args = parser.parse_args()
    if args.memory_only:
        memory = bench_edit_memory(small_repo(), args.edits)
        print(json.dumps({"edit_memory": memory}, indent=2))
        return 0 if memory["ok"] else 1
    if args.sqlalchemy:
        sys.path.insert(0, str(Path(__file__).resolve().parent))
        from corpus import sqlalchemy_repo

        root = sqlalchemy_repo()
    else:
        root = small_repo()
    result = {"initialize": bench_initialize(args.starts),
              "diagnostics": bench_diagnostics(root, args.rounds, args.debounce_ms),
              "edit_memory": bench_edit_memory(small_repo(), args.edits),
              "workspace": str(root) if args.sqlalchemy else "small temp repo"}
    print(json.dumps(result, indent=2))
    ok = result["initialize"]["p95_s"] <= 0.5 and not result["diagnostics"]["litellm_imported"]
    return 0 if ok and result["edit_memory"]["ok"] else 1


if __name__ == "__main__":
    raise SystemExit(main())
