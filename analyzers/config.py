"""Configuration: `[tool.xyguard]` in pyproject.toml or a `.xyguard.toml`, and inline suppression.

Options are defaulted dataclasses (as jedi-language-server does), so every
interface (CLI flags, LSP settings, files) overrides the same fields.
"""

from __future__ import annotations

import fnmatch
import os
import re
import sys
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any, Iterable

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on 3.10 only
    import tomli as tomllib

from .findings import SEVERITIES, Finding
from .rules import RULES, matches


class ConfigError(ValueError):
    """A configuration file or value the user must fix; the message says where and what."""


@dataclass
class LLMConfig:
    model: str | None = None
    api_base: str | None = None
    timeout: float = 20.0

    @property
    def enabled(self) -> bool:
        return bool(self.model)


QUESTION_MODES = ("context", "block", "off")


@dataclass
class AgentConfig:
    """How an agent host is answered (`[tool.xyguard.agent]`): what a hook does with what the checks found."""

    questions: str = "context"  # a warranted question: added as context for the model, blocks the prompt, or neither
    deny_level: str = "error"  # an edit with a finding at or above this is refused
    ask_level: str | None = "warning"  # ... at or above this (below deny_level) the user is asked; None: never
    approve_clean: bool = False  # a clean edit is approved ("allow"), skipping the host's own permission prompt
    stop_check: bool = False  # on Stop, say so when the session's goal clearly was not addressed


@dataclass
class Config:
    select: list[str] = field(default_factory=lambda: ["ALL"])
    ignore: list[str] = field(default_factory=list)
    severity: dict[str, str] = field(default_factory=dict)
    fail_level: str = "warning"
    exclude: list[str] = field(default_factory=list)
    drift: bool = True  # drift diagnostics in the language server
    max_file_bytes: int = 1_000_000
    llm: LLMConfig = field(default_factory=LLMConfig)
    agent: AgentConfig = field(default_factory=AgentConfig)
    source: str | None = None  # the file the values came from, for messages

    def enabled(self, code: str) -> bool:
        selected = any(matches(code, s) for s in self.select)
        ignored = any(matches(code, s) for s in self.ignore)
        return selected and not ignored

    def excluded(self, path: str | None) -> bool:
        return bool(path) and any(fnmatch.fnmatch(path, pat) or fnmatch.fnmatch(path, pat.rstrip("/") + "/*")
                                  for pat in self.exclude)

    def apply(self, findings: Iterable[Finding]) -> list[Finding]:
        """Select/ignore codes, drop excluded paths, and apply severity overrides."""
        out = []
        for f in findings:
            if not self.enabled(f.code) or self.excluded(f.path):
                continue
            override = self.severity.get(f.code)
            if override:
                f = replace(f, severity=override)
            out.append(f)
        return out

    def with_overrides(self, data: dict[str, Any], origin: str = "settings") -> "Config":
        """A copy with keys from `data` (CLI flags, LSP settings) validated and applied."""
        return _merge(replace(self, llm=replace(self.llm), agent=replace(self.agent)), data, origin)


_KEYS = {f.name for f in fields(Config)} - {"source", "llm", "agent"}
_ALIASES = {"fail-level": "fail_level", "max-file-bytes": "max_file_bytes", "extend-ignore": "ignore"}


def _merge(cfg: Config, data: dict[str, Any], origin: str) -> Config:
    for raw_key, value in data.items():
        key = _ALIASES.get(raw_key, raw_key.replace("-", "_"))
        if key == "llm":
            if not isinstance(value, dict):
                raise ConfigError(f"{origin}: 'llm' must be a table")
            for k, v in value.items():
                if k not in ("model", "api_base", "api-base", "timeout"):
                    raise ConfigError(f"{origin}: unknown key llm.{k}")
                k = k.replace("-", "_")
                if k == "timeout":
                    try:
                        v = float(v)
                    except (TypeError, ValueError):
                        raise ConfigError(f"{origin}: llm.timeout must be a number of seconds") from None
                    if v <= 0:
                        raise ConfigError(f"{origin}: llm.timeout must be positive")
                setattr(cfg.llm, k, v or None if k != "timeout" else v)
            continue
        if key == "agent":
            _merge_agent(cfg.agent, value, origin)
            continue
        if key not in _KEYS:
            raise ConfigError(f"{origin}: unknown key '{raw_key}' (known: {', '.join(sorted(_KEYS | {'llm', 'agent'}))})")
        if key in ("select", "ignore", "exclude"):
            if isinstance(value, str):
                value = [v for v in re.split(r"[,\s]+", value) if v]
            if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                raise ConfigError(f"{origin}: '{raw_key}' must be a list of strings")
            if key != "exclude":
                for sel in value:
                    if sel.upper() != "ALL" and not any(matches(c, sel) for c in RULES):
                        raise ConfigError(f"{origin}: '{sel}' in {raw_key} matches no rule code")
        elif key == "severity":
            if not isinstance(value, dict):
                raise ConfigError(f"{origin}: 'severity' must be a table of CODE = level")
            for code, level in value.items():
                if code not in RULES:
                    raise ConfigError(f"{origin}: severity for unknown code '{code}'")
                if level not in SEVERITIES:
                    raise ConfigError(f"{origin}: severity '{level}' for {code} is not one of {', '.join(SEVERITIES)}")
            value = {**cfg.severity, **value}
        elif key == "fail_level":
            if value not in SEVERITIES:
                raise ConfigError(f"{origin}: fail-level '{value}' is not one of {', '.join(SEVERITIES)}")
        elif key == "drift":
            if not isinstance(value, bool):
                raise ConfigError(f"{origin}: 'drift' must be true or false")
        elif key == "max_file_bytes":
            if not isinstance(value, int) or value <= 0:
                raise ConfigError(f"{origin}: 'max-file-bytes' must be a positive integer")
        setattr(cfg, key, value)
    return cfg


