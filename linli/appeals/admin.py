"""Admin: the taxonomy and the deadline rules are edited here; the dispatch catalogue is shown read-only (it
changes as a reviewed draft on the catalogue pages); appeals are read-only (every change to an appeal goes
through its services, with a trace)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from linli.core.admin import ReadOnlyAdmin, SnapshotModelAdmin

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
from .routing import CATALOGUE
from .sla import SLA_RULES


@admin.register(Category)
class CategoryAdmin(SnapshotModelAdmin):
    snapshot_names = (CATALOGUE,)
    list_display = ["code", "name", "name_en", "parent", "position", "active"]
    list_filter = ["active", "parent"]
    search_fields = ["code", "name", "name_en"]
    list_editable = ["position", "active"]


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
class CatalogueVersionAdmin(ReadOnlyAdmin):
    """Read only: the catalogue changes as a reviewed draft on the catalogue pages (/appeals/catalogue/)."""

    list_display = ["number", "note", "status", "active", "created_at", "activated_by", "activated_at"]
    inlines = [CatalogueEntryInline]


@admin.register(SlaRule)
class SlaRuleAdmin(SnapshotModelAdmin):
    snapshot_names = (SLA_RULES,)
    list_display = [
        "name",
        "kind",
        "category",
        "tier",
        "priority",
        "ack_amount",
        "ack_unit",
        "resolve_amount",
        "resolve_unit",
        "escalate_on_breach",
        "rank",
    ]
    list_filter = ["tier", "priority", "kind"]


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
    fields = ["organisation", "report_due_at", "reported_in_at", "done_at", "note"]


class _ReadOnlyAdmin(ReadOnlyAdmin):
    """Written by services only (appeals and their trace, suggestions at intake, candidates by the weekly job,
    topics on their pages); an administrator may still delete a row."""

    may_delete = True


@admin.register(Appeal)
class AppealAdmin(_ReadOnlyAdmin):
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
class ExtensionRequestAdmin(_ReadOnlyAdmin):
    list_display = ["appeal", "days", "status", "requested_at", "decided_at"]
    list_filter = ["status"]


@admin.register(CallbackTask)
class CallbackTaskAdmin(_ReadOnlyAdmin):
    list_display = ["appeal", "community", "status", "created_at", "done_at"]
    list_filter = ["status"]


@admin.register(DuplicateSuggestion)
class DuplicateSuggestionAdmin(_ReadOnlyAdmin):
    list_display = ["appeal", "candidate", "score", "distance_m", "status", "created_at", "decided_by"]
    list_filter = ["status"]
    raw_id_fields = ["appeal", "candidate"]


@admin.register(TopicCandidate)
class TopicCandidateAdmin(_ReadOnlyAdmin):
    list_display = ["week", "rank", "title", "place", "category", "count", "previous_count"]
    list_filter = ["week"]
    raw_id_fields = ["appeals"]


@admin.register(MonthlyTopic)
class MonthlyTopicAdmin(_ReadOnlyAdmin):
    list_display = ["month", "title", "street", "status", "owner", "adopted_at", "done_at"]
    list_filter = ["status", "month"]
    raw_id_fields = ["appeals", "candidate"]
