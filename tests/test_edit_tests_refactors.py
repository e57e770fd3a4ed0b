"""DR208/DR209 see test refactorings for what they are: a moved, renamed, split or parametrised test is kept;
a skip on a brand-new test or a check rewritten as `pytest.warns` weakens nothing; a stated removal is
information."""

from edit_support import check_worktree, of

from xyguard.analyzers.findings import at_or_above

SLUGS = '''import pytest

from blog.slug import slugify


def test_slugify_lowercases():
    assert slugify("Hello World") == "hello-world"


def test_slugify_strips_punctuation():
    assert slugify("Hi, there!") == "hi-there"


def test_slugify_collapses_dashes():
    assert slugify("a -- b") == "a-b"


def test_slugify_rejects_empty_titles():
    with pytest.raises(ValueError, match="empty title"):
        slugify("   ")
'''
BASE = {"blog/__init__.py": "", "blog/slug.py": "def slugify(title):\n    return title\n", "tests/test_slug.py": SLUGS}


def blocking(report, code):
    return [f for f in of(report, code) if at_or_above(f.severity, "warning")]


def without(text: str, name: str) -> str:
    start = text.index(f"def {name}(")
    end = text.find("\n\n\ndef ", start)
    return text[:start].rstrip("\n") + ("\n\n\n" + text[end + 3:] if end != -1 else "\n")


def test_a_test_moved_to_another_file_is_kept(repo):
    repo.commit("base", BASE)
    moved = "from blog.slug import slugify\n\n\ndef test_slugify_collapses_dashes():\n    assert slugify(\"a -- b\") == \"a-b\"\n"
    report = check_worktree(repo, {"tests/test_slug.py": without(SLUGS, "test_slugify_collapses_dashes"),
                                   "tests/test_dashes.py": moved}, request="Split the dash tests out")
    assert of(report, "DR208") == []


def test_a_renamed_test_with_the_same_body_is_kept(repo):
    repo.commit("base", BASE)
    report = check_worktree(repo, {"tests/test_slug.py": SLUGS.replace("test_slugify_strips_punctuation",
                                                                       "test_slugify_drops_punctuation")},
                            request="Clearer test names")
    assert of(report, "DR208") == []


def test_tests_merged_into_one_parametrised_test_are_kept(repo):
    repo.commit("base", BASE)
    merged = without(without(without(SLUGS, "test_slugify_lowercases"), "test_slugify_strips_punctuation"),
                     "test_slugify_collapses_dashes").replace("def test_slugify_rejects_empty_titles", '''@pytest.mark.parametrize(
    ("title", "slug"),
    [("Hello World", "hello-world"), ("Hi, there!", "hi-there"), ("a -- b", "a-b")],
    ids=["lowercases", "strips punctuation", "collapses dashes"],
)
def test_slugify(title, slug):
    assert slugify(title) == slug


def test_slugify_rejects_empty_titles''')
    report = check_worktree(repo, {"tests/test_slug.py": merged}, request="Parametrise the slug tests")
    assert of(report, "DR208") == []


def test_a_test_split_in_two_is_kept(repo):
    combined = SLUGS + '''

def test_slugify_unicode_and_length():
    assert slugify("Crème brûlée") == "creme-brulee"
    assert len(slugify("word " * 100)) <= 80
'''
    repo.commit("base", {**BASE, "tests/test_slug.py": combined})
    split = without(combined, "test_slugify_unicode_and_length") + '''

def test_slugify_transliterates_accents():
    assert slugify("Crème brûlée") == "creme-brulee"


def test_slugify_caps_the_length():
    assert len(slugify("word " * 100)) <= 80
'''
    report = check_worktree(repo, {"tests/test_slug.py": split}, request="One behaviour per test")
    assert of(report, "DR208") == []


def test_a_deleted_test_is_still_a_warning(repo):
    repo.commit("base", BASE)
    report = check_worktree(repo, {"tests/test_slug.py": without(SLUGS, "test_slugify_rejects_empty_titles")},
                            request="Fix slugs of long titles")
    (f,) = of(report, "DR208")
    assert f.severity == "warning" and "test_slugify_rejects_empty_titles" in f.message


