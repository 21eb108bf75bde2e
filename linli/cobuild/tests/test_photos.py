"""Co-building's photos (an order done, a wish fulfilled, a milestone reached) are checked and stored as every other
photo (core.photos): the phone's EXIF (its GPS position in a resident's home, its make) is not kept, and a file that
is no photo is refused on the field `photo`, the page's and the API's. They were stored as sent, checked for their
size alone by the services (the pages' image field, not the API, decoded them)."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from linli.cobuild import services
from linli.core.errors import ValidationFailed
from linli.testing.images import jpeg_from_a_phone

from .conftest import World

pytestmark = pytest.mark.django_db


def _taken_at_home() -> SimpleUploadedFile:
    return SimpleUploadedFile("IMG_0001.jpg", jpeg_from_a_phone(), content_type="image/jpeg")


def test_an_orders_photo_is_kept_without_the_phones_position(world: World) -> None:
    order = services.order_place(actor=world.cast.resident, item=world.repair, note="灯坏了")
    services.order_assign(actor=world.cast.community_worker, order=order, provider=world.plumber)
    order = services.order_fulfil(
        actor=world.provider,
        order=order,
        fulfilment="whole",
        minutes=30,
        report="换了灯泡",
        photo=_taken_at_home(),
    )
    with order.photo.open("rb") as stored, Image.open(stored) as kept:
        assert kept.size == (48, 32)
        assert not kept.getexif().get_ifd(0x8825) and 0x010F not in kept.getexif()
    assert "IMG_0001" not in order.photo.name


def test_a_wish_fulfilled_with_a_file_that_is_no_photo_is_refused_on_the_field(
    world: World, client_for
) -> None:  # type: ignore[no-untyped-def]
    wish = services.wish_post(actor=world.cast.resident, title="想要一副老花镜")
    services.wish_adopt(actor=world.provider, wish=wish)
    fake = SimpleUploadedFile("done.png", b"<html>not a photo</html>", content_type="image/png")
    with pytest.raises(ValidationFailed) as refused:
        services.wish_fulfil(actor=world.provider, wish=wish, photo=fake)
    assert refused.value.extra["field"] == "photo" and "done.png" in refused.value.message
    wish.refresh_from_db()
    assert wish.state == "adopted" and not wish.photo
