"""Every write of mediation (the rest of care is in its sibling rooms). Each service looks up what it names through the actor's scope, checks the
who-may table (permissions.py) and the allowed transitions (workflow.py), changes the row by compare-and-swap or
under a lock, writes an event or audit row, and queues notifications for after the commit."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any, cast

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from linli.accounts.models import User
from linli.core.errors import Conflict, invalid
from linli.core.refusals import Refusals
from linli.core.scoping import Actor, get_or_404
from linli.core.validators import checked_phone, clean_text
from linli.territory.models import Grid
from linli.territory.selectors import grids_visible_to

from .. import appeal_link, permissions, workflow
from ..choices import (
    CaseKind,
    CaseOutcome,
    CaseSource,
    CaseState,
    PartySide,
    Professional,
)
from ..models import (
    Agreement,
    CaseEvent,
    MediationCase,
    OnCallProfessional,
    Party,
    Session,
)
from ..selectors import cases_visible_to, rota_visible_to
from .plans import _notify_later, _path

# ---- mediation ----------------------------------------------------------------------------------------------


def _case_number(now: dt.datetime) -> str:
    day = timezone.localdate(now)
    prefix = f"TJ{day:%Y%m%d}"
    n = MediationCase.objects.filter(number__startswith=prefix).count() + 1
    return f"{prefix}{n:03d}"


def _event(case: MediationCase, actor: Actor, action: str, old: str, new: str, note: str = "") -> None:
    CaseEvent.objects.create(
        case=case,
        actor_id=getattr(actor, "pk", None),
        action=action,
        from_state=old,
        to_state=new,
        note=note[:500],
        at=timezone.now(),
    )


def _locked(actor: Actor, case: MediationCase, action: str) -> MediationCase:
    """The case looked up again in the actor's scope, locked, and the actor checked against the table; the front
    line acts only on the cases it mediates."""
    qs = cases_visible_to(actor) if actor is not None else MediationCase.objects.all()
    row = get_or_404(qs.select_for_update(of=("self",)).select_related("grid__org_node"), pk=case.pk)
    permissions.require(actor, action, _path(row.grid))
    return row


def _party_fields(parties: list[dict[str, str]], refusals: Refusals) -> list[dict[str, str]]:
    """The parties named (a nameless one dropped), each name and phone checked, their refusals kept in
    `refusals` with the others of the form."""
    cleaned = []
    for p in parties:
        name = (p.get("name") or "").strip()
        if not name:
            continue
        side = p.get("side")
        if side not in PartySide.values:
            refusals.add("parties", _("Each party is an applicant or a respondent."))
            continue
        phone = refusals.check(checked_phone, f"{side}_phone", p.get("phone"))
        name = refusals.check(clean_text, side, name, most=50, label=PartySide(side).label)
        cleaned.append({"side": side, "name": name, "phone": phone})
    if {p["side"] for p in cleaned} != {PartySide.APPLICANT, PartySide.RESPONDENT}:
        refusals.add("parties", _("Name at least one applicant and one respondent."))
    return cleaned


@transaction.atomic
def case_open(
    *,
    actor: Actor,
    grid: Grid,
    kind: str,
    source: str,
    summary: str,
    parties: list[dict[str, str]],
    place: str = "",
    appeal_number: str = "",
) -> MediationCase:
    """Open a dispute case in a grid the actor sees; whoever opens it from the front line mediates it first.
    With an appeal's tracking number the case is opened from that appeal (one the actor may work on): it came in
    through the appeal, and its end answers it (appeal_link)."""
    if actor is not None:
        grid = get_or_404(grids_visible_to(actor), pk=grid.pk)
    permissions.require(actor, "case_open", _path(grid))
    # Every refusal of what was typed is said at once, each on its field (the page's form and the API alike).
    refusals = Refusals()
    appeal_number = (appeal_number or "").strip()
    if appeal_number:
        appeal = refusals.check(appeal_link.appeal_for_case, cast(User | None, actor), appeal_number)
        appeal_number = appeal.tracking_number if appeal is not None else appeal_number
        source = CaseSource.APPEAL
    if kind not in CaseKind.values:
        refusals.add("kind", _("Choose the kind of dispute."))
    if source not in CaseSource.values:
        refusals.add("source", _("Say how the case came in."))
    summary = refusals.check(clean_text, "summary", summary, least=6, most=2000)
    place = refusals.check(clean_text, "place", place, most=200, label=_("Place"))
    cleaned = _party_fields(parties, refusals)
    refusals.raise_any()
    now = timezone.now()
    for _attempt in range(3):
        try:
            with transaction.atomic():
                case = MediationCase.objects.create(
                    number=_case_number(now),
                    kind=kind,
                    source=source,
                    grid=grid,
                    place=place,
                    summary=summary,
                    mediator_id=getattr(actor, "pk", None),
                    opened_by_id=getattr(actor, "pk", None),
                    appeal_number=appeal_number,
                )
            break
        except IntegrityError:  # two cases opened at once took the same number: take the next
            continue
    else:
        raise Conflict(_("Could not number the case; please try again."))
    Party.objects.bulk_create([Party(case=case, **p) for p in cleaned])
    _event(case, actor, "open", "", CaseState.OPEN)
    return case


@transaction.atomic
def party_add(*, actor: Actor, case: MediationCase, side: str, name: str, phone: str = "") -> Party:
    case = _locked(actor, case, "case_mediate")
    workflow.check(case.state, "party")
    if side not in PartySide.values:
        raise invalid("side", _("Each party is an applicant or a respondent."))
    name = clean_text("name", name, least=1, most=50)
    party = Party.objects.create(case=case, side=side, name=name, phone=checked_phone("phone", phone))
    _event(case, actor, "party", case.state, case.state, name)
    return party


@transaction.atomic
def session_record(
    *, actor: Actor, case: MediationCase, held_at: dt.datetime, attendees: str, notes: str
) -> Session:
    """A mediation session, with who attended and what was said; the first one starts the mediation."""
    case = _locked(actor, case, "case_mediate")
    new = workflow.check(case.state, "session")
    if held_at > timezone.now() + dt.timedelta(minutes=5):
        raise invalid("held_at", _("A session is recorded once it was held."))
    attendees = clean_text("attendees", attendees, least=2, most=300)
    notes = clean_text("notes", notes, least=4, most=4000)
    session = Session.objects.create(
        case=case,
        held_at=held_at,
        attendees=attendees,
        notes=notes,
        recorded_by_id=getattr(actor, "pk", None),
    )
    if new != case.state:
        _event(case, actor, "session", case.state, new)
        case.state = new
        case.save(update_fields=["state", "updated_at"])
    return session


@transaction.atomic
def case_assign(*, actor: Actor, case: MediationCase, mediator: Any) -> MediationCase:
    """A supervisor hands the case to another worker of its grid."""
    case = _locked(actor, case, "case_supervise")
    workflow.check(case.state, "assign")
    if not grids_visible_to(mediator).filter(pk=case.grid_id).exists():
        raise invalid("mediator", _("The mediator must work where the dispute is."))
    case.mediator = mediator
    case.save(update_fields=["mediator", "updated_at"])
    _event(case, actor, "assign", case.state, case.state, str(mediator))
    _notify_later(
        mediator,
        _("Mediation case %(n)s is yours") % {"n": case.number},
        case.summary[:100],
        reverse("care:case", args=[case.pk]),
    )
    return case


@transaction.atomic
def case_call_professional(
    *,
    actor: Actor,
    case: MediationCase,
    professional_kind: str = "",
    professional_name: str = "",
    on_call: OnCallProfessional | None = None,
    note: str = "",
) -> MediationCase:
    """The front-line team could not settle it: a professional of 三官两师 joins the case, taken from the
    community's rota (`on_call`) or named by hand."""
    case = _locked(actor, case, "case_mediate")
    workflow.check(case.state, "professional")
    if on_call is not None:
        rota = rota_visible_to(actor) if actor is not None else OnCallProfessional.objects.all()
        on_call = get_or_404(rota.filter(active=True), pk=on_call.pk)
        if not _path(case.grid).startswith(on_call.community.path):
            raise invalid("on_call", _("Choose someone on the rota of the case's community."))
        professional_kind, professional_name = on_call.kind, on_call.name
    if professional_kind not in Professional.values:
        raise invalid("professional_kind", _("Choose the professional."))
    professional_name = clean_text("professional_name", professional_name, least=2, most=50)
    note = clean_text("note", note, most=300, label=_("Why"))
    case.professional_kind = professional_kind
    case.professional_name = professional_name
    case.save(update_fields=["professional_kind", "professional_name", "updated_at"])
    _event(case, actor, "professional", case.state, case.state, f"{professional_name} {note}".strip())
    return case


