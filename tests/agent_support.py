"""Running `xyguard agent claude-code` as Claude Code does: a fresh process, one event on stdin, JSON on stdout."""

from __future__ import annotations

import copy
import json
import os
import subprocess
import sys
from pathlib import Path

from gitrepo import Repo

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "agents" / "claude_code"
SCHEMAS = Path(__file__).resolve().parent.parent / "docs" / "schema"

DATES_PY = '''"""Parsing of calendar dates."""

import datetime


def parse_date(text):
    """Parse an ISO date such as 2024-05-01."""
    year, month, day = text.split("-")
    return datetime.date(int(year), int(month), int(day))
'''

REPORT_PY = '''"""Plain-text summaries of parsed records."""


def summarise(records):
    """One line per record, oldest first."""
    lines = []
    for record in sorted(records, key=lambda r: r["when"]):
        lines.append(f"{record['when']}: {record['title']}")
    return "\\n".join(lines)
'''

PROJECT = {
    "pyproject.toml": '[project]\nname = "timeparse"\nversion = "0.1.0"\ndependencies = []\n',
    "src/timeparse/__init__.py": 'from .dates import parse_date\n\n__all__ = ["parse_date"]\n',
    "src/timeparse/dates.py": DATES_PY,
    "src/timeparse/report.py": REPORT_PY,
    "tests/test_dates.py": ("import datetime\n\nfrom timeparse import parse_date\n\n\ndef test_parse_date():\n"
                            "    assert parse_date(\"2024-05-01\") == datetime.date(2024, 5, 1)\n"),
}


def project(tmp_path: Path, config: str | None = None) -> Repo:
    repo = Repo(tmp_path / "timeparse")
    files = dict(PROJECT)
    if config is not None:
        files[".xyguard.toml"] = config
    repo.commit("timeparse: parse ISO dates", files)
    return repo


def fixture(name: str) -> dict:
    return json.loads((FIXTURES / name).read_text(encoding="utf-8"))


def event(name: str, repo: Repo, session: str = "sess-1", **tool_input) -> dict:
    """A documented example event with this repository's cwd and session, and `tool_input` fields replaced."""
    ev = copy.deepcopy(fixture(name))
    ev["cwd"] = str(repo.root)
    ev["session_id"] = session
    if tool_input:
        ev["tool_input"] = {**{k: v for k, v in ev["tool_input"].items() if k not in ("old_string", "new_string", "content", "edits")},
                            **tool_input}
        ev["tool_input"]["file_path"] = str(repo.root / tool_input.get("file_path", ev["tool_input"]["file_path"]))
    return ev


def prompt_event(repo: Repo, prompt: str, session: str = "sess-1") -> dict:
    ev = event("user_prompt_submit.json", repo, session)
    ev["prompt"] = prompt
    return ev


def edit_event(repo: Repo, path: str, old: str, new: str, session: str = "sess-1") -> dict:
    return event("pre_tool_use_edit.json", repo, session, file_path=path, old_string=old, new_string=new)


def run_hook(payload: dict | bytes | str, *args: str, cwd: Path | None = None, env: dict | None = None):
    """(answer or None, stderr, exit code) of one hook run, as the host runs it."""
    data = payload if isinstance(payload, (bytes, str)) else json.dumps(payload)
    proc = subprocess.run([sys.executable, "-m", "xyguard.server", "agent", "claude-code", *args],
                          input=data.encode() if isinstance(data, str) else data, cwd=cwd,
                          env={**os.environ, **(env or {})}, stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=120)
    out = proc.stdout.decode()
    answer = json.loads(out) if out.strip() else None
    if answer is not None:
        assert_valid(answer, "hook-answer.claude-code.schema.json")  # every answer, in every test
    return answer, proc.stderr.decode(), proc.returncode


def decision(answer: dict | None) -> str | None:
    return ((answer or {}).get("hookSpecificOutput") or {}).get("permissionDecision")


def schema_validator(name: str):
    """A jsonschema validator for one of docs/schema/*.json, with the other files resolvable by $ref."""
    import jsonschema
    from referencing import Registry, Resource

    resources = []
    for path in SCHEMAS.glob("*.schema.json"):
        doc = json.loads(path.read_text(encoding="utf-8"))
        resources.append((doc["$id"], Resource.from_contents(doc)))
        resources.append((path.name, Resource.from_contents(doc)))
    registry = Registry().with_resources(resources)
    schema = json.loads((SCHEMAS / name).read_text(encoding="utf-8"))
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    return cls(schema, registry=registry, format_checker=cls.FORMAT_CHECKER)


def assert_valid(instance, schema_name: str) -> None:
    errors = sorted(schema_validator(schema_name).iter_errors(instance), key=lambda e: list(e.absolute_path))
    assert not errors, f"{schema_name}: " + "; ".join(f"{list(e.absolute_path)}: {e.message}" for e in errors[:5])
