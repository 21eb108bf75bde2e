"""Small typed helpers that read settings from the environment."""

from __future__ import annotations

import os
import secrets
from collections.abc import Callable
from pathlib import Path
from typing import Any


def gettext_noop(message: str) -> str:
    """Marks `message` for the catalogue (infra). Django's own cannot run before the settings exist: `linli`
    (linli.cli) prints a SettingError in the active language itself."""
    return message


class SettingError(ValueError):
    """An environment variable Linli cannot use: `msgid` (English, in the catalogue) filled with `values`."""

    def __init__(self, msgid: str, **values: str) -> None:
        self.msgid, self.values = msgid, values
        super().__init__(msgid % values)


MUST_BE_WHOLE = gettext_noop("%(name)s must be a whole number such as 12; it is “%(value)s”.")
MUST_BE_NUMBER = gettext_noop("%(name)s must be a number such as 0.6; it is “%(value)s”.")
MUST_BE_BOOL = gettext_noop("%(name)s must be true or false; it is “%(value)s”.")
MUST_BE_AT_LEAST = gettext_noop("%(name)s must be a whole number of at least %(least)s; it is “%(value)s”.")
MUST_BE_TABLE = gettext_noop(
    "%(name)s must be written as %(example)s (only %(keys)s, each a whole number of at least 1); it is "
    "“%(value)s”."
)
MUST_BE_INTERVALS = gettext_noop(
    "%(name)s must be written as %(example)s (only %(keys)s, each the days between visits / between calls, "
    "a whole number of at least 1, or - for none); it is “%(value)s”."
)
CANNOT_WRITE = gettext_noop(
    "%(path)s cannot be read or created (%(error)s). Make LINLI_VAR_DIR a folder the user who runs Linli may "
    "write, or set %(name)s."
)
NO_VAR_DIR = gettext_noop(
    "LINLI_VAR_DIR is not set: Linli was installed as a package (not run from its checkout), and would keep the "
    "database, keys and photos inside %(package)s. Set LINLI_VAR_DIR to the data folder, e.g. /srv/linli/var."
)
BAD_DATABASE_URL = gettext_noop(
    "DATABASE_URL is not a database address Linli can use (“%(value)s”): write it as "
    "postgres://USER:PASSWORD@HOST:5432/NAME, or sqlite:////absolute/path/linli.sqlite3."
)

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off"}


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    word = raw.strip().lower()
    if word not in _TRUE | _FALSE:
        raise SettingError(MUST_BE_BOOL, name=name, value=raw)
    return word in _TRUE


def _env_number[N: (int, float)](name: str, default: N, kind: Callable[[str], N], msgid: str) -> N:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        return kind(raw)
    except ValueError as exc:
        raise SettingError(msgid, name=name, value=raw) from exc


def env_int(name: str, default: int, *, least: int | None = None) -> int:
    """A whole number; with `least`, one below it is refused as well (a count of days cannot be 0 or less)."""
    value = _env_number(name, default, int, MUST_BE_WHOLE)
    if least is not None and value < least:
        raise SettingError(MUST_BE_AT_LEAST, name=name, value=os.environ.get(name, ""), least=str(least))
    return value


def env_float(name: str, default: float) -> float:
    return _env_number(name, default, float, MUST_BE_NUMBER)


def _days(text: str) -> int:
    days = int(text)
    if days < 1:
        raise ValueError(text)
    return days


def _interval(text: str) -> int | None:
    """Days between two contacts, or None for "-" (none of that kind)."""
    return None if text == "-" else _days(text)


def _env_table[V](
    name: str, default: dict[str, V], parse: Callable[[str], V], msgid: str, example: str
) -> dict[str, V]:
    """`default` with the entries `key=value,…` of env var `name` in place of its own; a key it does not have, an
    entry without "=" or a value `parse` refuses is refused whole, with the example of how to write it."""
    raw = os.environ.get(name)
    table = dict(default)
    if raw is None or raw.strip() == "":
        return table
    for item in raw.split(","):
        key, sep, value = (part.strip() for part in item.partition("="))
        try:
            if not sep or key not in default:
                raise ValueError(item)
            table[key] = parse(value)
        except ValueError as exc:
            raise SettingError(msgid, name=name, value=raw, keys=", ".join(default), example=example) from exc
    return table


