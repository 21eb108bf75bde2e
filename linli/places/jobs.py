"""Background work: recompute the walking circles of places whose roads changed since they were drawn."""

from __future__ import annotations

from django.db import transaction

from .models import Place
from .network import roads_fingerprint
from .services import digests_send, place_circles_compute

BATCH = 50


def recompute_stale_circles() -> int:
    """Claim up to BATCH places drawn on other roads (SKIP LOCKED: several workers share the work) and redraw."""
    key = roads_fingerprint()
    done = 0
    with transaction.atomic():
        stale = (
            Place.objects.filter(active=True)
            .exclude(circles_roads=key)
            .select_for_update(skip_locked=True)
            .order_by("id")[:BATCH]
        )
        for place in stale:
            place_circles_compute(place=place)
            done += 1
    return done


def send_digests() -> int:
    return digests_send()


JOBS = {"places.circles": recompute_stale_circles, "places.digest": send_digests}
