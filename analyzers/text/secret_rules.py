"""gitleaks' maintained rule set (data/gitleaks.toml, MIT, see data/gitleaks-LICENSE.txt), read as data.

Each rule is an RE2 pattern with keywords (a rule runs only when one of
them occurs in the text, as gitleaks does), an entropy floor for the
secret, and allowlists (regexes on the secret, the match or the line, and
stopwords). The patterns are compiled with google-re2, gitleaks' own
engine: Python's backtracking `re` accepts most of them but takes seconds
to minutes on crafted text for several (okta, cohere, curl-auth-*), which
a hostile diff could use to stall every hook. RE2 is linear in the input.

To update: copy `config/gitleaks.toml` from a gitleaks release over
data/gitleaks.toml (a test checks that every rule compiles). Without the
google-re2 wheel the rule set is empty (`RuleSet.unavailable` says why)
and only the local patterns in secrets.py run.
"""

from __future__ import annotations

import functools
import logging
import math
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on 3.10 only
    import tomli as tomllib

log = logging.getLogger("xyguard.secrets")

RULES_FILE = Path(__file__).with_name("data") / "gitleaks.toml"


def entropy(value: str) -> float:
    """Shannon entropy in bits per character (gitleaks' measure)."""
    if not value:
        return 0.0
    counts: dict[str, int] = {}
    for ch in value:
        counts[ch] = counts.get(ch, 0) + 1
    n = len(value)
    return -sum(c / n * math.log2(c / n) for c in counts.values())


@functools.lru_cache(maxsize=None)
def compiled(source: str) -> Any:
    """An RE2 pattern, compiled the first time a rule is used: a hook process that scans a three-file diff
    meets the keywords of a handful of the 221 rules, and compiling all of them cost ~40 ms per process."""
    return _compiler()(source)


@dataclass(frozen=True)
class Allowlist:
    target: str  # "secret", "match" or "line"
    sources: tuple[str, ...] = ()  # regexes, compiled on first use
    stopwords: tuple[str, ...] = ()

    @property
    def regexes(self) -> tuple[Any, ...]:
        return tuple(compiled(s) for s in self.sources)

    def allows(self, secret: str, match: str, line: str) -> bool:
        subject = {"match": match, "line": line}.get(self.target, secret)
        if any(r.search(subject) for r in self.regexes):
            return True
        lowered = secret.lower()
        return any(word in lowered for word in self.stopwords)


@dataclass(frozen=True)
class Rule:
    id: str
    source: str  # the RE2 pattern, compiled on first use (`pattern`)
    keywords: tuple[str, ...]
    entropy: float = 0.0
    secret_group: int = 0
    allowlists: tuple[Allowlist, ...] = field(default=())

    @property
    def pattern(self) -> Any:
        return compiled(self.source)

    def secret_span(self, m) -> tuple[int, int]:
        """gitleaks' secret: the configured group, else the first non-empty group, else the whole match."""
        if self.secret_group and m.group(self.secret_group):
            return m.span(self.secret_group)
        for i in range(1, self.pattern.groups + 1):
            if m.group(i):
                return m.span(i)
        return m.span(0)


@dataclass(frozen=True)
class RuleSet:
    rules: tuple[Rule, ...]
    global_allow: Allowlist
    skipped: tuple[str, ...] = ()  # ids of rules RE2 would not compile
    unavailable: str | None = None  # why there are no rules at all


@functools.lru_cache(maxsize=1)
def _compiler():
    import re2  # noqa: PLC0415 - loaded with the rules, on first use

    options = re2.Options()
    options.log_errors = False  # RE2 would print parse errors on stderr itself
    return lambda pattern: re2.compile(pattern, options)


def _allowlist(data: dict) -> Allowlist | None:
    if data.get("paths") and data.get("condition", "OR").upper() == "AND":
        return None  # needs a file path to hold; text alone never satisfies it
    regexes = tuple(data.get("regexes", []))
    stopwords = tuple(w.lower() for w in data.get("stopwords", []))
    if not regexes and not stopwords:
        return None
    return Allowlist(data.get("regexTarget", "secret"), regexes, stopwords)


def compile_all(rules: RuleSet) -> list[str]:
    """Ids of the rules (or their allowlists) that RE2 will not compile; `load` defers compiling to first use,
    so this is what a rule-set update is checked with."""
    bad = []
    for rule in rules.rules:
        try:
            rule.pattern
            for allow in rule.allowlists:
                allow.regexes
        except Exception:  # noqa: BLE001 - re2.error and bad values alike
            bad.append(rule.id)
    return bad


@functools.lru_cache(maxsize=1)
def load() -> RuleSet:
    """The rule set, compiled once per process (on first use: most runs never scan for secrets)."""
    try:
        _compiler()
    except ImportError as exc:
        log.warning("google-re2 is not installed (%s): gitleaks' rules are off, the local patterns remain", exc)
        return RuleSet((), Allowlist("secret"), unavailable=f"google-re2 is not installed ({exc})")
    with RULES_FILE.open("rb") as fh:
        data = tomllib.load(fh)
    rules, skipped = [], []
    for raw in data.get("rules", []):
        if "regex" not in raw:
            continue  # path-only rules (a .p12 file) say nothing about text
        try:
            lists = tuple(a for a in (_allowlist(x) for x in raw.get("allowlists", [])) if a is not None)
            rules.append(Rule(raw["id"], str(raw["regex"]), tuple(k.lower() for k in raw.get("keywords", [])),
                              float(raw.get("entropy", 0.0)), int(raw.get("secretGroup", 0)), lists))
        except (TypeError, ValueError):  # a malformed entry: one rule, not the whole set
            skipped.append(str(raw.get("id", "?")))
    if skipped:
        log.warning("%d gitleaks rule(s) skipped (do not compile): %s", len(skipped), ", ".join(skipped))
    glob = data.get("allowlist", {})
    global_allow = Allowlist("secret", tuple(glob.get("regexes", [])), tuple(w.lower() for w in glob.get("stopwords", [])))
    return RuleSet(tuple(rules), global_allow, tuple(skipped))
