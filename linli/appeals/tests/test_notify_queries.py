"""What the services that run on every appeal cost in queries: a resident's notification, the shipped categories'
sync, the worker's duplicate check. Each is pinned so a re-read cannot creep back in."""

from __future__ import annotations

from typing import Any

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from linli.accounts.models import User
from linli.appeals import notify, routing, services
from linli.appeals.models import Appeal, AppealFollower, Category, DuplicateSuggestion
from linli.appeals.tests.factories import submit
from linli.core.models import Notification, OutboxMessage, SnapshotVersion
from linli.core.roles import Role
from linli.testing import Cast


def _resident(phone: str) -> User:
    return User.objects.create_user(username=f"m{phone}", role=Role.RESIDENT, phone=phone, password="x")


def test_a_notification_reads_merged_rows_and_followers_in_one_query(
    cast: Cast, django_assert_num_queries: Any
) -> None:
    appeal = submit(cast)
    # The resident's row, the merged and following ones (one read), the proven numbers, an inbox row and an SMS.
    with django_assert_num_queries(4):
        assert notify.notify_residents(appeal, "Changed") == 1


def test_merged_and_following_residents_hear_in_the_same_order_with_one_read_more(
    cast: Cast, django_assert_num_queries: Any
) -> None:
    appeal = submit(cast)
    older = submit(cast, actor=cast.community_worker, channel="hotline", contact_phone="13900002222")
    newer = submit(cast, actor=_resident("13900003333"), contact_phone="")
    Appeal.objects.filter(pk__in=[older.pk, newer.pk]).update(primary=appeal)
    Appeal.objects.filter(pk=newer.pk).update(created_at=timezone.now())  # newest first, as the appeals list
    following = [_resident("13900004444"), _resident("13900005555")]
    for user in following:
        AppealFollower.objects.create(appeal=appeal, user=user, created_at=timezone.now())
    _resident("13900002222")  # the hotline caller proved their number too
    # The merged and following rows in one read, then their accounts: two reads where there were three.
    with django_assert_num_queries(2):
        people = notify._followers(appeal)
    own, public = notify.resident_url(appeal), notify.public_url(appeal)
    assert [(u.pk if u else None, phone, url) for u, phone, url in people] == [
        (cast.resident.pk, appeal.contact_phone or cast.resident.phone, own),
        (newer.resident_id, "13900003333", own),
        (None, "13900002222", own),
        *[(user.pk, user.phone, public) for user in following],
    ]
    before = Notification.objects.count()
    notify.notify_residents(appeal, "Changed")
    assert Notification.objects.count() == before + 4
    texted = set(OutboxMessage.objects.values_list("recipient", flat=True))
    assert {"13900002222", "13900003333", "13900004444", "13900005555"} <= texted


def test_followers_of_an_appeal_that_is_not_public_hear_nothing(cast: Cast) -> None:
    appeal = submit(cast)
    user = _resident("13900004444")
    AppealFollower.objects.create(appeal=appeal, user=user, created_at=timezone.now())
    Appeal.objects.filter(pk=appeal.pk).update(disclosure_withheld=True)
    assert [u for u, _phone, _url in notify._followers(appeal) if u == user] == []


def _catalogue_version() -> int:
    return (
        SnapshotVersion.objects.filter(name=routing.CATALOGUE).values_list("version", flat=True).first() or 0
    )


def test_a_category_sync_that_changes_nothing_reads_once_and_keeps_the_caches(
    cast: Cast, django_assert_num_queries: Any
) -> None:
    services.category_sync_defaults()
    version = _catalogue_version()
    # Its savepoint, one read of the shipped codes, the savepoint's release.
    with django_assert_num_queries(3):
        assert services.category_sync_defaults() == 0
    assert _catalogue_version() == version


