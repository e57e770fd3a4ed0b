"""`xyguard edit` end to end: sources, formats, exit codes."""

import json

from xyguard.server.cli import main


def _repo_with_change(repo):
    repo.commit("base", {"app/calc.py": "def add(a, b):\n    return a + b\n", "pyproject.toml": '[project]\nname = "a"\n'})
    repo.stage({"app/calc.py": "def add(a):\n    return a\n", "app/fast.rs": "pub fn add() {}\n"})


def test_staged_text_output_groups_by_file_and_lists_skips(repo, capsys):
    _repo_with_change(repo)
    code = main(["edit", "--staged", "--repo", str(repo.root)])
    out = capsys.readouterr().out
    assert code == 1
    assert out.index("app/calc.py\n") < out.index("  app/calc.py:1:1: DR202 warning")
    assert "app/fast.rs\n  app/fast.rs:1:1: DR201 warning" in out
    assert "Not checked:\n  DR203: no request or session objectives" in out


def test_json_and_sarif_formats(repo, capsys):
    _repo_with_change(repo)
    assert main(["edit", "--staged", "--repo", str(repo.root), "--format", "json", "--request", "add should ignore b"]) == 1
    data = json.loads(capsys.readouterr().out)
    assert data["summary"] == {"files": 2, "added": 3, "removed": 2}
    assert {f["code"] for f in data["findings"]} >= {"DR201", "DR202"}
    assert main(["edit", "--staged", "--repo", str(repo.root), "--format", "sarif", "--ignore", "DR201"]) == 1
    sarif = json.loads(capsys.readouterr().out)
    assert [r["ruleId"] for r in sarif["runs"][0]["results"]] == ["DR202"]


def test_fail_level_and_diff_from_stdin(repo, capsys, monkeypatch):
    import io

    diff = "diff --git a/a.py b/a.py\n--- a/a.py\n+++ b/a.py\n@@ -1 +1,2 @@\n x = 1\n+print(x)\n"
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(diff.encode())))
    assert main(["edit", "--diff", "-", "--repo", str(repo.root)]) == 0  # DR213 is info, below the default fail level
    assert "DR213" in capsys.readouterr().out
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(diff.encode())))
    assert main(["edit", "--diff", "-", "--repo", str(repo.root), "--fail-level", "info"]) == 1


def test_work_tree_outside_git_is_a_usage_error(tmp_path, capsys):
    assert main(["edit", "--repo", str(tmp_path)]) == 2
    assert "needs a git repository" in capsys.readouterr().err


def test_a_work_tree_diff_lands_on_the_lines_on_disk(repo, capsys, monkeypatch):
    """`git diff | xyguard edit --diff -`: the work tree holds the change; findings point at its lines, as --staged."""
    import io

    module = ("import os\n\n\ndef keep(a):\n    return a\n\n\ndef helper(x):\n    return x + 1\n\n\n"
              "def fetch(url, timeout=10):\n    return url\n")
    repo.commit("base", {"pkg/__init__.py": "", "pkg/m.py": module})
    repo.write({"pkg/m.py": module.replace("def fetch(url, timeout=10):", "def fetch(url, *, timeout):")})
    diff = repo.git("diff")
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(diff.encode())))
    assert main(["edit", "--diff", "-", "--repo", str(repo.root), "--format", "json"]) == 1
    from_diff = json.loads(capsys.readouterr().out)
    repo.git("add", "-A")
    main(["edit", "--staged", "--repo", str(repo.root), "--format", "json"])
    staged = json.loads(capsys.readouterr().out)
    lines = {(f["code"], f["range"]["start"]["line"]) for f in from_diff["findings"]}
    assert lines == {(f["code"], f["range"]["start"]["line"]) for f in staged["findings"]}
    assert ("DR202", 11) in lines  # zero-based: `def fetch` is line 12 of the file on disk
    assert not any("does not apply" in s["reason"] for s in from_diff["skipped"])
