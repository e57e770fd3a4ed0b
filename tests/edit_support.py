"""Helpers for the edit-check tests: real repositories, real commits, the change read from the work tree."""

from __future__ import annotations

from xyguard.analyzers.context import get_context, invalidate
from xyguard.analyzers.edits import check_edit
from xyguard.analyzers.edits.source import worktree_change


def check_worktree(repo, files: dict, request: str | None = None, **kw):
    """Write `files` over the last commit and check the work tree against HEAD, with the repository's context."""
    repo.write(files)
    invalidate(repo.root)
    return check_edit(worktree_change(repo.root), request=request, context=get_context(repo.root), **kw)


def of(report, code: str):
    return [f for f in report.findings if f.code == code]


# Repositories more than one check's tests start from.
PY_BASE = {
    "pkg/__init__.py": "",
    "pkg/client.py": "def fetch(url, timeout=10):\n    return url\n\n\ndef _helper(a, b):\n    return a\n\n\n"
                     "class Client:\n    def get(self, path, retries=3):\n        return path\n",
    "pkg/util.py": "def slug(s):\n    return s.lower()\n",
}
BILLING = ("def invoice_total(items):\n    total = 0\n    for item in items:\n        total += item.price\n"
           "    return total\n")
