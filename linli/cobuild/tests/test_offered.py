"""What a staff page offers follows the rule the services check: the action table and the communities the
person's forms can name. A grid worker, whose part is a compound below every community, is offered no form and is
told where their part is; a grid worker placed on a community is offered what the services let them do there; a
community worker is offered every form; the services still refuse a write outside the person's area."""

from __future__ import annotations

import pytest
from django.urls import reverse

from linli.cobuild import permissions, services
from linli.cobuild.models import Need, Wish
from linli.core.errors import PermissionDenied
from linli.core.roles import Role
from linli.testing import make_user, signed_in

from .conftest import World, fund_with, lamps_asked

PAGES = [
    "cobuild:staff_needs",
    "cobuild:staff_resources",
    "cobuild:staff_projects",
    "cobuild:staff_orders",
    "cobuild:staff_wishes",
    "cobuild:staff_partners",
    "cobuild:staff_stars",
    "cobuild:staff_fund",
]
HINT = "您负责的是网格"
NOTHING = dict.fromkeys(permissions.ACTION_RULES, False)


def test_a_grid_worker_of_a_compound_is_offered_nothing_and_told_where_their_part_is(
    world: World, client_for
) -> None:  # type: ignore[no-untyped-def]
    gw = client_for("grid_worker")
    for name in PAGES:
        r = gw.get(reverse(name))
        body = r.content.decode()
        assert r.status_code == 200, name
        assert r.context["may"] == NOTHING, name
        assert HINT in body, name
        assert reverse("territory:grid_visits", args=[world.cast.grid.pk]) in body, (
            name
        )  # the way to their visits
        # No form that would only be refused (the one form is the sign-out in the page's head).
        assert body.count('method="post"') == body.count('action="/logout/"') == 1, name
    # The service refuses what the page no longer offers.
    with pytest.raises(PermissionDenied):
        services.need_create(
            actor=world.cast.grid_worker, community=world.cast.community, title="路灯", category="repair"
        )


def test_a_grid_worker_placed_on_a_community_is_offered_and_may_what_the_table_gives_them(
    world: World,
) -> None:
    """Nothing allowed is hidden: the role's rows (lists, wishes) in the community their account is placed on."""
    user = make_user("gw-community", Role.GRID_WORKER, node=world.cast.community)
    client = signed_in(user)
    needs = client.get(reverse("cobuild:staff_needs"))
    assert needs.context["may"] == {**NOTHING, "lists_manage": True, "wish_manage": True}
    body = needs.content.decode()
    assert "添加需求" in body and HINT not in body
    orders = client.get(reverse("cobuild:staff_orders")).content.decode()
    assert "添加服务项目" not in orders and "下架" not in orders  # order_dispatch is not theirs
    # What is offered, the service allows.
    r = client.post(
        reverse("cobuild:staff_needs"),
        {
            "community": world.cast.community.pk,
            "title": "楼道灯坏",
            "category": "repair",
            "urgency": 2,
            "households": 3,
        },
    )
    assert r.status_code == 302 and Need.objects.filter(title="楼道灯坏", raised_by=user).exists()
    assert "代居民发布心愿" in client.get(reverse("cobuild:staff_wishes")).content.decode()
    r = client.post(
        reverse("cobuild:staff_wishes"),
        {
            "community": world.cast.community.pk,
            "title": "老花镜",
            "wisher_name": "王奶奶",
            "address": "1号楼",
        },
    )
    assert r.status_code == 302 and Wish.objects.filter(title="老花镜").exists()
    # What is not offered, the service refuses.
    with pytest.raises(PermissionDenied):
        services.service_item_create(
            actor=user, community=world.cast.community, name="理发", category="haircut", description=""
        )


def test_a_community_worker_is_offered_every_form_of_their_community_and_nothing_beyond(
    world: World, client_for
) -> None:  # type: ignore[no-untyped-def]
    cw = client_for("community_worker")
    r = cw.get(reverse("cobuild:staff_needs"))
    assert r.context["may"] == dict.fromkeys(permissions.ACTION_RULES, True)
    assert "添加需求" in r.content.decode() and HINT not in r.content.decode()
    assert "添加资源" in cw.get(reverse("cobuild:staff_resources")).content.decode()
    assert "代居民发布心愿" in cw.get(reverse("cobuild:staff_wishes")).content.decode()
    # The form names only their community; a post naming another is refused on the form, and the service refuses
    # it too.
    r = cw.post(
        reverse("cobuild:staff_needs"),
        {
            "community": world.cast.other_community.pk,
            "title": "外社区",
            "category": "repair",
            "urgency": 2,
            "households": 1,
        },
    )
    assert r.status_code == 422 and not Need.objects.filter(title="外社区").exists()
    with pytest.raises(PermissionDenied):
        services.need_create(
            actor=world.cast.community_worker,
            community=world.cast.other_community,
            title="外社区",
            category="repair",
        )


def test_a_department_handler_is_offered_nothing_and_not_told_about_grids(world: World, client_for) -> None:  # type: ignore[no-untyped-def]
    """A unit's account keeps no community's list: the page takes it to its unit's commitment lists with a word why
    (test_unit_accounts), with no hint about grids."""
    r = client_for("department_handler").get(reverse("cobuild:staff_needs"), follow=True)
    body = r.content.decode()
    assert r.redirect_chain[-1][0] == reverse("cobuild:staff_partners")
    assert "职能部门、共建单位和物业公司的账号" in body and HINT not in body


def test_one_who_visits_but_keeps_no_list_is_not_told_to_put_needs_on_it(world: World) -> None:
    """A part-time grid worker of the compound reports and visits but keeps no list: the hint sent them to a
    button (列入需求清单) they are never given, because it was decided by where their account sits."""
    rider = make_user("rider", Role.PART_TIME_GRID_WORKER, node=world.cast.compound)
    r = signed_in(rider).get(reverse("cobuild:staff_needs"))
    assert r.context["may"] == NOTHING and HINT not in r.content.decode()


def test_the_fund_page_offers_an_approval_only_to_one_who_may_give_it(world: World, client_for) -> None:  # type: ignore[no-untyped-def]
    """The one who asked for a payment, and the first approver, were offered 审批, which the service refused."""
    fund_with(world.cast, "1000.00")
    project = services.project_create(
        actor=world.cast.community_worker, community=world.cast.community, title="楼道照明改造", budget="800"
    )
    payment = lamps_asked(world.cast, project, "300.00")
    url = f"{reverse('cobuild:staff_fund')}?community={world.cast.community.pk}"
    approve = reverse("cobuild:staff_payment_act", args=[payment.pk, "approve"])
    asker = client_for("community_worker").get(url).content.decode()
    assert approve not in asker and "付款申请人不能审批自己的申请。" in asker
    street = client_for("street_officer")
    assert approve in street.get(url).content.decode()
    assert street.post(approve).status_code == 302
    again = street.get(url).content.decode()
    assert approve not in again and "第二次审批须由另一人进行。" in again
    admin = client_for("admin")
    assert approve in admin.get(url).content.decode()
    admin.post(approve)
    payment.refresh_from_db()
    assert payment.state == "paid"
