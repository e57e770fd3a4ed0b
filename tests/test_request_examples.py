"""XY112: examples that contradict the description, the signature, the name or each other (never executed)."""

from xyguard.analyzers.request import analyze_request


def xy112(text):
    return [f for f in analyze_request(text).findings if f.code == "XY112"]


def stub(name, sig, ret, doc, examples):
    lines = "\n".join(f"    >>> {call}\n    {out}" for call, out in examples)
    return f'def {name}({sig}) -> {ret}:\n    """{doc}\n{lines}\n    """\n'


def test_consistent_examples_pass():
    text = stub("sum_product", "numbers: list[int]", "tuple[int, int]",
                "Return a tuple of the sum and product of all the integers in a list.",
                [("sum_product([])", "(0, 1)"), ("sum_product([1, 2, 3, 4])", "(10, 24)")])
    assert xy112(text) == []


def test_output_contradicting_a_well_known_operation():
    text = stub("sum_product", "numbers: list[int]", "tuple[int, int]",
                "Return a tuple of the sum and product of all the integers in a list.",
                [("sum_product([])", "(1, 0)")])
    found = xy112(text)
    assert found and "(0, 1)" in found[0].message and "sum_product([])" in found[0].evidence


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


def test_examples_calling_another_function():
    text = stub("tally", "xs: list[int]", "int", "Count the items.", [("count_items([1, 2])", "2")])
    assert "count_items" in xy112(text)[0].message


def test_arrow_style_examples_are_checked_too():
    text = ('def is_prime(n):\n    """Return true if a given number is prime, and false otherwise.\n'
            '    is_prime(7) => true\n    is_prime(8) => true\n    """\n')
    found = xy112(text)
    assert found and "is_prime(8)" in found[0].evidence
