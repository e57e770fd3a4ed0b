"""Secret shapes developers commit, with made-up values (never real credentials), for the redaction tests.

Each entry: (name, the line as it appears in a file, the secret value that must never reach a model).
The first ten are the shapes the red-team pass saw sent verbatim; the rest are the formats that already held.
"""

from __future__ import annotations

_B64 = "Zm9vYmFyYmF6cXV4MTIzNDU2Nzg5MGFiY2RlZmdoaWprbG1ub3BxcnN0dXZ3eHl6QUJDREVGR0hJSktMTU5PUFFSU1RVVlc4Nw=="

SHAPES: list[tuple[str, str, str]] = [
    ("dotenv SECRET_KEY", "SECRET_KEY=q8Zr2VwLm5Tn0PxY7bKc", "q8Zr2VwLm5Tn0PxY7bKc"),
    ("dotenv AUTH_TOKEN", "AUTH_TOKEN=7f3kQ9zL2mX8vB1nR6tYw", "7f3kQ9zL2mX8vB1nR6tYw"),
    ("yaml password", "  password: Tr0ub4dor-3xqz", "Tr0ub4dor-3xqz"),
    ("huggingface token", "HF = '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'", "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"),
    ("npm token", "//registry.npmjs.org/:_authToken=npm_a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7R8",
     "npm_a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7R8"),
    ("pypi token", "password = pypi-AgEIcHlwaS5vcmcCJGE4ZmY5OTBmLWQzZjktNGRlNy1hYmQ1LTk5ZDI3ZjQ2NjY3OQACKlsz",
     "pypi-AgEIcHlwaS5vcmcCJGE4ZmY5OTBmLWQzZjktNGRlNy1hYmQ1LTk5ZDI3ZjQ2NjY3OQACKlsz"),
    ("slack webhook", "SLACK = 'https://hooks.slack.com/services/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'",
     "hooks.slack.com/services/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"),
    ("azure storage AccountKey",
     f"conn = 'DefaultEndpointsProtocol=https;AccountName=acmeprod;AccountKey={_B64};EndpointSuffix=core.windows.net'",
     _B64),
    ("twilio api key", "TWILIO = 'SK3f9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c'", "SK3f9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c"),
    ("sendgrid key", "SENDGRID = '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'",
     "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"),
    ("aws access key id", "aws_access_key_id = AKIAQ3RZ7PLMN2XV5KTB", "AKIAQ3RZ7PLMN2XV5KTB"),
    ("aws secret key", "aws_secret_access_key = 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",
     "wJalrXUtnFEMI/K7MDENG/bPxRfiCYz9Q2w8R4tU"),
    ("github token", "token: ghp_Zx9Yw8Vu7Ts6Rq5Po4Nm3Lk2Ji1Hg0FeDcBa", "ghp_Zx9Yw8Vu7Ts6Rq5Po4Nm3Lk2Ji1Hg0FeDcBa"),
    ("openai key", "OPENAI_API_KEY=sk-proj-4fG7hJ9kL2mN5pQ8rS1tU3vW6xY9zA2bC5dE8fG1hJ4kL7mN",
     "sk-proj-4fG7hJ9kL2mN5pQ8rS1tU3vW6xY9zA2bC5dE8fG1hJ4kL7mN"),
    ("stripe live key", 'stripe.api_key = "sk_live_4eC39HqLyjWDarjtT1zdp7dcQx"', "sk_live_4eC39HqLyjWDarjtT1zdp7dcQx"),
    ("database url", "DATABASE_URL = 'postgres://app:Hunter2Wq9x@db.internal:5432/app'", "Hunter2Wq9x"),
    ("json password", '{"user": "svc", "password": "N0t-So-S3cret!x"}', "N0t-So-S3cret!x"),
]

PRIVATE_KEY_BODY = ("MIIEowIBAAKCAQEA3Tz2mr7SZiAMfQyuvBjM9Oi7Z2hZ2VtcDRkR5b0KQ2s7lpXoR3q4Wn8UfNwQ0b6ZjL4kYx9sVt1c"
                    "Q8m2RrP5uH3nE7wT9gJ1fK6dB4aX0yC2lM8vN5oS3iU7eW1qZ4hG6jD9kF2tR5pY8bL0cV3nM6xQ")
PRIVATE_KEY = f"-----BEGIN RSA PRIVATE KEY-----\n{PRIVATE_KEY_BODY}\n-----END RSA PRIVATE KEY-----"
