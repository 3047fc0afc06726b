"""The daily report (日报告): a day built here, counted, and the PDF's text checked against the
ledger's own counts (people, fevers, overrides, referrals, vehicles); the zero report."""

from __future__ import annotations

import re
import sqlite3
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path

import pypdf
import pytest

from gatehouse.core.models import Outcome, Role
from gatehouse.core.reasons import Reason, mark_deciding
from gatehouse.core.rules.vehicles import VEHICLE_KIND
from gatehouse.reports import fonts
from gatehouse.reports.daily import daily_figures
from gatehouse.reports.daily_pdf import ReportPeople, render_daily_report
from gatehouse.store import Ledger
from gatehouse.store.queries import PassageQueries
from tests.factories import make_passage, record_override

CST = timezone(timedelta(hours=8))
DAY = date(2024, 3, 1)
START = datetime(2024, 3, 1, 7, 0, tzinfo=CST)
PASSED = Reason(
    "validity.ok", Outcome.ADMIT, "Pass valid until 2024-03-08", "通行证有效期至 2024-03-08"
)


def _why(code: str, outcome: Outcome, zh: str) -> tuple[Reason, ...]:
    """One person's reasons: the passing one first, then the one that decides (as a decision)."""
    return mark_deciding((PASSED, Reason(code, outcome, zh, zh)), outcome)


def _pass(
    ledger: Ledger, minutes: int, who: str, outcome: Outcome = Outcome.ADMIT, **fields: object
) -> str:
    fields.setdefault("reasons", mark_deciding((PASSED,), outcome))
    fields.setdefault("booth_id", "north-gate")
    fields.setdefault("temperature_c", 36.5)
    fields.setdefault("id_hash", f"hash-{who}")
    passage = make_passage(
        decided_at=(START + timedelta(minutes=minutes)).astimezone(UTC),
        pass_id=f"P-{who}",
        holder_name=who,
        outcome=outcome,
        **fields,
    )
    ledger.record(passage).result()
    return passage.passage_id


def _a_day(ledger: Ledger) -> None:
    for minutes in (0, 240, 540):  # one worker, three passages
        _pass(ledger, minutes, "张三")
    high = _why("temp.high", Outcome.REMEASURE, "复测体温 37.8 °C")
    _pass(ledger, 10, "李四", Outcome.REMEASURE, temperature_c=37.8, reasons=high)
    confirmed = _why("temp.confirmed_abnormal", Outcome.TURN_AWAY, "复测体温 37.9 °C,确认异常")
    _pass(ledger, 20, "李四", Outcome.TURN_AWAY, temperature_c=37.9, reasons=confirmed)
    _pass(
        ledger,
        30,
        "王五",
        Outcome.REMEASURE,
        temperature_c=37.5,
        reasons=_why("temp.high", Outcome.REMEASURE, "复测体温 37.5 °C"),
    )
    _pass(ledger, 40, "王五", temperature_c=36.8)  # fine on re-measure: a fever at first reading
    risk = _why("travel.risk_medium", Outcome.TURN_AWAY, "2024-02-26到访陕西省西安市雁塔区")
    turned = _pass(ledger, 50, "赵六", Outcome.TURN_AWAY, reasons=risk, booth_id="south-gate")
    record_override(ledger, turned, START + timedelta(hours=5))
    home = mark_deciding(
        (PASSED, Reason("travel.home_monitoring", Outcome.ADMIT, "home", "居家健康监测")),
        Outcome.ADMIT,
    )
    _pass(ledger, 60, "孙七", reasons=home)
    isolated = _why("list.isolation", Outcome.TURN_AWAY, "居家隔离至 2024-03-05")
    _pass(ledger, 70, "周八", Outcome.TURN_AWAY, reasons=isolated)
    unapproved = _why("list.visitor_unapproved", Outcome.REFER, "来访人员未经审批")
    for minutes in (80, 90):
        _pass(ledger, minutes, "吴九", Outcome.REFER, reasons=unapproved, role=Role.VISITOR.value)
    unregistered = _why("list.contractor_unregistered", Outcome.REFER, "外委人员未登记")
    _pass(
        ledger,
        100,
        "郑十",
        Outcome.REFER,
        reasons=unregistered,
        role=Role.CONTRACTOR.value,
        booth_id="south-gate",
    )
    _pass(ledger, 110, "钱一", role=Role.CONTRACTOR.value)
    for minutes, outcome in ((120, Outcome.ADMIT), (130, Outcome.TURN_AWAY), (140, Outcome.ADMIT)):
        _pass(
            ledger,
            minutes,
            f"蒙K·{minutes}",
            outcome,
            code_kind=VEHICLE_KIND,
            role=VEHICLE_KIND,
            temperature_c=None,
            id_hash=None,
            evidence={
                "origin": "鄂尔多斯市东胜区",
                "purpose": "supply" if minutes < 140 else "food",
            },
        )
    _pass(ledger, -7 * 60 - 1, "昨日")  # 23:59 the day before: not counted
    ledger.record(make_passage(decided_at=datetime(2024, 3, 2, tzinfo=CST))).result()


