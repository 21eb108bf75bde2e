"""Edge cases of the appeal services: races, photos, routing, returns, escalation, scoping."""

from __future__ import annotations

from typing import Any

import pytest

from linli.appeals import selectors, services, transitions
from linli.appeals.models import Appeal, AppealEvent
from linli.appeals.permissions import actions_for
from linli.appeals.tests.factories import classifier_says, photo, submit
from linli.core.errors import Conflict, InvalidTransition, PermissionDenied, ValidationFailed
from linli.testing import Cast


def test_two_handlers_acknowledge_at_once_exactly_one_wins(cast: Cast) -> None:
    appeal = submit(cast)
    # Both handlers loaded the appeal while it was still dispatched.
    seen_by_worker = Appeal.objects.get(pk=appeal.pk)
    seen_by_community = Appeal.objects.get(pk=appeal.pk)
    services.appeal_acknowledge(actor=cast.grid_worker, appeal=seen_by_worker)
    with pytest.raises(Conflict) as exc:
        services.appeal_acknowledge(actor=cast.community_worker, appeal=seen_by_community)
    assert "王网格" in str(exc.value.message)
    assert "已签收" in str(exc.value.message)
    assert AppealEvent.objects.filter(appeal=appeal, action="acknowledge").count() == 1


def test_compare_and_swap_refuses_a_write_when_the_state_moved_under_it(cast: Cast) -> None:
    appeal = submit(cast)
    row, target = transitions.lock(appeal, "acknowledge")
    Appeal.objects.filter(pk=appeal.pk).update(state="acknowledged")  # another process got there first
    with pytest.raises(Conflict):
        transitions.apply(row, actor=cast.grid_worker, action="acknowledge", target=target)


def test_photos_are_checked_for_type_count_and_kept_with_the_appeal(cast: Cast) -> None:
    appeal = submit(cast, photos=[photo("a.jpg"), photo("b.png", "PNG")])
    assert appeal.photos.count() == 2
    assert {p.width for p in appeal.photos.all()} == {40}
    with pytest.raises(ValidationFailed) as exc:
        fake = photo("x.jpg")
        fake.file.write(b"")
        fake.file.seek(0)
        fake.file.truncate()
        fake.file.write(b"not an image at all")
        fake.file.seek(0)
        submit(cast, photos=[fake])
    assert exc.value.extra["field"] == "photos"
    with pytest.raises(ValidationFailed) as exc:
        submit(cast, photos=[photo(f"{i}.jpg") for i in range(7)])
    assert exc.value.extra["field"] == "photos"
    assert Appeal.objects.count() == 1


def test_idempotency_key_reused_by_someone_else_is_a_conflict(cast: Cast) -> None:
    first = submit(cast, idempotency_key="same")
    assert submit(cast, idempotency_key="same").pk == first.pk
    with pytest.raises(Conflict):
        submit(cast, actor=cast.community_worker, contact_phone="13700001111", idempotency_key="same")


def test_without_category_the_appeal_waits_for_a_person_who_dispatches_it(
    cast: Cast, monkeypatch: Any
) -> None:
    classifier_says(monkeypatch, "environment.noise", 0.2)
    appeal = submit(cast, category_code="", description="楼下广场舞每天晚上十点还在放音乐")
    assert appeal.state == "accepted"
    assert appeal.category is None
    assert appeal.triage_confidence == pytest.approx(0.2)
    with pytest.raises(ValidationFailed):
        services.appeal_dispatch(actor=cast.community_worker, appeal=appeal, tier="grid")
    with pytest.raises(PermissionDenied):
        services.appeal_dispatch(
            actor=cast.grid_worker, appeal=appeal, tier="grid", category_code="environment.noise"
        )
    services.appeal_dispatch(
        actor=cast.community_worker, appeal=appeal, tier="grid", category_code="environment.noise"
    )
    appeal.refresh_from_db()
    assert (appeal.state, appeal.tier, appeal.category.code if appeal.category else "") == (
        "dispatched",
        "grid",
        "environment.noise",
    )
    assert appeal.resolve_due_at is not None


