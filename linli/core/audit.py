"""Writing to the audit log."""

from __future__ import annotations

from collections.abc import Callable, Iterable
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


def audit(actor: Viewer, action: str, obj: Model, **detail: Any) -> AuditEntry:
    """`audit_record` as a service writes it after a change: who, what was done, to which row, and the details
    as keywords."""
    return audit_record(actor=actor, action=action, obj=obj, detail=detail)


def audit_record_each(
    *, actor: Viewer, action: str, objs: Iterable[Model], detail: Callable[[Any], dict[str, Any]]
) -> None:
    """`audit_record` for each row of a bulk write (an import's new rows), in a few queries."""
    actor_id = getattr(actor, "pk", None) if is_signed_in(actor) else None
    entries = [
        AuditEntry(
            actor_id=actor_id,
            action=action,
            object_type=obj._meta.label_lower,
            object_id=str(obj.pk),
            detail=detail(obj),
        )
        for obj in objs
    ]
    AuditEntry.objects.bulk_create(entries, batch_size=1000)


AUDIT_MIN_KEEP_DAYS = 180  # 网络安全法 art. 21: network logs are kept at least six months
ARCHIVE_BATCH = 5000


def audit_keep_days() -> int:
    """Days audit entries stay in the table (LINLI_AUDIT_KEEP_DAYS, default 365, never under 180)."""
    from django.conf import settings

    return max(int(getattr(settings, "LINLI_AUDIT_KEEP_DAYS", 365)), AUDIT_MIN_KEEP_DAYS)


def audit_archive(*, now: Any = None) -> int:
    """Move audit entries older than audit_keep_days() out of the table into monthly gzip files of JSON lines under
    $LINLI_VAR_DIR/audit-archive/ (audit-YYYY-MM.jsonl.gz, appended to): archived, never deleted unread. A batch is
    written and flushed to disk before its rows leave the table; a crash in between writes a batch twice, never
    loses one. Returns how many entries were archived (the `core.audit_archive` job)."""
    import datetime as dt
    import gzip
    import json
    import os

    from django.conf import settings
    from django.db import transaction
    from django.utils import timezone

    now = now or timezone.now()
    cutoff = now - dt.timedelta(days=audit_keep_days())
    folder = settings.VAR_DIR / "audit-archive"
    moved = 0
    while True:
        with transaction.atomic():
            batch = list(AuditEntry.objects.filter(at__lt=cutoff).order_by("at", "id")[:ARCHIVE_BATCH])
            if not batch:
                return moved
            folder.mkdir(parents=True, exist_ok=True)
            by_month: dict[str, list[AuditEntry]] = {}
            for entry in batch:
                by_month.setdefault(f"{entry.at:%Y-%m}", []).append(entry)
            for month, entries in by_month.items():
                path = folder / f"audit-{month}.jsonl.gz"
                with open(path, "ab") as raw, gzip.GzipFile(fileobj=raw, mode="ab") as fh:
                    for e in entries:
                        line = {
                            "id": e.pk,
                            "at": e.at.isoformat(),
                            "actor_id": e.actor_id,
                            "action": e.action,
                            "object_type": e.object_type,
                            "object_id": e.object_id,
                            "detail": e.detail,
                            "ip": e.ip,
                        }
                        fh.write((json.dumps(line, ensure_ascii=False) + "\n").encode("utf-8"))
                    fh.flush()
                    raw.flush()
                    os.fsync(raw.fileno())
            AuditEntry.objects.filter(pk__in=[e.pk for e in batch]).delete()
            moved += len(batch)
