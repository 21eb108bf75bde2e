"""Member points, branch meetings and branch stars as staff use them: record, compute, read the evidence, approve."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from linli.party import services
from linli.party.models import BranchStarRating
from linli.testing import Cast

pytestmark = pytest.mark.django_db


@pytest.fixture
def branch(cast: Cast):  # type: ignore[no-untyped-def]
    committee = services.party_org_create(
        actor=None, kind="committee", name="幸福社区党委", org_node=cast.community
    )
    return services.party_org_create(
        actor=None, kind="branch", name="阳光小区党支部", org_node=cast.compound, parent=committee
    )


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


def test_compute_read_the_evidence_and_approve(cast: Cast, branch, client_for) -> None:  # type: ignore[no-untyped-def]
    services.party_member_create(actor=None, name="张三", party_org=branch)
    staff = client_for("community_worker")
    assert "尚未测评" in staff.get(reverse("party:stars")).content.decode()
    response = staff.post(
        reverse("party:star_compute"), {"branch": branch.pk, "year": timezone.localdate().year}
    )
    rating = BranchStarRating.objects.get()
    assert response["Location"] == reverse("party:star", args=[rating.pk])
    page = staff.get(response["Location"]).content.decode()
    assert "指标与佐证材料" in page and "应开 4 次" in page and "审定通过" not in page
    street = client_for("street_officer")
    assert "审定通过" in street.get(response["Location"]).content.decode()
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
    approve = client_for("street_officer").post(
        f"/api/party/stars/{made.json()['id']}/approve", json.dumps({}), content_type="application/json"
    )
    assert approve.json()["state"] == "approved"
    assert client_for("outsider").get("/api/party/stars").json() == []
