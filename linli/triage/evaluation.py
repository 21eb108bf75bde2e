"""Scoring a classifier on any labelled CSV: stratified k-fold training on the file, or the current model as is.

Pure computation, no database: the management command hands in the model to score (or None for k-fold).
"""

from __future__ import annotations

import unicodedata
import warnings
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from django.utils.translation import gettext as _

from . import classifier as clf_mod
from . import corpus, taxonomy
from . import encoder as enc_mod
from .classifier import TextClassifier
from .corpus import Example

STARTER_WEIGHT = 0.5  # starter examples count half as much as the file's own examples in k-fold training


class EvaluationError(ValueError):
    """Bad input for an evaluation; the message is meant for the user."""


class Baseline:
    """The plain baseline Linli is measured against: TF-IDF character 1–3-grams of title + text and a LinearSVC,
    scikit-learn's defaults otherwise (the textbook model for short Chinese texts); liblinear's shuffling seeded so
    that two runs print the same figures."""

    def __init__(self) -> None:
        from sklearn.feature_extraction.text import TfidfVectorizer
        from sklearn.pipeline import make_pipeline
        from sklearn.svm import LinearSVC

        self.pipeline = make_pipeline(
            TfidfVectorizer(analyzer="char", ngram_range=(1, 3)), LinearSVC(random_state=0)
        )

    @staticmethod
    def _docs(titles: list[str], texts: list[str]) -> list[str]:
        return [f"{t} {x}".strip() for t, x in zip(titles, texts, strict=True)]

    def fit(self, examples: list[Example]) -> Baseline:
        docs = self._docs([e.title for e in examples], [e.text for e in examples])
        weights = np.asarray([e.weight for e in examples], dtype=np.float64)
        self.pipeline.fit(docs, [e.label for e in examples], linearsvc__sample_weight=weights)
        return self

    def predict(self, titles: list[str], texts: list[str]) -> list[str]:
        return [str(p) for p in self.pipeline.predict(self._docs(titles, texts))]


@dataclass
class LabelledRows:
    titles: list[str]
    texts: list[str]
    labels: list[str]
    skipped: int
    encoding: str


@dataclass
class Report:
    lines: list[str] = field(default_factory=list)
    accuracy: float = 0.0
    macro_f1: float = 0.0
    baseline: dict[str, float] = field(default_factory=dict)
    encoder: dict[str, float] = field(default_factory=dict)  # Linli refined by the sentence encoder

    @property
    def final_line(self) -> str:
        return f"accuracy={self.accuracy:.3f} macro_f1={self.macro_f1:.3f}"

    def text(self) -> str:
        return "\n".join([*self.lines, self.final_line])


def load_rows(path: Path | str, *, text_col: str, title_col: str | None, label_col: str) -> LabelledRows:
    file = Path(path)
    if not file.is_file():
        raise EvaluationError(_("File not found: %(path)s") % {"path": file})
    try:
        rows, encoding = corpus.read_csv_rows(file)
    except (OSError, ValueError) as exc:
        raise EvaluationError(_("Could not read %(path)s: %(error)s") % {"path": file, "error": exc}) from exc
    columns = list(rows[0].keys()) if rows else []
    for wanted in (text_col, label_col):
        if wanted not in columns:
            raise EvaluationError(
                _("Column %(column)s is not in the file. Columns found: %(columns)s")
                % {"column": wanted, "columns": ", ".join(columns) or "-"}
            )
    use_title = bool(title_col) and title_col in columns
    titles, texts, labels = [], [], []
    skipped = 0
    for row in rows:
        label = row.get(label_col, "")
        title = row.get(title_col, "") if use_title and title_col else ""
        text = row.get(text_col, "")
        if not label or not (title or text):
            skipped += 1
            continue
        titles.append(title)
        texts.append(text)
        labels.append(label)
    if not labels:
        raise EvaluationError(_("The file has no rows with both a text and a label."))
    return LabelledRows(titles, texts, labels, skipped, encoding)


