"""The points store (积分超市): units donate items to a community's store, volunteers redeem them with their
points. Both sides of a redemption are written together — the volunteer's points entry (−) and the item's stock
movement (−) — and a cancellation writes the opposite two; nothing is edited. A refusal names its reason."""

from __future__ import annotations

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from linli.core.audit import audit
from linli.core.errors import Conflict, InvalidTransition, PermissionDenied
from linli.core.scoping import person
from linli.core.validators import clean_text
from linli.territory.models import Organisation, OrgNode

from .. import permissions
from ..choices import PointsKind, RedeemRefusal, RedemptionState
from ..models import PointsEntry, Redemption, StockMovement, StoreItem, Volunteer
from ._common import Actor, confirmed_unchanged, invalid, notify, own_or_managed


class RedeemRefused(Conflict):
    """A redemption refused for a stated reason: `extra.reason` is a `RedeemRefusal` code."""

    code = "redeem_refused"

    def __init__(self, reason: RedeemRefusal) -> None:
        super().__init__(reason.label, extra={"reason": reason.value})
        self.reason = reason


def points_balance(volunteer: Volunteer) -> int:
    return int(PointsEntry.objects.filter(volunteer=volunteer).aggregate(t=Sum("points"))["t"] or 0)


def redeem_refusal(volunteer: Volunteer, item: StoreItem, balance: int | None = None) -> RedeemRefusal | None:
    """Why `volunteer` may not redeem `item` now, or None."""
    if not volunteer.active:
        return RedeemRefusal.INACTIVE
    if not item.active:
        return RedeemRefusal.WITHDRAWN
    if item.community_id != volunteer.community_id:
        return RedeemRefusal.OTHER_COMMUNITY
    if item.stock <= 0:
        return RedeemRefusal.OUT_OF_STOCK
    if (points_balance(volunteer) if balance is None else balance) < item.points:
        return RedeemRefusal.POINTS
    return None


@transaction.atomic
def store_item_create(
    *,
    actor: Actor,
    community: OrgNode,
    name: str,
    points: int,
    quantity: int,
    donor: Organisation | None = None,
    description: str = "",
) -> StoreItem:
    """A unit's donation opens an item in the community's store (its first stock movement)."""
    permissions.require(actor, "store_manage", community.path)
    name = (name or "").strip()
    if not name or len(name) > 60:
        raise invalid("name", _("Give the item's name (at most 60 characters)."))
    if not isinstance(points, int) or not 1 <= points <= 100000:
        raise invalid("points", _("Enter the points it costs, from 1 to 100000."))
    if len(description or "") > 200:
        raise invalid("description", _("At most 200 characters."))
    item = StoreItem.objects.create(
        community=community, name=name, points=points, donor=donor, description=(description or "").strip()
    )
    store_item_donate(actor=actor, item=item, quantity=quantity, donor=donor)
    audit(actor, "volunteers.store_item_create", item, points=points)
    item.refresh_from_db()
    return item


@transaction.atomic
def store_item_donate(
    *, actor: Actor, item: StoreItem, quantity: int, donor: Organisation | None = None, note: str = ""
) -> StockMovement:
    """More pieces donated (by the item's donor unless another is named)."""
    permissions.require(actor, "store_manage", item.community.path)
    if not isinstance(quantity, int) or not 1 <= quantity <= 10000:
        raise invalid("quantity", _("Enter how many pieces, from 1 to 10000."))
    item = StoreItem.objects.select_for_update().get(pk=item.pk)
    movement = StockMovement.objects.create(
        item=item,
        quantity=quantity,
        donor=donor or item.donor,
        note=clean_text("note", note, most=200) or _("Donated"),
        actor=person(actor),
    )
    StoreItem.objects.filter(pk=item.pk).update(stock=item.stock + quantity)
    return movement


@transaction.atomic
def store_item_withdraw(*, actor: Actor, item: StoreItem) -> StoreItem:
    permissions.require(actor, "store_manage", item.community.path)
    StoreItem.objects.filter(pk=item.pk).update(active=False)
    audit(actor, "volunteers.store_item_withdraw", item)
    item.refresh_from_db()
    return item


