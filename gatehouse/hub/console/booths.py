"""The booths as the office sees them: the mine and checkpoint type it gave each, the figures
the hub holds about each booth, and the alarms those figures raise.

Booths do not report their backlog, clock skew, app version or bundle versions to the hub
today; the page says so rather than showing a guess, and shows the bundles the hub publishes.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, select

from gatehouse.hub.service import Hub, event_details, iso
from gatehouse.hub.tables import audit_events, booth_sites, bundles, quarantine

SILENT_AFTER = timedelta(hours=2)  # a booth at work uploads at least every few minutes
RECENT = timedelta(hours=24)
CHECKPOINT_TYPES = ("mine_gate", "office_area", "canteen", "dormitory", "vehicle_gate")
UNASSIGNED = ""  # a booth added by ``hub add-booth``, before the console knew its mine


@dataclass(frozen=True)
class BoothRow:
    booth_id: str
    mine: str
    checkpoint_type: str
    enrolled_at: str | None  # None: added, the code not yet used
    last_contact: str | None
    passages: int
    quarantined: int
    quarantined_recently: int
    alerts_recently: int  # the issuer answered yellow/red for a colour a guard attested
    alarms: tuple[str, ...]  # message keys, see i18n


def add_booth(hub: Hub, booth_id: str, mine: str, checkpoint_type: str, by: str) -> str:
    """Register the booth with its mine and type; its one-time enrolment code (the hub's own).

    Adding a booth that exists again gives it a new code (a re-enrolment): its mine and type
    are those given now.
    """
    booth_id, mine = booth_id.strip(), mine.strip()
    if not mine:
        raise ValueError("mine")
    if checkpoint_type not in CHECKPOINT_TYPES:
        raise ValueError("checkpoint_type")
    code = hub.create_enrolment_code(booth_id)
    values = {"mine": mine, "checkpoint_type": checkpoint_type}
    where = booth_sites.c.booth_id == booth_id
    with hub.engine.begin() as conn:
        if conn.execute(select(booth_sites.c.booth_id).where(where)).first():
            conn.execute(booth_sites.update().where(where).values(values))
        else:
            conn.execute(
                booth_sites.insert().values(
                    booth_id=booth_id, added_by=by, added_at=iso(hub.clock()), **values
                )
            )
    return code


def published_bundles(hub: Hub) -> list[dict[str, Any]]:
    """The latest version of each bundle the hub publishes, with when: what a booth that
    synced since holds (booths do not report the versions they apply)."""
    latest = (
        select(bundles.c.name, func.max(bundles.c.version).label("version"))
        .where(bundles.c.published_at <= iso(hub.clock()))  # not one scheduled for later
        .group_by(bundles.c.name)
        .subquery()
    )
    statement = (
        select(bundles.c.name, bundles.c.version, bundles.c.published_at)
        .join(latest, (latest.c.name == bundles.c.name) & (latest.c.version == bundles.c.version))
        .order_by(bundles.c.name)
    )
    with hub.engine.connect() as conn:
        return [dict(row._mapping) for row in conn.execute(statement)]


def booth_ids_of_mine(hub: Hub, mine: str) -> tuple[str, ...]:
    with hub.engine.connect() as conn:
        rows = conn.execute(select(booth_sites.c.booth_id).where(booth_sites.c.mine == mine))
        return tuple(row.booth_id for row in rows)


def mines(hub: Hub) -> list[str]:
    with hub.engine.connect() as conn:
        rows = conn.execute(select(booth_sites.c.mine).distinct().order_by(booth_sites.c.mine))
        return [row.mine for row in rows]


def overview(hub: Hub, mine: str | None) -> list[BoothRow]:
    """Every booth (of ``mine``, when given), added or enrolled, with its alarms."""
    now = hub.clock()
    since = iso(now - RECENT)
    with hub.engine.connect() as conn:
        sites = {row.booth_id: row for row in conn.execute(select(booth_sites))}
        recent_held: dict[str, int] = dict(
            conn.execute(
                select(quarantine.c.booth_id, func.count())
                .where(quarantine.c.received_at >= since)
                .group_by(quarantine.c.booth_id)
            ).all()
        )
        answers = conn.execute(
            select(audit_events.c.booth_id, audit_events.c.record).where(
                audit_events.c.kind == "reverification", audit_events.c.at >= since
            )
        ).all()
    alerts: dict[str, int] = {}
    for booth_id, record in answers:
        if _alerted(record):
            alerts[booth_id] = alerts.get(booth_id, 0) + 1
    enrolled = {row["booth_id"]: row for row in hub.booths()}
    rows = []
    for booth_id in sorted(set(sites) | set(enrolled)):
        site, figures = sites.get(booth_id), enrolled.get(booth_id, {})
        booth_mine = site.mine if site else UNASSIGNED
        if mine is not None and booth_mine != mine:
            continue
        row = BoothRow(
            booth_id=booth_id,
            mine=booth_mine,
            checkpoint_type=site.checkpoint_type if site else "",
            enrolled_at=figures.get("enrolled_at"),
            last_contact=figures.get("last_upload_at"),
            passages=int(figures.get("passages", 0)),
            quarantined=int(figures.get("quarantined", 0)),
            quarantined_recently=int(recent_held.get(booth_id, 0)),
            alerts_recently=alerts.get(booth_id, 0),
            alarms=(),
        )
        rows.append(_with_alarms(row, now))
    return rows


def _alerted(record: str) -> bool:
    try:
        details = event_details(json.loads(record))
    except ValueError:
        return False
    return bool(details.get("alert_supervisor"))


def _with_alarms(row: BoothRow, now: datetime) -> BoothRow:
    alarms: list[str] = []
    if row.enrolled_at is None:
        alarms.append("alarm_not_enrolled")
    elif row.last_contact is None or datetime.fromisoformat(row.last_contact) < now - SILENT_AFTER:
        alarms.append("alarm_silent")
    if row.quarantined_recently:
        alarms.append("alarm_quarantine")
    if row.alerts_recently:
        alarms.append("alarm_attested")
    return replace(row, alarms=tuple(alarms))
