"""Reads for triage: the model in use, model versions, labelled examples.

The model in use is the active ModelVersion, or else the starter model shipped in this package. Reading it never
needs a prepared database: with no database file or no tables the shipped model is used.
"""

from __future__ import annotations

import logging
import threading
import time
from pathlib import Path

from django.db import DatabaseError, connection
from django.db.models import QuerySet

from . import classifier
from .classifier import TextClassifier
from .models import LabelledExample, ModelVersion

log = logging.getLogger(__name__)

STARTER_VERSION = 0  # the version number reported for the shipped starter model
ACTIVE_CHECK_SECONDS = 10.0  # how long a process trusts its idea of which version is active

_lock = threading.Lock()
_loaded: dict[int, TextClassifier] = {}
_active: tuple[float, int, str] | None = None  # (checked at, number, file name)


def database_ready() -> bool:
    """True when the database exists and holds the triage tables (without creating a SQLite file)."""
    settings_dict = connection.settings_dict
    if settings_dict["ENGINE"].endswith("sqlite3"):
        name = str(settings_dict.get("NAME") or "")
        if name and name != ":memory:" and "mode=memory" not in name and not Path(name).exists():
            return False
    try:
        return ModelVersion._meta.db_table in connection.introspection.table_names()
    except DatabaseError:
        return False


def forget_active_model() -> None:
    """Make the next classify() look up the active version again (after training or a rollback)."""
    global _active
    with _lock:
        _active = None


def _active_row() -> tuple[int, str]:
    global _active
    now = time.monotonic()
    cached = _active
    if cached is not None and now - cached[0] < ACTIVE_CHECK_SECONDS:
        return cached[1], cached[2]
    number, name = STARTER_VERSION, ""
    row = None
    if database_ready():
        try:
            row = ModelVersion.objects.filter(is_active=True).values_list("number", "blob").first()
        except DatabaseError:
            row = None
    if row:
        number, name = row[0], row[1]
    with _lock:
        _active = (now, number, name)
    return number, name


def active_model(*, shipped_only: bool = False) -> tuple[int, TextClassifier]:
    """(version number, classifier) in use; number 0 is the shipped starter model."""
    # At most one look at the database per ACTIVE_CHECK_SECONDS: classify() stays sub-millisecond.
    number, name = (STARTER_VERSION, "") if shipped_only else _active_row()
    if number == STARTER_VERSION:
        return STARTER_VERSION, classifier.starter_model()
    model = _loaded.get(number)
    if model is None:
        from django.core.files.storage import default_storage

        try:
            with default_storage.open(name, "rb") as fh:
                import joblib

                model = joblib.load(fh)
        except (OSError, ValueError, EOFError) as exc:
            log.error("triage model v%s (%s) cannot be read, using the starter model: %s", number, name, exc)
            return STARTER_VERSION, classifier.starter_model()
        if not isinstance(model, TextClassifier):
            log.error("triage model v%s (%s) is not a classifier, using the starter model", number, name)
            return STARTER_VERSION, classifier.starter_model()
        classifier._jieba()
        with _lock:
            _loaded.clear()  # keep one deployment model in memory
            _loaded[number] = model
    return number, model


def model_versions() -> QuerySet[ModelVersion]:
    return ModelVersion.objects.select_related("created_by").order_by("-number")


def labelled_examples(*, since_pk: int = 0) -> QuerySet[LabelledExample]:
    return LabelledExample.objects.filter(pk__gt=since_pk).order_by("pk")


def warm_up() -> int:
    """Load the model in use and run one prediction, so the first appeal does not pay the ~2 s load
    (joblib file, jieba dictionary). Meant for server and worker start-up; returns the version number."""
    number, model = active_model()
    model.suggest("", "预热")
    return number
