"""DR203 scope beyond the request and DR217 formatting churn: analyzers/edits/scope.py."""

from edit_support import BILLING, check_worktree, of

DATES = ("import re\n\n\ndef parse_date(text):\n    m = re.match(r'(\\d+)-(\\d+)-(\\d+)', text)\n"
         "    if not m:\n        return None\n    return tuple(int(x) for x in m.groups())\n")


def test_unrelated_file_is_scope_creep(repo):
    repo.commit("base", {"app/dates.py": DATES, "billing/invoice.py": BILLING})
    report = check_worktree(repo, {"app/dates.py": DATES.replace("return None", "raise ValueError(text)"),
                                   "billing/invoice.py": BILLING.replace("total = 0", "total = 0.0")},
                            request="parse_date returns None for bad input; it should raise ValueError")
    (f,) = of(report, "DR203")
    assert f.path == "billing/invoice.py" and f.severity == "warning"


def test_related_files_are_in_scope_by_imports_calls_and_tests(repo):
    caller = "from app.dates import parse_date\n\n\ndef due(text):\n    return parse_date(text)\n"
    repo.commit("base", {"app/dates.py": DATES, "app/due.py": caller, "tests/test_dates.py": "def test_a():\n    pass\n"})
    report = check_worktree(repo, {
        "app/dates.py": DATES.replace("return None", "raise ValueError(text)"),
        "app/due.py": caller.replace("return parse_date(text)", "return parse_date(text.strip())"),
        "tests/test_dates.py": "import pytest\n\n\ndef test_a():\n    with pytest.raises(ValueError):\n        pass\n",
    }, request="parse_date should raise ValueError on bad input")
    assert of(report, "DR203") == []


def test_scope_uses_session_hints_and_skips_without_any_request(repo):
    repo.commit("base", {"app/dates.py": DATES, "billing/invoice.py": BILLING})
    files = {"app/dates.py": DATES.replace("return None", "raise ValueError(text)"),
             "billing/invoice.py": BILLING.replace("total = 0", "total = 0.0")}
    report = check_worktree(repo, files, request="fix parse_date", scope_hints=["invoice totals must be floats"])
    assert of(report, "DR203") == []
    report = check_worktree(repo, files)
    assert of(report, "DR203") == [] and any(s.check == "DR203" for s in report.skipped)


def test_whitespace_only_hunk_is_formatting_churn(repo):
    body = "def keep(a, b):\n    x = a + b\n    y = a * b\n    z = x - y\n    return z\n"
    repo.commit("base", {"app/m.py": DATES + "\n\n" + body})
    churned = body.replace("a + b", "a+b").replace("a * b", "a*b").replace("x - y", "x-y")
    report = check_worktree(repo, {"app/m.py": DATES.replace("return None", "return ()") + "\n\n" + churned},
                            request="parse_date should return an empty tuple")
    (f,) = of(report, "DR217")
    assert f.severity == "info" and "3 lines" in f.message
    report = check_worktree(repo, {"app/m.py": DATES + "\n\n" + churned}, request="reformat the module")
    assert of(report, "DR217") == []


def test_a_sweep_named_by_the_module_it_uses_owns_the_files_that_use_it(repo):
    """'simplify code with pathlib': every file whose changed lines use what it imports from pathlib is the sweep."""
    loader = ("import os\nfrom pathlib import Path\n\nHOME = Path.home()\n\n\ndef load(folder, name):\n"
              "    return open(os.path.join(folder, name)).read()\n")
    saver = ("import os\nfrom pathlib import Path\n\nHOME = Path.home()\n\n\ndef save(folder, name, text):\n"
             "    open(os.path.join(folder, name), 'w').write(text)\n")
    repo.commit("base", {"app/loader.py": loader, "app/saver.py": saver})
    change = {"app/loader.py": loader.replace("open(os.path.join(folder, name)).read()", "(Path(folder) / name).read_text()"),
              "app/saver.py": saver.replace("open(os.path.join(folder, name), 'w').write(text)",
                                            "(Path(folder) / name).write_text(text)")}
    assert of(check_worktree(repo, change, request="refactor: simplify code with pathlib"), "DR203") == []
    assert len(of(check_worktree(repo, change, request="refactor: simplify the loader"), "DR203")) == 1


