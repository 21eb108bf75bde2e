"""调解协议书: the agreement of a mediation case as an A4 PDF (core.printing's sheet, the CJK font built in)."""

from __future__ import annotations

from django.utils import timezone
from reportlab.lib.units import mm
from reportlab.lib.utils import simpleSplit

from linli.core.printing import CJK_FONT, Sheets
from linli.core.templatetags.money import money

from .choices import PartySide
from .models import MediationCase

BLUE = (0.16, 0.35, 0.62)


def agreement_pdf(case: MediationCase) -> bytes:
    agreement = case.agreement
    sheet = Sheets(f"人民调解协议书 {case.number}")
    c = sheet.canvas
    sheet.title_band(BLUE, "人民调解协议书", f"编号 {case.number}")
    left, width = 22 * mm, sheet.width - 44 * mm
    y = sheet.height - 60 * mm

    def line(text: str, size: float = 12, gap: float = 7 * mm) -> None:
        nonlocal y
        c.setFont(CJK_FONT, size)
        for part in simpleSplit(text, CJK_FONT, size, width) or [""]:
            if y < 30 * mm:
                c.showPage()
                y = sheet.height - 25 * mm
                c.setFont(CJK_FONT, size)
            c.drawString(left, y, part)
            y -= gap

    parties = [
        ("申请人" if p.side == PartySide.APPLICANT else "被申请人", p.name) for p in case.parties.all()
    ]
    for side, name in parties:
        line(f"{side}：{name}")
    line(f"纠纷类型：{case.get_kind_display()}　　地点：{case.place or case.grid.name}")
    y -= 3 * mm
    line("纠纷简要情况：", 13)
    line(case.summary)
    y -= 3 * mm
    line("经调解，双方自愿达成如下协议：", 13)
    line(agreement.terms)
    if agreement.amount:
        line(f"涉及金额：人民币 {money(agreement.amount)} 元")
    y -= 3 * mm
    line(  # 人民调解法 art. 29: in force when the parties sign, the mediator signs and the committee seals it
        "本协议书自各方当事人签名、盖章或者按指印，人民调解员签名并加盖人民调解委员会印章之日起生效，"
        "各方应当按照约定履行。调解组织将进行回访，了解协议履行情况。本协议书各方当事人和人民调解委员会各执一份。",
        11,
    )
    y -= 8 * mm
    for side, name in parties:
        line(f"{side}（签名、盖章或按指印）：{name}　　____________________", gap=11 * mm)
    line(f"人民调解员（签名）：{case.mediator or ''}　　____________________", gap=11 * mm)
    if case.professional_name:
        line(f"{case.get_professional_kind_display()}：{case.professional_name}")
    line("人民调解委员会（盖章）", gap=11 * mm)
    line(f"签订日期：{agreement.signed_on:%Y年%m月%d日}")
    c.setFont(CJK_FONT, 8)
    c.setFillColorRGB(0.4, 0.4, 0.4)
    c.drawString(left, 15 * mm, f"邻里 · 打印于 {timezone.localtime():%Y-%m-%d %H:%M}")
    return sheet.pdf()
