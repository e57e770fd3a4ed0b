"""Fixtures for the end-to-end language server tests (helpers live in lsp_helpers.py)."""

from __future__ import annotations

import pytest

from lsp_helpers import CONFIG_PY


@pytest.fixture
def project(repo):
    """A small real Python project with one commit: what a user has open in the editor."""
    repo.commit("Add config parser", {
        "pyproject.toml": '[project]\nname = "app"\nversion = "1.0"\ndependencies = []\n',
        "src/app/__init__.py": "",
        "src/app/config.py": CONFIG_PY,
        "tests/test_config.py": "from app.config import parse_config\n\n\ndef test_parse(tmp_path):\n"
                                "    p = tmp_path / 'c'\n    p.write_text('a=1')\n    assert parse_config(p) == {'a': '1'}\n",
    })
    return repo
