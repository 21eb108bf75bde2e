from __future__ import annotations

from django.contrib import admin

from .models import CareContact, CarePlan, MediationCase


@admin.register(CarePlan)
class CarePlanAdmin(admin.ModelAdmin):
    list_display = ["resident", "level", "grid", "caregiver", "reassess_on"]
    list_filter = ["level"]
    raw_id_fields = ["resident", "grid", "caregiver", "assessed_by"]
    readonly_fields = ["level", "proposed_level", "assessed_at", "assessed_by"]


@admin.register(CareContact)
class CareContactAdmin(admin.ModelAdmin):
    list_display = ["plan", "kind", "due_on", "state", "assignee"]
    list_filter = ["state", "kind"]
    raw_id_fields = ["plan", "assignee", "done_by", "visit"]
    readonly_fields = ["state", "done_at", "warned_at", "escalated_at"]


@admin.register(MediationCase)
class MediationCaseAdmin(admin.ModelAdmin):
    list_display = ["number", "kind", "grid", "state", "outcome", "mediator"]
    list_filter = ["state", "kind", "outcome"]
    raw_id_fields = ["grid", "mediator", "opened_by"]
    readonly_fields = ["state", "outcome", "closed_at"]
