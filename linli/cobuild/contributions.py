"""What co-building adds to the lower apps through the registries they own: the wishes adopted and fulfilled,
for the credits of those who adopted them (`party.wishes`; volunteering credits the bonus and member points)."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from linli.party import wishes

from .choices import WishState
from .models import Wish


def fulfilled_wishes(since: dt.datetime) -> list[wishes.FulfilledWish]:
    """Wishes fulfilled since `since` by the person who adopted them (a problem reported by the wisher: none)."""
    rows = (
        Wish.objects.filter(
            state__in=(WishState.FULFILLED, WishState.THANKED),
            adopter__isnull=False,
            fulfilled_at__gte=since,
        )
        .select_related("community")
        .order_by("fulfilled_at", "id")
    )
    return [
        wishes.FulfilledWish(
            source=f"cobuild.wish:{w.pk}",
            title=w.title,
            community_path=w.community.path,
            adopter_id=w.adopter_id,  # type: ignore[arg-type]
            fulfilled_on=timezone.localdate(w.fulfilled_at),
        )
        for w in rows
    ]


def register() -> None:
    wishes.register("cobuild", fulfilled_wishes)
