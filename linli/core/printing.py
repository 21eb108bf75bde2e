"""What Linli prints: QR codes (PNG) and A4 sheets drawn with reportlab (the appeals' grid-station sheets, party's
报到 sheet and beacon plaques).

Chinese is drawn with reportlab's built-in CID font STSong-Light, so it prints without any font file. The font has
no middle dot: separators are full-width.
"""

from __future__ import annotations

import io
from collections.abc import Iterable

import qrcode
from django.http import HttpResponse
from qrcode.constants import ERROR_CORRECT_M
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen import canvas

CJK_FONT = "STSong-Light"
QR_SIZE = 105 * mm  # the code on a sheet: large enough to scan from a step away


def pdf_response(pdf: bytes, filename: str) -> HttpResponse:
    """A printed sheet shown in the browser (inline), saved under `filename` when the person keeps it."""
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


def qr_matrix(url: str) -> qrcode.QRCode:
    code = qrcode.QRCode(error_correction=ERROR_CORRECT_M, box_size=10, border=4)
    code.add_data(url)
    code.make(fit=True)
    return code


def qr_png(url: str, *, box_size: int = 10) -> bytes:
    """A PNG of the QR code for `url`."""
    code = qr_matrix(url)
    code.box_size = box_size
    buf = io.BytesIO()
    code.make_image().save(buf, format="PNG")
    return buf.getvalue()


class Sheets:
    """An A4 PDF being drawn (`canvas`), with the CJK font registered and the document's title and author set;
    `pdf()` ends it and returns its bytes."""

    def __init__(self, title: str, *, pagesize: tuple[float, float] = A4) -> None:
        if CJK_FONT not in pdfmetrics.getRegisteredFontNames():
            pdfmetrics.registerFont(UnicodeCIDFont(CJK_FONT))
        self._buf = io.BytesIO()
        self.width, self.height = pagesize
        self.canvas = canvas.Canvas(self._buf, pagesize=pagesize)
        self.canvas.setTitle(title)
        self.canvas.setAuthor("邻里")

    def centred(self, y: float, text: str, size: float) -> None:
        self.canvas.setFont(CJK_FONT, size)
        self.canvas.drawCentredString(self.width / 2, y, text)

    def title_band(self, rgb: tuple[float, float, float], title: str, subtitle: str) -> None:
        """A coloured band across the top with the title and a subtitle in white; dark text follows."""
        c = self.canvas
        c.setFillColorRGB(*rgb)
        c.rect(0, self.height - 45 * mm, self.width, 45 * mm, stroke=0, fill=1)
        c.setFillColorRGB(1, 1, 1)
        self.centred(self.height - 25 * mm, title, 30)
        self.centred(self.height - 37 * mm, subtitle, 14)
        c.setFillColorRGB(0.1, 0.1, 0.1)

    def qr_with_steps(
        self,
        url: str,
        *,
        qr_bottom: float,
        steps: Iterable[str],
        steps_top: float,
        steps_x: float,
        size: float,
        url_y: float,
    ) -> None:
        """The QR code of `url` centred with its bottom edge `qr_bottom` below the top of the page, the steps to
        follow under it (from `steps_top`, at `steps_x`), and the URL itself in small grey type at `url_y`."""
        c = self.canvas
        image = ImageReader(io.BytesIO(qr_png(url, box_size=12)))
        c.drawImage(image, (self.width - QR_SIZE) / 2, self.height - qr_bottom, QR_SIZE, QR_SIZE)
        c.setFont(CJK_FONT, size)
        y = self.height - steps_top
        for line in steps:
            c.drawString(steps_x, y, line)
            y -= 9 * mm
        c.setFont(CJK_FONT, 9)
        c.setFillColorRGB(0.35, 0.35, 0.35)
        c.drawCentredString(self.width / 2, url_y, url)

    def pdf(self) -> bytes:
        """The document's bytes (the page being drawn, if any, is its last)."""
        self.canvas.save()
        return self._buf.getvalue()