def test_confident_classification_routes_without_a_person(cast: Cast, monkeypatch: Any) -> None:
    classifier_says(monkeypatch, "environment.noise", 0.93)
    appeal = submit(cast, category_code="", description="楼下广场舞每天晚上十点还在放音乐")
    assert appeal.state == "dispatched"
    assert list(appeal.events.values_list("action", flat=True)) == ["submit", "classify", "dispatch"]


def test_return_goes_to_the_tier_above_which_redispatches(cast: Cast) -> None:
    appeal = submit(cast)
    with pytest.raises(ValidationFailed):
        services.appeal_return(actor=cast.grid_worker, appeal=appeal, reason="")
    services.appeal_return(actor=cast.grid_worker, appeal=appeal, reason="这是供水问题，不归网格处理")
    appeal.refresh_from_db()
    assert (appeal.state, appeal.return_count) == ("returned", 1)
    # Sending it straight back to the same unit needs a reason.
    with pytest.raises(ValidationFailed):
        services.appeal_dispatch(actor=cast.community_worker, appeal=appeal, tier="grid")
    services.appeal_dispatch(actor=cast.community_worker, appeal=appeal, unit_org=cast.other_department)
    appeal.refresh_from_db()
    assert (appeal.state, appeal.tier, appeal.unit_org) == ("dispatched", "department", cast.other_department)


def test_manual_escalation_moves_one_tier_up_and_not_beyond_the_top(cast: Cast) -> None:
    appeal = submit(cast)
    for expected in ("compound", "community", "street", "district"):
        appeal = services.appeal_escalate(actor=cast.admin, appeal=appeal, reason="需要上级协调")
        assert appeal.tier == expected
    with pytest.raises(ValidationFailed):
        services.appeal_escalate(actor=cast.admin, appeal=appeal, reason="再上报")
    assert appeal.escalation_count == 4


def test_urge_needs_the_tier_above(cast: Cast) -> None:
    appeal = submit(cast)
    with pytest.raises(PermissionDenied):
        services.appeal_urge(actor=cast.grid_worker, appeal=appeal, note="快点")
    services.appeal_urge(actor=cast.community_worker, appeal=appeal, note="请今天内联系居民")
    appeal.refresh_from_db()
    assert appeal.urge_count == 1


def test_closed_without_fix_is_not_fixed_and_answered_needs_a_consultation(cast: Cast) -> None:
    appeal = submit(cast)
    services.appeal_acknowledge(actor=cast.grid_worker, appeal=appeal)
    with pytest.raises(ValidationFailed):
        services.appeal_resolve(
            actor=cast.grid_worker, appeal=appeal, note="已答复居民。", outcome="answered"
        )
    with pytest.raises(ValidationFailed):
        services.appeal_resolve(actor=cast.grid_worker, appeal=appeal, note="")
    resolved = services.appeal_resolve(
        actor=cast.grid_worker,
        appeal=appeal,
        note="经核实为私人住宅内线路问题。",
        outcome="not_our_responsibility",
    )
    assert resolved.outcome == "not_our_responsibility"
    with pytest.raises(InvalidTransition):
        services.appeal_resolve(actor=cast.grid_worker, appeal=resolved, note="再次办结。")


def test_scoping_resident_department_and_outsider(cast: Cast) -> None:
    mine = submit(cast)
    other = submit(cast, actor=cast.outsider, contact_phone="13700001111", grid=cast.other_grid)
    assert list(selectors.appeals_visible_to(cast.resident)) == [mine]
    assert set(selectors.appeals_visible_to(cast.street_officer)) == {mine, other}
    assert list(selectors.appeals_visible_to(cast.outsider)) == [other]
    assert list(selectors.appeals_visible_to(cast.department_handler)) == []
    services.appeal_escalate(actor=cast.admin, appeal=mine, reason="需要上级协调")
    services.appeal_acknowledge(actor=cast.community_worker, appeal=Appeal.objects.get(pk=mine.pk))
    services.appeal_whistle(
        actor=cast.community_worker,
        appeal=Appeal.objects.get(pk=mine.pk),
        units=[cast.department],
        reason="需要城管执法",
    )
    assert list(selectors.appeals_visible_to(cast.department_handler)) == [mine]
    with pytest.raises(Exception) as exc:
        selectors.appeal_get_for(cast.outsider, mine.pk)
    assert getattr(exc.value, "status", None) == 404


