"""A blobless partial clone whose origin is gone: no fetch is attempted, analysis still finishes.

In a `--filter=blob:none` clone, reading an old blob makes git fetch it
from the promisor remote; from an untrusted or unreachable remote that is a
network call, a hang, or (through remote.*.uploadpack) a program run.
xyguard runs git with GIT_NO_LAZY_FETCH=1 and must cope with the missing
blobs. The remote's upload-pack is replaced by a command that leaves a
marker, so any fetch attempt is visible.
"""

from __future__ import annotations

import shutil
import subprocess

import pytest

from gitrepo import Repo
from hostile import LspProcess, markers, xyguard


@pytest.fixture(scope="module")
def blobless(tmp_path_factory):
    base = tmp_path_factory.mktemp("partial")
    origin = Repo(base / "origin")
    origin.git("config", "uploadpack.allowFilter", "true")
    origin.commit("start", {"app.py": "import requests\n\ndef fetch(url):\n    return requests.get(url)\n",
                            "requirements.txt": "requests\nsimplejson\n"})
    bad = origin.commit("Use a cache in fetch", {"app.py": "CACHE = {}\n\ndef fetch(url):\n    return CACHE[url]\n"})
    origin.git("revert", "--no-edit", bad)
    origin.commit("Drop simplejson", {"requirements.txt": "requests\n"})
    origin.commit("Add a helper", {"util.py": "def helper():\n    return 1\n"})
    clone = Repo(base / "clone", init=False)
    clone.root.rmdir()
    origin.git("clone", "-q", "--filter=blob:none", f"file://{origin.root}", str(clone.root))
    shutil.rmtree(origin.root)  # the network is gone
    marker_dir = base / "markers"
    marker_dir.mkdir()
    clone.git("config", "remote.origin.uploadpack", f"touch {marker_dir}/fetch; false")
    clone.git("config", "protocol.file.allow", "always")
    return clone, marker_dir


def test_old_blobs_are_really_missing(blobless):
    """The clone is partial: plain git would try to fetch an old blob (and so leaves the marker)."""
    clone, marker_dir = blobless
    proc = subprocess.run(["git", "cat-file", "-p", "HEAD~3:app.py"], cwd=clone.root,
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert proc.returncode != 0
    assert markers(marker_dir) == ["fetch"]
    (marker_dir / "fetch").unlink()


@pytest.mark.parametrize("args", [
    ["index", "--rebuild", "--format", "json"],
    ["request", "Put the cache back into fetch in app.py"],
    ["edit", "--diff", "-", "--request", "cache fetch results"],
], ids=["index", "request", "edit"])
def test_analysis_finishes_without_fetching(blobless, args):
    clone, marker_dir = blobless
    diff = ("--- a/app.py\n+++ b/app.py\n@@ -1,4 +1,5 @@\n import requests\n+CACHE = {}\n \n def fetch(url):\n"
            "     return requests.get(url)\n")
    proc = xyguard(*args, "--repo", str(clone.root), cwd=clone.root, timeout=60,
                   input=diff if args[0] == "edit" else None)
    err = proc.stderr.decode("utf-8", "replace")
    assert proc.returncode in (0, 1), err
    assert "Traceback" not in err
    assert markers(marker_dir) == [], "a lazy fetch was attempted"
    if args[0] == "index":
        assert b'"commits": 5' in proc.stdout or b'"commits":5' in proc.stdout, proc.stdout[:2000]


def test_language_server_drift_in_partial_clone_does_not_fetch(blobless):
    clone, marker_dir = blobless
    with LspProcess(cwd=clone.root) as server:
        server.initialize(clone.root)
        uri = (clone.root / "app.py").as_uri()
        server.open(uri, "import requests\nimport simplejson\n\ndef fetch(url):\n    return requests.get(url)\n")
        assert server.diagnostics(uri, timeout=60) is not None
        assert server.shutdown() == 0
    assert markers(marker_dir) == []
