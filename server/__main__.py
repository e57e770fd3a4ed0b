"""`python -m xyguard.server` runs the CLI (the VS Code extension's fallback when `xyguard` is not on PATH)."""

from .cli import run

run()
