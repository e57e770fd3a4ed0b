"""DR205 new dependency, DR206 undeclared import, DR207 a removed dependency returns: analyzers/edits/dependencies.py.

Manifests read with each ecosystem's grammar: only declared dependencies count, a move is a move, and what
the message states (or a contributor-only tool) is information."""

import json

import pytest

from edit_support import check_worktree, of
from finding_codes import codes

from xyguard.analyzers.context.manifests import dependency_names_in_line, parse_manifest
from xyguard.analyzers.edits import check_edit
from xyguard.analyzers.findings import at_or_above

PYPROJECT = '''[project]
name = "shop"
version = "1.0"
dependencies = ["attrs>=22"]

[tool.ruff]
line-length = 100

[tool.ruff.lint]
select = ["E", "F", "UP"]
'''
RUFF_CONFIG = PYPROJECT.replace('select = ["E", "F", "UP"]', 'select = ["E", "F", "UP", "E501", "B"]\n'
                                'ignore = ["D203"]\n\n[tool.ruff.format]\nquote-style = "double"\n')
SETUP_PY = '''from setuptools import setup

REQUIRES = ["attrs>=22", "click>=8.0", "importlib-metadata; python_version < '3.10'"]

setup(
    name="shop",
    install_requires=REQUIRES,
    extras_require={"docs": ["sphinx"], "yaml": ["pyyaml>=6"]},
)
'''
MOVED_TO_PYPROJECT = '''[project]
name = "shop"
version = "1.0"
dependencies = [
    "attrs>=22",
    "click>=8.0",
    "importlib-metadata; python_version < '3.10'",
]

[project.optional-dependencies]
yaml = ["pyyaml>=6"]

[dependency-groups]
docs = ["sphinx"]
'''


def warnings_of(report, code):
    return [f for f in of(report, code) if at_or_above(f.severity, "warning")]


def test_linter_settings_are_not_dependencies(repo):
    repo.commit("base", {"pyproject.toml": PYPROJECT, "shop/__init__.py": "import attrs\n"})
    report = check_worktree(repo, {"pyproject.toml": RUFF_CONFIG}, request="Enable line length and bugbear checks")
    assert of(report, "DR205") == [] and of(report, "DR207") == []
    assert {d.name for d in parse_manifest("pyproject.toml", RUFF_CONFIG)} == {"attrs"}
    for line in ('select = ["E", "F", "UP", "E501", "B"]', '    "E501",', 'quote-style = "double"'):
        assert dependency_names_in_line("pyproject.toml", line) == [], line


def test_a_real_addition_next_to_linter_settings_is_found(repo):
    repo.commit("base", {"pyproject.toml": PYPROJECT, "shop/__init__.py": "import attrs\n"})
    added = RUFF_CONFIG.replace('dependencies = ["attrs>=22"]', 'dependencies = ["attrs>=22", "httpx>=0.27"]')
    report = check_worktree(repo, {"pyproject.toml": added}, request="Fetch prices from the API")
    (f,) = of(report, "DR205")
    assert "'httpx'" in f.message and f.severity == "warning"


def test_dependencies_moved_from_setup_py_to_pyproject_are_a_move(repo):
    repo.commit("base", {"requirements.txt": "attrs>=22\nclick>=8.0\npyyaml>=6\n", "shop/__init__.py": "",
                         "pyproject.toml": '[project]\nname = "shop"\n'})
    # An old move took the requirements out of requirements.txt into setup.py: they left that file, not the project.
    repo.commit("Declare requirements in setup.py", {"requirements.txt": None, "setup.py": SETUP_PY})
    report = check_worktree(repo, {"setup.py": "from setuptools import setup\n\nsetup()\n",
                                   "pyproject.toml": MOVED_TO_PYPROJECT},
                            request="Move the package metadata to pyproject.toml")
    assert of(report, "DR205") == [] and of(report, "DR207") == []


def test_a_dependency_moved_out_in_history_is_not_cited_as_coming_back(repo):
    repo.commit("base", {"requirements.txt": "pyyaml>=6\n", "pyproject.toml": '[project]\nname = "shop"\n'})
    repo.commit("Declare dependencies in pyproject", {
        "requirements.txt": None,
        "pyproject.toml": '[project]\nname = "shop"\ndependencies = ["pyyaml>=6"]\n'})
    repo.commit("Make yaml support optional", {
        "pyproject.toml": '[project]\nname = "shop"\n\n[project.optional-dependencies]\nyaml = ["pyyaml>=6"]\n'})
    report = check_worktree(repo, {"pyproject.toml": '[project]\nname = "shop"\ndependencies = ["pyyaml>=6"]\n'},
                            request="Always install yaml support")
    assert warnings_of(report, "DR207") == [] and warnings_of(report, "DR205") == []


