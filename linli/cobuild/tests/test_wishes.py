"""Small wishes: post, adopt (first come), fulfil with a photo, thank; the address only to the adopter."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from linli.cobuild import services
from linli.cobuild.choices import WishState
from linli.cobuild.models import Wish
from linli.core.errors import Conflict, PermissionDenied, ValidationFailed
from linli.core.models import AuditEntry
from linli.testing import signed_in

from .conftest import World, photo

pytestmark = pytest.mark.django_db
J = "application/json"


def test_the_wish_loop_and_the_address_rule(world: World) -> None:
    resident, helper = world.cast.resident, world.provider
    wish = services.wish_post(actor=resident, title="想要一副老花镜", description="看报纸用")
    assert wish.address == world.cast.household.address
    with pytest.raises(PermissionDenied):  # not yet adopted: no address
        services.wish_contact(actor=helper, wish=wish)
    with pytest.raises(ValidationFailed):
        services.wish_adopt(actor=resident, wish=wish)
    wish = services.wish_adopt(actor=helper, wish=wish, adopter_name="第一党支部")
    assert wish.state == WishState.ADOPTED and wish.adopter_name == "第一党支部"
    with pytest.raises(Conflict):
        services.wish_adopt(actor=world.cast.community_worker, wish=wish)
    assert services.wish_contact(actor=helper, wish=wish)["address"] == world.cast.household.address
    assert AuditEntry.objects.filter(action="cobuild.wish_contact").count() == 1
    with pytest.raises(PermissionDenied):
        services.wish_fulfil(actor=world.cast.community_worker, wish=wish, photo=photo())
    wish = services.wish_fulfil(actor=helper, wish=wish, photo=photo())
    assert wish.state == WishState.FULFILLED and wish.photo
    with pytest.raises(PermissionDenied):
        services.wish_reply(actor=helper, wish=wish, thanks=True, message="")
    wish = services.wish_reply(actor=resident, wish=wish, thanks=True, message="谢谢！")
    assert wish.state == WishState.THANKED


def test_a_worker_posts_for_a_resident_and_a_problem_needs_words(world: World) -> None:
    cw = world.cast.community_worker
    wish = services.wish_post_for(
        actor=cw,
        community=world.cast.community,
        title="想学用智能手机",
        wisher_name="王奶奶",
        address="和平路1号院3号楼",
    )
    with pytest.raises(PermissionDenied):
        services.wish_post_for(
            actor=world.cast.resident, community=world.cast.community, title="x", wisher_name="y", address="z"
        )
    services.wish_adopt(actor=world.provider, wish=wish)
    services.wish_fulfil(actor=world.provider, wish=wish, photo=photo())
    with pytest.raises(ValidationFailed):
        services.wish_reply(actor=cw, wish=wish, thanks=False, message="")
    assert services.wish_reply(actor=cw, wish=wish, thanks=False, message="没教会").state == WishState.PROBLEM


def test_an_adopted_wish_reads_as_adopted_to_the_adopter(world: World, client_for) -> None:  # type: ignore[no-untyped-def]
    """The wish's state is 已认领 (adopted by someone), not 已确定, which is how the monthly topic's 'Adopted'
    reads: the same English must not borrow another page's Chinese."""
    wish = services.wish_post(actor=world.cast.resident, title="想要一副老花镜", description="")
    services.wish_adopt(actor=world.provider, wish=wish, adopter_name="赵师傅")
    client = client_for("resident")
    client.force_login(world.provider)
    page = client.get(f"/cobuild/wishes/{wish.pk}/").content.decode()
    assert "已认领" in page and "已确定" not in page


