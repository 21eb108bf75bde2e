"""What co-building adds to the lower apps through the registries they own: a need taken from a visit of
territory's grid log and from a suggestion on the appeal's page; the wishes adopted and fulfilled, for the credits
of those who adopted them (`party.wishes`; volunteering credits the bonus and member points)."""

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
    from linli.appeals import appeal_actions
    from linli.territory import visit_actions

    from .views.sources import appeal_action, visit_action

    visit_actions.register(visit_action())
    appeal_actions.register(appeal_action())
    wishes.register("cobuild", fulfilled_wishes)
