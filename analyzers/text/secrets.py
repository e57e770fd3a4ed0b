"""Credentials in text, for two readers with different costs of a mistake.

    find_secrets(text)        -> [(kind, start, end)]  what DR216 reports: a finding must be right
    find_secret_shapes(text)  -> [(kind, start, end)]  what the model must never see: anything secret-shaped
    redact(text)              -> text with each shape replaced by `[REDACTED:kind]`

Both read gitleaks' maintained rule set (secret_rules.py: ~220 token
formats, with its keywords, entropy floors and allowlists) after a few
local patterns whose kind names the findings and tests already use.
DR216 also allows documented example keys and placeholders
("AKIA...EXAMPLE", "your-password-here"). Redaction allows nothing it can
avoid: it adds keyword assignments (`*_KEY`, `*_TOKEN`, `*SECRET*`,
`PASSWORD` ... in .env, YAML, TOML, JSON and code, quoted or not) and
high-entropy tokens. Every pattern here is linear in the input: the
gitleaks rules run on RE2, the local ones have bounded repetitions.
"""

from __future__ import annotations

import functools
import logging
import math
import re

from .secret_rules import entropy, load

log = logging.getLogger("xyguard.secrets")

Span = tuple[str, int, int]

# (kind, pattern, group holding the secret). Specific formats first: an overlap keeps the first match.
_PATTERNS: list[tuple[str, re.Pattern[str], int]] = [
    ("private-key", re.compile(r"-----BEGIN (?:[A-Z]+ ){0,4}PRIVATE KEY(?: BLOCK)?-----[\s\S]*?(?:-----END (?:[A-Z]+ ){0,4}PRIVATE KEY(?: BLOCK)?-----|\Z)"), 0),
    ("gcp-service-account", re.compile(r'"private_key"\s{0,10}:\s{0,10}"(-----BEGIN[^"]{1,20000})"'), 1),
    ("aws-access-key", re.compile(r"\b((?:AKIA|ASIA|ABIA|ACCA)[0-9A-Z]{16})\b"), 1),
    ("aws-secret-key", re.compile(r"(?i)aws_?secret_?(?:access_?)?key\w{0,20}\s{0,5}[:=]\s{0,5}['\"]?([A-Za-z0-9/+=]{40})\b"), 1),
    ("github-token", re.compile(r"\b((?:ghp|gho|ghu|ghs|ghr)_[A-Za-z0-9]{36,255}|github_pat_[A-Za-z0-9_]{22,255})\b"), 1),
    ("anthropic-key", re.compile(r"\b(sk-ant-(?:api|admin)\d{2}-[A-Za-z0-9_\-]{20,400})"), 1),
    ("openai-key", re.compile(r"\b(sk-(?:proj-|svcacct-|admin-)?[A-Za-z0-9_\-]{20,200}T3BlbkFJ[A-Za-z0-9_\-]{20,200}|sk-(?:proj|svcacct)-[A-Za-z0-9_\-]{40,400}|sk-[A-Za-z0-9]{48})\b"), 1),
    ("gcp-api-key", re.compile(r"\b(AIza[0-9A-Za-z_\-]{35})\b"), 1),
    ("slack-token", re.compile(r"\b(xox[abposr]-[0-9A-Za-z\-]{10,300})\b"), 1),
    ("stripe-key", re.compile(r"\b((?:sk|rk)_live_[0-9A-Za-z]{20,200})\b"), 1),
    ("azure-storage-key", re.compile(r"(?i)\bAccountKey\s{0,3}=\s{0,3}([A-Za-z0-9+/]{40,200}={0,2})"), 1),
    ("jwt", re.compile(r"\b(eyJ[A-Za-z0-9_\-]{8,2000}\.eyJ[A-Za-z0-9_\-]{8,4000}\.[A-Za-z0-9_\-]{16,2000})"), 1),
    ("url-credentials", re.compile(r"\b[a-z][a-z0-9+.\-]{0,30}://[^\s:/@'\"]{1,256}:([^\s@/'\"]{3,256})@([\w.\-]{1,256})"), 1),
    ("password", re.compile(
        r"(?i)\b[\w.\-]{0,60}?(?:password|passwd|pwd|secret|api_?key|apikey|access_?token|auth_?token|client_?secret|private_?key)"
        r"[\w\-]{0,40}['\"]?\s{0,5}(?::=|=>|[:=])\s{0,5}[rbuf]?(['\"])([^'\"\s]{8,512})\1"), 2),
]

