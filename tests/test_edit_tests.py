"""DR208 tests deleted and DR209 tests weakened: analyzers/edits/tests.py."""

from edit_support import check_worktree, of

TESTS = ("import pytest\nfrom app.calc import add\n\n\ndef test_add():\n    assert add(1, 2) == 3\n\n\n"
         "def test_add_negative():\n    assert add(-1, -2) == -3\n    assert add(-1, 1) == 0\n")
CALC = "def add(a, b):\n    return a + b\n"


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


def test_tests_of_deprecated_code_go_with_it_when_the_message_removes_deprecated_code(repo):
    deprecated = ("\n\n\ndef test_add_strings_is_deprecated():\n    with pytest.deprecated_call():\n"
                  "        assert add('a', 'b') == 'ab'\n")
    repo.commit("base", {"app/calc.py": CALC, "tests/test_calc.py": TESTS + deprecated})
    for message, severity in [("Remove deprecated behaviour before 2.0", "info"), ("Faster addition", "warning")]:
        (f,) = of(check_worktree(repo, {"tests/test_calc.py": TESTS}, request=message), "DR208")
        assert f.severity == severity, message
    # A test that never mentions deprecation is not covered by that message.
    (f,) = of(check_worktree(repo, {"tests/test_calc.py": TESTS.split("\n\n\ndef test_add_negative")[0] + "\n" + deprecated},
                             request="Remove deprecated behaviour before 2.0"), "DR208")
    assert f.severity == "warning"
