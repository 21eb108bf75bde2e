"""Backups of the whole database and their restore: `linli backup FILE` and `linli restore FILE`.

SQLite: SQLite's online backup API (`sqlite3.Connection.backup`), page by page, consistent while the server keeps
serving and writing (WAL); restore copies the backup over the live database the same way. PostgreSQL: `pg_dump
--format=custom` (a consistent snapshot, taken while the server runs) and `pg_restore --clean --if-exists
--no-owner --single-transaction` (all or nothing). The connection settings are Django's (DATABASE_URL); the
password goes to the tools in PGPASSWORD, never on the command line. Uploaded files (photos, voice messages) live
in MEDIA_ROOT and are copied beside the database (docs/operations.md)."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from pathlib import Path
from typing import Any

from django.db import connections
from django.utils.translation import gettext as _


class BackupError(RuntimeError):
    pass


def _settings(alias: str) -> dict[str, Any]:
    return dict(connections[alias].settings_dict)


def _pg_tool(name: str) -> str:
    found = shutil.which(name)
    if found:
        return found
    for candidate in sorted(Path("/usr/lib/postgresql").glob(f"*/bin/{name}"), reverse=True):
        return str(candidate)
    raise BackupError(
        _(
            "%(tool)s was not found: install the PostgreSQL client tools (Debian: apt-get install postgresql-client)."
        )
        % {"tool": name}
    )


def _pg_env_args(alias: str) -> tuple[dict[str, str], list[str]]:
    s = _settings(alias)
    env = dict(os.environ)
    if s.get("PASSWORD"):
        env["PGPASSWORD"] = str(s["PASSWORD"])
    args = []
    if s.get("HOST"):
        args += ["--host", str(s["HOST"])]
    if s.get("PORT"):
        args += ["--port", str(s["PORT"])]
    if s.get("USER"):
        args += ["--username", str(s["USER"])]
    return env, args


def database_backup(target: Path, *, alias: str = "default") -> Path:
    """Write a consistent copy of the database to `target` while it stays in use; returns the path."""
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise BackupError(
            _("%(file)s cannot be written: %(error)s") % {"file": target, "error": exc.strerror or exc}
        ) from None
    vendor = connections[alias].vendor
    if vendor == "sqlite":
        try:
            source = sqlite3.connect(connections[alias].settings_dict["NAME"])
            dest = sqlite3.connect(str(target))
            try:
                with dest:
                    source.backup(dest)
            finally:
                dest.close()
                source.close()
        except sqlite3.Error as exc:
            raise BackupError(
                _("%(file)s cannot be written: %(error)s") % {"file": target, "error": exc}
            ) from None
        return target
    if vendor == "postgresql":
        env, args = _pg_env_args(alias)
        name = str(connections[alias].settings_dict["NAME"])
        cmd = [_pg_tool("pg_dump"), "--format=custom", "--no-owner", "--file", str(target), *args, name]
        done = subprocess.run(cmd, env=env, capture_output=True, text=True, check=False)
        if done.returncode != 0:
            raise BackupError(_("pg_dump failed: %(error)s") % {"error": done.stderr.strip()})
        return target
    raise BackupError(_("Linli backs up SQLite and PostgreSQL only, not %(vendor)s.") % {"vendor": vendor})


def database_restore(source: Path, *, alias: str = "default") -> None:
    """Replace the database's content with the backup at `source` (all or nothing)."""
    if not source.is_file():
        raise BackupError(_("%(file)s is not a backup file (no such file).") % {"file": source})
    conn = connections[alias]
    vendor = conn.vendor
    conn.close()  # nothing of ours holds the database while it is replaced
    if vendor == "sqlite":
        src = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
        try:
            src.execute("PRAGMA schema_version").fetchone()
        except sqlite3.DatabaseError as exc:
            src.close()
            raise BackupError(
                _("%(file)s is not an SQLite backup (%(error)s); nothing was changed.")
                % {"file": source, "error": exc}
            ) from None
        dest = sqlite3.connect(conn.settings_dict["NAME"])
        try:
            with dest:
                src.backup(dest)
        finally:
            dest.close()
            src.close()
        return
    if vendor == "postgresql":
        env, args = _pg_env_args(alias)
        name = str(conn.settings_dict["NAME"])
        cmd = [
            _pg_tool("pg_restore"),
            "--clean",
            "--if-exists",
            "--no-owner",
            "--single-transaction",
            "--dbname",
            name,
            *args,
            str(source),
        ]
        done = subprocess.run(cmd, env=env, capture_output=True, text=True, check=False)
        if done.returncode != 0:
            raise BackupError(
                _("pg_restore failed, nothing was changed: %(error)s") % {"error": done.stderr.strip()}
            )
        return
    raise BackupError(_("Linli restores SQLite and PostgreSQL only, not %(vendor)s.") % {"vendor": vendor})