_PLACEHOLDER = re.compile(
    r"(?i)(x{3,}|\*{3,}|\.{3}|<[^>]*>|\$\{|\{\{|%\(|%s|example|sample|dummy|placeholder|changeme|change_me|your[_\-]|"
    r"my[_\-]?(?:password|secret|key)|redacted|replace|insert|todo|fixme|test|fake|mock|foo|bar|secret_?key_?here|"
    r"password\d*$|^pass(?:word)?$|^none$|^null$|environ|getenv|settings\.|config\.)")
# Hosts reserved for documentation and tests (RFC 2606, RFC 6761): credentials for them reach no real service.
_DOCUMENTATION_HOST = re.compile(r"(?i)(?:^|\.)(?:example\.(?:com|org|net)|example|test|invalid)$")
# The developer's own machine: a database there (`postgresql://scott:tiger@127.0.0.1/test`) serves no one else.
_LOOPBACK_HOST = re.compile(r"(?i)^(?:localhost|127(?:\.\d{1,3}){3}|0\.0\.0\.0)$")
# A template's slot (`{password}`, `{}`) stands where a value will go.
_FORMAT_FIELD = re.compile(r"\{\w*\}")
# A value that is a word standing for a secret, not one (`password="password"` in a documentation example).
_PLACEHOLDER_VALUE = re.compile(r"(?i)(?:pass(?:word|wd)?\d*|secret|changeme|change_me|example|dummy|placeholder|test|fake|"
                                r"none|null|x{3,}|\*{3,}|<[^>]*>|\$\{[^}]*\}|\{\{[^}]*\}\}|your[_\-][\w\-]*)")
# What a documented example key says about itself; a real token in a known format never says it.
_EXAMPLE = re.compile(r"(?i)example|sample|dummy|placeholder|your[_\-]|x{6,}|0{10,}|1234567890")
# gitleaks' broad assignment rule: the local `password` pattern with its placeholder checks replaces it in DR216.
_GENERIC = "generic-api-key"


def _plausible_generic(value: str) -> bool:
    """A generic assignment counts only when the value looks like a real credential."""
    if _PLACEHOLDER.search(value):
        return False
    if re.fullmatch(r"[A-Za-z_][\w.]*", value) and not re.search(r"\d", value):
        return False  # an identifier or dotted name, e.g. password = "PASSWORD_FIELD"
    classes = sum(bool(re.search(p, value)) for p in (r"[a-z]", r"[A-Z]", r"\d", r"[^A-Za-z0-9]"))
    return classes >= 2 and entropy(value) >= 2.5


def _plain(value: str) -> str:
    """A URL's password as its author wrote it: percent-escapes decoded and accents dropped ("p%C3%A4ssword" is
    "password")."""
    import unicodedata
    from urllib.parse import unquote

    decoded = unicodedata.normalize("NFKD", unquote(value))
    return "".join(c for c in decoded if not unicodedata.combining(c))


def _line_at(text: str, start: int, end: int) -> str:
    return text[text.rfind("\n", 0, start) + 1: (text.find("\n", end) + 1 or len(text) + 1) - 1]


def _local(text: str, strict: bool) -> list[Span]:
    found = []
    for kind, pattern, group in _PATTERNS:
        for m in pattern.finditer(text):
            start, end = m.span(group)
            value = m.group(group)
            if strict:
                if kind == "password" and not _plausible_generic(value):
                    continue
                if kind == "aws-access-key" and value.endswith("EXAMPLE"):
                    continue
                if kind == "url-credentials" and (_PLACEHOLDER.search(_plain(value)) or value.startswith("$")
                                                  or _FORMAT_FIELD.search(value)
                                                  or _DOCUMENTATION_HOST.search(m.group(2))
                                                  or _LOOPBACK_HOST.match(m.group(2))):
                    continue
            elif value.startswith("$") or value.startswith("${"):
                continue  # a reference to a variable is not the secret
            found.append((kind, start, end))
    return found


