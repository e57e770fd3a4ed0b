"""The git hooks: `xyguard hook pre-commit|commit-msg`, directly and through the real pre-commit framework.

The pre-commit tests install xyguard the way a user's pre-commit does: from a
git repository holding .pre-commit-hooks.yaml, with pip, into pre-commit's
own environment. The repository is a snapshot of this source tree committed
into a temp folder (the working tree may hold uncommitted work, which
`try-repo` would only partly pick up).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from gitrepo import GIT_ENV, Repo
from xyguard.server.cli import main

SOURCE = Path(__file__).resolve().parents[1]
SNAPSHOT_PARTS = ["pyproject.toml", "README.md", ".pre-commit-hooks.yaml", "server", "analyzers", "prompts"]

SLUG = textwrap.dedent('''\
    """Turn titles into URL slugs."""

    import re

    _NON_WORD = re.compile(r"[^a-z0-9]+")


    def slugify(title, max_len=50):
        """Lower-case words joined by hyphens, at most max_len characters."""
        slug = _NON_WORD.sub("-", title.lower()).strip("-")
        return slug[:max_len]


    def truncate(text, width):
        """Cut text to width characters, marking the cut with an ellipsis."""
        if len(text) <= width:
            return text
        return text[: width - 1] + "…"
    ''')

PARSE = textwrap.dedent('''\
    """Read front matter (key: value lines between --- markers) from a post."""


    def split_front_matter(text):
        """Return (metadata dict, body) for a post."""
        lines = text.splitlines()
        if not lines or lines[0].strip() != "---":
            return {}, text
        meta = {}
        for index, line in enumerate(lines[1:], start=1):
            if line.strip() == "---":
                body = "\\n".join(lines[index + 1:])
                return meta, body
            key, sep, value = line.partition(":")
            if sep:
                meta[key.strip().lower()] = value.strip()
        return meta, ""


    def title_of(text, default="untitled"):
        """The post's title from its front matter."""
        meta, _ = split_front_matter(text)
        return meta.get("title", default)


    def tags_of(text):
        """The post's tags, a comma-separated front-matter field."""
        meta, _ = split_front_matter(text)
        return [t.strip() for t in meta.get("tags", "").split(",") if t.strip()]
    ''')

TESTS = textwrap.dedent('''\
    from blog.slug import slugify, truncate
    from blog.parse import title_of


    def test_slugify_joins_words():
        assert slugify("Hello, World!") == "hello-world"


    def test_truncate_marks_the_cut():
        assert truncate("abcdef", 4) == "abc…"


    def test_title_of_reads_front_matter():
        assert title_of("---\\ntitle: Hi\\n---\\nbody") == "Hi"
    ''')

# The same module in Rust: what an agent produces when it "rewrites the parser for speed".
PARSE_RS = textwrap.dedent('''\
    use std::collections::HashMap;

    pub fn split_front_matter(text: &str) -> (HashMap<String, String>, String) {
        let mut meta = HashMap::new();
        let mut lines = text.lines();
        if lines.next().map(|l| l.trim()) != Some("---") {
            return (meta, text.to_string());
        }
        let mut body = Vec::new();
        let mut in_meta = true;
        for line in lines {
            if in_meta && line.trim() == "---" {
                in_meta = false;
                continue;
            }
            if in_meta {
                if let Some((k, v)) = line.split_once(':') {
                    meta.insert(k.trim().to_lowercase(), v.trim().to_string());
                }
            } else {
                body.push(line);
            }
        }
        (meta, body.join("\\n"))
    }
    ''')

# The parser redone in another style: every line different, same language.
PARSE_REWRITTEN = textwrap.dedent('''\
    """Front matter, parsed with a regular expression."""

    import re

    _BLOCK = re.compile(r"\\A---\\n(?P<meta>.*?)\\n---\\n?(?P<body>.*)\\Z", re.S)
    _FIELD = re.compile(r"^(?P<key>[^:\\n]+):(?P<value>.*)$", re.M)


    class FrontMatter:
        def __init__(self, source):
            self.source = source
            match = _BLOCK.match(source)
            self.fields = {}
            self.rest = source
            if match:
                self.rest = match.group("body")
                for item in _FIELD.finditer(match.group("meta")):
                    self.fields[item.group("key").strip().lower()] = item.group("value").strip()

        def get(self, name, fallback=None):
            return self.fields.get(name, fallback)


    def split_front_matter(text):
        parsed = FrontMatter(text)
        return parsed.fields, parsed.rest


    def title_of(text, default="untitled"):
        return FrontMatter(text).get("title", default)


    def tags_of(text):
        raw = FrontMatter(text).get("tags", "")
        return [piece.strip() for piece in raw.split(",") if piece.strip()]
    ''')


def blog_repo(path: Path) -> Repo:
    """A small Python project with a few commits of history."""
    repo = Repo(path)
    repo.commit("Add slugify", {"blog/__init__.py": "", "blog/slug.py": SLUG})
    repo.commit("Add the front-matter parser", {"blog/parse.py": PARSE})
    repo.commit("Test slugs and front matter", {"tests/test_blog.py": TESTS})
    return repo


def one_line_fix(repo: Repo) -> None:
    repo.stage({"blog/slug.py": SLUG.replace('.strip("-")', '.strip("-_")')})


def drift(repo: Repo) -> None:
    """Remove a public function, rewrite a module in Rust, delete the tests."""
    slug_without_truncate = SLUG[: SLUG.index("\n\ndef truncate")] + "\n"
    repo.stage({"blog/slug.py": slug_without_truncate, "blog/parse.py": None, "blog/parse.rs": PARSE_RS,
                "tests/test_blog.py": None})


def rewrite_module(repo: Repo) -> None:
    repo.stage({"blog/parse.py": PARSE_REWRITTEN})


# ---- the hook command itself (in process: fast) -----------------------------------------------


def run_hook(repo: Repo, monkeypatch, capsys, *args: str) -> tuple[int, str, str]:
    monkeypatch.chdir(repo.root)
    code = main(["hook", *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_pre_commit_passes_a_one_line_fix(tmp_path, monkeypatch, capsys):
    repo = blog_repo(tmp_path / "blog")
    one_line_fix(repo)
    code, out, _ = run_hook(repo, monkeypatch, capsys, "pre-commit")
    assert code == 0, out


def test_pre_commit_fails_on_drift_with_findings_grouped_by_file(tmp_path, monkeypatch, capsys):
    repo = blog_repo(tmp_path / "blog")
    drift(repo)
    code, out, _ = run_hook(repo, monkeypatch, capsys, "pre-commit")
    assert code == 1
    for expected in ("DR201", "DR202", "DR208"):
        assert expected in out
    lines = out.splitlines()
    # A file name on its own line, then its findings indented under it, like a linter.
    header = lines.index("blog/slug.py")
    assert lines[header + 1].startswith("  blog/slug.py:") and "DR202" in lines[header + 1]
    assert "truncate" in lines[header + 1]
    assert lines[-1].startswith("Found ") and "Fail level: warning." in lines[-1]


def test_pre_commit_honours_the_fail_level_and_configuration(tmp_path, monkeypatch, capsys):
    repo = blog_repo(tmp_path / "blog")
    repo.commit("Configure xyguard", {"pyproject.toml": '[tool.xyguard]\nignore = ["DR208"]\n'})
    drift(repo)
    code, out, _ = run_hook(repo, monkeypatch, capsys, "pre-commit")
    assert code == 1 and "DR202" in out and "DR208" not in out
    # Errors remain at fail level "error"; with errors ignored too, only warnings are left and it passes.
    code, out, _ = run_hook(repo, monkeypatch, capsys, "pre-commit", "--fail-level", "error", "--ignore", "DR201,DR202,DR208")
    assert code == 0, out


def test_pre_commit_with_nothing_staged_is_silent(tmp_path, monkeypatch, capsys):
    repo = blog_repo(tmp_path / "blog")
    assert run_hook(repo, monkeypatch, capsys, "pre-commit") == (0, "", "")


def test_pre_commit_reads_the_index_git_commit_a_uses(tmp_path, monkeypatch, capsys):
    """`git commit -a` stages into a temporary index named by GIT_INDEX_FILE; the default index stays clean."""
    repo = blog_repo(tmp_path / "blog")
    temp_index = tmp_path / "commit-a.index"
    shutil.copy(repo.root / ".git" / "index", temp_index)
    repo.write({"blog/slug.py": SLUG[: SLUG.index("\n\ndef truncate")] + "\n"})
    env = {**os.environ, **GIT_ENV, "GIT_INDEX_FILE": str(temp_index)}
    subprocess.run(["git", "add", "-A"], cwd=repo.root, env=env, check=True)
    monkeypatch.setenv("GIT_INDEX_FILE", str(temp_index))
    code, out, _ = run_hook(repo, monkeypatch, capsys, "pre-commit")
    assert code == 1 and "DR202" in out
    monkeypatch.delenv("GIT_INDEX_FILE")
    assert run_hook(repo, monkeypatch, capsys, "pre-commit")[0] == 0


def test_commit_msg_flags_a_typo_message_on_a_rewrite(tmp_path, monkeypatch, capsys):
    repo = blog_repo(tmp_path / "blog")
    rewrite_module(repo)
    msg = repo.root / ".git" / "COMMIT_EDITMSG"
    msg.write_text("fix typo\n\n# Please enter the commit message for your changes.\n")
    code, out, _ = run_hook(repo, monkeypatch, capsys, "commit-msg", str(msg))
    assert code == 1
    assert "DR220" in out and "'typo'" in out
    # The message's findings are listed under the message file, pointing at its first line.
    assert f"{msg}:1:1: DR220" in out


def test_commit_msg_accepts_an_honest_message(tmp_path, monkeypatch, capsys):
    repo = blog_repo(tmp_path / "blog")
    one_line_fix(repo)
    msg = tmp_path / "MSG"
    msg.write_text("Strip underscores from the ends of slugify() output\n")
    code, out, _ = run_hook(repo, monkeypatch, capsys, "commit-msg", str(msg))
    assert code == 0, out


def test_commit_msg_json_output(tmp_path, monkeypatch, capsys):
    import json

    repo = blog_repo(tmp_path / "blog")
    one_line_fix(repo)
    msg = tmp_path / "MSG"
    msg.write_text("Fix slugify and add tests\n")
    code, out, _ = run_hook(repo, monkeypatch, capsys, "commit-msg", str(msg), "--format", "json")
    data = json.loads(out)
    assert code == 1 and [f["code"] for f in data["findings"]] == ["DR221"]


def install_commit_msg_hook(repo: Repo) -> None:
    """What `pre-commit install --hook-type commit-msg` leaves behind: an executable .git/hooks/commit-msg."""
    hook = repo.root / ".git" / "hooks" / "commit-msg"
    hook.parent.mkdir(exist_ok=True)
    hook.write_text('#!/bin/sh\nexec xyguard hook commit-msg "$1"\n')
    hook.chmod(0o755)


def remove_truncate(repo: Repo) -> None:
    """Drop truncate() and its test: the shape of a deliberate removal."""
    tests = TESTS.replace("from blog.slug import slugify, truncate", "from blog.slug import slugify")
    tests = tests.replace('def test_truncate_marks_the_cut():\n    assert truncate("abcdef", 4) == "abc…"\n\n\n', "")
    repo.stage({"blog/slug.py": SLUG[: SLUG.index("\n\ndef truncate")] + "\n", "tests/test_blog.py": tests})


def test_pre_commit_leaves_what_the_message_can_answer_to_the_commit_msg_hook(tmp_path, monkeypatch, capsys):
    import json

    repo = blog_repo(tmp_path / "blog")
    install_commit_msg_hook(repo)
    remove_truncate(repo)
    code, out, _ = run_hook(repo, monkeypatch, capsys, "pre-commit", "--format", "json")
    data = json.loads(out)
    assert code == 0 and data["findings"] == []
    assert any("commit-msg" in s["reason"] and "DR202" in s["check"] for s in data["skipped"])
    # What no message can justify still stops the commit before the message is written.
    repo.stage({"blog/settings.py": 'AWS_SECRET_ACCESS_KEY = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"\n'})
    code, out, _ = run_hook(repo, monkeypatch, capsys, "pre-commit")
    assert code == 1 and "DR216" in out


def test_a_removal_the_message_states_is_information(tmp_path, monkeypatch, capsys):
    import json

    repo = blog_repo(tmp_path / "blog")
    install_commit_msg_hook(repo)
    remove_truncate(repo)
    msg = tmp_path / "MSG"
    msg.write_text("Remove truncate(): templates cut text themselves now\n")
    code, out, _ = run_hook(repo, monkeypatch, capsys, "commit-msg", str(msg), "--format", "json")
    found = {f["code"]: f for f in json.loads(out)["findings"]}
    assert code == 0, out
    assert found["DR202"]["severity"] == "info" and "As stated" in found["DR202"]["message"]
    assert found["DR208"]["severity"] == "info" and "as stated" in found["DR208"]["message"]
    msg.write_text("Speed up slugify\n")
    code, out, _ = run_hook(repo, monkeypatch, capsys, "commit-msg", str(msg))
    assert code == 1 and "DR202" in out and "DR208" in out


@pytest.mark.parametrize("args, error", [
    (["commit-msg"], "needs the message file"),
    (["commit-msg", "/nonexistent/MSG"], "no such file"),
    (["pre-commit", "extra"], "takes no file argument"),
])
def test_usage_errors_are_one_line_and_exit_2(tmp_path, monkeypatch, capsys, args, error):
    repo = blog_repo(tmp_path / "blog")
    code, out, err = run_hook(repo, monkeypatch, capsys, *args)
    assert code == 2 and error in err and len(err.strip().splitlines()) == 1 and "Traceback" not in err


def test_outside_a_git_repository_is_a_usage_error(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    assert main(["hook", "pre-commit"]) == 2
    assert "not inside a git repository" in capsys.readouterr().err


# ---- the real pre-commit framework ------------------------------------------------------------


def pre_commit(*args: str, cwd: Path, home: Path) -> subprocess.CompletedProcess:
    exe = Path(sys.executable).with_name("pre-commit")
    if not exe.exists():
        pytest.skip("pre-commit is not installed in this environment (it is in the dev extra)")
    env = {**os.environ, **GIT_ENV, "PRE_COMMIT_HOME": str(home), "PRE_COMMIT_COLOR": "never"}
    env.pop("GIT_INDEX_FILE", None)
    return subprocess.run([str(exe), *args], cwd=cwd, env=env, text=True, stdout=subprocess.PIPE,
                          stderr=subprocess.STDOUT, timeout=600)


@pytest.fixture(scope="module")
def hook_repo(tmp_path_factory) -> tuple[Path, str]:
    """This source tree committed into a temp git repository: what `repo:` in a user's config points at."""
    root = tmp_path_factory.mktemp("xyguard-hooks")
    snap = root / "xyguard"
    snap.mkdir()
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc", "node_modules", "*.egg-info")
    for part in SNAPSHOT_PARTS:
        src = SOURCE / part
        if src.is_dir():
            shutil.copytree(src, snap / part, ignore=ignore)
        else:
            shutil.copy2(src, snap / part)
    repo = Repo(snap)
    sha = repo.commit("xyguard snapshot")
    return snap, sha


@pytest.fixture(scope="module")
def pre_commit_home(tmp_path_factory) -> Path:
    """One pre-commit store for the module: xyguard is pip-installed into it once."""
    return tmp_path_factory.mktemp("pre-commit-home")


def configure(repo: Repo, hook_repo: tuple[Path, str]) -> None:
    snap, sha = hook_repo
    repo.commit("Use xyguard hooks", {".pre-commit-config.yaml": textwrap.dedent(f"""\
        repos:
          - repo: {snap}
            rev: {sha}
            hooks:
              - id: xyguard
              - id: xyguard-commit-msg
        """)})


@pytest.mark.slow
def test_try_repo_passes_a_one_line_fix(tmp_path, hook_repo, pre_commit_home):
    repo = blog_repo(tmp_path / "blog")
    one_line_fix(repo)
    proc = pre_commit("try-repo", str(hook_repo[0]), "xyguard", "--ref", hook_repo[1], cwd=repo.root, home=pre_commit_home)
    assert proc.returncode == 0, proc.stdout
    assert "xyguard (staged change drift)" in proc.stdout and "Passed" in proc.stdout


@pytest.mark.slow
def test_pre_commit_blocks_drift_with_its_codes(tmp_path, hook_repo, pre_commit_home):
    repo = blog_repo(tmp_path / "blog")
    configure(repo, hook_repo)
    drift(repo)
    proc = pre_commit("run", "xyguard", cwd=repo.root, home=pre_commit_home)
    assert proc.returncode == 1, proc.stdout
    assert "Failed" in proc.stdout
    for code in ("DR201", "DR202", "DR208"):
        assert code in proc.stdout


@pytest.mark.slow
def test_installed_hooks_stop_git_commit(tmp_path, hook_repo, pre_commit_home):
    """`pre-commit install` then a plain `git commit`: the user's everyday path, with `-a` (GIT_INDEX_FILE)."""
    repo = blog_repo(tmp_path / "blog")
    configure(repo, hook_repo)
    proc = pre_commit("install", "--hook-type", "pre-commit", "--hook-type", "commit-msg", cwd=repo.root,
                      home=pre_commit_home)
    assert proc.returncode == 0, proc.stdout

    def git_commit(*args: str) -> subprocess.CompletedProcess:
        env = {**os.environ, **GIT_ENV, "PRE_COMMIT_HOME": str(pre_commit_home), "PRE_COMMIT_COLOR": "never"}
        env.pop("GIT_INDEX_FILE", None)
        return subprocess.run(["git", "commit", *args], cwd=repo.root, env=env, text=True,
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=600)

    before = repo.head()
    # The message says typo; the change rewrites the parser: commit-msg refuses it.
    repo.write({"blog/parse.py": PARSE_REWRITTEN})
    proc = git_commit("-a", "-m", "fix typo")
    assert proc.returncode != 0 and "DR220" in proc.stdout, proc.stdout
    assert repo.head() == before
    # An honest message for the same change goes through.
    proc = git_commit("-a", "-m", "Rewrite the front-matter parser around a regular expression")
    assert proc.returncode == 0, proc.stdout
    assert repo.head() != before


def test_another_tools_commit_msg_hook_does_not_defer_the_checks(tmp_path, monkeypatch, capsys):
    repo = blog_repo(tmp_path / "blog")
    hook = repo.root / ".git" / "hooks" / "commit-msg"
    hook.write_text("#!/bin/sh\nexec commitlint --edit \"$1\"\n")
    hook.chmod(0o755)
    remove_truncate(repo)
    code, out, _ = run_hook(repo, monkeypatch, capsys, "pre-commit")
    assert code == 1 and "DR202" in out  # nothing would hold the removal against a message: judged now
