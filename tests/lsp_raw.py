"""A bare-bytes LSP peer, for what a well-behaved client library cannot send: broken framing, bad JSON."""

from __future__ import annotations

import contextlib
import json
import os
import re
import select
import subprocess
import time
from typing import Any, Iterator


class RawPeer:
    def __init__(self, read_fd: int, write_fd: int):
        self.read_fd, self.write_fd = read_fd, write_fd
        self._buffer = b""

    def send_bytes(self, data: bytes) -> None:
        os.write(self.write_fd, data)

    def send(self, message: dict[str, Any]) -> None:
        body = json.dumps(message).encode()
        self.send_bytes(b"Content-Length: %d\r\n\r\n" % len(body) + body)

    def request(self, msg_id: int, method: str, params: Any = None) -> None:
        self.send({"jsonrpc": "2.0", "id": msg_id, "method": method, "params": params})

    def _fill(self, deadline: float) -> bool:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            return False
        ready, _, _ = select.select([self.read_fd], [], [], remaining)
        if not ready:
            return False
        chunk = os.read(self.read_fd, 65536)
        if not chunk:
            raise EOFError("server closed its output")
        self._buffer += chunk
        return True

    def receive(self, timeout: float = 20.0) -> dict[str, Any]:
        deadline = time.monotonic() + timeout
        while True:
            head, sep, rest = self._buffer.partition(b"\r\n\r\n")
            if sep:
                check_headers(head)
                length = next(int(line.split(b":")[1]) for line in head.split(b"\r\n")
                              if line.lower().startswith(b"content-length"))
                if len(rest) >= length:
                    self._buffer = rest[length:]
                    return json.loads(rest[:length])
            if not self._fill(deadline):
                raise TimeoutError("no message from the server")

    def drain(self, timeout: float = 20.0) -> list[dict[str, Any]]:
        """Every message up to the server closing its output; each must be framed protocol."""
        messages = []
        deadline = time.monotonic() + timeout
        while True:
            try:
                messages.append(self.receive(max(0.01, deadline - time.monotonic())))
            except EOFError:
                assert not self._buffer.strip(), f"bytes after the last message: {self._buffer[:200]!r}"
                return messages

    def response(self, msg_id: int, timeout: float = 20.0) -> dict[str, Any]:
        """The response to `msg_id`, skipping notifications and server requests on the way."""
        deadline = time.monotonic() + timeout
        while True:
            message = self.receive(max(0.01, deadline - time.monotonic()))
            if message.get("id") == msg_id and "method" not in message:
                return message


_HEADER = re.compile(rb"[A-Za-z][A-Za-z-]*: [^\r\n]*")


def check_headers(head: bytes) -> None:
    """Only LSP headers may precede a body: anything else is stray output on the server's stdout."""
    lines = head.split(b"\r\n")
    bad = [line for line in lines if not _HEADER.fullmatch(line)]
    assert not bad, f"non-protocol bytes on the server's stdout: {head[:200]!r}"
    assert any(line.lower().startswith(b"content-length:") for line in lines), f"no Content-Length in {head!r}"


INITIALIZE = {"processId": None, "rootUri": None, "capabilities": {}}


@contextlib.contextmanager
def initialized_server(command: list[str], params: dict[str, Any] = INITIALIZE,
                       env: dict[str, str] | None = None) -> Iterator[tuple[subprocess.Popen, RawPeer]]:
    """A server process past the initialize handshake; killed and reaped afterwards whatever the test did."""
    proc = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
    try:
        peer = RawPeer(proc.stdout.fileno(), proc.stdin.fileno())
        peer.request(1, "initialize", params)
        assert "result" in peer.response(1)
        peer.send({"jsonrpc": "2.0", "method": "initialized", "params": {}})
        yield proc, peer
    finally:
        if proc.poll() is None:
            proc.kill()
        proc.wait(10)
        for stream in (proc.stdin, proc.stdout, proc.stderr):
            stream.close()
