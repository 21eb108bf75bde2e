"""Printed things of party work: the community's 扫码报到 QR code (PNG and an A4 sheet to hang up) and the plaque
sheets of beacon households (党员中心户挂牌), one A4 page each.

Drawn with reportlab's built-in CID font STSong-Light, as the appeals' QR sheets and the dashboard's reports are,
so Chinese prints without any font file. STSong-Light has no middle dot: separators are full-width.
"""

from __future__ import annotations

import io
from collections.abc import Iterable

import qrcode
from qrcode.constants import ERROR_CORRECT_M
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen import canvas

from linli.territory.models import OrgNode

from .models import BeaconHousehold

CJK_FONT = "STSong-Light"
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


def qr_png(url: str, *, box_size: int = 10) -> bytes:
    code = qrcode.QRCode(error_correction=ERROR_CORRECT_M, box_size=box_size, border=4)
    code.add_data(url)
    code.make(fit=True)
    buf = io.BytesIO()
    code.make_image().save(buf, format="PNG")
    return buf.getvalue()


def _font() -> None:
    if CJK_FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(CJK_FONT))


def _centred(c: canvas.Canvas, x: float, y: float, text: str, size: float) -> None:
    c.setFont(CJK_FONT, size)
    c.drawCentredString(x, y, text)


def community_qr_sheet_pdf(community: OrgNode, url: str) -> bytes:
    """An A4 page for the community's noticeboard: title, community, the QR code and three steps."""
    _font()
    buf = io.BytesIO()
    width, height = A4
    c = canvas.Canvas(buf, pagesize=A4)
    c.setTitle(f"{community.name}{QR_TITLE}")
    c.setAuthor("邻里")
    c.setFillColorRGB(*PARTY_RED)
    c.rect(0, height - 45 * mm, width, 45 * mm, stroke=0, fill=1)
    c.setFillColorRGB(1, 1, 1)
    _centred(c, width / 2, height - 25 * mm, QR_TITLE, 30)
    _centred(c, width / 2, height - 37 * mm, "双报到　双服务　双考评", 14)
    c.setFillColorRGB(0.1, 0.1, 0.1)
    _centred(c, width / 2, height - 62 * mm, community.name, 24)
    qr_size = 105 * mm
    c.drawImage(
        ImageReader(io.BytesIO(qr_png(url, box_size=12))),
        (width - qr_size) / 2,
        height - 180 * mm,
        qr_size,
        qr_size,
    )
    c.setFont(CJK_FONT, 13)
    y = height - 197 * mm
    for line in QR_STEPS:
        c.drawString(25 * mm, y, line)
        y -= 9 * mm
    c.setFont(CJK_FONT, 9)
    c.setFillColorRGB(0.35, 0.35, 0.35)
    c.drawCentredString(width / 2, 22 * mm, url)
    c.showPage()
    c.save()
    return buf.getvalue()


def _plaque(c: canvas.Canvas, beacon: BeaconHousehold) -> None:
    width, height = landscape(A4)
    margin = 14 * mm
    c.setFillColorRGB(*PARTY_RED)
    c.rect(margin, margin, width - 2 * margin, height - 2 * margin, stroke=0, fill=1)
    c.setStrokeColorRGB(*GOLD)
    c.setLineWidth(3)
    c.rect(margin + 6 * mm, margin + 6 * mm, width - 2 * margin - 12 * mm, height - 2 * margin - 12 * mm)
    c.setFillColorRGB(*GOLD)
    _centred(c, width / 2, height - 62 * mm, PLAQUE_TITLE, 64)
    c.setFillColorRGB(1, 1, 1)
    member = beacon.member
    _centred(c, width / 2, height - 92 * mm, f"户主党员：{member.name}", 24)
    _centred(c, width / 2, height - 108 * mm, beacon.household.address, 16)
    _centred(
        c,
        width / 2,
        height - 122 * mm,
        f"{beacon.grid.name}　联系服务 {beacon.households_served} 户",
        16,
    )
    _centred(c, width / 2, height - 140 * mm, PLAQUE_DUTIES, 15)
    c.setFillColorRGB(*GOLD)
    _centred(c, width / 2, margin + 16 * mm, member.party_org.name, 14)


def plaques_pdf(beacons: Iterable[BeaconHousehold]) -> bytes:
    """One landscape A4 plaque per beacon household (党员中心户挂牌), ready to print and frame."""
    _font()
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=landscape(A4))
    c.setTitle(PLAQUE_TITLE)
    c.setAuthor("邻里")
    for beacon in beacons:
        _plaque(c, beacon)
        c.showPage()
    c.save()
    return buf.getvalue()
