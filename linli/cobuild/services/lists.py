"""The three lists (三张清单): needs from residents, visits, suggestion appeals and meetings; resources of units,
organisations and skilled residents; matches a person confirms from the ranked suggestions; projects formed from
them."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from linli.appeals.choices import AppealKind
from linli.appeals.models import Appeal
from linli.appeals.selectors import appeal_get_for
from linli.core.audit import audit
from linli.core.errors import Conflict, PermissionDenied
from linli.core.scoping import person, signed_in_account
from linli.territory.models import Organisation, OrgNode, Visit
from linli.territory.selectors import community_of, visit_get_for

from .. import permissions, selectors
from ..choices import (
    Category,
    NeedSource,
    NeedState,
    ProjectState,
    ProviderKind,
    ResourceKind,
    Urgency,
)
from ..models import MOST_HOUSEHOLDS, TOO_MANY_HOUSEHOLDS, Commitment, Match, Need, Project, Resource
from ._common import Actor, community_in_area, invalid, locked_for, notify, text


def _node_community(actor: Actor, node: OrgNode, action: str) -> OrgNode:
    """The community of a place found in the field (a visit's or a suggestion's grid): the action is checked at
    the grid's own node, so a grid worker of a compound may act on what they found there."""
    permissions.require(actor, action, node.path)
    return community_of(node) or node


def _point(lng: object, lat: object) -> tuple[float | None, float | None]:
    if lng in (None, "") and lat in (None, ""):
        return None, None
    try:
        x, y = float(lng), float(lat)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise invalid("lng", _("Give the place as longitude and latitude.")) from None
    if not (73 <= x <= 136 and 3 <= y <= 54):
        raise invalid("lng", _("The place lies outside China."))
    return x, y


def _need_fields(
    title: str, description: str, category: str, place: str, households: object, urgency: object
) -> dict[str, object]:
    if category not in Category.values:
        raise invalid("category", _("Choose a category."))
    try:
        n, u = int(households), int(urgency)  # type: ignore[call-overload]
    except (TypeError, ValueError):
        raise invalid("households", _("Give the number of households concerned.")) from None
    if n < 1:
        raise invalid("households", _("Give the number of households concerned."))
    if n > MOST_HOUSEHOLDS:
        raise invalid(
            "households",
            TOO_MANY_HOUSEHOLDS % {"limit_value": MOST_HOUSEHOLDS},
        )
    if u not in Urgency.values:
        raise invalid("urgency", _("Choose how urgent it is."))
    return {
        "title": text(title, "title", 80),
        "description": text(description, "description", 1000, required=False),
        "category": category,
        "place": text(place, "place", 120, required=False),
        "households": n,
        "urgency": u,
    }


def _need_add(
    actor: Actor,
    how: str,
    *,
    community: OrgNode,
    source: str,
    point: tuple[Any, Any],
    fields: dict[str, object],
    noted: dict[str, object] | None = None,
) -> Need:
    """Put a need on the list, whichever way it came (`how`: create, raise, from_visit, from_appeal): in
    `community`, from `source`, at `point` (longitude, latitude), raised by the actor, audited with `noted`."""
    need = Need.objects.create(
        community=community, source=source, lng=point[0], lat=point[1], raised_by=person(actor), **fields
    )
    audit(actor, f"cobuild.need_{how}", need, **(noted or {}))
    return need


@transaction.atomic
def need_create(
    *,
    actor: Actor,
    community: OrgNode,
    title: str,
    category: str,
    description: str = "",
    place: str = "",
    lng: object = None,
    lat: object = None,
    households: object = 1,
    urgency: object = Urgency.NORMAL,
    source: str = NeedSource.STAFF,
) -> Need:
    """A worker records a need (from a meeting, from the office)."""
    community = community_in_area(actor, community, "lists_manage")
    if source not in (NeedSource.STAFF, NeedSource.MEETING):
        raise invalid("source", _("Choose where the need comes from."))
    x, y = _point(lng, lat)
    fields = _need_fields(title, description, category, place, households, urgency)
    return _need_add(actor, "create", community=community, source=source, point=(x, y), fields=fields)


@transaction.atomic
def need_raise(
    *, actor: Actor, title: str, category: str, description: str = "", urgency: object = 2
) -> Need:
    """A verified resident tells the community what they need (the phone page); the place is their building."""
    signed_in_account(actor)
    household = selectors.verified_household(actor)
    if household is None:
        raise PermissionDenied(_("Have your household verified first: the need is raised in your community."))
    node = household.building.grid.org_node
    return _need_add(
        actor,
        "raise",
        community=community_of(node) or node,
        source=NeedSource.RESIDENT,
        point=(household.building.lng, household.building.lat),
        fields=_need_fields(title, description, category, household.building.name, 1, urgency),
    )


