"""Monthly reports per unit (XLSX with four sheets, PDF with a cover, charts and page numbers), in Chinese, on
demand and on schedule. The PDF embeds its font (a subset of WenQuanYi Micro Hei shipped in data/fonts), so it
opens and prints the same on a machine with no Chinese font.

The scheduled job `dashboard.monthly_reports` writes last month's reports for every district, street and community under
MEDIA_ROOT/reports/<YYYY-MM>/ and records them (MonthlyReport); the reports page lists them.
"""

from __future__ import annotations

import calendar
import datetime as dt
import io
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill

from linli.appeals.figures import TIERS
from linli.core.scoping import Viewer, WholeTree
from linli.territory.models import OrgNode

from .models import MonthlyReport
from .periods import today
from .selectors import (
    Period,
    Scope,
    breached_appeals,
    by_category,
    figures,
    ranking,
    trend,
)

REPORT_LANGUAGE = "zh-hans"
# The report is a Chinese document filed with the tier above: its labels are written in Chinese here.
TIER_ZH = {
    "grid": "网格",
    "compound": "小区",
    "community": "社区",
    "street": "街道",
    "district": "区级",
    "department": "职能部门",
}
BATCH = 20


@dataclass
class ReportContent:
    unit: str
    month: dt.date
    figures: dict[str, Any]
    ranking: list[dict[str, Any]]
    categories: list[dict[str, Any]]
    breached: list[dict[str, Any]]
    trend: list[dict[str, Any]]
    generated_at: dt.datetime

    @property
    def title(self) -> str:
        return f"{self.unit} {self.month.year}年{self.month.month}月 接诉即办工作月报"

    @property
    def period(self) -> str:
        last = calendar.monthrange(self.month.year, self.month.month)[1]
        return f"{self.month.year}年{self.month.month}月1日至{self.month.month}月{last}日受理的诉求"


def monthly_report(scope: Scope, month: dt.date, user: Viewer) -> ReportContent:
    month = month.replace(day=1)
    period = Period("month", month, month.replace(day=calendar.monthrange(month.year, month.month)[1]))
    breached = [
        {
            "tracking_number": a.tracking_number,
            "received_at": timezone.localtime(a.created_at).strftime("%Y-%m-%d %H:%M"),
            "category": str(a.category) if a.category_id else "",
            "title": a.title,
            "unit": a.unit_name,
            "due": timezone.localtime(a.resolve_due_at).strftime("%Y-%m-%d %H:%M")
            if a.resolve_due_at
            else "",
            "state": a.get_state_display(),
        }
        for a in breached_appeals(scope, period, limit=1000)
    ]
    with translation.override(REPORT_LANGUAGE):
        for a in breached:
            a["state"] = str(a["state"])
    return ReportContent(
        unit=scope.name,
        month=month,
        figures=figures(scope, period),
        ranking=ranking(scope, period, user),
        categories=by_category(scope, period),
        breached=breached,
        trend=trend(scope, period, step="day"),
        generated_at=timezone.localtime(),
    )


def _pct(value: float | None) -> str:
    return "—" if value is None else f"{value * 100:.1f}%"


def _num(value: Any) -> Any:
    return "—" if value is None else value


def summary_rows(f: dict[str, Any]) -> list[tuple[str, Any]]:
    """The figures of the summary sheet, label and value (rates as percentages)."""
    rows: list[tuple[str, Any]] = [
        ("受理诉求", f["received"]),
        ("计入考核诉求", f["counted"]),
        ("办结", f["concluded"]),
        ("解决", f["fixed"]),
        ("在办", f["open"]),
        ("超期在办(未办结且已过办结时限)", f["overdue_open"]),
        ("曾超期诉求(含超期后办结)", f["breached"]),
        ("响应率", _pct(f["response_rate"])),
        ("解决率", _pct(f["resolution_rate"])),
        ("满意率", _pct(f["satisfaction_rate"])),
        ("按时办结率(按时办结 ÷ (办结 + 超期在办))", _pct(f["on_time_rate"])),
        ("平均办理时长(工作日)", _num(f["avg_handling_days"])),
        ("办理时长中位数(工作日)", _num(f["median_handling_days"])),
        ("退单率", _pct(f["return_rate"])),
        ("重办率", _pct(f["rework_rate"])),
        ("社区及以下办结占比(大事不出社区)", _pct(f["community_share"])),
    ]

    for t in TIERS:
        rows.append((f"在{TIER_ZH[t]}办结占比", _pct(f["closed_at_tier"].get(t, 0.0))))
    return rows


