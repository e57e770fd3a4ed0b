"""What xyguard knows about each programming language, in one `Language` record per language.

Every table that used to be keyed by language name (extensions, comment
markers, definition lines, naming norms, debug output, test files, the
package ecosystem) reads these records, so teaching xyguard a language is
one entry here.
"""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass, field
from functools import lru_cache


@dataclass(frozen=True)
class Language:
    name: str
    extensions: tuple[str, ...]
    spoken: tuple[str, ...] = ()  # how requests name it ("golang", "node.js")
    family: str | None = None  # languages of one family count as the same stack
    line_comment: str | None = None
    parsed: bool = False  # a tree-sitter grammar wheel we depend on extracts its symbols
    definition: re.Pattern | None = None  # a line that starts a definition: groups indent/kind/name (or indent2/name2)
    definition_starts: tuple[str, ...] = ()  # cheap prefix test before `definition`
    not_definitions: frozenset[str] = frozenset()  # names `definition` can capture that are keywords
    naming: dict[str, str] = field(default_factory=dict)  # "function" | "class" -> the language's norm
    debug_output: re.Pattern | None = None  # a line that prints or breaks for debugging
    test_file: re.Pattern | None = None  # a file name that holds tests
    ecosystem: str | None = None  # where its dependencies come from


_JS_DEFINITION = re.compile(
    r"^(?P<indent>\s*)(?:export\s+)?(?:default\s+)?(?:async\s+)?(?P<kind>function\*?|class)\s+(?P<name>[A-Za-z_$][\w$]*)"
    r"|^(?P<indent2>\s*)(?:export\s+)?(?:const|let|var)\s+(?P<name2>[A-Za-z_$][\w$]*)\s*=\s*(?:async\s*)?"
    r"(?:\([^)]*\)|[A-Za-z_$][\w$]*)\s*=>")
_JS_STARTS = ("function", "class ", "export ", "async ", "const ", "let ", "var ")
_JS_DEBUG = re.compile(r"^\s*(console\.(?:log|debug|dir|trace)\s*\(|debugger\s*;?\s*$)")
_JS_TESTS = re.compile(r"\.(test|spec)\.[cm]?[jt]sx?$")

_PARSED_LANGUAGES = [
    Language("python", (".py", ".pyi"), ("python", "py"), line_comment="#", parsed=True,
             definition=re.compile(r"^(?P<indent>\s*)(?:async\s+)?(?P<kind>def|class)\s+(?P<name>[A-Za-z_]\w*)"),
             definition_starts=("def ", "class ", "async "),
             naming={"function": "snake_case", "class": "PascalCase"},
             debug_output=re.compile(r"^\s*(print\s*\(|breakpoint\s*\(\s*\)|(?:import\s+i?pdb|i?pdb\.set_trace\s*\(|"
                                     r"from\s+i?pdb\s+import))"),
             test_file=re.compile(r"^(test_.*|.*_test|conftest)\.py$"), ecosystem="pypi"),
    Language("javascript", (".js", ".mjs", ".cjs", ".jsx"), ("javascript", "js", "node", "node.js", "nodejs"),
             family="js", line_comment="//", parsed=True, definition=_JS_DEFINITION, definition_starts=_JS_STARTS,
             naming={"function": "camelCase", "class": "PascalCase"}, debug_output=_JS_DEBUG, test_file=_JS_TESTS,
             ecosystem="npm"),
    Language("typescript", (".ts", ".mts", ".cts"), ("typescript", "ts"), family="js", line_comment="//", parsed=True,
             definition=_JS_DEFINITION, definition_starts=_JS_STARTS,
             naming={"function": "camelCase", "class": "PascalCase"}, debug_output=_JS_DEBUG, test_file=_JS_TESTS,
             ecosystem="npm"),
    # Components are PascalCase functions in TSX, so only classes have a norm.
    Language("tsx", (".tsx",), family="js", line_comment="//", parsed=True, definition=_JS_DEFINITION,
             definition_starts=_JS_STARTS, naming={"class": "PascalCase"}, debug_output=_JS_DEBUG, test_file=_JS_TESTS,
             ecosystem="npm"),
    Language("go", (".go",), ("go", "golang"), line_comment="//", parsed=True,
             definition=re.compile(r"^(?P<indent>\s*)(?P<kind>func|type)\s+(?:\([^)]*\)\s*)?(?P<name>[A-Za-z_]\w*)"),
             definition_starts=("func ", "type "),
             naming={"class": "PascalCase"},  # Go's exported/unexported case is visibility, not style
             debug_output=re.compile(r"^\s*(fmt\.Print(?:ln|f)?\s*\(|spew\.Dump\s*\()"),
             test_file=re.compile(r"_test\.go$"), ecosystem="go"),
    Language("rust", (".rs",), ("rust",), line_comment="//", parsed=True,
             definition=re.compile(r"^(?P<indent>\s*)(?:pub(?:\([^)]*\))?\s+)?(?:async\s+)?(?:unsafe\s+)?"
                                   r"(?P<kind>fn|struct|enum|trait)\s+(?P<name>[A-Za-z_]\w*)"),
             definition_starts=("fn ", "pub", "struct ", "enum ", "trait ", "async ", "unsafe "),
             naming={"function": "snake_case", "class": "PascalCase"},
             debug_output=re.compile(r"^\s*(dbg!\s*\(|println!\s*\(|eprintln!\s*\()"), ecosystem="cargo"),
    Language("java", (".java",), ("java",), line_comment="//", parsed=True,
             definition=re.compile(r"^(?P<indent>\s*)(?:(?:public|protected|private|static|final|abstract|synchronized)\s+)*"
                                   r"(?:(?P<kind>class|interface|enum|record)\s+(?P<name>[A-Za-z_]\w*)"
                                   r"|[\w<>\[\],.? ]+\s+(?P<name2>[a-zA-Z_]\w*)\s*\()"),
             not_definitions=frozenset({"if", "for", "while", "switch", "catch", "return", "new", "else", "synchronized"}),
             naming={"function": "camelCase", "class": "PascalCase"},
             debug_output=re.compile(r"^\s*(System\.(?:out|err)\.print(?:ln|f)?\s*\(|\w+\.printStackTrace\s*\(\s*\))"),
             test_file=re.compile(r"Tests?\.java$"), ecosystem="maven"),
]

