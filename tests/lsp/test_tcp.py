"""`xyguard lsp --tcp PORT`: the same server over a socket, for clients that connect rather than spawn."""

from __future__ import annotations

import socket
import subprocess
import time

from lsp_helpers import SERVER
from lsp_raw import INITIALIZE, RawPeer


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _connect(port: int, proc: subprocess.Popen, deadline: float) -> socket.socket:
    while True:
        try:
            return socket.create_connection(("127.0.0.1", port), timeout=5)
        except OSError:
            assert proc.poll() is None, proc.stderr.read().decode(errors="replace")
            assert time.monotonic() < deadline, "the server never listened"
            time.sleep(0.05)


def test_tcp_serves_requests_and_exits_on_exit():
    port = _free_port()
    proc = subprocess.Popen([*SERVER, "--tcp", str(port)], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        conn = _connect(port, proc, time.monotonic() + 20)
        with conn:
            peer = RawPeer(conn.fileno(), conn.fileno())
            peer.request(1, "initialize", INITIALIZE)
            assert "capabilities" in peer.response(1)["result"]
            peer.send({"jsonrpc": "2.0", "method": "initialized", "params": {}})
            peer.request(2, "xyguard/analyzeRequest", {"text": "How do I get the last 3 characters of a filename?"})
            report = peer.response(2, timeout=60)["result"]
            assert "XY101" in {f["code"] for f in report["findings"]} and report["clarify"]["needed"]
            peer.request(3, "shutdown")
            assert peer.response(3)["result"] is None
            peer.send({"jsonrpc": "2.0", "method": "exit"})
            assert proc.wait(10) == 0
        assert proc.stdout.read() == b""  # the protocol went over the socket, nothing else to stdout
    finally:
        if proc.poll() is None:
            proc.kill()
        proc.wait(10)
        proc.stdout.close()
        proc.stderr.close()


def test_a_port_out_of_range_is_a_usage_error():
    out = subprocess.run([*SERVER, "--tcp", "70000"], capture_output=True, text=True, timeout=30)
    assert out.returncode == 2 and "not a port number" in out.stderr
