"""The office's risk-area list in the console: a shared draft, its dry run, publication, history.

Staff edit a draft (one per hub, kept in ``console_drafts``) that starts from the published
list, and records which version that was (its base): a publish made since, from the console or
``gatehouse hub publish``, makes the draft stale, and it is published only once rebased on it
(``risk_area_rebase``), so that publish is never undone unseen. Publishing checks the draft as
a booth will read it and signs it, exactly as its dry run showed it (``Draft.digest``), as the
next version of the ``risk_areas`` bundle, the same signing as ``gatehouse hub publish``.
Every published version stays in the hub's bundles; going back publishes an old version's
areas as a new version, so booths always move forward and the history says what happened.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import cache
from typing import Any

from sqlalchemy import Connection, select
from sqlalchemy.exc import IntegrityError

from gatehouse.core.china_time import china_day
from gatehouse.core.rules.dry_run_rows import DryRunResult
from gatehouse.core.rules.pack import CheckpointPolicy, PackError, packs_from
from gatehouse.core.rules.regions import RegionTable
from gatehouse.core.rules.risk_areas import RiskArea, RiskAreaList, RiskLevel, RiskVisit
from gatehouse.core.rules.risk_dry_run import dry_run
from gatehouse.hub.service import Hub, PassageQuery, iso
from gatehouse.hub.tables import bundles, console_drafts
from gatehouse.resources import resource_path
from gatehouse.sync.protocol import open_bundle

BUNDLE = "risk_areas"
DRY_RUN_DAYS = 14
PAGE_ROWS = 1000
PAST_SLACK = timedelta(minutes=10)  # a form filled in a few minutes ago still means "now"


class RiskAreaEditError(ValueError):
    """An edit the draft refuses; ``key`` is the console's message for it, ``value`` its subject."""

    def __init__(self, key: str, value: str = "") -> None:
        super().__init__(f"{key}: {value}")
        self.key = key
        self.value = value


@cache
def region_table() -> RegionTable:
    """GB/T 2260 regions, the table the booth's travel dialog searches (read once)."""
    return RegionTable.from_json(resource_path("regions", "regions.json").read_text("utf-8"))


@dataclass(frozen=True)
class Version:
    """One published version of the list: the bundle's version and when it was signed."""

    number: int
    published_at: datetime
    areas: RiskAreaList


def versions(
    hub: Hub, limit: int | None = None, conn: Connection | None = None, number: int | None = None
) -> list[Version]:
    """Published versions, newest first (all, the latest ``limit``, or just version
    ``number``); read on ``conn`` when inside a transaction."""
    statement = select(bundles.c.signed).where(bundles.c.name == BUNDLE)
    if number is not None:
        statement = statement.where(bundles.c.version == number)
    statement = statement.order_by(bundles.c.version.desc()).limit(limit)
    if conn is None:
        with hub.engine.connect() as own:
            signed = [row.signed for row in own.execute(statement)]
    else:
        signed = [row.signed for row in conn.execute(statement)]
    public = hub.bundle_key.public_key()
    opened = (open_bundle(item, public, BUNDLE) for item in signed)
    return [
        Version(b.version, b.published_at, RiskAreaList.from_json_data(b.content)) for b in opened
    ]


def published(hub: Hub, conn: Connection | None = None) -> Version | None:
    """The newest version, also one whose effective time is still to come."""
    found = versions(hub, 1, conn)
    return found[0] if found else None


class DraftChangedError(Exception):
    """The draft was edited after the dry run being published from was shown."""


@dataclass(frozen=True)
class Draft:
    """The draft, whether it is stored (else it is the published list, or none), and its base:
    the version it was started from (0: none published; None: a draft from before the hub
    recorded it, so unknown)."""

    areas: RiskAreaList
    stored: bool
    base: int | None

    @property
    def digest(self) -> str:
        """What a dry run carries to its publish: any edit or rebase since changes it (the
        entries and the base only: an empty draft's list is dated now, on every read)."""
        data = {"base": self.base, "areas": self.areas.to_json_data()["areas"]}
        return hashlib.sha256(json.dumps(data, sort_keys=True).encode()).hexdigest()


