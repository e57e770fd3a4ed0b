"""DR220/DR221 the commit message held against the change it describes, and the request checks on it: analyzers/edits/message.py."""

from __future__ import annotations

import pytest

from xyguard.analyzers.edits.diffmodel import Change
from xyguard.analyzers.edits.message import check_message, clean_message
from xyguard.analyzers.pipeline import message_findings
from finding_codes import codes

PARSER = "\n".join(
    [
        '"""Parse simple key=value configuration text."""',
        "",
        "",
        "def parse_config(text):",
        '    """Return a dict of the key/value pairs in text."""',
        "    result = {}",
        "    for line in text.splitlines():",
        "        line = line.strip()",
        "        if not line or line.startswith('#'):",
        "            continue",
        "        key, _, value = line.partition('=')",
        "        result[key.strip()] = value.strip()",
        "    return result",
        "",
        "",
        "def parse_date(value):",
        "    year, month, day = value.split('-')",
        "    return int(year), int(month), int(day)",
        "",
    ]
    + [f"def helper_{i}(x):\n    return x * {i} + {i * 3}\n" for i in range(12)]
)

REWRITTEN = "\n".join(
    ["import re", "", "_PAIR = re.compile(r'^\\s*(\\w+)\\s*[:=]\\s*(.*?)\\s*$')", ""]
    + [f"class Reader{i}:\n    def __init__(self, source):\n        self.source = source\n        self.count = {i}\n\n"
       f"    def read(self):\n        return [m.groups() for m in map(_PAIR.match, self.source) if m]\n" for i in range(6)]
)


def change(files):
    return Change.from_texts(files)


def one_line_fix():
    return change({"config/parser.py": (PARSER, PARSER.replace("return int(year), int(month), int(day)",
                                                               "return int(year), int(month), int(day.strip())"))})


# ---- DR220 ------------------------------------------------------------------------------------


def test_typo_message_on_a_module_rewrite_is_flagged_with_the_size():
    found = check_message("fix typo", change({"config/parser.py": (PARSER, REWRITTEN)}))
    dr220 = [f for f in found if f.code == "DR220"]
    assert len(dr220) == 1
    assert "'typo'" in dr220[0].message and "rewrites config/parser.py" in dr220[0].message
    assert dr220[0].range.start.line == 0 and dr220[0].severity == "warning"


def test_typo_message_on_a_typo_fix_is_quiet():
    fixed = PARSER.replace("Return a dict of the key/value pairs", "Return a dict of the key/value pairs")
    typo = PARSER.replace("key/value pairs", "key/vaule pairs")
    assert "DR220" not in codes(check_message("Fix typo in docstring", change({"config/parser.py": (typo, fixed)})))
    assert "DR220" not in codes(check_message("fix typo", one_line_fix()))


def test_reformatting_many_lines_is_still_cosmetic():
    reformatted = PARSER.replace("x * ", "x*").replace("'#'", '"#"').replace("    result = {}", "    result = {  }")
    found = check_message("style: reformat with the new formatter", change({"config/parser.py": (PARSER, reformatted)}))
    assert "DR220" not in codes(found)


@pytest.mark.parametrize(("message", "understated"), [
    ("Fix whitespace", True),
    ("Fix indentation in the parser", True),
    # The whitespace or indentation a program strips, keeps or parses is its behaviour, not a cosmetic edit.
    ("Don't strip whitespace when soft_wrap is True", False),
    ("Preserve indentation of continuation lines", False),
])
def test_whitespace_the_program_handles_is_behaviour(message, understated):
    assert ("DR220" in codes(check_message(message, change({"config/parser.py": (PARSER, REWRITTEN)})))) is understated


