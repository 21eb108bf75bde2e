"""What the pages of care share: who may open the visitor's pages, and the write of a posted form."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse

from linli.accounts.auth import request_account
from linli.core.pages import BoundForm, form_submit


def signed_in(view: Any) -> Any:
    """Anyone signed in: staff, or a volunteer or party member (who sees only what is assigned to them)."""
    return login_required(view, login_url="accounts:resident_login")


def form_write[R](
    request: HttpRequest,
    form: BoundForm,
    service: Callable[..., R],
    message: str | Callable[[R], str],
    then: Callable[[R], HttpResponse],
) -> HttpResponse | None:
    """A posted form's write (`core.pages.form_submit`): valid → `service(actor=the account, **cleaned data)` →
    the success `message` (or `message(result)`) → `then(result)`, a redirect. None when the form was not posted,
    is invalid or the service refused it (the error is on the form): the view shows the form (again)."""

    def done(result: R) -> HttpResponse:
        messages.success(request, message(result) if callable(message) else message)
        return then(result)

    actor = request_account(request)
    return form_submit(request, form, lambda **data: service(actor=actor, **data), done)


def form_status(request: HttpRequest) -> int:
    """A page that shows a form again after a refused post answers 422."""
    return 422 if request.method == "POST" else 200
