"""The custom requests a coding agent sends before acting: xyguard/analyzeRequest, checkEdit, session/*, evaluate."""

from __future__ import annotations

import pytest
import pytest_lsp
from pygls.exceptions import JsonRpcInvalidParams
from pytest_lsp import ClientServerConfig, LanguageClient, client_capabilities

from lsp_helpers import CONFIG_PY, SERVER, init_params, make_client, open_document

RUST_DIFF = """diff --git a/src/app/config.rs b/src/app/config.rs
new file mode 100644
--- /dev/null
+++ b/src/app/config.rs
@@ -0,0 +1,5 @@
+use std::collections::HashMap;
+
+pub fn parse_config(text: &str) -> HashMap<String, String> {
+    text.lines().filter_map(|l| l.split_once('=')).map(|(k, v)| (k.trim().into(), v.trim().into())).collect()
+}
"""


@pytest_lsp.fixture(config=ClientServerConfig(server_command=SERVER, client_factory=make_client))
async def client(lsp_client: LanguageClient, project):
    await lsp_client.initialize_session(init_params(project.root, client_capabilities("visual-studio-code")))
    yield
    await lsp_client.shutdown_session()


async def request(client: LanguageClient, method: str, params) -> dict:
    return await client.protocol.send_request_async(method, params)


def as_dict(result) -> dict:
    """pygls hands custom results back as namedtuples; compare as plain data."""
    if hasattr(result, "_asdict"):
        return {k: as_dict(v) for k, v in result._asdict().items()}
    if isinstance(result, list):
        return [as_dict(v) for v in result]
    return result


async def test_analyze_request_returns_the_request_report(client: LanguageClient, project):
    report = as_dict(await request(client, "xyguard/analyzeRequest", {
        "text": "Improve the parser.", "uri": (project.root / "x.request.md").as_uri()}))
    assert report["clarify"]["needed"] is True and report["clarify"]["question"]
    assert "XY110" in report["clarify"]["codes"]
    assert {"immediate", "final_goals", "background", "autonomy"} <= set(report["intent"])
    assert report["findings"][0]["code"] == "XY110"


async def test_check_edit_flags_a_language_switch_in_a_diff(client: LanguageClient, project):
    report = as_dict(await request(client, "xyguard/checkEdit", {
        "diff": RUST_DIFF, "request": "make parse_config stricter", "root": str(project.root)}))
    assert report["summary"]["files"] == 1 and report["summary"]["added"] == 5
    assert "DR201" in {f["code"] for f in report["findings"]}
    assert report["blocking"] is True


async def test_check_edit_accepts_a_workspace_edit(client: LanguageClient, project):
    uri = (project.root / "src/app/config.py").as_uri()
    debug = CONFIG_PY.replace("    return result\n", "    print('parsed', result)\n    return result\n")
    line = debug.splitlines().index("    print('parsed', result)")
    edit = {"changes": {uri: [{"range": {"start": {"line": line, "character": 0},
                                         "end": {"line": line, "character": 0}},
                               "newText": "    print('parsed', result)\n"}]}}
    report = as_dict(await request(client, "xyguard/checkEdit", {"edit": edit, "uri": uri}))
    assert report["summary"] == {"files": 1, "added": 1, "removed": 0}
    found = [f for f in report["findings"] if f["code"] == "DR213"]
    assert found and found[0]["path"] == "src/app/config.py"


async def test_bad_custom_params_are_invalid_params(client: LanguageClient, project):
    with pytest.raises(JsonRpcInvalidParams, match="'text' is required"):
        await request(client, "xyguard/analyzeRequest", {"uri": (project.root / "x.request.md").as_uri()})
    with pytest.raises(JsonRpcInvalidParams, match="exactly one of"):
        await request(client, "xyguard/checkEdit", {"diff": RUST_DIFF, "edit": {"changes": {}}})
    with pytest.raises(JsonRpcInvalidParams, match="session"):
        await request(client, "xyguard/session/get", {"session": "../../etc", "root": str(project.root)})


async def test_a_session_remembers_turns_and_judges_edits_against_them(client: LanguageClient, project):
    root = str(project.root)
    first = as_dict(await request(client, "xyguard/session/update", {
        "session": "s1", "root": root, "text": "Make parse_config reject lines without '='. Keep it in Python."}))
    assert first["goal_state"]["objectives"], "the first turn should set an objective"
    state = as_dict(await request(client, "xyguard/session/get", {"session": "s1", "root": root}))
    assert state["objectives"] == first["goal_state"]["objectives"]
    result = as_dict(await request(client, "xyguard/evaluate", {"session": "s1", "root": root, "diff": RUST_DIFF}))
    # The Rust rewrite breaks the requirement stated in turn 1, and the change itself is not ok.
    kept = {r["text"]: r["status"] for r in result["requirements"]}
    assert kept["Keep it in Python"] == "not addressed"
    assert result["goal"]["requirements_kept"] is False and result["change"]["ok"] is False


