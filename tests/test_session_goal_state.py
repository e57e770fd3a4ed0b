"""Goal state across turns, on real repositories: categories, policy as data, conflicts, refinement, the prefix."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from xyguard.analyzers.session import GoalState, SessionStore, record_request, scope_hints

PY_PROJECT = {
    "pyproject.toml": '[project]\nname = "shop"\ndependencies = ["httpx>=0.27"]\n',
    "src/shop/client.py": "def fetch(url, timeout=10):\n    return url\n\n\ndef _helper(x):\n    return x\n",
    "src/shop/billing.py": "def charge(amount):\n    return amount\n",
}


@pytest.fixture
def shop(repo):
    repo.commit("initial", PY_PROJECT)
    return repo


def texts(items):
    return [i.text for i in items]


def test_each_turn_fills_the_five_categories(shop):
    shop.commit("policy", {"AGENTS.md": "# Agents\n\n- Never add new dependencies without asking.\n- Run the tests "
                                        "before committing.\n\nThis file describes the project layout.\n",
                           ".editorconfig": "root = true\n\n[*.py]\nindent_style = space\nindent_size = 4\n"})
    assert record_request(shop.root, "s1", "Add a retry to fetch but don't change the public API. "
                                          "I prefer small functions. I'm a backend developer.") == []
    state = SessionStore(shop.root).load("s1")
    assert texts(state.objectives) == ["Add a retry to fetch"]
    assert texts(state.requirements) == ["don't change the public API"]
    assert texts(state.preferences) == ["I prefer small functions"]
    assert texts(state.profile) == ["I'm a backend developer"]
    policy = {(i.source, i.text) for i in state.policy}
    assert ("AGENTS.md", "Never add new dependencies without asking.") in policy
    assert (".editorconfig", "editorconfig [*.py]: indent_style = space, indent_size = 4") in policy
    assert not any("layout" in t for _, t in policy)


@pytest.mark.parametrize("first, later, cited", [
    ("Keep the public API stable.", "Rename fetch to get.", "Keep the public API stable"),
    ("No new dependencies, please.", "Add requests for the HTTP calls.", "No new dependencies, please"),
    ("Use Python for the new tool.", "Now write it in Go.", "Use Python for the new tool"),
    ("Don't touch the billing module.", "Refactor the billing module while you are at it.", "Don't touch the billing module"),
    ("Keep all the tests.", "Just delete the failing test.", "Keep all the tests"),
])
def test_a_conflicting_later_turn_is_reported_citing_the_earlier_turn(shop, first, later, cited):
    assert record_request(shop.root, "s", "Fix the timeout handling in fetch.") == []
    assert record_request(shop.root, "s", first) == []
    findings = record_request(shop.root, "s", later)
    assert [f.code for f in findings] == ["XY107"]
    f = findings[0]
    assert "turn 2" in f.message and cited in f.message
    assert f.related[0]["turn"] == 2
    assert f.question and "still hold" in f.question
    assert f.range is not None and f.range.start.line == 0
    # Never silently applied: the earlier statement stays in force, the later one waits for the user.
    state = SessionStore(shop.root).load("s")
    assert any(cited.rstrip(".") in i.text for i in state.active("requirements"))
    assert [c.text for c in state.open_conflicts()] == [later.rstrip(".")]
    assert "Unresolved conflicts" in state.context_prefix() and cited in state.context_prefix()


def test_policy_file_constraints_are_cited_by_path(shop):
    shop.commit("agents", {"AGENTS.md": "- Do not add new dependencies.\n"})
    findings = record_request(shop.root, "p", "Add pandas for the report totals.")
    assert [f.code for f in findings] == ["XY107"]
    assert "AGENTS.md" in findings[0].message


def test_no_conflict_when_the_repository_shows_the_ask_is_harmless(shop):
    record_request(shop.root, "h", "Keep the public API stable and add no new dependencies.")
    # _helper is private; httpx is already declared.
    assert record_request(shop.root, "h", "Rename _helper to _normalise.") == []
    assert record_request(shop.root, "h", "Use httpx for the retries.") == []


def test_an_explicit_change_of_mind_replaces_the_earlier_statement(shop):
    record_request(shop.root, "m", "Use Python.")
    assert record_request(shop.root, "m", "I changed my mind: write it in Go.") == []
    state = SessionStore(shop.root).load("m")
    assert state.active("requirements") == []
    assert state.requirements[0].status == "superseded" and "turn 2" in state.requirements[0].note
    assert state.open_conflicts() == []


def test_a_refinement_replaces_without_a_conflict(shop):
    record_request(shop.root, "r", "Use Python.")
    assert record_request(shop.root, "r", "Use Python 3.12 features if it helps.") == []
    state = SessionStore(shop.root).load("r")
    active = texts(state.active("requirements")) + texts(state.active("preferences"))
    assert "Use Python" not in active


def test_contradiction_inside_one_turn_is_not_a_session_conflict(shop):
    # That is the request check's job (XY115); the session only compares with earlier turns.
    assert record_request(shop.root, "one", "Keep the API stable. Rename fetch to get.") == []


def test_context_prefix_and_scope_hints_carry_every_turn(shop):
    record_request(shop.root, "c", "Fix the timeout in fetch.")
    record_request(shop.root, "c", "Also add logging to charge.")
    record_request(shop.root, "c", "Never print to stdout.")
    prefix = SessionStore(shop.root).load("c").context_prefix()
    assert "Fix the timeout in fetch (turn 1)" in prefix
    assert "Also add logging to charge (turn 2)" in prefix
    assert "Never print to stdout (turn 3)" in prefix
    assert scope_hints(shop.root, "c") == ["Fix the timeout in fetch", "Also add logging to charge"]


def xyguard(*args, cwd=None, input=None):
    return subprocess.run([sys.executable, "-m", "xyguard.server", *args], cwd=cwd, input=input, text=True,
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=120)


def test_cli_request_session_show_and_reset(shop):
    root = str(shop.root)
    first = xyguard("request", "--repo", root, "--session", "cli", "--format", "json",
                    "Add a retry to fetch, and keep the public API stable.")
    assert first.returncode in (0, 1), first.stderr
    assert not any(f["code"] == "XY107" for f in json.loads(first.stdout)["findings"])
    second = xyguard("request", "--repo", root, "--session", "cli", "--format", "json", "Rename fetch to get.")
    conflicts = [f for f in json.loads(second.stdout)["findings"] if f["code"] == "XY107"]
    assert len(conflicts) == 1 and "turn 1" in conflicts[0]["message"]
    assert second.returncode == 1

    shown = xyguard("session", "show", "cli", "--repo", root, "--format", "json")
    data = json.loads(shown.stdout)
    assert [t["n"] for t in data["turns"]] == [1, 2]
    assert data["conflicts"][0]["earlier"]["turn"] == 1
    assert "keep the public API stable" in data["context_prefix"]
    text = xyguard("session", "show", "cli", "--repo", root)
    assert "Unresolved conflicts" in text.stdout

    assert xyguard("session", "reset", "cli", "--repo", root).returncode == 0
    missing = xyguard("session", "show", "cli", "--repo", root)
    assert missing.returncode == 2 and "no session" in missing.stderr and "Traceback" not in missing.stderr


@pytest.mark.parametrize("first, later", [
    ("Don't break backwards compatibility.", "Change the signature of fetch to take a Request object."),
    ("Standard library only.", "pip install requests and use it."),
    ("Stick with TypeScript.", "Rewrite the module in Rust."),
    ("Never modify the migrations folder.", "Update the migrations to add the column."),
    ("Don't add any external libraries.", "Use the lodash library for the deep merge."),
    ("Make sure the public interface stays the same.", "Remove the function legacy_login."),
    ("Please don't skip any tests.", "Skip the flaky test for now."),
    ("Keep it in Go.", "Could you port this to Python?"),
])
def test_conflicts_are_recognised_in_other_words(first, later):
    state = GoalState()
    state.apply_turn(first)
    assert [f.code for f in state.apply_turn(later)] == ["XY107"]


@pytest.mark.parametrize("first, later", [
    ("Add a cache.", "Add logging."),
    ("Keep the API stable.", "Add a helper function to parse dates."),
    ("No new dependencies.", "Use the existing json module."),
    ("Write it in Python.", "Make the Python version faster."),
    ("Fix the parser.\n```python\n# never use eval here\n```", "Use eval to evaluate the expression."),
])
def test_compatible_turns_are_not_conflicts(first, later):
    state = GoalState()
    state.apply_turn(first)
    assert state.apply_turn(later) == []


def test_do_it_anyway_settles_the_open_conflict_in_favour_of_the_later_ask(shop):
    record_request(shop.root, "a", "Keep the public API stable.")
    assert record_request(shop.root, "a", "Rename fetch to get.")
    assert record_request(shop.root, "a", "Yes, rename it anyway.") == []
    state = SessionStore(shop.root).load("a")
    assert state.open_conflicts() == [] and state.active("requirements") == []
    assert "Rename fetch to get" in texts(state.active("objectives"))


def test_cli_resolve_keeps_the_earlier_statement(shop):
    root = str(shop.root)
    record_request(shop.root, "k", "No new dependencies.")
    record_request(shop.root, "k", "Add requests for the HTTP calls.")
    assert xyguard("session", "resolve", "k", "--repo", root).returncode == 2  # --keep is required
    done = xyguard("session", "resolve", "k", "--keep", "earlier", "--repo", root, "--format", "json")
    data = json.loads(done.stdout)
    assert [c["resolved"] for c in data["conflicts"]] == ["earlier"]
    assert "Unresolved" not in data["context_prefix"] and "No new dependencies" in data["context_prefix"]
    assert "Add requests" not in data["context_prefix"]
