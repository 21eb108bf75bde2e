"""Django admin for configuring the territory: org tree, grids, buildings and organisations.

New org nodes, grids, buildings, households and organisations are created through the territory services, so the
admin obeys the same rules as imports and the API (parent kinds, unique codes, valid polygons, locator refresh).
Residents are shown read-only here, with personal data masked; they are kept through imports
and the staff pages, where every read of personal data is audited.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import partial
from typing import Any

from django import forms
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.db.models import Count, Model, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from linli.core.admin import ReadOnlyAdmin, SnapshotModelAdmin
from linli.core.audit import audit_record
from linli.core.pages import form_errors
from linli.core.roles import Role

from . import services
from .choices import NODE_PARENT_KIND
from .geometry import geometry_fields
from .locator import GRIDS
from .models import Building, Grid, Household, Organisation, OrgNode, Resident, Venue, Visit
from .services.housing import check_inside


def create_through(
    request: HttpRequest, obj: Model, service: Callable[..., Model], fields: Iterable[str], *also: str
) -> None:
    """Add `obj` through its service (so the admin obeys the services' rules): the fields named are passed on,
    and the new row's key (and the `also` fields the service derived) come back into `obj`."""
    created = service(actor=request.user, **{name: getattr(obj, name) for name in fields})
    for name in ("pk", *also):
        setattr(obj, name, getattr(created, name))
    obj._state.adding = False


class AuditedDeletes(admin.ModelAdmin):
    """A row deleted here (one, or several by the list's action) leaves an audit entry `<model>_delete` naming who
    and what it was, as the services' creations and changes do."""

    def _audit_delete(self, request: HttpRequest, obj: Model) -> None:
        detail = {"name": str(obj), "code": getattr(obj, "code", "")}
        audit_record(actor=request.user, action=f"{obj._meta.model_name}_delete", obj=obj, detail=detail)

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        self._audit_delete(request, obj)
        super().delete_model(request, obj)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> None:
        for obj in queryset:
            self._audit_delete(request, obj)
        super().delete_queryset(request, queryset)


class OrgNodeForm(forms.ModelForm):
    class Meta:
        model = OrgNode
        fields = ["kind", "name", "code", "parent"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        kind, parent = data.get("kind"), data.get("parent")
        if kind and self.instance.pk is None:
            expected = NODE_PARENT_KIND.get(kind)
            if expected is None and parent is not None:
                self.add_error("parent", _("A district has no parent."))
            elif expected is not None and (parent is None or parent.kind != expected):
                self.add_error(
                    "parent",
                    _(
                        "Choose a parent of the right kind: a street under a district, a community under a street, a compound under a community."
                    ),
                )
        return data


@admin.register(OrgNode)
class OrgNodeAdmin(AuditedDeletes):
    form = OrgNodeForm
    list_display = ["name", "kind", "code", "parent", "grid_count"]
    list_filter = ["kind"]
    search_fields = ["name", "code"]
    ordering = ["path"]
    readonly_fields = ["path", "depth", "created_at", "updated_at"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[OrgNode]:
        return super().get_queryset(request).select_related("parent").annotate(n_grids=Count("grids"))

    @admin.display(description=_("grids"), ordering="n_grids")
    def grid_count(self, obj: OrgNode) -> int:
        return getattr(obj, "n_grids", 0)

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        # Moving a node would move its whole subtree and everyone's scope: not a configuration edit.
        return [*self.readonly_fields, "kind", "parent"] if obj else list(self.readonly_fields)

    def save_model(self, request: HttpRequest, obj: OrgNode, form: Any, change: bool) -> None:
        if change:
            services.org_node_update(actor=request.user, node=obj, name=obj.name, code=obj.code)
            return
        create_through(
            request, obj, services.org_node_create, ["kind", "name", "code", "parent"], "path", "depth"
        )


class _BoundaryField(forms.JSONField):
    """An empty boundary is an empty box, not the text "null"."""

    def prepare_value(self, value: Any) -> Any:
        return "" if value is None else super().prepare_value(value)


class GridForm(forms.ModelForm):
    boundary = _BoundaryField(
        label=_("boundary"),
        help_text=_('GeoJSON polygon, e.g. {"type": "Polygon", "coordinates": [[[lng, lat], …]]}'),
        widget=forms.Textarea(attrs={"rows": 6}),
    )

    class Meta:
        model = Grid
        fields = ["code", "name", "kind", "org_node", "parent_grid", "boundary", "station_name", "workers"]

    def clean_boundary(self) -> Any:
        boundary = self.cleaned_data.get("boundary")
        try:
            geometry_fields(boundary or {})
        except (ValueError, TypeError, KeyError, AttributeError) as exc:
            raise forms.ValidationError(
                _("The boundary is not a valid closed polygon: %(error)s") % {"error": exc}
            ) from None
        return boundary

    def clean_org_node(self) -> Any:
        node = self.cleaned_data.get("org_node")
        if node is not None and node.kind not in ("community", "compound"):
            raise forms.ValidationError(_("A grid belongs to a community or a compound."))
        return node

    def clean_parent_grid(self) -> Any:
        parent = self.cleaned_data.get("parent_grid")
        if parent is not None and self.instance.pk and parent.pk == self.instance.pk:
            raise forms.ValidationError(_("A grid cannot be its own parent grid."))
        return parent


def area_text(area_m2: float) -> str:
    """A grid's area as a person reads it: square metres to the metre under a square kilometre, else km² to
    two places."""
    if area_m2 < 1_000_000:
        return f"{area_m2:,.0f} m²"
    return f"{area_m2 / 1_000_000:,.2f} km²"


@admin.register(Grid)
class GridAdmin(AuditedDeletes, SnapshotModelAdmin):
    """Every save goes through the grid services (`grid_create`, `grid_update`: checked, audited, the grids'
    snapshot bumped), the workers with it; the area and centre derived from the boundary are shown rounded."""

    snapshot_names = (GRIDS,)  # a grid deleted here; a save bumps through its service
    form = GridForm
    list_display = ["code", "name", "kind", "org_node", "station_name", "area_display"]
    list_filter = ["kind", "org_node__parent"]
    search_fields = ["code", "name", "org_node__name"]
    list_select_related = ["org_node"]
    filter_horizontal = ["workers"]
    raw_id_fields = ["parent_grid"]
    readonly_fields = ["area_display", "centre_display", "created_at", "updated_at"]

    @admin.display(description=_("surface area"), ordering="area_m2")
    def area_display(self, obj: Grid) -> str:
        return area_text(obj.area_m2) if obj.pk else "—"

    @admin.display(description=_("centre (longitude, latitude)"))
    def centre_display(self, obj: Grid) -> str:
        return f"{obj.centroid_lng:.6f}, {obj.centroid_lat:.6f}" if obj.pk else "—"

    def formfield_for_manytomany(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        if db_field.name == "workers":
            kwargs["queryset"] = get_user_model().objects.filter(
                role__in=[Role.GRID_WORKER, Role.COMMUNITY_WORKER]
            )
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        if db_field.name == "org_node":
            kwargs["queryset"] = OrgNode.objects.filter(kind__in=["community", "compound"]).order_by("path")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request: HttpRequest, obj: Grid, form: Any, change: bool) -> None:
        workers = list(form.cleaned_data.get("workers") or [])
        fields = ["code", "name", "kind", "org_node", "parent_grid", "boundary", "station_name"]
        if not change:
            create_through(request, obj, partial(services.grid_create, workers=workers), fields)
            return
        values = {name: getattr(obj, name) for name in fields}  # the form's values, set on obj by the admin
        services.grid_update(actor=request.user, grid=obj, workers=workers, **values)

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        """The workers were saved with the grid by its service (save_model); nothing else hangs on a grid."""


class BuildingForm(forms.ModelForm):
    class Meta:
        model = Building
        fields = [
            "grid",
            "compound",
            "code",
            "name",
            "address",
            "lng",
            "lat",
            "floors",
            "households_per_floor",
            "captain",
        ]

    def clean(self) -> dict[str, Any]:
        """The services' rules for homes per floor and the captain, as errors on the form's fields."""
        data = super().clean() or {}
        with form_errors(self):
            services.check_households_per_floor(data.get("households_per_floor") or 0)
        if self.instance.pk and "captain" in self.changed_data:
            with form_errors(self):
                services.check_captain(self.instance, data.get("captain"))
        lng, lat = data.get("lng"), data.get("lat")
        if (
            self.instance.pk
            and {"lng", "lat"} & set(self.changed_data)
            and lng is not None
            and lat is not None
        ):
            with form_errors(self):
                check_inside(self.instance.grid, lng, lat)
        return data


# What the admin's change form of a building passes to `building_update`.
BUILDING_CHANGES = ("compound", "name", "address", "lng", "lat", "floors", "households_per_floor", "captain")


@admin.register(Building)
class BuildingAdmin(AuditedDeletes):
    form = BuildingForm
    list_display = ["code", "name", "address", "grid", "compound", "floors"]
    search_fields = ["code", "name", "address"]
    list_select_related = ["grid", "compound"]
    raw_id_fields = ["grid", "compound", "captain"]
    readonly_fields = ["created_at", "updated_at"]

    def save_model(self, request: HttpRequest, obj: Building, form: Any, change: bool) -> None:
        if change:  # through its service: checked (the position inside its grid, homes per floor) and audited
            values = {name: getattr(obj, name) for name in BUILDING_CHANGES}
            services.building_update(actor=request.user, building=obj, **values)
            return
        fields = ["grid", "compound", "code", "name", "address", "lng", "lat", "floors"]
        fields += ["households_per_floor", "captain"]
        create_through(request, obj, services.building_create, fields, "address_key")

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        # Its grid and code stay: moving a building moves its households and residents, an import's matter.
        return [*self.readonly_fields, "grid", "code"] if obj else list(self.readonly_fields)

    def get_exclude(self, request: HttpRequest, obj: Any = None) -> list[str]:
        # The captain lives in the building: a new one, where no one lives yet, has none (see building_create).
        return [*(super().get_exclude(request, obj) or ()), *([] if obj else ["captain"])]


@admin.register(Household)
class HouseholdAdmin(ReadOnlyAdmin):
    list_display = ["code", "address", "building", "is_rented"]
    list_filter = ["is_rented"]
    search_fields = ["code", "address"]
    list_select_related = ["building"]


@admin.register(Resident)
class ResidentAdmin(ReadOnlyAdmin):
    list_display = ["name", "gender", "birth_date", "grid", "phone_display", "id_number_masked", "care_level"]
    list_filter = ["care_level", "gender", "is_demo"]
    search_fields = ["name"]
    list_select_related = ["grid"]
    readonly_fields = (
        "name",
        "gender",
        "birth_date",
        "grid",
        "household",
        "phone_display",
        "id_number_masked",
        "relation",
        "tags",
        "care_level",
        "is_demo",
    )
    fields = readonly_fields
    show_full_result_count = False

    @admin.display(description=_("phone"))
    def phone_display(self, obj: Resident) -> str:
        return obj.phone_masked


@admin.register(Organisation)
class OrganisationAdmin(AuditedDeletes):
    list_display = ["name", "kind", "code", "org_node", "phone"]
    list_filter = ["kind"]
    search_fields = ["name", "code"]
    list_select_related = ["org_node"]
    readonly_fields = ["created_at", "updated_at"]

    def save_model(self, request: HttpRequest, obj: Organisation, form: Any, change: bool) -> None:
        fields = services.ORGANISATION_FIELDS
        if change:
            values = {name: getattr(obj, name) for name in fields}
            services.organisation_update(actor=request.user, organisation=obj, **values)
            return
        create_through(request, obj, services.organisation_create, fields)


@admin.register(Venue)
class VenueAdmin(ReadOnlyAdmin):
    list_display = ["name", "category", "grid", "state", "inspected_on"]
    list_filter = ["category", "state"]
    search_fields = ["name", "address", "owner_name"]
    list_select_related = ["grid"]
    readonly_fields = (
        "grid",
        "category",
        "name",
        "address",
        "lng",
        "lat",
        "owner_name",
        "state",
        "inspected_on",
    )
    fields = readonly_fields


@admin.register(Visit)
class VisitAdmin(ReadOnlyAdmin):
    list_display = ["visited_at", "grid", "household", "venue", "visitor", "follow_up", "appeal_number"]
    list_filter = ["visited_at"]
    search_fields = ["found", "appeal_number"]
    list_select_related = ["grid", "household", "venue", "visitor"]
    readonly_fields = (
        "grid",
        "household",
        "venue",
        "visitor",
        "visited_at",
        "found",
        "follow_up",
        "appeal_number",
    )
    fields = readonly_fields
    show_full_result_count = False