def test_a_dependency_really_dropped_before_comes_back_cited(repo):
    repo.commit("base", {"pyproject.toml": '[project]\nname = "shop"\ndependencies = ["six", "attrs"]\n'})
    sha = repo.commit("Drop six", {"pyproject.toml": '[project]\nname = "shop"\ndependencies = ["attrs"]\n'})
    report = check_worktree(repo, {"pyproject.toml": '[project]\nname = "shop"\ndependencies = ["attrs", "six"]\n'},
                            request="Support old string types")
    (f,) = of(report, "DR207")
    assert sha[:10] in f.message and f.severity == "warning"


def test_new_development_tools_are_information_and_a_stated_dependency_too(repo):
    base = '[project]\nname = "shop"\ndependencies = ["attrs"]\n\n[dependency-groups]\ndev = ["pytest"]\n'
    repo.commit("base", {"pyproject.toml": base, "shop/__init__.py": "import attrs\n"})
    tools = base.replace('dev = ["pytest"]', 'dev = ["pytest", "pyright", {include-group = "docs"}]\ndocs = ["sphinx"]')
    report = check_worktree(repo, {"pyproject.toml": tools}, request="Type-check the tests")
    assert sorted((f.evidence, f.severity) for f in of(report, "DR205")) == [("pyright", "info"), ("sphinx", "info")]
    runtime = base.replace('dependencies = ["attrs"]', 'dependencies = ["attrs", "rich"]')
    stated = check_worktree(repo, {"pyproject.toml": runtime}, request="Use rich for the progress output")
    assert [(f.evidence, f.severity) for f in of(stated, "DR205")] == [("rich", "info")]


def test_other_ecosystems_use_their_own_grammar():
    package_json = json.dumps({"name": "shop", "scripts": {"test": "jest"}, "dependencies": {"lodash": "^4"},
                               "devDependencies": {"jest": "^29"}})
    assert {(d.name, d.dev) for d in parse_manifest("web/package.json", package_json)} == {("lodash", False),
                                                                                         ("jest", True)}
    go_mod = ("module example.com/shop\n\ngo 1.22\n\nrequire (\n\tgithub.com/pkg/errors v0.9.1\n"
              "\tgolang.org/x/sys v0.20.0 // indirect\n)\n\nreplace github.com/old/lib => ../lib\n")
    assert {(d.name, d.dev) for d in parse_manifest("go.mod", go_mod)} == {("github.com/pkg/errors", False),
                                                                         ("golang.org/x/sys", True)}
    cargo = ('[package]\nname = "shop"\nedition = "2021"\n\n[dependencies]\nserde = { version = "1", features = ["derive"] }\n'
             'fastrand = { package = "rand", version = "0.8" }\n\n[dev-dependencies]\nproptest = "1"\n')
    assert {(d.name, d.dev) for d in parse_manifest("Cargo.toml", cargo)} == {("serde", False), ("rand", False),
                                                                            ("proptest", True)}
    requirements = "-r base.txt\n--index-url https://example.org/simple\nrequests[socks]>=2  # http\n-e .\n"
    assert [d.name for d in parse_manifest("requirements-dev.txt", requirements)] == ["requests"]


def test_a_package_is_stated_by_its_name_not_by_a_word_it_shares(repo):
    base = '[project]\nname = "shop"\ndependencies = ["attrs"]\n'
    repo.commit("base", {"pyproject.toml": base, "shop/__init__.py": "import attrs\n"})
    added = {"pyproject.toml": base.replace('["attrs"]', '["attrs", "typing-extensions>=4"]')}
    (f,) = of(check_worktree(repo, added, request="`shop.prompt` typing clarifications"), "DR205")
    assert f.severity == "warning"
    docs = {"pyproject.toml": base.replace('["attrs"]', '["attrs", "mkdocstrings-python"]')}
    (f,) = of(check_worktree(repo, docs, request="Replace `mkautodoc` by `mkdocstrings`"), "DR205")
    assert f.severity == "info"


APP_PYPROJECT = '[project]\nname = "app"\ndependencies = [\n    "requests>=2",\n{extra}]\n'


def test_new_manifest_dependency(repo):
    repo.commit("base", {"pyproject.toml": APP_PYPROJECT.format(extra=""), "app/main.py": "import requests\n"})
    report = check_worktree(repo, {"pyproject.toml": APP_PYPROJECT.format(extra='    "rich>=13",\n')},
                            request="fix the progress output")
    (f,) = of(report, "DR205")
    assert "'rich'" in f.message and f.severity == "warning" and f.range.start.line == 4


def test_version_bump_is_not_a_new_dependency(repo):
    repo.commit("base", {"pyproject.toml": APP_PYPROJECT.format(extra=""), "app/main.py": "import requests\n"})
    report = check_worktree(repo, {"pyproject.toml": APP_PYPROJECT.format(extra="").replace("requests>=2", "requests>=2.31")})
    assert of(report, "DR205") == []


