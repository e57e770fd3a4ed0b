"""One line on stderr and an honest exit code for every failure the red-team pass turned into a traceback.

Exit codes: 0 clean, 1 findings, 2 usage or input (environment included), 3 xyguard itself failed. A crash used
to exit 1, which a hook and CI read as "findings block this".
"""

from __future__ import annotations

import errno
import json
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

from gitrepo import Repo
from hostile import CLI, clean_env, xyguard

from xyguard.server import cli

GITHUB_TOKEN = "ghp_" + "Zx9Yw8Vu7Ts6Rq5Po4Nm3Lk2Ji1Hg0FeDcBa"


def one_line_error(proc: subprocess.CompletedProcess, code: int, *words: str) -> str:
    err = proc.stderr.decode("utf-8")
    assert proc.returncode == code, (proc.returncode, err)
    assert "Traceback" not in err and err.count("\n") == 1, err
    assert all(w in err for w in words), err
    return err


def _run(args: list[str], cwd, **popen) -> subprocess.CompletedProcess:
    return subprocess.run([*CLI, *args], cwd=cwd, stderr=subprocess.PIPE, env=clean_env(), timeout=120, **popen)


# ---- streams ---------------------------------------------------------------------------------------------


def test_closed_stdin(tmp_path):
    proc = _run(["request", "-"], tmp_path, stdout=subprocess.PIPE, preexec_fn=lambda: os.close(0))
    one_line_error(proc, 2, "standard input is closed")


def test_closed_stdout(tmp_path):
    proc = _run(["rules"], tmp_path, stdin=subprocess.DEVNULL, preexec_fn=lambda: os.close(1))
    one_line_error(proc, 2, "standard output is closed")


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="needs /dev/full")
def test_full_stdout(tmp_path):
    with open("/dev/full", "wb") as full:
        proc = _run(["rules"], tmp_path, stdin=subprocess.DEVNULL, stdout=full)
    one_line_error(proc, 2, "cannot write the output", "No space left")


# ---- deep input ------------------------------------------------------------------------------------------

DEEP_TOML = "select = " + "[" * 5000 + "]" * 5000 + "\n"


@pytest.mark.parametrize("name, text", [("pyproject.toml", "[tool.xyguard]\n" + DEEP_TOML),
                                        (".xyguard.toml", DEEP_TOML)])
def test_a_5000_deep_array_in_the_configuration(tmp_path, name, text):
    (tmp_path / name).write_text(text)
    proc = xyguard("request", "Add a --verbose flag to the CLI.", "--repo", str(tmp_path), cwd=tmp_path)
    one_line_error(proc, 2, name, "nested too deeply")


def test_a_deeply_nested_batch_line_does_not_stop_the_later_lines(tmp_path):
    lines = [json.dumps({"id": "a", "text": "Add a --verbose flag."}), "[" * 100_000 + "]" * 100_000,
             json.dumps({"id": "c", "text": "Add a --quiet flag."})]
    (tmp_path / "in.jsonl").write_text("\n".join(lines) + "\n")
    proc = xyguard("batch", "requests", "in.jsonl", cwd=tmp_path)
    assert proc.returncode == 0 and "Traceback" not in proc.stderr.decode(), proc.stderr.decode()
    out = [json.loads(line) for line in proc.stdout.decode().splitlines()]
    assert [o["line"] for o in out] == [1, 2, 3]
    assert "error" in out[1] and "deeper" in out[1]["error"] and out[2]["id"] == "c" and "findings" in out[2]


def test_deep_json_in_traces(tmp_path):
    good = {"id": "t", "turns": [{"role": "user", "content": "Add a flag"}, {"role": "assistant", "content": "Done"},
                                 {"role": "user", "content": "No, I said a flag, not an option"}]}
    (tmp_path / "t.jsonl").write_text('{"id": "x", "turns": ' + "[" * 100_000 + "]" * 100_000 + "}\n"
                                      + json.dumps(good) + "\n")
    proc = xyguard("traces", "t.jsonl", "--format", "json", cwd=tmp_path)
    err = proc.stderr.decode()
    assert proc.returncode == 0 and "Traceback" not in err and "line 1: nested deeper" in err, err
    assert json.loads(proc.stdout)["conversations"] == 1


# ---- sessions and folders --------------------------------------------------------------------------------


@pytest.mark.parametrize("session", ["../../etc/passwd", "-rf", ".hidden", "a" * 200])
def test_a_bad_session_id(repo, session):
    repo.commit("start", {"app.py": "x = 1\n"})
    proc = xyguard("request", "Add a flag.", f"--session={session}", "--repo", str(repo.root), cwd=repo.root)
    one_line_error(proc, 2, "invalid session id")


@pytest.mark.parametrize("failure", [errno.EROFS, errno.ENOSPC, errno.EACCES])
def test_a_read_only_or_full_session_folder(repo, monkeypatch, capsys, failure):
    """As root, permissions cannot make a folder unwritable, so the write fails the way such a folder makes it."""
    repo.commit("start", {"app.py": "x = 1\n"})
    from xyguard.analyzers.session import store

    def refuse(*args, **kwargs):
        raise OSError(failure, os.strerror(failure))

    monkeypatch.setattr(store.tempfile, "mkstemp", refuse)
    code = cli.main(["request", "Add a --verbose flag.", "--session", "s1", "--repo", str(repo.root)])
    err = capsys.readouterr().err
    assert code == 2 and err.count("\n") == 1 and os.strerror(failure) in err, err


