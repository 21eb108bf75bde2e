"""`linli backup` and `linli restore` round-trip the database (SQLite: online backup API; PostgreSQL: pg_dump)."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from linli.core.models import AuditEntry


def test_a_backup_restores_what_was_saved_and_drops_what_came_after(
    transactional_db: None, tmp_path: Path
) -> None:
    AuditEntry.objects.create(action="before.backup", object_type="t", object_id="1")
    target = tmp_path / "linli.backup"
    out = io.StringIO()
    call_command("backup", str(target), stdout=out)
    assert target.stat().st_size > 0
    assert out.getvalue().startswith(f"备份已写入 {target}（")
    AuditEntry.objects.create(action="after.backup", object_type="t", object_id="2")
    AuditEntry.objects.filter(action="before.backup").delete()
    with pytest.raises(CommandError, match="恢复会替换数据库中的全部内容；确认无误请加上 --yes。"):
        call_command("restore", str(target))  # not without --yes
    out = io.StringIO()
    call_command("restore", str(target), "--yes", stdout=out)
    assert out.getvalue() == f"已用 {target} 恢复数据库。\n"
    assert list(AuditEntry.objects.values_list("action", flat=True)) == ["before.backup"]


def test_restoring_something_that_is_not_a_backup_changes_nothing(
    transactional_db: None, tmp_path: Path
) -> None:
    AuditEntry.objects.create(action="kept", object_type="t", object_id="1")
    junk = tmp_path / "junk.backup"
    junk.write_bytes(b"this is not a database backup" * 100)
    with pytest.raises(CommandError, match="未做任何更改"):
        call_command("restore", str(junk), "--yes")
    with pytest.raises(CommandError, match="不是备份文件（文件不存在）"):
        call_command("restore", str(tmp_path / "missing.backup"), "--yes")
    assert list(AuditEntry.objects.values_list("action", flat=True)) == ["kept"]


def test_a_backup_where_it_cannot_be_written_says_so(db: None, tmp_path: Path) -> None:
    (tmp_path / "a-file").write_text("")
    with pytest.raises(CommandError, match="无法写入"):
        call_command("backup", str(tmp_path / "a-file" / "linli.backup"))


def test_audit_entries_stay_180_days_at_least_and_are_archived_not_lost(
    db: None, settings: object, tmp_path: Path
) -> None:
    import datetime as dt
    import gzip
    import json

    from django.utils import timezone

    from linli.core.audit import audit_archive

    settings.VAR_DIR = tmp_path  # type: ignore[attr-defined]
    settings.LINLI_AUDIT_KEEP_DAYS = 30  # type: ignore[attr-defined]  # too short: the law's 180 days hold
    now = timezone.now()
    for days in (10, 179, 181, 400):
        entry = AuditEntry.objects.create(action=f"aged.{days}", object_type="t", object_id=str(days))
        AuditEntry.objects.filter(pk=entry.pk).update(at=now - dt.timedelta(days=days))
    assert audit_archive(now=now) == 2
    assert sorted(AuditEntry.objects.values_list("action", flat=True)) == ["aged.10", "aged.179"]
    archived = []
    for path in sorted((tmp_path / "audit-archive").glob("audit-*.jsonl.gz")):
        with gzip.open(path, "rt", encoding="utf-8") as fh:
            archived += [json.loads(line)["action"] for line in fh]
    assert sorted(archived) == ["aged.181", "aged.400"]
    assert audit_archive(now=now) == 0
