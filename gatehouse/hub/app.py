"""The hub's HTTP API (Starlette). Parses, authenticates, calls ``Hub``; stamps the server time.

Booths authenticate with their own token (``Authorization: Bearer …``); the office's
supervisors and administrators with the hub's admin token.
"""

from __future__ import annotations

import math
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from datetime import timedelta, tzinfo
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import anyio.to_thread
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import QueryParams
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Mount, Route
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from gatehouse.hub.admission import Admission, BusyError
from gatehouse.hub.console.booths import SILENT_AFTER
from gatehouse.hub.console.web import ROOT as CONSOLE_ROOT
from gatehouse.hub.console.web import console_app
from gatehouse.hub.credentials import same_secret
from gatehouse.hub.database import WORKER_THREADS
from gatehouse.hub.export_process import ExportFailedError, ExportProcesses
from gatehouse.hub.exports import FORMATS, download
from gatehouse.hub.ingest import ItemResult
from gatehouse.hub.issuing import HubIssuer, issue_pass
from gatehouse.hub.lines import NotLinesError, split_lines
from gatehouse.hub.ratelimit import RateLimit
from gatehouse.hub.restored_chains import chain_endpoint
from gatehouse.hub.service import EnrolmentRefusedError, Hub, PassageQuery, iso
from gatehouse.hub.wire import WireError, parse_json, read_limited
from gatehouse.sync import protocol

MAX_BATCH_ITEMS = 5000
UNKNOWN_TOKEN = "unknown booth token: enrol this booth again"
INGEST_SLOTS = 4  # uploads ingested at once on PostgreSQL; more only queue for the database
MAX_BODY_BYTES = 64 * 1024 * 1024  # uploads and bundles
MAX_FORM_BYTES = 64 * 1024  # enrolment, codes, passes: a few fields
ENROL_ATTEMPTS = (10, 60.0)  # per client address, per so many seconds

Endpoint = Callable[[Request], Awaitable[Response]]