def _ledger_counts(ledger: Ledger) -> dict[str, int]:
    """The same day counted by SQL on the ledger itself, independently of the report's code."""
    start, end = START.replace(hour=0).astimezone(UTC), datetime(2024, 3, 2, tzinfo=CST)
    window = (
        f"decided_at >= '{start.isoformat(timespec='microseconds')}' AND decided_at < "
        f"'{end.astimezone(UTC).isoformat(timespec='microseconds')}'"
    )
    people = f"{window} AND code_kind != 'vehicle'"
    with sqlite3.connect(ledger.path) as conn:

        def one(sql: str) -> int:
            return int(conn.execute(sql).fetchone()[0])

        return {
            "people": one(f"SELECT count(DISTINCT id_hash) FROM passages WHERE {people}"),
            "passages": one(f"SELECT count(*) FROM passages WHERE {people}"),
            "confirmed": one(
                "SELECT count(DISTINCT id_hash) FROM passages WHERE "
                f"{people} AND reasons LIKE '%temp.confirmed_abnormal%'"
            ),
            "first_fever": one(
                "SELECT count(*) FROM (SELECT id_hash, temperature_c FROM passages p WHERE "
                f"{people} AND temperature_c IS NOT NULL AND decided_at = (SELECT min(decided_at) "
                "FROM passages q WHERE q.id_hash = p.id_hash AND q.temperature_c IS NOT NULL)) "
                "WHERE temperature_c >= 37.3"
            ),
            "referred": one(f"SELECT count(*) FROM passages WHERE {people} AND outcome = 'REFER'"),
            "overrides": one("SELECT count(*) FROM audit_events WHERE kind = 'override'"),
            "vehicles": one(
                f"SELECT count(*) FROM passages WHERE {window} AND code_kind = 'vehicle'"
            ),
        }


def _text(path: Path) -> str:
    pages = pypdf.PdfReader(path).pages
    return re.sub(r"\s+", " ", "\n".join(page.extract_text() for page in pages))


def test_the_figures_count_people_and_passages_apart(
    ledger: Ledger, queries: PassageQueries
) -> None:
    _a_day(ledger)
    figures = daily_figures(queries, DAY, CST)
    counts = _ledger_counts(ledger)
    assert (figures.people, figures.total) == (counts["people"], counts["passages"]) == (9, 14)
    assert figures.fever_first_reading == counts["first_fever"] == 2  # 李四 and 王五
    assert figures.fever_confirmed == counts["confirmed"] == 1  # 李四 only
    assert figures.abnormal_readings == 3  # three readings, two people
    assert figures.outcomes[Outcome.TURN_AWAY] == 3
    assert figures.final_outcomes[Outcome.TURN_AWAY] == 2  # 赵六 was let in after all
    assert figures.outcomes[Outcome.REFER] == counts["referred"] == 3
    assert figures.referred_people == 2
    (override,) = figures.overrides
    assert (override.original, override.final, override.passages) == (
        Outcome.TURN_AWAY,
        Outcome.ADMIT,
        counts["overrides"],
    )
    assert (figures.risk_area_arrivals, figures.home_monitoring, figures.isolation_hits) == (
        1,
        1,
        1,
    )
    assert figures.visitors == (1, 2) and figures.visitors_unapproved == 1
    assert figures.contractors == (2, 2) and figures.contractors_unregistered == 1
    assert figures.vehicle_count == counts["vehicles"] == 3
    assert [(v.purpose, v.vehicles, v.admitted, v.turned_away) for v in figures.vehicles] == [
        ("food", 1, 1, 0),
        ("supply", 2, 1, 1),
    ]
    assert [(b.booth_id, b.passages, b.overridden) for b in figures.booths] == [
        ("north-gate", 12, 0),
        ("south-gate", 2, 1),
    ]
    labels = {
        line.code: (line.category_zh, line.zh, line.people, line.passages)
        for line in figures.reasons
    }
    assert labels["travel.risk_medium"] == ("行程", "14天内到访中风险地区", 1, 1)
    assert labels["list.visitor_unapproved"][2:] == (1, 2)
    assert "validity.ok" not in labels  # a passing reason never decided a turn-away
    assert not figures.is_zero_report and figures.abnormal_people == 4


