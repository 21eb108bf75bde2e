"""The demo's volunteering part: six colours of teams in each community, a season lived through the services,
a ledger that sums to zero, branch ratings (assessed by the branch, then most approved by the street)."""

from __future__ import annotations

from django.db.models import Sum

from linli.accounts import services as accounts
from linli.accounts.models import User
from linli.core.roles import Role
from linli.demo.parts import DemoRun
from linli.demo.volunteers import part
from linli.party.models import BranchMeeting, BranchStarRating
from linli.territory.models import Resident
from linli.volunteers.models import Movement, PointsEntry, Signup, TeamJoinRequest, Volunteer, VolunteerTeam


def test_the_volunteering_demo(run: DemoRun) -> None:
    resident = _a_resident_account(run)
    part(run)
    volunteer = Volunteer.objects.get(account=resident)  # the demo resident signs in as a volunteer
    assert volunteer.resident is not None and volunteer.name == resident.display_name
    assert run.district is not None
    for community in run.district.communities:
        colours = set(VolunteerTeam.objects.filter(community=community).values_list("colour", flat=True))
        assert colours == {"red", "white", "orange", "yellow", "green", "blue"}
    states = set(Signup.objects.values_list("state", flat=True))
    assert {"done", "no_show", "confirmed"} <= states
    assert Movement.objects.aggregate(t=Sum("amount"))["t"] == 0
    assert Movement.objects.filter(transfer__category="elder_care").exists()
    # Residents' requests to join a team wait for an answer, where the leader and the community see them.
    assert TeamJoinRequest.objects.filter(state="pending", volunteer__account__isnull=False).exists()
    assert PointsEntry.objects.exists() and BranchMeeting.objects.exists()
    ratings = BranchStarRating.objects.all()
    assert ratings.filter(state="approved").exists() and ratings.filter(stars__gte=1).exists()
    # 自查自评, then 街道审定: every approved rating carries the branch's self-assessment; this year's that wait for
    # the branch (with a secretary) were reminded by the street, and no reminder's text went to the made-up phones.
    approved = ratings.filter(state="approved")
    assert (
        not approved.filter(claimed_stars=None).exists() and not approved.filter(submitted_at=None).exists()
    )
    reminded = ratings.filter(reminders=1, reminded_at__isnull=False)
    assert reminded.exists() and set(reminded.values_list("state", flat=True)) <= {"computed", "returned"}
    from linli.core.models import OutboxMessage

    texts = OutboxMessage.objects.filter(channel="sms").values_list("payload", flat=True)
    assert not [t for t in texts if "街道提醒" in str(t.get("text", ""))]
    # Photos of past activities: on the public page only those everyone pictured agreed to.
    from linli.volunteers.models import ActivityPhoto
    from linli.volunteers.selectors import public_photos

    per_community = len(run.district.communities)
    assert ActivityPhoto.objects.count() == 3 * per_community
    assert public_photos().count() == 2 * per_community
    assert set(public_photos().values_list("consent", flat=True)) == {True}
    # The points store: a few donated items with their points and stock, bought through the services.
    from linli.volunteers.models import Redemption, StoreItem

    community = run.district.communities[0]
    store = {i.name: i for i in StoreItem.objects.filter(community=community, active=True)}
    assert {"洗衣液（2 千克）", "理发券", "米面油礼包"} <= set(store)
    assert store["米面油礼包"].points == 200 and store["米面油礼包"].stock == 12
    assert Redemption.objects.filter(item__community=community, state="handed").exists()
    # The demo resident finds an activity still to come, open for sign-up, with places left, in their community.
    from django.utils import timezone

    from linli.volunteers.models import ShiftRole
    from linli.volunteers.services import signup_refusal

    now = timezone.now()
    joinable = [
        role
        for role in ShiftRole.objects.filter(
            shift__activity__community=volunteer.community,
            shift__activity__state="open",
            shift__starts_at__gt=now,
        )
        if signup_refusal(volunteer, role) is None
    ]
    assert joinable
    # Nobody signed up in the future.
    assert not Signup.objects.filter(created_at__gt=now).exists()


def _a_resident_account(run: DemoRun) -> User:
    """A resident account as the demo's deliberation part makes them: a verified claim on a household."""
    assert run.district is not None
    person = Resident.objects.filter(
        grid__org_node__path__startswith=run.district.communities[0].path
    ).first()
    assert person is not None and person.household is not None
    user = User.objects.create_user(
        username="resident1", password=None, role=Role.RESIDENT, display_name=person.name, phone="19900000001"
    )
    worker = User.objects.filter(role=Role.COMMUNITY_WORKER, org_node=run.district.communities[0]).first()
    claim = accounts.household_claim(actor=user, household=person.household, claimant_name=person.name)
    accounts.household_claim_verify(actor=worker, claim=claim)
    user.refresh_from_db()
    return user