def test_undeclared_import_versus_stdlib_local_and_declared(repo):
    repo.commit("base", {"pyproject.toml": APP_PYPROJECT.format(extra='    "PyYAML",\n'), "app/__init__.py": "",
                         "app/main.py": "import requests\n", "app/conf.py": "X = 1\n"})
    added = ("import json\nimport yaml\nimport requests\nfrom app import conf\nimport toolz\nfrom _typeshed import StrPath\n"
             "try:\n    import ujson\nexcept ImportError:\n    ujson = None\n")
    report = check_worktree(repo, {"app/main.py": added}, request="load config")
    (f,) = of(report, "DR206")
    assert "'toolz'" in f.message and f.range.start.line == 4


def test_diff_only_skips_undeclared_import_check_with_reason():
    diff = "diff --git a/a.py b/a.py\n--- a/a.py\n+++ b/a.py\n@@ -1 +1,2 @@\n x = 1\n+import toolz\n"
    report = check_edit(diff)
    assert of(report, "DR206") == []
    assert any(s.check == "DR206" and s.reason.startswith("no repository") for s in report.skipped)


def test_dependency_removed_by_an_earlier_commit_is_cited(repo):
    repo.commit("base", {"requirements.txt": "requests\nsimplejson==3.19\n", "app/main.py": "import simplejson\n"})
    sha = repo.commit("drop simplejson, use stdlib json", {"requirements.txt": "requests\n", "app/main.py": "import json\n"})
    report = check_worktree(repo, {"requirements.txt": "requests\nsimplejson\n"}, request="speed up parsing")
    (f,) = of(report, "DR207")
    assert sha[:10] in f.message and f.related[0]["commit"] == sha
    assert of(report, "DR205") == []  # one finding for one dependency


def test_import_of_a_removed_dependency_is_cited(repo):
    repo.commit("base", {"requirements.txt": "requests\nsimplejson==3.19\n", "app/main.py": "import simplejson\n"})
    repo.commit("drop simplejson", {"requirements.txt": "requests\n", "app/main.py": "import json\n"})
    report = check_worktree(repo, {"app/main.py": "import json\nimport simplejson\n"})
    assert codes(report, at_least="warning") == ["DR207"]


def test_a_development_tool_coming_back_is_information(repo):
    base = '[project]\nname = "app"\n\n[dependency-groups]\ntests = ["pytest", "pytest-randomly"]\n'
    repo.commit("base", {"pyproject.toml": base})
    repo.commit("Random order breaks on my machine", {"pyproject.toml": base.replace(', "pytest-randomly"', "")})
    (f,) = of(check_worktree(repo, {"pyproject.toml": base}, request="Make the tests order-independent"), "DR207")
    assert f.severity == "info"


@pytest.mark.parametrize(("path", "declared", "dev"), [
    ("requirements.txt", True, False),
    ("requirements-dev.txt", True, True),
    ("requirements/tests.in", True, True),  # pip-tools inputs kept in a folder (the pallets layout)
    ("requirements/base.in", True, False),
    ("requirements/tests.txt", False, False),  # compiled from tests.in: it pins the environment, it declares nothing
    ("docs/tests.in", False, False),
])
def test_requirement_files_by_their_folder_and_name(path, declared, dev):
    found = parse_manifest(path, "trio>=0.22\n")
    assert [(d.name, d.dev) for d in found] == ([("trio", dev)] if declared else [])


def test_a_script_declaring_its_own_dependencies_inline_declares_them(repo):
    repo.commit("base", {"pyproject.toml": '[project]\nname = "demo"\ndependencies = ["attrs"]\n', "demo/__init__.py": ""})
    header = '# /// script\n# requires-python = ">=3.11"\n# dependencies = [\n#   "pydantic>=2.7",\n# ]\n# ///\n'
    script = "from pydantic import BaseModel\n\n\nclass Recipe(BaseModel):\n    name: str\n"
    assert "DR206" not in codes(check_worktree(repo, {"downstream/run.py": header + script}))
    assert "DR206" in codes(check_worktree(repo, {"downstream/run.py": script}))


def test_examples_and_maintainers_tools_bring_their_own_environment(repo):
    repo.commit("base", {"pyproject.toml": '[project]\nname = "shop"\ndependencies = ["attrs"]\n', "shop/__init__.py": ""})
    example = "from flask import Flask\n\napp = Flask(__name__)\n"
    assert "DR206" in codes(check_worktree(repo, {"shop/web.py": example}))
    assert "DR206" not in codes(check_worktree(repo, {"shop/web.py": None, "examples/flask_app.py": example}))


def test_distributions_named_for_python_install_their_short_module(repo):
    pyproject = '[project]\nname = "shop"\ndependencies = ["python-lsp-jsonrpc", "python-dateutil"]\n'
    repo.commit("base", {"pyproject.toml": pyproject, "shop/__init__.py": ""})
    imports = "import pylsp_jsonrpc\nfrom dateutil import parser\n"
    assert "DR206" not in codes(check_worktree(repo, {"shop/rpc.py": imports}))
    assert "DR206" in codes(check_worktree(repo, {"shop/rpc.py": imports + "import jsonrpc_base\n"}))
