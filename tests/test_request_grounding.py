"""Repository-grounded checks against real temporary git repositories."""

import pytest

from xyguard.analyzers.context import get_context
from xyguard.analyzers.request import analyze_request

TEXT_UTILS = '''"""Text helpers."""


def slugify_title(title: str) -> str:
    """Turn a title into a URL slug."""
    return "-".join(title.lower().split())


def parse_config(path: str) -> dict:
    """Read the settings file."""
    return {}
'''


@pytest.fixture
def pyrepo(repo):
    repo.commit("initial", {
        "app/text.py": TEXT_UTILS,
        "app/__init__.py": "",
        "pyproject.toml": '[project]\nname = "app"\ndependencies = ["httpx>=0.27"]\n',
    })
    return repo


def findings(repo, text, code):
    ctx = get_context(repo.root)
    return [f for f in analyze_request(text, context=ctx).findings if f.code == code]


def test_request_for_an_existing_helper_names_it(pyrepo):
    hit = findings(pyrepo, "Write a function to slugify a title for the blog URLs.", "XY103")
    assert hit and "slugify_title" in hit[0].message and "app/text.py" in hit[0].message


def test_misspelt_symbol_offers_the_real_one(pyrepo):
    hit = findings(pyrepo, "Fix the bug in parse_confg() when the file is missing.", "XY104")
    assert hit and "parse_config" in hit[0].message


def test_missing_file_offers_the_nearest(pyrepo):
    hit = findings(pyrepo, "Add a docstring to app/texts.py.", "XY104")
    assert hit and "app/text.py" in hit[0].message


def test_existing_names_are_not_reported(pyrepo):
    assert findings(pyrepo, "Fix the bug in parse_config() when the file is missing.", "XY104") == []


def test_foreign_language_is_reported(pyrepo):
    hit = findings(pyrepo, "Rewrite the slug helper in Rust.", "XY105")
    assert hit and "python" in hit[0].message


def test_competing_library_is_reported(pyrepo):
    hit = findings(pyrepo, "Use requests to download the feed.", "XY105")
    assert hit and "httpx" in hit[0].message


def test_history_removal_is_cited(pyrepo):
    sha = pyrepo.commit("Drop simplejson, use stdlib json", {
        "pyproject.toml": '[project]\nname = "app"\ndependencies = ["httpx>=0.27"]\n'})
    # the dependency must exist before it can be removed: add it, then remove it
    pyrepo.commit("add simplejson", {"pyproject.toml": '[project]\nname = "app"\ndependencies = ["httpx>=0.27", "simplejson"]\n'})
    sha = pyrepo.commit("Drop simplejson, use stdlib json", {
        "pyproject.toml": '[project]\nname = "app"\ndependencies = ["httpx>=0.27"]\n'})
    hit = findings(pyrepo, "Use simplejson to speed up the config loading.", "XY106")
    assert hit and sha[:10] in hit[0].message and "Drop simplejson" in hit[0].message
    assert hit[0].related[0]["sha"] == sha


def test_background_comes_from_the_repository(pyrepo):
    report = analyze_request("Add a helper that counts words in a title.", context=get_context(pyrepo.root))
    assert any("python" in b for b in report.intent.background)


def test_xy_goal_that_the_repository_already_provides_names_the_symbol(repo):
    from xyguard.analyzers.context import build_context
    from xyguard.analyzers.request import analyze_request

    repo.commit("paths", {"app/paths.py": 'def file_extension(name):\n    """Return the extension of a file name."""\n'
                                          '    return name.rpartition(".")[2]\n'})
    ctx = build_context(repo.root, use_cache=False)
    text = "😀 How do I take the last three characters of a filename?"
    report = analyze_request(text, context=ctx)
    (xy,) = [f for f in report.findings if f.code == "XY101"]
    (existing,) = [f for f in report.findings if f.code == "XY103"]
    assert "file_extension" in existing.message and "app/paths.py:1" in existing.message
    assert existing.range == xy.range  # same words, UTF-16 columns after the emoji
    assert not [f for f in analyze_request(text, context=None).findings if f.code == "XY103"]


SERVER = '''"""A tiny server."""
import os


class Server:
    def __init__(self, host, port=8000, *, reuse_address=False):
        self.host = host
        self.backlog_size = 16

    def serve_forever(self, poll_interval=0.5):
        return os.getcwd()
'''


@pytest.fixture
def server_repo(repo):
    repo.commit("server", {"srv/server.py": SERVER, "srv/__init__.py": "", "README.md": "# srv\n",
                           "docs/usage.md": "Use it.\n",
                           "pyproject.toml": '[project]\nname = "srv"\ndependencies = ["pyyaml", "httpx"]\n'})
    return repo


