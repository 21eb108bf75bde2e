"""Partner units (共建单位) paired with communities (结对共建 / 党建联盟): the list, pair, edit, end."""

from __future__ import annotations

from functools import partial

from django.forms.models import model_to_dict
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from linli.core.masking import mask_phone
from linli.core.pages import form_submit, redirect_on_error, staff_page
from linli.core.roles import UNIT_ROLES

from .. import permissions, selectors, services
from ..forms import PairingForm
from ..models import PartnerPairing
from .common import int_or_none, page


def _to_list(_pairing: PartnerPairing) -> HttpResponse:
    return redirect("party:partners")


@staff_page
@require_GET
def partner_list(request: HttpRequest) -> HttpResponse:
    pairings = selectors.partner_pairings_visible_to(request.user)
    community_id = int_or_none(request.GET.get("community"))
    if community_id:
        pairings = pairings.filter(community_id=community_id)
    rows = list(pairings.order_by("ended_on", "community__path", "partner__name"))
    for p in rows:
        p.phone_masked = mask_phone(p.contact_phone)  # type: ignore[attr-defined]
    # A unit paired with several communities is one unit, its members counted once (its largest figure).
    members: dict[int, int] = {}
    for p in rows:
        if p.ended_on is None:
            members[p.partner_id] = max(members.get(p.partner_id, 0), p.member_count)
    context = {
        "rows": rows,
        "communities": selectors.communities_visible_to(request.user),
        "community_id": community_id,
        "own_unit": getattr(request.user, "role", None) in UNIT_ROLES,
        "n_active": len(members),
        "n_communities": len({p.community_id for p in rows if p.ended_on is None}),
        "n_members": sum(members.values()),
    }
    return page(request, "party/partners.html", "partners", context)


@staff_page
@require_http_methods(["GET", "POST"])
def partner_create(request: HttpRequest) -> HttpResponse:
    form = PairingForm(request.POST or None, user=request.user)
    done = form_submit(request, form, partial(services.partner_pairing_create, actor=request.user), _to_list)
    return done or page(request, "party/partner_form.html", "partners", {"form": form, "pairing": None})


@staff_page
@require_http_methods(["GET", "POST"])
def partner_edit(request: HttpRequest, pk: int) -> HttpResponse:
    pairing = selectors.partner_pairing_get_for(request.user, pk)
    permissions.require(request.user, "partner_manage", pairing.community.path)  # the unit itself reads only
    initial = model_to_dict(pairing, fields=["kind", "member_count", "contact_name", "contact_phone", "note"])
    form = PairingForm(request.POST or None, user=request.user, editing=True, initial=initial)
    write = partial(services.partner_pairing_update, actor=request.user, pairing=pairing)
    return form_submit(request, form, write, _to_list) or page(
        request, "party/partner_form.html", "partners", {"form": form, "pairing": pairing}
    )


@staff_page
@require_POST
@redirect_on_error("party:partners")
def partner_end(request: HttpRequest, pk: int) -> HttpResponse:
    pairing = selectors.partner_pairing_get_for(request.user, pk)
    services.partner_pairing_end(actor=request.user, pairing=pairing, reason=request.POST.get("reason", ""))
    return redirect("party:partners")
