"""Partner units (共建单位) paired with a community (结对共建) or joined in its party-building alliance (党建联盟):
a unit outside the tree (a school, a hospital, a company) with its party members and a contact."""

from __future__ import annotations

import datetime as dt

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from linli.core.errors import invalid
from linli.core.validators import checked, clean_text, validate_phone
from linli.territory import services as territory
from linli.territory.choices import NodeKind, OrganisationKind
from linli.territory.models import Organisation, OrgNode

from .. import permissions, selectors
from ..choices import PairingKind
from ..models import PartnerPairing
from ._common import Actor, audit, seen, text


def _details(
    kind: str, member_count: int, contact_name: str, contact_phone: str, note: str
) -> dict[str, object]:
    if kind not in PairingKind.values:
        raise invalid("kind", _("Choose the kind of pairing from the list."))
    if not 0 <= member_count <= 100_000:
        raise invalid("member_count", _("Give the unit's number of party members (0 to 100000)."))
    return {
        "kind": kind,
        "member_count": member_count,
        "contact_name": text(
            "contact_name",
            contact_name,
            limit=50,
            required=True,
            message=_("Name the unit's contact person."),
        ),
        "contact_phone": checked("contact_phone", validate_phone, (contact_phone or "").strip()),
        "note": text("note", note, limit=300),
    }


def _new_partner(actor: Actor, name: str, community: OrgNode) -> Organisation:
    """A partner unit not known yet: kept by territory, under the community it pairs with."""
    name = text("partner_name", name, limit=120, required=True, message=_("Name the partner unit."))
    existing = selectors.partner_units_for(actor).filter(name=name).first()
    if existing is not None:
        return existing
    n = Organisation.objects.filter(kind=OrganisationKind.PARTNER_UNIT).count() + 1
    while Organisation.objects.filter(code=f"PU{n:03d}").exists():
        n += 1
    return territory.organisation_create(
        actor=actor, kind=OrganisationKind.PARTNER_UNIT, name=name, code=f"PU{n:03d}", org_node=community
    )


@transaction.atomic
def partner_pairing_create(
    *,
    actor: Actor,
    community: OrgNode,
    partner: Organisation | None = None,
    partner_name: str = "",
    kind: str = PairingKind.PAIRED,
    member_count: int = 0,
    contact_name: str,
    contact_phone: str,
    since: dt.date | None = None,
    note: str = "",
) -> PartnerPairing:
    """Pair a partner unit (one known, or a new one by name) with a community."""
    community = seen(actor, selectors.communities_visible_to(actor), community, "community")
    if community.kind != NodeKind.COMMUNITY:
        raise invalid("community", _("A partner unit pairs with a community."))
    permissions.require(actor, "partner_manage", community.path)
    values = _details(kind, member_count, contact_name, contact_phone, note)
    if partner is None:
        partner = _new_partner(actor, partner_name, community)
    else:
        partner = seen(actor, selectors.partner_units_for(actor), partner, "partner")
    since = since or timezone.localdate()
    if since > timezone.localdate():
        raise invalid("since", _("The date cannot be in the future."))
    try:
        with transaction.atomic():
            pairing = PartnerPairing.objects.create(
                partner=partner, community=community, since=since, **values
            )
    except IntegrityError:
        raise invalid(
            "partner",
            _("%(partner)s is already paired with %(community)s.")
            % {"partner": partner.name, "community": community.name},
        ) from None
    audit(actor, "partner_pairing_create", pairing, partner=partner.pk, community=community.pk, kind=kind)
    return pairing


@transaction.atomic
def partner_pairing_update(
    *,
    actor: Actor,
    pairing: PartnerPairing,
    kind: str,
    member_count: int,
    contact_name: str,
    contact_phone: str,
    note: str = "",
) -> PartnerPairing:
    pairing = seen(actor, selectors.partner_pairings_visible_to(actor), pairing, "pairing")
    permissions.require(actor, "partner_manage", pairing.community.path)
    values = _details(kind, member_count, contact_name, contact_phone, note)
    changed = {k: [getattr(pairing, k), v] for k, v in values.items() if getattr(pairing, k) != v}
    for key, value in values.items():
        setattr(pairing, key, value)
    pairing.save(update_fields=[*values, "updated_at"])
    audit(actor, "partner_pairing_update", pairing, changes=changed)
    return pairing


@transaction.atomic
def partner_pairing_end(*, actor: Actor, pairing: PartnerPairing, reason: str = "") -> PartnerPairing:
    pairing = seen(actor, selectors.partner_pairings_visible_to(actor), pairing, "pairing")
    permissions.require(actor, "partner_manage", pairing.community.path)
    reason = clean_text("reason", reason, most=200)
    if pairing.ended_on is not None:
        raise invalid("pairing", _("This pairing has already ended."))
    pairing.ended_on = timezone.localdate()
    pairing.save(update_fields=["ended_on", "updated_at"])
    audit(actor, "partner_pairing_end", pairing, reason=reason)
    return pairing
