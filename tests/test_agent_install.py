"""`xyguard agent install|uninstall claude-code`: our hook entries merged into settings, nothing else touched."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

THEIRS = {
    "model": "opus",
    "permissions": {"allow": ["Bash(npm test)"], "deny": ["Read(./.env)"]},
    "hooks": {
        "PreToolUse": [
            {"matcher": "Bash", "hooks": [{"type": "command", "command": "~/bin/guard-bash.sh"}]},
            {"matcher": "Edit|Write", "hooks": [{"type": "command", "command": "prettier --check", "timeout": 5}]},
        ],
        "PostToolUse": [{"matcher": "Write", "hooks": [{"type": "command", "command": "ruff format"}]}],
        "Notification": [],
    },
}


def xyguard(*args: str, cwd: Path, home: Path | None = None) -> subprocess.CompletedProcess:
    env = {**os.environ, "HOME": str(home)} if home else None
    return subprocess.run([sys.executable, "-m", "xyguard.server", "agent", *args], cwd=cwd, env=env,
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, timeout=60)


def settings(root: Path, name: str = "settings.json") -> dict:
    return json.loads((root / ".claude" / name).read_text(encoding="utf-8"))


def ours(data: dict) -> list[tuple[str, str | None, str]]:
    from xyguard.server.agents.install import is_ours

    return [(event, group.get("matcher"), h["command"]) for event, groups in data.get("hooks", {}).items()
            for group in groups for h in group.get("hooks", []) if is_ours(h)]


def test_install_into_a_fresh_project_writes_the_prompt_and_edit_hooks(tmp_path):
    proc = xyguard("install", "claude-code", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    data = settings(tmp_path)
    assert ours(data) == [("UserPromptSubmit", None, "xyguard agent claude-code"),
                          ("PreToolUse", "Edit|MultiEdit|Write", "xyguard agent claude-code")]


def test_install_keeps_every_other_setting_and_hook_and_is_idempotent(tmp_path):
    path = tmp_path / ".claude" / "settings.json"
    path.parent.mkdir()
    path.write_text(json.dumps(THEIRS), encoding="utf-8")
    for _ in range(2):
        assert xyguard("install", "claude-code", "--project", "--stop", cwd=tmp_path).returncode == 0
    data = settings(tmp_path)
    assert data["model"] == "opus" and data["permissions"] == THEIRS["permissions"]
    assert data["hooks"]["PreToolUse"][:2] == THEIRS["hooks"]["PreToolUse"]
    assert data["hooks"]["PostToolUse"] == THEIRS["hooks"]["PostToolUse"]
    assert data["hooks"]["Notification"] == []
    assert len(ours(data)) == 3, "installing twice leaves one set of entries"
    assert ("Stop", None, "xyguard agent claude-code --stop-check") in ours(data)

    assert xyguard("uninstall", "claude-code", cwd=tmp_path).returncode == 0
    assert settings(tmp_path) == THEIRS, "uninstall removes only ours"


def test_uninstall_takes_ours_out_of_a_shared_matcher_group_and_leaves_the_rest(tmp_path):
    path = tmp_path / ".claude" / "settings.json"
    path.parent.mkdir()
    shared = {"hooks": {"PreToolUse": [{"matcher": "Edit|MultiEdit|Write", "hooks": [
        {"type": "command", "command": "/opt/venv/bin/xyguard agent claude-code --ask-level never"},
        {"type": "command", "command": "prettier --check"}]}]}}
    path.write_text(json.dumps(shared), encoding="utf-8")
    assert xyguard("uninstall", "claude-code", cwd=tmp_path).returncode == 0
    assert settings(tmp_path) == {"hooks": {"PreToolUse": [{"matcher": "Edit|MultiEdit|Write", "hooks": [
        {"type": "command", "command": "prettier --check"}]}]}}
    proc = xyguard("uninstall", "claude-code", cwd=tmp_path)
    assert proc.returncode == 0 and "no xyguard hooks" in proc.stdout


def test_user_and_local_scopes_and_a_custom_command(tmp_path):
    home = tmp_path / "home"
    proj = tmp_path / "proj"
    proj.mkdir()
    assert xyguard("install", "claude-code", "--user", "--command", "/opt/x/bin/xyguard agent claude-code",
                   cwd=proj, home=home).returncode == 0
    assert ours(json.loads((home / ".claude" / "settings.json").read_text()))[0][2] == "/opt/x/bin/xyguard agent claude-code"
    assert xyguard("install", "claude-code", "--local", cwd=proj).returncode == 0
    assert ours(settings(proj, "settings.local.json"))
    assert not (proj / ".claude" / "settings.json").exists()


def test_a_settings_file_that_is_not_json_is_left_untouched(tmp_path):
    path = tmp_path / ".claude" / "settings.json"
    path.parent.mkdir()
    path.write_text("{ not json", encoding="utf-8")
    proc = xyguard("install", "claude-code", cwd=tmp_path)
    assert proc.returncode == 2 and "not valid JSON" in proc.stderr and "Traceback" not in proc.stderr
    assert path.read_text(encoding="utf-8") == "{ not json"


def _readme_block(heading: str) -> str:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    start = text.index(heading)
    block = text.index("```json", start) + len("```json")
    return text[block:text.index("```", block)]


@pytest.mark.parametrize("flags", [(), ("--stop",)])
def test_the_readme_configuration_is_what_the_installer_writes(tmp_path, flags):
    heading = "<!-- claude-code-settings -->" if not flags else "<!-- claude-code-settings-stop -->"
    documented = json.loads(_readme_block(heading))
    proc = xyguard("install", "claude-code", *flags, "--print", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout) == documented
    assert not (tmp_path / ".claude").exists(), "--print changes nothing"
