"""The street reminds a branch that has not assessed itself (提醒自评): its secretary and deputies get a text
message and the accounts that lead it a notice, after the commit; at most once a day; never for a rating that
waits for the street or is approved, and never by anyone but the street."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from linli.core.errors import InvalidTransition, PermissionDenied, ValidationFailed
from linli.core.models import AuditEntry, Notification, OutboxMessage
from linli.party import services
from linli.party.choices import StarState
from linli.party.models import BranchStarRating
from linli.testing import Cast

from .helpers import Branch

pytestmark = pytest.mark.django_db


def _computed(world: Branch) -> BranchStarRating:
    return services.branch_stars_compute(
        actor=world.secretary, branch=world.branch, year=timezone.localdate().year
    )


def test_the_street_reminds_a_branch_that_has_not_assessed_itself(
    cast: Cast, world: Branch, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    rating = _computed(world)
    with django_capture_on_commit_callbacks(execute=True):
        reminded = services.branch_stars_remind(actor=cast.street_officer, rating=rating)
    assert reminded.state == StarState.COMPUTED and reminded.reminders == 1 and reminded.reminded_at
    notice = Notification.objects.get(user=world.secretary)
    assert notice.title == "街道提醒：阳光小区党支部尚未提交星级自评"
    assert f"{rating.year} 年度星级已测评" in notice.body
    assert notice.url == f"/party/branch/{world.branch.pk}/stars/self-assessment/?year={rating.year}"
    text = OutboxMessage.objects.get(channel="sms")
    assert text.recipient == "13812345678" and "阳光小区党支部" in text.payload["text"]
    assert not Notification.objects.filter(user=world.plain).exists()  # another branch's member
    entry = AuditEntry.objects.get(action="party.branch_stars_remind")
    assert entry.actor_id == cast.street_officer.pk and entry.detail["reminders"] == 1
    # The secretary then assesses the branch, and the street approves what was submitted.
    rating = services.branch_stars_submit(
        actor=world.secretary, rating=reminded, claimed_stars=2, statement="补报自评材料。"
    )
    assert services.branch_stars_approve(actor=cast.street_officer, rating=rating).stars == 2


def test_a_second_reminder_waits_a_day(cast: Cast, world: Branch) -> None:
    rating = _computed(world)
    services.branch_stars_remind(actor=cast.street_officer, rating=rating)
    with pytest.raises(InvalidTransition, match="明天再提醒"):
        services.branch_stars_remind(actor=cast.street_officer, rating=rating)
    assert BranchStarRating.objects.get(pk=rating.pk).reminders == 1
    with time_machine.travel(timezone.now() + dt.timedelta(days=1)):
        assert services.branch_stars_remind(actor=cast.street_officer, rating=rating).reminders == 2


def test_a_returned_self_assessment_is_reminded_with_the_reason(
    cast: Cast, world: Branch, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    rating = services.branch_stars_submit(
        actor=world.secretary, rating=_computed(world), claimed_stars=4, statement="自评四星。"
    )
    rating = services.branch_stars_return(actor=cast.street_officer, rating=rating, reason="请补充会议纪要")
    with django_capture_on_commit_callbacks(execute=True):
        services.branch_stars_remind(actor=cast.street_officer, rating=rating)
    assert "请补充会议纪要" in Notification.objects.get(user=world.secretary).body


def test_only_the_street_reminds_and_only_what_waits_for_the_branch(cast: Cast, world: Branch) -> None:
    rating = _computed(world)
    with pytest.raises(PermissionDenied, match="只有街道可以提醒支部自评"):
        services.branch_stars_remind(actor=cast.community_worker, rating=rating)
    with pytest.raises(ValidationFailed, match="管辖范围"):
        services.branch_stars_remind(actor=world.secretary, rating=rating)
    rating = services.branch_stars_submit(
        actor=world.secretary, rating=rating, claimed_stars=3, statement="自评三星。"
    )
    with pytest.raises(InvalidTransition, match="支部已提交自评，请审定"):
        services.branch_stars_remind(actor=cast.street_officer, rating=rating)
    rating = services.branch_stars_approve(actor=cast.street_officer, rating=rating)
    with pytest.raises(InvalidTransition, match="街道已审定该星级"):
        services.branch_stars_remind(actor=cast.street_officer, rating=rating)
    assert not AuditEntry.objects.filter(action="party.branch_stars_remind").exists()


def test_a_branch_without_a_secretary_cannot_be_reminded(cast: Cast, branch) -> None:  # type: ignore[no-untyped-def]
    rating = services.branch_stars_compute(actor=None, branch=branch, year=timezone.localdate().year)
    with pytest.raises(InvalidTransition, match="没有书记或副书记"):
        services.branch_stars_remind(actor=cast.street_officer, rating=rating)
    assert BranchStarRating.objects.get(pk=rating.pk).reminders == 0


def test_the_pages_send_the_street_to_name_a_secretary_first(cast: Cast, branch, client_for) -> None:  # type: ignore[no-untyped-def]
    rating = services.branch_stars_compute(actor=None, branch=branch, year=timezone.localdate().year)
    street = client_for("street_officer")
    listed = street.get(reverse("party:stars")).content.decode()
    assert "未任命书记" in listed and reverse("party:star_remind", args=[rating.pk]) not in listed
    page = street.get(reverse("party:star", args=[rating.pk])).content.decode()
    assert "该支部尚未任命书记或副书记，无人可提醒。" in page and "提醒支部自评</button>" not in page
    assert f"{reverse('party:members')}?org={branch.pk}" in page


def test_a_secretary_reminded_of_an_earlier_year_assesses_it_from_the_link(
    cast: Cast, world: Branch, client_for, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    this_year = timezone.localdate().year
    last = services.branch_stars_compute(actor=world.secretary, branch=world.branch, year=this_year - 1)
    _computed(world)  # this year's is computed too: the branch page shows it first
    with django_capture_on_commit_callbacks(execute=True):
        services.branch_stars_remind(actor=cast.street_officer, rating=last)
    me = client_for("resident")
    page = me.get(reverse("party:branch", args=[world.branch.pk])).content.decode()
    link = f"{reverse('party:branch_star_assess', args=[world.branch.pk])}?year={this_year - 1}"
    assert f"{this_year - 1} 年度的星级仍待支部自评" in page and link in page
    assert Notification.objects.get(user=world.secretary).url == link
    assert me.get(link).status_code == 200
    sent = me.post(link, {"claimed_stars": "2", "statement": "补报上年度自评。"})
    assert sent.status_code == 302
    last.refresh_from_db()
    assert last.state == StarState.SUBMITTED and last.claimed_stars == 2
    assert BranchStarRating.objects.get(branch=world.branch, year=this_year).state == StarState.COMPUTED
