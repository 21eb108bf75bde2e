"""What the pages of care share: the write of a posted form, its status when refused, an object's action. The
visitor's pages are open to anyone signed in (`core.pages.signed_in_page`: staff, or a volunteer or party member,
who sees only what is assigned to them)."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from linli.accounts.auth import request_account
from linli.core.pages import BoundForm, form_submit


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


def action_ids(action: str) -> str:
    """The `auto_id` of an action's form on an object's page: ids of its own (`id_close_note`), as several forms
    share a field's name (the professional's and the closing's `note`) and a label must point at its own box."""
    return f"id_{action}_%s"


def object_action(
    request: HttpRequest,
    row: Any,
    action: str,
    actions: dict[str, tuple[Any, Callable[..., Any]]],
    *,
    keyword: str,
    detail: str,
    page: Callable[[HttpRequest, Any, dict[str, Any], int], HttpResponse],
    extra: dict[str, dict[str, Any]],
) -> HttpResponse:
    """One action of an object's page (a mediation case's, a legal-aid application's), its form posted here:
    valid → `service(<keyword>=row, …)` → back to the object's page (`detail`); an unknown action goes back there
    too; refused or invalid → `page(request, row, {action: form}, 422)`, the form's errors and what was typed
    shown. `extra[action]` gives that action's form its further arguments (the rota, the lawyers)."""
    back = redirect(detail, pk=row.pk)
    if action not in actions:
        return back
    form_class, service = actions[action]
    form = form_class(request.POST, auto_id=action_ids(action), **extra.get(action, {}))
    done = form_write(request, form, partial(service, **{keyword: row}), _("Saved."), lambda _r: back)
    return done or page(request, row, {action: form}, 422)
