"""DR203 holds a change against what its message is about: upkeep messages own the upkeep files, a formatting
pass owns every file it touches, one edit swept across files is one change, and a message that names nothing
gives nothing to hold the change against."""

from edit_support import check_worktree, of

DATES = ("import re\n\n\ndef parse_date(text):\n    m = re.match(r'(\\d+)-(\\d+)-(\\d+)', text)\n"
         "    if not m:\n        return None\n    return tuple(int(x) for x in m.groups())\n")
BILLING = "def invoice_total(items):\n    total = 0\n    for item in items:\n        total += item.price\n    return total\n"
CI = ("name: tests\non: [push]\njobs:\n  test:\n    runs-on: ubuntu-latest\n    strategy:\n      matrix:\n"
      "        python: ['3.8', '3.9', '3.10', '3.11']\n    steps:\n      - uses: actions/checkout@v4\n")
TOX = "[tox]\nenv_list = py38, py39, py310, py311\n\n[testenv]\ncommands = pytest {posargs}\n"
PRE_COMMIT = "repos:\n  - repo: https://github.com/astral-sh/ruff-pre-commit\n    rev: v0.4.0\n    hooks:\n      - id: ruff\n"
COMPAT = "import sys\n\nPY_3_9_PLUS = sys.version_info >= (3, 9)\nPY_3_10_PLUS = sys.version_info >= (3, 10)\n"
BASE = {"app/dates.py": DATES, "billing/invoice.py": BILLING, ".github/workflows/tests.yml": CI, "tox.ini": TOX,
        ".pre-commit-config.yaml": PRE_COMMIT, "app/compat.py": COMPAT}


def test_dropping_a_python_version_owns_ci_tox_and_the_version_checks(repo):
    repo.commit("base", BASE)
    change = {".github/workflows/tests.yml": CI.replace("'3.8', ", ""), "tox.ini": TOX.replace("py38, ", ""),
              "app/compat.py": COMPAT.replace("PY_3_9_PLUS = sys.version_info >= (3, 9)\n", ""),
              "app/dates.py": DATES.replace("return None", "return ()").replace("int(x)", "int(x, 10)"),
              "billing/invoice.py": BILLING.replace("total = 0", "total = 0.0")}
    report = check_worktree(repo, change, request="Drop support for Python 3.8")
    # Of the two code changes the message does not cover, the larger is taken as its home; the other is flagged.
    assert [f.path for f in of(report, "DR203")] == ["billing/invoice.py"]
    report = check_worktree(repo, change, request="Fix the invoice totals")
    assert sorted(f.path for f in of(report, "DR203")) == [".github/workflows/tests.yml", "app/compat.py",
                                                          "app/dates.py", "tox.ini"]


def test_upkeep_files_in_a_bug_fix_are_still_scope_creep(repo):
    repo.commit("base", BASE)
    report = check_worktree(repo, {"app/dates.py": DATES.replace("return None", "raise ValueError(text)"),
                                   ".pre-commit-config.yaml": PRE_COMMIT.replace("v0.4.0", "v0.5.0"),
                                   "billing/invoice.py": BILLING.replace("total = 0", "total = 0.0")},
                            request="parse_date should raise ValueError on bad input")
    assert sorted(f.path for f in of(report, "DR203")) == [".pre-commit-config.yaml", "billing/invoice.py"]
    report = check_worktree(repo, {".pre-commit-config.yaml": PRE_COMMIT.replace("v0.4.0", "v0.5.0"),
                                   "app/dates.py": DATES.replace("return None", "raise ValueError(text)"),
                                   "billing/invoice.py": BILLING.replace("total = 0", "total = 0.0")},
                            request="Update ruff and fix parse_date and invoice_total")
    assert of(report, "DR203") == []


def test_a_formatting_pass_and_a_message_naming_nothing_hold_nothing_against_the_change(repo):
    repo.commit("base", BASE)
    change = {"app/dates.py": DATES.replace("return None", "return ()"),
              "billing/invoice.py": BILLING.replace("total = 0", "total = 0.0")}
    for message in ("Apply the formatter to the sources", "update", "oops"):
        report = check_worktree(repo, change, request=message)
        assert of(report, "DR203") == [], message
    assert of(check_worktree(repo, change, request="Fix parse_date for empty strings"), "DR203") != []


