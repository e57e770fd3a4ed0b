"""DR208/DR209 tests removed or weakened, DR211 duplicated code, DR212-DR215 conventions, DR216 secrets."""

from xyguard.analyzers.edits import check_edit
from xyguard.analyzers.text.secrets import find_secrets, redact

from edit_support import check_worktree, of

TESTS = ("import pytest\nfrom app.calc import add\n\n\ndef test_add():\n    assert add(1, 2) == 3\n\n\n"
         "def test_add_negative():\n    assert add(-1, -2) == -3\n    assert add(-1, 1) == 0\n")
CALC = "def add(a, b):\n    return a + b\n"
RETRY = ("def fetch_with_retry(client, url, attempts=3):\n    last_error = None\n    for attempt in range(attempts):\n"
         "        try:\n            response = client.get(url, timeout=10)\n            response.raise_for_status()\n"
         "            return response.json()\n        except ConnectionError as exc:\n            last_error = exc\n"
         "            time.sleep(2 ** attempt)\n    raise RuntimeError(f'gave up on {url}') from last_error\n")


def test_deleted_test_function_and_file(repo):
    repo.commit("base", {"app/calc.py": CALC, "tests/test_calc.py": TESTS, "tests/test_other.py": "def test_x():\n    assert 1\n"})
    report = check_worktree(repo, {"tests/test_calc.py": TESTS.split("\n\n\ndef test_add_negative")[0] + "\n",
                                   "tests/test_other.py": None})
    messages = sorted(f.message for f in of(report, "DR208"))
    assert messages == ["Test 'test_add_negative' is deleted.", "Test file tests/test_other.py is deleted with 1 test (test_x)."]
    assert {f.severity for f in of(report, "DR208")} == {"warning"}


def test_moved_test_is_not_deleted(repo):
    repo.commit("base", {"app/calc.py": CALC, "tests/test_calc.py": TESTS})
    report = check_worktree(repo, {"tests/test_calc.py": None, "tests/unit/test_calc.py": TESTS})
    assert of(report, "DR208") == []


def test_weakened_tests(repo):
    repo.commit("base", {"app/calc.py": CALC, "tests/test_calc.py": TESTS})
    weakened = TESTS.replace("assert add(1, 2) == 3", "assert add(1, 2)").replace(
        "def test_add_negative():", "@pytest.mark.skip(reason='flaky')\ndef test_add_negative():").replace(
        "    assert add(-1, 1) == 0\n", "")
    report = check_worktree(repo, {"tests/test_calc.py": weakened})
    found = " | ".join(f.message for f in of(report, "DR209"))
    assert "loosened" in found and "skip" in found and "1 assertion removed" in found


def test_strengthened_test_is_quiet(repo):
    repo.commit("base", {"app/calc.py": CALC, "tests/test_calc.py": TESTS})
    report = check_worktree(repo, {"tests/test_calc.py": TESTS.replace("assert add(1, 2) == 3",
                                                                         "assert add(1, 2) == 3\n    assert add(0, 0) == 0")})
    assert of(report, "DR209") == [] and of(report, "DR208") == []


def test_copied_block_with_renamed_names_is_duplicated(repo):
    repo.commit("base", {"net/retry.py": "import time\n\n\n" + RETRY, "app/sync.py": "def sync():\n    return 1\n"})
    copy = RETRY.replace("fetch_with_retry", "pull_data").replace("last_error", "err").replace("attempts=3", "tries=5") \
                .replace("range(attempts)", "range(tries)").replace("10", "30")
    report = check_worktree(repo, {"app/sync.py": "import time\n\n\ndef sync():\n    return 1\n\n\n" + copy})
    (f,) = of(report, "DR211")
    assert f.related == [{"path": "net/retry.py", "line": 4}] and f.path == "app/sync.py"


def test_moved_block_is_not_duplicated(repo):
    repo.commit("base", {"net/retry.py": "import time\n\n\n" + RETRY, "app/sync.py": "def sync():\n    return 1\n"})
    report = check_worktree(repo, {"net/retry.py": "import time\n", "app/sync.py": "import time\n\n\n" + RETRY})
    assert of(report, "DR211") == []