def env_numbers_by(name: str, default: dict[str, int]) -> dict[str, int]:
    """Whole numbers (days, minutes) by key, e.g. LINLI_CARE_REASSESS_DAYS=red=90,yellow=180: the keys not
    named keep their default."""
    example = ",".join(f"{key}={value}" for key, value in default.items())
    return _env_table(name, default, _days, MUST_BE_TABLE, example)


def env_intervals_by(
    name: str, default: dict[str, dict[str, int | None]]
) -> dict[str, dict[str, int | None]]:
    """Days between visits and between calls by level, e.g. LINLI_CARE_FREQUENCY=red=7/2,green=30/-: "-" for
    none; the levels not named keep their default."""

    def pair(text: str) -> dict[str, int | None]:
        visit, sep, call = (part.strip() for part in text.partition("/"))
        if not sep:
            raise ValueError(text)
        return {"visit": _interval(visit), "call": _interval(call)}

    def shown(days: int | None) -> str:
        return "-" if days is None else str(days)

    example = ",".join(f"{key}={shown(v['visit'])}/{shown(v['call'])}" for key, v in default.items())
    return _env_table(name, default, pair, MUST_BE_INTERVALS, example)


def env_list(name: str, default: list[str] | None = None) -> list[str]:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return list(default or [])
    return [item.strip() for item in raw.split(",") if item.strip()]


def var_dir(package: Path) -> Path:
    """LINLI_VAR_DIR; in a checkout (pyproject.toml beside the package) its `var/` by default. An installed
    package has no such default: its folder is replaced at every upgrade."""
    raw = env_str("LINLI_VAR_DIR")
    if raw.strip():
        return Path(raw).resolve()
    if not (package.parent / "pyproject.toml").is_file():
        raise SettingError(NO_VAR_DIR, package=str(package.parent))
    return (package.parent / "var").resolve()


def env_database(name: str, default: str) -> dict[str, Any]:
    """The database settings of the URL in env var `name` (DATABASE_URL), else of `default`; PostgreSQL and
    SQLite only, the two Linli is tested on."""
    import dj_database_url

    raw = env_str(name, default)
    try:
        parsed = dict(dj_database_url.parse(raw, conn_max_age=60))
    except ValueError as exc:  # an unknown scheme too (UnknownSchemeError)
        raise SettingError(BAD_DATABASE_URL, value=without_password(raw)) from exc
    if parsed.get("ENGINE") not in {"django.db.backends.postgresql", "django.db.backends.sqlite3"}:
        raise SettingError(BAD_DATABASE_URL, value=without_password(raw))
    return parsed


def without_password(url: str) -> str:
    """`url` with the password between "user:" and "@" replaced, so an error message does not print it."""
    from urllib.parse import urlsplit

    try:
        password = urlsplit(url).password
    except ValueError:
        return url
    return url.replace(f":{password}@", ":***@") if password else url


def secret_from_env_or_file(name: str, path: Path, nbytes: int = 50) -> str:
    """Return the secret in env var `name`; otherwise read it from `path`, creating it on first run."""
    value = os.environ.get(name, "").strip()
    if value:
        return value
    try:
        if path.exists():
            return path.read_text().strip()
        path.parent.mkdir(parents=True, exist_ok=True)
        value = secrets.token_urlsafe(nbytes)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as fh:
            fh.write(value)
    except OSError as exc:
        raise SettingError(CANNOT_WRITE, path=str(path), error=exc.strerror or str(exc), name=name) from exc
    return value


def tile_image_source(url: str) -> str | None:
    """The source the Content Security Policy allows images from for the tile URL template `url`
    (LINLI_TILE_URL): its scheme and host, `{s}` (Leaflet's a, b, c subdomains) as a wildcard; None when there is
    none to add (no URL, or tiles served from Linli's own host, which 'self' allows)."""
    from urllib.parse import urlsplit

    parts = urlsplit(url.replace("{s}", "__s__"))
    if not parts.scheme or not parts.netloc:
        return None
    return f"{parts.scheme}://{parts.netloc.replace('__s__', '*')}"
