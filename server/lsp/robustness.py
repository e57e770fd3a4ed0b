"""Guards pygls 2.1.1 lacks: a bounded, self-resynchronising reader and error responses that always get sent.

pygls by itself (a) answers nothing when a request's params fail to
deserialise, (b) puts a traceback (and so local paths) into error responses,
(c) has no maximum message size, (d) can lose its framing after one bad
header, (e) answers requests sent before `initialize` (the spec says
-32002 ServerNotInitialized) and (f) none sent after `shutdown` (the spec
says an error: InvalidRequest), and (g) keeps a Future in its in-flight
table for every notification handled through a generator (every didChange:
~2 KB each, 53 -> 133 MB over 40k edits). The protocol subclass and the
read loop here fix all of these while keeping pygls' dispatch untouched.
It overrides private pygls methods (`_execute_handler`, `_send_response`),
so pyproject.toml pins pygls to the releases this is tested with.
"""

from __future__ import annotations

import asyncio
import functools
import json
import logging
import os
import re
import sys
import threading
from typing import Any, Awaitable, Callable

from lsprotocol import types
from pygls.exceptions import JsonRpcInternalError, JsonRpcInvalidParams, JsonRpcInvalidRequest, JsonRpcServerNotInitialized
from pygls.protocol import LanguageServerProtocol
from pygls.protocol.json_rpc import JsonRPCNotification, JsonRPCRequestMessage
from pygls.protocol.language_server import lsp_method

log = logging.getLogger("xyguard.lsp")

MAX_MESSAGE_BYTES = 64 * 1024 * 1024
# Header lines are read in chunks this size, so a body without framing can never grow one line without bound.
LINE_CHUNK = 64 * 1024

# Searched at the END of a line: after garbage with no trailing newline the next real header is glued to it.
_CONTENT_LENGTH = re.compile(rb"content-length:[ \t]*(\d{1,20})[ \t]*\r?\n\Z", re.IGNORECASE)
# Something shaped like an absolute path that starts a token. A slash glued to a word is not one:
# `xyguard/session/update` is a method name, `text/plain` a media type.
_PATH_LIKE = re.compile(r"(?<![\w.~/\\-])(?:~|[A-Za-z]:)?[/\\][^\s'\"():,<>]*")


@functools.lru_cache(maxsize=1)
def _local_prefixes() -> tuple[str, ...]:
    """Folders whose contents are this machine's business: home, temp, the interpreter and its packages."""
    import sysconfig
    import tempfile

    candidates = [os.path.expanduser("~"), tempfile.gettempdir(), sys.prefix, sys.base_prefix,
                  sysconfig.get_paths().get("purelib", "")]
    return tuple(sorted({os.path.realpath(c).rstrip("/") for c in candidates if c and c != "/"}))


@functools.lru_cache(maxsize=256)
def _top_level_exists(name: str) -> bool:
    return os.path.lexists(os.path.join(os.sep, name))


def _is_local_path(candidate: str) -> bool:
    """A real path of this machine (one a client must not learn), rather than a URL path or method name."""
    if candidate.startswith("~") or candidate[1:2] == ":":
        return True
    path = "/" + candidate.lstrip("/\\").replace("\\", "/")
    if any(path == p or path.startswith(p + "/") for p in _local_prefixes()):
        return True
    first = path[1:].split("/", 1)[0]
    return bool(first) and first not in (".", "..") and _top_level_exists(first)


def scrub(message: str) -> str:
    """A message safe to show a client: no local paths, one line, bounded."""
    def replace(match: re.Match) -> str:
        return "<path>" if _is_local_path(match.group(0)) else match.group(0)

    return _PATH_LIKE.sub(replace, " ".join(str(message).split()))[:500]


class _Unusable:
    """Stands for a message that was framed correctly but cannot be dispatched."""

    def __init__(self, msg_id: Any, method: str | None, error: types.ResponseError):
        self.id, self.method, self.error = msg_id, method, error


