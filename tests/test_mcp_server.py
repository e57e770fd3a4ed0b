"""`xyguard mcp` end to end with the MCP SDK's own stdio client: list, call every tool, validate against the schemas."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from agent_support import assert_valid, project

mcp = pytest.importorskip("mcp", reason="the optional MCP SDK (make setup installs it)")

PROMPT = "fix the crash in parse_date when the string has a time part; don't add dependencies"
SPLIT = '    year, month, day = text.split("-")\n'
FIX = '    text = text.split("T")[0].split(" ")[0]\n' + SPLIT


async def _with_client(root, body):
    from mcp import Client
    from mcp.client.stdio import StdioServerParameters

    params = StdioServerParameters(command=sys.executable, args=["-m", "xyguard.server", "mcp"], cwd=str(root),
                                   env={**os.environ})
    async with Client(params) as client:
        return await body(client)


def structured(result, schema: str) -> dict:
    assert not result.is_error, result.content
    assert result.content and result.content[0].text.strip(), "a short text summary comes with every result"
    data = result.structured_content
    assert_valid(data, schema)
    return data


async def test_every_tool_over_stdio_answers_with_schema_valid_json(tmp_path):
    repo = project(tmp_path)

    async def body(client):
        listed = await client.list_tools()
        tools = {t.name: t for t in listed.tools}
        assert set(tools) == {"analyze_request", "check_edit", "session_get", "session_update", "evaluate"}
        for tool in tools.values():
            assert len(tool.description) > 80, f"{tool.name}: the description tells a model when to call it"
        assert "before" in tools["check_edit"].description.lower()

        data = structured(await client.call_tool("analyze_request", {"text": "make it faster"}),
                          "request-report.schema.json")
        assert data["clarify"]["needed"]

        data = structured(await client.call_tool("session_update", {"session": "m1", "text": PROMPT}),
                          "session-update.schema.json")
        assert any("dependencies" in r["text"] for r in data["goal_state"]["requirements"])

        bad = await client.call_tool("check_edit", {"session": "m1", "path": "src/timeparse/dates.py",
                                                   "old_text": "import datetime\n",
                                                   "new_text": "import datetime\nimport dateutil\n"})
        data = structured(bad, "edit-report.schema.json")
        assert data["blocking"] and any(f["code"] == "SC305" for f in data["findings"])
        assert "blocking" in bad.content[0].text

        good = await client.call_tool("check_edit", {"session": "m1", "path": "src/timeparse/dates.py",
                                                    "old_text": SPLIT, "new_text": FIX})
        assert not structured(good, "edit-report.schema.json")["blocking"]

        diff = repo.git("diff", "HEAD") or None
        (repo.root / "src/timeparse/dates.py").write_text(
            (repo.root / "src/timeparse/dates.py").read_text().replace(SPLIT, FIX), encoding="utf-8")
        diff = repo.git("diff", "HEAD")
        data = structured(await client.call_tool("check_edit", {"diff": diff, "request": PROMPT}),
                          "edit-report.schema.json")
        assert data["summary"]["files"] == 1

        data = structured(await client.call_tool("session_update", {"session": "m1", "diff": diff}),
                          "session-update.schema.json")
        assert data["goal_state"]["edits"]
        state = structured(await client.call_tool("session_get", {"session": "m1"}), "session.schema.json")
        assert state["session"] == "m1"

        data = structured(await client.call_tool("evaluate", {"session": "m1"}), "evaluation.schema.json")
        assert data["change"]["summary"]["files"] == 1  # the work tree by default

        error = await client.call_tool("check_edit", {"path": "../outside.py", "new_text": "x = 1\n"})
        assert error.is_error and "outside the repository" in error.content[0].text
        error = await client.call_tool("evaluate", {"session": "never-recorded"})
        assert error.is_error and "session_update" in error.content[0].text

        resources = await client.list_resources()
        assert [str(r.uri) for r in resources.resources] == ["xyguard://rules"]
        rules = json.loads((await client.read_resource("xyguard://rules")).contents[0].text)
        assert {"DR203", "SC305", "XY101"} <= {r["code"] for r in rules}

    await _with_client(repo.root, body)


def test_without_the_sdk_the_command_says_how_to_install_it(tmp_path):
    fake = tmp_path / "site"
    (fake / "mcp").mkdir(parents=True)
    (fake / "mcp" / "__init__.py").write_text("", encoding="utf-8")  # an `mcp` without the SDK's server package
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(fake), os.environ.get("PYTHONPATH", "")])}
    proc = subprocess.run([sys.executable, "-m", "xyguard.server", "mcp"], cwd=tmp_path, env=env, text=True,
                          stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=60)
    assert proc.returncode == 2
    assert 'pip install "xyguard[mcp]"' in proc.stderr and "Traceback" not in proc.stderr
    assert proc.stdout == ""
