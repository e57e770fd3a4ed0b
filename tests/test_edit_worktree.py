"""`xyguard edit --worktree`: staged, unstaged and untracked (not ignored) changes together, narrowed by PATHs."""

from __future__ import annotations

import json
import subprocess
import sys

from gitrepo import Repo

BASE = {
    "pyproject.toml": '[project]\nname = "shop"\nversion = "1.0"\ndependencies = []\n',
    ".gitignore": "*.log\nbuild/\n",
    "shop/cart.py": "def total(items):\n    return sum(i.price for i in items)\n",
    "shop/tax.py": "RATE = 0.2\n\n\ndef tax(amount):\n    return amount * RATE\n",
}


def edit(repo: Repo, *args: str, cwd=None) -> tuple[dict | None, subprocess.CompletedProcess]:
    proc = subprocess.run([sys.executable, "-m", "xyguard.server", "edit", "--format", "json", *args],
                          cwd=cwd or repo.root, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, timeout=120)
    return (json.loads(proc.stdout) if proc.stdout.strip() else None), proc


def paths_in(report: dict) -> set[str]:
    return {f["path"] for f in report["findings"]}


def changed(repo: Repo, tmp_path):
    repo.commit("shop", BASE)
    repo.stage({"shop/cart.py": BASE["shop/cart.py"] + "\n\ndef count(items):\n    return len(items)\n"})  # staged
    repo.write({"shop/tax.py": BASE["shop/tax.py"].replace("0.2", "0.25") + "import requests\n"})  # unstaged
    repo.write({"shop/report.go": "package shop\n\nfunc Report() string { return \"\" }\n",  # untracked
                "debug.log": "import requests\n", "build/out.go": "package build\n"})  # ignored


def test_worktree_sees_staged_unstaged_and_untracked_but_not_ignored(tmp_path):
    repo = Repo(tmp_path / "shop")
    changed(repo, tmp_path)
    report, proc = edit(repo, "--worktree")
    assert proc.returncode == 1, proc.stderr
    assert report["summary"]["files"] == 3  # cart.py (staged), tax.py (unstaged), report.go (untracked)
    codes = {(f["code"], f["path"]) for f in report["findings"]}
    assert ("DR201", "shop/report.go") in codes  # untracked: a new language
    assert ("DR206", "shop/tax.py") in codes  # unstaged: an undeclared import
    assert not any(p and (p.endswith(".log") or p.startswith("build/")) for p in paths_in(report))
    default, _ = edit(repo)
    assert default["summary"] == report["summary"], "--worktree is what `xyguard edit` checks by default"


def test_paths_narrow_the_worktree_and_are_read_from_the_current_folder(tmp_path):
    repo = Repo(tmp_path / "shop")
    changed(repo, tmp_path)
    report, proc = edit(repo, "--worktree", "tax.py", cwd=repo.root / "shop")  # as Aider appends edited files
    assert proc.returncode == 1 and report["summary"]["files"] == 1 and paths_in(report) == {"shop/tax.py"}
    report, proc = edit(repo, "--worktree", "shop/cart.py")
    assert proc.returncode == 0 and report["summary"]["files"] == 1 and report["findings"] == []
    report, _ = edit(repo, "--worktree", "shop")
    assert report["summary"]["files"] == 3


def test_paths_do_not_apply_to_staged_or_diff_and_must_be_inside(tmp_path):
    repo = Repo(tmp_path / "shop")
    changed(repo, tmp_path)
    for args in (("--staged", "shop/tax.py"), ("--diff", "x.diff", "shop/tax.py"), ("--worktree", str(tmp_path))):
        _, proc = edit(repo, *args)
        assert proc.returncode == 2 and "Traceback" not in proc.stderr, args