def test_a_stated_removal_is_information(repo):
    repo.commit("base", BASE)
    report = check_worktree(repo, {"tests/test_slug.py": without(SLUGS, "test_slugify_rejects_empty_titles")},
                            request="Allow empty titles; remove the empty-title test")
    (f,) = of(report, "DR208")
    assert f.severity == "info" and "as stated" in f.message


def test_a_test_for_a_dropped_python_version_goes_with_it(repo):
    old_only = '''

@pytest.mark.skipif(sys.version_info >= (3, 9), reason="3.8 only")
def test_slugify_on_old_unicode_tables():
    assert slugify("ﬁle") == "fi-le"
'''
    repo.commit("base", {**BASE, "tests/test_slug.py": "import sys\n" + SLUGS + old_only})
    after = {"tests/test_slug.py": "import sys\n" + SLUGS}
    assert blocking(check_worktree(repo, after, request="Drop support for Python 3.8"), "DR208") == []
    assert len(blocking(check_worktree(repo, after, request="Faster slugs"), "DR208")) == 1


def test_a_duplicate_test_removed_while_its_twin_stays_elsewhere_is_kept(repo):
    twin = "from blog.slug import slugify\n\n\ndef test_slugify_lowercases():\n    assert slugify(\"Hello World\") == \"hello-world\"\n"
    repo.commit("base", {**BASE, "tests/test_case.py": twin})
    report = check_worktree(repo, {"tests/test_slug.py": without(SLUGS, "test_slugify_lowercases")},
                            request="Drop the duplicated case test")
    assert of(report, "DR208") == []


def test_a_platform_skip_on_a_new_test_weakens_nothing(repo):
    repo.commit("base", BASE)
    added = SLUGS + '''

@pytest.mark.skipif(sys.platform == "win32", reason="no symlinks on Windows")
def test_slugify_of_a_symlinked_title(tmp_path):
    assert slugify(str(tmp_path)) == str(tmp_path)
'''
    assert of(check_worktree(repo, {"tests/test_slug.py": "import sys\n" + added}, request="Slugs of paths"), "DR209") == []
    skipped = SLUGS.replace("def test_slugify_collapses_dashes", '@pytest.mark.skip(reason="flaky")\ndef test_slugify_collapses_dashes')
    (f,) = of(check_worktree(repo, {"tests/test_slug.py": skipped}, request="Slugs of paths"), "DR209")
    assert "test_slugify_collapses_dashes" in f.message


def test_checks_rewritten_as_pytest_warns_are_not_removed(repo):
    result_checks = SLUGS + '''

def test_slugify_warns_on_long_titles(runner):
    result = runner.invoke(slugify, ["word " * 100])
    assert isinstance(result.exception, UserWarning)
    assert "title is long" in str(result.exception)
'''
    repo.commit("base", {**BASE, "tests/test_slug.py": result_checks})
    idiomatic = result_checks.replace('''    result = runner.invoke(slugify, ["word " * 100])
    assert isinstance(result.exception, UserWarning)
    assert "title is long" in str(result.exception)
''', '''    with pytest.warns(UserWarning, match="title is long"):
        runner.invoke(slugify, ["word " * 100])
''')
    report = check_worktree(repo, {"tests/test_slug.py": idiomatic}, request="Check warnings idiomatically")
    assert of(report, "DR209") == []
    dropped = result_checks.replace('    assert "title is long" in str(result.exception)\n', "")
    report = check_worktree(repo, {"tests/test_slug.py": dropped}, request="Check warnings idiomatically")
    assert [f.message for f in of(report, "DR209")] == ["1 assertion removed from tests/test_slug.py."]


def test_assertions_folded_into_one_are_not_removed(repo):
    one = '    assert slugify("Hello World") == "hello-world"\n'
    two = one + '    assert slugify("HELLO") == "hello"\n'
    folded = '    assert (slugify("Hello World"), slugify("HELLO")) == ("hello-world", "hello")\n'
    repo.commit("base", {**BASE, "tests/test_slug.py": SLUGS.replace(one, two)})
    report = check_worktree(repo, {"tests/test_slug.py": SLUGS.replace(one, folded)}, request="One assertion per case")
    assert of(report, "DR209") == []
    report = check_worktree(repo, {"tests/test_slug.py": SLUGS}, request="One assertion per case")
    assert [f.message for f in of(report, "DR209")] == ["1 assertion removed from tests/test_slug.py."]


