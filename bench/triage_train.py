"""How long does `linli triage train` take on 100,000 appeals? Synthetic appeals made by augmenting the starter corpus.

Each synthetic appeal takes a starter example and varies it the way real messages vary: an address prefix, clauses
spliced in from another appeal of the same category, dropped or doubled characters, homophone typos, an emotional
tail. It then times what `linli triage train` does: fit on a stratified 80% and score the remaining 20%, then fit
the stored model on everything. No database is needed.

    .venv/bin/python bench/triage_train.py [--n 100000] [--seed 0]

Last line: `n=… holdout_fit_s=… full_fit_s=… total_s=… cpu_s=… accuracy=… per_prediction_ms=…` (wall-clock seconds,
except cpu_s: the CPU time this process got, which is what matters on a shared machine).
"""

from __future__ import annotations

import argparse
import os
import random
import re
import sys
import time
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "linli.settings")

from linli.triage import classifier
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
    import django

    django.setup()
    from sklearn.model_selection import train_test_split

    started = time.perf_counter()
    data = synthetic(args.n, args.seed)
    print(f"made {len(data)} synthetic appeals in {time.perf_counter() - started:.1f} s", flush=True)

    c0 = time.process_time()
    t0 = time.perf_counter()
    train, test = train_test_split(data, test_size=0.2, stratify=[e.label for e in data], random_state=0)
    model = classifier.train(train)
    predicted = model.predict([e.title for e in test], [e.text for e in test])
    accuracy = sum(p == e.label for p, e in zip(predicted, test, strict=True)) / len(test)
    holdout_s = time.perf_counter() - t0
    print(
        f"hold-out fit on {len(train)} + score on {len(test)}: {holdout_s:.1f} s, accuracy {accuracy:.3f}",
        flush=True,
    )

    t1 = time.perf_counter()
    model = classifier.train(data)
    full_s = time.perf_counter() - t1
    cpu_s = time.process_time() - c0
    print(f"full fit on {len(data)}: {full_s:.1f} s", flush=True)

    sample = test[:2000]
    model.suggest("", "预热")
    t2 = time.perf_counter()
    for e in sample:
        model.suggest(e.title, e.text)
    per_ms = (time.perf_counter() - t2) * 1000 / len(sample)
    print(
        f"n={len(data)} holdout_fit_s={holdout_s:.1f} full_fit_s={full_s:.1f} total_s={holdout_s + full_s:.1f} "
        f"cpu_s={cpu_s:.1f} accuracy={accuracy:.3f} per_prediction_ms={per_ms:.3f}"
    )


if __name__ == "__main__":
    main()
