"""The request model: the kind of request, the information that kind needs, and one question for the gap."""

import pytest

from xyguard.analyzers.request import analyze_request
from xyguard.analyzers.request.kinds import classify
from xyguard.analyzers.text.spans import mask_quoted_code


@pytest.mark.parametrize("text, kind", [
    ("The uploader raises UnicodeDecodeError on files with a BOM.", "bug"),
    ("How do I read a gzip file line by line?", "question"),
    ("Make the thumbnail generation faster.", "performance"),
    ("Refactor the option parsing into a helper.", "refactor"),
    ("Pin pytest below 9 in the CI workflow.", "operations"),
    ("Add a --dry-run flag to the sync command.", "change"),
    ("Add a regression test for the error on empty input.", "change"),
])
def test_the_kind_of_request(text, kind):
    assert classify(mask_quoted_code(text), None) == kind


def info(text, **kw):
    report = analyze_request(text, **kw)
    return report, report.information


def test_the_report_says_what_is_present_and_what_is_missing():
    report, block = info("The uploader is broken.")
    assert block["kind"] == "bug"
    assert "reproduction" in block["missing"] and report.clarify_needed
    assert report.to_dict()["information"] == block


@pytest.mark.parametrize("text", [
    "Make the app faster.",
    "Add caching.",
    "Clean up the code.",
    "Improve the code.",
    "Speed it up please.",
])
def test_vague_goals_without_a_measure_ask_for_target_and_measure(text):
    report, block = info(text)
    assert report.clarify_needed, text
    assert "XY110" in report.clarify_codes
    assert "target" in block["missing"] or "measure" in block["missing"] or block["kind"] == "change"
    # the question quotes what it is about, so it reads on its own in an agent's context
    assert text.split()[0].lower() in report.question.lower()


@pytest.mark.parametrize("text", [
    "Make `render_table` faster: it takes 4 s for 10,000 rows, aim for under 1 s.",
    "Cache the parsed config in `load_settings` so repeated calls skip the disk.",
    "Refactor the retry loop in `fetch_page` into a decorator, keeping behaviour identical.",
    "Improve the error message of `parse_date` so that it names the format it expected.",
])
def test_goals_with_a_target_and_a_measure_or_criterion_need_no_question(text):
    report, _ = info(text)
    assert not report.clarify_needed, text


def test_a_bug_that_names_the_code_and_shows_the_error_needs_no_question():
    text = ("`parse_date('2024-02-30')` returns None instead of raising ValueError.")
    report, block = info(text)
    assert not report.clarify_needed and block["kind"] == "bug"
    assert "observed behaviour" in block["present"]


def test_a_bug_that_only_says_something_is_wrong_asks_what_happens_and_where():
    report, block = info("Something is wrong with the numbers again.")
    assert report.clarify_needed and "XY110" in report.clarify_codes
    assert "observed behaviour" in block["missing"] and "reproduction" in block["missing"]


def test_a_how_to_question_about_an_unshown_error_asks_for_the_error():
    report, block = info("How do I fix this error?")
    assert report.clarify_needed and "observed behaviour" in block["missing"]
    report, block = info("How do I fix this error? `ImportError: cannot import name 'x' from 'y'`")
    assert not report.clarify_needed


def test_a_function_stub_reports_its_contract():
    stub = 'def backoff(attempt: int) -> float:\n    """Return the delay before the next retry, doubling from 0.5 s."""\n'
    report, block = info(stub)
    assert block["kind"] == "function" and "contract" in block["present"] and not report.clarify_needed
    bare = 'def backoff(attempt: int) -> float:\n    """Retries."""\n'
    report, block = info(bare)
    assert "contract" in block["missing"] and report.clarify_needed


def test_a_missing_target_is_recovered_from_the_session(tmp_path):
    from xyguard.analyzers.pipeline import Workspace, analyse_request
    from xyguard.analyzers.session import GoalState

    ws = Workspace(root=None)
    alone = analyse_request("Make it faster.", ws, record=False)
    assert alone.clarify_needed
    state = GoalState()
    state.apply_turn("Speed up the CSV import in importer.py.")
    assert state.active("objectives")
    followed = analyse_request("Make it faster.", ws, record=False, goal_state=state)
    assert not [f for f in followed.findings if f.code == "XY110" and f.severity == "warning"]
    assert "target (from the session's goals)" in followed.information["present"]


def test_a_report_that_cites_its_issue_has_the_details_there():
    cited = analyze_request("Fix the regression in `render_page` on Windows, see #482.")
    assert not cited.clarify_needed
    assert any(p.startswith("observed behaviour (in #482") for p in cited.information["present"])
    uncited = analyze_request("Fix the regression in the page rendering.")
    assert uncited.clarify_needed


