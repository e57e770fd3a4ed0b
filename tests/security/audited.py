"""Run `python -m xyguard.server ARGS...` under a Python audit hook that records what the process does.

    XYGUARD_AUDIT_LOG=/tmp/log python audited.py index --repo DIR
    XYGUARD_AUDIT_LOG=/tmp/log python audited.py -c "import xyguard.server.lsp.server"

Every file opened, program started and network call attempted (by this
process and by forked workers) is appended to the log as one JSON object per
line: {"event": "open", "path": ...}, {"event": "exec", "argv": [...]},
{"event": "net", "call": "socket.connect", "address": ...}. Network calls
to anything but a Unix socket are refused (OSError), unless
XYGUARD_AUDIT_ALLOW_NET=1, so a stray connection fails loudly instead of
reaching the network. Audit hooks see the standard library's own calls, so
nothing can sidestep them by importing socket differently.
"""

from __future__ import annotations

import json
import os
import runpy
import sys

_LOG_FD = os.open(os.environ["XYGUARD_AUDIT_LOG"], os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
_ALLOW_NET = os.environ.get("XYGUARD_AUDIT_ALLOW_NET") == "1"
_NET_EVENTS = {"socket.connect", "socket.getaddrinfo", "socket.gethostbyname", "socket.gethostbyaddr",
               "socket.sendto", "socket.sendmsg"}
_EXEC_EVENTS = {"subprocess.Popen", "os.exec", "os.posix_spawn", "os.spawn", "os.system"}


def _write(record: dict) -> None:
    os.write(_LOG_FD, (json.dumps(record, default=repr) + "\n").encode())  # os.write raises no audit event


def _fspath(value) -> str | None:
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace")
    if isinstance(value, str):
        return value
    return None  # an fd


def _hook(event: str, args: tuple) -> None:
    if event == "open":
        path = _fspath(args[0])
        if path is not None:
            _write({"event": "open", "path": path, "pid": os.getpid()})
    elif event in _EXEC_EVENTS:
        argv = args[1] if event in ("subprocess.Popen", "os.exec", "os.posix_spawn", "os.spawn") else [args[0]]
        _write({"event": "exec", "argv": [_fspath(a) or repr(a) for a in (argv or [])]})
    elif event in _NET_EVENTS:
        address = args[1] if event == "socket.connect" else args[:2]
        if event == "socket.connect" and isinstance(address, (str, bytes)):
            return  # a Unix socket (multiprocessing, asyncio): not the network
        _write({"event": "net", "call": event, "address": address})
        if not _ALLOW_NET:
            raise OSError(f"network blocked by the test: {event} {address!r}")


sys.addaudithook(_hook)
if sys.argv[1:2] == ["-c"]:  # `audited.py -c CODE`: run CODE instead of the CLI (the tests' own probes)
    exec(compile(sys.argv[2], "<audited -c>", "exec"), {"__name__": "__main__"})
else:
    sys.argv = ["xyguard", *sys.argv[1:]]
    runpy.run_module("xyguard.server", run_name="__main__", alter_sys=True)