class GuardedProtocol(LanguageServerProtocol):
    """pygls' protocol, but every request gets an answer and no answer carries a traceback."""

    @lsp_method(types.INITIALIZE)
    def lsp_initialize(self, params: types.InitializeParams):
        # Findings carry UTF-16 ranges; UTF-16 is the one encoding every client must accept,
        # so we never negotiate another (pygls would pick utf-8 for Helix).
        general = params.capabilities.general
        if general is not None:
            general.position_encodings = None
        return (yield from super().lsp_initialize(params))

    def decode(self, body: bytes) -> Any:
        """Bytes of one framed message -> a structured message, or an _Unusable to answer with an error."""
        try:
            data = json.loads(body)
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            log.error("dropped a message that is not JSON: %s", exc)
            self.log_to_client(f"xyguard: dropped a message that is not valid JSON ({exc.__class__.__name__})")
            return None
        if not isinstance(data, dict) or data.get("jsonrpc") != "2.0":
            msg_id = data.get("id") if isinstance(data, dict) else None
            if isinstance(msg_id, (int, str)) and isinstance(data.get("method"), str):
                return _Unusable(msg_id, data["method"], JsonRpcInvalidRequest(
                    "not a JSON-RPC 2.0 request").to_response_error())
            log.error("dropped a message that is not JSON-RPC 2.0")
            return None
        method = data.get("method")
        if isinstance(method, str) and self.get_message_type(method) is None:
            return self._custom_message(data, method)
        try:
            return self.structure_message(data)
        except Exception as exc:  # pygls raises InvalidParams/InternalError from a cattrs failure
            method = data.get("method")
            msg_id = data.get("id")
            reason = _first_cause(exc)
            if isinstance(msg_id, (int, str)) and isinstance(method, str):
                return _Unusable(msg_id, method, JsonRpcInvalidParams(
                    f"invalid params for {method}: {reason}").to_response_error())
            log.error("dropped an undecodable %s: %s", method or "message", reason)
            return None

    def _custom_message(self, data: dict, method: str) -> Any:
        """Methods outside the LSP spec (xyguard/*) keep their params as plain JSON for the handler to check;
        pygls would turn them into namedtuples and lose keys that are not identifiers."""
        params = data.get("params")
        if "id" not in data:
            return JsonRPCNotification(method=method, jsonrpc="2.0", params=params)
        if not isinstance(data["id"], (int, str)) or isinstance(data["id"], bool):
            log.error("dropped a request whose id is neither a number nor a string")
            return None
        return JsonRPCRequestMessage(id=data["id"], method=method, jsonrpc="2.0", params=params)

    # Whether `initialize` has arrived: before it, requests get -32002 and notifications (but `exit`) are dropped.
    initialize_seen = False
    # Ends the process with the spec's exit code when `exit` arrives (set by the command that owns the process).
    exit_hook: Callable[[int], None] | None = None

    def dispatch(self, message: Any) -> None:
        if message is None:
            return
        if isinstance(message, _Unusable):
            log.warning("answering %s (id %r) with error %s", message.method, message.id, message.error.code)
            self._send_response(message.id, error=message.error)
            return
        method = getattr(message, "method", None)
        is_request = method is not None and getattr(message, "id", None) is not None
        if method == types.EXIT and self.exit_hook is not None:
            # At once, from the reader: pygls' own exit unwinds the event loop first, and a worker busy with
            # analysis competes for the GIL at every step of that (0.5-0.9 s measured, 64 s before os._exit).
            self.exit_hook(0 if self._shutdown else 1)
        if method == types.INITIALIZE:
            self.initialize_seen = True
        elif not self.initialize_seen and method not in (None, types.EXIT):
            if is_request:
                log.warning("answering %s (id %r) before initialize with ServerNotInitialized", method, message.id)
                self._send_response(message.id, error=JsonRpcServerNotInitialized(
                    f"{method}: the server is not initialized yet; send initialize first").to_response_error())
            else:
                log.info("dropped %s: it arrived before initialize", method)
            return
        if self._shutdown and is_request:
            log.warning("answering %s (id %r) after shutdown with InvalidRequest", method, message.id)
            self._send_response(message.id, error=JsonRpcInvalidRequest(
                f"{method}: the server is shutting down; only exit is accepted").to_response_error())
            return
        self.handle_message(message)

    def _execute_handler(self, msg_id, handler, callback, args=None, kwargs=None):
        """pygls files every generator or async handler's Future under `msg_id` in `_request_futures`, and only
        a request's reply removes it: the Futures of notifications (a made-up uuid each) stayed for good. Every
        entry is now removed when its Future completes, if it is still the one filed under that id."""
        def done(future, _callback=callback, _msg_id=msg_id):
            if self._request_futures.get(_msg_id) is future:
                del self._request_futures[_msg_id]
            _callback(future)

        super()._execute_handler(msg_id, handler, done, args, kwargs)

    # The id of an `initialize` that fastinit already answered: processed here, not answered twice.
    answered_early: Any = None

    def _send_response(self, msg_id, result=None, error=None):
        if self.answered_early is not None and msg_id == self.answered_early:
            self.answered_early = None
            if error is not None:
                log.error("initialize failed after the early answer: %s", error.message)
            return
        if error is not None:
            error = _safe_error(error)
        super()._send_response(msg_id, result=result, error=error)

    def log_to_client(self, message: str, kind: types.MessageType = types.MessageType.Error) -> None:
        if self.writer is not None:
            self.notify(types.WINDOW_LOG_MESSAGE, types.LogMessageParams(type=kind, message=scrub(message)))


