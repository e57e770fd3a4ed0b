"""What a repository path is for, read off the path alone: documentation, or which module it names."""

from __future__ import annotations

import posixpath
import re
from urllib.parse import unquote, urlparse

_DOC_PATH = re.compile(r"(^|/)(docs?|doc_src|documentation|changelog\.d|changes|newsfragments|news|release[-_]?notes)/"
                       r"|\.(md|rst|txt|adoc)$|(^|/)(CHANGELOG|CHANGES|HISTORY|NEWS|AUTHORS|README)[^/]*$", re.I)


def is_doc_path(path: str) -> bool:
    return bool(_DOC_PATH.search(path))


# Code beside the product that the product never imports: maintainers' tools and scripts, benchmarks,
# examples and demos.
_SUPPORT_PATH = re.compile(r"(^|/)([\w.-]*[-_])?(tools|scripts?|bin|benchmarks?|bench|examples?|samples?|demos?)/")


# The settings of the test tooling, wherever a project keeps them (config/pytest.ini, tests/conftest.py).
_TEST_TOOLING_PATH = re.compile(r"(^|/)(?:tox\.ini|noxfile\.py|pytest[\w.-]*\.ini|conftest\.py|\.coveragerc|"
                                r"coverage\.(?:ini|toml|cfg)|mypy\.ini|pyrightconfig\.json|"
                                r"requirements[-_/]tests?[\w.-]*\.(?:in|txt)|tests?[-_]requirements[\w.-]*\.(?:in|txt)|"
                                r"scripts?/(?:tests?|coverage|cov)(?:\.\w+)?)$")


def is_test_tooling(path: str) -> bool:
    return bool(_TEST_TOOLING_PATH.search(path))


def is_support_path(path: str) -> bool:
    return bool(_SUPPORT_PATH.search(path))


def module_stem(path: str) -> str:
    stem = posixpath.splitext(posixpath.basename(path))[0]
    return posixpath.basename(posixpath.dirname(path)) if stem in ("__init__", "index", "mod", "lib", "main") else stem


_DRIVE = re.compile(r"^/[A-Za-z]:[/\\]")


def uri_to_path(uri: str) -> str | None:
    """The local path a `file:` URI names (percent-decoding applied); None for any other scheme."""
    if not uri.startswith("file:"):
        return None
    parsed = urlparse(uri)
    if parsed.netloc not in ("", "localhost"):
        return None  # file://server/share is not on this machine
    path = unquote(parsed.path)
    return path[1:] if _DRIVE.match(path) else path  # file:///C:/x is C:/x on Windows