def test_a_parameter_named_in_the_message_is_touched_by_its_stored_singular():
    files = {"app/static.py": ("class Static:\n    def __init__(self, follow_symlinks=False):\n"
                               "        self.follow_symlink = follow_symlinks\n\n    def lookup(self, path):\n"
                               "        if self.follow_symlink:\n            return path\n        return None\n",
                               "class Static:\n    def __init__(self, follow_symlinks=False):\n"
                               "        self.follow_symlink = follow_symlinks\n\n    def lookup(self, path):\n"
                               "        if self.follow_symlink:\n            return path.strip('/')\n        return None\n")}
    assert "DR221" not in codes(check_message("Allow relative paths when `follow_symlinks=True`", change(files)))
    assert "DR221" in codes(check_message("Allow relative paths when `resolve_links=True`", change(files)))


def test_minor_change_that_adds_a_module_is_flagged():
    found = check_message("Minor tweak to the parser", change({"config/parser.py": (PARSER, PARSER),
                                                                "config/reader.py": (None, REWRITTEN)}))
    assert "DR220" in codes(found)
    assert "files added or deleted" in next(f for f in found if f.code == "DR220").message


def test_a_message_that_owns_up_to_a_big_change_is_not_understated():
    assert "DR220" not in codes(check_message("Rewrite the config parser around a regex (minor API change)",
                                              change({"config/parser.py": (PARSER, REWRITTEN)})))


# ---- DR221 ------------------------------------------------------------------------------------


def test_claimed_tests_that_are_not_in_the_change():
    found = check_message("Fix date parsing and add tests", one_line_fix())
    claim = [f for f in found if f.code == "DR221"]
    assert len(claim) == 1 and "add tests" in claim[0].message


def test_claimed_tests_that_are_in_the_change():
    files = {"config/parser.py": (PARSER, PARSER.replace("day)", "day.strip())")),
             "tests/test_parser.py": (None, "def test_parse_date():\n    assert parse_date('2024-01-02 ') == (2024, 1, 2)\n")}
    assert "DR221" not in codes(check_message("Fix date parsing and add tests", change(files)))


@pytest.mark.parametrize(("message", "named"), [
    ("Update config/_formats/__init__.py", False),  # the path of the changed file: its package folder is touched
    ("Tidy `_formats`", False),
    ("Tidy `_schemas`", True),
])
def test_a_package_folder_the_message_names_is_touched_by_a_change_inside_it(message, named):
    files = {"config/_formats/__init__.py": ("FORMATS = ['ini']\n", "FORMATS = ['ini', 'toml']\n")}
    assert ("DR221" in codes(check_message(message, change(files)))) is named


@pytest.mark.parametrize("message", ["Fix the failing tests", "Fix crash (no tests needed)", "Skip flaky tests on CI"])
def test_mentioning_tests_without_claiming_new_ones_is_quiet(message):
    assert "DR221" not in codes(check_message(message, one_line_fix()))


def test_docs_only_claim_on_a_code_change():
    found = check_message("docs: clarify parse_date", one_line_fix())
    claim = [f for f in found if f.code == "DR221"]
    assert claim and "config/parser.py" in claim[0].message


def test_docs_only_claim_on_docs_and_docstrings_is_quiet():
    docstring = PARSER.replace('    """Return a dict of the key/value pairs in text."""',
                               '    """Return a dict of the key/value pairs in text.\n\n'
                               '    Blank lines and comment lines are skipped.\n    """')
    files = {"config/parser.py": (PARSER, docstring), "README.md": ("# config\n", "# config\n\nParses key=value text.\n")}
    assert "DR221" not in codes(check_message("docs: describe the comment syntax", change(files)))


def test_named_function_not_touched_by_the_change():
    found = check_message("Fix parse_config for empty values", one_line_fix())
    claim = [f for f in found if f.code == "DR221"]
    assert len(claim) == 1 and "`parse_config`" in claim[0].message


def test_named_function_touched_by_the_change_is_quiet():
    assert "DR221" not in codes(check_message("Fix parse_date() for padded days", one_line_fix()))
    assert "DR221" not in codes(check_message("Strip whitespace in `config/parser.py`", one_line_fix()))