UNIT_COLUMNS = [
    ("name", "单位"),
    ("received", "受理诉求"),
    ("concluded", "办结"),
    ("open", "在办"),
    ("overdue_open", "超期在办"),
    ("response_rate", "响应率"),
    ("resolution_rate", "解决率"),
    ("satisfaction_rate", "满意率"),
    ("on_time_rate", "按时办结率"),
    ("avg_handling_days", "平均办理时长(工作日)"),
]


def _cell(key: str, value: Any) -> Any:
    if key.endswith("_rate"):
        return None if value is None else round(value * 100, 1)
    return value


def report_xlsx(content: ReportContent) -> bytes:
    with translation.override(REPORT_LANGUAGE):
        wb = Workbook()
        bold = Font(bold=True)
        head_fill = PatternFill("solid", fgColor="DCE6F2")
        ws = wb.active
        assert ws is not None
        ws.title = "汇总"
        ws.append([content.title])
        ws["A1"].font = Font(bold=True, size=14)
        ws.append(["生成时间", content.generated_at.strftime("%Y-%m-%d %H:%M")])
        ws.append([])
        ws.append(["指标", "数值"])
        for c in ws[4]:
            c.font, c.fill = bold, head_fill
        for label, value in summary_rows(content.figures):
            ws.append([label, value])
        ws.column_dimensions["A"].width = 44
        ws.column_dimensions["B"].width = 16

        def table(
            title: str, columns: list[tuple[str, str]], items: list[dict[str, Any]], first: str
        ) -> None:
            sheet = wb.create_sheet(title)
            sheet.append(
                [
                    first,
                    *[f"{label}{' (%)' if key.endswith('_rate') else ''}" for key, label in columns[1:]],
                ]
            )
            for c in sheet[1]:
                c.font, c.fill = bold, head_fill
            for item in items:
                sheet.append([item[columns[0][0]], *[_cell(k, item[k]) for k, _l in columns[1:]]])
            total = [
                "合计",
                *[
                    content.figures[k] if not k.endswith(("_rate", "_days")) else None
                    for k, _l in columns[1:]
                ],
            ]
            sheet.append(total)
            for c in sheet[sheet.max_row]:
                c.font = bold
            sheet.column_dimensions["A"].width = 24
            for i in range(2, len(columns) + 1):
                sheet.column_dimensions[chr(64 + i)].width = 14

        table("按单位", UNIT_COLUMNS, content.ranking, "单位")
        table("按类别", UNIT_COLUMNS, content.categories, "类别")
        ws4 = wb.create_sheet("超期诉求")
        ws4.append(
            [
                "工单编号",
                "受理时间",
                "类别",
                "标题",
                "责任单位",
                "办结时限",
                "状态",
            ]
        )
        for c in ws4[1]:
            c.font, c.fill = bold, head_fill
        for b in content.breached:
            ws4.append(
                [
                    b["tracking_number"],
                    b["received_at"],
                    b["category"],
                    b["title"],
                    b["unit"],
                    b["due"],
                    b["state"],
                ]
            )
        for col, width in zip("ABCDEFG", [18, 17, 24, 30, 18, 17, 10], strict=True):
            ws4.column_dimensions[col].width = width
        buf = io.BytesIO()
        wb.save(buf)
        return buf.getvalue()


FONT_NAME = "LinliSans"
FONT_FILE = Path(__file__).resolve().parent / "data" / "fonts" / "wqy-microhei-subset.ttf"


def _report_font() -> str:
    """The report font, registered once: a TrueType font that reportlab embeds as a subset of the glyphs used."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    if FONT_NAME not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont(FONT_NAME, str(FONT_FILE)))
    return FONT_NAME


def _numbered_canvas(font: str) -> type:
    """A canvas that keeps every page until the end, then writes "第 x 页 / 共 y 页" at the foot of each."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.units import mm
    from reportlab.pdfgen.canvas import Canvas

    class NumberedCanvas(Canvas):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self._pages: list[dict[str, Any]] = []

        def showPage(self) -> None:  # reportlab's name
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            total = len(self._pages)
            for number, state in enumerate(self._pages, start=1):
                self.__dict__.update(state)
                self.setFont(font, 8)
                self.setFillGray(0.35)
                self.drawCentredString(A4[0] / 2, 8 * mm, f"第 {number} 页 / 共 {total} 页")
                super().showPage()
            super().save()

    return NumberedCanvas


