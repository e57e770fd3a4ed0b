"""Workspace-level behaviour: indexing progress, cancellation, drift on source files, multi-root, client exit."""

from __future__ import annotations

import asyncio
import subprocess
import sys
import time

import pytest
import pytest_lsp
from lsprotocol import types
from pygls.exceptions import JsonRpcRequestCancelled
from pytest_lsp import ClientServerConfig, LanguageClient, client_capabilities

from finding_codes import codes
from lsp_helpers import CONFIG_PY, SERVER, init_params, make_client, open_document, publishes, replace_text, wait_for
from gitrepo import Repo
from lsp_raw import RawPeer


@pytest_lsp.fixture(config=ClientServerConfig(server_command=SERVER, client_factory=make_client))
async def client(lsp_client: LanguageClient, project):
    await lsp_client.initialize_session(init_params(project.root, client_capabilities("visual-studio-code")))
    yield
    await lsp_client.shutdown_session()


async def test_indexing_reports_work_done_progress(client: LanguageClient, project):
    def ended():
        return [reports for reports in client.progress_reports.values()
                if reports and isinstance(reports[-1], types.WorkDoneProgressEnd)]

    reports = (await wait_for(ended, what="indexing progress to end"))[0]
    assert isinstance(reports[0], types.WorkDoneProgressBegin) and project.root.name in reports[0].title
    percentages = [r.percentage for r in reports if isinstance(r, types.WorkDoneProgressReport)]
    assert percentages and percentages == sorted(percentages) and percentages[-1] == 100
    assert "files" in reports[-1].message


async def test_a_long_request_can_be_cancelled(client: LanguageClient, tmp_path):
    big = Repo(tmp_path / "big")
    big.commit("many modules", {f"pkg/mod{i}.py": f"def function_{i}(value):\n    return value + {i}\n"
                                for i in range(400)})
    params = {"text": "Improve the parser.", "root": str(big.root)}
    future = client.protocol.send_request("xyguard/analyzeRequest", params, msg_id="slow-1")
    client.protocol.notify(types.CANCEL_REQUEST, types.CancelParams(id="slow-1"))
    with pytest.raises(JsonRpcRequestCancelled):
        await asyncio.wrap_future(future)
    # The server is still serving, and the shared index build was not thrown away.
    report = await client.protocol.send_request_async("xyguard/analyzeRequest", params)
    assert report.clarify.needed is True


async def test_drift_diagnostics_on_changed_lines_and_the_switch(client: LanguageClient, project):
    uri = (project.root / "src/app/config.py").as_uri()
    open_document(client, uri, CONFIG_PY, language_id="python")
    edited = CONFIG_PY.replace("    return result\n", "    print('parsed', result)\n    return result\n")
    replace_text(client, uri, edited, 2)
    published = await wait_for(lambda: [p for p in publishes(client, uri) if p.version == 2 and p.diagnostics],
                                what="drift diagnostics")
    debug = next(d for d in published[-1].diagnostics if d.code == "DR213")
    assert edited.splitlines()[debug.range.start.line].strip().startswith("print(")
    # Untouched lines get nothing: back to the committed text, the diagnostics go away.
    replace_text(client, uri, CONFIG_PY, 3)
    await wait_for(lambda: not publishes(client, uri)[-1].diagnostics, what="cleared diagnostics")
    replace_text(client, uri, edited, 4)
    await wait_for(lambda: publishes(client, uri)[-1].diagnostics, what="drift diagnostics again")
    client.set_configuration({"drift": {"enabled": False}}, section="xyguard")
    client.workspace_did_change_configuration(types.DidChangeConfigurationParams(settings=None))
    await wait_for(lambda: not publishes(client, uri)[-1].diagnostics, what="drift switched off")


@pytest.fixture
def two_repos(tmp_path):
    strict, relaxed = Repo(tmp_path / "strict"), Repo(tmp_path / "relaxed")
    strict.commit("init", {"main.py": "print('hi')\n"})
    relaxed.commit("init", {"main.py": "print('hi')\n", ".xyguard.toml": 'ignore = ["XY110"]\n'})
    return strict, relaxed


@pytest_lsp.fixture(config=ClientServerConfig(server_command=SERVER, client_factory=make_client))
async def two_folders(lsp_client: LanguageClient, two_repos):
    strict, relaxed = two_repos
    await lsp_client.initialize_session(init_params(strict.root, client_capabilities("neovim"),
                                                    folders=[strict.root, relaxed.root]))
    yield
    await lsp_client.shutdown_session()


async def test_each_workspace_folder_has_its_own_configuration(two_folders: LanguageClient, two_repos):
    client = two_folders
    uris = [(folder.root / "ask.request.md").as_uri() for folder in two_repos]
    for uri in uris:
        open_document(client, uri, "Improve the parser.\n")
    await wait_for(lambda: all(publishes(client, uri) for uri in uris), what="diagnostics in both folders")
    assert "XY110" in codes(publishes(client, uris[0])[-1].diagnostics)
    assert "XY110" not in codes(publishes(client, uris[1])[-1].diagnostics)


def test_the_server_exits_when_the_editor_process_dies():
    editor = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(1.5)"])
    server = subprocess.Popen(SERVER, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    try:
        peer = RawPeer(server.stdout.fileno(), server.stdin.fileno())
        peer.request(1, "initialize", {"processId": editor.pid, "rootUri": None, "capabilities": {}})
        assert "result" in peer.response(1)
        peer.send({"jsonrpc": "2.0", "method": "initialized", "params": {}})
        editor.wait()
        started = time.monotonic()
        while server.poll() is None and time.monotonic() - started < 15:
            time.sleep(0.1)
        assert server.poll() is not None, "the server outlived the editor that started it"
    finally:
        if server.poll() is None:
            server.kill()
        server.wait()
        server.stdin.close()
        server.stdout.close()
