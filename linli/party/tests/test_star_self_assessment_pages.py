"""The self-assessment as people use it: the secretary on 我的支部 (phone) fills it in, sees the street's reason
when it comes back and submits again; the street reads claim, computed and granted stars side by side and
approves or returns. The same through the branch and staff APIs. Bad input keeps what was typed."""

from __future__ import annotations

import json

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from linli.party import services
from linli.party.models import BranchStarRating
from linli.testing import signed_in

from .helpers import Branch

pytestmark = pytest.mark.django_db


def _post(client: Client, url: str, body: dict[str, object]):  # type: ignore[no-untyped-def]
    return client.post(url, json.dumps(body), content_type="application/json")


def _rating(world: Branch) -> BranchStarRating:
    return services.branch_stars_compute(
        actor=world.secretary, branch=world.branch, year=timezone.localdate().year
    )


def test_the_secretary_fills_in_the_self_assessment_and_nothing_typed_is_lost(world: Branch) -> None:
    rating = _rating(world)
    me = signed_in(world.secretary)
    home = reverse("party:branch", args=[world.branch.pk])
    page = me.get(home).content.decode()
    assert "已测评，待支部自评" in page and "填写支部自评" in page
    assess = reverse("party:branch_star_assess", args=[world.branch.pk])
    form = me.get(assess).content.decode()
    assert "自评星级" in form and "note_meetings" in form
    refused = me.post(
        assess, {"claimed_stars": "3", "statement": "", "note_meetings": "社区党委合办党课 2 次"}
    )
    assert refused.status_code == 422
    text = refused.content.decode()
    assert "请简要说明支部自评该星级的理由" in text
    assert "社区党委合办党课 2 次" in text and '<option value="3" selected>' in text  # kept as typed
    rating.refresh_from_db()
    assert rating.state == "computed"
    done = me.post(
        assess,
        {"claimed_stars": "3", "statement": "全年主题党日 12 次", "note_meetings": "社区党委合办党课 2 次"},
    )
    assert done.status_code == 302 and done["Location"] == home + "#stars"
    rating.refresh_from_db()
    assert (rating.state, rating.claimed_stars) == ("submitted", 3)
    page = me.get(home).content.decode()
    assert (
        "支部已自评，待街道审定" in page and "全年主题党日 12 次" in page and "社区党委合办党课 2 次" in page
    )
    assert "--badge:#2f6fb5" in page  # the state's colour, declared with the state
    assert "填写支部自评" not in page
    # Nothing left to assess: the form page sends the secretary back with a word.
    back = me.get(assess, follow=True)
    assert "没有待自评的星级测评" in back.content.decode()


def test_the_street_returns_it_and_the_secretary_sees_why_and_submits_again(
    world: Branch, client_for
) -> None:  # type: ignore[no-untyped-def]
    rating = services.branch_stars_submit(
        actor=world.secretary, rating=_rating(world), claimed_stars=5, statement="五星", notes={}
    )
    street = client_for("street_officer")
    review = reverse("party:star", args=[rating.pk])
    page = street.get(review).content.decode()
    assert "系统测评" in page and "支部自评" in page and "街道审定" in page and "退回修改" in page
    send_back = reverse("party:star_return", args=[rating.pk])
    refused = street.post(send_back, {"reason": ""})
    assert refused.status_code == 422 and "请写明退回理由" in refused.content.decode()
    assert street.post(send_back, {"reason": "请补充五星所需的品牌项目材料"}).status_code == 302
    me = signed_in(world.secretary)
    page = me.get(reverse("party:branch", args=[world.branch.pk])).content.decode()
    assert "街道退回了支部自评" in page and "请补充五星所需的品牌项目材料" in page
    assert "修改后重新提交" in page
    assess = reverse("party:branch_star_assess", args=[world.branch.pk])
    form = me.get(assess).content.decode()
    assert "请补充五星所需的品牌项目材料" in form and "五星</textarea>" in form  # the last claim to change
    me.post(assess, {"claimed_stars": "4", "statement": "调整为四星，补充了项目材料"})
    rating.refresh_from_db()
    assert (rating.state, rating.claimed_stars) == ("submitted", 4)
    assert "曾退回修改" in street.get(review).content.decode()


def test_the_street_approves_with_other_stars_only_with_a_note(world: Branch, client_for) -> None:  # type: ignore[no-untyped-def]
    rating = services.branch_stars_submit(
        actor=world.secretary, rating=_rating(world), claimed_stars=4, statement="四星", notes={}
    )
    street = client_for("street_officer")
    approve = reverse("party:star_approve", args=[rating.pk])
    refused = street.post(approve, {"stars": "2", "note": ""})
    text = refused.content.decode()
    assert refused.status_code == 422 and "请在审定意见中说明理由" in text
    assert '<option value="2" selected>' in text  # the stars chosen stay chosen
    assert street.post(approve, {"stars": "2", "note": "会议记录不全"}).status_code == 302
    rating.refresh_from_db()
    assert (rating.state, rating.stars, rating.claimed_stars) == ("approved", 2, 4)
    page = signed_in(world.secretary).get(reverse("party:branch", args=[world.branch.pk])).content.decode()
    assert "街道已审定" in page and "会议记录不全" in page
    listing = street.get(reverse("party:stars")).content.decode()
    assert "4 ★" in listing and "街道已审定" in listing