def test_skips_and_reworks_the_message_states_are_information(repo):
    repo.commit("base", {**BASE, "tests/test_slug.py": "import sys\n" + SLUGS})
    windows = "import sys\n" + SLUGS.replace("def test_slugify_collapses_dashes",
                                             '@pytest.mark.skipif(sys.platform == "win32", reason="no dashes")\n'
                                             "def test_slugify_collapses_dashes")
    (f,) = of(check_worktree(repo, {"tests/test_slug.py": windows}, request="Skip the dash test on Windows"), "DR209")
    assert f.severity == "info"
    newer = windows.replace('sys.platform == "win32"', "sys.version_info >= (3, 14)")
    (f,) = of(check_worktree(repo, {"tests/test_slug.py": newer}, request="Basic support for Python 3.14"), "DR209")
    assert f.severity == "info"
    (f,) = of(check_worktree(repo, {"tests/test_slug.py": newer}, request="Faster slugs"), "DR209")
    assert f.severity == "warning"
    reworked = "import sys\n" + without(SLUGS, "test_slugify_rejects_empty_titles")
    (f,) = of(check_worktree(repo, {"tests/test_slug.py": reworked}, request="Restructure the slug tests"), "DR208")
    assert f.severity == "info"


def test_a_removal_stated_for_a_test_class_covers_its_tests(repo):
    suite = '''class TestLegacyTitles:
    def test_title(self):
        assert slugify("Old Title") == "old-title"

    def test_empty(self):
        assert slugify("") == ""
'''
    repo.commit("base", {**BASE, "tests/test_legacy.py": "from blog.slug import slugify\n\n\n" + suite})
    report = check_worktree(repo, {"tests/test_legacy.py": None}, request="Remove the legacy title support")
    assert [f.severity for f in of(report, "DR208")] == ["info"]


def test_a_multi_line_assertion_turned_around_is_not_loosened(repo):
    before = SLUGS + '''

def test_slugify_many():
    result = [slugify(t) for t in ("A b", "C d")]
    assert result == [
        "a-b",
        "c-d",
    ]
'''
    repo.commit("base", {**BASE, "tests/test_slug.py": before})
    after = before.replace('''    assert result == [
        "a-b",
        "c-d",
    ]''', '''    assert [
        "a-b",
        "c-d",
    ] == result''')
    assert of(check_worktree(repo, {"tests/test_slug.py": after}, request="Expected values first"), "DR209") == []
    loosened = before.replace('''    assert result == [
        "a-b",
        "c-d",
    ]''', '''    assert [
        "a-b",
        "c-d",
    ]''')
    (f,) = of(check_worktree(repo, {"tests/test_slug.py": loosened}, request="Expected values first"), "DR209")
    assert "loosened" in f.message


def test_a_moved_test_with_a_nested_test_named_function_is_kept_whole(repo):
    nested = '''

def test_slugify_in_a_command(runner):
    def test(title):
        return slugify(title)

    assert test("A B") == "a-b"
    assert test("C D") == "c-d"
'''
    repo.commit("base", {**BASE, "tests/test_slug.py": SLUGS + nested})
    report = check_worktree(repo, {"tests/test_slug.py": SLUGS,
                                   "tests/test_commands.py": "from blog.slug import slugify\n" + nested},
                            request="Command tests in their own file")
    assert of(report, "DR208") == [] and of(report, "DR209") == []


