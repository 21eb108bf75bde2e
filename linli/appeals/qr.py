"""QR codes for grid stations: a PNG and a printable A4 sheet that open the appeal page with the grid filled in.

The sheet is drawn with reportlab's built-in CID font STSong-Light, so Chinese prints without any font file.
"""

from __future__ import annotations

import io
from typing import TYPE_CHECKING
from urllib.parse import urlencode

import qrcode
from qrcode.constants import ERROR_CORRECT_M
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen import canvas

if TYPE_CHECKING:
    from linli.territory.models import Grid, OrgNode

CJK_FONT = "STSong-Light"

# The sheet speaks to residents in Chinese whatever the staff member's language is: it hangs on a wall.
SHEET_TITLE = "扫码反映诉求"
SHEET_STEPS = (
    "1. 用手机微信或相机扫描下方二维码；",
    "2. 描述遇到的问题，可拍照上传（最多6张）；",
    "3. 网格已自动填好，提交后记下受理编号，可随时查询办理进度。",
)
SHEET_FOOTER = "小事不出小区，大事不出社区。您的每一条诉求都有人接、有人办、有回音。"


def grid_appeal_path(grid: Grid) -> str:
    """The path of the appeal page with this grid filled in."""
    from django.urls import reverse

    return f"{reverse('appeals:new')}?{urlencode({'grid': grid.code})}"


def grid_appeal_url(grid: Grid, base_url: str) -> str:
    """Absolute URL the QR code opens; `base_url` is the site's origin, e.g. https://linli.example.gov.cn."""
    return base_url.rstrip("/") + grid_appeal_path(grid)


def qr_matrix(url: str) -> qrcode.QRCode:
    code = qrcode.QRCode(error_correction=ERROR_CORRECT_M, box_size=10, border=4)
    code.add_data(url)
    code.make(fit=True)
    return code


def qr_png(url: str, *, box_size: int = 10) -> bytes:
    """A PNG of the QR code for `url`."""
    code = qr_matrix(url)
    code.box_size = box_size
    image = code.make_image()
    buf = io.BytesIO()
    image.save(buf, format="PNG")
    return buf.getvalue()


def _ensure_font() -> None:
    if CJK_FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(CJK_FONT))


def _centred(c: canvas.Canvas, text: str, y: float, size: float) -> None:
    c.setFont(CJK_FONT, size)
    c.drawCentredString(A4[0] / 2, y, text)


def grid_sheet_pdf(grid: Grid, url: str) -> bytes:
    """A printable A4 page: grid name and code, station, community chain, the QR code and short instructions."""
    _ensure_font()
    buf = io.BytesIO()
    width, height = A4
    c = canvas.Canvas(buf, pagesize=A4)
    c.setTitle(f"{grid.name} {SHEET_TITLE}")
    c.setAuthor("邻里")

    # Title band.
    c.setFillColorRGB(0.75, 0.11, 0.11)
    c.rect(0, height - 45 * mm, width, 45 * mm, stroke=0, fill=1)
    c.setFillColorRGB(1, 1, 1)
    _centred(c, SHEET_TITLE, height - 25 * mm, 30)
    _centred(c, "邻里｜接诉即办", height - 37 * mm, 14)

    c.setFillColorRGB(0.1, 0.1, 0.1)
    _centred(c, f"{grid.name}（{grid.code}）", height - 62 * mm, 22)
    chain = _chain(grid)
    if chain:
        _centred(c, chain, height - 72 * mm, 13)
    if grid.station_name:
        _centred(c, f"网格服务站：{grid.station_name}", height - 81 * mm, 13)

    qr_size = 105 * mm
    image = ImageReader(io.BytesIO(qr_png(url, box_size=12)))
    c.drawImage(image, (width - qr_size) / 2, height - 192 * mm, qr_size, qr_size)

    c.setFont(CJK_FONT, 14)
    y = height - 207 * mm
    for line in SHEET_STEPS:
        c.drawString(30 * mm, y, line)
        y -= 9 * mm
    c.setFont(CJK_FONT, 9)
    c.setFillColorRGB(0.35, 0.35, 0.35)
    c.drawCentredString(width / 2, 30 * mm, url)
    c.setFont(CJK_FONT, 12)
    c.setFillColorRGB(0.75, 0.11, 0.11)
    c.drawCentredString(width / 2, 20 * mm, SHEET_FOOTER)
    c.showPage()
    c.save()
    return buf.getvalue()


def _chain(grid: Grid) -> str:
    """The org nodes between the district and the grid, e.g. 和平街道／幸福社区／阳光小区 (STSong-Light has no
    middle dot, so a full-width solidus separates them)."""
    names: list[str] = []
    node: OrgNode | None = grid.org_node
    while node is not None and node.kind != "district":
        names.append(node.name)
        node = node.parent
    return "／".join(reversed(names))
