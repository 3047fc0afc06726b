"""The daily report (日报告) as a mine sends it upward: an A4 PDF drawn with reportlab.

Why reportlab: it installs from PyPI as one BSD-licensed package with no Qt (the reports layer
must run headless and never import Qt), draws vector charts itself (no matplotlib/numpy stack
in the frozen build), and embeds a subset of a system TrueType font, so Chinese renders in any
PDF reader and stays searchable and copyable. The page is laid out with its flowables (platypus):
every table cell is a paragraph that wraps (Chinese wraps between any two characters), so no
text overprints, and the report runs on to further pages as the day needs.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from reportlab.graphics.charts.barcharts import VerticalBarChart
from reportlab.graphics.shapes import Drawing, String
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle
from reportlab.platypus.doctemplate import BaseDocTemplate

from gatehouse import __version__
from gatehouse.core.models import Outcome
from gatehouse.reports.columns import OUTCOME_WORDS
from gatehouse.reports.day_figures import ABNORMAL_C, DailyFigures
from gatehouse.reports.fonts import register_cjk_font

MARGIN = 36
UNAVAILABLE = "总部无此数据 Not available at the hub"
WIDTH = A4[0] - 2 * MARGIN
CHART_W = WIDTH / 2 - 6
CHART_H = 150
_GRID = colors.HexColor("#9e9e9e")
_HEAD = colors.HexColor("#ececec")


@dataclass(frozen=True)
class ReportPeople:
    """Who answers for the report, as the office asks for them (blank: a line to fill in)."""

    filled_in_by: str = ""
    approved_by: str = ""
    phone: str = ""


def render_daily_report(
    figures: DailyFigures,
    path: Path,
    *,
    mine_name: str,
    generated_at: datetime,
    people: ReportPeople = ReportPeople(),
) -> None:
    """Write the report for ``figures`` to ``path`` (via ``<name>.part``, renamed when done)."""
    font = register_cjk_font()
    partial = path.with_name(path.name + ".part")
    try:
        document = SimpleDocTemplate(
            str(partial),
            pagesize=A4,
            leftMargin=MARGIN,
            rightMargin=MARGIN,
            topMargin=MARGIN,
            bottomMargin=MARGIN,
            title=f"日报告 Daily report {figures.day.isoformat()}",
            author=f"Gatehouse {__version__}",
            pageCompression=1,
        )
        story = _Story(font).build(figures, mine_name, generated_at, people)

        def footer(canvas: Canvas, doc: BaseDocTemplate) -> None:
            canvas.setFont(font, 7)
            canvas.drawString(
                MARGIN,
                MARGIN / 2,
                f"{mine_name} 日报告 {figures.day.isoformat()} · 生成 Made "
                f"{generated_at:%Y-%m-%d %H:%M} · Gatehouse {__version__}",
            )
            canvas.drawRightString(A4[0] - MARGIN, MARGIN / 2, f"第 {doc.page} 页 Page {doc.page}")

        document.build(story, onFirstPage=footer, onLaterPages=footer)
        partial.replace(path)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise


class _Story:
    """The report's flowables, top to bottom."""

    def __init__(self, font: str) -> None:
        self.font = font
        self.body = ParagraphStyle("body", fontName=font, fontSize=9, leading=12, wordWrap="CJK")
        self.bold = ParagraphStyle("bold", parent=self.body, textColor=colors.black)
        self.heading = ParagraphStyle(
            "heading",
            parent=self.body,
            fontSize=11,
            leading=15,
            spaceBefore=8,
            spaceAfter=4,
            keepWithNext=1,  # never a heading alone at the foot of a page
        )
        self.title = ParagraphStyle(
            "title", parent=self.body, fontSize=16, leading=21, alignment=1, spaceAfter=2
        )

    def build(
        self, figures: DailyFigures, mine: str, made: datetime, people: ReportPeople
    ) -> list[Flowable]:
        story: list[Flowable] = [
            Paragraph(f"{_x(mine)} 疫情防控卡口日报告".strip(), self.title),
            Paragraph("Daily epidemic checkpoint report", _centred(self.body)),
            Spacer(1, 6),
            self._head(figures, mine, made, people),
        ]
        story += self._zero_notice(figures)
        story += self._unavailable_notice(figures)
        story += self._section("一、人员通行 People and passages", self._passages(figures))
        story += self._section("二、异常情况 Abnormal cases", self._abnormal(figures))
        story += self._section("三、访客与外委人员 Visitors and contractors", self._visits(figures))
        story += self._section(
            "四、转主管与主管改判 Referrals and overrides", self._overrides(figures)
        )
        story += self._section("五、分岗亭 By booth", self._booths(figures))
        story += self._section(
            "六、车辆(按来源与事由) Vehicles by origin and purpose", self._vehicles(figures)
        )
        story += self._section(
            "七、未放行原因(按类别) Reasons a passage was not admitted, by category",
            self._reasons(figures),
        )
        story += self._section(
            "八、通行与体温分布 Passages per hour, temperatures", self._charts(figures)
        )
        story += [Spacer(1, 18), self._signatures()]
        return story

    # -- the parts --

    def _head(
        self, figures: DailyFigures, mine: str, made: datetime, people: ReportPeople
    ) -> Table:
        booths = "、".join(figures.booth_ids) or "全部岗亭 all booths"
        day = figures.day.isoformat()
        if figures.cut_off is not None:
            period = f"{day} 00:00 至 {figures.cut_off:%H:%M}(截至 {figures.cut_off:%H:%M} as of)"
        else:
            period = f"{day} 00:00 至 24:00 (whole day)"
        rows = [
            ("填报单位 Reporting unit", mine or "________", "卡口 Booths", booths),
            (
                "报告期 Period",
                f"{period} {figures.zone_label}",
                "生成时间 Made",
                f"{made:%Y-%m-%d %H:%M}",
            ),
            (
                "填报人 Filled in by",
                people.filled_in_by or "________",
                "审核人 Approved by",
                people.approved_by or "________",
            ),
            (
                "联系电话 Phone",
                people.phone or "________",
                "体温异常阈值 Abnormal from",
                f"{ABNORMAL_C:.1f} °C",
            ),
        ]
        return self._table(
            [list(row) for row in rows], [0.2, 0.3, 0.2, 0.3], header=False, label_columns=(0, 2)
        )

    def _zero_notice(self, figures: DailyFigures) -> list[Flowable]:
        if not figures.is_zero_report:
            return []
        lines = ["<b>零报告 Zero report</b>:本日无异常情况 · No abnormal case today"]
        if figures.no_passage:
            lines.append("本日无人员或车辆通行 · No passage today")
        else:
            lines.append(
                f"本日通行 {figures.people} 人、{figures.total} 人次,均无异常 · "
                f"{figures.people} people, {figures.total} passages, none abnormal"
            )
        notice = Table(
            [[Paragraph("<br/>".join(lines), self.body)]],
            colWidths=[WIDTH],
            style=TableStyle(
                [
                    ("BACKGROUND", (0, 0), (-1, -1), colors.HexColor("#fff3cd")),
                    ("BOX", (0, 0), (-1, -1), 0.6, colors.HexColor("#c9a227")),
                    ("TOPPADDING", (0, 0), (-1, -1), 6),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), 6),
                ]
            ),
        )
        return [Spacer(1, 8), notice]

    def _unavailable_notice(self, figures: DailyFigures) -> list[Flowable]:
        """Says which figures this report cannot give, so none is read as a zero."""
        if figures.overrides_known:
            return []
        text = (
            f"<b>{UNAVAILABLE}</b>:主管改判记录在各岗亭的审计链中,本报告不含改判,"
            "结果按岗亭判定统计 · The supervisors' overrides stay in each booth's audit chain: "
            "this report counts outcomes as decided and cannot say how many were overridden."
        )
        return [Spacer(1, 6), Paragraph(text, self.body)]

    def _passages(self, figures: DailyFigures) -> Table:
        rows: list[list[Any]] = [
            ["项目 Item", "数量 Count"],
            ["通行人数(按人)People (distinct)", figures.people],
            ["通行人次 Passages", figures.total],
        ]
        for outcome in Outcome:
            zh, en = OUTCOME_WORDS[outcome.name]
            final = _known(figures, figures.final_outcomes[outcome])
            rows.append(
                [
                    f"{zh} {en}(人次,判定 / 改判后 as decided / after overrides)",
                    f"{figures.outcomes[outcome]} / {final}",
                ]
            )
        rows += [
            ["手工录入体温(人次)Manual temperature (passages)", figures.manual_temperatures],
            ["未测体温(人次)No temperature (passages)", figures.without_temperature],
        ]
        return self._table(rows, [0.75, 0.25])

    def _abnormal(self, figures: DailyFigures) -> Table:
        rows: list[list[Any]] = [
            ["项目 Item", "人数 People"],
            [
                f"初测体温异常(≥{ABNORMAL_C:.1f} °C)Abnormal at first reading",
                figures.fever_first_reading,
            ],
            ["复测确认体温异常 Abnormal confirmed on re-measure", figures.fever_confirmed],
            ["体温异常读数(人次)Abnormal readings (passages)", figures.abnormal_readings],
            [
                "中高风险地区来(返)人员 Arrivals from medium/high-risk areas",
                figures.risk_area_arrivals,
            ],
            ["低风险地区来(返),居家健康监测 Home health monitoring", figures.home_monitoring],
            ["居家隔离名单命中 On the home isolation list", figures.isolation_hits],
            ["健康码黄/红码或核酸阳性 Code not green or test positive", figures.code_not_green],
            ["异常人员合计 People with any abnormal case", figures.abnormal_people],
        ]
        return self._table(rows, [0.75, 0.25])

    def _visits(self, figures: DailyFigures) -> Table:
        rows: list[list[Any]] = [
            ["项目 Item", "人数 People", "人次 Passages"],
            ["访客 Visitors", *figures.visitors],
            ["其中未经审批 of them not approved", figures.visitors_unapproved, ""],
            ["外委人员 Contractors", *figures.contractors],
            [
                "其中未登记或不在登记有效期内 of them not registered for the day",
                figures.contractors_unregistered,
                "",
            ],
        ]
        return self._table(rows, [0.6, 0.2, 0.2])

    def _overrides(self, figures: DailyFigures) -> Table:
        referred = figures.outcomes[Outcome.REFER]
        rows: list[list[Any]] = [
            ["项目 Item", "人次 Passages"],
            [f"转主管 Referred to a supervisor({figures.referred_people} 人 people)", referred],
        ]
        if not figures.overrides:
            rows.append(["主管改判 Overrides", _known(figures, 0)])
        for line in figures.overrides:
            before, after = OUTCOME_WORDS[line.original.name], OUTCOME_WORDS[line.final.name]
            rows.append(
                [
                    f"主管改判 Override:{before[0]} → {after[0]} ({before[1]} → {after[1]})",
                    line.passages,
                ]
            )
        return self._table(rows, [0.75, 0.25])

    def _booths(self, figures: DailyFigures) -> Table:
        header = [
            "岗亭\nBooth",
            "人数\nPeople",
            "人次\nPassages",
            *(f"{OUTCOME_WORDS[o.name][0]}\n{OUTCOME_WORDS[o.name][1]}" for o in Outcome),
            "改判\nOverridden",
        ]
        rows: list[list[Any]] = [header]
        for line in figures.booths:
            rows.append(
                [
                    line.booth_id,
                    line.people,
                    line.passages,
                    *(line.outcomes[o] for o in Outcome),
                    _known(figures, line.overridden),
                ]
            )
        if not figures.booths:
            rows.append(["无 None", *([""] * (len(header) - 1))])
        return self._table(rows, [0.2, 0.1, 0.1, 0.12, 0.12, 0.12, 0.12, 0.12])

    def _vehicles(self, figures: DailyFigures) -> Table:
        rows: list[list[Any]] = [
            [
                "来源地 Origin",
                "事由 Purpose",
                "车辆\nVehicles",
                "通行\nAdmitted",
                "劝返\nTurned away",
            ]
        ]
        rows += [
            [line.origin, line.purpose, line.vehicles, line.admitted, line.turned_away]
            for line in figures.vehicles
        ]
        if not figures.vehicles:
            rows.append(["无 None", "", 0, 0, 0])
        return self._table(rows, [0.32, 0.2, 0.16, 0.16, 0.16])

    def _reasons(self, figures: DailyFigures) -> Table:
        rows: list[list[Any]] = [["类别 Category", "原因 Reason", "人数\nPeople", "人次\nPassages"]]
        rows += [
            [
                f"{line.category_zh} {line.category_en}",
                f"{line.zh} · {line.en}",
                line.people,
                line.passages,
            ]
            for line in figures.reasons
        ]
        if not figures.reasons:
            rows.append(["无 None", "", "", ""])
        return self._table(rows, [0.22, 0.54, 0.12, 0.12])

    def _charts(self, figures: DailyFigures) -> Table:
        hourly = _bars(
            self.font,
            "每小时通行人次 Passages per hour",
            [str(h) for h in range(24)],
            list(figures.passages_per_hour),
            colors.HexColor("#2457a6"),
            label_every=3,
        )
        temperatures = _bars(
            self.font,
            "体温分布 Temperatures (°C)",
            [name for name, _ in figures.temperature_bins],
            [count for _, count in figures.temperature_bins],
            colors.HexColor("#6a1b9a"),
            label_every=3,
        )
        return Table([[hourly, temperatures]], colWidths=[WIDTH / 2, WIDTH / 2])

    def _signatures(self) -> Table:
        line = "______________"
        rows = [
            [f"填报人(签字)Filled in by (signature):{line}", f"日期 Date:{line}"],
            [f"审核人(签字)Approved by (signature):{line}", f"日期 Date:{line}"],
        ]
        table = Table(
            [[Paragraph(cell, self.body) for cell in row] for row in rows],
            colWidths=[WIDTH * 0.62, WIDTH * 0.38],
        )
        table.setStyle(TableStyle([("TOPPADDING", (0, 0), (-1, -1), 10)]))
        return table

    # -- helpers --

    def _section(self, title: str, table: Flowable) -> list[Flowable]:
        return [Paragraph(title, self.heading), table]

    def _table(
        self,
        rows: Sequence[Sequence[Any]],
        shares: Sequence[float],
        *,
        header: bool = True,
        label_columns: Sequence[int] = (),
    ) -> Table:
        cells = [
            [Paragraph(_x(cell).replace("\n", "<br/>"), self.body) for cell in row] for row in rows
        ]
        table = Table(cells, colWidths=[WIDTH * share for share in shares], repeatRows=int(header))
        style = [
            ("GRID", (0, 0), (-1, -1), 0.4, _GRID),
            ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ("TOPPADDING", (0, 0), (-1, -1), 2),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
        ]
        if header:
            style.append(("BACKGROUND", (0, 0), (-1, 0), _HEAD))
        for column in label_columns:
            style.append(("BACKGROUND", (column, 0), (column, -1), _HEAD))
        table.setStyle(TableStyle(style))
        return table


