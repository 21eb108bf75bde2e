"""Pages that keep the register up to date: a person (details, history, edit, move, move away, death), a household
(members, tenure and area, a family's move, birth, move-in, split, merge, head) and a building (figures, captain,
households). Objects come through the scoping selectors (outside the scope: 404); every write is a service call;
a form the service refuses is shown again with its error and everything typed kept (status 422)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from linli.core.errors import NotFound
from linli.core.pages import form_errors, go_to, posted_form, staff_page
from linli.core.scoping import Viewer, may_see_personal_data

from . import selectors, services
from .choices import ResidentTag
from .crumbs import building_crumbs, grid_crumbs, household_crumbs
from .field_views import VISITS_PER_PAGE
from .models import Building, Household, Resident
from .register_forms import (
    BuildingForm,
    DeathForm,
    HeadForm,
    HouseholdAddForm,
    HouseholdCodeForm,
    HouseholdForm,
    HouseholdsBatchForm,
    MoveInForm,
    MoveOutForm,
    PersonForm,
    ResidentForm,
    SplitForm,
)
from .services.common import may_maintain, may_visit, require_maintainer
from .services.homes import HomesPlan
from .services.housing import capacity

Forms = dict[str, forms.Form]


def _done(request: HttpRequest, url: str, message: str) -> HttpResponse:
    messages.success(request, message)
    return go_to(request, url)


def _household_by_code(user: Viewer, form: forms.Form) -> Household:
    code = form.cleaned_data["household"].strip()
    found = selectors.households_visible_to(user).select_related("building__grid").filter(code=code).first()
    if found is None:
        form.add_error("household", _("No household with this code in your area."))
        raise _Invalid
    return found


class _Invalid(Exception):
    """The form holds errors: show the page again."""


def _act(
    request: HttpRequest,
    name: str,
    form: forms.Form,
    page: Callable[[Forms], HttpResponse],
    write: Callable[[dict[str, Any]], tuple[str, str]],
) -> HttpResponse:
    """Run `write(cleaned data)` (which calls one service and returns (url, message)) when the form is valid and
    the service accepts it; otherwise the page again with the form, its errors and everything typed (422)."""
    require_maintainer(request.user)
    if form.is_valid():
        with form_errors(form):
            try:
                url, message = write(form.cleaned_data)
            except _Invalid:
                pass
            else:
                return _done(request, url, message)
    response = page({name: form})
    response.status_code = 422
    return response


# ---------------------------------------------------------------------------------------------- a person


def _age(r: Resident) -> int:
    today = timezone.localdate()
    return (
        today.year - r.birth_date.year - ((today.month, today.day) < (r.birth_date.month, r.birth_date.day))
    )


def _resident_page(request: HttpRequest, r: Resident, bound: Forms | None = None) -> HttpResponse:
    bound = bound or {}
    labels = dict(ResidentTag.choices)
    initial = {
        "name": r.name,
        "gender": r.gender,
        "birth_date": r.birth_date,
        "tags": r.tag_list,
        "care_level": r.care_level,
        "occupation": r.occupation,
        "relation": r.relation,
        "registered_address": r.registered_address,
        "lease_ends_on": r.lease_ends_on,
        "notes": r.notes,
    }
    context = {
        "r": r,
        "crumbs": household_crumbs(request.user, r.household)
        if r.household
        else grid_crumbs(request.user, r.grid),
        "age": _age(r),
        "tag_labels": [labels.get(t, t) for t in r.tag_list],
        "history": list(selectors.resident_history(r)),
        "may_maintain": may_maintain(request.user) and r.status == "present",
        "may_reveal": may_see_personal_data(request.user) and bool(r.phone or r.id_number_masked),
        "may_visit": may_visit(request.user) and r.household is not None,
        "edit_form": bound.get("edit")
        or ResidentForm(initial=initial, phone_masked=r.phone_masked, id_number_masked=r.id_number_masked),
        "move_form": bound.get("move") or HouseholdCodeForm(),
        "move_out_form": bound.get("move_out") or MoveOutForm(),
        "death_form": bound.get("death") or DeathForm(),
        "open": next(iter(bound), ""),
    }
    return render(request, "territory/resident_detail.html", _ids_apart(context))


def _ids_apart(context: dict[str, Any]) -> dict[str, Any]:
    """Each action's form on a page its own ids ("death-on"), the edit form Django's ("id_name"): a resident's page
    holds four forms and a household's seven, and two fields of one name (日期, 户编码, 姓名) shared an id, so a
    label named the first form's field and the second was read without its name."""
    for key, form in context.items():
        if key.endswith("_form") and key != "edit_form":
            form.auto_id = f"{key.removesuffix('_form')}-%s"
    return context


