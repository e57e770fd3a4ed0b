"""Helpers for file names."""

import os


def file_extension(name: str) -> str:
    """Return the extension of a file name, handling dotfiles and names without a dot."""
    base = os.path.basename(name)
    if base.startswith(".") and base.count(".") == 1:
        return ""
    return os.path.splitext(base)[1]


def slugify(title: str) -> str:
    """Turn a title into a URL-safe slug."""
    keep = [c.lower() if c.isalnum() else "-" for c in title.strip()]
    return "-".join(part for part in "".join(keep).split("-") if part)
