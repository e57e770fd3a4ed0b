"""The one way tests read finding codes: from a report, a list of findings, or LSP diagnostics."""

from __future__ import annotations

from collections.abc import Iterable


def codes(found, path: str | None = None, *, at_least: str | None = None) -> list[str]:
    """Sorted codes (repeats kept, so a count can be asserted) of `found`: anything with `.findings`, an
    iterable of findings, or LSP diagnostics; only those on `path` and at or above `at_least` when given."""
    from xyguard.analyzers.findings import at_or_above

    items: Iterable = getattr(found, "findings", found)
    out = []
    for item in items:
        if path is not None and getattr(item, "path", None) != path:
            continue
        severity = getattr(item, "severity", None)
        if at_least is not None and isinstance(severity, str) and not at_or_above(severity, at_least):
            continue
        out.append(str(item.code))
    return sorted(out)


def request_codes(text: str, **kw) -> list[str]:
    """Codes the request analyzer finds in `text`."""
    from xyguard.analyzers.request import analyze_request

    return codes(analyze_request(text, **kw))
