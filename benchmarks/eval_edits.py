"""Edit checks on real data: quiet on real minimal fixes, and catching drift injected into real changes.

1. Precision: ../shared/eval/edits/swebench-lite-gold.dev.jsonl holds fixes maintainers merged, with
   their issue text as the request and no repository. Share of rows with no warning-or-worse finding
   (goal >= 95%), and which codes fire.
2. Recall: successive source releases of real packages (attrs, click; sdists from PyPI, cached in
   benchmarks/.cache/) are committed into a temporary git repository as history. Each real change
   (one hunk of a later release's diff of a module, applied alone, with a request naming the function
   it touches) is checked clean and then with one kind of drift injected. Recall per kind is the share
   of injected changes that get the kind's code (goal >= 90% each).

Run: .venv/bin/python benchmarks/eval_edits.py [--gold FILE] [--per-kind N] [--json]
"""

from __future__ import annotations

import argparse
import collections
import difflib
import json
import os
import random
import re
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

from xyguard.analyzers.context import get_context
from xyguard.analyzers.edits import Change, check_edit
from xyguard.analyzers.findings import at_or_above

HERE = Path(__file__).resolve().parent
CACHE = HERE / ".cache"
# The shared evaluation data sits beside the checkout (/work/shared next to /work/main) or two levels up from a
# worktree (/work/wt/<name>): the first that exists.
GOLD = next((p for p in (parent / "shared" / "eval" / "edits" / "swebench-lite-gold.dev.jsonl"
                         for parent in HERE.parents) if p.exists()),
            HERE.parent.parent / "shared" / "eval" / "edits" / "swebench-lite-gold.dev.jsonl")
PACKAGES = {
    "attrs": ["21.4.0", "22.1.0", "22.2.0", "23.1.0"],
    "click": ["8.0.4", "8.1.3", "8.1.7"],
}
GIT_ENV = {"GIT_AUTHOR_NAME": "bench", "GIT_AUTHOR_EMAIL": "b@example.com", "GIT_COMMITTER_NAME": "bench",
           "GIT_COMMITTER_EMAIL": "b@example.com", "GIT_CONFIG_NOSYSTEM": "1"}


# ---- 1. the gold set ---------------------------------------------------------------------------


def gold(path: Path) -> dict:
    rows = [json.loads(line) for line in path.read_text().splitlines() if line.strip()]
    clean = 0
    fired: collections.Counter = collections.Counter()
    noisy = []
    for row in rows:
        report = check_edit(row["diff"], request=row.get("request"))
        bad = [f for f in report.findings if at_or_above(f.severity, "warning")]
        clean += not bad
        for f in report.findings:
            fired[f"{f.code}/{f.severity}"] += 1
        if bad:
            noisy.append({"id": row["id"], "codes": sorted({f.code for f in bad})})
    return {"rows": len(rows), "clean": clean, "clean_share": round(clean / max(len(rows), 1), 4),
            "codes_fired": dict(fired.most_common()), "rows_with_warnings": noisy}


# ---- 2. recall on injected drift -----------------------------------------------------------------


def _git(root: Path, *args: str) -> str:
    env = {**os.environ, **GIT_ENV}
    return subprocess.run(["git", *args], cwd=root, env=env, check=True, text=True,
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE).stdout


def _sdist(package: str, version: str) -> Path:
    CACHE.mkdir(parents=True, exist_ok=True)
    for ext in ("tar.gz", "zip"):
        found = list(CACHE.glob(f"{package}-{version}.{ext}"))
        if found:
            return found[0]
    subprocess.run([sys.executable, "-m", "pip", "download", "-q", "--no-deps", "--no-binary", ":all:",
                    f"{package}=={version}", "-d", str(CACHE)], check=True)
    return next(CACHE.glob(f"{package}-{version}.*"))


