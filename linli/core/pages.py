"""Domain errors on pages, handled in one place (as the API's exception handlers do for JSON).

- `staff_page`: the page is for signed-in staff; anonymous visitors go to the login page, others get the 403 page.
- `DomainErrorMiddleware` (in settings.MIDDLEWARE) turns a domain error a view lets through into a response:
  `NotFound` → the 404 page (an object outside the user's scope looks exactly like one that does not exist),
  `PermissionDenied` → the 403 page, any other error (`Conflict`, `ValidationFailed` outside a form, …) → a
  message and a redirect back to the page the person came from: a safe `next` field, else the page the view
  names with `redirect_on_error`, else the referring page of this site, else the home page. An htmx request is
  sent there with HX-Redirect. What the refused form had typed is kept for that page (core.kept), which fills it
  in again.
- `form_errors(form)`: around a service call that a bound form feeds, a `ValidationFailed` becomes an error on
  the form (on the field the service names), so the view shows the form again with everything typed kept.
- `posted_form(url_name)`: a form's POST-only address, which shows the form again there when refused; a GET of
  it (the address bar after a refusal, a bookmark) goes to the page the form is on, not to a 405.
- `go_to(request, url)`: after a form, a redirect, or for an htmx request a 204 with HX-Redirect (the middleware
  ends that way too).
- `form_refused(request, form)`: a small form refused, shown again only by what was typed (core.kept): its errors
  as a message that names each field (`refused_message(form)`, which a view raising `ValidationFailed` uses too).
- `form_submit(request, form, service, then)`: the whole write of a form: posted and valid → the service with its
  cleaned data → `then(result)` (a redirect); otherwise None, and the view shows the form (again). With
  `kept=KeptFiles(...)` (core.kept_files) the photos of a refused form are kept on the server and shown again, and
  join the field's new ones when it is sent again; any other file field says its files must be chosen again.
- `section_page(request, template, context, sections=, section=, table=)`: a staff page of an app with its own
  sub-navigation (`sections`, the current `section`) and what the person may do anywhere (`may`, from the app's
  action table); an htmx request for a list that names its `partial` gets only that partial.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from functools import wraps
from typing import Any, Protocol

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.handlers.exception import response_for_exception
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from .actions import ActionTable
from .errors import Conflict, DomainError, NotFound, PermissionDenied, ValidationFailed
from .kept import keep_posted
from .kept_files import KeptFiles
from .scoping import is_staff_member

View = Callable[..., Any]
ERROR_BACK_ATTR = "linli_error_back"


class FormLike(Protocol):
    """What `form_errors` needs of a Django form."""

    fields: dict[str, Any]

    def add_error(self, field: str | None, error: Any) -> None: ...


def signed_in_page(view: View) -> View:
    """Anyone signed in (a resident, or staff who volunteer or order too); an anonymous visitor goes to the
    resident sign-in (by phone) and comes back."""
    return login_required(view, login_url="accounts:resident_login")


def staff_page(view: View) -> View:
    """Signed-in staff only: anonymous visitors go to the login page, residents get the friendly 403 page."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not is_staff_member(request.user):
            raise DjangoPermissionDenied  # the 403 page explains that the page is for staff
        return view(request, *args, **kwargs)

    return wrapped


def staff_page_residents_to(url_name: str) -> Callable[[View], View]:
    """A staff page whose address a resident may well type or follow (an app's first page): a signed-in resident
    goes to `url_name`, their own side of the same app (the places near them, the residents' hall), not to the
    403 page; anonymous visitors and staff are as `staff_page`."""

    def decorate(view: View) -> View:
        staff_view = staff_page(view)

        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
            if request.user.is_authenticated and not is_staff_member(request.user):
                return redirect(url_name)
            return staff_view(request, *args, **kwargs)

        return wrapped

    return decorate


def posted_form(url_name: str, *, kwargs: Iterable[str] | None = None) -> Callable[[View], View]:
    """A POST-only form address whose refusals show the page again at that address (422): a GET or HEAD of it goes
    to `url_name` reversed with the view's keyword arguments (the page the form is on; only those named in `kwargs`
    when the page's address takes fewer, e.g. `kwargs=("pk",)` for an action's `<pk>/<action>/`), any other
    method is 405."""
    names = None if kwargs is None else tuple(kwargs)

    def decorate(view: View) -> View:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **view_kwargs: Any) -> Any:
            if request.method in ("GET", "HEAD"):
                page = view_kwargs if names is None else {n: view_kwargs[n] for n in names}
                return redirect(reverse(url_name, kwargs=page))
            if request.method != "POST":
                return HttpResponseNotAllowed(["POST"])
            return view(request, *args, **view_kwargs)

        return wrapped

    return decorate


