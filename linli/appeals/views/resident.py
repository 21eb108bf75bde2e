"""Resident pages (phone first): report a problem, the tracking number, follow progress, rate, withdraw.

A signed-in resident sees their own appeals. A guest follows an appeal by tracking number and the mobile number
given with it; the pair is kept in the session so the guest can come back, rate or withdraw without retyping.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from linli.core.errors import Conflict, DomainError, NotFound, ValidationFailed
from linli.core.files import file_response
from linli.core.kept_files import KeptFiles
from linli.core.masking import mask_phone
from linli.core.pages import form_errors, posted_form, redirect_on_error
from linli.core.scoping import WholeTree, is_staff_member
from linli.territory.models import Grid
from linli.territory.selectors import grids_visible_to

from .. import selectors, services
from ..choices import OPEN_STATE_VALUES, AppealState, Channel, PhotoStage
from ..forms import AddInfoForm, RatingForm, ReopenForm, ResidentAppealForm, TrackForm, WithdrawForm
from ..models import Appeal, AppealPhoto, AppealVoice, Category, DuplicateSuggestion
from ..permissions import may, reopen_until
from ..public import communities, followed_appeals, is_public, public_item
from ..services import duplicates
from ..services.abuse import track_failure_record, track_failures_exceeded
from ..validation import DESCRIPTION_MAX, MAX_PHOTOS, TITLE_MAX
from ..workflow import allowed_actions
from .common import (
    clean_idempotency_key,
    client_address,
    is_resident,
    label_events,
    new_idempotency_key,
    resident_login_url,
    submit_from_form,
    visitor,
)
from .phone_proof import proven_account, proven_phone

SESSION_KEY = "appeals_followed"
# The appeal this browser sent last: the report page says it went through when the back button brings it up again
# within JUST_SUBMITTED (the browser refills what was typed, and a second tap would send the problem twice).
LAST_SUBMITTED_KEY = "appeals_last_submitted"
JUST_SUBMITTED = dt.timedelta(minutes=30)
# Below this the classifier is guessing; the resident is better served by no suggestion than a wrong one.
SUGGESTION_MIN_CONFIDENCE = 0.2
# Following an appeal needs its number and phone; failed look-ups are limited per address against guessing.
TRACK_FAILURES_PER_HOUR = 10
# A resident's own appeals, and those they follow, this many a page.
PAGE_SIZE = 20

logger = logging.getLogger(__name__)


def public_grid(code: str | None) -> Grid | None:
    """A grid by its code, for the QR link: grid names and codes are public (printed at the station)."""
    code = (code or "").strip()
    if not code:
        return None
    return grids_visible_to(WholeTree()).filter(code=code).first()


def followed(request: HttpRequest) -> dict[str, str]:
    data = request.session.get(SESSION_KEY) or {}
    return dict(data) if isinstance(data, dict) else {}


def remember(request: HttpRequest, appeal: Appeal, phone: str) -> None:
    data = followed(request)
    data[appeal.tracking_number] = phone
    # Keep the session small: the 30 most recent appeals.
    request.session[SESSION_KEY] = dict(list(data.items())[-30:])


def guest_appeals(pairs: dict[str, str]) -> QuerySet[Appeal]:
    """The appeals a guest follows: each tracking number with the phone given with it (the rule of
    selectors.appeal_by_tracking, for many at once)."""
    match = Q(pk__in=[])
    for number, phone in pairs.items():
        if number and phone:
            match |= Q(tracking_number=number, contact_phone=phone)
    return Appeal.objects.select_related("category__parent", "grid").filter(match)


def resident_appeal(request: HttpRequest, tracking_number: str) -> tuple[Appeal, str] | None:
    """(appeal, phone) when this visitor may follow it: their own account's appeal, or one the session knows."""
    user = visitor(request)
    if is_resident(user):
        found = selectors.appeals_visible_to(user).filter(tracking_number=tracking_number).first()
        if found is not None:
            return found, ""
    phone = followed(request).get(tracking_number)
    if phone:
        try:
            return selectors.appeal_by_tracking(tracking_number, phone), phone
        except NotFound:  # the session's pair no longer matches: this visitor simply does not follow it
            return None
    return None


