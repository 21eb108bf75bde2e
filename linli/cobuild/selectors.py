"""Reads of co-building, scoped: staff see their part of the tree, a verified resident their community, a
provider the orders assigned to them; and the public statements (三公开), with personal data masked."""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Avg, Count, Q, QuerySet, Sum
from django.db.models.functions import Coalesce

from linli.accounts.selectors import verified_household
from linli.core import ledger
from linli.core.errors import NotFound
from linli.core.orgpath import path_ids
from linli.core.scoping import Viewer, get_or_404, is_signed_in, is_staff_member, scope_by_org
from linli.party.models import PartnerPairing
from linli.territory.models import Grid, OrgNode
from linli.territory.selectors import community_of

from .choices import FundAccountKind, NeedState, OrderState, PaymentState, TransferKind, WishState
from .models import (
    Commitment,
    FundAccount,
    FundEntry,
    FundTransfer,
    Match,
    Milestone,
    Need,
    Order,
    Payment,
    Project,
    Resource,
    ServiceItem,
    StarsRelease,
    Wish,
)

ZERO = Decimal("0.00")


# --- who is where ---------------------------------------------------------------------------------------------


def home_community(user: Viewer) -> OrgNode | None:
    """A verified resident's community."""
    household = verified_household(user)
    if household is None:
        return None
    node = household.building.grid.org_node
    return community_of(node) or node


def communities_for(user: Viewer) -> QuerySet[OrgNode]:
    """The communities a staff member works in."""
    return scope_by_org(OrgNode.objects.filter(kind="community"), user, "path").order_by("path")


def map_areas(communities: list[OrgNode]) -> tuple[str, dict[int, list[list[float]]]]:
    """What a staff form's picking map (`cobuild/partials/map_pick.html`) opens on, from one read of the grids of
    the communities the form offers: the grid codes drawn bold and fitted to when it offers one (a community
    worker's own; "" for several or none), and where each community lies, its grids' bounds [[south, west],
    [north, east]] by its id, so the map opens on the community chosen and moves to the next (a street's form)."""
    if not communities:
        return "", {}
    ids = {c.pk for c in communities}
    grids = Grid.objects.filter(parent_grid__isnull=True)
    if (
        len(communities) <= 50
    ):  # a street's: only their grids; more (an administrator's): every grid, one read
        grids = grids.filter(Q(*[Q(org_node__path__startswith=c.path) for c in communities], _connector=Q.OR))
    codes: list[str] = []
    areas: dict[int, list[list[float]]] = {}
    fields = ("code", "org_node__path", "min_lng", "min_lat", "max_lng", "max_lat")
    for code, path, w, s, e, n in grids.order_by("code").values_list(*fields):
        for pk in ids.intersection(path_ids(path)):
            codes.append(code)
            if not (w or e):  # a grid without a boundary has no place
                continue
            (sw, ne) = areas.setdefault(pk, [[s, w], [n, e]])
            sw[:] = [min(sw[0], s), min(sw[1], w)]
            ne[:] = [max(ne[0], n), max(ne[1], e)]
    return (",".join(codes) if len(communities) == 1 else ""), areas


def _pk(user: Viewer) -> int | None:
    return getattr(user, "pk", None)


def _area(qs: QuerySet[Any], user: Viewer) -> QuerySet[Any]:
    if is_staff_member(user):
        return scope_by_org(qs, user, "community__path")
    community = home_community(user)
    return qs.filter(community=community) if community is not None else qs.none()


# --- the three lists ------------------------------------------------------------------------------------------


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


# --- service orders -------------------------------------------------------------------------------------------


def menu_of(community: OrgNode) -> QuerySet[ServiceItem]:
    return ServiceItem.objects.filter(community=community, active=True)


def orders_visible_to(user: Viewer) -> QuerySet[Order]:
    """Staff: their area's orders. A provider: those assigned to them. A resident: their own."""
    qs = Order.objects.select_related("item", "provider", "community")
    if not is_signed_in(user):
        return qs.none()
    if is_staff_member(user):
        return scope_by_org(qs, user, "community__path") | qs.filter(provider__account_id=_pk(user))
    return qs.filter(Q(resident_id=_pk(user)) | Q(provider__account_id=_pk(user)))


def order_get_for(user: Viewer, pk: int) -> Order:
    return get_or_404(orders_visible_to(user), pk=pk)


def my_orders(user: Viewer) -> QuerySet[Order]:
    return (
        orders_visible_to(user).filter(resident_id=_pk(user)) if is_signed_in(user) else Order.objects.none()
    )


