"""QR codes for grid stations: a PNG and a printable A4 sheet that open the appeal page with the grid filled in.

The sheet is drawn with core.printing (reportlab's built-in CID font, so Chinese prints without any font file).
"""

from __future__ import annotations

from typing import TYPE_CHECKING
from urllib.parse import urlencode

from reportlab.lib.units import mm

from linli.core.printing import Sheets

if TYPE_CHECKING:
    from linli.territory.models import Grid, OrgNode

# The sheet speaks to residents in Chinese whatever the staff member's language is: it hangs on a wall.
SHEET_TITLE = "扫码反映诉求"
SHEET_STEPS = (
    "1. 用手机微信或相机扫描下方二维码；",
    "2. 描述遇到的问题，可拍照上传（最多6张）；",
    "3. 网格已自动填好，提交后记下受理编号，可随时查询办理进度。",
)
RED = (0.75, 0.11, 0.11)
SHEET_FOOTER = "小事不出小区，大事不出社区。您的每一条诉求都有人接、有人办、有回音。"


def grid_appeal_path(grid: Grid) -> str:
    """The path of the appeal page with this grid filled in."""
    from django.urls import reverse

    return f"{reverse('appeals:new')}?{urlencode({'grid': grid.code})}"


def grid_appeal_url(grid: Grid, base_url: str) -> str:
    """Absolute URL the QR code opens; `base_url` is the site's origin, e.g. https://linli.example.gov.cn."""
    return base_url.rstrip("/") + grid_appeal_path(grid)


def grid_sheet_pdf(grid: Grid, url: str) -> bytes:
    """A printable A4 page: grid name and code, station, community chain, the QR code and short instructions."""
    sheet = Sheets(f"{grid.name} {SHEET_TITLE}")
    height = sheet.height
    sheet.title_band(RED, SHEET_TITLE, "邻里｜接诉即办")
    sheet.centred(height - 62 * mm, f"{grid.name}（{grid.code}）", 22)
    chain = _chain(grid)
    if chain:
        sheet.centred(height - 72 * mm, chain, 13)
    if grid.station_name:
        sheet.centred(height - 81 * mm, f"网格服务站：{grid.station_name}", 13)
    sheet.qr_with_steps(
        url,
        qr_bottom=192 * mm,
        steps=SHEET_STEPS,
        steps_top=207 * mm,
        steps_x=30 * mm,
        size=14,
        url_y=30 * mm,
    )
    sheet.canvas.setFillColorRGB(*RED)
    sheet.centred(20 * mm, SHEET_FOOTER, 12)
    return sheet.pdf()


def _chain(grid: Grid) -> str:
    """The org nodes between the district and the grid, e.g. 和平街道／幸福社区／阳光小区 (STSong-Light has no
    middle dot, so a full-width solidus separates them)."""
    names: list[str] = []
    node: OrgNode | None = grid.org_node
    while node is not None and node.kind != "district":
        names.append(node.name)
        node = node.parent
    return "／".join(reversed(names))
