"""Party members: the list, a member's page with their history, join, transfer, leave and positions."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_GET, require_http_methods

from linli.core.finder import finder_part
from linli.core.masking import mask_phone
from linli.core.pages import BoundForm, form_submit, posted_form, redirect_on_error, staff_page

from .. import imports as member_import
from .. import permissions, selectors, services
from ..choices import MemberStatus
from ..forms import (
    MemberEditForm,
    MemberJoinForm,
    MemberLeaveForm,
    MemberPositionForm,
    MemberTransferForm,
)
from ..models import PartyMember
from .common import int_or_none, page

PER_PAGE = 50


def _to_member(member: PartyMember) -> HttpResponse:
    return redirect("party:member", pk=member.pk)


@staff_page
@require_GET
def member_list(request: HttpRequest) -> HttpResponse:
    org_id = int_or_none(request.GET.get("org"))
    status = request.GET.get("status") or MemberStatus.ACTIVE
    q = (request.GET.get("q") or "").strip()[:50]
    listed = status if status in MemberStatus.values else ""
    members = selectors.party_members_listed(request.user, org_id=org_id, status=listed, q=q)
    page_obj = Paginator(members, PER_PAGE).get_page(request.GET.get("page"))
    for m in page_obj:
        m.phone_masked = mask_phone(m.phone)  # type: ignore[attr-defined]
    context = {
        "page": page_obj,
        "orgs": selectors.party_orgs_visible_to(request.user).exclude(kind="group").order_by("name"),
        "org_id": org_id,
        "status": status,
        "statuses": MemberStatus.choices,
        "q": q,
        "partial": "party/partials/member_results.html",
        "import_kind": member_import.KIND,  # the import page opens on the members, not on the residents
    }
    return page(request, "party/members.html", "members", context)


def _member_page(request: HttpRequest, pk: int, **forms: object) -> HttpResponse:
    member = selectors.party_member_get_for(request.user, pk)
    context = {
        "member": member,
        "phone_masked": mask_phone(member.phone),
        "history": list(selectors.member_history(member)),
        "registrations": list(
            member.registrations.select_related("community", "grid").order_by("-registered_on")
        ),
        "actions": permissions.actions_for(request.user, member.party_org.org_node.path),
        "transfer_form": forms.get("transfer_form") or MemberTransferForm(user=request.user),
        "leave_form": forms.get("leave_form") or MemberLeaveForm(),
        "position_form": forms.get("position_form")
        or MemberPositionForm(initial={"position": member.position}),
    }
    return page(request, "party/member_detail.html", "members", context)


@staff_page
@require_GET
def member_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _member_page(request, pk)


@staff_page
@require_http_methods(["GET", "POST"])
def member_join(request: HttpRequest) -> HttpResponse:
    initial = {"party_org": request.GET.get("org")} if request.GET.get("org") else {}
    form = MemberJoinForm(request.POST or None, user=request.user, initial=initial)
    done = form_submit(request, form, partial(services.party_member_create, actor=request.user), _to_member)
    return done or page(request, "party/member_form.html", "members", {"form": form})


@staff_page
@require_http_methods(["GET", "POST"])
def member_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """A member's record corrected: name, phone, employer, date of joining, the resident record linked."""
    member = selectors.party_member_get_for(request.user, pk)
    permissions.require(request.user, "member_manage", member.party_org.org_node.path)
    form = MemberEditForm(request.POST or None, user=request.user, member=member)
    write = partial(services.party_member_update, actor=request.user, member=member)
    done = form_submit(request, form, write, _to_member)
    return done or page(request, "party/member_edit.html", "members", {"form": form, "member": member})


@staff_page
@require_GET
def resident_finder(request: HttpRequest) -> HttpResponse:
    """The member form's suggestions (htmx) for what is typed in its resident box, within the reader's scope."""
    return finder_part(request, MemberJoinForm(user=request.user))


@staff_page
@require_GET
def member_resident_finder(request: HttpRequest, pk: int) -> HttpResponse:
    """The edit form's suggestions: as the join form's, and the member's own record."""
    member = selectors.party_member_get_for(request.user, pk)
    return finder_part(request, MemberEditForm(user=request.user, member=member))


def _member_form(
    request: HttpRequest,
    pk: int,
    form: BoundForm,
    service: Callable[..., PartyMember],
    name: str,
) -> HttpResponse:
    """A form posted on a member's page: valid → `service` for the member with its values → back to the page;
    invalid or refused by the service → the page again with the form (as `name`) and its errors."""
    member = selectors.party_member_get_for(request.user, pk)
    write = partial(service, actor=request.user, member=member)
    return form_submit(request, form, write, _to_member) or _member_page(request, pk, **{name: form})


@staff_page
@posted_form("party:member")
@redirect_on_error("party:member", "pk")
def member_transfer(request: HttpRequest, pk: int) -> HttpResponse:
    return _member_form(
        request,
        pk,
        MemberTransferForm(request.POST, user=request.user),
        services.party_member_transfer,
        "transfer_form",
    )


@staff_page
@posted_form("party:member")
@redirect_on_error("party:member", "pk")
def member_leave(request: HttpRequest, pk: int) -> HttpResponse:
    return _member_form(request, pk, MemberLeaveForm(request.POST), services.party_member_leave, "leave_form")


@staff_page
@posted_form("party:member")
@redirect_on_error("party:member", "pk")
def member_position(request: HttpRequest, pk: int) -> HttpResponse:
    return _member_form(
        request, pk, MemberPositionForm(request.POST), services.party_member_set_position, "position_form"
    )
