"""The workspace context on real git repositories: API surface, history, cache, safety, odd repository states."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from gitrepo import Repo
from xyguard.analyzers.context import build_context, get_context, invalidate

XYGUARD = [sys.executable, "-m", "xyguard.server"]


def _public(ctx, path):
    return {s.qualname: s.public for s in ctx.symbols.get(path, [])}


def test_api_surface_public_rules_per_language(repo):
    repo.commit("sources", {
        "pkg/mod.py": '__all__ = ["api", "Shown"]\n\ndef api(a, b=1):\n    """Do it."""\n\ndef not_listed():\n    pass\n\n'
                      'def _private():\n    pass\n\nclass Shown:\n    def method(self):\n        pass\n    def _hidden(self):\n        pass\n',
        "pkg/free.py": "def visible():\n    pass\n\ndef _internal():\n    pass\n",
        "web/a.js": "export function add(a, b) { return a + b }\nfunction local() {}\nconst helper = () => 1;\nmodule.exports = { helper };\n",
        "web/b.ts": "export interface Opts { a: number }\nexport function go(o: Opts, n = 2): string { return '' }\nfunction hidden(): void {}\n",
        "cmd/main.go": "package main\n\nfunc Open(name string) error { return nil }\nfunc closeIt() {}\n",
        "src/lib.rs": "pub fn parse(s: &str) -> u32 { 0 }\nfn private() {}\npub(crate) fn crate_only() {}\n",
        "src/Api.java": "public class Api {\n  public int get(int a) { return a; }\n  private void hide() {}\n}\n",
    })
    ctx = build_context(repo.root, use_cache=False)
    assert _public(ctx, "pkg/mod.py") == {"api": True, "not_listed": False, "_private": False, "Shown": True,
                                          "Shown.method": True, "Shown._hidden": False}
    assert _public(ctx, "pkg/free.py") == {"visible": True, "_internal": False}
    assert _public(ctx, "web/a.js") == {"add": True, "local": False, "helper": True}
    assert _public(ctx, "web/b.ts") == {"Opts": True, "go": True, "hidden": False}
    assert _public(ctx, "cmd/main.go") == {"Open": True, "closeIt": False}
    assert _public(ctx, "src/lib.rs") == {"parse": True, "private": False, "crate_only": False}
    assert _public(ctx, "src/Api.java") == {"Api": True, "Api.get": True, "Api.hide": False}
    api = ctx.find_symbols("api")[0]
    assert api.doc == "Do it." and api.params == ["a", "b=1"] and api.signature == "def api(a, b=1)"
    go = ctx.find_symbols("go")[0]
    assert go.params == ["o: Opts", "n = 2"]
    assert set(ctx.languages) == {"python", "javascript", "typescript", "go", "rust", "java"}


def test_history_rename_revert_dependency_removal_and_decision(repo):
    repo.commit("initial", {
        "pyproject.toml": '[project]\nname = "x"\ndependencies = [\n    "requests>=2",\n    "simplejson",\n]\n',
        "pkg/net.py": "def fetch(url):\n    return url\n",
        "tests/test_net.py": "def test_fetch():\n    assert True\n",
    })
    removal = repo.commit("drop simplejson, use the stdlib json module", {
        "pyproject.toml": '[project]\nname = "x"\ndependencies = [\n    "requests>=2",\n]\n'})
    added = repo.commit("add legacy auth", {"pkg/auth.py": "def legacy_auth(user):\n    return user.token == 'abc'\n"})
    repo.git("revert", "--no-edit", "HEAD")
    reverted = repo.head()
    repo.git("mv", "pkg/net.py", "pkg/http.py")
    decision = repo.commit("Replace urllib with httpx in the http client")

    h = build_context(repo.root, use_cache=False).history
    assert h.available and h.commits == 5 and h.head == decision
    assert [(r.old, r.new) for r in h.renames] == [("pkg/net.py", "pkg/http.py")]
    (rev,) = h.reverts
    assert rev.sha == reverted and rev.reverted_sha == added
    assert "legacy_auth" in rev.removed_symbols and "def legacy_auth(user):" in rev.removed_lines
    assert [(d.name, d.sha) for d in h.dependency_removals] == [("simplejson", removal)]
    kinds = {d.sha: (d.kind, d.removed, d.chosen) for d in h.decisions}
    assert kinds[decision] == ("replace", ["urllib"], ["httpx"])
    assert kinds[removal][0] == "remove" and kinds[removal][1] == ["simplejson"]
    assert h.files["pyproject.toml"].changes == 2
    assert h.cochange["pkg/net.py"]["tests/test_net.py"] == 1


def test_manifests_across_ecosystems(repo):
    repo.commit("manifests", {
        "requirements.txt": "Flask==2.0\n# comment\n-r other.txt\nPyYAML>=6\n",
        "setup.cfg": "[options]\ninstall_requires =\n    attrs>=22\n",
        "web/package.json": json.dumps({"dependencies": {"lodash": "^4"}, "devDependencies": {"jest": "^29"}}),
        "go.mod": "module example.com/x\n\nrequire (\n\tgithub.com/pkg/errors v0.9.1\n)\n",
        "Cargo.toml": '[package]\nname = "x"\n[dependencies]\nserde = { version = "1" }\n',
        "pom.xml": "<project><dependencies><dependency><groupId>com.google.guava</groupId>"
                   "<artifactId>guava</artifactId><version>33</version></dependency></dependencies></project>",
        "broken/pyproject.toml": "this is [not toml",
    })
    ctx = build_context(repo.root, use_cache=False)
    found = {(d.ecosystem, d.name) for d in ctx.dependencies}
    assert {("pypi", "flask"), ("pypi", "pyyaml"), ("pypi", "attrs"), ("npm", "lodash"), ("npm", "jest"),
            ("go", "github.com/pkg/errors"), ("cargo", "serde"), ("maven", "com.google.guava:guava")} <= found
    assert "jest" in ctx.conventions.test_frameworks


def test_cache_reuses_unchanged_files_and_sees_changes_and_new_commits(repo):
    repo.commit("one", {"a.py": "def one():\n    pass\n", "b.py": "def two():\n    pass\n"})
    first = build_context(repo.root)
    assert first.stats["parsed"] == 2 and first.stats["reused"] == 0
    again = build_context(repo.root)
    assert again.stats["parsed"] == 0 and again.stats["reused"] == 2
    assert again.find_symbols("one") and again.history.commits == 1
    (repo.root / "a.py").write_text("def one_renamed():\n    pass\n")
    os.utime(repo.root / "a.py", ns=(1, 1))  # a different mtime even on coarse clocks
    changed = build_context(repo.root)
    assert changed.stats["parsed"] == 1 and changed.find_symbols("one_renamed") and not changed.find_symbols("one")
    repo.commit("drop requests for urllib3")
    after = build_context(repo.root)
    assert after.history.commits == 2 and after.history.decisions[0].kind == "remove"
    assert build_context(repo.root, rebuild=True).stats["reused"] == 0


def test_get_context_is_memoised_until_invalidated(repo):
    repo.commit("one", {"a.py": "def one():\n    pass\n"})
    ctx = get_context(repo.root)
    assert get_context(repo.root) is ctx
    invalidate(repo.root)
    assert get_context(repo.root) is not ctx


def test_get_context_follows_the_configuration_it_is_given(repo):
    """A context built without exclusions is not handed to a caller whose configuration excludes files."""
    from xyguard.analyzers.config import Config

    repo.commit("one", {"src/a.py": "def one():\n    pass\n", "legacy/b.py": "def two():\n    pass\n"})
    everything = get_context(repo.root)
    assert "legacy/b.py" in everything.files
    narrowed = get_context(repo.root, config=Config(exclude=["legacy/"]))
    assert "legacy/b.py" not in narrowed.files and "src/a.py" in narrowed.files
    assert get_context(repo.root, config=Config(exclude=["legacy/"])) is narrowed
    invalidate(repo.root)
    assert get_context(repo.root, config=Config(exclude=["legacy/"])) is not narrowed


def test_hostile_git_config_never_runs_a_command(repo, tmp_path):
    repo.commit("one", {"a.py": "def one():\n    pass\n", "b.txt": "x\n"})
    marker = tmp_path / "marker"
    for key in ("core.fsmonitor", "diff.external", "core.pager", "filter.evil.clean", "filter.evil.smudge",
                "diff.evil.textconv", "core.sshCommand", "credential.helper"):
        repo.git("config", key, f"sh -c 'echo {key} >> {marker}'")
    repo.git("config", "filter.evil.required", "true")
    repo.git("config", "core.hooksPath", str(tmp_path / "hooks"))
    (tmp_path / "hooks").mkdir()
    for hook in ("post-checkout", "pre-commit", "post-index-change", "reference-transaction"):
        path = tmp_path / "hooks" / hook
        path.write_text(f"#!/bin/sh\necho {hook} >> {marker}\n")
        path.chmod(0o755)
    (repo.root / ".gitattributes").write_text("* filter=evil diff=evil\n")
    (repo.root / "a.py").write_text("def changed():\n    pass\n")
    out = subprocess.run([*XYGUARD, "index", "--repo", str(repo.root), "--format", "json"],
                         capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout)["symbols"] == 1
    assert not marker.exists(), marker.read_text()


def test_bad_repo_paths_exit_2_with_a_clear_message(tmp_path):
    missing = subprocess.run([*XYGUARD, "index", "--repo", str(tmp_path / "nope")], capture_output=True, text=True)
    assert missing.returncode == 2 and "no such directory" in missing.stderr and "Traceback" not in missing.stderr
    a_file = tmp_path / "f.txt"
    a_file.write_text("x")
    notdir = subprocess.run([*XYGUARD, "index", "--repo", str(a_file)], capture_output=True, text=True)
    assert notdir.returncode == 2 and "not a directory" in notdir.stderr


@pytest.mark.skipif(os.geteuid() != 0 or not os.path.exists("/usr/bin/setpriv"), reason="needs root to drop to nobody")
def test_unreadable_repo_exits_2():
    """Run as `nobody` against a folder only root may read. Nothing nobody runs may come from the checkout: it can
    sit in a root-only folder (a CI clone, a private temp dir), where nobody can read neither the editable install
    nor the venv. So the sources are copied to a world-readable temp folder and run by the base interpreter with no
    site-packages (the usage check needs none); the temp folder is outside pytest's root-only one too."""
    import shutil
    import tempfile
    from pathlib import Path

    base = Path(tempfile.mkdtemp(prefix="xyguard-nobody-"))
    try:
        package = base / "pkgs" / "xyguard"
        checkout = Path(__file__).resolve().parents[1]
        for part in ("server", "analyzers", "prompts"):
            shutil.copytree(checkout / part, package / part, ignore=shutil.ignore_patterns("__pycache__"))
        locked = base / "locked"
        locked.mkdir()
        for folder, _dirs, files in os.walk(base):
            os.chmod(folder, 0o755)
            for name in files:
                os.chmod(os.path.join(folder, name), 0o644)
        locked.chmod(0o700)
        python = base / "python"  # made after the chmods above: chmod follows a symlink to the interpreter itself
        python.symlink_to(os.path.realpath(sys.executable))
        proc = subprocess.run(["setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups", str(python), "-s",
                               "-m", "xyguard.server", "index", "--repo", str(locked)], capture_output=True, text=True,
                              cwd="/", env={"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": "/tmp",
                                            "PYTHONPATH": str(base / "pkgs")}, timeout=120)
        assert proc.returncode == 2 and "permission denied" in proc.stderr, (proc.returncode, proc.stderr)
    finally:
        shutil.rmtree(base, ignore_errors=True)


