"""A spec that never says what the function does: the examples are all there is (XY117)."""

from xyguard.analyzers.request import analyze_request


def report(name, params, doc, examples):
    lines = "\n".join(f"    >>> {call}\n    {out}" for call, out in examples)
    return analyze_request(f'def {name}({params}):\n    """{doc}\n{lines}\n    """\n')


def codes(r):
    return {f.code for f in r.findings}


def test_examples_alone_are_not_a_specification():
    r = report("solve", "xs", "You are given a list of integers.", [("solve([1, 2, 3])", "4"), ("solve([5])", "5")])
    assert "XY117" in codes(r) and r.clarify_needed
    stated = report("solve", "xs", "You are given a list of integers. Return the sum of the odd ones.",
                    [("solve([1, 2, 3])", "4"), ("solve([5])", "5")])
    assert "XY117" not in codes(stated)


def test_setup_clause_followed_by_behaviour_counts_as_behaviour():
    r = report("distinct", "s", "Given a string, find out how many distinct letters it has.", [("distinct('aab')", "2")])
    assert "XY117" not in codes(r)
