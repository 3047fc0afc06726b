"""The contractor ledger's pages: a mine's (a supervisor: theirs only) or the group's, for a
period, on the page and as CSV/XLSX files."""

from __future__ import annotations

from starlette.concurrency import run_in_threadpool
from starlette.responses import Response
from starlette.routing import Route

from gatehouse.hub.console import booths, contractors
from gatehouse.hub.console.i18n import translate
from gatehouse.hub.console.pages import ZONE
from gatehouse.hub.console.search import SearchError
from gatehouse.hub.console.web import Console, Context
from gatehouse.hub.exports import FORMATS, ExportFile, download
from gatehouse.reports.contractor_lines import ContractorLine

GROUP = ""  # the whole group: every booth of every mine


def _asked(context: Context) -> tuple[str, contractors.Period] | Response:
    """The mine and period asked for, or the page refusing them."""
    params, user = context.request.query_params, context.session.user
    default = GROUP if user.sees_every_mine else user.mine or ""
    mine = params.get("mine", default)
    if not user.sees_every_mine and mine != user.mine:
        return context.render("message.html", 404, message="not_found")
    today = context.hub.clock().astimezone(ZONE).date()
    try:
        period = contractors.parse_period(params.get("from", ""), params.get("to", ""), today, ZONE)
    except SearchError as exc:
        return context.render("message.html", 400, message=exc.key, values={"value": exc.value})
    return mine, period


def _lines(
    context: Context, mine: str, period: contractors.Period
) -> tuple[contractors.OfficeList, list[ContractorLine]]:
    hub = context.hub
    booth_ids = None if mine == GROUP else booths.booth_ids_of_mine(hub, mine)
    listed = contractors.office_list(hub)
    return listed, contractors.ledger_lines(hub, listed, booth_ids, period)


async def contractor_ledger(context: Context) -> Response:
    asked = _asked(context)
    if isinstance(asked, Response):
        return asked
    mine, period = asked
    listed, lines = await run_in_threadpool(_lines, context, mine, period)
    header, rows = contractors.table(lines, ZONE, context.hub.clock())
    user = context.session.user
    mines = await run_in_threadpool(booths.mines, context.hub) if user.sees_every_mine else []
    await context.audit("view.contractors", f"{period.first} – {period.last} mine={mine or '*'}")
    return context.render(
        "contractors.html",
        mine=mine,
        mines=mines,
        period=period,
        listed=listed,
        header=header,
        rows=rows,
        formats=sorted(FORMATS),
    )


async def contractor_ledger_file(context: Context) -> Response:
    format = context.request.path_params["fmt"]
    if format not in FORMATS:
        return context.render("message.html", 404, message="not_found")
    asked = _asked(context)
    if isinstance(asked, Response):
        return asked
    mine, period = asked
    name = mine or translate("group", context.language)

    def made() -> ExportFile:
        _, lines = _lines(context, mine, period)
        return contractors.ledger_file(lines, format, name, period, context.hub.clock())

    done = await run_in_threadpool(made)
    await context.audit(
        "report.contractors", f"{period.first} – {period.last} mine={mine or '*'} {format}"
    )
    return download(done)


def routes(console: Console) -> list[Route]:
    return [
        Route("/reports/contractors", console.guarded(contractor_ledger)),
        Route("/reports/contractors.{fmt}", console.guarded(contractor_ledger_file)),
    ]
