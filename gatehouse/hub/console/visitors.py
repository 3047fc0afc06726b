"""The console's visitor pages: request a visit, approve (which issues the pass) or refuse it,
download the pass (QR as PNG, card as PDF), see its passages, and revoke it.

Approving or revoking publishes the person lists at once, so the booths learn the visitor at
their next sync. A revoked pass is also put on the signed trust list's revocations; that list
is signed with the root key, which stays offline, so the revocations page says so and gives
the command that signs it (``gatehouse trust-list sign``).
"""

from __future__ import annotations

from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from gatehouse.hub.console import booths, people, visits
from gatehouse.hub.console.pages import ZONE, listed, local, visible_booths
from gatehouse.hub.console.person_lists import publish_now, unpublished
from gatehouse.hub.console.web import ROOT, Console, Context
from gatehouse.hub.service import PassageQuery


def _mine_of(context: Context) -> str | None:
    """The mine the user's visits are cut to; ``None``: every mine (the office)."""
    user = context.session.user
    return None if user.sees_every_mine else user.mine or ""


async def visit_list(context: Context) -> Response:
    shown = await run_in_threadpool(visits.visits_of, context.hub.engine, _mine_of(context))
    await context.audit("view.visits", "")
    return context.render("visits.html", visits=shown)


async def request_visit(context: Context) -> Response:
    mines = await run_in_threadpool(booths.mines, context.hub)
    values: dict[str, Any] = {"form": context.form, "mines": mines, "mine": _mine_of(context)}
    if context.request.method == "GET":
        return context.render("visit_new.html", error=None, **values)
    secret = context.issuer.list_secret if context.issuer else None
    if secret is None:
        return context.render("message.html", 503, message="no_secret")
    mine = _mine_of(context)
    try:
        visit_id = await run_in_threadpool(
            visits.request_visit,
            context.hub,
            secret,
            context.form,
            context.form.get("mine", "") if mine is None else mine,
            context.session.user.username,
            ZONE,
        )
    except people.EntryError as exc:
        return context.render("visit_new.html", 400, error=str(exc), **values)
    await context.audit("visit.request", visit_id)
    return RedirectResponse(f"{ROOT}/visits/{visit_id}", status_code=303)


async def _visit(context: Context) -> visits.Visit | None:
    """The visit the path names, if the user may see it."""
    found = await run_in_threadpool(
        visits.visit, context.hub.engine, context.request.path_params["visit_id"]
    )
    mine = _mine_of(context)
    return found if found and (mine is None or found.mine == mine) else None


async def visit_page(context: Context, status: int = 200, error: str | None = None) -> Response:
    found = await _visit(context)
    if found is None:
        return context.render("message.html", 404, message="not_found")
    rows = []
    if found.pass_id:
        visible = await run_in_threadpool(visible_booths, context.hub, context.session.user)
        query = PassageQuery(pass_id=found.pass_id, booth_ids=visible, limit=500)
        rows = listed(await run_in_threadpool(context.hub.passages, query), context.language)
    await context.audit("view.visit", found.visit_id)
    return context.render("visit.html", status, visit=found, rows=rows, error=error, local=local)


async def decide(context: Context) -> Response:
    """Approve (``decision=approve``, the health code checked green) or refuse with a reason."""
    found = await _visit(context)
    if found is None:
        return context.render("message.html", 404, message="not_found")
    issuer, user = context.issuer, context.session.user.username
    if issuer is None or issuer.list_secret is None:
        return context.render("message.html", 503, message="no_secret")
    form = context.form
    try:
        if form.get("decision") == "approve":
            if form.get("code_green") != "yes":
                raise people.EntryError(
                    "请先核验访客健康码为绿码 · Check the visitor's health code is green first"
                )
            await run_in_threadpool(visits.approve, context.hub, issuer, found.visit_id, user, ZONE)
        else:
            await run_in_threadpool(
                visits.refuse, context.hub, found.visit_id, form.get("reason", ""), user
            )
    except people.EntryError as exc:
        return await visit_page(context, 400, str(exc))
    await context.audit("visit." + str(form.get("decision", "refuse"))[:16], found.visit_id)
    if form.get("decision") == "approve":
        problem = await publish_now(context, f"visit {found.visit_id} approved")
        if problem is not None:
            return await visit_page(context, problem.status, unpublished(problem))
    return RedirectResponse(f"{ROOT}/visits/{found.visit_id}", status_code=303)


