"""Service orders: every transition and refusal, deadlines in working days, the reveal rule."""

from __future__ import annotations

import pytest
import time_machine

from linli.cobuild import services
from linli.cobuild.choices import OrderState
from linli.cobuild.models import Order, OrderEvent
from linli.core.errors import InvalidTransition, PermissionDenied, ValidationFailed
from linli.core.models import AuditEntry
from linli.testing import at

from .conftest import World, photo

pytestmark = pytest.mark.django_db


def place(world: World) -> Order:
    return services.order_place(actor=world.cast.resident, item=world.repair, note="厨房水龙头漏水")


def test_place_takes_the_address_from_the_verified_household(world: World) -> None:
    order = place(world)
    assert order.state == OrderState.ORDERED
    assert order.community == world.cast.community
    assert order.address == world.cast.household.address
    assert order.phone == "13812345678"
    assert order.number.startswith("FW")
    assert list(order.events.values_list("action", flat=True)) == ["place"]


def test_an_unverified_resident_cannot_order(world: World) -> None:
    r = world.cast.resident
    r.household_verified_at = None
    r.save(update_fields=["household_verified_at"])
    with pytest.raises(PermissionDenied):
        place(world)
    assert not Order.objects.exists()


def test_an_item_of_another_community_is_refused(world: World) -> None:
    from linli.cobuild.models import ServiceItem

    elsewhere = ServiceItem.objects.create(
        community=world.cast.other_community, name="义诊", category="health"
    )
    with pytest.raises(ValidationFailed):
        services.order_place(actor=world.cast.resident, item=elsewhere, note="量血压")


def test_the_whole_loop_order_assign_fulfil_rate(world: World) -> None:
    cw = world.cast.community_worker
    order = place(world)
    order = services.order_assign(actor=cw, order=order, provider=world.plumber)
    assert order.state == OrderState.ASSIGNED and order.provider == world.plumber
    order = services.order_fulfil(
        actor=world.provider, order=order, fulfilment="whole", minutes=40, report="换了阀芯", photo=photo()
    )
    assert order.state == OrderState.DONE and order.photo
    # The resident reads it in Chinese punctuation: 已完成（全部完成，40 分钟）：换了阀芯 — no ASCII brackets.
    from django.test import Client

    client = Client()
    client.force_login(world.cast.resident)
    body = client.get(f"/cobuild/orders/{order.pk}/").content.decode()
    assert "分钟）：换了阀芯" in body and " (" not in body.split("换了阀芯")[0].rsplit("<p>", 1)[1]
    order = services.order_rate(actor=world.cast.resident, order=order, rating=5, comment="很及时")
    assert order.state == OrderState.RATED and order.rating == 5
    assert list(order.events.values_list("action", flat=True)) == ["place", "assign", "fulfil", "rate"]
    assert order.due_at is None


def test_refuse_needs_a_reason_and_ends_the_order(world: World) -> None:
    order = place(world)
    with pytest.raises(ValidationFailed):
        services.order_refuse(actor=world.cast.community_worker, order=order, reason=" ")
    order = services.order_refuse(actor=world.cast.community_worker, order=order, reason="不属于服务范围")
    assert order.state == OrderState.REFUSED
    with pytest.raises(InvalidTransition):
        services.order_assign(actor=world.cast.community_worker, order=order, provider=world.plumber)


def test_only_the_resident_cancels_and_only_before_assignment(world: World) -> None:
    order = place(world)
    with pytest.raises(PermissionDenied):
        services.order_cancel(actor=world.cast.community_worker, order=order)
    services.order_assign(actor=world.cast.community_worker, order=order, provider=world.plumber)
    with pytest.raises(InvalidTransition):
        services.order_cancel(actor=world.cast.resident, order=order)


def test_a_resident_cannot_assign_and_an_outsider_does_not_see_the_order(world: World) -> None:
    from linli.core.errors import NotFound

    order = place(world)
    with pytest.raises(PermissionDenied):
        services.order_assign(actor=world.cast.resident, order=order, provider=world.plumber)
    with pytest.raises(NotFound):
        services.order_assign(actor=world.cast.outsider, order=order, provider=world.plumber)


def test_a_provider_of_another_category_is_refused(world: World) -> None:
    order = place(world)
    with pytest.raises(ValidationFailed):
        services.order_assign(actor=world.cast.community_worker, order=order, provider=world.barber)
    assert Order.objects.get(pk=order.pk).state == OrderState.ORDERED


def test_only_the_assigned_provider_fulfils(world: World) -> None:
    order = place(world)
    services.order_assign(actor=world.cast.community_worker, order=order, provider=world.far_plumber)
    from linli.core.errors import NotFound

    with pytest.raises(NotFound):  # not theirs: they do not even see it
        services.order_fulfil(
            actor=world.provider, order=order, fulfilment="whole", minutes=10, report="好了"
        )


def test_partial_fulfilment_says_what_is_left_and_minutes_are_checked(world: World) -> None:
    order = place(world)
    services.order_assign(actor=world.cast.community_worker, order=order, provider=world.plumber)
    with pytest.raises(ValidationFailed):
        services.order_fulfil(actor=world.provider, order=order, fulfilment="part", minutes=30, report="")
    with pytest.raises(ValidationFailed):
        services.order_fulfil(actor=world.provider, order=order, fulfilment="whole", minutes=0, report="好了")
    order = services.order_fulfil(
        actor=world.provider, order=order, fulfilment="part", minutes=30, report="缺配件，下周再来"
    )
    assert order.fulfilment == "part"


