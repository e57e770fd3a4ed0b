"""Fresh drift: a commit made outside the editor refreshes the drift diagnostics of open files.

End to end over stdio, for a client that watches files for the server (VS Code's capabilities) and one
that does not (the server polls); plus the watch's own logic on a real repository, step by step.
"""

from __future__ import annotations

import asyncio
import copy
import os
import time
from types import SimpleNamespace

import pytest_lsp
from lsprotocol import types
from pytest_lsp import ClientServerConfig, LanguageClient, client_capabilities

from gitrepo import Repo
from finding_codes import codes
from lsp_helpers import CONFIG_PY, SERVER, init_params, make_client, open_document, publishes, wait_for
from xyguard.server.lsp import git_watch

STRICT = CONFIG_PY.replace("def parse_config(path):", "def parse_config(path, strict):")


def without_file_watching() -> types.ClientCapabilities:
    """VS Code's capabilities minus didChangeWatchedFiles: a client like Neovim 0.7 or Helix."""
    caps = copy.deepcopy(client_capabilities("visual-studio-code"))
    caps.workspace.did_change_watched_files = None
    return caps


@pytest_lsp.fixture(config=ClientServerConfig(server_command=SERVER, client_factory=make_client))
async def polling_client(lsp_client: LanguageClient, project):
    await lsp_client.initialize_session(init_params(project.root, without_file_watching()))
    yield
    await lsp_client.shutdown_session()


def vscode_today() -> types.ClientCapabilities:
    """pytest-lsp's VS Code capabilities with what VS Code 1.82+ also sends: relative watch patterns."""
    caps = copy.deepcopy(client_capabilities("visual-studio-code"))
    caps.workspace.did_change_watched_files.relative_pattern_support = True
    return caps


@pytest_lsp.fixture(config=ClientServerConfig(server_command=SERVER, client_factory=make_client))
async def watching_client(lsp_client: LanguageClient, project):
    await lsp_client.initialize_session(init_params(project.root, vscode_today()))
    yield
    await lsp_client.shutdown_session()


async def drift_then_commit(client: LanguageClient, project, after_commit=lambda: None) -> float:
    """Open config.py with an unsaved signature change (DR202), commit that change outside the editor,
    and wait for the drift to clear; returns the seconds from the commit to the clearing publish."""
    uri = (project.root / "src/app/config.py").as_uri()
    open_document(client, uri, STRICT, language_id="python")
    await wait_for(lambda: publishes(client, uri) and "DR202" in codes(publishes(client, uri)[-1].diagnostics),
                   what="DR202 for the unsaved signature change")
    before = len(publishes(client, uri))
    project.commit("strict parsing, committed from a terminal", {"src/app/config.py": STRICT})
    committed = time.monotonic()
    after_commit()
    await wait_for(lambda: len(publishes(client, uri)) > before and not publishes(client, uri)[-1].diagnostics,
                   timeout=30, what="drift cleared after the outside commit")
    return time.monotonic() - committed


async def test_without_client_file_events_the_server_polls_and_clears_drift(polling_client: LanguageClient, project):
    seconds = await drift_then_commit(polling_client, project)
    print(f"drift refreshed {seconds:.2f} s after the commit (poll)")
    assert not getattr(polling_client, "registrations", []), "registered watchers with a client that cannot watch"


async def test_a_watching_client_is_asked_for_git_events_and_they_refresh_drift(watching_client: LanguageClient, project):
    git_dir = (project.root / ".git").resolve().as_uri()

    def git_watchers():
        found = []
        for registration in getattr(watching_client, "registrations", []):
            if registration.method != types.WORKSPACE_DID_CHANGE_WATCHED_FILES:
                continue
            for watcher in registration.register_options["watchers"]:
                pattern = watcher["globPattern"]
                if isinstance(pattern, dict) and pattern["baseUri"] == git_dir:
                    found.append(pattern["pattern"])
        return found

    await wait_for(git_watchers, what="git watchers registered")
    assert {"HEAD", "index", "refs/heads/**", "packed-refs"} <= set(git_watchers())

    def send_events():  # what VS Code reports for a commit
        watching_client.workspace_did_change_watched_files(types.DidChangeWatchedFilesParams(changes=[
            types.FileEvent(uri=(project.root / ".git" / name).as_uri(), type=types.FileChangeType.Changed)
            for name in ("index", "refs/heads/main", "logs/HEAD")]))

    seconds = await drift_then_commit(watching_client, project, send_events)
    print(f"drift refreshed {seconds:.2f} s after the commit (client events)")


# ---- the watch itself, on a real repository ------------------------------------------------------------

