"""镇街备案: the filing record of a meeting as a PDF (agenda with sources, attendance, minutes, decisions with
their results, the residents' ratings), drawn with reportlab's built-in CID font STSong-Light as the other
printed sheets of Linli are. It goes to the street in Chinese whatever the secretary's language is."""

from __future__ import annotations

import io
from xml.sax.saxutils import escape

from django.utils import timezone, translation
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from . import selectors
from .choices import Rating, Side, Stage
from .models import Meeting

CJK_FONT = "STSong-Light"


def _styles() -> dict[str, ParagraphStyle]:
    if CJK_FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(CJK_FONT))
    base = ParagraphStyle("base", fontName=CJK_FONT, fontSize=10.5, leading=15, wordWrap="CJK")
    return {
        "title": ParagraphStyle("title", parent=base, fontSize=18, leading=24, alignment=1),
        "h": ParagraphStyle("h", parent=base, fontSize=13, leading=20, spaceBefore=8),
        "p": base,
        "small": ParagraphStyle("small", parent=base, fontSize=9, leading=12),
    }


def _p(text: str, style: ParagraphStyle) -> Paragraph:
    return Paragraph(escape(text).replace("\n", "<br/>"), style)


def filing_record_pdf(meeting: Meeting) -> bytes:
    with translation.override("zh-hans"):
        return _record(meeting)


def _record(meeting: Meeting) -> bytes:
    s = _styles()
    local = timezone.localtime(meeting.scheduled_at)
    story: list[object] = [
        _p(f"{meeting.node.name}议事协商备案表", s["title"]),
        Spacer(1, 4 * mm),
        _p(f"会议：{meeting.title}（{meeting.get_kind_display()}）", s["p"]),
        _p(f"时间：{local:%Y年%m月%d日 %H:%M}　地点：{meeting.place or meeting.node.name}", s["p"]),
        _p(f"召集：{meeting.convener.name if meeting.convener else meeting.node.name}", s["p"]),
        _p("一、议题与民意来源", s["h"]),
    ]
    for n, item in enumerate(selectors.meeting_agenda(meeting), 1):
        story.append(_p(f"{n}. {item.title}", s["p"]))
        if item.summary:
            story.append(_p(item.summary, s["small"]))
        for src in item.sources.all():
            ref = src.appeal.tracking_number if src.appeal else ""
            story.append(_p(f"　来源：{src.get_kind_display()} {ref} {src.note}", s["small"]))
    story.append(_p("二、参会人员与签到", s["h"]))
    rows = [["单位/身份", "姓名", "单位", "签到"]]
    for part in meeting.participants.all():
        signed = timezone.localtime(part.signed_in_at).strftime("%H:%M") if part.signed_in_at else "未到"
        rows.append(
            [
                str(Side(part.side).label),
                part.name,
                part.unit,
                signed + ("（扫码）" if part.signed_in_by_qr else ""),
            ]
        )
    table = Table(
        [[_p(c, s["small"]) for c in r] for r in rows], colWidths=[45 * mm, 30 * mm, 65 * mm, 30 * mm]
    )
    table.setStyle(
        TableStyle([("GRID", (0, 0), (-1, -1), 0.4, (0.5, 0.5, 0.5)), ("VALIGN", (0, 0), (-1, -1), "TOP")])
    )
    story += [
        table,
        _p("三、会议纪要", s["h"]),
        _p(meeting.minutes or "（无）", s["p"]),
        _p("四、决定事项与落实情况", s["h"]),
    ]
    results = {r.decision_id: r for r in meeting.results.filter(parent__isnull=True)}
    for n, decision in enumerate(meeting.decisions.all(), 1):
        result = results.get(decision.pk)
        state = f"{result.get_status_display()} {result.progress}%" if result else ""
        story.append(
            _p(
                f"{n}. {decision.text}　责任单位：{decision.responsible_name}　完成时限：{decision.due_on:%Y-%m-%d}　{state}",
                s["p"],
            )
        )
    survey = selectors.survey_summary(meeting)
    story.append(_p("五、居民评价", s["h"]))
    story.append(_p(f"共{survey[0]['total']}户参与评价问卷。", s["p"]))
    for row in survey:
        counts = "；".join(f"{Rating(k).label}{v}户" for k, v in row["counts"].items())
        story.append(_p(f"{row['label']}：{counts}", s["p"]))
    if meeting.stage == Stage.FILED and meeting.filing_decided_at:
        story.append(
            _p(f"街道已于{timezone.localtime(meeting.filing_decided_at):%Y年%m月%d日}确认备案。", s["p"])
        )
    buf = io.BytesIO()
    doc = SimpleDocTemplate(
        buf,
        pagesize=A4,
        title=f"{meeting.title} 备案表",
        author="邻里",
        leftMargin=18 * mm,
        rightMargin=18 * mm,
        topMargin=18 * mm,
        bottomMargin=18 * mm,
    )
    doc.build(story)
    return buf.getvalue()
