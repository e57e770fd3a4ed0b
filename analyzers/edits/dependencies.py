"""DR205 new manifest dependency, DR206 import of an undeclared package, DR207 a removed dependency returns.

Manifests are compared with the context's manifest parsers (whole files when
known, else line by line from the diff), all manifests of an ecosystem
together: a dependency moved between manifests is neither new nor returning.
A new development dependency (a dependency group, a test or docs extra) is
information; a new runtime dependency a warning; either is information when
the request or message asks for it. Imports are third-party when they
are not the standard library, not the project's own modules, and not already
imported elsewhere in the repository; they are undeclared when no manifest
names their distribution. A dependency that history shows was deliberately
removed is reported as DR207 citing that commit, instead of DR205/DR206.
"""

from __future__ import annotations

import posixpath
import re
import sys
from hashlib import blake2b

from .. import rules
from ..context.files import is_manifest
from ..context.languages import LANGUAGES
from ..text.paths import is_doc_path, is_support_path
from ..context.manifests import dependency_names_in_line, ecosystem_of, inline_script_dependencies, normalise, parse_manifest
from ..context.model import Dependency
from ..context.postings import postings
from ..findings import Finding, Range
from .diffmodel import FileChange
from .inputs import EditInput
from .stated_intent import request_intent
from ..text.code import imported_modules

# Import names whose distribution is called something else.
IMPORT_TO_DIST = {
    "yaml": "pyyaml", "PIL": "pillow", "cv2": "opencv-python", "sklearn": "scikit-learn", "skimage": "scikit-image",
    "bs4": "beautifulsoup4", "dateutil": "python-dateutil", "attr": "attrs", "jwt": "pyjwt", "Crypto": "pycryptodome",
    "dotenv": "python-dotenv", "magic": "python-magic", "serial": "pyserial", "usb": "pyusb", "OpenSSL": "pyopenssl",
    "git": "gitpython", "docx": "python-docx", "pptx": "python-pptx", "zmq": "pyzmq", "MySQLdb": "mysqlclient",
    "psycopg2": "psycopg2-binary", "win32api": "pywin32", "fitz": "pymupdf", "telegram": "python-telegram-bot",
    "discord": "discord.py", "google": "protobuf", "lxml": "lxml", "jose": "python-jose", "slugify": "python-slugify",
    "multipart": "python-multipart", "socketio": "python-socketio", "engineio": "python-engineio", "ldap": "python-ldap",
    "Levenshtein": "python-levenshtein", "markdown": "markdown", "mpl_toolkits": "matplotlib", "pkg_resources": "setuptools",
    "setuptools": "setuptools", "_pytest": "pytest", "grpc": "grpcio", "tree_sitter": "tree-sitter", "lsprotocol": "lsprotocol",
    "gi": "pygobject", "wx": "wxpython", "kafka": "kafka-python", "nacl": "pynacl", "faiss": "faiss-cpu",
}
# The standard library of the Python versions a project may support other than the running one: added since
# (3.14: annotationlib, compression), removed since (3.12, 3.13: PEP 594), and Python 2's names.
_STDLIB_OF_OTHER_VERSIONS = frozenset("""
annotationlib compression asynchat asyncore distutils imp smtpd aifc audioop cgi cgitb chunk crypt imghdr mailcap
msilib nis nntplib ossaudiodev pipes sndhdr spwd sunau telnetlib uu xdrlib lib2to3 __builtin__ urllib2 urlparse
cPickle cStringIO StringIO ConfigParser Queue httplib HTMLParser Cookie cookielib thread commands exceptions sets
md5 sha dummy_thread dummy_threading SocketServer SimpleHTTPServer BaseHTTPServer xmlrpclib tkMessageBox Tkinter
""".split())
# Packages that come with the toolchain even though they are not in the stdlib list.
# `_typeshed` exists only for type checkers (click, httpx and urllib3 import it under TYPE_CHECKING).
_ALWAYS_AVAILABLE = frozenset({"__future__", "pip", "setuptools", "pkg_resources", "_pytest", "distutils", "typing_extensions",
                               "_typeshed"})