# ---- what the message is ---------------------------------------------------------------------


def test_git_comments_and_the_verbose_diff_are_not_part_of_the_message():
    raw = ("fix typo\n\n# Please enter the commit message for your changes.\n# On branch main\n"
           "# ------------------------ >8 ------------------------\ndiff --git a/x b/x\n+add tests\n")
    assert clean_message(raw) == "fix typo"
    assert clean_message("Subject\n# comment\nBody line\n").split("\n") == ["Subject", "", "Body line"]


@pytest.mark.parametrize("message", ["Merge branch 'feature' into main", 'Revert "add the reader"', ""])
def test_messages_git_writes_are_not_checked(message):
    assert check_message(message, change({"config/parser.py": (PARSER, REWRITTEN)})) == []


def test_request_checks_on_the_message_are_informational():
    found = message_findings("Fix it so that it works again")
    assert "XY113" in codes(found)
    assert all(f.severity == "info" for f in found if f.code.startswith("XY"))


def test_hidden_characters_in_the_message_keep_their_severity():
    found = message_findings("Fix date parsing\u200b\U000E0041\U000E0042")
    hidden = [f for f in found if f.code == "XY120"]
    assert hidden and hidden[0].severity == "warning"


# ---- lock files ---------------------------------------------------------------------------------


def _uv_lock(generation: int, packages: int = 4000) -> str:
    """A uv.lock of the usual shape: one [[package]] table per distribution, pins and hashes bumped together."""
    out = ["version = 1", "requires-python = \">=3.9\"", ""]
    for i in range(packages):
        out += ["[[package]]", f'name = "dist-{i}"', f'version = "{generation}.{i % 7}.{i % 5}"',
                'source = { registry = "https://pypi.org/simple" }',
                f'sdist = {{ url = "https://files.example/dist-{i}-{generation}.tar.gz", '
                f'hash = "sha256:{(i * 7919 + generation):064x}" }}', ""]
    return "\n".join(out) + "\n"


def test_a_large_lock_file_diff_is_never_compared_line_by_line(monkeypatch):
    from xyguard.analyzers.edits import LOCK_FILE_NOTE, message
    from xyguard.analyzers.pipeline import Workspace, check_commit

    compared = []
    real = message._block_substance
    monkeypatch.setattr(message, "_block_substance", lambda removed, added: compared.extend(removed + added)
                        or real(removed, added))
    manifest_old = '[project]\nname = "demo"\n\n[dependency-groups]\ndev = ["pytest>=8"]\n'
    manifest_new = manifest_old.replace('"pytest>=8"', '"pytest>=8.3"')
    lock_change = change({"uv.lock": (_uv_lock(1), _uv_lock(2)), "pyproject.toml": (manifest_old, manifest_new)})
    assert len(lock_change.get("uv.lock").added()) >= 8_000  # thousands of changed pins: a version and a hash each
    report = check_commit(lock_change, Workspace(), "Bump version to 1.3.1")
    # The message claims a small version bump: the lock file's thousands of lines do not make it larger.
    assert "DR220" not in codes(report.findings)
    assert not any("dist-" in ln.text for ln in compared)
    assert any(s.check == "uv.lock" and s.reason == LOCK_FILE_NOTE for s in report.skipped)


def test_a_function_named_in_the_message_is_touched_when_its_body_changes():
    body_only = change({"config/parser.py": (PARSER, PARSER.replace("result = {}", "result: dict = {}"))})
    assert "DR221" not in codes(check_message("Annotate the result in parse_config", body_only))
    assert "DR221" in codes(check_message("Annotate the result in parse_date", body_only))


