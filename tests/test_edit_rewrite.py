"""DR204 wholesale rewrite of code a small request touches: analyzers/edits/rewrite.py."""

from xyguard.analyzers.edits import check_edit

from edit_support import BILLING, check_worktree, of


def _numbered(n):
    return "".join(f"    value_{i} = compute_step_{i}(value_{i - 1} if {i} else seed, factor={i})\n" for i in range(n))


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
