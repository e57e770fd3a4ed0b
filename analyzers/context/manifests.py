"""Declared dependencies from manifests, read as data (setup.py is scanned, never run).

`dependency_names_in_line` is shared with history.py, which reads the same
formats line by line from manifest diffs to find removed dependencies.
"""

from __future__ import annotations

import configparser
import json
import posixpath
import re
import sys
from typing import Iterable

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

from .model import Dependency

_PEP508_NAME = re.compile(r"^\s*([A-Za-z0-9][A-Za-z0-9._-]*)")


def normalise(name: str, ecosystem: str) -> str:
    if ecosystem == "pypi":
        return re.sub(r"[-_.]+", "-", name).lower()
    return name.strip()


def ecosystem_of(path: str) -> str | None:
    base = posixpath.basename(path)
    if base in ("pyproject.toml", "setup.cfg", "setup.py", "Pipfile") or (
            base.startswith("requirements") and base.endswith((".txt", ".in"))):
        return "pypi"
    return {"package.json": "npm", "go.mod": "go", "Cargo.toml": "cargo", "pom.xml": "maven",
            "build.gradle": "maven", "build.gradle.kts": "maven"}.get(base)


def _pep508(spec: str) -> str | None:
    m = _PEP508_NAME.match(spec)
    return m.group(1) if m else None


def _requirements(text: str) -> Iterable[tuple[str, str, bool]]:
    for raw in text.splitlines():
        line = raw.split(" #", 1)[0].strip()
        if not line or line.startswith(("#", "-", "git+", "http:", "https:", "file:", ".")):
            continue
        name = _pep508(line)
        if name:
            yield name, line[len(name):].strip(), False


def _pyproject(text: str) -> Iterable[tuple[str, str, bool]]:
    data = tomllib.loads(text)
    project = data.get("project", {})
    for spec in project.get("dependencies", []) or []:
        if isinstance(spec, str) and (name := _pep508(spec)):
            yield name, spec[len(name):].strip(), False
    for specs in (project.get("optional-dependencies", {}) or {}).values():
        for spec in specs or []:
            if isinstance(spec, str) and (name := _pep508(spec)):
                yield name, spec[len(name):].strip(), True
    for group in (data.get("dependency-groups", {}) or {}).values():
        for spec in group or []:
            if isinstance(spec, str) and (name := _pep508(spec)):
                yield name, spec[len(name):].strip(), True
    poetry = data.get("tool", {}).get("poetry", {})
    tables = [(poetry.get("dependencies", {}), False), (poetry.get("dev-dependencies", {}), True)]
    tables += [(g.get("dependencies", {}), True) for g in (poetry.get("group", {}) or {}).values()]
    for table, dev in tables:
        for name, spec in (table or {}).items():
            if name.lower() != "python":
                yield name, spec if isinstance(spec, str) else "", dev


def _setup_cfg(text: str) -> Iterable[tuple[str, str, bool]]:
    parser = configparser.ConfigParser(interpolation=None)
    parser.read_string(text)
    if parser.has_option("options", "install_requires"):
        for name, spec, _ in _requirements(parser.get("options", "install_requires")):
            yield name, spec, False
    if parser.has_section("options.extras_require"):
        for _, value in parser.items("options.extras_require"):
            for name, spec, _ in _requirements(value):
                yield name, spec, True


_SETUP_PY_LIST = re.compile(r"(install_requires|tests_require|extras_require)\s*=\s*([\[{].*?[\]}])", re.S)
_QUOTED = re.compile(r"""['"]([A-Za-z0-9][A-Za-z0-9._-]*)([^'"]*)['"]""")


def _setup_py(text: str) -> Iterable[tuple[str, str, bool]]:
    for m in _SETUP_PY_LIST.finditer(text):
        dev = m.group(1) != "install_requires"
        body = m.group(2)
        if m.group(1) == "extras_require":  # values only: keys are extra names
            body = " ".join(re.findall(r":\s*(\[[^\]]*\])", body))
        for q in _QUOTED.finditer(body):
            yield q.group(1), q.group(2).strip(), dev


def _package_json(text: str) -> Iterable[tuple[str, str, bool]]:
    data = json.loads(text)
    if not isinstance(data, dict):
        return
    for key, dev in (("dependencies", False), ("peerDependencies", False), ("optionalDependencies", False),
                     ("devDependencies", True)):
        table = data.get(key) or {}
        if isinstance(table, dict):
            for name, spec in table.items():
                yield name, spec if isinstance(spec, str) else "", dev


_GO_REQUIRE = re.compile(r"^\s*(?:require\s+)?([a-zA-Z0-9][\w.\-]*\.[a-z]{2,}[\w./\-~]*)\s+(v[\w.\-+]+)", re.M)


def _go_mod(text: str) -> Iterable[tuple[str, str, bool]]:
    for m in _GO_REQUIRE.finditer(text):
        yield m.group(1), m.group(2), "// indirect" in text[m.end(): text.find("\n", m.end())]


def _cargo(text: str) -> Iterable[tuple[str, str, bool]]:
    data = tomllib.loads(text)
    tables = [(data.get("dependencies", {}), False), (data.get("dev-dependencies", {}), True),
              (data.get("build-dependencies", {}), True),
              (data.get("workspace", {}).get("dependencies", {}), False)]
    for target in (data.get("target", {}) or {}).values():
        tables.append((target.get("dependencies", {}), False))
    for table, dev in tables:
        for name, spec in (table or {}).items():
            yield name, spec if isinstance(spec, str) else str(spec.get("version", "")) if isinstance(spec, dict) else "", dev


