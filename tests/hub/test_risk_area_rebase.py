"""A risk-area draft remembers the version it was started from: a publish made since is never
undone by publishing the draft, which is rebased first; and only the draft as reviewed is
signed (on SQLite and PostgreSQL)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import pytest
from sqlalchemy import update

from gatehouse.core.rules.risk_areas import RiskArea, RiskAreaList, RiskLevel
from gatehouse.hub.console import risk_areas
from gatehouse.hub.console.risk_area_rebase import rebase, staleness
from gatehouse.hub.console.risk_areas import DraftChangedError
from gatehouse.hub.service import Hub, StalePublishError
from gatehouse.hub.tables import console_drafts

SINCE = date(2021, 12, 4)
XIAN = RiskArea("610100", RiskLevel.HIGH, SINCE)
XIANYANG = RiskArea("610400", RiskLevel.MEDIUM, SINCE)
YANAN = RiskArea("610600", RiskLevel.MEDIUM, SINCE)


def _publish_elsewhere(hub: Hub, *areas: RiskArea) -> int:
    """A publish the draft did not see: another console user's, or ``gatehouse hub publish``."""
    now = datetime.now(UTC)
    return risk_areas.publish(hub, RiskAreaList("elsewhere", now, areas), now, "other")


def _publish_draft(hub: Hub) -> int:
    reviewed = risk_areas.current_draft(hub).digest
    return risk_areas.publish_draft(hub, datetime.now(UTC), "staff", reviewed)


def _published(hub: Hub) -> tuple[RiskArea, ...]:
    latest = risk_areas.published(hub)
    assert latest is not None
    return latest.areas.areas


def test_a_draft_records_the_version_it_was_started_from(hub: Hub) -> None:
    risk_areas.add_areas(hub, [XIAN], "staff")
    assert risk_areas.current_draft(hub).base == 0
    assert _publish_draft(hub) == 1
    assert not risk_areas.current_draft(hub).stored  # published as it was: no draft left
    risk_areas.add_areas(hub, [XIANYANG], "staff")
    assert risk_areas.current_draft(hub).base == 1
    assert staleness(hub) is None


def test_a_draft_older_than_the_published_list_is_refused_then_rebased_keeping_both(
    hub: Hub,
) -> None:
    risk_areas.add_areas(hub, [XIAN], "staff")
    assert _publish_elsewhere(hub, YANAN) == 1
    stale = staleness(hub)
    assert stale is not None and stale.base == 0 and stale.latest.number == 1
    assert stale.since.added == (YANAN,)
    with pytest.raises(StalePublishError):
        _publish_draft(hub)
    assert hub.latest_version(risk_areas.BUNDLE) == 1

    done = rebase(hub, "staff")
    assert done is not None and done.version == 1
    assert done.kept.added == (XIAN,) and not done.left_out.added
    assert risk_areas.current_draft(hub).base == 1
    assert _publish_draft(hub) == 2
    assert set(_published(hub)) == {YANAN, XIAN}  # the other publish is not undone
    assert rebase(hub, "staff") is None  # nothing stale any more


def test_a_rebase_lists_the_edits_that_clash_with_the_published_list(hub: Hub) -> None:
    _publish_elsewhere(hub, XIAN, XIANYANG)
    risk_areas.lift_area(hub, XIAN.region_code, SINCE, date(2021, 12, 20), "staff")
    risk_areas.remove_area(hub, XIANYANG.region_code, SINCE, "staff")
    risk_areas.add_areas(hub, [YANAN], "staff")
    lifted_elsewhere = RiskArea(XIAN.region_code, XIAN.level, SINCE, date(2021, 12, 10))
    _publish_elsewhere(hub, lifted_elsewhere, XIANYANG)  # lifted from another day meanwhile

    done = rebase(hub, "staff")
    assert done is not None
    mine = RiskArea(XIAN.region_code, XIAN.level, SINCE, date(2021, 12, 20))
    assert done.left_out.added == (mine,)  # shown to redo by hand, not signed over theirs
    assert set(done.kept.added) == {YANAN} and done.kept.removed == (XIANYANG,)
    assert set(risk_areas.draft(hub).areas) == {lifted_elsewhere, YANAN}


def test_a_draft_changed_after_its_dry_run_is_not_signed(hub: Hub) -> None:
    risk_areas.add_areas(hub, [XIAN], "staff")
    reviewed = risk_areas.current_draft(hub).digest
    risk_areas.add_areas(hub, [XIANYANG], "colleague")
    with pytest.raises(DraftChangedError):
        risk_areas.publish_draft(hub, datetime.now(UTC), "staff", reviewed)
    assert hub.latest_version(risk_areas.BUNDLE) == 0
    assert _publish_draft(hub) == 1  # reviewed again: both
    assert set(_published(hub)) == {XIAN, XIANYANG}


def test_an_edit_made_while_the_draft_signs_stays_on_top_of_the_new_version(
    hub: Hub, monkeypatch: pytest.MonkeyPatch
) -> None:
    risk_areas.add_areas(hub, [XIAN], "staff")
    reviewed = risk_areas.current_draft(hub).digest
    signing = risk_areas.publish

    def edited_meanwhile(*args: Any) -> int:  # the real signing, a colleague's edit right after
        number = signing(*args)
        risk_areas.add_areas(hub, [XIANYANG], "colleague")
        return number

    monkeypatch.setattr(risk_areas, "publish", edited_meanwhile)
    assert risk_areas.publish_draft(hub, datetime.now(UTC), "staff", reviewed) == 1
    assert _published(hub) == (XIAN,)  # signed as reviewed
    held = risk_areas.current_draft(hub)
    assert held.stored and held.base == 1 and set(held.areas.areas) == {XIAN, XIANYANG}
    assert staleness(hub) is None


def test_a_draft_from_before_the_base_was_recorded_is_stale_and_rebased_keeping_published(
    hub: Hub,
) -> None:
    _publish_elsewhere(hub, XIAN)
    risk_areas.add_areas(hub, [YANAN], "staff")
    _publish_elsewhere(hub, XIAN, XIANYANG)
    with hub.engine.begin() as conn:  # as schema step 1 leaves a draft made before it
        conn.execute(update(console_drafts).values(base_version=None))
    stale = staleness(hub)
    assert stale is not None and stale.base is None
    assert stale.since.added == (YANAN,) and stale.since.removed == (XIANYANG,)
    with pytest.raises(StalePublishError):
        _publish_draft(hub)
    rebase(hub, "staff")
    assert _publish_draft(hub) == 3
    assert set(_published(hub)) == {XIAN, XIANYANG, YANAN}


def test_going_back_keeps_a_draft_in_progress_to_rebase(hub: Hub) -> None:
    _publish_elsewhere(hub, XIAN)
    _publish_elsewhere(hub, XIAN, XIANYANG)
    risk_areas.add_areas(hub, [YANAN], "staff")
    now = datetime.now(UTC)
    assert risk_areas.go_back(hub, 1, now, "chief", 2) == 3
    stale = staleness(hub)
    assert stale is not None and stale.base == 2 and stale.since.removed == (XIANYANG,)
    rebase(hub, "staff")
    assert set(risk_areas.draft(hub).areas) == {XIAN, YANAN}  # gone back, the edit kept


def test_the_first_list_publishes_from_a_dry_run_shown_a_moment_before(hub: Hub) -> None:
    reviewed = risk_areas.current_draft(hub).digest  # nothing published, no draft: empty
    assert risk_areas.publish_draft(hub, datetime.now(UTC), "staff", reviewed) == 1
    assert _published(hub) == ()
