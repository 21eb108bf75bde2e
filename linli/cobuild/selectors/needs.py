"""Needs, resources and projects (the three lists), the matches of a need and the providers suggested for it."""

from __future__ import annotations

import math
from dataclasses import dataclass

from django.db.models import Count, Prefetch, QuerySet

from linli.core.scoping import Viewer, get_or_404, is_staff_member, scope_by_org
from linli.territory.models import OrgNode

from ..choices import NeedSource, NeedState, OrderState
from ..models import (
    Match,
    Need,
    Order,
    Project,
    Resource,
)
from .where import _pk


def needs_visible_to(user: Viewer) -> QuerySet[Need]:
    """The needs of the staff member's part of the tree, and those they put on the list themselves: a grid worker
    works below the community a need belongs to, and still follows what they found on a visit."""
    needs = Need.objects.select_related("community")
    scoped = scope_by_org(needs, user, "community__path")
    if is_staff_member(user):
        return scoped | needs.filter(raised_by_id=_pk(user))
    return scoped


def need_get_for(user: Viewer, pk: int) -> Need:
    return get_or_404(needs_visible_to(user), pk=pk)


def my_needs(user: Viewer) -> QuerySet[Need]:
    """The needs a resident raised themselves, newest first, each with what became of it: the resources it was
    matched to and the projects formed from them (a worker's needs are followed on the staff's list)."""
    matches = Match.objects.select_related("resource", "project").order_by("created_at", "pk")
    return (
        Need.objects.filter(raised_by_id=_pk(user), source=NeedSource.RESIDENT)
        .select_related("community")
        .prefetch_related(Prefetch("matches", queryset=matches))
        .order_by("-created_at", "-pk")
    )


def my_need_get(user: Viewer, pk: int) -> Need:
    return get_or_404(my_needs(user), pk=pk)


def resources_visible_to(user: Viewer) -> QuerySet[Resource]:
    return scope_by_org(Resource.objects.select_related("community"), user, "community__path")


def projects_visible_to(user: Viewer) -> QuerySet[Project]:
    return scope_by_org(Project.objects.select_related("community", "owner"), user, "community__path")


def project_get_for(user: Viewer, pk: int) -> Project:
    return get_or_404(projects_visible_to(user), pk=pk)


def public_projects(community: OrgNode) -> QuerySet[Project]:
    return Project.objects.filter(community=community).order_by("-created_at", "-pk")


def matches_of(need: Need) -> QuerySet[Match]:
    return need.matches.select_related("resource", "confirmed_by", "project").order_by("-score")


def resource_loads(resource_ids: list[int]) -> dict[int, int]:
    """Each resource's current load: matches not yet done and orders assigned but not yet fulfilled."""
    loads = dict.fromkeys(resource_ids, 0)
    for rid, n in (
        Match.objects.filter(resource_id__in=resource_ids, done=False)
        .values_list("resource_id")
        .annotate(n=Count("pk"))
    ):
        loads[rid] += n
    for rid, n in (
        Order.objects.filter(provider_id__in=resource_ids, state=OrderState.ASSIGNED)
        .values_list("provider_id")
        .annotate(n=Count("pk"))
    ):
        loads[rid] += n
    return loads


EARTH_M = 6_371_000.0


def distance_m(lng1: float, lat1: float, lng2: float, lat2: float) -> float:
    """Straight-line (great-circle) distance in metres; walking distance once the walking network exists."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lng2 - lng1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_M * math.asin(math.sqrt(a))


@dataclass(frozen=True)
class Suggestion:
    resource: Resource
    score: float
    distance: int | None
    load: int
    category_fit: bool
    skill_fit: bool
    in_area: bool


# Weights of a suggestion's score (out of 100): what it is, how near, how free the provider is.
W_CATEGORY, W_SKILL, W_DISTANCE, W_LOAD = 40.0, 15.0, 30.0, 15.0


def _skill_fit(resource: Resource, need: Need) -> bool:
    text = f"{need.title} {need.description}"
    words = [
        w for w in resource.skills.replace("，", "、").replace(",", "、").split("、") if len(w.strip()) >= 2
    ]
    return any(w.strip() in text for w in words)


def suggestions_for(need: Need, *, limit: int = 8) -> list[Suggestion]:
    """Active resources of the need's community ranked for it: category and skill fit, straight-line distance
    within the area the resource serves (weighing more for an urgent need), and the provider's free capacity.
    Resources already matched to the need and those at full capacity are left out."""
    taken = set(need.matches.values_list("resource_id", flat=True))
    candidates = [
        r
        for r in Resource.objects.filter(community=need.community, active=True).order_by("pk")
        if r.pk not in taken
    ]
    loads = resource_loads([r.pk for r in candidates])
    urgency_weight = {1: 0.8, 2: 1.0, 3: 1.3}.get(need.urgency, 1.0)
    # Urgency reweighs nearness; the whole is scaled back to 100, so a score reads "out of 100" for every need.
    scale = 100.0 / (W_CATEGORY + W_SKILL + W_DISTANCE * urgency_weight + W_LOAD)
    out = []
    for r in candidates:
        load = loads[r.pk]
        if load >= r.capacity:
            continue
        category_fit = r.category == need.category
        skill_fit = _skill_fit(r, need)
        if not (category_fit or skill_fit):
            continue
        if need.lng is not None and need.lat is not None:
            d = distance_m(need.lng, need.lat, r.lng, r.lat)
            near = max(0.0, 1.0 - d / max(r.radius_m, 1))
            distance: int | None = round(d)
        else:
            near, distance = 0.5, None
        score = scale * (
            W_CATEGORY * category_fit
            + W_SKILL * skill_fit
            + W_DISTANCE * urgency_weight * near
            + W_LOAD * (1 - load / r.capacity)
        )
        out.append(
            Suggestion(
                r, round(score, 1), distance, load, category_fit, skill_fit, distance is None or near > 0
            )
        )
    out.sort(key=lambda s: (-s.score, s.resource.pk))
    return out[:limit]


def open_needs(community: OrgNode) -> QuerySet[Need]:
    return Need.objects.filter(community=community, state=NeedState.OPEN)
