"""Declared dependencies from manifests, read as data with each ecosystem's own grammar (setup.py is never run).

Python requirements are PEP 508 strings read with `packaging.requirements`:
`[project]` dependencies and optional-dependencies, `[dependency-groups]`
(PEP 735, `include-group` followed), Poetry's tables, setup.cfg's options,
setup.py's `install_requires`/`extras_require`/`tests_require` read from its
syntax tree (literals only), and requirements files. package.json, go.mod and
Cargo.toml are read as JSON, by go.mod's line grammar, and as TOML. Only
declared dependencies count: the keys of `[tool.ruff]` or a `[package]`
table are settings, not packages.

`dependency_names_in_line` is shared with history.py, which reads the same
formats line by line from manifest diffs to find removed dependencies; a
line alone cannot say which table it sits in, so it accepts only what looks
like a requirement (a version constraint, or a package-like name).
"""

from __future__ import annotations

import ast
import configparser
import json
import posixpath
import re
import sys
from typing import TYPE_CHECKING, Iterable

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

from .files import is_requirements_file
from .model import Dependency

if TYPE_CHECKING:
    from packaging.requirements import Requirement

# Extras and dependency groups that hold contributors' tools, not what users install.
DEV_GROUP = re.compile(r"^(dev|develop|development|test|tests|testing|docs?|documentation|lint|linting|typing|types|"
                       r"mypy|cov|coverage|bench|benchmarks?|ci|check|checks|style|format|fmt|pre-commit|tox|nox|"
                       r"release|build|all-dev|dev-\w+|test-\w+|docs-\w+)$", re.I)
_REQUIREMENT_LINE_OPTION = re.compile(r"^\s*-")
_INSTALLS_ITSELF = re.compile(r"^\s*(?:-e\s+|--editable\s+)?\.(?:\[[\w,\s-]*\])?\s*(?:#.*)?$", re.M)
MAX_GROUP_DEPTH = 20  # include-group chains deeper than this are malformed (PEP 735 forbids cycles)


def normalise(name: str, ecosystem: str) -> str:
    if ecosystem == "pypi":
        return re.sub(r"[-_.]+", "-", name).lower()
    return name.strip()


def ecosystem_of(path: str) -> str | None:
    base = posixpath.basename(path)
    if base in ("pyproject.toml", "setup.cfg", "setup.py", "Pipfile") or is_requirements_file(path):
        return "pypi"
    return {"package.json": "npm", "go.mod": "go", "Cargo.toml": "cargo", "pom.xml": "maven",
            "build.gradle": "maven", "build.gradle.kts": "maven"}.get(base)


# PEP 723 inline script metadata: a script declares what it needs in a `# /// script` comment block.
_INLINE_SCRIPT = re.compile(r"(?m)^# /// script[ \t]*\n(?P<content>(?:^#(?:| .*)\n)+?)^# ///[ \t]*$")


def inline_script_dependencies(text: str) -> set[str]:
    """Normalised names a script declares for itself (PEP 723); none when it declares nothing or malformed."""
    m = _INLINE_SCRIPT.search(text or "")
    if m is None:
        return set()
    body = "\n".join(line[2:] if line.startswith("# ") else line[1:] for line in m.group("content").splitlines())
    try:
        specs = tomllib.loads(body).get("dependencies") or []
    except (tomllib.TOMLDecodeError, RecursionError, AttributeError):
        return set()
    found = (requirement(s) for s in specs if isinstance(s, str))
    return {normalise(r.name, "pypi") for r in found if r is not None}


def requirement(spec: str) -> Requirement | None:
    """A PEP 508 requirement, or None for anything else (a URL line, a typo, a setting)."""
    # Imported on first use: only a manifest needs it, and commands that read none (a usage error, a cached
    # index) start without it.
    from packaging.requirements import InvalidRequirement, Requirement
    try:
        return Requirement(spec.strip())
    except (InvalidRequirement, ValueError, TypeError):
        return None


def _requirements_of(specs, dev: bool) -> Iterable[tuple[str, str, bool]]:
    for spec in specs or []:
        if isinstance(spec, str) and (req := requirement(spec)) is not None:
            yield req.name, str(req.specifier), dev


# ---- Python ---------------------------------------------------------------------------------


