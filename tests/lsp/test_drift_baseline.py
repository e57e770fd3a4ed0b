"""Drift against HEAD or against the session start: work committed during a session still shows as drift."""

from __future__ import annotations

import pytest_lsp
from lsprotocol import types
from pytest_lsp import ClientServerConfig, LanguageClient, client_capabilities

from finding_codes import codes
from lsp_helpers import CONFIG_PY, SERVER, init_params, make_client, open_document, publishes, wait_for

STRICT = CONFIG_PY.replace("def parse_config(path):", "def parse_config(path, strict):")


@pytest_lsp.fixture(config=ClientServerConfig(server_command=SERVER, client_factory=make_client))
async def client(lsp_client: LanguageClient, project):
    await lsp_client.initialize_session(init_params(project.root, client_capabilities("visual-studio-code"),
                                                    options={"debounceMs": 50, "session": "s1"}))
    yield
    await lsp_client.shutdown_session()


def reconfigure(client: LanguageClient, settings: dict) -> None:
    client.set_configuration(settings, section="xyguard")
    client.workspace_did_change_configuration(types.DidChangeConfigurationParams(settings=None))


async def test_drift_against_the_session_start_shows_what_was_committed_since(client: LanguageClient, project):
    # Commit A is in place when the session starts; commit B, made during the session, breaks the public API.
    await client.protocol.send_request_async("xyguard/session/update", {
        "session": "s1", "root": str(project.root), "text": "Make parse_config stricter."})
    project.commit("B: strict parsing", {"src/app/config.py": STRICT})
    uri = (project.root / "src/app/config.py").as_uri()
    open_document(client, uri, STRICT, language_id="python")

    # Against HEAD (B) the open file has not changed: nothing to say.
    await wait_for(lambda: publishes(client, uri), what="drift diagnostics against HEAD")
    assert not publishes(client, uri)[-1].diagnostics

    reconfigure(client, {"driftBaseline": "session", "session": "s1"})
    broke = await wait_for(lambda: [d for d in publishes(client, uri)[-1].diagnostics if d.code == "DR202"],
                           what="DR202 against the session start")
    assert "parse_config" in broke[0].message and STRICT.splitlines()[broke[0].range.start.line].startswith("def parse_config")

    # A session that never started has no start commit: back to HEAD, not an error.
    reconfigure(client, {"driftBaseline": "session", "session": "never-started"})
    await wait_for(lambda: not publishes(client, uri)[-1].diagnostics, what="drift against HEAD again")
    reconfigure(client, {"driftBaseline": "session", "session": "s1"})
    await wait_for(lambda: "DR202" in codes(publishes(client, uri)[-1].diagnostics), what="DR202 again")
    reconfigure(client, {"driftBaseline": "head"})
    await wait_for(lambda: not publishes(client, uri)[-1].diagnostics, what="drift against HEAD once more")


def test_without_a_usable_session_start_drift_falls_back_to_head_and_says_so_once(project, caplog):
    from types import SimpleNamespace

    from xyguard.analyzers.session import SessionStore
    from xyguard.server.lsp.drift import DriftDocuments
    from xyguard.server.lsp.options import Options

    server = SimpleNamespace(options=Options(drift_baseline="session"))
    drift = DriftDocuments(server)
    with caplog.at_level("WARNING", logger="xyguard.lsp"):
        assert drift.baseline_rev(project.root) == drift.baseline_rev(project.root) == "HEAD"
    assert len([r for r in caplog.records if "comparing with HEAD" in r.getMessage()]) == 1

    # A session whose start commit was rewritten away (a rebase, a gc) is not an error either.
    server.options.session = "s1"
    SessionStore(project.root).update("s1", lambda state: None)
    assert drift.baseline_rev(project.root) == project.head()
    SessionStore(project.root).update("s1", lambda state: setattr(state, "baseline", "0" * 40))
    assert drift.baseline_rev(project.root) == "HEAD"
