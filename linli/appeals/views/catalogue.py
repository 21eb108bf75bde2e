"""The dispatch catalogue's pages: every version with who drafted, submitted, reviewed and activated it and when;
a version's entries; and for the district's editors the draft's editing, submission, review and activation.
Staff see the catalogue; the services decide who may change it (permissions.may_edit_catalogue)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from linli.accounts.auth import request_account
from linli.accounts.models import User
from linli.core.form_kit import TextForm
from linli.core.pages import form_errors, posted_form, redirect_on_error, staff_page
from linli.territory.selectors import org_nodes_visible_to

from .. import services
from ..choices import CATALOGUE_STATUS_BADGES, CatalogueStatus, Tier
from ..forms import set_choices
from ..models import CatalogueEntry, CatalogueVersion, Category
from ..permissions import may_edit_catalogue
from ..selectors import organisations_for
from .common import tree_page
from .listing import address_notes, paged

VERSIONS_PER_PAGE = 30


class EntryForm(TextForm):
    category = forms.ChoiceField(label=gettext_lazy("Category"))
    area = forms.TypedChoiceField(label=gettext_lazy("Area"), coerce=int)
    tier = forms.ChoiceField(label=gettext_lazy("Starting tier"), choices=Tier.choices)
    organisation = forms.TypedChoiceField(
        label=gettext_lazy("Department (department tier only)"), coerce=int, required=False, empty_value=None
    )
    # The service names its arguments (the API's fields); each refusal lands under the field it is about.
    field_aliases = {"category_code": "category", "area_id": "area", "organisation_id": "organisation"}

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_choices(
            self,
            "category",
            [(c.code, str(c)) for c in Category.objects.filter(active=True).select_related("parent")],
        )
        set_choices(
            self,
            "area",
            [(n.pk, n.name) for n in org_nodes_visible_to(user).exclude(kind="compound").order_by("path")],
        )
        set_choices(
            self,
            "organisation",
            [("", "—"), *((o.pk, o.name) for o in organisations_for(user).filter(kind="department"))],
        )


def _version(pk: int) -> CatalogueVersion:
    return get_object_or_404(
        CatalogueVersion.objects.select_related(
            "created_by", "submitted_by", "reviewed_by", "activated_by", "based_on"
        ),
        pk=pk,
    )


@tree_page
def catalogue(request: HttpRequest) -> HttpResponse:
    user = request_account(request)
    versions = paged(
        request,
        CatalogueVersion.objects.select_related(
            "created_by", "submitted_by", "reviewed_by", "activated_by"
        ).order_by("-number"),
        VERSIONS_PER_PAGE,
    )
    for v in versions:
        v.badge = CATALOGUE_STATUS_BADGES[CatalogueStatus(v.status)]
    # The one open version (drafts are made one at a time), wherever the list is.
    open_draft = CatalogueVersion.objects.filter(status__in=services.catalogue.OPEN_STATUSES).first()
    return render(
        request,
        "appeals/catalogue.html",
        {
            "versions": versions,
            "may_edit": may_edit_catalogue(user),
            "open_draft": open_draft,
            "address_notes": address_notes(request, ["page"], versions),
        },
    )


@tree_page
def catalogue_version(request: HttpRequest, pk: int, form: EntryForm | None = None) -> HttpResponse:
    user = request_account(request)
    version = _version(pk)
    entries = list(
        CatalogueEntry.objects.filter(version=version)
        .select_related("category__parent", "area", "organisation")
        .order_by("area__path", "category__position", "category__code")
    )
    editor = may_edit_catalogue(user)
    status = CatalogueStatus(version.status)
    return render(
        request,
        "appeals/catalogue_version.html",
        {
            "version": version,
            "badge": CATALOGUE_STATUS_BADGES[status],
            "entries": entries,
            "editing": editor and status == CatalogueStatus.DRAFT,
            "reviewing": editor and status == CatalogueStatus.REVIEW and version.submitted_by_id != user.pk,
            "own_submission": status == CatalogueStatus.REVIEW and version.submitted_by_id == user.pk,
            "activating": editor and status == CatalogueStatus.APPROVED,
            "entry_form": form or (EntryForm(user=user) if editor else None),
        },
        status=422 if form is not None else 200,
    )


@staff_page
@require_POST
@redirect_on_error("appeals:catalogue")
def catalogue_draft_new(request: HttpRequest) -> HttpResponse:
    draft = services.catalogue_draft_create(actor=request_account(request), note=request.POST.get("note", ""))
    messages.success(request, _("Draft v%(n)s created from the active catalogue.") % {"n": draft.number})
    return redirect("appeals:catalogue_version", pk=draft.pk)


STEPS = {
    "submit": gettext_lazy("Submitted for review."),
    "approve": gettext_lazy("Approved: it can be activated now."),
    "send_back": gettext_lazy("Sent back to the draft with your note."),
    "activate": gettext_lazy("Activated: new appeals are routed by this version."),
    "discard": gettext_lazy("The draft was discarded."),
    "entry_set": gettext_lazy("Entry saved."),
    "entry_remove": gettext_lazy("Entry removed."),
}


@staff_page
@posted_form("appeals:catalogue_version", kwargs=("pk",))
@redirect_on_error("appeals:catalogue_version", "pk")
def catalogue_step(request: HttpRequest, pk: int, step: str) -> HttpResponse:
    if step not in STEPS:
        raise Http404
    user = request_account(request)
    version = _version(pk)
    note = request.POST.get("note", "")
    if step == "entry_set":
        form = EntryForm(request.POST, user=user)
        if not form.is_valid():
            return catalogue_version(request, pk, form=form)
        data = form.cleaned_data
        with form_errors(form):
            services.catalogue_entry_set(
                actor=user,
                version=version,
                category_code=data["category"],
                area_id=data["area"],
                tier=data["tier"],
                organisation_id=data["organisation"],
            )
        if form.errors:
            return catalogue_version(request, pk, form=form)
    elif step == "entry_remove":
        services.catalogue_entry_remove(
            actor=user, version=version, entry_id=int(request.POST.get("entry_id") or 0)
        )
    elif step == "submit":
        services.catalogue_draft_submit(actor=user, version=version)
    elif step in ("approve", "send_back"):
        services.catalogue_draft_review(actor=user, version=version, approve=step == "approve", note=note)
    elif step == "activate":
        services.catalogue_version_activate(actor=user, version=version)
    else:
        services.catalogue_draft_discard(actor=user, version=version)
        messages.success(request, str(STEPS[step]))
        return redirect("appeals:catalogue")
    messages.success(request, str(STEPS[step]))
    return redirect("appeals:catalogue_version", pk=pk)
