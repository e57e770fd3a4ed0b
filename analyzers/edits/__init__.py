"""Edit checks: what a proposed change does that the user did not ask for.

    report = check_edit(diff_text, request="fix the date parsing bug", context=ctx)
    report.to_dict()  # {"findings": [...], "summary": {...}, "skipped": [...]}

`change` may be a unified diff, a `Change`, or a WorkspaceEdit-like dict.
Each check is its own module; this module only assembles them.
"""

from __future__ import annotations

from typing import Any

from ..findings import Finding
from .diffmodel import Change, FileChange, Hunk, Line  # noqa: F401
from .inputs import EditInput, attach_full_texts
from .edit_report import EditReport, Skip  # noqa: F401

__all__ = ["check_edit", "as_change", "Change", "EditReport", "CHECKS"]

# (codes, module) in report order; a check runs when any of its codes is enabled.
CHECKS = [
    (("DR201",), "language"),
    (("DR202",), "api_break"),
    (("DR203", "DR217"), "scope"),
    (("DR204",), "rewrite"),
    (("DR205", "DR206", "DR207"), "dependencies"),
    (("DR208", "DR209"), "tests"),
    (("DR210",), "reintroduced"),
    (("DR211",), "duplication"),
    (("DR212", "DR213", "DR214", "DR215"), "convention_drift"),
    (("DR216",), "secret_leak"),
]


def as_change(change: Any, context=None) -> Change:
    """A Change from a diff string, a Change, or a WorkspaceEdit-like dict. ValueError when unusable."""
    if isinstance(change, Change):
        return change
    if isinstance(change, str):
        return Change.from_diff(change)
    if isinstance(change, dict):
        def read_old(path: str) -> str | None:
            return context.read_text(path) if context is not None else None
        return Change.from_workspace_edit(change, read_old, root=context.root if context is not None else None)
    raise ValueError(f"cannot check a {type(change).__name__}: expected a diff, a Change or a workspace edit")


def check_edit(change: Any, *, request: str | None = None, context=None, config=None,
               scope_hints: list[str] | None = None) -> EditReport:
    """Every enabled check's findings, unfiltered (the pipeline applies configuration and suppressions)."""
    import importlib

    from ..config import Config

    config = config or Config()
    change = as_change(change, context)
    inp = EditInput(change=change, request=request, scope_hints=list(scope_hints or []), context=context, config=config)
    for what, why in change.notes:
        inp.skip(what, why)
    attach_full_texts(change, context, inp.skip)
    findings: list[Finding] = []
    for codes, module in CHECKS:
        if not any(config.enabled(c) for c in codes):
            continue
        findings += importlib.import_module(f"{__name__}.{module}").check(inp)
    findings.sort(key=Finding.sort_key)
    return EditReport(findings=findings, files=len(change), added=change.added_count, removed=change.removed_count,
                      skipped=inp.skipped)
