"""Admin: the taxonomy and the deadline rules are edited here; the dispatch catalogue is shown read-only (it
changes as a reviewed draft on the catalogue pages); appeals are read-only (every change to an appeal goes
through its services, with a trace)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from linli.core.admin import ReadOnlyAdmin, SnapshotModelAdmin

from . import sla
from .models import (
    Appeal,
    AppealEvent,
    AppealPart,
    CallbackTask,
    CatalogueEntry,
    CatalogueVersion,
    Category,
    DuplicateSuggestion,
    ExtensionRequest,
    MonthlyTopic,
    SlaRule,
    TopicCandidate,
)
from .parts import part_state
from .routing import CATALOGUE
from .sla import SLA_RULES


class _ListLayout:
    """Lists whose short Chinese columns stay on one line (appeals/admin.css)."""

    class Media:
        css = {"all": ["appeals/admin.css"]}


class TopCategoryFilter(admin.SimpleListFilter):
    """上级分类: the first-level categories only (a second-level one is nobody's parent)."""

    title = _("parent category")
    parameter_name = "parent__id__exact"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        tops = Category.objects.filter(parent__isnull=True).order_by("position", "code")
        return [(str(top.pk), str(top)) for top in tops]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Category]) -> QuerySet[Category]:
        chosen = self.value()
        return queryset.filter(parent_id=int(chosen)) if chosen and chosen.isdigit() else queryset


@admin.register(Category)
class CategoryAdmin(_ListLayout, SnapshotModelAdmin):
    snapshot_names = (CATALOGUE,)
    # The name is what an administrator looks for, so it leads and opens the category.
    list_display = ["name", "dotted_code", "name_en", "parent", "position", "active"]
    list_display_links = ["name"]
    list_filter = ["active", TopCategoryFilter]
    search_fields = ["code", "name", "name_en"]
    list_editable = ["position", "active"]

    @admin.display(description=Category._meta.get_field("code").verbose_name, ordering="code")
    def dotted_code(self, category: Category) -> str:
        """The code, free to break after its dot (a long one took the name's room)."""
        return mark_safe(escape(category.code).replace(".", ".<wbr>"))


class CatalogueEntryInline(admin.TabularInline):
    model = CatalogueEntry
    extra = 0
    fields = ("category", "area", "tier", "organisation")
    readonly_fields = ("category", "area", "tier", "organisation")

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(CatalogueVersion)
class CatalogueVersionAdmin(_ListLayout, ReadOnlyAdmin):
    """Read only: the catalogue changes as a reviewed draft on the catalogue pages (/appeals/catalogue/)."""

    list_display = ["number", "note", "status", "active", "created_at", "activated_by", "activated_at"]
    inlines = [CatalogueEntryInline]


@admin.register(SlaRule)
class SlaRuleAdmin(_ListLayout, SnapshotModelAdmin):
    snapshot_names = (SLA_RULES,)
    list_display = [
        "name",
        "kind",
        "category",
        "tier",
        "priority",
        "ack_within",
        "contact_within",
        "resolve_within",
        "escalate_on_breach",
        "rank",
    ]
    list_filter = ["tier", "priority", "kind"]

    @admin.display(description=_("acknowledge within"))
    def ack_within(self, rule: SlaRule) -> str:
        return f"{rule.ack_amount:g} {rule.get_ack_unit_display()}"

    @admin.display(description=_("first contact within"))
    def contact_within(self, rule: SlaRule) -> str:
        return f"{rule.contact_amount:g} {rule.get_contact_unit_display()}"

    @admin.display(description=_("resolve within"))
    def resolve_within(self, rule: SlaRule) -> str:
        return f"{rule.resolve_amount:g} {rule.get_resolve_unit_display()}"


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class EventInline(ReadOnlyInline):
    model = AppealEvent
    fields = ["at", "actor_name", "action", "from_state", "to_state", "reason", "channel", "unit_name"]


class PartInline(ReadOnlyInline):
    model = AppealPart
    fields = ["organisation", "state", "report_due_at", "reported_in_at", "done_at", "withdrawn_at", "note"]
    readonly_fields = ["state"]

    @admin.display(description=_("state"))
    def state(self, part: AppealPart) -> str:
        """Where the part stands, as the appeal's page says it (ended with its appeal, not waiting, once the
        appeal closed before the part finished)."""
        return str(part_state(part, timezone.now(), paused_at=sla.stopped_at(part.appeal)).label)


class _ReadOnlyAdmin(ReadOnlyAdmin):
    """Written by services only (appeals and their trace, suggestions at intake, candidates by the weekly job,
    topics on their pages); an administrator may still delete a row."""

    may_delete = True


@admin.register(Appeal)
class AppealAdmin(_ListLayout, _ReadOnlyAdmin):
    list_display = [
        "tracking_number",
        "title",
        "kind",
        "category",
        "state",
        "tier",
        "resolve_due_at",
        "created_at",
    ]
    list_filter = ["state", "kind", "tier", "channel", "priority"]
    search_fields = ["tracking_number", "title"]
    inlines = [PartInline, EventInline]
    list_select_related = ["category"]


@admin.register(ExtensionRequest)
class ExtensionRequestAdmin(_ListLayout, _ReadOnlyAdmin):
    list_display = ["appeal", "days", "status", "requested_at", "decided_at"]
    list_filter = ["status"]


@admin.register(CallbackTask)
class CallbackTaskAdmin(_ListLayout, _ReadOnlyAdmin):
    list_display = ["appeal", "community", "status", "created_at", "done_at"]
    list_filter = ["status"]


@admin.register(DuplicateSuggestion)
class DuplicateSuggestionAdmin(_ListLayout, _ReadOnlyAdmin):
    list_display = ["appeal", "candidate", "score", "distance_m", "status", "created_at", "decided_by"]
    list_filter = ["status"]
    raw_id_fields = ["appeal", "candidate"]


@admin.register(TopicCandidate)
class TopicCandidateAdmin(_ListLayout, _ReadOnlyAdmin):
    list_display = ["week", "rank", "title", "place", "category", "count", "previous_count"]
    list_filter = ["week"]
    raw_id_fields = ["appeals"]


@admin.register(MonthlyTopic)
class MonthlyTopicAdmin(_ListLayout, _ReadOnlyAdmin):
    list_display = ["month", "title", "street", "status", "owner", "adopted_at", "done_at"]
    list_filter = ["status", "month"]
    raw_id_fields = ["appeals", "candidate"]
