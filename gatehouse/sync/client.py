"""HTTP client for the hub, on the standard library (the booth needs no web framework).

Every reply carries the hub's clock; the client notes when it sent and received each request
so the worker can measure the booth's clock skew. Whatever goes wrong on the way — refused
connection, timeout, a reply cut off mid-body, garbage instead of JSON — leaves the client as
one of its own errors in plain words, never as a library exception a caller did not expect.
"""

from __future__ import annotations

import http.client
import json
import logging
import math
import urllib.error
import urllib.request
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from gatehouse.sync import protocol

log = logging.getLogger(__name__)


class HubError(Exception):
    """Anything that kept a request to the hub from succeeding (the two kinds below)."""


class HubUnavailableError(HubError):
    """The hub could not be reached or its answer could not be read (network down, hub
    restarting, a reply cut off): trying again later may succeed. ``timed_out``: no answer
    within the client's timeout (the hub may be overloaded, unlike a cut connection)."""

    def __init__(self, message: str, *, timed_out: bool = False) -> None:
        super().__init__(message)
        self.timed_out = timed_out


class HubRefusedError(HubError):
    """The hub answered with an error; ``status`` is the HTTP status, the message its words,
    ``retry_after_s`` the wait a busy hub asked for (its ``Retry-After``), if any."""

    def __init__(self, status: int, message: str, retry_after_s: float | None = None) -> None:
        super().__init__(f"hub refused ({status}): {message}")
        self.status = status
        self.retry_after_s = retry_after_s


@dataclass(frozen=True)
class HubReply:
    status: int
    body: bytes
    etag: str | None
    server_time: datetime | None
    sent_at: datetime
    received_at: datetime

    def json(self) -> Any:
        try:
            return json.loads(self.body)
        except ValueError as exc:  # UnicodeDecodeError included
            raise HubUnavailableError(
                f"the hub's reply ({len(self.body)} bytes) is not JSON: {exc}"
            ) from None


def utc_now() -> datetime:
    return datetime.now(UTC)


