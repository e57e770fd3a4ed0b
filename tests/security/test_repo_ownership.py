"""A repository owned by another user is refused unless the user marked it safe (git's safe.directory rule).

Someone else's repository can carry a hostile config; git itself refuses to
work in it until the user lists it in safe.directory, and xyguard keeps that
rule: a one-line message naming the fix, exit 2, no traceback. The test
runs as root, hands the repository to `nobody`, and points HOME at a temp
folder whose .gitconfig does or does not list it.
"""

from __future__ import annotations

import os
import pwd

import pytest

from hostile import assert_clean_failure, clean_env, xyguard

pytestmark = pytest.mark.skipif(os.geteuid() != 0, reason="changing a folder's owner needs root")


@pytest.fixture
def foreign_repo(repo, tmp_path):
    repo.commit("start", {"app.py": "def main():\n    return 0\n"})
    nobody = pwd.getpwnam("nobody")
    for folder, dirs, files in os.walk(repo.root):
        for name in [*dirs, *files]:
            os.lchown(os.path.join(folder, name), nobody.pw_uid, nobody.pw_gid)
    os.lchown(repo.root, nobody.pw_uid, nobody.pw_gid)
    home = tmp_path / "home"
    home.mkdir()
    return repo, home


def _env(home) -> dict[str, str]:
    env = clean_env(HOME=str(home))
    env.pop("XDG_CONFIG_HOME", None)
    return env


def _trust(home, path) -> None:
    (home / ".gitconfig").write_text(f"[safe]\n\tdirectory = {path}\n")


DIFF = "--- a/app.py\n+++ b/app.py\n@@ -1,2 +1,2 @@\n def main():\n-    return 0\n+    return 1\n"


@pytest.mark.parametrize("args", [["index"], ["request", "Add a --verbose flag to main in app.py"],
                                  ["batch", "requests", "-"]],
                         ids=["index", "request", "batch"])
def test_repository_of_another_user_is_refused_with_git_rule(foreign_repo, args):
    repo, home = foreign_repo
    _trust(home, "/somewhere/else")  # a safe.directory list that does not include this repository
    proc = xyguard(*args, "--repo", str(repo.root), cwd=home, env=_env(home),
                   input='{"id": 1, "text": "Add a --verbose flag"}\n')
    assert_clean_failure(proc)
    err = proc.stderr.decode()
    assert "owned by another user" in err and "safe.directory" in err, err
    assert len(err.strip().splitlines()) == 1, err
    assert proc.stdout == b""


def test_edit_of_repository_of_another_user_checks_the_diff_alone_and_says_why(foreign_repo):
    """The diff is the user's own input, so `edit` may still check it, but it must not read the repository."""
    repo, home = foreign_repo
    proc = xyguard("edit", "--diff", "-", "--repo", str(repo.root), cwd=home, env=_env(home), input=DIFF)
    err = proc.stderr.decode()
    assert proc.returncode in (0, 1, 2) and "Traceback" not in err, err
    assert "owned by another user" in err and "safe.directory" in err, err
    assert not (repo.root / ".git" / "xyguard").exists(), "the refused repository was indexed"


def test_repository_marked_safe_is_analysed(foreign_repo):
    repo, home = foreign_repo
    _trust(home, repo.root)
    proc = xyguard("index", "--repo", str(repo.root), "--format", "json", cwd=home, env=_env(home))
    assert proc.returncode == 0, proc.stderr.decode()
    assert b'"files": 1' in proc.stdout


def test_hook_in_repository_of_another_user_is_refused(foreign_repo):
    repo, home = foreign_repo
    proc = xyguard("hook", "pre-commit", cwd=repo.root, env=_env(home))
    assert_clean_failure(proc)
    assert "safe.directory" in proc.stderr.decode()
