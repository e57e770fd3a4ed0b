"""`xyguard request` and `xyguard batch requests` as a user runs them, including bad input."""

import json
import subprocess
import sys


def run(*args, stdin=b""):
    return subprocess.run([sys.executable, "-m", "xyguard.server", *args], input=stdin, capture_output=True)


def test_text_output_reads_like_a_linter(tmp_path):
    proc = run("request", "How do I get the last three characters of a filename?", "--repo", str(tmp_path))
    out = proc.stdout.decode()
    assert proc.returncode == 1
    assert "<request>:1:" in out and "XY101" in out and "Ask before acting:" in out


def test_json_output_is_the_request_report(tmp_path):
    proc = run("request", "-", "--format", "json", "--repo", str(tmp_path), stdin=b"Improve the parser.")
    data = json.loads(proc.stdout)
    assert set(data) >= {"clarify", "intent", "complexity", "findings", "concretized"}
    assert data["clarify"]["needed"] is True


def test_sarif_output(tmp_path):
    proc = run("request", "Improve the parser.", "--format", "sarif", "--repo", str(tmp_path))
    assert json.loads(proc.stdout)["version"] == "2.1.0"


def test_empty_request_is_a_usage_error(tmp_path):
    proc = run("request", "-", "--repo", str(tmp_path), stdin=b"   \n")
    assert proc.returncode == 2
    assert b"empty" in proc.stderr and b"Traceback" not in proc.stderr


def test_nul_bytes_and_invalid_utf8_are_cleaned(tmp_path):
    proc = run("request", "-", "--format", "json", "--repo", str(tmp_path), stdin=b"Improve \xff\xfe the\x00 parser.")
    assert proc.returncode in (0, 1) and b"Traceback" not in proc.stderr
    assert b"NUL" in proc.stderr and b"UTF-8" in proc.stderr
    json.loads(proc.stdout)


def test_one_megabyte_request(tmp_path):
    proc = run("request", "-", "--format", "json", "--repo", str(tmp_path), stdin=b"Sort the list. " * 66000)
    assert proc.returncode in (0, 1) and b"Traceback" not in proc.stderr


def test_batch_reports_a_bad_line_and_answers_the_rest(tmp_path):
    src = tmp_path / "in.jsonl"
    src.write_text('{"id": "a", "text": "Improve the parser."}\n{broken\n{"id": "c"}\n'
                   '{"id": "d", "text": "Rename foo to bar in utils.py and keep behaviour identical."}\n')
    proc = run("batch", "requests", str(src))
    rows = [json.loads(line) for line in proc.stdout.decode().splitlines()]
    assert proc.returncode == 0
    assert [r["id"] for r in rows] == ["a", None, "c", "d"]
    assert rows[0]["clarify"]["needed"] is True
    assert rows[1]["line"] == 2 and "line 2" in rows[1]["error"]
    assert "text" in rows[2]["error"]
    assert "clarify" in rows[3]
    assert b"Traceback" not in proc.stderr


def test_batch_with_nothing_usable_exits_2(tmp_path):
    src = tmp_path / "in.jsonl"
    src.write_text("not json\n")
    assert run("batch", "requests", str(src)).returncode == 2