def redirect_on_error(url_name: str, *kwarg_names: str) -> Callable[[View], View]:
    """Name the page a domain error sends the person back to (with a message): `url_name` reversed with the
    named keyword arguments of the view, e.g. `@redirect_on_error("appeals:detail", "pk")` on an action.
    Decorators applied over it must keep the view's attributes (functools.wraps does)."""

    def decorate(view: View) -> View:
        setattr(view, ERROR_BACK_ATTR, (url_name, kwarg_names))
        return view

    return decorate


def error_message(exc: DomainError) -> str:
    """The text a person sees for a domain error; field errors are appended when the service names them."""
    text = str(exc.message)
    if isinstance(exc, Conflict):
        return text
    fields = exc.extra.get("fields") or exc.extra.get("errors")
    if isinstance(fields, dict):
        details = [
            str(v if not isinstance(v, list | tuple) else "；".join(map(str, v))) for v in fields.values()
        ]
        details = [d for d in details if d and d != text]
        if details:
            return f"{text} {'；'.join(details)}"
    return text


def add_domain_error(request: HttpRequest, exc: DomainError) -> None:
    """The error as a message: a warning (tagged with its code) for a Conflict, an error otherwise."""
    level = messages.WARNING if isinstance(exc, Conflict) else messages.ERROR
    messages.add_message(request, level, error_message(exc), extra_tags=exc.code)


def apply_domain_error(form: FormLike, exc: DomainError) -> None:
    """Put a domain error on the form: on the named visible field when the service names one, else on the form. A
    form whose field is named apart from the service's argument says so in `field_aliases` (the dispatch form's
    `category` is the service's `category_code`)."""
    aliases: dict[str, str] = getattr(form, "field_aliases", {})
    field = exc.extra.get("field")
    field = aliases.get(field, field) if isinstance(field, str) else field
    if isinstance(field, str) and field in form.fields and not form.fields[field].widget.is_hidden:
        form.add_error(field, str(exc.message))
        return
    fields = exc.extra.get("fields") or exc.extra.get("errors")
    if isinstance(fields, dict):
        placed = False
        for name, msg in fields.items():
            name = aliases.get(name, name)
            if name in form.fields:
                form.add_error(name, msg if isinstance(msg, str) else "；".join(map(str, msg)))
                placed = True
        if placed:
            return
    form.add_error(None, error_message(exc))


@contextmanager
def form_errors(
    form: FormLike, *, catch: tuple[type[DomainError], ...] = (ValidationFailed,)
) -> Iterator[None]:
    """Run a service call fed by `form`: an error of a kind in `catch` goes on the form (the view then shows the
    form again, nothing typed lost); any other domain error goes on to the middleware."""
    try:
        yield
    except catch as exc:
        apply_domain_error(form, exc)


class BoundForm(FormLike, Protocol):
    """What `form_submit` needs of a bound Django form."""

    cleaned_data: dict[str, Any]

    @property
    def errors(self) -> Any: ...

    def is_valid(self) -> bool: ...

    def add_prefix(self, field_name: str) -> str: ...


def refused_status(request: HttpRequest) -> int:
    """The status of a page shown in answer to a POST: it shows a refused form again (an accepted one goes on
    elsewhere), so 422; a GET's page 200."""
    return 422 if request.method == "POST" else 200


def go_to(request: HttpRequest, url: str) -> HttpResponse:
    """Send the browser to `url` after a form was handled: a redirect, or for an htmx request (which would follow
    a redirect inside the fragment it swaps) an empty answer that tells htmx to load `url` as a whole page."""
    if request.headers.get("HX-Request"):
        response = HttpResponse(status=204)
        response["HX-Redirect"] = url
        return response
    return HttpResponseRedirect(url)


def form_submit[R](
    request: HttpRequest,
    form: BoundForm,
    service: Callable[..., R],
    then: Callable[[R], HttpResponse],
    *,
    kept: KeptFiles | None = None,
) -> HttpResponse | None:
    """When `form` was posted and is valid, call `service` with its cleaned data and return `then(result)`; None
    when it was not posted, is invalid or the service refused it (the error is on the form, see `form_errors`):
    the view shows the form (again). With `kept`, the photos still ticked of those kept by a refusal go to the
    service before the field's new ones, and are removed once it succeeds; a refusal keeps the field's photos (its
    page shows them with core/partials/kept_files.html) and says on the field any it could not keep."""
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if kept is not None:
            data = {**data, kept.field: [*kept.uploads(), *(data.get(kept.field) or [])]}
        with form_errors(form):
            result = service(**data)
            if kept is not None:
                kept.drop()
            return then(result)
    if request.method == "POST":
        if kept is not None:
            said = form.errors.get(kept.field) or []
            for problem in kept.keep(request.FILES.getlist(form.add_prefix(kept.field))):
                if problem not in said:
                    form.add_error(kept.field, problem)
        files_not_kept(request, form, kept=kept)
    return None