def _requirements_file(text: str, dev: bool = False) -> Iterable[tuple[str, str, bool]]:
    # `-e .` / `.[dev]`: the file installs the project itself, so it is the contributors' environment (the
    # project's own dependencies are declared in its package metadata).
    dev = dev or bool(_INSTALLS_ITSELF.search(text))
    for raw in text.splitlines():
        line = re.split(r"\s+#", raw, maxsplit=1)[0].strip()
        if not line or line.startswith("#") or _REQUIREMENT_LINE_OPTION.match(line):
            continue  # -r other.txt, -e ., --index-url ...: options, not requirements
        if (req := requirement(line)) is not None:
            yield req.name, str(req.specifier), dev


def _development_requirements(path: str) -> bool:
    """requirements-dev.txt, requirements/tests.in, requirements_docs.txt: named for a development group."""
    stem = posixpath.basename(path).rsplit(".", 1)[0]
    stem = re.sub(r"^requirements[-_.]?", "", stem, flags=re.I) or stem
    return stem != "requirements" and bool(DEV_GROUP.match(re.sub(r"\d+$", "", stem)))


def _dependency_groups(groups: dict) -> Iterable[tuple[str, str, bool]]:
    """PEP 735 groups; `{include-group = "x"}` entries are followed (each group is read once)."""
    def expand(name: str, depth: int, seen: set[str]) -> Iterable[str]:
        if name in seen or depth > MAX_GROUP_DEPTH:
            return
        seen.add(name)
        for item in groups.get(name) or []:
            if isinstance(item, str):
                yield item
            elif isinstance(item, dict) and isinstance(item.get("include-group"), str):
                yield from expand(item["include-group"], depth + 1, seen)

    for name in groups:  # groups are never part of what users install (PEP 735): all development
        yield from _requirements_of(list(expand(name, 0, set())), True)


def _pyproject(text: str) -> Iterable[tuple[str, str, bool]]:
    data = tomllib.loads(text)
    project = data.get("project", {}) if isinstance(data.get("project"), dict) else {}
    yield from _requirements_of(project.get("dependencies"), False)
    for extra, specs in (project.get("optional-dependencies", {}) or {}).items():
        yield from _requirements_of(specs, bool(DEV_GROUP.match(str(extra))))
    groups = data.get("dependency-groups", {})
    if isinstance(groups, dict):
        yield from _dependency_groups(groups)
    build = data.get("build-system", {})
    if isinstance(build, dict):
        yield from _requirements_of(build.get("requires"), True)
    poetry = (data.get("tool", {}) or {}).get("poetry", {}) or {}
    tables = [(poetry.get("dependencies", {}), False), (poetry.get("dev-dependencies", {}), True)]
    tables += [(g.get("dependencies", {}), True) for g in (poetry.get("group", {}) or {}).values() if isinstance(g, dict)]
    for table, dev in tables:
        for name, spec in (table or {}).items() if isinstance(table, dict) else ():
            if name.lower() != "python":
                yield name, spec if isinstance(spec, str) else "", dev


def _pipfile(text: str) -> Iterable[tuple[str, str, bool]]:
    data = tomllib.loads(text)
    for key, dev in (("packages", False), ("dev-packages", True)):
        for name, spec in (data.get(key, {}) or {}).items():
            yield name, spec if isinstance(spec, str) else "", dev


def _setup_cfg(text: str) -> Iterable[tuple[str, str, bool]]:
    parser = configparser.ConfigParser(interpolation=None)
    parser.read_string(text)
    if parser.has_option("options", "install_requires"):
        for name, spec, _ in _requirements_file(parser.get("options", "install_requires")):
            yield name, spec, False
    if parser.has_option("options", "tests_require"):
        for name, spec, _ in _requirements_file(parser.get("options", "tests_require")):
            yield name, spec, True
    if parser.has_section("options.extras_require"):
        for extra, value in parser.items("options.extras_require"):
            for name, spec, _ in _requirements_file(value):
                yield name, spec, bool(DEV_GROUP.match(extra))


_SETUP_KEYWORDS = {"install_requires": False, "tests_require": True, "setup_requires": True, "extras_require": None}


