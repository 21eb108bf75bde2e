"""Who sees the resident's contact in full (permissions.may_see_contact): the person who gave it — the resident,
or the staff member who took the appeal in (a grid worker's patrol report, a hotline call) — and the staff whose
work needs it; everyone else reads it masked."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from linli.appeals import services
from linli.appeals.models import Appeal
from linli.appeals.tests.factories import DESCRIPTION, post
from linli.core.models import AuditEntry
from linli.core.roles import Role
from linli.testing import Cast, make_user, signed_in

PHONE = "13911112222"


def _patrol_report_passed_up(cast: Cast) -> Appeal:
    """A grid worker's patrol report giving a resident's contact, which the worker passes up a tier (it is no
    longer theirs to handle)."""
    appeal = services.appeal_submit(
        actor=cast.grid_worker,
        kind="help",
        title="王大妈家楼上漏水",
        description=DESCRIPTION,
        channel="patrol",
        category_code="property_management.property_service",
        grid=cast.grid,
        contact_name="王秀英",
        contact_phone=PHONE,
    )
    return services.appeal_escalate(actor=cast.grid_worker, appeal=appeal, reason="需要社区协调物业")


def test_the_grid_worker_who_filed_a_patrol_report_sees_the_contact_they_gave(cast: Cast) -> None:
    appeal = _patrol_report_passed_up(cast)
    worker = signed_in(cast.grid_worker)
    page = worker.get(reverse("appeals:detail", args=[appeal.pk])).content.decode()
    assert "王秀英" in page and PHONE in page
    detail = worker.get(f"/api/appeals/{appeal.pk}").json()
    assert (detail["contact_name"], detail["contact_phone"]) == ("王秀英", PHONE)
    # What they typed themselves is no read of someone else's data: nothing to audit.
    assert not AuditEntry.objects.filter(
        object_id=str(appeal.pk), action__startswith="appeal.contact"
    ).exists()


def test_a_grid_role_who_did_not_file_it_reads_the_contact_masked(cast: Cast) -> None:
    appeal = _patrol_report_passed_up(cast)
    captain = make_user("captain", Role.PART_TIME_GRID_WORKER, node=cast.compound)
    cast.grid.workers.add(captain)
    reader = signed_in(captain)
    page = reader.get(reverse("appeals:detail", args=[appeal.pk]))
    assert page.status_code == 200
    assert PHONE not in page.content.decode() and "139****2222" in page.content.decode()
    assert not page.context["may_reveal"]
    assert reader.post(reverse("appeals:reveal_contact", args=[appeal.pk])).status_code == 403
    assert reader.get(f"/api/appeals/{appeal.pk}").json()["contact_phone"] == "139****2222"


def test_a_summoned_unit_may_show_the_contact_while_its_part_is_open(cast: Cast, client_for: Any) -> None:
    appeal = _patrol_report_passed_up(cast)
    services.appeal_escalate(actor=cast.community_worker, appeal=appeal, reason="社区牵头")
    appeal.refresh_from_db()
    services.appeal_acknowledge(actor=cast.community_worker, appeal=appeal)
    [part] = services.appeal_whistle(
        actor=cast.community_worker, appeal=appeal, units=[cast.department], reason="请城管到现场查看处置。"
    )
    handler = client_for("department_handler")
    page = handler.get(reverse("appeals:detail", args=[appeal.pk]))
    assert page.context["may_reveal"] and PHONE not in page.content.decode()
    shown = handler.post(reverse("appeals:reveal_contact", args=[appeal.pk]))
    assert PHONE in shown.content.decode()
    assert AuditEntry.objects.filter(action="appeal.contact_reveal", object_id=str(appeal.pk)).exists()
    services.part_complete(actor=cast.department_handler, part=part, note="已到现场清理完毕。")
    # Its part done, the unit's work no longer needs the number.
    assert not handler.get(reverse("appeals:detail", args=[appeal.pk])).context["may_reveal"]
    assert handler.post(reverse("appeals:reveal_contact", args=[appeal.pk])).status_code == 403


def test_a_patrol_report_filed_in_another_grid_answers_its_filer_with_the_contact(cast: Cast) -> None:
    operator = signed_in(cast.grid_worker)
    answer = post(
        operator,
        "/api/appeals/",
        {
            "kind": "complaint",
            "title": "路灯不亮",
            "description": DESCRIPTION,
            "category_code": "urban_construction.road_works",
            "channel": "patrol",
            "lng": 116.412,
            "lat": 39.902,
            "contact_name": "李先生",
            "contact_phone": PHONE,
        },
    )
    assert answer.status_code == 201, answer.content
    assert answer.json()["contact_phone"] == PHONE


def test_the_patrol_form_takes_the_residents_contact_and_shows_it_to_the_worker(cast: Cast) -> None:
    worker = signed_in(cast.grid_worker)
    form = {
        "kind": "help",
        "description": DESCRIPTION,
        "category": "property_management.property_service",
        "lng": "116.402",
        "lat": "39.902",
        "address": "",
        "contact_name": "王秀英",
        "contact_phone": "1391111",
        "idempotency_key": "k-" + "p" * 30,
    }
    refused = worker.post(reverse("appeals:patrol"), form)
    assert refused.status_code == 422 and not Appeal.objects.exists()
    assert "王秀英" in refused.content.decode()  # nothing typed is lost
    page = worker.post(reverse("appeals:patrol"), {**form, "contact_phone": PHONE}, follow=True)
    appeal = Appeal.objects.get()
    assert (appeal.contact_name, appeal.contact_phone, appeal.channel) == ("王秀英", PHONE, "patrol")
    assert PHONE in page.content.decode()
