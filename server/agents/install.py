"""Our hook entries in Claude Code's settings: merged in without touching anything else, removed the same way.

Claude Code reads hooks from `~/.claude/settings.json` (user), `.claude/settings.json` (project, committed)
and `.claude/settings.local.json` (project, not committed); Cursor reads the same files as third-party
hooks. An entry is ours when its command runs `xyguard ... agent claude-code`, so re-installing replaces
ours in place and uninstalling leaves every other hook, matcher group and setting as it was.
"""

from __future__ import annotations

import json
import os
import re
import tempfile
from pathlib import Path
from typing import Any

DEFAULT_COMMAND = "xyguard agent claude-code"
EDIT_MATCHER = "Edit|MultiEdit|Write"
HOOK_TIMEOUT_SECONDS = 30  # the host's own default for UserPromptSubmit; far above what a check takes
SCOPES = ("project", "local", "user")
_OURS = re.compile(r"(^|[\s/\\])xyguard(\.exe)?(\s.*)?\sagent\s+claude-code(\s|$)|-m\s+xyguard(\.server)?\s+agent\s+claude-code(\s|$)")


class SettingsError(ValueError):
    """The settings file cannot be read as Claude Code settings; it is left untouched."""


def settings_path(scope: str, project: Path) -> Path:
    if scope == "user":
        return Path.home() / ".claude" / "settings.json"
    return project / ".claude" / ("settings.local.json" if scope == "local" else "settings.json")


def hook_entries(command: str = DEFAULT_COMMAND, *, stop: bool = False) -> dict[str, list[dict[str, Any]]]:
    """The `hooks` entries xyguard needs, per event (a Stop entry only when asked for)."""
    handler = {"type": "command", "command": command, "timeout": HOOK_TIMEOUT_SECONDS}
    entries: dict[str, list[dict[str, Any]]] = {
        "UserPromptSubmit": [{"hooks": [dict(handler)]}],
        "PreToolUse": [{"matcher": EDIT_MATCHER, "hooks": [dict(handler)]}],
    }
    if stop:
        entries["Stop"] = [{"hooks": [{**handler, "command": f"{command} --stop-check"}]}]
    return entries


def is_ours(handler: Any) -> bool:
    return isinstance(handler, dict) and isinstance(handler.get("command"), str) and bool(_OURS.search(handler["command"]))


def read_settings(path: Path) -> dict[str, Any]:
    if not path.exists():
        return {}
    try:
        data = json.loads(path.read_text(encoding="utf-8") or "{}")
    except (OSError, UnicodeDecodeError) as exc:
        raise SettingsError(f"{path}: cannot read ({exc})") from None
    except ValueError as exc:
        raise SettingsError(f"{path}: not valid JSON ({exc}); fix it first, nothing was changed") from None
    if not isinstance(data, dict):
        raise SettingsError(f"{path}: not a JSON object; nothing was changed")
    hooks = data.get("hooks", {})
    if not isinstance(hooks, dict) or not all(isinstance(v, list) for v in hooks.values()):
        raise SettingsError(f"{path}: 'hooks' is not an object of lists; nothing was changed")
    return data


def _without_ours(groups: list[Any]) -> list[Any]:
    """The matcher groups with our handlers taken out; a group left empty by that is dropped."""
    out = []
    for group in groups:
        if not isinstance(group, dict) or not isinstance(group.get("hooks"), list):
            out.append(group)
            continue
        kept = [h for h in group["hooks"] if not is_ours(h)]
        if kept:
            out.append({**group, "hooks": kept})
        elif len(kept) == len(group["hooks"]):
            out.append(group)
    return out


def merged(settings: dict[str, Any], entries: dict[str, list[dict[str, Any]]]) -> dict[str, Any]:
    """`settings` with our entries (replacing any earlier ones of ours) and nothing else changed."""
    out = dict(settings)
    before = dict(settings.get("hooks", {}))
    hooks = {event: _without_ours(groups) for event, groups in before.items()}
    for event, groups in entries.items():
        hooks[event] = [*hooks.get(event, []), *groups]
    # An event only we used (a Stop entry from an earlier install) goes when it is left empty.
    out["hooks"] = {event: groups for event, groups in hooks.items() if groups or not before.get(event)}
    return out


def removed(settings: dict[str, Any]) -> dict[str, Any]:
    """`settings` without our entries: events and the `hooks` key we emptied go too, nothing else changes."""
    if "hooks" not in settings:
        return dict(settings)
    out = dict(settings)
    hooks = {}
    for event, groups in settings["hooks"].items():
        kept = _without_ours(groups)
        if kept or not groups:
            hooks[event] = kept
    if hooks or not settings["hooks"]:
        out["hooks"] = hooks
    else:
        del out["hooks"]
    return out


def write_settings(path: Path, data: dict[str, Any]) -> None:
    """Atomically (temp file + rename), keeping the file's mode when it existed."""
    path.parent.mkdir(parents=True, exist_ok=True)
    mode = path.stat().st_mode & 0o777 if path.exists() else None
    fd, tmp = tempfile.mkstemp(prefix=".settings.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(json.dumps(data, indent=2, ensure_ascii=False) + "\n")
        if mode is not None:
            os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


def install(path: Path, command: str = DEFAULT_COMMAND, *, stop: bool = False) -> dict[str, Any]:
    data = merged(read_settings(path), hook_entries(command, stop=stop))
    write_settings(path, data)
    return data


def uninstall(path: Path) -> bool:
    """Remove our entries; True when there were any."""
    if not path.exists():
        return False
    before = read_settings(path)
    after = removed(before)
    if after == before:
        return False
    write_settings(path, after)
    return True