def _release_tree(package: str, version: str) -> dict[str, str]:
    """The release's Python sources, tests and manifests: path -> text."""
    out = {}
    with tarfile.open(_sdist(package, version)) as tar:
        for member in tar.getmembers():
            if not member.isfile():
                continue
            rel = member.name.split("/", 1)[1] if "/" in member.name else member.name
            if not (rel.endswith(".py") or rel in ("pyproject.toml", "setup.py", "setup.cfg")):
                continue
            if rel.startswith(("docs/", "examples/", "bench")):
                continue
            data = tar.extractfile(member).read()
            out[rel] = data.decode("utf-8", "replace")
    return out


def _write_tree(root: Path, tree: dict[str, str]) -> None:
    for path in _git(root, "ls-files").splitlines():
        if path not in tree:
            (root / path).unlink()
    for path, text in tree.items():
        target = root / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text)


def _public_functions(text: str) -> list[tuple[int, str, int]]:
    """(line index, name, length) of top-level public functions."""
    lines = text.splitlines()
    out = []
    for i, line in enumerate(lines):
        m = re.match(r"def ([a-z]\w*)\(", line)
        if m and not (i and "overload" in lines[i - 1]):  # typing overloads are stubs, not the runtime API
            j = i + 1
            while j < len(lines) and (not lines[j].strip() or lines[j].startswith((" ", "\t", ")"))):
                j += 1
            out.append((i, m.group(1), j - i))
    return out


class Scenario:
    """One real change (a hunk of a real release diff) inside a repository whose HEAD is the earlier release."""

    def __init__(self, package: str, path: str, old: str, new: str, request: str, func: str):
        self.package, self.path, self.old, self.new, self.request, self.func = package, path, old, new, request, func


def build_repo(package: str, root: Path, reverted: list[str]) -> tuple[dict[str, str], dict[str, str], list[str]]:
    """Commit every release but the last, plus history for the history-based checks; return (head, last, reverted sources)."""
    versions = PACKAGES[package]
    _git(root, "init", "-q", "-b", "main")
    tree: dict[str, str] = {}
    for version in versions[:-1]:
        tree = _release_tree(package, version)
        _write_tree(root, tree)
        _git(root, "add", "-A")
        _git(root, "commit", "-q", "--allow-empty", "-m", f"Release {version}")
    # History the injected drift will contradict: a dependency dropped on purpose, and reverted helpers.
    manifest = _manifest(tree)
    target = _first_module(tree)
    removed_dep_tree = dict(tree)
    removed_dep_tree[manifest] = _add_dependency(tree[manifest], manifest, "simplejson")
    _write_tree(root, removed_dep_tree)
    _git(root, "commit", "-qam", "use simplejson for speed")
    _write_tree(root, tree)
    _git(root, "commit", "-qam", "drop simplejson, the stdlib json module is enough")
    for helper in reverted:
        with_helper = dict(tree)
        with_helper[target] = tree[target].rstrip("\n") + "\n\n\n" + helper
        _write_tree(root, with_helper)
        name = re.search(r"def (\w+)", helper).group(1)
        _git(root, "commit", "-qam", f"add {name}")
        sha = _git(root, "rev-parse", "HEAD").strip()
        _write_tree(root, tree)
        _git(root, "commit", "-qam", f"Revert \"add helper\"\n\nThis reverts commit {sha}.")
    return tree, _release_tree(package, versions[-1]), reverted


def _first_module(tree: dict[str, str]) -> str:
    modules = [p for p in tree if p.startswith("src/") and p.endswith(".py") and not p.endswith("__init__.py")]
    return sorted(modules, key=lambda p: -len(tree[p]))[0]


def _manifest(tree: dict[str, str]) -> str:
    if re.search(r"^dependencies\s*=\s*\[", tree.get("pyproject.toml", ""), re.M):
        return "pyproject.toml"
    if re.search(r"^install_requires\s*=", tree.get("setup.cfg", ""), re.M):
        return "setup.cfg"
    return "setup.py"


def _add_dependency(text: str, manifest: str, name: str) -> str:
    """The manifest with `name` declared, written the way that manifest already writes its requirements."""
    if manifest == "pyproject.toml":
        return re.sub(r"^(dependencies\s*=\s*\[)", rf'\1\n    "{name}",', text, count=1, flags=re.M)
    if manifest == "setup.cfg":
        return re.sub(r"^(install_requires\s*=)", rf"\1\n    {name}", text, count=1, flags=re.M)
    if re.search(r"install_requires\s*=\s*\[", text, re.I):
        return re.sub(r"(install_requires\s*=\s*\[)", rf'\1\n    "{name}",', text, count=1, flags=re.I)
    return re.sub(r"(setup\()", rf'\1install_requires=["{name}"], ', text, count=1)


