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
