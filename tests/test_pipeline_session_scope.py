"""Session-wide scope: an agent's one-file edits are judged on the session's whole change (pipeline level)."""

from __future__ import annotations

from agent_support import project

from xyguard.analyzers.edits import Change
from xyguard.analyzers.pipeline import Workspace, analyse_request, check_edit, record_edit
from finding_codes import codes

PROMPT = "fix the crash in parse_date when the string has a time part"
SPLIT = '    year, month, day = text.split("-")\n'
FIX = '    text = text.split("T")[0]\n' + SPLIT


def one_file(root, path: str, old: str, new: str) -> Change:
    before = (root / path).read_text(encoding="utf-8")
    return Change.from_texts({path: (before, before.replace(old, new, 1))})


def session_with_fix(tmp_path, session="s1"):
    repo = project(tmp_path)
    ws = Workspace.open(repo.root, session=session)
    analyse_request(PROMPT, ws)
    check_edit(one_file(repo.root, "src/timeparse/dates.py", SPLIT, FIX), ws)  # recorded
    path = repo.root / "src/timeparse/dates.py"
    path.write_text(path.read_text(encoding="utf-8").replace(SPLIT, FIX, 1), encoding="utf-8")  # applied
    return repo, ws


def test_a_file_unrelated_to_the_session_is_scope_creep_beside_the_sessions_earlier_edit(tmp_path):
    repo, ws = session_with_fix(tmp_path)
    change = one_file(repo.root, "src/timeparse/report.py", 'key=lambda r: r["when"]', 'key=lambda r: (r["when"], r["title"])')
    report = check_edit(change, ws, record=False, judge_session=True)
    assert "DR203" in codes(report, "src/timeparse/report.py")
    alone = check_edit(change, Workspace.open(repo.root), record=False)
    assert "DR203" not in codes(alone, "src/timeparse/report.py"), "one file on its own has nothing to stray from"


def test_a_file_related_to_the_sessions_change_is_in_scope(tmp_path):
    repo, ws = session_with_fix(tmp_path)
    change = one_file(repo.root, "src/timeparse/__init__.py", '__all__ = ["parse_date"]', '__all__ = ["parse_date"]  # ISO dates')
    report = check_edit(change, ws, record=False, judge_session=True)
    assert "DR203" not in codes(report, "src/timeparse/__init__.py")


def test_judging_without_recording_leaves_the_session_as_it_was_until_record_edit(tmp_path):
    repo, ws = session_with_fix(tmp_path)
    before = ws.goal_state().edits
    change = one_file(repo.root, "src/timeparse/report.py", "oldest first", "newest first")
    report = check_edit(change, ws, record=False, judge_session=True)
    assert ws.goal_state().edits == before
    record_edit(ws, change, report)
    assert [r["files"] for r in ws.goal_state().edits][-1] == ["src/timeparse/report.py"]
