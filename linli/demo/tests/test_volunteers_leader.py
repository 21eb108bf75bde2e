"""The demo's volunteering part after the meetings (which made the demo residents' accounts): a demo resident leads a
team, so a team leader's own pages can be seen on a resident's phone."""

from __future__ import annotations

import pytest
from django.urls import reverse

from linli.accounts.models import User
from linli.core.roles import Role
from linli.demo import deliberation, volunteers
from linli.demo.parts import DemoRun
from linli.demo.tests.shared_run import small_run_fixtures
from linli.territory.models import Resident
from linli.testing import signed_in
from linli.volunteers import services
from linli.volunteers.models import Activity, TeamJoinRequest, VolunteerTeam

# Built once for this module (shared_build): its tests stay on one xdist worker (`--dist loadgroup`).
pytestmark = pytest.mark.xdist_group("test_volunteers_leader")

small_run, run, _only_where_asked = small_run_fixtures(deliberation.part)


def test_a_demo_resident_leads_a_team_with_requests_to_answer(run: DemoRun) -> None:
    """No demo resident led a team: every leader was a volunteer without an account, so a leader's page (the members
    and their hours, the activities, the requests to join) was never seen. resident1 now leads 金台里社区's green team
    (环保志愿队, an activity coming up with places left), took part in its season, and residents' requests to join
    it wait for their answer; their home and the team's page say they lead it."""
    volunteers.part(run)
    assert run.district is not None
    resident = User.objects.get(username="resident1")
    assert resident.role == Role.RESIDENT
    team = VolunteerTeam.objects.get(leader__account=resident)
    assert team.colour == "green" and team.community == run.district.communities[0]
    assert team.members.filter(account=resident).exists()
    assert team.leader is not None and team.leader.phone == resident.phone
    waiting = TeamJoinRequest.objects.filter(team=team, state="pending")
    assert waiting.count() == 2
    assert not waiting.filter(volunteer__account=resident).exists()
    assert Activity.objects.filter(team=team, state="open").exists()

    client = signed_in(resident)
    home = client.get(reverse("volunteers:home")).content.decode()
    assert reverse("volunteers:team", args=[team.pk]) in home
    page = client.get(reverse("volunteers:team", args=[team.pk]))
    assert page.status_code == 200
    text = page.content.decode()
    assert page.context["leads"] and len(page.context["waiting"]) == 2
    for asked in waiting:
        assert asked.volunteer.name in text


def test_an_account_linked_to_a_volunteer_enrolled_before_gives_them_its_number(run: DemoRun) -> None:
    """A demo resident's account whose person was enrolled before (a resident with no number on the register) was
    linked to that volunteer without the account's number: resident1, leading their team, read — on its members'
    list. The link gives the volunteer the account's number when they have none."""
    assert run.district is not None
    community = run.district.communities[0]
    resident = User.objects.get(username="resident1")
    person = Resident.objects.get(household_id=resident.household_id, name=resident.display_name)
    enrolled = services.volunteer_enrol(actor=None, community=community, name=person.name, resident=person)
    assert enrolled.phone == ""
    volunteers._with_accounts(community)
    enrolled.refresh_from_db()
    assert enrolled.account == resident and enrolled.phone == resident.phone
