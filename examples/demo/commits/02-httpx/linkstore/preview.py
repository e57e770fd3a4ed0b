"""Fetching a page title for a link preview."""

import re

import httpx

TITLE = re.compile(r"<title>(.*?)</title>", re.S | re.I)


def page_title(url: str, timeout: float = 5.0) -> str | None:
    """The <title> of the page at `url`, or None when it cannot be fetched."""
    try:
        response = httpx.get(url, timeout=timeout, follow_redirects=True)
    except httpx.HTTPError:
        return None
    match = TITLE.search(response.text)
    return match.group(1).strip() if match else None