_NODE_BUILTINS = frozenset("""assert async_hooks buffer child_process cluster console constants crypto dgram diagnostics_channel
dns domain events fs http http2 https inspector module net os path perf_hooks process punycode querystring readline repl
stream string_decoder sys timers tls trace_events tty url util v8 vm wasi worker_threads zlib test""".split())
_IMPORT_GUARD = re.compile(r"^\s*except\s*\(?[\w\s,.]*(ImportError|ModuleNotFoundError)")


def check(inp: EditInput) -> list[Finding]:
    findings: list[Finding] = []
    intent = request_intent(inp.intent_text)
    reported: set[str] = set()
    manifests = [fc for fc in inp.content_files() if is_manifest(fc.path) and ecosystem_of(fc.path)]
    if manifests:
        findings += _manifest_additions(manifests, inp, intent, reported)
    if inp.need_context("DR206", "the declared dependencies and the project's own modules are unknown"):
        findings += _undeclared_imports(inp, intent, reported)
    if inp.context is None:
        inp.skip("DR207", "no repository history: cannot tell whether a dependency was removed before")
    return findings


# ---- DR205 / DR207 from manifests -------------------------------------------------------


def _declared(path: str, text: str | None) -> dict[str, Dependency]:
    return {d.name: d for d in parse_manifest(path, text)} if text else {}


def _sides(fc: FileChange) -> tuple[dict[str, Dependency], dict[str, Dependency]]:
    """What the manifest declares before and after the change: whole files when known, else the diff's lines."""
    if fc.new_text is not None and (fc.old_text is not None or fc.status == "added") \
            and (parse_manifest(fc.path, fc.new_text) or fc.old_text is not None):
        return _declared(fc.old_path or fc.path, fc.old_text), _declared(fc.path, fc.new_text)
    if fc.status == "deleted" and fc.old_text is not None:
        return _declared(fc.path, fc.old_text), {}
    ecosystem = ecosystem_of(fc.path) or ""

    def from_lines(lines) -> dict[str, Dependency]:
        return {n: Dependency(name=n, manifest=fc.path, ecosystem=ecosystem)
                for ln in lines for n in dependency_names_in_line(fc.path, ln.text)}
    return from_lines(fc.removed()), from_lines(fc.added())


def _manifest_additions(manifests: list[FileChange], inp: EditInput, intent, reported: set[str]) -> list[Finding]:
    """Dependencies new to the project: declared after the change by some manifest, and before it by none.

    All manifests of an ecosystem are compared together, and with the ones the change leaves alone, so a
    dependency moved from setup.py to pyproject.toml (or from one group to another) is a move, not an addition."""
    before: dict[str, set[str]] = {}
    after: dict[str, dict[str, tuple[FileChange, Dependency]]] = {}
    changed = {p for fc in manifests for p in (fc.path, fc.old_path) if p}
    for fc in manifests:
        ecosystem = ecosystem_of(fc.path) or ""
        old, new = _sides(fc)
        before.setdefault(ecosystem, set()).update(old)
        for name, dep in new.items():
            after.setdefault(ecosystem, {}).setdefault(name, (fc, dep))
    if inp.context is not None:
        for dep in inp.context.dependencies:
            if dep.manifest not in changed:
                before.setdefault(dep.ecosystem, set()).add(dep.name)
    out = []
    for ecosystem, declared in sorted(after.items()):
        for name in sorted(set(declared) - before.get(ecosystem, set())):
            fc, dep = declared[name]
            line = _line_of(fc, name)
            reported.add(f"{ecosystem}:{name}")
            stated = bool(intent) and intent.states_dependency(name, dep.dev)
            removal = _removal(inp, name, ecosystem)
            if removal is not None:
                out.append(_dr207(removal, name, fc.path, line, stated or dep.dev))
                continue
            kind = "development dependency" if dep.dev else "dependency"
            note = " (as stated in the request)" if stated else " (contributors' tooling, not installed for users)" \
                if dep.dev else ""
            out.append(rules.make(
                "DR205", f"New {ecosystem} {kind} '{name}' in {fc.path}{note}.",
                severity="info" if stated or dep.dev else None, evidence=name, path=fc.path,
                range=Range.lines(max(line - 1, 0)),
                question=None if stated else f"Is adding '{name}' acceptable, or should this use what the project "
                                             f"already has?"))
    return out


