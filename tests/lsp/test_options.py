"""Editor settings: every client's shape is understood, and a bad value is reported instead of crashing."""

from __future__ import annotations

from xyguard.analyzers.config import Config
from xyguard.server.lsp.options import Options, merge_options, parse_options


def test_vscode_settings_shape_becomes_config_overrides():
    raw = {"failLevel": "error", "select": [], "ignore": ["DR212"], "drift": {"enabled": False},
           "llm": {"model": None}, "server": {"command": []}}
    opts, problems = parse_options(raw)
    assert problems == []
    cfg = Config().with_overrides(opts.overrides())
    assert cfg.fail_level == "error" and cfg.ignore == ["DR212"] and cfg.drift is False
    assert cfg.select == ["ALL"] and not cfg.llm.enabled  # empty select and a null model change nothing


def test_flat_and_wrapped_settings_are_the_same():
    flat, _ = parse_options({"drift": False, "llmModel": "ollama/x", "debounceMs": 120})
    wrapped, _ = parse_options({"xyguard": {"drift": {"enabled": False}, "llm": {"model": "ollama/x"},
                                            "debounceMs": 120}})
    assert flat == wrapped and flat.debounce_ms == 120 and flat.llm_model == "ollama/x"


def test_bad_values_are_reported_and_skipped():
    opts, problems = parse_options({"failLevel": "fatal", "ignore": "XY110, XY111", "debounceMs": -5,
                                    "drift": "yes"})
    assert opts.fail_level is None and opts.drift is None and opts.debounce_ms == 300
    assert opts.ignore == ["XY110", "XY111"]  # a comma-separated string is accepted
    assert len(problems) == 3 and any("failLevel" in p for p in problems)


def test_a_configuration_pull_refines_initialization_options_key_by_key():
    base, _ = parse_options({"ignore": ["XY110"], "debounceMs": 50})
    raw = {"drift": False}
    update, _ = parse_options(raw)
    merged = merge_options(base, update, raw)
    assert merged == Options(ignore=["XY110"], debounce_ms=50, drift=False)


def test_the_drift_baseline_in_both_shapes_and_a_bad_one_reported():
    flat, _ = parse_options({"driftBaseline": "session", "session": "s1"})
    nested, _ = parse_options({"drift": {"enabled": True, "baseline": "session"}, "session": "s1"})
    assert flat.drift_baseline == nested.drift_baseline == "session"
    bad, problems = parse_options({"driftBaseline": "yesterday"})
    assert bad.drift_baseline == "head" and problems and "driftBaseline" in problems[0]
    # Switching drift off in a later pull keeps the chosen baseline.
    raw = {"drift": {"enabled": False}}
    merged = merge_options(flat, parse_options(raw)[0], raw)
    assert merged.drift_baseline == "session" and merged.drift is False
