"""DR216 secrets added by a change (analyzers/edits/secret_leak.py) and the secret shapes it finds (analyzers/text/secrets.py)."""

import pytest

from xyguard.analyzers.edits import check_edit
from xyguard.analyzers.text.secrets import find_secrets, redact

from edit_support import of


def test_secrets_are_errors_and_never_echoed():
    token = "ghp_" + "a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7R8"
    diff = ("diff --git a/app/settings.py b/app/settings.py\n--- a/app/settings.py\n+++ b/app/settings.py\n"
            f"@@ -1 +1,4 @@\n DEBUG = False\n+GITHUB_TOKEN = '{token}'\n+AWS_KEY = 'AKIAZ7QW3ERT5YUI8OPA'\n"
            "+PASSWORD = 'your-password-here'\n")
    found = of(check_edit(diff), "DR216")
    assert sorted(f.message for f in found) == ["A aws access key is added to app/settings.py.",
                                                "A github token is added to app/settings.py."]
    assert all(token not in f.evidence and f.severity == "error" for f in found)


def test_secret_patterns_and_redaction():
    text = ("key = 'sk-ant-api03-" + "x" * 30 + "'\nurl = 'postgres://admin:s3cr3tPw@db.internal/app'\n"
            "-----BEGIN RSA PRIVATE KEY-----\nMIIEabc\n-----END RSA PRIVATE KEY-----\n"
            "jwt = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U'\n"
            "password = 'placeholder'\naws = 'AKIAIOSFODNN7EXAMPLE'\n")
    kinds = [k for k, _, _ in find_secrets(text)]
    assert kinds == ["anthropic-key", "url-credentials", "private-key", "jwt"]
    red = redact(text)
    assert "s3cr3tPw" not in red and "[REDACTED:private-key]" in red
    # DR216 allows documented example keys; what goes to a model loses every secret-shaped value (issue 16).
    assert "AKIAIOSFODNN7EXAMPLE" not in red


@pytest.mark.parametrize(("line", "reported"), [
    ("DATABASE_URL = 'postgres://admin:Qx7hJm2pLz@db.internal:5432/app'", True),
    ("BROKER = 'amqp://svc:Zr8kWq3nTd@10.0.4.7/vhost'", True),
    # Hosts reserved for documentation and tests reach no real service (URL parsing test suites are full of them).
    ("assert str(url) == 'https://tom%40example.org:abc123%40%20%@example.org'", False),
    ("'href': 'http://foo:%F0%9F%92%A9@example.com/bar'", False),
    ("PROXY = 'http://user:Qx7hJm2pLz@proxy.test:3128'", False),
    # A word standing for the secret, in a documentation example, is not one.
    ('    keyfile="path/to/client.key"\n    password="password"\n', False),
    ('    keyfile="path/to/client.key"\n    password="Qx7hJm2pLz9w"\n', True),
    # A template's slot is where a value will go, not a value.
    ("DSN = 'postgres://{user}:{password}@{host}/app'", False),
    # A database on the developer's own machine serves no one else (a test suite's settings).
    ("psycopg2=postgresql+psycopg2://scott:Tg8rWq2m@127.0.0.1:5432/test", False),
    ("REDIS = 'redis://admin:Zr8kWq3nTd@localhost:6379/0'", False),
    ("REDIS = 'redis://admin:Zr8kWq3nTd@cache.internal:6379/0'", True),
    # A placeholder spelled with escapes and accents is still one ("pässword" percent-encoded).
    ('assert headers["Location"] == "http://%C3%BCser:p%C3%A4ssword@xn--n3h.net/p%C3%A5th"', False),
])
def test_secret_shapes_in_real_text(line, reported):
    assert (find_secrets(line) != []) is reported
