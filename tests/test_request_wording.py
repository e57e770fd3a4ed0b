"""A literal dash is not a cut, placeholder names only corroborate, and hedges in grounded issue reports are hints."""

from xyguard.analyzers.request import analyze_request
from finding_codes import request_codes


def spec(doc, examples=(("f([1, 2])", "3"),), name="f"):
    lines = "\n".join(f"    >>> {call.replace('f(', name + '(', 1)}\n    {out}" for call, out in examples)
    return f'def {name}(xs):\n    """{doc}\n{lines}\n    """\n'


def test_a_literal_dash_is_not_a_cut_but_a_split_word_is():
    assert "XY116" not in request_codes('def fix(s):\n    """Replace all runs of spaces with -\n    """\n')
    assert "XY116" in request_codes('def fix(s):\n    """Replace all runs of spaces with a dash and then low-\n    """\n')


def test_placeholder_name_alone_never_asks():
    report = analyze_request(spec("Return the sum of the numbers in the list.", name="foo"))
    assert [f.severity for f in report.findings if f.code == "XY114"] == ["info"]
    assert not report.clarify_needed


def test_hedges_in_a_report_that_names_its_code_are_hints():
    grounded = ("`Table.group_by` drops the units of a column in certain cases when sort=False is passed; "
                "the grouped column comes back as plain floats.")
    vague = ("Grouping a table drops the units of a column under a certain condition; the grouped column comes back "
             "as plain floats.")
    g, v = analyze_request(grounded), analyze_request(vague)
    assert not g.clarify_needed
    assert [f.severity for f in v.findings if f.code == "XY111"] == ["warning"] and v.clarify_needed


def test_a_hedge_about_when_something_happens_is_not_an_open_choice():
    report = analyze_request(spec("Normalise the path. The root may be None in certain situations, such as when "
                                  "the command runs outside a project."))
    assert not [f for f in report.findings if f.code == "XY111"]


def test_a_vague_referent_stays_blocking_unless_one_of_its_kind_is_named():
    named = analyze_request("In `pkg.tools.parse()` a specific function returns None for empty input; it should "
                            "return an empty list.")
    unnamed = analyze_request("In `pkg.tools` a specific version returns None for empty input; it should return an "
                              "empty list.")
    assert [f.severity for f in named.findings if f.code == "XY113"] == ["info"]
    assert [f.severity for f in unnamed.findings if f.code == "XY113"] == ["warning"] and unnamed.clarify_needed


def test_a_condition_that_always_holds_is_an_unmade_choice():
    for text in ("Return True if the year is odd or even, and False otherwise.",
                 "Keep the rows if the count is positive or negative."):
        (f,) = [f for f in analyze_request(text).findings if f.code == "XY111"]
        assert f.severity == "warning", text
    # A condition that excludes cases is a real condition, not a choice.
    settled = analyze_request("Return True if the timestamps are strictly increasing or decreasing.")
    assert all(f.severity == "info" for f in settled.findings if f.code == "XY111")


def test_with_or_without_asks_for_both_not_for_a_choice():
    report = analyze_request("Make the command work with or without a config file.")
    assert not [f for f in report.findings if f.code == "XY111" and f.severity == "warning"]


def test_alternatives_that_pick_the_result_are_a_choice_but_a_condition_on_extremes_is_not():
    for text in ("Pick the two dates that are the closest or farthest apart.",
                 "Add a helper which returns the lowest or highest port number in use."):
        report = analyze_request(text)
        assert [f.severity for f in report.findings if f.code == "XY111"] == ["warning"], text
        assert report.clarify_needed, text
    condition = analyze_request("Return True if the first or last line of the file is blank.")
    assert all(f.severity == "info" for f in condition.findings if f.code == "XY111")
    assert not condition.clarify_needed


def test_a_certain_number_of_things_is_a_quantity_not_a_choice():
    assert not [f for f in analyze_request(spec("Add a certain number of spaces after each comma, then return the "
                                                 "line.")).findings if f.code == "XY111"]
    assert [f for f in analyze_request(spec("Pad each line to a certain width.")).findings if f.code == "XY111"] or \
        [f for f in analyze_request(spec("Pad each line with a certain character.")).findings if f.code == "XY111"]
