"""`xyguard agent claude-code` fed the hook events Claude Code documents, as a fresh process each time."""

from __future__ import annotations

import json

from agent_support import (decision, edit_event, event, fixture, project, prompt_event, run_hook)

PROMPT = "fix the crash in parse_date when the string has a time part; don't add dependencies"
SPLIT = '    year, month, day = text.split("-")\n'
TIME_PART_FIX = '    text = text.split("T")[0].split(" ")[0]\n' + SPLIT
SORT_KEY = 'key=lambda r: r["when"]'


def apply(repo, path: str, old: str, new: str) -> None:
    """What the host does with an edit it lets through."""
    target = repo.root / path
    target.write_text(target.read_text(encoding="utf-8").replace(old, new, 1), encoding="utf-8")


def test_a_session_denies_a_new_dependency_allows_the_fix_and_asks_about_a_file_outside_the_request(tmp_path):
    repo = project(tmp_path)
    answer, err, code = run_hook(prompt_event(repo, PROMPT))
    assert code == 0 and "Traceback" not in err
    assert answer == {}, "a clear request is let through without a word (no nagging)"

    # The dependency the user ruled out: denied, and the reason names the user's constraint.
    answer, err, code = run_hook(edit_event(repo, "src/timeparse/dates.py", "import datetime\n",
                                            "import datetime\n\nimport dateutil.parser\n"))
    assert code == 0
    assert decision(answer) == "deny"
    reason = answer["hookSpecificOutput"]["permissionDecisionReason"]
    assert "don't add dependencies" in reason and "dateutil" in reason

    # The fix itself, in the function the request names: nothing to object to.
    answer, err, code = run_hook(edit_event(repo, "src/timeparse/dates.py", SPLIT, TIME_PART_FIX))
    assert code == 0 and decision(answer) is None and err == ""
    apply(repo, "src/timeparse/dates.py", SPLIT, TIME_PART_FIX)

    # A second file nobody asked about: on its own it is one file, across the session it is scope creep.
    answer, err, code = run_hook(edit_event(repo, "src/timeparse/report.py", SORT_KEY,
                                            'key=lambda r: (r["when"], r["title"])'))
    assert code == 0 and decision(answer) == "ask"
    assert "DR203" in answer["hookSpecificOutput"]["permissionDecisionReason"]
    assert "report.py" in answer["hookSpecificOutput"]["additionalContext"]


def test_the_same_out_of_scope_edit_alone_is_not_scope_creep(tmp_path):
    """Negative of the session-wide scope: with no earlier edit in the session there is nothing to compare to."""
    repo = project(tmp_path)
    run_hook(prompt_event(repo, PROMPT))
    answer, _, code = run_hook(edit_event(repo, "src/timeparse/report.py", SORT_KEY,
                                          'key=lambda r: (r["when"], r["title"])'))
    assert code == 0 and decision(answer) is None


def test_a_denied_edit_is_not_recorded_in_the_session_and_a_let_through_one_is(tmp_path):
    from xyguard.analyzers.session import SessionStore

    repo = project(tmp_path)
    run_hook(prompt_event(repo, PROMPT))
    run_hook(edit_event(repo, "src/timeparse/dates.py", "import datetime\n", "import datetime\nimport dateutil\n"))
    assert SessionStore(repo.root).load("sess-1").edits == []
    run_hook(edit_event(repo, "src/timeparse/dates.py", SPLIT, TIME_PART_FIX))
    edits = SessionStore(repo.root).load("sess-1").edits
    assert [e["files"] for e in edits] == [["src/timeparse/dates.py"]]


def test_approve_clean_turns_a_clean_edit_into_allow(tmp_path):
    repo = project(tmp_path, config='[agent]\napprove-clean = true\n')
    run_hook(prompt_event(repo, PROMPT))
    answer, _, code = run_hook(edit_event(repo, "src/timeparse/dates.py", SPLIT, TIME_PART_FIX))
    assert code == 0 and decision(answer) == "allow"
    # the same from the command line, as an installed hook can carry it
    repo2 = project(tmp_path / "other")
    run_hook(prompt_event(repo2, PROMPT))
    answer, _, _ = run_hook(edit_event(repo2, "src/timeparse/dates.py", SPLIT, TIME_PART_FIX), "--approve-clean")
    assert decision(answer) == "allow"


def test_ask_level_never_lets_warnings_through_and_deny_level_warning_refuses_them(tmp_path):
    repo = project(tmp_path)
    run_hook(prompt_event(repo, PROMPT))
    run_hook(edit_event(repo, "src/timeparse/dates.py", SPLIT, TIME_PART_FIX))
    apply(repo, "src/timeparse/dates.py", SPLIT, TIME_PART_FIX)
    out_of_scope = edit_event(repo, "src/timeparse/report.py", SORT_KEY, 'key=lambda r: (r["when"], r["title"])')
    assert decision(run_hook(out_of_scope, "--ask-level", "never")[0]) is None
    assert decision(run_hook(out_of_scope, "--deny-level", "warning")[0]) == "deny"


def test_write_of_a_new_file_in_another_language_is_denied(tmp_path):
    repo = project(tmp_path)
    run_hook(prompt_event(repo, PROMPT))
    ev = event("pre_tool_use_write.json", repo, file_path="src/timeparse/dates.go",
               content='package timeparse\n\nimport "time"\n\nfunc ParseDate(s string) (time.Time, error) {\n'
                       '\treturn time.Parse("2006-01-02", s)\n}\n')
    answer, _, code = run_hook(ev)
    assert code == 0 and decision(answer) == "deny"
    assert "DR201" in answer["hookSpecificOutput"]["permissionDecisionReason"]