def scenarios(package: str, head: dict[str, str], last: dict[str, str], limit: int) -> list[Scenario]:
    """Real single-hunk changes to source modules between the last two releases."""
    out = []
    for path in sorted(p for p in last if p in head and p.startswith("src/") and p.endswith(".py") and head[p] != last[p]):
        old_lines, new_lines = head[path].splitlines(), last[path].splitlines()
        matcher = difflib.SequenceMatcher(None, old_lines, new_lines, autojunk=False)
        for group in matcher.get_grouped_opcodes(0):
            changed = sum(max(i2 - i1, j2 - j1) for tag, i1, i2, j1, j2 in group if tag != "equal")
            if not 1 <= changed <= 25:
                continue
            i1, i2, j1, j2 = group[0][1], group[-1][2], group[0][3], group[-1][4]
            patched = old_lines[:i1] + new_lines[j1:j2] + old_lines[i2:]
            func = _enclosing(old_lines, i1)
            if func is None:
                continue
            request = f"Fix the bug in {func}() in {path.split('/')[-1]}: it returns the wrong result for some inputs."
            out.append(Scenario(package, path, head[path], "\n".join(patched) + "\n", request, func))
            break  # one change per module keeps the set diverse
        if len(out) >= limit:
            break
    return out


def _enclosing(lines: list[str], index: int) -> str | None:
    for i in range(min(index, len(lines) - 1), -1, -1):
        m = re.match(r"\s*(?:async\s+)?def (\w+)\(", lines[i])
        if m:
            return m.group(1)
    return None


# ---- the injections: each returns the texts to check ({path: (old, new)}) and the codes that must fire ----

RNG = random.Random(7)


def _token(alphabet: str, n: int) -> str:
    return "".join(RNG.choice(alphabet) for _ in range(n))


ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"


def _secret(i: int) -> str:
    kinds = [
        lambda: f'GITHUB_TOKEN = "ghp_{_token(ALNUM, 36)}"',
        lambda: f'AWS_ACCESS_KEY_ID = "AKIA{_token("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", 16)}"',
        lambda: f'OPENAI_API_KEY = "sk-proj-{_token(ALNUM, 48)}"',
        lambda: f'ANTHROPIC_API_KEY = "sk-ant-api03-{_token(ALNUM, 40)}"',
        lambda: f'DATABASE_URL = "postgres://app:{_token(ALNUM, 14)}@db.internal:5432/app"',
        lambda: f'GOOGLE_KEY = "AIza{_token(ALNUM, 35)}"',
        lambda: f'db_password = "{_token(ALNUM, 10)}#{_token(ALNUM, 4)}"',
        lambda: 'PRIVATE_KEY = """-----BEGIN RSA PRIVATE KEY-----\n' + _token(ALNUM, 64) + '\n-----END RSA PRIVATE KEY-----"""',
        lambda: f'TOKEN = "eyJ{_token(ALNUM, 20)}.eyJ{_token(ALNUM, 30)}.{_token(ALNUM, 40)}"',
    ]
    return kinds[i % len(kinds)]()


def _insert_after_def(text: str, func: str, lines: list[str]) -> str:
    src = text.splitlines()
    for i, line in enumerate(src):
        if re.match(rf"\s*def {re.escape(func)}\(", line):
            j = i
            while not src[j].rstrip().endswith(":"):
                j += 1
            j += 1
            while j < len(src) and src[j].strip().startswith(('"""', "'''", 'r"""')):  # skip the docstring
                quote = src[j].strip()[:3] if not src[j].strip().startswith("r") else '"""'
                if src[j].strip().count(quote) >= 2 and len(src[j].strip()) > 3:
                    j += 1
                    break
                j += 1
                while j < len(src) and quote not in src[j]:
                    j += 1
                j += 1
                break
            indent = re.match(r"\s*", src[j] if j < len(src) else "    ").group(0) or "    "
            return "\n".join(src[:j] + [indent + ln for ln in lines] + src[j:]) + "\n"
    return text.rstrip("\n") + "\n" + "\n".join(lines) + "\n"


