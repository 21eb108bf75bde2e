"""Care and mediation services: the level rules, the schedule (across a holiday), recording, chasing missed
visits, case transitions, and the refusals."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.utils import timezone

from linli.care import rules, services
from linli.care.choices import CaseState, ContactKind, ContactState
from linli.care.models import CareContact, CarePlan, CaseEvent
from linli.core.errors import InvalidTransition, NotFound, PermissionDenied, ValidationFailed
from linli.core.models import AuditEntry, Notification
from linli.core.workdays import is_workday
from linli.territory import services as territory
from linli.territory.models import Resident, Visit
from linli.testing import BEIJING, Cast, at

from .conftest import PARTIES, open_case


def confirm(cast: Cast, level: str = "red", **extra):  # type: ignore[no-untyped-def]
    return services.care_plan_confirm(
        actor=cast.grid_worker,
        resident=cast.resident_record,
        level=level,
        reason="独居高龄，需每周探访",
        **extra,
    )


# ---- level rules --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("birth", "tags", "ill", "alone_family", "expected"),
    [
        (dt.date(1940, 1, 1), ["elderly_alone"], False, False, "red"),  # 86, alone: 2 + 2
        (dt.date(1950, 3, 1), ["elderly_alone"], False, False, "yellow"),  # 76, alone: 1 + 2
        (dt.date(1950, 3, 1), [], True, True, "yellow"),  # 76, ill, no family: 1 + 1 + 1
        (dt.date(1950, 3, 1), ["disabled"], True, True, "red"),  # 1 + 2 + 1 + 1
        (dt.date(1962, 3, 1), [], False, False, "green"),  # 64, nothing else
    ],
)
def test_rules_propose_a_level_from_the_circumstances(cast, birth, tags, ill, alone_family, expected):  # type: ignore[no-untyped-def]
    r = Resident(birth_date=birth, tags=" ".join(tags))
    proposal = rules.propose_level(r, today=dt.date(2026, 12, 1), ill=ill, no_family_support=alone_family)
    assert proposal.level == expected
    assert proposal.reasons or expected == "green"


def test_confirming_a_level_other_than_proposed_keeps_both_and_mirrors_it_on_the_register(cast: Cast) -> None:
    plan = confirm(cast, "red")
    assert plan.proposed_level == "yellow"  # 76 and living alone
    assert plan.level == "red"
    cast.resident_record.refresh_from_db()
    assert cast.resident_record.care_level == "red"
    assert plan.assessments.count() == 1
    assert plan.reassess_on == timezone.localdate() + dt.timedelta(days=90)


def test_a_level_needs_a_reason(cast: Cast) -> None:
    with pytest.raises(ValidationFailed) as e:
        services.care_plan_confirm(
            actor=cast.grid_worker, resident=cast.resident_record, level="red", reason=" "
        )
    assert e.value.extra["field"] == "reason"


def test_outsider_cannot_set_a_level_in_another_community(cast: Cast) -> None:
    with pytest.raises(NotFound):
        services.care_plan_confirm(
            actor=cast.outsider, resident=cast.resident_record, level="red", reason="理由足够"
        )


def test_a_department_handler_may_not_set_a_level(cast: Cast) -> None:
    with pytest.raises((NotFound, PermissionDenied)):
        services.care_plan_confirm(
            actor=cast.department_handler, resident=cast.resident_record, level="red", reason="理由足够"
        )


# ---- the schedule --------------------------------------------------------------------------------------------


def test_the_schedule_runs_through_the_national_day_holiday(cast: Cast) -> None:
    with time_machine.travel(at(2026, 9, 28, 9), tick=False):
        plan = confirm(cast, "red")
    days = {(c.kind, c.due_on) for c in plan.contacts.all()}
    start = dt.date(2026, 9, 28)
    visits = sorted(d for k, d in days if k == ContactKind.VISIT)
    calls = sorted(d for k, d in days if k == ContactKind.CALL)
    assert visits == [start + dt.timedelta(days=n) for n in (0, 7, 14)]
    assert calls == [start + dt.timedelta(days=n) for n in range(0, 15, 2)]
    holiday = dt.date(2026, 10, 2)
    assert not is_workday(holiday)
    assert holiday in calls  # care does not pause on holidays
    assert all(c.assignee == cast.grid_worker for c in plan.contacts.all())


def test_reassessing_reschedules_from_today_and_keeps_the_past(cast: Cast) -> None:
    with time_machine.travel(at(2026, 9, 28, 9), tick=False):
        plan = confirm(cast, "red")
    with time_machine.travel(at(2026, 10, 3, 9), tick=False):
        plan = confirm(cast, "green")
    future = plan.contacts.filter(due_on__gte=dt.date(2026, 10, 3))
    assert set(future.values_list("kind", flat=True)) == {ContactKind.VISIT}  # green: no calls
    assert plan.contacts.filter(due_on__lt=dt.date(2026, 10, 3), kind=ContactKind.CALL).count() == 3


def test_the_nightly_job_keeps_the_schedule_two_weeks_ahead(cast: Cast) -> None:
    with time_machine.travel(at(2026, 9, 28, 9), tick=False):
        plan = confirm(cast, "red")
    with time_machine.travel(at(2026, 10, 10, 1), tick=False):
        added = services.care_schedules_extend()
    plan.refresh_from_db()
    assert plan.scheduled_until == dt.date(2026, 10, 24)
    assert added > 0
    assert plan.contacts.filter(kind=ContactKind.VISIT, due_on=dt.date(2026, 10, 19)).exists()


# ---- recording and chasing -----------------------------------------------------------------------------------


def test_recording_a_visit_logs_it_in_the_grid_with_the_distance_from_home(cast: Cast) -> None:
    plan = confirm(cast, "red")
    contact = plan.contacts.get(kind=ContactKind.VISIT, due_on=timezone.localdate())
    done = services.care_contact_record(
        actor=cast.grid_worker,
        contact=contact,
        found="身体尚好，冰箱里有菜",
        needs_raised="想要助浴",
        lng=116.402,
        lat=39.902,
    )
    assert done.state == ContactState.DONE
    assert done.distance_m == 0
    visit = Visit.objects.get(pk=done.visit_id)
    assert visit.household == cast.household
    assert visit.follow_up == "想要助浴"
    with pytest.raises(Exception) as again:
        services.care_contact_record(actor=cast.grid_worker, contact=contact, found="再记一次")
    assert again.value.__class__.__name__ == "Conflict"


def test_a_call_is_recorded_without_a_visit_log_entry(cast: Cast) -> None:
    plan = confirm(cast, "red")
    contact = plan.contacts.get(kind=ContactKind.CALL, due_on=timezone.localdate())
    done = services.care_contact_record(actor=cast.grid_worker, contact=contact, found="电话里说一切都好")
    assert done.visit_id is None
    assert Visit.objects.count() == 0


def test_a_visit_needs_what_was_found(cast: Cast) -> None:
    contact = confirm(cast, "red").contacts.first()
    assert contact is not None
    with pytest.raises(ValidationFailed):
        services.care_contact_record(actor=cast.grid_worker, contact=contact, found="好")
    contact.refresh_from_db()
    assert contact.state == ContactState.DUE


def test_an_outsider_cannot_record_a_visit(cast: Cast) -> None:
    contact = confirm(cast, "red").contacts.first()
    assert contact is not None
    with pytest.raises(NotFound):
        services.care_contact_record(actor=cast.outsider, contact=contact, found="我来看看")


def test_a_missed_visit_warns_then_escalates_to_the_community(
    cast: Cast, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    with time_machine.travel(at(2026, 9, 28, 9), tick=False):
        plan = confirm(cast, "red")
    first = plan.contacts.get(kind=ContactKind.VISIT, due_on=dt.date(2026, 9, 28))

    def chase_at(*day: int) -> None:
        """The night's chase at 2 a.m. of `day`, its notifications sent."""
        with time_machine.travel(at(*day, 2), tick=False), django_capture_on_commit_callbacks(execute=True):
            services.care_contacts_chase()
        first.refresh_from_db()

    chase_at(2026, 9, 29)
    assert first.state == ContactState.MISSED
    assert Notification.objects.filter(user=cast.grid_worker, title__contains="张三").exists()
    assert not Notification.objects.filter(user=cast.community_worker).exists()
    chase_at(2026, 9, 30)
    assert first.state == ContactState.ESCALATED
    assert Notification.objects.filter(user=cast.community_worker, title__contains="张三").exists()
    assert not Notification.objects.filter(user=cast.outsider).exists()
    # Done late is still done.
    services.care_contact_record(actor=cast.grid_worker, contact=first, found="补上探访，一切正常")
    first.refresh_from_db()
    assert first.state == ContactState.DONE