def _resident(request: HttpRequest, pk: int) -> Resident:
    return selectors.resident_get_for(request.user, pk)


@staff_page
@require_GET
def resident_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _resident_page(request, _resident(request, pk))


@staff_page
@posted_form("territory:resident")
def resident_edit(request: HttpRequest, pk: int) -> HttpResponse:
    r = _resident(request, pk)

    def write(data: dict[str, Any]) -> tuple[str, str]:
        # The phone and ID number are never put in the form in clear (that would be an unaudited reveal): empty
        # keeps them.
        data["phone"] = data["phone"] or None
        data["id_number"] = data["id_number"] or None
        services.resident_update(actor=request.user, resident=r, **data)
        return reverse("territory:resident", args=[r.pk]), _("Saved.")

    form = ResidentForm(request.POST, phone_masked=r.phone_masked, id_number_masked=r.id_number_masked)
    return _act(request, "edit", form, lambda b: _resident_page(request, r, b), write)


@staff_page
@posted_form("territory:resident")
def resident_move(request: HttpRequest, pk: int) -> HttpResponse:
    r = _resident(request, pk)

    def write(data: dict[str, Any]) -> tuple[str, str]:
        to = _household_by_code(request.user, form)
        services.resident_move(
            actor=request.user, resident=r, to_household=to, on=data["on"], note=data["note"]
        )
        return reverse("territory:resident", args=[r.pk]), _("%(name)s now lives in %(address)s.") % {
            "name": r.name,
            "address": to.address,
        }

    form = HouseholdCodeForm(request.POST)
    return _act(request, "move", form, lambda b: _resident_page(request, r, b), write)


@staff_page
@posted_form("territory:resident")
def resident_move_out(request: HttpRequest, pk: int) -> HttpResponse:
    r = _resident(request, pk)

    def write(data: dict[str, Any]) -> tuple[str, str]:
        services.resident_move_out(actor=request.user, resident=r, **data)
        return reverse("territory:resident", args=[r.pk]), _("Recorded: %(name)s moved away.") % {
            "name": r.name
        }

    return _act(
        request, "move_out", MoveOutForm(request.POST), lambda b: _resident_page(request, r, b), write
    )


@staff_page
@posted_form("territory:resident")
def resident_death(request: HttpRequest, pk: int) -> HttpResponse:
    r = _resident(request, pk)

    def write(data: dict[str, Any]) -> tuple[str, str]:
        services.resident_death(actor=request.user, resident=r, on=data["on"])
        return reverse("territory:resident", args=[r.pk]), _("Recorded: %(name)s died.") % {"name": r.name}

    return _act(request, "death", DeathForm(request.POST), lambda b: _resident_page(request, r, b), write)


# ---------------------------------------------------------------------------------------------- a household


def _member_choices(h: Household) -> list[tuple[int, str]]:
    return [(m.pk, f"{m.name}（{m.relation or '—'}）") for m in selectors.household_members(h)]


