"""The console's pages: booths, passages (search, detail, export), live view, accounts, audit.

A mine supervisor's pages are cut to their mine's booths before anything is read; a booth or
passage of another mine answers 404, the same as one that does not exist.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, tzinfo
from typing import Any
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from starlette.concurrency import run_in_threadpool
from starlette.responses import Response
from starlette.routing import Route

from gatehouse.core.models import Outcome
from gatehouse.hub.console import booths, reports
from gatehouse.hub.console.accounts import AccountError, Role, User
from gatehouse.hub.console.i18n import translate
from gatehouse.hub.console.search import OUTCOMES, ROLES, SearchError, page_key, parse_search
from gatehouse.hub.console.web import Console, Context
from gatehouse.hub.export_process import ExportFailedError
from gatehouse.hub.exports import FORMATS, ExportFile, as_row, download
from gatehouse.hub.service import Hub, PassageQuery, event_details
from gatehouse.reports.columns import reasons_of
from gatehouse.sync.protocol import CLOCK_SKEW_LIMIT, EnrolmentQr

ZONE: tzinfo = ZoneInfo("Asia/Shanghai")  # the group's mines keep China Standard Time
LIVE_ROWS = 30
LIVE_REFRESH_SECONDS = 30


def visible_booths(hub: Hub, user: User) -> tuple[str, ...] | None:
    """The booths ``user`` may see; ``None``: every booth (the office)."""
    if user.sees_every_mine:
        return None
    return booths.booth_ids_of_mine(hub, user.mine or "")


def local(text: str | None) -> str:
    """A stored UTC time as the mines' local time."""
    if not text:
        return ""
    return datetime.fromisoformat(text).astimezone(ZONE).strftime("%Y-%m-%d %H:%M:%S")


async def booth_list(context: Context) -> Response:
    user = context.session.user
    mine = None if user.sees_every_mine else user.mine or ""
    rows = await run_in_threadpool(booths.overview, context.hub, mine, context.silent_after)
    published = await run_in_threadpool(booths.published_bundles, context.hub)
    await context.audit("view.booths", "")
    return context.render(
        "booths.html", rows=rows, bundles=published, local=local, **_alarm_words(context)
    )


