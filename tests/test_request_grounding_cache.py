"""The grounding index read back from the cache gives the same findings as the one built from the symbols."""

from __future__ import annotations

from gitrepo import Repo

from xyguard.analyzers.context.derived import load_derived
from xyguard.analyzers.context.workspace import build_context
from xyguard.analyzers.request import analyze_request
from xyguard.analyzers.request.grounding import _INDEX_NAME

TEXT = '''"""Text helpers."""


def slugify_title(title: str) -> str:
    """Turn a title into a URL slug."""
    return "-".join(title.lower().split())


class Settings:
    def parse_config(self, path: str) -> dict:
        """Read the settings file."""
        return {}
'''
REQUESTS = ["Write a function to slugify a title for the blog URLs.",
            "Fix the bug in parse_confg() when the file is missing.",
            "Fix the bug in Settings.parse_config() when the file is missing.",
            "Add a docstring to app/texts.py."]


def grounded(ctx) -> list[tuple]:
    return [(f.code, f.message, f.evidence) for text in REQUESTS for f in analyze_request(text, context=ctx).findings
            if f.code in ("XY103", "XY104")]


def test_cached_index_gives_the_same_findings_and_a_changed_file_rebuilds_it(tmp_path):
    repo = Repo(tmp_path / "r")
    repo.commit("init", {"app/text.py": TEXT, "app/__init__.py": "", "pyproject.toml": '[project]\nname = "app"\n'})
    built = build_context(repo.root)
    first = grounded(built)
    assert {c for c, _, _ in first} == {"XY103", "XY104"}
    assert load_derived(built, _INDEX_NAME) is not None, "the index was kept"
    again = build_context(repo.root)  # a new process would see this: the index comes from the cache
    assert grounded(again) == first

    repo.commit("rename", {"app/text.py": TEXT.replace("parse_config", "parse_confg")})
    changed = build_context(repo.root)
    assert load_derived(changed, _INDEX_NAME) is None, "another file state is a miss"
    assert not [f for f in analyze_request(REQUESTS[1], context=changed).findings if f.code == "XY104"]
