"""One pipeline, every front-end: the same request and the same change give the same findings and the same
question through the CLI, the language server's custom requests and the git hooks."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from lsp_raw import initialized_server

CLI = [sys.executable, "-m", "xyguard.server"]
LSP = [*CLI, "lsp"]

APP = '''"""Configuration files for the app."""


def parse_config(path):
    """Read KEY=VALUE lines from `path` into a dict."""
    result = {}
    for line in open(path):
        key, _, value = line.partition("=")
        result[key.strip()] = value.strip()
    return result


def load_link(url):
    return url
'''
# Vague, names a symbol the repository does not have, and asks the catalogue's XY question: several codes.
REQUEST = ("How do I get the last 3 characters of a filename? Then improve `parse_settings` so it is better. "
           "<!-- xyguard: ignore[XY999] -->")
MESSAGE = "Rename load_link to fetch_link"


@pytest.fixture
def project(repo):
    repo.commit("Add the config parser", {
        "pyproject.toml": '[project]\nname = "app"\nversion = "1.0"\ndependencies = []\n',
        "src/app/__init__.py": "",
        "src/app/config.py": APP,
    })
    # The staged change: a public function renamed, a dependency imported, a debug print left in.
    repo.write({"src/app/config.py": APP.replace("def load_link(url):\n    return url\n",
                                                 "import requests\n\n\ndef fetch_link(url):\n    print(url)\n"
                                                 "    return requests.get(url)\n")})
    repo.git("add", "-A")
    return repo


def cli(args: list[str], cwd, stdin: str | None = None) -> dict:
    proc = subprocess.run([*CLI, *args, "--format", "json"], cwd=cwd, capture_output=True, text=True, input=stdin)
    assert proc.returncode in (0, 1), proc.stderr
    return json.loads(proc.stdout)


def lsp(method: str, params: dict) -> dict:
    with initialized_server(LSP) as (_proc, peer):
        peer.request(2, method, params)
        answer = peer.response(2, timeout=60)
    assert "result" in answer, answer
    return answer["result"]


def findings(report: dict) -> list[tuple]:
    return [(f["code"], f["severity"], f["message"], f["path"], json.dumps(f["range"], sort_keys=True), f["question"])
            for f in report["findings"]]


def test_a_request_gets_the_same_findings_and_question_from_the_cli_and_the_language_server(project):
    from_cli = cli(["request", REQUEST, "--repo", str(project.root)], project.root)
    from_lsp = lsp("xyguard/analyzeRequest", {"text": REQUEST, "root": str(project.root)})
    assert len(findings(from_cli)) >= 2
    assert findings(from_cli) == findings(from_lsp)
    assert from_cli["clarify"] == from_lsp["clarify"] and from_cli["clarify"]["needed"]
    assert from_cli["blocking"] == from_lsp["blocking"]


def test_a_change_gets_the_same_findings_from_the_cli_the_hook_and_the_language_server(project):
    """The staged change as each front-end reads it: `edit --staged`, the pre-commit hook, and the server's
    work-tree check (the work tree holds what is staged)."""
    from_cli = cli(["edit", "--staged", "--repo", str(project.root)], project.root)
    from_hook = cli(["hook", "pre-commit"], project.root)
    from_lsp = lsp("xyguard/checkEdit", {"worktree": True, "root": str(project.root)})
    assert {f[0] for f in findings(from_cli)} >= {"DR202", "DR213"}
    assert findings(from_cli) == findings(from_hook) == findings(from_lsp)
    assert from_cli["blocking"] == from_hook["blocking"] == from_lsp["blocking"]


def test_a_diff_gets_the_same_findings_from_the_cli_and_the_language_server(project):
    diff = project.git("diff", "--cached", "HEAD")
    from_cli = cli(["edit", "--diff", "-", "--repo", str(project.root)], project.root, stdin=diff)
    from_lsp = lsp("xyguard/checkEdit", {"diff": diff, "root": str(project.root)})
    assert {f[0] for f in findings(from_cli)} >= {"DR202", "DR213"}
    assert findings(from_cli) == findings(from_lsp)


def test_the_commit_message_is_the_request_for_the_commit_msg_hook(project, tmp_path):
    """The commit-msg hook checks the change against its message exactly as `edit --request` does, and adds
    only what it says about the message itself."""
    message_file = tmp_path / "COMMIT_EDITMSG"
    message_file.write_text(MESSAGE + "\n")
    from_cli = cli(["edit", "--staged", "--request", MESSAGE, "--repo", str(project.root)], project.root)
    from_hook = cli(["hook", "commit-msg", str(message_file)], project.root)
    about_the_message = {"DR220", "DR221"} | {f["code"] for f in from_hook["findings"] if f["code"].startswith("XY")}
    assert [f for f in findings(from_hook) if f[0] not in about_the_message] == findings(from_cli)
