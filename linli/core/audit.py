"""Writing to the audit log."""

from __future__ import annotations

from typing import Any

from django.db.models import Model

from .models import AuditEntry
from .scoping import Viewer, is_signed_in


def audit_record(
    *,
    actor: Viewer,
    action: str,
    obj: Model | None = None,
    object_type: str = "",
    object_id: str = "",
    detail: dict[str, Any] | None = None,
    ip: str | None = None,
) -> AuditEntry:
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or str(obj.pk)
    return AuditEntry.objects.create(
        # The account by its id (core sits below accounts); anonymous visitors and the system leave it empty.
        actor_id=getattr(actor, "pk", None) if is_signed_in(actor) else None,
        action=action,
        object_type=object_type,
        object_id=object_id,
        detail=detail or {},
        ip=ip,
    )
