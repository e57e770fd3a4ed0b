"""Each underspecification detector on a request that has the problem, and its fixed twin that does not."""

import pytest

from xyguard.analyzers.request import analyze_request
from finding_codes import request_codes


SPEC = '''def {name}(numbers: list[int]) -> list[int]:
    """{doc}
    >>> {name}([3, 1, 2])
    {out}
    """
'''


def test_vague_alternatives_are_reported_with_their_words():
    text = SPEC.format(name="order_numbers", doc="Return the numbers sorted descendingly or ascendingly.", out="[1, 2, 3]")
    report = analyze_request(text)
    vague = [f for f in report.findings if f.code == "XY111"]
    assert vague and "descendingly or ascendingly" in vague[0].evidence
    assert report.clarify_needed


def test_a_certain_condition_is_vague_but_a_condition_that_accepts_both_is_not():
    assert "XY111" in request_codes("Return the elements of the list that meet a certain condition.")
    settled = SPEC.format(name="monotonic_runs", doc="Return the runs whose values are rising or falling.", out="[3, 1, 2]")
    assert not [f for f in analyze_request(settled).findings if f.code == "XY111" and f.severity == "warning"]


def test_open_example_list_is_vague():
    assert "XY111" in request_codes("Convert the number to a certain base (e.g. binary or hexadecimal or another base).")


def test_truncated_docstring():
    text = 'def parse(text: str) -> list[str]:\n    """Split the text into groups. Your goal is to\n    """\n'
    report = analyze_request(text)
    assert "XY116" in {f.code for f in report.findings}
    assert report.clarify_needed


def test_truncated_plain_request():
    assert "XY116" in request_codes("Read the settings file and return the")
    assert "XY116" not in request_codes("Read the settings file and return the parsed options.")


def test_a_clause_cut_inside_the_prose_is_truncation_even_with_examples():
    cut = SPEC.format(name="keep_even", doc="Return True if the port is. Otherwise return False.", out="True")
    report = analyze_request(cut)
    (f,) = [f for f in report.findings if f.code == "XY116"]
    assert f.evidence == "is." and "the port is." in f.message and report.clarify_needed
    assert "XY116" in request_codes("Read the log lines, drop the ones that.. and return the count.")
    assert "XY116" in request_codes("Read the log lines and keep only the lines that match. Return them.")
    assert "XY116" in request_codes("Return the numbers below n which are divisible. Ignore zero.")
    # ordinary endings: a copula after "as it", a stranded preposition, an abbreviation
    assert "XY116" not in request_codes("Leave the config as it is. Rename the parser module to parsing.")
    assert "XY116" not in request_codes("Compare the value with the one it refers to. Return the larger.")
    assert "XY116" not in request_codes(SPEC.format(name="keep_even", doc="Return the even numbers, e.g. 2 and 4.", out="[2]"))


def test_whole_expressions_ending_in_a_short_word_are_not_cut_sentences():
    # regression: "as-is." and "a.k.a." were read as sentences stopping at "is" and "a"
    assert "XY116" not in request_codes("Copy the file as-is. Then update the index.")
    assert "XY116" not in request_codes("Rename the helper to quote_arg, a.k.a. the shell quoting function.")
    assert "XY116" in request_codes("Copy the file as it. Then update the index and the.")


def test_spec_without_examples_or_output():
    text = 'def summarise(values: list) -> int:\n    """Look at the values."""\n'
    assert "XY117" in request_codes(text)


def test_placeholder_function_name():
    text = SPEC.format(name="foo", doc="Return the numbers in ascending order.", out="[1, 2, 3]")
    report = analyze_request(text)
    assert "XY114" in {f.code for f in report.findings} and not report.clarify_needed
    named = SPEC.format(name="sort_ascending", doc="Return the numbers in ascending order.", out="[1, 2, 3]")
    assert analyze_request(named).findings == []