def _x(value: Any) -> str:
    """A cell's text for a paragraph (which reads a little markup): &, < and > escaped."""
    text = "" if value is None else str(value)
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _centred(style: ParagraphStyle) -> ParagraphStyle:
    return ParagraphStyle(f"{style.name}-centred", parent=style, alignment=1)


def _axis_top(values: Sequence[int]) -> tuple[int, int]:
    """A value axis from 0 with at most about five whole-number steps."""
    top = max(1, *values) if values else 1
    step = max(1, -(-top // 5))
    return step * -(-top // step), step


def _bars(
    font: str,
    title: str,
    labels: Sequence[str],
    values: Sequence[int],
    colour: colors.Color,
    *,
    label_every: int = 1,
) -> Drawing:
    drawing = Drawing(CHART_W, CHART_H)
    drawing.add(String(0, CHART_H - 12, title, fontName=font, fontSize=9))
    if not any(values):
        drawing.add(
            String(
                CHART_W / 2,
                CHART_H / 2,
                "无数据 No data",
                fontName=font,
                fontSize=10,
                fillColor=colors.grey,
                textAnchor="middle",
            )
        )
    chart = VerticalBarChart()
    chart.x, chart.y, chart.width, chart.height = 28, 20, CHART_W - 36, CHART_H - 44
    chart.data = [tuple(values)]
    chart.categoryAxis.categoryNames = [
        name if index % label_every == 0 else "" for index, name in enumerate(labels)
    ]
    chart.categoryAxis.labels.fontName = font
    chart.categoryAxis.labels.fontSize = 7
    chart.valueAxis.labels.fontSize = 7
    chart.valueAxis.valueMin = 0
    chart.valueAxis.valueMax, chart.valueAxis.valueStep = _axis_top(values)
    chart.bars[0].fillColor = colour
    drawing.add(chart)
    return drawing


def _known(figures: DailyFigures, count: int) -> int | str:
    """An override figure, or the words saying it is not available (never a made-up 0)."""
    return count if figures.overrides_known else "—"