def _taxonomy_maps() -> tuple[dict[str, str], dict[str, str], set[str], set[str]]:
    top_names = {t["name"]: t["code"] for t in taxonomy.taxonomy()}
    child_names = {c["name"]: c["code"] for t in taxonomy.taxonomy() for c in t.get("children", [])}
    top_codes = {t["code"] for t in taxonomy.taxonomy()}
    child_codes = {c["code"] for t in taxonomy.taxonomy() for c in t.get("children", [])}
    return top_names, child_names, top_codes, child_codes


def label_level(labels: set[str], model_classes: set[str] | None = None) -> str:
    """ "first" when the labels are first-level names or codes, "second" for second-level ones, else "other"."""
    top_names, child_names, top_codes, child_codes = _taxonomy_maps()
    if labels <= set(top_names) or labels <= top_codes:
        return "first"
    if labels <= child_codes or labels <= set(child_names) or (model_classes and labels <= model_classes):
        return "second"
    return "other"


def _starter_as(labels: set[str], exclude: set[str]) -> list[Example]:
    """Starter examples relabelled into the file's label set (first-level names/codes or second-level codes).

    Examples whose text is also in the file (`exclude`, normalised texts) are left out, so that no test fold can
    meet its own rows in training — this is what makes k-fold on the starter corpus itself honest.
    """
    _top_names, child_names, _top_codes, _child_codes = _taxonomy_maps()
    walk = taxonomy.crosswalk()
    out = []
    for ex in corpus.starter_examples():
        top = taxonomy.first_level_of().get(ex.label, {})
        child_name = next((n for n, c in child_names.items() if c == ex.label), None)
        candidates = [ex.label, child_name, top.get("name"), top.get("code"), walk.get(ex.label)]
        target = next((c for c in candidates if c and c in labels), None)
        if target and clf_mod.normalise(ex.title, ex.text) not in exclude:
            out.append(Example(ex.title, ex.text, target, STARTER_WEIGHT))
    return out


def _metrics_block(report: Report, y_true: list[str], y_pred: list[str]) -> None:
    from sklearn.metrics import accuracy_score, classification_report, confusion_matrix, f1_score

    labels = sorted(set(y_true) | set(y_pred))
    report.accuracy = float(accuracy_score(y_true, y_pred))
    report.macro_f1 = float(
        f1_score(y_true, y_pred, labels=sorted(set(y_true)), average="macro", zero_division=0)
    )
    report.lines.append(f"accuracy: {report.accuracy:.3f}")
    report.lines.append(f"macro-F1: {report.macro_f1:.3f}")
    report.lines.append("")
    report.lines.append(classification_report(y_true, y_pred, labels=labels, digits=3, zero_division=0))
    matrix = confusion_matrix(y_true, y_pred, labels=labels)
    report.lines.append(_("Confusion matrix (rows: true label, columns: predicted label):"))
    for i, label in enumerate(labels):
        report.lines.append(f"  [{i}] {label}")
    width = max(4, len(str(int(matrix.max()))) + 1)
    report.lines.append("     " + "".join(f"{f'[{i}]':>{width}}" for i in range(len(labels))))
    for i, row in enumerate(matrix):
        report.lines.append(f"{f'[{i}]':>5}" + "".join(f"{int(v):>{width}}" for v in row))


def _display_width(text: str) -> int:
    """Columns a terminal gives the text (Chinese characters take two)."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _baseline_block(
    report: Report, y_true: list[str], ours: list[str], baseline: list[str], how: str
) -> None:
    """The plain baseline's figures on the same rows, and per label the F1 of both, side by side."""
    from sklearn.metrics import accuracy_score, f1_score

    labels = sorted(set(y_true))
    accuracy = accuracy_score(y_true, baseline)
    macro = f1_score(y_true, baseline, labels=labels, average="macro", zero_division=0)
    report.lines.append("")
    report.lines.append(
        _(
            "Plain baseline (TF-IDF character 1–3-grams + LinearSVC), %(how)s: accuracy %(acc).3f, macro-F1 %(f1).3f"
        )
        % {"how": how, "acc": accuracy, "f1": macro}
    )
    ours_f1 = f1_score(y_true, ours, labels=labels, average=None, zero_division=0)
    base_f1 = f1_score(y_true, baseline, labels=labels, average=None, zero_division=0)
    support = Counter(y_true)
    width = max(_display_width(label) for label in labels) + 2
    report.lines.append(f"{'':{width}}{'n':>6}{'F1 Linli':>10}{'F1 baseline':>13}")
    for label, a, b in zip(labels, ours_f1, base_f1, strict=True):
        pad = " " * (width - _display_width(label))
        report.lines.append(f"{label}{pad}{support[label]:>6}{a:>10.3f}{b:>13.3f}")
    report.lines.append(
        _("Linli: accuracy %(acc).3f, macro-F1 %(f1).3f")
        % {
            "acc": accuracy_score(y_true, ours),
            "f1": f1_score(y_true, ours, labels=labels, average="macro", zero_division=0),
        }
    )
    report.baseline = {"accuracy": float(accuracy), "macro_f1": float(macro)}


