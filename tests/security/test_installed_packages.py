"""The environment the tests run in is not compromised: no known-bad litellm, no unexpected .pth file.

litellm 1.82.7 and 1.82.8 were malicious releases (1.82.8 shipped a
`litellm_init.pth` that runs at every interpreter start) and 1.107.x was
pulled; pyproject pins `litellm>=1.83,!=1.107.*`, and this test fails the
suite if pip was talked into one anyway.

A `.pth` file in site-packages runs its `import` lines at every Python
start, before any of our code: the favourite foothold of a poisoned
package. Every .pth present must be on ALLOWED_PTH.

To extend the allow-list: install the package in a clean venv, look at the
.pth it adds (`ls .venv/lib/python3*/site-packages/*.pth`), read it to be sure
it only adds a path or imports that package's own hook, then add a pattern
below with the package that installs it and why.
"""

from __future__ import annotations

import fnmatch
import importlib.metadata
import os
import site
import sys

ALLOWED_PTH = {
    "distutils-precedence.pth": "setuptools: prefers its bundled distutils",
    "__editable__.xyguard-*.pth": "pip install -e . (setuptools editable install of this project)",
    "__editable___xyguard_*_finder.pth": "setuptools editable finder, older naming",
    "_xyguard*.pth": "pip install -e . with a path-based editable install",
    "_virtualenv.pth": "virtualenv-created environments: patches distutils for the venv",
}
BAD_LITELLM = ("1.82.7", "1.82.8")
PULLED_LITELLM_SERIES = "1.107."


def is_bad_litellm(version: str) -> bool:
    return version in BAD_LITELLM or version.startswith(PULLED_LITELLM_SERIES)


def unexpected_pth(names: list[str]) -> list[str]:
    return sorted(n for n in names if not any(fnmatch.fnmatchcase(n, pattern) for pattern in ALLOWED_PTH))


def _site_dirs() -> list[str]:
    dirs = list(site.getsitepackages())
    if site.ENABLE_USER_SITE:
        dirs.append(site.getusersitepackages())
    return [d for d in dict.fromkeys(dirs) if os.path.isdir(d)]


def test_no_known_bad_litellm_is_installed():
    found = [(d.metadata["Name"], d.version) for d in importlib.metadata.distributions()
             if (d.metadata["Name"] or "").lower() == "litellm"]
    bad = [f"{name} {version}" for name, version in found if is_bad_litellm(version)]
    assert not bad, f"compromised or pulled litellm installed: {bad}; pip install 'litellm>=1.83,!=1.107.*'"


def test_no_unexpected_pth_file_in_site_packages():
    names = {}
    for folder in _site_dirs():
        for name in os.listdir(folder):
            if name.endswith(".pth"):
                names[name] = folder
    surprises = unexpected_pth(list(names))
    assert not surprises, (f"unexpected .pth file(s) {[os.path.join(names[n], n) for n in surprises]} in "
                           f"{sys.prefix}: each runs code at interpreter start. If one is legitimate, add it to "
                           "ALLOWED_PTH in tests/security/test_installed_packages.py (see the docstring).")


def test_the_checks_recognise_what_they_guard_against():
    assert is_bad_litellm("1.82.7") and is_bad_litellm("1.82.8") and is_bad_litellm("1.107.0")
    assert is_bad_litellm("1.107.12")
    assert not is_bad_litellm("1.83.0") and not is_bad_litellm("1.82.6") and not is_bad_litellm("1.110.2")
    assert unexpected_pth(["litellm_init.pth", "distutils-precedence.pth", "__editable__.xyguard-0.1.0.pth"]) == \
        ["litellm_init.pth"]
    assert unexpected_pth(["__editable__.other-1.0.pth"]) == ["__editable__.other-1.0.pth"]