def _setup_py(text: str) -> Iterable[tuple[str, str, bool]]:
    """The requirement keywords of the setup() call, as literals in the syntax tree (the file is never run).

    A keyword given a name (`install_requires=REQUIRES`) is followed to a module-level literal assignment."""
    tree = ast.parse(text)
    assigned: dict[str, ast.expr] = {}
    for node in tree.body:
        if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
            assigned[node.targets[0].id] = node.value
    for call in ast.walk(tree):
        if not isinstance(call, ast.Call):
            continue
        for kw in call.keywords:
            if kw.arg not in _SETUP_KEYWORDS:
                continue
            value = assigned.get(kw.value.id, kw.value) if isinstance(kw.value, ast.Name) else kw.value
            if kw.arg == "extras_require" and isinstance(value, ast.Dict):
                for key, specs in zip(value.keys, value.values):
                    extra = key.value if isinstance(key, ast.Constant) else ""
                    yield from _requirements_of(_literal_strings(specs), bool(DEV_GROUP.match(str(extra))))
            elif kw.arg != "extras_require":
                yield from _requirements_of(_literal_strings(value), bool(_SETUP_KEYWORDS[kw.arg]))


def _literal_strings(node: ast.expr) -> list[str]:
    if isinstance(node, (ast.List, ast.Tuple, ast.Set)):
        return [e.value for e in node.elts if isinstance(e, ast.Constant) and isinstance(e.value, str)]
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value.splitlines()
    return []


# ---- other ecosystems -----------------------------------------------------------------------


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


_GO_MODULE_PATH = r"([a-zA-Z0-9][\w.\-]*\.[a-z]{2,}[\w./\-~+]*|[a-zA-Z0-9][\w.\-]*(?:/[\w.\-~+]+)+)"
_GO_REQUIRE_ONE = re.compile(rf"^\s*require\s+{_GO_MODULE_PATH}\s+(v\S+)(.*)$")
_GO_BLOCK_ITEM = re.compile(rf"^\s*{_GO_MODULE_PATH}\s+(v\S+)(.*)$")


def _go_mod(text: str) -> Iterable[tuple[str, str, bool]]:
    """`require` lines and blocks only (replace, exclude and retract name modules too, but declare nothing)."""
    in_require = False
    for raw in text.splitlines():
        line = raw.split("//", 1)[0].strip() if not raw.strip().startswith("//") else ""
        comment = raw[raw.find("//"):] if "//" in raw else ""
        if in_require:
            if line.startswith(")"):
                in_require = False
            elif (m := _GO_BLOCK_ITEM.match(line)) is not None:
                yield m.group(1), m.group(2), "indirect" in comment
            continue
        if re.match(r"^require\s*\($", line):
            in_require = True
        elif (m := _GO_REQUIRE_ONE.match(line)) is not None:
            yield m.group(1), m.group(2), "indirect" in comment


def _cargo(text: str) -> Iterable[tuple[str, str, bool]]:
    data = tomllib.loads(text)
    tables = [(data.get("dependencies", {}), False), (data.get("dev-dependencies", {}), True),
              (data.get("build-dependencies", {}), True),
              ((data.get("workspace", {}) or {}).get("dependencies", {}), False)]
    for target in (data.get("target", {}) or {}).values():
        if isinstance(target, dict):
            tables += [(target.get("dependencies", {}), False), (target.get("dev-dependencies", {}), True)]
    for table, dev in tables:
        for key, spec in (table or {}).items() if isinstance(table, dict) else ():
            # `alias = { package = "real-name", ... }`: the crate is the package, the key only its local name.
            name = str(spec.get("package", key)) if isinstance(spec, dict) else key
            version = spec if isinstance(spec, str) else str(spec.get("version", "")) if isinstance(spec, dict) else ""
            yield name, version, dev


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
    "pyproject.toml": _pyproject, "setup.cfg": _setup_cfg, "setup.py": _setup_py, "Pipfile": _pipfile,
    "package.json": _package_json, "go.mod": _go_mod, "Cargo.toml": _cargo, "pom.xml": _pom,
    "build.gradle": _gradle, "build.gradle.kts": _gradle,
}


