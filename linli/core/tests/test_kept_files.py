"""core.kept_files: the photos of a refused form, kept on the server while it is corrected, are this session's only,
and go after a day. Driven through a form that keeps them (territory's visit log: a grid worker on patrol)."""

from __future__ import annotations

import datetime as dt
import io
import os
import re
import time
from pathlib import Path
from typing import Any

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone
from PIL import Image

from linli.core import jobs, kept_files
from linli.territory.models import Visit
from linli.testing import Cast

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
    # Each test starts as a process that has not looked at the folder yet.
    monkeypatch.setattr(kept_files, "_pruned_at", None, raising=False)


def jpeg(name: str) -> SimpleUploadedFile:
    buf = io.BytesIO()
    Image.new("RGB", (40, 30), (30, 120, 200)).save(buf, "JPEG")
    return SimpleUploadedFile(name, buf.getvalue(), content_type="image/jpeg")


def refused_visit(client: Client, cast: Cast) -> tuple[str, list[str]]:
    """A visit sent with a photo and no 走访情况: its kept photos' key and names."""
    response = client.post(
        f"/territory/grids/{cast.grid.pk}/visits/",
        {"place": f"h{cast.household.pk}", "found": "", "photos": [jpeg("door.jpg")]},
    )
    assert response.status_code == 422
    page = response.content.decode()
    key = re.search(r'name="kept_key" value="([^"]+)"', page)
    assert key is not None
    return key[1], re.findall(r'name="keep_photo" value="([^"]+)"', page)


def kept_on_disk(settings: Any) -> list[Path]:
    folder = Path(settings.MEDIA_ROOT) / "kept"
    return sorted(folder.iterdir()) if folder.exists() else []


def test_another_session_cannot_see_or_use_the_photos_kept(
    cast: Cast, client_for: Any, settings: Any
) -> None:
    worker = client_for("grid_worker")
    key, names = refused_visit(worker, cast)
    assert worker.get(f"/core/kept/{key}/0/").status_code == 200
    # Another account, or a browser signed out, asking for the same address: nothing there for it.
    other = client_for("community_worker")
    assert other.get(f"/core/kept/{key}/0/").status_code == 404
    assert Client().get(f"/core/kept/{key}/0/").status_code == 404
    # Nor can it send them with its own visit by naming them: only its own session's kept photos are sent.
    saved = other.post(
        f"/territory/grids/{cast.grid.pk}/visits/",
        {"place": f"h{cast.household.pk}", "found": "门口堆放杂物", "kept_key": key, "keep_photo": names},
    )
    assert saved.status_code == 302 and Visit.objects.get().photos.count() == 0
    assert len(kept_on_disk(settings)) == 1 and worker.get(f"/core/kept/{key}/0/").status_code == 200


def test_photos_kept_expire_after_a_day(cast: Cast, client_for: Any, settings: Any) -> None:
    settings.SESSION_COOKIE_AGE = 2 * 24 * 3600  # a session longer than the photos' day (a resident's may be)
    worker = client_for("grid_worker")
    key, names = refused_visit(worker, cast)
    start = timezone.now()
    with time_machine.travel(start + dt.timedelta(hours=23)):
        assert jobs.run_all(["core.kept_files"]) == {"core.kept_files": 0}
        assert worker.get(f"/core/kept/{key}/0/").status_code == 200
    with time_machine.travel(start + dt.timedelta(hours=25)):
        # Not shown nor sent any more, even before the worker's job removes the file.
        assert worker.get(f"/core/kept/{key}/0/").status_code == 404
        assert jobs.run_all(["core.kept_files"]) == {"core.kept_files": 1}
        assert kept_on_disk(settings) == []
        saved = worker.post(
            f"/territory/grids/{cast.grid.pk}/visits/",
            {"place": f"h{cast.household.pk}", "found": "门口堆放杂物", "kept_key": key, "keep_photo": names},
        )
    assert saved.status_code == 302 and Visit.objects.get().photos.count() == 0


def test_refused_forms_remove_forgotten_photos_at_most_once_an_hour(
    cast: Cast, client_for: Any, settings: Any
) -> None:
    """Without a worker the refused forms still remove photos no form came back for, but not by a walk of the
    folder on each of them: once an hour in each process (the worker's job does it each round)."""
    worker = client_for("grid_worker")
    folder = Path(settings.MEDIA_ROOT) / kept_files.FOLDER

    def forgotten(name: str) -> Path:
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / name
        path.write_bytes(b"a photo kept two days ago")
        two_days_ago = time.time() - 2 * 24 * 3600
        os.utime(path, (two_days_ago, two_days_ago))
        return path

    start = timezone.now()
    first = forgotten("first.jpg")
    refused_visit(worker, cast)
    assert not first.exists()
    second = forgotten("second.jpg")
    refused_visit(worker, cast)
    refused_visit(worker, cast)
    assert second.exists()  # the folder is not walked again at once
    with time_machine.travel(start + dt.timedelta(minutes=61)):
        refused_visit(worker, cast)
    assert not second.exists()
    assert len(kept_on_disk(settings)) == 4  # the four refused visits' own photos are all still kept


def test_the_workers_rounds_walk_the_kept_folder_at_most_once_an_hour(settings: Any) -> None:
    """The worker's rounds come seconds apart: its job lists the folder (costly on remote storage) once an hour."""
    folder = Path(settings.MEDIA_ROOT) / kept_files.FOLDER
    folder.mkdir(parents=True, exist_ok=True)
    start = timezone.now()

    def forgotten(name: str) -> Path:
        path = folder / name
        path.write_bytes(b"a photo kept two days ago")
        two_days_ago = time.time() - 2 * 24 * 3600
        os.utime(path, (two_days_ago, two_days_ago))
        return path

    first = forgotten("first.jpg")
    assert jobs.run_all(["core.kept_files"]) == {"core.kept_files": 1} and not first.exists()
    second = forgotten("second.jpg")
    with time_machine.travel(start + dt.timedelta(seconds=5)):
        assert jobs.run_all(["core.kept_files"]) == {"core.kept_files": 0} and second.exists()
    with time_machine.travel(start + dt.timedelta(minutes=61)):
        assert jobs.run_all(["core.kept_files"]) == {"core.kept_files": 1} and not second.exists()
