"""DR203 scope beyond the request, DR217 formatting churn, DR204 wholesale rewrite."""

from xyguard.analyzers.edits import check_edit

from edit_support import check_worktree, of

DATES = ("import re\n\n\ndef parse_date(text):\n    m = re.match(r'(\\d+)-(\\d+)-(\\d+)', text)\n"
         "    if not m:\n        return None\n    return tuple(int(x) for x in m.groups())\n")
BILLING = ("def invoice_total(items):\n    total = 0\n    for item in items:\n        total += item.price\n"
           "    return total\n")


def _numbered(n):
    return "".join(f"    value_{i} = compute_step_{i}(value_{i - 1} if {i} else seed, factor={i})\n" for i in range(n))


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


def test_small_fix_that_rewrites_a_function(repo):
    old = "def pipeline(seed):\n" + _numbered(20) + "    return value_19\n"
    new = "def pipeline(seed):\n" + "".join(f"    step{i} = run({i}, seed)\n" for i in range(20)) + "    return step19\n"
    others = "".join(BILLING.replace("invoice_total", f"total_{i}") + "\n\n" for i in range(5))
    repo.commit("base", {"app/pipe.py": old + "\n\n" + others})
    report = check_worktree(repo, {"app/pipe.py": new + "\n\n" + others}, request="fix the off-by-one bug in pipeline")
    (f,) = of(report, "DR204")
    assert "pipeline()" in f.message
    report = check_worktree(repo, {"app/pipe.py": new + "\n\n" + others}, request="refactor pipeline for readability")
    assert of(report, "DR204") == []


def test_moving_code_is_not_a_rewrite(repo):
    old = "def pipeline(seed):\n" + _numbered(20) + "    return value_19\n"
    repo.commit("base", {"app/pipe.py": old})
    wrapped = "def pipeline(seed):\n    try:\n" + "".join("    " + ln + "\n" for ln in _numbered(20).splitlines()) \
              + "    except KeyError:\n        return None\n    return value_19\n"
    report = check_worktree(repo, {"app/pipe.py": wrapped}, request="fix the crash in pipeline")
    assert of(report, "DR204") == []


def test_diff_only_rewrite_of_a_large_hunk():
    removed = "".join(f"-    old_value_{i} = transform_{i}(data, option={i})\n" for i in range(40))
    added = "".join(f"+    result[{i}] = handle(data)\n" for i in range(10))
    diff = f"diff --git a/a.py b/a.py\n--- a/a.py\n+++ b/a.py\n@@ -1,41 +1,11 @@\n def f(data):\n{removed}{added}"
    assert len(of(check_edit(diff, request="fix a typo in f"), "DR204")) == 1
    assert of(check_edit(diff, request="rewrite f to use a result table"), "DR204") == []