def draft(hub: Hub) -> RiskAreaList:
    """The draft being edited; the published list when nobody has changed it since."""
    return current_draft(hub).areas


def current_draft(hub: Hub, conn: Connection | None = None, lock: bool = False) -> Draft:
    """The draft with its base (read on ``conn`` when inside a transaction, its row locked
    with ``lock`` until that transaction ends)."""
    if conn is None:
        with hub.engine.connect() as own:
            return _draft(hub, own)
    return _draft(hub, conn, lock)


def _draft(hub: Hub, conn: Connection, lock: bool = False) -> Draft:
    statement = select(console_drafts.c.content, console_drafts.c.base_version)
    statement = statement.where(console_drafts.c.name == BUNDLE)
    row = conn.execute(statement.with_for_update() if lock else statement).first()
    if row is not None:
        return Draft(RiskAreaList.from_json(row.content), True, row.base_version)
    latest = published(hub, conn)
    if latest is not None:
        return Draft(latest.areas, False, latest.number)
    return Draft(RiskAreaList("draft", hub.clock(), ()), False, 0)


def _edit(hub: Hub, change: Callable[[RiskAreaList], RiskAreaList], by: str) -> RiskAreaList:
    """Apply ``change`` to the draft in one transaction, the draft's row locked: two people
    editing at once both keep their edit (the second waits, then changes the first's draft)."""
    try:
        return _edit_once(hub, change, by)
    except IntegrityError:  # both made the first draft at once: edit again, on the other's
        return _edit_once(hub, change, by)


def _edit_once(hub: Hub, change: Callable[[RiskAreaList], RiskAreaList], by: str) -> RiskAreaList:
    with hub.engine.begin() as conn:
        current = _draft(hub, conn, lock=True)
        changed = change(current.areas)
        store_draft(hub, conn, Draft(changed, current.stored, current.base), by)
    return changed


def store_draft(hub: Hub, conn: Connection, new: Draft, by: str) -> None:
    """Write ``new`` as the draft: over the stored one, or as the first (which fails, to be
    tried again, when someone else made one meanwhile)."""
    content = json.dumps(new.areas.to_json_data(), ensure_ascii=False)
    values = {
        "content": content,
        "base_version": new.base,
        "updated_by": by,
        "updated_at": iso(hub.clock()),
    }
    if new.stored:
        where = console_drafts.c.name == BUNDLE
        conn.execute(console_drafts.update().where(where).values(values))
    else:
        conn.execute(console_drafts.insert().values(name=BUNDLE, **values))


def _replace(current: RiskAreaList, areas: tuple[RiskArea, ...]) -> RiskAreaList:
    return RiskAreaList(current.version, current.published_at, areas)


def add_areas(hub: Hub, added: list[RiskArea], by: str) -> RiskAreaList:
    """The draft with ``added``; refused if a region already has an entry in force from then
    (lift that one first: two open entries for one place would hide which level counts)."""
    _known(added)
    return _edit(hub, lambda current: with_added(current, added), by)


def _known(areas: list[RiskArea]) -> None:
    for area in areas:
        if region_table().get(area.region_code) is None:
            raise RiskAreaEditError("unknown_region", area.region_code)


def with_added(current: RiskAreaList, added: list[RiskArea]) -> RiskAreaList:
    """``current`` with ``added``; RiskAreaEditError for one whose region has an entry in force
    from its first day."""
    for area in added:
        if any(
            a.region_code == area.region_code
            and (a.lifted_at is None or a.lifted_at > area.designated_from)
            for a in current.areas
        ):
            raise RiskAreaEditError("area_in_force", area.region_code)
    return _replace(current, (*current.areas, *added))


def lift_area(hub: Hub, region_code: str, since: date, on: date, by: str) -> RiskAreaList:
    """The entry (region, designated ``since``) lifted from day ``on``: no visit from then on
    counts. Refused for an entry already lifted or a day before its designation."""
    if on <= since:
        raise RiskAreaEditError("lift_before_designation", on.isoformat())

    def change(current: RiskAreaList) -> RiskAreaList:
        key = (region_code, since)
        found = [a for a in current.areas if (a.region_code, a.designated_from) == key]
        if not found or found[0].lifted_at is not None:
            raise RiskAreaEditError("no_open_area", region_code)
        return _lifted(current, found[0], on)

    return _edit(hub, change, by)