def test_chasing_twice_changes_nothing_more(cast: Cast) -> None:
    with time_machine.travel(at(2026, 9, 28, 9), tick=False):
        confirm(cast, "red")
    with time_machine.travel(at(2026, 9, 29, 2), tick=False):
        first = services.care_contacts_chase()
        assert services.care_contacts_chase() == 0
    assert (
        first == CareContact.objects.filter(state=ContactState.MISSED).count() == 2
    )  # the visit and the call


# ---- mediation -----------------------------------------------------------------------------------------------


def test_a_case_goes_from_opening_to_a_settled_follow_up(cast: Cast) -> None:
    case = open_case(cast)
    assert case.state == CaseState.OPEN and case.mediator == cast.grid_worker
    assert case.number.startswith("TJ")
    services.session_record(
        actor=cast.grid_worker,
        case=case,
        held_at=timezone.now(),
        attendees="赵大妈、钱先生",
        notes="双方陈述，同意修缮",
    )
    case.refresh_from_db()
    assert case.state == CaseState.MEDIATING
    services.agreement_sign(
        actor=cast.grid_worker,
        case=case,
        terms="钱先生一周内修好防水并赔偿800元",
        signed_on=timezone.localdate(),
        amount=Decimal(800),
    )
    case.refresh_from_db()
    assert case.state == CaseState.AGREED
    assert case.follow_up_on == timezone.localdate() + dt.timedelta(days=14)
    services.case_follow_up(
        actor=cast.grid_worker, case=case, note="防水已修，钱已付", holds=True, amount_recovered=Decimal(800)
    )
    case.refresh_from_db()
    assert case.state == CaseState.CLOSED
    assert case.outcome == "settled"
    assert case.amount_recovered == Decimal(800)
    assert list(CaseEvent.objects.filter(case=case).values_list("action", flat=True)) == [
        "open",
        "session",
        "sign",
        "follow_up",
    ]


