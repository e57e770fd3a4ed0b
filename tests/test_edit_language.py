"""DR201 a change in a language foreign to the repository or module: analyzers/edits/language.py."""

from xyguard.analyzers.edits import check_edit

from edit_support import PY_BASE, check_worktree, of
from finding_codes import codes


def test_new_file_in_a_foreign_language_is_flagged(repo):
    repo.commit("base", PY_BASE)
    report = check_worktree(repo, {"pkg/fast.rs": "pub fn slug(s: &str) -> String { s.to_lowercase() }\n"},
                            request="make slug faster")
    (f,) = of(report, "DR201")
    assert f.path == "pkg/fast.rs" and f.severity == "warning" and "rust" in f.message


def test_a_switch_against_a_stated_language_is_an_error_and_a_requested_one_information(repo):
    repo.commit("base", PY_BASE)
    rust = {"pkg/fast.rs": "pub fn slug(s: &str) -> String { s.to_lowercase() }\n"}
    (f,) = of(check_worktree(repo, rust, request="Make slug faster but keep it in Python"), "DR201")
    assert f.severity == "error"
    (f,) = of(check_worktree(repo, rust, request="Port slug to Rust for speed"), "DR201")
    assert f.severity == "info" and "As stated" in f.message


def test_replacing_a_file_with_another_language_is_a_switch(repo):
    repo.commit("base", PY_BASE)
    report = check_worktree(repo, {"pkg/util.py": None, "pkg/util.js": "export function slug(s) { return s.toLowerCase(); }\n"})
    (f,) = of(report, "DR201")
    assert "pkg/util.py (python) is replaced by pkg/util.js" in f.message


def test_minority_language_at_home_in_its_folder_is_fine(repo):
    repo.commit("base", {**PY_BASE, **{f"pkg/big{i}.py": "x = 1\n" * 200 for i in range(3)},
                         "ext/speed.c": "int add(int a, int b) { return a + b; }\n"})
    report = check_worktree(repo, {"ext/more.c": "int sub(int a, int b) { return a - b; }\n"})
    assert of(report, "DR201") == []


def test_diff_only_infers_the_language_from_the_other_files():
    diff = ("diff --git a/src/app.py b/src/app.py\n--- a/src/app.py\n+++ b/src/app.py\n@@ -1,2 +1,2 @@\n"
            " def run():\n-    return 1\n+    return 2\n"
            "diff --git a/src/app.go b/src/app.go\nnew file mode 100644\n--- /dev/null\n+++ b/src/app.go\n"
            "@@ -0,0 +1,2 @@\n+package main\n+func main() {}\n")
    assert codes(check_edit(diff)).count("DR201") == 1
    only_new = "diff --git a/x.go b/x.go\nnew file mode 100644\n--- /dev/null\n+++ b/x.go\n@@ -0,0 +1 @@\n+package x\n"
    report = check_edit(only_new)
    assert of(report, "DR201") == []
    assert any(s.check == "DR201" and "language is unknown" in s.reason for s in report.skipped)


def test_a_switch_away_from_the_code_the_request_names_is_an_error(repo):
    repo.commit("base", PY_BASE)
    go = {"pkg/fetch.go": "package pkg\n\nfunc Fetch(url string) string { return url }\n"}
    (f,) = of(check_worktree(repo, go, request="fetch ignores its timeout"), "DR201")
    assert f.severity == "error" and "about python code" in f.message
    (f,) = of(check_worktree(repo, go, request="speed things up"), "DR201")
    assert f.severity == "warning"