def _lifted(current: RiskAreaList, area: RiskArea, on: date) -> RiskAreaList:
    lifted = RiskArea(area.region_code, area.level, area.designated_from, on)
    return _replace(current, tuple(lifted if a is area else a for a in current.areas))


def open_entry(areas: RiskAreaList, region_code: str) -> RiskArea | None:
    """The region's entry not yet lifted, if the list has one."""
    return next((a for a in areas.areas if a.region_code == region_code and not a.lifted_at), None)


def liftable(areas: RiskAreaList, region_code: str, on: date) -> RiskArea | None:
    """The open entry a lift of ``region_code`` from ``on`` ends: one designated before then."""
    entry = open_entry(areas, region_code)
    return entry if entry is not None and entry.designated_from < on else None


def apply_announcement(
    hub: Hub, added: list[RiskArea], lifts: list[tuple[str, date]], by: str
) -> list[RiskArea]:
    """An announcement's lifts and additions in one edit of the draft, lifts first (a place
    lifted and designated again keeps both entries). A lift of a region with no open entry
    designated before its day ends nothing and is left out (the reading said so); returns the
    entries as lifted."""
    _known(added)
    done: list[RiskArea] = []

    def change(current: RiskAreaList) -> RiskAreaList:
        done.clear()
        for region_code, on in lifts:
            entry = liftable(current, region_code, on)
            if entry is not None:
                current = _lifted(current, entry, on)
                done.append(RiskArea(region_code, entry.level, entry.designated_from, on))
        return with_added(current, added)

    _edit(hub, change, by)
    return done


def remove_area(hub: Hub, region_code: str, since: date, by: str) -> RiskAreaList:
    """The draft without an entry (one added by mistake); the published list keeps it until
    the draft is published."""

    def change(current: RiskAreaList) -> RiskAreaList:
        key = (region_code, since)
        kept = tuple(a for a in current.areas if (a.region_code, a.designated_from) != key)
        if len(kept) == len(current.areas):
            raise RiskAreaEditError("no_open_area", region_code)
        return _replace(current, kept)

    return _edit(hub, change, by)


def discard_draft(hub: Hub) -> None:
    with hub.engine.begin() as conn:
        conn.execute(console_drafts.delete().where(console_drafts.c.name == BUNDLE))


def publish(
    hub: Hub, areas: RiskAreaList, effective_at: datetime, by: str, based_on: int | None = None
) -> int:
    """Sign ``areas`` as the next version, given to booths from ``effective_at`` (now if
    earlier; refused when clearly in the past: a typo must not date a list back), and clear
    the draft if it still holds just these areas (an edit made meanwhile stays, to publish
    next). ``based_on`` is the version the page was showing (None: the latest now);
    StalePublishError when someone published since, so their areas are not undone unseen.
    Returns the bundle version."""
    now = hub.clock()
    if effective_at.tzinfo is None or effective_at < now - PAST_SLACK:
        raise RiskAreaEditError("bad_time", effective_at.isoformat())
    effective_at = max(effective_at, now)
    based_on = hub.latest_version(BUNDLE) if based_on is None else based_on
    content = RiskAreaList(f"office-{based_on + 1}", effective_at, areas.areas).to_json_data()
    content["published_by"] = by
    bundle = hub.publish(BUNDLE, content, effective_at, based_on=based_on)
    with hub.engine.begin() as conn:
        held = _draft(hub, conn, lock=True)
        if held.stored and held.areas.areas == areas.areas:
            conn.execute(console_drafts.delete().where(console_drafts.c.name == BUNDLE))
    return bundle.version


