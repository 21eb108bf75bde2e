"""The grid worker's patrol report from the phone, with photos and position; it may be resolved on the spot."""

from __future__ import annotations

from django import forms
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _

from linli.accounts.auth import request_account
from linli.accounts.models import User
from linli.core.errors import DomainError, ValidationFailed
from linli.core.pages import add_domain_error
from linli.territory.locator import grid_for_point
from linli.territory.selectors import grids_visible_to

from .. import forms as f
from .. import services
from ..choices import AppealState, Channel
from ..models import Appeal
from ..permissions import may
from .common import request_idempotency_key, staff_intake_page, submit_from_form, tree_page


@tree_page
def patrol(request: HttpRequest) -> HttpResponse:
    """A grid worker's patrol report from the phone, with photos and position; may be resolved on the spot."""
    user = request_account(request)

    def take(form: forms.Form) -> tuple[Appeal, str]:
        data = form.cleaned_data
        if data.get("resolve_now") and not _in_own_grid(user, data.get("lng"), data.get("lat")):
            # Refused on the form before anything is saved: resolving on the spot is for the worker's own grid.
            raise ValidationFailed(
                _(
                    "Resolved on the spot is for a place in your own grid: tap the map inside your grid, "
                    "or untick it to report the problem for others to handle."
                ),
                extra={"field": "resolve_now"},
            )
        appeal = submit_from_form(
            request,
            form,
            channel=Channel.PATROL,
            # The resident who raised it, when the worker wrote them down; otherwise the worker is the contact.
            contact_name=data.get("contact_name") or ("" if data.get("contact_phone") else user.display_name),
            contact_phone=data.get("contact_phone") or "",
            photos=data.get("photos") or [],
            idempotency_key=request_idempotency_key(request),
            on_the_spot=bool(data.get("resolve_now")),
        )
        note = _("Patrol report %(number)s created.") % {"number": appeal.tracking_number}
        if data.get("resolve_now"):
            # The report is in even when resolving it fails: the page goes on to it with the reason,
            # instead of the generic handling (which would go back to an empty form).
            try:
                _resolve_on_the_spot(user, appeal, data["resolution_note"])
                note = _("Patrol report %(number)s resolved on the spot.") % {
                    "number": appeal.tracking_number
                }
            except DomainError as exc:
                add_domain_error(request, exc)
        return appeal, note

    # The map opens on the worker's own grid(s), drawn bold: where they may resolve on the spot.
    own = grids_visible_to(user).filter(workers=user).order_by("code").values_list("code", flat=True)
    return staff_intake_page(
        request, "appeals/patrol.html", f.PatrolForm, take, extra={"own_grid_code": ",".join(own)}
    )


def _in_own_grid(user: User, lng: float | None, lat: float | None) -> bool:
    """Whether the report's position lies in a grid the worker works in (where they may resolve on the spot)."""
    if lng is None or lat is None:
        return False
    grid_id = grid_for_point(lng, lat)
    return grid_id is not None and grids_visible_to(user).filter(pk=grid_id, workers=user).exists()


def _resolve_on_the_spot(user: User, appeal: Appeal, note: str) -> None:
    """Patrol: the worker found and fixed it. Acknowledge first when it was dispatched to them; if routing put
    it elsewhere, the worker may not resolve it and the message says so."""
    appeal.refresh_from_db()
    if appeal.state == AppealState.DISPATCHED and may(user, "acknowledge", appeal):
        appeal = services.appeal_acknowledge(actor=user, appeal=appeal, channel=Channel.PATROL)
    services.appeal_resolve(actor=user, appeal=appeal, note=note, channel=Channel.PATROL)
