"""The resident's and the provider's pages, made for a phone: order a service from the menu, follow and rate my
orders, raise a need, post, adopt and fulfil small wishes; a provider's assigned orders and their fulfilment."""

from __future__ import annotations

from functools import partial
from typing import Any

from django.contrib import messages
from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from linli.core.errors import invalid
from linli.core.kept_files import KeptFiles
from linli.core.pages import (
    form_submit,
    posted_form,
    redirect_on_error,
    refused_status,
    signed_in_page,
    success_redirect,
)
from linli.core.scoping import is_staff_member

from .. import permissions, selectors, services, workflow
from ..choices import NeedState, OrderState, WishState
from ..forms import (
    AssignForm,
    FulfilForm,
    FulfilWishForm,
    NeedRaiseForm,
    OrderForm,
    RateForm,
    ReasonForm,
    ReplyForm,
    WishForm,
)
from ..models import Order, ServiceItem, Wish
from .common import UNITS_KEEP, unit_account

# My orders, the orders I provide and the wishes' lists: twenty rows to a page, each list paged by its own
# parameter (`?orders=2#orders`), so moving through one keeps the other where it was.
ROWS_PER_PAGE = 20


def _tabs(request: HttpRequest) -> dict[str, Any]:
    """What the pages' tabs need: a unit's account is shown only those it can use (its orders as a provider and
    the wishes it may adopt), not 点单服务 nor 提需求, which a resident uses and which send it on to its unit's
    commitment lists."""
    return {"unit_account": unit_account(request.user)}


def _paged(request: HttpRequest, rows: QuerySet[Any], param: str) -> Page[Any]:
    """The page of `rows`, newest first, that the query's `param` asks for."""
    return Paginator(rows.order_by("-created_at", "-pk"), ROWS_PER_PAGE).get_page(request.GET.get(param))


def _staff_back(request: HttpRequest, list_url: str, label: str) -> dict[str, str]:
    """A worker opens an order or a wish from their staff list: the way back there, instead of a resident's tabs
    (their "my orders" would be someone else's)."""
    if not is_staff_member(request.user):
        return {}
    return {"back_url": reverse(list_url), "back_label": label}


@signed_in_page
@require_http_methods(["GET", "POST"])
def home(request: HttpRequest) -> HttpResponse:
    """The community's service menu and the order form; my open orders; what I am asked to do as a provider."""
    community = selectors.home_community(request.user)
    items = selectors.menu_of(community) if community else ServiceItem.objects.none()
    form = OrderForm(request.POST or None, items=items)

    said = _("Ordered. The community will take your order within one working day.")
    then = success_redirect(request, said, lambda order: reverse("cobuild:order", args=[order.pk]))
    if done := form_submit(request, form, partial(services.order_place, actor=request.user), then):
        return done
    context = {
        **_tabs(request),
        "tab": "home",
        "community": community,
        "form": form,
        "open_orders": list(
            selectors.my_orders(request.user)
            .filter(state__in=workflow.OPEN_STATES)
            .order_by("-created_at")[:5]
        ),
        "tasks": list(selectors.provider_orders(request.user).filter(state=OrderState.ASSIGNED)[:10]),
        "open_needs": list(
            selectors.my_needs(request.user).filter(state__in=(NeedState.OPEN, NeedState.MATCHED))[:3]
        ),
        "staff": is_staff_member(request.user),
    }
    return render(request, "cobuild/home.html", context, status=refused_status(request))


@signed_in_page
def my_orders(request: HttpRequest) -> HttpResponse:
    context = {
        **_tabs(request),
        "tab": "orders",
        "orders": _paged(request, selectors.my_orders(request.user), "orders"),
        "tasks": _paged(request, selectors.provider_orders(request.user), "tasks"),
        "staff": is_staff_member(request.user),
        "now": timezone.now(),  # an order to do past its deadline reads so
    }
    return render(request, "cobuild/orders.html", context)


@signed_in_page
def order(request: HttpRequest, pk: int) -> HttpResponse:
    """One order: its steps, and what the person may do now (rate, cancel; fulfil as the provider; assign or
    refuse as a worker)."""
    return _order_page(request, selectors.order_get_for(request.user, pk))


