"""A literal dash is not a cut, placeholder names only corroborate, and hedges in grounded issue reports are hints."""

from xyguard.analyzers.request import analyze_request


def spec(doc, examples=(("f([1, 2])", "3"),), name="f"):
    lines = "\n".join(f"    >>> {call.replace('f(', name + '(', 1)}\n    {out}" for call, out in examples)
    return f'def {name}(xs):\n    """{doc}\n{lines}\n    """\n'


def codes(text):
    return {f.code for f in analyze_request(text).findings}


def test_a_literal_dash_is_not_a_cut_but_a_split_word_is():
    assert "XY116" not in codes('def fix(s):\n    """Replace all runs of spaces with -\n    """\n')
    assert "XY116" in codes('def fix(s):\n    """Replace all runs of spaces with a dash and then low-\n    """\n')


def test_placeholder_name_alone_never_asks():
    report = analyze_request(spec("Return the sum of the numbers in the list.", name="candidate"))
    assert [f.severity for f in report.findings if f.code == "XY114"] == ["info"]
    assert not report.clarify_needed


def test_placeholder_name_adds_to_other_evidence():
    doc = "Return the numbers sorted in a certain order."
    named, placeholder = analyze_request(spec(doc, name="order_numbers")), analyze_request(spec(doc, name="candidate"))
    assert "XY114" in placeholder.clarify_codes and "XY114" not in named.clarify_codes


def test_hedges_in_a_report_that_names_its_code_are_hints():
    grounded = ("The `DataArray.quantile` method drops attributes in certain cases when keep_attrs=True is passed; "
                "the result has an empty attrs dict.")
    vague = ("The quantile method drops attributes in certain cases when the flag is passed; the result has an "
             "empty attribute dictionary.")
    g, v = analyze_request(grounded), analyze_request(vague)
    assert [f.severity for f in g.findings if f.code == "XY111"] == ["info"] and not g.clarify_needed
    assert [f.severity for f in v.findings if f.code == "XY111"] == ["warning"] and v.clarify_needed


def test_a_vague_referent_stays_blocking_unless_one_of_its_kind_is_named():
    named = analyze_request("In `pkg.tools.parse()` a specific function returns None for empty input; it should "
                            "return an empty list.")
    unnamed = analyze_request("In `pkg.tools` a specific version returns None for empty input; it should return an "
                              "empty list.")
    assert [f.severity for f in named.findings if f.code == "XY113"] == ["info"]
    assert [f.severity for f in unnamed.findings if f.code == "XY113"] == ["warning"] and unnamed.clarify_needed


def test_a_condition_that_always_holds_is_an_unmade_choice():
    from xyguard.analyzers.request import analyze_request

    for text in ("Return true if a given number is composite or prime, and false otherwise.",
                 "Return the string with or without its vowels.",
                 "Sort the list in ascending order if the sum of the ends is odd or even."):
        (f,) = [f for f in analyze_request(text).findings if f.code == "XY111"]
        assert f.severity == "warning", text
    # A condition that excludes cases is a real condition, not a choice.
    settled = analyze_request("Return True if the list elements are monotonically increasing or decreasing.")
    assert all(f.severity == "info" for f in settled.findings if f.code == "XY111")


def test_alternatives_that_pick_the_result_are_a_choice_but_a_condition_on_extremes_is_not():
    for text in ("Select and return two numbers that are the closest or farthest to each other.",
                 "Write a function which returns the smallest or largest index of an element.",
                 "Join the words with spaces or without spaces.",
                 "Return the length or length of the longest palindrome substring of the string."):
        report = analyze_request(text)
        assert [f.severity for f in report.findings if f.code == "XY111"] == ["warning"], text
        assert report.clarify_needed, text
    condition = analyze_request("Return True if the first or last character of the string is a vowel.")
    assert all(f.severity == "info" for f in condition.findings if f.code == "XY111")
    assert not condition.clarify_needed
