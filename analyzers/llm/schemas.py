"""The JSON each prompt must answer with, and a small validator (no runtime dependency on jsonschema).

The validator covers the subset the schemas use: type, properties,
required, additionalProperties, items, enum, maxLength, maxItems. A reply
that does not validate is rejected whole: the offline result stands.
"""

from __future__ import annotations

import json
import re
from typing import Any

from ..text.json_depth import too_deep

_FINDING = {
    "type": "object",
    "required": ["code", "message"],
    "additionalProperties": False,
    "properties": {
        "code": {"type": "string", "maxLength": 8},
        "message": {"type": "string", "maxLength": 600},
        "evidence": {"type": "string", "maxLength": 600},
        "question": {"type": ["string", "null"], "maxLength": 400},
        "path": {"type": ["string", "null"], "maxLength": 400},
        "line": {"type": ["integer", "null"]},
    },
}
_STR_LIST = {"type": "array", "items": {"type": "string", "maxLength": 400}, "maxItems": 20}

SCHEMAS: dict[str, dict[str, Any]] = {
    "decompose_request": {
        "type": "object",
        "required": ["needs_clarification", "findings"],
        "additionalProperties": False,
        "properties": {
            "needs_clarification": {"type": "boolean"},
            "question": {"type": ["string", "null"], "maxLength": 400},
            "concretized": {"type": ["string", "null"], "maxLength": 4000},
            "final_goals": _STR_LIST,
            "background": _STR_LIST,
            "findings": {"type": "array", "items": _FINDING, "maxItems": 10},
        },
    },
    "clarifying_question": {
        "type": "object",
        "required": ["question"],
        "additionalProperties": False,
        "properties": {"question": {"type": ["string", "null"], "maxLength": 400},
                       "why": {"type": "string", "maxLength": 600}},
    },
    "check_edit": {
        "type": "object",
        "required": ["findings"],
        "additionalProperties": False,
        "properties": {"findings": {"type": "array", "items": _FINDING, "maxItems": 10},
                       "summary": {"type": "string", "maxLength": 1000}},
    },
    "evaluate_satisfaction": {
        "type": "object",
        "required": ["items"],
        "additionalProperties": False,
        "properties": {
            "items": {"type": "array", "maxItems": 50, "items": {
                "type": "object", "required": ["text", "status"], "additionalProperties": False,
                "properties": {"text": {"type": "string", "maxLength": 600},
                               "status": {"enum": ["addressed", "not addressed", "unknown"]},
                               "evidence": {"type": "string", "maxLength": 600}}}},
        },
    },
    "update_goal_state": {
        "type": "object",
        "required": ["objectives", "requirements"],
        "additionalProperties": False,
        "properties": {"objectives": _STR_LIST, "requirements": _STR_LIST, "preferences": _STR_LIST,
                       "profile": _STR_LIST,
                       "conflicts": {"type": "array", "maxItems": 10, "items": {
                           "type": "object", "required": ["turn", "text"], "additionalProperties": False,
                           "properties": {"turn": {"type": "integer"}, "text": {"type": "string", "maxLength": 600}}}}},
    },
}

_TYPES = {"object": dict, "array": list, "string": str, "boolean": bool, "null": type(None)}


class SchemaError(ValueError):
    """The reply does not match the schema; the message names the first offending place."""


def _type_ok(value: Any, name: str) -> bool:
    if name == "integer":
        return isinstance(value, int) and not isinstance(value, bool)
    if name == "number":
        return isinstance(value, (int, float)) and not isinstance(value, bool)
    return isinstance(value, _TYPES[name])


def validate(value: Any, schema: dict[str, Any], where: str = "$") -> None:
    types = schema.get("type")
    if types is not None:
        names = [types] if isinstance(types, str) else types
        if not any(_type_ok(value, n) for n in names):
            raise SchemaError(f"{where}: expected {' or '.join(names)}, got {type(value).__name__}")
    if "enum" in schema and value not in schema["enum"]:
        raise SchemaError(f"{where}: {value!r} is not one of {schema['enum']}")
    if isinstance(value, str) and len(value) > schema.get("maxLength", len(value)):
        raise SchemaError(f"{where}: longer than {schema['maxLength']} characters")
    if isinstance(value, list):
        if len(value) > schema.get("maxItems", len(value)):
            raise SchemaError(f"{where}: more than {schema['maxItems']} items")
        for i, item in enumerate(value):
            validate(item, schema.get("items", {}), f"{where}[{i}]")
    if isinstance(value, dict):
        props = schema.get("properties", {})
        for key in schema.get("required", []):
            if key not in value:
                raise SchemaError(f"{where}: missing '{key}'")
        for key, item in value.items():
            if key in props:
                validate(item, props[key], f"{where}.{key}")
            elif schema.get("additionalProperties", True) is False:
                raise SchemaError(f"{where}: unexpected key '{key}'")


_FENCE = re.compile(r"^\s*```(?:json)?\s*\n(.*?)\n\s*```\s*$", re.DOTALL)


# Every schema above fits in far less; a longer reply is not an answer, whatever it holds.
MAX_REPLY_CHARS = 256 * 1024
# The deepest schema nests 4 levels (object > array > object > value); json.loads recurses once per level and a
# reply nested thousands deep raised RecursionError, which lost the offline result with it.
MAX_REPLY_DEPTH = 6


def parse_reply(text: str, name: str) -> dict[str, Any]:
    """The model's reply -> a validated object. Raises SchemaError (invalid JSON, too long, too deep included)."""
    text = text or ""
    if len(text) > MAX_REPLY_CHARS:
        raise SchemaError(f"reply is {len(text)} characters; the limit is {MAX_REPLY_CHARS}")
    m = _FENCE.match(text)
    body = m.group(1) if m else text
    if too_deep(body, MAX_REPLY_DEPTH):
        raise SchemaError(f"reply nests deeper than {MAX_REPLY_DEPTH} levels")
    try:
        value = json.loads(body)
    except (ValueError, RecursionError) as exc:
        raise SchemaError(f"reply is not JSON ({type(exc).__name__})") from None
    validate(value, SCHEMAS[name])
    return value
