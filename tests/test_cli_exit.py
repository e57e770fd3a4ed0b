"""`xyguard` leaves without the interpreter's teardown (server/cli/__init__.py `run`): its output must still
arrive whole, however large, and its exit code must hold."""

import json
import subprocess
import sys

import pytest

from gitrepo import Repo


def _xyguard(*args, cwd=None):
    return subprocess.run([sys.executable, "-m", "xyguard.server", *args], cwd=cwd, capture_output=True, text=True,
                          timeout=120)


def test_output_through_a_pipe_arrives_whole(tmp_path):
    repo = Repo(tmp_path / "big")
    repo.commit("base", {f"pkg/mod{i}.py": "".join(f"def function_{i}_{j}(a, b):\n    return a + b\n\n\n"
                                                   for j in range(40)) for i in range(60)})
    done = _xyguard("index", "--format", "json", cwd=repo.root)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["symbols"] == 60 * 40
    listed = _xyguard("rules", "--format", "json")
    assert listed.returncode == 0 and len(json.loads(listed.stdout)) > 20  # ~19 KB: more than one pipe buffer


@pytest.mark.parametrize(("args", "code"), [(["hook", "pre-commit", "extra"], 2), (["no-such-command"], 2)])
def test_exit_codes_hold(args, code):
    done = _xyguard(*args)
    assert done.returncode == code and done.stderr.strip()
