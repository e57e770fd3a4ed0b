"""The change model: every way a change arrives, and every way the input can be wrong."""

import json

import pytest

from xyguard.analyzers.edits import Change, check_edit
from xyguard.server.cli import main

from finding_codes import codes

RENAME_AND_EDIT = """diff --git a/pkg/old.py b/pkg/new.py
similarity index 90%
rename from pkg/old.py
rename to pkg/new.py
index 1111111..2222222 100644
--- a/pkg/old.py
+++ b/pkg/new.py
@@ -1,3 +1,3 @@
 def keep(a):
-    return a
+    return a + 1
 X = 1
"""


def test_git_diff_from_a_real_repository_round_trips(repo):
    repo.commit("base", {"app/core.py": "def f(x):\n    return x\n\n\ndef g():\n    return 1\n"})
    repo.write({"app/core.py": "def f(x):\n    return x * 2\n\n\ndef g():\n    return 1\n", "app/new.py": "A = 1\n"})
    repo.git("add", "-A")
    change = Change.from_diff(repo.git("diff", "--cached"))
    by_path = {f.path: f for f in change}
    assert by_path["app/core.py"].status == "modified"
    assert [ln.text for ln in by_path["app/core.py"].added()] == ["    return x * 2"]
    assert by_path["app/core.py"].added()[0].new_no == 2
    assert by_path["app/new.py"].status == "added"
    assert change.added_count == 2 and change.removed_count == 1


def test_rename_keeps_both_paths():
    change = Change.from_diff(RENAME_AND_EDIT)
    (fc,) = change.files
    assert (fc.status, fc.old_path, fc.path) == ("renamed", "pkg/old.py", "pkg/new.py")


def test_pure_rename_and_mode_change_are_skipped_with_a_reason():
    diff = ("diff --git a/run.sh b/run.sh\nold mode 100644\nnew mode 100755\n"
            "diff --git a/a.py b/b.py\nsimilarity index 100%\nrename from a.py\nrename to b.py\n")
    report = check_edit(diff)
    skipped = {s["check"]: s["reason"] for s in report.to_dict()["skipped"]}
    assert "mode change only (100644 -> 100755)" in skipped["run.sh"]
    assert report.files == 2 and report.added == 0


def test_binary_patch_is_recorded_as_skipped_not_parsed():
    diff = ("diff --git a/logo.png b/logo.png\nnew file mode 100644\nindex 0000000..e69de29\nGIT binary patch\n"
            "literal 10\nRcmZ?wbhEHbVFUmG\n\nliteral 0\nHcmV?d00001\n\n")
    report = check_edit(diff)
    assert report.findings == []
    assert {"check": "logo.png", "reason": "binary file: content not checked"} in report.to_dict()["skipped"]


def test_crlf_diff_reads_like_lf():
    lf = "diff --git a/a.py b/a.py\n--- a/a.py\n+++ b/a.py\n@@ -1,2 +1,2 @@\n x = 1\n-y = 2\n+y = 3\n"
    crlf = lf.replace("\n", "\r\n")
    a, b = Change.from_diff(lf), Change.from_diff(crlf)
    assert [ln.text for ln in b.files[0].added()] == [ln.text for ln in a.files[0].added()] == ["y = 3"]


@pytest.mark.parametrize("text, message", [
    ("", "empty"),
    ("   \n", "empty"),
    ("this is not a diff at all\n", "not a unified diff"),
    ("--- a/a.py\n+++ b/a.py\n@@ -1,2 +1,5 @@\n x\n+y\n", "malformed diff"),
])
def test_unusable_diffs_raise_one_clear_value_error(text, message):
    with pytest.raises(ValueError, match=message):
        check_edit(text)


