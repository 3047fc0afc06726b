"""The console's person-list pages: home isolation and contractors, each edited entry by entry
or imported from a spreadsheet, and the lists published to the booths (with their history).

Everyone may read the lists (masked ID numbers only); only office staff change or publish
them. Without the list secret (``hub serve --list-secret``) nothing can be hashed, and the
pages say so instead of taking entries.

Every change is signed and published at once (``publish_now``), as approving or revoking a
visit is: an office that adds a contractor or lifts an isolation expects the booths to know at
their next sync, not when someone remembers the button. Dates need no publish at all: the
booths judge isolation until-days, contractor validity and visit days on the day of each
passage. The button stays for a publish with a note (and after a failed automatic one).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from sqlalchemy.exc import SQLAlchemyError
from starlette.concurrency import run_in_threadpool
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from gatehouse.hub.console import people
from gatehouse.hub.console.pages import ZONE, local
from gatehouse.hub.console.web import ROOT, Console, Context
from gatehouse.hub.service import StalePublishError
from gatehouse.reports.list_rows import RowError, rows_of

log = logging.getLogger(__name__)


def _secret(context: Context) -> bytes | None:
    return context.issuer.list_secret if context.issuer else None


def _kind(context: Context) -> str | None:
    kind = str(context.request.path_params["kind"])
    return kind if kind in people.KINDS else None


async def _page(
    context: Context,
    kind: str,
    status: int = 200,
    error: str | None = None,
    row_errors: tuple[RowError, ...] = (),
    notice: str | None = None,
) -> Response:
    shown = await run_in_threadpool(people.entries, context.hub.engine, kind)
    history = await run_in_threadpool(people.publications, context.hub.engine)
    return context.render(
        "lists.html",
        status,
        kind=kind,
        kinds=people.KINDS,
        entries=shown,
        history=history,
        error=error,
        row_errors=row_errors,
        notice=notice,
        form=context.form,
        has_secret=_secret(context) is not None,
        local=local,
        today=context.hub.clock().astimezone(ZONE).date().isoformat(),
    )


async def person_list(context: Context) -> Response:
    kind = _kind(context)
    if kind is None:
        return context.render("message.html", 404, message="not_found")
    await context.audit("view.lists", kind)
    notice = context.request.query_params.get("done")
    return await _page(context, kind, notice=notice if notice in NOTICES else None)


NOTICES = ("added", "changed", "ended", "imported", "published")


async def _done(context: Context, kind: str, what: str, why: str) -> Response:
    """The list's page after a change: published at once, or saying the publish failed."""
    problem = await publish_now(context, why)
    if problem is not None:
        return await _page(context, kind, problem.status, error=unpublished(problem))
    return RedirectResponse(f"{ROOT}/lists/{kind}?done={what}", status_code=303)


@dataclass(frozen=True)
class Unpublished:
    """Why a publish of the lists failed, in words for staff, and whose fault it is: 400 the
    content (the booths' parser refused the lists), 409 others publishing at the same moment,
    500 the hub (its database: the details are in its log), 503 the hub runs without the
    list secret."""

    words: str
    status: int


def unpublished(problem: Unpublished) -> str:
    """What a page says when a change was saved but its automatic publish failed."""
    return (
        f"已保存,但名单未能发布,请点击“签名发布”重试 · Saved, but the lists could not be "
        f"published: press Sign and publish to try again ({problem.words})"
    )


async def publish_now(context: Context, why: str) -> Unpublished | None:
    """Sign and publish the lists now, audited; None when done, else why it failed (what was
    changed is kept either way)."""
    secret = _secret(context)
    if secret is None:
        return Unpublished("--list-secret", 503)
    user = context.session.user.username
    try:
        version = await run_in_threadpool(people.publish, context.hub, secret, user, why, ZONE)
    except ValueError as exc:  # the booths' parser refused the lists: its reason is for staff
        return Unpublished(str(exc), 400)
    except StalePublishError:
        words = "其他人正同时发布名单 · others were publishing the lists at the same moment"
        return Unpublished(words, 409)
    except SQLAlchemyError:  # the details are for the log; staff get what to do
        log.exception("the lists could not be published (%s)", why)
        words = "数据库未能保存发布,详见总部日志 · the database did not take it, see the hub's log"
        return Unpublished(words, 500)
    await context.audit("list.publish", f"version={version} {why}")
    return None


