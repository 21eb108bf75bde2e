"""The appeal classifier: title + description → category code, confidence and the runners-up.

Features are three TF-IDF blocks side by side in one sparse matrix: character 1–3-grams of the whole appeal,
jieba words and word pairs of the whole appeal (weight 0.5), and character 1–3-grams of the title alone (weight 1,
so the title counts more). The model is a linear support-vector machine (scikit-learn `LinearSVC`) whose scores
become probabilities through a softmax with a temperature fitted on out-of-fold scores (calibration); a second
head over the first-level categories gives P(category) = P(first level) × P(category | first level). Prediction is
a sparse dot product, a few hundred microseconds per appeal on a CPU. The fitted vectorisers travel inside the
saved model, so prediction never refits anything. Nothing is downloaded: jieba's dictionary ships in its wheel,
and the starter model is a file in this package.

Its siblings: `corpus` reads labelled examples (the starter corpus, any CSV) and `taxonomy` the category tree and
the 问政 crosswalk; this module holds the model, its training (`train`) and the shipped model (`starter_model`).
"""

from __future__ import annotations

import logging
import re
import threading
import unicodedata
import warnings
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from .corpus import DATA_DIR, Example
from .taxonomy import parent_code

STARTER_MODEL = DATA_DIR / "starter_model.joblib"
FORMAT_VERSION = (
    3  # 1: SGD logistic heads over (char, word) blocks; 2: calibrated LinearSVC over three blocks;
)
# 3: format 2 averaged with a plain character n-gram member (an ensemble of two calibrated models)

_jieba_lock = threading.Lock()
_jieba_module: Any = None


def _jieba() -> Any:
    """jieba, initialised once per process and quietly (its dictionary ships inside the wheel)."""
    global _jieba_module
    if _jieba_module is None:
        with _jieba_lock:
            if _jieba_module is None:
                import jieba

                jieba.setLogLevel(logging.WARNING)
                jieba.initialize()
                _jieba_module = jieba
    return _jieba_module


_SPACES = re.compile(r"\s+")
_DIGITS = re.compile(r"\d+")
_URL = re.compile(r"https?://\S+")
_PUNCT_TOKEN = re.compile(r"^[\W_]+$")


def normalise(title: str, text: str) -> str:
    """One string per appeal: full-width folded to half-width, lower case, numbers collapsed to a single 0."""
    joined = f"{title or ''}。{text or ''}" if title else (text or "")
    joined = unicodedata.normalize("NFKC", joined).lower()
    joined = _URL.sub(" ", joined)
    joined = _DIGITS.sub("0", joined)
    return _SPACES.sub(" ", joined).strip()


def word_tokens(doc: str) -> list[str]:
    """jieba words without punctuation or blanks (module-level so the saved model can name it)."""
    return [w for w in _jieba().lcut(doc) if w.strip() and not _PUNCT_TOKEN.match(w)]


def _softmax(scores: np.ndarray, temperature: float) -> np.ndarray:
    z = np.asarray(scores, dtype=np.float64) / temperature
    z = z - z.max(axis=-1, keepdims=True)
    e = np.exp(z)
    return np.asarray(e / e.sum(axis=-1, keepdims=True))


def fit_temperature(scores: np.ndarray, truth: np.ndarray) -> float:
    """The temperature T that makes softmax(scores / T) best predict the true columns (least log loss)."""
    from scipy.optimize import minimize_scalar

    rows = np.arange(len(truth))

    def loss(log_t: float) -> float:
        p = _softmax(scores, float(np.exp(log_t)))
        return float(-np.log(np.maximum(p[rows, truth], 1e-12)).mean())

    result = minimize_scalar(loss, bounds=(np.log(0.01), np.log(10.0)), method="bounded")
    return float(np.exp(result.x))


@dataclass
class Prediction:
    category_code: str
    confidence: float
    alternatives: list[tuple[str, float]]