def test_a_broken_agreement_goes_back_to_mediation(cast: Cast) -> None:
    case = open_case(cast)
    services.session_record(
        actor=cast.grid_worker, case=case, held_at=timezone.now(), attendees="双方", notes="调解一次"
    )
    services.agreement_sign(
        actor=cast.grid_worker, case=case, terms="双方同意轮流打扫楼道卫生", signed_on=timezone.localdate()
    )
    services.case_follow_up(actor=cast.grid_worker, case=case, note="没有履行", holds=False)
    case.refresh_from_db()
    assert case.state == CaseState.MEDIATING and case.outcome == ""


def test_an_agreement_needs_a_session_first(cast: Cast) -> None:
    case = open_case(cast)
    with pytest.raises(InvalidTransition):
        services.agreement_sign(
            actor=cast.grid_worker,
            case=case,
            terms="双方同意轮流打扫楼道卫生",
            signed_on=timezone.localdate(),
        )


def test_a_case_needs_both_sides(cast: Cast) -> None:
    with pytest.raises(ValidationFailed) as e:
        open_case(cast, kind="family", source="visit", summary="家庭矛盾调解", parties=PARTIES[:1])
    assert e.value.extra["field"] == "parties"


def test_only_a_supervisor_closes_without_settling(cast: Cast) -> None:
    case = open_case(cast)
    with pytest.raises(PermissionDenied):
        services.case_close(actor=cast.grid_worker, case=case, outcome="withdrawn", note="申请人撤回")
    services.case_close(actor=cast.community_worker, case=case, outcome="withdrawn", note="申请人撤回")
    case.refresh_from_db()
    assert case.state == CaseState.CLOSED and case.outcome == "withdrawn"