def _target(context: Context) -> tuple[str, bytes] | Response:
    """The list a change is for and the secret to hash with, or the page saying why not."""
    kind, secret = _kind(context), _secret(context)
    if kind is None:
        return context.render("message.html", 404, message="not_found")
    if secret is None:
        return context.render("message.html", 503, message="no_secret")
    return kind, secret


async def add_entry(context: Context) -> Response:
    target = _target(context)
    if isinstance(target, Response):
        return target
    kind, secret = target
    user = context.session.user.username
    try:
        await run_in_threadpool(
            people.add_entry,
            context.hub.engine,
            secret,
            kind,
            context.form,
            user,
            context.hub.clock(),
        )
    except people.EntryError as exc:
        return await _page(context, kind, 400, error=str(exc))
    await context.audit("list.add", kind)
    return await _done(context, kind, "added", f"{kind}: added")


async def import_entries(context: Context) -> Response:
    target = _target(context)
    if isinstance(target, Response):
        return target
    kind, secret = target
    name, data = context.files.get("list_file", ("", b""))
    try:
        rows = rows_of(name, data) if data else []
    except ValueError as exc:
        return await _page(context, kind, 400, row_errors=(RowError(1, "", str(exc)),))
    user = context.session.user.username
    added, errors = await run_in_threadpool(
        people.import_rows,
        context.hub.engine,
        secret,
        kind,
        rows,
        context.form,
        user,
        context.hub.clock(),
    )
    await context.audit("list.import", f"{kind} {name} added={added} errors={len(errors)}")
    if errors:
        return await _page(context, kind, 400, row_errors=errors)
    return await _done(context, kind, "imported", f"{kind}: imported {name} (+{added})"[:200])


async def edit_entry(context: Context) -> Response:
    kind = _kind(context)
    entry_id = int(context.request.path_params["entry_id"])
    found = (
        None
        if kind is None
        else await run_in_threadpool(people.entry, context.hub.engine, kind, entry_id)
    )
    if kind is None or found is None:
        return context.render("message.html", 404, message="not_found")
    if context.request.method == "GET":
        return context.render("list_entry.html", kind=kind, entry=found, error=None)
    user = context.session.user.username
    try:
        if "end" in context.form:
            await run_in_threadpool(
                people.end_entry, context.hub.engine, kind, entry_id, user, context.hub.clock()
            )
        else:
            await run_in_threadpool(
                people.edit_entry,
                context.hub.engine,
                kind,
                entry_id,
                context.form,
                user,
                context.hub.clock(),
            )
    except people.EntryError as exc:
        return context.render("list_entry.html", 400, kind=kind, entry=found, error=str(exc))
    ended = "end" in context.form
    await context.audit("list.end" if ended else "list.edit", f"{kind} {found.id_masked}")
    what = "ended" if ended else "changed"
    return await _done(context, kind, what, f"{kind}: {what} {found.id_masked}")


async def publish(context: Context) -> Response:
    secret = _secret(context)
    back = context.form.get("kind", "")
    kind = back if back in people.KINDS else people.KINDS[0]
    if secret is None:
        return context.render("message.html", 503, message="no_secret")
    why = context.form.get("why", "").strip()[:200] or "-"
    problem = await publish_now(context, why)
    if problem is not None:
        return await _page(context, kind, problem.status, error=problem.words)
    return RedirectResponse(f"{ROOT}/lists/{kind}?done=published", status_code=303)


def routes(console: Console) -> list[Route]:
    guarded = console.guarded
    return [
        Route("/lists", lambda _: RedirectResponse(f"{ROOT}/lists/isolation", status_code=303)),
        Route("/lists/publish", guarded(publish, office=True), methods=["POST"]),
        Route("/lists/{kind}", guarded(person_list)),
        Route("/lists/{kind}/add", guarded(add_entry, office=True), methods=["POST"]),
        Route("/lists/{kind}/import", guarded(import_entries, office=True), methods=["POST"]),
        Route(
            "/lists/{kind}/{entry_id:int}",
            guarded(edit_entry, office=True),
            methods=["GET", "POST"],
        ),
    ]