def test_one_edit_swept_across_files_is_one_change(repo):
    repo.commit("base", BASE)
    i18n = "from gettext import gettext as _\n"
    change = {"app/dates.py": i18n + DATES.replace("return None", "raise ValueError(_('bad date'))"),
              "billing/invoice.py": i18n + BILLING.replace("    return total", "    if total < 0:\n"
                                                           "        raise ValueError(_('negative total'))\n"
                                                           "    return total")}
    report = check_worktree(repo, change, request="Translate the date error messages")
    assert of(report, "DR203") == []


def test_a_whitespace_only_file_is_formatting_not_a_change_of_subject(repo):
    repo.commit("base", BASE)
    change = {"app/dates.py": DATES.replace("return None", "raise ValueError(text)"),
              "app/compat.py": COMPAT.replace("import sys\n\n", "import sys\n\n\n"),
              "billing/invoice.py": BILLING.replace("total = 0", "total = 0.0")}
    report = check_worktree(repo, change, request="parse_date should raise ValueError on bad input")
    assert [f.path for f in of(report, "DR203")] == ["billing/invoice.py"]


def test_dropping_a_version_owns_the_typing_it_modernises(repo):
    handlers = "import typing\n\nHandlers = typing.Dict[str, typing.Callable]\nCodes = typing.List[int]\n"
    repo.commit("base", {**BASE, "app/handlers.py": handlers})
    change = {"app/handlers.py": "import typing\n\nHandlers = dict[str, typing.Callable]\nCodes = list[int]\n",
              "app/dates.py": DATES.replace("return None", "return ()").replace("int(x)", "int(x, 10)"),
              "billing/invoice.py": BILLING.replace("total = 0", "total = 0.0")}
    report = check_worktree(repo, change, request="Drop Python 3.8")
    assert "app/handlers.py" not in [f.path for f in of(report, "DR203")]
    report = check_worktree(repo, change, request="Fix the invoice totals")
    assert "app/handlers.py" in [f.path for f in of(report, "DR203")]


def test_a_docstring_only_file_is_documentation_not_a_change_of_subject(repo):
    documented = BILLING.replace("def invoice_total(items):\n", 'def invoice_total(items):\n    """The sum of the prices."""\n')
    repo.commit("base", {**BASE, "billing/invoice.py": documented})
    change = {"app/dates.py": DATES.replace("return None", "raise ValueError(text)"),
              "billing/invoice.py": documented.replace("The sum of the prices.", "Sum of the item prices, in cents."),
              "app/compat.py": COMPAT.replace("(3, 10)", "(3, 11)")}
    report = check_worktree(repo, change, request="parse_date should raise ValueError on bad input")
    assert [f.path for f in of(report, "DR203")] == ["app/compat.py"]


def test_a_release_number_bumped_with_a_change_is_not_scope_creep(repo):
    version = '__title__ = "app"\n__version__ = "0.27.0"\n'
    repo.commit("base", {**BASE, "app/__version__.py": version})
    change = {"app/__version__.py": version.replace("0.27.0", "0.27.1"),
              "app/dates.py": DATES.replace("return None", "raise ValueError(text)"),
              "billing/invoice.py": BILLING.replace("total = 0", "total = 0.0")}
    report = check_worktree(repo, change, request="parse_date should raise ValueError on bad input")
    assert [f.path for f in of(report, "DR203")] == ["billing/invoice.py"]
    # The same file with more than its number changed is a change like any other.
    change["app/__version__.py"] = version.replace("0.27.0", "0.27.1").replace('"app"', '"app-next"')
    report = check_worktree(repo, change, request="parse_date should raise ValueError on bad input")
    assert sorted(f.path for f in of(report, "DR203")) == ["app/__version__.py", "billing/invoice.py"]


