"""File extension -> language, and which languages we can parse for symbols."""

from __future__ import annotations

import posixpath

EXTENSIONS: dict[str, str] = {
    ".py": "python", ".pyi": "python",
    ".js": "javascript", ".mjs": "javascript", ".cjs": "javascript", ".jsx": "javascript",
    ".ts": "typescript", ".mts": "typescript", ".cts": "typescript", ".tsx": "tsx",
    ".go": "go", ".rs": "rust", ".java": "java",
    ".kt": "kotlin", ".kts": "kotlin", ".scala": "scala", ".rb": "ruby", ".php": "php",
    ".c": "c", ".h": "c", ".cc": "cpp", ".cpp": "cpp", ".cxx": "cpp", ".hpp": "cpp", ".hh": "cpp",
    ".cs": "csharp", ".swift": "swift", ".m": "objective-c", ".mm": "objective-c",
    ".sh": "shell", ".bash": "shell", ".zsh": "shell", ".ps1": "powershell",
    ".lua": "lua", ".pl": "perl", ".pm": "perl", ".r": "r", ".R": "r", ".jl": "julia",
    ".ex": "elixir", ".exs": "elixir", ".erl": "erlang", ".hs": "haskell", ".ml": "ocaml",
    ".clj": "clojure", ".dart": "dart", ".zig": "zig", ".nim": "nim", ".v": "verilog", ".vhd": "vhdl",
    ".sql": "sql", ".vue": "vue", ".svelte": "svelte",
}

# Languages that count as "the same stack" when deciding whether a file is foreign.
FAMILIES: dict[str, str] = {
    "javascript": "js", "typescript": "js", "tsx": "js", "vue": "js", "svelte": "js",
    "c": "c", "cpp": "c", "objective-c": "c",
}

# Languages with a tree-sitter grammar wheel we depend on.
PARSED = ("python", "javascript", "typescript", "tsx", "go", "rust", "java")

# Human names used in requests ("in Rust", "a Go service").
NAMES: dict[str, str] = {
    "python": "python", "py": "python", "javascript": "javascript", "js": "javascript", "node": "javascript",
    "node.js": "javascript", "nodejs": "javascript", "typescript": "typescript", "ts": "typescript",
    "go": "go", "golang": "go", "rust": "rust", "java": "java", "kotlin": "kotlin", "scala": "scala",
    "ruby": "ruby", "php": "php", "c": "c", "c++": "cpp", "cpp": "cpp", "c#": "csharp", "csharp": "csharp",
    "swift": "swift", "lua": "lua", "perl": "perl", "elixir": "elixir", "haskell": "haskell",
    "ocaml": "ocaml", "clojure": "clojure", "dart": "dart", "zig": "zig", "julia": "julia",
    "bash": "shell", "shell": "shell",
}


def language_for_path(path: str) -> str | None:
    base = posixpath.basename(path)
    ext = posixpath.splitext(base)[1]
    return EXTENSIONS.get(ext) or EXTENSIONS.get(ext.lower())


def same_stack(a: str | None, b: str | None) -> bool:
    if a is None or b is None:
        return True
    return a == b or (FAMILIES.get(a) is not None and FAMILIES.get(a) == FAMILIES.get(b))
