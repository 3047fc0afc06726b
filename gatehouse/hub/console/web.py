"""The console's pages: a Starlette app mounted on the hub's, rendering Jinja2 templates.

Every page but the login needs a session; every POST needs the session's CSRF token (the
login form a double-submit cookie's) or is refused with 403 and nothing done; every request
of a logged-in user is audited. Database work runs in the thread pool, never on the loop.
"""

from __future__ import annotations

import secrets
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, quote

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.formparsers import MultiPartException
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.templating import Jinja2Templates

from gatehouse.hub.console.accounts import Accounts, LoginRefusedError, Session
from gatehouse.hub.console.i18n import DEFAULT_LANGUAGE, LANGUAGES, translate
from gatehouse.hub.export_process import ExportProcesses
from gatehouse.hub.issuing import HubIssuer
from gatehouse.hub.service import Hub

SESSION_COOKIE = "gatehouse_session"
LOGIN_CSRF_COOKIE = "gatehouse_login_csrf"
LANGUAGE_COOKIE = "gatehouse_language"
CSRF_FIELD = "csrf_token"
MAX_FORM_BYTES = 64 * 1024
MAX_UPLOAD_BYTES = 8 * 1024 * 1024  # a person list of tens of thousands of rows
ROOT = "/console"
_HERE = Path(__file__).parent
_HEADERS = {
    "Cache-Control": "no-store",
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "Content-Security-Policy": "default-src 'self'; img-src 'self' data:; "
    "style-src 'self'; script-src 'none'; form-action 'self'; frame-ancestors 'none'",
}


@dataclass(frozen=True)
class Context:
    """What a page handler gets: the request, its session, its form (POST) and the services."""

    request: Request
    session: Session
    form: dict[str, str]
    hub: Hub
    accounts: Accounts
    pages: Pages
    exports: ExportProcesses  # the hub's export processes: exports stay off the ingest path
    silent_after: timedelta  # a booth not heard from for this long raises an alarm
    issuer: HubIssuer | None = None  # the office's pass key and list secret, when given
    files: dict[str, tuple[str, bytes]] = field(default_factory=dict)  # name: (file, bytes)

    @property
    def language(self) -> str:
        return language_of(self.request)

    def render(self, template: str, status: int = 200, **values: Any) -> Response:
        return self.pages.render(self.request, template, status, session=self.session, **values)

    async def audit(self, action: str, detail: str) -> None:
        await run_in_threadpool(
            self.accounts.audit, self.session.user.username, action, detail, client(self.request)
        )


Handler = Callable[[Context], Awaitable[Response]]


class Pages:
    """Renders templates with the user's language and the console's security headers."""

    def __init__(self) -> None:
        self.templates = Jinja2Templates(directory=_HERE / "templates")

    def render(self, request: Request, template: str, status: int = 200, **values: Any) -> Response:
        language = language_of(request)

        def t(key: str, **args: object) -> str:
            return translate(key, language, **args)

        context = {"t": t, "language": language, "root": ROOT, **values}
        response = self.templates.TemplateResponse(request, template, context, status_code=status)
        response.headers.update(_HEADERS)
        return response


def language_of(request: Request) -> str:
    chosen = request.cookies.get(LANGUAGE_COOKIE, DEFAULT_LANGUAGE)
    return chosen if chosen in LANGUAGES else DEFAULT_LANGUAGE


def client(request: Request) -> str | None:
    return request.client.host if request.client else None


async def read_form(request: Request) -> dict[str, str] | None:
    """An url-encoded form's fields (the last value of each); ``None`` when too large."""
    body = await request.body()
    if len(body) > MAX_FORM_BYTES:
        return None
    fields = parse_qs(body.decode("utf-8", errors="replace"), keep_blank_values=True)
    return {name: values[-1] for name, values in fields.items()}


async def read_upload(
    request: Request, files: dict[str, tuple[str, bytes]]
) -> dict[str, str] | None:
    """A multipart form's text fields, its files put in ``files``; ``None`` when too large
    or malformed."""
    if int(request.headers.get("content-length") or 0) > MAX_UPLOAD_BYTES:
        return None
    fields: dict[str, str] = {}
    try:
        async with request.form(max_files=1, max_fields=32, max_part_size=MAX_UPLOAD_BYTES) as form:
            for name, value in form.multi_items():
                if isinstance(value, str):
                    fields[name] = value
                else:
                    files[name] = (value.filename or "", await value.read())
    except MultiPartException:  # malformed, or a part over the limit: refused, nothing done
        return None
    return fields


def inside(target: str) -> str:
    """``target`` if it is a console page, else the booth list (never an open redirect)."""
    return target if target.startswith(ROOT + "/") else f"{ROOT}/booths"


def private_cookie(response: Response, request: Request, name: str, value: str) -> None:
    """A cookie only this console's pages get, never scripts or other sites' requests."""
    response.set_cookie(
        name,
        value,
        httponly=True,
        samesite="strict",
        secure=request.url.scheme == "https",
        path=ROOT,
    )


def same_token(given: str | None, expected: str | None) -> bool:
    return bool(given and expected) and secrets.compare_digest(str(given), str(expected))


