"""Page decorators: every staff page requires a signed-in staff member and turns domain errors into HTTP ones."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404, HttpRequest, HttpResponse

from linli.core.errors import NotFound, PermissionDenied
from linli.core.scoping import is_staff_member

View = Callable[..., HttpResponse]


def staff_page(view: View) -> View:
    """Signed-in staff only: anonymous users go to the login page, residents get the friendly 403 page.

    A `NotFound` from a scoping helper becomes a 404 and a domain `PermissionDenied` a 403, so an object outside
    the user's scope looks exactly like one that does not exist.
    """

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not is_staff_member(request.user):
            raise DjangoPermissionDenied
        try:
            return view(request, *args, **kwargs)
        except NotFound:
            raise Http404 from None
        except PermissionDenied as exc:
            raise DjangoPermissionDenied(str(exc.message)) from None

    return login_required(wrapped)
