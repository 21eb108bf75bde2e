"""Helpers for appeals tests: submit an appeal in the cast's grid, tiny photos."""

from __future__ import annotations

import io
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from linli.appeals import services
from linli.appeals.models import Appeal
from linli.testing import Cast


def photo(name: str = "p.jpg", fmt: str = "JPEG", size: tuple[int, int] = (40, 30)) -> SimpleUploadedFile:
    buf = io.BytesIO()
    Image.new("RGB", size, (200, 80, 40)).save(buf, fmt)
    content_type = {"JPEG": "image/jpeg", "PNG": "image/png"}.get(fmt, "application/octet-stream")
    return SimpleUploadedFile(name, buf.getvalue(), content_type=content_type)


def submit(cast: Cast, **kw: Any) -> Appeal:
    """An ordinary property-management complaint in the cast's grid, routed to the grid worker."""
    args: dict[str, Any] = {
        "actor": cast.resident,
        "kind": "complaint",
        "title": "楼道灯坏了",
        "description": "3号楼2单元楼道灯坏了一个星期了，晚上很黑，老人上下楼不安全。",
        "channel": "web",
        "category_code": "property_management.property_service",
        "grid": cast.grid,
    }
    args.update(kw)
    return services.appeal_submit(**args)
