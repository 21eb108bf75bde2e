"""Photos chosen on a form that is refused, kept on the server while the form is corrected: a browser forgets the
files chosen in a form when it shows the page again, and a resident or a grid worker on patrol who left a field
empty must not have to take the photos again.

The files live under MEDIA_ROOT/kept/, named in the session under a key the form carries back (a hidden `kept_key`,
or the form's own idempotency key), and are removed once the form is saved, or after a day: by `linli worker`'s job
`core.kept_files` and, for a deployment where no worker runs, by a refused form that keeps some, either at most once
an hour in each process (`PRUNE_EVERY`, `kept_files_prune_due`: a walk of the folder on each refused form was too
much for a request, and on each worker round, seconds apart, too much for remote storage). The page shows them as
thumbnails to keep or drop
(core/partials/kept_files.html, served by `kept_file` to the session that chose them only):

    kept = KeptFiles(request, "photos", most=MAX_PHOTOS)
    done = form_submit(request, form, service, then, kept=kept)   # core.pages: kept files join the field's
    return done or render(request, template, {"form": form, "kept": kept}, status=422)
    {% include "core/partials/kept_files.html" with kept=kept %}  # inside the form

A view that does not go through `form_submit` calls the steps itself (appeals' new-appeal form): `uploads()` for the
still-ticked kept photos to send with the new ones, `drop()` once saved, `keep(new uploads)` when refused.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile, UploadedFile
from django.http import FileResponse, Http404, HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from .errors import DomainError
from .photos import validate_photo

SESSION_KEY = "kept_files"
FOLDER = "kept"
MAX_AGE = dt.timedelta(days=1)
PRUNE_EVERY = dt.timedelta(hours=1)  # how often a refused form walks the folder, in one process
KEY_FIELD = "kept_key"  # the hidden field that carries the key back, when the form has no key of its own
CHOICE_FIELD = "keep_photo"  # a tick box per kept photo: ticked, it is sent with the form
FORMS_KEPT = 5  # the session names the photos of this many forms at most, the latest
PHOTO_TYPES = {"image/jpeg", "image/png", "image/webp", "image/gif"}
EXTENSIONS = {"image/jpeg": "jpg", "image/png": "png", "image/webp": "webp", "image/gif": "gif"}


def clean_key(value: object) -> str:
    """A key from the form, or "" when it is missing or malformed (it goes in a URL and a folder listing)."""
    text = value.strip() if isinstance(value, str) else ""
    return text if 8 <= len(text) <= 64 and all(ch.isalnum() or ch in "-_" for ch in text) else ""


def _forms(request: HttpRequest) -> dict[str, list[dict[str, str]]]:
    data = request.session.get(SESSION_KEY)
    return dict(data) if isinstance(data, dict) else {}


def _fresh(item: Any) -> bool:
    """A kept photo this session named, not older than MAX_AGE (its file is then removed, or about to be)."""
    if not isinstance(item, dict) or not all(isinstance(item.get(k), str) for k in ("name", "at")):
        return False
    try:
        at = dt.datetime.fromisoformat(item["at"])
    except ValueError:
        return False
    return item["name"].startswith(f"{FOLDER}/") and at >= timezone.now() - MAX_AGE


def _items(request: HttpRequest, key: str) -> list[dict[str, str]]:
    items = _forms(request).get(key)
    return [item for item in items if _fresh(item)] if isinstance(items, list) else []


class KeptFiles:
    """The photos kept for one form of this request's session: `key` names them (the form's own key, else the one
    posted back in `kept_key`, else a new one), `field` is the form's file field they join, `most` how many the
    service takes in all; `shown` the ones the page shows again after `keep`."""

    def __init__(self, request: HttpRequest, field: str, *, most: int, key: str = "") -> None:
        self.request = request
        self.field = field
        self.most = most
        self.key = clean_key(key) or clean_key(request.POST.get(KEY_FIELD)) or uuid.uuid4().hex
        self.shown: list[dict[str, str]] = []

    def chosen(self) -> list[dict[str, str]]:
        """The kept photos still ticked on the form sent (only those this session kept: a name typed in is none)."""
        ticked = set(self.request.POST.getlist(CHOICE_FIELD))
        return [item for item in _items(self.request, self.key) if item["name"] in ticked]

    def uploads(self) -> list[UploadedFile]:
        """The ticked kept photos as uploads, to go to the service before the ones chosen this time."""
        files: list[UploadedFile] = []
        for item in self.chosen():
            try:
                with default_storage.open(item["name"], "rb") as handle:
                    content = handle.read()
            except FileNotFoundError:
                continue
            files.append(SimpleUploadedFile(item["filename"], content, content_type=item["type"]))
        return files

    def keep(self, uploads: list[Any]) -> list[str]:
        """After a refusal: keep the ticked kept photos and each new upload that is a photo, up to `most`; remove the
        unticked ones. Returns why any new upload was not kept (the form shows it on the field)."""
        chosen = self.chosen()
        for item in _items(self.request, self.key):
            if item not in chosen:
                default_storage.delete(item["name"])
        kept, refused = list(chosen), []
        for upload in uploads:
            if len(kept) >= self.most:
                refused.append(
                    _("At most %(most)s photos are kept: “%(name)s” was not.")
                    % {"most": self.most, "name": upload.name}
                )
                continue
            try:
                validate_photo(upload, field=self.field)
            except DomainError as error:
                refused.append(str(error.message))
                continue
            kind = upload.content_type if upload.content_type in PHOTO_TYPES else "image/jpeg"
            name = default_storage.save(f"{FOLDER}/{uuid.uuid4().hex}.{EXTENSIONS[kind]}", upload)
            at = timezone.now().isoformat()
            kept.append({"name": name, "filename": upload.name or name, "type": kind, "at": at})
        self._store(kept)
        self.shown = kept
        kept_files_prune_due()
        return refused

    def drop(self) -> None:
        """Once the form is saved: its kept photos are removed."""
        for item in _items(self.request, self.key):
            default_storage.delete(item["name"])
        self._store([])

    def _store(self, items: list[dict[str, str]]) -> None:
        forms = _forms(self.request)
        forms.pop(self.key, None)
        if items:
            forms[self.key] = items
        self.request.session[SESSION_KEY] = dict(list(forms.items())[-FORMS_KEPT:])


def kept_files_prune() -> int:
    """Remove kept photos older than MAX_AGE (a form never sent again); returns how many."""
    try:
        _dirs, files = default_storage.listdir(FOLDER)
    except (FileNotFoundError, NotImplementedError):
        return 0
    limit, removed = timezone.now() - MAX_AGE, 0
    for name in files:
        path = f"{FOLDER}/{name}"
        try:
            if default_storage.get_modified_time(path) < limit:
                default_storage.delete(path)
                removed += 1
        except (FileNotFoundError, NotImplementedError):
            continue
    return removed


_pruned_at: dt.datetime | None = None  # when this process last walked the folder


def kept_files_prune_due() -> int:
    """`kept_files_prune`, at most once per PRUNE_EVERY in this process: from the worker's job, whose rounds come
    seconds apart (a listing of the folder each round would be costly on remote storage), and from a refused form,
    for a deployment where no worker runs. Two threads at the same moment may both walk: harmless."""
    global _pruned_at
    now = timezone.now()
    if _pruned_at is not None and _pruned_at <= now < _pruned_at + PRUNE_EVERY:
        return 0
    _pruned_at = now
    return kept_files_prune()


@require_GET
def kept_file(request: HttpRequest, key: str, index: int) -> FileResponse:
    """A kept photo's thumbnail, to the session that chose it only (another browser or account: 404)."""
    items = _items(request, key)
    if not 0 <= index < len(items):
        raise Http404
    try:
        handle = default_storage.open(items[index]["name"], "rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(handle, content_type=items[index]["type"])
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response
