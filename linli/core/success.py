"""What a page does after a write succeeded: say so and go on.

`success_redirect(request, message, to)` is the `then` that most forms give `core.pages.form_submit`: it says
`message` as a success (a text, or a function of what the service returned) and redirects to `to` (what
`django.shortcuts.redirect` takes: a URL name reversed with the keyword arguments given, a path, or a function of
what the service returned that gives one of those)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect


def success_redirect(
    request: HttpRequest,
    message: str | Callable[[Any], str],
    to: str | Callable[[Any], Any],
    **url_kwargs: Any,
) -> Callable[[Any], HttpResponse]:
    """A `then(result)` that says `message` (or `message(result)`) as a success and redirects to `to` (or
    `to(result)`), reversed with `url_kwargs` when it is a URL name."""

    def then(result: Any) -> HttpResponse:
        messages.success(request, message(result) if callable(message) else message)
        return redirect(to(result) if callable(to) else to, **url_kwargs)

    return then