def test_the_pages_refuse_the_wrong_person(world: Branch, client_for) -> None:  # type: ignore[no-untyped-def]
    rating = services.branch_stars_submit(
        actor=world.secretary, rating=_rating(world), claimed_stars=1, statement="一星", notes={}
    )
    worker = client_for("community_worker")
    page = worker.get(reverse("party:star", args=[rating.pk])).content.decode()
    assert "退回修改" not in page and "审定通过" not in page  # the actions are the street's
    assert worker.post(reverse("party:star_return", args=[rating.pk]), {"reason": "x"}).status_code == 403
    assert worker.post(reverse("party:star_approve", args=[rating.pk]), {}).status_code == 403
    plain = signed_in(world.plain)
    assert plain.get(reverse("party:branch_star_assess", args=[world.branch.pk])).status_code == 404
    assert signed_in(world.secretary).get(reverse("party:star", args=[rating.pk])).status_code == 403
    rating.refresh_from_db()
    assert rating.state == "submitted"


def test_the_branch_and_staff_apis_take_the_same_steps(world: Branch, client_for) -> None:  # type: ignore[no-untyped-def]
    me = signed_in(world.secretary)
    made = me.post(f"/api/party/branch/{world.branch.pk}/stars/compute").json()
    submit = f"/api/party/branch/{world.branch.pk}/stars/{made['id']}/submit"
    bad = _post(me, submit, {"claimed_stars": 9, "statement": "x"})
    assert bad.status_code == 422 and bad.json()["message"] == "请选择支部自评星级：无星或一至五星。"
    ok = _post(
        me, submit, {"claimed_stars": 3, "statement": "三星", "notes": {"active": "志愿服务 200 小时"}}
    )
    assert ok.status_code == 200
    body = ok.json()
    assert (body["state"], body["claimed_stars"], body["claim_notes"]) == (
        "submitted",
        3,
        {"active": "志愿服务 200 小时"},
    )
    assert body["state_label"] == "支部已自评，待街道审定"
    assert _post(me, submit, {"claimed_stars": 3, "statement": "再交"}).status_code == 409
    other = services.party_org_create(
        actor=None,
        kind="branch",
        name="星光小区党支部",
        org_node=world.branch.org_node,
        parent=world.branch.parent,
    )
    foreign = services.branch_stars_compute(actor=None, branch=other, year=made["year"])
    assert (
        _post(
            me,
            f"/api/party/branch/{world.branch.pk}/stars/{foreign.pk}/submit",
            {"claimed_stars": 1, "statement": "x"},
        ).status_code
        == 404
    )
    worker = client_for("community_worker")
    street = client_for("street_officer")
    back = f"/api/party/stars/{made['id']}/return"
    assert _post(worker, back, {"reason": "x"}).status_code == 403
    assert _post(me, back, {"reason": "x"}).status_code == 403  # a resident is not staff
    empty = _post(street, back, {"reason": " "})
    assert empty.status_code == 422 and "请写明退回理由" in empty.json()["message"]
    returned = _post(street, back, {"reason": "请补充材料"}).json()
    assert (returned["state"], returned["return_reason"]) == ("returned", "请补充材料")
    summary = me.get(f"/api/party/branch/{world.branch.pk}").json()
    assert summary["rating"]["state"] == "returned" and "stars_submit" in summary["may"]
    assert _post(me, submit, {"claimed_stars": 2, "statement": "二星"}).status_code == 200
    approve = f"/api/party/stars/{made['id']}/approve"
    unexplained = _post(street, approve, {"stars": 1})
    assert unexplained.status_code == 422 and "请在审定意见中说明理由" in unexplained.json()["message"]
    approved = _post(street, approve, {"stars": 1, "note": "材料不足"}).json()
    assert (approved["state"], approved["stars"], approved["claimed_stars"]) == ("approved", 1, 2)
    listed = street.get("/api/party/stars", {"year": made["year"]}).json()
    assert {r["id"]: r["state"] for r in listed["items"]}[made["id"]] == "approved"


def test_the_street_sees_what_awaits_its_review_on_the_list(world: Branch, client_for) -> None:  # type: ignore[no-untyped-def]
    services.branch_stars_submit(
        actor=world.secretary, rating=_rating(world), claimed_stars=2, statement="二星", notes={}
    )
    page = client_for("street_officer").get(reverse("party:stars")).content.decode()
    assert "支部已自评，待街道审定" in page and "2 ★" in page and "--badge:#2f6fb5" in page


def test_steps_that_cannot_be_undone_ask_first(world: Branch, client_for) -> None:  # type: ignore[no-untyped-def]
    """Submitting the self-assessment (the secretary) and approving the rating (the street) each carry the
    question web/site.js asks before the form is sent; returning it, which the branch answers, does not."""
    rating = _rating(world)
    me = signed_in(world.secretary)
    form = me.get(reverse("party:branch_star_assess", args=[world.branch.pk])).content.decode()
    assert 'data-confirm="确定提交街道审定？街道审定或退回之前不能再修改自评。"' in form
    services.branch_stars_submit(
        actor=world.secretary, rating=rating, claimed_stars=2, statement="按期自查。"
    )
    review = client_for("street_officer").get(reverse("party:star", args=[rating.pk])).content.decode()
    approve = review[review.index(reverse("party:star_approve", args=[rating.pk])) :]
    assert approve.split(">", 1)[0].endswith('data-confirm="确定按所选星级审定通过？审定后不能再修改。"')
    send_back = review[review.index(reverse("party:star_return", args=[rating.pk])) :]
    assert "data-confirm" not in send_back.split(">", 1)[0]
