"""A session over several turns through the language server: the latest message does not silently override
earlier constraints, and a request document linked to the session is read against it."""

from __future__ import annotations

import pytest_lsp
from pytest_lsp import ClientServerConfig, LanguageClient, client_capabilities

from finding_codes import codes
from lsp_helpers import SERVER, init_params, make_client, open_document, publishes, wait_for

SESSION = "turns"


@pytest_lsp.fixture(config=ClientServerConfig(server_command=SERVER, client_factory=make_client))
async def client(lsp_client: LanguageClient, project):
    options = {"debounceMs": 50, "session": SESSION}
    await lsp_client.initialize_session(init_params(project.root, client_capabilities("visual-studio-code"), options))
    yield
    await lsp_client.shutdown_session()


async def send(client: LanguageClient, method: str, params: dict):
    return await client.protocol.send_request_async(method, params)


def plain(value):
    """pygls hands custom results back as namedtuples; compare as plain data."""
    if hasattr(value, "_asdict"):
        return {k: plain(v) for k, v in value._asdict().items()}
    if isinstance(value, list):
        return [plain(v) for v in value]
    return value


async def test_objective_constraint_and_a_conflicting_ask_across_turns(client: LanguageClient, project):
    root = str(project.root)
    first = plain(await send(client, "xyguard/session/update", {
        "session": SESSION, "root": root, "text": "Make parse_config in src/app/config.py skip blank lines."}))
    assert [o["text"] for o in first["goal_state"]["objectives"]]

    second = plain(await send(client, "xyguard/session/update", {
        "session": SESSION, "root": root, "text": "Don't add new dependencies."}))
    requirements = [r["text"] for r in second["goal_state"]["requirements"]]
    assert any("dependencies" in r for r in requirements)
    assert not second["goal_state"]["conflicts"]

    third = plain(await send(client, "xyguard/analyzeRequest", {
        "session": SESSION, "root": root, "text": "Use the python-dotenv library to read the file."}))
    conflict = [f for f in third["findings"] if f["code"] == "XY107"]
    assert conflict and "Don't add new dependencies" in conflict[0]["message"]
    assert third["clarify"]["needed"] and "XY107" in third["clarify"]["codes"]
    # The session's goal is still the request's final goal, whatever this turn says.
    assert any("blank lines" in g for g in third["intent"]["final_goals"])

    state = plain(await send(client, "xyguard/session/get", {"session": SESSION, "root": root}))
    assert state["turns"] and len(state["turns"]) == 3
    assert state["conflicts"] and state["conflicts"][0]["turn"] == 3

    fourth = plain(await send(client, "xyguard/session/update", {
        "session": SESSION, "root": root, "text": "Also strip comments that start with #."}))
    assert len(fourth["goal_state"]["turns"]) == 4  # a later turn after the conflict is still recorded


async def test_a_request_document_linked_to_the_session_is_read_against_it(client: LanguageClient, project):
    root = str(project.root)
    for text in ("Make parse_config in src/app/config.py skip blank lines.", "Don't add new dependencies."):
        await send(client, "xyguard/session/update", {"session": SESSION, "root": root, "text": text})
    uri = (project.root / "next.request.md").as_uri()
    open_document(client, uri, "Add the python-dotenv package and load the file with it.\n")
    published = await wait_for(lambda: [p for p in publishes(client, uri) if "XY107" in codes(p.diagnostics)],
                                what="a conflict with the session's constraint in the request document")
    assert published[-1].version == 1
    # Reading the document did not add a turn: it is still being typed.
    state = plain(await send(client, "xyguard/session/get", {"session": SESSION, "root": root}))
    assert len(state["turns"]) == 2