def test_the_pdf_says_what_the_ledger_holds(
    ledger: Ledger, queries: PassageQueries, tmp_path: Path
) -> None:
    _a_day(ledger)
    counts = _ledger_counts(ledger)
    path = tmp_path / "daily.pdf"
    made = datetime(2024, 3, 2, 8, 0, tzinfo=CST)
    render_daily_report(
        daily_figures(queries, DAY, CST, now=made),
        path,
        mine_name="王庄煤矿",
        generated_at=made,
        people=ReportPeople("李科长", "王主任", "0477-8881234"),
    )
    text = _text(path)
    assert "王庄煤矿 疫情防控卡口日报告" in text
    assert "填报单位 Reporting unit 王庄煤矿" in text
    assert "2024-03-01 00:00 至 24:00" in text and "UTC+08:00" in text
    assert "李科长" in text and "王主任" in text and "0477-8881234" in text
    assert "填报人(签字)" in text and "审核人(签字)" in text
    assert f"通行人数(按人)People (distinct) {counts['people']}" in text
    assert f"通行人次 Passages {counts['passages']}" in text
    assert f"Abnormal at first reading {counts['first_fever']}" in text
    assert f"Abnormal confirmed on re-measure {counts['confirmed']}" in text
    assert f"Referred to a supervisor(2 人 people) {counts['referred']}" in text
    assert f"劝返 → 通行 (turn away → admit) {counts['overrides']}" in text
    assert "鄂尔多斯市东胜区 supply 2 1 1" in text
    assert "14天内到访中风险地区" in text and "雁塔区" not in text  # neutral words only
    assert "通行证有效期至" not in text
    assert "零报告" not in text
    assert list(tmp_path.glob("daily*")) == [path]  # no partial file left beside it


def test_a_report_made_during_the_day_counts_up_to_its_cut_off(
    ledger: Ledger, queries: PassageQueries, tmp_path: Path
) -> None:
    _a_day(ledger)
    noon = START.replace(minute=25)  # after 李四's second reading, before 王五 came
    figures = daily_figures(queries, DAY, CST, now=noon)
    assert figures.cut_off == noon and figures.total == 3
    path = tmp_path / "noon.pdf"
    render_daily_report(figures, path, mine_name="王庄煤矿", generated_at=noon)
    assert "截至 07:25" in _text(path)


def test_a_contractor_outside_their_registered_days_counts_as_not_registered(
    ledger: Ledger, queries: PassageQueries
) -> None:
    ended = _why("list.contractor_ended", Outcome.REFER, "外委人员登记已于2024-02-29到期")
    early = _why("list.contractor_not_yet", Outcome.REFER, "外委人员登记自2024-03-02起生效")
    for minutes, who, reasons in ((0, "郑十", ended), (10, "钱一", early), (20, "郑十", ended)):
        _pass(ledger, minutes, who, Outcome.REFER, reasons=reasons, role=Role.CONTRACTOR.value)
    _pass(ledger, 30, "孙二", role=Role.CONTRACTOR.value)
    figures = daily_figures(queries, DAY, CST)
    assert figures.contractors == (3, 4) and figures.contractors_unregistered == 2
    labels = {line.code: line.en for line in figures.reasons}
    assert labels["list.contractor_ended"] == "Contractor registration ended"
    assert labels["list.contractor_not_yet"] == "Contractor registration not yet in force"


def test_a_quiet_day_is_a_zero_report_and_an_empty_day_says_so(
    ledger: Ledger, queries: PassageQueries, tmp_path: Path
) -> None:
    _pass(ledger, 0, "张三")
    quiet = daily_figures(queries, DAY, CST)
    assert quiet.is_zero_report and not quiet.no_passage
    path = tmp_path / "quiet.pdf"
    render_daily_report(quiet, path, mine_name="", generated_at=datetime(2024, 3, 2, tzinfo=CST))
    text = _text(path)
    assert "零报告 Zero report:本日无异常情况" in text and "本日通行 1 人、1 人次" in text
    empty = daily_figures(queries, DAY + timedelta(days=3), CST, booth_ids=("north-gate",))
    assert empty.is_zero_report and empty.no_passage
    render_daily_report(empty, path, mine_name="", generated_at=datetime(2024, 3, 5, tzinfo=CST))
    text = _text(path)
    assert "本日无异常情况" in text and "本日无人员或车辆通行" in text and "north-gate" in text


def test_no_chinese_font_is_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(fonts.FONT_ENV, "/nonexistent/font.ttf")
    with pytest.raises(fonts.ReportFontError, match="fonts-wqy-microhei"):
        fonts.find_cjk_font()
