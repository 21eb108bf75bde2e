"""Reads for triage: the model in use, model versions, labelled examples.

The model in use is the active ModelVersion, or else the starter model shipped in this package. Reading it never
needs a prepared database: with no database file or no tables the shipped model is used.
"""

from __future__ import annotations

import logging
from pathlib import Path

from django.db import DatabaseError, connection
from django.db.models import QuerySet

from linli.core.snapshots import Snapshot

from . import classifier
from .classifier import TextClassifier
from .models import LabelledExample, ModelVersion

log = logging.getLogger(__name__)

STARTER_VERSION = 0  # the version number reported for the shipped starter model
TRIAGE_MODEL = "triage_model"  # the snapshot name; services bump it when the version in use changes

_ready = False


def database_ready() -> bool:
    """True when the database exists and holds the triage tables (without creating a SQLite file).
    Once true it stays true for the process (tables are not dropped under a running process)."""
    global _ready
    if _ready:
        return True
    settings_dict = connection.settings_dict
    if settings_dict["ENGINE"].endswith("sqlite3"):
        name = str(settings_dict.get("NAME") or "")
        if name and name != ":memory:" and "mode=memory" not in name and not Path(name).exists():
            return False
    try:
        _ready = ModelVersion._meta.db_table in connection.introspection.table_names()
    except DatabaseError:
        return False
    return _ready


def _load_model_in_use() -> tuple[int, TextClassifier]:
    """The active version's classifier, or the starter model when none is active or it cannot be read."""
    try:
        row = ModelVersion.objects.filter(is_active=True).values_list("number", "blob").first()
    except DatabaseError:
        row = None
    if not row:
        return STARTER_VERSION, classifier.starter_model()
    number, name = row
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
    return number, model


# One deployment model in memory per process, loaded again when another version is put in use anywhere.
_model_in_use = Snapshot(TRIAGE_MODEL, _load_model_in_use)


def active_model(*, shipped_only: bool = False) -> tuple[int, TextClassifier]:
    """(version number, classifier) in use; number 0 is the shipped starter model."""
    if shipped_only or not database_ready():
        return STARTER_VERSION, classifier.starter_model()
    return _model_in_use.get()


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
