"""The server's settings: initializationOptions and the `xyguard` section of workspace/configuration.

Accepts the VS Code extension's shape (`xyguard.drift.enabled`, `xyguard.llm.model`)
and a flat one (`drift: false`, `llmModel`) so that any client's config works.
Bad values are reported and skipped, never fatal: an editor setting must not
take the server down.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from xyguard.analyzers.findings import SEVERITIES

DEFAULT_DEBOUNCE_MS = 300
DRIFT_BASELINES = ("head", "session")  # what drift diagnostics compare an open file with


@dataclass
class Options:
    fail_level: str | None = None  # None: the repository's configuration decides
    select: list[str] = field(default_factory=list)
    ignore: list[str] = field(default_factory=list)
    drift: bool | None = None
    debounce_ms: int = DEFAULT_DEBOUNCE_MS
    llm_model: str | None = None
    session: str | None = None  # a goal-state session the request documents belong to
    drift_baseline: str = "head"  # "session": the commit HEAD was at when `session` started
    request_globs: list[str] | None = None  # which files are request documents; None: request_docs.DEFAULT_GLOBS

    def overrides(self) -> dict[str, Any]:
        """Keys for `Config.with_overrides`: only what the user actually set."""
        out: dict[str, Any] = {}
        if self.select:
            out["select"] = list(self.select)
        if self.ignore:
            out["ignore"] = list(self.ignore)
        if self.fail_level:
            out["fail_level"] = self.fail_level
        if self.drift is not None:
            out["drift"] = self.drift
        if self.llm_model:
            out["llm"] = {"model": self.llm_model}
        return out


def _codes(value: Any) -> list[str] | None:
    if isinstance(value, str):
        value = [v for v in value.replace(",", " ").split() if v]
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return value
    return None


def parse_options(raw: Any) -> tuple[Options, list[str]]:
    """Settings (possibly wrapped in {"xyguard": {...}}) -> Options and a list of problems to report."""
    problems: list[str] = []
    opts = Options()
    if raw is None:
        return opts, problems
    if not isinstance(raw, dict):
        return opts, [f"settings must be an object, got {type(raw).__name__}"]
    if isinstance(raw.get("xyguard"), dict):
        raw = raw["xyguard"]

    fail = raw.get("failLevel", raw.get("fail_level"))
    if fail is not None:
        if fail in SEVERITIES:
            opts.fail_level = fail
        else:
            problems.append(f"failLevel {fail!r} is not one of {', '.join(SEVERITIES)}")
    for key in ("select", "ignore"):
        if raw.get(key) is not None:
            codes = _codes(raw[key])
            if codes is None:
                problems.append(f"{key} must be a list of codes")
            else:
                setattr(opts, key, codes)
    drift = raw.get("drift")
    baseline = _drift_baseline(raw)
    if baseline is not None:
        if baseline in DRIFT_BASELINES:
            opts.drift_baseline = baseline
        else:
            problems.append(f"driftBaseline {baseline!r} is not one of {', '.join(DRIFT_BASELINES)}")
    if isinstance(drift, dict):
        drift = drift.get("enabled")
    if drift is not None:
        if isinstance(drift, bool):
            opts.drift = drift
        else:
            problems.append("drift must be true or false")
    debounce = raw.get("debounceMs", raw.get("debounce_ms"))
    if debounce is not None:
        if isinstance(debounce, (int, float)) and not isinstance(debounce, bool) and 0 <= debounce <= 10_000:
            opts.debounce_ms = int(debounce)
        else:
            problems.append("debounceMs must be a number of milliseconds between 0 and 10000")
    llm = raw.get("llm")
    model = llm.get("model") if isinstance(llm, dict) else raw.get("llmModel")
    if model:
        if isinstance(model, str):
            opts.llm_model = model
        else:
            problems.append("llm.model must be a string")
    session = raw.get("session")
    if isinstance(session, str) and session:
        opts.session = session
    globs = raw.get("requestGlobs")
    if globs is not None:
        globs = _codes(globs)  # a list of strings, or one comma/space separated string
        if globs is None:
            problems.append("requestGlobs must be a list of glob patterns, e.g. [\"**/*.request.md\"]")
        else:
            opts.request_globs = globs
    return opts, problems


def _drift_baseline(raw: dict) -> Any:
    """`driftBaseline`, or VS Code's `drift.baseline`."""
    drift = raw.get("drift")
    nested = drift.get("baseline") if isinstance(drift, dict) else None
    return raw.get("driftBaseline", nested)


def merge_options(base: Options, update: Options, raw: Any) -> Options:
    """`update` wins for every key present in `raw`; so a configuration pull refines initializationOptions."""
    if not isinstance(raw, dict):
        return base
    if isinstance(raw.get("xyguard"), dict):
        raw = raw["xyguard"]
    present = {
        "fail_level": ("failLevel", "fail_level"), "select": ("select",), "ignore": ("ignore",),
        "drift": ("drift",), "debounce_ms": ("debounceMs", "debounce_ms"), "llm_model": ("llm", "llmModel"),
        "session": ("session",), "request_globs": ("requestGlobs",),
    }
    merged = Options(**base.__dict__)
    for attr, keys in present.items():
        if any(raw.get(k) is not None for k in keys):
            setattr(merged, attr, getattr(update, attr))
    if _drift_baseline(raw) is not None:  # `drift: {enabled}` alone leaves the baseline as it was
        merged.drift_baseline = update.drift_baseline
    from .request_docs import use_globs

    use_globs(merged.request_globs)  # is_request_document has no server to ask
    return merged
