"""Domain errors on pages, through real pages: core.pages.DomainErrorMiddleware and form_errors."""

from __future__ import annotations

from typing import Any

from django.contrib.messages import get_messages
from django.urls import reverse

from linli.appeals import services
from linli.appeals.models import MonthlyTopic, TopicCandidate
from linli.appeals.tests.factories import submit
from linli.appeals.tests.test_topics import _candidate
from linli.testing import Cast


def test_not_found_is_the_404_page(cast: Cast, client_for: Any) -> None:
    appeal = submit(cast)
    response = client_for("outsider").get(reverse("appeals:detail", args=[appeal.pk]))
    assert response.status_code == 404
    assert "404.html" in [t.name for t in response.templates]


def test_permission_denied_is_the_403_page_with_the_reason(cast: Cast, client_for: Any) -> None:
    # A department handler belongs to no area of the org tree: the overview refuses with a reason.
    response = client_for("department_handler").get(reverse("dashboard:index"))
    assert response.status_code == 403
    assert "403.html" in [t.name for t in response.templates]
    assert "一网统览只显示所辖区域的统计数据" in response.content.decode()  # the reason, in Chinese


def test_validation_failed_outside_a_form_is_a_message_on_the_page_it_came_from(
    cast: Cast, client_for: Any
) -> None:
    candidate = _candidate(cast)
    TopicCandidate.objects.filter(pk=candidate.pk).update(street=None)
    client = client_for("community_worker")
    response = client.post(reverse("appeals:candidate_act", args=[candidate.pk, "propose"]), {"title": ""})
    assert response.status_code == 302 and response["Location"] == reverse("appeals:topics")
    page = client.get(response["Location"])
    assert "该候选问题不属于任何街道" in page.content.decode()
    (message,) = list(get_messages(response.wsgi_request))
    assert message.level_tag == "error" and "invalid" in message.tags
    assert not MonthlyTopic.objects.exists()


def test_validation_failed_on_a_form_keeps_what_was_typed(cast: Cast, client_for: Any) -> None:
    appeal = submit(cast)
    response = client_for("community_worker").post(
        reverse("appeals:act", args=[appeal.pk, "merge"]),
        {
            "seen_state": appeal.state,
            "merge-primary": "LL20990101-000001",
            "merge-note": "同一盏灯，合并处理",
        },
    )
    text = response.content.decode()
    assert response.status_code == 422
    assert "LL20990101-000001" in text and "同一盏灯，合并处理" in text  # nothing typed is lost
    assert "您的辖区内没有该受理编号的诉求" in text  # the reason, in Chinese, beside the field


def test_conflict_is_a_warning_and_back_to_the_page(cast: Cast, client_for: Any) -> None:
    topic = services.topic_propose(actor=cast.street_officer, candidate=_candidate(cast))
    client = client_for("street_officer")
    url = reverse("appeals:topic_act", args=[topic.pk, "start"])  # a proposed topic cannot start yet
    response = client.post(url)
    assert response.status_code == 302 and response["Location"] == reverse(
        "appeals:topic_detail", args=[topic.pk]
    )
    (message,) = list(get_messages(response.wsgi_request))
    assert message.level_tag == "warning" and "invalid_transition" in message.tags


def test_conflict_from_htmx_redirects_the_browser_and_a_safe_next_wins(cast: Cast, client_for: Any) -> None:
    appeal = submit(cast)
    services.appeal_acknowledge(actor=cast.grid_worker, appeal=appeal)  # someone else acted first
    client = client_for("community_worker")
    url = reverse("appeals:act", args=[appeal.pk, "acknowledge"])
    response = client.post(url, {"seen_state": "dispatched"}, headers={"HX-Request": "true"})
    assert response.status_code == 204
    assert response["HX-Redirect"] == reverse("appeals:detail", args=[appeal.pk])
    workbench = reverse("appeals:workbench")
    response = client.post(url, {"seen_state": "dispatched", "next": workbench})
    assert response["Location"] == workbench
    response = client.post(url, {"seen_state": "dispatched", "next": "https://evil.example.com/"})
    assert response["Location"] == reverse("appeals:detail", args=[appeal.pk])  # no open redirect


def test_staff_pages_send_guests_to_sign_in_and_residents_to_the_403_page(client_for: Any) -> None:
    from django.test import Client

    guest = Client().get(reverse("appeals:workbench"))
    assert guest.status_code == 302 and guest["Location"].startswith(reverse("web:login"))
    resident = client_for("resident").get(reverse("accounts:verifications"))
    assert resident.status_code == 403
    assert "工作人员" in resident.content.decode()


def test_opening_a_form_s_address_by_hand_is_a_page_that_says_so(cast: Cast, client_for: Any) -> None:
    """A POST-only address opened with GET (a bookmark, or the sign-in sending a person back to it) is a page in
    Chinese with a way back, not the browser's empty error page; the API keeps its plain 405. (A form's address
    that shows the form again when refused goes to the form's page instead: `core.pages.posted_form`.)"""
    client = client_for("community_worker")
    url = reverse("territory:resident_reveal", args=[cast.resident_record.pk])
    response = client.get(url, HTTP_REFERER="http://testserver/territory/residents/")
    assert response.status_code == 405
    assert "405.html" in [t.name for t in response.templates]
    page = response.content.decode()
    assert "此地址用于提交表单" in page and 'href="/territory/residents/"' in page
    assert "POST" in response["Allow"]


def test_the_browser_s_favicon_request_finds_the_icon(client: Any) -> None:
    response = client.get("/favicon.ico")
    assert response.status_code == 301 and response["Location"].endswith("web/favicon.svg")
