"""A network camera on 127.0.0.1: a real HTTP MJPEG stream that can be switched off and on."""

from __future__ import annotations

import http.server
import threading
import time
from collections.abc import Sequence

import cv2
import numpy as np
import numpy.typing as npt

BOUNDARY = "gatehouseframe"


class MjpegServer:
    """Serves `frames` (cycled) as multipart/x-mixed-replace JPEGs at `fps`, like an IP camera.

    `stop()` drops every connection and stops listening (the camera lost power); `start()`
    listens again on the same port, so the same URL works again.
    """

    def __init__(self, frames: Sequence[npt.NDArray[np.uint8]], fps: float = 25.0) -> None:
        self._jpegs = [cv2.imencode(".jpg", frame)[1].tobytes() for frame in frames]
        self._period = 1.0 / fps
        self._server: http.server.ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None
        self._port = 0
        self._live = threading.Event()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._port}/video.mjpg"

    def start(self) -> None:
        server = http.server.ThreadingHTTPServer(("127.0.0.1", self._port), self._handler())
        server.daemon_threads = True
        self._port = server.server_address[1]
        self._server = server
        self._live.set()
        self._thread = threading.Thread(target=server.serve_forever, name="mjpeg", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._live.clear()
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None
        if self._thread is not None:
            self._thread.join()

    def _handler(self) -> type[http.server.BaseHTTPRequestHandler]:
        owner = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                self.send_response(200)
                self.send_header("Content-Type", f"multipart/x-mixed-replace; boundary={BOUNDARY}")
                self.end_headers()
                index = 0
                try:
                    while owner._live.is_set():
                        jpeg = owner._jpegs[index % len(owner._jpegs)]
                        self.wfile.write(
                            f"--{BOUNDARY}\r\nContent-Type: image/jpeg\r\n"
                            f"Content-Length: {len(jpeg)}\r\n\r\n".encode()
                            + jpeg
                            + b"\r\n"
                        )
                        index += 1
                        time.sleep(owner._period)
                except OSError:  # the client went away
                    return

            def log_message(self, format: str, *args: object) -> None:
                pass

        return Handler