def test_undefined_quantity_in_a_spec():
    text = SPEC.format(name="drop_frequent", doc="Drop every value seen N times or more.", out="[3, 1, 2]")
    assert "XY113" in request_codes(text)
    defined = SPEC.format(name="drop_frequent", doc="Given an integer N, drop every value seen N times or more.",
                          out="[3, 1, 2]")
    assert "XY113" not in request_codes(defined)


def test_vague_referent_in_an_issue():
    assert "XY113" in request_codes("Since the upgrade a specific function returns the wrong value. "
                            "It should return the parsed date.")
    assert "XY113" not in request_codes("Since the upgrade `parse_date` returns the wrong value. It should return the date.")


def test_contradictory_constraints():
    text = "Keep the function signature unchanged and add a required timeout parameter to fetch()."
    report = analyze_request(text)
    hit = [f for f in report.findings if f.code == "XY115"]
    assert hit and "signature" in hit[0].evidence.lower()
    assert "XY115" not in request_codes("Keep the function signature unchanged and add a timeout to the retry loop inside "
                                "fetch().")


def test_vague_one_verb_request_needs_criteria():
    report = analyze_request("Improve the parser.")
    assert "XY110" in {f.code for f in report.findings} and report.clarify_needed
    assert "XY110" not in request_codes("Improve the parser so that it accepts trailing commas in arrays.")


def test_a_bug_report_without_place_or_reproduction_asks_where():
    report = analyze_request("The export is broken again, it gives wrong results.")
    assert report.clarify_needed and "XY110" in report.clarify_codes
    assert "reproduction" in report.information["missing"]


def test_a_crash_report_with_a_reproduction_needs_no_question():
    text = ("The CSV export crashes with a KeyError when a column header contains a dot, for example "
            "'price.usd'; the traceback points at the header normalisation step.")
    report = analyze_request(text)
    assert not report.clarify_needed
    assert report.information["kind"] == "bug" and report.information["missing"] == []


def test_stated_hypothesis_reports_the_symptom_as_the_goal():
    report = analyze_request("The upload test fails randomly on CI. I suspect a missing lock in the cache.")
    hyp = [f for f in report.findings if f.code == "XY102"]
    assert hyp and "fails randomly" in hyp[0].goal


@pytest.mark.parametrize("text", ["", "   ", "\0\0"])
def test_empty_text_gives_an_empty_report(text):
    report = analyze_request(text)
    assert report.findings == [] and not report.clarify_needed


def test_one_megabyte_of_text_is_handled():
    text = ("Return the sum of the list. " * 40000)[:1_000_000]
    report = analyze_request(text)
    assert report.to_dict()["complexity"] in ("simple", "moderate", "complex")


def test_ranges_point_at_the_evidence_in_utf16():
    text = "🙂 Return the entries that meet a certain condition."
    f = next(f for f in analyze_request(text).findings if f.code == "XY111")
    # the emoji is two UTF-16 code units, so the span starts two columns further than the Python offset
    assert f.range.start.character == text.index("a certain") + 1


def test_concretized_request_states_constraints_and_question():
    report = analyze_request("Don't add new dependencies. How do I get the last three characters of a filename?")
    out = report.to_dict()
    assert "Don't add new dependencies." in out["concretized"]
    assert "Ask first:" in out["concretized"]
    assert out["intent"]["background"] and out["intent"]["final_goals"] == ["the file extension"]


def test_ones_with_nothing_saying_which_is_a_cut():
    assert "XY116" in request_codes("Keep the files in the folder only for ones.")
    assert "XY116" not in request_codes("Keep the files in the folder, only the newest ones.")


def test_a_capital_letter_label_or_a_hash_is_not_a_cut_off_word():
    assert "XY116" not in request_codes("Stop following redirects that lead from A to B and back to A. Cap them at ten.")
    assert "XY116" not in request_codes("Bump the schema version.\nRef: 9c2d1e0f7a6b5c4d3e2f1a0b9c8d7e6f5a4b3c2a")
    assert "XY116" in request_codes("Stop following redirects that lead back to a.")  # the article, cut