def _line_of(fc: FileChange, name: str) -> int:
    for ln in fc.added():
        if name.lower() in normalise(ln.text, "pypi") or name.lower() in ln.text.lower():
            return ln.new_no or 1
    return 1


def _removal(inp: EditInput, name: str, ecosystem: str | None = None):
    """The commit that deliberately removed this dependency from the project, if history has one.

    History records a removal only when the commit declared the name in no other manifest of the ecosystem:
    a move (setup.py -> pyproject.toml) is no removal."""
    if inp.context is None:
        return None
    key = normalise(name, "pypi")
    for r in inp.context.history.dependency_removals:
        if normalise(r.name, "pypi") == key and (not ecosystem or ecosystem_of(r.manifest) in (ecosystem, None)):
            return r
    return None


def _dr207(removal, name: str, path: str, line: int, stated: bool = False) -> Finding:
    """`stated`: the request asks for it, or it is a development tool (information either way)."""
    return rules.make(
        "DR207", f"'{name}' was removed from {removal.manifest} in {removal.sha[:10]} (\"{removal.subject}\"); "
                 f"this change brings it back" + (" (as the request states, or as a development tool)." if stated
                                                 else "."),
        severity="info" if stated else None, evidence=name, path=path, range=Range.lines(max(line - 1, 0)),
        question=None if stated else f"The project dropped '{name}' on purpose; should it come back?",
        related=[{"commit": removal.sha, "subject": removal.subject, "manifest": removal.manifest}])


# ---- DR206 / DR207 from imports ---------------------------------------------------------


def _undeclared_imports(inp: EditInput, intent, reported: set[str]) -> list[Finding]:
    ctx = inp.context
    local = _local_names(ctx, inp)
    changed = {fc.path for fc in inp.change}
    out = []
    for fc in inp.content_files():
        lang = fc.language
        if lang not in _IMPORT_LANGUAGES:
            continue
        if is_support_path(fc.path) or is_doc_path(fc.path):
            continue  # examples, demos and maintainers' tools bring their own environment: the package never imports them
        ecosystem = LANGUAGES[lang].ecosystem or "npm"
        declared = ctx.dependency_names(ecosystem)
        if not ctx.dependency_names() and not any(ecosystem_of(m) == ecosystem for m in ctx.manifests):
            inp.skip("DR206", f"{fc.path}: the repository declares no {ecosystem} dependencies to compare with")
            continue
        guarded = _guarded_lines(fc)
        if lang == "python" and fc.new_text:
            declared = declared | inline_script_dependencies(fc.new_text)  # a PEP 723 script's own dependencies
        for ln in fc.added():
            if ln.new_no in guarded:
                continue
            for module in imported_modules(ln.text, lang):
                package = _package(module, lang)
                if package is None or f"{ecosystem}:{package}" in reported:
                    continue
                users = importers(ctx, lang, package)
                if _is_known(package, lang, declared, local, bool(users - changed), ctx):
                    continue
                reported.add(f"{ecosystem}:{package}")
                asked = bool(intent) and intent.states_dependency(IMPORT_TO_DIST.get(package, package))
                removal = _removal(inp, IMPORT_TO_DIST.get(package, package), ecosystem)
                if removal is not None:
                    out.append(_dr207(removal, package, fc.path, ln.new_no or 1, asked))
                    continue
                out.append(rules.make(
                    "DR206", f"'{package}' is imported but no manifest of the project declares it.",
                    severity="info" if asked else None, evidence=ln.text.strip(), path=fc.path,
                    range=Range.lines((ln.new_no or 1) - 1),
                    question=f"Should '{package}' become a declared dependency, or can the change do without it?",
                    fix=f"Declare '{IMPORT_TO_DIST.get(package, package)}' in the manifest or use an existing dependency."))
    return out