class HubClient:
    def __init__(
        self,
        base_url: str,
        token: str | None = None,
        *,
        timeout_s: float = 15.0,
        clock: Callable[[], datetime] = utc_now,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self._token = token
        self.timeout_s = timeout_s
        self._clock = clock
        # Straight to the hub: a proxy from the environment must not sit between booth and hub.
        self._opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))

    def enrol(self, booth_id: str, code: str) -> tuple[str, str]:
        """Spend the office's enrolment code; returns (booth token, hub bundle key PEM)."""
        body = self.request("POST", protocol.ENROL_PATH, {"booth_id": booth_id, "code": code})
        reply = body.json()
        return _field(reply, "token"), _field(reply, "bundle_key")

    def upload(
        self, items: Sequence[Mapping[str, Any]], report: protocol.BoothReport | None = None
    ) -> tuple[list[dict[str, Any]], HubReply]:
        """Send a batch (and the booth's ``report``); one result per item (seq, record_id,
        status, reason). Items go one per line (``protocol.upload_body``): a re-send of items
        the hub already holds is answered without parsing them again."""
        status = None if report is None else report.to_json()
        body, headers = protocol.upload_body(items, status)
        reply = self.send("POST", protocol.UPLOAD_PATH, body, headers)
        answer = reply.json()
        if not isinstance(answer, dict):
            raise HubRefusedError(reply.status, "upload reply is not a JSON object")
        if answer.get(protocol.STATUS_ERROR):
            why = answer[protocol.STATUS_ERROR]
            log.warning("the hub did not take this booth's status: %s", why)
        results = answer.get("results")
        if not isinstance(results, list) or not all(isinstance(r, dict) for r in results):
            raise HubRefusedError(reply.status, "upload reply has no list of results")
        return results, reply

    def bundle(self, name: str, etag: str | None) -> HubReply:
        """The signed bundle (status 200), unchanged (304) or not published (404)."""
        headers = {"If-None-Match": etag} if etag else {}
        return self.request(
            "GET", protocol.BUNDLE_PATH.format(name=name), None, headers, accept=(304, 404)
        )

    def request(
        self,
        method: str,
        path: str,
        payload: Any = None,
        headers: Mapping[str, str] | None = None,
        accept: tuple[int, ...] = (),
    ) -> HubReply:
        """One request; statuses in ``accept`` are returned like 200 instead of raised."""
        data = None if payload is None else json.dumps(payload, ensure_ascii=False).encode()
        return self.send(method, path, data, headers, accept)

    def send(
        self,
        method: str,
        path: str,
        data: bytes | None,
        headers: Mapping[str, str] | None = None,
        accept: tuple[int, ...] = (),
    ) -> HubReply:
        """``request`` with a body already encoded (JSON, if any)."""
        request = urllib.request.Request(self.base_url + path, data=data, method=method)
        request.add_header("Accept", "application/json")
        if data is not None:
            request.add_header("Content-Type", "application/json")
        if self._token:
            request.add_header("Authorization", f"Bearer {self._token}")
        for key, value in (headers or {}).items():
            request.add_header(key, value)
        sent_at = self._clock()
        try:
            status, body, reply_headers = self._exchange(request)
        except (http.client.HTTPException, OSError, ValueError) as exc:
            raise HubUnavailableError(
                f"{self.base_url}: {_plain_words(exc)}", timed_out=_timed_out(exc)
            ) from exc
        if status >= 300 and status not in accept:
            retry = _retry_after(reply_headers) if status in (429, 503) else None
            raise HubRefusedError(status, _error_text(body), retry)
        return self._reply(status, body, reply_headers, sent_at)

    def _exchange(self, request: urllib.request.Request) -> tuple[int, bytes, Any]:
        """Status, whole body and headers; the body is read inside the same guard as the
        connection, error replies included (a reply can be cut off at any byte)."""
        try:
            with self._opener.open(request, timeout=self.timeout_s) as response:
                return response.status, response.read(), response.headers
        except urllib.error.HTTPError as error:
            with error:
                return error.code, error.read(), error.headers

    def _reply(self, status: int, body: bytes, headers: Any, sent_at: datetime) -> HubReply:
        stamp = headers.get(protocol.SERVER_TIME_HEADER) if headers else None
        try:
            server_time = datetime.fromisoformat(stamp) if stamp else None
        except ValueError:
            server_time = None
        return HubReply(
            status=status,
            body=body,
            etag=headers.get("ETag") if headers else None,
            server_time=server_time,
            sent_at=sent_at,
            received_at=self._clock(),
        )


def _field(reply: Any, name: str) -> str:
    value = reply.get(name) if isinstance(reply, dict) else None
    if not isinstance(value, str):
        raise HubRefusedError(200, f"reply lacks {name}")
    return value


def _timed_out(exc: BaseException) -> bool:
    reason = exc.reason if isinstance(exc, urllib.error.URLError) else exc
    return isinstance(reason, TimeoutError)


def _plain_words(exc: BaseException) -> str:
    """What went wrong on the wire, for the status bar and the log."""
    if isinstance(exc, http.client.IncompleteRead):
        return f"the hub's reply was cut off after {len(exc.partial)} bytes"
    if isinstance(exc, http.client.RemoteDisconnected):
        return "the hub closed the connection without answering"
    if isinstance(exc, TimeoutError):
        return "no answer in time"
    if isinstance(exc, urllib.error.URLError) and isinstance(exc.reason, BaseException):
        return _plain_words(exc.reason)
    if isinstance(exc, http.client.HTTPException):
        return f"the hub's reply is not valid HTTP ({type(exc).__name__}: {exc})"
    return str(exc) or type(exc).__name__


MAX_RETRY_AFTER_S = 3600.0  # a hub asking for longer is not obeyed past an hour


def _retry_after(headers: Any) -> float | None:
    """``Retry-After`` in seconds (the hub sends seconds; an HTTP date is not honoured)."""
    value = headers.get("Retry-After") if headers else None
    try:
        seconds = float(value) if value is not None else None
    except ValueError:
        return None
    if seconds is None or not math.isfinite(seconds):
        return None
    return min(MAX_RETRY_AFTER_S, max(0.0, seconds))


def _error_text(body: bytes) -> str:
    try:
        return str(json.loads(body)["error"])
    except (ValueError, KeyError, TypeError):
        return body[:200].decode("utf-8", "replace")
