"""A bare-bytes LSP peer, for what a well-behaved client library cannot send: broken framing, bad JSON."""

from __future__ import annotations

import json
import os
import select
import time
from typing import Any


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
                length = next(int(line.split(b":")[1]) for line in head.split(b"\r\n")
                              if line.lower().startswith(b"content-length"))
                if len(rest) >= length:
                    self._buffer = rest[length:]
                    return json.loads(rest[:length])
            if not self._fill(deadline):
                raise TimeoutError("no message from the server")

    def response(self, msg_id: int, timeout: float = 20.0) -> dict[str, Any]:
        """The response to `msg_id`, skipping notifications and server requests on the way."""
        deadline = time.monotonic() + timeout
        while True:
            message = self.receive(max(0.01, deadline - time.monotonic()))
            if message.get("id") == msg_id and "method" not in message:
                return message


INITIALIZE = {"processId": None, "rootUri": None, "capabilities": {}}
