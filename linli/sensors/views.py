"""Staff pages of sensors: the live list of alarms (refreshed every few seconds), an alarm's page with
acknowledge / clear / false alarm, and the devices with their heartbeat and battery."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from linli.appeals.selectors import appeals_visible_to
from linli.core.pages import posted_form, redirect_on_error, staff_page

from . import permissions, selectors, services
from .appeal_link import sentences
from .choices import AlarmState, DeviceKind

ALARMS_PER_PAGE = 50  # the alarms, newest first, page by page (a year of them is every one reached)
DEVICES_PER_PAGE = 50  # the devices page: the offline first, then by code, page by page


def _orders(request: HttpRequest, numbers: set[str]) -> dict[str, int]:
    """Each work order of these numbers the person may open, by its number (one query), so a list links it."""
    numbers.discard("")
    if not numbers:
        return {}
    visible = appeals_visible_to(request.user).filter(tracking_number__in=numbers)
    return dict(visible.values_list("tracking_number", "pk"))


def _alarm_rows(request: HttpRequest) -> dict[str, object]:
    show = request.GET.get("show", "open")
    alarms = selectors.alarms_visible_to(request.user)
    if show == "open":
        alarms = alarms.filter(state=AlarmState.ACTIVE)
    page = Paginator(alarms, ALARMS_PER_PAGE).get_page(request.GET.get("page"))
    rows = list(page.object_list)
    orders = _orders(request, {a.appeal_number for a in rows})
    for alarm in rows:
        alarm.appeal_pk = orders.get(alarm.appeal_number)  # type: ignore[attr-defined]
    return {
        "alarms": rows,
        "page": page,
        "show": show,
        "figures": selectors.alarm_figures(request.user),
    }


@staff_page
@require_GET
def alarm_list(request: HttpRequest) -> HttpResponse:
    context = {**_alarm_rows(request), "section": "alarms", "devices": selectors.device_figures(request.user)}
    return render(request, "sensors/alarms.html", context)


@staff_page
@require_GET
def alarm_rows(request: HttpRequest) -> HttpResponse:
    """The list's body alone, polled by htmx so a new alarm shows up within seconds."""
    return render(request, "sensors/partials/alarm_rows.html", _alarm_rows(request))


@staff_page
@require_GET
def alarm_detail(request: HttpRequest, pk: int) -> HttpResponse:
    alarm = selectors.alarm_get_for(request.user, pk)
    context = {
        "alarm": alarm,
        "may": permissions.actions_for(request.user, alarm.org_path),
        "appeal_pk": appeals_visible_to(request.user)
        .filter(tracking_number=alarm.appeal_number)
        .values_list("pk", flat=True)
        .first()
        if alarm.appeal_number
        else None,
        "order_ms": round((alarm.ordered_at - alarm.raised_at).total_seconds() * 1000)
        if alarm.ordered_at
        else None,
        "section": "alarms",
    }
    return render(request, "sensors/alarm.html", context)


@staff_page
@posted_form("sensors:alarm")
@redirect_on_error("sensors:alarm", "pk")
def alarm_acknowledge(request: HttpRequest, pk: int) -> HttpResponse:
    alarm = selectors.alarm_get_for(request.user, pk)
    services.alarm_acknowledge(actor=request.user, alarm=alarm, note=request.POST.get("note", ""))
    messages.success(request, _("Acknowledged: escalation stopped. Handle the work order."))
    return redirect("sensors:alarm", pk)


@staff_page
@posted_form("sensors:alarm")
@redirect_on_error("sensors:alarm", "pk")
def alarm_clear(request: HttpRequest, pk: int) -> HttpResponse:
    alarm = selectors.alarm_get_for(request.user, pk)
    if request.POST.get("false_alarm"):
        _alarm, order = services.alarm_mark_false(
            actor=request.user, alarm=alarm, reason=request.POST.get("reason", "")
        )
        done = _("Marked as a false alarm.")
    else:
        _alarm, order = services.alarm_clear(actor=request.user, alarm=alarm)
        done = _("The alarm is cleared.")
    messages.success(request, sentences(done, order.message if order else ""))
    return redirect("sensors:alarm", pk)


@staff_page
@require_GET
def device_list(request: HttpRequest) -> HttpResponse:
    devices = selectors.devices_visible_to(request.user)
    state = request.GET.get("state", "")
    state = state if state in ("offline", "low_battery") else ""
    if state == "offline":
        devices = devices.filter(online=False)
    elif state == "low_battery":
        devices = devices.filter(battery_pct__lt=services.LOW_BATTERY_PCT)
    kind = request.GET.get("kind", "")
    if kind in DeviceKind.values:
        devices = devices.filter(kind=kind)
    page = Paginator(devices.order_by("online", "code"), DEVICES_PER_PAGE).get_page(request.GET.get("page"))
    rows = list(page.object_list)
    orders = _orders(request, {d.battery_order for d in rows})  # a low battery's work order, linked
    for d in rows:
        d.order_pk = orders.get(d.battery_order)  # type: ignore[attr-defined]
    context = {
        "devices": rows,
        "page": page,
        "figures": selectors.device_figures(request.user),
        "state": state,
        "kind": kind,
        "kinds": DeviceKind.choices,
        "section": "devices",
        "low_battery": services.LOW_BATTERY_PCT,
        "every": f"?kind={kind}" if kind else "?",  # every sensor (of the kind chosen), whatever its state
    }
    return render(request, "sensors/devices.html", context)