def _first_level_line(report: Report, y_true: list[str], y_pred: list[str], who: str = "") -> None:
    """For second-level taxonomy codes, also the figures after folding both sides to the first level."""
    from sklearn.metrics import accuracy_score, f1_score

    known = taxonomy.first_level_of()
    if not all(label in known for label in y_true):
        return
    top_true = [taxonomy.first_level_name(c) for c in y_true]
    top_pred = [taxonomy.first_level_name(c) for c in y_pred]
    report.lines.append(
        (f"{who}: " if who else "")
        + _("At the first level: accuracy %(acc).3f, macro-F1 %(f1).3f")
        % {
            "acc": accuracy_score(top_true, top_pred),
            "f1": f1_score(top_true, top_pred, average="macro", zero_division=0),
        }
    )


def _encoder_block(report: Report, y_true: list[str], refined: list[str], how: str) -> None:
    """Linli's model refined by the sentence encoder (what the worker applies), on the same rows."""
    from sklearn.metrics import accuracy_score, f1_score

    accuracy = float(accuracy_score(y_true, refined))
    macro = float(f1_score(y_true, refined, labels=sorted(set(y_true)), average="macro", zero_division=0))
    report.lines.append("")
    report.lines.append(
        _("Linli + sentence encoder (%(encoder)s), %(how)s: accuracy %(acc).3f, macro-F1 %(f1).3f")
        % {"encoder": enc_mod.NAME, "how": how, "acc": accuracy, "f1": macro}
    )
    _first_level_line(report, y_true, refined, who=_("Linli + sentence encoder"))
    report.encoder = {"accuracy": accuracy, "macro_f1": macro}


def _refined(
    model: TextClassifier, proba: np.ndarray, titles: list[str], texts: list[str], embedder: Any
) -> Any:
    """The encoder-refined probabilities of the rows (None when the model carries no encoder member)."""
    member = getattr(model, "encoder_member", None)
    if member is None:
        return None
    vectors = embedder([enc_mod.encoder_text(t, x) for t, x in zip(titles, texts, strict=True)])
    return enc_mod.mix(proba, member, vectors)


THRESHOLDS = (0.4, 0.5, 0.6, 0.7, 0.8, 0.9)
HELDOUT = Path(__file__).resolve().parent / "data" / "heldout_messages.csv"


def _threshold_block(report: Report, y_true: list[str], y_pred: list[str], confidence: list[float]) -> None:
    """For each confidence threshold: how many rows would be applied without a person, how many of those are
    right (second level, and first level: the right unit family), how many wait for a person."""
    from .services import CATCH_ALL

    top = taxonomy.first_level_of()
    conf = [0.0 if p in CATCH_ALL else c for p, c in zip(y_pred, confidence, strict=True)]
    report.lines.append("")
    report.lines.append(
        _("Confidence threshold (other.misc never applied): applied, right among them, waiting for a person")
    )
    report.lines.append(f"{'':>6}{'applied':>10}{'right':>9}{'1st level':>11}{'waiting':>10}")
    n = len(y_true)
    for threshold in THRESHOLDS:
        chosen = [i for i in range(n) if conf[i] >= threshold]
        right = sum(y_true[i] == y_pred[i] for i in chosen)
        right_top = sum(top.get(y_true[i]) == top.get(y_pred[i]) for i in chosen)
        share = len(chosen) / n if n else 0.0
        precision = right / len(chosen) if chosen else 0.0
        precision_top = right_top / len(chosen) if chosen else 0.0
        report.lines.append(
            f"{threshold:>6.1f}{share:>10.1%}{precision:>9.1%}{precision_top:>11.1%}{1 - share:>10.1%}"
        )


