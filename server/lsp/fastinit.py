"""Answer `initialize` while pygls is still importing.

Importing lsprotocol alone takes 0.4-0.6 s on a 2-core machine, which
would spend the whole 0.5 s budget for answering `initialize`. So the
stdio entry point reads the first message with the standard library,
answers it with the server's (fixed) capabilities, and hands the bytes on
to the real server, which processes `initialize` as usual but does not
answer it a second time. tests/lsp/test_fastinit.py keeps CAPABILITIES
equal to what pygls computes from the registered features.

Nothing here may import pygls, lsprotocol or the analyzers.
"""

from __future__ import annotations

import json
import re
from typing import BinaryIO

from xyguard.server.version import VERSION

SERVER_INFO = {"name": "xyguard", "version": VERSION}
CAPABILITIES = {
    "positionEncoding": "utf-16",
    "textDocumentSync": {"openClose": True, "change": 2, "save": True},
    "hoverProvider": True,
    "codeActionProvider": {"codeActionKinds": ["quickfix", "refactor.rewrite"]},
    "executeCommandProvider": {"commands": []},
    "workspace": {"workspaceFolders": {"supported": True, "changeNotifications": True}, "fileOperations": {}},
}
_LENGTH = re.compile(rb"^content-length:[ \t]*(\d{1,9})[ \t]*\r?\n$", re.IGNORECASE)
_MAX_HEADER_LINES = 16
_MAX_BODY = 16 * 1024 * 1024


def answer_initialize(stdin: BinaryIO, stdout: BinaryIO) -> tuple[bytes, object]:
    """Read the first framed message; answer it if it is `initialize`.

    Returns (the bytes consumed, to be replayed to the server; the id that was
    answered, or None). Anything unexpected is left for the real server's
    robust reader: we then answer nothing.
    """
    consumed = bytearray()
    length = None
    for _ in range(_MAX_HEADER_LINES):
        line = stdin.readline(4096)
        consumed += line
        if not line:
            return bytes(consumed), None
        m = _LENGTH.match(line)
        if m:
            length = int(m.group(1))
        elif not line.strip():
            break
    else:
        return bytes(consumed), None
    if length is None or length > _MAX_BODY:
        return bytes(consumed), None
    body = stdin.read(length)
    consumed += body
    try:
        message = json.loads(body)
    except ValueError:
        return bytes(consumed), None
    msg_id = message.get("id") if isinstance(message, dict) else None
    if (message.get("method") if isinstance(message, dict) else None) != "initialize" \
            or not isinstance(message.get("params"), dict) or isinstance(msg_id, bool) \
            or not isinstance(msg_id, (int, str)):
        return bytes(consumed), None
    response = json.dumps({"jsonrpc": "2.0", "id": msg_id,
                           "result": {"capabilities": CAPABILITIES, "serverInfo": SERVER_INFO}}).encode()
    stdout.write(b"Content-Length: %d\r\n\r\n" % len(response) + response)
    stdout.flush()
    return bytes(consumed), msg_id


class Replay:
    """A binary stream that yields `prefix` before reading on from `stream`."""

    def __init__(self, prefix: bytes, stream: BinaryIO):
        self._prefix, self._stream = prefix, stream

    def readline(self, limit: int = -1) -> bytes:
        if self._prefix:
            cut = self._prefix.find(b"\n") + 1 or len(self._prefix)
            if limit is not None and limit >= 0:
                cut = min(cut, limit)
            line, self._prefix = self._prefix[:cut], self._prefix[cut:]
            if line.endswith(b"\n") or (limit is not None and 0 <= limit <= len(line)):
                return line
            return line + self._stream.readline(-1 if limit is None or limit < 0 else limit - len(line))
        return self._stream.readline(limit)

    def read(self, n: int = -1) -> bytes:
        if self._prefix:
            take = len(self._prefix) if n < 0 else min(n, len(self._prefix))
            data, self._prefix = self._prefix[:take], self._prefix[take:]
            return data
        return self._stream.read(n)
