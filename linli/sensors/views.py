"""Staff pages of sensors: the live list of alarms (refreshed every few seconds), an alarm's page with
acknowledge / clear / false alarm, the devices with their heartbeat and battery, and the false-alarm figures (in
all, by compound and by sensor)."""

from __future__ import annotations

from urllib.parse import quote

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from linli.appeals.choices import OPEN_STATE_VALUES, AppealState
from linli.appeals.selectors import appeals_visible_to
from linli.core.pages import posted_form, redirect_on_error, staff_page

from . import imports as device_import
from . import permissions, selectors, services
from .appeal_link import sentences
from .choices import AlarmOutcome, AlarmState, DeviceKind

ALARMS_PER_PAGE = 50  # the alarms, newest first, page by page (a year of them is every one reached)
DEVICES_PER_PAGE = 50  # the devices page: the offline first, then by code, page by page
RATES_PER_PAGE = 50  # the figures page's sensors, the most false alarms first


def _orders(request: HttpRequest, numbers: set[str]) -> dict[str, tuple[int, str]]:
    """Each work order of these numbers the person may open, by its number: its key and state (one query), so a
    list links it and says when it is still open."""
    numbers.discard("")
    if not numbers:
        return {}
    visible = appeals_visible_to(request.user).filter(tracking_number__in=numbers)
    return {
        number: (pk, state) for number, pk, state in visible.values_list("tracking_number", "pk", "state")
    }


# The list's views: the alarms on, every one, those over whose work order is still open, and the false ones.
SHOWS = ("open", "all", "order_open", "false")


def _alarm_rows(request: HttpRequest) -> dict[str, object]:
    show = request.GET.get("show", "open")
    show = show if show in SHOWS else "open"
    alarms = selectors.alarms_visible_to(request.user)
    if show == "open":
        alarms = alarms.filter(state=AlarmState.ACTIVE)
    elif show == "false":
        alarms = alarms.filter(outcome=AlarmOutcome.FALSE)
    ended_open = selectors.alarms_ended_order_open(request.user)
    if show == "order_open":
        alarms = ended_open
    # One sensor's alarms (from the figures page): its code, kept from view to view.
    device = request.GET.get("device", "").strip()[:64]
    if device:
        alarms = alarms.filter(device__code=device)
    page = Paginator(alarms, ALARMS_PER_PAGE).get_page(request.GET.get("page"))
    rows = list(page.object_list)
    orders = _orders(request, {a.appeal_number for a in rows})
    for alarm in rows:
        pk, state = orders.get(alarm.appeal_number, (None, ""))
        alarm.appeal_pk = pk  # type: ignore[attr-defined]
        # Over, its order still at work: the device cleared it, or the person could not finish the order.
        alarm.order_open = alarm.state != AlarmState.ACTIVE and state in OPEN_STATE_VALUES  # type: ignore[attr-defined]
    return {
        "alarms": rows,
        "page": page,
        "show": show,
        "device": device,
        "also": f"&device={quote(device)}" if device else "",  # the filter the view links keep
        "figures": selectors.alarm_figures(request.user),
        "n_ended_open": ended_open.count(),
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
    appeal_pk, order_state = _orders(request, {alarm.appeal_number}).get(alarm.appeal_number, (None, ""))
    order_label = str(AppealState(order_state).label) if order_state else ""
    if order_label and alarm.outcome == AlarmOutcome.FALSE and order_state not in OPEN_STATE_VALUES:
        order_label = _("%(state)s (false alarm)") % {"state": order_label}
    context = {
        "alarm": alarm,
        "appeal_pk": appeal_pk,
        "order_label": order_label,  # the order's state, said beside its number
        # Over, its order still open (with its state's name): the page says so and leads to the order.
        "order_open": AppealState(order_state).label
        if alarm.state != AlarmState.ACTIVE and order_state in OPEN_STATE_VALUES
        else "",
        "may": permissions.actions_for(request.user, alarm.org_path),
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
        d.order_pk = orders.get(d.battery_order, (None, ""))[0]  # type: ignore[attr-defined]
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
        # With no sensor at all: who may register them is told where (the import page's kind).
        "may_register": permissions.may_anywhere(request.user, "device_manage"),
        "import_kind": device_import.LABEL,
    }
    return render(request, "sensors/devices.html", context)


@staff_page
@require_GET
def figures(request: HttpRequest) -> HttpResponse:
    """The false-alarm rate over the last 30, 90 or 365 days: in all, by compound and by sensor (a sensor's row
    leads to its alarms)."""
    try:
        days = int(request.GET.get("days", ""))
    except ValueError:
        days = selectors.FIGURE_DAYS[0]
    days = days if days in selectors.FIGURE_DAYS else selectors.FIGURE_DAYS[0]
    rates = selectors.false_alarm_rates(request.user, days=days)
    page = Paginator(rates["devices"], RATES_PER_PAGE).get_page(request.GET.get("page"))
    context = {
        "rates": rates,
        "days": days,
        "periods": selectors.FIGURE_DAYS,
        "page": page,
        "device_rows": selectors.with_devices(request.user, list(page.object_list)),
        "section": "figures",
    }
    return render(request, "sensors/figures.html", context)