def followed_or_404(request: HttpRequest, tracking_number: str) -> tuple[Appeal, str]:
    found = resident_appeal(request, tracking_number)
    if found is None:
        raise Http404
    return found


def appeal_new(request: HttpRequest) -> HttpResponse:
    """The resident phone page. Works for a signed-in resident and for a guest who gives a mobile number."""
    user = visitor(request)
    guest = not is_resident(user)
    grid = public_grid(request.GET.get("grid") or request.POST.get("grid"))
    status = 200
    kept: KeptFiles | None = None
    if request.method == "POST":
        post = request.POST.copy()
        if not clean_idempotency_key(post.get("idempotency_key")):
            # Without a usable key the submission still goes through; a fresh key protects the retry after it.
            post["idempotency_key"] = new_idempotency_key()
        # Photos chosen are kept on the server while the form is corrected, under the form's idempotency key.
        kept = KeptFiles(request, "photos", most=MAX_PHOTOS, key=str(post.get("idempotency_key", "")))
        form = ResidentAppealForm(post, request.FILES, guest=guest)
        if form.is_valid():
            data = form.cleaned_data
            grid_code = data.get("grid") or ""
            # Every refusal goes on the form, so the resident corrects it with everything they typed kept.
            with form_errors(form, catch=(DomainError,)):
                appeal = submit_from_form(
                    request,
                    form,
                    channel=Channel.QR if grid_code else Channel.WEB,
                    contact_name=data.get("contact_name") or "",
                    contact_phone=data.get("contact_phone") or "",
                    grid_code=grid_code,
                    photos=kept.uploads() + list(data["photos"]),
                    photos_public=bool(data.get("photos_public")),
                    voice=data.get("voice"),
                    voice_seconds=data.get("voice_seconds") or 0,
                    idempotency_key=data["idempotency_key"],
                    client_address=client_address(request),
                    # A guest who proved the number with a code reports as that number's resident account.
                    resident=proven_account(request, data.get("contact_phone") or "") if guest else None,
                )
                kept.drop()
                remember(request, appeal, appeal.contact_phone)
                request.session[LAST_SUBMITTED_KEY] = appeal.tracking_number
                return redirect("appeals:submitted", tracking_number=appeal.tracking_number)
        status = 422
        kept.keep(request.FILES.getlist("photos"))  # the form says already why a file is refused
    else:
        initial: dict[str, Any] = {
            "idempotency_key": new_idempotency_key(),
            "grid": grid.code if grid else "",
        }
        if is_resident(user):
            initial["contact_phone"] = getattr(user, "phone", "")
            initial["contact_name"] = getattr(user, "display_name", "")
        elif proven_phone(request):
            initial["contact_phone"] = proven_phone(request)
        form = ResidentAppealForm(initial=initial, guest=guest)
    context = {
        "form": form,
        "grid": grid,
        "guest": guest,
        "kept": kept,
        "login_url": resident_login_url(),
        "proof_step": "proven" if guest and proven_phone(request) else "phone",
        "proven_masked": mask_phone(proven_phone(request)) if guest and proven_phone(request) else "",
        "just_submitted": just_submitted(request) if request.method == "GET" else None,
    }
    return render(request, "appeals/resident_new.html", context, status=status)


def just_submitted(request: HttpRequest) -> Appeal | None:
    """The appeal this browser sent in the last JUST_SUBMITTED, if this visitor still follows it."""
    number = request.session.get(LAST_SUBMITTED_KEY)
    found = resident_appeal(request, number) if isinstance(number, str) and number else None
    if found is None or found[0].created_at < timezone.now() - JUST_SUBMITTED:
        return None
    return found[0]