def test_symlinks_binaries_oversized_and_bad_encodings_are_skipped_safely(repo, tmp_path):
    secret = tmp_path / "outside.py"
    secret.write_text("def outside_secret_function():\n    pass\n")
    (tmp_path / "outside_dir").mkdir()
    (tmp_path / "outside_dir" / "x.py").write_text("def outside_dir_function():\n    pass\n")
    repo.write({"ok.py": "def fine():\n    pass\n", "blob.py": b"\x00\x01\x02" * 100,
                "big.py": "x = 1\n" * 400_000, "latin.py": "def caf\xe9():\n    pass\n".encode("latin-1"),
                "utf16.py": "def wide():\n    pass\n".encode("utf-16")})
    (repo.root / "link.py").symlink_to(secret)
    (repo.root / "linkdir").symlink_to(tmp_path / "outside_dir")
    (repo.root / "loop.py").symlink_to(repo.root / "loop.py")
    (repo.root / "random.py").symlink_to("/dev/urandom")
    repo.commit("files")
    ctx = build_context(repo.root, use_cache=False)
    names = {s.name for s in ctx.all_symbols()}
    assert "fine" in names and "wide" in names
    assert not any("outside" in n for n in names)
    assert ctx.skipped["symlink"] >= 4 and ctx.skipped["binary"] == 1 and ctx.skipped["too-large"] == 1
    assert "big.py" not in ctx.files and "link.py" not in ctx.files
    assert ctx.read_text("link.py") is None and ctx.read_text("../outside.py") is None
    assert ctx.read_text("linkdir/x.py") is None