async def test_a_workspace_edit_applies_to_the_unsaved_buffer_not_the_file(client: LanguageClient, project):
    uri = (project.root / "src/app/config.py").as_uri()
    buffer = CONFIG_PY + "\n\nprint('unsaved debugging')\n"  # in the editor only; the file on disk lacks it
    open_document(client, uri, buffer, language_id="python")
    line = buffer.splitlines().index("print('unsaved debugging')")
    edit = {"changes": {uri: [{"range": {"start": {"line": line, "character": 0}, "end": {"line": line + 1, "character": 0}},
                               "newText": ""}]}}
    report = as_dict(await request(client, "xyguard/checkEdit", {"edit": edit, "uri": uri}))
    # Removing the buffer's debug line is a one-line removal; against the file on disk it would be nothing.
    assert report["summary"] == {"files": 1, "added": 0, "removed": 1}


# ---- checkEdit on the work tree: the server reads the change, the client sends no diff ------------------------

RUST_MODULE = "pub fn parse_config(text: &str) -> Vec<(String, String)> {\n    Vec::new()\n}\n"


def _pending_work(project) -> None:
    """A debug print in a tracked file, an untracked Rust module, an ignored build output, a hostile filter."""
    project.write({"src/app/config.py": CONFIG_PY.replace("    return result\n", "    print('parsed', result)\n    return result\n"),
                   "src/app/config.rs": RUST_MODULE,
                   "build/generated.py": "print('generated')\n"})
    (project.root / ".git/info/exclude").write_text("build/\n")
    marker = project.root.parent / "clean-filter-ran"
    project.git("config", "filter.evil.clean", f"touch {marker}; cat")
    project.git("config", "filter.evil.required", "true")
    (project.root / ".git/info/attributes").write_text("*.py filter=evil\n")


def _by_path(report: dict) -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    for f in report["findings"]:
        out.setdefault(f["path"], set()).add(f["code"])
    return out


async def test_check_edit_reads_the_work_tree_of_the_folder(client: LanguageClient, project):
    _pending_work(project)
    report = as_dict(await request(client, "xyguard/checkEdit", {
        "worktree": True, "uri": project.root.as_uri(), "request": "make parse_config stricter"}))
    # The tracked edit and the untracked file are checked; the ignored file is not part of the change.
    assert report["summary"] == {"files": 2, "added": 4, "removed": 0}
    found = _by_path(report)
    assert "DR201" in found["src/app/config.rs"] and "DR213" in found["src/app/config.py"]
    assert not any("build/" in (f["path"] or "") for f in report["findings"])
    assert report["blocking"] is True
    assert not (project.root.parent / "clean-filter-ran").exists(), "the repository's clean filter ran"


async def test_check_edit_on_the_work_tree_narrows_to_a_file_or_paths(client: LanguageClient, project):
    _pending_work(project)
    one_file = as_dict(await request(client, "xyguard/checkEdit", {
        "worktree": True, "uri": (project.root / "src/app/config.py").as_uri()}))
    assert one_file["summary"]["files"] == 1 and set(_by_path(one_file)) == {"src/app/config.py"}
    by_paths = as_dict(await request(client, "xyguard/checkEdit", {
        "worktree": True, "uri": project.root.as_uri(), "paths": ["src/app/config.rs"]}))
    assert by_paths["summary"] == {"files": 1, "added": 3, "removed": 0}
    assert "DR201" in _by_path(by_paths)["src/app/config.rs"]
    folder = as_dict(await request(client, "xyguard/checkEdit", {"worktree": True, "root": str(project.root),
                                                                 "paths": ["tests"]}))
    assert folder["summary"]["files"] == 0 and folder["findings"] == [] and folder["blocking"] is False


async def test_check_edit_on_the_work_tree_rejects_bad_params(client: LanguageClient, project, tmp_path):
    uri = project.root.as_uri()
    with pytest.raises(JsonRpcInvalidParams, match="exactly one of"):
        await request(client, "xyguard/checkEdit", {"worktree": True, "diff": RUST_DIFF, "uri": uri})
    with pytest.raises(JsonRpcInvalidParams, match="exactly one of .*'worktree'"):
        await request(client, "xyguard/checkEdit", {"uri": uri})
    with pytest.raises(JsonRpcInvalidParams, match="'worktree' must be true or false"):
        await request(client, "xyguard/checkEdit", {"worktree": "yes", "uri": uri})
    with pytest.raises(JsonRpcInvalidParams, match="outside the repository"):
        await request(client, "xyguard/checkEdit", {"worktree": True, "uri": uri, "paths": ["../elsewhere.py"]})
    with pytest.raises(JsonRpcInvalidParams, match="'paths' goes with 'worktree'"):
        await request(client, "xyguard/checkEdit", {"diff": RUST_DIFF, "paths": ["a.py"]})
    plain = tmp_path / "not-a-repo"
    plain.mkdir()
    with pytest.raises(JsonRpcInvalidParams, match="not in a git repository"):
        await request(client, "xyguard/checkEdit", {"worktree": True, "root": str(plain)})


async def test_an_error_names_the_method_intact_and_hides_local_paths(client: LanguageClient, project):
    sessions = project.root / ".git/xyguard/sessions"
    sessions.mkdir(parents=True)
    (sessions / "s1.json").write_text("{not json")
    with pytest.raises(JsonRpcInvalidParams) as raised:
        await request(client, "xyguard/session/update", {"session": "s1", "root": str(project.root), "text": "Add retries."})
    message = str(raised.value)
    assert "xyguard/session/update: session s1: <path> is not a valid session file" in message
    assert str(project.root) not in message and "sessions/s1.json" not in message
