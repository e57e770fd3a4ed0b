"""Secrets never reach the model: 17 shapes developers commit, sent through the real CLI, litellm and a fake endpoint.

The red-team pass staged one diff holding 17 common secret shapes and saw 10 of them go out verbatim, and the
head of a token cut at the section limit go out too. Here the same happens through `xyguard edit --staged` and
`xyguard request` with a model configured: the fake endpoint (tests/fake_llm.py) records the bytes it receives.
"""

from __future__ import annotations

import importlib.util
import json

import pytest

from fake_llm import FakeModel
from gitrepo import Repo
from hostile import clean_env, xyguard
from secret_shapes import PRIVATE_KEY, SHAPES

from xyguard.analyzers.llm.payload import MAX_SECTION_CHARS, Payload
from xyguard.analyzers.text import secret_rules
from xyguard.analyzers.text.secrets import find_secret_shapes, find_secrets, redact

needs_litellm = pytest.mark.skipif(importlib.util.find_spec("litellm") is None,
                                   reason="litellm is not installed (the llm extra)")
EDIT_REPLY = json.dumps({"findings": []})
REQUEST_REPLY = json.dumps({"needs_clarification": False, "findings": []})


def _leaks(secret: str, sent: str, width: int = 8) -> list[str]:
    """Every `width`-character piece of the secret found in what was sent (a cut token leaks its head)."""
    return [secret[i:i + width] for i in range(len(secret) - width + 1) if secret[i:i + width] in sent]


@pytest.fixture
def model():
    server = FakeModel(EDIT_REPLY)
    yield server
    server.close()


def _env(model: FakeModel) -> dict[str, str]:
    return clean_env(**model.env())


@needs_litellm
def test_all_17_shapes_in_one_staged_diff_are_redacted(tmp_path, model):
    repo = Repo(tmp_path / "repo")
    repo.commit("start", {"app/settings.py": "DEBUG = False\n"})
    lines = [line for _, line, _ in SHAPES]
    repo.stage({
        ".env": "\n".join(lines[:2]) + "\n",
        "deploy/config.yaml": "database:\n" + lines[2] + "\n",
        "app/settings.py": "DEBUG = False\n" + "\n".join(lines[3:]) + "\n" + f'KEY = """{PRIVATE_KEY}"""\n',
    })
    proc = xyguard("edit", "--staged", "--repo", str(repo.root), "--format", "json", cwd=repo.root, env=_env(model))
    assert proc.returncode in (0, 1), proc.stderr.decode()
    assert model.raw, "the model was never asked: nothing shows the payload path ran"
    sent = b"".join(model.raw).decode("utf-8")
    assert len(SHAPES) == 17
    leaked = {name: _leaks(secret, sent) for name, _, secret in SHAPES if _leaks(secret, sent)}
    assert leaked == {}
    assert PRIVATE_KEY.splitlines()[1][:40] not in sent
    assert sent.count("[REDACTED:") >= 18
    # The offline result still names the shapes it reports (DR216), without echoing them.
    report = json.loads(proc.stdout)
    assert any(f["code"] == "DR216" for f in report["findings"])
    assert all(secret not in proc.stdout.decode() for _, _, secret in SHAPES)


@needs_litellm
def test_a_token_at_the_section_cut_is_redacted_whole(tmp_path, model):
    """Redaction runs before the cut: the first characters of a token that straddles the limit are not sent."""
    model.reply = REQUEST_REPLY
    token = "ghp_" + "Zx9Yw8Vu7Ts6Rq5Po4Nm3Lk2Ji1Hg0FeDcBa"
    prefix = "Please fix the flaky retry loop in the uploader. " * 400
    text = prefix[: MAX_SECTION_CHARS - 23] + token + " and keep the API."
    proc = xyguard("request", "-", "--repo", str(tmp_path), "--format", "json", cwd=tmp_path, input=text,
                   env=_env(model))
    assert proc.returncode in (0, 1), proc.stderr.decode()
    sent = b"".join(model.raw).decode("utf-8")
    assert model.raw and _leaks(token, sent, width=6) == []


@pytest.mark.parametrize("name, line, secret", SHAPES, ids=[s[0] for s in SHAPES])
def test_each_shape_is_redacted_in_a_payload(name, line, secret):
    payload = Payload()
    payload.add("the proposed change", f"+{line}\n")
    body = payload.messages("Check this.")[1]["content"]
    assert _leaks(secret, body) == [] and "[REDACTED:" in body and payload.secrets >= 1


@pytest.mark.parametrize("text", [
    "def parse(path: str) -> dict:\n    return json.loads(Path(path).read_text())\n",
    "password: str\nmax_tokens = 4096\nauthor = 'Jane Doe'\ntoken = tokens[0]\n",
    "api_key = os.environ['API_KEY']\nSECRET_KEY=${SECRET_KEY}\n",
    "primary_key = 'id'\ncache_key = f'user:{uid}'\n",
    "index 3f2a1bc..9d8e7f6 100644\ncommit 5b0f0c9f5a0f3e1a2b3c4d5e6f708192a3b4c5d6\n",
    "tests/security/test_symlinks_and_devices.py | 12 ++++++------\n",
    # From click and httpx: issue links, snake_case names, environment settings, CamelCase with a digit.
    "Refs: https://github.com/pallets/click/pull/3224#issuecomment-3968643305\n",
    "def test_url_join_rfc3986():\n    cli(max_content_width=120)\n",
    "Setting `PYTHONIOENCODING=utf8` configures only the standard streams\n",
    "Include `httpx.URLLib3ProxyTransport` in top-level API.\n",
])
def test_ordinary_code_is_sent_as_it_is(text):
    """Over-redaction costs the model its view of the change: names, types, references and hashes stay."""
    assert find_secret_shapes(text) == [] and redact(text) == text


def test_an_unlabelled_random_value_is_redacted_by_its_entropy():
    cookie = "MRaujK6uYCwkrtjihTTXZPp285z_xDOUzrdHt4dj0Z5C0VOpbvdLwRdHatHAzQs7"
    assert [k for k, _, _ in find_secret_shapes(f'headers = {{"Cookie": "sid={cookie}"}}')] == ["high-entropy"]


def test_dr216_still_allows_documented_example_keys():
    text = "aws_access_key_id = AKIAIOSFODNN7EXAMPLE\npassword = 'your-password-here'\n"
    assert find_secrets(text) == []
    assert "AKIAIOSFODNN7EXAMPLE" not in redact(text)  # the model does not get it either


def test_every_vendored_rule_compiles_on_a_linear_time_engine():
    rules = secret_rules.load()
    assert rules.unavailable is None and rules.skipped == () and secret_rules.compile_all(rules) == []
    assert len(rules.rules) > 200
    # RE2, not Python's backtracking re: a crafted line cannot stall a hook (okta-access-token, cohere-api-token
    # and curl-auth-header take tens of seconds on 40 KB under `re`).
    assert all(type(r.pattern).__module__.startswith("re2") for r in rules.rules)


def test_adversarial_keyword_floods_are_scanned_whole():
    """Each rule's own keywords repeated into 100 KB: the scan finishes and finds nothing (no timing asserted:
    under a backtracking engine this test alone would take minutes)."""
    flood = "".join(f"{k}= {k}: {k} -H \"{k}\r\n" for r in secret_rules.load().rules[:60] for k in r.keywords[:1])
    text = (flood * (100_000 // max(1, len(flood)) + 1))[:100_000]
    assert isinstance(find_secrets(text), list)