@transaction.atomic
def agreement_sign(
    *,
    actor: Actor,
    case: MediationCase,
    terms: str,
    signed_on: dt.date,
    amount: Decimal = Decimal(0),
    follow_up_on: dt.date | None = None,
) -> Agreement:
    """调解协议书: the parties signed what they agreed; a follow-up visit is set (a fortnight on by default)."""
    case = _locked(actor, case, "case_mediate")
    new = workflow.check(case.state, "sign")
    terms = clean_text("terms", terms, least=10, most=4000)
    today = timezone.localdate()
    if signed_on > today:
        raise invalid("signed_on", _("The agreement cannot be signed in the future."))
    if amount < 0:
        raise invalid("amount", _("The amount cannot be negative."))
    follow_up_on = follow_up_on or signed_on + dt.timedelta(days=14)
    if follow_up_on < signed_on:
        raise invalid("follow_up_on", _("The follow-up comes after the signing."))
    agreement = Agreement.objects.create(
        case=case, terms=terms, signed_on=signed_on, amount=amount, recorded_by_id=getattr(actor, "pk", None)
    )
    old = case.state
    case.state = new
    case.follow_up_on = follow_up_on
    case.save(update_fields=["state", "follow_up_on", "updated_at"])
    _event(case, actor, "sign", old, new)
    return agreement