LEVELS = 1200  # deeper than PATH_MAX lets one path name


def _remove_levels(top: str) -> None:
    """Remove the chain bottom-up through descriptors (shutil.rmtree, and so pytest's cleanup, recurse)."""
    fds = [os.open(top, os.O_RDONLY)]
    while True:
        try:
            fds.append(os.open("level_dir", os.O_RDONLY, dir_fd=fds[-1]))
        except FileNotFoundError:
            break
    for parent, child in zip(reversed(fds[:-1]), reversed(fds[1:])):
        for name in os.listdir(child):
            if name != "level_dir":
                os.unlink(name, dir_fd=child)
        os.close(child)
        os.rmdir("level_dir", dir_fd=parent)
    os.close(fds[0])


def test_a_1200_level_folder():
    # Not under tmp_path: pytest's own cleanup of old temp folders recurses and would crash on this chain (and
    # the temp root is shared with every other pytest run on the machine).
    base = tempfile.mkdtemp(prefix="xyguard-levels-")
    repo = Repo(Path(base) / "repo")
    fd = os.open(repo.root, os.O_RDONLY)
    try:
        for _ in range(LEVELS):
            os.mkdir("level_dir", dir_fd=fd)
            inner = os.open("level_dir", os.O_RDONLY, dir_fd=fd)
            os.close(fd)
            fd = inner
        with open(os.open("x.py", os.O_WRONLY | os.O_CREAT, dir_fd=fd), "w") as fh:
            fh.write("def f():\n    return 1\n")
        os.close(fd)
        for args in (["index"], ["request", "Change f in x.py to return 2."]):
            proc = xyguard(*args, "--repo", str(repo.root), cwd=repo.root)
            err = proc.stderr.decode()
            assert proc.returncode in (0, 1) and "Traceback" not in err, err
    finally:
        _remove_levels(str(repo.root))
        shutil.rmtree(base)


# ---- xyguard's own failures ------------------------------------------------------------------------------


def test_an_internal_error_exits_3_in_one_line(monkeypatch, capsys, tmp_path):
    from xyguard.server.cli import request

    def crash(*args, **kwargs):
        raise TypeError("unsupported operand")

    monkeypatch.setattr(request, "run", crash)  # registered as the subcommand's func when main builds the parser
    code = cli.main(["request", "Add a flag.", "--repo", str(tmp_path)])
    err = capsys.readouterr().err
    assert code == 3 and err.count("\n") == 1, err
    assert err.startswith("xyguard: internal error: TypeError: unsupported operand") and "Traceback" not in err


def test_the_hook_says_xyguard_failed_rather_than_blocking_silently(repo, monkeypatch, capsys):
    repo.commit("start", {"app.py": "x = 1\n"})
    repo.stage({"app.py": "x = 2\n"})
    from xyguard.analyzers import pipeline

    def crash(*args, **kwargs):
        raise KeyError("edits")

    monkeypatch.setattr(pipeline, "check_commit", crash)
    monkeypatch.chdir(repo.root)
    code = cli.main(["hook", "pre-commit"])
    err = capsys.readouterr().err
    assert code == 3 and code != 1 and err.count("\n") == 1, err
    assert err.startswith("xyguard failed") and "KeyError" in err


def test_help_documents_the_exit_codes():
    proc = subprocess.run([*CLI, "--help"], stdout=subprocess.PIPE, timeout=60, env=clean_env())
    text = " ".join(proc.stdout.decode().split())
    assert "3 internal error" in text and "2 usage or input error" in text


# ---- file names that are not UTF-8 -----------------------------------------------------------------------


@pytest.fixture
def latin1_staged(repo):
    repo.commit("start", {"app.py": "x = 1\n"})
    name = b"caf\xe9.py"
    with open(os.path.join(os.fsencode(repo.root), name), "wb") as fh:
        fh.write(f'TOKEN = "{GITHUB_TOKEN}"\n'.encode())
    repo.git("add", "-A")
    return repo


@pytest.mark.parametrize("locale", ["C.UTF-8", "C"])
@pytest.mark.parametrize("fmt", ["text", "json", "sarif"])
def test_non_utf8_file_names_come_out_escaped_and_valid(latin1_staged, locale, fmt):
    env = clean_env(LC_ALL=locale)
    env.pop("PYTHONIOENCODING", None)
    proc = subprocess.run([*CLI, "hook", "pre-commit", "--format", fmt], cwd=latin1_staged.root, env=env,
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=120)
    assert proc.returncode == 1 and "Traceback" not in proc.stderr.decode("utf-8", "replace"), proc.stderr
    out = proc.stdout.decode("utf-8")  # strict: raises on invalid UTF-8
    if fmt == "text":
        assert "caf\\xe9.py" in out
    elif fmt == "json":
        assert json.loads(out)["findings"][0]["path"] == "caf\\xe9.py"
    else:
        uri = json.loads(out)["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
        assert uri == "caf%E9.py"