@transaction.atomic
def need_from_visit(
    *, actor: Actor, visit: Visit, category: str, title: str = "", households: object = 1
) -> Need:
    """A need found on a grid visit: the place is the visited household's building or the venue."""
    if actor is not None:
        visit = visit_get_for(actor, visit.pk)
    community = _node_community(actor, visit.grid.org_node, "lists_manage")
    where: Any = visit.household.building if visit.household is not None else visit.venue
    fields = _need_fields(
        title or visit.follow_up or visit.found[:80],
        visit.found,
        category,
        getattr(where, "name", ""),
        households,
        Urgency.NORMAL,
    )
    return _need_add(
        actor,
        "from_visit",
        community=community,
        source=NeedSource.VISIT,
        point=(getattr(where, "lng", None), getattr(where, "lat", None)),
        fields={**fields, "visit": visit},
        noted={"visit": visit.pk},
    )


@transaction.atomic
def need_from_appeal(*, actor: Actor, appeal_pk: int, category: str, households: object = 1) -> Need:
    """A need taken from a resident's suggestion (an appeal of the suggestion kind) in the actor's area."""
    if actor is None:
        appeal = Appeal.objects.select_related("grid__org_node").get(pk=appeal_pk)
    else:
        appeal = appeal_get_for(actor, appeal_pk)  # type: ignore[arg-type]
    if appeal.kind != AppealKind.SUGGESTION:
        raise invalid("appeal", _("Only a suggestion becomes a need."))
    if appeal.grid is None:
        raise invalid("appeal", _("This suggestion has no grid, so no community to serve it."))
    if Need.objects.filter(appeal_number=appeal.tracking_number).exists():
        raise Conflict(_("This suggestion is on the needs list already."))
    community = _node_community(actor, appeal.grid.org_node, "lists_manage")
    fields = _need_fields(
        appeal.title[:80], appeal.description[:1000], category, appeal.address[:120], households, 2
    )
    return _need_add(
        actor,
        "from_appeal",
        community=community,
        source=NeedSource.APPEAL,
        point=(appeal.lng, appeal.lat),
        fields={**fields, "appeal_number": appeal.tracking_number},
        noted={"appeal": appeal.tracking_number},
    )


def _followed(need: Need) -> str:
    """Where whoever raised the need follows it: a resident on their "my needs" page, a worker on the staff's."""
    if need.source == NeedSource.RESIDENT:
        return reverse("cobuild:my_need", args=[need.pk])
    return reverse("cobuild:staff_need", args=[need.pk])


@transaction.atomic
def need_close(*, actor: Actor, need: Need, reason: str) -> Need:
    """A worker closes an open or matched need that will not be met here (met another way, a duplicate, moved
    away), with the reason; whoever raised it is told."""
    need = locked_for(actor, need, selectors.need_get_for)
    permissions.require(actor, "lists_manage", need.community.path)
    if need.state not in (NeedState.OPEN, NeedState.MATCHED):
        raise Conflict(_("This need is no longer open."))
    why = text(reason, "reason", 200)
    need.state = NeedState.CLOSED
    need.closed_reason = why
    need.save(update_fields=["state", "closed_reason", "updated_at"])
    notify(need.raised_by, _("Your need was closed: %(title)s") % {"title": need.title}, why, _followed(need))
    audit(actor, "cobuild.need_close", need, reason=why)
    return need


@transaction.atomic
def resource_create(
    *,
    actor: Actor,
    community: OrgNode,
    name: str,
    provider_name: str,
    provider_kind: str,
    kind: str,
    category: str,
    lng: object,
    lat: object,
    skills: str = "",
    opening_hours: str = "",
    quantity: str = "",
    capacity: object = 3,
    radius_m: object = 2000,
    phone: str = "",
    organisation: Organisation | None = None,
    account: Any = None,
) -> Resource:
    """A line of the resources list; a unit's resource names the unit (looked up in the community's area)."""
    community = community_in_area(actor, community, "lists_manage")
    if provider_kind not in ProviderKind.values:
        raise invalid("provider_kind", _("Choose the kind of provider."))
    if kind not in ResourceKind.values:
        raise invalid("kind", _("Choose the kind of resource."))
    if category not in Category.values:
        raise invalid("category", _("Choose a category."))
    if kind == ResourceKind.VENUE and not str(opening_hours or "").strip():
        raise invalid("opening_hours", _("Give the venue's opening hours."))
    if organisation is not None:
        organisation = Organisation.objects.filter(
            pk=organisation.pk,
            org_node__path__startswith=community.path[: community.path.rfind("/", 0, -1) + 1],
        ).first()
        if organisation is None:
            raise invalid("organisation", _("Choose a unit of this street."))
    try:
        cap, radius = int(capacity), int(radius_m)  # type: ignore[call-overload]
    except (TypeError, ValueError):
        raise invalid("capacity", _("Give the capacity as a whole number.")) from None
    if not 1 <= cap <= 1000:
        raise invalid("capacity", _("The capacity is between 1 and 1000 jobs at a time."))
    if not 100 <= radius <= 50000:
        raise invalid("radius_m", _("The area served is between 100 m and 50 km."))
    x, y = _point(lng, lat)
    if x is None or y is None:
        raise invalid("lng", _("Give the place as longitude and latitude."))
    resource = Resource.objects.create(
        community=community,
        name=text(name, "name", 80),
        provider_name=text(provider_name, "provider_name", 80),
        provider_kind=provider_kind,
        organisation=organisation,
        account=account,
        kind=kind,
        category=category,
        skills=text(skills, "skills", 200, required=False),
        opening_hours=text(opening_hours, "opening_hours", 100, required=False),
        quantity=text(quantity, "quantity", 60, required=False),
        capacity=cap,
        radius_m=radius,
        lng=x,
        lat=y,
        phone=text(phone, "phone", 24, required=False),
    )
    audit(actor, "cobuild.resource_create", resource)
    return resource


