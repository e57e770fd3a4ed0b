"""Which files are request documents: the `requestGlobs` setting (the editors send `**/*.request.md`), so that
VS Code's and Copilot's `*.prompt.md` prompt files are left alone unless the user opts in."""

from __future__ import annotations

import pytest_lsp
from lsprotocol import types
from pytest_lsp import ClientServerConfig, LanguageClient, client_capabilities

from finding_codes import codes
from lsp_helpers import SERVER, init_params, make_client, open_document, publishes, wait_for

VAGUE = "Improve the parser.\n"
COPILOT_PROMPT = "Improve the parser.\n"  # front matter is optional in a prompt file; this text alone gets XY110


@pytest_lsp.fixture(config=ClientServerConfig(server_command=SERVER, client_factory=make_client))
async def client(lsp_client: LanguageClient, project):
    await lsp_client.initialize_session(init_params(project.root, client_capabilities("visual-studio-code"),
                                                    options={"debounceMs": 50, "requestGlobs": ["**/*.request.md"]}))
    yield
    await lsp_client.shutdown_session()


def xy_codes(client, uri) -> set[str]:
    return {c for p in publishes(client, uri) for c in codes(p.diagnostics) if c.startswith("XY")}


async def test_copilot_prompt_files_are_left_alone_and_request_documents_checked(client: LanguageClient, project):
    prompt = (project.root / ".github/prompts/parser.prompt.md").as_uri()
    open_document(client, prompt, COPILOT_PROMPT, language_id="prompt")  # VS Code's language id for them
    request = (project.root / "task.request.md").as_uri()
    open_document(client, request, VAGUE)
    await wait_for(lambda: "XY110" in xy_codes(client, request), what="request diagnostics")
    assert not xy_codes(client, prompt)


async def test_the_user_opts_in_to_prompt_files_through_the_setting(client: LanguageClient, project):
    client.set_configuration({"requestGlobs": ["**/*.request.md", "**/*.prompt.md"]}, section="xyguard")
    client.workspace_did_change_configuration(types.DidChangeConfigurationParams(settings=None))
    prompt = (project.root / ".github/prompts/parser.prompt.md").as_uri()
    open_document(client, prompt, COPILOT_PROMPT, language_id="prompt")
    await wait_for(lambda: xy_codes(client, prompt), what="prompt file analysed once opted in")


def test_globs_match_like_vs_code_patterns():
    from xyguard.server.lsp import request_docs as rd

    try:
        rd.use_globs(["*.{request,task}.md", "docs/**/*.txt"])
        assert rd.is_request_document("file:///w/a/b.task.md", "markdown")
        assert rd.is_request_document("file:///w/A.REQUEST.MD", "markdown")
        assert rd.is_request_document("file:///w/docs/x/y.txt", "plaintext")
        assert not rd.is_request_document("file:///w/mydocs/y.txt", "plaintext")
        assert not rd.is_request_document("file:///w/x.prompt.md", "markdown")
        assert rd.is_request_document("untitled:Untitled-1", "xyguard-request")  # the language id always counts
        rd.use_globs(["[unbalanced"])  # taken literally, never an exception
        assert not rd.is_request_document("file:///w/x.request.md", "markdown")
    finally:
        rd.use_globs(None)
    assert rd.is_request_document("file:///w/x.request.md", "markdown")


def test_a_bad_glob_setting_is_reported_not_fatal():
    from xyguard.server.lsp.options import parse_options

    opts, problems = parse_options({"requestGlobs": 3})
    assert opts.request_globs is None and problems and "requestGlobs" in problems[0]
    assert parse_options({"requestGlobs": "**/*.request.md, **/*.task.md"})[0].request_globs == [
        "**/*.request.md", "**/*.task.md"]
