import pytest

from gitrepo import Repo


@pytest.fixture
def repo(tmp_path):
    """An empty real git repository (branch main) in a temp folder; see tests/gitrepo.py."""
    return Repo(tmp_path / "repo")