SERVING = ("def make_environ(headers):\n    environ = {}\n    if headers.get('HTTP_TRANSFER_ENCODING', '') == 'chunked':\n"
           "        environ['wsgi.input_terminated'] = True\n    return environ\n")
SETS = "def parse_set_header(value):\n    return value.split(',')\n"


def test_a_compound_term_of_the_message_names_the_code_that_spells_it(repo):
    repo.commit("base", {"app/serving.py": SERVING, "app/headers.py": SETS})
    edits = {"app/serving.py": SERVING.replace("headers.get('HTTP_TRANSFER_ENCODING', '') == 'chunked'",
                                               "headers.get('HTTP_TRANSFER_ENCODING', '').lower() == 'chunked'"),
             "app/headers.py": SETS.replace("value.split(',')", "[v.strip() for v in value.split(',')]")}
    (f,) = of(check_worktree(repo, edits, request="compare transfer-encoding case-insensitively"), "DR203")
    assert f.path == "app/headers.py"
    (f,) = of(check_worktree(repo, edits, request="strip the values of parsed set headers"), "DR203")
    assert f.path == "app/serving.py"


def test_dropping_a_python_version_owns_the_code_it_lets_go(repo):
    compat = ("def host_ip(hostname):\n    # Python < 3.9 cannot parse scoped IPv6 addresses: strip the zone.\n"
              "    if '%' in hostname:\n        hostname = hostname[: hostname.rfind('%')]\n    return hostname\n")
    pairs = "def pairs(keys, values):\n    return list(zip(keys, values))\n"
    repo.commit("base", {"app/net.py": compat, "app/util.py": pairs, "billing/invoice.py": BILLING,
                         "pyproject.toml": '[project]\nname = "app"\nrequires-python = ">=3.8"\n'})
    edits = {"pyproject.toml": '[project]\nname = "app"\nrequires-python = ">=3.10"\n',
             "app/net.py": "def host_ip(hostname):\n    return hostname\n",
             "app/util.py": pairs.replace("zip(keys, values)", "zip(keys, values, strict=True)")}
    assert of(check_worktree(repo, edits, request="drop Python 3.8 and 3.9"), "DR203") == []
    (f,) = of(check_worktree(repo, edits, request="faster host lookups"), "DR203")
    assert f.path == "app/util.py"


def test_an_automated_fix_pass_is_a_style_pass(repo):
    repo.commit("base", {"app/serving.py": SERVING, "billing/invoice.py": BILLING})
    edits = {"app/serving.py": SERVING.replace("environ = {}", "environ: dict = {}"),
             "billing/invoice.py": BILLING.replace("total = 0", "total = 0.0")}
    assert of(check_worktree(repo, edits, request="[pre-commit.ci] auto fixes from pre-commit.com hooks"), "DR203") == []
    assert of(check_worktree(repo, edits, request="type the environ"), "DR203")


def test_typing_modernised_for_the_versions_kept_is_part_of_dropping_the_old_ones(repo):
    gen = ("from collections.abc import Generator\nfrom typing import (\n    Union,\n)\n\nVersionish = Union[str, int]\n\n\n"
           "def tokens(text: str) -> Generator[str, None, None]:\n    yield from text.split()\n")
    repo.commit("base", {"app/tokens.py": gen, "app/util.py": "def pairs(keys, values):\n    return list(zip(keys, values))\n",
                         "pyproject.toml": '[project]\nname = "app"\nrequires-python = ">=3.9"\n'})
    modern = ("from collections.abc import Generator\n\nVersionish = str | int\n\n\n"
              "def tokens(text: str) -> Generator[str]:\n    yield from text.split()\n")
    edits = {"app/tokens.py": modern, "pyproject.toml": '[project]\nname = "app"\nrequires-python = ">=3.10"\n',
             "app/util.py": "def pairs(keys, values):\n    return list(zip(keys, values, strict=True))\n"}
    assert of(check_worktree(repo, edits, request="drop support for EOL Python 3.9"), "DR203") == []
    # Behaviour changed besides, in two files: one of them is out of the message's scope.
    edits["app/tokens.py"] = modern.replace("text.split()", "text.split(',')")
    edits["app/util.py"] = "def pairs(keys, values):\n    return dict(zip(keys, values, strict=True))\n"
    assert of(check_worktree(repo, edits, request="drop support for EOL Python 3.9"), "DR203")
