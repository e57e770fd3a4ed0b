"""Request documents in a real editor session: versioned diagnostics, hover, code actions, settings."""

from __future__ import annotations

import asyncio

import pytest_lsp
from lsprotocol import types
from pytest_lsp import ClientServerConfig, LanguageClient, client_capabilities

from finding_codes import codes
from lsp_helpers import SERVER, init_params, make_client, open_document, publishes, replace_text, wait_for
from xyguard.analyzers.rules import RULES

VAGUE = "Improve the parser.\n"
CLEAR = ("In src/app/config.py, make parse_config(path) raise ValueError naming the line number when a line "
         "has no '=' separator; add a test for it in tests/test_config.py.\n")


@pytest_lsp.fixture(config=ClientServerConfig(server_command=SERVER, client_factory=make_client))
async def client(lsp_client: LanguageClient, project):
    await lsp_client.initialize_session(init_params(project.root, client_capabilities("visual-studio-code")))
    yield
    await lsp_client.shutdown_session()


def doc_uri(project, name="task.request.md") -> str:
    return (project.root / name).as_uri()


async def test_a_vague_request_gets_a_diagnostic_for_its_version(client: LanguageClient, project):
    uri = doc_uri(project)
    open_document(client, uri, VAGUE)
    published = await wait_for(lambda: publishes(client, uri), what="diagnostics")
    assert published[-1].version == 1
    assert "XY110" in codes(published[-1].diagnostics)
    diagnostic = next(d for d in published[-1].diagnostics if d.code == "XY110")
    assert diagnostic.source == "xyguard" and diagnostic.severity == types.DiagnosticSeverity.Warning
    assert diagnostic.range.start.line == 0


async def test_rapid_edits_publish_only_the_latest_version(client: LanguageClient, project):
    uri = doc_uri(project)
    open_document(client, uri, VAGUE)
    await wait_for(lambda: publishes(client, uri), what="first diagnostics")
    before = len(publishes(client, uri))
    typed = ""
    for version, char in enumerate(CLEAR, start=2):  # one didChange per keystroke
        typed += char
        replace_text(client, uri, typed, version)
    last = len(CLEAR) + 1
    await wait_for(lambda: any(p.version == last for p in publishes(client, uri)), what="latest diagnostics")
    await asyncio.sleep(0.3)  # anything still in flight for an older version would arrive now
    versions = [p.version for p in publishes(client, uri)[before:]]
    # Re-publishing a version (the workspace index finished and the document was re-analysed) is fine;
    # going back to an older version is not.
    assert versions == sorted(versions), "diagnostics arrived for a version older than one already shown"
    assert versions[-1] == last
    assert len(versions) < len(CLEAR) // 10, "every keystroke was analysed: no debounce"
    assert "XY110" not in codes(publishes(client, uri)[-1].diagnostics)


async def test_a_plain_markdown_file_is_not_analysed_but_the_language_id_opts_in(client: LanguageClient, project):
    notes, chosen = doc_uri(project, "notes.md"), doc_uri(project, "scratch.txt")
    open_document(client, notes, VAGUE)
    open_document(client, chosen, VAGUE, language_id="xyguard-request")
    await wait_for(lambda: publishes(client, chosen), what="diagnostics on the opted-in document")
    assert "XY110" in codes(publishes(client, chosen)[-1].diagnostics)
    assert not any("XY" in str(d.code) for p in publishes(client, notes) for d in p.diagnostics)


async def test_hover_explains_the_finding(client: LanguageClient, project):
    uri = doc_uri(project)
    open_document(client, uri, VAGUE)
    await wait_for(lambda: publishes(client, uri), what="diagnostics")
    hover = await client.text_document_hover_async(types.HoverParams(
        text_document=types.TextDocumentIdentifier(uri=uri), position=types.Position(line=0, character=3)))
    assert hover is not None
    text = hover.contents.value
    assert "XY110" in text and RULES["XY110"].rationale in text
    assert "Ask:" in text  # the clarifying question
    nothing = await client.text_document_hover_async(types.HoverParams(
        text_document=types.TextDocumentIdentifier(uri=uri), position=types.Position(line=5, character=0)))
    assert nothing is None


async def code_actions(client: LanguageClient, uri: str, line: int = 0) -> list[types.CodeAction]:
    result = await client.text_document_code_action_async(types.CodeActionParams(
        text_document=types.TextDocumentIdentifier(uri=uri),
        range=types.Range(start=types.Position(line=line, character=0), end=types.Position(line=line, character=1)),
        context=types.CodeActionContext(diagnostics=list(client.diagnostics.get(uri, [])))))
    return [a for a in result or [] if isinstance(a, types.CodeAction)]


def apply(text: str, edits: list[types.TextEdit]) -> str:
    """Apply TextEdits as an editor would (UTF-16 = str indices for this ASCII text)."""
    lines = text.splitlines(keepends=True)

    def offset(p: types.Position) -> int:
        return sum(len(line) for line in lines[: p.line]) + p.character

    for e in sorted(edits, key=lambda e: (e.range.start.line, e.range.start.character), reverse=True):
        text = text[: offset(e.range.start)] + e.new_text + text[offset(e.range.end):]
    return text


