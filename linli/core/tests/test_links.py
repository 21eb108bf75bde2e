"""A page's address for a sheet or a text message: the public origin when set, else the request's, else the path."""

from __future__ import annotations

from django.test import RequestFactory, override_settings

from linli.core.links import public_link, public_origin


def test_the_public_origin_wins_over_the_host_the_staff_member_uses() -> None:
    request = RequestFactory().get("/", HTTP_HOST="localhost:8000")
    with override_settings(LINLI_PUBLIC_URL="https://linli.district.gov.cn/"):
        assert public_link("/care/alert/abc/", request) == "https://linli.district.gov.cn/care/alert/abc/"
        assert public_link("/appeals/track/N1/") == "https://linli.district.gov.cn/appeals/track/N1/"
    with override_settings(LINLI_PUBLIC_URL=""):
        assert public_link("/care/alert/abc/", request) == "http://localhost:8000/care/alert/abc/"
        # A text message sent by a service has no request: the path alone.
        assert public_origin() == "" and public_link("/appeals/track/N1/") == "/appeals/track/N1/"
