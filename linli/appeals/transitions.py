"""How every appeal transition is written, shared by the services (see services.py for the services).

lock the row (select_for_update; SQLite serialises writers) → check the one transition table (workflow.py) →
check who may act (permissions.py) → compare-and-swap update of the changed columns (`filter(pk, state=old)
.update(...) == 1`) → an AppealEvent row for the trace. Also the shared input checks (text bounds, photos).
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from linli.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed

from .choices import AppealState
from .models import Appeal, AppealEvent, AppealPhoto
from .permissions import may_handle, may_supervise
from .workflow import TRANSITIONS, check

TITLE_MAX = 100
DESCRIPTION_MAX = 2000
DESCRIPTION_MIN = 5
RUNNING_STATES = [
    AppealState.DISPATCHED,
    AppealState.ACKNOWLEDGED,
    AppealState.IN_PROGRESS,
    AppealState.RETURNED,
]
NOTE_MAX = 2000
MAX_PHOTOS = 6
PHOTO_MAX_BYTES = 5 * 1024 * 1024
PHOTO_FORMATS = {"JPEG", "PNG", "WEBP", "GIF"}


def _now() -> dt.datetime:
    return timezone.now()


@contextmanager
def _lang() -> Iterator[None]:
    """Notifications are written in the deployment's language, whoever's request caused them."""
    with translation.override(settings.LANGUAGE_CODE):
        yield


def _fail(field: str, message: str) -> ValidationFailed:
    return ValidationFailed(message, extra={"field": field, "errors": {field: message}})


def _actor_or_none(actor: Any) -> Any:
    return actor if getattr(actor, "is_authenticated", False) else None


def _actor_name(actor: Any) -> str:
    if not getattr(actor, "is_authenticated", False):
        return ""
    return getattr(actor, "display_name", "") or actor.get_username()


# --- the transition machinery -----------------------------------------------------------------------------


def _locked(appeal: Appeal | int, action: str) -> tuple[Appeal, str]:
    """Lock the row and check `action` against the transition table. A caller holding a stale copy whose state
    changed meanwhile gets a Conflict that says who changed it."""
    pk = appeal.pk if isinstance(appeal, Appeal) else appeal
    try:
        row = (
            Appeal.objects.select_for_update(of=("self",))
            .select_related("grid", "unit_node", "unit_org", "category", "sla_rule")
            .get(pk=pk)
        )
    except Appeal.DoesNotExist:
        raise NotFound() from None
    seen_state = appeal.state if isinstance(appeal, Appeal) else row.state
    if row.state not in TRANSITIONS[action].sources and seen_state != row.state:
        last = row.events.order_by("-at", "-id").first()
        raise Conflict(
            _("Someone else acted first: the appeal is now '%(state)s' (%(by)s, %(at)s). Reload to see it.")
            % {
                "state": AppealState(row.state).label,
                "by": (last.actor_name if last and last.actor_name else _("the system")),
                "at": timezone.localtime(last.at).strftime("%Y-%m-%d %H:%M") if last else "",
            },
            extra={"state": row.state},
        )
    return row, check(action, row.state)


def _apply(
    row: Appeal,
    *,
    actor: Any,
    action: str,
    target: str,
    changes: dict[str, Any] | None = None,
    reason: str = "",
    channel: str = "",
    data: dict[str, Any] | None = None,
    now: dt.datetime | None = None,
) -> Appeal:
    """Compare-and-swap the new state and columns, then append the trace row."""
    now = now or _now()
    changes = dict(changes or {})
    old_state = row.state
    columns: dict[str, Any] = {"state": target, "updated_at": now, **changes}
    if Appeal.objects.filter(pk=row.pk, state=old_state).update(**columns) != 1:
        raise Conflict()
    for name, value in columns.items():
        setattr(row, name, value)
    AppealEvent.objects.create(
        appeal=row,
        at=now,
        actor=_actor_or_none(actor),
        actor_name=_actor_name(actor),
        action=action,
        from_state=old_state,
        to_state=target,
        reason=reason[:NOTE_MAX],
        channel=channel,
        tier=row.tier,
        unit_name=row.unit_name[:120],
        data=data or {},
    )
    return row


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied()


def _require_handler(actor: Any, row: Appeal) -> None:
    if actor is None:  # the system (worker jobs)
        return
    _require(may_handle(actor, row))


def _require_supervisor(actor: Any, row: Appeal) -> None:
    if actor is None:
        return
    _require(may_supervise(actor, row))


def _text(field: str, value: str, *, required: bool, maximum: int, minimum: int = 0) -> str:
    value = (value or "").strip()
    if required and not value:
        raise _fail(field, _("This field is required."))
    if len(value) > maximum:
        raise _fail(field, _("At most %(max)s characters (now %(n)s).") % {"max": maximum, "n": len(value)})
    if value and len(value) < minimum:
        raise _fail(field, _("Please write at least %(min)s characters.") % {"min": minimum})
    return value


def validate_photo(upload: UploadedFile) -> tuple[int, int]:
    """Check one uploaded photo's size and real type (decoded with Pillow); returns its width and height."""
    from PIL import Image, UnidentifiedImageError

    if upload.size is not None and upload.size > PHOTO_MAX_BYTES:
        raise _fail("photos", _("Each photo must be at most 5 MB."))
    try:
        upload.seek(0)
        with Image.open(upload) as image:
            fmt = image.format
            image.verify()
            size = image.size
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        raise _fail(
            "photos",
            _("'%(name)s' is not a photo we can read; use JPEG, PNG or WebP.") % {"name": upload.name},
        ) from None
    finally:
        upload.seek(0)
    if fmt not in PHOTO_FORMATS:
        raise _fail(
            "photos",
            _("'%(name)s' is not a photo we can read; use JPEG, PNG or WebP.") % {"name": upload.name},
        )
    return size


def _save_photos(appeal: Appeal, photos: Sequence[UploadedFile], *, stage: str, actor: Any) -> None:
    existing = appeal.photos.count()
    if existing + len(photos) > MAX_PHOTOS:
        raise _fail("photos", _("At most %(n)s photos per appeal.") % {"n": MAX_PHOTOS})
    for upload in photos:
        width, height = validate_photo(upload)
        ext = {"image/png": "png", "image/webp": "webp", "image/gif": "gif"}.get(
            upload.content_type or "", "jpg"
        )
        photo = AppealPhoto(
            appeal=appeal, stage=stage, width=width, height=height, uploaded_by=_actor_or_none(actor)
        )
        photo.image.save(f"{uuid.uuid4().hex}.{ext}", upload, save=False)
        photo.save()
