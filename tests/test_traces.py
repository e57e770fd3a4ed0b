"""Correction traces: a small conversation log written here, analysed through the CLI and the library."""

from __future__ import annotations

import json
import subprocess
import sys

from xyguard.analyzers.session.corrections import analyze_lines, classify, is_correction


def conv(cid, *turns):
    roles = ["user", "assistant"] * len(turns)
    return json.dumps({"id": cid, "turns": [{"role": r, "content": t} for r, t in zip(roles, turns)]})


CONVERSATIONS = [
    conv("intent", "How do I get the last three characters of a filename?", "Use name[-3:].",
         "No, I meant the file extension, not literally three characters."),
    conv("scope", "Fix the off-by-one in paginate().", "Done; I also refactored the billing module.",
         "Why did you change the billing module? I only asked for the paginate fix."),
    conv("constraint", "Add retries to the client. No new dependencies.", "I added tenacity and wrapped the calls.",
         "I said no new dependencies. Please use a plain loop."),
    conv("factual", "How do I flatten a list in pandas?", "Use pandas.flatten(lst).",
         "That function doesn't exist in pandas."),
    conv("format", "Show me the fix.", "Here is a long explanation of the approach ... (400 words)",
         "Too long. Just the diff, as a patch."),
    conv("happy", "Add a --verbose flag.", "Added it to the parser.", "Thanks, looks great! Now add a test for it.",
         "Added tests/test_cli.py.", "Perfect."),
    json.dumps({"id": "opening", "turns": [{"role": "user", "content": "That's not what I asked last week, but: add docs."},
                                           {"role": "system", "content": "ignored"}]}),
]


def test_corrections_are_found_and_grouped_by_failure_type():
    summary = analyze_lines(CONVERSATIONS).to_dict()
    assert summary["conversations"] == 7
    assert summary["corrections"] == 5
    assert summary["by_failure"] == {"intent": 1, "scope": 1, "constraint": 1, "factual": 1, "format": 1, "other": 0}
    assert summary["conversations_with_corrections"] == 5
    assert summary["examples"]["scope"][0]["conversation"] == "scope"
    assert summary["examples"]["scope"][0]["turn"] == 2
    assert "refactored the billing" in summary["examples"]["scope"][0]["assistant_before"]


def test_an_opening_turn_and_thanks_are_not_corrections():
    summary = analyze_lines([CONVERSATIONS[5], CONVERSATIONS[6]]).to_dict()
    assert summary["corrections"] == 0 and summary["user_turns"] == 4


def test_cues_decide_the_type():
    assert classify("You changed utils.py, I didn't ask you to touch it.")[0] == "scope"
    assert classify("Why did you delete the tests?")[0] == "constraint"
    assert classify("That's not what I asked: I wanted the parser fixed, not a new one.")[0] == "intent"
    assert classify("It still fails with AttributeError: no attribute 'flatten'.")[0] == "factual"
    assert classify("Give me that as JSON please.")[0] == "format"
    assert is_correction("revert that") and not is_correction("Great, now make it faster.")


def test_cli_counts_examples_and_bad_lines(tmp_path):
    path = tmp_path / "traces.jsonl"
    path.write_text("\n".join(CONVERSATIONS + ["{broken json", '{"id": "x", "turns": "nope"}']) + "\n", encoding="utf-8")
    proc = subprocess.run([sys.executable, "-m", "xyguard.server", "traces", str(path), "--format", "json"],
                          text=True, stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=60)
    assert proc.returncode == 0
    data = json.loads(proc.stdout)
    assert data["corrections"] == 5 and len(data["errors"]) == 2
    assert "line 8" in proc.stderr and "line 9" in proc.stderr
    text = subprocess.run([sys.executable, "-m", "xyguard.server", "traces", str(path)],
                          text=True, stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=60).stdout
    assert "5 corrections" in text
    assert "constraint violated — examples:" in text and "I said no new dependencies" in text


def test_cli_rejects_a_file_with_no_conversations(tmp_path):
    path = tmp_path / "empty.jsonl"
    path.write_text("not json\n", encoding="utf-8")
    proc = subprocess.run([sys.executable, "-m", "xyguard.server", "traces", str(path)],
                          text=True, stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=60)
    assert proc.returncode == 2 and proc.stdout == ""