def test_a_case_is_read_by_its_mediator_and_supervisors_only_and_each_read_is_audited(cast: Cast) -> None:
    from linli.accounts.models import User
    from linli.care import selectors

    case = open_case(cast, actor=cast.community_worker)
    other_worker = User.objects.create_user(
        username="gw2", password="x", role="grid_worker", org_node=cast.compound
    )
    cast.grid.workers.add(other_worker)
    assert selectors.case_read_for(cast.community_worker, case.pk) == case
    assert selectors.case_read_for(cast.street_officer, case.pk) == case
    for reader in (cast.outsider, cast.grid_worker, other_worker, cast.department_handler, cast.resident):
        with pytest.raises(NotFound):
            selectors.case_read_for(reader, case.pk)
    services.case_assign(actor=cast.community_worker, case=case, mediator=cast.grid_worker)
    assert selectors.case_read_for(cast.grid_worker, case.pk) == case
    reads = AuditEntry.objects.filter(action="mediation_case_read", object_id=str(case.pk))
    assert reads.count() == 3
    assert set(reads.values_list("actor_id", flat=True)) == {
        cast.community_worker.pk,
        cast.street_officer.pk,
        cast.grid_worker.pk,
    }


def test_a_mediator_outside_the_grid_is_refused(cast: Cast) -> None:
    case = open_case(cast, actor=cast.community_worker)
    with pytest.raises(ValidationFailed):
        services.case_assign(actor=cast.community_worker, case=case, mediator=cast.outsider)


def test_beijing_clock_is_used_for_case_numbers(cast: Cast) -> None:
    with time_machine.travel(dt.datetime(2026, 12, 1, 23, 30, tzinfo=BEIJING), tick=False):
        case = open_case(cast)
    assert case.number == "TJ20261201001"


# ---- from an appeal ------------------------------------------------------------------------------------------


def test_a_neighbour_dispute_appeal_becomes_a_case_and_its_settlement_answers_the_appeal(cast: Cast) -> None:
    from linli.appeals import services as appeals
    from linli.appeals.tests.factories import submit

    appeal = submit(
        cast,
        title="楼上噪音扰民",
        description="楼上每天深夜拖动家具，多次沟通无果，希望社区出面调解。",
        category_code="public_safety.neighbour_disputes",
    )
    appeals.appeal_acknowledge(actor=cast.grid_worker, appeal=appeal)
    case = open_case(cast, summary=appeal.description, appeal_number=appeal.tracking_number)
    assert case.source == "appeal" and case.appeal_number == appeal.tracking_number
    with pytest.raises(ValidationFailed) as twice:
        open_case(cast, summary="再开一次案件", appeal_number=appeal.tracking_number)
    assert twice.value.extra["field"] == "appeal_number"
    services.session_record(
        actor=cast.grid_worker,
        case=case,
        held_at=timezone.now(),
        attendees="双方",
        notes="约定晚十点后不拖动家具",
    )
    services.agreement_sign(
        actor=cast.grid_worker,
        case=case,
        terms="楼上住户晚十点后不拖动家具，椅脚加装软垫",
        signed_on=timezone.localdate(),
    )
    services.case_follow_up(actor=cast.grid_worker, case=case, note="回访两周无噪音", holds=True)
    appeal.refresh_from_db()
    assert appeal.state == "resolved" and appeal.outcome == "fixed"
    assert case.number in appeal.resolution_note
    assert CaseEvent.objects.filter(case=case, action="appeal").exists()


def test_an_appeal_the_actor_may_not_work_on_cannot_become_a_case(cast: Cast) -> None:
    from linli.appeals.tests.factories import submit

    appeal = submit(cast, category_code="public_safety.neighbour_disputes")
    with pytest.raises(ValidationFailed):
        open_case(
            cast,
            actor=cast.outsider,
            grid=cast.other_grid,
            summary="外社区的诉求",
            appeal_number=appeal.tracking_number,
        )