def test_rating_is_1_to_5_and_a_low_one_says_why(world: World) -> None:
    order = place(world)
    services.order_assign(actor=world.cast.community_worker, order=order, provider=world.plumber)
    services.order_fulfil(actor=world.provider, order=order, fulfilment="whole", minutes=30, report="好了")
    with pytest.raises(ValidationFailed):
        services.order_rate(actor=world.cast.resident, order=order, rating=6)
    with pytest.raises(ValidationFailed):
        services.order_rate(actor=world.cast.resident, order=order, rating=1)
    with pytest.raises(PermissionDenied):
        services.order_rate(actor=world.cast.community_worker, order=order, rating=5)
    assert services.order_rate(actor=world.cast.resident, order=order, rating=2, comment="迟到").rating == 2


def test_the_address_is_revealed_to_the_provider_only_after_assignment_and_audited(world: World) -> None:
    from linli.core.errors import NotFound

    order = place(world)
    with pytest.raises(NotFound):
        services.order_contact(actor=world.provider, order=order)
    services.order_assign(actor=world.cast.community_worker, order=order, provider=world.plumber)
    before = AuditEntry.objects.filter(action="cobuild.order_contact").count()
    contact = services.order_contact(actor=world.provider, order=order)
    assert contact["address"] == world.cast.household.address and contact["phone"] == "13812345678"
    assert AuditEntry.objects.filter(action="cobuild.order_contact").count() == before + 1
    with pytest.raises(NotFound):
        services.order_contact(actor=world.cast.outsider, order=order)


def test_deadlines_are_in_working_days_and_the_job_warns_then_records_the_breach(world: World) -> None:
    # Friday 2026-10-09 10:00 (a make-up working day follows the National Day holiday, the 9th is a Friday).
    with time_machine.travel(at(2026, 10, 13, 10, 0), tick=False):  # a Tuesday
        order = place(world)
    assert order.due_at == at(2026, 10, 14, 10, 0)
    warned, breached = services.order_deadlines(now=at(2026, 10, 14, 8, 0))
    assert (warned, breached) == (1, 0)
    assert services.order_deadlines(now=at(2026, 10, 14, 9, 0)) == (0, 0)  # warned once
    assert services.order_deadlines(now=at(2026, 10, 14, 10, 1)) == (0, 1)
    order.refresh_from_db()
    assert order.breached_at is not None
    assert OrderEvent.objects.filter(order=order, action="breach").count() == 1
    with time_machine.travel(at(2026, 10, 14, 11, 0), tick=False):
        order = services.order_assign(actor=world.cast.community_worker, order=order, provider=world.plumber)
    # Three working days to do the work; the breach of the last step stays in the events.
    assert order.due_at == at(2026, 10, 19, 11, 0)
    assert order.breached_at is None


def test_a_weekend_does_not_count(world: World) -> None:
    with time_machine.travel(at(2026, 11, 13, 17, 0), tick=False):  # Friday 17:00
        order = place(world)
    assert order.due_at == at(2026, 11, 16, 17, 0)  # Monday 17:00


def test_every_step_sets_its_working_day_deadline_and_a_closed_order_has_none(world: World) -> None:
    with time_machine.travel(at(2026, 11, 10, 10, 0), tick=False):  # a Tuesday
        order = place(world)
        assert order.due_at == at(2026, 11, 11, 10, 0)  # 接单: one working day
        order = services.order_assign(actor=world.cast.community_worker, order=order, provider=world.plumber)
        assert order.due_at == at(2026, 11, 13, 10, 0)  # 办单: three working days
    with time_machine.travel(at(2026, 11, 13, 10, 0), tick=False):  # a Friday
        order = services.order_fulfil(
            actor=None, order=order, fulfilment="whole", minutes=30, report="修好了"
        )
        assert order.due_at == at(2026, 11, 20, 10, 0)  # 评单: five working days, over a weekend
    assert services.order_deadlines(now=at(2026, 11, 20, 10, 1)) == (0, 1)
    order = services.order_rate(actor=world.cast.resident, order=order, rating=4)
    assert order.due_at is None and order.breached_at is None
    refused = services.order_refuse(actor=world.cast.community_worker, order=place(world), reason="暂无人员")
    cancelled = services.order_cancel(actor=world.cast.resident, order=place(world))
    assert refused.due_at is None and cancelled.due_at is None
    with pytest.raises(InvalidTransition):
        services.order_assign(actor=world.cast.community_worker, order=refused, provider=world.plumber)


def test_a_step_taken_twice_is_refused_in_plain_words(world: World) -> None:
    """A provider's second tap on 报告办结 read “现在不能完成情况” (the step named by the order's field 完成情况, the
    same English word): each step now reads as a verb in the refusal."""
    order = place(world)
    services.order_assign(actor=world.cast.community_worker, order=order, provider=world.plumber)
    services.order_fulfil(actor=world.provider, order=order, fulfilment="whole", minutes=30, report="好了")
    with pytest.raises(InvalidTransition) as refused:
        services.order_fulfil(
            actor=world.provider, order=order, fulfilment="whole", minutes=30, report="好了"
        )
    assert str(refused.value.message) == "该订单当前为“已办单待评价”，现在不能报告办结。"
    with pytest.raises(InvalidTransition) as refused:
        services.order_assign(actor=world.cast.community_worker, order=order, provider=world.plumber)
    assert str(refused.value.message) == "该订单当前为“已办单待评价”，现在不能派单。"
