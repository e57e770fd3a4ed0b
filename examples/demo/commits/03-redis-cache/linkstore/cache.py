"""A redis-backed cache for link lookups."""

import redis

_client = redis.Redis()


def cached_lookup(slug: str) -> str | None:
    value = _client.get(f"link:{slug}")
    return value.decode() if value else None
