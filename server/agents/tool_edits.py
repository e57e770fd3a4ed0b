"""A coding agent's file tool call as a Change: the file on disk before, and the file the call would leave.

Claude Code's `Edit` (`old_string` -> `new_string`, `replace_all`), `MultiEdit` (`edits`, applied in
order) and `Write` (`content`) all name the file by `file_path`. The file is read the way the checks read
a repository: inside the root only, never through a symlink, size-capped.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

EDIT_TOOLS = ("Edit", "MultiEdit", "Write")


class NotCheckable(ValueError):
    """The call cannot be turned into a change to check; the message says why (the hook lets it through)."""


def _text(value: Any, what: str) -> str:
    if not isinstance(value, str):
        raise NotCheckable(f"tool_input.{what} is missing or not a string")
    return value


def relative_path(root: Path, file_path: str, cwd: Path | None = None) -> str:
    """The repository-relative path of `file_path` (absolute, or relative to the host's cwd)."""
    path = Path(file_path)
    if not path.is_absolute():
        path = (cwd or root) / path
    real_root = Path(os.path.realpath(root))
    # Resolve the folder (it may sit under a symlinked prefix such as /tmp), never the file itself.
    parent = Path(os.path.realpath(path.parent))
    try:
        rel = (parent / path.name).relative_to(real_root)
    except ValueError:
        raise NotCheckable(f"{file_path} is outside the repository {root}") from None
    if not rel.parts or rel.parts[0] == ".git":
        raise NotCheckable(f"{file_path} is not a file of the repository")
    return rel.as_posix()


def _read_current(root: Path, rel: str, max_bytes: int) -> str | None:
    """The file as it is now; None when it does not exist yet."""
    from xyguard.analyzers.context.files import decode_source, looks_binary, read_bytes_safely

    full = Path(os.path.realpath(root)) / rel
    if not os.path.lexists(full):
        return None
    data = read_bytes_safely(Path(os.path.realpath(root)), rel, max_bytes)
    if data is None:
        raise NotCheckable(f"{rel} is a symlink, not a regular file, unreadable or larger than {max_bytes} bytes")
    if looks_binary(data):
        raise NotCheckable(f"{rel} is a binary file")
    return decode_source(data)


def _replace(text: str, old: str, new: str, replace_all: bool, rel: str) -> str:
    if old not in text:
        raise NotCheckable(f"the text to replace is not in {rel} (the host will refuse this edit itself)")
    return text.replace(old, new) if replace_all else text.replace(old, new, 1)


def new_text_for(tool_name: str, tool_input: dict[str, Any], old: str | None, rel: str) -> str:
    """What the file holds after the call."""
    if tool_name == "Write":
        return _text(tool_input.get("content"), "content")
    edits: Any
    if tool_name == "Edit":
        edits = [tool_input]
    elif tool_name == "MultiEdit":
        edits = tool_input.get("edits")
        if not isinstance(edits, list) or not all(isinstance(e, dict) for e in edits):
            raise NotCheckable("tool_input.edits is missing or not a list of edits")
    else:
        raise NotCheckable(f"{tool_name} does not edit a file as text")
    text = old
    for edit in edits:
        before, after = _text(edit.get("old_string"), "old_string"), _text(edit.get("new_string"), "new_string")
        if text is None:
            if before:
                raise NotCheckable(f"{rel} does not exist (the host will refuse this edit itself)")
            text = after  # an empty old_string on a missing file creates it
            continue
        text = _replace(text, before, after, bool(edit.get("replace_all")), rel)
    return text or ""


def proposed_change(root: Path, tool_name: str, tool_input: Any, *, cwd: Path | None = None,
                    max_bytes: int = 1_000_000):
    """The Change the tool call would make (empty when it changes nothing). NotCheckable when it cannot be built."""
    from xyguard.analyzers.edits import Change
    from xyguard.analyzers.edits.diffmodel import file_change_from_texts

    if not isinstance(tool_input, dict):
        raise NotCheckable("tool_input is missing or not an object")
    rel = relative_path(root, _text(tool_input.get("file_path"), "file_path"), cwd)
    old = _read_current(root, rel, max_bytes)
    new = new_text_for(tool_name, tool_input, old, rel)
    if len(new.encode("utf-8", "surrogatepass")) > max_bytes:
        raise NotCheckable(f"the new {rel} is larger than {max_bytes} bytes")
    fc = file_change_from_texts(rel, old, new)
    return Change(files=[fc] if fc is not None else [])