@functools.lru_cache(maxsize=None)
def _report_uncompilable(rule_id: str) -> None:
    log.warning("gitleaks rule %s skipped: RE2 does not compile it", rule_id)


def _gitleaks(text: str, strict: bool) -> list[Span]:
    rules = load()
    lowered = text.lower()
    found = []
    for rule in rules.rules:
        if strict and rule.id == _GENERIC:
            continue
        if rule.keywords and not any(k in lowered for k in rule.keywords):
            continue
        try:
            pattern = rule.pattern
        except Exception:  # noqa: BLE001 - a rule RE2 will not compile is skipped, once logged
            _report_uncompilable(rule.id)
            continue
        for m in pattern.finditer(text):
            start, end = rule.secret_span(m)
            secret = text[start:end]
            if not secret or any(r.search(secret) for r in rules.global_allow.regexes):
                continue
            if rule.entropy and entropy(secret) <= rule.entropy:
                continue
            if rule.id.startswith("generic") and not any(c.isdigit() for c in secret):
                continue  # as gitleaks: a generic value without a digit is a word, not a key
            if strict:
                line = _line_at(text, start, end)
                if _EXAMPLE.search(secret) or _PLACEHOLDER_VALUE.fullmatch(secret.strip("\"'`")) \
                        or any(a.allows(secret, m.group(0), line) for a in rule.allowlists):
                    continue
                if any(w in secret.lower() for w in rules.global_allow.stopwords):
                    continue
            found.append((rule.id, start, end))
    return found


# ---- redaction only: assignments to secret-named keys, and high-entropy tokens --------------------

# A name, optionally quoted, then an assignment operator, then a quoted or bare value. The name is checked
# in Python (`_secret_name`): a pattern listing the words would have to repeat them for every casing style.
_ASSIGNMENT = re.compile(
    r"""(?P<name>[A-Za-z_][\w.\-]{0,80})["']?[ \t]{0,10}(?P<op>:=|=>|==|=|:)[ \t]{0,10}"""
    r"""(?:(?P<q>["'`])(?P<quoted>[^"'`\n]{1,1000})(?P=q)|(?P<bare>[^\s"'`,;#]{1,1000}))""")
_SECRET_WORDS = ("secret", "passw", "pwd", "credential", "apikey", "api_key", "api-key", "private_key", "privatekey",
                 "passphrase")
# Names ending in "key" that name a structure, not a credential.
_NOT_SECRET_KEYS = re.compile(r"(?i)(?:^|[_.\-])(?:primary|foreign|sort|cache|partition|lookup|dict|hash|public|pub|row|map|"
                              r"group|index|unique|composite|natural|surrogate|hot|shortcut|i18n|translation|message|"
                              r"react|list|item|column|field|sequence|idempotency)[_\-]?key$|^key$|^keys$|monkey$|turkey$")
_ENV_LINE = re.compile(r"^[+\- ]?[ \t]*(?:export[ \t]+)?[A-Z][A-Z0-9_]*=")  # KEY=value: every value is a literal
_REFERENCE = re.compile(r"^(?:\$|%\(|\{\{|<[^>]*>$|process\.env|os\.environ|os\.getenv|env\(|ENV\[|getenv)")
_BARE_WORDS = frozenset({"str", "string", "int", "bool", "bytes", "none", "null", "nil", "true", "false", "required",
                         "optional", "undefined", "self", "this", "text", "password", "secret", "token", "any"})
_BARE_CREDENTIAL = re.compile(r"(?=.*[A-Za-z])(?=.*\d).{6}")  # letters and digits, six or more
_EXPRESSION = re.compile(r"^[A-Za-z_][\w.]*(?:\(.*\)|\[.*\])?$")  # a name, attribute, call or subscript


def _secret_name(name: str) -> bool:
    lowered = name.lower().strip(".-_")
    if _NOT_SECRET_KEYS.search(lowered):
        return False
    if any(word in lowered for word in _SECRET_WORDS) or lowered.endswith("token"):
        return True
    # *_KEY / *Key: a key named by what it unlocks (API_KEY, stripeKey, SIGNING-KEY).
    return bool(re.search(r"(?:[_.\-]key|[a-z]Key|[_.\-]KEY)$", name.strip(".-_"))) or lowered.endswith("keys")