@transaction.atomic
def case_follow_up(
    *, actor: Actor, case: MediationCase, note: str, holds: bool, amount_recovered: Decimal = Decimal(0)
) -> MediationCase:
    """The follow-up visit checks the agreement holds: if it does, the case closes settled with what was
    recovered; if not, it goes back to mediation."""
    case = _locked(actor, case, "case_mediate")
    note = clean_text("note", note, least=4, most=500)  # the form's and the API's field
    if amount_recovered < 0:
        raise invalid("amount_recovered", _("The amount cannot be negative."))
    old = case.state
    new = workflow.check(old, "follow_up_holds" if holds else "follow_up_broken")
    now = timezone.now()
    case.followed_up_at = now
    case.follow_up_note = note
    case.state = new
    fields = ["followed_up_at", "follow_up_note", "state", "updated_at"]
    if holds:
        case.outcome = CaseOutcome.SETTLED
        case.amount_recovered = amount_recovered
        case.closed_at = now
        fields += ["outcome", "amount_recovered", "closed_at"]
    case.save(update_fields=fields)
    _event(case, actor, "follow_up", old, new, note)
    if holds:
        _answer_appeal(actor, case, note)
    return case


@transaction.atomic
def case_close(*, actor: Actor, case: MediationCase, outcome: str, note: str) -> MediationCase:
    """End a case without settling it here: referred to court, or withdrawn by the applicant."""
    case = _locked(actor, case, "case_supervise")
    if outcome not in (CaseOutcome.REFERRED, CaseOutcome.WITHDRAWN):
        raise invalid(
            "outcome",
            _("A case closes referred to court or withdrawn; a settled one closes at its follow-up."),
        )
    note = clean_text("note", note, least=4, most=500)
    old = case.state
    new = workflow.check(old, "close")
    case.state = new
    case.outcome = outcome
    case.closed_at = timezone.now()
    case.save(update_fields=["state", "outcome", "closed_at", "updated_at"])
    _event(case, actor, "close", old, new, note)
    _answer_appeal(actor, case, note)
    return case


def _answer_appeal(actor: Actor, case: MediationCase, note: str) -> None:
    if case.appeal_number:
        said = appeal_link.answer(cast(User | None, actor), case, note)
        if said:
            _event(case, actor, "appeal", case.state, case.state, said)
