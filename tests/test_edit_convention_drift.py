"""DR212 naming, DR213 debug output, DR214 commented-out code, DR215 TODOs: analyzers/edits/convention_drift.py."""

from edit_support import check_worktree, of


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