def test_a_category_sync_restores_what_was_changed_and_adds_what_is_missing(cast: Cast) -> None:
    services.category_sync_defaults()
    lamp = Category.objects.get(code="property_management.property_service")
    shipped = (lamp.name, lamp.name_en, lamp.parent_id, lamp.position)
    Category.objects.filter(pk=lamp.pk).update(name="改过的名字", position=99)
    mine = Category.objects.create(code="local.own", name="本地自设", parent=lamp.parent)
    Category.objects.filter(code="transport.licence").update(code="transport.licence.old")
    version = _catalogue_version()
    assert services.category_sync_defaults() == 1  # the one whose code was gone is made again
    lamp.refresh_from_db()
    assert (lamp.name, lamp.name_en, lamp.parent_id, lamp.position) == shipped
    transport = Category.objects.get(code="transport")
    assert Category.objects.get(code="transport.licence").parent_id == transport.pk
    assert Category.objects.get(pk=mine.pk).name == "本地自设"
    assert _catalogue_version() == version + 1


def test_the_duplicate_check_of_an_appeal_like_no_other_takes_the_mark_without_a_transaction(
    cast: Cast, django_assert_num_queries: Any
) -> None:
    submit(cast)
    dog = submit(
        cast, title="小区里有人遛狗不牵绳", description="最近总有人在小区花园遛大型犬不拴绳，孩子们很害怕。"
    )
    # The open appeals nearby, then the mark taken: no savepoint around a write that stands alone.
    with django_assert_num_queries(2):
        assert services.duplicates_check(appeal=dog) == []
    assert not Appeal.objects.get(pk=dog.pk).duplicates_pending
    assert not DuplicateSuggestion.objects.filter(appeal=dog).exists()
    # Checked once: a second check stores nothing.
    assert services.duplicates_check(appeal=Appeal.objects.get(pk=dog.pk)) == []


def _followed_and_merged(cast: Cast, appeal: Appeal, start: int, count: int) -> None:
    """`count` more residents following `appeal`, and as many duplicates merged into it: a resident's own and a
    hotline caller's, each with a proven number."""
    for i in range(start, start + count):
        follower = _resident(f"1390000{i:04d}")
        AppealFollower.objects.create(appeal=appeal, user=follower, created_at=timezone.now())
        merged = submit(cast, actor=_resident(f"1380000{i:04d}"), contact_phone="")
        caller = submit(cast, actor=cast.community_worker, channel="hotline", contact_phone=f"1370000{i:04d}")
        _resident(f"1370000{i:04d}")
        Appeal.objects.filter(pk__in=[merged.pk, caller.pk]).update(primary=appeal)


def test_a_notification_to_many_followers_costs_the_same_queries_for_twice_as_many(cast: Cast) -> None:
    appeal = submit(cast)

    def queries() -> tuple[int, int]:
        with CaptureQueriesContext(connection) as captured:
            heard = notify.notify_residents(appeal, "Changed")
        return heard, len(captured.captured_queries)

    _followed_and_merged(cast, appeal, 0, 4)
    few_heard, few = queries()
    _followed_and_merged(cast, appeal, 4, 4)
    many_heard, many = queries()
    assert (few_heard, many_heard) == (13, 25)  # the resident, then three a round: follower, merged, caller
    assert many == few
    # Every account hears (the callers have none): the resident and two a round, each time.
    assert Notification.objects.filter(title__endswith="Changed").count() == 9 + 17
    assert OutboxMessage.objects.filter(recipient="13700000007").count() == 1


def test_staff_told_of_an_appeal_cost_the_same_queries_however_many_they_are(cast: Cast) -> None:
    appeal = submit(cast)
    staff = [_resident(f"1360000{i:04d}") for i in range(8)]

    def queries(users: list[User]) -> int:
        with CaptureQueriesContext(connection) as captured:
            assert notify.notify_staff(users, appeal, "Waiting") == len(users)
        return len(captured.captured_queries)

    assert queries(staff[:4]) == queries(staff)
    assert Notification.objects.filter(user=staff[7], url=notify.staff_url(appeal)).exists()