def test_conventions(repo):
    repo.commit("base", {"app/m.py": "def load_items(path):\n    return path\n\n\ndef save_items(path):\n    return path\n"})
    new = ("def load_items(path):\n    print('DEBUG', path)\n    # result = old_load(path, cache=True)\n"
           "    # TODO: validate\n    # TODO: cache\n    # FIXME: encoding\n    return path\n\n\n"
           "def saveItems(path):\n    return path\n")
    report = check_worktree(repo, {"app/m.py": new})
    assert [f.severity for f in report.findings if f.code in ("DR212", "DR213", "DR214", "DR215")] == ["info"] * 4
    assert "saveItems" in of(report, "DR212")[0].message
    assert of(report, "DR214")[0].range.start.line == 2


def test_prose_comments_and_cli_prints_are_not_flagged(repo):
    repo.commit("base", {"app/cli.py": "def main():\n    return 0\n"})
    new = ("def main():\n    # Parse the arguments before anything else, as the docs say.\n"
           "    # See issue 12 for details\n    print('usage: app FILE')\n    return 0\n")
    report = check_worktree(repo, {"app/cli.py": new})
    assert report.findings == []


def test_secrets_are_errors_and_never_echoed():
    token = "ghp_" + "a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7R8"
    diff = ("diff --git a/app/settings.py b/app/settings.py\n--- a/app/settings.py\n+++ b/app/settings.py\n"
            f"@@ -1 +1,4 @@\n DEBUG = False\n+GITHUB_TOKEN = '{token}'\n+AWS_KEY = 'AKIAZ7QW3ERT5YUI8OPA'\n"
            "+PASSWORD = 'your-password-here'\n")
    found = of(check_edit(diff), "DR216")
    assert sorted(f.message for f in found) == ["A aws access key is added to app/settings.py.",
                                                "A github token is added to app/settings.py."]
    assert all(token not in f.evidence and f.severity == "error" for f in found)


def test_secret_patterns_and_redaction():
    text = ("key = 'sk-ant-api03-" + "x" * 30 + "'\nurl = 'postgres://admin:s3cr3tPw@db.internal/app'\n"
            "-----BEGIN RSA PRIVATE KEY-----\nMIIEabc\n-----END RSA PRIVATE KEY-----\n"
            "jwt = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U'\n"
            "password = 'placeholder'\naws = 'AKIAIOSFODNN7EXAMPLE'\n")
    kinds = [k for k, _, _ in find_secrets(text)]
    assert kinds == ["anthropic-key", "url-credentials", "private-key", "jwt"]
    red = redact(text)
    assert "s3cr3tPw" not in red and "[REDACTED:private-key]" in red
    # DR216 allows documented example keys; what goes to a model loses every secret-shaped value (issue 16).
    assert "AKIAIOSFODNN7EXAMPLE" not in red


def test_repeated_docstring_prose_is_not_duplicated_code(repo):
    doc = ('    """Ask the user for a value on the terminal.\n\n    The prompt is shown on standard error when err is\n'
           '    true, so that output can be piped while the user still sees\n    the question. Input is read from\n'
           '    standard input; the default is returned when the user enters\n    nothing. Aborts raise Abort.\n    """\n')
    repo.commit("base", {"app/ask.py": "def prompt(text, default=None, err=False):\n" + doc + "    return input(text)\n",
                         "app/other.py": "X = 1\n"})
    report = check_worktree(repo, {"app/other.py": "X = 1\n\n\ndef confirm(text, default=False, err=False):\n" + doc
                                   + "    return input(text) == 'y'\n"})
    assert of(report, "DR211") == []


def test_a_run_of_keyword_arguments_is_not_a_copied_block(repo):
    theme = ("def make_theme():\n    return Styles(\n        reset=RESET_ALL,\n        bright=BRIGHT,\n"
             "        error=RED,\n        warning=YELLOW,\n        info=GREEN,\n"
             "        debug=BLUE,\n        key=CYAN,\n    )\n")
    repo.commit("base", {"app/theme.py": theme, "app/log.py": "X = 1\n"})
    config = ("X = 1\n\n\ndef configure(logger):\n    return Proxy(\n        logger=logger,\n        wrapper=DEFAULT_WRAPPER,\n"
              "        processors=DEFAULT_PROCESSORS,\n        context=DEFAULT_CONTEXT,\n        cache=CACHE_ON_FIRST_USE,\n"
              "        initial=INITIAL_VALUES,\n        factory=LOGGER_FACTORY,\n    )\n")
    assert of(check_worktree(repo, {"app/log.py": config}), "DR211") == []