def test_a_second_tap_on_adopt_is_not_told_someone_else_adopted_it(world: World) -> None:
    """The adopter's second tap on 认领 (or a page reloaded after adopting) read “这个心愿已被他人认领”: they held the
    wish but were told they had lost it. Now the adopter is simply shown their adopted wish, told and audited once."""
    from django.urls import reverse

    from linli.testing import signed_in

    wish = services.wish_post(actor=world.cast.resident, title="想要一副老花镜", description="看报纸用")
    helper = signed_in(world.provider)
    adopt = reverse("cobuild:wish_act", args=[wish.pk, "adopt"])
    helper.post(adopt, {"adopter_name": "赵师傅"}, follow=True)  # its message read on the wish's page
    again = helper.post(adopt, {"adopter_name": "赵师傅"}, follow=True)
    said = [str(m) for m in again.context["messages"]]
    assert not any("他人" in s for s in said) and any("您已认领" in s for s in said), said
    wish.refresh_from_db()
    assert wish.state == WishState.ADOPTED and wish.adopter_id == world.provider.pk
    assert AuditEntry.objects.filter(action="cobuild.wish_adopt").count() == 1
    with pytest.raises(Conflict):  # anyone else is still told it is taken
        services.wish_adopt(actor=world.cast.community_worker, wish=wish)


def test_the_api_takes_a_wish_from_posted_to_thanked_as_the_pages_do(world: World, client_for: Any) -> None:
    """The API offered only the list and withdrawing: a resident's phone app could not post, adopt, confirm or
    thank a wish. Now each step is there, through the same services and with the same refusals."""
    resident, helper = client_for("resident"), signed_in(world.provider)
    refused = client_for("outsider").post("/api/cobuild/wishes", {"title": "想要一副老花镜"}, content_type=J)
    assert refused.status_code == 403  # not verified in this community: the page's own refusal
    posted = resident.post(
        "/api/cobuild/wishes", {"title": "想要一副老花镜", "description": "看报纸用"}, content_type=J
    )
    assert posted.status_code == 201, posted.content
    wish = posted.json()
    assert wish["state"] == "open" and Wish.objects.get(pk=wish["id"]).description == "看报纸用"
    url = f"/api/cobuild/wishes/{wish['id']}"
    own = resident.post(f"{url}/adopt", {}, content_type=J)
    assert own.status_code == 422  # one's own wish is not adopted
    adopted = helper.post(f"{url}/adopt", {"adopter_name": "第一党支部"}, content_type=J)
    assert adopted.status_code == 200 and adopted.json()["adopter"] == "第一党支部"
    assert client_for("community_worker").post(f"{url}/adopt", {}, content_type=J).status_code == 409
    assert resident.post(f"{url}/fulfil", {"photo": photo()}).status_code == 403  # only the adopter
    fulfilled = helper.post(f"{url}/fulfil", {"photo": photo()})
    assert fulfilled.status_code == 200 and fulfilled.json()["state"] == "fulfilled"
    assert (
        resident.post(f"{url}/reply", {"thanks": False}, content_type=J).status_code == 422
    )  # a problem needs words
    thanked = resident.post(f"{url}/reply", {"thanks": True, "message": "谢谢！"}, content_type=J)
    assert thanked.status_code == 200 and thanked.json()["state"] == "thanked"


def test_wishes_of_several_communities_say_whose_they_are(world: World, client_for: Any) -> None:
    """Someone without a household (a grid worker, a unit's staff) reads every community's open wishes: each row says
    its community, so two alike are told apart; a resident's list is their own community's and says nothing more."""
    cast = world.cast
    for actor, community, who in (
        (cast.community_worker, cast.community, "王奶奶"),
        (cast.outsider, cast.other_community, "李爷爷"),
    ):
        services.wish_post_for(
            actor=actor, community=community, title="想要一副老花镜", wisher_name=who, address="1号楼"
        )
    url = reverse("cobuild:wishes")
    page = client_for("grid_worker").get(url).content.decode()
    assert page.count("想要一副老花镜") == 2
    assert cast.community.name in page and cast.other_community.name in page
    cast.resident.household_verified_at = timezone.now()
    cast.resident.save(update_fields=["household_verified_at"])
    own = client_for("resident").get(url).content.decode()
    assert own.count("想要一副老花镜") == 1 and cast.other_community.name not in own
