"""A guest proves the mobile number of their report with a one-time code inside the report form (htmx: send the
code, enter it), through the accounts' one-time-code services. The number is then a resident account's
(`otp_verify` makes it), so text messages may go to it (`notify.proven_phones`), and the appeal is submitted as
that resident's: the tracking number and every step reach them by SMS and under "My appeals" once they sign in.
A guest who does not prove the number reports as before and gets no text message."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_POST

from linli.accounts import services as accounts
from linli.accounts.models import User
from linli.core.errors import DomainError
from linli.core.masking import mask_phone
from linli.core.roles import Role
from linli.core.validators import normalize_phone

from .common import client_address

SESSION_KEY = "appeals_proven_phone"


def _step(
    request: HttpRequest, step: str, phone: str = "", error: str = "", status: int = 200
) -> HttpResponse:
    context = {"step": step, "phone_masked": mask_phone(phone) if phone else "", "error": error}
    return render(request, "appeals/partials/phone_proof.html", context, status=status)


@require_POST
def phone_code(request: HttpRequest) -> HttpResponse:
    """Send a code to the number typed in the report form (at most one a minute and ten a day)."""
    try:
        sent = accounts.otp_request(phone=request.POST.get("contact_phone", ""))
    except DomainError as exc:
        return _step(request, "phone", error=str(exc.message), status=422)
    return _step(request, "code", phone=sent.phone)


@require_POST
def phone_verify(request: HttpRequest) -> HttpResponse:
    """Check the code; the number is proven for this browser's reports."""
    phone = request.POST.get("contact_phone", "")
    try:
        account = accounts.otp_verify(
            phone=phone, code=request.POST.get("phone_code", ""), ip=client_address(request) or None
        )
    except DomainError as exc:
        return _step(request, "code", phone=normalize_phone(phone), error=str(exc.message), status=422)
    request.session[SESSION_KEY] = account.phone
    return _step(request, "proven", phone=account.phone)


def proven_phone(request: HttpRequest) -> str:
    """The number this browser proved with a code ("" when none)."""
    return str(request.session.get(SESSION_KEY) or "")


def proven_account(request: HttpRequest, phone: str) -> User | None:
    """The resident account of `phone` when this browser proved that number with a code, else None."""
    proven = proven_phone(request)
    if not proven or normalize_phone(phone or "") != proven:
        return None
    return User.objects.filter(role=Role.RESIDENT, phone=proven, is_active=True).first()