def test_a_problem_told_only_in_general_words_asks_to_be_shown():
    report = analyze_request("There is an issue with the way the exporter handles nested sections, which leads to "
                             "unexpected results in some of the generated files.")
    assert report.clarify_needed and "show it" in report.question
    shown = analyze_request("The exporter drops nested sections: `export({'a': {'b': 1}})` writes `a: {}`.")
    assert not shown.clarify_needed


def test_words_that_name_the_repositorys_code_make_a_report_concrete(repo):
    from xyguard.analyzers.context import get_context

    repo.commit("exporter", {"pkg/exporter.py": "def export_sections(doc):\n    return doc\n"})
    text = "The exporter is broken: it drops nested sections when a section is empty."
    alone = analyze_request(text)
    assert alone.information["kind"] == "bug" and alone.clarify_needed
    assert not analyze_request(text, context=get_context(repo.root)).clarify_needed


def test_a_catalogue_pattern_inside_quoted_code_is_not_the_request():
    text = ("The calculator crashes on empty input.\n\n```python\nresult = eval(expression)\n```\n\n"
            "It should return 0.")
    assert not [f for f in analyze_request(text).findings if f.code == "XY101"]
    assert [f for f in analyze_request("Just call eval(expression) on the user's formula.").findings
            if f.code == "XY101"]


def test_a_setup_sentence_needs_an_asking_verb_to_be_a_contract():
    # "groups" is a noun in a sentence that describes the input
    bare = 'def depths(text: str) -> list[int]:\n    """The input is a string holding groups of brackets.\n    """\n'
    assert analyze_request(bare).information["missing"] == ["contract"]
    asked = ('def depths(text: str) -> list[int]:\n    """The input is a string holding groups of brackets; return '
             'the deepest nesting of each group."""\n')
    assert analyze_request(asked).information["missing"] == []


def test_a_noun_phrase_docstring_names_what_a_property_gives():
    named = analyze_request('def cache_dir(self):\n    """The folder where downloaded wheels are kept."""\n')
    assert "contract" in named.information["present"] and not named.clarify_needed
    scene = analyze_request('def cache_dir(self):\n    """There are many folders."""\n')
    assert "contract" in scene.information["missing"]


@pytest.mark.parametrize("text, is_bug", [
    ("Invoke the callbacks during completion but catch errors.", False),
    ("Remove the mapping to the old docs host.\n\nOne link is not worth a broken CI.", False),
    ("Remove the retry loop: it crashes on the second attempt.", True),
    ("The importer crashes on empty files.", True),
    ("Check the socket state first to avoid spurious timeout errors.", False),
    ("Allow for exceptions from seek() on pipes.", False),
    ("Tolerate decode errors in the log reader.", False),
    ("Seeking a pipe raises an exception we never catch.", True),
])
def test_error_handling_and_reasons_are_not_failure_reports(text, is_bug):
    assert (classify(mask_quoted_code(text), None) == "bug") is is_bug


def test_the_missing_list_names_the_piece_the_question_asks_for():
    report = analyze_request("Make the API more readable.")
    assert report.clarify_needed
    piece = next(f for f in report.findings if f.code == "XY110").related[0]["piece"]
    assert piece in report.information["missing"]


@pytest.mark.parametrize("text", [
    "refactor(loader): Move the plugin registry into its own module",
    "fix: Use the configured encoding when writing the lock file",
    "Drop the Python 3.8 shims\n\nChange-Id: I4c1d2e8a9f0b3c5d7e9f1a2b4c6d8e0f2a4b6c8d\nSigned-off-by: A Dev <dev@example.org>",
])
def test_commit_message_markup_is_not_read_as_the_request(text):
    """A type prefix is not a vague verb and a trailer's hash is not a cut-off word."""
    report = analyze_request(text)
    assert not report.clarify_needed, [(f.code, f.message) for f in report.findings]


def test_a_vague_ask_after_a_type_prefix_is_still_asked_about():
    assert analyze_request("refactor: clean up").clarify_needed


@pytest.mark.parametrize("text", ["Improve the API docs for the session object.", "Clean up the error messages of the CLI.",
                                  "Polish the tutorial's wording."])
def test_a_vague_verb_on_text_for_people_needs_no_measure(text):
    assert not analyze_request(text).clarify_needed


def test_a_report_that_says_why_it_fails_has_its_observed_behaviour():
    report = analyze_request("Fixed a bug where loading a plugin would fail due to a stale entry in `plugin_registry`.")
    assert not report.clarify_needed and "observed behaviour" in report.information["present"]
