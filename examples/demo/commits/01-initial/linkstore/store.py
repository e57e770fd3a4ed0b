"""Saving and loading short links in a JSON file."""

import json
from pathlib import Path

from .paths import slugify

DB = Path("links.json")


def _read() -> dict:
    return json.loads(DB.read_text()) if DB.exists() else {}


def save_link(url: str, slug: str | None = None) -> str:
    """Store a URL under a slug (derived from the URL when not given) and return the slug."""
    links = _read()
    slug = slug or slugify(url.split("//")[-1])
    links[slug] = url
    DB.write_text(json.dumps(links, indent=2))
    return slug


def load_link(slug: str) -> str | None:
    """The URL stored under a slug, or None."""
    return _read().get(slug)
