"""The version of xyguard's JSON contract (docs/schema/): every JSON object xyguard prints or answers carries it.

MAJOR.MINOR. MINOR goes up when fields or values are added (a reader of the same MAJOR keeps working:
ignore what you do not know); MAJOR goes up when a field is removed or renamed, or its type or meaning
changes. A reader checks the MAJOR it was written for. docs/schema/README.md keeps the history.
"""

from __future__ import annotations

from typing import Any

SCHEMA_VERSION = "1.0"


def versioned(data: dict[str, Any]) -> dict[str, Any]:
    """`data` with `schema_version` first (a copy; an existing value is replaced)."""
    return {"schema_version": SCHEMA_VERSION, **{k: v for k, v in data.items() if k != "schema_version"}}
