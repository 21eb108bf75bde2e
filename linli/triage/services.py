"""Triage services: classify an appeal, record every human choice as a labelled example, train, roll back.

Appeals call `classify(title=…, text=…)` at intake and apply the suggestion when `suggestion.confident` (confidence
at or above LINLI_TRIAGE_THRESHOLD, default 0.6); otherwise the appeal waits in the triage queue. Whatever a person
then chooses or corrects goes to `labelled_example_record(…)`, and `model_version_train(…)` learns from it.
"""

from __future__ import annotations

import io
import time
from collections import Counter
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from linli.accounts.models import User
from linli.core.audit import audit_record
from linli.core.errors import NotFound, ValidationFailed
from linli.core.snapshots import bump

from . import classifier, selectors
from .choices import ExampleSource
from .classifier import Example, TextClassifier
from .models import LabelledExample, ModelVersion

DEPLOYMENT_WEIGHT = 2.0  # a deployment's own examples count twice as much as the starter corpus
MAX_TITLE = 200
MAX_TEXT = 20000


def threshold() -> float:
    return float(getattr(settings, "LINLI_TRIAGE_THRESHOLD", 0.6))


@dataclass(frozen=True)
class Suggestion:
    category_code: str
    confidence: float
    alternatives: list[tuple[str, float]]
    model_version: int  # 0 = the starter model shipped with Linli

    @property
    def confident(self) -> bool:
        """True when the suggestion may be applied without a person (confidence ≥ the threshold)."""
        return self.confidence >= threshold()


def classify(*, title: str, text: str) -> Suggestion:
    """The most likely category of an appeal, its probability and the next two, from the model in use."""
    number, model = selectors.active_model()
    prediction = model.suggest(title or "", text or "", k=3)
    return Suggestion(
        category_code=prediction.category_code,
        confidence=round(prediction.confidence, 4),
        alternatives=[(code, round(p, 4)) for code, p in prediction.alternatives],
        model_version=number,
    )


def labelled_example_record(
    *, actor: User | None, title: str, text: str, category_code: str, source: str
) -> LabelledExample:
    """Keep one human choice (at intake) or correction of a category as a training example."""
    title = (title or "").strip()[:MAX_TITLE]
    text = (text or "").strip()[:MAX_TEXT]
    category_code = (category_code or "").strip()
    if not (title or text):
        raise ValidationFailed(_("An example needs a title or a text."), extra={"field": "text"})
    if not category_code or len(category_code) > 100:
        raise ValidationFailed(_("An example needs a category."), extra={"field": "category_code"})
    if source not in ExampleSource.values:
        raise ValidationFailed(_("Unknown example source."), extra={"field": "source"})
    return LabelledExample.objects.create(
        title=title,
        text=text,
        category_code=category_code,
        source=source,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )


def _deployment_examples() -> tuple[list[Example], Counter[str]]:
    """The deployment's examples; when the same text was labelled more than once, the latest label counts."""
    latest: dict[str, tuple[Example, str]] = {}
    for row in selectors.labelled_examples().values_list("title", "text", "category_code", "source"):
        title, text, code, source = row
        latest[classifier.normalise(title, text)] = (Example(title, text, code, DEPLOYMENT_WEIGHT), source)
    counts: Counter[str] = Counter(source for _ex, source in latest.values())
    return [ex for ex, _source in latest.values()], counts


def _holdout_metrics(examples: list[Example], *, holdout: float, seed: int = 0) -> dict[str, Any]:
    """Train on a stratified part, score on the rest: accuracy and macro-F1, per category and first level."""
    import numpy as np
    from sklearn.metrics import accuracy_score, f1_score
    from sklearn.model_selection import train_test_split

    labels = np.asarray([e.label for e in examples], dtype=object)
    counts = Counter(labels.tolist())
    can_test = np.asarray([counts[label] >= 2 for label in labels], dtype=bool)
    idx = np.arange(len(examples))
    if can_test.sum() < 10 or len(set(labels[can_test])) < 2:
        return {"method": "none", "reason": "too few examples to hold some out"}
    train_idx, test_idx = train_test_split(
        idx[can_test], test_size=holdout, stratify=labels[can_test], random_state=seed
    )
    train_idx = np.concatenate([train_idx, idx[~can_test]])
    model = classifier.train([examples[i] for i in train_idx])
    test = [examples[i] for i in test_idx]
    predicted = model.predict([e.title for e in test], [e.text for e in test])
    truth = [e.label for e in test]
    top_true = [classifier.parent_code(c) for c in truth]
    top_pred = [classifier.parent_code(c) for c in predicted]
    local = [i for i, e in enumerate(test) if e.weight == DEPLOYMENT_WEIGHT]
    metrics: dict[str, Any] = {
        "method": f"stratified hold-out {holdout:.0%}",
        "test_size": len(test),
        "accuracy": round(float(accuracy_score(truth, predicted)), 4),
        "macro_f1": round(float(f1_score(truth, predicted, average="macro", zero_division=0)), 4),
        "first_level_accuracy": round(float(accuracy_score(top_true, top_pred)), 4),
        "first_level_macro_f1": round(
            float(f1_score(top_true, top_pred, average="macro", zero_division=0)), 4
        ),
    }
    if local:
        metrics["deployment_test_size"] = len(local)
        metrics["deployment_accuracy"] = round(
            float(accuracy_score([truth[i] for i in local], [predicted[i] for i in local])), 4
        )
    return metrics


