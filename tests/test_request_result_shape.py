"""XY112 from what the description says about the result's shape, whatever the function computes."""

from xyguard.analyzers.request import analyze_request


def stub(name, params, doc, examples):
    lines = "\n".join(f"    >>> {call}\n    {out}" for call, out in examples)
    return f'def {name}({params}):\n    """{doc}\n{lines}\n    """\n'


def xy112(text):
    return [f for f in analyze_request(text).findings if f.code == "XY112"]


def test_output_outside_the_values_the_description_allows():
    doc = "Return 'Yes' if the name follows the house style, and return 'No' otherwise."
    assert xy112(stub("style", "name", doc, [("style('ab')", "'Maybe'")]))
    assert not xy112(stub("style", "name", doc, [("style('ab')", "'No'")]))


def test_an_expression_after_return_is_not_a_literal():
    doc = "Return 2^n modulo p."
    assert not xy112(stub("power_mod", "n, p", doc, [("power_mod(3, 5)", "3")]))


def test_is_name_answers_yes_or_no():
    doc = "Look at the text and decide on the house rule."
    assert xy112(stub("is_tidy", "text", doc, [("is_tidy('a')", "3")]))
    assert not xy112(stub("is_tidy", "text", doc, [("is_tidy('a')", "False")]))
    # 'can_' is not a yes/no prefix in practice (can_arrange returns an index)
    assert not xy112(stub("can_split", "text", doc, [("can_split('a')", "3")]))


def test_a_pick_comes_from_the_input():
    doc = "Return the largest element that appears twice, or -1."
    assert xy112(stub("pick", "xs", doc, [("pick([1, 2, 2])", "5")]))
    assert not xy112(stub("pick", "xs", doc, [("pick([1, 2, 2])", "2"), ("pick([1])", "-1")]))


def test_list_of_length_k():
    doc = "Return a list of length k holding the top scores."
    assert xy112(stub("top", "xs, k", doc, [("top([3, 1, 2], 2)", "[3]")]))
    assert not xy112(stub("top", "xs, k", doc, [("top([3, 1, 2], 2)", "[3, 2]")]))


def test_sorting_keeps_the_elements():
    doc = "Sort the given list by the number of ones in their binary form."
    assert xy112(stub("by_ones", "xs", doc, [("by_ones([3, 1, 2])", "[1, 2]")]))
    assert not xy112(stub("by_ones", "xs", doc, [("by_ones([3, 1, 2])", "[1, 2, 3]")]))


def test_a_text_result_promised_without_a_character_class_has_none_of_it():
    from xyguard.analyzers.request import analyze_request

    base = ('def strip_vowels(text):\n    """Return the string without vowels.\n    >>> strip_vowels("abcdef")\n    {out}\n    """\n')
    (f,) = [f for f in analyze_request(base.format(out="'ae'")).findings if f.code == "XY112"]
    assert "no vowels" in f.message and "'a'" in f.message
    assert not [f for f in analyze_request(base.format(out="'bcdf'")).findings if f.code == "XY112"]
    digits = 'def keep(s):\n    """Return only the digits of s.\n    >>> keep("a1b2")\n    {out}\n    """\n'
    assert [f for f in analyze_request(digits.format(out="'1b2'")).findings if f.code == "XY112"]
    assert not [f for f in analyze_request(digits.format(out="'12'")).findings if f.code == "XY112"]


def test_a_text_filter_keeps_only_matching_items():
    doc = "Return the file names that end with the given suffix."
    text = ('def by_suffix(names: list[str], suffix: str) -> list[str]:\n    """' + doc + '\n'
            "    >>> by_suffix(['a.py', 'b.txt'], '.py')\n    {}\n    \"\"\"\n")
    from xyguard.analyzers.request import analyze_request

    wrong = [f for f in analyze_request(text.format("['b.txt']")).findings if f.code == "XY112"]
    assert wrong and "'b.txt'" in wrong[0].message
    assert not [f for f in analyze_request(text.format("['a.py']")).findings if f.code == "XY112"]


def test_a_count_of_the_inputs_items_is_between_zero_and_its_length():
    doc = "Return the number of vowels in the string."
    assert "at most 6" in xy112(stub("count_vowels", "text", doc, [("count_vowels('banana')", "9")]))[0].message
    assert xy112(stub("count_vowels", "text", doc, [("count_vowels('banana')", "-2")]))
    assert not xy112(stub("count_vowels", "text", doc, [("count_vowels('banana')", "3"), ("count_vowels('')", "0")]))


def test_a_count_of_something_else_is_not_bounded_by_the_input():
    # the digits of the numbers below n: the count has nothing to do with a list's length
    doc = "Return the number of digits in the list of numbers below n, and -1 for n below 1."
    assert not xy112(stub("digits_below", "n", doc, [("digits_below(20)", "29")]))
    doc = "Return the number of pairs of elements in the list that sum to zero."
    assert not xy112(stub("zero_pairs", "xs", doc, [("zero_pairs([1, -1, 1, -1])", "4")]))


def test_the_result_the_text_names_for_an_empty_input():
    doc = "Return the product of the numbers. If the sequence is empty, return 1."
    found = xy112(stub("product", "numbers", doc, [("product([2, 3])", "6"), ("product([])", "0")]))
    assert found and "empty sequence gives 1" in found[0].message
    assert not xy112(stub("product", "numbers", doc, [("product([2, 3])", "6"), ("product([])", "1")]))
    doc = "Return the first line of the text, or None when the text is empty."
    assert not xy112(stub("first_line", "text", doc, [("first_line('')", "None")]))
    assert xy112(stub("first_line", "text", "Return the first line. Return None if the text is empty.",
                      [("first_line('')", "''")]))