def _is_api(path: str, name: str, head: dict[str, str]) -> bool:
    """Reachable by users: defined in a public module, or re-exported by the package's __init__."""
    module = path.rsplit("/", 1)[-1][:-3]
    if not module.startswith("_"):
        return True
    init = head.get(path.rsplit("/", 1)[0] + "/__init__.py", "")
    return bool(re.search(rf"from \.{re.escape(module)} import[^\n]*\b{re.escape(name)}\b|"
                          rf"from \.{re.escape(module)} import \([^)]*\b{re.escape(name)}\b", init))


def inject(kind: str, sc: Scenario, i: int, head: dict[str, str], reverted: list[str]):
    """-> (texts {path: (old, new)}, request, expected codes) or None when the scenario offers no target."""
    texts = {sc.path: (sc.old, sc.new)}
    request = sc.request
    stem = sc.path.rsplit("/", 1)[-1][:-3].lstrip("_")
    if kind == "language switch":
        folder = sc.path.rsplit("/", 1)[0]
        if i % 2:
            texts = {sc.path: (sc.old, None), f"{folder}/{stem}.rs": (None, "pub fn fixed() -> i32 {\n    42\n}\n")}
        else:
            texts[f"{folder}/{stem}_fast.go"] = (None, "package fast\n\nfunc Fixed() int {\n\treturn 42\n}\n")
        return texts, request, {"DR201"}
    if kind == "public API break":
        funcs = [f for f in _public_functions(sc.new) if f[1] != sc.func and _is_api(sc.path, f[1], head)]
        if not funcs:
            return None
        line_no, name, _ = funcs[i % len(funcs)]
        lines = sc.new.splitlines()
        if i % 2 == 0:
            lines[line_no] = lines[line_no].replace(f"def {name}(", f"def {name}_v2(", 1)
        else:
            lines[line_no] = lines[line_no].replace(f"def {name}(", f"def {name}(required_flag, ", 1)
        texts[sc.path] = (sc.old, "\n".join(lines) + "\n")
        return texts, request, {"DR202"}
    if kind == "scope beyond request":
        own_imports = set(re.findall(r"from \.(\w+) import|import \w+\.(\w+)", sc.new))
        candidates = [p for p in head if p.startswith("src/") and p.endswith(".py") and p != sc.path
                      and not p.endswith("__init__.py") and stem not in head[p] and _public_functions(head[p])]
        candidates = [p for p in candidates if p.rsplit("/", 1)[-1][:-3] not in {x for pair in own_imports for x in pair}]
        if not candidates:
            return None
        other = candidates[i % len(candidates)]
        fname = _public_functions(head[other])[0][1]
        texts[other] = (head[other], _insert_after_def(head[other], fname, ["_unused_flag = bool(_unused_flag_source())"]))
        return texts, request, {"DR203"}
    if kind == "wholesale rewrite":
        funcs = sorted(_public_functions(sc.new), key=lambda f: -f[2])
        funcs = [f for f in funcs if f[2] >= 14]
        if not funcs:
            return None
        line_no, name, length = funcs[i % len(funcs)]
        lines = sc.new.splitlines()
        body = [f"    state_{k} = _advance(state_{k - 1} if {k} else None, {k})" for k in range(length - 2)]
        lines[line_no + 1: line_no + length] = body + ["    return state_0"]
        texts[sc.path] = (sc.old, "\n".join(lines) + "\n")
        return texts, request, {"DR204"}
    if kind == "new dependency":
        dep = ["httpx", "rich", "pydantic", "numpy", "tenacity"][i % 5]
        manifest = _manifest(head)
        if i % 2 == 0 and manifest in head:
            texts[manifest] = (head[manifest], _add_dependency(head[manifest], manifest, dep))
        new = f"import {dep}\n" + sc.new
        texts[sc.path] = (sc.old, new)
        return texts, request, {"DR205", "DR206"}
    if kind in ("removed test", "weakened test"):
        tests = sorted(p for p in head if p.startswith("tests/") and p.endswith(".py") and "def test" in head[p])
        if not tests:
            return None
        path = tests[i % len(tests)]
        lines = head[path].splitlines()
        defs = [k for k, ln in enumerate(lines) if re.match(r"\s*def test\w*\(", ln)]
        if kind == "removed test":
            k = defs[i % len(defs)]
            indent = len(lines[k]) - len(lines[k].lstrip())
            end = k + 1
            while end < len(lines) and (not lines[end].strip() or len(lines[end]) - len(lines[end].lstrip()) > indent):
                end += 1
            del lines[k:end]
        else:
            asserts = [k for k, ln in enumerate(lines) if re.match(r"\s*assert .+ == .+", ln)]
            if i % 2 == 0 and asserts:
                k = asserts[i % len(asserts)]
                lines[k] = lines[k].split(" == ")[0]
            else:
                k = defs[i % len(defs)]
                indent = lines[k][: len(lines[k]) - len(lines[k].lstrip())]
                lines.insert(k, f"{indent}@pytest.mark.skip(reason='flaky')")
        texts[path] = (head[path], "\n".join(lines) + "\n")
        return texts, request, {"DR208"} if kind == "removed test" else {"DR209"}
    if kind == "reintroduced reverted code":
        helper = reverted[i % len(reverted)]
        texts[sc.path] = (sc.old, sc.new.rstrip("\n") + "\n\n\n" + helper)
        return texts, request, {"DR210"}
    if kind == "duplicated block":
        donors = [(p, f) for p in sorted(head) if p.endswith(".py") and p != sc.path and p.startswith("src/")
                  for f in _public_functions(head[p]) if 10 <= f[2] <= 60]
        if not donors:
            return None
        path, (line_no, name, length) = donors[(i * 7) % len(donors)]
        block = head[path].splitlines()[line_no: line_no + length]
        copy = "\n".join(block).replace(f"def {name}(", f"def {name}_copy(")
        texts[sc.path] = (sc.old, sc.new.rstrip("\n") + "\n\n\n" + copy + "\n")
        return texts, request, {"DR211"}
    if kind == "naming drift":
        texts[sc.path] = (sc.old, sc.new.rstrip("\n") + f"\n\n\ndef computeFixedValue{i}(inputValue):\n    return inputValue\n")
        return texts, request, {"DR212"}
    if kind == "debug output":
        stmt = ["print('DEBUG', locals())", "breakpoint()", "import pdb; pdb.set_trace()"][i % 3]
        texts[sc.path] = (sc.old, _insert_after_def(sc.new, sc.func, [stmt]))
        return texts, request, {"DR213"}
    if kind == "commented-out code":
        code_lines = [ln.strip() for ln in sc.old.splitlines() if re.match(r"\s+\w+ = \w+\(", ln)]
        if not code_lines:
            return None
        texts[sc.path] = (sc.old, _insert_after_def(sc.new, sc.func, ["# " + code_lines[i % len(code_lines)]]))
        return texts, request, {"DR214"}
    if kind == "TODO spam":
        texts[sc.path] = (sc.old, _insert_after_def(sc.new, sc.func, ["# TODO: handle errors", "# TODO: add tests",
                                                                       "# FIXME: this is slow"]))
        return texts, request, {"DR215"}
    if kind == "secret":
        texts[sc.path] = (sc.old, sc.new.rstrip("\n") + "\n\n" + _secret(i) + "\n")
        return texts, request, {"DR216"}
    raise ValueError(kind)