def edits_for(action: types.CodeAction, uri: str) -> list[types.TextEdit]:
    change = next(c for c in action.edit.document_changes if getattr(c, "text_document", None)
                  and c.text_document.uri == uri)
    return list(change.edits)


async def test_code_actions_insert_the_question_and_rewrite_the_request(client: LanguageClient, project):
    uri = doc_uri(project)
    open_document(client, uri, VAGUE)
    await wait_for(lambda: publishes(client, uri), what="diagnostics")
    actions = {a.title: a for a in await code_actions(client, uri)}
    insert = next(a for t, a in actions.items() if "clarifying question" in t)
    rewrite = next(a for t, a in actions.items() if "inferred intent" in t)
    with_question = apply(VAGUE, edits_for(insert, uri))
    assert with_question.startswith(VAGUE) and "?" in with_question[len(VAGUE):]
    rewritten = apply(VAGUE, edits_for(rewrite, uri))
    assert rewritten != VAGUE and "parser" in rewritten


async def test_the_rewrite_keeps_a_sentence_that_names_a_file_path(client: LanguageClient, project):
    """A path's dot ("config.py") or a version's ("3.12") does not end the sentence the rewrite restates."""
    text = "In src/app/config.py, make parse_config accept a strict argument that works on Python 3.12 too.\n"
    uri = doc_uri(project, "strict.request.md")
    open_document(client, uri, text)
    await wait_for(lambda: publishes(client, uri), what="diagnostics")
    rewrite = next(a for a in await code_actions(client, uri) if "inferred intent" in a.title)
    rewritten = apply(text, edits_for(rewrite, uri))
    assert "Task: In src/app/config.py, make parse_config accept a strict argument that works on Python 3.12 too." \
        in rewritten


async def test_inline_suppression_action_silences_the_code(client: LanguageClient, project):
    uri = doc_uri(project)
    open_document(client, uri, VAGUE)
    await wait_for(lambda: publishes(client, uri), what="diagnostics")
    actions = await code_actions(client, uri)
    inline = next(a for a in actions if a.title == "xyguard: ignore XY110 on this line")
    suppressed = apply(VAGUE, edits_for(inline, uri))
    assert "<!-- xyguard: ignore[XY110] -->" in suppressed
    replace_text(client, uri, suppressed, 2)
    await wait_for(lambda: any(p.version == 2 for p in publishes(client, uri)), what="re-analysis")
    assert "XY110" not in codes(publishes(client, uri)[-1].diagnostics)


async def test_configuration_suppression_creates_the_config_file(client: LanguageClient, project):
    uri = doc_uri(project)
    open_document(client, uri, VAGUE)
    await wait_for(lambda: publishes(client, uri), what="diagnostics")
    action = next(a for a in await code_actions(client, uri) if a.title == "xyguard: ignore XY110 in pyproject.toml")
    edit = action.edit.document_changes[0]
    target = project.root / "pyproject.toml"
    assert edit.text_document.uri == target.as_uri()
    new_text = apply(target.read_text(), list(edit.edits))
    target.write_text(new_text)
    import tomllib

    assert tomllib.loads(new_text)["tool"]["xyguard"]["ignore"] == ["XY110"]
    # The file changed on disk: the client reports it, the server re-reads the configuration.
    client.workspace_did_change_watched_files(types.DidChangeWatchedFilesParams(changes=[
        types.FileEvent(uri=target.as_uri(), type=types.FileChangeType.Changed)]))
    await wait_for(lambda: not publishes(client, uri)[-1].diagnostics or
                   "XY110" not in codes(publishes(client, uri)[-1].diagnostics), what="re-analysis")


async def test_configuration_change_is_pulled_and_applied(client: LanguageClient, project):
    uri = doc_uri(project)
    open_document(client, uri, VAGUE)
    await wait_for(lambda: publishes(client, uri), what="diagnostics")
    assert "XY110" in codes(publishes(client, uri)[-1].diagnostics)
    count = len(publishes(client, uri))
    client.set_configuration({"ignore": ["XY110"]}, section="xyguard")
    client.workspace_did_change_configuration(types.DidChangeConfigurationParams(settings=None))
    await wait_for(lambda: len(publishes(client, uri)) > count, what="re-analysis after the settings change")
    assert "XY110" not in codes(publishes(client, uri)[-1].diagnostics)


async def test_saving_a_source_file_refreshes_what_requests_are_checked_against(client: LanguageClient, project):
    uri = doc_uri(project)
    text = "Fix the crash in load_settings() when the file is empty: it should return an empty dict.\n"
    open_document(client, uri, text)
    await wait_for(lambda: "XY104" in codes(publishes(client, uri)[-1].diagnostics) if publishes(client, uri) else
                   False, what="an unknown-symbol finding")
    # The user writes the function in the editor and saves it.
    source = project.root / "src/app/settings.py"
    source.write_text("def load_settings(path):\n    return {}\n")
    source_uri = source.as_uri()
    open_document(client, source_uri, source.read_text(), language_id="python")
    client.text_document_did_save(types.DidSaveTextDocumentParams(
        text_document=types.TextDocumentIdentifier(uri=source_uri)))
    await wait_for(lambda: "XY104" not in codes(publishes(client, uri)[-1].diagnostics),
                   what="the request re-checked against the saved file")
