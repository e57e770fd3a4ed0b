"""Words of identifiers: analyzers/text/identifiers.py."""

import pytest

from xyguard.analyzers.text.identifiers import holds_in_row, split_identifier


@pytest.mark.parametrize(("name", "words", "shortened", "expected"), [
    ("HTTP_TRANSFER_ENCODING", ("transfer", "encoding"), False, True),
    ("transfer_then_encoding", ("transfer", "encoding"), False, False),
    ("m_workspace__did_change_configuration", ("did", "change", "config"), True, True),
    ("m_workspace__did_change_configuration", ("did", "change", "config"), False, False),
    ("did_change_cfg", ("did", "change", "configuration"), True, False),
    ("ignore_folders", ("ignore", "folders"), False, True),
])
def test_words_held_in_a_row(name, words, shortened, expected):
    assert holds_in_row(split_identifier(name), words, shortened_last=shortened) is expected