@require_POST
def suggest_category(request: HttpRequest) -> HttpResponse:
    """htmx: the triage classifier's suggestion for what the resident typed so far (editable by them). The
    classifier reads at most the limits of the texts; this keeps nothing, and the form refuses a longer text when
    it is sent, the limit named and all of it kept (the counter says it is over before)."""
    title = request.POST.get("title", "")[:TITLE_MAX]
    text = request.POST.get("description", "")[:DESCRIPTION_MAX]
    suggestion = None
    if len(text.strip()) >= 5:
        try:
            from linli.triage.services import classify

            result = classify(title=title, text=text)
        except ImportError:
            result = None
        except Exception:  # a broken model must never break the resident's page; they choose themselves
            logger.warning("category suggestion failed", exc_info=True)
            result = None
        code = getattr(result, "category_code", "") if result is not None else ""
        confidence = float(getattr(result, "confidence", 0.0)) if result is not None else 0.0
        if code and confidence >= SUGGESTION_MIN_CONFIDENCE:
            category = Category.objects.filter(code=code, active=True).select_related("parent").first()
            if category is not None:
                suggestion = {"category": category, "confidence": confidence}
    return render(request, "appeals/partials/suggestion.html", {"suggestion": suggestion})


@require_GET
def appeal_submitted(request: HttpRequest, tracking_number: str) -> HttpResponse:
    appeal, _phone = followed_or_404(request, tracking_number)
    return render(
        request,
        "appeals/resident_submitted.html",
        {
            "appeal": appeal,
            "guest": not is_resident(visitor(request)),
            "similar": selectors.resident_duplicate_suggestions(appeal),
        },
    )


def track(request: HttpRequest) -> HttpResponse:
    """Follow an appeal by tracking number and the mobile number given with it."""
    form = TrackForm(request.POST or None, initial={"tracking_number": request.GET.get("n", "")})
    status = 200
    if request.method == "POST":
        address = client_address(request)
        if track_failures_exceeded(address=address, limit=TRACK_FAILURES_PER_HOUR):
            form.is_valid()
            form.add_error(
                None, _("Too many failed look-ups from this network; please try again in an hour.")
            )
        elif form.is_valid():
            number, phone = form.cleaned_data["tracking_number"], form.cleaned_data["phone"]
            try:
                appeal = selectors.appeal_by_tracking(number, phone)
            except NotFound:  # counted against guessing (in the database: every process) and said on the form
                track_failure_record(address=address, limit=TRACK_FAILURES_PER_HOUR)
                form.add_error(
                    None, _("No appeal matches this tracking number and mobile number. Please check both.")
                )
            else:
                remember(request, appeal, phone)
                return redirect("appeals:resident_detail", tracking_number=appeal.tracking_number)
        status = 422
    return render(request, "appeals/resident_track.html", {"form": form}, status=status)


def my_appeals(request: HttpRequest) -> HttpResponse:
    """Signed-in residents: their appeals. Guests: the appeals they followed in this browser."""
    user = visitor(request)
    if is_resident(user):
        qs = selectors.appeals_visible_to(user).order_by("-created_at", "-id")
    elif is_staff_member(user):
        return redirect("appeals:workbench")
    else:
        if not followed(request):
            return redirect("appeals:track")
        qs = guest_appeals(followed(request)).order_by("-created_at", "-id")
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    # The appeals they follow: a list of its own, paged with its own parameter so either list keeps the other.
    followed_page = Paginator(followed_appeals(user), PAGE_SIZE).get_page(request.GET.get("following"))
    following = []
    if is_resident(user) and followed_page.object_list:
        names = communities()
        following = [public_item(a, names) for a in followed_page.object_list]
    return render(
        request,
        "appeals/resident_list.html",
        {
            "page": page,
            "guest": not is_resident(user),
            "open_states": OPEN_STATE_VALUES,
            "following": following,
            "followed_page": followed_page,
        },
    )


