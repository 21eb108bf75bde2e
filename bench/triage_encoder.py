"""What the worker's encoder refinement costs (issue 16): CPU per message and memory of the worker process.

    OMP_NUM_THREADS=1 .venv/bin/python bench/triage_encoder.py

Loads the shipped model as a worker does, then refines every message of the held-out set with the sentence encoder
(the embedding of title + text and the mix with the fast ensemble, `encoder.refined_proba`, no cache) and prints
the CPU time per message (`time.process_time`, so the figures do not depend on how busy the machine is as long as
OpenMP runs one thread) for short notes (< 80 characters) and long letters, and the resident set size before and
after the encoder was loaded. No database is needed.

The last line: note_p50_ms=… letter_p50_ms=… p99_ms=… rss_mb=… encoder_mb=…
"""

from __future__ import annotations

import csv
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

from web_memory import memory_mb  # noqa: E402


def main() -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "linli.settings")
    import django

    django.setup()
    from linli.triage import classifier, encoder
    from linli.triage.evaluation import HELDOUT

    model = classifier.starter_model()
    model.suggest("", "预热")
    before, _peak = memory_mb()
    encoder.embed(["预热"])
    loaded, _peak = memory_mb()
    with HELDOUT.open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    notes: list[float] = []
    letters: list[float] = []
    for row in rows:
        started = time.process_time()
        encoder.refined_proba(model, row["title"], row["text"])
        spent = (time.process_time() - started) * 1000
        size = len(encoder.encoder_text(row["title"], row["text"]))
        (notes if size < 80 else letters).append(spent)
    rss, peak = memory_mb()

    def pct(values: list[float], q: float) -> float:
        ordered = sorted(values)
        return ordered[min(len(ordered) - 1, int(q * len(ordered)))]

    everything = notes + letters
    print(f"notes: {len(notes)}, p50 {pct(notes, 0.5):.1f} ms, p99 {pct(notes, 0.99):.1f} ms of CPU")
    print(f"letters: {len(letters)}, p50 {pct(letters, 0.5):.1f} ms, p99 {pct(letters, 0.99):.1f} ms of CPU")
    print(f"memory: {before:.1f} MB with the model, {loaded:.1f} MB with the encoder, peak {peak:.1f} MB")
    print(
        f"note_p50_ms={pct(notes, 0.5):.1f} letter_p50_ms={pct(letters, 0.5):.1f} p99_ms={pct(everything, 0.99):.1f} "
        f"rss_mb={rss:.1f} encoder_mb={loaded - before:.1f}"
    )


if __name__ == "__main__":
    main()