def _guarded_lines(fc: FileChange) -> set[int]:
    """New-side lines inside a `try:` whose handler catches ImportError (an optional import)."""
    lines = fc.known_new_lines()
    guarded: set[int] = set()
    numbers = sorted(lines)
    for i, n in enumerate(numbers):
        if _IMPORT_GUARD.match(lines[n]):
            j = i - 1
            while j >= 0 and not lines[numbers[j]].strip().startswith("try:") and i - j < 15:
                guarded.add(numbers[j])
                j -= 1
    return guarded


def _package(module: str, lang: str) -> str | None:
    if lang == "python":
        return module.split(".")[0] or None
    if lang in ("javascript", "typescript", "tsx"):
        if module.startswith((".", "/", "~", "@/", "#")) or module.startswith("node:"):
            return None
        parts = module.split("/")
        return "/".join(parts[:2]) if module.startswith("@") else parts[0]
    if lang == "rust":
        return module.replace("-", "_")
    return module  # go: the import path


def _is_known(package: str, lang: str, declared: set[str], local: set[str], used_elsewhere: bool, ctx) -> bool:
    if used_elsewhere or package in local:
        return True
    if lang == "python":
        if package in sys.stdlib_module_names or package in _ALWAYS_AVAILABLE or package in _STDLIB_OF_OTHER_VERSIONS:
            return True
        candidates = {normalise(package, "pypi"), normalise(IMPORT_TO_DIST.get(package, package), "pypi")}
        if candidates & declared or any(d.startswith(normalise(package, "pypi") + "-") for d in declared):
            return True
        # Distributions named for Python: python-lsp-jsonrpc installs pylsp_jsonrpc, python-dateutil dateutil.
        compact = package.replace("_", "").lower()
        return any(compact in (_compact(d), _compact(d).replace("python", "py", 1), _compact(d).removeprefix("python"))
                   for d in declared if d.startswith("python-"))
    if lang in ("javascript", "typescript", "tsx"):
        return package in _NODE_BUILTINS or package in declared or f"@types/{package}" in declared
    if lang == "go":
        if "." not in package.split("/")[0]:
            return True  # standard library
        own = _go_module_paths(ctx)
        return any(package == d or package.startswith(d + "/") for d in declared | own)
    if lang == "rust":
        return package in {d.replace("-", "_") for d in declared}
    return True


def _compact(dist: str) -> str:
    return dist.replace("-", "").replace(".", "")


def _go_module_paths(ctx) -> set[str]:
    out = set()
    for manifest in ctx.manifests:
        if manifest.endswith("go.mod"):
            m = re.search(r"^module\s+(\S+)", ctx.read_text(manifest) or "", re.M)
            if m:
                out.add(m.group(1))
    return out


def _local_names(ctx, inp: EditInput) -> set[str]:
    """Top-level names the project itself provides: its folders and module files, and files the change adds."""
    names: set[str] = set()
    for path in list(ctx.files) + [fc.path for fc in inp.change]:
        parts = path.split("/")
        names.update(p for p in parts[:-1])
        names.add(posixpath.splitext(parts[-1])[0])
    return names


_IMPORT_LANGUAGES = ("python", "javascript", "typescript", "tsx", "go", "rust")
INDEX = "imports@1"


def _package_key(lang: str, package: str) -> int:
    return int.from_bytes(blake2b(f"{lang}:{package}".encode(), digest_size=8).digest(), "little")


def _extract_imports(path: str, text: str, lang: str):
    seen = set()
    for line in text.splitlines():
        if "import" not in line and "require" not in line and "use " not in line and '"' not in line:
            continue
        for module in imported_modules(line, lang):
            package = _package(module, lang)
            if package and package not in seen:
                seen.add(package)
                yield _package_key(lang, package), 0, 0


def importers(ctx, lang: str, package: str) -> set[str]:
    """Files in the repository that import `package` (kept incrementally in the workspace cache).

    Paths are returned so a file the change itself rewrote does not vouch for its own new import.
    """
    index = postings(ctx, INDEX, _extract_imports, languages=_IMPORT_LANGUAGES)
    return {path for path, _, _ in index.get(_package_key(lang, package))}