@transaction.atomic
def redemption_create(
    *, actor: Actor, volunteer: Volunteer, item: StoreItem, balance: int | None = None
) -> Redemption:
    """The volunteer redeems one piece: refused with its reason, checked under the locks of the item and the
    volunteer (so two redemptions at once cannot both take the last piece or spend the same points).

    `balance` is the points the volunteer confirmed against (the page's question says what is left after it; the
    API takes it in the request). It is compared under the locks with the points now: when they differ the
    redemption is refused (`changed`), so the same confirmation sent twice redeems once. None compares nothing
    (the demo's own redemptions)."""
    if not own_or_managed(actor, volunteer):
        raise PermissionDenied(_("You may redeem only with your own points."))
    item = StoreItem.objects.select_for_update().get(pk=item.pk)
    volunteer = Volunteer.objects.select_for_update().get(pk=volunteer.pk)
    now = points_balance(volunteer)
    # A stale confirmation is said first: after a double tap "not enough points" would read as a fault.
    reason = (
        RedeemRefusal.CHANGED
        if not confirmed_unchanged(balance, now)
        else redeem_refusal(volunteer, item, now)
    )
    if reason is not None:
        raise RedeemRefused(reason)
    entry = PointsEntry.objects.create(
        volunteer=volunteer,
        kind=PointsKind.REDEEMED,
        points=-item.points,
        on=timezone.localdate(),
        note=item.name[:200],
        actor=person(actor),
    )
    StockMovement.objects.create(item=item, quantity=-1, note=volunteer.name, actor=person(actor))
    StoreItem.objects.filter(pk=item.pk).update(stock=item.stock - 1)
    redemption = Redemption.objects.create(item=item, volunteer=volunteer, points=item.points, entry=entry)
    audit(actor, "volunteers.redemption_create", redemption, points=item.points)
    return redemption


@transaction.atomic
def redemption_hand_over(*, actor: Actor, redemption: Redemption) -> Redemption:
    """A worker hands the item over at the store."""
    permissions.require(actor, "store_manage", redemption.item.community.path)
    done = Redemption.objects.filter(pk=redemption.pk, state=RedemptionState.REDEEMED).update(
        state=RedemptionState.HANDED, handed_by=person(actor), handed_at=timezone.now()
    )
    if not done:
        raise InvalidTransition(_("This redemption was already handed over or cancelled."))
    audit(actor, "volunteers.redemption_hand_over", redemption)
    redemption.refresh_from_db()
    return redemption


@transaction.atomic
def redemption_cancel(*, actor: Actor, redemption: Redemption) -> Redemption:
    """Cancel before it is handed over (the volunteer themselves, or a worker): the points come back and the
    piece returns to stock, as two new rows."""
    volunteer = redemption.volunteer
    if not own_or_managed(actor, volunteer):
        permissions.require(actor, "store_manage", redemption.item.community.path)
    done = Redemption.objects.filter(pk=redemption.pk, state=RedemptionState.REDEEMED).update(
        state=RedemptionState.CANCELLED
    )
    if not done:
        raise InvalidTransition(_("Only a redemption not yet handed over can be cancelled."))
    item = StoreItem.objects.select_for_update().get(pk=redemption.item_id)
    PointsEntry.objects.create(
        volunteer=volunteer,
        kind=PointsKind.RETURNED,
        points=redemption.points,
        on=timezone.localdate(),
        note=item.name[:200],
        actor=person(actor),
    )
    StockMovement.objects.create(item=item, quantity=1, note=_("Cancelled"), actor=person(actor))
    StoreItem.objects.filter(pk=item.pk).update(stock=item.stock + 1)
    notify(volunteer, _("Redemption cancelled: %(item)s") % {"item": item.name}, _("The points are back."))
    audit(actor, "volunteers.redemption_cancel", redemption)
    redemption.refresh_from_db()
    return redemption
