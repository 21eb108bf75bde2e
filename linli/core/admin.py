"""The audit log and the outbox (read-only, searchable, filterable) and the working-day calendar in the admin;
the base class for admin pages that edit data kept in snapshots; the texts of every admin form limited as the rest
of Linli limits them (`TextLimitsAdmin`, put on every registered admin page by `with_text_limits`)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.contrib.admin.options import BaseModelAdmin
from django.contrib.admin.widgets import AdminDateWidget
from django.db.models import Field, Model, QuerySet
from django.forms import BaseFormSet, ModelForm
from django.forms import Field as FormField
from django.http import HttpRequest
from django.utils.dates import WEEKDAYS
from django.utils.translation import gettext_lazy as _

from . import workdays
from .audit_actions import action_label, object_type_label
from .form_kit import name_length_limit
from .models import AuditEntry, CalendarOverride, OutboxMessage
from .orgpath import tree_labeller
from .snapshots import bump


class TextLimitsAdmin(BaseModelAdmin):
    """An admin page (or inline) whose length-limited texts are limited as every Linli form's are
    (core.form_kit.name_length_limit): the limit given to the browser as `data-max` for web/site.js's counter, not
    `maxlength`, which cuts a pasted text without a word; a text too long refused whole, its field and limit named,
    and shown again in full."""

    def formfield_for_dbfield(
        self, db_field: Field[Any, Any], request: HttpRequest, **kwargs: Any
    ) -> FormField | None:
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if field is not None:
            name_length_limit(field)
        return field


class TreeChoicesAdmin(BaseModelAdmin):
    """An admin page (or inline) whose choices of a tree's nodes (`tree_models`: the org tree, which the app that
    puts this on every admin page names, as core cannot) are labelled with their kind and path
    (core.orgpath.tree_labeller): two 和平社区 of different streets read apart in the user's, a grid's, a team's
    drop-down."""

    tree_models: tuple[type[Model], ...] = ()

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        return self._tree_labelled(db_field, field)

    def formfield_for_manytomany(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        field = super().formfield_for_manytomany(db_field, request, **kwargs)
        return self._tree_labelled(db_field, field)

    def _tree_labelled(self, db_field: Any, field: Any) -> Any:
        model = db_field.related_model
        if field is not None and model in self.tree_models and hasattr(field, "label_from_instance"):
            field.label_from_instance = tree_labeller(model)
        return field


def with_text_limits(admin_class: type[Any], *, mixin: type[Any] = TextLimitsAdmin) -> type[Any]:
    """`admin_class` (a ModelAdmin or an inline) with `mixin` first, its inlines too: how every registered admin
    page gets its texts limited without each app's admin naming it (web's AppConfig re-registers them)."""
    if issubclass(admin_class, mixin):
        return admin_class
    attrs: dict[str, Any] = {"__module__": admin_class.__module__}
    if issubclass(admin_class, admin.ModelAdmin):
        attrs["inlines"] = [with_text_limits(inline, mixin=mixin) for inline in admin_class.inlines]
    return type(admin_class.__name__, (mixin, admin_class), attrs)


class ReadOnlyAdmin(admin.ModelAdmin):
    """Listed and searchable for checking, but written only through services elsewhere (or by the system): no
    add or change, and delete only where `may_delete` says so."""

    may_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self.may_delete and super().has_delete_permission(request, obj)


class SnapshotModelAdmin(admin.ModelAdmin):
    """An admin page that edits configuration kept in per-process snapshots (the dispatch catalogue, deadline rules,
    grids): every save or delete bumps `snapshot_names` in the same transaction, as a service would."""

    snapshot_names: tuple[str, ...] = ()

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        bump(*self.snapshot_names)

    def save_related(
        self, request: HttpRequest, form: ModelForm[Any], formsets: list[BaseFormSet[Any]], change: bool
    ) -> None:
        super().save_related(request, form, formsets, change)
        bump(*self.snapshot_names)  # inline rows (catalogue entries) are saved here

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        super().delete_model(request, obj)
        bump(*self.snapshot_names)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> None:
        super().delete_queryset(request, queryset)
        bump(*self.snapshot_names)


class _LabelledFilter(admin.SimpleListFilter):
    """A filter by the values of one column, each shown in words (core.audit_actions), in the order of the words."""

    field = ""

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        values = AuditEntry.objects.order_by().values_list(self.field, flat=True).distinct()
        return sorted(((v, self.label(v)) for v in values), key=lambda pair: pair[1])

    def label(self, value: str) -> str:
        raise NotImplementedError

    def queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> QuerySet[Any]:
        return queryset.filter(**{self.field: self.value()}) if self.value() else queryset


class ActionFilter(_LabelledFilter):
    title = _("action")
    parameter_name = field = "action"

    def label(self, value: str) -> str:
        return action_label(value)


class ObjectTypeFilter(_LabelledFilter):
    title = _("object type")
    parameter_name = field = "object_type"

    def label(self, value: str) -> str:
        return object_type_label(value)


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdmin):
    """The audit log, each action and kind of row in words (core.audit_actions), the code kept beside for search."""

    list_display = ["at", "actor", "action_words", "object_words", "object_id", "ip"]
    list_filter = [ActionFilter, ObjectTypeFilter]
    search_fields = ["action", "object_id", "actor__username", "actor__display_name", "ip"]
    date_hierarchy = "at"
    list_select_related = ["actor"]
    readonly_fields = (
        "at",
        "actor",
        "action_words",
        "action_code",
        "object_words",
        "object_id",
        "detail",
        "ip",
    )
    fields = readonly_fields

    @admin.display(description=_("action"), ordering="action")
    def action_words(self, entry: AuditEntry) -> str:
        return action_label(entry.action, entry.object_type)

    @admin.display(description=_("code"))
    def action_code(self, entry: AuditEntry) -> str:
        return entry.action

    @admin.display(description=_("object type"), ordering="object_type")
    def object_words(self, entry: AuditEntry) -> str:
        return object_type_label(entry.object_type)


@admin.register(OutboxMessage)
class OutboxMessageAdmin(ReadOnlyAdmin):
    """What is waiting to leave the system and what failed, for an administrator chasing a lost SMS."""

    may_delete = True  # an administrator may clear out messages that will never go

    list_display = ["id", "channel", "recipient_masked", "status", "attempts", "next_attempt_at", "sent_at"]
    list_filter = ["status", "channel"]
    date_hierarchy = "created_at"
    readonly_fields = (
        "channel",
        "recipient_masked",
        "status",
        "attempts",
        "next_attempt_at",
        "sent_at",
        "last_error",
    )
    fields = readonly_fields

    @admin.display(description=_("recipient"))
    def recipient_masked(self, obj: OutboxMessage) -> str:
        return obj.recipient_masked()


class CalendarOverrideForm(forms.ModelForm):
    """One day, or a holiday's run of days at once (新增 only: `last_day`), with what the tick means said."""

    last_day = forms.DateField(
        label=_("to (included)"),
        required=False,
        widget=AdminDateWidget,
        help_text=_(
            "For a holiday of several days: its last day; every day from 日期 to this one is entered."
        ),
    )

    class Meta:
        model = CalendarOverride
        fields = ["day", "is_workday", "name"]
        help_texts = {
            "is_workday": _(
                "Ticked: people work that day (a make-up working day, even on a Saturday or Sunday). "
                "Not ticked: a day off (a holiday, even on a weekday)."
            )
        }

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        day, last_day = data.get("day"), data.get("last_day")
        if day and last_day and (refusal := workdays.calendar_run_refusal(day, last_day)):
            self.add_error("last_day", refusal)
        return data


