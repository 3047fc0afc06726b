"""The booths as the office sees them: the mine and checkpoint type it gave each, the figures
the hub holds about each booth, what each booth last reported about itself (backlog, clock,
version, bundles in force), and the alarms those raise.

A booth of an older version reports nothing: its figures show as unknown, never as a guess.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Any

import segno
from sqlalchemy import func, select

from gatehouse.hub.booth_reports import ReportedState, reported_states
from gatehouse.hub.service import Hub, event_details, iso
from gatehouse.hub.tables import audit_events, booth_sites, bundles, quarantine
from gatehouse.sync.protocol import CLOCK_SKEW_LIMIT, EnrolmentQr, enrolment_qr_text

SILENT_AFTER = timedelta(hours=2)  # the default: a booth at work syncs every minute or so
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
    reported: ReportedState | None  # None: the booth never reported (an older version)
    behind: tuple[str, ...]  # bundles it holds in an older version than the hub publishes
    alarms: tuple[str, ...]  # message keys, see i18n

    @property
    def clock_skew_s(self) -> float | None:
        return None if self.reported is None else self.reported.clock_skew_s


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


def enrolment_qr(enrolment: EnrolmentQr) -> segno.QRCode:
    """The QR code the console shows for an added booth: what its setup wizard scans."""
    return segno.make(enrolment_qr_text(enrolment), error="m")


def published_bundles(hub: Hub) -> list[dict[str, Any]]:
    """The latest version of each bundle the hub publishes, with when: what a booth that
    synced since holds (each booth reports the versions it holds: ``overview``)."""
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


def overview(hub: Hub, mine: str | None, silent_after: timedelta = SILENT_AFTER) -> list[BoothRow]:
    """Every booth (of ``mine``, when given), added or enrolled, with its alarms; one not
    heard from for ``silent_after`` is silent."""
    now = hub.clock()
    published = {b["name"]: b["version"] for b in published_bundles(hub)}
    since = iso(now - RECENT)
    with hub.engine.connect() as conn:
        sites = {row.booth_id: row for row in conn.execute(select(booth_sites))}
        reports = reported_states(conn)
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
        reported = reports.get(booth_id)
        held = reported.bundle_versions if reported else {}
        row = BoothRow(
            booth_id=booth_id,
            mine=booth_mine,
            checkpoint_type=site.checkpoint_type if site else "",
            enrolled_at=figures.get("enrolled_at"),
            last_contact=_latest(figures.get("last_upload_at"), reported),
            passages=int(figures.get("passages", 0)),
            quarantined=int(figures.get("quarantined", 0)),
            quarantined_recently=int(recent_held.get(booth_id, 0)),
            alerts_recently=alerts.get(booth_id, 0),
            reported=reported,
            behind=_behind(held, published) if reported else (),
            alarms=(),
        )
        rows.append(_with_alarms(row, now, silent_after))
    return rows


def _behind(held: dict[str, int], published: dict[str, int]) -> tuple[str, ...]:
    """The bundles a booth holds in an older version than the hub publishes, or not at all."""
    return tuple(name for name, version in sorted(published.items()) if held.get(name, 0) < version)


def _latest(last_upload_at: str | None, reported: ReportedState | None) -> str | None:
    """When the hub last heard from the booth: its latest upload, with a report or not."""
    times = [t for t in (last_upload_at, reported.reported_at if reported else None) if t]
    return max(times, key=datetime.fromisoformat, default=None)


def _alerted(record: str) -> bool:
    try:
        details = event_details(json.loads(record))
    except ValueError:
        return False
    return bool(details.get("alert_supervisor"))


def _with_alarms(row: BoothRow, now: datetime, silent_after: timedelta) -> BoothRow:
    alarms: list[str] = []
    if row.enrolled_at is None:
        alarms.append("alarm_not_enrolled")
    elif row.last_contact is None or datetime.fromisoformat(row.last_contact) < now - silent_after:
        alarms.append("alarm_silent")
    skew = row.clock_skew_s
    if skew is not None and abs(skew) > CLOCK_SKEW_LIMIT.total_seconds():
        alarms.append("alarm_clock")
    reported_type = row.reported.checkpoint_type if row.reported else None
    if row.checkpoint_type and reported_type and reported_type != row.checkpoint_type:
        alarms.append("alarm_checkpoint_type")
    if row.quarantined_recently:
        alarms.append("alarm_quarantine")
    if row.alerts_recently:
        alarms.append("alarm_attested")
    return replace(row, alarms=tuple(alarms))
