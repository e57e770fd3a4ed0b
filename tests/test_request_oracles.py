"""The generic operation library: recognised from ordinary words in the description, never from the function's name."""

import pytest

from xyguard.analyzers.request import analyze_request


def stub(name, doc, call, out):
    return f'def {name}(values):\n    """{doc}\n    >>> {name}({call})\n    {out}\n    """\n'


def xy112(text):
    return [f for f in analyze_request(text).findings if f.code == "XY112"]


@pytest.mark.parametrize("doc, call, wrong, right", [
    ("Return the sum of the numbers in the list.", "[1, 2, 3]", "7", "6"),
    ("Return the product of the values.", "[2, 3, 4]", "9", "24"),
    ("Return the maximum element.", "[4, 9, 2]", "4", "9"),
    ("Return the smallest value.", "[4, 9, 2]", "4", "2"),
    ("Return the number of entries.", "[4, 9, 2]", "2", "3"),
    ("Return the length of the given string.", "'abcd'", "5", "4"),
    ("Reverse the given string.", "'abc'", "'abc'", "'cba'"),
    ("Sort the list in descending order.", "[1, 3, 2]", "[1, 2, 3]", "[3, 2, 1]"),
    ("Return the unique elements of the list.", "[3, 3, 1]", "[3, 3, 1]", "[1, 3]"),
    ("Return True if the given number is prime, and False otherwise.", "9", "True", "False"),
    ("Return True if the number is even.", "7", "True", "False"),
    ("Return True if the number is a perfect square.", "10", "True", "False"),
    ("Return the factorial of n.", "5", "100", "120"),
    ("Return the sum of the digits of n.", "1000", "0", "1"),
    ("Return the longest string in the list.", "['a', 'bb', 'ccc']", "'a'", "'ccc'"),
    ("Return True if the length of the word is a prime number.", "'hello'", "False", "True"),
    ("Return True if the given number is a power of two.", "12", "True", "False"),
    ("Check whether the given string is a palindrome.", "'abca'", "True", "False"),
    ("Convert the string to upper case.", "'ab'", "'ab'", "'AB'"),
    ("Return the absolute value of x.", "-3", "-3", "3"),
    ("Concatenate the strings.", "['a', 'b']", "'a b'", "'ab'"),
])
def test_named_operation_is_checked_against_the_example(doc, call, wrong, right):
    assert xy112(stub("f", doc, call, wrong)), doc
    assert not xy112(stub("f", doc, call, right)), doc


def test_the_function_name_alone_does_not_select_an_operation():
    # 'is_prime' as a name says nothing the description does not: no primality check without the words
    text = stub("is_prime", "Return True when the value passes the house rule described in the ticket.", "9", "True")
    assert not xy112(text)


def test_a_qualified_operation_is_not_checked_as_the_plain_one():
    text = stub("f", "Return the sum of the numbers at odd positions.", "[1, 2, 3]", "2")
    assert not xy112(text)


def test_a_property_of_the_input_is_not_the_operation():
    text = stub("f", "Assume the values are unique elements. Return True if they can be rotated into order.",
                "[3, 1, 2]", "True")
    assert not xy112(text)


def test_a_description_that_restates_the_name_is_still_a_contract():
    # real docstrings often repeat the name ("Return the default value."): that is the contract, not a gap
    report = analyze_request('def get_default(self):\n    """Return the default value."""\n')
    assert not [f for f in report.findings if f.code in ("XY117", "XY110")] and not report.clarify_needed


def test_a_property_of_a_qualified_subject_is_not_checked_as_the_plain_one():
    text = stub("f", "Return True if the number is prime and its digits are all distinct.", "13", "False")
    assert not xy112(text)


def test_ties_for_the_longest_are_all_acceptable():
    assert not xy112(stub("f", "Return the longest string.", "['ab', 'cd', 'e']", "'cd'"))