@admin.register(CalendarOverride)
class CalendarOverrideAdmin(admin.ModelAdmin):
    """Holidays and make-up working days entered by hand, for years the calendar package does not know yet: a
    holiday's days at once (日期 to 至), each make-up working day on its own."""

    form = CalendarOverrideForm
    list_display = ["day", "weekday", "is_workday", "name", "updated_at"]
    list_filter = ["is_workday"]
    search_fields = ["name"]
    date_hierarchy = "day"

    def get_fields(self, request: HttpRequest, obj: CalendarOverride | None = None) -> tuple[str, ...]:
        return ("day", "is_workday", "name") if obj else ("day", "last_day", "is_workday", "name")

    @admin.display(description=_("day of the week"), ordering="day")
    def weekday(self, obj: CalendarOverride) -> str:
        return str(WEEKDAYS[obj.day.weekday()])

    def save_model(self, request: HttpRequest, obj: CalendarOverride, form: Any, change: bool) -> None:
        if change and "day" in form.changed_data:
            old = CalendarOverride.objects.get(pk=obj.pk)
            workdays.calendar_override_delete(actor=request.user, entry=old)
        last_day = None if change else form.cleaned_data.get("last_day")
        entry = workdays.calendar_override_set(
            actor=request.user, day=obj.day, is_workday=obj.is_workday, name=obj.name, last_day=last_day
        )
        obj.pk = entry.pk
        if last_day and last_day > obj.day:
            self.message_user(
                request,
                _("%(count)s days entered, %(first)s to %(last)s.")
                % {"count": (last_day - obj.day).days + 1, "first": obj.day, "last": last_day},
            )

    def delete_model(self, request: HttpRequest, obj: CalendarOverride) -> None:
        workdays.calendar_override_delete(actor=request.user, entry=obj)

    def delete_queryset(self, request: HttpRequest, queryset: Any) -> None:
        for entry in queryset:
            workdays.calendar_override_delete(actor=request.user, entry=entry)
