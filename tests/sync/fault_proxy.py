"""An HTTP proxy on 127.0.0.1 that loses, repeats, delays, cuts and garbles traffic between booth
and hub.

Faults follow a fixed cycle (so every kind happens in every run, whatever the timing), and
chosen uploads trigger a hub restart while the hub is processing them.
"""

from __future__ import annotations

import contextlib
import http.client
import random
import socket
import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from gatehouse.sync import protocol

NONE = "none"
DROP_REQUEST = "drop_request"  # the hub never sees it
DROP_RESPONSE = "drop_response"  # the hub did the work (committed), the booth never hears
DUPLICATE = "duplicate"  # the hub gets it twice, at the same time
DELAY = "delay"  # late, sometimes later than the booth waits
RESTART = "hub_restart"  # SIGKILL of the hub while it handles an upload, then a restart
TRUNCATE_RESPONSE = "truncate_response"  # the reply announces its length, stops halfway
CUT_REQUEST = "cut_request"  # the hub gets half the body, then the connection closes
GARBAGE = "garbage"  # the hub did the work; the booth gets 200 and a captive portal's page
CYCLE = (
    DROP_REQUEST,
    NONE,
    TRUNCATE_RESPONSE,
    DROP_RESPONSE,
    NONE,
    DUPLICATE,
    CUT_REQUEST,
    DELAY,
    GARBAGE,
    TRUNCATE_RESPONSE,
)

Reply = tuple[int, list[tuple[str, str]], bytes]


@dataclass
class FaultPlan:
    restart_on_uploads: frozenset[int] = frozenset({4, 11})
    enabled: bool = True
    long_delay_s: float = 3.5  # beyond the booth's timeout in the test


class FaultProxy:
    def __init__(self, target_port: int, plan: FaultPlan, restart_hub: Callable[[], None]) -> None:
        self.plan = plan
        self.counts: Counter[str] = Counter()
        self._target_port = target_port
        self._restart_hub = restart_hub
        self._lock = threading.Lock()
        self._requests = 0
        self._uploads = 0
        self._rng = random.Random(2024)
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler_class())
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, name="fault-proxy")

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=30)

    def _choose(self, path: str) -> str:
        with self._lock:
            self._requests += 1
            if not self.plan.enabled:
                return NONE
            if path == protocol.UPLOAD_PATH:
                self._uploads += 1
                if self._uploads in self.plan.restart_on_uploads:
                    return RESTART
            return CYCLE[self._requests % len(CYCLE)]

    def _delay(self) -> None:
        with self._lock:
            long = self._rng.random() < 0.2
            pause = self.plan.long_delay_s if long else self._rng.uniform(0.05, 0.4)
        time.sleep(pause)

    def _cut(self, method: str, path: str, headers: dict[str, str], body: bytes) -> None:
        """Send the headers and half the body, then close: the hub sees the client vanish."""
        with contextlib.closing(socket.create_connection(("127.0.0.1", self._target_port))) as s:
            head = [f"{method} {path} HTTP/1.1", *(f"{k}: {v}" for k, v in headers.items())]
            s.sendall(("\r\n".join(head) + "\r\n\r\n").encode("latin-1") + body[: len(body) // 2])

    def _forward(self, method: str, path: str, headers: dict[str, str], body: bytes) -> Reply:
        conn = http.client.HTTPConnection("127.0.0.1", self._target_port, timeout=60)
        try:
            conn.request(method, path, body=body or None, headers=headers)
            response = conn.getresponse()
            return response.status, response.getheaders(), response.read()
        finally:
            conn.close()

    def _handler_class(self) -> type[BaseHTTPRequestHandler]:
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: object) -> None:
                pass

            def do_GET(self) -> None:
                self._relay()

            def do_POST(self) -> None:
                self._relay()

            def do_PUT(self) -> None:
                self._relay()

            def _relay(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                headers = {k: v for k, v in self.headers.items() if k.lower() != "connection"}
                fault = proxy._choose(self.path)
                proxy.counts[fault] += 1
                self.close_connection = True
                if fault == DROP_REQUEST:
                    return
                if fault == DELAY:
                    proxy._delay()
                if fault == RESTART:
                    self._restart_during(body, headers)
                    return
                if fault == CUT_REQUEST:
                    with contextlib.suppress(OSError):
                        proxy._cut(self.command, self.path, headers, body)
                    return
                try:
                    reply = self._forward_maybe_twice(fault, body, headers)
                except OSError:
                    return  # the hub is down: the booth sees the connection drop
                if fault == DROP_RESPONSE:
                    return
                if fault == GARBAGE:
                    reply = (200, [("Content-Type", "text/html")], b"<html>Log in to Wi-Fi</html>")
                self._answer(reply, truncated=fault == TRUNCATE_RESPONSE)

            def _forward_maybe_twice(
                self, fault: str, body: bytes, headers: dict[str, str]
            ) -> Reply:
                if fault != DUPLICATE:
                    return proxy._forward(self.command, self.path, headers, body)

                def twin_request() -> None:
                    with contextlib.suppress(OSError):
                        proxy._forward(self.command, self.path, headers, body)

                twin = threading.Thread(target=twin_request)
                twin.start()
                reply = proxy._forward(self.command, self.path, headers, body)
                twin.join()
                return reply

            def _restart_during(self, body: bytes, headers: dict[str, str]) -> None:
                with proxy._lock:
                    after = proxy._rng.uniform(0.0, 0.05)
                killer = threading.Timer(after, proxy._restart_hub)
                killer.start()
                with contextlib.suppress(OSError):
                    proxy._forward(self.command, self.path, headers, body)
                killer.join()

            def _answer(self, reply: Reply, truncated: bool) -> None:
                status, headers, payload = reply
                self.send_response(status)
                for key, value in headers:
                    if key.lower() not in (
                        "connection",
                        "content-length",
                        "transfer-encoding",
                        "date",
                        "server",
                    ):
                        self.send_header(key, value)
                self.send_header("Content-Length", str(len(payload)))
                self.send_header("Connection", "close")
                self.end_headers()
                with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                    # the booth may have given up waiting
                    self.wfile.write(payload[: len(payload) // 2] if truncated else payload)

        return Handler
