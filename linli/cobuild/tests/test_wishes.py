"""Small wishes: post, adopt (first come), fulfil with a photo, thank; the address only to the adopter."""

from __future__ import annotations

import pytest

from linli.cobuild import services
from linli.cobuild.choices import WishState
from linli.core.errors import Conflict, PermissionDenied, ValidationFailed
from linli.core.models import AuditEntry

from .conftest import World, photo

pytestmark = pytest.mark.django_db


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