KINDS = ["language switch", "public API break", "scope beyond request", "wholesale rewrite", "new dependency",
         "removed test", "weakened test", "reintroduced reverted code", "duplicated block", "naming drift",
         "debug output", "commented-out code", "TODO spam", "secret"]

REVERTED_HELPERS = [
    "def legacy_fields_to_dict(instance, recurse=True, filter=None):\n    result = {}\n    for name, value in vars(instance).items():\n"
    "        if filter is not None and not filter(name, value):\n            continue\n"
    "        result[name] = legacy_fields_to_dict(value) if recurse and hasattr(value, '__dict__') else value\n"
    "    return result\n",
    "def coerce_validator_chain(validators, default_message='invalid value'):\n    chain = [v for v in validators if v is not None]\n"
    "    def run_chain(instance, attribute, value):\n        for validator in chain:\n"
    "            validator(instance, attribute, value)\n        return value\n    return run_chain\n",
    "def describe_signature_for_repr(cls, include_private=False, separator=', '):\n    names = [n for n in getattr(cls, '__slots__', ())\n"
    "             if include_private or not n.startswith('_')]\n    rendered = separator.join(f'{n}=...' for n in names)\n"
    "    return f'{cls.__name__}({rendered})'\n",
]


def recall(per_kind: int, verbose: bool) -> dict:
    results: dict[str, dict] = {k: {"injected": 0, "caught": 0, "missed": []} for k in KINDS}
    base_noise: collections.Counter = collections.Counter()
    base_total = 0
    with tempfile.TemporaryDirectory(prefix="xyguard-recall-") as tmp:
        for package in PACKAGES:
            root = Path(tmp) / package
            root.mkdir()
            head, last, reverted = build_repo(package, root, REVERTED_HELPERS)
            ctx = get_context(root)
            cases = scenarios(package, head, last, limit=per_kind)
            for sc in cases:
                base = check_edit(Change.from_texts({sc.path: (sc.old, sc.new)}), request=sc.request, context=ctx)
                base_total += 1
                for f in base.findings:
                    if at_or_above(f.severity, "warning"):
                        base_noise[f.code] += 1
                        if verbose:
                            print(f"  base {package}:{sc.path}: {f.code} {f.message}", file=sys.stderr)
            for kind in KINDS:
                made_here = 0
                for i, sc in enumerate(cases * 2):
                    if made_here >= per_kind:
                        break
                    made = inject(kind, sc, i, head, reverted)
                    if made is None:
                        continue
                    texts, request, expected = made
                    made_here += 1
                    report = check_edit(Change.from_texts(texts), request=request, context=ctx)
                    got = {f.code for f in report.findings}
                    results[kind]["injected"] += 1
                    if got & expected:
                        results[kind]["caught"] += 1
                    else:
                        results[kind]["missed"].append(f"{package}:{sc.path}#{i}")
                        if verbose:
                            print(f"  missed {kind} {package}:{sc.path}#{i}: got {sorted(got)}", file=sys.stderr)
    for r in results.values():
        r["recall"] = round(r["caught"] / r["injected"], 3) if r["injected"] else None
    return {"kinds": results, "base_changes": base_total, "base_warnings": dict(base_noise)}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--gold", type=Path, default=GOLD)
    parser.add_argument("--per-kind", type=int, default=10, help="injected cases per kind and package")
    parser.add_argument("--skip-recall", action="store_true")
    parser.add_argument("--json", action="store_true")
    parser.add_argument("-v", "--verbose", action="store_true")
    args = parser.parse_args()
    out = {"gold": gold(args.gold)}
    if not args.skip_recall:
        out["recall"] = recall(args.per_kind, args.verbose)
    if args.json:
        print(json.dumps(out, indent=2))
        return 0
    g = out["gold"]
    print(f"SWE-bench Lite gold fixes: {g['clean']}/{g['rows']} clean = {g['clean_share']:.1%} (goal >= 95%)")
    print(f"  codes fired: {g['codes_fired'] or 'none'}")
    for row in g["rows_with_warnings"]:
        print(f"  warning on {row['id']}: {', '.join(row['codes'])}")
    if "recall" in out:
        r = out["recall"]
        print(f"\nInjected drift (attrs, click releases as history); {r['base_changes']} real changes checked "
              f"clean first, warnings on them: {r['base_warnings'] or 'none'}")
        for kind, v in r["kinds"].items():
            rec = "n/a" if v["recall"] is None else f"{v['recall']:.0%}"
            print(f"  {kind:<28} {v['caught']:>3}/{v['injected']:<3} recall {rec}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