def test_cli_reports_bad_diff_in_one_line_with_exit_2(tmp_path, capsys):
    bad = tmp_path / "bad.diff"
    bad.write_text("--- a/a.py\n+++ b/a.py\n@@ -1,2 +1,5 @@\n x\n+y\n")
    assert main(["edit", "--diff", str(bad), "--repo", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("xyguard: error:") and "malformed diff" in err and "Traceback" not in err


def test_cli_empty_diff_is_nothing_to_check(tmp_path, capsys):
    empty = tmp_path / "empty.diff"
    empty.write_text("")
    assert main(["edit", "--diff", str(empty), "--repo", str(tmp_path), "--format", "json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["summary"]["files"] == 0 and out["skipped"][0]["reason"] == "the change is empty"


def test_file_missing_from_repository_is_checked_from_the_diff_alone(repo):
    repo.commit("base", {"lib/a.py": "def a():\n    return 1\n"})
    from xyguard.analyzers.context import get_context

    diff = ("diff --git a/lib/ghost.py b/lib/ghost.py\n--- a/lib/ghost.py\n+++ b/lib/ghost.py\n"
            "@@ -1,2 +1,2 @@\n def ghost():\n-    return 1\n+    return 2\n")
    report = check_edit(diff, context=get_context(repo.root))
    reasons = {s.check: s.reason for s in report.skipped}
    assert "not found in the repository" in reasons["lib/ghost.py"]


def test_workspace_edit_with_text_edits_applies_to_the_baseline(repo):
    repo.commit("base", {"pkg/m.py": "def fetch(url, timeout=10):\n    return url\n"})
    from xyguard.analyzers.context import get_context

    edit = {"changes": {(repo.root / "pkg" / "m.py").as_uri(): [
        {"range": {"start": {"line": 0, "character": 10}, "end": {"line": 0, "character": 25}}, "newText": "url"}]}}
    report = check_edit(edit, context=get_context(repo.root))
    (f,) = [f for f in report.findings if f.code == "DR202"]
    assert "timeout" in f.message


def test_workspace_edit_path_to_text_and_document_changes(repo):
    repo.commit("base", {"pkg/m.py": "def fetch(url):\n    return url\n"})
    from xyguard.analyzers.context import get_context

    ctx = get_context(repo.root)
    report = check_edit({"pkg/m.py": "def fetch(url):\n    return url\n\n\ndef getThing():\n    return 1\n"}, context=ctx)
    assert codes(report) == ["DR212"]
    doc_changes = {"documentChanges": [
        {"kind": "create", "uri": "pkg/tool.go"},
        {"textDocument": {"uri": "pkg/tool.go", "version": None},
         "edits": [{"range": {"start": {"line": 0, "character": 0}, "end": {"line": 0, "character": 0}},
                    "newText": "package pkg\n\nfunc Tool() int { return 1 }\n"}]},
    ]}
    report = check_edit(doc_changes, context=ctx)
    assert "DR201" in codes(report)


def test_malformed_workspace_edit_is_a_value_error():
    with pytest.raises(ValueError, match="TextEdit"):
        check_edit({"changes": {"a.py": [{"newText": "x"}]}})
    with pytest.raises(ValueError):
        check_edit(42)


def test_batch_edits_answers_each_row_in_order(tmp_path, capsys):
    good = "diff --git a/a.py b/a.py\n--- a/a.py\n+++ b/a.py\n@@ -1,2 +1,2 @@\n x = 1\n-y = 2\n+y = 3\n"
    rows = [{"id": "r1", "diff": good, "request": "fix y"}, {"id": "r2", "diff": "nonsense"}, {"id": "r3"}]
    src = tmp_path / "in.jsonl"
    src.write_text("\n".join(json.dumps(r) for r in rows) + "\n")
    assert main(["batch", "edits", str(src)]) == 0
    out = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [o["id"] for o in out] == ["r1", "r2", "r3"]
    assert out[0]["summary"] == {"files": 1, "added": 1, "removed": 1}
    assert "not a unified diff" in out[1]["error"] and "missing field: diff" in out[2]["error"]


from hypothesis import given, settings, strategies as st  # noqa: E402

_lines = st.lists(st.sampled_from(["a", "b", "c", "", "def f():", "    return 1"]), max_size=40)


@settings(max_examples=300, deadline=None)
@given(old=_lines, new=_lines)
def test_hunks_between_texts_rebuild_both_sides(old, new):
    """Whatever the texts, the hunks' context+removed lines are the old text and context+added the new."""
    from xyguard.analyzers.edits.diffmodel import _hunks_between

    rebuilt_old, rebuilt_new, pos_old, pos_new = [], [], 0, 0
    for h in _hunks_between(old, new):
        rebuilt_old += old[pos_old:h.old_start - 1]
        rebuilt_new += new[pos_new:h.new_start - 1]
        rebuilt_old += [ln.text for ln in h.lines if ln.kind in " -"]
        rebuilt_new += [ln.text for ln in h.lines if ln.kind in " +"]
        pos_old, pos_new = h.old_start - 1 + h.old_len, h.new_start - 1 + h.new_len
    assert rebuilt_old + old[pos_old:] == old and rebuilt_new + new[pos_new:] == new


def test_change_renders_back_to_an_equivalent_unified_diff():
    from xyguard.analyzers.edits import Change

    change = Change.from_texts({"a.py": ("x = 1\ny = 2\nz = 3\n", "x = 1\ny = 20\nz = 3\nw = 4\n"),
                                "new.py": (None, "def f():\n    pass\n"), "gone.py": ("old\n", None)})
    again = Change.from_diff(change.to_diff())
    assert [(f.path, f.status) for f in again] == [(f.path, f.status) for f in change]
    for before, after in zip(change, again):
        assert [(ln.kind, ln.text, ln.old_no, ln.new_no) for h in after.hunks for ln in h.lines] == \
               [(ln.kind, ln.text, ln.old_no, ln.new_no) for h in before.hunks for ln in h.lines]
    assert Change().to_diff() == ""
