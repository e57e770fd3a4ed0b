"""Python symbols come from a walk over statements; the tags query (every other language's way) must agree on
real code nobody here wrote: the standard library, including files tree-sitter only parses with errors."""

from __future__ import annotations

import asyncio
import email
import sysconfig
import unittest
from pathlib import Path

import pytest

from xyguard.analyzers.context.symbols import extract_symbols, symbol_rows

STDLIB = Path(sysconfig.get_paths()["stdlib"])
PACKAGES = [Path(m.__file__).parent for m in (asyncio, email, unittest)]


def _python_files() -> list[Path]:
    files = [p for folder in PACKAGES for p in sorted(folder.rglob("*.py"))]
    files += sorted(STDLIB.glob("*.py"))
    return [p for p in files if p.stat().st_size <= 1_000_000]


@pytest.mark.parametrize("folder", ["packages", "stdlib-top"])
def test_the_statement_walk_equals_the_tags_query_on_the_standard_library(folder):
    files = [p for p in _python_files() if (p.parent == STDLIB) == (folder == "stdlib-top")]
    assert len(files) > 50
    for path in files:
        data = path.read_bytes()
        walked = extract_symbols(str(path), data, "python")
        queried = extract_symbols(str(path), data, "python", walk=False)
        assert walked == queried, path


def test_the_rows_parse_workers_store_are_the_symbols_analyzers_see():
    """Workers build Python's rows directly (no Symbol objects); the cache must hold what extract_symbols gives."""
    files = _python_files()
    assert len(files) > 50
    for path in files:
        data = path.read_bytes()
        assert symbol_rows(str(path), data, "python") == [s.row() for s in extract_symbols(str(path), data, "python")], path


@pytest.mark.parametrize("source", [
    b"class Visitor(ast.NodeVisitor):\n    files().setdefault(\n    def visit_one(self, node):\n        return node\n",
    b"class Positions:\n    def check(self):\n        class Inner(Base):\n            files().setdefault(\n\n"
    b"    def test_one(self):\n        return 1\n",
    b"@decorator\nclass Broken:\n    x = {1: (2,\n    def method_one(self):\n        return 1\n",
], ids=["error-on-the-class", "error-in-a-nested-class", "unclosed-bracket"])
def test_code_tree_sitter_recovers_from_gives_the_same_symbols_both_ways(source):
    walked = extract_symbols("m.py", source, "python")
    assert walked and walked == extract_symbols("m.py", source, "python", walk=False)


def test_a_class_whose_methods_error_recovery_put_under_it():
    """In test_compile.py (CPython 3.11) tree-sitter hangs an ERROR holding the methods off the class itself."""
    path = STDLIB / "test" / "test_compile.py"
    if not path.exists():
        pytest.skip("CPython's test package is not installed")
    data = path.read_bytes()
    walked = extract_symbols(str(path), data, "python")
    assert walked == extract_symbols(str(path), data, "python", walk=False)
    assert any(s.qualname.startswith("TestSourcePositions.test_") for s in walked)


def test_what_is_api_in_python_statements():
    source = b"""
def outer():
    class Inner:
        def hidden(self):
            pass
    return Inner

if TYPE_CHECKING:
    def typed_only() -> int: ...
try:
    from fast import speedup
except ImportError:
    def speedup(x):
        return x
LIMIT = 3
value = 4
"""
    walked = extract_symbols("m.py", source, "python")
    assert walked == extract_symbols("m.py", source, "python", walk=False)
    names = {s.qualname for s in walked}
    assert {"typed_only", "speedup", "LIMIT", "value", "outer"} <= names
    assert not {"Inner", "Inner.hidden"} & names  # nested inside a function: not API
    assert {s.kind for s in walked if s.name in ("LIMIT", "value")} == {"constant", "variable"}


def test_a_docstring_gives_its_first_line_whatever_ends_its_lines():
    """The doc is the first line of the docstring, whitespace-folded: after blank lines, before a form feed or a
    carriage return (the line breaks str.splitlines knows), and a one-line docstring loses its closing quotes."""
    source = (b'def crlf():\r\n    """\r\n\r\n    Open   the\tdoor.\r\n    More.\r\n    """\r\n'
              b'def feed():\n    """Page one.\x0cPage two."""\n'
              b"def quoted():\n    r'''Says \"hi\"'''\n"
              b'class Blank:\n    """   \n\n   """\n'
              b'def unicode_break():\n    """First\xe2\x80\xa8second"""\n')
    docs = {s.name: s.doc for s in extract_symbols("m.py", source, "python")}
    assert docs == {"crlf": "Open the door.", "feed": "Page one.", "quoted": 'Says "hi', "Blank": "",
                    "unicode_break": "First"}


def test_reading_a_files_symbols_leaves_no_reference_cycle_holding_its_tree():
    """A cycle made while reading symbols (a self-calling closure, say) keeps the file's whole syntax tree alive
    until the cyclic collector runs: a parse worker's memory grows and its allocations go cold (SQLAlchemy
    parsed 12% slower that way). Reading a file must leave nothing for the collector."""
    import gc

    source = b"class A:\n    class B:\n        def f(self):\n            '''Doc.'''\n    X = 1\nif True:\n    def g(): pass\n"
    symbol_rows("warm.py", source, "python")  # first use compiles and caches what later calls share
    gc.collect()
    gc.disable()
    try:
        rows = symbol_rows("m.py", source, "python")
        assert [row[4] for row in rows] == ["A", "A.B", "A.B.f", "g"]
        assert gc.collect() == 0
    finally:
        gc.enable()