def test_checks_of_a_value_already_pinned_whole_are_not_lost(repo):
    pinned = '''

def test_styles_are_the_colourful_ones():
    styles = slugify.styles(colors=True)
    assert styles is slugify.COLOURFUL
    assert hasattr(styles, "reset")
    assert hasattr(styles, "bright")
'''
    repo.commit("base", {**BASE, "tests/test_slug.py": SLUGS + pinned})
    trimmed = SLUGS + pinned.replace('    assert hasattr(styles, "reset")\n    assert hasattr(styles, "bright")\n', "")
    assert of(check_worktree(repo, {"tests/test_slug.py": trimmed}, request="Simpler style tests"), "DR209") == []
    unpinned = SLUGS + pinned.replace("    assert styles is slugify.COLOURFUL\n", "").replace(
        '    assert hasattr(styles, "bright")\n', "")
    assert len(of(check_worktree(repo, {"tests/test_slug.py": unpinned}, request="Simpler style tests"), "DR209")) == 1


def test_a_raises_with_its_message_written_over_lines_counts_both_checks(repo):
    one_line = SLUGS
    spread = SLUGS.replace('''    with pytest.raises(ValueError, match="empty title"):
        slugify("   ")''', '''    with pytest.raises(
        ValueError, match="empty title"
    ):
        slugify("   ")''')
    repo.commit("base", {**BASE, "tests/test_slug.py": one_line})
    assert of(check_worktree(repo, {"tests/test_slug.py": spread}, request="Wrap long lines"), "DR209") == []


def test_assertions_a_message_about_the_tests_rewrites_are_information(repo):
    """httpx tested a helper "via public api": the helper's own assertions went, the public ones came."""
    repo.commit("base", BASE)
    public = SLUGS.replace('    assert slugify("Hi, there!") == "hi-there"\n',
                           '    assert Title("Hi, there!").slug == "hi-there"\n').replace(
        '    assert slugify("a -- b") == "a-b"\n', "    pass\n")
    for message, severity in [("test `slugify` via the public Title API", "info"),
                              ("tests: check slugs through Title", "info"),
                              ("Faster slugs", "warning")]:
        (f,) = of(check_worktree(repo, {"tests/test_slug.py": public}, request=message), "DR209")
        assert f.severity == severity, message


def test_a_test_renamed_into_variants_or_shortened_is_kept_but_a_test_swapped_for_its_opposite_is_not(repo):
    """A test whose body changes with its name (`_punctuation` split into `_punctuation_ascii` and
    `_punctuation_unicode`, or one word dropped) is renamed, not deleted; a different test in its place is not."""
    repo.commit("base", BASE)
    variants = SLUGS.replace('''def test_slugify_strips_punctuation():
    assert slugify("Hi, there!") == "hi-there"''', '''def test_slugify_strips_punctuation_ascii():
    assert slugify("Hi, there!", ascii=True) == "hi_there"


def test_slugify_strips_punctuation_unicode():
    assert slugify("¡Hola, señor!", ascii=False) == "hola-señor"''')
    assert of(check_worktree(repo, {"tests/test_slug.py": variants}, request="Unicode slugs"), "DR208") == []
    shorter = SLUGS.replace('''def test_slugify_collapses_dashes():
    assert slugify("a -- b") == "a-b"''', '''def test_slugify_dashes():
    assert slugify("a -- b", sep="_") == "a_b"''')
    assert of(check_worktree(repo, {"tests/test_slug.py": shorter}, request="Custom separators"), "DR208") == []
    opposite = SLUGS.replace('''def test_slugify_strips_punctuation():
    assert slugify("Hi, there!") == "hi-there"''', '''def test_slugify_keeps_punctuation():
    assert slugify("Hi, there!", strict=False) == "hi,-there!"''')
    (f,) = of(check_worktree(repo, {"tests/test_slug.py": opposite}, request="Lenient slugs"), "DR208")
    assert "strips_punctuation" in f.message


def test_assertions_a_revert_takes_out_are_information(repo):
    repo.commit("base", BASE)
    fewer = SLUGS.replace('    assert slugify("a -- b") == "a-b"\n', "    slugify(\"a -- b\")\n")
    (f,) = of(check_worktree(repo, {"tests/test_slug.py": fewer}, request='Revert "Stricter dash test"'), "DR209")
    assert f.severity == "info" and "revert" in f.message
    (f,) = of(check_worktree(repo, {"tests/test_slug.py": fewer}, request="Faster slugs"), "DR209")
    assert f.severity == "warning"
