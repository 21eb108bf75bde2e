"""Teams: set up a colour-coded team of a community; change its name, colour, description and parent party
organisation; name its leader (who becomes a member if not one yet); add and remove members.

Every write locks the team's row, checks `team_manage` in the team's community against the one table of who may,
looks each volunteer it names up again through the actor's scope (a volunteer of the team's community, active)
and leaves an audit entry naming what changed."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from linli.core.audit import audit
from linli.core.errors import Conflict
from linli.core.validators import clean_text
from linli.party.models import PartyOrg
from linli.party.selectors import party_orgs_visible_to
from linli.territory.models import OrgNode

from .. import permissions, selectors
from ..choices import TeamColour
from ..models import Volunteer, VolunteerTeam
from ._common import Actor, invalid, served_community, within_reach

DESCRIPTION_LIMIT = 500


def _locked(actor: Actor, team: VolunteerTeam) -> VolunteerTeam:
    """The team's row, locked, once the actor may change the teams of its community."""
    team = VolunteerTeam.objects.select_for_update(of=("self",)).select_related("community").get(pk=team.pk)
    permissions.require(actor, "team_manage", team.community.path)
    return team


def _of_community(
    actor: Actor, team: VolunteerTeam, people: Iterable[Volunteer], field: str
) -> list[Volunteer]:
    """The volunteers named, looked up again: each a volunteer of the team's community the actor sees, and active."""
    named = list(dict.fromkeys(people))
    pool = Volunteer.objects.all() if actor is None else selectors.volunteers_visible_to(actor)
    found = {v.pk: v for v in pool.filter(pk__in=[v.pk for v in named], community_id=team.community_id)}
    strangers = [v.name for v in named if v.pk not in found]
    if strangers:
        raise invalid(
            field, _("Not volunteers of this community: %(names)s") % {"names": "、".join(strangers)}
        )
    inactive = [v.name for v in found.values() if not v.active]
    if inactive:
        raise invalid(
            field,
            _("These volunteers have been made inactive and cannot join a team: %(names)s")
            % {"names": "、".join(inactive)},
        )
    return [found[v.pk] for v in named]


def _party_org(actor: Actor, community: OrgNode, party_org: PartyOrg | None) -> PartyOrg | None:
    within_reach(actor, "party_org", party_org, party_orgs_visible_to)
    if party_org is not None and not party_org.org_node.path.startswith(community.path):
        raise invalid("party_org", _("Choose a party organisation of this community."))
    return party_org


def _details(
    actor: Actor, community: OrgNode, *, name: str, colour: str, description: str, party_org: PartyOrg | None
) -> dict[str, Any]:
    """A team's own fields as given to set it up or change it, each checked."""
    if colour not in TeamColour.values:
        raise invalid("colour", _("Choose the team's colour."))
    return {
        "name": clean_text("name", name, most=80, required=True),
        "colour": colour,
        "description": clean_text("description", description, most=DESCRIPTION_LIMIT),
        "party_org": _party_org(actor, community, party_org),
    }


@transaction.atomic
def team_create(
    *,
    actor: Actor,
    community: OrgNode,
    name: str,
    colour: str,
    description: str = "",
    party_org: PartyOrg | None = None,
    leader: Volunteer | None = None,
    members: Iterable[Volunteer] = (),
) -> VolunteerTeam:
    community = served_community(actor, community)
    permissions.require(actor, "team_manage", community.path)
    details = _details(
        actor, community, name=name, colour=colour, description=description, party_org=party_org
    )
    team = VolunteerTeam.objects.create(community=community, **details)
    team = team_set_members(actor=actor, team=team, members=members, leader=leader)  # as set up: its leader
    audit(actor, "volunteers.team_create", team, colour=colour)
    return team


@transaction.atomic
def team_set_members(
    *, actor: Actor, team: VolunteerTeam, members: Iterable[Volunteer], leader: Volunteer | None
) -> VolunteerTeam:
    """The team's members and its leader (who is one of them)."""
    team = _locked(actor, team)
    people = list(dict.fromkeys(members))
    if leader is not None and leader not in people:
        people.append(leader)
    people = _of_community(actor, team, people, "members")
    team.members.set(people)
    team.leader = leader
    team.save(update_fields=["leader", "updated_at"])
    audit(actor, "volunteers.team_set_members", team, members=len(people))
    return team


@transaction.atomic
def team_update(
    *,
    actor: Actor,
    team: VolunteerTeam,
    name: str,
    colour: str,
    description: str = "",
    party_org: PartyOrg | None = None,
) -> VolunteerTeam:
    """The team's name, colour, description and parent party organisation; the audit entry names what changed."""
    team = _locked(actor, team)
    new = _details(
        actor, team.community, name=name, colour=colour, description=description, party_org=party_org
    )
    changed = [field for field, value in new.items() if getattr(team, field) != value]
    for field in changed:
        setattr(team, field, new[field])
    team.save(update_fields=[*changed, "updated_at"])
    audit(actor, "volunteers.team_update", team, changed=changed)
    return team


@transaction.atomic
def team_leader_set(*, actor: Actor, team: VolunteerTeam, leader: Volunteer | None) -> VolunteerTeam:
    """Name the team's leader (none: the team has no leader for now); one not yet a member joins the team."""
    team = _locked(actor, team)
    before = team.leader_id
    joined = False
    if leader is not None:
        (leader,) = _of_community(actor, team, [leader], "leader")
        joined = not team.members.filter(pk=leader.pk).exists()
        if joined:
            team.members.add(leader)
    team.leader = leader
    team.save(update_fields=["leader", "updated_at"])
    audit(
        actor,
        "volunteers.team_leader_set",
        team,
        before=before,
        after=getattr(leader, "pk", None),
        joined=joined,
    )
    return team


@transaction.atomic
def team_members_add(*, actor: Actor, team: VolunteerTeam, members: Iterable[Volunteer]) -> list[Volunteer]:
    """Volunteers of the team's community join it; the ones added (those already members are left as they are)."""
    team = _locked(actor, team)
    people = _of_community(actor, team, members, "members")
    if not people:
        raise invalid("members", _("Choose the volunteers to add."))
    present = set(team.members.filter(pk__in=[v.pk for v in people]).values_list("pk", flat=True))
    added = [v for v in people if v.pk not in present]
    if not added:
        raise invalid("members", _("They are members of this team already."))
    team.members.add(*added)
    team.save(update_fields=["updated_at"])
    audit(actor, "volunteers.team_members_add", team, added=[v.pk for v in added])
    return added


@transaction.atomic
def team_member_remove(*, actor: Actor, team: VolunteerTeam, member: Volunteer) -> VolunteerTeam:
    """A member leaves the team (their hours stay theirs); the leader is replaced first, not removed."""
    team = _locked(actor, team)
    if not team.members.filter(pk=member.pk).exists():
        raise Conflict(_("%(name)s is not a member of this team.") % {"name": member.name})
    if team.leader_id == member.pk:
        raise Conflict(
            _("%(name)s leads this team: name another leader (or none) first, then remove them.")
            % {"name": member.name}
        )
    team.members.remove(member)
    team.save(update_fields=["updated_at"])
    audit(actor, "volunteers.team_member_remove", team, removed=member.pk)
    return team