def _household_page(request: HttpRequest, h: Household, bound: Forms | None = None) -> HttpResponse:
    bound = bound or {}
    members = list(selectors.household_members(h))
    choices = _member_choices(h)
    initial = {
        "room": h.room,
        "entrance": h.entrance.number if h.entrance else "",
        "is_rented": "1" if h.is_rented else "0",
        "floor_area": h.floor_area or "",
    }
    context = {
        "h": h,
        "crumbs": building_crumbs(request.user, h.building),
        "members": members,
        "may_maintain": may_maintain(request.user),
        "may_visit": may_visit(request.user),
        "edit_form": bound.get("edit")
        or HouseholdForm(initial=initial, entrances=_entrance_numbers(h.building)),
        "move_form": bound.get("move") or HouseholdCodeForm(),
        "birth_form": bound.get("birth") or PersonForm(),
        "move_in_form": bound.get("move_in") or MoveInForm(),
        "split_form": bound.get("split") or SplitForm(members=choices),
        "merge_form": bound.get("merge") or HouseholdCodeForm(),
        "head_form": bound.get("head") or HeadForm(members=choices),
        "open": next(iter(bound), ""),
        "codes": _household_codes(request, h) if may_maintain(request.user) else [],
        # What was found at this door before and what is still to follow up, read before knocking again.
        "visits": Paginator(
            selectors.visits_visible_to(request.user).filter(household=h).order_by("-visited_at", "-id"),
            VISITS_PER_PAGE,
        ).get_page(request.GET.get("page")),
    }
    return render(request, "territory/household_detail.html", _ids_apart(context))


# The households a move or a merge most often names: the others of the same grid (the field takes any code).
CODES_LISTED = 300


def _household_codes(request: HttpRequest, h: Household) -> list[tuple[str, str]]:
    """The codes and addresses of the grid's other households, for the move and merge fields' suggestions."""
    others = (
        selectors.households_visible_to(request.user)
        .filter(building__grid_id=h.building.grid_id)
        .exclude(pk=h.pk)
        .order_by("code")
    )
    return list(others.values_list("code", "address")[:CODES_LISTED])


def _household(request: HttpRequest, pk: int) -> Household:
    return selectors.household_get_for(request.user, pk)


def _household_action(
    request: HttpRequest, pk: int, name: str, make: Callable[[Household], forms.Form], act: Callable[..., str]
) -> HttpResponse:
    h = _household(request, pk)
    form = make(h)

    def write(data: dict[str, Any]) -> tuple[str, str]:
        message = act(h, form, data)
        return reverse("territory:household", args=[h.pk]), message

    return _act(request, name, form, lambda b: _household_page(request, h, b), write)


@staff_page
@require_GET
def household_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _household_page(request, _household(request, pk))


@staff_page
@posted_form("territory:household")
def household_edit(request: HttpRequest, pk: int) -> HttpResponse:
    def act(h: Household, form: forms.Form, data: dict[str, Any]) -> str:
        # A room typed wrong or the entrance mixed up is corrected here; the address follows them.
        number = data.pop("entrance")
        entrance = h.building.entrances.filter(number=number).first() if number is not None else None
        services.household_update(actor=request.user, household=h, entrance=entrance, **data)
        return _("Saved.")

    def form(h: Household) -> HouseholdForm:
        return HouseholdForm(request.POST, entrances=_entrance_numbers(h.building))

    return _household_action(request, pk, "edit", form, act)


@staff_page
@posted_form("territory:household")
def household_move(request: HttpRequest, pk: int) -> HttpResponse:
    def act(h: Household, form: forms.Form, data: dict[str, Any]) -> str:
        to = _household_by_code(request.user, form)
        n = services.household_move(
            actor=request.user, household=h, to_household=to, on=data["on"], note=data["note"]
        )
        return _("%(n)d people moved to %(address)s.") % {"n": n, "address": to.address}

    return _household_action(request, pk, "move", lambda h: HouseholdCodeForm(request.POST), act)


@staff_page
@posted_form("territory:household")
def household_merge(request: HttpRequest, pk: int) -> HttpResponse:
    def act(h: Household, form: forms.Form, data: dict[str, Any]) -> str:
        into = _household_by_code(request.user, form)
        n = services.households_merge(actor=request.user, household=h, into=into, on=data["on"])
        return _("%(n)d people joined household %(code)s.") % {"n": n, "code": into.code}

    return _household_action(request, pk, "merge", lambda h: HouseholdCodeForm(request.POST), act)


def _newcomer(
    request: HttpRequest,
    pk: int,
    name: str,
    form_class: type[forms.Form],
    service: Callable[..., Resident],
    message: str,
) -> HttpResponse:
    """A person joining the household (born into it, moving in): `service` registers them from the form's data;
    `message` names them."""

    def act(h: Household, form: forms.Form, data: dict[str, Any]) -> str:
        person = service(actor=request.user, household=h, **data)
        return message % {"name": person.name}

    return _household_action(request, pk, name, lambda h: form_class(request.POST), act)


