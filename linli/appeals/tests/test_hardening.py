"""Hostile and faulty input at the appeals API: huge numbers, decompression bombs, photos carrying a position,
the database going away. Each answer is a clear JSON error, never a server error or a leak."""

from __future__ import annotations

import io
from typing import Any
from unittest import mock

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import OperationalError
from django.test import Client
from PIL import Image

from linli.appeals.models import Appeal
from linli.appeals.tests.factories import SUBMIT, post
from linli.testing import Cast
from linli.testing.images import png_header_only


def _jpeg_with_position() -> bytes:
    image = Image.new("RGB", (64, 48), (10, 120, 200))
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    gps = exif.get_ifd(0x8825)
    gps[1], gps[2], gps[3], gps[4] = "N", (39.0, 54.0, 27.0), "E", (116.0, 23.0, 50.0)
    buf = io.BytesIO()
    image.save(buf, "JPEG", exif=exif)
    return buf.getvalue()


def test_integers_beyond_64_bits_in_the_query_are_a_clear_422(cast: Cast, client_for: Any) -> None:
    worker = client_for("community_worker")
    for url in (
        "/api/grids?community=10000000000000000001",
        "/api/appeals/?offset=100000000000000000000",
        "/api/appeals/?limit=100000000000000000000",
        "/api/appeals/100000000000000000000",
    ):
        response = worker.get(url)
        assert response["Content-Type"].startswith("application/json")
        if response.status_code == 200:  # PostgreSQL compares the number and finds no such community
            assert url.startswith("/api/grids") and response.json()["features"] == []
            continue
        assert response.status_code in (404, 422), (url, response.status_code)
        assert {"code", "message"} <= set(response.json())


def test_a_png_declaring_twenty_thousand_squared_pixels_is_refused(cast: Cast, client_for: Any) -> None:
    resident = client_for("resident")
    appeal_id = post(resident, "/api/appeals/", SUBMIT).json()["id"]
    bomb = SimpleUploadedFile("bomb.png", png_header_only(20000, 20000), content_type="image/png")
    response = resident.post(f"/api/appeals/{appeal_id}/photos", {"photos": [bomb]})
    assert response.status_code == 422, response.content
    assert response.json()["extra"]["field"] == "photos"
    assert Appeal.objects.get().photos.count() == 0


def test_photos_are_re_encoded_without_their_position_named_by_their_real_format(
    cast: Cast, client_for: Any
) -> None:
    resident = client_for("resident")
    appeal_id = post(resident, "/api/appeals/", SUBMIT).json()["id"]
    raw = _jpeg_with_position()
    assert Image.open(io.BytesIO(raw)).getexif().get_ifd(0x8825)  # the upload carries a GPS position
    # Sent as a PNG by its Content-Type, but a JPEG by its bytes.
    upload = SimpleUploadedFile("home.png", raw, content_type="image/png")
    response = resident.post(f"/api/appeals/{appeal_id}/photos", {"photos": [upload]})
    assert response.status_code == 200, response.content
    stored = Appeal.objects.get().photos.get()
    assert stored.image.name.endswith(".jpg")
    with stored.image.open("rb") as handle:
        kept = Image.open(io.BytesIO(handle.read()))
        assert kept.format == "JPEG"
        assert not kept.getexif().get_ifd(0x8825)
        assert 0x010F not in kept.getexif()


def test_api_photo_links_open_for_those_who_may_see_the_appeal_only(cast: Cast, client_for: Any) -> None:
    from linli.appeals.tests.factories import photo

    resident = client_for("resident")
    appeal_id = post(resident, "/api/appeals/", SUBMIT).json()["id"]
    links = resident.post(f"/api/appeals/{appeal_id}/photos", {"photos": [photo("a.jpg")]}).json()["photos"]
    assert len(links) == 1
    for who in ("resident", "community_worker"):
        response = client_for(who).get(links[0])
        assert response.status_code == 200, (who, response.status_code)
        assert response["Content-Type"] == "image/jpeg"
        assert b"".join(response.streaming_content)[:2] == b"\xff\xd8"
    assert client_for("outsider").get(links[0]).status_code == 404
    assert Client().get(links[0]).status_code in (401, 404)


