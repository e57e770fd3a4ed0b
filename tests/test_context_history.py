"""Design history on real repositories: each commit is read from git once, whatever HEAD does next
(new commits, branch switches, rebases, resets, amends), and the result equals a build from scratch."""

from __future__ import annotations

from dataclasses import asdict

from xyguard.analyzers.context import build_context

PYPROJECT = '[project]\nname = "x"\ndependencies = [\n{deps}]\n'


def _deps(*names: str) -> str:
    return PYPROJECT.format(deps="".join(f'    "{n}",\n' for n in names))


def _history(ctx) -> dict:
    data = asdict(ctx.history)
    data.pop("commits_read")
    return data


def _incremental_equals_cold(repo) -> int:
    """Build with the cache (as a hook would) and from scratch; they must agree. Returns commits read."""
    warm = build_context(repo.root)
    cold = build_context(repo.root, use_cache=False)
    assert _history(warm) == _history(cold)
    assert cold.history.commits_read == cold.history.commits
    return warm.history.commits_read


def _two_branches(repo):
    repo.commit("initial", {"pyproject.toml": _deps("requests", "simplejson"),
                            "pkg/core.py": "def core():\n    return 1\n", "pkg/util.py": "def util():\n    return 2\n"})
    repo.commit("drop simplejson, use the stdlib json module", {"pyproject.toml": _deps("requests")})
    repo.commit("core and util together", {"pkg/core.py": "def core():\n    return 10\n",
                                            "pkg/util.py": "def util():\n    return 20\n"})
    repo.git("checkout", "-q", "-b", "feature")
    repo.commit("add legacy auth", {"pkg/auth.py": "def legacy_auth(user):\n    return user.token == 'abc'\n"})
    repo.git("revert", "--no-edit", "HEAD")
    repo.commit("Replace urllib with httpx in the client", {"pkg/client.py": "import httpx\n"})
    repo.git("checkout", "-q", "main")
    repo.git("mv", "pkg/util.py", "pkg/helpers.py")
    repo.commit("move util to helpers")
    repo.commit("remove requests", {"pyproject.toml": _deps()})


def test_switching_branches_reads_only_commits_never_seen(repo):
    _two_branches(repo)
    assert _incremental_equals_cold(repo) == 5  # main, first build: everything
    repo.git("checkout", "-q", "feature")
    assert _incremental_equals_cold(repo) == 3  # only the three feature commits
    repo.git("checkout", "-q", "main")
    assert _incremental_equals_cold(repo) == 0  # both sides already seen
    ctx = build_context(repo.root)
    assert [d.name for d in ctx.history.dependency_removals] == ["requests", "simplejson"]
    assert [(r.old, r.new) for r in ctx.history.renames] == [("pkg/util.py", "pkg/helpers.py")]
    assert ctx.history.reverts == []


def test_a_rebase_reads_only_the_rewritten_commits(repo):
    _two_branches(repo)
    assert _incremental_equals_cold(repo) == 5
    repo.git("checkout", "-q", "feature")
    assert _incremental_equals_cold(repo) == 3
    repo.git("rebase", "-q", "main")
    assert _incremental_equals_cold(repo) == 3  # the three rebased commits have new ids
    ctx = build_context(repo.root)
    assert ctx.history.commits == 8
    (revert,) = ctx.history.reverts
    assert "legacy_auth" in revert.removed_symbols  # patches read for the rewritten revert too
    assert [d.name for d in ctx.history.dependency_removals] == ["requests", "simplejson"]
    assert ctx.history.cochange["pkg/core.py"] == {"pkg/util.py": 2, "pyproject.toml": 1}


def test_reset_and_amend_subtract_what_head_left(repo):
    _two_branches(repo)
    assert _incremental_equals_cold(repo) == 5
    repo.git("reset", "-q", "--hard", "HEAD~2")
    assert _incremental_equals_cold(repo) == 0  # going back reads nothing
    ctx = build_context(repo.root)
    assert ctx.history.renames == [] and [d.name for d in ctx.history.dependency_removals] == ["simplejson"]
    repo.write({"pkg/core.py": "def core():\n    return 11\n"})
    repo.git("add", "-A")
    repo.git("commit", "-q", "--amend", "-m", "core and util together, amended")
    assert _incremental_equals_cold(repo) == 1
    ctx = build_context(repo.root)
    assert ctx.history.recent[0].subject == "core and util together, amended"
    assert ctx.history.cochange["pkg/core.py"] == {"pkg/util.py": 2, "pyproject.toml": 1}
    assert ctx.history.commits == 3


