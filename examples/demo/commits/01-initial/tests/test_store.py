from linkstore import load_link, save_link
from linkstore.paths import file_extension


def test_round_trip(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    slug = save_link("https://example.com/a", "a")
    assert load_link(slug) == "https://example.com/a"


def test_missing_slug(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert load_link("nope") is None


def test_extension():
    assert file_extension("archive.tar.gz") == ".gz"
    assert file_extension(".bashrc") == ""
