"""The hub's memory while a client streams 1 GB of chunked body at it: to ``/v1/enrol`` (no
token needed, 64 KiB limit) and, side by side, to ``/v1/upload`` with a booth token (64 MiB
limit). The hub runs as its own process (``gatehouse hub serve`` on SQLite); its resident
memory is sampled from /proc every 20 ms while the body streams from a generator."""

from __future__ import annotations

import http.client
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path

from bench.report import Section, table
from gatehouse.hub.database import open_database
from gatehouse.hub.server import HubState
from gatehouse.hub.service import Hub
from gatehouse.sync import protocol
from tests.sync.hub_process import HubProcess

CHUNK = 1024 * 1024
BOOTH = "bench-booth"


def _rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError("no VmRSS in /proc")


class _Sampler:
    def __init__(self, pid: int) -> None:
        self.pid = pid
        self.peak = 0.0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run)

    def __enter__(self) -> _Sampler:
        self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._stop.set()
        self._thread.join()

    def _run(self) -> None:
        while not self._stop.is_set():
            self.peak = max(self.peak, _rss_mb(self.pid))
            self._stop.wait(0.02)


def _stream(port: int, path: str, total: int, token: str | None) -> tuple[int, str]:
    """Send up to ``total`` bytes chunked; (bytes sent before the hub answered or hung up,
    what it answered)."""
    sent = 0

    def body() -> Iterator[bytes]:
        nonlocal sent
        chunk = b" " * CHUNK
        while sent < total:
            sent += CHUNK
            yield chunk

    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    headers = {"Content-Type": "application/json"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    try:
        conn.request("POST", path, body=body(), headers=headers, encode_chunked=True)
        response = conn.getresponse()
        answer = f"{response.status} {response.read()[:60].decode(errors='replace')}"
    except ConnectionError as exc:
        answer = f"connection closed by the hub ({type(exc).__name__})"
    finally:
        conn.close()
    return sent, answer


def _alive(port: int) -> bool:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        conn.request("GET", "/v1/time")
        return conn.getresponse().status == 200
    finally:
        conn.close()


def run(quick: bool = False) -> list[Section]:
    total = (64 if quick else 1024) * CHUNK
    rows = []
    with tempfile.TemporaryDirectory() as folder:
        state = Path(folder)
        url = HubState(state).default_database_url
        hub = Hub(open_database(url), HubState(state).bundle_key())
        token = hub.enrol(BOOTH, hub.create_enrolment_code(BOOTH))
        hub.engine.dispose()
        with HubProcess(url, state) as process:
            pid = process.pid
            for path, auth in ((protocol.ENROL_PATH, None), (protocol.UPLOAD_PATH, token)):
                before = _rss_mb(pid)
                started = time.perf_counter()
                with _Sampler(pid) as sampler:
                    sent, answer = _stream(process.port, path, total, auth)
                elapsed = time.perf_counter() - started
                rows.append(
                    (
                        path,
                        f"{total // CHUNK} MB",
                        f"{sent / CHUNK:.0f} MB",
                        f"{before:.0f}",
                        f"{sampler.peak:.0f}",
                        f"{_rss_mb(pid):.0f}",
                        f"{elapsed:.1f} s",
                        answer.replace("|", "/"),
                        "yes" if _alive(process.port) else "NO",
                    )
                )
    header = (
        "endpoint",
        "offered",
        "sent before refusal",
        "hub RSS before (MB)",
        "peak (MB)",
        "after (MB)",
        "time",
        "answer",
        "hub answers after",
    )
    return [
        Section(
            "Hub memory under a 1 GB chunked body",
            "A generator streams 1 MiB chunks (chunked transfer, no Content-Length) to a hub "
            "process on 127.0.0.1; its VmRSS is sampled every 20 ms. The hub reads the body "
            "chunk by chunk and refuses it at the endpoint's limit (64 KiB for enrolment, "
            "64 MiB for uploads).",
            table(header, rows),
        )
    ]