def publish_draft(hub: Hub, effective_at: datetime, by: str, reviewed: str) -> int:
    """Sign the draft exactly as its dry run showed it (``reviewed``: the digest shown then;
    DraftChangedError when it was edited since), on its base (StalePublishError when another
    version was published since it was started: it must be rebased). An edit made while it
    signs stays in the draft, on top of the version just published."""
    shown = current_draft(hub)
    if shown.digest != reviewed:
        raise DraftChangedError
    base = -1 if shown.base is None else shown.base  # unknown: never current
    number = publish(hub, shown.areas, effective_at, by, base)
    with hub.engine.begin() as conn:
        held = _draft(hub, conn, lock=True)
        if held.stored and held.base == base:
            where = console_drafts.c.name == BUNDLE
            conn.execute(console_drafts.update().where(where).values(base_version=number))
    return number


def go_back(hub: Hub, number: int, effective_at: datetime, by: str, based_on: int | None) -> int:
    """Publish version ``number``'s areas again, as a new version (``based_on``: ``publish``).
    A draft in progress stays, stale now: staff rebase it onto the list gone back to, or
    discard it, rather than lose its edits unseen."""
    found = versions(hub, number=number)
    if not found:
        raise RiskAreaEditError("no_such_version", str(number))
    old = found[0]
    return publish(hub, old.areas, effective_at, by, based_on)


@dataclass(frozen=True)
class Difference:
    added: tuple[RiskArea, ...]
    removed: tuple[RiskArea, ...]


def difference(old: RiskAreaList | None, new: RiskAreaList) -> Difference:
    """Entries only in ``new`` and only in ``old`` (a lifted entry shows as removed open and
    added lifted: both lines matter to whoever reads the history)."""
    before = set(old.areas) if old else set()
    after = set(new.areas)
    return Difference(
        tuple(a for a in new.areas if a not in before),
        tuple(a for a in (old.areas if old else ()) if a not in after),
    )


def history(hub: Hub) -> list[tuple[Version, Difference]]:
    """Each published version (newest first) with what changed from the one before it."""
    found = versions(hub)
    return [
        (version, difference(found[i + 1].areas if i + 1 < len(found) else None, version.areas))
        for i, version in enumerate(found)
    ]


def run_dry(hub: Hub, areas: RiskAreaList) -> DryRunResult[RiskVisit]:
    """The draft over every booth's passages of the last ``DRY_RUN_DAYS`` days."""
    now = hub.clock()
    latest = published(hub)
    since = iso(now - timedelta(days=DRY_RUN_DAYS))
    return dry_run(
        passages_since(hub, since), latest.areas if latest else None, areas, lookback_days(hub)
    )


def passages_since(hub: Hub, since: str) -> Iterator[dict[str, Any]]:
    after = None
    while True:
        page = hub.passage_page(PassageQuery(since=since, limit=PAGE_ROWS), after)
        for _, record in page:
            yield record
        if len(page) < PAGE_ROWS:
            return
        after = page[-1][0]


def lookback_days(hub: Hub) -> Callable[[str], int]:
    """Each checkpoint type's look-back in the pack booths hold: the published ``policy``
    bundle, else the built-in default pack."""
    latest = hub.latest_bundle("policy")
    try:
        if latest is not None:
            content = open_bundle(latest.signed, hub.bundle_key.public_key(), "policy").content
        else:
            path = resource_path("policy", "default_pack.json")
            content = json.loads(path.read_text("utf-8"))
        pack = packs_from(content)[0]
    except (PackError, ValueError):
        pack = None
    fallback = CheckpointPolicy.lookback_days

    def days(checkpoint_type: str) -> int:
        found = pack.checkpoint(checkpoint_type) if pack else None
        return found.lookback_days if found else fallback

    return days


def today(hub: Hub) -> date:
    return china_day(hub.clock())


def new_area(region_code: str, level: str, since: str) -> RiskArea:
    """A draft entry from the form's fields; RiskAreaEditError naming the bad field."""
    try:
        parsed_level = RiskLevel[level.upper()]
    except KeyError:
        raise RiskAreaEditError("bad_level", level) from None
    try:
        day = date.fromisoformat(since)
    except ValueError:
        raise RiskAreaEditError("bad_date", since) from None
    return RiskArea(region_code, parsed_level, day)
