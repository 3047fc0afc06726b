"""A provincial issuer's verification service on 127.0.0.1, speaking the documented contract.

The test sets the next reply and reads the requests it recorded. Shared by the client's tests
and the booth's re-verification tests.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

Reply = tuple[int, bytes]


class IssuerService:
    """A verification service whose next reply the test sets; it records every request."""

    def __init__(self) -> None:
        self.reply: Callable[[dict[str, Any]], Reply] = lambda body: (200, b"{}")
        self.requests: list[tuple[str, dict[str, str], dict[str, Any]]] = []


def _handler(service: IssuerService) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length", "0"))
            body = json.loads(self.rfile.read(length))
            service.requests.append((self.path, dict(self.headers), body))
            status, payload = service.reply(body)
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        def log_message(self, format: str, *args: object) -> None:
            pass

    return Handler


@contextmanager
def running_service() -> Iterator[tuple[IssuerService, str]]:
    """The service and its base URL, served on its own thread until the block ends."""
    state = IssuerService()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(state))
    thread = threading.Thread(target=server.serve_forever, name="verify-service")
    thread.start()
    try:
        yield state, f"http://127.0.0.1:{server.server_address[1]}/v1"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)
