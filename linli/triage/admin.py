from __future__ import annotations

from django.contrib import admin

from .models import LabelledExample, ModelVersion


@admin.register(LabelledExample)
class LabelledExampleAdmin(admin.ModelAdmin):
    list_display = ["at", "category_code", "source", "title", "created_by"]
    list_filter = ["source"]
    search_fields = ["title", "text", "category_code"]
    readonly_fields = ["at", "created_by"]


@admin.register(ModelVersion)
class ModelVersionAdmin(admin.ModelAdmin):
    """Read-only: versions are made by `linli triage train` and switched by `linli triage rollback`."""

    list_display = ["number", "created_at", "is_active", "activated_at", "created_by"]
    readonly_fields = [
        "number",
        "created_at",
        "created_by",
        "trained_on",
        "metrics",
        "blob",
        "is_active",
        "activated_at",
    ]

    def has_add_permission(self, request: object) -> bool:
        return False

    def has_change_permission(self, request: object, obj: object = None) -> bool:
        return False
