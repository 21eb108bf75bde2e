"""Who acts in the hall is core's (core.scoping.signed_in_account): a visitor is refused 请先登录 — by the API and by
the services — and nothing is written."""

from __future__ import annotations

import pytest
from django.test import Client

from linli.core.errors import PermissionDenied
from linli.deliberation import services
from linli.deliberation.models import TopicFollower

from .conftest import Hall


def test_a_visitor_is_asked_to_sign_in_by_the_api_and_the_services(hall: Hall) -> None:
    topic = services.topic_create(actor=hall.residents[0], title="东门增设快递柜", body="快递堆在门岗。")
    answer = Client().get("/api/deliberation/topics")
    assert answer.status_code == 401 and answer.json()["code"] == "unauthenticated"
    with pytest.raises(PermissionDenied) as refused:
        services.topic_follow(actor=None, topic=topic)
    assert refused.value.message == "请先登录。"
    assert TopicFollower.objects.filter(topic=topic).count() == 1  # its author's, nobody else's


def test_a_visitor_on_the_residents_pages_is_sent_to_the_phone_sign_in_and_back(hall: Hall) -> None:
    """A resident who scans the meeting's QR code, or opens a vote, a topic or the hall from a message, is not signed
    in yet on their phone: they go to the residents' sign-in by mobile number and come back (they were sent to the
    staff's user-name login, which a resident has no password for)."""
    from django.urls import reverse

    from .conftest import meeting_in

    topic = services.topic_create(actor=hall.residents[0], title="东门增设快递柜", body="快递堆在门岗。")
    meeting = meeting_in(hall.cast)
    pages = [
        reverse("deliberation:sign_in", args=[meeting.sign_in_token]),
        reverse("deliberation:hall"),
        reverse("deliberation:topic", args=[topic.pk]),
        reverse("deliberation:topic_new"),
        reverse("deliberation:meeting_public", args=[meeting.pk]),  # not filed yet: for the area only
    ]
    for url in pages:
        answer = Client().get(url)
        assert answer.status_code == 302, url
        assert answer["Location"] == f"{reverse('accounts:resident_login')}?next={url}", url