def test_new_commits_on_top_are_the_only_ones_read(repo):
    _two_branches(repo)
    assert _incremental_equals_cold(repo) == 5
    repo.commit("one more", {"pkg/new.py": "def new():\n    pass\n"})
    repo.commit("and another", {"pkg/new.py": "def newer():\n    pass\n"})
    assert _incremental_equals_cold(repo) == 2
    assert build_context(repo.root).stats["commits_read"] == 0  # HEAD unchanged: the aggregate is cached


def test_a_damaged_commit_row_is_read_again_not_trusted(repo):
    import sqlite3

    _two_branches(repo)
    repo.git("checkout", "-q", "feature")
    cache_file = build_context(repo.root).cache_path
    with sqlite3.connect(cache_file) as db:  # a planted row: the revert commit claims to be a plain one
        db.execute("UPDATE commits SET row = '[1, \"x\", [], [], \"yes\"]' WHERE row LIKE '%Revert%'")
    repo.git("checkout", "-q", "main")
    ctx = build_context(repo.root)
    assert _history(ctx) == _history(build_context(repo.root, use_cache=False))


def test_a_dependency_moved_between_manifests_is_not_a_removal(repo):
    repo.commit("initial", {"setup.py": "from setuptools import setup\nsetup(install_requires=[\n    'click',\n    'attrs',\n])\n",
                            "pyproject.toml": _deps()})
    repo.commit("move metadata to pyproject", {"setup.py": "from setuptools import setup\nsetup()\n",
                                               "pyproject.toml": _deps("click")})
    removals = build_context(repo.root, use_cache=False).history.dependency_removals
    assert [(d.name, d.manifest) for d in removals] == [("attrs", "setup.py")]  # click moved, attrs is gone


def test_a_decision_is_recognised_whatever_the_case_and_the_alphabet_of_its_subject():
    """Subjects are searched for decision words lowered when ASCII, as written otherwise: both ways must agree
    with what a case-insensitive reading finds."""
    from xyguard.analyzers.context.history import classify_decision

    assert classify_decision("Replace six with typing") == ("replace", ["six"], ["typing"])
    assert classify_decision("REPLACE SIX WITH TYPING") == ("replace", ["SIX"], ["TYPING"])
    assert classify_decision("Replace the naïve tokenizer with tree-sitter") == (
        "replace", ["the naïve tokenizer"], ["tree-sitter"])
    assert classify_decision("Don't use pickle for the session store") is not None
    # "import" and "supported" hold decision words, but not at the start of a word; non-ASCII changes nothing
    assert classify_decision("Improve importer speed on supported platforms") is None
    assert classify_decision("Document the naïve importer") is None


def test_every_decision_pattern_is_found_in_either_case_behind_its_word_gate():
    """Each pattern is only tried when its words are in the lowered subject: every pattern must still be reached,
    written in lower or upper case, and a subject holding a decision word that fits no pattern stays no decision."""
    from xyguard.analyzers.context.history import classify_decision

    found = {
        "Switch from nose to pytest": ("replace", ["nose"], ["pytest"]),
        "Use httpx instead of requests": ("instead", ["requests"], ["httpx"]),
        "Migrate from setup.py to pyproject.toml": ("migrate", ["setup"], ["pyproject"]),
        "Port to asyncio": ("migrate", [], ["asyncio"]),
        "Drop support for Python 2": ("remove", ["Python 2"], []),
        "docs: remove the unused sphinx theme": ("remove", ["sphinx theme"], []),
        "Stop using pkg_resources": ("avoid", ["pkg_resources"], []),
        "Never call eval on user input": ("avoid", ["call eval"], []),
    }
    for subject, decision in found.items():
        assert classify_decision(subject) == decision, subject
        upper = classify_decision(subject.upper())
        assert upper is not None and upper[0] == decision[0], subject
    # decision words, but no pattern around them
    assert classify_decision("Moved the changelog entry up") is None
    assert classify_decision("Portable wheels for arm64") is None