class FakeServer:
    """The parts of XyguardServer the watch calls, recording what it asked for."""

    def __init__(self, root):
        self.root = root
        self.calls: list[tuple] = []
        self.client_capabilities = None
        self.ready_roots: set = set()
        self.workspaces = SimpleNamespace(roots=lambda: [self.root], ready=lambda r: r if r in self.ready_roots else None,
                                          invalidate=lambda r: self.calls.append(("invalidate", r)), on_ready=[])
        self.drift = SimpleNamespace(forget_baselines=lambda r=None: self.calls.append(("forget", r)))

    def reanalyse(self, root=None, immediate=True):
        self.calls.append(("reanalyse", root))


def test_the_watch_sees_commits_checkouts_resets_and_the_index(tmp_path):
    repo = Repo(tmp_path / "r")
    repo.commit("one", {"a.py": "x = 1\n"})
    root = repo.root.resolve()
    server = FakeServer(root)
    watch = git_watch.GitWatch(server)
    watch.watch(root)
    assert watch.check() == [] and server.calls == []

    repo.commit("two", {"a.py": "x = 2\n"})  # a commit: the branch ref moves
    assert watch.check() == [root]
    assert server.calls == [("forget", root), ("invalidate", root), ("reanalyse", root)]  # no context yet: re-analyse now

    server.calls.clear()
    server.ready_roots.add(root)
    repo.git("checkout", "-q", "-b", "feature")  # HEAD now names another branch (same commit)
    assert watch.check() == [root]
    assert server.calls == [("forget", root), ("invalidate", root)]  # the rebuilt context re-analyses

    server.calls.clear()
    repo.stage({"b.py": "y = 1\n"})  # only the index
    assert watch.check() == [root] and server.calls == [("forget", root), ("reanalyse", root)]

    server.calls.clear()
    repo.git("reset", "-q", "--hard", "main~1")
    repo.git("pack-refs", "--all")  # refs only in packed-refs now
    assert watch.check() == [root]
    server.calls.clear()
    repo.commit("three", {"a.py": "x = 3\n"})
    assert watch.check() == [root] and ("invalidate", root) in server.calls
    assert watch.check() == []


def test_a_linked_worktree_is_followed_through_its_gitdir_file(tmp_path):
    repo = Repo(tmp_path / "r")
    repo.commit("one", {"a.py": "x = 1\n"})
    repo.git("worktree", "add", "-q", "-b", "side", str(tmp_path / "side"))
    files = git_watch.find_git((tmp_path / "side").resolve())
    assert files is not None and files.top == (tmp_path / "side").resolve()
    assert files.git_dir != files.common_dir and (files.common_dir / "refs").is_dir()
    server = FakeServer(files.top)
    watch = git_watch.GitWatch(server)
    watch.watch(files.top)
    side = Repo(files.top, init=False)
    side.commit("on the side", {"b.py": "y = 1\n"})
    assert watch.check() == [files.top]


def test_a_hostile_git_dir_cannot_block_the_watch(tmp_path):
    root = tmp_path / "r"
    (root / ".git").mkdir(parents=True)
    os.mkfifo(root / ".git" / "HEAD")  # reading a FIFO would block the event loop for ever
    (root / ".git" / "index").symlink_to("/dev/zero")
    files = git_watch.find_git(root)
    assert git_watch.read_state(files) == ((None, None, None), (None,))
    (root / ".git" / "HEAD").unlink()
    (root / ".git" / "HEAD").write_text("ref: refs/../../../etc/passwd\n")
    assert git_watch.read_state(files)[0][1:] == (None, None)


async def test_a_file_event_makes_the_watch_check(tmp_path):
    repo = Repo(tmp_path / "r")
    repo.commit("one", {"a.py": "x = 1\n"})
    root = repo.root.resolve()
    server = FakeServer(root)
    watch = git_watch.GitWatch(server)
    watch._start_polling = lambda: None  # only the event may trigger the check here
    watch.watch(root)
    repo.commit("two", {"a.py": "x = 2\n"})

    handled = []
    chained = git_watch._chain(lambda ls, params: handled.append(params), watch.soon)
    chained(server, "params")
    assert handled == ["params"]
    deadline = time.monotonic() + 10
    while not server.calls and time.monotonic() < deadline:
        await asyncio.sleep(0.01)
    assert server.calls[0] == ("forget", root)


def test_without_relative_patterns_the_watchers_are_workspace_globs_registered_once(tmp_path):
    one, two = Repo(tmp_path / "one"), Repo(tmp_path / "two")
    one.commit("one")
    two.commit("two")
    server = FakeServer(one.root.resolve())
    server.client_capabilities = client_capabilities("visual-studio-code")  # dynamic registration, no relative patterns
    sent = []
    server.client_register_capability = sent.append
    watch = git_watch.GitWatch(server)
    watch.watch(one.root.resolve())
    watch.watch(two.root.resolve())
    assert len(sent) == 1 and watch.client_watches
    patterns = [w.glob_pattern for w in sent[0].registrations[0].register_options.watchers]
    assert patterns == ["**/.git/HEAD", "**/.git/index", "**/.git/packed-refs", "**/.git/refs/heads/**"]
