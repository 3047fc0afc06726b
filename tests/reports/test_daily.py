"""The daily report: figures for one local day, and the PDF, including the zero report."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path

import pypdf
import pytest

from gatehouse.core.models import Outcome
from gatehouse.core.reasons import reason
from gatehouse.core.rules.vehicles import VEHICLE_KIND
from gatehouse.reports import fonts
from gatehouse.reports.daily import daily_figures
from gatehouse.reports.daily_pdf import render_daily_report
from gatehouse.store import Ledger
from gatehouse.store.queries import PassageQueries
from tests.factories import make_passage

CST = timezone(timedelta(hours=8))
DAY = date(2024, 3, 1)


def _record(ledger: Ledger, local: datetime, **fields: object) -> None:
    ledger.record(make_passage(decided_at=local.astimezone(UTC), **fields)).result()


def _text(path: Path) -> str:
    return "\n".join(page.extract_text() for page in pypdf.PdfReader(path).pages)


def _busy_day(ledger: Ledger) -> None:
    at = datetime(2024, 3, 1, 7, 30, tzinfo=CST)
    _record(ledger, at, temperature_c=36.4)
    _record(ledger, at + timedelta(minutes=5), temperature_c=37.3, outcome=Outcome.REMEASURE)
    revoked = reason("pass.revoked", pass_id="P-9")
    for minutes in (10, 20):
        _record(
            ledger,
            at + timedelta(hours=10, minutes=minutes),
            temperature_c=None,
            temperature_source=None,
            outcome=Outcome.TURN_AWAY,
            reasons=(revoked,),
        )
    _record(ledger, at + timedelta(hours=12), temperature_c=36.0, temperature_source="manual")
    vehicle = {"code_kind": VEHICLE_KIND, "role": VEHICLE_KIND, "temperature_c": None}
    _record(ledger, at + timedelta(hours=3), outcome=Outcome.TURN_AWAY, **vehicle)
    _record(ledger, at + timedelta(hours=4), **vehicle)
    # the local day's edges: the last microsecond before it and its own next midnight
    _record(ledger, datetime(2024, 2, 29, 23, 59, 59, 999999, tzinfo=CST))
    _record(ledger, datetime(2024, 3, 2, 0, 0, tzinfo=CST))


def test_figures_count_one_local_day(ledger: Ledger, queries: PassageQueries) -> None:
    _busy_day(ledger)
    figures = daily_figures(queries, DAY, CST)
    assert figures.total == 5 and not figures.is_zero_report
    assert figures.passages_per_hour[7] == 2
    assert figures.passages_per_hour[17] == 2
    assert figures.passages_per_hour[19] == 1
    assert figures.outcomes == {
        Outcome.ADMIT: 2,
        Outcome.REMEASURE: 1,
        Outcome.REFER: 0,
        Outcome.TURN_AWAY: 2,
    }
    (revoked,) = figures.turn_away_reasons
    assert (revoked.code, revoked.count) == ("pass.revoked", 2)
    assert figures.abnormal_temperatures == 1  # 37.3 counts as abnormal
    assert figures.manual_temperatures == 1
    assert figures.without_temperature == 2
    bins = dict(figures.temperature_bins)
    assert bins["37.2"] == 1 and bins["36.4"] == 1 and bins["36.0"] == 1
    assert sum(bins.values()) == 3
    assert (figures.vehicles, figures.vehicles_turned_away) == (2, 1)  # not among the people


def test_the_pdf_carries_the_figures_in_chinese(
    ledger: Ledger, queries: PassageQueries, tmp_path: Path
) -> None:
    _busy_day(ledger)
    path = tmp_path / "daily.pdf"
    render_daily_report(
        daily_figures(queries, DAY, CST),
        path,
        mine_name="王庄煤矿",
        generated_at=datetime(2024, 3, 2, 8, 0, tzinfo=CST),
    )
    text = _text(path)
    assert "王庄煤矿 疫情防控卡口日报告" in text
    assert "2024-03-01 (UTC+08:00)" in text
    assert "每小时通行人次" in text and "体温分布" in text and "劝返原因" in text
    assert "pass.revoked" in text
    assert "车辆劝返 Vehicles turned away" in text
    assert "零报告" not in text
    assert list(tmp_path.glob("daily*")) == [path]  # no partial file left beside it


def test_a_day_without_passages_gets_a_zero_report(queries: PassageQueries, tmp_path: Path) -> None:
    figures = daily_figures(queries, DAY, CST, booth_ids=("north-gate",))
    assert figures.is_zero_report
    path = tmp_path / "zero.pdf"
    render_daily_report(figures, path, mine_name="", generated_at=datetime(2024, 3, 2, tzinfo=CST))
    text = _text(path)
    assert "零报告 Zero report" in text
    assert "本日无人员通行记录" in text
    assert "north-gate" in text


def test_no_chinese_font_is_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(fonts.FONT_ENV, "/nonexistent/font.ttf")
    with pytest.raises(fonts.ReportFontError, match="fonts-wqy-microhei"):
        fonts.find_cjk_font()