def test_the_api_answers_json_while_the_database_is_away(cast: Cast, client_for: Any) -> None:
    worker = client_for("community_worker")
    worker.raise_request_exception = False
    down = OperationalError("could not connect to server: Connection refused")
    with mock.patch("linli.appeals.selectors.appeals_visible_to", side_effect=down):
        in_view = worker.get("/api/appeals/")
    with mock.patch("django.contrib.sessions.backends.db.SessionStore.load", side_effect=down):
        in_middleware = worker.get("/api/appeals/")
    for response in (in_view, in_middleware):
        assert response.status_code == 503, response.content[:200]
        assert response["Content-Type"].startswith("application/json")
        body = response.json()
        assert body["code"] == "unavailable"
        assert body["message"]
        assert "Connection refused" not in response.content.decode()


def test_an_idempotency_key_reused_with_another_body_is_refused(cast: Cast) -> None:
    guest = Client()
    body = {**SUBMIT, "contact_phone": "13900001111"}
    first = post(guest, "/api/appeals/", body, **{"Idempotency-Key": "retry-0001"})
    assert first.status_code == 201, first.content
    again = post(guest, "/api/appeals/", body, **{"Idempotency-Key": "retry-0001"})
    assert (again.status_code, again.json()["id"]) == (200, first.json()["id"])
    other = post(
        guest,
        "/api/appeals/",
        {**body, "description": "小区门口的路灯不亮了，晚上很黑。"},
        **{"Idempotency-Key": "retry-0001"},
    )
    assert other.status_code == 422, other.content
    assert other.json()["code"] == "idempotency_key_mismatch"
    assert Appeal.objects.count() == 1


def test_long_idempotency_keys_sharing_a_prefix_are_two_appeals(cast: Cast) -> None:
    guest = Client()
    body = {**SUBMIT, "contact_phone": "13900001111"}
    one = post(guest, "/api/appeals/", body, **{"Idempotency-Key": "k" * 120 + "-one"})
    two = post(guest, "/api/appeals/", body, **{"Idempotency-Key": "k" * 120 + "-two"})
    assert (one.status_code, two.status_code) == (201, 201), two.content
    assert one.json()["id"] != two.json()["id"]
    too_long = post(guest, "/api/appeals/", body, **{"Idempotency-Key": "k" * 300})
    assert too_long.status_code == 422
    assert too_long.json()["code"] == "idempotency_key_too_long"


def test_a_retry_while_the_first_is_in_flight_gets_409_and_only_one_201(cast: Cast) -> None:
    from linli.appeals.services import intake

    body = {**SUBMIT, "category_code": "", "contact_phone": "13900001111"}  # classified: _classify runs
    retries: list[tuple[int, str]] = []
    real_classify = intake._classify

    def classify_while_the_client_retries(*args: Any, **kwargs: Any) -> Any:
        if not retries:  # the client retries while the first request is still being handled
            retry = post(Client(), "/api/appeals/", body, **{"Idempotency-Key": "inflight-01"})
            retries.append((retry.status_code, retry.json()["code"]))
        return real_classify(*args, **kwargs)

    with mock.patch.object(intake, "_classify", classify_while_the_client_retries):
        first = post(Client(), "/api/appeals/", body, **{"Idempotency-Key": "inflight-01"})
    assert first.status_code == 201, first.content
    assert retries == [(409, "idempotency_in_flight")]
    after = post(Client(), "/api/appeals/", body, **{"Idempotency-Key": "inflight-01"})
    assert (after.status_code, after.json()["id"]) == (200, first.json()["id"])
    assert Appeal.objects.count() == 1


def test_behind_a_trusted_proxy_the_client_address_counts_and_a_forged_header_does_not(
    settings: Any,
) -> None:
    from django.test import RequestFactory

    from linli.core.clientip import client_ip

    factory = RequestFactory()
    direct = factory.get("/", REMOTE_ADDR="203.0.113.9", HTTP_X_FORWARDED_FOR="1.2.3.4")
    assert client_ip(direct) == "203.0.113.9"
    settings.LINLI_TRUSTED_PROXIES = "10.0.0.0/8, 127.0.0.1"
    proxied = factory.get("/", REMOTE_ADDR="10.0.0.5", HTTP_X_FORWARDED_FOR="1.2.3.4, 198.51.100.7, 10.0.0.2")
    assert client_ip(proxied) == "198.51.100.7"  # what the client wrote itself (1.2.3.4) is not believed
    assert client_ip(direct) == "203.0.113.9"  # not from a trusted proxy: the header is ignored
