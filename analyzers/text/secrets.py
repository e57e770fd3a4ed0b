"""Credential patterns, shared by the secret check (DR216) and the LLM path's redaction.

`find_secrets(text)` -> [(kind, start, end)] spans of the secret values;
`redact(text)` replaces each with `[REDACTED:kind]`. Specific token formats
(AWS, GitHub, OpenAI...) are trusted as they are; generic `password = "..."`
assignments must look like a real value, not a placeholder.
"""

from __future__ import annotations

import math
import re

# (kind, pattern, group holding the secret). Specific formats first: an overlap keeps the first match.
_PATTERNS: list[tuple[str, re.Pattern[str], int]] = [
    ("private-key", re.compile(r"-----BEGIN (?:[A-Z]+ )*PRIVATE KEY(?: BLOCK)?-----[\s\S]*?(?:-----END (?:[A-Z]+ )*PRIVATE KEY(?: BLOCK)?-----|\Z)"), 0),
    ("gcp-service-account", re.compile(r'"private_key"\s*:\s*"(-----BEGIN[^"]+)"'), 1),
    ("aws-access-key", re.compile(r"\b((?:AKIA|ASIA|ABIA|ACCA)[0-9A-Z]{16})\b"), 1),
    ("aws-secret-key", re.compile(r"(?i)aws_?secret_?(?:access_?)?key\w*\s*[:=]\s*['\"]?([A-Za-z0-9/+=]{40})\b"), 1),
    ("github-token", re.compile(r"\b((?:ghp|gho|ghu|ghs|ghr)_[A-Za-z0-9]{36,255}|github_pat_[A-Za-z0-9_]{22,255})\b"), 1),
    ("anthropic-key", re.compile(r"\b(sk-ant-(?:api|admin)\d{2}-[A-Za-z0-9_\-]{20,})"), 1),
    ("openai-key", re.compile(r"\b(sk-(?:proj-|svcacct-|admin-)?[A-Za-z0-9_\-]{20,}T3BlbkFJ[A-Za-z0-9_\-]{20,}|sk-(?:proj|svcacct)-[A-Za-z0-9_\-]{40,}|sk-[A-Za-z0-9]{48})\b"), 1),
    ("gcp-api-key", re.compile(r"\b(AIza[0-9A-Za-z_\-]{35})\b"), 1),
    ("slack-token", re.compile(r"\b(xox[abposr]-[0-9A-Za-z\-]{10,})\b"), 1),
    ("stripe-key", re.compile(r"\b((?:sk|rk)_live_[0-9A-Za-z]{20,})\b"), 1),
    ("jwt", re.compile(r"\b(eyJ[A-Za-z0-9_\-]{8,}\.eyJ[A-Za-z0-9_\-]{8,}\.[A-Za-z0-9_\-]{16,})"), 1),
    ("url-credentials", re.compile(r"\b[a-z][a-z0-9+.\-]*://[^\s:/@'\"]+:([^\s@/'\"]{3,})@[\w.\-]+"), 1),
    ("password", re.compile(
        r"(?i)\b[\w.\-]*(?:password|passwd|pwd|secret|api_?key|apikey|access_?token|auth_?token|client_?secret|private_?key)"
        r"[\w\-]*['\"]?\s*(?::=|=>|[:=])\s*[rbuf]?(['\"])([^'\"\s]{8,})\1"), 2),
]

_PLACEHOLDER = re.compile(
    r"(?i)(x{3,}|\*{3,}|\.{3}|<[^>]*>|\$\{|\{\{|%\(|%s|example|sample|dummy|placeholder|changeme|change_me|your[_\-]|"
    r"my[_\-]?(?:password|secret|key)|redacted|replace|insert|todo|fixme|test|fake|mock|foo|bar|secret_?key_?here|"
    r"password\d*$|^pass(?:word)?$|^none$|^null$|environ|getenv|settings\.|config\.)")


def _entropy(value: str) -> float:
    counts: dict[str, int] = {}
    for ch in value:
        counts[ch] = counts.get(ch, 0) + 1
    return -sum(n / len(value) * math.log2(n / len(value)) for n in counts.values())


def _plausible_generic(value: str) -> bool:
    """A generic assignment counts only when the value looks like a real credential."""
    if _PLACEHOLDER.search(value):
        return False
    if re.fullmatch(r"[A-Za-z_][\w.]*", value) and not re.search(r"\d", value):
        return False  # an identifier or dotted name, e.g. password = "PASSWORD_FIELD"
    classes = sum(bool(re.search(p, value)) for p in (r"[a-z]", r"[A-Z]", r"\d", r"[^A-Za-z0-9]"))
    return classes >= 2 and _entropy(value) >= 2.5


def find_secrets(text: str) -> list[tuple[str, int, int]]:
    found: list[tuple[str, int, int]] = []
    for kind, pattern, group in _PATTERNS:
        for m in pattern.finditer(text):
            start, end = m.span(group)
            value = m.group(group)
            if kind == "password" and not _plausible_generic(value):
                continue
            if kind in ("aws-access-key",) and value.endswith("EXAMPLE"):
                continue
            if kind == "url-credentials" and (_PLACEHOLDER.search(value) or value.startswith("$")):
                continue
            if any(s < end and start < e for _, s, e in found):
                continue
            found.append((kind, start, end))
    return sorted(found, key=lambda x: x[1])


def redact(text: str) -> str:
    out, pos = [], 0
    for kind, start, end in find_secrets(text):
        out.append(text[pos:start])
        out.append(f"[REDACTED:{kind}]")
        pos = end
    out.append(text[pos:])
    return "".join(out)
