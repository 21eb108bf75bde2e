"""Who an API call acts as, checked one way in every app: `staff_caller(request)` is the signed-in staff account
behind a staff-only endpoint (by session or API key); anyone else gets the 403 answer with its stable code."""

from __future__ import annotations

from typing import cast

from django.http import HttpRequest
from django.utils.translation import gettext as _

from .errors import PermissionDenied
from .scoping import Account, Viewer, is_staff_member


def staff_caller(request: HttpRequest) -> Account:
    """The staff account the request acts as; a resident or anonymous caller is refused."""
    user = cast(Viewer, request.user)
    if not is_staff_member(user):
        raise PermissionDenied(_("This part of Linli is for community staff only."))
    return cast(Account, user)