def test_multiedit_applies_its_edits_in_order(tmp_path):
    repo = project(tmp_path)
    run_hook(prompt_event(repo, PROMPT))
    ev = event("pre_tool_use_multiedit.json", repo, file_path="src/timeparse/dates.py",
               edits=[{"old_string": SPLIT, "new_string": TIME_PART_FIX},
                      {"old_string": "import datetime\n", "new_string": "import datetime\nimport dateutil\n"}])
    answer, _, code = run_hook(ev)
    assert code == 0 and decision(answer) == "deny"
    assert "dateutil" in answer["hookSpecificOutput"]["permissionDecisionReason"]


def test_an_edit_the_host_would_refuse_or_outside_the_repository_gets_no_decision(tmp_path):
    repo = project(tmp_path)
    missing = edit_event(repo, "src/timeparse/dates.py", "no such text", "x")
    answer, err, code = run_hook(missing)
    assert code == 0 and answer == {} and "not checked" in err
    outside = edit_event(repo, "src/timeparse/dates.py", SPLIT, TIME_PART_FIX)
    outside["tool_input"]["file_path"] = str(tmp_path / "elsewhere.py")
    answer, err, code = run_hook(outside)
    assert code == 0 and answer == {} and "outside the repository" in err


def test_malformed_stdin_fails_open_with_a_message_and_no_traceback(tmp_path):
    for payload in (b"", b"not json {", b"[1, 2]", b'{"no_event_name": 1}', b"\xff\xfe\x00garbage"):
        answer, err, code = run_hook(payload, cwd=tmp_path)
        assert code == 0, payload
        assert "Traceback" not in err and err.startswith("xyguard: "), (payload, err)
        assert answer["systemMessage"].startswith("xyguard did not check this"), payload
        assert "hookSpecificOutput" not in answer and "decision" not in answer


def test_a_broken_configuration_fails_open_and_says_where(tmp_path):
    repo = project(tmp_path, config="[agent]\nquestions = 'sometimes'\n")
    answer, err, code = run_hook(prompt_event(repo, PROMPT))
    assert code == 0 and "Traceback" not in err
    assert "agent.questions" in answer["systemMessage"] and "agent.questions" in err


def test_a_vague_prompt_gets_the_question_as_context_by_default_and_blocks_when_set(tmp_path):
    repo = project(tmp_path)
    answer, _, code = run_hook(prompt_event(repo, "make it faster"))
    assert code == 0 and "decision" not in answer
    context = answer["hookSpecificOutput"]["additionalContext"]
    assert answer["hookSpecificOutput"]["hookEventName"] == "UserPromptSubmit"
    assert "ask the user" in context and "faster" in context

    answer, _, _ = run_hook(prompt_event(repo, "make it faster", session="sess-2"), "--questions", "block")
    assert answer["decision"] == "block" and "faster" in answer["reason"]
    from xyguard.analyzers.session import SessionStore

    assert not SessionStore(repo.root).exists("sess-2"), "a blocked prompt is erased by the host, so no turn is kept"
    answer, _, _ = run_hook(prompt_event(repo, "make it faster", session="sess-3"), "--questions", "off")
    assert answer == {}


def test_a_later_turn_that_contradicts_an_earlier_one_reaches_the_model(tmp_path):
    repo = project(tmp_path)
    run_hook(prompt_event(repo, PROMPT))
    answer, _, _ = run_hook(prompt_event(repo, "add python-dateutil as a dependency and use it in parse_date"))
    context = answer["hookSpecificOutput"]["additionalContext"]
    assert "don't add dependencies" in context


def test_stop_asks_to_continue_only_when_the_goal_clearly_was_not_addressed(tmp_path):
    repo = project(tmp_path)
    run_hook(prompt_event(repo, "rename parse_date to parse_day"))
    unrelated = edit_event(repo, "src/timeparse/report.py", '"""One line per record, oldest first."""',
                           '"""One line per record, the oldest first."""')
    run_hook(unrelated)
    apply(repo, "src/timeparse/report.py", '"""One line per record, oldest first."""',
          '"""One line per record, the oldest first."""')
    stop = fixture("stop.json")
    stop.update(cwd=str(repo.root), session_id="sess-1", stop_hook_active=False)
    assert run_hook(stop)[0] == {}, "off by default"
    answer, _, code = run_hook(stop, "--stop-check")
    assert code == 0 and answer["decision"] == "block" and "parse_date" in answer["reason"]
    stop["stop_hook_active"] = True
    assert run_hook(stop, "--stop-check")[0] == {}, "never loops"

    apply(repo, "src/timeparse/dates.py", "def parse_date(", "def parse_day(")
    stop["stop_hook_active"] = False
    run_hook(edit_event(repo, "src/timeparse/__init__.py", "from .dates import parse_date",
                        "from .dates import parse_day"))
    apply(repo, "src/timeparse/__init__.py", "from .dates import parse_date", "from .dates import parse_day")
    answer, _, _ = run_hook(stop, "--stop-check")
    assert answer == {}, json.dumps(answer)


def test_stop_says_nothing_once_the_sessions_work_is_committed(tmp_path):
    repo = project(tmp_path)
    run_hook(prompt_event(repo, "rename parse_date to parse_day"))
    run_hook(edit_event(repo, "src/timeparse/report.py", "oldest first", "the oldest first"))
    apply(repo, "src/timeparse/report.py", "oldest first", "the oldest first")
    stop = fixture("stop.json")
    stop.update(cwd=str(repo.root), session_id="sess-1", stop_hook_active=False)
    assert run_hook(stop, "--stop-check")[0]["decision"] == "block"
    repo.commit("wording")
    assert run_hook(stop, "--stop-check")[0] == {}, "an empty change is no evidence that the goal was missed"
