"""Refs and paths from input never become git options, transports, or reads outside the repository.

Input reaches git as revisions (`Git.show_file`, `check_ref`), as paths
(`check_relpath`, file names inside a diff, WorkspaceEdit URIs) and as the
names of the repository's own files. Option-like or escaping values are
either rejected or handed to git after `--` (or inside a `rev:path` spec);
nothing runs, and nothing outside the repository is read. The CLI and the
language server run under an audit hook (audited.py) that records every
file opened and every git argv.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from hostile import AUDITED, LspProcess, audited, clean_env, git_argvs, read_audit

from xyguard.analyzers.context.gitrun import Git, UnsafeArgument, check_ref, check_relpath

SECRET = "outside-secret-7f3a9c1e"

HOSTILE_REFS = ["--upload-pack=touch pwned-ref", "-cfoo=bar", "ext::sh -c touch% pwned-ext", "--output=pwned-out",
                "-", "HEAD\n--exec=touch pwned-nl", "main..--upload-pack=x", "HEAD:--output=x\0"]
HOSTILE_PATHS = ["../../etc/passwd", "/etc/passwd", "src/../../outside.py", "..", "..\\..\\x.py", "ok.py\0../../x"]
# Real files of the repository whose names look like options or transports: legal paths, so they must
# work, but only ever after `--` or inside `rev:path`.
OPTION_NAMED = ["-cfoo=bar.py", "--output=pwned-output.py", "--upload-pack=touch pwned-up.py",
                "ext::sh -c touch% pwned-ext.py"]


@pytest.fixture
def world(repo, tmp_path):
    """A repository with option-named files (committed, then changed and staged) next to an outside folder."""
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.py").write_text(f"TOKEN = '{SECRET}'\n\ndef leak():\n    return TOKEN\n")
    files = {name: f"def f{i}():\n    return {i}\n" for i, name in enumerate(OPTION_NAMED)}
    repo.commit("start", {"app.py": "def main():\n    return 0\n", **files})
    repo.stage({name: f"def f{i}(x=1):\n    return {i} + x\n" for i, name in enumerate(OPTION_NAMED)})
    return repo, outside


def _pwned(base: Path) -> list[str]:
    return [str(p) for p in base.rglob("pwned*") if p.name not in {Path(n).name for n in OPTION_NAMED}]


def _opened_outside(records: list[dict], outside: Path) -> list[str]:
    real = os.path.realpath(outside)
    return [r["path"] for r in records if r["event"] == "open"
            and os.path.realpath(r["path"]).startswith(real + os.sep)]


def _assert_after_double_dash(argvs: list[list[str]], names: list[str]) -> None:
    for argv in argvs:
        for name in names:
            if name in argv:
                assert "--" in argv and argv.index("--") < argv.index(name), f"{name!r} given to git as an option: {argv}"


@pytest.mark.parametrize("ref", HOSTILE_REFS)
def test_option_like_refs_are_rejected(world, ref):
    repo, _ = world
    with pytest.raises(UnsafeArgument):
        check_ref(ref)
    with pytest.raises(UnsafeArgument):
        Git(repo.root).show_file(ref, "app.py")
    assert _pwned(repo.root.parent) == []


@pytest.mark.parametrize("path", HOSTILE_PATHS)
def test_escaping_paths_are_rejected(world, path):
    repo, _ = world
    with pytest.raises(UnsafeArgument):
        check_relpath(path)
    with pytest.raises(UnsafeArgument):
        Git(repo.root).show_file("HEAD", path)


@pytest.mark.parametrize("name", OPTION_NAMED)
def test_option_named_files_are_read_as_files(world, name):
    repo, _ = world
    assert Git(repo.root).show_file("HEAD", name).startswith(b"def f")


@pytest.mark.parametrize("args", [["index", "--rebuild"], ["edit", "--staged", "--format", "json"],
                                  ["hook", "pre-commit"]], ids=["index", "edit-staged", "hook"])
def test_option_named_files_go_to_git_after_double_dash(world, tmp_path, args):
    repo, _ = world
    proc, records = audited(*args, cwd=repo.root, log=tmp_path / "audit.jsonl")
    err = proc.stderr.decode("utf-8", "replace")
    assert proc.returncode in (0, 1) and "Traceback" not in err, err
    assert git_argvs(records), "the audit hook saw no git call: the test would prove nothing"
    _assert_after_double_dash(git_argvs(records), OPTION_NAMED)
    assert _pwned(tmp_path) == []
    if args[0] == "edit":
        assert b'"files": 4' in proc.stdout, proc.stdout[:1000]


def _diff(old: str, new: str) -> str:
    return f"--- a/{old}\n+++ b/{new}\n@@ -1,4 +1,4 @@\n TOKEN = 'x'\n \n-def leak():\n+def leak(now=True):\n     return TOKEN\n"


@pytest.mark.parametrize("target", ["../outside/secret.py", "{outside}/secret.py", "src/../../outside/secret.py",
                                    "--upload-pack=touch pwned-diff", "ext::sh -c touch% pwned-diff"])
def test_paths_inside_a_diff_never_reach_outside_or_become_options(world, tmp_path, target):
    repo, outside = world
    target = target.format(outside=outside)
    proc, records = audited("edit", "--diff", "-", "--repo", str(repo.root), "--format", "json",
                            cwd=repo.root, input=_diff(target, target), log=tmp_path / "audit.jsonl")
    out = proc.stdout.decode("utf-8", "replace") + proc.stderr.decode("utf-8", "replace")
    assert proc.returncode in (0, 1, 2) and "Traceback" not in out, out
    assert SECRET not in out
    assert _opened_outside(records, outside) == []
    _assert_after_double_dash(git_argvs(records), [target])
    assert _pwned(tmp_path) == []


def test_workspace_edit_uris_outside_the_root_are_refused_by_the_language_server(world, tmp_path):
    repo, outside = world
    secret_uri = (outside / "secret.py").as_uri()
    edit = [{"range": {"start": {"line": 0, "character": 0}, "end": {"line": 0, "character": 0}}, "newText": "# hi\n"}]
    attempts = [
        {"changes": {secret_uri: edit}},
        {"changes": {repo.root.as_uri() + "/../outside/secret.py": edit}},
        {"changes": {repo.root.as_uri() + "/%2E%2E/outside/secret.py": edit}},
        {"documentChanges": [{"kind": "rename", "oldUri": secret_uri, "newUri": (repo.root / "x.py").as_uri()}]},
        {"documentChanges": [{"kind": "delete", "uri": secret_uri}]},
        {"../outside/secret.py": "TOKEN = None\n"},
        {str(outside / "secret.py"): "TOKEN = None\n"},
    ]
    log = tmp_path / "audit.jsonl"
    with LspProcess(cwd=repo.root, env=clean_env(XYGUARD_AUDIT_LOG=str(log)), runner=AUDITED) as server:
        server.initialize(repo.root)
        for attempt in attempts:
            answer = server.request("xyguard/checkEdit", {"edit": attempt, "root": str(repo.root)}, timeout=60)
            assert ("error" in answer) != ("result" in answer), answer
            assert SECRET not in str(answer)
        assert server.shutdown() == 0
    records = read_audit(log)
    assert any(r["event"] == "open" for r in records)
    assert _opened_outside(records, outside) == []