def test_rewording_comments_is_the_cosmetic_edit_the_message_claims():
    commented = PARSER.replace("    result = {}", "\n".join(f"    # note {i}: keys are stripped, values too" for i in range(12))
                               + "\n    result = {}")
    reworded = commented.replace("keys are stripped, values too", "both keys and values are stripped of spaces")
    assert "DR220" not in codes(check_message("Update comments in the parser", change({"config/parser.py": (commented, reworded)})))


def test_quoted_expressions_paths_without_extension_and_coverage_pragmas():
    guarded = PARSER.replace("        if not line or line.startswith('#'):",
                             "        if not line or line.startswith('#'):  # pragma: no branch")
    pragma = change({"config/parser.py": (PARSER, guarded)})
    assert "DR221" not in codes(check_message("tests: skip a branch that cannot happen in coverage", pragma))
    assert "DR221" not in codes(check_message("Handle `parse_config(text=None)` in `config/parser`", pragma))
    assert "DR221" in codes(check_message("Handle `load_config(text=None)` in `config/loader`", pragma))


@pytest.mark.parametrize(("message", "files", "claimed"), [
    # `test:` says the commit is about the tests: a fixture removed or test discovery fixed is that.
    ("test: remove duplicated chdir fixture", {"tests/providers/conftest.py": ("import pytest\n\n\n@pytest.fixture\n"
                                                                                "def chdir():\n    pass\n", "")}, False),
    ("tests: fix tests discovery", {"config/pytest.ini": ("[pytest]\n", "[pytest]\ntestpaths = tests\n")}, False),
    ("test: cover the parser", {"config/parser.py": (PARSER, PARSER.replace("day)", "day.strip())"))}, True),
])
def test_a_test_type_commit_is_about_test_files_or_test_tooling(message, files, claimed):
    assert ("DR221" in codes(check_message(message, change(files)))) is claimed


def test_bumping_a_tool_brings_its_fixes_but_a_version_bump_claims_little():
    typed = PARSER.replace("    result = {}", "    result: dict[str, str] = {}").replace(
        "def parse_date(value):", "def parse_date(value: str) -> tuple[int, int, int]:")
    files = {f"config/mod{i}.py": ("x = 1\n", "x: int = 1\n") for i in range(6)}
    fixes = change({"config/parser.py": (PARSER, typed), **files})
    assert "DR220" not in codes(check_message("Bump mypy to 1.18.2", fixes))
    assert "DR220" not in codes(check_message("Bump versions of pre-commit hooks", fixes))
    assert "DR220" in codes(check_message("Bump version to 2.0.1", fixes))


def test_fixing_lint_findings_claims_no_size():
    many = change({f"config/mod{i}.py": ("import os\nx = 1\n", "x = 1\n") for i in range(12)})
    assert "DR220" not in codes(check_message("fix type/lint/format findings", many))
    assert "DR220" in codes(check_message("fix typos", many))


def test_a_name_is_touched_by_its_words_however_the_code_spells_it():
    handler = ("def references(server, params):\n    ignore_folders = server.options.symbols.ignore_folders\n"
               "    return [r for r in find(params) if r]\n")
    edited = change({"lsp/server.py": (handler, handler.replace("if r]", "if r and not ignored(r, ignore_folders)]"))})
    assert "DR221" not in codes(check_message("use `workspace.ignoreFolders` in references", edited))
    assert "DR221" in codes(check_message("use `workspace.excludeFiles` in references", edited))
    workflow = ("jobs:\n  lint:\n    steps:\n      - name: Run pre-commit\n        uses: pre-commit/action@646c83f\n"
                "      - run: nox -s lint\n")
    dropped = change({".github/workflows/lint.yml": (workflow, workflow.replace(
        "      - name: Run pre-commit\n        uses: pre-commit/action@646c83f\n", ""))})
    assert "DR221" not in codes(check_message("Stop using `pre-commit/action`", dropped))
    assert "DR221" in codes(check_message("Stop using `codecov/codecov-action`", dropped))


