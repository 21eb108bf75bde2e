"""Projects carried out step by step, and the partner units paired with a community (结对共建): milestones with
photos that roll up into a project's progress, each unit's yearly commitment list (承诺清单) and its fulfilment,
and the quarter's service stars reviewed by a worker before they are published."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import Model, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from linli.accounts.models import User
from linli.core.audit import audit
from linli.core.errors import Conflict
from linli.core.photos import photo_to_store
from linli.core.scoping import person
from linli.party.models import PartnerPairing
from linli.party.selectors import partner_pairings_visible_to
from linli.territory.models import OrgNode

from .. import permissions, selectors
from ..choices import NeedState, ProjectState
from ..models import Commitment, Milestone, Need, Project, StarsRelease
from ._common import Actor, community_in_area, invalid, notify, text
from .lists import project_progress


def _project(actor: Actor, project: Project) -> Project:
    if actor is not None:
        project = selectors.project_get_for(actor, project.pk)
    permissions.require(actor, "project_manage", project.community.path)
    return project


@transaction.atomic
def milestone_add(*, actor: Actor, project: Project, title: str, due_on: dt.date) -> Milestone:
    """A step of a project, due by a date."""
    project = _project(actor, project)
    if project.state == ProjectState.DONE:
        raise Conflict(_("This project is done; it takes no more milestones."))
    milestone = Milestone.objects.create(project=project, title=text(title, "title", 80), due_on=due_on)
    audit(actor, "cobuild.milestone_add", milestone, project=project.pk)
    return milestone


@transaction.atomic
def milestone_reach(
    *, actor: Actor, milestone: Milestone, note: str, photo: UploadedFile | None = None
) -> Milestone:
    """A milestone is reached, with what was done and a photo; the project's progress becomes the share of its
    milestones reached (never less than it was)."""
    project = _project(actor, milestone.project)
    milestone = Milestone.objects.select_for_update().get(pk=milestone.pk, project=project)
    if milestone.done_on is not None:
        raise Conflict(_("This milestone was reached already."))
    stored = photo_to_store(photo) if photo else None
    milestone.done_on = timezone.localdate()
    milestone.note = text(note, "note", 300)
    milestone.done_by = person(actor)
    fields = ["done_on", "note", "done_by", "updated_at"]
    if stored is not None:
        milestone.photo = stored
        fields.append("photo")
    milestone.save(update_fields=fields)
    steps = list(project.milestones.values_list("done_on", flat=True))
    share = round(100 * sum(d is not None for d in steps) / len(steps))
    if share > project.progress:
        project_progress(actor=actor, project=project, progress=share, note=milestone.title)
    audit(actor, "cobuild.milestone_reach", milestone, project=project.pk)
    return milestone


# --- partner units' commitment lists ------------------------------------------------------------------------------


def _pairing(actor: Actor, pairing: PartnerPairing) -> PartnerPairing:
    if actor is not None:
        pairing = partner_pairings_visible_to(actor).filter(pk=pairing.pk).first()  # type: ignore[assignment]
        if pairing is None:
            raise invalid("pairing", _("Choose a partner unit paired with a community of your area."))
    permissions.require(actor, "lists_manage", pairing.community.path)
    if pairing.ended_on is not None:
        raise invalid("pairing", _("This pairing has ended."))
    return pairing


def _of_community[M: Model](
    actor: Actor, obj: M, visible: Callable[[Any], QuerySet[M]], community: OrgNode, field: str, refusal: str
) -> M:
    """`obj` (a need or a project a unit claims) as the actor sees it, of the paired `community`; else `refusal` on
    `field`. The system takes it as given."""
    if actor is None:
        return obj
    found = visible(actor).filter(pk=obj.pk, community=community).first()
    if found is None:
        raise invalid(field, refusal)
    return found


@transaction.atomic
def commitment_add(
    *,
    actor: Actor,
    pairing: PartnerPairing,
    title: str = "",
    year: int | None = None,
    need: Need | None = None,
    project: Project | None = None,
) -> Commitment:
    """A line of a partner unit's commitment list for a year. Naming a need or a project of the paired community
    is the unit claiming it (认领): the line is fulfilled when the need is met or the project done."""
    pairing = _pairing(actor, pairing)
    year = year or timezone.localdate().year
    if not 2000 <= year <= timezone.localdate().year + 1:
        raise invalid("year", _("Choose this year or the next."))
    if need is not None:
        refusal = _("Choose a need of the paired community.")
        need = _of_community(actor, need, selectors.needs_visible_to, pairing.community, "need", refusal)
        if need.state in (NeedState.MET, NeedState.CLOSED):
            raise invalid("need", _("This need is no longer open."))
        title = title or need.title
    if project is not None:
        refusal = _("Choose a project of the paired community.")
        project = _of_community(
            actor, project, selectors.projects_visible_to, pairing.community, "project", refusal
        )
        title = title or project.title
    taken = Commitment.objects.filter(year=year)
    if need is not None and taken.filter(need=need).exists():
        raise Conflict(_("This need is claimed already."))
    if project is not None and taken.filter(project=project).exists():
        raise Conflict(_("This project is claimed already."))
    commitment = Commitment.objects.create(
        pairing=pairing,
        year=year,
        title=text(title, "title", 120),
        need=need,
        project=project,
        added_by=person(actor),
    )
    done = (need is not None and need.state == NeedState.MET) or (
        project is not None and project.state == ProjectState.DONE
    )
    if done:
        Commitment.objects.filter(pk=commitment.pk).update(done_on=timezone.localdate())
    audit(actor, "cobuild.commitment_add", commitment, pairing=pairing.pk, year=year)
    return commitment


@transaction.atomic
def commitment_fulfil(*, actor: Actor, commitment: Commitment, note: str) -> Commitment:
    """A worker records that the unit kept a commitment, and how."""
    commitment = Commitment.objects.select_for_update().get(pk=commitment.pk)
    _pairing(actor, PartnerPairing.objects.get(pk=commitment.pairing_id))
    if commitment.done_on is not None:
        raise Conflict(_("This commitment is fulfilled already."))
    commitment.done_on = timezone.localdate()
    commitment.note = text(note, "note", 300)
    commitment.save(update_fields=["done_on", "note", "updated_at"])
    audit(actor, "cobuild.commitment_fulfil", commitment)
    return commitment


# --- service stars ---------------------------------------------------------------------------------------------


@transaction.atomic
def stars_publish(
    *, actor: Actor, community: OrgNode, quarter_start: dt.date, left_out: dict[int, str] | None = None
) -> StarsRelease:
    """A worker reviews the quarter's computed service stars and publishes them; a provider may be left out only
    with a reason (a complaint under way, for one), which is kept with the release. A quarter is published once,
    after it has ended."""
    community = community_in_area(actor, community, "project_manage")
    start, end = selectors.quarter_bounds(quarter_start)
    if end > timezone.localdate():
        raise invalid("quarter", _("A quarter's stars are published once the quarter has ended."))
    candidates = selectors.service_stars(community, start, top=10)
    known = {c["provider_id"]: c for c in candidates}
    chosen = {str(k): v for k, v in (left_out or {}).items()}
    if not set(chosen) <= {str(pk) for pk in known}:
        raise invalid("left_out", _("Leave out only providers of the computed ranking."))
    reasons = {int(k): text(v, "reason", 200) for k, v in chosen.items()}
    stars = [
        {
            "provider_id": c["provider_id"],
            "name": c["provider__provider_name"],
            "service": c["provider__name"],
            "avg": round(float(c["avg"]), 2),
            "n": c["n"],
        }
        for c in candidates
        if c["provider_id"] not in reasons
    ][:3]
    try:
        with transaction.atomic():
            release = StarsRelease.objects.create(
                community=community,
                quarter_start=start,
                stars=stars,
                left_out=[
                    {"provider_id": pk, "name": known[pk]["provider__provider_name"], "reason": why}
                    for pk, why in reasons.items()
                ],
                published_by=person(actor),
            )
    except IntegrityError:
        raise Conflict(_("This quarter's stars are published already.")) from None
    accounts = [known[s["provider_id"]]["provider__account"] for s in stars]
    for user in User.objects.filter(pk__in=[a for a in accounts if a]):
        notify(user, _("You are a service star of the quarter"), community.name)
    audit(actor, "cobuild.stars_publish", release, stars=[s["provider_id"] for s in stars], left_out=reasons)
    return release