def test_plain_directory_empty_unborn_shallow_and_detached(tmp_path, repo):
    plain = tmp_path / "plain"
    (plain / "src").mkdir(parents=True)
    (plain / "src" / "m.py").write_text("def f():\n    pass\n")
    (plain / "node_modules" / "dep").mkdir(parents=True)
    (plain / "node_modules" / "dep" / "i.js").write_text("export function vendored() {}\n")
    ctx = build_context(plain, use_cache=False)
    assert not ctx.is_git and not ctx.history.available and list(ctx.files) == ["src/m.py"]

    empty = Repo(tmp_path / "empty")
    ctx = build_context(empty.root)
    assert ctx.is_git and not ctx.history.available and ctx.files == {}

    unborn = Repo(tmp_path / "unborn")
    unborn.stage({"a.py": "def staged():\n    pass\n"})
    ctx = build_context(unborn.root)
    assert ctx.find_symbols("staged") and ctx.history.commits == 0

    for i in range(3):
        repo.commit(f"c{i}", {"a.py": f"def v{i}():\n    pass\n"})
    shallow_dir = tmp_path / "shallow"
    subprocess.run(["git", "clone", "-q", "--depth", "1", f"file://{repo.root}", str(shallow_dir)], check=True)
    ctx = build_context(shallow_dir)
    assert ctx.history.shallow and ctx.history.commits == 1 and ctx.find_symbols("v2")

    repo.git("checkout", "-q", "--detach", "HEAD~1")
    ctx = build_context(repo.root)
    assert ctx.history.detached and ctx.history.commits == 2 and ctx.find_symbols("v1")


