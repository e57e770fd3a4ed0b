"""Intent satisfaction on real repositories: was the goal addressed? — reported apart from "is the change good?"."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from xyguard.analyzers import pipeline
from xyguard.analyzers.session import record_request


def evaluate(root, session, diff):
    return pipeline.evaluate(diff, pipeline.Workspace.open(root, session=session))

CLIENT = "def fetch(url, timeout=10):\n    return url\n\n\ndef parse(data):\n    return data\n"


@pytest.fixture
def shop(repo):
    repo.commit("initial", {"pyproject.toml": '[project]\nname = "shop"\ndependencies = []\n',
                            "src/shop/client.py": CLIENT,
                            "src/shop/billing.py": "def charge(amount):\n    return amount\n"})
    return repo


def diff_for(repo, files):
    repo.write(files)
    repo.git("add", "-A")
    diff = repo.git("diff", "--cached", "HEAD")
    repo.git("reset", "-q", "--hard", "HEAD")
    return diff


def by_text(items):
    return {i["text"]: i for i in items}


def test_each_objective_and_requirement_gets_a_status_with_evidence(shop):
    record_request(shop.root, "s", "Add a retries parameter to fetch. Keep the public API stable. No new dependencies.")
    record_request(shop.root, "s", "Also remove the parse helper from client.py.")
    diff = diff_for(shop, {"src/shop/client.py": "def fetch(url, timeout=10, retries=3):\n    return url\n"})
    result = evaluate(shop.root, "s", diff)
    objectives = by_text(result["objectives"])
    assert objectives["Add a retries parameter to fetch"]["status"] == "addressed"
    assert any("retries" in e for e in objectives["Add a retries parameter to fetch"]["evidence"])
    assert objectives["Also remove the parse helper from client.py"]["status"] == "addressed"
    requirements = by_text(result["requirements"])
    # Removing parse() is a public API break: the goal's objectives are met, one requirement is not.
    assert requirements["Keep the public API stable"]["status"] == "not addressed"
    assert any("DR202" in e for e in requirements["Keep the public API stable"]["evidence"])
    assert requirements["No new dependencies"]["status"] == "addressed"
    assert result["goal"]["status"] == "addressed" and result["goal"]["requirements_kept"] is False
    # "Is the change good?" is a separate answer, from the edit checks: the removal is what an objective asked
    # for, so the edit checks report it as stated (information), and it is the requirement that is not kept.
    dr202 = [f for f in result["change"]["findings"] if f["code"] == "DR202"]
    assert dr202 and dr202[0]["severity"] == "info" and "As stated" in dr202[0]["message"]
    assert result["change"]["ok"] is True


def test_an_unrelated_change_does_not_address_the_goal(shop):
    record_request(shop.root, "u", "Rename fetch to download.")
    diff = diff_for(shop, {"src/shop/billing.py": "def charge(amount):\n    return round(amount, 2)\n"})
    result = evaluate(shop.root, "u", diff)
    [objective] = result["objectives"]
    assert objective["status"] == "not addressed"
    assert "fetch" in objective["evidence"][0] and "download" in objective["evidence"][0]
    assert result["goal"]["status"] == "not addressed"


def test_a_rename_done_right_is_addressed(shop):
    record_request(shop.root, "r", "Rename parse to parse_payload.")
    diff = diff_for(shop, {"src/shop/client.py": CLIENT.replace("def parse(", "def parse_payload(")})
    [objective] = evaluate(shop.root, "r", diff)["objectives"]
    assert objective["status"] == "addressed"
    assert any("removes parse" in e for e in objective["evidence"]) and any("adds parse_payload" in e for e in objective["evidence"])


def test_a_vague_objective_is_unknown_not_guessed(shop):
    record_request(shop.root, "v", "Make it better.")
    diff = diff_for(shop, {"src/shop/billing.py": "def charge(amount):\n    return abs(amount)\n"})
    [objective] = evaluate(shop.root, "v", diff)["objectives"]
    assert objective["status"] == "unknown"


def test_an_asked_for_test_must_show_up_in_a_test_file(shop):
    record_request(shop.root, "t", "Add a test for charge.")
    without = diff_for(shop, {"src/shop/billing.py": "def charge(amount):\n    return abs(amount)\n"})
    assert evaluate(shop.root, "t", without)["objectives"][0]["status"] == "not addressed"
    with_test = diff_for(shop, {"tests/test_billing.py": "from shop.billing import charge\n\n\ndef test_charge():\n"
                                                         "    assert charge(2) == 2\n"})
    assert evaluate(shop.root, "t", with_test)["objectives"][0]["status"] == "addressed"


def xyguard(*args, cwd=None):
    return subprocess.run([sys.executable, "-m", "xyguard.server", *args], cwd=cwd, text=True,
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=120)


def test_cli_evaluate_diff_staged_and_worktree(shop, tmp_path):
    root = str(shop.root)
    record_request(shop.root, "cli", "Add a retries parameter to fetch. No new dependencies.")
    good = diff_for(shop, {"src/shop/client.py": CLIENT.replace("timeout=10)", "timeout=10, retries=3)")})
    (tmp_path / "good.diff").write_text(good, encoding="utf-8")
    proc = xyguard("evaluate", "--session", "cli", "--diff", str(tmp_path / "good.diff"), "--repo", root, "--format", "json")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    data = json.loads(proc.stdout)
    assert data["goal"]["status"] == "addressed" and data["change"]["ok"] is True

    shop.stage({"pyproject.toml": '[project]\nname = "shop"\ndependencies = ["requests"]\n'})
    staged = xyguard("evaluate", "--session", "cli", "--staged", "--repo", root)
    assert staged.returncode == 1
    assert "Was the underlying goal addressed? not addressed" in staged.stdout
    assert "[not addressed] No new dependencies" in staged.stdout
    assert "Is the change good? no" in staged.stdout

    worktree = xyguard("evaluate", "--session", "cli", "--repo", root, "--format", "json")
    assert json.loads(worktree.stdout)["requirements"][0]["status"] == "not addressed"

    unknown = xyguard("evaluate", "--session", "nope", "--repo", root)
    assert unknown.returncode == 2 and "no session" in unknown.stderr


def test_an_ask_still_in_conflict_does_not_make_its_own_change_look_requested(shop):
    record_request(shop.root, "c", "Add a retries parameter to fetch. Keep the public API stable.")
    record_request(shop.root, "c", "Now rename fetch to download.")  # conflicts with turn 1: pending, not agreed
    diff = diff_for(shop, {"src/shop/client.py": CLIENT.replace("def fetch(", "def download(")})
    result = evaluate(shop.root, "c", diff)
    (api,) = [f for f in result["change"]["findings"] if f["code"] == "DR202"]
    assert api["severity"] == "error" and result["change"]["ok"] is False
    assert by_text(result["requirements"])["Keep the public API stable"]["status"] == "not addressed"