_OTHER_LANGUAGES = [
    Language("kotlin", (".kt", ".kts"), ("kotlin",), line_comment="//"),
    Language("scala", (".scala",), ("scala",), line_comment="//"),
    Language("ruby", (".rb",), ("ruby",), line_comment="#"),
    Language("php", (".php",), ("php",), line_comment="//"),
    Language("c", (".c", ".h"), ("c",), family="c", line_comment="//"),
    Language("cpp", (".cc", ".cpp", ".cxx", ".hpp", ".hh"), ("c++", "cpp"), family="c", line_comment="//"),
    Language("csharp", (".cs",), ("c#", "csharp"), line_comment="//"),
    Language("swift", (".swift",), ("swift",), line_comment="//"),
    Language("objective-c", (".m", ".mm"), family="c", line_comment="//"),
    Language("shell", (".sh", ".bash", ".zsh"), ("bash", "shell"), line_comment="#"),
    Language("powershell", (".ps1",), line_comment="#"),
    Language("lua", (".lua",), ("lua",), line_comment="--"),
    Language("perl", (".pl", ".pm"), ("perl",), line_comment="#"),
    Language("r", (".r", ".R"), line_comment="#"),
    Language("julia", (".jl",), ("julia",), line_comment="#"),
    Language("elixir", (".ex", ".exs"), ("elixir",), line_comment="#"),
    Language("erlang", (".erl",), line_comment="%"),
    Language("haskell", (".hs",), ("haskell",), line_comment="--"),
    Language("ocaml", (".ml",), ("ocaml",)),
    Language("clojure", (".clj",), ("clojure",), line_comment=";"),
    Language("dart", (".dart",), ("dart",), line_comment="//"),
    Language("zig", (".zig",), ("zig",), line_comment="//"),
    Language("nim", (".nim",), line_comment="#"),
    Language("verilog", (".v",), line_comment="//"),
    Language("vhdl", (".vhd",), line_comment="--"),
    Language("sql", (".sql",), line_comment="--"),
    Language("vue", (".vue",), family="js"),
    Language("svelte", (".svelte",), family="js"),
    Language("toml", (".toml",), line_comment="#"),
]

LANGUAGES: dict[str, Language] = {lang.name: lang for lang in _PARSED_LANGUAGES + _OTHER_LANGUAGES}

# Derived views, for the callers that only need one fact.
EXTENSIONS: dict[str, str] = {ext: lang.name for lang in LANGUAGES.values() if lang.name != "toml"
                              for ext in lang.extensions}
PARSED: tuple[str, ...] = tuple(lang.name for lang in _PARSED_LANGUAGES)
NAMES: dict[str, str] = {spoken: lang.name for lang in LANGUAGES.values() for spoken in lang.spoken}

# Folders that hold tests in every language.
TEST_DIRS = frozenset({"tests", "test", "__tests__", "spec", "specs", "testing"})


def language(name: str | None) -> Language | None:
    return LANGUAGES.get(name or "")


def language_for_path(path: str) -> str | None:
    base = posixpath.basename(path)
    ext = posixpath.splitext(base)[1]
    return EXTENSIONS.get(ext) or EXTENSIONS.get(ext.lower())


def same_stack(a: str | None, b: str | None) -> bool:
    if a is None or b is None:
        return True
    fa, fb = LANGUAGES[a].family if a in LANGUAGES else None, LANGUAGES[b].family if b in LANGUAGES else None
    return a == b or (fa is not None and fa == fb)


@lru_cache(maxsize=8192)
def is_test_path(path: str) -> bool:
    """A file of tests: in a test folder, or named as its language names test files."""
    parts = path.split("/")
    if any(p in TEST_DIRS for p in parts[:-1]):
        return True
    lang = language(language_for_path(path))
    return bool(lang and lang.test_file and lang.test_file.search(parts[-1]))
