"""The hub client against a real HTTP server on 127.0.0.1 that answers badly on purpose:
every way a reply can go wrong is the client's own error, in words, never a library exception."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from gatehouse.sync.client import HubClient, HubRefusedError, HubUnavailableError

# path -> (status, announced length or None for none, body actually sent)
ANSWERS: dict[str, tuple[int, int | None, bytes]] = {
    "/cut-404": (404, 40, b'{"error": "no bun'),
    "/cut-200": (200, 100, b'{"results": ['),
    "/garbage-200": (200, None, b"<html>proxy login</html>"),
    "/not-utf8": (200, None, b'{"token": "\xff\xfe"}'),
    "/refused": (403, None, b'{"error": "enrolment code unknown"}'),
}


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: object) -> None:
        pass

    def do_GET(self) -> None:
        if self.path == "/hang-up":
            self.close_connection = True
            return
        status, length, body = ANSWERS[self.path]
        self.send_response(status)
        self.send_header("Content-Length", str(len(body) if length is None else length))
        self.send_header("Connection", "close")
        self.end_headers()
        self.wfile.write(body)
        self.close_connection = True


@contextmanager
def _server() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=server.serve_forever)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


@pytest.fixture(scope="module")
def url() -> Iterator[str]:
    with _server() as address:
        yield address


@pytest.mark.parametrize(
    ("path", "words"),
    [
        ("/cut-404", "cut off after 17 bytes"),  # the fault that killed the sync thread
        ("/cut-200", "cut off after 13 bytes"),
        ("/hang-up", "closed the connection without answering"),
    ],
)
def test_broken_replies_are_unavailable_in_words(url: str, path: str, words: str) -> None:
    client = HubClient(url, timeout_s=5)
    with pytest.raises(HubUnavailableError, match=words):
        client.request("GET", path, accept=(404,))


@pytest.mark.parametrize("path", ["/garbage-200", "/not-utf8"])
def test_a_reply_that_is_not_json_is_unavailable_not_a_crash(url: str, path: str) -> None:
    reply = HubClient(url, timeout_s=5).request("GET", path)
    with pytest.raises(HubUnavailableError, match="is not JSON"):
        reply.json()


def test_an_error_reply_is_refused_with_the_hub_words(url: str) -> None:
    with pytest.raises(HubRefusedError, match="enrolment code unknown") as refused:
        HubClient(url, timeout_s=5).request("GET", "/refused")
    assert refused.value.status == 403


def test_no_answer_in_time_is_unavailable(url: str) -> None:
    silent = ThreadingHTTPServer(("127.0.0.1", 0), _Silent)
    thread = threading.Thread(target=silent.serve_forever)
    thread.start()
    try:
        client = HubClient(f"http://127.0.0.1:{silent.server_address[1]}", timeout_s=0.3)
        with pytest.raises(HubUnavailableError, match="no answer in time"):
            client.request("GET", "/")
    finally:
        _Silent.release.set()
        silent.shutdown()
        silent.server_close()
        thread.join()


class _Silent(BaseHTTPRequestHandler):
    release = threading.Event()

    def do_GET(self) -> None:
        self.release.wait(5)
