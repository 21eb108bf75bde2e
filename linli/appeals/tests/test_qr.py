"""Grid station QR codes: the PNG encodes the appeal page with the grid filled in; the A4 sheet prints."""

from __future__ import annotations

import io
from typing import Any

from django.test import Client
from django.urls import reverse
from PIL import Image

from linli.appeals import qr
from linli.core.printing import qr_matrix
from linli.testing import Cast


def png_modules(png: bytes, box: int = 10) -> list[list[bool]]:
    """Read the dark/light modules back from a QR PNG by sampling the centre of each box."""
    image = Image.open(io.BytesIO(png)).convert("L")
    n = image.width // box
    return [
        [image.getpixel((x * box + box // 2, y * box + box // 2)) < 128 for x in range(n)] for y in range(n)
    ]


def test_qr_png_encodes_the_appeal_page_of_the_grid(cast: Cast, client_for: Any) -> None:
    response = client_for("community_worker").get(reverse("appeals:qr_png", args=["G001"]))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    expected_url = "http://testserver/appeals/new/?grid=G001"
    expected = qr_matrix(expected_url)
    assert expected.data_list[0].data == expected_url.encode()
    # The served image carries exactly the modules of that URL's code (and not of another grid's).
    assert png_modules(response.content) == [list(row) for row in expected.get_matrix()]
    other = qr_matrix("http://testserver/appeals/new/?grid=G002")
    assert png_modules(response.content) != [list(row) for row in other.get_matrix()]


def test_the_url_in_the_code_opens_the_page_with_the_grid_filled_in(cast: Cast) -> None:
    url = qr.grid_appeal_path(cast.grid)
    page = Client().get(url)
    assert page.status_code == 200
    assert 'name="grid" value="G001"' in page.content.decode()


def test_public_url_setting_is_used_for_printed_codes(cast: Cast, client_for: Any, settings: Any) -> None:
    settings.LINLI_PUBLIC_URL = "https://linli.example.gov.cn/"
    response = client_for("community_worker").get(reverse("appeals:qr_png", args=["G001"]))
    expected = qr_matrix("https://linli.example.gov.cn/appeals/new/?grid=G001")
    assert png_modules(response.content) == [list(row) for row in expected.get_matrix()]


def test_printable_sheet_is_a_one_page_a4_pdf_with_chinese_font(cast: Cast, client_for: Any) -> None:
    response = client_for("community_worker").get(reverse("appeals:qr_sheet", args=["G001"]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    pdf = response.content
    assert pdf.startswith(b"%PDF")
    assert b"STSong-Light" in pdf
    assert pdf.count(b"/Type /Page\n") + pdf.count(b"/Type /Page ") >= 1
    assert b"/MediaBox [ 0 0 595.2756 841.8898 ]" in pdf  # A4 in points
    assert b"/Subtype /Image" in pdf


def test_qr_pages_are_scoped_to_the_staff_members_grids(cast: Cast, client_for: Any) -> None:
    listing = client_for("community_worker").get(reverse("appeals:qr_list"))
    text = listing.content.decode()
    assert "阳光一网格" in text
    assert "光明一网格" not in text
    assert client_for("community_worker").get(reverse("appeals:qr_png", args=["G002"])).status_code == 404
    assert client_for("resident").get(reverse("appeals:qr_list")).status_code == 403
    anonymous = Client().get(reverse("appeals:qr_list"))
    assert anonymous.status_code == 302