def report_pdf(content: ReportContent) -> bytes:
    from xml.sax.saxutils import escape

    from reportlab.graphics.charts.barcharts import HorizontalBarChart, VerticalBarChart
    from reportlab.graphics.shapes import Drawing
    from reportlab.lib import colors
    from reportlab.lib.enums import TA_CENTER
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import PageBreak, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    font = _report_font()
    h1 = ParagraphStyle("h1", fontName=font, fontSize=16, leading=22, spaceAfter=6)
    h2 = ParagraphStyle("h2", fontName=font, fontSize=12, leading=18, spaceBefore=8, spaceAfter=4)
    body = ParagraphStyle("body", fontName=font, fontSize=9, leading=13)
    cover_title = ParagraphStyle("cover", fontName=font, fontSize=24, leading=34, alignment=TA_CENTER)
    cover_line = ParagraphStyle("cover-line", fontName=font, fontSize=13, leading=22, alignment=TA_CENTER)
    grid_style = TableStyle(
        [
            ("FONT", (0, 0), (-1, -1), font, 8.5),
            ("GRID", (0, 0), (-1, -1), 0.4, colors.HexColor("#9ca3af")),
            ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#dce6f2")),
            ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ]
    )
    with translation.override(REPORT_LANGUAGE):
        m = content.month
        story: list[Any] = [
            Spacer(1, 60 * mm),
            Paragraph(escape(content.unit), cover_line),
            Spacer(1, 6 * mm),
            Paragraph(f"{m.year}年{m.month}月 接诉即办工作月报", cover_title),
            Spacer(1, 14 * mm),
            Paragraph(f"统计范围：{escape(content.unit)}及下辖各单位", cover_line),
            Paragraph(f"统计周期：{content.period}", cover_line),
            Paragraph(f"生成时间：{content.generated_at:%Y-%m-%d %H:%M}", cover_line),
            Spacer(1, 30 * mm),
            Paragraph(
                "口径：按受理时间统计本月受理的诉求，其办理结果截至生成时间。"
                "按时办结率 = 按时办结 ÷（办结 + 超期在办）；超期在办 = 未办结且已过办结时限；"
                "曾超期诉求含超期后办结的诉求。",
                body,
            ),
            PageBreak(),
            Paragraph(escape(content.title), h1),
            Paragraph("汇总", h2),
        ]
        rows = summary_rows(content.figures)
        half = (len(rows) + 1) // 2
        cell = ParagraphStyle("cell", fontName=font, fontSize=8.5, leading=11)
        pairs = [
            [
                Paragraph(escape(a[0]), cell),
                str(a[1]),
                *(
                    [Paragraph(escape(rows[i + half][0]), cell), str(rows[i + half][1])]
                    if i + half < len(rows)
                    else ["", ""]
                ),
            ]
            for i, a in enumerate(rows[:half])
        ]
        t = Table(
            [["指标", "数值", "指标", "数值"], *pairs],
            colWidths=[62 * mm, 24 * mm, 62 * mm, 24 * mm],
        )
        t.setStyle(grid_style)
        story.append(t)

        # Chart 1: appeals received per day.
        story.append(Paragraph("每日受理量", h2))
        d = Drawing(170 * mm, 60 * mm)
        chart = VerticalBarChart()
        chart.x, chart.y, chart.width, chart.height = 12 * mm, 10 * mm, 150 * mm, 45 * mm
        chart.data = [[p["received"] for p in content.trend] or [0]]
        chart.categoryAxis.categoryNames = [p["start"][8:] for p in content.trend] or [""]
        chart.categoryAxis.labels.fontName = font
        chart.categoryAxis.labels.fontSize = 6
        chart.valueAxis.labels.fontName = font
        chart.valueAxis.labels.fontSize = 7
        chart.valueAxis.valueMin = 0
        chart.bars[0].fillColor = colors.HexColor("#2563eb")
        d.add(chart)
        story.append(d)

        # Chart 2: the largest categories.
        cats = content.categories[:10]
        if cats:
            story.append(Paragraph("各类别诉求量", h2))
            d2 = Drawing(170 * mm, max(30, 8 * len(cats)) * mm)
            hb = HorizontalBarChart()
            hb.x, hb.y = 40 * mm, 5 * mm
            hb.width, hb.height = 120 * mm, (max(30, 8 * len(cats)) - 10) * mm
            hb.data = [[c["received"] for c in reversed(cats)]]
            hb.categoryAxis.categoryNames = [c["name"] for c in reversed(cats)]
            hb.categoryAxis.labels.fontName = font
            hb.categoryAxis.labels.fontSize = 8
            hb.valueAxis.valueMin = 0
            hb.valueAxis.labels.fontName = font
            hb.valueAxis.labels.fontSize = 7
            hb.bars[0].fillColor = colors.HexColor("#16a34a")
            d2.add(hb)
            story.append(d2)

        if content.ranking:
            story.append(Paragraph("按单位", h2))
            head = [label for _k, label in UNIT_COLUMNS]
            data = [head] + [
                [
                    str(r["name"]),
                    *[(_pct(r[k]) if k.endswith("_rate") else str(_num(r[k]))) for k, _l in UNIT_COLUMNS[1:]],
                ]
                for r in content.ranking
            ]
            t2 = Table(data, repeatRows=1)
            t2.setStyle(grid_style)
            story.append(t2)
        story.append(Paragraph("曾超期诉求（含超期后办结）", h2))
        if content.breached:
            # The texts wrap in their cells, whole: cut to fit, a title read as something else.
            data = [["工单编号", "类别", "标题", "责任单位", "办结时限", "状态"]] + [
                [
                    b["tracking_number"],
                    Paragraph(escape(b["category"]), cell),
                    Paragraph(escape(b["title"]), cell),
                    Paragraph(escape(b["unit"]), cell),
                    b["due"],
                    b["state"],
                ]
                for b in content.breached[:200]
            ]
            widths = [31 * mm, 32 * mm, 52 * mm, 24 * mm, 27 * mm, 14 * mm]  # the page's 180 mm
            t3 = Table(data, colWidths=widths, repeatRows=1)
            t3.setStyle(grid_style)
            story.append(t3)
        else:
            story.append(Paragraph("本月受理的诉求均未超期。", body))
        buf = io.BytesIO()
        doc = SimpleDocTemplate(
            buf,
            pagesize=A4,
            leftMargin=15 * mm,
            rightMargin=15 * mm,
            topMargin=15 * mm,
            bottomMargin=18 * mm,
            title=content.title,
            author="邻里",
        )
        doc.build(story, canvasmaker=_numbered_canvas(font))
        return buf.getvalue()


