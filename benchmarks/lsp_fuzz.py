"""Long fuzz of the language server: 10,000 JSON-RPC messages, valid and broken, against one live process.

    .venv/bin/python benchmarks/lsp_fuzz.py [--messages 10000] [--seed N]

Same generator and oracle as tests/security/test_lsp_fuzz.py (every request
answered, no traceback, server alive). Prints messages sent, wall time,
throughput and the server's peak RSS; exits 1 on the first failure, with
the failing sequence.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE.parent / "tests"), str(HERE.parent / "tests" / "security")]

from hypothesis import HealthCheck, Phase, given, seed, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from hostile import LspProcess  # noqa: E402
from lsp_messages import items, run_sequence  # noqa: E402


def _peak_rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "repo"
        root.mkdir()
        subprocess.run(["git", "init", "-q", "-b", "main"], cwd=root, check=True)
        (root / "app.py").write_text("def main():\n    return 0\n")
        subprocess.run(["git", "add", "-A"], cwd=root, check=True)
        subprocess.run(["git", "-c", "user.name=b", "-c", "user.email=b@b", "commit", "-qm", "start"], cwd=root,
                       check=True)
        sent = 0
        started = time.monotonic()
        with LspProcess(cwd=root) as server:
            server.initialize(root)

            @seed(args.seed)
            @settings(max_examples=args.messages, deadline=None, database=None, phases=[Phase.generate],
                      suppress_health_check=list(HealthCheck))
            @given(st.lists(items(root.as_uri()), min_size=1, max_size=20))
            def fuzz(sequence):
                nonlocal sent
                if sent < args.messages:
                    sent += run_sequence(server, sequence, timeout=30)

            try:
                fuzz()
            finally:
                elapsed = time.monotonic() - started
                alive = server.proc.poll() is None
                rss = _peak_rss_mb(server.proc.pid) if alive else float("nan")
                print(f"lsp fuzz: {sent} messages in {elapsed:.1f}s ({sent / elapsed:.0f}/s), "
                      f"server alive: {alive}, server peak RSS {rss:.0f} MB")
            if sent < args.messages:
                print(f"only {sent} messages generated; raise max_examples", file=sys.stderr)
                return 1
            assert server.shutdown() == 0
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