def test_on_time_figures_count_only_what_was_done_on_its_day(cast: Cast) -> None:
    from linli.care import selectors

    with time_machine.travel(at(2026, 9, 28, 9), tick=False):
        plan = confirm(cast, "red")
        call = plan.contacts.get(kind=ContactKind.CALL, due_on=dt.date(2026, 9, 28))
        services.care_contact_record(actor=cast.grid_worker, contact=call, found="电话里说一切都好")
    with time_machine.travel(at(2026, 10, 1, 10), tick=False):
        visit = plan.contacts.get(kind=ContactKind.VISIT, due_on=dt.date(2026, 9, 28))
        services.care_contact_record(actor=cast.grid_worker, contact=visit, found="补上的探访，一切正常")
        summary = selectors.care_summary(cast.community_worker, dt.date(2026, 10, 1))
    # Due before today: the visit and call of 9-28 and the call of 9-30; only the 9-28 call was done on its day.
    assert summary["on_time"][0] == ("red", 1, 3, 33)
    assert summary["by_level"] == {"red": 1}
    assert selectors.care_summary(cast.outsider, dt.date(2026, 10, 1))["by_level"] == {}


def _plans_confirmed(cast: Cast, n: int) -> None:
    """`n` people of the cast's household in care on 28 September, their visits left to the grid's worker."""
    with time_machine.travel(at(2026, 9, 28, 9), tick=False):
        for i in range(n):
            person = territory.resident_create(
                actor=None,
                household=cast.household,
                name=f"老人{i}",
                gender="female",
                birth_date=dt.date(1940, 1, 1),
            )
            services.care_plan_confirm(
                actor=cast.grid_worker,
                resident=person,
                level=("red", "yellow", "green")[i % 3],
                reason="入户核实情况",
            )


@pytest.mark.parametrize("plans", [3, 30])
def test_the_nightly_job_reads_as_much_for_30_plans_as_for_3(
    cast: Cast, plans: int, django_assert_num_queries
) -> None:  # type: ignore[no-untyped-def]
    _plans_confirmed(cast, plans)
    before = CareContact.objects.count()
    with (
        time_machine.travel(at(2026, 10, 10, 1), tick=False),
        django_assert_num_queries(6),
    ):  # plans, visitors, savepoint, insert, update, release
        added = services.care_schedules_extend()
    assert added == CareContact.objects.count() - before > 0
    assert set(CarePlan.objects.values_list("scheduled_until", flat=True)) == {dt.date(2026, 10, 24)}
    added_days = {
        (c.plan.level, c.kind, c.due_on.day, c.assignee_id)
        for c in CareContact.objects.filter(due_on__gt=dt.date(2026, 10, 12)).select_related("plan")
    }
    worker = cast.grid_worker.pk
    calls = {("red", ContactKind.CALL, day, worker) for day in (14, 16, 18, 20, 22, 24)}
    assert added_days == calls | {
        ("red", ContactKind.VISIT, 19, worker),
        ("yellow", ContactKind.CALL, 19, worker),
    }
    per_plan = CareContact.objects.filter(due_on__gt=dt.date(2026, 10, 12), plan__level="red").count()
    assert per_plan == 7 * len(range(0, plans, 3))


@pytest.mark.parametrize("outcome", ["reached", "no_answer"])
def test_recording_a_call_reads_the_call_once_and_checks_the_scope(
    cast: Cast, outcome: str, django_assert_num_queries
) -> None:  # type: ignore[no-untyped-def]
    """The call looked up in the recorder's scope (2 queries) and written (savepoint, the write or the locked read
    and the attempt, the older ones it covers or the audit, release): the call is not read again afterwards."""
    plan = confirm(cast, "red")
    contact = plan.contacts.get(kind=ContactKind.CALL, due_on=timezone.localdate())
    with django_assert_num_queries(7):
        done = services.care_contact_record(
            actor=cast.grid_worker, contact=contact, found="电话联系，一切都好", outcome=outcome
        )
    stored = CareContact.objects.get(pk=contact.pk)
    for field in (
        "state",
        "outcome",
        "done_at",
        "done_by_id",
        "found",
        "needs_raised",
        "distance_m",
        "minutes",
    ):
        assert getattr(done, field) == getattr(stored, field)
    assert done.state == (ContactState.DONE if outcome == "reached" else ContactState.DUE)