def _order_page(
    request: HttpRequest,
    o: Order,
    *,
    status: int = 200,
    rate_form: RateForm | None = None,
    fulfil_form: FulfilForm | None = None,
    kept: KeptFiles | None = None,
) -> HttpResponse:
    """The order's page; `rate_form` is a rating refused, shown again with the stars chosen and why (422), and
    `fulfil_form` a report of the service done refused, shown again with what was typed, whether it was done wholly
    or partly and the photo taken (`kept`), each refusal on its field (422)."""
    user = request.user
    is_provider = selectors.provides(user, o)
    dispatcher = permissions.may(user, "order_dispatch", o.community.path)
    context = {
        **_tabs(request),
        "tab": "orders",
        "order": o,
        "events": list(o.events.select_related("actor")),
        "is_resident": o.resident_id == user.pk,
        "is_provider": is_provider,
        "dispatcher": dispatcher,
        "rate_form": rate_form
        or (RateForm() if o.resident_id == user.pk and workflow.allowed("rate", o.state) else None),
        "fulfil_form": fulfil_form
        or (FulfilForm() if (is_provider or dispatcher) and workflow.allowed("fulfil", o.state) else None),
        "kept": kept,
        "assign_form": AssignForm(providers=selectors.providers_for(o))
        if dispatcher and workflow.allowed("assign", o.state)
        else None,
        "refuse_form": ReasonForm() if dispatcher and workflow.allowed("refuse", o.state) else None,
        "may_cancel": o.resident_id == user.pk and workflow.allowed("cancel", o.state),
        "may_reveal": (is_provider and o.state in services.orders.REVEAL_STATES) or dispatcher,
        "staff": is_staff_member(user),
        # Past its deadline as soon as it is, not only once the worker's job has recorded the breach.
        "now": timezone.now(),
        # A unit's staff keep no list of the community's orders: their way back is to the orders their unit does.
        **(
            {
                "back_url": reverse("cobuild:my_orders") + "#tasks",
                "back_label": _("Orders assigned to you as a provider"),
            }
            if unit_account(user)
            else _staff_back(request, "cobuild:staff_orders", _("Service orders"))
        ),
    }
    return render(request, "cobuild/order.html", context, status=status)


