"""A tiny short-link store."""

from .store import load_link, save_link

__all__ = ["load_link", "save_link"]