def test_conventions_naming_and_tests(repo):
    repo.commit("code", {
        "pkg/a.py": "def load_file():\n    pass\n\ndef save_file():\n    pass\n\nclass FileStore:\n    pass\n",
        "tests/conftest.py": "",
        "tests/test_a.py": "def test_load_file():\n    pass\n",
        "web/x.ts": "export function loadFile() {}\nexport function saveFile() {}\n",
    })
    conv = build_context(repo.root, use_cache=False).conventions
    assert conv.naming["python"] == {"function": "snake_case", "class": "PascalCase"}
    assert conv.naming["typescript"]["function"] == "camelCase"
    assert "pytest" in conv.test_frameworks and conv.test_dirs[0] == "tests"


def test_cached_naming_styles_follow_the_files(repo):
    repo.commit("code", {"pkg/a.py": "def load_file():\n    pass\n\ndef save_file():\n    pass\n"})
    assert build_context(repo.root).conventions.naming["python"]["function"] == "snake_case"
    warm = build_context(repo.root)
    assert warm.stats["parsed"] == 0 and warm.conventions.naming["python"]["function"] == "snake_case"
    (repo.root / "pkg/a.py").write_text("def loadFile():\n    pass\n\ndef saveFile():\n    pass\n")
    os.utime(repo.root / "pkg/a.py", ns=(1, 1))
    assert build_context(repo.root).conventions.naming["python"]["function"] == "camelCase"


