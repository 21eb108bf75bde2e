from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from linli.core.admin import ReadOnlyAdmin
from linli.core.errors import DomainError

from . import services
from .models import LabelledExample, ModelVersion


class LabelledExampleForm(forms.ModelForm):
    class Meta:
        model = LabelledExample
        fields = ["title", "text", "category_code", "source"]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or self.cleaned_data
        if not (cleaned.get("title") or cleaned.get("text")):  # the service's rule, said on the form
            self.add_error("text", _("An example needs a title or a text."))
        return cleaned


@admin.register(LabelledExample)
class LabelledExampleAdmin(admin.ModelAdmin):
    form = LabelledExampleForm
    list_display = ["at", "category_code", "source", "title", "created_by"]
    list_filter = ["source"]
    search_fields = ["title", "text", "category_code"]
    readonly_fields = ["at", "created_by"]

    def save_model(self, request: HttpRequest, obj: LabelledExample, form: Any, change: bool) -> None:
        """A new example is kept by the service (trimmed, checked, its author recorded), as intake's are."""
        if change:
            super().save_model(request, obj, form, change)
            return
        created = services.labelled_example_record(
            actor=request.user,  # type: ignore[arg-type]
            title=obj.title,
            text=obj.text,
            category_code=obj.category_code,
            source=obj.source,
        )
        obj.pk, obj.at, obj.created_by = created.pk, created.at, created.created_by
        obj._state.adding = False


@admin.register(ModelVersion)
class ModelVersionAdmin(ReadOnlyAdmin):
    """Read-only rows: versions are made by `linli triage train` or the worker's self-learning; the action below
    (or `linli triage rollback`) puts a chosen version back in use."""

    may_delete = True  # an old version may be cleared away

    list_display = ["number", "created_at", "is_active", "activated_at", "created_by", "decision"]
    actions = ["put_in_use"]
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

    @admin.display(description=gettext_lazy("decision"))
    def decision(self, obj: ModelVersion) -> str:
        return str((obj.metrics or {}).get("decision", ""))

    @admin.action(description=gettext_lazy("Put the selected version in use (roll back or forward)"))
    def put_in_use(self, request: HttpRequest, queryset: QuerySet[ModelVersion]) -> None:
        chosen = list(queryset.values_list("number", flat=True)[:2])
        if len(chosen) != 1:
            self.message_user(request, _("Choose exactly one version."), messages.ERROR)
            return
        try:
            services.model_version_activate(actor=request.user, number=chosen[0])  # type: ignore[arg-type]
        except DomainError as exc:
            self.message_user(request, str(exc.message), messages.ERROR)
            return
        self.message_user(request, _("Model version %(n)d is now in use.") % {"n": chosen[0]})