def _alarm_words(context: Context) -> dict[str, Any]:
    """What the alarms' texts need: how long a booth may stay silent, the clock's limit."""
    return {
        "silent_minutes": int(context.silent_after.total_seconds() // 60),
        "skew_limit_s": int(CLOCK_SKEW_LIMIT.total_seconds()),
    }


async def add_booth(context: Context) -> Response:
    values: dict[str, Any] = {"types": booths.CHECKPOINT_TYPES, "form": context.form}
    if context.request.method == "GET":
        return context.render("booth_new.html", error=None, **values)
    booth_id = context.form.get("booth_id", "").strip()
    mine = context.form.get("mine", "")
    checkpoint_type = context.form.get("checkpoint_type", "")
    try:
        code = await run_in_threadpool(
            booths.add_booth,
            context.hub,
            booth_id,
            mine,
            checkpoint_type,
            context.session.user.username,
        )
    except ValueError as exc:
        key = {"mine": "bad_mine", "checkpoint_type": "bad_checkpoint_type"}.get(str(exc))
        return context.render("booth_new.html", 400, **{**values, "error": key or "bad_booth_id"})
    await context.audit("booth.add", f"{booth_id} mine={mine.strip()} type={checkpoint_type}")
    url = context.request.url
    enrolment = EnrolmentQr(f"{url.scheme}://{url.netloc}", booth_id, code)  # the hub as reached
    qr = booths.enrolment_qr(enrolment).svg_data_uri(scale=6, border=4)
    return context.render("booth_code.html", enrolment=enrolment, qr=qr)


def listed(records: Sequence[dict[str, Any]], language: str) -> list[dict[str, Any]]:
    """Records for a table: each with its reasons as one line in ``language``."""
    key = "en" if language == "en" else "zh"
    return [
        {**r, "reason_text": "; ".join(str(x.get(key, "")) for x in reasons_of(as_row(r)))}
        for r in records
    ]


async def passage_search(context: Context) -> Response:
    hub, params = context.hub, context.request.query_params
    user = context.session.user
    visible = await run_in_threadpool(_scope, hub, user, params.get("mine", ""))
    mines = await run_in_threadpool(booths.mines, hub) if user.sees_every_mine else []
    values: dict[str, Any] = {"outcomes": OUTCOMES, "roles": ROLES, "mines": mines}
    try:
        search = parse_search(params, ZONE, visible)
    except SearchError as exc:
        await context.audit("view.passages", str(params))
        return context.render(
            "passages.html",
            400,
            rows=[],
            fields=dict(params),
            error=(exc.key, exc.value),
            next_link=None,
            export_query="",
            local=local,
            **values,
        )
    found = await run_in_threadpool(hub.passages, search.query)
    await context.audit("view.passages", urlencode(search.fields))
    query = {k: v for k, v in search.fields.items() if v}
    next_link = None
    if len(found) == search.query.limit:
        next_link = urlencode({**query, "before": page_key(found[-1])})
    return context.render(
        "passages.html",
        rows=listed(found, context.language),
        fields=search.fields,
        error=None,
        next_link=next_link,
        export_query=urlencode(query),
        local=local,
        **values,
    )


def _scope(hub: Hub, user: User, mine: str) -> tuple[str, ...] | None:
    """The booths a search covers: the user's, narrowed to ``mine`` when the office asks."""
    visible = visible_booths(hub, user)
    if visible is None and mine:
        return booths.booth_ids_of_mine(hub, mine)
    return visible


async def passage_detail(context: Context) -> Response:
    passage_id = context.request.path_params["passage_id"]
    record = await run_in_threadpool(context.hub.passage, passage_id)
    visible = await run_in_threadpool(visible_booths, context.hub, context.session.user)
    await context.audit("view.passage", passage_id)
    if record is None or (visible is not None and record.get("booth_id") not in visible):
        return context.render("message.html", 404, message="not_found")
    events = await run_in_threadpool(context.hub.passage_events, passage_id)
    return context.render(
        "passage.html",
        record=record,
        reasons=reasons_of(as_row(record)),
        events=[{**e, "details": event_details(e)} for e in events],
        local=local,
    )


async def passage_export(context: Context) -> Response:
    fmt = context.request.path_params["fmt"]
    if fmt not in FORMATS:
        return context.render("message.html", 404, message="not_found")
    params = context.request.query_params
    visible = await run_in_threadpool(
        _scope, context.hub, context.session.user, params.get("mine", "")
    )
    try:
        search = parse_search(params, ZONE, visible)
    except SearchError as exc:
        return _refused_search(context, exc)
    query = PassageQuery(**{**search.query.__dict__, "before": None, "limit": 1000})
    await context.audit("export." + fmt, urlencode(search.fields))
    try:
        done = await context.exports.export(query, fmt, ZONE, context.hub.clock())
    except ExportFailedError as exc:
        return context.render(
            "message.html", 503, message="export_failed", values={"reason": str(exc)}
        )
    return download(done)


async def live(context: Context) -> Response:
    hub, user = context.hub, context.session.user
    visible = await run_in_threadpool(visible_booths, hub, user)

    def latest() -> list[dict[str, Any]]:
        found: list[dict[str, Any]] = []
        for outcome in ("TURN_AWAY", "REFER"):
            query = PassageQuery(
                booth_ids=visible, outcome=outcome, before=("9999", ""), limit=LIVE_ROWS
            )
            found.extend(hub.passages(query))
        found.sort(key=lambda r: (r["decided_at"], r["passage_id"]), reverse=True)
        return found[:LIVE_ROWS]

    rows = await run_in_threadpool(latest)
    mine = None if user.sees_every_mine else user.mine or ""
    overview = await run_in_threadpool(booths.overview, hub, mine, context.silent_after)
    alarmed = [b for b in overview if b.alarms]
    await context.audit("view.live", "")
    return context.render(
        "live.html",
        rows=listed(rows, context.language),
        alarmed=alarmed,
        refresh=LIVE_REFRESH_SECONDS,
        local=local,
        **_alarm_words(context),
    )


async def daily_reports(context: Context) -> Response:
    """The day's figures per mine (a supervisor: theirs) and for the group, each with its PDF."""
    hub, user = context.hub, context.session.user
    try:
        day = _asked_day(context)
    except SearchError as exc:
        return _refused_search(context, exc)

    def gather() -> list[reports.MineDay]:
        now = hub.clock()
        names = booths.mines(hub) if user.sees_every_mine else [user.mine or ""]
        found = [reports.mine_day(hub, mine, day, ZONE, now) for mine in names]
        if user.sees_every_mine:
            found.append(reports.mine_day(hub, reports.GROUP, day, ZONE, now))
        return found

    found = await run_in_threadpool(gather)
    await context.audit("view.reports", day.isoformat())
    return context.render("reports.html", day=day.isoformat(), reports=found, count=_count)


def _asked_day(context: Context) -> date:
    text = context.request.query_params.get("day", "")
    try:
        return reports.parse_day(text, context.hub.clock().astimezone(ZONE).date())
    except ValueError:
        raise SearchError("bad_date", text) from None


def _refused_search(context: Context, error: SearchError) -> Response:
    return context.render("message.html", 400, message=error.key, values={"value": error.value})


def _count(figures: reports.DailyFigures, outcome: str) -> int:
    return figures.outcomes.get(Outcome[outcome], 0)


async def daily_report_pdf(context: Context) -> Response:
    hub, user = context.hub, context.session.user
    params = context.request.query_params
    mine = params.get("mine", reports.GROUP)
    if not user.sees_every_mine and mine != user.mine:
        return context.render("message.html", 404, message="not_found")
    try:
        day = _asked_day(context)
    except SearchError as exc:
        return _refused_search(context, exc)
    group = translate("group", context.language)

    def made() -> ExportFile:
        now = hub.clock()
        return reports.report_pdf(reports.mine_day(hub, mine, day, ZONE, now), group, now)

    done = await run_in_threadpool(made)
    await context.audit("report.daily", f"{day.isoformat()} mine={mine or '*'}")
    return download(done)


async def users(context: Context) -> Response:
    error, created = None, None
    if context.request.method == "POST":
        form = context.form
        try:
            role = Role(form.get("role", ""))
            user = await run_in_threadpool(
                context.accounts.add_user,
                form.get("username", ""),
                form.get("password", ""),
                role,
                form.get("mine"),
            )
        except (AccountError, ValueError) as exc:
            error = str(exc)
        else:
            created = user.username
            await context.audit("user.add", f"{user.username} role={role.value} mine={user.mine}")
    else:
        await context.audit("view.users", "")
    listed = await run_in_threadpool(context.accounts.users)
    status = 400 if error else 200
    return context.render(
        "users.html",
        status,
        users=listed,
        roles=list(Role),
        error=error,
        created=created,
        local=local,
    )


async def audit_log(context: Context) -> Response:
    entries = await run_in_threadpool(context.accounts.audit_log)
    await context.audit("view.audit", "")
    return context.render("audit.html", entries=entries, local=local)


def routes(console: Console) -> list[Route]:
    from gatehouse.hub.console import person_lists, visitors  # they import this module

    guarded = console.guarded
    return [
        Route("/booths", guarded(booth_list)),
        Route("/booths/new", guarded(add_booth, office=True), methods=["GET", "POST"]),
        Route("/passages", guarded(passage_search)),
        Route("/passages/{passage_id}", guarded(passage_detail)),
        Route("/export.{fmt}", guarded(passage_export)),
        Route("/live", guarded(live)),
        Route("/reports", guarded(daily_reports)),
        Route("/reports/daily.pdf", guarded(daily_report_pdf)),
        Route("/users", guarded(users, admin=True), methods=["GET", "POST"]),
        Route("/audit", guarded(audit_log, admin=True)),
        *person_lists.routes(console),
        *visitors.routes(console),
    ]
