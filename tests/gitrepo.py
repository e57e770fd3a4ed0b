"""Real git repositories for tests: files written, real commits made, nothing mocked."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

GIT_ENV = {
    "GIT_AUTHOR_NAME": "Test", "GIT_AUTHOR_EMAIL": "test@example.com",
    "GIT_COMMITTER_NAME": "Test", "GIT_COMMITTER_EMAIL": "test@example.com",
    "GIT_CONFIG_NOSYSTEM": "1", "HOME": os.environ.get("HOME", "/tmp"),
}


class Repo:
    def __init__(self, root: Path, init: bool = True):
        self.root = Path(root)
        self.root.mkdir(parents=True, exist_ok=True)
        self._tick = 1_700_000_000
        if init:
            self.git("init", "-q", "-b", "main")

    def git(self, *args: str, check: bool = True, input: str | None = None) -> str:
        self._tick += 60
        env = {**os.environ, **GIT_ENV, "GIT_AUTHOR_DATE": f"{self._tick} +0000", "GIT_COMMITTER_DATE": f"{self._tick} +0000"}
        proc = subprocess.run(["git", *args], cwd=self.root, env=env, text=True, input=input,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        if check and proc.returncode != 0:
            raise RuntimeError(f"git {' '.join(args)} failed: {proc.stderr}")
        return proc.stdout

    def write(self, files: dict[str, str | bytes | None]) -> None:
        """Write (str/bytes) or delete (None) files, relative to the root."""
        for rel, content in files.items():
            path = self.root / rel
            if content is None:
                if path.exists():
                    path.unlink()
                continue
            path.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(content, bytes):
                path.write_bytes(content)
            else:
                path.write_text(content, encoding="utf-8")

    def commit(self, message: str, files: dict[str, str | bytes | None] | None = None) -> str:
        if files:
            self.write(files)
        self.git("add", "-A")
        self.git("commit", "-q", "--allow-empty", "-m", message)
        return self.head()

    def head(self) -> str:
        return self.git("rev-parse", "HEAD").strip()

    def stage(self, files: dict[str, str | bytes | None]) -> None:
        self.write(files)
        self.git("add", "-A")