@signed_in_page
@posted_form("cobuild:order", kwargs=("pk",))
@redirect_on_error("cobuild:order", "pk")
def order_act(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """The steps of an order posted from its page; a refusal comes back to the page as a message (a rating or a
    report of the service done: the page again, 422, what was chosen and typed kept, the photo taken too)."""
    o = selectors.order_get_for(request.user, pk)
    user = request.user
    p = request.POST
    if action == "rate":  # refused, the page again with the stars chosen and the reason asked by its box
        form = RateForm(p)
        then = success_redirect(
            request, _("Thank you for rating."), lambda rated: reverse("cobuild:order", args=[rated.pk])
        )
        rated = form_submit(request, form, partial(services.order_rate, actor=user, order=o), then)
        return rated or _order_page(request, o, status=422, rate_form=form)
    if action == "fulfil":  # refused, the page again with all that was typed and the photo kept
        fulfil_form = FulfilForm(p, request.FILES)
        kept = KeptFiles(request, "photo", most=1)

        def fulfil(*, photo: list[Any], **typed: Any) -> Order:
            return services.order_fulfil(actor=user, order=o, photo=photo[-1] if photo else None, **typed)

        said = _("Reported done; the resident is asked to rate it.")
        then = success_redirect(request, said, lambda done: reverse("cobuild:order", args=[done.pk]))
        done = form_submit(request, fulfil_form, fulfil, then, kept=kept)
        return done or _order_page(request, o, status=422, fulfil_form=fulfil_form, kept=kept)
    if action == "cancel":
        services.order_cancel(actor=user, order=o, reason=p.get("reason", ""))
        messages.success(request, _("The order is cancelled."))
    elif action == "assign":
        provider = selectors.providers_for(o).filter(pk=p.get("provider") or 0).first()
        if provider is None:  # said on the order's page, the note typed filled in again (core.kept)
            raise invalid("provider", _("Choose a provider of this service in the community."))
        services.order_assign(actor=user, order=o, provider=provider, note=p.get("note", ""))
        messages.success(request, _("Assigned to %(p)s.") % {"p": provider.provider_name})
    elif action == "refuse":
        services.order_refuse(actor=user, order=o, reason=p.get("reason", ""))
        messages.success(request, _("The order is refused; the resident is told why."))
    elif action == "reveal":
        contact = services.order_contact(actor=user, order=o)
        return render(request, "cobuild/partials/contact.html", {"contact": contact, "order": o})
    return redirect("cobuild:order", pk=o.pk)


@signed_in_page
@require_http_methods(["GET", "POST"])
def need_new(request: HttpRequest) -> HttpResponse:
    if unit_account(request.user):  # a unit's account keeps only its commitment lists: taken there, told why
        messages.info(request, UNITS_KEEP)
        return redirect("cobuild:staff_partners")
    if is_staff_member(request.user):  # a worker records needs on the staff's list, not as a resident
        return redirect(reverse("cobuild:staff_needs") + "#new")
    form = NeedRaiseForm(request.POST or None)

    said = _("Thank you: your need is on the community's needs list. Follow it here.")
    then = success_redirect(request, said, lambda need: reverse("cobuild:my_need", args=[need.pk]))
    done = form_submit(request, form, partial(services.need_raise, actor=request.user), then)
    # Unverified, the need would be refused after it was typed: the way to verify instead of the form.
    verified = selectors.verified_household(request.user) is not None
    context = {
        **_tabs(request),
        "tab": "need",
        "form": form,
        "verified": verified,
        "mine": selectors.my_needs(request.user)[:3],
    }
    return done or render(request, "cobuild/need_new.html", context, status=refused_status(request))


@signed_in_page
def my_needs(request: HttpRequest) -> HttpResponse:
    """The needs I raised, each with its state and what became of it."""
    context = {
        **_tabs(request),
        "tab": "need",
        "needs": _paged(request, selectors.my_needs(request.user), "page"),
    }
    return render(request, "cobuild/my_needs.html", context)


@signed_in_page
def my_need(request: HttpRequest, pk: int) -> HttpResponse:
    """One need I raised: what I wrote, whether the community matched it to a resource, the project formed from
    it and its progress, or why it was closed. Only my own: another's is not found."""
    need = selectors.my_need_get(request.user, pk)
    return render(request, "cobuild/my_need.html", {**_tabs(request), "tab": "need", "need": need})


@signed_in_page
@require_http_methods(["GET", "POST"])
def wishes(request: HttpRequest) -> HttpResponse:
    """Open wishes of my community to adopt (no address), my own wishes and those I adopted; post a wish."""
    form = WishForm(request.POST or None)

    said = _("Your wish is posted. You will be told when someone adopts it.")
    then = success_redirect(request, said, lambda wish: reverse("cobuild:wish", args=[wish.pk]))
    if done := form_submit(request, form, partial(services.wish_post, actor=request.user), then):
        return done
    user = request.user
    context = {
        **_tabs(request),
        "tab": "wishes",
        "form": form,
        "verified": selectors.verified_household(user) is not None,
        "staff": is_staff_member(user),
        "open": _paged(request, selectors.wishes_open_to_adopt(user).exclude(wisher_id=user.pk), "open"),
        # Without a household of their own, the reader sees every community's open wishes: each row says whose.
        "every_community": selectors.home_community(user) is None,
        "mine": _paged(request, Wish.objects.filter(wisher_id=user.pk), "mine"),
        "adopted": _paged(request, Wish.objects.filter(adopter_id=user.pk), "adopted"),
    }
    return render(request, "cobuild/wishes.html", context, status=refused_status(request))


@signed_in_page
def wish(request: HttpRequest, pk: int) -> HttpResponse:
    w = selectors.wish_get_for(request.user, pk)
    user = request.user
    own = w.wisher_id == user.pk or (w.wisher_id is None and w.posted_by_id == user.pk)
    context = {
        **_tabs(request),
        "tab": "wishes",
        "wish": w,
        "own": own,
        "may_adopt": w.state == WishState.OPEN and w.wisher_id != user.pk,
        "fulfil_form": FulfilWishForm() if w.adopter_id == user.pk and w.state == WishState.ADOPTED else None,
        "reply_form": ReplyForm() if own and w.state == WishState.FULFILLED else None,
        "may_reveal": (w.adopter_id == user.pk and w.state not in (WishState.OPEN, WishState.WITHDRAWN))
        or permissions.may(user, "wish_manage", w.community.path),
        "may_withdraw": services.wish_withdrawable_by(user, w),
        **_staff_back(request, "cobuild:staff_wishes", _("Small wishes")),
    }
    return render(request, "cobuild/wish.html", context)


@signed_in_page
@posted_form("cobuild:wish", kwargs=("pk",))
@redirect_on_error("cobuild:wish", "pk")
def wish_act(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    w = selectors.wish_get_for(request.user, pk)
    user = request.user
    p = request.POST
    if action == "adopt":
        services.wish_adopt(actor=user, wish=w, adopter_name=p.get("adopter_name", ""))
        messages.success(request, _("You adopted this wish. The address is now shown to you."))
    elif action == "fulfil":
        services.wish_fulfil(actor=user, wish=w, photo=request.FILES.get("photo"))  # type: ignore[arg-type]
        messages.success(request, _("Thank you! The wisher is told."))
    elif action == "reply":
        services.wish_reply(actor=user, wish=w, thanks=p.get("thanks") == "1", message=p.get("message", ""))
        messages.success(request, _("Your answer is sent."))
    elif action == "withdraw":
        adopted = w.state == WishState.ADOPTED
        services.wish_withdraw(actor=user, wish=w, reason=p.get("reason", ""))
        said = _("Your wish is withdrawn; the person who adopted it is told.") if adopted else None
        messages.success(request, said or _("Your wish is withdrawn."))
    elif action == "reveal":
        contact = services.wish_contact(actor=user, wish=w)
        return render(request, "cobuild/partials/contact.html", {"contact": contact})
    return redirect("cobuild:wish", pk=w.pk)