def files_not_kept(request: HttpRequest, form: Any, *, kept: KeptFiles | None = None) -> None:
    """A browser forgets the files chosen in a form it is shown again: each file field that was sent files and is
    not refused for its own sake says so, so that a refused form never drops the photos a worker took without a
    word; the field whose photos `kept` keeps on the server needs no such word."""
    for name, field in form.fields.items():
        if (
            isinstance(field, forms.FileField)
            and request.FILES.getlist(form.add_prefix(name))
            and name not in form.errors
            and (kept is None or name != kept.field)
        ):
            form.add_error(
                name, _("The form was not saved, so the files chosen were not kept: choose them again.")
            )


def refused_message(form: Any) -> str:
    """A refused form's errors in one line, each after its field's label (in the reader's language), so a form
    that is not shown again still says which field is wrong: 「理由：请填写此项。；数量：…」. An error of the whole
    form is said as it is."""
    said = []
    for name, errors in form.errors.items():
        field = form.fields.get(name)
        label = str(field.label) if field is not None and field.label else ""
        words = " ".join(str(e) for e in errors)
        # A message that names its field already (「原因太长：最多 200 个字」) is not named twice.
        said.append(words if not label or words.startswith(label) else f"{label}：{words}")
    return "；".join(said)


def form_refused(request: HttpRequest, form: Any) -> None:
    """A refused form that the page does not show again (a small form in a list or beside a button): its errors as
    one message naming each field (`refused_message`), and what was typed kept for the page it goes back to
    (core.kept), which fills it in again."""
    messages.error(request, refused_message(form))
    keep_posted(request)


def success_redirect(
    request: HttpRequest,
    message: str | Callable[[Any], str],
    to: str | Callable[[Any], Any],
    **url_kwargs: Any,
) -> Callable[[Any], HttpResponse]:
    """The `then` most forms give `form_submit`: say `message` (or `message(result)`) as a success and redirect
    to `to` (or `to(result)`: what `django.shortcuts.redirect` takes, reversed with `url_kwargs` when a URL
    name)."""

    def then(result: Any) -> HttpResponse:
        messages.success(request, message(result) if callable(message) else message)
        return redirect(to(result) if callable(to) else to, **url_kwargs)

    return then


# (section, label, URL name) of one entry of an app's sub-navigation.
type Section = tuple[str, Any, str]


def section_page(
    request: HttpRequest,
    template: str,
    context: dict[str, Any],
    *,
    sections: list[Section],
    section: str,
    table: ActionTable,
    areas: Iterable[str] | None = None,
    status: int = 200,
) -> HttpResponse:
    """A staff page of an app with its sub-navigation and `may` (see the module): what the person's role takes
    anywhere, or, given the `areas` (org paths) its forms can name, what they may take in one of them. `context`
    comes last and wins."""
    user = request.user
    may = table.anywhere_for(user) if areas is None else table.offered_in(user, areas)
    context = {"sections": sections, "section": section, "may": may, **context}
    if request.headers.get("HX-Request") and "partial" in context:
        return render(request, context["partial"], context, status=status)
    return render(request, template, context, status=status)


def safe_url(request: HttpRequest, url: str | None) -> str:
    """`url` when it points into this site (a safe place to send the person), otherwise ""."""
    if url and url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return url
    return ""


def back_url(request: HttpRequest) -> str:
    """Where a person goes back to after a domain error (see the module's docstring for the order)."""
    target = safe_url(
        request, request.POST.get("next") if request.method == "POST" else request.GET.get("next")
    )
    if target:
        return target
    match = request.resolver_match
    declared = getattr(match.func, ERROR_BACK_ATTR, None) if match is not None else None
    if declared is not None and match is not None:
        url_name, names = declared
        try:
            return reverse(url_name, kwargs={n: match.kwargs[n] for n in names})
        except (KeyError, NoReverseMatch):
            pass
    referer = safe_url(request, request.headers.get("Referer"))
    if referer and not (request.method == "GET" and referer == request.build_absolute_uri()):
        return referer
    return "/"


class DomainErrorMiddleware:
    """Turns a domain error raised by a page into the response a person should see (see the module)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if (
            response.status_code == 405
            and request.method == "GET"
            and not request.path.startswith("/api/")
            and not request.headers.get("HX-Request")
        ):
            # An address that only takes a form's submission, opened by hand, from a bookmark or after signing
            # in again: a page that says so, not the browser's empty error page.
            page = render(request, "405.html", {"back": back_url(request)}, status=405)
            page["Allow"] = response.get("Allow", "")
            return page
        return response

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not isinstance(exception, DomainError):
            return None
        if isinstance(exception, NotFound):
            return response_for_exception(request, Http404(str(exception.message)))
        if isinstance(exception, PermissionDenied):
            return response_for_exception(request, DjangoPermissionDenied(str(exception.message)))
        add_domain_error(request, exception)
        keep_posted(request)
        return go_to(request, back_url(request))
