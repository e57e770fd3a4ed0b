"""The package, the registry, configuration, suppression and output formats."""

from __future__ import annotations

import importlib
import re
import json
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from xyguard.analyzers import rules
from xyguard.analyzers.config import ConfigError, drop_suppressed, load_config
from xyguard.analyzers.findings import Finding, Range, offset_to_position, span_range
from xyguard.server.formats import render_findings, sarif

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

ROOT = Path(__file__).resolve().parents[1]
XYGUARD = [sys.executable, "-m", "xyguard.server"]


def _declared_packages() -> list[str]:
    return tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["packages"]


def test_every_python_folder_is_a_declared_package():
    mapping = {"server": "xyguard.server", "analyzers": "xyguard.analyzers", "prompts": "xyguard.prompts"}
    found = set()
    for top, dotted in mapping.items():
        for init in (ROOT / top).rglob("__init__.py"):
            rel = init.parent.relative_to(ROOT / top)
            found.add(".".join([dotted, *rel.parts]))
    missing = found - set(_declared_packages())
    assert not missing, f"add to [tool.setuptools] packages in pyproject.toml: {sorted(missing)}"


def test_wheel_contains_every_package_and_data_file(tmp_path):
    subprocess.run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "--no-build-isolation", "-w", str(tmp_path),
                    str(ROOT)], check=True, capture_output=True)
    (wheel,) = tmp_path.glob("xyguard-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    for package in _declared_packages():
        assert f"{package.replace('.', '/')}/__init__.py" in names, package
    for data in (ROOT / "prompts").glob("*.md"):
        assert f"xyguard/prompts/{data.name}" in names
    for data in (ROOT / "analyzers" / "request").glob("*.toml"):
        assert f"xyguard/analyzers/request/{data.name}" in names


def test_every_listed_command_exists_and_the_cli_answers_help():
    from xyguard.server.cli import COMMANDS

    for name in COMMANDS:
        module = importlib.import_module(f"xyguard.server.cli.{name.replace('-', '_')}")
        assert callable(module.add_parser)
    out = subprocess.run([*XYGUARD, "--help"], capture_output=True, text=True)
    assert out.returncode == 0
    for name in COMMANDS:
        assert name in out.stdout
    assert subprocess.run([*XYGUARD], capture_output=True).returncode == 2
    bad = subprocess.run([*XYGUARD, "no-such-command"], capture_output=True, text=True)
    assert bad.returncode == 2 and "invalid choice" in bad.stderr
    version = subprocess.run([*XYGUARD, "--version"], capture_output=True, text=True)
    assert version.returncode == 0 and re.fullmatch(r"xyguard \S+\n", version.stdout) and version.stderr == ""


def test_registry_is_complete_and_points_at_real_modules():
    for code, rule in rules.RULES.items():
        assert code == rule.code and code[:2] in ("XY", "DR", "SC") and code[2:].isdigit()
        assert rule.summary and rule.rationale and rule.example and rule.name
        module_file = ROOT / "analyzers" / (rule.module.replace(".", "/") + ".py")
        assert module_file.is_file(), f"{code} names {rule.module}, which does not exist"
        assert code in module_file.read_text() or rule.name in module_file.read_text(), \
            f"{code} is not mentioned in {rule.module}"


def test_docs_table_is_generated_from_the_registry():
    assert (ROOT / "docs" / "rules.md").read_text() == rules.render_markdown() + "\n", \
        "docs/rules.md is stale: run `make docs`"


def test_rules_command_lists_and_explains_codes():
    listing = subprocess.run([*XYGUARD, "rules"], capture_output=True, text=True).stdout
    assert all(code in listing for code in rules.RULES)
    one = subprocess.run([*XYGUARD, "rules", "dr202"], capture_output=True, text=True)
    assert one.returncode == 0 and "public-api-break" in one.stdout and "Why it matters" in one.stdout
    unknown = subprocess.run([*XYGUARD, "rules", "XY999"], capture_output=True, text=True)
    assert unknown.returncode == 2 and "unknown code" in unknown.stderr
    as_json = json.loads(subprocess.run([*XYGUARD, "rules", "--format", "json"], capture_output=True, text=True).stdout)
    assert {r["code"] for r in as_json} == set(rules.RULES)


def _f(code, line=0, path=None):
    return rules.make(code, "m", range=Range.lines(line), path=path)


def test_config_select_ignore_severity_and_exclude(tmp_path):
    (tmp_path / "pyproject.toml").write_text(
        '[tool.xyguard]\nselect = ["XY", "DR2"]\nignore = ["DR213"]\nfail-level = "error"\n'
        'exclude = ["vendor/"]\n[tool.xyguard.severity]\nXY111 = "error"\n')
    cfg = load_config(tmp_path)
    kept = cfg.apply([_f("XY111"), _f("DR213"), _f("DR202"), _f("SC301"), _f("DR202", path="vendor/x.py")])
    assert [(f.code, f.severity) for f in kept] == [("XY111", "error"), ("DR202", "error")]
    assert cfg.fail_level == "error" and cfg.source == "pyproject.toml"
    (tmp_path / ".xyguard.toml").write_text('ignore = ["XY"]\n')
    assert load_config(tmp_path).apply([_f("XY111"), _f("DR213")])[0].code == "DR213"


@pytest.mark.parametrize("text, message", [
    ("select = [", "invalid TOML"),
    ('colour = "red"', "unknown key 'colour'"),
    ('fail-level = "fatal"', "fail-level 'fatal'"),
    ('select = ["ZZ9"]', "matches no rule code"),
    ('[severity]\nDR202 = "loud"', "severity 'loud'"),
    ('[llm]\ntimeout = -1', "llm.timeout must be positive"),
])
def test_bad_configuration_is_a_clear_error(tmp_path, text, message):
    (tmp_path / ".xyguard.toml").write_text(text)
    with pytest.raises(ConfigError, match=message.replace("[", r"\[")):
        load_config(tmp_path)


def test_bad_configuration_exits_2_from_the_cli(tmp_path):
    (tmp_path / ".xyguard.toml").write_text("select = [")
    out = subprocess.run([*XYGUARD, "index", "--repo", str(tmp_path)], capture_output=True, text=True)
    assert out.returncode == 2 and ".xyguard.toml: invalid TOML" in out.stderr and "Traceback" not in out.stderr


def test_llm_settings_from_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("XYGUARD_LLM_MODEL", "openai/gpt-x")
    monkeypatch.setenv("XYGUARD_LLM_TIMEOUT", "7.5")
    cfg = load_config(tmp_path)
    assert cfg.llm.enabled and cfg.llm.model == "openai/gpt-x" and cfg.llm.timeout == 7.5
    monkeypatch.delenv("XYGUARD_LLM_MODEL")
    assert not load_config(tmp_path).llm.enabled


def test_inline_suppression_by_line_code_and_file():
    text = "line zero\nvague stuff <!-- xyguard: ignore[XY111] -->\nplain\n# xyguard: ignore\n"
    found = [_f("XY111", 1), _f("XY110", 1), _f("XY111", 2), _f("XY113", 3)]
    assert [(f.code, f.range.start.line) for f in drop_suppressed(found, text)] == [("XY110", 1), ("XY111", 2)]
    assert drop_suppressed(found, "xyguard: ignore-file[XY11]\n") == []


def test_positions_are_utf16_and_handle_crlf():
    text = "a😀b\r\nsecond\rthird"
    assert offset_to_position(text, 2).to_dict() == {"line": 0, "character": 3}  # the emoji is two UTF-16 units
    assert offset_to_position(text, text.index("second") + 1).to_dict() == {"line": 1, "character": 1}
    assert offset_to_position(text, text.index("third")).to_dict() == {"line": 2, "character": 0}
    assert span_range(text, 0, 3).end.character == 4


def test_sarif_is_2_1_0_with_rules_and_locations():
    findings = [rules.make("DR202", "removed fetch()", path="pkg/net.py", range=Range.lines(4, 6), evidence="def fetch"),
                rules.make("XY101", "XY pattern", range=Range.lines(0), question="Which?")]
    doc = sarif(findings)
    assert doc["version"] == "2.1.0" and doc["$schema"].endswith("sarif-2.1.0.json")
    run = doc["runs"][0]
    assert [r["id"] for r in run["tool"]["driver"]["rules"]] == ["DR202", "XY101"]
    first, second = run["results"]
    assert first["level"] == "error" and first["ruleIndex"] == 0
    region = first["locations"][0]["physicalLocation"]["region"]
    assert region["startLine"] == 5 and region["endLine"] == 7
    assert second["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "request.md"
    assert "Which?" in second["message"]["text"]


def test_text_output_reads_like_a_linter():
    f = rules.make("DR202", "removed fetch()", path="pkg/net.py", range=Range.lines(4), evidence="def fetch(url)")
    out = render_findings([f], colour=False)
    assert out.startswith("pkg/net.py:5:1: DR202 error removed fetch()") and "evidence: def fetch(url)" in out
    assert Finding.from_dict(f.to_dict()) == f
