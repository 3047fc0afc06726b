"""The hub as its own process (``gatehouse hub serve``), so a test can SIGKILL and restart it."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from types import TracebackType

from tests.hub.live import ADMIN_TOKEN, free_socket

STARTUP_TIMEOUT_S = 60.0


class HubProcess:
    def __init__(self, database_url: str, state: Path, *options: str) -> None:
        self.database_url = database_url
        self.state = state
        self.options = options  # more ``hub serve`` options, e.g. ("--workers", "2")
        sock = free_socket()
        self.port = sock.getsockname()[1]
        sock.close()
        self.url = f"http://127.0.0.1:{self.port}"
        self.restarts = 0
        self._process: subprocess.Popen[bytes] | None = None

    @property
    def pid(self) -> int:
        if self._process is None:
            raise RuntimeError("the hub process has not been started")
        return self._process.pid

    def start(self) -> None:
        command = [sys.executable, "-m", "gatehouse", "hub", "serve"]
        command += ["--database", self.database_url, "--state", str(self.state)]
        command += ["--host", "127.0.0.1", "--port", str(self.port), *self.options]
        env = {**os.environ, "GATEHOUSE_HUB_ADMIN_TOKEN": ADMIN_TOKEN}
        with (self.state / "hub.log").open("ab") as log:
            self._process = subprocess.Popen(command, env=env, stdout=log, stderr=log)
        deadline = time.monotonic() + STARTUP_TIMEOUT_S
        while time.monotonic() < deadline:
            if self._process.poll() is not None:
                raise RuntimeError(f"hub exited with {self._process.returncode}, see hub.log")
            try:
                with urllib.request.urlopen(self.url + "/v1/time", timeout=2):
                    return
            except OSError:
                time.sleep(0.1)
        raise RuntimeError("hub did not start in time")

    def kill(self) -> None:
        """SIGKILL: no shutdown, no flush; whatever the hub had not committed is gone."""
        if self._process is not None and self._process.poll() is None:
            self._process.send_signal(signal.SIGKILL)
            self._process.wait(timeout=30)

    def restart(self) -> None:
        self.kill()
        self.restarts += 1
        self.start()

    def stop(self) -> None:
        if self._process is not None and self._process.poll() is None:
            self._process.terminate()
            try:
                self._process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.kill()

    def __enter__(self) -> HubProcess:
        self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()
