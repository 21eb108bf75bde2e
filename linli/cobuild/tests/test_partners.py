"""Projects carried out step by step and partner units: milestones with photos that roll up into progress,
commitment lists claimed, kept and settled, the quarter's service stars reviewed then published, the dashboard
panel's figures, and the hours of orders handed to the time bank."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal
from typing import Any

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from linli.appeals import services as appeals
from linli.appeals.models import Appeal
from linli.cobuild import selectors, services
from linli.cobuild.choices import NeedState, ProjectState
from linli.cobuild.models import Commitment, Need, Order, ServiceItem, StarsRelease
from linli.core import served
from linli.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from linli.party import services as party
from linli.party.models import PartnerPairing
from linli.testing import at
from linli.volunteers import services as volunteers
from linli.volunteers.models import BankAccount

from .conftest import LAT, LNG, World, grid_visit, photo

pytestmark = pytest.mark.django_db


def real_photo() -> SimpleUploadedFile:
    buf = io.BytesIO()
    Image.new("RGB", (40, 30), (46, 157, 91)).save(buf, "PNG")
    return SimpleUploadedFile("step.png", buf.getvalue(), content_type="image/png")


def project(world: World, **kw: object):  # type: ignore[no-untyped-def]
    cw = world.cast.community_worker
    n = services.need_create(
        actor=cw, community=world.cast.community, title="楼道水管漏水", category="repair", lng=LNG, lat=LAT
    )
    m = services.match_confirm(actor=cw, need=n, resource=world.plumber)
    data: dict[str, object] = {"community": world.cast.community, "title": "老旧水管更换", "budget": "3000"}
    data.update(kw)
    return services.project_create(actor=cw, matches=[m], **data), n  # type: ignore[arg-type]


def pairing(world: World) -> PartnerPairing:
    return party.partner_pairing_create(
        actor=world.cast.community_worker,
        community=world.cast.community,
        partner_name="区供电公司",
        contact_name="王经理",
        contact_phone="13800000009",
        since=dt.date(2026, 1, 5),
    )


def test_milestones_with_photos_roll_up_into_the_projects_progress(world: World) -> None:
    cw = world.cast.community_worker
    p, n = project(world)
    steps = [
        services.milestone_add(actor=cw, project=p, title=t, due_on=timezone.localdate())
        for t in ("选材", "施工")
    ]
    with pytest.raises(NotFound):  # a resident does not see the staff's projects
        services.milestone_add(actor=world.cast.resident, project=p, title="x", due_on=timezone.localdate())
    with pytest.raises(ValidationFailed):  # what was done is said
        services.milestone_reach(actor=cw, milestone=steps[0], note="")
    services.milestone_reach(actor=cw, milestone=steps[0], note="管材到货", photo=photo())
    p.refresh_from_db()
    assert p.progress == 50 and p.state == ProjectState.UNDERWAY
    assert steps[0].project.milestones.get(pk=steps[0].pk).photo.name.endswith(".png")
    with pytest.raises(Conflict):
        services.milestone_reach(actor=cw, milestone=steps[0], note="again")
    services.milestone_reach(actor=cw, milestone=steps[1], note="更换完成")
    p.refresh_from_db()
    n.refresh_from_db()
    assert p.progress == 100 and p.state == ProjectState.DONE and n.state == NeedState.MET
    with pytest.raises(Conflict):
        services.milestone_add(actor=cw, project=p, title="再加", due_on=timezone.localdate())


def test_a_partner_unit_claims_a_need_and_a_project_and_its_list_is_settled(world: World) -> None:
    cw = world.cast.community_worker
    pu = pairing(world)
    p, _n = project(world)
    other = services.need_create(
        actor=cw, community=world.cast.community, title="活动室缺桌椅", category="space"
    )
    claim_need = services.commitment_add(actor=cw, pairing=pu, need=other)
    claim_project = services.commitment_add(actor=cw, pairing=pu, project=p)
    written = services.commitment_add(actor=cw, pairing=pu, title="每季度一次安全用电讲座")
    assert claim_need.title == "活动室缺桌椅" and claim_project.title == "老旧水管更换"
    with pytest.raises(Conflict):
        services.commitment_add(actor=cw, pairing=pu, project=p)
    with pytest.raises(ValidationFailed):  # an outsider does not see the pairing
        services.commitment_add(actor=world.cast.outsider, pairing=pu, title="x")
    services.project_progress(actor=cw, project=p, progress=100)
    claim_project.refresh_from_db()
    assert claim_project.done_on == timezone.localdate()
    claim_need.refresh_from_db()
    assert claim_need.done_on is None
    services.commitment_fulfil(actor=cw, commitment=written, note="3月讲座60人参加")
    with pytest.raises(Conflict):
        services.commitment_fulfil(actor=cw, commitment=written, note="again")
    rows = selectors.commitment_lists([pu], timezone.localdate().year)
    assert rows[0]["done"] == 2 and rows[0]["total"] == 3


def test_commitments_are_for_a_paired_community_in_the_actors_area(world: World) -> None:
    pu = pairing(world)
    other_need = services.need_create(
        actor=None, community=world.cast.other_community, title="别处的需求", category="repair"
    )
    with pytest.raises(ValidationFailed):
        services.commitment_add(actor=world.cast.community_worker, pairing=pu, need=other_need)
    with pytest.raises(ValidationFailed):
        services.commitment_add(actor=world.cast.community_worker, pairing=pu)
    with pytest.raises(ValidationFailed):  # this year or the next
        services.commitment_add(actor=world.cast.community_worker, pairing=pu, title="x", year=1999)
    assert Commitment.objects.count() == 0


def _rated_orders(world: World, provider, stars: list[int]) -> None:  # type: ignore[no-untyped-def]
    for s in stars:
        o = services.order_place(actor=world.cast.resident, item=world.repair, note="水龙头滴水")
        services.order_assign(actor=world.cast.community_worker, order=o, provider=provider)
        services.order_fulfil(actor=None, order=o, fulfilment="whole", minutes=45, report="换了阀芯")
        services.order_rate(actor=world.cast.resident, order=o, rating=s, comment="" if s > 2 else "太慢")


def stars_of(page: str) -> str:
    start = page.index('id="stars"')
    return page[start : page.index("</section>", start)]


def test_service_stars_are_reviewed_then_published_once_after_the_quarter(
    world: World, client, client_for
) -> None:  # type: ignore[no-untyped-def]
    cw = world.cast.community_worker
    with time_machine.travel(at(2026, 5, 12, 10), tick=False):
        _rated_orders(world, world.plumber, [5, 5])
        _rated_orders(world, world.far_plumber, [4, 5, 4])
        with pytest.raises(ValidationFailed):  # the quarter has not ended
            services.stars_publish(
                actor=cw, community=world.cast.community, quarter_start=dt.date(2026, 4, 1)
            )
    public = reverse("cobuild:public", args=[world.cast.community.code])
    with time_machine.travel(at(2026, 7, 2, 10), tick=False):
        assert "赵师傅" not in stars_of(client.get(public).content.decode())  # computed, not yet published
        with pytest.raises(ValidationFailed):
            services.stars_publish(
                actor=cw,
                community=world.cast.community,
                quarter_start=dt.date(2026, 4, 1),
                left_out={"x": ""},
            )
        with pytest.raises(ValidationFailed):  # leaving out needs a reason
            services.stars_publish(
                actor=cw,
                community=world.cast.community,
                quarter_start=dt.date(2026, 4, 1),
                left_out={world.far_plumber.pk: ""},
            )
        with pytest.raises(PermissionDenied):
            services.stars_publish(
                actor=world.cast.grid_worker,
                community=world.cast.community,
                quarter_start=dt.date(2026, 4, 1),
            )
        release = services.stars_publish(
            actor=cw,
            community=world.cast.community,
            quarter_start=dt.date(2026, 5, 20),
            left_out={world.far_plumber.pk: "有一单投诉在核实"},
        )
        assert release.quarter_start == dt.date(2026, 4, 1)
        assert [s["name"] for s in release.stars] == ["赵师傅"]
        assert release.left_out[0]["reason"] == "有一单投诉在核实"
        with pytest.raises(Conflict):
            services.stars_publish(
                actor=cw, community=world.cast.community, quarter_start=dt.date(2026, 4, 1)
            )
        page = client.get(public).content.decode()
        assert (
            "赵师傅" in stars_of(page) and "远方维修" not in stars_of(page) and "有一单投诉在核实" not in page
        )
        # The staff's list of releases says what the count is, as the public page does.
        published = client_for("community_worker").get(reverse("cobuild:staff_stars")).content.decode()
        assert "5.0★ · 2 单" in published
    assert StarsRelease.objects.count() == 1


def test_the_overview_counts_needs_orders_projects_and_the_fund(world: World) -> None:
    from .conftest import fund_with

    cw = world.cast.community_worker
    with time_machine.travel(at(2026, 5, 12, 10), tick=False):
        fund_with(world.cast, "1000.00")
        p, _n = project(world)
        services.project_progress(actor=cw, project=p, progress=100)
        _rated_orders(world, world.plumber, [5, 3])
        late = services.order_place(actor=world.cast.resident, item=world.repair, note="门锁坏了")
        services.order_assign(actor=cw, order=late, provider=world.plumber)
    with time_machine.travel(at(2026, 5, 20, 10), tick=False):
        services.order_deadlines()
        services.order_fulfil(actor=None, order=late, fulfilment="whole", minutes=30, report="换锁")
    o = selectors.overview(world.cast.street.path, dt.date(2026, 5, 1), dt.date(2026, 5, 31))
    assert (o.needs_raised, o.needs_met) == (1, 1)
    assert (o.orders_done, o.orders_on_time, o.orders_rated) == (3, 2, 2)
    assert o.rating_avg == 4.0 and o.projects == 1 and o.projects_progress == 100
    assert o.fund_balance == Decimal("1000.00") and o.fund_in == Decimal("1000.00") and o.fund_out == 0
    assert (
        selectors.overview(
            world.cast.other_community.path, dt.date(2026, 5, 1), dt.date(2026, 5, 31)
        ).orders_done
        == 0
    )


def test_the_dashboard_shows_the_cobuild_panel(world: World, client_for) -> None:  # type: ignore[no-untyped-def]
    page = client_for("street_officer").get(reverse("dashboard:index")).content.decode()
    assert 'id="cobuild-panel"' in page


def test_a_volunteers_order_hours_go_to_the_time_bank_once(world: World) -> None:
    vol = volunteers.volunteer_enrol(
        actor=None, community=world.cast.community, name="赵师傅", account_id=world.provider.pk, skills="水电"
    )
    _rated_orders(world, world.plumber, [5])  # 45 minutes, by the provider with an account
    _rated_orders(world, world.far_plumber, [5])  # no account: nothing to credit
    assert services.order_hours_hand_over() == 1
    assert services.order_hours_hand_over() == 0  # once
    account = BankAccount.objects.get(volunteer=vol)
    assert account.balance == Decimal("0.75")
    assert not Order.objects.filter(served_at__isnull=True, provider=world.plumber).exists()


def test_a_sink_refusing_does_not_stop_the_job(world: World) -> None:
    from linli.core.errors import Conflict as Refused

    def refuse(record: served.Served) -> bool:
        raise Refused("full")

    served.register("test.refuse", refuse)
    try:
        _rated_orders(world, world.plumber, [5])
        assert services.order_hours_hand_over() == 0
        assert Order.objects.get().served_at is not None
    finally:
        served.unregister("test.refuse")


def test_needs_from_a_visit_and_a_suggestion_through_their_pages(world: World, client_for) -> None:  # type: ignore[no-untyped-def]
    visit = grid_visit(world)
    gw = client_for("grid_worker")
    page = gw.get(reverse("territory:visit", args=[visit.pk])).content.decode()
    url = reverse("cobuild:need_from_visit", args=[visit.pk])
    assert url in page
    r = gw.post(url, {"title": "换灯泡", "category": "bogus", "households": 1})
    assert r.status_code == 422 and Need.objects.count() == 0
    r = gw.post(url, {"title": "换灯泡", "category": "repair", "households": 1})
    assert r.status_code == 302
    need = Need.objects.get(visit=visit)
    assert need.source == "visit" and need.community == world.cast.community
    assert url not in gw.get(reverse("territory:visit", args=[visit.pk])).content.decode()
    assert gw.get(url).status_code == 302  # on the list already: to the need
    assert client_for("outsider").get(url).status_code == 404

    def submit(kind: str, title: str, description: str) -> Appeal:
        return appeals.appeal_submit(
            actor=world.cast.resident,
            kind=kind,
            title=title,
            description=description,
            channel="web",
            grid=world.cast.grid,
        )

    suggestion = submit(
        "suggestion", "希望小区增设休息座椅", "小区里老人多，散步走累了没地方坐，建议在花园边增设几张座椅。"
    )
    cw = client_for("community_worker")
    url = reverse("cobuild:need_from_appeal", args=[suggestion.pk])
    assert url in cw.get(reverse("appeals:detail", args=[suggestion.pk])).content.decode()
    r = cw.post(url, {"category": "space", "households": 40})
    assert r.status_code == 302
    need = Need.objects.get(appeal_number=suggestion.tracking_number)
    assert need.households == 40 and need.title == "希望小区增设休息座椅"
    assert url not in cw.get(reverse("appeals:detail", args=[suggestion.pk])).content.decode()
    complaint = submit(
        "complaint", "楼道灯坏了", "3号楼2单元楼道灯坏了一个星期了，晚上很黑，老人上下楼不安全。"
    )
    page = cw.get(reverse("appeals:detail", args=[complaint.pk])).content.decode()
    assert reverse("cobuild:need_from_appeal", args=[complaint.pk]) not in page


def test_the_new_staff_pages_render_and_write(world: World, client_for) -> None:  # type: ignore[no-untyped-def]
    cw = client_for("community_worker")
    p, _n = project(world)
    pu = pairing(world)
    page = cw.get(reverse("cobuild:staff_project", args=[p.pk]))
    assert page.status_code == 200
    r = cw.post(reverse("cobuild:staff_project", args=[p.pk]), {"title": "进场施工", "due_on": "明天"})
    assert r.status_code == 422 and 'value="进场施工"' in r.content.decode()  # refused, what was typed kept
    r = cw.post(reverse("cobuild:staff_project", args=[p.pk]), {"title": "进场施工", "due_on": "2026-12-20"})
    assert r.status_code == 302
    m = p.milestones.get()
    r = cw.post(
        reverse("cobuild:staff_milestone_reach", args=[p.pk, m.pk]), {"note": "完工", "photo": real_photo()}
    )
    assert r.status_code == 302
    p.refresh_from_db()
    assert p.progress == 100
    assert cw.get(reverse("cobuild:staff_partners")).status_code == 200
    r = cw.post(reverse("cobuild:staff_partners"), {"pairing": pu.pk, "title": ""})
    assert r.status_code == 422 and 'role="alert"' in r.content.decode()
    r = cw.post(reverse("cobuild:staff_partners"), {"pairing": pu.pk, "title": "每月义诊一次"})
    assert r.status_code == 302
    c = Commitment.objects.get()
    r = cw.post(reverse("cobuild:staff_commitment_fulfil", args=[c.pk]), {"note": "5月义诊30人"})
    assert r.status_code == 302
    c.refresh_from_db()
    assert c.done_on is not None
    assert cw.get(reverse("cobuild:staff_stars")).status_code == 200
    public = client_for("resident").get(reverse("cobuild:public", args=[world.cast.community.code]))
    assert "区供电公司" in public.content.decode() and "进场施工" in public.content.decode()
    assert client_for("resident").get(reverse("cobuild:staff_partners")).status_code == 403


def test_a_need_is_closed_with_a_reason_and_then_takes_no_match(world: World, client_for) -> None:  # type: ignore[no-untyped-def]
    cw = world.cast.community_worker
    n = services.need_create(
        actor=cw, community=world.cast.community, title="单元门锁损坏", category="repair"
    )
    with pytest.raises(ValidationFailed):
        services.need_close(actor=cw, need=n, reason=" ")
    r = client_for("community_worker").post(
        reverse("cobuild:staff_need_close", args=[n.pk]), {"reason": "物业已修好"}
    )
    assert r.status_code == 302
    n.refresh_from_db()
    assert n.state == NeedState.CLOSED
    with pytest.raises(Conflict):
        services.match_confirm(actor=cw, need=n, resource=world.plumber)
    with pytest.raises(Conflict):
        services.need_close(actor=cw, need=n, reason="again")


def test_the_community_keeps_its_service_menu(world: World, client_for) -> None:  # type: ignore[no-untyped-def]
    cw = client_for("community_worker")
    r = cw.post(
        reverse("cobuild:staff_orders"),
        {
            "community": world.cast.community.pk,
            "name": "助浴",
            "category": "bathing",
            "description": "上门助浴",
        },
    )
    assert r.status_code == 302
    item = ServiceItem.objects.get(name="助浴")
    r = cw.post(
        reverse("cobuild:staff_orders"),
        {"community": world.cast.community.pk, "name": "助浴", "category": "bathing"},
    )
    assert r.status_code == 422 and "菜单中已有该服务" in r.content.decode()
    assert "助浴" in client_for("resident").get(reverse("cobuild:home")).content.decode()
    with pytest.raises(PermissionDenied):
        services.service_item_create(
            actor=world.cast.grid_worker, community=world.cast.community, name="理发", category="haircut"
        )
    assert cw.post(reverse("cobuild:staff_menu_withdraw", args=[item.pk])).status_code == 302
    assert "助浴" not in client_for("resident").get(reverse("cobuild:home")).content.decode()
    r = cw.post(
        reverse("cobuild:staff_needs"),
        {
            "community": world.cast.community.pk,
            "title": "议定：增设快递柜",
            "category": "space",
            "urgency": 2,
            "households": 80,
            "source": "meeting",
        },
    )
    assert r.status_code == 302 and Need.objects.get(title="议定：增设快递柜").source == "meeting"


def test_a_partner_units_account_reads_its_list_without_links_it_cannot_open(world: World) -> None:
    """partner1 (the unit's own account) sees its commitment list; a claimed need or project is the community's, so
    it names the kind without a link (each link led it to a 404; the page takes it back to its list), while the community
    worker keeps the links."""
    from linli.testing import make_user, signed_in

    cw = world.cast.community_worker
    pu = pairing(world)
    p, _n = project(world)
    need = services.need_create(
        actor=cw, community=world.cast.community, title="活动室缺桌椅", category="space"
    )
    services.commitment_add(actor=cw, pairing=pu, need=need)
    services.commitment_add(actor=cw, pairing=pu, project=p)
    unit = make_user("unit1", "department_handler", org=pu.partner)
    page = signed_in(unit).get(reverse("cobuild:staff_partners"))
    body = page.content.decode()
    assert page.status_code == 200 and "活动室缺桌椅" in body and "老旧水管更换" in body
    links = [reverse("cobuild:staff_need", args=[need.pk]), reverse("cobuild:staff_project", args=[p.pk])]
    assert [link in body for link in links] == [False, False]
    back = [signed_in(unit).get(link) for link in links]
    assert [(r.status_code, r["Location"]) for r in back] == [(302, reverse("cobuild:staff_partners"))] * 2
    staff = signed_in(cw).get(reverse("cobuild:staff_partners")).content.decode()
    assert all(link in staff for link in links)


def test_a_partner_units_account_is_offered_only_its_commitment_lists(world: World) -> None:
    """A unit's account (partner1) had every co-building tab, each an empty list or "no community in your area";
    like party's pages, it is offered its commitment lists alone."""
    from linli.testing import make_user, signed_in

    pu = pairing(world)
    unit = make_user("unit1", "department_handler", org=pu.partner)

    def tabs(client: Any) -> str:
        body = client.get(reverse("cobuild:staff_partners")).content.decode()
        start = body.index('class="page-tabs"')
        return body[start : body.index("</nav>", start)]

    assert "共建单位" in tabs(signed_in(unit)) and "需求清单" not in tabs(signed_in(unit))
    assert "社区基金" not in tabs(signed_in(unit))
    assert "需求清单" in tabs(signed_in(world.cast.community_worker))


def test_a_milestone_reached_without_a_note_says_which_field_and_keeps_the_page(
    world: World, client_for
) -> None:  # type: ignore[no-untyped-def]
    cw = client_for("community_worker")
    p, _n = project(world)
    cw.post(
        reverse("cobuild:staff_project", args=[p.pk]),
        {"title": "进场施工", "due_on": "2026-12-20"},
        follow=True,
    )
    m = p.milestones.get()
    r = cw.post(reverse("cobuild:staff_milestone_reach", args=[p.pk, m.pk]), {"note": "   "}, follow=True)
    said = [str(message) for message in r.context["messages"]]
    assert len(said) == 1 and said[0].startswith("处置情况："), said
    m.refresh_from_db()
    assert m.done_on is None
