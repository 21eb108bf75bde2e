"""Photos of past activities on the public page, with the consent of those pictured: the organiser uploads a
photo (private), marks that everyone pictured agreed and how (public), and may withdraw it (private again)."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from PIL import Image

from linli.core.errors import InvalidTransition, PermissionDenied, ValidationFailed
from linli.testing.images import jpeg_from_a_phone
from linli.volunteers import services
from linli.volunteers.models import ActivityPhoto

from .conftest import World, at

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings: object, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path  # type: ignore[attr-defined]


def jpeg(name: str = "clean-up.jpg") -> SimpleUploadedFile:
    buf = io.BytesIO()
    Image.new("RGB", (64, 48), (46, 157, 91)).save(buf, "JPEG")
    return SimpleUploadedFile(name, buf.getvalue(), content_type="image/jpeg")


def staff_client(world: World) -> Client:
    client = Client()
    client.force_login(world.cast.community_worker)
    return client


def public_page(world: World) -> str:
    return Client().get(f"/volunteers/p/{world.cast.community.code}/").content.decode()


def test_a_photo_is_public_only_after_everyone_pictured_agreed(world: World) -> None:
    with time_machine.travel(at(3)):  # the activity (day 2) has taken place
        staff = staff_client(world)
        response = staff.post(
            f"/volunteers/staff/activities/{world.activity.pk}/photos/",
            {"photo": jpeg(), "caption": "清理后的中心广场"},
        )
        assert response.status_code == 302, response
        photo = ActivityPhoto.objects.get()
        assert not photo.consent
        # Staff see it; the public page and the public address do not show it.
        assert staff.get(f"/volunteers/staff/photos/{photo.pk}/").status_code == 200
        assert "清理后的中心广场" not in public_page(world)
        assert Client().get(f"/volunteers/p/photos/{photo.pk}/").status_code == 404

        # Marking consent needs to say how they agreed.
        staff.post(f"/volunteers/staff/photos/{photo.pk}/consent/", {"consent": "1", "note": ""})
        photo.refresh_from_db()
        assert not photo.consent
        staff.post(
            f"/volunteers/staff/photos/{photo.pk}/consent/",
            {"consent": "1", "note": "照片中三位志愿者当场同意，签字单存社区"},
        )
        photo.refresh_from_db()
        assert photo.consent and photo.consent_by == world.cast.community_worker
        page = public_page(world)
        assert "清理后的中心广场" in page and f"/volunteers/p/photos/{photo.pk}/" in page
        served = Client().get(f"/volunteers/p/photos/{photo.pk}/")
        assert served.status_code == 200 and served["Cache-Control"].startswith("public")

        # Someone pictured changes their mind: withdrawn, it is gone from the public at once.
        staff.post(
            f"/volunteers/staff/photos/{photo.pk}/consent/", {"consent": "0", "note": "王医生不希望公开"}
        )
        assert "清理后的中心广场" not in public_page(world)
        assert Client().get(f"/volunteers/p/photos/{photo.pk}/").status_code == 404


def test_photos_wait_for_the_activity_and_must_be_photos(world: World) -> None:
    worker = world.cast.community_worker
    with pytest.raises(InvalidTransition):  # the activity is in two days
        services.activity_photo_add(actor=worker, activity=world.activity, photo=jpeg())
    with time_machine.travel(at(3)):
        not_a_photo = SimpleUploadedFile("notes.jpg", b"not an image at all", content_type="image/jpeg")
        with pytest.raises(ValidationFailed) as error:
            services.activity_photo_add(actor=worker, activity=world.activity, photo=not_a_photo)
        assert error.value.extra["field"] == "photo"
        assert not ActivityPhoto.objects.exists()


def test_a_photo_is_kept_upright_without_the_phones_position(world: World) -> None:
    """A photo of the neighbours becomes public: it must not say where it was taken from, nor with what (it was
    stored as sent, EXIF and all)."""
    taken = SimpleUploadedFile("IMG_0001.jpg", jpeg_from_a_phone((64, 48), orientation=6))
    with time_machine.travel(at(3)):
        photo = services.activity_photo_add(
            actor=world.cast.community_worker, activity=world.activity, photo=taken
        )
    with photo.image.open("rb") as stored, Image.open(stored) as kept:
        assert kept.size == (48, 64)
        assert not kept.getexif().get_ifd(0x8825) and 0x010F not in kept.getexif()
    assert "IMG_0001" not in photo.image.name


def test_only_the_communitys_staff_handle_its_photos(world: World) -> None:
    with time_machine.travel(at(3)):
        photo = services.activity_photo_add(
            actor=world.cast.community_worker, activity=world.activity, photo=jpeg()
        )
        with pytest.raises(PermissionDenied):
            services.activity_photo_consent(actor=world.cast.outsider, photo=photo, consent=True, note="同意")
        outsider = Client()  # signed in at the time travelled to (a staff session expires)
        outsider.force_login(world.cast.outsider)
        assert outsider.get(f"/volunteers/staff/photos/{photo.pk}/").status_code == 404
        assert outsider.post(f"/volunteers/staff/photos/{photo.pk}/remove/").status_code == 404
        resident = Client()
        resident.force_login(world.cast.resident)
        assert resident.get(f"/volunteers/staff/photos/{photo.pk}/").status_code in (302, 403, 404)
        services.activity_photo_remove(actor=world.cast.community_worker, photo=photo)
        assert not ActivityPhoto.objects.exists()
