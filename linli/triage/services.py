"""Triage services: classify an appeal, record every human choice as a labelled example, train, roll back.

Appeals call `classify(title=…, text=…)` at intake and apply the suggestion when `suggestion.confident` (confidence
at or above LINLI_TRIAGE_THRESHOLD, default 0.6); otherwise the appeal waits in the triage queue. Whatever a person
then chooses or corrects goes to `labelled_example_record(…)`, and `model_version_train(…)` learns from it.
"""

from __future__ import annotations

import datetime as dt
import io
import logging
import re
import time
import zlib
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from linli.accounts.models import User
from linli.core.audit import audit_record
from linli.core.errors import NotFound, ValidationFailed
from linli.core.scoping import person
from linli.core.snapshots import bump

from . import classifier, corpus, encoder, selectors
from .choices import ExampleSource
from .classifier import TextClassifier
from .corpus import Example
from .embeddings import embeddings_cached, keys_kept
from .models import LabelledExample, ModelVersion, Refinement
from .taxonomy import parent_code

log = logging.getLogger(__name__)

DEPLOYMENT_WEIGHT = 2.0  # a deployment's own examples count twice as much as the starter corpus
MAX_TITLE = 200
MAX_TEXT = 20000
CATCH_ALL = frozenset({"other.misc"})  # categories never applied without a person (see classify)
MAX_CATEGORIES = 3  # a message with several issues gets at most this many category suggestions
HOLD_BACK_ONE_IN = 5  # automatic retraining holds back one deployment label in five to judge candidates
MIN_HELD_BACK = 20  # ...and compares models only once that slice has at least this many labels


def threshold() -> float:
    return float(getattr(settings, "LINLI_TRIAGE_THRESHOLD", 0.6))


def multi_threshold() -> float:
    """A further category is suggested when its probability reaches this (LINLI_TRIAGE_MULTI_THRESHOLD)."""
    return float(getattr(settings, "LINLI_TRIAGE_MULTI_THRESHOLD", 0.2))


def retrain_every() -> int:
    """New human labels that make the worker train a candidate model (LINLI_TRIAGE_RETRAIN_EVERY; 0 = never)."""
    return int(getattr(settings, "LINLI_TRIAGE_RETRAIN_EVERY", 200))


@dataclass(frozen=True)
class Suggestion:
    category_code: str
    confidence: (
        float  # how sure Linli is that the category may be applied without a person (0 for a catch-all)
    )
    alternatives: list[tuple[str, float]]
    model_version: int  # 0 = the starter model shipped with Linli
    probability: float = 0.0  # the model's probability of category_code
    refined_by: str = ""  # the sentence encoder that refined it in the worker ("" for the fast model alone)

    @property
    def confident(self) -> bool:
        """True when the suggestion may be applied without a person (confidence ≥ the threshold)."""
        return self.confidence >= threshold()


def classify(*, title: str, text: str) -> Suggestion:
    """The most likely category of an appeal, its probability and the next two, from the model in use."""
    number, model = selectors.active_model()
    return _suggestion(model.suggest(title or "", text or "", k=3), number)


def _suggestion(prediction: classifier.Prediction, number: int, refined_by: str = "") -> Suggestion:
    probability = round(prediction.confidence, 4)
    return Suggestion(
        category_code=prediction.category_code,
        # 其他事项 says that no specific category fits: a person chooses, however sure the model is of that.
        confidence=0.0 if prediction.category_code in CATCH_ALL else probability,
        alternatives=[(code, round(p, 4)) for code, p in prediction.alternatives],
        model_version=number,
        probability=probability,
        refined_by=refined_by,
    )


# ---- the sentence encoder: a second look in the worker (encoder.py) ------------------------------------------

_said_missing = False


def encoder_enabled() -> bool:
    """True when the worker may refine with the sentence encoder: LINLI_TRIAGE_ENCODER (default on) and the
    package installed. Says once in the log when it is wanted but missing."""
    global _said_missing
    if not getattr(settings, "LINLI_TRIAGE_ENCODER", True):
        return False
    if encoder.installed():
        return True
    if not _said_missing:
        _said_missing = True
        log.warning("triage: the sentence encoder (%s) is not installed; no refinement", encoder.PACKAGE)
    return False


