"""Inviting a meeting's members: by text message, or recorded as told in person or by phone (nothing sent)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from linli.core.errors import ValidationFailed
from linli.core.models import Notification, OutboxMessage
from linli.deliberation import services
from linli.deliberation.models import Meeting

from .conftest import Hall, meeting_in

pytestmark = pytest.mark.django_db


def _members(hall: Hall) -> Meeting:
    meeting = meeting_in(hall.cast)
    for name, phone in (("业委会王主任", "13600000001"), ("物业李经理", "13600000002")):
        services.participant_add(
            actor=hall.cast.community_worker, meeting=meeting, side="owners_committee", name=name, phone=phone
        )
    services.participant_add(
        actor=hall.cast.community_worker,
        meeting=meeting,
        side="representative",
        name="居民代表",
        user=hall.residents[0],
    )
    return meeting


def test_members_told_in_person_are_recorded_as_invited_without_a_text_message(hall: Hall) -> None:
    meeting = _members(hall)
    worker = hall.cast.community_worker
    invited = services.participants_invite(actor=worker, meeting=meeting, method="in_person")
    assert invited == 3
    assert not OutboxMessage.objects.filter(channel="sms").exists()
    assert not Notification.objects.filter(user=hall.residents[0]).exists()
    assert set(meeting.participants.values_list("invited_by", flat=True)) == {"in_person"}
    assert not meeting.participants.filter(invited_at__isnull=True).exists()
    # Everyone is invited: inviting again by text message sends nothing.
    assert services.participants_invite(actor=worker, meeting=meeting) == 0
    assert not OutboxMessage.objects.exists()


def test_one_member_told_by_phone_and_the_rest_by_text_message(hall: Hall) -> None:
    meeting = _members(hall)
    worker = hall.cast.community_worker
    phoned = meeting.participants.get(name="业委会王主任")
    assert (
        services.participants_invite(
            actor=worker, meeting=meeting, method="in_person", participant_ids=[phoned.pk]
        )
        == 1
    )
    assert services.participants_invite(actor=worker, meeting=meeting) == 2
    assert list(OutboxMessage.objects.values_list("recipient", flat=True)) == ["13600000002"]
    assert Notification.objects.filter(user=hall.residents[0]).count() == 1
    methods = dict(meeting.participants.values_list("name", "invited_by"))
    assert methods == {"业委会王主任": "in_person", "物业李经理": "sms", "居民代表": "sms"}


def test_an_unknown_invitation_method_is_refused(hall: Hall) -> None:
    meeting = _members(hall)
    with pytest.raises(ValidationFailed):
        services.participants_invite(actor=hall.cast.community_worker, meeting=meeting, method="pigeon")
    assert not meeting.participants.filter(invited_at__isnull=False).exists()


def test_invitations_by_method_through_the_api(hall: Hall, client_for) -> None:  # type: ignore[no-untyped-def]
    meeting = _members(hall)
    staff = client_for("community_worker")
    url = f"/api/deliberation/meetings/{meeting.pk}/invitations"
    phoned = meeting.participants.get(name="物业李经理")
    told = staff.post(f"{url}?method=in_person&participant_ids={phoned.pk}")
    assert told.json() == {"invited": 1}
    bad = staff.post(f"{url}?method=pigeon")
    assert bad.status_code == 422 and bad.json()["extra"]["field"] == "method"
    assert staff.post(url).json() == {"invited": 2}  # a bare POST: the rest by text message
    assert list(OutboxMessage.objects.values_list("recipient", flat=True)) == ["13600000001"]


def test_the_members_card_invites_by_the_chosen_method(hall: Hall, client_for) -> None:  # type: ignore[no-untyped-def]
    meeting = _members(hall)
    staff = client_for("community_worker")
    page = staff.get(reverse("deliberation:meeting", args=[meeting.pk])).content.decode()
    assert "当面/电话已通知" in page and 'name="method"' in page
    one = meeting.participants.get(name="业委会王主任")
    invite = reverse("deliberation:invite", args=[meeting.pk])
    staff.post(invite, {"participant": one.pk, "method": "in_person"})
    staff.post(invite, {"method": "sms"})
    assert list(OutboxMessage.objects.values_list("recipient", flat=True)) == ["13600000002"]
    page = staff.get(reverse("deliberation:meeting", args=[meeting.pk])).content.decode()
    assert "已邀请（当面/电话已通知）" in page and "已邀请（短信）" in page


def test_the_invite_form_shows_only_while_someone_is_left_to_invite(hall: Hall, client_for) -> None:  # type: ignore[no-untyped-def]
    meeting = _members(hall)
    staff = client_for("community_worker")
    url = reverse("deliberation:meeting", args=[meeting.pk])
    invite = reverse("deliberation:invite", args=[meeting.pk])
    assert f'action="{invite}" class="dl-invite"' in staff.get(url).content.decode()
    services.participants_invite(actor=hall.cast.community_worker, meeting=meeting, method="in_person")
    page = staff.get(url).content.decode()
    assert 'class="dl-invite"' not in page and "邀请全部未邀请成员" not in page


def test_the_areas_records_stay_folded_once_the_meeting_has_members(hall: Hall, client_for) -> None:  # type: ignore[no-untyped-def]
    """The list of people on record is long (every branch, department and partner): open while the meeting has no
    members, folded after, so the phone does not scroll past it to reach the ratings and the history."""
    staff = client_for("community_worker")
    empty = meeting_in(hall.cast)
    url = reverse("deliberation:meeting", args=[empty.pk])
    assert '<details open style="padding:0 16px 8px" id="on-record">' in staff.get(url).content.decode()
    meeting = _members(hall)
    page = staff.get(reverse("deliberation:meeting", args=[meeting.pk])).content.decode()
    assert '<details style="padding:0 16px 8px" id="on-record">' in page