def model_version_train(
    *,
    actor: User | None,
    min_examples: int = 0,
    holdout: float = 0.2,
    include_starter: bool = True,
    activate: bool = True,
    extra_examples: list[Example] | None = None,
) -> ModelVersion:
    """Train a new model from the deployment's labelled examples plus the starter corpus and store it.

    The evaluation comes from a stratified hold-out of `holdout` of the data; the stored model is then fitted on
    everything. Training runs outside any transaction; only saving and activation take one.
    """
    local, sources = _deployment_examples()
    if len(local) < min_examples:
        raise ValidationFailed(
            _("Only %(n)d labelled examples are recorded; at least %(min)d are needed to train.")
            % {"n": len(local), "min": min_examples}
        )
    starter = classifier.starter_examples() if include_starter else []
    examples = starter + local + list(extra_examples or [])
    if len({e.label for e in examples}) < 2:
        raise ValidationFailed(_("Training needs examples of at least two categories."))
    started = time.perf_counter()
    metrics = _holdout_metrics(examples, holdout=holdout) if holdout > 0 else {"method": "none"}
    model: TextClassifier = classifier.train(examples)
    seconds = time.perf_counter() - started
    model.meta = {"trained_at": timezone.now().isoformat(), "examples": len(examples)}
    buffer = io.BytesIO()
    import joblib

    joblib.dump(model, buffer, compress=("xz", 3))
    trained_on = {
        "starter": len(starter),
        "deployment": len(local),
        **{f"deployment_{k}": v for k, v in sorted(sources.items())},
        "extra": len(extra_examples or []),
        "total": len(examples),
        "categories": len(model.classes),
        "seconds": round(seconds, 1),
    }
    with transaction.atomic():
        # Lock the existing versions (FOR UPDATE cannot carry an aggregate on PostgreSQL), then number the new one;
        # two first-ever trainings racing each other are caught by the unique number.
        list(ModelVersion.objects.select_for_update().values_list("pk", flat=True))
        last = ModelVersion.objects.aggregate(m=Max("number"))["m"] or 0
        version = ModelVersion(
            number=last + 1, created_by=_user(actor), trained_on=trained_on, metrics=metrics
        )
        version.blob.save(f"model-v{version.number}.joblib", ContentFile(buffer.getvalue()), save=False)
        version.save()
        audit_record(actor=actor, action="triage.model_trained", obj=version, detail=trained_on | metrics)
        if activate:
            _activate(actor=actor, version=version)
    return version


def _user(actor: User | None) -> User | None:
    return actor if getattr(actor, "is_authenticated", False) else None


def _activate(*, actor: User | None, version: ModelVersion | None) -> None:
    others = ModelVersion.objects.filter(is_active=True)
    if version is not None:
        others = others.exclude(pk=version.pk)
    others.update(is_active=False)
    if version is not None:
        ModelVersion.objects.filter(pk=version.pk).update(is_active=True, activated_at=timezone.now())
        version.is_active = True
    audit_record(
        actor=actor,
        action="triage.model_activated",
        object_type="triage.modelversion",
        object_id=str(version.number if version else selectors.STARTER_VERSION),
    )
    bump(selectors.TRIAGE_MODEL)


@transaction.atomic
def model_version_activate(*, actor: User | None, number: int | None = None) -> ModelVersion | None:
    """Put a stored version back in use (a rollback). number=None → the version before the active one;
    number=0 → the shipped starter model. Returns the version now in use (None for the starter model)."""
    versions = ModelVersion.objects.select_for_update()
    current = versions.filter(is_active=True).first()
    if number is None:
        if current is None:
            raise NotFound(
                _("The starter model is already in use; there is nothing earlier to roll back to.")
            )
        target = versions.filter(number__lt=current.number).order_by("-number").first()
    elif number == selectors.STARTER_VERSION:
        target = None
    else:
        target = versions.filter(number=number).first()
        if target is None:
            raise NotFound(_("There is no model version %(n)d.") % {"n": number})
    _activate(actor=actor, version=target)
    return target
