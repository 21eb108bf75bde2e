"""The sentence encoder's embeddings of texts, kept: the starter corpus's in the shipped file, the others in
TextEmbedding rows, so that each text is embedded once (the training's encoder member, the worker's refinement)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from . import encoder
from .models import TextEmbedding


def _vector(blob: bytes | memoryview) -> Any:
    import numpy as np

    return np.frombuffer(bytes(blob), dtype=np.float16).astype(np.float32)


def embeddings_cached(texts: Sequence[str]) -> Any:
    """Embeddings of encoder texts: the starter corpus's from the shipped file, the others from TextEmbedding
    rows; only texts seen nowhere are embedded (and kept). So retraining embeds each labelled example once."""
    import numpy as np

    store = encoder.load_store()
    wanted = {encoder.key(t): t for t in texts if encoder.key(t) not in store}
    keys = list(wanted)
    for start in range(0, len(keys), 500):
        rows = TextEmbedding.objects.filter(encoder=encoder.NAME, key__in=keys[start : start + 500])
        store.update({k: _vector(v) for k, v in rows.values_list("key", "vector")})
    missing = [t for k, t in wanted.items() if k not in store]
    if missing:
        vectors = encoder.embed(missing)
        TextEmbedding.objects.bulk_create(
            [
                TextEmbedding(key=encoder.key(t), encoder=encoder.NAME, vector=v.astype(np.float16).tobytes())
                for t, v in zip(missing, vectors, strict=True)
            ],
            ignore_conflicts=True,
        )
        store.update(
            {encoder.key(t): np.asarray(v, dtype=np.float32) for t, v in zip(missing, vectors, strict=True)}
        )
    return np.vstack([store[encoder.key(t)] for t in texts]) if texts else np.zeros((0, encoder.DIM))


def keys_kept(keys: Sequence[str]) -> set[str]:
    """Which of these encoder-text keys have an embedding already: the shipped corpus's or a TextEmbedding row."""
    store = encoder.load_store()
    kept = {k for k in keys if k in store}
    rest = [k for k in keys if k not in kept]
    for start in range(0, len(rest), 500):
        kept.update(
            TextEmbedding.objects.filter(encoder=encoder.NAME, key__in=rest[start : start + 500]).values_list(
                "key", flat=True
            )
        )
    return kept