@pytest.mark.parametrize("text", [
    "Make `serve_forever()` raise ValueError when the `poll_interval` is negative instead of returning None.",
    "Pass `reuse_address` through to the socket and document `backlog_size` in `dir(builtins)` style.",
    "Use `os.getcwd` only once and parse the settings with `yaml.safe_load`; keep `json.dumps` for output.",
    "Log the `httpx.Client` timeout and the `srv.server` module name; update README.md and docs/usage.md.",
    "Rename `self.backlog_size` so that `Server.serve_forever` reads it from `dict` settings.",
])
def test_names_that_resolve_somewhere_are_not_unknown(server_repo, text):
    # builtins, stdlib modules, dependencies and the modules they provide, parameters, attributes, existing files
    assert [f for f in findings(server_repo, text, "XY104") if f.severity in ("warning", "error")] == []


def test_a_name_like_a_real_one_is_a_likely_typo(server_repo):
    (hit,) = findings(server_repo, "Make `serve_forver()` stop on SIGTERM.", "XY104")
    assert hit.severity == "warning" and "serve_forever" in hit.message


def test_a_new_name_that_resembles_nothing_is_a_hint_not_a_question(server_repo):
    report = analyze_request("Add graceful shutdown via `drain_connections()`.", context=get_context(server_repo.root))
    assert [f.severity for f in report.findings if f.code == "XY104"] in ([], ["hint"])
    assert not report.clarify_needed


def test_names_in_quoted_code_and_tracebacks_are_the_users_own(server_repo):
    text = ("serve_forever crashes:\n\n```python\nsrvr = Server('x')\nsrvr.serve_forver_now()\n```\n\n"
            "Traceback (most recent call last):\n  File \"run.py\", line 2, in <module>\n    srvr.serve_forver_now()\n"
            "AttributeError: no attribute\n\nIt should not crash.")
    assert findings(server_repo, text, "XY104") == []


@pytest.fixture
def history_repo(repo):
    repo.commit("initial", {"app/__init__.py": "", "app/io.py": "def load_yaml(p):\n    return p\n",
                            "pyproject.toml": '[project]\nname = "app"\ndependencies = ["six"]\n'})
    repo.commit("Drop six, Python 3 only", {"pyproject.toml": '[project]\nname = "app"\ndependencies = []\n'})
    repo.commit("Remove load_yaml, use the config loader instead", {"app/io.py": "def read(p):\n    return p\n"})
    repo.commit("Don't fail for unicode filenames", {"app/io.py": "def read(p):\n    return str(p)\n"})
    return repo


def test_bringing_back_a_removed_dependency_cites_the_commit(history_repo):
    (hit,) = findings(history_repo, "Bring back six for the Python 2 users.", "XY106")
    assert "Drop six" in hit.message and hit.severity == "warning"


def test_bringing_back_a_removed_function_by_its_name(history_repo):
    (hit,) = findings(history_repo, "Restore `load_yaml` so plugins can read their settings.", "XY106")
    assert "load_yaml" in hit.message


@pytest.mark.parametrize("text", [
    "Don't fail when the filename is not unicode.",  # an ordinary word that a commit subject happens to hold
    "Use the app name in the log prefix.",  # the project's own name
    "Mention six supported formats in the docs.",  # a removed dependency named, but not asked back
    "Use `read` for the settings file.",  # a name that exists now is not a reintroduction
])
def test_ordinary_words_and_present_names_are_not_history_conflicts(history_repo, text):
    assert findings(history_repo, text, "XY106") == []


def test_a_private_spelling_and_a_module_name_resolve(server_repo):
    server_repo.commit("private helper", {"srv/pool.py": "def _drain(q):\n    return q\n",
                                          "tests/test_pool.py": "def test_it():\n    pass\n"})
    ctx = get_context(server_repo.root)
    report = analyze_request("Make `drain()` public and extend test_pool for it.", context=ctx)
    assert [f for f in report.findings if f.code == "XY104" and f.severity == "warning"] == []


def test_a_one_word_symbol_does_not_claim_the_job_is_done(repo):
    repo.commit("log", {"pkg/log.py": 'def get_logger(name):\n    """Return a logger for the name."""\n    return name\n'})
    ctx = get_context(repo.root)
    report = analyze_request("Add async log methods to the filtering logger.", context=ctx)
    assert not [f for f in report.findings if f.code == "XY103"]


def test_adding_to_an_existing_symbol_extends_it(repo):
    repo.commit("log", {"pkg/log.py": 'class BoundLogger:\n    """A logger bound to context."""\n'})
    ctx = get_context(repo.root)
    extend = analyze_request("Add async log methods to the filtering bound logger.", context=ctx)
    assert not [f for f in extend.findings if f.code == "XY103"]
    rebuild = analyze_request("Write a new class for a bound logger that carries context.", context=ctx)
    assert [f for f in rebuild.findings if f.code == "XY103"]
