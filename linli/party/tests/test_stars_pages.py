"""Member points, branch meetings and branch stars as staff use them: record, compute, read the evidence, approve."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from linli.party import services
from linli.party.models import BranchStarRating
from linli.testing import Cast

pytestmark = pytest.mark.django_db


def test_record_a_meeting_and_see_the_points(cast: Cast, branch, client_for) -> None:  # type: ignore[no-untyped-def]
    member = services.party_member_create(actor=None, name="张三", party_org=branch)
    staff = client_for("community_worker")
    page = staff.get(reverse("party:meetings"), {"branch": branch.pk}).content.decode()
    assert "张三" in page
    response = staff.post(
        reverse("party:meetings") + f"?branch={branch.pk}",
        {
            "branch": branch.pk,
            "kind": "lesson",
            "held_on": timezone.localdate().isoformat(),
            "topic": "学习党章",
            "attendees": [member.pk],
        },
    )
    assert response.status_code == 302
    ledger = staff.get(reverse("party:member_points", args=[member.pk])).content.decode()
    assert "学习党章" in ledger and "+3" in ledger
    staff.post(reverse("party:member_points", args=[member.pk]), {"points": 5, "reason": "带头清理楼道堆物"})
    assert "带头清理楼道堆物" in staff.get(reverse("party:member_points", args=[member.pk])).content.decode()
    assert client_for("outsider").get(reverse("party:member_points", args=[member.pk])).status_code == 404


def _secretary(branch) -> None:  # type: ignore[no-untyped-def]
    member = services.party_member_create(actor=None, name="张三", party_org=branch, phone="13812345678")
    services.party_member_set_position(actor=None, member=member, position="secretary")


def _self_assess(rating: BranchStarRating) -> None:
    services.branch_stars_submit(actor=None, rating=rating, claimed_stars=2, statement="按期完成自查自评。")


def test_compute_read_the_evidence_remind_and_approve(cast: Cast, branch, client_for) -> None:  # type: ignore[no-untyped-def]
    _secretary(branch)
    staff = client_for("community_worker")
    assert "尚未测评" in staff.get(reverse("party:stars")).content.decode()
    response = staff.post(
        reverse("party:star_compute"), {"branch": branch.pk, "year": timezone.localdate().year}
    )
    rating = BranchStarRating.objects.get()
    assert response["Location"] == reverse("party:star", args=[rating.pk])
    page = staff.get(response["Location"]).content.decode()
    assert "指标与佐证材料" in page and "应开 4 次" in page and "审定通过" not in page
    assert "提醒支部自评" not in page  # the community does not remind; the street does
    street = client_for("street_officer")
    page = street.get(response["Location"]).content.decode()
    # Not assessed yet: the street sees why it cannot approve, and reminds the branch instead.
    assert "审定通过" not in page and "街道只审定支部提交的自评" in page and "提醒支部自评" in page
    refused = street.post(reverse("party:star_approve", args=[rating.pk]), {"note": "同意"}, follow=True)
    assert "支部尚未自评，街道只审定支部提交的自评。" in refused.content.decode()
    rating.refresh_from_db()
    assert rating.state == "computed"
    listed = street.get(reverse("party:stars")).content.decode()
    assert "提醒自评" in listed
    back = street.post(
        reverse("party:star_remind", args=[rating.pk]), {"next": reverse("party:stars")}, follow=True
    )
    assert back.redirect_chain[-1][0] == reverse("party:stars")
    assert "已提醒阳光小区党支部完成自评（第 1 次提醒）。" in back.content.decode()
    page = street.get(response["Location"]).content.decode()
    assert "已提醒 1 次" in page and "提醒支部自评</button>" not in page  # not offered twice in a day
    again = street.post(reverse("party:star_remind", args=[rating.pk]), follow=True).content.decode()
    assert "如仍未自评，请明天再提醒" in again
    _self_assess(rating)
    page = street.get(response["Location"]).content.decode()
    assert "审定通过" in page and "提醒支部自评" not in page
    street.post(reverse("party:star_approve", args=[rating.pk]), {"note": "同意"})
    rating.refresh_from_db()
    assert rating.state == "approved"
    denied = staff.post(reverse("party:star_approve", args=[rating.pk]), {"note": "再批"})
    assert denied.status_code == 403


def test_stars_api(cast: Cast, branch, client_for) -> None:  # type: ignore[no-untyped-def]
    import json

    staff = client_for("community_worker")
    made = staff.post(
        "/api/party/stars/compute",
        json.dumps({"branch_id": branch.pk, "year": timezone.localdate().year}),
        content_type="application/json",
    )
    assert made.status_code == 200 and {i["code"] for i in made.json()["indicators"]} >= {
        "meetings",
        "appeals",
    }
    street = client_for("street_officer")
    rating_id = made.json()["id"]
    early = street.post(
        f"/api/party/stars/{rating_id}/approve", json.dumps({}), content_type="application/json"
    )
    assert early.status_code == 409 and "支部尚未自评" in early.json()["message"]
    assert street.post(f"/api/party/stars/{rating_id}/remind").status_code == 409  # no secretary to remind
    _secretary(branch)
    reminded = street.post(f"/api/party/stars/{rating_id}/remind")
    assert reminded.status_code == 200 and reminded.json()["reminders"] == 1
    assert staff.post(f"/api/party/stars/{rating_id}/remind").status_code == 403
    # The list says the branch was reminded today, and offers no second reminder until tomorrow.
    listed = street.get(reverse("party:stars")).content.decode()
    assert "提醒自评</button>" not in listed
    assert f"{timezone.localtime(timezone.now()):%m-%d} 已提醒" in listed
    _self_assess(BranchStarRating.objects.get(pk=rating_id))
    approve = street.post(
        f"/api/party/stars/{rating_id}/approve", json.dumps({}), content_type="application/json"
    )
    assert approve.json()["state"] == "approved" and approve.json()["stars"] == 2
    assert client_for("outsider").get("/api/party/stars").json() == {"count": 0, "items": []}


def test_an_administrator_sets_the_weights_and_member_points_and_they_change_the_score(
    cast: Cast,
    branch,
    client_for,  # type: ignore[no-untyped-def]
) -> None:
    from linli.party.services.points import member_points_per_unit

    year = timezone.localdate().year
    worker = client_for("community_worker")
    page = worker.get(reverse("party:star_rules")).content.decode()
    assert "只有管理员可以修改" in page  # read by staff, changed by an administrator
    # Its numbers are shown to read, not as boxes to type into with nothing to save them with.
    assert 'name="weight_meetings"' in page and page.count(" disabled") == page.count('type="number"') > 0
    data = {f"weight_{code}": w for code, w in services.indicator_weights().items()}
    data.update(
        {
            f"points_{k}": member_points_per_unit(k)
            for k in ("service_hours", "meeting", "appeal", "wish", "decision")
        }
    )
    assert worker.post(reverse("party:star_rules"), data).status_code == 403

    before = services.branch_stars_compute(actor=None, branch=branch, year=year)
    admin = client_for("admin")
    # Every indicator but the meetings held weighs nothing: a branch that held none scores 0.
    zeroed = {
        k: (30 if k == "weight_meetings" else 0) if k.startswith("weight_") else v for k, v in data.items()
    }
    zeroed["points_meeting"] = 10
    bad = dict(zeroed, weight_meetings=101)
    refused = admin.post(reverse("party:star_rules"), bad)
    assert refused.status_code == 422 and 'value="101"' in refused.content.decode()
    assert admin.post(reverse("party:star_rules"), zeroed).status_code == 302
    assert services.indicator_weights()["meetings"] == 30 and services.indicator_weights()["active"] == 0
    assert member_points_per_unit("meeting") == 10
    after = services.branch_stars_compute(actor=None, branch=branch, year=year)
    assert before.score > 0 and after.score == 0 and after.stars == 0


def test_the_meetings_list_pages_back_to_the_oldest(
    cast: Cast, branch, client_for, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    """Older meetings stay reachable: the list pages (it stopped at the latest 100 before), the branch chosen kept."""
    import datetime as dt

    from linli.party.views import stars as star_views

    monkeypatch.setattr(star_views, "MEETINGS_PER_PAGE", 2)
    member = services.party_member_create(actor=None, name="张三", party_org=branch)
    start = timezone.localdate() - dt.timedelta(days=100)
    for n in range(3):
        services.branch_meeting_record(
            actor=None,
            branch=branch,
            kind="lesson",
            held_on=start + dt.timedelta(days=30 * n),
            topic=f"第{n + 1}课",
            attendees=[member],
        )
    staff = client_for("community_worker")
    first = staff.get(reverse("party:meetings"), {"branch": branch.pk}).content.decode()
    assert "第3课" in first and "第1课" not in first
    assert "第 1 / 2 页，共 3 条" in first and f'href="?branch={branch.pk}&amp;page=2"' in first
    second = staff.get(reverse("party:meetings"), {"branch": branch.pk, "page": 2}).content.decode()
    assert "第1课" in second and "第3课" not in second
