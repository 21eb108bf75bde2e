"""How well triage names every issue of a message that raises several (linli.triage.services.suggest_categories).

    .venv/bin/python bench/triage_multi.py [--csv linli/triage/tests/data/multi_issue_check.csv]

The file has columns title, text, categories (second-level codes separated by ";", the main issue first). For
each message it compares the suggested categories (at most three) with the true ones and prints, over the file:
how often the first suggestion is the main issue, recall (share of true categories suggested), precision (share of
suggestions that are true) and the mean number suggested; for comparison, the same for the whole message's top
three above the threshold alone (no sentence reading) and for the plain top three.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--csv", default=str(ROOT / "linli/triage/tests/data/multi_issue_check.csv"))
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "linli.settings")
    import django

    django.setup()
    from linli.triage import corpus, selectors, services

    rows, _encoding = corpus.read_csv_rows(args.csv)
    _number, model = selectors.active_model(shipped_only=True)

    def whole_only(title: str, text: str) -> list[str]:
        proba = model.proba_one(title, text)
        order = proba.argsort()[::-1][:3]
        return [
            model.classes[i] for n, i in enumerate(order) if n == 0 or proba[i] >= services.multi_threshold()
        ]

    def top3(title: str, text: str) -> list[str]:
        proba = model.proba_one(title, text)
        return [model.classes[i] for i in proba.argsort()[::-1][:3]]

    methods = {
        "suggest_categories": lambda t, x: [
            g.category_code for g in services.suggest_categories(title=t, text=x)
        ],
        "whole message, above threshold": whole_only,
        "plain top three": top3,
    }
    for name, method in methods.items():
        first = hits = suggested = wanted = 0
        for row in rows:
            truth = [c for c in row["categories"].split(";") if c]
            guessed = method(row.get("title", ""), row["text"])
            first += guessed[0] == truth[0]
            hits += len(set(guessed) & set(truth))
            suggested += len(guessed)
            wanted += len(truth)
        n = len(rows)
        print(
            f"{name:<32} messages={n} first_is_main={first / n:.3f} recall={hits / wanted:.3f} "
            f"precision={hits / suggested:.3f} suggested_per_message={suggested / n:.2f}"
        )


if __name__ == "__main__":
    main()