def test_a_module_level_name_the_message_names_puts_its_file_in_scope(repo):
    types = "from typing import Union\n\nPrimitive = Union[str, int]\n"
    repo.commit("base", {**BASE, "app/types.py": types})
    change = {"app/types.py": types + "\nAmount = Union[int, float]\n",
              "app/dates.py": DATES.replace("return None", "raise ValueError(text)")}
    assert of(check_worktree(repo, change, request="Reintroduce `Amount` for parse_date callers"), "DR203") == []
    assert [f.path for f in of(check_worktree(repo, change, request="parse_date should raise ValueError"),
                               "DR203")] == ["app/types.py"]


def test_a_generators_output_follows_the_generator(repo):
    generated = "# Code generated by tools/gen_rates.py. DO NOT EDIT.\n\nRATES = {'EUR': 1.0, 'USD': 1.1}\n"
    repo.commit("base", {**BASE, "billing/rates.py": generated})
    change = {"billing/rates.py": generated.replace("1.1", "1.2"),
              "app/dates.py": DATES.replace("return None", "raise ValueError(text)"),
              "billing/invoice.py": BILLING.replace("total = 0", "total = 0.0")}
    report = check_worktree(repo, change, request="parse_date should raise ValueError on bad input")
    assert [f.path for f in of(report, "DR203")] == ["billing/invoice.py"]


def test_a_name_the_message_writes_as_code_puts_the_file_using_it_in_scope(repo):
    repo.commit("base", BASE)
    change = {"app/dates.py": DATES.replace("return None", "raise ValueError(text)"),
              "billing/invoice.py": BILLING.replace("total += item.price", "total += item.price\n"
                                                    "        if item.kind == 'invoice.prorated':\n            break")}
    assert of(check_worktree(repo, change, request="Support `prorated` items in parse_date's callers"), "DR203") == []
    assert [f.path for f in of(check_worktree(repo, change, request="Support prorated items in parse_date's callers"),
                               "DR203")] == ["billing/invoice.py"]


def test_tool_settings_kept_in_a_config_folder_are_upkeep(repo):
    repo.commit("base", {**BASE, "config/ty.toml": "[rules]\n", "config/vscode/settings.json": "{}\n",
                         ".copier-answers.yml": "_commit: 1.0\n"})
    change = {"config/ty.toml": "[rules]\nunresolved-import = 'ignore'\n", "config/vscode/settings.json": '{"a": 1}\n',
              ".copier-answers.yml": "_commit: 1.1\n", "app/dates.py": DATES.replace("int(x)", "int(x, 10)"),
              "billing/invoice.py": BILLING.replace("total = 0", "total = 0.0")}
    report = check_worktree(repo, change, request="ci: type-check with ty")
    assert sorted(f.path for f in of(report, "DR203")) == ["billing/invoice.py"]
    report = check_worktree(repo, change, request="parse_date accepts leading zeros")
    assert sorted(f.path for f in of(report, "DR203")) == [".copier-answers.yml", "billing/invoice.py",
                                                          "config/ty.toml", "config/vscode/settings.json"]


def test_an_upkeep_message_owns_task_runners_scripts_site_config_and_the_licence(repo):
    repo.commit("base", {**BASE, "duties.py": "def check():\n    pass\n", "scripts/make.py": "PYTHONS = ['3.9']\n",
                         "mkdocs.yml": "site_name: app\n", "LICENSE": "ISC License\n"})
    change = {"duties.py": "def check():\n    return 1\n", "scripts/make.py": "PYTHONS = ['3.10']\n",
              "mkdocs.yml": "site_name: app\ntheme: material\n", "LICENSE": "ISC License\nCopyright 2026\n",
              "app/dates.py": DATES.replace("int(x)", "int(x, 10)"), "billing/invoice.py": BILLING.replace("total = 0", "total = 0.0")}
    report = check_worktree(repo, change, request="chore: Template upgrade")
    assert sorted(f.path for f in of(report, "DR203")) == ["billing/invoice.py"]
    report = check_worktree(repo, change, request="parse_date accepts leading zeros")
    assert sorted(f.path for f in of(report, "DR203")) == ["LICENSE", "billing/invoice.py", "duties.py", "mkdocs.yml",
                                                          "scripts/make.py"]