@staff_page
@posted_form("territory:household")
def household_birth(request: HttpRequest, pk: int) -> HttpResponse:
    born = _("Recorded: %(name)s was born.")
    return _newcomer(request, pk, "birth", PersonForm, services.resident_birth, born)


@staff_page
@posted_form("territory:household")
def household_move_in(request: HttpRequest, pk: int) -> HttpResponse:
    moved_in = _("Recorded: %(name)s moved in.")
    return _newcomer(request, pk, "move_in", MoveInForm, services.resident_move_in, moved_in)


def _members_named(h: Household, ids: list[int]) -> list[Resident]:
    return list(selectors.household_members(h).filter(pk__in=ids))


@staff_page
@posted_form("territory:household")
def household_split(request: HttpRequest, pk: int) -> HttpResponse:
    def act(h: Household, form: forms.Form, data: dict[str, Any]) -> str:
        members = _members_named(h, data["members"])
        head = next((m for m in members if m.pk == data["head"]), None)
        if head is None:
            form.add_error("head", _("The head must be one of the members who leave."))
            raise _Invalid
        new = services.household_split(
            actor=request.user,
            household=h,
            members=members,
            code=data["code"],
            room=data["room"],
            head=head,
            on=data["on"],
        )
        return _("Household %(code)s formed.") % {"code": new.code}

    return _household_action(
        request, pk, "split", lambda h: SplitForm(request.POST, members=_member_choices(h)), act
    )


@staff_page
@posted_form("territory:household")
def household_head(request: HttpRequest, pk: int) -> HttpResponse:
    def act(h: Household, form: forms.Form, data: dict[str, Any]) -> str:
        named = _members_named(h, [data["head"]])
        if not named:
            raise NotFound()
        head = named[0]
        services.household_head_change(
            actor=request.user,
            household=h,
            head=head,
            previous_relation=data["previous_relation"],
            on=data["on"],
        )
        return _("%(name)s now heads the household.") % {"name": head.name}

    return _household_action(
        request, pk, "head", lambda h: HeadForm(request.POST, members=_member_choices(h)), act
    )


# ---------------------------------------------------------------------------------------------- a building


def _building_page(
    request: HttpRequest,
    b: Building,
    bound: Forms | None = None,
    preview: HomesPlan | None = None,
    notice: str = "",
) -> HttpResponse:
    """The building's page; `bound` a refused (or previewed) form, open; `preview` the homes the batch form would
    add, with the confirmation carrying what was previewed."""
    bound = bound or {}
    households = list(selectors.building_households(b))
    initial = {
        "name": b.name,
        "address": b.address,
        "lng": b.lng,
        "lat": b.lat,
        "floors": b.floors,
        "entrances": b.entrances.count(),
        "households_per_floor": b.households_per_floor,
        "captain": b.captain_id,
    }
    context = {
        "b": b,
        "crumbs": grid_crumbs(request.user, b.grid),
        "households": households,
        "people": sum(h.n_present for h in households),  # type: ignore[attr-defined]
        "capacity": capacity(b),
        "entrance_count": initial["entrances"],
        "may_maintain": may_maintain(request.user),
        "edit_form": bound.get("edit") or BuildingForm(initial=initial, residents=_building_residents(b)),
        "add_form": bound.get("add") or HouseholdAddForm(entrances=_entrance_numbers(b)),
        "homes_form": bound.get("homes") or HouseholdsBatchForm(building=b),
        "preview": _preview(preview) if preview is not None else None,
        "notice": notice,
        "open": next(iter(bound), ""),
    }
    return render(request, "territory/building_detail.html", context)


def _rooms_shown(rooms: list[str], most: int = 8) -> str:
    """A run of rooms for the preview: all of a few, else the first and the last ones (101、102、201 … 601、602)."""
    if len(rooms) <= most:
        return "、".join(rooms)
    return "、".join(rooms[:3]) + " … " + "、".join(rooms[-2:])


def _entrance_label(number: int | None) -> str:
    return _("Entrance %(n)d") % {"n": number} if number else _("No entrance")


