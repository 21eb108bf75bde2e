"""Party organisations over the tree: the list (as a hierarchy), one organisation's page, create and edit."""

from __future__ import annotations

from functools import partial
from typing import Any

from django.forms.models import model_to_dict
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_GET, require_http_methods

from linli.core.pages import form_submit, staff_page
from linli.core.roles import UNIT_ROLES

from .. import permissions, selectors, services
from ..choices import MemberStatus, PartyOrgKind
from ..forms import PartyOrgForm
from ..models import PartyOrg
from .common import page


def _tree(orgs: list[PartyOrg]) -> list[dict[str, Any]]:
    """The visible organisations as nested rows: an organisation whose parent is not visible is a root. A branch's
    party groups (one per grid or building, often many) are kept apart as its `groups`, folded on the page."""
    by_id: dict[int, dict[str, Any]] = {o.pk: {"org": o, "children": [], "groups": []} for o in orgs}
    roots: list[dict[str, Any]] = []
    for o in orgs:
        parent = by_id.get(o.parent_id) if o.parent_id else None
        if parent is None:
            roots.append(by_id[o.pk])
        else:
            parent["groups" if o.kind == PartyOrgKind.GROUP else "children"].append(by_id[o.pk])
    for root in roots:
        _count_below(root)
    return roots


def _count_below(row: dict[str, Any]) -> int:
    """A row's `total`: its own members and those of the organisations below it (a committee keeps few itself, so
    the street reads how many members each committee and general branch leads)."""
    row["total"] = row["org"].n_members + sum(_count_below(r) for r in (*row["children"], *row["groups"]))
    return int(row["total"])


def _to_org(org: PartyOrg) -> HttpResponse:
    return redirect("party:org", pk=org.pk)


@staff_page
@require_GET
def org_list(request: HttpRequest) -> HttpResponse:
    if getattr(request.user, "role", None) in UNIT_ROLES:  # a partner unit sees its pairings, no organisation
        return redirect("party:partners")
    orgs = list(selectors.party_orgs_with_counts(request.user).order_by("org_node__path", "kind", "name"))
    return page(request, "party/orgs.html", "orgs", {"roots": _tree(orgs), "total": len(orgs)})


@staff_page
@require_GET
def org_detail(request: HttpRequest, pk: int) -> HttpResponse:
    org = selectors.party_org_get_for(request.user, pk)
    members = list(
        selectors.party_members_visible_to(request.user)
        .filter(party_org=org, status=MemberStatus.ACTIVE)
        .order_by("position", "name")
    )
    context = {
        "org": org,
        "chain": org.org_node.chain(),
        "members": members,
        "children": list(selectors.party_orgs_visible_to(request.user).filter(parent=org)),
        "actions": permissions.actions_for(request.user, org.org_node.path),
    }
    return page(request, "party/org_detail.html", "orgs", context)


@staff_page
@require_http_methods(["GET", "POST"])
def org_create(request: HttpRequest) -> HttpResponse:
    initial: dict[str, Any] = {}
    if parent_id := request.GET.get("parent"):
        initial["parent"] = parent_id
    form = PartyOrgForm(request.POST or None, user=request.user, initial=initial)
    done = form_submit(request, form, partial(services.party_org_create, actor=request.user), _to_org)
    return done or page(request, "party/org_form.html", "orgs", {"form": form, "org": None})


@staff_page
@require_http_methods(["GET", "POST"])
def org_edit(request: HttpRequest, pk: int) -> HttpResponse:
    org = selectors.party_org_get_for(request.user, pk)
    initial = model_to_dict(
        org, fields=["name", "parent", "org_node", "category", "property_company", "grid", "building"]
    )
    form = PartyOrgForm(request.POST or None, user=request.user, editing=True, initial=initial)
    done = form_submit(
        request, form, partial(services.party_org_update, actor=request.user, org=org), _to_org
    )
    return done or page(request, "party/org_form.html", "orgs", {"form": form, "org": org})
