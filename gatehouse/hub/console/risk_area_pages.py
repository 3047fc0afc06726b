"""The risk-area editor's pages: the draft with search, paste and lift; dry run; publish; history.

Office staff and the administrator edit; mine supervisors see the list and its history only.
Every change is audited with what it changed; every refusal says which field and why, and
leaves the draft as it was.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from gatehouse.core.rules.announcement import read_announcement
from gatehouse.core.rules.dry_run_rows import DryRunResult
from gatehouse.core.rules.risk_areas import RiskArea
from gatehouse.hub.console import risk_area_rebase, risk_areas
from gatehouse.hub.console.pages import ZONE, local
from gatehouse.hub.console.risk_areas import DraftChangedError, RiskAreaEditError
from gatehouse.hub.console.stale import stale_error, submitted_based_on
from gatehouse.hub.console.web import ROOT, Console, Context
from gatehouse.hub.service import StalePublishError

PAGE = f"{ROOT}/risk-areas"
SEARCH_ROWS = 12
DRY_RUN_ROWS = 500  # the changed passages listed; the counts cover them all


def _values(context: Context) -> dict[str, Any]:
    """What every view of the editor shows: the draft, the published version, a search."""
    hub = context.hub
    table = risk_areas.region_table()
    query = context.request.query_params.get("q", "").strip()
    return {
        "draft": risk_areas.draft(hub),
        "latest": risk_areas.published(hub),
        "stale": risk_area_rebase.staleness(hub),
        "found": table.search(query, SEARCH_ROWS) if query else [],
        "query": query,
        "today": risk_areas.today(hub).isoformat(),
        "region": table.display,
        "levels": ("medium", "high", "low"),
        "liftable": risk_areas.liftable,
    }


async def editor(context: Context, status: int = 200, **extra: Any) -> Response:
    values = await run_in_threadpool(_values, context)
    if status == 200 and not extra:
        await context.audit("view.risk_areas", values["query"])
    return context.render("risk_areas.html", status, local=local, **values, **extra)


async def _edit(
    context: Context, action: str, detail: str, change: Callable[..., object], *args: Any
) -> Response:
    """Apply one draft edit; back to the editor, or the editor with the refusal."""
    by = context.session.user.username
    try:
        await run_in_threadpool(lambda: change(context.hub, *args, by))
    except RiskAreaEditError as exc:
        return await editor(context, 400, error=(exc.key, exc.value))
    await context.audit(action, detail)
    return RedirectResponse(PAGE, status_code=303)


async def add(context: Context) -> Response:
    form = context.form
    try:
        area = risk_areas.new_area(
            form.get("region", ""), form.get("level", ""), form.get("since", "")
        )
    except RiskAreaEditError as exc:
        return await editor(context, 400, error=(exc.key, exc.value))
    return await _edit(context, "risk_area.add", _described([area]), risk_areas.add_areas, [area])


def _entry(context: Context) -> tuple[str, Any]:
    form = context.form
    return form.get("region", ""), _day(form.get("since", ""))


def _day(text: str) -> Any:
    try:
        return datetime.strptime(text, "%Y-%m-%d").date()
    except ValueError:
        raise RiskAreaEditError("bad_date", text) from None


async def lift(context: Context) -> Response:
    try:
        region, since = _entry(context)
        on = _day(context.form.get("on", ""))
    except RiskAreaEditError as exc:
        return await editor(context, 400, error=(exc.key, exc.value))
    detail = f"{region} from {since} lifted {on}"
    return await _edit(context, "risk_area.lift", detail, risk_areas.lift_area, region, since, on)


async def remove(context: Context) -> Response:
    try:
        region, since = _entry(context)
    except RiskAreaEditError as exc:
        return await editor(context, 400, error=(exc.key, exc.value))
    detail = f"{region} from {since}"
    return await _edit(context, "risk_area.remove", detail, risk_areas.remove_area, region, since)


async def read_pasted(context: Context) -> Response:
    """The announcement read: its matched places, and every name left for a decision."""
    text = context.form.get("text", "")
    today = await run_in_threadpool(risk_areas.today, context.hub)
    reading = read_announcement(text, risk_areas.region_table(), today)
    await context.audit(
        "risk_area.read", f"{len(reading.matched)} matched, {len(reading.unmatched)} unmatched"
    )
    return await editor(context, 200, reading=reading, pasted=text)


async def add_pasted(context: Context) -> Response:
    """Apply the announcement (read again: the same text, the same list): its lifts from
    their days, then its matched places as new entries, in one edit of the draft."""
    text = context.form.get("text", "")
    today = await run_in_threadpool(risk_areas.today, context.hub)
    reading = read_announcement(text, risk_areas.region_table(), today)
    added = [RiskArea(m.region.code, m.level, m.since) for m in reading.matched]
    lifts = [(place.region.code, place.on) for place in reading.lifted]
    if not added and not lifts:
        return await editor(context, 400, error=("nothing_matched", ""), pasted=text)
    by = context.session.user.username
    try:
        done = await run_in_threadpool(risk_areas.apply_announcement, context.hub, added, lifts, by)
    except RiskAreaEditError as exc:
        return await editor(context, 400, error=(exc.key, exc.value), pasted=text)
    if added:
        await context.audit("risk_area.add", _described(added))
    if done:
        await context.audit("risk_area.lift", _described(done))
    return RedirectResponse(PAGE, status_code=303)


def _described(areas: list[RiskArea]) -> str:
    return ", ".join(
        f"{a.region_code} {a.level.name.lower()} from {a.designated_from}"
        + (f" lifted {a.lifted_at}" if a.lifted_at else "")
        for a in areas
    )


async def rebase(context: Context) -> Response:
    """Start the stale draft again from the published list, its edits kept where they fit;
    the page then says which were kept and lists any left out, to be redone by hand."""
    by = context.session.user.username
    done = await run_in_threadpool(risk_area_rebase.rebase, context.hub, by)
    if done is None:
        return await editor(context, 200, error=("nothing_to_rebase", ""))
    kept = [*done.kept.added, *done.kept.removed]
    left_out = [*done.left_out.added, *done.left_out.removed]
    detail = f"onto version {done.version}; kept: {_described(kept)}"
    await context.audit("risk_area.rebase", f"{detail}; left out: {_described(left_out)}")
    return await editor(context, 200, rebased=done)


async def discard(context: Context) -> Response:
    """Drop the draft: the audit keeps what it changed from the published list."""
    hub = context.hub

    def drop() -> risk_areas.Difference:
        latest = risk_areas.published(hub)
        changes = risk_areas.difference(latest.areas if latest else None, risk_areas.draft(hub))
        risk_areas.discard_draft(hub)
        return changes

    changes = await run_in_threadpool(drop)
    added, removed = _described([*changes.added]), _described([*changes.removed])
    await context.audit("risk_area.discard", f"added: {added}; removed: {removed}")
    return RedirectResponse(PAGE, status_code=303)


async def dry_run_page(context: Context) -> Response:
    return await _dry_run_view(context)


async def _dry_run_view(context: Context, status: int = 200, **extra: Any) -> Response:
    """The draft's dry run and the publish form, which carries the draft's base and digest:
    what is signed is the draft as shown here, on the version it was compared with. A stale
    draft gets no form: it must be rebased first."""
    hub = context.hub

    def run() -> dict[str, Any]:
        shown = risk_areas.current_draft(hub)
        areas = shown.areas
        latest = risk_areas.published(hub)
        result = risk_areas.run_dry(hub, areas)
        return {
            "draft": areas,
            "latest": latest,
            "stale": risk_area_rebase.staleness(hub),
            "based_on": "" if shown.base is None else shown.base,
            "digest": shown.digest,
            "diff": risk_areas.difference(latest.areas if latest else None, areas),
            **shown_dry_run(result),
            "now": hub.clock().astimezone(ZONE).strftime("%Y-%m-%dT%H:%M"),
        }

    values = await run_in_threadpool(run)
    if status == 200:
        await context.audit("risk_area.dry_run", f"{values['checked']} passages")
    return context.render(
        "risk_area_dry_run.html",
        status,
        local=local,
        region=risk_areas.region_table().display,
        days=risk_areas.DRY_RUN_DAYS,
        **{**values, **extra},
    )


def shown_dry_run(result: DryRunResult[Any]) -> dict[str, Any]:
    """What a dry-run preview shows of a result: the counts, and the first changed passages."""
    return {
        "counts": result.counts(),
        "checked": len(result.rows),
        "changed": result.changed[:DRY_RUN_ROWS],
        "more": max(0, len(result.changed) - DRY_RUN_ROWS),
    }


def _effective(context: Context) -> datetime:
    text = context.form.get("effective_at", "")
    try:
        return datetime.strptime(text, "%Y-%m-%dT%H:%M").replace(tzinfo=ZONE)
    except ValueError:
        raise RiskAreaEditError("bad_time", text) from None


async def publish(context: Context) -> Response:
    user = context.session.user.username
    hub = context.hub
    try:
        effective = _effective(context)
        latest = await run_in_threadpool(hub.latest_version, risk_areas.BUNDLE)
        if submitted_based_on(context, risk_areas.BUNDLE, latest) != latest:
            raise StalePublishError(risk_areas.BUNDLE, int(context.form["based_on"]), latest)
        reviewed = context.form.get("digest", "")
        number = await run_in_threadpool(risk_areas.publish_draft, hub, effective, user, reviewed)
    except StalePublishError as exc:  # the typed time kept, and refused again until reloaded
        return await _dry_run_view(context, 409, **_refused(context, stale_error(exc)))
    except DraftChangedError:
        return await _dry_run_view(context, 409, **_refused(context, ("draft_changed", "")))
    except (RiskAreaEditError, ValueError) as exc:
        key = exc.key if isinstance(exc, RiskAreaEditError) else "refused_by_booths"
        return await editor(context, 400, error=(key, str(getattr(exc, "value", exc))))
    await context.audit("risk_area.publish", f"version {number} effective {effective.isoformat()}")
    return RedirectResponse(f"{PAGE}/history?published={number}", status_code=303)


def _refused(context: Context, error: tuple[str, str]) -> dict[str, Any]:
    """What a page shows again after a stale publish: the refusal, and the form as sent."""
    form = context.form
    return {
        "error": error,
        "based_on": form.get("based_on", ""),
        "digest": form.get("digest", ""),
        "now": form.get("effective_at"),
    }


async def history(context: Context) -> Response:
    await context.audit("view.risk_area_history", "")
    return await _history_view(context)


async def _history_view(context: Context, status: int = 200, **extra: Any) -> Response:
    """The published versions, newest first; each go-back form carries the newest version."""
    found = await run_in_threadpool(risk_areas.history, context.hub)
    now = context.hub.clock()
    values = {
        "based_on": found[0][0].number if found else 0,
        "now": now.astimezone(ZONE).strftime("%Y-%m-%dT%H:%M"),
        **extra,
    }
    return context.render(
        "risk_area_history.html",
        status,
        versions=found,
        region=risk_areas.region_table().display,
        local=local,
        moment=now,
        published=context.request.query_params.get("published", ""),
        **values,
    )


async def go_back(context: Context) -> Response:
    user = context.session.user.username
    hub = context.hub
    number_text = context.request.path_params["number"]
    try:
        effective = _effective(context)
        latest = await run_in_threadpool(hub.latest_version, risk_areas.BUNDLE)
        based_on = submitted_based_on(context, risk_areas.BUNDLE, latest)
        number = await run_in_threadpool(
            risk_areas.go_back, hub, int(number_text), effective, user, based_on
        )
    except StalePublishError as exc:
        return await _history_view(context, 409, **_refused(context, stale_error(exc)))
    except RiskAreaEditError as exc:
        return await editor(context, 400, error=(exc.key, exc.value))
    await context.audit("risk_area.go_back", f"version {number_text} published as {number}")
    return RedirectResponse(f"{PAGE}/history?published={number}", status_code=303)


def routes(console: Console) -> list[Route]:
    guarded = console.guarded
    office = ("POST",)
    return [
        Route("/risk-areas", guarded(editor)),
        Route("/risk-areas/add", guarded(add, office=True), methods=office),
        Route("/risk-areas/lift", guarded(lift, office=True), methods=office),
        Route("/risk-areas/remove", guarded(remove, office=True), methods=office),
        Route("/risk-areas/read", guarded(read_pasted, office=True), methods=office),
        Route("/risk-areas/add-read", guarded(add_pasted, office=True), methods=office),
        Route("/risk-areas/rebase", guarded(rebase, office=True), methods=office),
        Route("/risk-areas/discard", guarded(discard, office=True), methods=office),
        Route("/risk-areas/dry-run", guarded(dry_run_page, office=True)),
        Route("/risk-areas/publish", guarded(publish, office=True), methods=office),
        Route("/risk-areas/history", guarded(history)),
        Route(
            "/risk-areas/history/{number:int}/go-back",
            guarded(go_back, office=True),
            methods=office,
        ),
    ]
