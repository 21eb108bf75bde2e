"""法律援助 and the rota of 三官两师: the professionals on call to a community (mediation calls one in, legal aid
assigns a lawyer); legal-aid applications from the eligibility check to a lawyer and an outcome with the amount
recovered; talks and lectures on the law, counted."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from linli.core.audit import audit_record
from linli.core.errors import Conflict, InvalidTransition, invalid
from linli.core.scoping import Actor, get_or_404
from linli.core.validators import checked_phone, clean_text
from linli.territory.models import Grid, OrgNode
from linli.territory.selectors import grids_visible_to

from .. import permissions, rules
from ..choices import WEEKDAYS, LegalAidOutcome, LegalAidState, LegalMatter, Professional
from ..models import LegalAidApplication, LegalTalk, OnCallProfessional
from ..selectors import legal_aid_visible_to, rota_visible_to
from .plans import _path, community_require

DAYS = {d for d, _label in WEEKDAYS}


@transaction.atomic
def rota_add(
    *,
    actor: Actor,
    community: OrgNode,
    kind: str,
    name: str,
    weekdays: str,
    organisation: str = "",
    phone: str = "",
) -> OnCallProfessional:
    """Put a professional on the community's rota for some days of the week."""
    community = community_require(actor, community, "rota_manage")
    if kind not in Professional.values:
        raise invalid("kind", _("Choose the professional."))
    days = "".join(sorted(set(weekdays or "")))
    if not days or not set(days) <= DAYS:
        raise invalid("weekdays", _("Tick the days they are on duty."))
    row = OnCallProfessional.objects.create(
        community=community,
        kind=kind,
        name=clean_text("name", name, least=2, most=50),
        weekdays=days,
        organisation=clean_text("organisation", organisation, most=100, label=_("Works at")),
        phone=checked_phone("phone", phone),
    )
    audit_record(actor=actor, action="rota_add", obj=row)
    return row


@transaction.atomic
def rota_remove(*, actor: Actor, professional: OnCallProfessional) -> OnCallProfessional:
    row = get_or_404(rota_visible_to(actor).select_for_update(of=("self",)), pk=professional.pk)
    permissions.require(actor, "rota_manage", permissions.community_path(actor, row.community.path))
    row.active = False
    row.save(update_fields=["active", "updated_at"])
    audit_record(actor=actor, action="rota_remove", obj=row)
    return row


def _number(prefix: str, now: dt.datetime) -> str:
    day = timezone.localdate(now)
    stem = f"{prefix}{day:%Y%m%d}"
    n = LegalAidApplication.objects.filter(number__startswith=stem).count() + 1
    return f"{stem}{n:03d}"


@transaction.atomic
def legal_aid_apply(
    *,
    actor: Actor,
    grid: Grid,
    applicant_name: str,
    matter: str,
    summary: str,
    low_income: bool,
    applicant_phone: str = "",
) -> LegalAidApplication:
    """Take a legal-aid application in a grid; the eligibility check (rules.legal_aid_eligibility) is shown to
    whoever decides."""
    if actor is not None:
        grid = get_or_404(grids_visible_to(actor), pk=grid.pk)
    permissions.require(actor, "legal_aid_apply", _path(grid))
    if matter not in LegalMatter.values:
        raise invalid("matter", _("Choose what the matter is."))
    summary = clean_text("summary", summary, least=6, most=2000)
    applicant_name = clean_text("applicant_name", applicant_name, least=2, most=50)
    check = rules.legal_aid_eligibility(matter, low_income=low_income)
    now = timezone.now()
    for _attempt in range(3):
        try:
            with transaction.atomic():
                row = LegalAidApplication.objects.create(
                    number=_number("FY", now),
                    grid=grid,
                    applicant_name=applicant_name,
                    applicant_phone=checked_phone("applicant_phone", applicant_phone),
                    matter=matter,
                    summary=summary,
                    low_income=low_income,
                    eligibility_note=check.reason,
                    opened_by_id=getattr(actor, "pk", None),
                )
            break
        except IntegrityError:
            continue
    else:
        raise Conflict(_("Could not number the application; please try again."))
    audit_record(actor=actor, action="legal_aid_apply", obj=row)
    return row