@dataclass
class Head:
    """One linear head: weights (features × classes, float32), intercepts and the softmax temperature.

    ``link="ovr"`` is the one-vs-rest logistic link of format-1 models (kept so they still load and predict)."""

    classes: list[str]
    coef: np.ndarray
    intercept: np.ndarray
    temperature: float = 1.0
    link: str = "softmax"

    def proba(self, scores: np.ndarray) -> np.ndarray:
        if self.link == "softmax":
            return _softmax(scores, self.temperature)
        prob = 1.0 / (1.0 + np.exp(-np.asarray(scores, dtype=np.float64)))
        if prob.shape[-1] == 1:  # two classes, one decision function
            return np.concatenate([1.0 - prob, prob], axis=-1)
        total = prob.sum(axis=-1, keepdims=True)
        return np.asarray(np.where(total > 0, prob / np.maximum(total, 1e-300), 1.0 / prob.shape[-1]))


def _head_from(model: Any, link: str = "softmax") -> Head:
    coef = np.asarray(model.coef_, dtype=np.float32)
    intercept = np.asarray(model.intercept_, dtype=np.float32).ravel()
    if coef.shape[0] == 1 and link == "softmax":  # binary: the score of class 1 against 0
        coef = np.vstack([np.zeros_like(coef), coef])
        intercept = np.concatenate([np.zeros(1, dtype=np.float32), intercept])
    # float16 precision kept in float32: a fifth of the bytes once compressed, the same predictions.
    coef = coef.astype(np.float16).astype(np.float32)
    return Head([str(c) for c in model.classes_], np.ascontiguousarray(coef.T), intercept, link=link)


