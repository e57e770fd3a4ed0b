"""The generic operation library: recognised from ordinary words in the description, never from the function's name."""

import pytest

from xyguard.analyzers.request import analyze_request


def stub(name, doc, call, out):
    return f'def {name}(values):\n    """{doc}\n    >>> {name}({call})\n    {out}\n    """\n'


def xy112(text):
    return [f for f in analyze_request(text).findings if f.code == "XY112"]


@pytest.mark.parametrize("doc, call, wrong, right", [
    ("Return the sum of the numbers in the list.", "[1, 2, 3]", "7", "6"),
    ("Return the maximum element in the list.", "[4, 9, 2]", "4", "9"),
    ("Return the length of the given string.", "'abcd'", "5", "4"),
    ("Reverse the given string.", "'abc'", "'abc'", "'cba'"),
    ("Return True if the given number is prime, and False otherwise.", "9", "True", "False"),
    ("Return the factorial of n.", "5", "100", "120"),
    ("Given a positive integer N, return the total sum of its digits.", "1000", "0", "1"),
    ("Out of the list of strings, return the longest one.", "['a', 'bb', 'ccc']", "'a'", "'ccc'"),
    ("Return the derivative of this polynomial in the same form.", "[3, 1, 2]", "[2, 1]", "[1, 4]"),
    ("Return True if this integer is a cube of some integer number.", "-8", "False", "True"),
    ("Return True if the string length is a prime number or False otherwise.", "'hello'", "False", "True"),
    ("Return True if the given number is a power of two.", "12", "True", "False"),
    ("Return the n-th Fibonacci number.", "10", "50", "55"),
    ("Check whether the given string is a palindrome.", "'abca'", "True", "False"),
    ("Swap the case of every letter.", "'aB'", "'ab'", "'Ab'"),
    ("Convert the number to its Roman numeral in lowercase.", "19", "'xxi'", "'xix'"),
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
    text = stub("f", "The list is guaranteed to have unique elements. Return True if it can be rotated into order.",
                "[3, 1, 2]", "True")
    assert not xy112(text)


def test_a_pair_of_operations_in_the_order_named():
    doc = "Return a tuple of the sum and the product of the numbers."
    assert xy112(stub("f", doc, "[2, 3]", "(6, 5)"))
    assert not xy112(stub("f", doc, "[2, 3]", "(5, 6)"))


def test_a_description_that_only_repeats_the_name_says_nothing():
    restated = [f for f in analyze_request(stub("common", "Return common.", "[1, 2]", "[1]")).findings if f.code == "XY117"]
    assert restated and "only repeats the name 'common'" in restated[0].message
    described = analyze_request(stub("common", "Return the sorted elements common to both lists.", "[1, 2]", "[1]"))
    assert not [f for f in described.findings if f.code == "XY117"]


def test_a_property_of_a_qualified_subject_is_not_checked_as_the_plain_one():
    text = stub("f", "Return True if the number is prime and its digits are all distinct.", "13", "False")
    assert not xy112(text)


def test_ties_for_the_longest_are_all_acceptable():
    assert not xy112(stub("f", "Return the longest string.", "['ab', 'cd', 'e']", "'cd'"))
