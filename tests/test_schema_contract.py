"""Every JSON output of the CLI validated against docs/schema/, and the version rule kept in one place."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from agent_support import SCHEMAS, assert_valid, project, schema_validator

PROMPT = "fix the crash in parse_date when the string has a time part; don't add dependencies"


def cli(*args: str, cwd: Path, stdin: str | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "xyguard.server", *args], cwd=cwd, input=stdin, text=True,
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=120)


def json_out(*args: str, cwd: Path, stdin: str | None = None, codes=(0, 1)):
    proc = cli(*args, cwd=cwd, stdin=stdin)
    assert proc.returncode in codes, proc.stderr
    return json.loads(proc.stdout)


@pytest.mark.parametrize("path", sorted(SCHEMAS.glob("*.schema.json")), ids=lambda p: p.name)
def test_every_schema_is_valid_and_names_the_major_version(path):
    from xyguard.analyzers.contract import SCHEMA_VERSION

    schema_validator(path.name)  # check_schema raises on an invalid schema
    doc = json.loads(path.read_text(encoding="utf-8"))
    assert f"/schema/{SCHEMA_VERSION.split('.')[0]}/" in doc["$id"]


def test_every_cli_json_output_matches_its_schema(tmp_path):
    repo = project(tmp_path)
    root = repo.root
    assert_valid(json_out("request", "make it faster", "--format", "json", cwd=root), "request-report.schema.json")
    assert_valid(json_out("request", PROMPT, "--session", "s1", "--format", "json", cwd=root), "request-report.schema.json")

    (root / "src/timeparse/dates.py").write_text(
        (root / "src/timeparse/dates.py").read_text() + "\nimport dateutil\n", encoding="utf-8")
    report = json_out("edit", "--worktree", "--format", "json", cwd=root)
    assert report["findings"] and report["schema_version"]
    assert_valid(report, "edit-report.schema.json")
    assert_valid(json_out("edit", "--session", "s1", "--format", "json", cwd=root), "edit-report.schema.json")
    assert_valid(json_out("edit", "--diff", "-", "--format", "json", cwd=root, stdin=""), "edit-report.schema.json")

    repo.git("add", "-A")
    assert_valid(json_out("hook", "pre-commit", "--format", "json", cwd=root), "hook-report.schema.json")

    state = json_out("session", "show", "s1", "--format", "json", cwd=root)
    assert state["edits"], "the edit above was recorded"
    assert_valid(state, "session.schema.json")
    assert_valid(json_out("evaluate", "--session", "s1", "--format", "json", cwd=root), "evaluation.schema.json")
    assert_valid(json_out("session", "reset", "s1", "--format", "json", cwd=root), "session-reset.schema.json")
    assert_valid(json_out("index", "--format", "json", cwd=root), "index-summary.schema.json")

    requests = tmp_path / "requests.jsonl"
    requests.write_text('{"id": 1, "text": "make it faster"}\nnot json\n{"id": "b", "text": 3}\n', encoding="utf-8")
    lines = cli("batch", "requests", str(requests), cwd=root).stdout.splitlines()
    edits = tmp_path / "edits.jsonl"
    diff = repo.git("diff", "HEAD")
    edits.write_text(json.dumps({"id": "e1", "diff": diff, "request": PROMPT}) + "\n{}\n", encoding="utf-8")
    lines += cli("batch", "edits", str(edits), cwd=root).stdout.splitlines()
    assert len(lines) == 5
    for line in lines:
        assert_valid(json.loads(line), "batch-line.schema.json")

    traces = tmp_path / "traces.jsonl"
    traces.write_text(json.dumps({"id": "c1", "turns": [
        {"role": "user", "content": "add a retry to fetch"}, {"role": "assistant", "content": "I rewrote the client in Go."},
        {"role": "user", "content": "no, I said keep it in Python"}]}) + "\n", encoding="utf-8")
    data = json_out("traces", str(traces), "--format", "json", cwd=root, codes=(0,))
    assert data["conversations"] == 1
    assert_valid(data, "traces.schema.json")


def test_session_updates_and_evaluations_from_the_pipeline_match_their_schemas(tmp_path):
    """What the LSP's session/update and evaluate and the MCP tools return: the pipeline's dicts."""
    from xyguard.analyzers.pipeline import Workspace, evaluate, update_session

    repo = project(tmp_path)
    ws = Workspace.open(repo.root, session="s2")
    out = update_session(ws, text=PROMPT)
    assert_valid(out, "session-update.schema.json")
    diff = ("--- a/src/timeparse/dates.py\n+++ b/src/timeparse/dates.py\n@@ -7,2 +7,3 @@ def parse_date(text):\n"
            '     """Parse an ISO date such as 2024-05-01."""\n+    text = text.split("T")[0]\n'
            '     year, month, day = text.split("-")\n')
    out = update_session(ws, change=diff, request=PROMPT)
    assert_valid(out, "session-update.schema.json")
    assert out["edit"]["schema_version"] == out["schema_version"]
    assert_valid(evaluate(diff, ws), "evaluation.schema.json")


def test_a_report_missing_a_contract_field_is_rejected_by_the_schema():
    """The schemas are not vacuous: the DESIGN.md fields are required."""
    import jsonschema

    bad = {"schema_version": "1.0", "findings": [], "summary": {"files": 0, "added": 0}, "skipped": [], "blocking": False}
    with pytest.raises(jsonschema.ValidationError):
        assert_valid_raising(bad, "edit-report.schema.json")
    with pytest.raises(jsonschema.ValidationError):
        assert_valid_raising({**bad, "summary": {"files": 0, "added": 0, "removed": 0}, "schema_version": "2.0"},
                             "edit-report.schema.json")


def assert_valid_raising(instance, name):
    schema_validator(name).validate(instance)