class Console:
    """The console's routes over one hub; ``guarded`` wraps each page with the checks."""

    def __init__(
        self,
        hub: Hub,
        exports: ExportProcesses,
        silent_after: timedelta,
        issuer: HubIssuer | None = None,
    ) -> None:
        self.hub = hub
        self.exports = exports
        self.silent_after = silent_after
        self.issuer = issuer
        self.accounts = Accounts(hub.engine, hub.clock)
        self.pages = Pages()

    def guarded(self, handler: Handler, *, office: bool = False, admin: bool = False) -> Any:
        """``handler`` behind a session, the CSRF check for POSTs and the role it needs
        (``office``: not a mine supervisor; ``admin``: the administrator only)."""

        async def endpoint(request: Request) -> Response:
            token = request.cookies.get(SESSION_COOKIE, "")
            session = await run_in_threadpool(self.accounts.session, token)
            if session is None:
                target = quote(
                    request.url.path + ("?" + request.url.query if request.url.query else "")
                )
                return RedirectResponse(f"{ROOT}/login?next={target}", status_code=303)
            form: dict[str, str] = {}
            context = Context(
                request,
                session,
                form,
                self.hub,
                self.accounts,
                self.pages,
                self.exports,
                self.silent_after,
                self.issuer,
            )
            if request.method == "POST":
                multipart = request.headers.get("content-type", "").startswith("multipart/")
                read = await (
                    read_upload(request, context.files) if multipart else read_form(request)
                )
                if read is None or not same_token(read.get(CSRF_FIELD), session.csrf_token):
                    await context.audit("refused.csrf", request.url.path)
                    return context.render("message.html", 403, message="csrf_refused")
                form.update(read)
            role = session.user.role.value
            if (admin and role != "admin") or (office and not session.user.may_change):
                await context.audit("refused.role", request.url.path)
                return context.render("message.html", 403, message="forbidden")
            return await handler(context)

        return endpoint

    async def login_page(self, request: Request) -> Response:
        if request.method == "GET":
            return self._login_form(request, None, 200)
        form = await read_form(request) or {}
        if not same_token(form.get(CSRF_FIELD), request.cookies.get(LOGIN_CSRF_COOKIE)):
            return self._login_form(request, "csrf_refused", 403)
        username = form.get("username", "").strip()
        try:
            token, _ = await run_in_threadpool(
                self.accounts.log_in, username, form.get("password", "")
            )
        except LoginRefusedError as exc:
            action = "login.locked" if exc.locked_until else "login.failed"
            await run_in_threadpool(
                self.accounts.audit, username[:64] or "-", action, "", client(request)
            )
            if exc.locked_until is None:
                return self._login_form(request, "login_refused", 401)
            until = exc.locked_until.astimezone().strftime("%H:%M")
            return self._login_form(request, "login_locked", 401, until=until)
        await run_in_threadpool(self.accounts.audit, username, "login", "", client(request))
        response = RedirectResponse(inside(form.get("next", "")), status_code=303)
        private_cookie(response, request, SESSION_COOKIE, token)
        response.delete_cookie(LOGIN_CSRF_COOKIE, path=ROOT)
        return response

    def _login_form(
        self, request: Request, error: str | None, status: int, **values: object
    ) -> Response:
        csrf = secrets.token_urlsafe(32)
        response = self.pages.render(
            request,
            "login.html",
            status,
            session=None,
            csrf=csrf,
            error=error,
            error_values=values,
            next=request.query_params.get("next", ""),
        )
        private_cookie(response, request, LOGIN_CSRF_COOKIE, csrf)
        return response

    async def logout(self, context: Context) -> Response:
        await context.audit("logout", "")
        await run_in_threadpool(
            self.accounts.log_out, context.request.cookies.get(SESSION_COOKIE, "")
        )
        response = RedirectResponse(f"{ROOT}/login", status_code=303)
        response.delete_cookie(SESSION_COOKIE, path=ROOT)
        return response

    async def choose_language(self, request: Request) -> Response:
        """Not a form: switching the language changes nothing but this browser's cookie."""
        chosen = request.query_params.get("to", DEFAULT_LANGUAGE)
        response = RedirectResponse(inside(request.query_params.get("back", "")), status_code=303)
        if chosen in LANGUAGES:
            response.set_cookie(LANGUAGE_COOKIE, chosen, samesite="lax", path=ROOT)
        return response


def console_app(
    hub: Hub, exports: ExportProcesses, silent_after: timedelta, issuer: HubIssuer | None = None
) -> Starlette:
    """The console as an ASGI app, to mount at ``ROOT`` on the hub's app; its exports are
    written by the hub's export processes, like the API's. A booth not heard from for
    ``silent_after`` is shown as silent; with ``issuer`` it keeps person lists and issues
    visitors' passes."""
    from gatehouse.hub.console import contractor_pages, keys, pages, policy_pages, risk_area_pages

    console = Console(hub, exports, silent_after, issuer)
    routes = [
        Route("/", lambda _: RedirectResponse(f"{ROOT}/booths", status_code=303)),
        Route("/login", console.login_page, methods=["GET", "POST"]),
        Route("/logout", console.guarded(console.logout), methods=["POST"]),
        Route("/language", console.choose_language, methods=["GET"]),
        *pages.routes(console),
        *risk_area_pages.routes(console),
        *keys.routes(console),
        *policy_pages.routes(console),
        *contractor_pages.routes(console),
        Mount("/static", StaticFiles(directory=_HERE / "static"), name="static"),
    ]
    return Starlette(routes=routes)
