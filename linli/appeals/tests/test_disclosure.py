"""三公开, what the public sees (public.py): appeals of a category about one person (a child at school, a named
teacher…) are never public, and the staff handling an appeal may withhold it (不予公开) with a reason, traced;
its followers then no longer see it or hear of it."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from linli.accounts.models import User
from linli.appeals import services
from linli.appeals.models import Appeal
from linli.appeals.tests.factories import post, submit
from linli.core.errors import Conflict, PermissionDenied
from linli.core.models import Notification
from linli.core.roles import Role
from linli.testing import Cast, signed_in


@pytest.fixture(autouse=True)
def _open311_public(settings: Any) -> None:
    settings.LINLI_OPEN311_PUBLIC = True


BULLYING = "孩子在学校被同学欺负，班主任王老师一直不管，请教育部门过问。"
LIBRARY = "社区图书室周末不开门，孩子们没地方看书，希望周末也能开放。"


def _resolve(cast: Cast, appeal: Appeal, note: str = "已联系相关单位，问题已经处理完毕。") -> Appeal:
    """Education starts at the street (routing's default tiers): its officer acknowledges and resolves it."""
    services.appeal_acknowledge(actor=cast.street_officer, appeal=appeal)
    return services.appeal_resolve(actor=cast.street_officer, appeal=appeal, note=note)


def _solved(cast: Cast, code: str, text: str, title: str) -> Appeal:
    return _resolve(cast, submit(cast, category_code=code, description=text, title=title))


def _shown_publicly(appeal: Appeal) -> dict[str, bool]:
    """Where the public sees the appeal: its page, the public map's feed, the community's disclosure page and the
    Open311 feed."""
    guest = Client()
    number = appeal.tracking_number
    feed = guest.get(reverse("appeals:public_solved_json")).json()["items"]
    community = guest.get(f"/public/c/{appeal.org_path.strip('/').split('/')[2]}/").content.decode()
    feeds = guest.get("/open311/v2/requests.json").json() + guest.get("/public/requests.json").json()
    return {
        "page": guest.get(f"/appeals/public/{number}/").status_code == 200,
        "map": any(row["id"] == number for row in feed),
        "community": number in community,
        "open311": any(row.get("service_request_id") == number for row in feeds),
    }


def test_an_appeal_about_a_pupil_and_a_named_teacher_is_never_public(cast: Cast) -> None:
    bullying = _solved(cast, "education.school_management", BULLYING, "孩子被欺负")
    library = _solved(cast, "education.culture", LIBRARY, "图书室周末不开门")
    assert _shown_publicly(library) == {"page": True, "map": True, "community": True, "open311": True}
    assert _shown_publicly(bullying) == {"page": False, "map": False, "community": False, "open311": False}


def test_no_one_may_follow_an_appeal_of_a_personal_category(cast: Cast) -> None:
    from linli.core.errors import NotFound

    enrolment = submit(cast, category_code="education.enrolment", title="孩子入学", description=BULLYING)
    neighbour = User.objects.create_user(username="n1", role=Role.RESIDENT, phone="13700001111", password="x")
    with pytest.raises(NotFound):
        services.appeal_follow(actor=neighbour, appeal=enrolment)


def test_the_handler_withholds_a_solved_appeal_and_its_follower_loses_it(cast: Cast, client_for: Any) -> None:
    appeal = submit(cast, description=LIBRARY, category_code="education.culture", title="图书室周末不开门")
    follower = User.objects.create_user(username="n1", role=Role.RESIDENT, phone="13700001111", password="x")
    services.appeal_follow(actor=follower, appeal=appeal)
    _resolve(cast, appeal, note="已协调图书室周六开放，周日仍闭馆。")
    worker = client_for("street_officer")
    page = worker.get(reverse("appeals:detail", args=[appeal.pk]))
    assert "withhold" in [name for name, _label, _form, _confirm in page.context["action_forms"]]
    assert "不予公开" in page.content.decode()
    refused = worker.post(reverse("appeals:act", args=[appeal.pk, "withhold"]), {"withhold-reason": ""})
    assert refused.status_code == 422 and not Appeal.objects.get(pk=appeal.pk).disclosure_withheld
    done = worker.post(
        reverse("appeals:act", args=[appeal.pk, "withhold"]),
        {"withhold-reason": "说明中提到了居民家里的具体情况", "seen_state": "resolved"},
        follow=True,
    )
    assert "已不予公开" in done.content.decode()
    assert "说明中提到了居民家里的具体情况" in done.content.decode()
    event = appeal.events.get(action="withhold")
    assert (event.actor, event.reason) == (cast.street_officer, "说明中提到了居民家里的具体情况")
    assert _shown_publicly(appeal) == {"page": False, "map": False, "community": False, "open311": False}
    mine = signed_in(follower).get("/appeals/mine/").content.decode()
    assert appeal.tracking_number not in mine
    told = Notification.objects.filter(user=follower).count()
    services.appeal_close(actor=cast.district_leader, appeal=appeal)
    assert Notification.objects.filter(user=follower).count() == told
    # Offered no more once withheld; a second try says so.
    again = worker.get(reverse("appeals:detail", args=[appeal.pk]))
    assert "withhold" not in [name for name, _label, _form, _confirm in again.context["action_forms"]]
    with pytest.raises(Conflict):
        services.appeal_withhold(actor=cast.street_officer, appeal=appeal, reason="再次")


def test_withholding_through_the_api_is_scoped_like_every_action(cast: Cast, client_for: Any) -> None:
    appeal = submit(cast, description=LIBRARY, category_code="education.culture", title="图书室周末不开门")
    outsider = post(client_for("outsider"), f"/api/appeals/{appeal.pk}/withhold", {"reason": "不宜公开"})
    assert outsider.status_code == 404
    with pytest.raises(PermissionDenied):
        services.appeal_withhold(actor=cast.resident, appeal=appeal, reason="不宜公开")
    # The community reads it but does not handle it: not offered, refused.
    community = client_for("community_worker")
    assert "withhold" not in community.get(f"/api/appeals/{appeal.pk}").json()["actions"]
    assert post(community, f"/api/appeals/{appeal.pk}/withhold", {"reason": "不宜公开"}).status_code == 403
    street = client_for("street_officer")
    assert "withhold" in street.get(f"/api/appeals/{appeal.pk}").json()["actions"]
    empty = post(street, f"/api/appeals/{appeal.pk}/withhold", {"reason": " "})
    assert empty.status_code == 422 and empty.json()["extra"]["field"] == "reason"
    answer = post(street, f"/api/appeals/{appeal.pk}/withhold", {"reason": "不宜公开"})
    assert answer.status_code == 200, answer.content
    assert answer.json()["disclosure_withheld"] is True
    assert answer.json()["trace"][-1]["action"] == "withhold"


def test_withholding_is_not_offered_where_there_is_nothing_to_withhold(cast: Cast, client_for: Any) -> None:
    bullying = submit(cast, category_code="education.school_management", description=BULLYING, title="被欺负")
    page = client_for("street_officer").get(reverse("appeals:detail", args=[bullying.pk]))
    assert "withhold" not in [name for name, _label, _form, _confirm in page.context["action_forms"]]
    assert page.context["disclosure"] == "private"
    with pytest.raises(PermissionDenied):
        services.appeal_withhold(actor=cast.street_officer, appeal=bullying, reason="不宜公开")