def evaluate_model(
    rows: LabelledRows,
    model: TextClassifier,
    *,
    model_name: str,
    restrict: bool = True,
    baseline: bool = True,
    embedder: enc_mod.Embedder | None = None,
) -> Report:
    """Score a trained model on the file. First-level labels are compared at the first level.

    With `baseline`, the plain baseline is trained on the starter corpus (relabelled into the labels the
    predictions are chosen among) and scored on the same rows. With `embedder` (and a model that carries an
    encoder member), the encoder-refined predictions too."""
    labels = set(rows.labels)
    level = label_level(labels, set(model.classes))
    report = Report()
    report.lines.append(
        _("Scoring %(model)s on %(n)d rows (%(skipped)d skipped, encoding %(encoding)s).")
        % {"model": model_name, "n": len(rows.labels), "skipped": rows.skipped, "encoding": rows.encoding}
    )
    proba = model.predict_proba(rows.titles, rows.texts)
    refined = _refined(model, proba, rows.titles, rows.texts, embedder) if embedder is not None else None
    if embedder is not None and refined is None:
        report.lines.append(_("This model carries no encoder member: no refined figures."))
    if level == "first":
        top_names, _child_names, top_codes, _child_codes = _taxonomy_maps()
        use_names = labels <= set(top_names)
        if restrict:
            targets = sorted(labels)
            report.lines.append(
                _(
                    "Labels are first-level categories: predictions are folded to the first level and chosen "
                    "among the %(n)d categories present in the file (--all-categories to choose among all)."
                )
                % {"n": len(targets)}
            )
        else:
            targets = sorted(top_names) if use_names else sorted(top_codes)
            report.lines.append(
                _("Labels are first-level categories: predictions are folded to the first level.")
            )
        folded = taxonomy.aggregate(proba, model.classes, targets)
        predicted = [targets[i] for i in folded.argmax(axis=1)]
        truth = rows.labels
        if refined is not None:
            refined = [targets[i] for i in taxonomy.aggregate(refined, model.classes, targets).argmax(axis=1)]
    elif level == "second":
        _top_names, child_names, _top_codes, _child_codes = _taxonomy_maps()
        truth = [child_names.get(label, label) for label in rows.labels]
        unknown = sorted(set(truth) - set(model.classes))
        if unknown:
            raise EvaluationError(
                _("These labels are not categories of the model: %(labels)s")
                % {"labels": ", ".join(unknown[:10])}
            )
        predicted = [model.classes[i] for i in proba.argmax(axis=1)]
        _metrics_block(report, truth, predicted)
        _first_level_line(report, truth, predicted)
        _threshold_block(report, truth, predicted, [float(p) for p in proba.max(axis=1)])
        if baseline:
            plain = Baseline().fit(corpus.starter_examples()).predict(rows.titles, rows.texts)
            _baseline_block(report, truth, predicted, plain, _("trained on the starter corpus"))
            _first_level_line(report, truth, plain, who=_("Plain baseline"))
        if refined is not None:
            _encoder_block(report, truth, [model.classes[i] for i in refined.argmax(axis=1)], _("same rows"))
        return report
    else:
        unknown = sorted(labels - set(model.classes))[:10]
        raise EvaluationError(
            _(
                "The labels (e.g. %(labels)s) are neither category codes of the model nor category names of the "
                "taxonomy. Use --folds to train and test on the file itself."
            )
            % {"labels": ", ".join(unknown)}
        )
    _metrics_block(report, truth, predicted)
    if baseline:
        starter = _starter_as(set(targets), set())
        plain = Baseline().fit(starter).predict(rows.titles, rows.texts)
        _baseline_block(
            report, truth, predicted, plain, _("trained on the starter corpus relabelled into these labels")
        )
    if refined is not None:
        _encoder_block(report, truth, refined, _("same rows"))
    return report


