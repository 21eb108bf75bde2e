"""A wisher withdraws a wish not yet fulfilled: an open one at once, an adopted one with a reason the adopter is told
(their adoption ends: no more address, nothing to confirm); a fulfilled one stays. Audited; the page and the API."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from linli.cobuild import services
from linli.cobuild.choices import WishState
from linli.cobuild.models import Wish
from linli.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from linli.core.models import AuditEntry, Notification
from linli.testing import signed_in

from .conftest import World, photo

pytestmark = pytest.mark.django_db


def _wish(world: World) -> Wish:
    return services.wish_post(actor=world.cast.resident, title="想要一副老花镜")


def test_a_resident_withdraws_an_open_wish_from_its_page(world: World, client_for: Any) -> None:
    wish = _wish(world)
    client = client_for("resident")
    page = client.get(reverse("cobuild:wish", args=[wish.pk])).content.decode()
    assert "撤回这个心愿" in page
    response = client.post(reverse("cobuild:wish_act", args=[wish.pk, "withdraw"]), {"reason": ""})
    assert response.status_code == 302
    wish.refresh_from_db()
    assert wish.state == WishState.WITHDRAWN and wish.withdrawn_at is not None
    assert AuditEntry.objects.filter(action="cobuild.wish_withdraw", object_id=str(wish.pk)).exists()
    assert "已撤回" in client.get(reverse("cobuild:wish", args=[wish.pk])).content.decode()
    # No longer offered to anyone to adopt.
    helper = signed_in(world.provider)
    assert "想要一副老花镜" not in helper.get(reverse("cobuild:wishes")).content.decode()
    with pytest.raises(NotFound):  # withdrawn, it is open to nobody
        services.wish_adopt(actor=world.provider, wish=wish)


def test_an_adopted_wish_is_withdrawn_with_a_reason_the_adopter_is_told(
    world: World, client_for: Any, django_capture_on_commit_callbacks: Any
) -> None:
    wish = services.wish_adopt(actor=world.provider, wish=_wish(world), adopter_name="第一党支部")
    client = client_for("resident")
    url = reverse("cobuild:wish_act", args=[wish.pk, "withdraw"])
    refused = client.post(url, {"reason": ""}, follow=True).content.decode()
    assert "请说明撤回的原因" in refused
    wish.refresh_from_db()
    assert wish.state == WishState.ADOPTED
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"reason": "孩子已经给我买了"})
    wish.refresh_from_db()
    assert wish.state == WishState.WITHDRAWN and wish.withdraw_reason == "孩子已经给我买了"
    told = Notification.objects.get(user=world.provider, title__contains="撤回")
    assert "孩子已经给我买了" in told.body
    # The adoption has ended: the address is no longer shown, there is nothing to confirm.
    with pytest.raises(PermissionDenied):
        services.wish_contact(actor=world.provider, wish=wish)
    with pytest.raises(Conflict):
        services.wish_fulfil(actor=world.provider, wish=wish, photo=photo())
    page = signed_in(world.provider).get(reverse("cobuild:wish", args=[wish.pk])).content.decode()
    assert "孩子已经给我买了" in page and "显示地址和电话" not in page


def test_only_the_wisher_withdraws_and_only_before_it_is_fulfilled(world: World) -> None:
    wish = _wish(world)
    with pytest.raises(PermissionDenied):
        services.wish_withdraw(actor=world.provider, wish=wish, reason="")
    with pytest.raises(ValidationFailed):
        services.wish_withdraw(actor=world.cast.resident, wish=wish, reason="长" * 201)
    services.wish_adopt(actor=world.provider, wish=wish)
    services.wish_fulfil(actor=world.provider, wish=wish, photo=photo())
    with pytest.raises(Conflict):
        services.wish_withdraw(actor=world.cast.resident, wish=wish, reason="不要了")
    # A worker who posted a wish for a neighbour withdraws it for them.
    posted = services.wish_post_for(
        actor=world.cast.community_worker,
        community=world.cast.community,
        title="想学用智能手机",
        wisher_name="王奶奶",
        address="和平路1号院3号楼",
    )
    done = services.wish_withdraw(actor=world.cast.community_worker, wish=posted, reason="")
    assert done.state == WishState.WITHDRAWN


def test_the_api_withdraws_a_wish(world: World, client_for: Any) -> None:
    wish = _wish(world)
    url = f"/api/cobuild/wishes/{wish.pk}/withdraw"
    assert signed_in(world.provider).post(url, {}, content_type="application/json").status_code == 403
    response = client_for("resident").post(url, {"reason": "不需要了"}, content_type="application/json")
    assert response.status_code == 200, response.content
    assert response.json()["state"] == "withdrawn"
    again = client_for("resident").post(url, {}, content_type="application/json")
    assert again.status_code == 409
    # Withdrawn, the wish is no longer open to everyone: outside the area it is not found.
    assert client_for("outsider").post(url, {}, content_type="application/json").status_code == 404