def _resident_context(request: HttpRequest, appeal: Appeal, phone: str = "") -> dict[str, Any]:
    events = label_events(selectors.appeal_trace(appeal), resident_view=True, resident_id=appeal.resident_id)
    photos = list(appeal.photos.all())
    user = visitor(request)
    return {
        "voices": list(appeal.voices.all()),
        "can_add_info": may(user, "add_info", appeal, phone=phone)
        and "add_info" in allowed_actions(appeal.state),
        "add_info_form": AddInfoForm(),
        "can_reopen": may(user, "reopen", appeal, phone=phone) and "reopen" in allowed_actions(appeal.state),
        "reopen_until": reopen_until(appeal),
        "reopen_form": ReopenForm(),
        "public": is_public(appeal),
        "appeal": appeal,
        "events": list(reversed(events)),
        "intake_photos": [p for p in photos if p.stage == PhotoStage.INTAKE],
        "result_photos": [p for p in photos if p.stage == PhotoStage.RESOLUTION],
        "ratings": list(appeal.ratings.all()),
        "can_rate": appeal.state == AppealState.RESOLVED,
        "can_withdraw": appeal.state in OPEN_STATE_VALUES,
        "rating_form": RatingForm(),
        "withdraw_form": WithdrawForm(),
        "guest": not is_resident(visitor(request)),
        "similar": selectors.resident_duplicate_suggestions(appeal),
    }


def resident_detail(request: HttpRequest, tracking_number: str) -> HttpResponse:
    found = resident_appeal(request, tracking_number)
    if found is None:
        user = visitor(request)
        if is_staff_member(user):
            staff_found = selectors.appeals_visible_to(user).filter(tracking_number=tracking_number).first()
            if staff_found is not None:
                return redirect("appeals:detail", pk=staff_found.pk)
        return redirect(f"{reverse('appeals:track')}?n={tracking_number}")
    appeal, phone = found
    return render(request, "appeals/resident_detail.html", _resident_context(request, appeal, phone))


def _as_resident(
    service: Callable[..., object], request: HttpRequest, appeal: Appeal, phone: str, form: forms.Form
) -> None:
    """Call the service as the visitor following the appeal (by account or phone); the form's fields are the
    service's keywords."""
    service(actor=visitor(request), appeal=appeal, phone=phone, **form.cleaned_data)


def _resident_form_post(
    request: HttpRequest,
    tracking_number: str,
    form: forms.Form,
    service: Callable[..., object],
    *,
    done: str | Callable[[Appeal], str],
    context_key: str,
) -> HttpResponse:
    """A resident's form on their appeal's page: the service is called with the form's fields (_as_resident);
    a refusal (a ValidationFailed, or a Conflict such as being rated meanwhile) goes on the form, which comes back
    with everything typed, the page answering 422."""
    appeal, phone = followed_or_404(request, tracking_number)
    if form.is_valid():
        with form_errors(form, catch=(ValidationFailed, Conflict)):
            _as_resident(service, request, appeal, phone, form)
            if callable(done):
                appeal.refresh_from_db()
                done = done(appeal)
            messages.success(request, done)
            return redirect("appeals:resident_detail", tracking_number=tracking_number)
    appeal.refresh_from_db()
    context = _resident_context(request, appeal, phone)
    context[context_key] = form
    return render(request, "appeals/resident_detail.html", context, status=422)


def _rated(appeal: Appeal) -> str:
    """What the resident is told after rating: thanks; after 不满意, who handles it again and by when."""
    if appeal.state in OPEN_STATE_VALUES:  # 不满意: given back to the unit for rework (rating.rework_assign)
        due = (
            timezone.localtime(appeal.resolve_due_at).strftime("%Y-%m-%d %H:%M")
            if appeal.resolve_due_at
            else "-"
        )
        return _("Rating received: %(unit)s handles it again, to be resolved by %(due)s.") % {
            "unit": appeal.unit_name,
            "due": due,
        }
    return _("Thank you for your rating.")


