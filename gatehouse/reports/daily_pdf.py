"""The daily report as a one-page A4 PDF with four charts, drawn with reportlab.

Why reportlab: it installs from PyPI as one BSD-licensed package with no Qt (the reports layer
must run headless and never import Qt), draws vector charts itself (no matplotlib/numpy stack
in the frozen build), and embeds a subset of a system TrueType font, so Chinese renders in any
PDF reader and stays searchable and copyable.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path

from reportlab.graphics.charts.barcharts import HorizontalBarChart, VerticalBarChart
from reportlab.graphics.shapes import Drawing, String
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen.canvas import Canvas

from gatehouse import __version__
from gatehouse.core.models import Outcome
from gatehouse.reports.columns import OUTCOME_WORDS
from gatehouse.reports.day_figures import ABNORMAL_C, DailyFigures
from gatehouse.reports.fonts import register_cjk_font

MARGIN = 40
CHART_W = 250
CHART_H = 170
TOP_REASONS = 8
_OUTCOME_COLOURS = {
    Outcome.ADMIT: colors.HexColor("#1b7f3b"),
    Outcome.REMEASURE: colors.HexColor("#c77700"),
    Outcome.REFER: colors.HexColor("#2457a6"),
    Outcome.TURN_AWAY: colors.HexColor("#b3261e"),
}


def render_daily_report(
    figures: DailyFigures, path: Path, *, mine_name: str, generated_at: datetime
) -> None:
    """Write the report for ``figures`` to ``path`` (via ``<name>.part``, renamed when done)."""
    font = register_cjk_font()
    partial = path.with_name(path.name + ".part")
    try:
        canvas = Canvas(str(partial), pagesize=A4, pageCompression=1)
        canvas.setTitle(f"日报告 Daily report {figures.day.isoformat()}")
        canvas.setAuthor(f"Gatehouse {__version__}")
        _draw_page(canvas, font, figures, mine_name, generated_at)
        canvas.save()
        partial.replace(path)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise


def _draw_page(
    canvas: Canvas, font: str, figures: DailyFigures, mine_name: str, generated_at: datetime
) -> None:
    width, height = A4
    y = height - MARGIN - 10
    canvas.setFont(font, 18)
    title = "疫情防控卡口日报告 · Daily checkpoint report"
    canvas.drawString(MARGIN, y, f"{mine_name} {title}".strip())
    y -= 22
    canvas.setFont(font, 11)
    booths = "、".join(figures.booth_ids) or "全部 all"
    canvas.drawString(
        MARGIN,
        y,
        f"日期 Date: {figures.day.isoformat()} ({figures.zone_label})    岗亭 Booths: {booths}",
    )
    y -= 26
    if figures.is_zero_report:
        canvas.setFillColor(colors.HexColor("#fff3cd"))
        canvas.rect(MARGIN, y - 34, width - 2 * MARGIN, 42, stroke=0, fill=1)
        canvas.setFillColor(colors.black)
        canvas.setFont(font, 15)
        canvas.drawString(MARGIN + 10, y - 12, "零报告 Zero report")
        canvas.setFont(font, 10)
        canvas.drawString(
            MARGIN + 10, y - 28, "本日无人员通行记录 · No passages were recorded on this day"
        )
        y -= 50
    y = _draw_summary(canvas, font, figures, y)
    charts = (
        _bars(
            font,
            "每小时通行人次 Passages per hour",
            [str(h) for h in range(24)],
            list(figures.passages_per_hour),
            colors.HexColor("#2457a6"),
            label_every=3,
        ),
        _bars(
            font,
            "结果 Outcomes",
            [OUTCOME_WORDS[o.name][0] for o in Outcome],
            [figures.outcomes[o] for o in Outcome],
            None,
        ),
        _reasons_chart(font, figures),
        _bars(
            font,
            "体温分布 Temperature distribution (°C)",
            [label for label, _ in figures.temperature_bins],
            [count for _, count in figures.temperature_bins],
            colors.HexColor("#6a1b9a"),
            label_every=3,
        ),
    )
    top = y - 8
    for index, drawing in enumerate(charts):
        column, row = index % 2, index // 2
        drawing.drawOn(canvas, MARGIN + column * (CHART_W + 15), top - (row + 1) * (CHART_H + 20))
    y = top - 2 * (CHART_H + 20) - 28
    _draw_reason_list(canvas, font, figures, y)
    canvas.setFont(font, 8)
    canvas.drawString(
        MARGIN,
        MARGIN / 2,
        f"生成时间 Generated {generated_at:%Y-%m-%d %H:%M} · Gatehouse {__version__} · "
        f"体温异常阈值 abnormal from {ABNORMAL_C:.1f} °C",
    )


def _draw_summary(canvas: Canvas, font: str, figures: DailyFigures, y: float) -> float:
    items = [
        ("通行人次 Passages", figures.total),
        *(
            (f"{OUTCOME_WORDS[o.name][0]} {OUTCOME_WORDS[o.name][1]}", figures.outcomes[o])
            for o in Outcome
        ),
        (f"体温异常 ≥{ABNORMAL_C:.1f} °C", figures.abnormal_temperatures),
        ("手工录入体温 Manual temperature", figures.manual_temperatures),
        ("未测体温 No temperature", figures.without_temperature),
        ("车辆 Vehicles", figures.vehicles),
        ("车辆劝返 Vehicles turned away", figures.vehicles_turned_away),
    ]
    canvas.setFont(font, 10)
    column_width = (A4[0] - 2 * MARGIN) / 2
    for index, (label, value) in enumerate(items):
        x = MARGIN + (index % 2) * column_width
        line_y = y - (index // 2) * 16
        canvas.drawString(x, line_y, label)
        canvas.drawRightString(x + column_width - 20, line_y, str(value))
    return y - math.ceil(len(items) / 2) * 16


def _chart_frame(font: str, title: str, empty: bool) -> Drawing:
    drawing = Drawing(CHART_W, CHART_H)
    drawing.add(String(0, CHART_H - 12, title, fontName=font, fontSize=10))
    if empty:
        drawing.add(
            String(
                CHART_W / 2,
                CHART_H / 2,
                "无数据 No data",
                fontName=font,
                fontSize=11,
                fillColor=colors.grey,
                textAnchor="middle",
            )
        )
    return drawing


def _axis_top(values: Sequence[int]) -> tuple[int, int]:
    """A value axis from 0 with at most about five whole-number steps."""
    top = max(1, *values) if values else 1
    step = max(1, math.ceil(top / 5))
    return step * math.ceil(top / step), step


def _bars(
    font: str,
    title: str,
    labels: Sequence[str],
    values: Sequence[int],
    colour: colors.Color | None,
    *,
    label_every: int = 1,
) -> Drawing:
    drawing = _chart_frame(font, title, empty=not any(values))
    chart = VerticalBarChart()
    chart.x, chart.y, chart.width, chart.height = 30, 22, CHART_W - 40, CHART_H - 48
    chart.data = [tuple(values)]
    chart.categoryAxis.categoryNames = [
        label if index % label_every == 0 else "" for index, label in enumerate(labels)
    ]
    chart.categoryAxis.labels.fontName = font
    chart.categoryAxis.labels.fontSize = 7
    chart.valueAxis.labels.fontSize = 7
    chart.valueAxis.valueMin = 0
    chart.valueAxis.valueMax, chart.valueAxis.valueStep = _axis_top(values)
    if colour is None:  # one colour per outcome
        for index, outcome in enumerate(Outcome):
            chart.bars[(0, index)].fillColor = _OUTCOME_COLOURS[outcome]
    else:
        chart.bars[0].fillColor = colour
    drawing.add(chart)
    return drawing


def _reasons_chart(font: str, figures: DailyFigures) -> Drawing:
    shown = figures.turn_away_reasons[:TOP_REASONS]
    drawing = _chart_frame(font, "劝返原因 Turn-away reasons", empty=not shown)
    if not shown:
        return drawing
    chart = HorizontalBarChart()
    chart.x, chart.y, chart.width, chart.height = 120, 14, CHART_W - 130, CHART_H - 40
    ordered = list(reversed(shown))  # the most frequent at the top
    chart.data = [tuple(r.count for r in ordered)]
    chart.categoryAxis.categoryNames = [_short(r.zh or r.code, 9) for r in ordered]
    chart.categoryAxis.labels.fontName = font
    chart.categoryAxis.labels.fontSize = 7
    chart.valueAxis.labels.fontSize = 7
    chart.valueAxis.valueMin = 0
    chart.valueAxis.valueMax, chart.valueAxis.valueStep = _axis_top([r.count for r in ordered])
    chart.bars[0].fillColor = _OUTCOME_COLOURS[Outcome.TURN_AWAY]
    drawing.add(chart)
    return drawing


def _draw_reason_list(canvas: Canvas, font: str, figures: DailyFigures, y: float) -> None:
    canvas.setFont(font, 10)
    canvas.drawString(MARGIN, y, "劝返原因明细 Turn-away reasons in full")
    canvas.setFont(font, 8)
    if not figures.turn_away_reasons:
        canvas.drawString(MARGIN, y - 14, "无 None")
        return
    for index, reason in enumerate(figures.turn_away_reasons):
        line_y = y - 14 * (index + 1)
        if line_y < MARGIN:
            canvas.drawString(MARGIN, line_y, "…")
            return
        canvas.drawString(MARGIN, line_y, _short(f"{reason.zh} · {reason.en}", 80))
        canvas.drawString(A4[0] - MARGIN - 150, line_y, reason.code)
        canvas.drawRightString(A4[0] - MARGIN, line_y, str(reason.count))


def _short(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