def _merge_agent(agent: AgentConfig, value: Any, origin: str) -> None:
    if not isinstance(value, dict):
        raise ConfigError(f"{origin}: 'agent' must be a table")
    known = {f.name for f in fields(AgentConfig)}
    for raw_key, v in value.items():
        k = raw_key.replace("-", "_")
        if k not in known:
            raise ConfigError(f"{origin}: unknown key agent.{raw_key} (known: {', '.join(sorted(known))})")
        if k == "questions" and v not in QUESTION_MODES:
            raise ConfigError(f"{origin}: agent.questions must be one of {', '.join(QUESTION_MODES)}")
        if k == "deny_level" and v not in SEVERITIES:
            raise ConfigError(f"{origin}: agent.deny-level must be one of {', '.join(SEVERITIES)}")
        if k == "ask_level":
            if v in ("never", "none", False):
                v = None
            elif v not in SEVERITIES:
                raise ConfigError(f"{origin}: agent.ask-level must be one of {', '.join(SEVERITIES)} or 'never'")
        if k in ("approve_clean", "stop_check") and not isinstance(v, bool):
            raise ConfigError(f"{origin}: agent.{raw_key} must be true or false")
        setattr(agent, k, v)


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as fh:
            return tomllib.load(fh)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path.name}: invalid TOML: {exc}") from None
    except OSError as exc:
        raise ConfigError(f"{path.name}: cannot read: {exc.strerror}") from None


def load_config(root: str | os.PathLike | None) -> Config:
    """`.xyguard.toml` wins over `[tool.xyguard]` in pyproject.toml; then the environment for the LLM."""
    cfg = Config()
    if root is not None:
        base = Path(root)
        dedicated = base / ".xyguard.toml"
        pyproject = base / "pyproject.toml"
        if dedicated.is_file() and not dedicated.is_symlink():
            data = _read_toml(dedicated)
            cfg = _merge(cfg, data.get("tool", {}).get("xyguard", data), dedicated.name)
            cfg.source = dedicated.name
        elif pyproject.is_file() and not pyproject.is_symlink():
            section = _read_toml(pyproject).get("tool", {}).get("xyguard")
            if section is not None:
                cfg = _merge(cfg, section, "pyproject.toml [tool.xyguard]")
                cfg.source = "pyproject.toml"
    env = os.environ
    if env.get("XYGUARD_LLM_MODEL"):
        cfg.llm.model = env["XYGUARD_LLM_MODEL"]
    if env.get("XYGUARD_LLM_API_BASE"):
        cfg.llm.api_base = env["XYGUARD_LLM_API_BASE"]
    if env.get("XYGUARD_LLM_TIMEOUT"):
        cfg = _merge(cfg, {"llm": {"timeout": env["XYGUARD_LLM_TIMEOUT"]}}, "XYGUARD_LLM_TIMEOUT")
    return cfg


# ---- inline suppression -------------------------------------------------------------

# `xyguard: ignore` (all codes) or `xyguard: ignore[XY111, DR213]`, in any comment syntax.
_INLINE = re.compile(r"xyguard:\s*ignore(?P<file>-file)?(?:\[(?P<codes>[A-Za-z0-9_,\s]+)\])?", re.IGNORECASE)


def _codes(m: re.Match) -> set[str] | None:
    raw = m.group("codes")
    return None if raw is None else {c.strip().upper() for c in raw.split(",") if c.strip()}


def suppressions(text: str) -> tuple[dict[int, set[str] | None], set[str] | None | bool]:
    """Per-line suppressions {line: codes or None for all} and file-wide ones (False when none)."""
    per_line: dict[int, set[str] | None] = {}
    whole: set[str] | None | bool = False
    if "xyguard:" not in text.lower():
        return per_line, whole
    for lineno, line in enumerate(text.splitlines()):
        for m in _INLINE.finditer(line):
            codes = _codes(m)
            if m.group("file"):
                whole = None if codes is None or whole is None else (codes | (whole or set()))
            else:
                prev = per_line.get(lineno, set())
                per_line[lineno] = None if codes is None or prev is None else prev | codes
    return per_line, whole


def _hit(codes: set[str] | None, code: str) -> bool:
    return codes is None or any(matches(code, c) for c in codes)


def drop_suppressed(findings: Iterable[Finding], text: str, path: str | None = None) -> list[Finding]:
    """Remove findings silenced by an inline comment in `text` (the document the findings point into)."""
    per_line, whole = suppressions(text)
    out = []
    for f in findings:
        if path is not None and f.path not in (None, path):
            out.append(f)
            continue
        if whole is not False and _hit(whole, f.code):
            continue
        if f.range is not None and f.range.start.line in per_line and _hit(per_line[f.range.start.line], f.code):
            continue
        out.append(f)
    return out
