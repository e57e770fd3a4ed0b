"""Huge, minified, binary, mis-encoded files and non-ASCII text: bounded time and memory, correct ranges.

Bounds (generous, for a 2-core machine shared with other jobs): every
command below finishes within WALL_BUDGET_S and peaks below RSS_BUDGET_MB
(the design's server budget), measured from a fresh parent process with
getrusage(RUSAGE_CHILDREN). A 50 MB file must be skipped by size, never
loaded; ranges in findings are LSP ranges in UTF-16 code units, so they
must land on the same characters after emoji, accents and CRLF.
"""

from __future__ import annotations

import os

import pytest

from gitrepo import Repo
from hostile import LspProcess, measured, utf16_slice, xyguard

WALL_BUDGET_S = 30.0
RSS_BUDGET_MB = 300.0
HUGE_BYTES = 50 * 1024 * 1024
MINIFIED_BYTES = 5 * 1024 * 1024


def _minified(size: int) -> bytes:
    unit = b"var a0=function(b,c){return b+c*2};"
    return unit * (size // len(unit)) + b"\n"


@pytest.fixture(scope="module")
def odd(tmp_path_factory):
    repo = Repo(tmp_path_factory.mktemp("odd") / "repo")
    repo.commit("start", {
        "app.py": "def main():\n    return 0\n",
        "crlf.py": "def first():\r\n    return 1\r\n\r\n\r\ndef second():\r\n    return 2\r\n",
        "emoji.py": "# 😀🚀 déjà vu\nNAME = '👩‍👩‍👧‍👦'\n\n\ndef greet(who='🌍'):\n    return who\n",
        "utf16.py": "def wide():\n    return 'ü'\n".encode("utf-16"),
        "invalid.py": b"def broken():\n    return '\xff\xfe\xc3\x28 \xa0'\n\n\ndef after():\n    return 2\n",
        "blob.py": b"\x00\x01\x02binary\x00" * 1000,
        "logo.png": b"\x89PNG\r\n\x1a\n" + os.urandom(4096),
        "one_line.js": _minified(900_000),  # just under the 1 MB cap: parsed
    })
    # Too large to analyse: staged (so `edit --staged` and the hook meet them) and in the work tree.
    huge = b"".join(b"def f%d():\n    return %d\n" % (i, i) for i in range(HUGE_BYTES // 30))
    repo.stage({"huge.py": huge, "bundle.js": _minified(MINIFIED_BYTES), "app.py": "def main():\n    return 1\n"})
    return repo


def _assert_bounded(proc, seconds: float, peak_mb: float) -> None:
    err = proc.stderr.decode("utf-8", "replace")
    assert proc.returncode in (0, 1) and "Traceback" not in err, (proc.returncode, err)
    assert seconds < WALL_BUDGET_S, f"took {seconds:.1f}s"
    assert peak_mb < RSS_BUDGET_MB, f"peak RSS {peak_mb:.0f} MB"


def test_index_skips_huge_and_binary_files_in_bounded_time_and_memory(odd):
    proc, seconds, peak = measured("index", "--rebuild", "--format", "json", cwd=odd.root)
    _assert_bounded(proc, seconds, peak)
    import json

    summary = json.loads(proc.stdout)
    assert summary["skipped"].get("too-large", 0) >= 2, summary["skipped"]
    assert summary["skipped"].get("binary", 0) >= 1, summary["skipped"]


@pytest.mark.parametrize("args", [
    pytest.param(["edit", "--staged", "--format", "json"], id="edit-staged"),
    pytest.param(["hook", "pre-commit"], id="hook"),
])
def test_staged_huge_files_are_bounded(odd, args):
    """A huge file in the commit is skipped (noted), the rest is checked: it must not fail the whole hook."""
    proc, seconds, peak = measured(*args, cwd=odd.root)
    _assert_bounded(proc, seconds, peak)


def test_diff_adding_a_minified_one_line_file_is_bounded(odd):
    line = _minified(MINIFIED_BYTES).decode().rstrip("\n")
    diff = f"--- /dev/null\n+++ b/dist/app.js\n@@ -0,0 +1 @@\n+{line}\n"
    proc, seconds, peak = measured("edit", "--diff", "-", "--request", "ship the bundle", "--format", "json",
                                   cwd=odd.root, input=diff)
    _assert_bounded(proc, seconds, peak)


def test_oversized_request_input_is_refused_cleanly(odd):
    proc = xyguard("request", "-", "--repo", str(odd.root), cwd=odd.root, input=b"fix it " * (9 * 1024 * 1024 // 7))
    assert proc.returncode == 2 and b"Traceback" not in proc.stderr, proc.stderr
    assert b"limit" in proc.stderr


def test_invalid_utf8_request_is_analysed_with_a_warning(odd):
    proc = xyguard("request", "-", "--repo", str(odd.root), "--format", "json", cwd=odd.root,
                   input=b"Fix the \xff\xfe\xc3\x28 crash in app.py when main gets \x00 input")
    assert proc.returncode in (0, 1) and b"Traceback" not in proc.stderr, proc.stderr
    assert b"not valid UTF-8" in proc.stderr


def test_symbols_of_crlf_utf16_emoji_and_invalid_files_are_on_the_right_lines(odd):
    from xyguard.analyzers.context import build_context

    ctx = build_context(odd.root, rebuild=True, use_cache=False)
    lines = {path: {s.name: s.start_line for s in symbols} for path, symbols in ctx.symbols.items()}
    # start_line is 0-based, like LSP positions
    assert lines["crlf.py"] == {"first": 0, "second": 4}
    assert lines["emoji.py"]["greet"] == 4
    assert lines["utf16.py"] == {"wide": 0}
    assert lines["invalid.py"] == {"broken": 0, "after": 4}
    assert "blob.py" not in ctx.files and "huge.py" not in ctx.files
    assert "one_line.js" in ctx.files


# A file mention the repository lacks (XY104) after wide characters and line breaks of every kind.
ODD_REQUESTS = [
    "😀😀 In 🚀🚀 crlf_ünï.py fix the parser so that it works",
    "Context first.\r\n👩‍👩‍👧‍👦 family 🌍\r\nThen fix the bug in nowhere_ü.py please",
    "Line one\rline 👍 two\nand in 𝔘𝔫𝔦𝔠𝔬𝔡𝔢 missing/file_ß.py make it faster",
]


@pytest.mark.parametrize("text", ODD_REQUESTS)
def test_cli_ranges_are_utf16_and_land_on_the_evidence(odd, text):
    import json

    proc = xyguard("request", "-", "--repo", str(odd.root), "--format", "json", cwd=odd.root, input=text)
    assert proc.returncode in (0, 1), proc.stderr
    ranged = [f for f in json.loads(proc.stdout)["findings"] if f["range"] and f["code"] == "XY104"]
    assert ranged, "expected a finding about the missing file"
    for finding in ranged:
        assert utf16_slice(text, finding["range"]) == finding["evidence"], finding


def test_language_server_ranges_are_utf16_after_emoji_and_crlf(odd):
    text = ODD_REQUESTS[1]
    uri = (odd.root / "task.request.md").as_uri()
    with LspProcess(cwd=odd.root) as server:
        server.initialize(odd.root)
        server.open(uri, text, language_id="markdown")
        published = server.diagnostics(uri, timeout=60, having=lambda ds: any(d.get("code") == "XY104" for d in ds))
        assert published is not None, server.notifications
        mentions = [d for d in published["params"]["diagnostics"] if d.get("code") == "XY104"]
        assert {utf16_slice(text, d["range"]) for d in mentions} == {"nowhere_ü.py"}
        assert server.shutdown() == 0


def test_drift_on_crlf_emoji_file_is_placed_on_the_changed_line(odd):
    """The public function loses its parameter (an API break) in a file full of wide characters and CRLF."""
    uri = (odd.root / "emoji.py").as_uri()
    new = "# 😀🚀 déjà vu\r\nNAME = '👩‍👩‍👧‍👦'\r\n\r\n\r\ndef greet():\r\n    return '🌍'\r\n"
    with LspProcess(cwd=odd.root) as server:
        server.initialize(odd.root)
        server.open(uri, new)
        published = server.diagnostics(uri, timeout=60, having=lambda ds: bool(ds))
        assert published is not None, server.notifications
        lines = {(d["range"]["start"]["line"], d["range"]["end"]["line"]) for d in published["params"]["diagnostics"]}
        assert (4, 4) in lines or (4, 5) in lines, published
        assert server.shutdown() == 0
