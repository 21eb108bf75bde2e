"""An appeal raised from a visit of the grid worker's log: offered on the visit's page (territory's registry), one
step from the visit's text, with its place and photos, by the patrol channel; the visit keeps the number."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from linli.accounts.models import User
from linli.appeals import services
from linli.appeals.models import Appeal
from linli.core.errors import PermissionDenied
from linli.core.roles import Role
from linli.territory import services as territory
from linli.territory.models import Visit
from linli.testing import PASSWORD, Cast

pytestmark = pytest.mark.django_db

FOUND = "3号楼1单元楼道灯坏了一周，独居老人晚上下楼不安全。"


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def jpeg() -> SimpleUploadedFile:
    buf = io.BytesIO()
    Image.new("RGB", (48, 32), (200, 80, 40)).save(buf, "JPEG")
    return SimpleUploadedFile("lamp.jpg", buf.getvalue(), content_type="image/jpeg")


@pytest.fixture
def visit(cast: Cast) -> Visit:
    return territory.visit_log(
        actor=cast.grid_worker, household=cast.household, found=FOUND, follow_up="报修楼道灯", photos=[jpeg()]
    )


def test_the_visit_page_offers_the_appeal_and_one_step_raises_it(
    cast: Cast, client_for: Any, visit: Visit
) -> None:
    client = client_for("grid_worker")
    url = reverse("appeals:from_visit", args=[visit.pk])
    assert url in client.get(f"/territory/visits/{visit.pk}/").content.decode()
    form = client.get(url)
    assert form.status_code == 200 and FOUND in form.content.decode()
    response = client.post(url, {"kind": "help", "description": FOUND + "\n需跟进：报修楼道灯"})
    appeal = Appeal.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("appeals:detail", args=[appeal.pk])
    assert (appeal.channel, appeal.grid, appeal.submitted_by) == ("patrol", cast.grid, cast.grid_worker)
    assert appeal.address == cast.household.address and appeal.photos.count() == 1
    visit.refresh_from_db()
    assert visit.appeal_number == appeal.tracking_number
    page = client.get(f"/territory/visits/{visit.pk}/").content.decode()
    assert appeal.tracking_number in page and url not in page
    # A second try goes back to the visit; no second appeal.
    assert client.post(url, {"kind": "help", "description": FOUND}).status_code == 302
    assert Appeal.objects.count() == 1


def test_a_too_short_description_keeps_the_form_and_raises_nothing(
    cast: Cast, client_for: Any, visit: Visit
) -> None:
    response = client_for("grid_worker").post(
        reverse("appeals:from_visit", args=[visit.pk]), {"kind": "help", "description": "灯"}
    )
    assert response.status_code == 422
    assert not Appeal.objects.exists()
    visit.refresh_from_db()
    assert visit.appeal_number == ""


def test_a_part_time_grid_worker_raises_an_appeal_from_their_visit(cast: Cast) -> None:
    rider = User.objects.create_user(
        username="rider", password=PASSWORD, role=Role.PART_TIME_GRID_WORKER, org_node=cast.compound
    )
    cast.grid.workers.add(rider)
    visit = territory.visit_log(actor=rider, household=cast.household, found=FOUND)
    appeal = services.appeal_from_visit(actor=rider, visit=visit, kind="help", description=FOUND)
    assert appeal.channel == "patrol" and appeal.grid == cast.grid


def test_someone_outside_the_grid_cannot_raise_an_appeal_from_the_visit(
    cast: Cast, client_for: Any, visit: Visit
) -> None:
    assert client_for("outsider").get(reverse("appeals:from_visit", args=[visit.pk])).status_code == 404
    with pytest.raises(PermissionDenied):
        services.appeal_from_visit(actor=cast.street_officer, visit=visit, kind="help", description=FOUND)
    assert not Appeal.objects.exists()


def test_the_api_raises_the_appeal_once_and_answers_404_outside_the_grid(
    cast: Cast, client_for: Any, visit: Visit
) -> None:
    url = f"/api/appeals/from-visit/{visit.pk}"
    body = {"kind": "help", "description": FOUND}
    assert client_for("outsider").post(url, body, content_type="application/json").status_code == 404
    resident = client_for("resident").post(url, body, content_type="application/json")
    assert resident.status_code == 403
    client = client_for("grid_worker")
    first = client.post(url, body, content_type="application/json")
    assert first.status_code == 201, first.content
    appeal = Appeal.objects.get()
    assert first.json()["tracking_number"] == appeal.tracking_number and first.json()["channel"] == "patrol"
    assert appeal.photos.count() == 1 and appeal.grid == cast.grid
    again = client.post(
        url, {"kind": "help", "description": "再提交一次同样的走访"}, content_type="application/json"
    )
    assert again.status_code == 200 and again.json()["id"] == appeal.pk
    assert Appeal.objects.count() == 1
    short = client_for("grid_worker").post(
        f"/api/appeals/from-visit/{visit.pk + 999}", body, content_type="application/json"
    )
    assert short.status_code == 404
