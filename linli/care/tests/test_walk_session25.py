"""What stopped or misled grid001 (phone) and community1 (desk) walking care in session 25: a case opened from a
dispute appeal that sits with another unit threw the whole form away for a 403 page; a follow-up's note too short
was said above the form, not on the note; an alert raised during a visit left the visit to find again; a plan's
visits read 12-14, 12-21, 12-21, 12-07, 11-30 (the next ones soonest first above the rest latest first); the API
said an open visit's outcome was "reached"."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from django.utils import timezone

from linli.appeals.tests.factories import submit
from linli.care.choices import ContactKind
from linli.care.models import CarePlan, MediationCase
from linli.testing import Cast

from .conftest import PARTIES


def _case_form(appeal_number: str, cast: Cast) -> dict[str, str]:
    return {
        "grid": str(cast.grid.pk),
        "kind": "labour",
        "appeal_number": appeal_number,
        "source": "walk_in",
        "place": "3号楼工地",
        "summary": "装修工人被拖欠三个月工资",
        "applicant": "孙师傅",
        "applicant_phone": "",
        "respondent": "某装修公司",
        "respondent_phone": "",
    }


def test_a_dispute_appeal_with_another_unit_is_refused_on_its_field_keeping_what_was_typed(
    cast: Cast, client_for: Any
) -> None:
    """A wage-arrears appeal dispatched to a department: the community worker sees it but may not work on it."""
    appeal = submit(cast, category_code="labour_social.wage_arrears")
    client = client_for("community_worker")
    page = client.post("/care/cases/new/", _case_form(appeal.tracking_number, cast))
    assert page.status_code == 422
    form = page.context["form"]
    assert list(form.errors) == ["appeal_number"]
    assert appeal.tracking_number in form.errors["appeal_number"][0]
    body = page.content.decode()
    assert "装修工人被拖欠三个月工资" in body and "3号楼工地" in body
    api = client.post(
        "/api/care/cases",
        json.dumps(
            {
                "grid_id": cast.grid.pk,
                "kind": "labour",
                "source": "walk_in",
                "summary": "装修工人被拖欠三个月工资",
                "parties": PARTIES,
                "appeal_number": appeal.tracking_number,
            }
        ),
        content_type="application/json",
    )
    assert api.status_code == 422 and api.json()["extra"]["field"] == "appeal_number"
    assert MediationCase.objects.count() == 0


def test_a_follow_up_note_too_short_is_said_on_the_note(cast: Cast, client_for: Any) -> None:
    from linli.care import services

    from .conftest import open_case

    case = open_case(cast)
    services.session_record(
        actor=cast.grid_worker, case=case, held_at=timezone.now(), attendees="双方", notes="双方同意赔偿"
    )
    services.agreement_sign(
        actor=cast.grid_worker,
        case=case,
        terms="楼上住户赔偿楼下维修费用两千元",
        signed_on=timezone.localdate(),
    )
    client = client_for("grid_worker")
    page = client.post(
        f"/care/cases/{case.pk}/follow_up/", {"note": "好", "holds": "1", "amount_recovered": "500"}
    )
    assert page.status_code == 422
    form = page.context["forms"]["follow_up"]
    assert list(form.errors) == ["note"] and form.data["amount_recovered"] == "500"
    api = client.post(
        f"/api/care/cases/{case.pk}/follow-up",
        json.dumps({"note": "好", "holds": True}),
        content_type="application/json",
    )
    assert api.status_code == 422 and api.json()["extra"]["field"] == "note"


def test_an_alert_raised_during_a_visit_goes_back_to_that_visit(
    cast: Cast, plan: CarePlan, client_for: Any
) -> None:
    visit = plan.contacts.get(kind=ContactKind.VISIT, due_on=timezone.localdate())
    client = client_for("grid_worker")
    record = client.get(f"/care/contacts/{visit.pk}/").content.decode()
    assert f'name="contact" value="{visit.pk}"' in record
    raised = client.post(f"/care/plans/{plan.pk}/alert/", {"kind": "fall", "contact": str(visit.pk)})
    assert raised.status_code == 302 and raised["Location"] == f"/care/contacts/{visit.pk}/"
    # From the plan's page (no visit named), back to the plan as before; a visit not of this plan is not followed.
    for named in ({}, {"contact": "999999"}, {"contact": "x"}):
        again = client.post(f"/care/plans/{plan.pk}/alert/", {"kind": "illness", **named})
        assert again["Location"] == f"/care/plans/{plan.pk}/"


def test_a_plans_visits_read_latest_first_from_the_next_ones_down(plan: CarePlan, client_for: Any) -> None:
    page = client_for("community_worker").get(f"/care/plans/{plan.pk}/")
    days = [c.due_on for c in page.context["next_visits"]] + [c.due_on for c in page.context["contacts"]]
    assert len(days) > 3 and days[0] > timezone.localdate() + dt.timedelta(days=1)
    assert days == sorted(days, reverse=True)


def test_an_open_visit_has_no_outcome_in_the_api(cast: Cast, plan: CarePlan, client_for: Any) -> None:
    client = client_for("grid_worker")
    items = client.get("/api/care/today").json()["items"]
    visit = next(c for c in items if c["kind"] == ContactKind.VISIT)
    assert visit["state"] == "due" and visit["outcome"] is None
    done = client.post(
        f"/api/care/contacts/{visit['id']}/record",
        json.dumps({"outcome": "refused", "found": "老人不愿开门"}),
        content_type="application/json",
    ).json()
    assert done["state"] == "done" and done["outcome"] == "refused"


def test_the_button_that_records_a_service_given_says_what_it_does(
    cast: Cast, plan: CarePlan, client_for: Any
) -> None:
    """It read 已完成 ("done"), a state beside the hours and the note, not something to tap."""
    from linli.care import services

    services.care_service_order(
        actor=cast.grid_worker,
        plan=plan,
        kind="bathing",
        provider="幸福社区助浴队",
        scheduled_on=timezone.localdate(),
        volunteer=cast.grid_worker,
    )
    client = client_for("grid_worker")
    for url in ("/care/", f"/care/plans/{plan.pk}/"):
        page = client.get(url).content.decode()
        assert ">记为已完成</button>" in page and ">已完成</button>" not in page, url