# The resident's forms on their appeal's page: action → (form, service, message when done — or a function of the
# appeal after it, saying what happens next —, the form's name in the page's context). The urls pass the action.
RESIDENT_FORMS: dict[str, tuple[type[forms.Form], Callable[..., object], Any, str]] = {
    "rate": (RatingForm, services.appeal_rate, _rated, "rating_form"),
    "add_info": (
        AddInfoForm,
        services.appeal_add_info,
        gettext_lazy("Added to your appeal; the unit handling it can see it now."),
        "add_info_form",
    ),
    "reopen": (
        ReopenForm,
        services.appeal_reopen,
        gettext_lazy("Your appeal was reopened; the same unit handles it again."),
        "reopen_form",
    ),
    "withdraw": (
        WithdrawForm,
        services.appeal_withdraw,
        gettext_lazy("Your appeal was withdrawn."),
        "withdraw_form",
    ),
}


@posted_form("appeals:resident_detail", kwargs=("tracking_number",))
@redirect_on_error("appeals:resident_detail", "tracking_number")
def resident_form(request: HttpRequest, tracking_number: str, action: str) -> HttpResponse:
    """Rate, add information (text, photos, a voice message), reopen (within LINLI_APPEAL_REOPEN_DAYS) or withdraw
    an open appeal."""
    form_class, service, done, context_key = RESIDENT_FORMS[action]
    return _resident_form_post(
        request,
        tracking_number,
        form_class(request.POST, request.FILES),
        service,
        done=done if callable(done) else str(done),
        context_key=context_key,
    )


def may_open_files(request: HttpRequest, appeal: Appeal) -> bool:
    """Photos and voice messages of an appeal: only for those who may see the appeal (they can show homes, faces
    and voices) — its staff in scope and its resident (by account or the phone proved in this session)."""
    return selectors.appeals_visible_to(visitor(request)).filter(pk=appeal.pk).exists() or (
        resident_appeal(request, appeal.tracking_number) is not None
    )


@require_GET
def photo(request: HttpRequest, pk: int) -> HttpResponseBase:
    """A photo of an appeal, only to those who may see the appeal (photos can show homes and faces)."""
    item = AppealPhoto.objects.select_related("appeal").filter(pk=pk).first()
    if item is None:
        raise Http404
    if not may_open_files(request, item.appeal):
        raise Http404
    return file_response(item.image)


@require_POST
@redirect_on_error("appeals:resident_detail", "tracking_number")
def resident_similar(request: HttpRequest, tracking_number: str, pk: int, decision: str) -> HttpResponse:
    """The resident follows a similar open appeal instead of theirs (theirs merges into it) or keeps theirs."""
    if decision not in ("follow", "keep"):
        raise Http404
    appeal, phone = followed_or_404(request, tracking_number)
    suggestion = (
        DuplicateSuggestion.objects.select_related("appeal", "candidate").filter(pk=pk, appeal=appeal).first()
    )
    if suggestion is None:
        raise Http404
    if decision == "follow":
        duplicates.duplicate_follow(actor=visitor(request), suggestion=suggestion, phone=phone)
        messages.success(
            request,
            _("You now follow %(number)s; we will tell you of its progress.")
            % {"number": suggestion.candidate.tracking_number},
        )
    else:
        duplicates.duplicate_dismiss(actor=visitor(request), suggestion=suggestion, phone=phone)
        messages.success(request, _("Your appeal stays separate and is handled on its own."))
    return redirect("appeals:resident_detail", tracking_number=tracking_number)


@require_GET
def voice(request: HttpRequest, pk: int) -> HttpResponseBase:
    """A voice message, to the same people as the appeal's photos, with its real type (checked at upload)."""
    item = AppealVoice.objects.select_related("appeal").filter(pk=pk).first()
    if item is None or not may_open_files(request, item.appeal):
        raise Http404
    return file_response(item.audio, content_type=item.content_type)
