"""Which function a request asks to implement: its own stub, or a signature its prose asks for; never quoted code."""

from xyguard.analyzers.request import analyze_request
from xyguard.analyzers.request.spec import parse_spec

ISSUE_WITH_SAMPLE = '''Saving a config with a nested table drops the inner keys.

```python
def save(cfg):
    """Write the config."""
    with open("out.toml", "w") as fh:
        fh.write(dump(cfg))
```

The inner table is missing from out.toml afterwards.
'''

ISSUE_WITH_TRACEBACK = '''The importer crashes on an empty file:

Traceback (most recent call last):
  File "importer.py", line 12, in load
    def load(path):
        """Load the rows."""
ValueError: no header row
'''


def test_a_def_inside_a_quoted_code_sample_is_not_the_function_to_implement():
    # regression: any def in an issue's code sample was taken as a stub, and its docstring judged as a spec
    assert parse_spec(ISSUE_WITH_SAMPLE) is None
    assert not [f for f in analyze_request(ISSUE_WITH_SAMPLE).findings if f.code == "XY117"]


def test_a_def_in_a_traceback_is_not_the_function_to_implement():
    assert parse_spec(ISSUE_WITH_TRACEBACK) is None


def test_a_fenced_stub_the_prose_asks_to_complete_is_the_request():
    text = 'Please implement this:\n\n```python\ndef slugify(title: str) -> str:\n    """Lower-case the title and join the words with dashes."""\n```\n'
    spec = parse_spec(text)
    assert spec is not None and spec.name == "slugify" and spec.params == ["title"]


def test_a_def_line_with_nested_parentheses_parses():
    # regression: the header pattern stopped at the first ')'
    text = ('def window(values: list[int], size: tuple[int, int] = (3, 1), key=lambda v: (v, -v)) -> list[list[int]]:\n'
            '    """Return every run of `size[0]` consecutive values, stepping by `size[1]`."""\n')
    spec = parse_spec(text)
    assert spec is not None
    assert spec.params == ["values", "size", "key"] and spec.returns == "list[list[int]]"
    assert spec.description.startswith("Return every run")


def test_the_last_unimplemented_stub_is_the_one_to_write_not_a_helper_with_a_body():
    text = ('def shift(ch: str) -> str:\n    """Move a letter by one."""\n    return chr(ord(ch) + 1)\n\n\n'
            'def unshift(text: str) -> str:\n    """Undo shift on every letter of the text."""\n')
    spec = parse_spec(text)
    assert spec.name == "unshift" and spec.other_defs == ["shift"]


def test_a_signature_in_prose_is_read_with_its_examples():
    text = "Implement `clamp(x, lo, hi)` that limits x to the range [lo, hi]. clamp(5, 0, 3) -> 3"
    spec = parse_spec(text)
    assert spec is not None and spec.source == "prose" and spec.params == ["x", "lo", "hi"]
    assert [e.value for e in spec.examples] == [3]
    assert not analyze_request(text).clarify_needed


def test_a_formula_with_nothing_after_its_equals_sign_is_no_example_but_a_cut_off_definition():
    from xyguard.analyzers.request import analyze_request

    text = 'def late_fee(days):\n    """The late fee is defined as:\n    late_fee(days) =\n    """\n'
    assert parse_spec(text).examples == []
    report = analyze_request(text)
    assert report.clarify_needed and "XY116" in report.clarify_codes
    complete = text.replace("late_fee(days) =\n", "late_fee(days) = 2\n")
    assert [e.output for e in parse_spec(complete).examples] == ["2"]
