"""A risk-area draft started from a version that is no longer the published one: what changed
since, and starting it again from the published list with its edits kept where they still fit.

The draft's edits are what it changed from its base (entries added, entries removed; a lift is
both). Rebasing applies them to the published list: an entry the published list has already is
not added twice, a removed entry it no longer has is gone already, and an edit that clashes with
the published list (say both lifted one area from different days) is left out and returned, to
be shown and done again by hand, never dropped unseen.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Connection

from gatehouse.core.rules.risk_areas import RiskArea, RiskAreaList
from gatehouse.hub.console.risk_areas import (
    BUNDLE,
    Difference,
    Draft,
    RiskAreaEditError,
    Version,
    current_draft,
    difference,
    published,
    store_draft,
    versions,
    with_added,
)
from gatehouse.hub.service import Hub
from gatehouse.hub.tables import console_drafts


@dataclass(frozen=True)
class Stale:
    """The draft's base (None: unknown) and its list, the version published now, and what
    changed between them (for an unknown base: what the draft changes from the published
    list)."""

    base: int | None
    base_areas: RiskAreaList | None
    latest: Version
    since: Difference


def staleness(hub: Hub) -> Stale | None:
    """How the draft is stale, or None when it was started from the version published now."""
    with hub.engine.connect() as conn:
        return _staleness(hub, conn, current_draft(hub, conn))


def _staleness(hub: Hub, conn: Connection, draft: Draft) -> Stale | None:
    """Reads the base's version only when the draft is stale (every view of the editor asks)."""
    latest = published(hub, conn)
    if latest is None or draft.base == latest.number:
        return None
    if draft.base is None:
        return Stale(None, None, latest, difference(latest.areas, draft.areas))
    found = versions(hub, conn=conn, number=draft.base)
    base = found[0].areas if found else None  # 0: none was published
    return Stale(draft.base, base, latest, difference(base, latest.areas))


@dataclass(frozen=True)
class Rebased:
    """The edits carried onto the published list (``version``), and those left out."""

    version: int
    kept: Difference
    left_out: Difference


def rebase(hub: Hub, by: str) -> Rebased | None:
    """Start the draft again from the published list keeping its edits (see the module); None
    when it is not stale. The draft is left equal to the published list when no edit is kept."""
    with hub.engine.begin() as conn:
        draft = current_draft(hub, conn, lock=True)
        stale = _staleness(hub, conn, draft)
        if stale is None:
            return None
        edits = difference(stale.base_areas, draft.areas)
        latest = stale.latest
        areas, kept, left_out = _applied(edits, latest.areas)
        if kept.added or kept.removed:
            rebased = RiskAreaList(latest.areas.version, latest.areas.published_at, areas)
            store_draft(hub, conn, Draft(rebased, draft.stored, latest.number), by)
        else:
            conn.execute(console_drafts.delete().where(console_drafts.c.name == BUNDLE))
    return Rebased(latest.number, kept, left_out)


def _applied(
    edits: Difference, published: RiskAreaList
) -> tuple[tuple[RiskArea, ...], Difference, Difference]:
    """``edits`` applied to ``published``: the areas, the edits kept, the edits left out."""
    added_keys = {_key(a) for a in edits.added}
    removed = [a for a in edits.removed if a in published.areas]
    clashing = [
        a
        for a in edits.removed
        if a not in published.areas
        and _key(a) not in added_keys
        and any(_key(p) == _key(a) for p in published.areas)
    ]
    areas = RiskAreaList(
        published.version,
        published.published_at,
        tuple(a for a in published.areas if a not in removed),
    )
    added: list[RiskArea] = []
    refused: list[RiskArea] = []
    for area in edits.added:
        if area in areas.areas:
            continue
        try:
            areas = with_added(areas, [area])
        except RiskAreaEditError:
            refused.append(area)
            continue
        added.append(area)
    return (
        areas.areas,
        Difference(tuple(added), tuple(removed)),
        Difference(tuple(refused), tuple(clashing)),
    )


def _key(area: RiskArea) -> tuple[str, object]:
    return area.region_code, area.designated_from