def reports_root() -> Path:
    return Path(settings.MEDIA_ROOT) / "reports"


def report_path(relative: str) -> Path:
    root = reports_root().resolve()
    path = (root / relative).resolve()
    if root not in path.parents:
        raise ValueError("report path outside the reports folder")
    return path


def last_month(day: dt.date | None = None) -> dt.date:
    day = day or today()
    return (day.replace(day=1) - dt.timedelta(days=1)).replace(day=1)


def monthly_reports_write(*, month: dt.date | None = None, batch: int = BATCH) -> int:
    """Write last month's XLSX and PDF for streets and communities that have none yet (a batch per run).

    Each unit is claimed by inserting its MonthlyReport row first (unique per unit and month), so two workers
    never write the same report; a row whose files are missing is finished by the next run."""
    month = (month or last_month()).replace(day=1)
    user = WholeTree()  # the scheduled job
    done = 0
    folder = reports_root() / f"{month:%Y-%m}"
    nodes = OrgNode.objects.filter(kind__in=["district", "street", "community"]).order_by("path")
    existing = dict(MonthlyReport.objects.filter(month=month).values_list("node_id", "xlsx"))
    for node in nodes:
        if done >= batch:
            break
        if existing.get(node.pk):
            continue
        if node.pk in existing:
            stale = timezone.now() - dt.timedelta(minutes=10)
            if MonthlyReport.objects.filter(node_id=node.pk, month=month, created_at__gt=stale).exists():
                continue  # another worker claimed it a moment ago
        else:
            try:
                with transaction.atomic():
                    MonthlyReport.objects.create(
                        node_id=node.pk,
                        node_name=node.name,
                        node_path=node.path,
                        month=month,
                        xlsx="",
                        pdf="",
                    )
            except IntegrityError:
                continue
        scope = Scope(level=str(node.kind), name=node.name, path=node.path, node=node)
        content = monthly_report(scope, month, user)
        folder.mkdir(parents=True, exist_ok=True)
        stem = f"{month:%Y-%m}/{node.code}"
        (reports_root() / f"{stem}.xlsx").write_bytes(report_xlsx(content))
        (reports_root() / f"{stem}.pdf").write_bytes(report_pdf(content))
        MonthlyReport.objects.filter(node_id=node.pk, month=month).update(
            xlsx=f"{stem}.xlsx", pdf=f"{stem}.pdf"
        )
        done += 1
    return done
