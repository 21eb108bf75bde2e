"""Service orders (点单 → 派单 → 接单 → 办单 → 评单): the menu, who sees which order, ratings and the quarter's stars."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Avg, Count, Q, QuerySet

from linli.core.roles import UNIT_ROLES
from linli.core.scoping import Viewer, get_or_404, is_signed_in, is_staff_member, scope_by_org
from linli.territory.models import OrgNode

from ..choices import OrderState
from ..models import (
    Order,
    Resource,
    ServiceItem,
)
from .where import _pk


def menu_of(community: OrgNode) -> QuerySet[ServiceItem]:
    return ServiceItem.objects.filter(community=community, active=True)


def _provider_unit(user: Viewer) -> int | None:
    """The unit whose resources `user` answers for: a unit's account (a property company's or a partner unit's staff,
    `UNIT_ROLES`) takes and does the orders of a resource its unit offers, which has no account of its own
    (社会力量办单); None for anyone else."""
    unit = getattr(user, "organisation_id", None)
    return unit if unit is not None and getattr(user, "role", None) in UNIT_ROLES else None


def _provided_by(user: Viewer) -> Q:
    """The orders `user` answers as their provider (a signed-in account): those of a resource whose account it is,
    and those of a resource of its unit (`_provider_unit`)."""
    provided = Q(provider__account_id=_pk(user))
    unit = _provider_unit(user)
    return provided | Q(provider__organisation_id=unit) if unit is not None else provided


def provides(user: Viewer, order: Order) -> bool:
    """Whether `user` answers `order` as its provider (the rule of `_provided_by`, for one order read already)."""
    if not is_signed_in(user) or order.provider is None:
        return False
    unit = _provider_unit(user)
    return order.provider.account_id == _pk(user) or (
        unit is not None and order.provider.organisation_id == unit
    )


def orders_visible_to(user: Viewer) -> QuerySet[Order]:
    """Staff: their area's orders. A provider: those assigned to them (or to their unit). A resident: their own."""
    qs = Order.objects.select_related("item", "provider", "community")
    if not is_signed_in(user):
        return qs.none()
    if is_staff_member(user):
        return scope_by_org(qs, user, "community__path") | qs.filter(_provided_by(user))
    return qs.filter(Q(resident_id=_pk(user)) | _provided_by(user))


def order_get_for(user: Viewer, pk: int) -> Order:
    return get_or_404(orders_visible_to(user), pk=pk)


def my_orders(user: Viewer) -> QuerySet[Order]:
    return (
        orders_visible_to(user).filter(resident_id=_pk(user)) if is_signed_in(user) else Order.objects.none()
    )


def provider_orders(user: Viewer) -> QuerySet[Order]:
    """Orders assigned to the signed-in provider (or to the unit whose staff they are)."""
    if not is_signed_in(user):
        return Order.objects.none()
    return Order.objects.select_related("item", "provider").filter(_provided_by(user))


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
