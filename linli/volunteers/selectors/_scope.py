"""Whose rows a reader sees: the one scope the reads of volunteering share (the package's rooms import it)."""

from __future__ import annotations

from django.db.models import Model, Q, QuerySet

from linli.core.orgpath import path_ids
from linli.core.scoping import is_signed_in, is_staff_member, scope_by_org
from linli.territory.selectors import Viewer, own_grids_only

from ..models import Volunteer


def own_volunteer(user: Viewer) -> Volunteer | None:
    """The signed-in person's volunteer record, if they have one."""
    if not is_signed_in(user):
        return None
    return Volunteer.objects.select_related("community").filter(account_id=getattr(user, "pk", None)).first()


def records_awaiting(user: Viewer) -> QuerySet[Volunteer]:
    """The volunteer records a community enrolled without an account (on paper, at a desk) that are the signed-in
    resident's by facts the system trusts, never by a name typed: the record's resident is a person of the household
    the account is verified in, bearing the account's name (the name the community checked against the household
    when it verified the claim); or the record's number is the account's (which signing in by a code proves). A
    staff account has none: its number is written by an administrator, not proven."""
    if not is_signed_in(user) or is_staff_member(user):
        return Volunteer.objects.none()
    phone = getattr(user, "phone", "")
    match = Q(phone=phone) if phone else Q(pk__in=[])
    name = getattr(user, "display_name", "")
    household_id = getattr(user, "household_id", None)
    if household_id and name and getattr(user, "household_verified_at", None) is not None:
        match |= Q(resident__household_id=household_id, resident__name=name)
    return (
        Volunteer.objects.filter(match, account__isnull=True)
        .select_related("community")
        .order_by("community__path", "id")
    )


def _in_community[M: Model](qs: QuerySet[M], user: Viewer, path_field: str) -> QuerySet[M]:
    """`qs` in the reader's subtree; for a grid worker (leader, captain), whose account sits in a compound or
    grid below the community that registers the volunteers, the community above them: the volunteers, teams and
    activities they work with and assign care visits to. Seeing is not keeping: the actions stay the
    community's (`permissions.may` checks the reader's own subtree)."""
    if not own_grids_only(user):
        return scope_by_org(qs, user, path_field)
    ids = path_ids(getattr(user, "org_path", None))
    ancestors = ["/" + "/".join(str(i) for i in ids[: n + 1]) + "/" for n in range(len(ids))]
    return qs.filter(**{f"{path_field}__in": ancestors})


def _area_or_own[M: Model](qs: QuerySet[M], user: Viewer, path: str) -> QuerySet[M]:
    """Staff: the rows of their area (the community's org path at `path`); a volunteer: their own rows."""
    if is_staff_member(user):
        return scope_by_org(qs, user, path)
    volunteer = own_volunteer(user)
    return qs.filter(volunteer=volunteer) if volunteer is not None else qs.none()
