"""Small typed helpers that read settings from the environment."""

from __future__ import annotations

import os
import secrets
from collections.abc import Callable
from pathlib import Path


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    return raw.strip().lower() in {"1", "true", "yes", "on"}


def _env_number[N: (int, float)](name: str, default: N, kind: Callable[[str], N], what: str) -> N:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        return kind(raw)
    except ValueError as exc:
        raise ValueError(f"{name} must be {what}, got {raw!r}") from exc


def env_int(name: str, default: int) -> int:
    return _env_number(name, default, int, "a whole number")


def env_float(name: str, default: float) -> float:
    return _env_number(name, default, float, "a number such as 0.6")


def env_list(name: str, default: list[str] | None = None) -> list[str]:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return list(default or [])
    return [item.strip() for item in raw.split(",") if item.strip()]


def secret_from_env_or_file(name: str, path: Path, nbytes: int = 50) -> str:
    """Return the secret in env var `name`; otherwise read it from `path`, creating it on first run."""
    value = os.environ.get(name, "").strip()
    if value:
        return value
    if path.exists():
        return path.read_text().strip()
    path.parent.mkdir(parents=True, exist_ok=True)
    value = secrets.token_urlsafe(nbytes)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as fh:
        fh.write(value)
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