def test_formatting_of_a_named_value_is_behaviour_and_names_need_letters():
    logging = change({f"server/proto{i}.py": ("def log(addr):\n    print(addr)\n",
                                              "def log(addr):\n    print(format_addr(addr, brackets=True))\n")
                      for i in range(12)})
    assert "DR220" not in codes(check_message("Apply `get_client_addr` formatting to WebSocket logging", logging))
    assert "DR220" in codes(check_message("Apply formatting to WebSocket logging", logging))
    assert "DR221" not in codes(check_message("Add support for `[*]` in trusted hosts", one_line_fix()))
    assert "DR221" in codes(check_message("Add support for `wildcard_hosts` in trusted hosts", one_line_fix()))
    renamed = change({"release-notes.md": ("# Notes\n", "# Notes\n\n- one\n")})
    assert "DR221" not in codes(check_message("Move the notes to release-notes.md", renamed))
    assert "DR221" in codes(check_message("Move the notes to other-notes.md", renamed))


def test_a_leading_tag_is_not_a_name_the_change_holds():
    assert "DR221" not in codes(check_message("[pre-commit.ci] pre-commit autoupdate", one_line_fix()))
    assert "DR221" in codes(check_message("pre-commit autoupdate via pre-commit.ci", one_line_fix()))


def test_attribute_docstrings_are_documentation_too():
    constants = 'CONTEXTS = ("metadata", "lock_file")\n"""Where a marker is evaluated."""\n\n\n' + PARSER
    noted = constants.replace('"""Where a marker is evaluated."""', '"""Where a marker is evaluated.\n\n.. versionadded:: 25.0\n"""')
    assert "DR221" not in codes(check_message("docs: add versionadded notes", change({"config/parser.py": (constants, noted)})))
    valued = noted.replace('("metadata", "lock_file")', '("metadata", "lock_file", "requirement")')
    assert "DR221" in codes(check_message("docs: add versionadded notes", change({"config/parser.py": (constants, valued)})))


def test_a_call_opened_above_the_diff_context_is_touched_by_its_new_argument():
    meta = ("class Meta(type):\n    def __new__(mcs, name, bases, attrs):\n        klass = super().__new__(mcs, name, bases, attrs)\n"
            "        klass._declared = mcs.get_declared_fields(\n            klass=klass,\n            cls_fields=attrs,\n"
            "            inherited_fields=bases,\n            ordered=False,\n        )\n        return klass\n")
    fixed = change({"schema.py": (meta, meta.replace("            ordered=False,\n", "            ordered=False,\n            dict_cls=dict,\n"))})
    assert "DR221" not in codes(check_message("Fix call to get_declared_fields: pass dict_cls", fixed))
    assert "DR221" in codes(check_message("Fix call to resolve_hooks: pass dict_cls", fixed))


def test_a_docs_change_may_retire_the_maintainers_tool_that_built_them():
    tool = "import click\n\n\ndef main():\n    click.echo(render_usage())\n"
    files = {"tools/cli_usage.py": (tool, None), "scripts/check": ("ruff check\npython tools/cli_usage.py --check\n", "ruff check\n"),
             "mkdocs.yml": ("site_name: x\n", "site_name: x\nplugins:\n  - cli-usage\n")}
    assert "DR221" not in codes(check_message("docs: replace `tools/cli_usage.py` by a mkdocs plugin", change(files)))
    assert "DR221" in codes(check_message("docs: replace the usage page", change(
        {**files, "app/cli.py": ("def main():\n    pass\n", "def main():\n    return 0\n")})))


def test_a_file_the_change_holds_but_does_not_read_is_touched():
    linked = change({"docs/plugins.py": ("print(1)\nx = 1\n", "x = 1\n")})
    linked.notes.append(("CHANGELOG.md", "submodule or symlink: not checked"))
    assert "DR221" not in codes(check_message("Make CHANGELOG.md a symlink", linked))
    assert "DR221" in codes(check_message("Make HISTORY.md a symlink", linked))
