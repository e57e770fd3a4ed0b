"""How deeply a JSON text nests, found without parsing it: json.loads recurses once per level, so a line of
100,000 `[` raises RecursionError (and a hostile one can be handed to us as a model reply, a batch line or a
logged conversation). One linear pass over the characters, strings skipped."""

from __future__ import annotations

# Deeper than any xyguard input or reply needs (a conversation log: object > turns > turn > content).
MAX_JSON_DEPTH = 64


def too_deep(body: str, limit: int = MAX_JSON_DEPTH) -> bool:
    """True when `[` and `{` nest more than `limit` levels deep outside strings."""
    if body.count("[") + body.count("{") <= limit:  # the common case, at C speed
        return False
    depth = deepest = 0
    in_string = escaped = False
    for ch in body:
        if in_string:
            if escaped:
                escaped = False
            elif ch == "\\":
                escaped = True
            elif ch == '"':
                in_string = False
        elif ch == '"':
            in_string = True
        elif ch in "[{":
            depth += 1
            if depth > deepest:
                deepest = depth
                if deepest > limit:
                    return True
        elif ch in "]}":
            depth -= 1
    return False