def provider_orders(user: Viewer) -> QuerySet[Order]:
    """Orders assigned to the signed-in provider."""
    if not is_signed_in(user):
        return Order.objects.none()
    return Order.objects.select_related("item", "provider").filter(provider__account_id=_pk(user))


def providers_for(order: Order) -> QuerySet[Resource]:
    """Who may be assigned an order: active skill resources of its community in its category."""
    return Resource.objects.filter(
        community=order.community, active=True, category=order.item.category, kind="skill"
    ).order_by("name")


def public_orders(community: OrgNode) -> QuerySet[Order]:
    """三公开: each order's progress, without who or where."""
    return (
        Order.objects.select_related("item", "provider").filter(community=community).order_by("-created_at")
    )


def ratings_of(community: OrgNode) -> dict[str, Any]:
    return Order.objects.filter(community=community, state=OrderState.RATED).aggregate(
        n=Count("pk"), avg=Avg("rating")
    )


def quarter_bounds(day: dt.date) -> tuple[dt.date, dt.date]:
    first_month = 3 * ((day.month - 1) // 3) + 1
    start = dt.date(day.year, first_month, 1)
    end = dt.date(day.year + (first_month + 3 > 12), (first_month + 2) % 12 + 1, 1)
    return start, end


def service_stars(
    community: OrgNode, day: dt.date, *, top: int = 3, at_least: int = 2
) -> list[dict[str, Any]]:
    """The quarter's service stars (服务明星): providers with at least `at_least` rated orders in the quarter that
    holds `day`, best average rating first, then the most orders."""
    start, end = quarter_bounds(day)
    rows = (
        Order.objects.filter(
            community=community, state=OrderState.RATED, done_at__date__gte=start, done_at__date__lt=end
        )
        .values("provider_id", "provider__provider_name", "provider__name", "provider__account")
        .annotate(n=Count("pk"), avg=Avg("rating"))
        .filter(n__gte=at_least)
        .order_by("-avg", "-n", "provider_id")
    )
    return [dict(r) for r in rows[:top]]


# --- small wishes ---------------------------------------------------------------------------------------------


def wishes_visible_to(user: Viewer) -> QuerySet[Wish]:
    """Staff: their area. A verified resident: their community's wishes (to adopt them; the address stays hidden)."""
    return _area(Wish.objects.select_related("community", "adopter"), user)


def wishes_open_to_adopt(user: Viewer) -> QuerySet[Wish]:
    """Wishes waiting for someone: a verified resident sees their community's; anyone else signed in (a member,
    a volunteer, a unit's staff) every community's. Only the title, the description and the community show."""
    qs = Wish.objects.select_related("community").filter(state=WishState.OPEN)
    if not is_signed_in(user):
        return qs.none()
    community = home_community(user)
    return qs.filter(community=community) if community is not None else qs


def wish_get_for(user: Viewer, pk: int) -> Wish:
    """A wish the person may open: one of their area, one open to adopt, or their own or adopted one."""
    if not is_signed_in(user):
        raise NotFound()
    qs = (
        wishes_visible_to(user)
        | Wish.objects.filter(state=WishState.OPEN)
        | Wish.objects.filter(Q(wisher_id=_pk(user)) | Q(adopter_id=_pk(user)) | Q(posted_by_id=_pk(user)))
    )
    return get_or_404(qs.select_related("community", "adopter").distinct(), pk=pk)


# --- the fund -------------------------------------------------------------------------------------------------


def fund_account(community: OrgNode) -> FundAccount | None:
    return FundAccount.objects.filter(community=community, kind=FundAccountKind.FUND).first()


def balance_of(account: FundAccount | None) -> Decimal:
    """An account's balance (kept on its row by the ledger)."""
    if account is None:
        return ZERO
    balance: Decimal = FundAccount.objects.filter(pk=account.pk).values_list("balance", flat=True).get()
    return balance


def project_spent(project: Project) -> Decimal:
    """What a project has paid its payees from its account, less reversals of it."""
    return ledger.sum_of(
        FundEntry.objects.filter(transfer__project=project, account__kind=FundAccountKind.PAYEE)
    )


def project_held(project: Project) -> Decimal:
    """What the project's account holds (allocated and not yet paid out); nothing before its first allocation."""
    return balance_of(FundAccount.objects.filter(project=project).first())


def projects_unallocated(projects: QuerySet[Project]) -> dict[int, Decimal]:
    """What each project may still be allocated from the fund: its approved budget less what its account holds and
    what it has spent (the bound `services.project_allocate` keeps), never below zero."""
    held = dict(
        FundAccount.objects.filter(project__in=projects).values_list("project_id", "balance").order_by()
    )
    spent = dict(
        FundEntry.objects.filter(transfer__project__in=projects, account__kind=FundAccountKind.PAYEE)
        .values("transfer__project")
        .annotate(s=Sum("amount"))
        .values_list("transfer__project", "s")
        .order_by()
    )
    return {
        p.pk: max(
            p.budget - held.get(p.pk, ZERO) - Decimal(spent.get(p.pk) or ZERO).quantize(ledger.CENT), ZERO
        )
        for p in projects
    }


def transfers_of(community: OrgNode) -> QuerySet[FundTransfer]:
    return (
        FundTransfer.objects.filter(community=community)
        .select_related("project", "reverses", "reversed_by")
        .prefetch_related("entries__account")
    )


def payments_for(user: Viewer) -> QuerySet[Payment]:
    return scope_by_org(
        Payment.objects.select_related("project", "requested_by", "first_approver", "second_approver"),
        user,
        "project__community__path",
    )


def payment_get_for(user: Viewer, pk: int) -> Payment:
    return get_or_404(payments_for(user), pk=pk)


def pending_payments(community: OrgNode) -> QuerySet[Payment]:
    return Payment.objects.filter(
        project__community=community, state__in=[PaymentState.REQUESTED, PaymentState.APPROVED_ONCE]
    )


def _total(qs: QuerySet[FundEntry]) -> Decimal:
    return ledger.sum_of(qs)


def project_statements(community: OrgNode, start: dt.date, end: dt.date) -> list[dict[str, Any]]:
    """Each project account's statement for [start, end): opening balance, allocated from the fund (less allocations
    reversed), spent on payees (less spending reversed), closing balance; with the project's budget and all it has
    spent."""
    accounts = FundAccount.objects.filter(community=community, kind=FundAccountKind.PROJECT).select_related(
        "project"
    )
    allocation = Q(transfer__kind=TransferKind.ALLOCATION) | Q(
        transfer__reverses__kind=TransferKind.ALLOCATION
    )
    rows = []
    for account in accounts.order_by("project__title", "pk"):
        entries = FundEntry.objects.filter(account=account)
        period = entries.filter(transfer__occurred_on__gte=start, transfer__occurred_on__lt=end)
        opening = _total(entries.filter(transfer__occurred_on__lt=start))
        allocated = _total(period.filter(allocation))
        moved = _total(period)
        rows.append(
            {
                "project": account.project,
                "account": account,
                "opening": opening,
                "allocated": allocated,
                "spent": allocated - moved,
                "closing": opening + moved,
                "spent_ever": project_spent(account.project) if account.project else ZERO,
            }
        )
    return rows


def statement(community: OrgNode, start: dt.date, end: dt.date) -> dict[str, Any]:
    """The fund's statement for [start, end): the fund account's opening and closing balance, income by kind,
    allocations to each project's account, and each project account's statement (what it spent on payees)."""
    fund = fund_account(community)
    entries = FundEntry.objects.filter(account=fund) if fund else FundEntry.objects.none()
    opening = _total(entries.filter(transfer__occurred_on__lt=start))
    period = entries.filter(transfer__occurred_on__gte=start, transfer__occurred_on__lt=end)
    income = list(
        period.filter(amount__gt=0, transfer__kind=TransferKind.INCOME)
        .values("transfer__income_kind")
        .annotate(total=Sum("amount"))
        .order_by("transfer__income_kind")
    )
    allocations = list(
        period.filter(transfer__project__isnull=False)
        .values("transfer__project_id", "transfer__project__title", "transfer__project__budget")
        .annotate(total=Sum("amount"))
        .order_by("transfer__project__title")
    )
    moved = _total(period)
    projects = project_statements(community, start, end)
    income_total = sum((r["total"] for r in income), ZERO)
    allocated_total = -sum((r["total"] for r in allocations), ZERO)
    return {
        "opening": opening,
        "closing": opening + moved,
        "income": income,
        "income_total": income_total,
        "allocations": [{**r, "total": -r["total"]} for r in allocations],
        "allocated_total": allocated_total,
        "projects": projects,
        "spending_total": sum((r["spent"] for r in projects), ZERO),
        "other": moved - income_total + allocated_total,
    }


def ledger_total(community: OrgNode) -> Decimal:
    """The sum of every entry of the community's ledger: always zero."""
    return ledger.sum_of(FundEntry.objects.filter(transfer__community=community))


def open_needs(community: OrgNode) -> QuerySet[Need]:
    return Need.objects.filter(community=community, state=NeedState.OPEN)


# --- projects' milestones, partner units' commitments, published stars ------------------------------------------


def milestone_get(pk: int) -> Milestone:
    """A milestone, as anyone sees it on its community's public page."""
    return get_or_404(Milestone.objects.all(), pk=pk)


def milestones_of(projects: list[Project]) -> dict[int, list[Any]]:
    out: dict[int, list[Any]] = {p.pk: [] for p in projects}
    for m in Milestone.objects.filter(project__in=projects).order_by("due_on", "pk"):
        out[m.project_id].append(m)
    return out


def commitment_lists(pairings: list[Any], year: int) -> list[dict[str, Any]]:
    """Each pairing's commitment list for the year and how much of it is fulfilled."""
    lines: dict[int, list[Any]] = {p.pk: [] for p in pairings}
    for c in Commitment.objects.filter(pairing__in=pairings, year=year).select_related("need", "project"):
        lines[c.pairing_id].append(c)
    rows = []
    for p in pairings:
        items = lines[p.pk]
        done = sum(c.done_on is not None for c in items)
        rows.append({"pairing": p, "items": items, "done": done, "total": len(items)})
    return rows


def commitments_openable(user: Viewer, rows: list[dict[str, Any]]) -> tuple[set[int], set[int]]:
    """Of the needs and projects the commitment lists claim, those the user may open (their pages link them): a
    partner unit's account reads its list but the needs and projects are the community's."""
    claimed = [c for row in rows for c in row["items"]]
    needs = needs_visible_to(user).filter(pk__in=[c.need_id for c in claimed if c.need_id])
    projects = projects_visible_to(user).filter(pk__in=[c.project_id for c in claimed if c.project_id])
    return set(needs.values_list("pk", flat=True)), set(projects.values_list("pk", flat=True))


def pairings_of(community: OrgNode) -> list[Any]:
    return list(
        PartnerPairing.objects.filter(community=community, ended_on__isnull=True)
        .select_related("partner", "community")
        .order_by("partner__name")
    )


def stars_released(community: OrgNode, *, limit: int = 4) -> list[Any]:
    return list(StarsRelease.objects.filter(community=community).order_by("-quarter_start")[:limit])


@dataclass(frozen=True)
class Overview:
    needs_raised: int
    needs_met: int
    orders_done: int
    orders_on_time: int
    orders_rated: int
    rating_avg: float | None
    projects: int
    projects_progress: float | None
    fund_balance: Decimal
    fund_in: Decimal
    fund_out: Decimal


def overview(path: str, start: dt.date, end: dt.date) -> Overview:
    """Co-building in an area (org path prefix, "" for all) over a period [start, end]: needs raised and met, orders
    done and done before their step's deadline (no breach recorded), their ratings, the projects' mean progress,
    the funds' balance now and what came in and went out in the period."""
    needs = Need.objects.filter(community__path__startswith=path, created_at__date__range=(start, end))
    done = Order.objects.filter(community__path__startswith=path, done_at__date__range=(start, end))
    breached = set(
        done.filter(events__action="breach", events__from_state__in=[OrderState.ORDERED, OrderState.ASSIGNED])
        .values_list("pk", flat=True)
        .distinct()
    )
    done_ids = list(done.values_list("pk", flat=True))
    rated = done.filter(state=OrderState.RATED).aggregate(n=Count("pk"), avg=Avg("rating"))
    projects = Project.objects.filter(community__path__startswith=path).aggregate(
        n=Count("pk"), avg=Avg("progress")
    )
    fund_entries = FundEntry.objects.filter(
        account__kind=FundAccountKind.FUND, account__community__path__startswith=path
    )
    period = fund_entries.filter(transfer__occurred_on__range=(start, end))
    return Overview(
        needs_raised=needs.count(),
        needs_met=needs.filter(state=NeedState.MET).count(),
        orders_done=len(done_ids),
        orders_on_time=len([pk for pk in done_ids if pk not in breached]),
        orders_rated=rated["n"],
        rating_avg=rated["avg"],
        projects=projects["n"],
        projects_progress=projects["avg"],
        fund_balance=fund_entries.aggregate(s=Coalesce(Sum("amount"), ZERO))["s"],
        fund_in=period.filter(amount__gt=0).aggregate(s=Coalesce(Sum("amount"), ZERO))["s"],
        fund_out=-period.filter(amount__lt=0).aggregate(s=Coalesce(Sum("amount"), ZERO))["s"],
    )