class _RefusedError(Exception):
    def __init__(self, status: int, message: str, headers: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.headers = headers


def create_app(
    hub: Hub,
    admin_token: str,
    issuer: HubIssuer | None = None,
    enrol_limit: RateLimit | None = None,
    admission: Admission | None = None,
    silent_after: timedelta = SILENT_AFTER,
) -> ASGIApp:
    """The ASGI application serving ``hub``; ``admin_token`` guards the office's endpoints.

    ``issuer``: the office's pass-signing key; without it the hub issues no passes.
    ``enrol_limit``: enrolment attempts per client address (``ENROL_ATTEMPTS`` by default).
    ``admission``: how many uploads are ingested at once (``INGEST_SLOTS`` by default).
    ``silent_after``: how long a booth may go unheard before the console raises an alarm.
    """
    if len(admin_token) < 16:
        raise ValueError("the admin token must be at least 16 characters")
    enrolments = enrol_limit or RateLimit(*ENROL_ATTEMPTS)
    ingests = admission or Admission(ingest_slots(hub))
    exports = ExportProcesses(hub.engine.url.render_as_string(hide_password=False))

    def booth_of(request: Request) -> str:
        token = _bearer(request)
        booth_id = hub.booth_for_token(token) if token else None
        if booth_id is None:
            raise _RefusedError(401, UNKNOWN_TOKEN)
        return booth_id

    def require_admin(request: Request) -> None:
        if not same_secret(_bearer(request), admin_token):
            raise _RefusedError(401, "admin token required")

    async def create_code(request: Request) -> Response:
        require_admin(request)
        body = await _json_object(request, MAX_FORM_BYTES)
        try:
            code = await run_in_threadpool(hub.create_enrolment_code, _text(body, "booth_id"))
        except ValueError as exc:
            raise _RefusedError(400, str(exc)) from None
        return JSONResponse({"code": code})

    async def enrol(request: Request) -> Response:
        wait = enrolments.retry_after(request.client.host if request.client else "?")
        if wait is not None:
            raise _RefusedError(
                429, f"too many enrolment attempts: try again in {math.ceil(wait)} s"
            )
        body = await _json_object(request, MAX_FORM_BYTES)
        try:
            token = await run_in_threadpool(hub.enrol, _text(body, "booth_id"), _text(body, "code"))
        except EnrolmentRefusedError as exc:
            raise _RefusedError(403, str(exc)) from None
        return JSONResponse({"token": token, "bundle_key": hub.bundle_key_pem})

    async def upload(request: Request) -> Response:
        """Read the body (unless the queue is full: 503 busy at once), wait for an ingest
        slot (or answer 503 busy), then authenticate, parse and ingest in a worker thread: the
        event loop never parses a batch, and on SQLite the wait for its one connection is the
        slot's, bounded, not the pool's."""
        try:
            ingests.refuse_when_full()
            body = await _body(request, MAX_BODY_BYTES)
            async with ingests.slot(len(body)):
                results, status_error = await run_in_threadpool(ingest, request, body)
        except BusyError as busy:
            retry = {"Retry-After": str(busy.retry_after_s)}
            raise _RefusedError(503, str(busy), retry) from None
        answer: dict[str, Any] = {"results": [r.to_json() for r in results]}
        if status_error:
            answer[protocol.STATUS_ERROR] = status_error
        return JSONResponse(answer)

    def ingest(request: Request, body: bytes) -> tuple[list[ItemResult], str | None]:
        """The items' results, and why the booth's report was not kept (if it was not).
        Items sent one per line are read line by line, held ones not at all (``lines``)."""
        token = _bearer(request)
        lines = split_lines(request.headers.get(protocol.BATCH_HEADER), body, MAX_BATCH_ITEMS)
        if lines is not None and token:
            report, status_error = _report(lines.rest)
            try:
                results = hub.upload_as(token, lines, report)  # the token read in the upload
            except NotLinesError:
                pass  # parsed whole below: its answer, as for any booth
            else:
                if results is None:
                    raise _RefusedError(401, UNKNOWN_TOKEN)
                return results, status_error
        booth_id = booth_of(request)
        upload = _as_object(_parsed(body, check_text=False))
        items = upload.get("items")
        if not isinstance(items, list):
            raise _RefusedError(400, "items must be a list")
        if len(items) > MAX_BATCH_ITEMS:
            raise _RefusedError(413, f"at most {MAX_BATCH_ITEMS} items per upload")
        report, status_error = _report(upload)
        return hub.upload(booth_id, items, report), status_error

    async def get_bundle(request: Request) -> Response:
        token = _bearer(request)
        if not same_secret(token, admin_token):
            await run_in_threadpool(booth_of, request)
        name = request.path_params["name"]
        bundle = await run_in_threadpool(hub.latest_bundle, name)
        if bundle is None:
            raise _RefusedError(404, f"no bundle {name!r} has been published")
        headers = {"ETag": bundle.etag, "Cache-Control": "no-cache"}
        if request.headers.get("if-none-match") == bundle.etag:
            return Response(status_code=304, headers=headers)
        return Response(bundle.signed, media_type="application/cose", headers=headers)

    async def put_bundle(request: Request) -> Response:
        require_admin(request)
        content = await _json(request, MAX_BODY_BYTES)
        try:
            bundle = await run_in_threadpool(hub.publish, request.path_params["name"], content)
        except ValueError as exc:
            raise _RefusedError(400, str(exc)) from None
        return JSONResponse({"name": bundle.name, "version": bundle.version, "etag": bundle.etag})

    async def query_passages(request: Request) -> Response:
        require_admin(request)
        query = _passage_query(request.query_params)
        return JSONResponse({"passages": await run_in_threadpool(hub.passages, query)})

    async def download_passages(request: Request) -> Response:
        """The same search as ``query_passages``, every matching row, as a CSV or XLSX file."""
        require_admin(request)
        format = request.path_params["fmt"]
        if format not in FORMATS:
            raise _RefusedError(400, f"unknown export format {format!r}; use {sorted(FORMATS)}")
        query = _passage_query(request.query_params)
        zone = _zone(request.query_params.get("tz", "UTC"))
        try:
            done = await exports.export(query, format, zone, hub.clock())
        except ExportFailedError as exc:
            raise _RefusedError(503, str(exc)) from None
        return download(done)

    async def list_booths(request: Request) -> Response:
        require_admin(request)
        return JSONResponse({"booths": await run_in_threadpool(hub.booths)})

    async def create_pass(request: Request) -> Response:
        require_admin(request)
        if issuer is None:
            raise _RefusedError(
                503,
                "this hub has no issuer key: its operator must give it the office's signing key",
            )
        body = await _json_object(request, MAX_FORM_BYTES)
        try:
            reply = await run_in_threadpool(issue_pass, issuer, body, hub.clock())
        except ValueError as exc:
            raise _RefusedError(400, str(exc)) from None
        return JSONResponse(reply, status_code=201)

    async def server_time(_: Request) -> Response:
        return JSONResponse({"server_time": iso(hub.clock())})

    routes = [
        Route(protocol.ENROLMENT_CODES_PATH, _refusals(create_code), methods=["POST"]),
        Route(protocol.ENROL_PATH, _refusals(enrol), methods=["POST"]),
        Route(protocol.UPLOAD_PATH, _refusals(upload), methods=["POST"]),
        Route(protocol.BUNDLE_PATH, _refusals(get_bundle), methods=["GET"]),
        Route(protocol.BUNDLE_PATH, _refusals(put_bundle), methods=["PUT"]),
        Route(protocol.PASSAGES_PATH, _refusals(query_passages), methods=["GET"]),
        Route(protocol.EXPORT_PATH, _refusals(download_passages), methods=["GET"]),
        Route(protocol.BOOTHS_PATH, _refusals(list_booths), methods=["GET"]),
        Route(protocol.PASSES_PATH, _refusals(create_pass), methods=["POST"]),
        Route("/v1/time", server_time, methods=["GET"]),
        Route(protocol.CHAIN_PATH, _refusals(chain_endpoint(hub, booth_of, _RefusedError))),
        # the office's web console
        Mount(CONSOLE_ROOT, app=console_app(hub, exports, silent_after, issuer)),
    ]

    @asynccontextmanager
    async def lifespan(_: Starlette) -> AsyncIterator[None]:
        """As many worker threads as pooled connections (``WORKER_THREADS``); export
        processes ended with the server."""
        anyio.to_thread.current_default_thread_limiter().total_tokens = WORKER_THREADS
        try:
            yield
        finally:
            await run_in_threadpool(exports.close)

    return _ServerTime(Starlette(routes=routes, lifespan=lifespan), hub)


def ingest_slots(hub: Hub) -> int:
    """Uploads ingested at once: SQLite has one connection, so one; PostgreSQL a few."""
    return 1 if hub.engine.dialect.name == "sqlite" else INGEST_SLOTS


def _refusals(endpoint: Endpoint) -> Endpoint:
    async def wrapped(request: Request) -> Response:
        try:
            return await endpoint(request)
        except _RefusedError as exc:
            headers = {"Connection": "close"} if exc.status == 413 else exc.headers
            return JSONResponse({"error": str(exc)}, status_code=exc.status, headers=headers)

    return wrapped


class _ServerTime:
    """Adds the hub's clock to every response, errors and 304s included (the booths' skew)."""

    def __init__(self, app: ASGIApp, hub: Hub) -> None:
        self._app = app
        self._hub = hub

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self._app(scope, receive, send)
            return

        async def stamped(message: Message) -> None:
            if message["type"] == "http.response.start":
                header = (protocol.SERVER_TIME_HEADER.lower().encode(), iso(self._hub.clock()))
                message["headers"] = [*message.get("headers", []), (header[0], header[1].encode())]
            await send(message)

        await self._app(scope, receive, stamped)


def _report(upload: dict[str, Any]) -> tuple[protocol.BoothReport | None, str | None]:
    """The booth's report sent with an upload, or why it cannot be kept (the items still are)."""
    if upload.get(protocol.STATUS) is None:  # a booth of an older version sends none
        return None, None
    try:
        return protocol.report_from_json(upload[protocol.STATUS]), None
    except ValueError as exc:
        return None, str(exc)


def _passage_query(params: QueryParams) -> PassageQuery:
    try:
        limit = int(params.get("limit", "1000"))
    except ValueError:
        raise _RefusedError(400, "limit must be an integer") from None
    return PassageQuery(
        booth_id=params.get("booth_id"),
        since=params.get("since"),
        until=params.get("until"),
        outcome=params.get("outcome"),
        pass_id=params.get("pass_id"),
        limit=limit,
    )


def _zone(name: str) -> tzinfo:
    """The time zone the export's times are shown in (an IANA name, e.g. Asia/Shanghai)."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):  # "Asia" is a folder: OSError
        raise _RefusedError(400, f"unknown time zone {name!r}") from None


def _bearer(request: Request) -> str:
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    return token.strip() if scheme.lower() == "bearer" else ""


async def _body(request: Request, limit: int) -> bytes:
    """The body, read no further than ``limit`` bytes (see ``gatehouse.hub.wire``)."""
    declared = request.headers.get("content-length")
    if declared is not None and declared.isdigit() and int(declared) > limit:
        raise _RefusedError(413, f"request body over {limit} bytes")
    try:
        return await read_limited(request.stream(), limit)
    except WireError as exc:
        raise _RefusedError(exc.status, str(exc)) from None


def _parsed(body: bytes, *, check_text: bool = True) -> Any:
    try:
        return parse_json(body, check_text=check_text)
    except WireError as exc:
        raise _RefusedError(exc.status, str(exc)) from None


async def _json(request: Request, limit: int) -> Any:
    """The body as JSON, read no further than ``limit`` bytes."""
    return _parsed(await _body(request, limit))


async def _json_object(request: Request, limit: int) -> dict[str, Any]:
    return _as_object(await _json(request, limit))


def _as_object(body: Any) -> dict[str, Any]:
    if not isinstance(body, dict):
        raise _RefusedError(400, "request body must be a JSON object")
    return body


def _text(body: dict[str, Any], name: str) -> str:
    value = body.get(name)
    if not isinstance(value, str) or not value:
        raise _RefusedError(400, f"{name} must be non-empty text")
    return value
