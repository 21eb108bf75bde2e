"""情: the visit log (民情日志). A grid worker (or grid leader, part-time grid worker, building captain, community
worker) logs a visit to a household or venue of a grid they see, from the phone: when, what was found, what
needs following up, with photos if they took any. The follow-up is marked done later; an appeal raised from the
visit (by the appeals app, which stands above territory) is linked by its tracking number."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from linli.core.audit import audit
from linli.core.errors import Conflict
from linli.core.photos import photo_to_store
from linli.core.scoping import person

from ..models import Grid, Household, Venue, Visit, VisitPhoto
from ..selectors import grids_visible_to, households_visible_to, venues_visible_to, visits_visible_to
from .common import Actor, in_scope, invalid, require_visitor

FOUND_MAX = 2000
FOLLOW_UP_MAX = 200
MAX_PHOTOS = 6
# How far back a visit may be logged (a worker catching up on paper notes), and how far ahead (clock skew).
BACKDATE_DAYS = 31


def _when(visited_at: dt.datetime | None) -> dt.datetime:
    now = timezone.now()
    when = visited_at or now
    if when > now + dt.timedelta(minutes=10):
        raise invalid("visited_at", _("The visit lies in the future."))
    if when < now - dt.timedelta(days=BACKDATE_DAYS):
        raise invalid("visited_at", _("A visit is logged within %(n)d days.") % {"n": BACKDATE_DAYS})
    return when


@transaction.atomic
def visit_log(
    *,
    actor: Actor,
    found: str,
    grid: Grid | None = None,
    household: Household | None = None,
    venue: Venue | None = None,
    visited_at: dt.datetime | None = None,
    follow_up: str = "",
    photos: Sequence[UploadedFile] = (),
) -> Visit:
    """Log a visit to a household or a venue (or a walk through the grid), in a grid the actor sees."""
    require_visitor(actor)
    if household is not None and venue is not None:
        raise invalid("venue", _("A visit is to a household or to a venue, not both."))
    if household is not None:
        household = in_scope(actor, households_visible_to, household)
        grid = Grid.objects.get(buildings__households=household)
    elif venue is not None:
        venue = in_scope(actor, venues_visible_to, venue)
        grid = venue.grid
    elif grid is None:
        raise invalid("household", _("Choose the household or venue you visited."))
    grid = in_scope(actor, grids_visible_to, grid)
    found = (found or "").strip()
    if len(found) < 4:
        raise invalid("found", _("Say what you found (at least 4 characters)."))
    if len(found) > FOUND_MAX:
        raise invalid("found", _("At most %(n)d characters.") % {"n": FOUND_MAX})
    follow_up = (follow_up or "").strip()
    if len(follow_up) > FOLLOW_UP_MAX:
        raise invalid("follow_up", _("At most %(n)d characters.") % {"n": FOLLOW_UP_MAX})
    if len(photos) > MAX_PHOTOS:
        raise invalid("photos", _("At most %(n)s photos per visit.") % {"n": MAX_PHOTOS})
    stored = [
        photo_to_store(p, field="photos") for p in photos
    ]  # upright, without the phone's position and make
    visit = Visit.objects.create(
        grid=grid,
        household=household,
        venue=venue,
        visitor=person(actor),
        visited_at=_when(visited_at),
        found=found,
        follow_up=follow_up,
    )
    for content in stored:
        photo = VisitPhoto(visit=visit)
        photo.image.save(content.name or "", content, save=False)
        photo.save()
    audit(actor, "visit_log", visit, grid=grid.pk, photos=len(photos))
    return visit


@transaction.atomic
def visit_follow_up_done(*, actor: Actor, visit: Visit) -> Visit:
    """The follow-up of a visit is done (once)."""
    require_visitor(actor)
    in_scope(actor, visits_visible_to, visit)
    if not visit.follow_up:
        raise invalid("follow_up", _("This visit needs no follow-up."))
    now = timezone.now()
    if not Visit.objects.filter(pk=visit.pk, follow_up_done_at__isnull=True).update(follow_up_done_at=now):
        raise Conflict(_("The follow-up is marked done already."))
    audit(actor, "visit_follow_up_done", visit)
    return Visit.objects.get(pk=visit.pk)


@transaction.atomic
def visit_link_appeal(*, actor: Actor, visit: Visit, appeal_number: str) -> Visit:
    """Note the appeal raised from a visit (one per visit). Called by the appeals app inside its transaction."""
    require_visitor(actor)
    in_scope(actor, visits_visible_to, visit)
    if not Visit.objects.filter(pk=visit.pk, appeal_number="").update(appeal_number=appeal_number[:24]):
        raise Conflict(_("An appeal was raised from this visit already."))
    audit(actor, "visit_link_appeal", visit, appeal=appeal_number)
    return Visit.objects.get(pk=visit.pk)
