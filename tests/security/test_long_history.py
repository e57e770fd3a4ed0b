"""A repository with 200,000 commits: indexing stays within a stated budget and can be cancelled.

The history is generated with `git fast-import` in the test's temp folder
(one commit in four changes one of ~130 small files; now and then a
manifest change, a revert or a design-decision subject, so every history
reader has work to do).

Budget: a cold index of the 200k-commit repository must finish within
INDEX_BUDGET_S = 60 s on 2 cores. Measured on the 2-core dev machine
(shared with other jobs): about 4-6 s (one streamed `git log --name-status`, one manifest-limited
`git log -p`, one `git show` of the revert commits). The budget is
generous on purpose: it is there to catch a per-commit process or a
quadratic merge, which would take minutes, not to time the machine.
Cancelling from another thread must end the build within CANCEL_BUDGET_S.
"""

from __future__ import annotations

import subprocess
import threading
import time

import pytest

from xyguard.analyzers.context import Cancelled, build_context

COMMITS = 200_000
PATHS = 128
FILE_EVERY = 4
INDEX_BUDGET_S = 60.0
CANCEL_BUDGET_S = 5.0

pytestmark = pytest.mark.slow


def _fast_import_stream(commits: int) -> bytes:
    """One fast-import stream. Every FILE_EVERY-th commit rewrites a small file (some of them a manifest, a
    revert, a decision); the others only move the branch, which keeps generating 200k commits to seconds."""
    out = []
    when = 1_600_000_000
    for n in range(1, commits + 1):
        when += 7
        if n % 5000 == 0:
            subject = f"Revert \"tweak {n - FILE_EVERY}\"\n\nThis reverts commit {n:040x}."
        elif n % 3000 == 1000:
            subject = f"Replace lib{n % 7} with lib{n % 11} in module {n % PATHS}"
        else:
            subject = f"tweak {n}"
        message = subject.encode()
        out.append(b"commit refs/heads/main\n")
        out.append(b"committer Test <test@example.com> %d +0000\n" % when)
        out.append(b"data %d\n%s\n" % (len(message), message))
        if n % FILE_EVERY:
            continue
        if n % 1000 == 500:
            path = "requirements.txt"
            content = "".join(f"dep{(n // 1000 + k) % 40}\n" for k in range(5)).encode()
        else:
            path = f"p{n % 8}/m{n % 16}.py"
            content = f"def f{n % PATHS}():\n    return {n}\n".encode()
        out.append(b"M 100644 inline %s\ndata %d\n%s\n" % (path.encode(), len(content), content))
    return b"".join(out)


@pytest.fixture(scope="module")
def long_history(tmp_path_factory):
    root = tmp_path_factory.mktemp("long") / "repo"
    root.mkdir()
    subprocess.run(["git", "init", "-q", "-b", "main"], cwd=root, check=True)
    subprocess.run(["git", "fast-import", "--quiet"], cwd=root, input=_fast_import_stream(COMMITS), check=True)
    subprocess.run(["git", "checkout", "-q", "main"], cwd=root, check=True)
    return root


def test_index_of_200k_commits_is_within_budget(long_history):
    started = time.monotonic()
    ctx = build_context(long_history, rebuild=True, use_cache=False)
    elapsed = time.monotonic() - started
    assert ctx.history.commits == COMMITS
    assert len(ctx.history.reverts) == COMMITS // 5000
    assert any(r.manifest == "requirements.txt" for r in ctx.history.dependency_removals)
    assert elapsed < INDEX_BUDGET_S, f"indexing 200k commits took {elapsed:.1f}s (budget {INDEX_BUDGET_S}s)"


def test_index_of_200k_commits_can_be_cancelled(long_history):
    cancel = threading.Event()
    outcome: dict = {}

    def build() -> None:
        try:
            outcome["ctx"] = build_context(long_history, rebuild=True, use_cache=False, cancel=cancel)
        except Cancelled:
            outcome["cancelled"] = time.monotonic()

    worker = threading.Thread(target=build, daemon=True)
    worker.start()
    time.sleep(0.5)  # well inside the history read, which takes seconds
    asked = time.monotonic()
    cancel.set()
    worker.join(CANCEL_BUDGET_S + 5)
    assert not worker.is_alive(), "the build did not stop after cancellation"
    assert "cancelled" in outcome, "the build finished instead of raising Cancelled"
    assert outcome["cancelled"] - asked < CANCEL_BUDGET_S