def parse_manifest(path: str, text: str) -> list[Dependency]:
    """Dependencies declared in one manifest; a malformed manifest yields none rather than an error.

    A package declared both as a runtime and as a development dependency counts as runtime."""
    base = posixpath.basename(path)
    ecosystem = ecosystem_of(path)
    if ecosystem is None:
        return []
    parser = _PARSERS.get(base, _requirements_file if is_requirements_file(path) else None)
    if parser is None:
        return []
    try:
        found = list(_requirements_file(text, _development_requirements(path)) if parser is _requirements_file
                     else parser(text))
    except (ValueError, TypeError, AttributeError, SyntaxError, RecursionError, configparser.Error,
            tomllib.TOMLDecodeError):
        return []
    seen: dict[str, Dependency] = {}
    for name, spec, dev in found:
        key = normalise(name, ecosystem)
        if key not in seen:
            seen[key] = Dependency(name=key, manifest=path, ecosystem=ecosystem, spec=spec, dev=dev)
        elif seen[key].dev and not dev:
            seen[key].dev = False
    return list(seen.values())


# ---- line level, for manifest diffs in history --------------------------------------

_LINE_PATTERNS = {
    "npm": [re.compile(r"""^\s*"(@?[\w.\-/]+)"\s*:\s*"[~^<>=*\d.xv\w:/#\-]*"\s*,?\s*$""")],
    "go": [re.compile(rf"^\s*(?:require\s+)?{_GO_MODULE_PATH}\s+v")],
    "cargo": [re.compile(r"""^\s*([A-Za-z0-9_\-]+)\s*=\s*(?:"[\^~=<>*\d]|\{)""")],
    "maven": [re.compile(r"""<artifactId>\s*([^<]+?)\s*</artifactId>"""),
              re.compile(r"""['"][^:'"]+:([^:'"]+)(?::[^'"]+)?['"]""")],
}
_KEY_VALUE = re.compile(r"""^\s*["']?([A-Za-z0-9_.\-]+)["']?\s*[=:]\s*(.*)$""")
_QUOTED = re.compile(r"""["']([^"']+)["']""")
_VERSION_LIKE = re.compile(r"""^\s*["']?\s*(?:[\^~]|[<>=!]=?|\*|\d)""")
# Keys whose values are lists of requirements, in the manifests a line can come from.
_LIST_KEYS = {"dependencies", "requires", "install_requires", "tests_require", "setup_requires", "dev", "test", "tests",
              "docs", "lint", "typing", "optional-dependencies"}
_NOT_DEPS = {"name", "version", "description", "readme", "license", "requires-python", "python", "edition",
             "authors", "main", "module", "type", "scripts", "private", "homepage", "repository", "keywords",
             "build-backend", "packages", "include", "exclude", "workspace", "members", "path", "go",
             "features", "default", "optional", "git", "branch", "tag", "rev", "build", "start"}


def _requirement_item(item: str) -> str | None:
    """A quoted array item that reads as a requirement: a constraint, extras or a marker, or a package-like name.

    Settings arrays (`select = ["E", "F", "E501"]`) hold codes, not lower-case package names."""
    req = requirement(item)
    if req is None:
        return None
    if req.specifier or req.extras or req.marker or req.url:
        return req.name
    name = req.name
    return name if len(name) >= 3 and name == name.lower() and not name.isdigit() else None


def _pypi_line(base: str, line: str) -> list[str]:
    if base.startswith("requirements"):
        if _REQUIREMENT_LINE_OPTION.match(line):
            return []
        req = requirement(re.split(r"\s+#", line, maxsplit=1)[0])
        return [req.name] if req is not None else []
    kv = _KEY_VALUE.match(line)
    if kv is None:  # an item of a multi-line array: "name>=1.0",
        if not line.strip().startswith(("'", '"')):
            return []
        return [n for item in _QUOTED.findall(line) if (n := _requirement_item(item))]
    key, rest = kv.group(1), kv.group(2).strip()
    if key.lower() in _NOT_DEPS:
        return []
    if key.lower() in _LIST_KEYS:
        return [n for item in _QUOTED.findall(rest) if (n := _requirement_item(item))]
    if rest.startswith(("'", '"')) and _VERSION_LIKE.match(rest):  # poetry or Pipfile: name = "^1.0"
        return [key]
    if rest.startswith("{") and re.search(r"\bversion\s*=", rest):  # name = { version = "^1.0", extras = [...] }
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
