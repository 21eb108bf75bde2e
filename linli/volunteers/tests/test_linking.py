"""One person, one volunteer record: a resident the community enrolled on paper who registers herself takes that
record (by her verified household and name, or her account's number), never another person's by a name typed, and
is sent to the community when several could be hers; a worker links a record to the account found by its number,
or unlinks it; the page and the API do the same through the same services."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from linli.accounts.models import User
from linli.core.audit import AuditEntry
from linli.core.errors import Conflict, PermissionDenied, ValidationFailed
from linli.core.models import Notification
from linli.core.roles import Role
from linli.territory import services as territory
from linli.testing import Cast, make_user, signed_in
from linli.volunteers import services
from linli.volunteers.models import Volunteer

pytestmark = pytest.mark.django_db

PHONE = "13812345678"  # the resident persona's account (张三) and her person on the register


def verified(cast: Cast) -> User:
    """The resident persona (张三), verified in the household where 张三 is on the register."""
    User.objects.filter(pk=cast.resident.pk).update(
        household=cast.household,
        household_verified_at=timezone.now(),
        household_verified_by=cast.community_worker,
    )
    cast.resident.refresh_from_db()
    return cast.resident


def on_paper(cast: Cast, *, name: str = "张三", phone: str = "", **extra: Any) -> Volunteer:
    """A volunteer the community worker enrolled at the desk, with no account; 5 hours earned and in a team."""
    volunteer = services.volunteer_enrol(
        actor=cast.community_worker, community=cast.community, name=name, phone=phone, **extra
    )
    services.hours_pay(
        actor=cast.community_worker,
        payer=services.community_bank(cast.community),
        payee=volunteer.bank_account,
        amount="5",
        category="gift",
    )
    services.team_create(
        actor=cast.community_worker,
        community=cast.community,
        name="幸福环保志愿队",
        colour="green",
        leader=volunteer,
        members=[volunteer],
    )
    return volunteer


def register(cast: Cast, actor: User, name: str = "张三", **extra: Any) -> Volunteer:
    return services.volunteer_register_self(actor=actor, community=cast.community, name=name, **extra)


# --- the resident registering ---------------------------------------------------------------------------------


def test_registering_takes_the_record_enrolled_in_her_verified_household(
    cast: Cast, django_capture_on_commit_callbacks: Any
) -> None:
    paper = on_paper(cast, resident=cast.resident_record)
    with django_capture_on_commit_callbacks(execute=True):
        mine = register(cast, verified(cast), skills="理发", certificates=["first_aid"])
    assert mine.pk == paper.pk and Volunteer.objects.count() == 1
    paper.refresh_from_db()
    assert paper.account == cast.resident and paper.phone == PHONE  # the account's number fills the empty one
    assert paper.skills == "理发" and paper.certificates == [
        "first_aid"
    ]  # what she typed fills what was empty
    assert paper.bank_account.balance == 5 and [t.name for t in paper.teams.all()] == ["幸福环保志愿队"]
    entry = AuditEntry.objects.get(action="volunteers.volunteer_link_account", object_id=str(paper.pk))
    assert entry.actor == cast.resident and entry.detail["linked"] == "household"
    told = Notification.objects.get(user=cast.resident)
    assert told.title == "您的志愿者档案已关联到您的账号" and "幸福社区" in told.body


def test_registering_takes_the_record_with_her_account_number(cast: Cast) -> None:
    """Her household not verified, the number she signs in with is the one on the register."""
    paper = on_paper(cast, phone=PHONE)
    mine = register(cast, cast.resident, name="张三丰")
    assert mine.pk == paper.pk and mine.account == cast.resident and mine.name == "张三"
    assert (
        AuditEntry.objects.get(object_id=str(paper.pk), action="volunteers.volunteer_link_account").detail[
            "linked"
        ]
        == "phone"
    )


def test_a_name_typed_takes_no_one_elses_record(cast: Cast) -> None:
    """李四 on the register (another household, another number), a person of her household of another name, and
    张三 of her household while her account is not verified there: 张三 typing 李四 takes none of them, only the
    record with the number she signs in with."""
    lisi = services.volunteer_enrol(
        actor=None,
        community=cast.community,
        name="李四",
        phone="13912345678",
        resident=cast.other_resident_record,
    )
    relative = territory.resident_create(
        actor=None,
        household=cast.household,
        name="张小三",
        gender="female",
        birth_date=timezone.now().date().replace(year=1990),
    )
    kin = services.volunteer_enrol(actor=None, community=cast.community, name="张小三", resident=relative)
    unverified = services.volunteer_enrol(
        actor=None, community=cast.community, name="张三", resident=cast.resident_record
    )
    hers = on_paper(cast, name="张三", phone=PHONE)
    assert register(cast, cast.resident, name="李四").pk == hers.pk
    assert not Volunteer.objects.filter(
        pk__in=[lisi.pk, kin.pk, unverified.pk], account__isnull=False
    ).exists()


def test_registering_here_takes_the_record_of_this_community_not_another_s(cast: Cast) -> None:
    elsewhere = services.volunteer_enrol(actor=None, community=cast.other_community, name="张三", phone=PHONE)
    here = on_paper(cast, phone=PHONE)
    assert register(cast, cast.resident).pk == here.pk
    assert Volunteer.objects.get(pk=elsewhere.pk).account is None


def test_several_records_that_may_be_hers_are_not_guessed_between(cast: Cast) -> None:
    by_household = on_paper(cast, resident=cast.resident_record)
    by_phone = services.volunteer_enrol(actor=None, community=cast.community, name="张三", phone=PHONE)
    with pytest.raises(ValidationFailed) as refused:
        register(cast, verified(cast))
    assert refused.value.extra["field"] == "community"
    assert "不止一份" in str(refused.value) and "幸福社区的工作人员" in str(refused.value)
    assert Volunteer.objects.count() == 2
    assert not Volunteer.objects.filter(pk__in=[by_household.pk, by_phone.pk], account__isnull=False).exists()


def test_a_staff_account_takes_no_record_by_its_number(cast: Cast) -> None:
    """A staff account's number is written by an administrator, not proven by signing in with it: the resident
    account signing in with the same number takes the record, the staff account does not."""
    paper = services.volunteer_enrol(actor=None, community=cast.community, name="刘社工", phone="13700000001")
    User.objects.filter(pk=cast.community_worker.pk).update(phone="13700000001")
    cast.community_worker.refresh_from_db()
    assert register(cast, cast.community_worker, name="刘社工").pk != paper.pk
    resident = make_user("liu", Role.RESIDENT, name="刘社工", phone="13700000001")
    assert register(cast, resident, name="刘社工").pk == paper.pk


# --- the worker linking and unlinking -------------------------------------------------------------------------


def test_a_worker_links_a_record_to_the_account_found_by_its_number(
    cast: Cast, django_capture_on_commit_callbacks: Any
) -> None:
    paper = on_paper(cast, resident=cast.resident_record)
    with django_capture_on_commit_callbacks(execute=True):
        services.volunteer_link_account(actor=cast.community_worker, volunteer=paper, phone="138 1234 5678")
    paper.refresh_from_db()
    assert paper.account == cast.resident
    assert (
        AuditEntry.objects.get(object_id=str(paper.pk), action="volunteers.volunteer_link_account").detail[
            "linked"
        ]
        == "worker"
    )
    assert Notification.objects.filter(user=cast.resident, title="您的志愿者档案已关联到您的账号").exists()


@pytest.mark.parametrize(
    ("phone", "said"),
    [
        ("12345", "11位大陆手机号码"),
        ("13900000000", "没有使用该手机号的居民账号"),
        ("13811112222", "已是志愿者"),
        (PHONE, "不是张三登记的住户"),
    ],
)
def test_a_worker_is_refused_on_the_number(cast: Cast, phone: str, said: str) -> None:
    """No such account; an account that is a volunteer already; an account verified in another household than the
    register's person's (the cast's 张三 moved to 李四's household)."""
    other = make_user("wang", Role.RESIDENT, name="王五", phone="13811112222")
    services.volunteer_enrol(actor=None, community=cast.community, name="王五", account_id=other.pk)
    User.objects.filter(pk=cast.resident.pk).update(
        household=cast.other_resident_record.household, household_verified_at=timezone.now()
    )
    paper = on_paper(cast, resident=cast.resident_record)
    with pytest.raises(ValidationFailed) as refused:
        services.volunteer_link_account(actor=cast.community_worker, volunteer=paper, phone=phone)
    assert refused.value.extra["field"] == "phone" and said in str(refused.value)
    assert Volunteer.objects.get(pk=paper.pk).account is None


@pytest.mark.parametrize("who", ["grid_worker", "outsider", "resident", "department_handler"])
def test_only_a_worker_of_the_community_links_or_unlinks(cast: Cast, who: str) -> None:
    paper = on_paper(cast)
    with pytest.raises(PermissionDenied):
        services.volunteer_link_account(actor=getattr(cast, who), volunteer=paper, phone=PHONE)
    services.volunteer_link_account(actor=cast.street_officer, volunteer=paper, phone=PHONE)
    with pytest.raises(PermissionDenied):
        services.volunteer_unlink_account(actor=getattr(cast, who), volunteer=paper)
    assert Volunteer.objects.get(pk=paper.pk).account == cast.resident


def test_a_linked_record_is_not_linked_again_and_an_unlinked_one_not_unlinked(cast: Cast) -> None:
    paper = on_paper(cast)
    make_user("wang", Role.RESIDENT, name="王五", phone="13811112222")
    services.volunteer_link_account(actor=cast.community_worker, volunteer=paper, phone=PHONE)
    with pytest.raises(Conflict):
        services.volunteer_link_account(actor=cast.community_worker, volunteer=paper, phone="13811112222")
    services.volunteer_unlink_account(actor=cast.community_worker, volunteer=paper)
    with pytest.raises(Conflict):
        services.volunteer_unlink_account(actor=cast.community_worker, volunteer=paper)


def test_unlinking_keeps_the_record_and_tells_the_account(
    cast: Cast, django_capture_on_commit_callbacks: Any
) -> None:
    paper = on_paper(cast)
    services.volunteer_link_account(actor=cast.community_worker, volunteer=paper, phone=PHONE)
    with django_capture_on_commit_callbacks(execute=True):
        services.volunteer_unlink_account(
            actor=cast.community_worker, volunteer=paper, reason="手机号登记错了"
        )
    paper.refresh_from_db()
    assert paper.account is None and paper.bank_account.balance == 5 and paper.teams.count() == 1
    told = Notification.objects.get(user=cast.resident, title="志愿者档案已与您的账号解除关联")
    assert "手机号登记错了" in told.body
    entry = AuditEntry.objects.filter(
        object_id=str(paper.pk), action="volunteers.volunteer_unlink_account"
    ).latest("at")
    assert entry.detail["unlinked"] == cast.resident.pk and entry.actor == cast.community_worker


# --- the pages ------------------------------------------------------------------------------------------------


def test_the_register_page_says_the_record_was_found_and_leads_to_her_hours(cast: Cast) -> None:
    paper = on_paper(cast, resident=cast.resident_record)
    client = signed_in(verified(cast))
    page = client.get(reverse("volunteers:home")).content.decode()
    assert "已找到幸福社区为您登记的志愿者档案（张三）" in page
    assert f'<option value="{cast.community.pk}" selected>' in page  # its community chosen
    done = client.post(
        reverse("volunteers:home"), {"community": cast.community.pk, "name": "张三", "phone": ""}, follow=True
    )
    body = done.content.decode()
    assert "已找到幸福社区为您登记的志愿者档案，并已关联到您的账号" in body
    assert done.redirect_chain[-1][0] == reverse("volunteers:home")
    assert "幸福环保志愿队" in body and Volunteer.objects.count() == 1
    assert Volunteer.objects.get(pk=paper.pk).account == cast.resident


def test_the_register_page_sends_her_to_the_community_when_several_may_be_hers(cast: Cast) -> None:
    on_paper(cast, resident=cast.resident_record)
    services.volunteer_enrol(actor=None, community=cast.community, name="张三", phone=PHONE)
    client = signed_in(verified(cast))
    assert "有不止一份志愿者档案可能属于您" in client.get(reverse("volunteers:home")).content.decode()
    refused = client.post(
        reverse("volunteers:home"), {"community": cast.community.pk, "name": "张三", "skills": "理发"}
    )
    body = refused.content.decode()
    assert refused.status_code == 422 and 'role="alert"' in body and "请联系幸福社区的工作人员" in body
    assert "理发" in body and not Volunteer.objects.filter(account__isnull=False).exists()


def test_a_worker_links_and_unlinks_on_the_volunteer_s_page(cast: Cast, client_for: Any) -> None:
    paper = on_paper(cast, resident=cast.resident_record)
    worker = client_for("community_worker")
    page = reverse("volunteers:staff_volunteer", args=[paper.pk])
    assert page in worker.get(reverse("volunteers:staff_volunteers")).content.decode()
    shown = worker.get(page).content.decode()
    assert "尚未关联账号" in shown and "关联账号" in shown and "5.00 小时" in shown
    refused = worker.post(page, {"phone": "13900000000"})
    assert refused.status_code == 422 and "没有使用该手机号的居民账号" in refused.content.decode()
    assert "13900000000" in refused.content.decode()  # what was typed stays
    done = worker.post(page, {"phone": PHONE}, follow=True)
    assert "张三已关联账号138****5678" in done.content.decode()
    assert "解除账号关联" in done.content.decode()
    assert Volunteer.objects.get(pk=paper.pk).account == cast.resident
    unlinked = worker.post(
        reverse("volunteers:staff_volunteer_unlink", args=[paper.pk]), {"reason": "登记错了"}, follow=True
    )
    assert "张三的档案已解除账号关联" in unlinked.content.decode()
    assert Volunteer.objects.get(pk=paper.pk).account is None


def test_a_grid_worker_reads_the_volunteer_s_page_without_the_forms(cast: Cast, client_for: Any) -> None:
    paper = on_paper(cast)
    grid = client_for("grid_worker")
    page = reverse("volunteers:staff_volunteer", args=[paper.pk])
    shown = grid.get(page)
    assert shown.status_code == 200 and 'name="phone"' not in shown.content.decode()
    assert grid.post(page, {"phone": PHONE}).status_code == 403
    assert client_for("outsider").get(page).status_code == 404
    assert Volunteer.objects.get(pk=paper.pk).account is None


# --- the API --------------------------------------------------------------------------------------------------


def test_the_api_links_and_unlinks_with_the_same_refusals(cast: Cast, client_for: Any) -> None:
    paper = on_paper(cast)
    url = f"/api/volunteers/volunteers/{paper.pk}/account"
    worker = client_for("community_worker")

    def link(client: Any, phone: str) -> Any:
        return client.post(url, json.dumps({"phone": phone}), content_type="application/json")

    assert link(client_for("resident"), PHONE).status_code == 403
    assert link(client_for("outsider"), PHONE).status_code == 404
    missing = link(worker, "13900000000")
    assert missing.status_code == 422 and missing.json()["extra"]["field"] == "phone"
    assert "没有使用该手机号的居民账号" in missing.json()["message"]
    done = link(worker, PHONE)
    assert done.status_code == 200 and done.json()["linked"] is True and done.json()["id"] == paper.pk
    again = link(worker, PHONE)
    assert again.status_code == 409 and again.json()["code"] == "volunteer_linked"
    assert client_for("grid_worker").delete(url).status_code == 403
    gone = worker.delete(f"{url}?reason=登记错了")
    assert gone.status_code == 200 and gone.json()["linked"] is False
    assert Volunteer.objects.get(pk=paper.pk).account is None
    listed = worker.get("/api/volunteers/volunteers").json()["items"]
    assert [v["linked"] for v in listed] == [False]
