"""XY112: examples that contradict the description, the signature, the name or each other (never executed)."""

from xyguard.analyzers.request import analyze_request


def xy112(text):
    return [f for f in analyze_request(text).findings if f.code == "XY112"]


def stub(name, sig, ret, doc, examples):
    lines = "\n".join(f"    >>> {call}\n    {out}" for call, out in examples)
    return f'def {name}({sig}) -> {ret}:\n    """{doc}\n{lines}\n    """\n'


def test_consistent_examples_pass():
    text = stub("total_size", "sizes: list[int]", "int", "Return the sum of the values in the list.",
                [("total_size([])", "0"), ("total_size([1, 2, 3, 4])", "10")])
    assert xy112(text) == []


def test_output_contradicting_a_well_known_operation():
    text = stub("total_size", "sizes: list[int]", "int", "Return the sum of the values in the list.",
                [("total_size([2, 5])", "10")])
    found = xy112(text)
    assert found and "7" in found[0].message and "total_size([2, 5])" in found[0].evidence


def test_output_of_the_wrong_type():
    text = stub("keep_integers", "values: list", "List[int]", "Keep only the integers.",
                [("keep_integers(['a', 3])", "['a']")])
    assert "return type" in xy112(text)[0].message


def test_examples_contradicting_each_other():
    text = stub("is_even", "n: int", "bool", "Return True when n is even.",
                [("is_even(4)", "True"), ("is_even(4)", "False")])
    assert "different results" in xy112(text)[0].message


def test_result_not_sorted_as_described():
    text = stub("sorted_values", "xs: list[int]", "list[int]", "Return the values in ascending order.",
                [("sorted_values([3, 1, 2])", "[3, 2, 1]")])
    assert "sorted ascending" in xy112(text)[0].message


def test_examples_calling_another_function_are_a_note_not_a_question():
    text = stub("tally", "xs: list[int]", "int", "Count the items.", [("count_items([1, 2])", "2")])
    (f,) = xy112(text)
    assert "count_items" in f.message and f.severity == "info"
    assert not analyze_request(text).clarify_needed


def test_builtins_called_in_an_example_are_not_another_function():
    # regression: dir(__builtins__) listed a dict's methods, so round() read as a stranger
    text = stub("mean", "xs: list[float]", "float", "Return the arithmetic mean of the values.",
                [("round(mean([1.0, 2.0, 2.0]), 2)", "1.67")])
    assert xy112(text) == []


def test_arrow_style_examples_are_checked_too():
    text = ('def is_leap(year):\n    """Return True if the given number is even, and False otherwise.\n'
            '    is_leap(4) => true\n    is_leap(7) => true\n    """\n')
    found = xy112(text)
    assert found and "is_leap(7)" in found[0].evidence


# networkx's has_bridges docstring: the session rebinds G between two calls written the same way
_REBOUND_SESSION = '''def has_bridges(G, root=None):
    """Decide whether a graph has any bridges.

    Examples
    --------
    The barbell graph with parameter zero has a single bridge::

        >>> G = nx.barbell_graph(10, 0)
        >>> nx.has_bridges(G)
        True

    On the other hand, the cycle graph has no bridges::

        >>> G = nx.cycle_graph(5)
        >>> nx.has_bridges(G)
        False
    """
'''


def test_a_call_on_an_object_the_session_rebinds_may_answer_differently():
    assert xy112(_REBOUND_SESSION) == []
    assert not analyze_request(_REBOUND_SESSION).clarify_needed


def test_a_plain_call_with_literal_arguments_still_contradicts_itself_in_a_session():
    text = _REBOUND_SESSION.replace("        False\n", "        False\n        >>> is_prime(7)\n        True\n"
                                    "        >>> is_prime(7)\n        False\n")
    assert "different results" in xy112(text)[0].message