def _first_cause(exc: BaseException) -> str:
    """The innermost cattrs complaint, e.g. "expected int @ $.position.line", without internals."""
    cause: BaseException = exc
    while cause.__cause__ is not None:
        cause = cause.__cause__
    exceptions = getattr(cause, "exceptions", None)
    while exceptions:  # cattrs groups errors; the first leaf names the field
        cause = exceptions[0]
        exceptions = getattr(cause, "exceptions", None)
    note = next(iter(getattr(cause, "__notes__", []) or []), "")
    text = f"{note}: {cause}" if note else str(cause) or cause.__class__.__name__
    return scrub(text)


def _safe_error(error: types.ResponseError) -> types.ResponseError:
    """Handler crashes become a short message; no traceback, no local paths, in any error response."""
    if error.code == JsonRpcInternalError.CODE:
        kind = (error.message or "").split(":", 1)[0].strip() or "error"
        kind = kind if re.fullmatch(r"[A-Za-z_][\w.]*", kind) else "error"
        return types.ResponseError(code=error.code,
                                   message=f"xyguard: internal error ({kind}); the server log has the details")
    return types.ResponseError(code=error.code, message=scrub(error.message or ""), data=None)


# ---- the read loop ----------------------------------------------------------------------

ReadLine = Callable[[int], Awaitable[bytes]]
ReadExactly = Callable[[int], Awaitable[bytes]]


async def read_messages(readline: ReadLine, readexactly: ReadExactly, protocol: GuardedProtocol,
                        stop: threading.Event, max_bytes: int = MAX_MESSAGE_BYTES) -> None:
    """Frame LSP messages from a byte stream until EOF or `stop`.

    A header block without a usable Content-Length, a body that is not JSON,
    or a length above `max_bytes` never stops the loop: the bytes are
    dropped and framing resumes at the next line that ends in a
    Content-Length header (even when it is glued to the dropped bytes).
    """
    length: int | None = None
    skipping = False  # discarding bytes until the next Content-Length header
    while not stop.is_set():
        line = await readline(LINE_CHUNK)
        if not line:
            return
        match = _CONTENT_LENGTH.search(line)
        if match:
            length = int(match.group(1))
            skipping = False
            if length > max_bytes:
                log.error("message of %d bytes is over the %d byte limit; skipping it", length, max_bytes)
                protocol.log_to_client(
                    f"xyguard: a message of {length} bytes exceeds the {max_bytes // (1024 * 1024)} MB limit "
                    "and was skipped")
                length, skipping = None, True
            continue
        if skipping or line.strip():
            continue  # other headers (Content-Type), or the remains of a dropped message
        if length is None:
            log.error("header block without Content-Length; resynchronising")
            skipping = True
            continue
        expected, length = length, None
        body = await readexactly(expected) if expected else b""
        if len(body) < expected:
            return  # EOF inside a body
        try:
            protocol.dispatch(protocol.decode(body))
        except Exception:  # a bug in dispatch must not end the session
            log.exception("failed to dispatch a message")


def stdin_reader(stream, executor) -> tuple[ReadLine, ReadExactly]:
    """Async line/exact readers over a blocking binary stream, on a thread of their own."""

    async def readline(limit: int) -> bytes:
        return await asyncio.get_running_loop().run_in_executor(executor, stream.readline, limit)

    async def readexactly(n: int) -> bytes:
        def read() -> bytes:
            chunks, left = [], n
            while left > 0:
                chunk = stream.read(left)
                if not chunk:
                    break
                chunks.append(chunk)
                left -= len(chunk)
            return b"".join(chunks)

        return await asyncio.get_running_loop().run_in_executor(executor, read)

    return readline, readexactly


def stream_reader(reader: asyncio.StreamReader) -> tuple[ReadLine, ReadExactly]:
    """The same interface over an asyncio StreamReader (TCP)."""

    async def readline(limit: int) -> bytes:
        try:
            return await reader.readuntil(b"\n")
        except asyncio.IncompleteReadError as exc:
            return exc.partial
        except asyncio.LimitOverrunError as exc:
            return await reader.read(exc.consumed or limit)

    async def readexactly(n: int) -> bytes:
        try:
            return await reader.readexactly(n)
        except asyncio.IncompleteReadError as exc:
            return exc.partial

    return readline, readexactly
