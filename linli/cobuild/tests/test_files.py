"""Co-building's stored photos and receipts are served by its own addresses, each only to whoever may open what it
belongs to (MEDIA_URL itself is never served)."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from linli.cobuild import services

from .conftest import World, fund_with, lamps_asked, photo

pytestmark = pytest.mark.django_db


def _png(response) -> bool:  # type: ignore[no-untyped-def]
    return response.status_code == 200 and b"".join(response.streaming_content).startswith(b"\x89PNG")


def test_an_order_photo_and_a_receipt_reach_only_those_who_may_see_them(world: World, client_for) -> None:  # type: ignore[no-untyped-def]
    cast = world.cast
    order = services.order_place(actor=cast.resident, item=world.repair, note="水龙头滴水")
    services.order_assign(actor=cast.community_worker, order=order, provider=world.plumber)
    services.order_fulfil(
        actor=world.provider, order=order, fulfilment="whole", minutes=30, report="换了阀芯", photo=photo()
    )
    url = reverse("cobuild:order_photo", args=[order.pk])
    resident = client_for("resident")
    assert url in resident.get(reverse("cobuild:order", args=[order.pk])).content.decode()
    assert _png(resident.get(url)) and _png(client_for("community_worker").get(url))
    assert client_for("outsider").get(url).status_code == 404  # staff of another community
    assert Client().get(url).status_code == 302  # to the sign-in

    fund_with(cast)
    project = services.project_create(
        actor=cast.community_worker, community=cast.community, title="楼道照明改造", budget="1000"
    )
    payment = lamps_asked(cast, project, "80")
    url = reverse("cobuild:staff_receipt", args=[payment.pk])
    staff = client_for("community_worker")
    assert url in staff.get(reverse("cobuild:staff_fund")).content.decode()
    r = staff.get(url)
    assert r.status_code == 200 and b"".join(r.streaming_content).startswith(b"%PDF")
    assert client_for("outsider").get(url).status_code == 404
    assert client_for("resident").get(url).status_code == 403
