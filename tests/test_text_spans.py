"""Sentences of a request: where they end, as every reader of request text (intent, restatement) sees them."""

from __future__ import annotations

import pytest

from xyguard.analyzers.text.spans import clip, mask_html_comments, sentences


def split(text: str) -> list[str]:
    return [" ".join(text[a:b].split()) for a, b in sentences(text)]


@pytest.mark.parametrize("text, expected", [
    ("In src/flask/helpers.py, make send_file accept a max_age argument. Add a test.",
     ["In src/flask/helpers.py, make send_file accept a max_age argument.", "Add a test."]),
    ("It broke on Python 3.12 and in v2.0.1 too. Why?", ["It broke on Python 3.12 and in v2.0.1 too.", "Why?"]),
    ("Use a faster parser, e.g. the C one. Keep the API as-is.", ["Use a faster parser, e.g. the C one.", "Keep the API as-is."]),
    ("Call os.path.join here (i.e. not string concatenation) please", ["Call os.path.join here (i.e. not string concatenation) please"]),
    ("Make the parser\nskip blank lines\nDon't add dependencies", ["Make the parser skip blank lines", "Don't add dependencies"]),
    ("Goals:\n- fast\n- small", ["Goals:", "- fast", "- small"]),
    ("First paragraph\n\nsecond paragraph", ["First paragraph", "second paragraph"]),
])
def test_sentences_end_at_full_stops_not_at_dots_inside_words(text, expected):
    assert split(text) == expected


def test_sentences_of_nothing_and_of_unpunctuated_text():
    assert sentences("") == [] and sentences("   \n ") == []
    assert split("no punctuation at all") == ["no punctuation at all"]


def test_masking_comments_keeps_offsets_and_leaves_an_unclosed_opener():
    text = "Fix it <!-- xyguard: ignore[XY110] -->\nnow <!-- unclosed"
    masked = mask_html_comments(text)
    assert len(masked) == len(text) and masked.index("now") == text.index("now")
    assert "xyguard" not in masked and masked.endswith("<!-- unclosed")


def test_clip_folds_whitespace_and_marks_the_cut():
    assert clip("a  b\nc", 10) == "a b c"
    assert clip("abcdefghijkl", 5) == "abcd…"
