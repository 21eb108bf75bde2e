"""An appeal of the dispute kind becomes a mediation case in one step, and the case's end answers it.

Appeals sit below care, so care reads an appeal through appeals' own scoping (`appeal_get_for(..., write=True)`:
only someone who may work on it) and answers it through appeals' own service (`appeal_resolve`). When the person
closing the case may not resolve the appeal (it sits with another unit, or is not yet in a state that resolves),
the case says so in its history and the appeal stays with its handler."""

from __future__ import annotations

from django.utils.translation import gettext as _

from linli.appeals.choices import Outcome
from linli.appeals.models import Appeal
from linli.appeals.permissions import Actor, may_handle
from linli.appeals.selectors import appeal_get_for, appeals_visible_to
from linli.appeals.services import appeal_resolve
from linli.appeals.workflow import allowed_actions
from linli.core.errors import NotFound, PermissionDenied, invalid

from .choices import CaseKind, CaseOutcome
from .models import MediationCase

# The appeal categories that are disputes (the shipped catalogue's codes) and the kind of case each becomes.
DISPUTE_CATEGORIES: dict[str, str] = {
    "public_safety.neighbour_disputes": CaseKind.NEIGHBOURS,
    "public_safety.family_disputes": CaseKind.FAMILY,
    "property_management.property_fees": CaseKind.PROPERTY,
    "property_management.shared_areas": CaseKind.PROPERTY,
    "labour_social.wage_arrears": CaseKind.LABOUR,
    "labour_social.labour_contract": CaseKind.LABOUR,
}


def is_dispute(appeal: Appeal) -> bool:
    return appeal.category is not None and appeal.category.code in DISPUTE_CATEGORIES


def appeal_for_case(actor: Actor, tracking_number: str) -> Appeal:
    """The appeal a case is opened from, by its tracking number, among those the actor may work on."""
    row = appeals_visible_to(actor).filter(tracking_number=tracking_number.strip()).first()
    if row is None:
        raise invalid("appeal_number", _("No appeal with this tracking number that you may work on."))
    try:
        appeal = appeal_get_for(actor, row.pk, write=True)
    except NotFound:
        raise invalid(
            "appeal_number", _("No appeal with this tracking number that you may work on.")
        ) from None
    except (
        PermissionDenied
    ):  # seen, but with another unit: said on the field, the form kept (it was a 403 page)
        raise invalid(
            "appeal_number",
            _(
                "Appeal %(n)s is with another unit, so you may not open a case from it. Ask its handler to, or "
                "open the case without the appeal number."
            )
            % {"n": row.tracking_number},
        ) from None
    if not is_dispute(appeal):
        category = appeal.category.name if appeal.category is not None else _("no category")
        raise invalid(
            "appeal_number",
            _(
                "Appeal %(n)s is filed under %(category)s, not a dispute: only neighbour, family, property or labour "
                "disputes become mediation cases. Change its category first if it is one."
            )
            % {"n": appeal.tracking_number, "category": category},
        )
    return appeal


def appeal_page_id(viewer: Actor, case: MediationCase) -> int | None:
    """The id of the appeal a case came from, for a link to the appeal's page, if the reader may see it."""
    if not case.appeal_number:
        return None
    return (
        appeals_visible_to(viewer)
        .filter(tracking_number=case.appeal_number)
        .values_list("pk", flat=True)
        .first()
    )


def answer(actor: Actor, case: MediationCase, note: str) -> str:
    """Resolve the case's appeal with its outcome; returns what happened, for the case's history."""
    appeal = Appeal.objects.filter(tracking_number=case.appeal_number).first()
    if appeal is None:
        return ""
    if "resolve" not in allowed_actions(appeal.state) or not may_handle(actor, appeal):
        return _("Appeal %(n)s waits for its handler to answer it.") % {"n": appeal.tracking_number}
    outcome = Outcome.FIXED if case.outcome == CaseOutcome.SETTLED else Outcome.NO_FURTHER_ACTION
    text = _("Mediation case %(n)s: %(outcome)s. %(note)s") % {
        "n": case.number,
        "outcome": CaseOutcome(case.outcome).label,
        "note": note,
    }
    appeal_resolve(actor=actor, appeal=appeal, note=text, outcome=outcome)
    return _("Appeal %(n)s answered.") % {"n": appeal.tracking_number}
