"""An appeal of the dispute kind becomes a mediation case in one step, and the case's end answers it.

Appeals sit below care, so care reads an appeal through appeals' own scoping (`appeal_get_for(..., write=True)`:
only someone who may work on it) and answers it through appeals' own service (`appeal_resolve`). When the person
closing the case may not resolve the appeal (it sits with another unit, or is not yet in a state that resolves),
the case says so in its history and the appeal stays with its handler.

The appeal's staff page offers the step (转人民调解, `contributions.py`) exactly when `may_open_case` holds, and opens
the new-case form filled from the appeal (`case_initial`)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from linli.appeals.choices import OPEN_STATES, AppealKind, Outcome
from linli.appeals.models import Appeal
from linli.appeals.permissions import Actor, gave_contact, may_handle, may_see_contact
from linli.appeals.selectors import appeal_get_for, appeals_visible_to
from linli.appeals.services import appeal_resolve
from linli.appeals.workflow import allowed_actions
from linli.core.audit import audit_record
from linli.core.errors import NotFound, PermissionDenied, invalid

from . import permissions
from .choices import CaseKind, CaseOutcome, CaseSource
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


# Property categories hold repairs and questions as well as disputes with the property company: an appeal there is a
# dispute only when it is a complaint (楼道灯不亮, 地下车库积水 are requests for help, not a case to mediate).
DISPUTES_ONLY_AS_COMPLAINTS = {"property_management.property_fees", "property_management.shared_areas"}


def is_dispute(appeal: Appeal) -> bool:
    code = appeal.category.code if appeal.category is not None else ""
    if code not in DISPUTE_CATEGORIES:
        return False
    return code not in DISPUTES_ONLY_AS_COMPLAINTS or appeal.kind == AppealKind.COMPLAINT


def _refusal(actor: Actor, appeal: Appeal) -> str | None:
    """Why `actor` may not open a mediation case from `appeal` (one they see), or None when they may: they must
    work on it (its unit, the tier above, a summoned unit), it must be an open dispute, with no case from it yet."""
    try:
        appeal_get_for(actor, appeal.pk, write=True)
    except NotFound:
        return _("No appeal with this tracking number that you may work on.")
    except (
        PermissionDenied
    ):  # seen, but with another unit: said on the field, the form kept (it was a 403 page)
        return _(
            "Appeal %(n)s is with another unit, so you may not open a case from it. Ask its handler to, or "
            "open the case without the appeal number."
        ) % {"n": appeal.tracking_number}
    if not is_dispute(appeal) and appeal.category is not None and appeal.category.code in DISPUTE_CATEGORIES:
        return _(
            "Appeal %(n)s is a %(kind)s about %(category)s: only a complaint there is a dispute to mediate. Record it "
            "as a complaint first if it is one."
        ) % {"n": appeal.tracking_number, "kind": appeal.get_kind_display(), "category": appeal.category.name}
    if not is_dispute(appeal):
        category = appeal.category.name if appeal.category is not None else _("no category")
        return _(
            "Appeal %(n)s is filed under %(category)s, not a dispute: only neighbour, family, property or labour "
            "disputes become mediation cases. Change its category first if it is one."
        ) % {"n": appeal.tracking_number, "category": category}
    if appeal.state not in OPEN_STATES:
        return _(
            "Appeal %(n)s is answered already, so a case cannot answer it: open the case without the appeal number."
        ) % {"n": appeal.tracking_number}
    if MediationCase.objects.filter(appeal_number=appeal.tracking_number).exists():
        return _("A mediation case was opened from this appeal already.")
    return None


def appeal_for_case(actor: Actor, tracking_number: str) -> Appeal:
    """The appeal a case is opened from, by its tracking number, among those the actor may work on; refused on the
    `appeal_number` field with the reason (`_refusal`)."""
    appeal = appeals_visible_to(actor).filter(tracking_number=tracking_number.strip()).first()
    if appeal is None:
        raise invalid("appeal_number", _("No appeal with this tracking number that you may work on."))
    refusal = _refusal(actor, appeal)
    if refusal is not None:
        raise invalid("appeal_number", refusal)
    return appeal


def may_open_case(actor: Actor, appeal: Appeal) -> bool:
    """Whether `actor` may open a mediation case from `appeal` (the appeal's page offers it exactly then): an open
    dispute they work on, with no case from it yet, and care's own rule (`case_open`) in the appeal's grid."""
    if not is_dispute(appeal) or appeal.state not in OPEN_STATES:  # no query for most appeals
        return False
    where = appeal.grid.org_node.path if appeal.grid is not None else appeal.org_path
    return permissions.may(actor, "case_open", where) and _refusal(actor, appeal) is None


def case_initial(actor: Actor, appeal: Appeal, *, ip: str | None = None) -> dict[str, object]:
    """The new-case form filled from `appeal`: its grid, the kind of dispute, where and what, and who raised it as
    the applicant. The applicant's name and number are the resident's contact in full: only for those who may see
    it (the appeal's handler and the tier above), and the read is audited as the appeal page's reveal is."""
    initial: dict[str, object] = {
        "appeal_number": appeal.tracking_number,
        "grid": appeal.grid_id,
        "kind": DISPUTE_CATEGORIES.get(appeal.category.code if appeal.category else "", ""),
        "source": CaseSource.APPEAL,
        "place": appeal.address,
        "summary": appeal.description,
    }
    if (appeal.contact_name or appeal.contact_phone) and may_see_contact(actor, appeal):
        initial |= {"applicant": appeal.contact_name, "applicant_phone": appeal.contact_phone}
        if not gave_contact(actor, appeal):
            audit_record(
                actor=actor, action="appeal.contact_reveal", obj=appeal, ip=ip, detail={"for": "care.case"}
            )
    return initial


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


def appeal_page_ids(viewer: Actor, numbers: list[str]) -> dict[str, int]:
    """The ids of the appeals the reader may see among tracking numbers (one-tap alerts' work orders), in one
    query, for links to their pages."""
    wanted = [n for n in numbers if n]
    if not wanted:
        return {}
    found = appeals_visible_to(viewer).filter(tracking_number__in=wanted).values_list("tracking_number", "pk")
    return dict(found)


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