_POM_DEP = re.compile(r"<dependency>(.*?)</dependency>", re.S)
_POM_FIELD = re.compile(r"<(groupId|artifactId|version|scope)>\s*([^<]+?)\s*</\1>")
_GRADLE_DEP = re.compile(
    r"""^\s*(implementation|api|compile|compileOnly|runtimeOnly|testImplementation|testCompile|kapt|annotationProcessor)\s*\(?\s*['"]([^:'"]+):([^:'"]+)(?::([^'"]+))?['"]""",
    re.M)


def _pom(text: str) -> Iterable[tuple[str, str, bool]]:
    for m in _POM_DEP.finditer(text):
        fields = dict(_POM_FIELD.findall(m.group(1)))
        if "artifactId" in fields:
            name = f"{fields.get('groupId', '')}:{fields['artifactId']}".lstrip(":")
            yield name, fields.get("version", ""), fields.get("scope") == "test"


def _gradle(text: str) -> Iterable[tuple[str, str, bool]]:
    for m in _GRADLE_DEP.finditer(text):
        yield f"{m.group(2)}:{m.group(3)}", m.group(4) or "", m.group(1).startswith("test")


_PARSERS = {
    "pyproject.toml": _pyproject, "setup.cfg": _setup_cfg, "setup.py": _setup_py, "package.json": _package_json,
    "go.mod": _go_mod, "Cargo.toml": _cargo, "pom.xml": _pom, "build.gradle": _gradle, "build.gradle.kts": _gradle,
}


def parse_manifest(path: str, text: str) -> list[Dependency]:
    """Dependencies declared in one manifest; a malformed manifest yields none rather than an error."""
    base = posixpath.basename(path)
    ecosystem = ecosystem_of(path)
    if ecosystem is None:
        return []
    parser = _PARSERS.get(base, _requirements if base.startswith("requirements") else None)
    if parser is None:
        return []
    try:
        found = list(parser(text))
    except (ValueError, TypeError, AttributeError, configparser.Error, tomllib.TOMLDecodeError):
        return []
    seen: dict[str, Dependency] = {}
    for name, spec, dev in found:
        key = normalise(name, ecosystem)
        if key not in seen:
            seen[key] = Dependency(name=key, manifest=path, ecosystem=ecosystem, spec=spec, dev=dev)
    return list(seen.values())


# ---- line level, for manifest diffs in history --------------------------------------

_LINE_PATTERNS = {
    "npm": [re.compile(r"""^\s*"(@?[\w.\-/]+)"\s*:\s*"[~^<>=*\d.xv\w:/#\-]*"\s*,?\s*$""")],
    "go": [re.compile(r"""^\s*(?:require\s+)?([a-zA-Z0-9][\w.\-]*\.[a-z]{2,}[\w./\-~]*)\s+v""")],
    "cargo": [re.compile(r"""^\s*([A-Za-z0-9_\-]+)\s*=\s*(?:"|\{)""")],
    "maven": [re.compile(r"""<artifactId>\s*([^<]+?)\s*</artifactId>"""),
              re.compile(r"""['"][^:'"]+:([^:'"]+)(?::[^'"]+)?['"]""")],
}
_KEY_VALUE = re.compile(r"""^\s*["']?([A-Za-z0-9_.\-]+)["']?\s*[=:]\s*(.*)$""")
_QUOTED_REQUIREMENT = re.compile(r"""["']([A-Za-z0-9][A-Za-z0-9._-]*)\s*(?:\[[^\]]*\])?\s*(?:[<>=!~;@ ][^"']*)?["']""")
_NOT_DEPS = {"name", "version", "description", "readme", "license", "requires-python", "python", "edition",
             "authors", "main", "module", "type", "scripts", "private", "homepage", "repository", "keywords",
             "build-backend", "requires", "packages", "include", "exclude", "workspace", "members", "path", "go",
             "features", "default", "optional", "git", "branch", "tag", "rev", "test", "build", "start", "lint"}
_LIST_KEYS = {"dependencies", "requires", "install_requires", "tests_require", "setup_requires", "dev", "test", "docs"}
def _pypi_line(base: str, line: str) -> list[str]:
    if base.startswith("requirements"):
        m = _PEP508_NAME.match(line)
        return [m.group(1)] if m and not line.lstrip().startswith("-") else []
    kv = _KEY_VALUE.match(line)
    if kv is None:  # an item of a multi-line array: "name>=1.0",
        return _QUOTED_REQUIREMENT.findall(line) if line.strip().startswith(("'", '"')) else []
    key, rest = kv.group(1), kv.group(2).strip()
    if key.lower() in _NOT_DEPS and key.lower() not in _LIST_KEYS:
        return []
    if rest.startswith("[") or key.lower() in _LIST_KEYS:
        return _QUOTED_REQUIREMENT.findall(rest)
    if rest.startswith(("'", '"', "{")):  # poetry: name = "^1.0"
        return [key]
    return []


def dependency_names_in_line(path: str, line: str) -> list[str]:
    """Dependency names a single manifest line declares (best effort, for history diffs)."""
    ecosystem = ecosystem_of(path)
    if ecosystem is None or not line.strip() or line.lstrip().startswith(("#", "//", "[")):
        return []
    if ecosystem == "pypi":
        return [normalise(n, "pypi") for n in _pypi_line(posixpath.basename(path), line) if n.lower() not in _NOT_DEPS]
    for pattern in _LINE_PATTERNS[ecosystem]:
        m = pattern.search(line)
        if m and m.group(1).lower() not in _NOT_DEPS:
            return [normalise(m.group(1), ecosystem)]
    return []