@dataclass
class TextClassifier:
    """Fitted vectorisers + linear head(s), saved and loaded as one joblib file.

    When the labels form a two-level taxonomy (second-level codes ``parent.child``), a second head is trained on
    the first-level codes and the final probability of a category is P(first level) × P(category | its first
    level).
    """

    c: float = 1.0  # LinearSVC's C
    min_df: int = 2
    sublinear_tf: bool = True  # of the character blocks (the word block always uses it)
    hierarchy: bool = True  # a first-level head too, P(category) = P(first level) × P(category | first level)
    plain_weight: float = 1.0  # weight of the plain member in the average (0: no plain member)
    word_weight: float = 0.5
    title_weight: float = 1.0  # chosen by 5-fold CV on the starter corpus (0.5, 0.75, 1.0, 1.5 tried)
    max_char_features: int | None = 80000
    max_word_features: int | None = 40000
    calibration_folds: int = 5
    calibration_limit: int = 20000  # at most this many examples for the out-of-fold calibration scores
    blocks: list[tuple[str, Any, float]] = field(default_factory=list)  # (source, fitted vectoriser, weight)
    head: Head | None = None
    top_head: Head | None = None
    parent_index: list[int] = field(default_factory=list)
    members: list[tuple[TextClassifier, float]] = field(default_factory=list)  # averaged with this model
    encoder_member: Any = None  # encoder.EncoderMember: used only by the worker's refinement (encoder.py)
    meta: dict[str, Any] = field(default_factory=dict)
    format_version: int = FORMAT_VERSION

    @property
    def classes(self) -> list[str]:
        return self.head.classes if self.head is not None else []

    def _make_blocks(self) -> list[tuple[str, Any, float]]:
        from sklearn.feature_extraction.text import TfidfVectorizer

        def char(max_features: int | None) -> Any:
            return TfidfVectorizer(
                analyzer="char",
                ngram_range=(1, 3),
                sublinear_tf=self.sublinear_tf,
                min_df=self.min_df,
                max_features=max_features,
                lowercase=False,
                dtype=np.float32,
            )

        word = TfidfVectorizer(
            tokenizer=word_tokens,
            token_pattern=None,
            ngram_range=(1, 2),
            sublinear_tf=True,
            min_df=self.min_df,
            max_features=self.max_word_features,
            lowercase=False,
            dtype=np.float32,
        )
        blocks = [("doc", char(self.max_char_features), 1.0)]
        if self.word_weight:
            blocks.append(("doc", word, self.word_weight))
        if self.title_weight:
            blocks.append(("title", char(self.max_word_features), self.title_weight))
        return blocks

    @staticmethod
    def _sources(titles: Sequence[str], texts: Sequence[str]) -> dict[str, list[str]]:
        return {
            "doc": [normalise(t, x) for t, x in zip(titles, texts, strict=True)],
            "title": [normalise("", t) for t in titles],
        }

    def _matrix(self, titles: Sequence[str], texts: Sequence[str], *, fit: bool = False) -> Any:
        from scipy import sparse

        sources = self._sources(titles, texts)
        parts, kept = [], []
        for source, vec, weight in self.blocks:
            if fit:
                try:
                    part = vec.fit_transform(sources[source])
                except ValueError:  # empty vocabulary (e.g. no titles, or too few to pass min_df): no block
                    continue
                for attr in ("stop_words_", "_stop_words_id"):
                    # the pruned-term set is only for introspection and can be huge; the id is a memory address
                    # (scikit-learn's check for a changed stop list), so it would make every build differ
                    if hasattr(vec, attr):
                        delattr(vec, attr)
            else:
                part = vec.transform(sources[source])
            kept.append((source, vec, weight))
            parts.append(part * weight if weight != 1.0 else part)
        if not parts:
            raise ValueError("no features: the training texts are empty")
        self.blocks = kept
        return sparse.hstack(parts, format="csr", dtype=np.float32)

    def fit(
        self,
        titles: Sequence[str],
        texts: Sequence[str],
        labels: Sequence[str],
        sample_weight: Sequence[float] | None = None,
    ) -> TextClassifier:
        self.blocks = self._make_blocks()
        matrix = self._matrix(titles, texts, fit=True)
        weights = None if sample_weight is None else np.asarray(sample_weight, dtype=np.float64)
        labels = [str(label) for label in labels]
        from sklearn.exceptions import ConvergenceWarning

        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ConvergenceWarning)
            self.head = self._fit_head(matrix, labels, weights)
            parents = [parent_code(c) for c in self.head.classes]
            distinct = sorted(set(parents))
            self.top_head, self.parent_index = None, []
            if self.hierarchy and 1 < len(distinct) < len(self.head.classes):
                self.top_head = self._fit_head(matrix, [parent_code(lb) for lb in labels], weights)
                self.parent_index = [self.top_head.classes.index(p) for p in parents]
        self.members = []
        if self.plain_weight:
            plain = self.plain_member().fit(titles, texts, labels, sample_weight)
            if plain.classes != self.classes:  # pragma: no cover - both sort the same labels
                raise ValueError("the members of the ensemble disagree on the classes")
            self.members = [(plain, self.plain_weight)]
        return self

    def plain_member(self) -> TextClassifier:
        """The second member of the ensemble: the textbook model, character 1–3-grams of title + text (every
        n-gram, raw term counts) and one calibrated LinearSVC over all categories, no hierarchy. It errs where the
        main model does not (short notes whose one telling word is rare), and the average of the two beats both."""
        return TextClassifier(
            c=self.c,
            min_df=1,
            sublinear_tf=False,
            hierarchy=False,
            plain_weight=0.0,
            word_weight=0.0,
            title_weight=0.0,
            max_char_features=None,
            calibration_folds=self.calibration_folds,
            calibration_limit=self.calibration_limit,
        )

    def _average(self, own: np.ndarray, others: list[np.ndarray]) -> np.ndarray:
        if not others:
            return own
        total = own + sum(w * p for (_m, w), p in zip(self.members, others, strict=True))
        return np.asarray(total / (1.0 + sum(w for _m, w in self.members)))

    def _svm(self) -> Any:
        from sklearn.svm import LinearSVC

        # liblinear shuffles the data: a fixed seed gives the same model every build
        return LinearSVC(C=self.c, random_state=0)

    def _fit_head(self, matrix: Any, labels: list[str], weights: np.ndarray | None) -> Head:
        head = _head_from(self._svm().fit(matrix, labels, sample_weight=weights))
        head.temperature = self._calibrate(matrix, labels, weights, head.classes)
        return head

    def _calibrate(
        self, matrix: Any, labels: list[str], weights: np.ndarray | None, classes: list[str]
    ) -> float:
        """Fit the softmax temperature on 3-fold out-of-fold scores (on at most `calibration_limit` examples)."""
        from sklearn.model_selection import StratifiedKFold

        column = {c: i for i, c in enumerate(classes)}
        y = np.asarray([column[lb] for lb in labels], dtype=np.intp)
        idx = np.arange(len(y))
        if len(idx) > self.calibration_limit:
            idx = np.random.default_rng(0).choice(idx, self.calibration_limit, replace=False)
        counts = np.bincount(y[idx], minlength=len(classes))
        if len(idx) < 20 or np.sort(counts)[-2] < 3:
            return 0.1  # too little to calibrate: a typical temperature for LinearSVC scores on this data
        scores = np.full((len(idx), len(classes)), -10.0)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UserWarning)  # classes with fewer members than folds
            folds = list(
                StratifiedKFold(self.calibration_folds, shuffle=True, random_state=0).split(idx, y[idx])
            )
        for train, test in folds:
            tr, te = idx[train], idx[test]
            if len(set(y[tr])) < 2:
                continue
            part = _head_from(
                self._svm().fit(
                    matrix[tr],
                    [labels[i] for i in tr],
                    sample_weight=None if weights is None else weights[tr],
                )
            )
            cols = [classes.index(c) for c in part.classes]
            scores[np.ix_(test, cols)] = matrix[te] @ part.coef + part.intercept
        return fit_temperature(scores, y[idx])

    def _combine(self, child: np.ndarray, top: np.ndarray | None) -> np.ndarray:
        if top is None or self.top_head is None:
            return child
        parent = np.asarray(self.parent_index, dtype=np.intp)
        if child.ndim == 1:
            sibling_sum = np.bincount(parent, weights=child, minlength=top.shape[-1])
        else:
            sibling_sum = np.zeros((child.shape[0], top.shape[-1]))
            np.add.at(sibling_sum.T, parent, child.T)
        within = child / np.maximum(sibling_sum[..., parent], 1e-12)
        return np.asarray(within * top[..., parent])

    def predict_proba(self, titles: Sequence[str], texts: Sequence[str]) -> np.ndarray:
        assert self.head is not None, "the classifier is not fitted"
        matrix = self._matrix(titles, texts)
        child = self.head.proba(np.asarray(matrix @ self.head.coef) + self.head.intercept)
        top = None
        if self.top_head is not None:
            top = self.top_head.proba(np.asarray(matrix @ self.top_head.coef) + self.top_head.intercept)
        others = [m.predict_proba(titles, texts) for m, _w in self.members]
        return self._average(self._combine(child, top), others)

    def predict(self, titles: Sequence[str], texts: Sequence[str]) -> list[str]:
        proba = self.predict_proba(titles, texts)
        return [self.classes[i] for i in proba.argmax(axis=1)]

    def suggest(self, title: str, text: str, k: int = 3) -> Prediction:
        proba = self.proba_one(title, text)
        order = np.argsort(proba)[::-1][: max(k, 1)]
        ranked = [(self.classes[i], float(proba[i])) for i in order]
        return Prediction(category_code=ranked[0][0], confidence=ranked[0][1], alternatives=ranked[1:])

    # ---- the one-appeal fast path -------------------------------------------------------------------------
    # scikit-learn's transform spends ~95% of a single-document call on input checks and sparse bookkeeping.
    # For one appeal the same arithmetic is done here directly: n-grams → TF-IDF (sublinear tf, l2 per block,
    # times the block's weight) → a gather of the weight rows → softmax → hierarchy.
    # test_fast_single_appeal_path_matches_scikit_learn pins it to the scikit-learn result.

    def __getstate__(self) -> dict[str, Any]:
        state = dict(self.__dict__)
        state.pop("_compiled", None)
        return state

    def __setstate__(self, state: dict[str, Any]) -> None:
        if (
            state.get("format_version", 1) == 1
        ):  # a version trained before format 2: same arithmetic, new shape
            union, model, top = state.pop("features"), state.pop("model"), state.pop("top_model")
            state["blocks"] = [("doc", vec, 1.0) for _name, vec in union.transformer_list]
            state["head"] = _head_from(model, link="ovr")
            state["top_head"] = _head_from(top, link="ovr") if top is not None else None
            state.pop("classes", None)
        if state.get("format_version", 1) < 3:  # one model, no plain member
            state.setdefault("members", [])
            state.setdefault("plain_weight", 0.0)
        self.__dict__.update(state)

    def _compile(
        self,
    ) -> list[tuple[str, dict[str, int], np.ndarray, tuple[int, int], str, float, int, bool]]:
        compiled: list[Any] | None = self.__dict__.get("_compiled")
        if compiled is not None:
            return compiled
        compiled, offset = [], 0
        for source, vec, weight in self.blocks:
            analyzer = "char" if vec.analyzer == "char" else "word"
            idf = np.asarray(vec.idf_, dtype=np.float64)
            sublinear = bool(vec.sublinear_tf)
            compiled.append(
                (source, vec.vocabulary_, idf, vec.ngram_range, analyzer, weight, offset, sublinear)
            )
            offset += len(vec.vocabulary_)
        self.__dict__["_compiled"] = compiled
        return compiled

    @staticmethod
    def _tfidf(
        grams: list[str], vocab: dict[str, int], idf: np.ndarray, sublinear: bool = True
    ) -> tuple[list[int], np.ndarray]:
        counts: dict[int, int] = {}
        for gram in grams:
            col = vocab.get(gram)
            if col is not None:
                counts[col] = counts.get(col, 0) + 1
        if not counts:
            return [], np.zeros(0)
        cols = list(counts)
        tf = np.fromiter(counts.values(), dtype=np.float64, count=len(cols))
        values = (1.0 + np.log(tf) if sublinear else tf) * idf[cols]
        norm = float(np.sqrt(values @ values))
        return cols, values / norm if norm else values

    def proba_one(self, title: str, text: str) -> np.ndarray:
        """Class probabilities for one appeal, equal to predict_proba([title], [text])[0], in well under 1 ms."""
        assert self.head is not None, "the classifier is not fitted"
        docs = {"doc": _SPACES.sub(" ", normalise(title, text)), "title": normalise("", title)}
        tokens: dict[str, list[str]] = {}
        all_cols: list[int] = []
        all_values: list[np.ndarray] = []
        for source, vocab, idf, (lo, hi), analyzer, weight, offset, sublinear in self._compile():
            doc = docs[source]
            if analyzer == "char":
                grams = [doc[i : i + n] for n in range(lo, hi + 1) for i in range(len(doc) - n + 1)]
            else:
                if source not in tokens:
                    tokens[source] = word_tokens(doc)
                units = tokens[source]
                grams = [
                    " ".join(units[i : i + n]) for n in range(lo, hi + 1) for i in range(len(units) - n + 1)
                ]
            cols, values = self._tfidf(grams, vocab, idf, sublinear)
            all_cols.extend(col + offset for col in cols)
            all_values.append(values * weight)
        cols_arr = np.asarray(all_cols, dtype=np.intp)
        values_arr = np.concatenate(all_values) if all_values else np.zeros(0)

        def scores(head: Head) -> np.ndarray:
            if not len(cols_arr):
                return head.intercept.astype(np.float64)
            return np.asarray(values_arr @ head.coef[cols_arr] + head.intercept, dtype=np.float64)

        child = self.head.proba(scores(self.head))
        top = self.top_head.proba(scores(self.top_head)) if self.top_head is not None else None
        others = [m.proba_one(title, text) for m, _w in self.members]
        return self._average(self._combine(child, top), others)

    def save(self, path: Path | str) -> None:
        import joblib

        joblib.dump(self, path, compress=("xz", 6))

    @classmethod
    def load(cls, path: Path | str) -> TextClassifier:
        import joblib

        obj = joblib.load(path)
        if not isinstance(obj, cls):
            raise TypeError(f"{path} does not hold a Linli triage model")
        _jieba()
        return obj


def train(examples: Iterable[Example], **params: Any) -> TextClassifier:
    items = list(examples)
    clf = TextClassifier(**params)
    clf.fit(
        [e.title for e in items],
        [e.text for e in items],
        [e.label for e in items],
        sample_weight=[e.weight for e in items],
    )
    return clf


_starter_lock = threading.Lock()
_starter: TextClassifier | None = None


def starter_model() -> TextClassifier:
    """The shipped model, loaded on first use."""
    global _starter
    if _starter is None:
        with _starter_lock:
            if _starter is None:
                _starter = TextClassifier.load(STARTER_MODEL)
    return _starter