def test_a_damaged_cache_row_is_parsed_again_not_a_crash(repo):
    import sqlite3

    repo.commit("code", {"a.py": "def one():\n    pass\n", "b.py": "def two():\n    pass\n"})
    cache_file = build_context(repo.root).cache_path
    with sqlite3.connect(cache_file) as db:
        db.execute("UPDATE files SET symbols = '[[1, 2' WHERE path = 'a.py'")
    ctx = build_context(repo.root)
    assert [s.name for s in ctx.symbols["a.py"]] == ["one"] and [s.name for s in ctx.symbols["b.py"]] == ["two"]


def test_index_cli_json_is_one_object_and_text_has_no_progress_when_piped(repo):
    repo.commit("one", {"a.py": "def one():\n    pass\n"})
    out = subprocess.run([*XYGUARD, "index", "--repo", str(repo.root), "--format", "json"], capture_output=True, text=True)
    data = json.loads(out.stdout)
    assert data["files"] == 1 and data["commits"] == 1 and "seconds" in data["stats"]
    text = subprocess.run([*XYGUARD, "index", "--repo", str(repo.root)], capture_output=True, text=True)
    assert text.returncode == 0 and "1 commits" in text.stdout and text.stderr == ""


def test_symbol_rows_round_trip_every_field():
    from dataclasses import fields

    from xyguard.analyzers.context import Symbol

    sym = Symbol("p.py", "python", "function", "f", "C.f", "def f(a)", 1, 3, "doc", False, ["a"])
    assert len(sym.row()) == len(fields(Symbol)) and Symbol(*sym.row()) == sym


def test_postings_are_incremental_and_survive_processes(repo):
    from xyguard.analyzers.context.postings import postings

    repo.commit("one", {"a.py": "import os\n", "b.py": "import sys\n", "c.js": "x\n"})
    seen: list[str] = []

    def words(path, text, language):
        seen.append(path)
        return [(hash(w) & 0xFFFF, i, i) for i, w in enumerate(text.split())]

    idx = postings(build_context(repo.root), "words@1", words, languages=["python"])
    assert sorted(seen) == ["a.py", "b.py"]
    assert [p for p, _, _ in idx.get(hash("os") & 0xFFFF)] == ["a.py"]
    seen.clear()
    (repo.root / "b.py").write_text("import os, sys\n")
    os.utime(repo.root / "b.py", ns=(2, 2))
    idx = postings(build_context(repo.root), "words@1", words, languages=["python"])
    assert seen == ["b.py"]  # only the changed file is extracted again; a.py comes from the cache
    assert sorted(p for p, _, _ in idx.get(hash("os") & 0xFFFF)) == ["a.py"]
    assert sorted(p for p, _, _ in idx.get(hash("os,") & 0xFFFF)) == ["b.py"]
    no_cache = build_context(repo.root, use_cache=False)
    assert no_cache.cache_path is None
    assert [p for p, _, _ in postings(no_cache, "words@1", words, ["python"]).get(hash("sys") & 0xFFFF)] == ["b.py"]


def test_building_a_context_leaves_the_garbage_collector_as_it_found_it(repo):
    """The collector is paused while a context is built (its rows form no cycles); it must run again after the
    build, including one that was cancelled, and stay off in a process that turned it off itself."""
    import gc
    import threading

    from xyguard.analyzers.context.cancel import Cancelled

    repo.commit("one", {"pkg/a.py": "def alpha():\n    pass\n"})
    assert gc.isenabled()
    during: list[bool] = []
    build_context(repo.root, use_cache=False, progress=lambda message, percent: during.append(gc.isenabled()))
    assert during and not any(during)  # paused while building
    assert gc.isenabled()
    cancel = threading.Event()
    cancel.set()
    with pytest.raises(Cancelled):
        build_context(repo.root, use_cache=False, cancel=cancel)
    assert gc.isenabled()
    gc.disable()
    try:
        build_context(repo.root, use_cache=False)
        assert not gc.isenabled()
    finally:
        gc.enable()
