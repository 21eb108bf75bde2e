"""How long does `linli triage train` take on 100,000 appeals? Synthetic appeals made by augmenting the starter corpus.

Each synthetic appeal takes a starter example and varies it the way real messages vary: an address prefix, clauses
spliced in from another appeal of the same category, dropped or doubled characters, homophone typos, an emotional
tail. It then runs what `linli triage train` runs, `linli.triage.services.model_version_train` (the starter corpus
plus the synthetic appeals as the deployment's: a stratified 80 % fitted and the rest scored, then the stored
model fitted on everything, with its sentence-encoder member when the encoder is on, as it is by default; the
version saved, not activated), in a throwaway SQLite database (its embeddings of new texts are kept there).

    .venv/bin/python bench/triage_train.py [--n 100000] [--seed 0]

Last line: `n=… examples=… total_s=… cpu_s=… accuracy=… encoder=… peak_rss_mb=… per_prediction_ms=…` (wall-clock
seconds, except cpu_s: the CPU time this process got, which is what matters on a shared machine; examples counts
the starter corpus too; encoder names the encoder member, empty when the encoder is off or not installed).
"""

from __future__ import annotations

import argparse
import os
import random
import re
import shutil
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "linli.settings")

from web_memory import memory_mb

from linli.triage.corpus import Example, starter_examples

PLACES = [
    "A市A2区",
    "西地省A市",
    "A7县",
    "和平街道",
    "幸福社区",
    "阳光小区3栋",
    "解放路88号",
    "城南新区",
    "B市",
    "A5区",
]
TAILS = ["", "", "", "已经反映好几次了！", "请尽快处理，谢谢", "希望领导重视", "到底有没有人管？？", "急急急"]
HOMOPHONES = {"在": "再", "的": "得", "反映": "反应", "已经": "以经", "哪里": "那里", "做": "作", "账": "帐"}
CLAUSE = re.compile(r"(?<=[，。！？；,!?;])")


def augment(ex: Example, same_class: list[Example], rng: random.Random) -> Example:
    clauses = [c for c in CLAUSE.split(ex.text) if c]
    other = rng.choice(same_class)
    other_clauses = [c for c in CLAUSE.split(other.text) if c]
    if len(clauses) > 1 and rng.random() < 0.5:
        clauses = clauses[: rng.randint(1, len(clauses))]
    if other_clauses and rng.random() < 0.5:
        clauses.insert(rng.randint(0, len(clauses)), rng.choice(other_clauses))
    text = "".join(clauses)
    for right, wrong in HOMOPHONES.items():
        if right in text and rng.random() < 0.3:
            text = text.replace(right, wrong, 1)
    if len(text) > 10 and rng.random() < 0.3:
        i = rng.randrange(len(text))
        text = text[:i] + text[i + 1 :]
    if rng.random() < 0.4:
        text = rng.choice(PLACES) + text
    text += rng.choice(TAILS)
    title = ex.title if rng.random() < 0.6 else ""
    return Example(title, text, ex.label)


def synthetic(n: int, seed: int) -> list[Example]:
    rng = random.Random(seed)
    base = starter_examples()
    by_class: dict[str, list[Example]] = defaultdict(list)
    for ex in base:
        by_class[ex.label].append(ex)
    return [augment(ex, by_class[ex.label], rng) for ex in (rng.choice(base) for _ in range(n))]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    var_dir = tempfile.mkdtemp(prefix="linli-bench-train-")
    os.environ["LINLI_VAR_DIR"] = var_dir
    os.environ.pop("DATABASE_URL", None)
    try:
        run(args.n, args.seed)
    finally:
        shutil.rmtree(var_dir, ignore_errors=True)


def run(n: int, seed: int) -> None:
    import django

    django.setup()
    from django.core.management import call_command

    from linli.triage import services

    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    data = synthetic(n, seed)
    print(f"made {len(data)} synthetic appeals in {time.perf_counter() - started:.1f} s", flush=True)

    c0 = time.process_time()
    t0 = time.perf_counter()
    version = services.model_version_train(actor=None, extra_examples=data, activate=False)
    total_s = time.perf_counter() - t0
    cpu_s = time.process_time() - c0
    _rss, peak = memory_mb()
    trained_on, metrics = version.trained_on, version.metrics
    print(
        f"model_version_train on {trained_on['total']} examples: {total_s:.1f} s ({cpu_s:.1f} s of CPU), "
        f"hold-out {metrics.get('method')} accuracy {metrics.get('accuracy')}, "
        f"encoder member {trained_on.get('encoder') or 'none'}",
        flush=True,
    )

    import joblib
    from django.core.files.storage import default_storage

    with default_storage.open(str(version.blob.name), "rb") as fh:
        model = joblib.load(fh)  # the stored file, as a process putting the version in use reads it
    sample = data[:2000]
    model.suggest("", "预热")
    t2 = time.perf_counter()
    for e in sample:
        model.suggest(e.title, e.text)
    per_ms = (time.perf_counter() - t2) * 1000 / len(sample)
    print(
        f"n={len(data)} examples={trained_on['total']} total_s={total_s:.1f} cpu_s={cpu_s:.1f} "
        f"accuracy={metrics.get('accuracy')} encoder={trained_on.get('encoder', '')} peak_rss_mb={peak:.1f} "
        f"per_prediction_ms={per_ms:.3f}"
    )


if __name__ == "__main__":
    main()