def _preview(plan: HomesPlan) -> dict[str, Any]:
    """What the batch would add, entrance by entrance, and the rooms already in the register it skips."""
    skipped = [f"{_entrance_label(n)} {room}" if n else room for n, room in plan.existing]
    return {
        "count": len(plan.new),
        "entrances": [
            {"label": _entrance_label(n), "rooms": _rooms_shown(rooms), "count": len(rooms)}
            for n, rooms in plan.by_entrance()
        ],
        "skipped_count": len(skipped),
        "skipped": "、".join(skipped[:10]) + (" …" if len(skipped) > 10 else ""),
    }


def _entrance_numbers(b: Building) -> list[int]:
    return list(b.entrances.order_by("number").values_list("number", flat=True))


def _building_residents(b: Building) -> list[tuple[int, str]]:
    residents = Resident.objects.filter(household__building=b, status="present").select_related("household")
    return [
        (r.pk, f"{r.name}（{r.household.room if r.household else ''}）")
        for r in residents.order_by("household__room", "id")
    ]


@staff_page
@require_GET
def building_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _building_page(request, selectors.building_get_for(request.user, pk))


@staff_page
@posted_form("territory:building")
def building_edit(request: HttpRequest, pk: int) -> HttpResponse:
    b = selectors.building_get_for(request.user, pk)

    def write(data: dict[str, Any]) -> tuple[str, str]:
        captain_id = data.pop("captain")
        captain = (
            Resident.objects.filter(pk=captain_id, household__building=b).first() if captain_id else None
        )
        services.building_update(actor=request.user, building=b, captain=captain, **data)
        return reverse("territory:building", args=[b.pk]), _("Saved.")

    form = BuildingForm(request.POST, residents=_building_residents(b))
    return _act(request, "edit", form, lambda bound: _building_page(request, b, bound), write)


@staff_page
@posted_form("territory:building")
def building_household_add(request: HttpRequest, pk: int) -> HttpResponse:
    """A home of the building not in the register yet: on to its page, where its people move in."""
    b = selectors.building_get_for(request.user, pk)

    def write(data: dict[str, Any]) -> tuple[str, str]:
        number = data.pop("entrance")
        entrance = b.entrances.filter(number=number).first() if number is not None else None
        h = services.household_add(actor=request.user, building=b, entrance=entrance, **data)
        message = _("Household %(room)s added: register who lives there with “Someone moves in”.") % {
            "room": h.room
        }
        return reverse("territory:household", args=[h.pk]), message

    form = HouseholdAddForm(request.POST, entrances=_entrance_numbers(b))
    return _act(request, "add", form, lambda bound: _building_page(request, b, bound), write)


@staff_page
@posted_form("territory:building")
def building_households_batch(request: HttpRequest, pk: int) -> HttpResponse:
    """A new building's homes all at once. Sent once, the form is previewed (how many homes, which rooms, which are
    already in the register and skipped) with a button to confirm; the confirmation, carrying the count it showed,
    adds them (`services.households_add_all`). A count changed in between (a home added meanwhile) is previewed
    again rather than added unseen; a refusal shows the form again with what was typed (422)."""
    b = selectors.building_get_for(request.user, pk)
    require_maintainer(request.user)
    form = HouseholdsBatchForm(request.POST, building=b)
    if form.is_valid():
        with form_errors(form):
            plan = services.households_add_plan(building=b, **form.cleaned_data)
            if "confirm" not in request.POST:
                return _building_page(request, b, {"homes": form}, preview=plan)
            if request.POST.get("expected") != str(len(plan.new)):
                notice = _("The register changed since the preview: check the homes again, then confirm.")
                return _building_page(request, b, {"homes": form}, preview=plan, notice=notice)
            done = services.households_add_all(actor=request.user, building=b, **form.cleaned_data)
            message = _("%(n)d households added.") % {"n": len(done.created)}
            if done.existing:
                message += " " + _("%(n)d already in the register were left as they are.") % {
                    "n": len(done.existing)
                }
            return _done(request, reverse("territory:building", args=[b.pk]), message)
    response = _building_page(request, b, {"homes": form})
    response.status_code = 422
    return response