def _assignments(text: str) -> list[Span]:
    found = []
    for m in _ASSIGNMENT.finditer(text):
        if not _secret_name(m.group("name")) or m.group("op") == "==":
            continue
        group = "quoted" if m.group("quoted") is not None else "bare"
        value = m.group(group)
        if len(value) < 4 or _REFERENCE.match(value) or value.replace(".", "").isdigit():
            continue
        if group == "bare" and not _ENV_LINE.match(_line_at(text, m.start(), m.end())):
            # In code or YAML a bare value may be an expression or a type (`password: str`, `key = load_key()`).
            if (value.lower() in _BARE_WORDS or (_EXPRESSION.match(value) and not re.search(r"\d", value))
                    or re.search(r"[(){}\[\]]", value) or not _BARE_CREDENTIAL.search(value)):
                continue
        found.append(("secret-assignment", *m.span(group)))
    return found


_TOKEN = re.compile(r"(?<![A-Za-z0-9+/_\-])[A-Za-z0-9+/_\-]{20,4096}={0,2}")  # `=` only as base64 padding
_HEX = re.compile(r"[0-9a-fA-F]+")
_HASH_LENGTHS = (40, 64)  # git object ids and content digests: not credentials, and diffs are full of them


def _high_entropy(text: str) -> list[Span]:
    found = []
    for m in _TOKEN.finditer(text):
        token = m.group(0).strip("=-_/")
        if not token or not re.search(r"\d", token) or not re.search(r"[A-Za-z]", token):
            continue
        if _HEX.fullmatch(token):
            if len(token) >= 32 and len(token) not in _HASH_LENGTHS and entropy(token) >= 3.0:
                found.append(("high-entropy", *m.span()))
            continue
        if "/" in token and token.count("/") > 2 and not token.endswith("="):
            continue  # a path
        if _class_switches(token) < MIN_CLASS_SWITCHES:
            continue  # words and numbers in runs: an identifier, a slug, an issue link, not a random key
        floor = min(4.5, math.log2(len(token)) - 0.7)
        if entropy(token) >= floor:
            found.append(("high-entropy", *m.span()))
    return found


# A random key drawn from upper, lower and digits changes class at ~60% of its characters; CamelCase names,
# slugs and "pullrequestreview-3106604795" at under 30%.
MIN_CLASS_SWITCHES = 0.35


def _class_switches(token: str) -> float:
    token = token.replace("_", "").replace("-", "")  # separators of words (snake_case, slugs), not key material
    classes = ["u" if c.isupper() else "l" if c.islower() else "d" if c.isdigit() else "p" for c in token]
    return sum(a != b for a, b in zip(classes, classes[1:])) / max(1, len(token) - 1)


def _resolve(spans: list[Span]) -> list[Span]:
    """Earlier sources win an overlap (the order is the order of trust in the kind's name)."""
    if not spans:
        return []
    taken = bytearray(max(end for _, _, end in spans))
    kept: list[Span] = []
    for kind, start, end in spans:
        if start >= end or any(taken[start:end]):
            continue
        kept.append((kind, start, end))
        taken[start:end] = b"\1" * (end - start)
    return sorted(kept, key=lambda x: x[1])


def find_secrets(text: str) -> list[Span]:
    """Credentials worth a DR216 finding: known token formats and plausible assignments, not example keys."""
    return _resolve(_local(text, strict=True) + _gitleaks(text, strict=True))


def find_secret_shapes(text: str) -> list[Span]:
    """Everything secret-shaped, example keys included: what redaction removes before text reaches a model."""
    return _resolve(_local(text, strict=False) + _gitleaks(text, strict=False) + _assignments(text)
                    + _high_entropy(text))


def redact(text: str) -> str:
    out, pos = [], 0
    for kind, start, end in find_secret_shapes(text):
        out.append(text[pos:start])
        out.append(f"[REDACTED:{kind}]")
        pos = end
    out.append(text[pos:])
    return "".join(out)