def evaluate_folds(
    rows: LabelledRows,
    *,
    folds: int,
    use_starter: bool = True,
    trainer: Callable[[list[Example]], TextClassifier] = clf_mod.train,
    baseline: bool = True,
    embedder: enc_mod.Embedder | None = None,
) -> Report:
    """Stratified k-fold on the file: every fold's features and model are fitted on its training part only.

    With `baseline`, the plain baseline is trained on the same folds with the same examples and weights; with
    `embedder`, every fold's model also gets an encoder member (same examples) and is scored refined too."""
    from sklearn.metrics import f1_score
    from sklearn.model_selection import StratifiedKFold

    counts = Counter(rows.labels)
    if folds < 2:
        raise EvaluationError(_("--folds must be at least 2."))
    if len(counts) < 2:
        raise EvaluationError(_("The file needs at least two different labels."))
    if max(counts.values()) < folds:
        raise EvaluationError(_("No label has %(folds)d examples; use fewer folds.") % {"folds": folds})
    report = Report()
    report.lines.append(
        _(
            "%(folds)d-fold stratified cross-validation on %(n)d rows, %(k)d labels (%(skipped)d rows skipped, encoding %(encoding)s)."
        )
        % {
            "folds": folds,
            "n": len(rows.labels),
            "k": len(counts),
            "skipped": rows.skipped,
            "encoding": rows.encoding,
        }
    )
    rare = sorted(label for label, n in counts.items() if n < folds)
    if rare:
        report.lines.append(
            _("Labels with fewer examples than folds (scored, but some folds cannot test them): %(labels)s")
            % {"labels": ", ".join(rare)}
        )
    extra: list[Example] = []
    if use_starter and label_level(set(counts)) != "other":
        own = {clf_mod.normalise(t, x) for t, x in zip(rows.titles, rows.texts, strict=True)}
        extra = _starter_as(set(counts), own)
        report.lines.append(
            _(
                "Each training fold also gets %(n)d starter-corpus examples relabelled to the file's labels (weight %(w)s; --no-starter to leave them out)."
            )
            % {"n": len(extra), "w": STARTER_WEIGHT}
        )
    y = np.asarray(rows.labels, dtype=object)
    predicted = np.empty(len(y), dtype=object)
    plain = np.empty(len(y), dtype=object)
    refined = np.empty(len(y), dtype=object)
    fold_f1 = []
    splitter = StratifiedKFold(n_splits=folds, shuffle=True, random_state=0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        splits = list(splitter.split(np.zeros(len(y)), y))
    for train_idx, test_idx in splits:
        train = [Example(rows.titles[i], rows.texts[i], rows.labels[i]) for i in train_idx] + extra
        model = trainer(train)
        titles, texts = [rows.titles[i] for i in test_idx], [rows.texts[i] for i in test_idx]
        proba = model.predict_proba(titles, texts)
        part = [model.classes[i] for i in proba.argmax(axis=1)]
        predicted[test_idx] = part
        if embedder is not None:
            enc_mod.attach(model, train, embedder)
            mixed = _refined(model, proba, titles, texts, embedder)
            refined[test_idx] = [model.classes[i] for i in mixed.argmax(axis=1)]
        if baseline:
            plain[test_idx] = (
                Baseline()
                .fit(train)
                .predict([rows.titles[i] for i in test_idx], [rows.texts[i] for i in test_idx])
            )
        fold_f1.append(f1_score(y[test_idx], part, average="macro", zero_division=0))
    report.lines.append(
        _("Macro-F1 per fold: %(values)s (mean %(mean).3f, std %(std).3f)")
        % {"values": " ".join(f"{v:.3f}" for v in fold_f1), "mean": np.mean(fold_f1), "std": np.std(fold_f1)}
    )
    _metrics_block(report, list(y), list(predicted))
    _first_level_line(report, list(y), list(predicted))
    if baseline:
        _baseline_block(
            report, list(y), list(predicted), list(plain), _("same folds, same training examples")
        )
        _first_level_line(report, list(y), list(plain), who=_("Plain baseline"))
    if embedder is not None:
        _encoder_block(report, list(y), list(refined), _("same folds, same training examples"))
    return report
