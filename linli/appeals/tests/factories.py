"""Helpers for appeals tests: submit an appeal in the cast's grid (or post it to the API) and carry it to
resolved, tiny photos, a classifier that says what the test wants."""

from __future__ import annotations

import io
import json
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from PIL import Image

from linli.appeals import services
from linli.appeals.models import Appeal, AppealPart
from linli.territory.models import Grid, Organisation
from linli.testing import Cast

# The ordinary complaint: its description, and the complaint as the API takes it.
DESCRIPTION = "3号楼2单元楼道灯坏了一个星期了，晚上很黑，老人上下楼不安全。"
SUBMIT = {
    "kind": "complaint",
    "title": "楼道灯坏了",
    "description": DESCRIPTION,
    "category_code": "property_management.property_service",
    "grid_code": "G001",
    "channel": "web",
}


def post(client: Client, url: str, data: dict[str, Any] | None = None, **headers: str) -> Any:
    """POST `data` as JSON (dates and the like as strings)."""
    return client.post(
        url, data=json.dumps(data or {}, default=str), content_type="application/json", headers=headers
    )


def photo(name: str = "p.jpg", fmt: str = "JPEG", size: tuple[int, int] = (40, 30)) -> SimpleUploadedFile:
    buf = io.BytesIO()
    Image.new("RGB", size, (200, 80, 40)).save(buf, fmt)
    content_type = {"JPEG": "image/jpeg", "PNG": "image/png"}.get(fmt, "application/octet-stream")
    return SimpleUploadedFile(name, buf.getvalue(), content_type=content_type)


def resident_form(**extra: Any) -> dict[str, Any]:
    """The ordinary complaint as the resident's report page (/appeals/new/) posts it; `extra` changes or adds
    fields."""
    return {
        "kind": "complaint",
        "title": "楼道灯坏了",
        "description": DESCRIPTION,
        "category": "property_management.property_service",
        "idempotency_key": "k-" + "a" * 30,
        "contact_name": "",
        "contact_phone": "",
        "address": "",
        "lng": "",
        "lat": "",
        "grid": "",
        **extra,
    }


def submit(cast: Cast, **kw: Any) -> Appeal:
    """An ordinary property-management complaint in the cast's grid, routed to the grid worker."""
    args: dict[str, Any] = {
        "actor": cast.resident,
        "kind": "complaint",
        "title": "楼道灯坏了",
        "description": DESCRIPTION,
        "channel": "web",
        "category_code": "property_management.property_service",
        "grid": cast.grid,
    }
    args.update(kw)
    return services.appeal_submit(**args)


def by_hotline(cast: Cast, grid: Grid | None, text: str, *, kind: str = "complaint", **kw: Any) -> Appeal:
    """An appeal the community worker takes on the hotline from 赵女士, in `grid` (None: placed by `kw`)."""
    return services.appeal_submit(
        actor=cast.community_worker,
        kind=kind,
        description=text,
        channel="hotline",
        contact_name="赵女士",
        contact_phone="13900002222",
        grid=grid,
        **kw,
    )


def resolve_by_grid_worker(cast: Cast, appeal: Appeal, note: str = "已更换灯泡，恢复照明。") -> Appeal:
    """The grid worker acknowledges the appeal and resolves it (fixed), so the resident may rate it."""
    services.appeal_acknowledge(actor=cast.grid_worker, appeal=appeal)
    return services.appeal_resolve(actor=cast.grid_worker, appeal=appeal, note=note)


def at_community(cast: Cast, **kw: Any) -> Appeal:
    """An appeal escalated from the grid and acknowledged by the community: the community may summon units."""
    appeal = submit(cast, **kw)
    services.appeal_escalate(actor=cast.grid_worker, appeal=appeal, reason="需要社区协调处置")
    services.appeal_acknowledge(actor=cast.community_worker, appeal=appeal)
    return appeal


def summon(cast: Cast, appeal: Appeal, unit: Organisation | None = None, **kw: object) -> AppealPart:
    """The community worker summons one unit (the cast's department unless named) to `appeal` (吹哨报到); `kw`
    sets its clocks (report_hours, finish_by)."""
    (part,) = services.appeal_whistle(
        actor=cast.community_worker,
        appeal=appeal,
        units=[unit or cast.department],
        reason="请到现场联合处置违规广告牌。",
        **kw,  # type: ignore[arg-type]
    )
    return part


def classifier_says(monkeypatch: pytest.MonkeyPatch, category_code: str, confidence: float) -> None:
    """The triage classifier suggests `category_code` with `confidence` for every text (the real Suggestion, so
    `confident` compares with the threshold as in production)."""
    import linli.triage.services as triage

    monkeypatch.setattr(
        triage,
        "classify",
        lambda *, title, text: triage.Suggestion(category_code, confidence, alternatives=[], model_version=0),
    )