async def revoke(context: Context) -> Response:
    found = await _visit(context)
    if found is None:
        return context.render("message.html", 404, message="not_found")
    try:
        await run_in_threadpool(
            visits.revoke, context.hub, found.visit_id, context.session.user.username
        )
    except people.EntryError as exc:
        return await visit_page(context, 400, str(exc))
    await context.audit("visit.revoke", found.visit_id)
    problem = await publish_now(context, f"visit {found.visit_id} revoked")
    if problem is not None:
        return await visit_page(context, problem.status, unpublished(problem))
    return RedirectResponse(f"{ROOT}/revocations", status_code=303)


_KINDS = ("png", "pdf")


async def download(context: Context) -> Response:
    found = await _visit(context)
    kind = context.request.path_params["kind"]
    if found is None or found.pass_text is None or context.issuer is None or kind not in _KINDS:
        return context.render("message.html", 404, message="not_found")
    if kind == "png":
        body = await run_in_threadpool(visits.qr_png, found.pass_text)
        media = "image/png"
    else:
        body = await run_in_threadpool(visits.card_pdf, found.pass_text, context.issuer)
        media = "application/pdf"
    await context.audit("visit.download", f"{found.visit_id} {kind}")
    name = f"{found.visit_id}-{'qr' if kind == 'png' else 'card'}.{kind}"
    return Response(
        body,
        media_type=media,
        headers={
            "Content-Disposition": f'attachment; filename="{name}"',
            "Cache-Control": "no-store",
        },
    )


async def revocations(context: Context, status: int = 200, error: str | None = None) -> Response:
    revoked = await run_in_threadpool(visits.revoked_pass_ids, context.hub.engine)
    held = await run_in_threadpool(visits.published_trust_list, context.hub)
    published = held.store.revoked_pass_ids if held else frozenset()
    await context.audit("view.revocations", "")
    return context.render(
        "revocations.html",
        status,
        revoked=revoked,
        missing=[p for p in revoked if p not in published],
        sequence=(held.sequence + 1) if held else 1,
        error=error,
    )


async def upload_trust_list(context: Context) -> Response:
    """Publish the trust list the office signed offline (its file uploaded here)."""
    name, data = context.files.get("trust_file", ("", b""))
    try:
        text = data.decode("utf-8")
        version = await run_in_threadpool(visits.publish_trust_list, context.hub, text)
    except UnicodeDecodeError:
        return await revocations(context, 400, "不是 UTF-8 文本 · Not UTF-8 text")
    except people.EntryError as exc:
        return await revocations(context, 400, str(exc))
    await context.audit("trust_list.publish", f"{name} version={version}")
    return RedirectResponse(f"{ROOT}/revocations", status_code=303)


def routes(console: Console) -> list[Route]:
    guarded = console.guarded
    return [
        Route("/visits", guarded(visit_list)),
        Route("/visits/new", guarded(request_visit), methods=["GET", "POST"]),
        Route("/visits/{visit_id}", guarded(visit_page)),
        Route("/visits/{visit_id}/decide", guarded(decide, office=True), methods=["POST"]),
        Route("/visits/{visit_id}/revoke", guarded(revoke, office=True), methods=["POST"]),
        Route("/visits/{visit_id}/pass.{kind:str}", guarded(download)),
        Route("/revocations", guarded(revocations, office=True)),
        Route("/revocations/publish", guarded(upload_trust_list, office=True), methods=["POST"]),
    ]