@transaction.atomic
def match_confirm(*, actor: Actor, need: Need, resource: Resource) -> Match:
    """A person confirms one of the ranked suggestions: the need is matched, both sides are told."""
    need = locked_for(actor, need, selectors.need_get_for)
    permissions.require(actor, "lists_manage", need.community.path)
    if need.state not in (NeedState.OPEN, NeedState.MATCHED):
        raise Conflict(_("This need is no longer open."))
    offered = {s.resource.pk: s for s in selectors.suggestions_for(need, limit=1000)}
    if resource.pk not in offered:
        raise invalid("resource", _("Choose one of the suggested resources."))
    s = offered[resource.pk]
    match = Match.objects.create(
        need=need, resource=s.resource, score=s.score, distance_m=s.distance, confirmed_by=person(actor)
    )
    Need.objects.filter(pk=need.pk).update(state=NeedState.MATCHED)
    notify(
        s.resource.account,
        _("A need was matched to your resource: %(title)s") % {"title": need.title},
        f"{need.community.name} · {need.place}",
    )
    notify(
        need.raised_by,
        _("Your need has found help: %(title)s") % {"title": need.title},
        s.resource.provider_name,
        _followed(need),
    )
    audit(actor, "cobuild.match_confirm", match, need=need.pk, resource=s.resource.pk, score=s.score)
    return match


def _money(value: object, field: str) -> Decimal:
    try:
        amount = Decimal(str(value))
    except (InvalidOperation, ValueError):
        raise invalid(field, _("Enter an amount in yuan.")) from None
    if not amount.is_finite() or amount < 0 or amount != amount.quantize(Decimal("0.01")):
        raise invalid(field, _("Enter an amount in yuan with at most two decimals."))
    return amount


@transaction.atomic
def project_create(
    *,
    actor: Actor,
    community: OrgNode,
    title: str,
    budget: object,
    description: str = "",
    pledge: bool = False,
    matches: Sequence[Match] = (),
) -> Project:
    """A project formed from matched needs and resources; the actor owns it."""
    community = community_in_area(actor, community, "project_manage")
    project = Project.objects.create(
        community=community,
        title=text(title, "title", 80),
        description=text(description, "description", 2000, required=False),
        budget=_money(budget, "budget"),
        pledge=bool(pledge),
        owner=person(actor),
    )
    ids = [m.pk for m in matches]
    found = Match.objects.filter(pk__in=ids, need__community=community, project__isnull=True)
    if found.count() != len(set(ids)):
        raise invalid("matches", _("Choose matches of this community not yet in a project."))
    found.update(project=project)
    audit(actor, "cobuild.project_create", project, matches=ids)
    return project


@transaction.atomic
def project_progress(*, actor: Actor, project: Project, progress: object, note: str = "") -> Project:
    """Progress of a project in per cent; at 100 it is done and its needs are met."""
    project = locked_for(actor, project, selectors.project_get_for)
    permissions.require(actor, "project_manage", project.community.path)
    try:
        value = int(progress)  # type: ignore[call-overload]
    except (TypeError, ValueError):
        raise invalid("progress", _("Give the progress in per cent.")) from None
    if not 0 <= value <= 100:
        raise invalid("progress", _("Give the progress in per cent."))
    if value < project.progress:
        raise invalid("progress", _("Progress does not go back; say why in a note on the project instead."))
    project.progress = value
    project.state = (
        ProjectState.DONE if value == 100 else ProjectState.UNDERWAY if value else ProjectState.PLANNED
    )
    project.save(update_fields=["progress", "state", "updated_at"])
    if value == 100:
        project.matches.update(done=True)
        met = list(Need.objects.filter(matches__project=project).exclude(state=NeedState.MET).distinct())
        Need.objects.filter(matches__project=project).update(state=NeedState.MET)
        for need in met:
            notify(
                need.raised_by,
                _("Your need is met: %(title)s") % {"title": need.title},
                project.title,
                _followed(need),
            )
        commitments_settle(needs=Need.objects.filter(matches__project=project), projects=[project])
    audit(
        actor,
        "cobuild.project_progress",
        project,
        progress=value,
        note=text(note, "note", 200, required=False),
    )
    return project


def commitments_settle(*, needs: Any = None, projects: Any = None) -> int:
    """Fulfil the commitments naming needs now met or projects now done (called by the services that meet them)."""
    today = timezone.localdate()
    qs = Commitment.objects.filter(done_on__isnull=True)
    n = 0
    if needs is not None:
        n += qs.filter(need__in=needs).update(done_on=today, note=_("The need was met."))
    if projects is not None:
        n += qs.filter(project__in=projects).update(done_on=today, note=_("The project was done."))
    return n