def _locked(actor: Actor, application: LegalAidApplication, expected: str) -> LegalAidApplication:
    qs = legal_aid_visible_to(actor) if actor is not None else LegalAidApplication.objects.all()
    row = get_or_404(qs.select_for_update(of=("self",)).select_related("grid__org_node"), pk=application.pk)
    permissions.require(actor, "legal_aid_decide", _path(row.grid))
    if row.state != expected:
        raise InvalidTransition(
            _("This cannot be done to an application that is %(state)s.")
            % {"state": LegalAidState(row.state).label}
        )
    return row


@transaction.atomic
def legal_aid_assign(
    *, actor: Actor, application: LegalAidApplication, lawyer: OnCallProfessional
) -> LegalAidApplication:
    """The application is eligible: a lawyer on the community's rota takes it."""
    row = _locked(actor, application, LegalAidState.APPLIED)
    check = rules.legal_aid_eligibility(row.matter, low_income=row.low_income)
    if not check.eligible:
        raise invalid("lawyer", _("Not eligible: %(why)s") % {"why": check.reason})
    lawyers = rota_visible_to(actor) if actor is not None else OnCallProfessional.objects.all()
    lawyer = get_or_404(lawyers.filter(kind=Professional.LAWYER, active=True), pk=lawyer.pk)
    if not _path(row.grid).startswith(lawyer.community.path):
        raise invalid("lawyer", _("Choose a lawyer on the rota of the applicant's community."))
    row.lawyer = lawyer
    row.state = LegalAidState.ASSIGNED
    row.save(update_fields=["lawyer", "state", "updated_at"])
    audit_record(actor=actor, action="legal_aid_assign", obj=row, detail={"lawyer": lawyer.name})
    return row


@transaction.atomic
def legal_aid_refuse(*, actor: Actor, application: LegalAidApplication, reason: str) -> LegalAidApplication:
    row = _locked(actor, application, LegalAidState.APPLIED)
    row.eligibility_note = clean_text("reason", reason, least=4, most=300)
    row.state = LegalAidState.REFUSED
    row.closed_at = timezone.now()
    row.save(update_fields=["eligibility_note", "state", "closed_at", "updated_at"])
    audit_record(actor=actor, action="legal_aid_refuse", obj=row)
    return row


@transaction.atomic
def legal_aid_conclude(
    *,
    actor: Actor,
    application: LegalAidApplication,
    outcome: str,
    note: str,
    amount_recovered: Decimal = Decimal(0),
) -> LegalAidApplication:
    row = _locked(actor, application, LegalAidState.ASSIGNED)
    if outcome not in LegalAidOutcome.values:
        raise invalid("outcome", _("Choose how it ended."))
    if amount_recovered < 0:
        raise invalid("amount_recovered", _("The amount cannot be negative."))
    row.outcome = outcome
    row.outcome_note = clean_text("note", note, least=4, most=500)
    row.amount_recovered = amount_recovered
    row.state = LegalAidState.CLOSED
    row.closed_at = timezone.now()
    row.save(
        update_fields=["outcome", "outcome_note", "amount_recovered", "state", "closed_at", "updated_at"]
    )
    audit_record(actor=actor, action="legal_aid_conclude", obj=row, detail={"outcome": outcome})
    return row


@transaction.atomic
def legal_talk_record(
    *, actor: Actor, community: OrgNode, held_on: dt.date, topic: str, speaker: str, audience: int
) -> LegalTalk:
    """普法讲座: a talk on the law that was held, with how many came."""
    community = community_require(actor, community, "legal_aid_decide")
    if held_on > timezone.localdate():
        raise invalid("held_on", _("A talk is recorded once it was held."))
    if not 1 <= int(audience) <= 5000:
        raise invalid("audience", _("Between 1 and 5000 people."))
    talk = LegalTalk.objects.create(
        community=community,
        held_on=held_on,
        topic=clean_text("topic", topic, least=2, most=100),
        speaker=clean_text("speaker", speaker, least=2, most=50),
        audience=int(audience),
        recorded_by_id=getattr(actor, "pk", None),
    )
    audit_record(actor=actor, action="legal_talk_record", obj=talk)
    return talk
