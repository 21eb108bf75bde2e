"""Co-governance's photos (a paper ballot's signed form, taken at a household's door; a result's progress) are
stored as every photo is (core.photos.photo_to_store): upright, without the phone's EXIF (its GPS position, its
make), under a name of their own; a file that is no photo is refused on the field `photo`. They were checked by
their content but stored as sent, EXIF and all."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from linli.core.errors import ValidationFailed
from linli.deliberation import services
from linli.deliberation.models import Ballot
from linli.testing.images import jpeg_from_a_phone

from .conftest import Hall, decided, owners_vote

pytestmark = pytest.mark.django_db

GPS_IFD, MAKE = 0x8825, 0x010F


def _kept(data: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(data))
    assert not image.getexif().get_ifd(GPS_IFD), "the phone's position was kept"
    assert MAKE not in image.getexif(), "the phone's make was kept"
    return image


def _phone_photo(**kw: Any) -> SimpleUploadedFile:
    return SimpleUploadedFile("IMG_0001.jpg", jpeg_from_a_phone(**kw), "image/jpeg")


def test_a_paper_ballots_photo_keeps_no_position_and_stands_upright(hall: Hall) -> None:
    vote = owners_vote(hall.cast)
    ballot = services.ballot_record_paper(
        actor=hall.cast.grid_worker,
        vote=vote,
        household=hall.households[2],
        option_ids=[vote.options.get(key="agree").pk],
        photo=_phone_photo(orientation=6),  # held upright: the sensor's 48×32 is shown 32×48
    )
    with ballot.paper_photo.open("rb") as stored:
        assert _kept(stored.read()).size == (32, 48)
    assert "IMG_0001" not in ballot.paper_photo.name and ballot.paper_photo.name.endswith(".jpg")


def test_a_paper_ballot_sent_through_the_api_is_served_without_the_position(
    hall: Hall, client_for: Any
) -> None:
    vote = owners_vote(hall.cast)
    grid = client_for("grid_worker")
    url = f"/api/deliberation/votes/{vote.pk}/paper-ballots"
    fields = {"household_code": hall.households[1].code, "option_ids": [vote.options.get(key="agree").pk]}
    fake = grid.post(url, {**fields, "photo": SimpleUploadedFile("form.jpg", b"<html>", "image/jpeg")})
    assert fake.status_code == 422 and fake.json()["extra"]["field"] == "photo"
    assert "form.jpg" in fake.json()["message"] and not Ballot.objects.exists()
    done = grid.post(url, {**fields, "photo": _phone_photo()})
    assert done.status_code == 201
    served = grid.get(done.json()["photo_url"])
    assert served.status_code == 200
    assert _kept(b"".join(served.streaming_content)).size == (48, 32)  # type: ignore[attr-defined]


def test_a_results_progress_photo_keeps_no_position(hall: Hall) -> None:
    cast = hall.cast
    _meeting, decision = decided(hall, [])
    result = decision.results.get()
    with pytest.raises(ValidationFailed) as refused:
        services.result_progress(
            actor=cast.community_worker,
            result=result,
            progress=50,
            note="完成一半",
            photo=SimpleUploadedFile("huge.png", b"\0" * (5 * 1024 * 1024 + 1), "image/png"),
        )
    assert refused.value.extra["field"] == "photo" and not result.updates.exists()
    services.result_progress(
        actor=cast.community_worker, result=result, progress=50, note="完成一半", photo=_phone_photo()
    )
    update = result.updates.get()
    with update.photo.open("rb") as stored:
        assert _kept(stored.read()).size == (48, 32)
    assert "IMG_0001" not in update.photo.name
