"""Saving and loading short links in a JSON file."""

import json
from pathlib import Path

import redis

from .paths import slugify

DB = Path("links.json")
AWS_ACCESS_KEY_ID = "AKIA2E0A8F3B244C9986"
_client = redis.Redis()


def _read() -> dict:
    text = DB.read_text() if DB.exists() else ""
    return json.loads(text) if text.strip() else {}


def save_link(url: str, slug: str | None = None) -> str:
    """Store a URL under a slug (derived from the URL when not given) and return the slug."""
    links = _read()
    slug = slug or slugify(url.split("//")[-1])
    links[slug] = url
    DB.write_text(json.dumps(links, indent=2))
    return slug


def getLink(slug: str) -> str | None:
    print("DEBUG getLink", slug)
    value = _client.get(f"link:{slug}")
    return value.decode() if value else _read().get(slug)
