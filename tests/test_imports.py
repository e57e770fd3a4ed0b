"""The import graph stays layered (in the spirit of click's tests/test_imports.py).

Two views: statically, what each package's modules import (every import, lazy ones included, so a
violation cannot hide inside a function); and dynamically, what a fresh interpreter has loaded after
importing an entry point (so the offline request path provably never loads the model adapter).
"""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
ANALYZERS = ROOT / "analyzers"

# package -> packages it must never import (the design's layers).
FORBIDDEN = {
    "context": {"request", "edits", "session", "llm", "pipeline", "text"},
    "text": {"request", "edits", "session", "llm", "pipeline"},
    "request": {"edits", "session", "llm", "pipeline"},
    "edits": {"request", "session", "llm", "pipeline"},
    "session": {"request", "edits", "llm", "pipeline"},
    "llm": {"pipeline"},
}
CORE = {"findings", "rules", "config"}  # below text; they import nothing of the families
CORE_FORBIDDEN = {"text", "request", "edits", "session", "llm", "pipeline"}


def _imported_modules(path: Path) -> set[str]:
    """Absolute names of every xyguard.analyzers module `path` imports, resolving relative imports."""
    rel = path.relative_to(ANALYZERS).with_suffix("")
    package = ["xyguard", "analyzers", *rel.parts[:-1]] if rel.name != "__init__" else ["xyguard", "analyzers", *rel.parts[:-1]]
    out = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - (node.level - 1)]
                name = ".".join([*base, node.module] if node.module else base)
            else:
                name = node.module or ""
            names = [name] + [f"{name}.{a.name}" for a in node.names]
        elif isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        else:
            continue
        out |= {n for n in names if n.startswith("xyguard.")}
    return out


def _layer(module: str) -> str | None:
    parts = module.split(".")
    if parts[:2] == ["xyguard", "server"]:
        return "server"
    if parts[:2] != ["xyguard", "analyzers"] or len(parts) < 3:
        return None
    return parts[2]


def _modules():
    for path in sorted(ANALYZERS.rglob("*.py")):
        rel = path.relative_to(ANALYZERS)
        yield (rel.parts[0] if len(rel.parts) > 1 else rel.stem), path


@pytest.mark.parametrize("package", sorted(FORBIDDEN))
def test_a_family_never_imports_the_layers_above_or_beside_it(package):
    bad = []
    for owner, path in _modules():
        if owner != package:
            continue
        for mod in _imported_modules(path):
            if _layer(mod) in FORBIDDEN[package] | {"server"}:
                bad.append(f"{path.relative_to(ROOT)} imports {mod}")
    assert not bad, "\n".join(bad)


def test_core_modules_import_no_family():
    bad = [f"{path.relative_to(ROOT)} imports {mod}" for owner, path in _modules() if owner in CORE
           for mod in _imported_modules(path) if _layer(mod) in CORE_FORBIDDEN | {"server"}]
    assert not bad, "\n".join(bad)


def test_analyzers_never_import_the_server():
    bad = [f"{path.relative_to(ROOT)} imports {mod}" for _owner, path in _modules()
           for mod in _imported_modules(path) if _layer(mod) == "server"]
    assert not bad, "\n".join(bad)


def test_the_checker_sees_a_violation():
    """The test above must be able to fail: a relative import reaching sideways is resolved and caught."""
    probe = ANALYZERS / "request" / "_probe_for_layer_test.py"
    probe.write_text("from ..edits import check_edit\n")
    try:
        assert "xyguard.analyzers.edits" in _imported_modules(probe)
        assert _layer("xyguard.analyzers.edits.check_edit") == "edits"
    finally:
        probe.unlink()


def _loaded_after(statement: str) -> set[str]:
    code = f"import sys, json\n{statement}\nprint(json.dumps(sorted(sys.modules)))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT)
    return set(json.loads(out.stdout))


def test_offline_request_analysis_never_loads_the_model_adapter():
    loaded = _loaded_after(
        "from xyguard.analyzers.pipeline import Workspace, analyse_request\n"
        "analyse_request('Fix the crash in parse_date when the string has a time part.', Workspace())")
    assert not {m for m in loaded if m.startswith("xyguard.analyzers.llm")}
    assert "litellm" not in loaded
    assert not {m for m in loaded if m.startswith("xyguard.server")}


def test_the_language_server_starts_without_the_analyzers():
    """`xyguard lsp` answers initialize before the analysis families load (they load in the background)."""
    loaded = _loaded_after("import xyguard.server.lsp.fastinit")
    assert not {m for m in loaded if m.startswith(("xyguard.analyzers.request", "xyguard.analyzers.edits",
                                                   "xyguard.analyzers.llm"))}
