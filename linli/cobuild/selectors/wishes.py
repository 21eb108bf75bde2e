"""Small wishes (微心愿): who sees them and which are open to adopt."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from linli.core.errors import NotFound
from linli.core.scoping import Viewer, get_or_404, is_signed_in

from ..choices import WishState
from ..models import (
    Wish,
)
from .where import _area, _pk, home_community


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
