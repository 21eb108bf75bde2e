"""Joining a team: a volunteer asks to join a team of their community from its page; the team's leader or a worker
of the community accepts (the volunteer becomes a member) or declines with a reason; the volunteer is told either
way in their inbox. Each step locks its row and leaves an audit entry."""

from __future__ import annotations

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from linli.core.audit import audit
from linli.core.errors import Conflict, PermissionDenied
from linli.core.outbox import notification_after_commit
from linli.core.scoping import Viewer, is_signed_in, signed_in_account
from linli.core.validators import clean_text

from .. import permissions, selectors
from ..choices import JoinState
from ..models import TeamJoinRequest, VolunteerTeam
from ._common import Actor, invalid, notify

NOTE_LIMIT = 200


def join_decidable_by(user: Viewer, team: VolunteerTeam) -> bool:
    """Whether `user` answers requests to join `team`: its leader, or one who may change its community's teams."""
    if not is_signed_in(user):
        return False
    leads = team.leader is not None and team.leader.account_id == getattr(user, "pk", None)
    return leads or permissions.may(user, "team_manage", team.community.path)


@transaction.atomic
def team_join_ask(*, actor: Actor, team: VolunteerTeam, note: str = "") -> TeamJoinRequest:
    """The signed-in volunteer asks to join a team of their own community (once at a time; not a member yet)."""
    account = signed_in_account(actor)
    volunteer = selectors.own_volunteer(account)
    if volunteer is None:
        raise PermissionDenied(_("Register as a volunteer first."))
    team = VolunteerTeam.objects.select_for_update(of=("self",)).select_related("leader").get(pk=team.pk)
    if team.community_id != volunteer.community_id:
        raise PermissionDenied(_("You may join the teams of your own community."))
    if not volunteer.active:
        raise PermissionDenied(
            _("Your volunteer record is inactive: ask your community to make it active first.")
        )
    if team.members.filter(pk=volunteer.pk).exists():
        raise Conflict(_("You are a member of this team already."))
    if TeamJoinRequest.objects.filter(team=team, volunteer=volunteer, state=JoinState.PENDING).exists():
        raise Conflict(_("You have asked to join this team already; the answer will come to your inbox."))
    said = clean_text("note", note, most=NOTE_LIMIT, label=_("A word to the team (optional)"))
    request = TeamJoinRequest.objects.create(team=team, volunteer=volunteer, note=said)
    if team.leader is not None and team.leader.account_id:
        notification_after_commit(
            user=team.leader.account,
            title=_("%(name)s asks to join %(team)s") % {"name": volunteer.name, "team": team.name},
            body=said,
            url=reverse("volunteers:team", args=[team.pk]),
        )
    audit(actor, "volunteers.team_join_ask", request, team=team.pk)
    return request


@transaction.atomic
def team_join_decide(
    *, actor: Actor, request: TeamJoinRequest, accept: bool, reason: str = ""
) -> TeamJoinRequest:
    """The team's leader or a worker of its community accepts a request (the volunteer joins the team) or declines
    it with a reason; the volunteer is told in their inbox."""
    request = (
        TeamJoinRequest.objects.select_for_update(of=("self",))
        .select_related("team__community", "team__leader", "volunteer")
        .get(pk=request.pk)
    )
    team = request.team
    if actor is not None and not join_decidable_by(actor, team):
        raise PermissionDenied(
            _("Only the team's leader or a worker of its community answers requests to join.")
        )
    if request.state != JoinState.PENDING:
        raise Conflict(_("This request has been answered already."))
    said = clean_text("reason", reason, most=NOTE_LIMIT, label=_("Reason"))
    if not accept and not said:
        raise invalid("reason", _("Say why: the volunteer is told."))
    if accept and not request.volunteer.active:
        raise Conflict(_("This volunteer has been made inactive and cannot join a team."))
    request.state = JoinState.ACCEPTED if accept else JoinState.DECLINED
    request.reason = said
    request.decided_by_id = getattr(actor, "pk", None)
    request.decided_at = timezone.now()
    request.save(update_fields=["state", "reason", "decided_by", "decided_at", "updated_at"])
    if accept:
        team.members.add(request.volunteer)
    url = reverse("volunteers:team", args=[team.pk])
    if accept:
        notify(request.volunteer, _("Welcome to %(team)s") % {"team": team.name}, said, url)
    else:
        notify(
            request.volunteer,
            _("Your request to join %(team)s was declined") % {"team": team.name},
            said,
            url,
        )
    audit(actor, "volunteers.team_join_decide", request, team=team.pk, accepted=accept, reason=said)
    return request
