"""Printed things of party work: the community's 扫码报到 QR code (PNG and an A4 sheet to hang up) and the plaque
sheets of beacon households (党员中心户挂牌), one A4 page each.

Drawn with core.printing, as the appeals' QR sheets are (reportlab's built-in CID font, so Chinese prints without
any font file; it has no middle dot: separators are full-width).
"""

from __future__ import annotations

from collections.abc import Iterable

from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm

from linli.core.printing import Sheets
from linli.territory.models import OrgNode

from .models import BeaconHousehold

PARTY_RED = (0.78, 0.07, 0.09)
GOLD = (0.98, 0.82, 0.35)

# What the sheets say hangs on a wall, in Chinese whatever the staff member's language is.
QR_TITLE = "在职党员扫码报到"
QR_STEPS = (
    "1. 用手机微信或相机扫描下方二维码；",
    "2. 填写姓名、手机号、工作单位和所在党组织，选择专长与服务时间；",
    "3. 社区审核后为您安排网格岗位，凭提交后的链接查看岗位与职责。",
)
PLAQUE_TITLE = "党员中心户"
PLAQUE_DUTIES = "政策宣传员　民情收集员　矛盾调解员　邻里服务员"


def community_qr_sheet_pdf(community: OrgNode, url: str) -> bytes:
    """An A4 page for the community's noticeboard: title, community, the QR code and three steps."""
    sheet = Sheets(f"{community.name}{QR_TITLE}")
    sheet.title_band(PARTY_RED, QR_TITLE, "双报到　双服务　双考评")
    sheet.centred(sheet.height - 62 * mm, community.name, 24)
    sheet.qr_with_steps(
        url, qr_bottom=180 * mm, steps=QR_STEPS, steps_top=197 * mm, steps_x=25 * mm, size=13, url_y=22 * mm
    )
    return sheet.pdf()


def _plaque(sheets: Sheets, beacon: BeaconHousehold) -> None:
    c, width, height = sheets.canvas, sheets.width, sheets.height
    margin = 14 * mm
    c.setFillColorRGB(*PARTY_RED)
    c.rect(margin, margin, width - 2 * margin, height - 2 * margin, stroke=0, fill=1)
    c.setStrokeColorRGB(*GOLD)
    c.setLineWidth(3)
    c.rect(margin + 6 * mm, margin + 6 * mm, width - 2 * margin - 12 * mm, height - 2 * margin - 12 * mm)
    c.setFillColorRGB(*GOLD)
    sheets.centred(height - 62 * mm, PLAQUE_TITLE, 64)
    c.setFillColorRGB(1, 1, 1)
    member = beacon.member
    sheets.centred(height - 92 * mm, f"户主党员：{member.name}", 24)
    sheets.centred(height - 108 * mm, beacon.household.address, 16)
    sheets.centred(height - 122 * mm, f"{beacon.grid.name}　联系服务 {beacon.households_served} 户", 16)
    sheets.centred(height - 140 * mm, PLAQUE_DUTIES, 15)
    c.setFillColorRGB(*GOLD)
    sheets.centred(margin + 16 * mm, member.party_org.name, 14)


def plaques_pdf(beacons: Iterable[BeaconHousehold]) -> bytes:
    """One landscape A4 plaque per beacon household (党员中心户挂牌), ready to print and frame."""
    sheets = Sheets(PLAQUE_TITLE, pagesize=landscape(A4))
    for beacon in beacons:
        _plaque(sheets, beacon)
        sheets.canvas.showPage()
    return sheets.pdf()
