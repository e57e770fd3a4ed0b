"""The background the restated request carries from the repository: the project's own dependencies."""

from __future__ import annotations

from xyguard.analyzers.context import get_context
from xyguard.analyzers.pipeline import Workspace, analyse_request


def test_declared_dependencies_are_the_projects_runtime_ones_not_an_examples_manifest(repo):
    repo.commit("A web framework with an example app", {
        "pyproject.toml": '[project]\nname = "frame"\ndependencies = ["werkzeug>=3", "jinja2", "click"]\n'
                          '[project.optional-dependencies]\ndev = ["pytest"]\n',
        "src/frame/__init__.py": "def route(path):\n    return path\n",
        "examples/celery/pyproject.toml": '[project]\nname = "example"\ndependencies = ["celery", "redis"]\n',
    })
    report = analyse_request("Make route() accept a methods argument.", Workspace(root=repo.root, context=get_context(repo.root)))
    [line] = [b for b in report.intent.background if b.startswith("declared dependencies")]
    assert "werkzeug" in line and "jinja2" in line and "click" in line
    assert "celery" not in line and "redis" not in line and "pytest" not in line