# The most labelled examples one training embeds for the encoder member (its logistic regression learns as well from a
# few thousand as from all): 6,000 × 30-100 ms is minutes of CPU, where a first training on 100,000 labels embedded
# every one of them, one to three hours (bench/triage_train.py, 7 December 2026).
ENCODER_NEW_MOST = 6_000
# The fewest of a category's examples the member is given, when it has that many.
ENCODER_EACH_LEAST = 20


def encoder_sample(examples: Sequence[Example], most: int | None = None) -> list[Example]:
    """The examples the encoder member is trained on. With at most `most` (ENCODER_NEW_MOST) whose embedding is not
    kept yet, all of them; with more, every one whose embedding is kept (free) and, of each category, its first ones
    in the order of their texts' keys, as many as its share of `most` by its numbers but at least
    ENCODER_EACH_LEAST (or all it has), so that every category of the fast model is in it. A training's two fits
    (on four fifths of the labels, then on all) and later retrainings take mostly the same ones, and embed only
    those newly among the first: about `most` at a first training, whatever the labels' number."""
    most = ENCODER_NEW_MOST if most is None else most
    keyed = [(encoder.key(encoder.encoder_text(e.title, e.text)), e) for e in examples]
    kept = keys_kept([k for k, _e in keyed])
    if sum(k not in kept for k, _e in keyed) <= most:
        return list(examples)
    by_label: dict[str, list[str]] = {}
    for k, e in keyed:
        by_label.setdefault(e.label, []).append(k)
    first = {
        k
        for keys in by_label.values()
        for k in sorted(keys)[: max(ENCODER_EACH_LEAST, most * len(keys) // len(keyed))]
    }
    return [e for k, e in keyed if k in kept or k in first]


def _with_encoder_member(model: TextClassifier, examples: list[Example]) -> TextClassifier:
    """Give a newly trained model its encoder member when the encoder is enabled, trained on `encoder_sample`."""
    if encoder_enabled():
        encoder.attach(model, encoder_sample(examples), embeddings_cached)
    return model


def refine(*, title: str, text: str) -> Suggestion | None:
    """The worker's second look: the model in use refined by the sentence encoder (its member's probabilities
    averaged with the fast ensemble's). None when the encoder is off or missing, or the model in use carries no
    encoder member (a version trained without the encoder). Tens to hundreds of ms: never at intake."""
    if not encoder_enabled():
        return None
    number, model = selectors.active_model()
    proba = encoder.refined_proba(model, title or "", text or "", embedder=embeddings_cached)
    if proba is None:
        return None
    order = proba.argsort()[::-1][:3]
    ranked = [(model.classes[i], float(proba[i])) for i in order]
    prediction = classifier.Prediction(ranked[0][0], ranked[0][1], ranked[1:])
    return _suggestion(prediction, number, refined_by=model.encoder_member.encoder)


REFINE_CLAIM_SECONDS = 300


def refinement_claim(*, appeal_id: int, title: str, text: str) -> bool:
    """Claim one appeal for refinement (compare-and-swap, safe with any number of workers): True when this
    worker may refine it now. An appeal refined once is never claimed again; a claim whose worker died is
    taken over after REFINE_CLAIM_SECONDS."""
    now = timezone.now()
    until = now + dt.timedelta(seconds=REFINE_CLAIM_SECONDS)
    try:
        with transaction.atomic():
            Refinement.objects.create(
                appeal_id=appeal_id,
                text_key=encoder.key(encoder.encoder_text(title, text)),
                claimed_until=until,
            )
        return True
    except IntegrityError:
        stale = Refinement.objects.filter(appeal_id=appeal_id, done_at__isnull=True, claimed_until__lt=now)
        return stale.update(claimed_until=until) == 1


def refinement_record(*, appeal_id: int, suggestion: Suggestion | None, applied: bool) -> None:
    """Close the claim with the refined suggestion (None: nothing to refine with) and whether it was applied."""
    changes: dict[str, Any] = {"done_at": timezone.now(), "claimed_until": None, "applied": applied}
    if suggestion is not None:
        changes.update(
            category_code=suggestion.category_code,
            probability=suggestion.probability,
            confidence=suggestion.confidence,
            alternatives=[list(pair) for pair in suggestion.alternatives],
            model_version=suggestion.model_version,
            encoder=suggestion.refined_by,
        )
    Refinement.objects.filter(appeal_id=appeal_id).update(**changes)


def refinement_release(*, appeal_id: int) -> None:
    """Give a claim back unrefined (the step failed): another round may try again."""
    Refinement.objects.filter(appeal_id=appeal_id, done_at__isnull=True).delete()


@dataclass(frozen=True)
class CategoryGuess:
    category_code: str
    confidence: float
    part: str  # "" when read from the whole message, else the sentence that names this issue


# Sentences end at these marks; a part shorter than MIN_PART characters is joined to the one before it.
_SENTENCE_END = re.compile(r"(?<=[。！？!?；;\n])")
MIN_PART = 8


def message_parts(text: str) -> list[str]:
    """The sentences of a message, short ones joined to their neighbour (each a candidate separate issue)."""
    parts: list[str] = []
    for piece in _SENTENCE_END.split(text or ""):
        piece = piece.strip()
        if not piece:
            continue
        if parts and (len(piece) < MIN_PART or len(parts[-1]) < MIN_PART):
            parts[-1] += piece
        else:
            parts.append(piece)
    return parts


def suggest_categories(*, title: str, text: str, limit: int = MAX_CATEGORIES) -> list[CategoryGuess]:
    """Up to `limit` categories for a message that may raise several issues, most likely first.

    The first is always the whole message's best category: what `classify` returns, or, once the worker has
    refined this very text with the sentence encoder (a stored `Refinement`), the refined one (one indexed query;
    the encoder itself never runs here). A further category is added
    when the whole message gives it at least LINLI_TRIAGE_MULTI_THRESHOLD (default 0.2), or when one sentence of
    the message, read alone, is about it with at least LINLI_TRIAGE_THRESHOLD confidence ("楼道灯坏了一个月。
    另外楼下烧烤油烟太大。" → property service and cooking fumes). Runs the model once per sentence; not on the
    dispatch path.
    """
    _number, model = selectors.active_model()
    refined = _refined_guesses(title or "", text or "")
    if refined is not None:  # the worker's encoder-refined reading of this message replaces the fast one
        ranked = refined
    else:
        proba = model.proba_one(title or "", text or "")
        ranked = [(model.classes[int(i)], float(proba[i])) for i in proba.argsort()[::-1][:limit]]
    best = ranked[0][0]
    found: dict[str, CategoryGuess] = {best: CategoryGuess(best, round(ranked[0][1], 4), "")}
    for code, p in ranked[1:limit]:
        if p >= multi_threshold():
            found[code] = CategoryGuess(code, round(p, 4), "")
    parts = message_parts(text or "")
    if len(parts) > 1:
        for part in parts:
            guess = model.suggest("", part, k=1)
            known = found.get(guess.category_code)
            if guess.confidence >= threshold() and (
                known is None or (known.part and guess.confidence > known.confidence)
            ):
                found[guess.category_code] = CategoryGuess(
                    guess.category_code, round(guess.confidence, 4), part
                )
    rest = sorted((g for code, g in found.items() if code != best), key=lambda g: -g.confidence)
    return [found[best], *rest][: max(limit, 1)]


def _refined_guesses(title: str, text: str) -> list[tuple[str, float]] | None:
    """The worker's refined ranking of this very text (category, probability), best first, if it has one."""
    if not selectors.database_ready():
        return None
    row = (
        Refinement.objects.filter(
            text_key=encoder.key(encoder.encoder_text(title, text)), done_at__isnull=False
        )
        .exclude(category_code="")
        .order_by("-done_at")
        .values_list("category_code", "probability", "alternatives")
        .first()
    )
    if row is None:
        return None
    code, probability, alternatives = row
    return [(code, probability), *((str(c), float(p)) for c, p in alternatives or [])]


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
        created_by=person(actor),
    )


def _deployment_examples() -> tuple[list[Example], Counter[str], int]:
    """The deployment's examples (when the same text was labelled more than once, the latest label counts),
    the count per source and the id of the last example read."""
    latest: dict[str, tuple[Example, str]] = {}
    last_pk = 0
    for row in selectors.labelled_examples().values_list("pk", "title", "text", "category_code", "source"):
        pk, title, text, code, source = row
        latest[classifier.normalise(title, text)] = (Example(title, text, code, DEPLOYMENT_WEIGHT), source)
        last_pk = max(last_pk, pk)
    counts: Counter[str] = Counter(source for _ex, source in latest.values())
    return [ex for ex, _source in latest.values()], counts, last_pk


def held_back(example: Example) -> bool:
    """True for the deployment labels that automatic retraining never trains on and judges candidates with:
    one in HOLD_BACK_ONE_IN, chosen by a checksum of the text (so an example stays on its side for good)."""
    key = classifier.normalise(example.title, example.text).encode("utf-8")
    return zlib.crc32(key) % HOLD_BACK_ONE_IN == 0


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
    top_true = [parent_code(c) for c in truth]
    top_pred = [parent_code(c) for c in predicted]
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
    local, sources, last_pk = _deployment_examples()
    if len(local) < min_examples:
        raise ValidationFailed(
            _("Only %(n)d labelled examples are recorded; at least %(min)d are needed to train.")
            % {"n": len(local), "min": min_examples}
        )
    starter = corpus.starter_examples() if include_starter else []
    examples = starter + local + list(extra_examples or [])
    if len({e.label for e in examples}) < 2:
        raise ValidationFailed(_("Training needs examples of at least two categories."))
    started = time.perf_counter()
    metrics = _holdout_metrics(examples, holdout=holdout) if holdout > 0 else {"method": "none"}
    model: TextClassifier = _with_encoder_member(classifier.train(examples), examples)
    trained_on = {
        "starter": len(starter),
        "deployment": len(local),
        **{f"deployment_{k}": v for k, v in sorted(sources.items())},
        "extra": len(extra_examples or []),
        "total": len(examples),
        "categories": len(model.classes),
        "seconds": round(time.perf_counter() - started, 1),
        "last_example_pk": last_pk,
        "encoder": model.encoder_member.encoder if model.encoder_member is not None else "",
    }
    with transaction.atomic():
        version = _store(actor=actor, model=model, trained_on=trained_on, metrics=metrics)
        if activate:
            _activate(actor=actor, version=version)
    return version


def _store(
    *, actor: User | None, model: TextClassifier, trained_on: dict[str, Any], metrics: dict[str, Any]
) -> ModelVersion:
    """Save a trained model as the next version (inside the caller's transaction)."""
    import joblib

    model.meta = {"trained_at": timezone.now().isoformat(), "examples": trained_on.get("total")}
    buffer = io.BytesIO()
    joblib.dump(model, buffer, compress=("xz", 3))
    # Lock the existing versions (FOR UPDATE cannot carry an aggregate on PostgreSQL), then number the new one;
    # two first-ever trainings racing each other are caught by the unique number.
    list(ModelVersion.objects.select_for_update().values_list("pk", flat=True))
    last = ModelVersion.objects.aggregate(m=Max("number"))["m"] or 0
    version = ModelVersion(number=last + 1, created_by=person(actor), trained_on=trained_on, metrics=metrics)
    version.blob.save(f"model-v{version.number}.joblib", ContentFile(buffer.getvalue()), save=False)
    version.save()
    audit_record(actor=actor, action="triage.model_trained", obj=version, detail=trained_on | metrics)
    return version


def _scores(model: TextClassifier, examples: list[Example]) -> dict[str, float]:
    from sklearn.metrics import accuracy_score, f1_score

    truth = [e.label for e in examples]
    predicted = model.predict([e.title for e in examples], [e.text for e in examples])
    return {
        "accuracy": round(float(accuracy_score(truth, predicted)), 4),
        "macro_f1": round(float(f1_score(truth, predicted, average="macro", zero_division=0)), 4),
    }


def _labels_since_last_version() -> tuple[int, int]:
    """(id of the last labelled example any version was trained with, labelled examples recorded after it)."""
    seen = 0
    for trained_on in ModelVersion.objects.values_list("trained_on", flat=True):
        seen = max(seen, int((trained_on or {}).get("last_example_pk") or 0))
    return seen, selectors.labelled_examples(since_pk=seen).count()


def model_version_retrain(*, actor: User | None, min_new: int | None = None) -> ModelVersion | None:
    """Self-learning: once `min_new` (LINLI_TRIAGE_RETRAIN_EVERY) new human labels have accumulated, train a
    candidate and put it in use only when it is not worse than the model in use.

    The candidate learns from the starter corpus and the deployment's labels except a held-back slice (one in
    HOLD_BACK_ONE_IN, see `held_back`); both models are scored on that slice, which neither was trained on
    (unless the model in use was trained by hand on everything). It is switched in when its accuracy and its
    macro-F1 on the slice are both at least the current model's. Every candidate is stored as a ModelVersion
    with the comparison and the decision in its metrics, switched in or not, so every switch is recorded and
    can be undone with `model_version_activate`. Returns the stored candidate, or None when nothing was due.
    """
    wanted = retrain_every() if min_new is None else min_new
    seen, new = _labels_since_last_version()
    if wanted <= 0 or new < wanted:
        return None
    local, sources, last_pk = _deployment_examples()
    kept = [e for e in local if held_back(e)]
    if len(kept) < MIN_HELD_BACK:
        return None  # wait for more labels: a smaller slice cannot tell two models apart
    started = time.perf_counter()
    train_part = [e for e in local if not held_back(e)]
    starter = corpus.starter_examples()
    candidate = _with_encoder_member(classifier.train(starter + train_part), starter + train_part)
    current_number, current = selectors.active_model()
    ours, theirs = _scores(candidate, kept), _scores(current, kept)
    better = ours["accuracy"] >= theirs["accuracy"] and ours["macro_f1"] >= theirs["macro_f1"]
    metrics: dict[str, Any] = {
        "method": f"held-back slice of the deployment's labels (one in {HOLD_BACK_ONE_IN})",
        "test_size": len(kept),
        **ours,
        "compared_with": current_number,
        "current_accuracy": theirs["accuracy"],
        "current_macro_f1": theirs["macro_f1"],
    }
    trained_on = {
        "starter": len(starter),
        "deployment": len(train_part),
        "held_back": len(kept),
        **{f"deployment_{k}": v for k, v in sorted(sources.items())},
        "total": len(starter) + len(train_part),
        "categories": len(candidate.classes),
        "seconds": round(time.perf_counter() - started, 1),
        "last_example_pk": last_pk,
        "automatic": True,
        "encoder": candidate.encoder_member.encoder if candidate.encoder_member is not None else "",
    }
    with transaction.atomic():
        list(ModelVersion.objects.select_for_update().values_list("pk", flat=True))
        if _labels_since_last_version()[0] != seen:
            return None  # another worker stored a version from these labels while this one was training
        version = _store(actor=actor, model=candidate, trained_on=trained_on, metrics=metrics)
        active = ModelVersion.objects.filter(is_active=True).values_list("number", flat=True).first()
        if (active or selectors.STARTER_VERSION) != current_number:
            version.metrics["decision"] = "kept: the model in use changed during training"
        elif better:
            version.metrics["decision"] = "switched"
            _activate(actor=actor, version=version)
        else:
            version.metrics["decision"] = "kept: the candidate scored lower on the held-back slice"
        version.save(update_fields=["metrics"])
    return version


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