def test_withdraw_only_by_its_resident_or_with_the_phone(cast: Cast) -> None:
    appeal = submit(cast)
    with pytest.raises(PermissionDenied):
        services.appeal_withdraw(actor=cast.outsider, appeal=appeal)
    guest = submit(cast, actor=None, contact_phone="13600001111", idempotency_key="g1")
    with pytest.raises(PermissionDenied):
        services.appeal_withdraw(actor=None, appeal=guest, phone="13600002222")
    services.appeal_withdraw(actor=None, appeal=guest, phone="13600001111", reason="问题已自行解决")
    guest.refresh_from_db()
    assert (guest.state, guest.outcome) == ("closed", "withdrawn")


def test_merge_refuses_itself_and_closed_primaries(cast: Cast) -> None:
    a = submit(cast)
    b = submit(cast, description="另一条重复反映的楼道灯问题")
    with pytest.raises(ValidationFailed):
        services.appeal_merge(actor=cast.community_worker, appeal=a, primary=a)
    services.appeal_withdraw(actor=cast.resident, appeal=a)
    with pytest.raises(ValidationFailed):
        services.appeal_merge(actor=cast.community_worker, appeal=b, primary=Appeal.objects.get(pk=a.pk))


def test_two_threads_acknowledging_together_one_wins_one_gets_a_conflict(
    transactional_db: None, cast: Cast
) -> None:
    import threading

    from django.db import connection

    from linli.appeals.services import category_sync_defaults, sla_sync_defaults

    # A transactional test may follow another that flushed the tables the data migration filled.
    category_sync_defaults()
    sla_sync_defaults()

    appeal = submit(cast)
    barrier = threading.Barrier(2)
    results: dict[str, str] = {}

    def act(name: str, actor: Any) -> None:
        try:
            stale = Appeal.objects.get(pk=appeal.pk)
            barrier.wait(timeout=60)
            services.appeal_acknowledge(actor=actor, appeal=stale)
            results[name] = "won"
        except Conflict as exc:
            results[name] = f"conflict: {exc.message}"
        except Exception as exc:  # reported in the assertion below rather than lost in the thread
            results[name] = f"error: {type(exc).__name__}: {exc}"
        finally:
            connection.close()

    threads = [
        threading.Thread(target=act, args=("worker", cast.grid_worker)),
        threading.Thread(target=act, args=("community", cast.community_worker)),
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    outcomes = sorted(r.split(":")[0] for r in results.values())
    assert outcomes == ["conflict", "won"], results
    assert AppealEvent.objects.filter(appeal=appeal, action="acknowledge").count() == 1


def test_a_chosen_category_and_a_correction_become_training_examples(cast: Cast, monkeypatch: Any) -> None:
    from linli.triage.models import LabelledExample

    submit(cast)  # the resident chose the category at intake
    assert LabelledExample.objects.filter(
        source="intake", category_code="property_management.property_service"
    ).exists()
    classifier_says(monkeypatch, "environment.noise", 0.1)
    appeal = submit(cast, category_code="", description="楼下烧烤店油烟很大，熏得窗户都不能开")
    services.appeal_dispatch(
        actor=cast.community_worker, appeal=appeal, tier="grid", category_code="environment.cooking_fumes"
    )
    assert LabelledExample.objects.filter(
        source="correction", category_code="environment.cooking_fumes"
    ).exists()


def test_an_appeal_escalated_to_the_compound_is_in_the_community_queue_not_the_grid_worker_s(
    cast: Cast,
) -> None:
    appeal = submit(cast)
    assert appeal.tier == "grid"
    assert appeal in selectors.queue_for(cast.grid_worker)
    appeal = services.appeal_escalate(actor=cast.admin, appeal=appeal, reason="小区物业需协调")
    assert appeal.tier == "compound"
    assert appeal not in selectors.queue_for(cast.grid_worker)
    assert appeal in selectors.queue_for(cast.community_worker)
    assert appeal not in selectors.queue_for(cast.outsider)


def test_staff_reach_only_the_grids_and_units_of_their_own_scope(cast: Cast) -> None:
    """A grid or an org node a staff member names is looked up through their scope: one outside is unknown."""
    from linli.core.errors import NotFound

    with pytest.raises(ValidationFailed) as exc:
        submit(cast, actor=cast.community_worker, contact_phone="13700001111", grid=cast.other_grid)
    assert exc.value.extra["field"] == "grid_code"
    # A resident may name any grid (the QR code at its station).
    assert submit(cast, grid=cast.other_grid).grid == cast.other_grid

    appeal = submit(cast)
    services.appeal_return(actor=cast.grid_worker, appeal=appeal, reason="不属于网格处置范围")
    with pytest.raises(NotFound) as missing:
        services.appeal_dispatch(
            actor=cast.community_worker, appeal=appeal, unit_node=cast.other_community, reason="请外社区处理"
        )
    assert missing.value.code == "unit_not_found"
    assert Appeal.objects.get(pk=appeal.pk).state == "returned"
    # The tiers of the appeal's own place are within reach, even above the dispatcher (the street).
    row = services.appeal_dispatch(
        actor=cast.community_worker, appeal=appeal, unit_node=cast.street, reason="请街道协调"
    )
    assert (row.state, row.tier, row.unit_node) == ("dispatched", "street", cast.street)


def test_notifications_are_written_in_the_deployment_language_with_their_details(cast: Cast) -> None:
    from django.utils import translation

    from linli.core.models import Notification

    appeal = submit(cast)
    with translation.override("en"):  # an English-speaking handler acts; the resident reads Chinese
        services.appeal_acknowledge(actor=cast.grid_worker, appeal=appeal)
        services.appeal_urge(actor=cast.community_worker, appeal=appeal, note="请尽快")
    appeal.refresh_from_db()
    acknowledged = Notification.objects.filter(user=cast.resident).latest("id").title
    # Every message says which appeal it is about: a title that does not name it starts with its number.
    assert acknowledged == f"{appeal.tracking_number} 已由{appeal.unit_name}签收"
    urged = Notification.objects.filter(user=cast.grid_worker, title__startswith="督办").get()
    assert urged.title == f"督办：{appeal.tracking_number} {appeal.title}"
    assert urged.body == "请尽快"


def test_a_returned_appeal_is_in_the_queue_only_of_those_who_may_send_it_on(cast: Cast) -> None:
    """A street that returns an appeal hands it to the district: it leaves the community's and the street's own
    queue (neither may dispatch it, the page offers them nothing) and stands in the district's."""
    appeal = submit(cast)
    for _ in ("compound", "community", "street"):
        appeal = services.appeal_escalate(actor=cast.admin, appeal=appeal, reason="需要上级协调")
    services.appeal_return(actor=cast.street_officer, appeal=appeal, reason="经核实不属于本街道职责范围")
    appeal.refresh_from_db()
    assert (appeal.state, appeal.tier) == ("returned", "street")
    for user in (cast.community_worker, cast.street_officer, cast.district_leader):
        offered = "dispatch" in actions_for(user, appeal)
        assert (appeal in selectors.queue_for(user)) == offered, user.username
        assert (appeal in selectors.awaiting_dispatch_for(user)) == offered, user.username
    assert appeal in selectors.queue_for(cast.district_leader)
    # One the grid worker returns is the community's to send on, as before, and no longer the grid worker's.
    other = submit(cast)
    services.appeal_return(actor=cast.grid_worker, appeal=other, reason="这是供水问题，不归网格处理")
    assert other in selectors.queue_for(cast.community_worker)
    assert other in selectors.awaiting_dispatch_for(cast.community_worker)
    assert other not in selectors.queue_for(cast.grid_worker)
