from linkstore.paths import file_extension


def test_extension():
    assert file_extension("archive.tar.gz") == ".gz"
    assert file_extension(".bashrc") == ""
