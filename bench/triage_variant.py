"""Try corpus rows before shipping them: train on the starter corpus plus a file of candidate rows, score every set.

    .venv/bin/python bench/triage_variant.py [--rows bench/triage_streetlight_rows.csv] [--variant NAME ...]
        [--drop-word WORD ...] [--plain-ngrams LO-HI] [--gate] [--show-misses]

The candidate file has the corpus's columns (title, text, category, first_level) and a `variant` column; rows of
the variants named with --variant (all when none is named; none with --rows "") are added to the corpus. A
candidate whose title and text are already a corpus row relabels that row instead of adding one. The model is
trained in memory (nothing is written; the shipped model is untouched) and scored, next to the shipped model, on
the check sets of linli/triage/tests/data (streetlight_check.csv per round, patrol, community, fresh, blind) and on
the multi-issue messages as bench/triage_multi.py scores them.

--drop-word removes a word from jieba's dictionary for this run (training and scoring, the shipped model too), to
try a tokenisation: jieba's dictionary holds 灯不亮, so "路灯不亮" is cut 路/灯不亮 and the word block never sees 路灯.

--plain-ngrams trains the ensemble's plain member on character LO–HI-grams (the shipped model: 1-3), to try a model
change with the corpus unchanged (--rows "").

--gate adds the held-out set's gate (test_zero_shot_the_shipped_model_is_not_behind_the_plain_baseline: Linli's
macro-F1 against the plain baseline's trained on the same corpus). Run it once, for a variant chosen on the other
sets: choosing rows until the held-out set agrees makes it a training set (docs/triage.md, *Streetlights*). Misses
are shown with --show-misses, never for the held-out set nor for the streetlight set's round 3 (kept for a last
score).

The last line: streetlight=…/… patrol=… community=… fresh=… blind=… multi_precision=… multi_recall=… [gate=…]
"""

from __future__ import annotations

import argparse
import csv
import os
import sys
import tempfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DATA = ROOT / "linli/triage/tests/data"
SETS = [
    ("streetlight", "streetlight_check.csv", "category"),
    ("patrol", "patrol_check.csv", "category"),
    ("community", "community_check.csv", "label"),
    ("fresh", "fresh_check.csv", "category"),
    ("blind", "blind_check.csv", "category"),
]
KEPT_ROUND = "3"  # the streetlight set's last round: scored, its misses never shown


def variant_corpus(rows_path: str, variants: list[str], out: Path) -> tuple[int, int]:
    """Write the starter corpus with the candidate rows to `out`: (rows added, rows relabelled)."""
    from linli.triage.corpus import STARTER_CORPUS, read_csv_rows

    corpus, _enc = read_csv_rows(STARTER_CORPUS)
    fields = ["title", "text", "category", "first_level"]
    index = {(r.get("title", ""), r["text"]): n for n, r in enumerate(corpus)}
    added = relabelled = 0
    candidates: list[dict[str, str]] = []
    if rows_path:
        candidates, _enc = read_csv_rows(rows_path)
    for row in candidates:
        if variants and row.get("variant") not in variants:
            continue
        found = index.get((row.get("title", ""), row["text"]))
        if found is None:
            corpus.append(row)
            added += 1
        else:
            corpus[found] = {**corpus[found], "category": row["category"], "first_level": row["first_level"]}
            relabelled += 1
    with out.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fields, extrasaction="ignore", lineterminator="\n")
        writer.writeheader()
        writer.writerows(corpus)
    return added, relabelled


def score(model: Any, show: bool) -> dict[str, str]:
    from linli.triage import corpus

    out = {}
    for name, file, label in SETS:
        rows, _enc = corpus.read_csv_rows(DATA / file)
        proba = model.predict_proba([r.get("title", "") for r in rows], [r["text"] for r in rows])
        guessed = [model.classes[i] for i in proba.argmax(axis=1)]
        right = [g == r[label] for g, r in zip(guessed, rows, strict=True)]
        out[name] = f"{sum(right)}/{len(rows)}"
        rounds = sorted({r["round"] for r in rows if r.get("round")})
        if rounds:
            out[name] += (
                " ("
                + ", ".join(
                    f"round {k}: {sum(ok for ok, r in zip(right, rows, strict=True) if r['round'] == k)}"
                    f"/{sum(r['round'] == k for r in rows)}"
                    for k in rounds
                )
                + ")"
            )
        for g, r, ok, p in zip(guessed, rows, right, proba.max(axis=1), strict=True):
            if show and not ok and r.get("round") != KEPT_ROUND:
                print(
                    f"  {name} miss: {r.get('title', '')}|{r['text'][:40]} → {g} {p:.2f} (label {r[label]})"
                )
    return out


def multi(model: Any) -> dict[str, str]:
    """bench/triage_multi.py's first figures (suggest_categories) with this model in use."""
    from linli.triage import corpus, selectors, services

    rows, _enc = corpus.read_csv_rows(DATA / "multi_issue_check.csv")
    selectors.active_model = lambda **_kw: (0, model)
    first = hits = suggested = wanted = 0
    for row in rows:
        truth = [c for c in row["categories"].split(";") if c]
        guessed = [
            g.category_code for g in services.suggest_categories(title=row.get("title", ""), text=row["text"])
        ]
        first += guessed[0] == truth[0]
        hits += len(set(guessed) & set(truth))
        suggested += len(guessed)
        wanted += len(truth)
    return {
        "multi_first": f"{first / len(rows):.3f}",
        "multi_recall": f"{hits / wanted:.3f}",
        "multi_precision": f"{hits / suggested:.3f}",
    }


def gate(model: Any) -> str:
    from linli.triage import evaluation

    figures = []
    for label in ("category", "first_level"):
        rows = evaluation.load_rows(evaluation.HELDOUT, text_col="text", title_col="title", label_col=label)
        report = evaluation.evaluate_model(rows, model, model_name="variant")
        verdict = "pass" if report.macro_f1 >= report.baseline["macro_f1"] else "FAIL"
        figures.append(f"{label}:{report.macro_f1:.3f}/{report.baseline['macro_f1']:.3f}:{verdict}")
    return " ".join(figures)


def plain_ngrams_model(lo: int, hi: int) -> Any:
    """A TextClassifier whose plain member reads character lo–hi-grams (the rest as shipped)."""
    from linli.triage import classifier

    class Plain(classifier.TextClassifier):
        def _make_blocks(self) -> list[tuple[str, Any, float]]:
            blocks = super()._make_blocks()
            for _source, vec, _weight in blocks:
                vec.set_params(ngram_range=(lo, hi))
            return blocks

    class Main(classifier.TextClassifier):
        def plain_member(self) -> classifier.TextClassifier:
            member = Plain()
            member.__dict__.update(super().plain_member().__dict__)
            return member

    return Main()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", default=str(ROOT / "bench/triage_streetlight_rows.csv"))
    parser.add_argument("--variant", action="append", default=[])
    parser.add_argument("--drop-word", action="append", default=[])
    parser.add_argument("--plain-ngrams", default="", help="e.g. 1-2")
    parser.add_argument("--gate", action="store_true")
    parser.add_argument("--show-misses", action="store_true")
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "linli.settings")
    import django

    django.setup()
    from linli.triage import classifier, corpus

    for word in args.drop_word:
        classifier._jieba().del_word(word)
    shipped = classifier.starter_model()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "corpus.csv"
        added, relabelled = variant_corpus(args.rows, args.variant, path)
        corpus.STARTER_CORPUS = path  # the baseline of --gate trains on the same corpus
        if args.plain_ngrams:
            lo, hi = (int(n) for n in args.plain_ngrams.split("-"))
            examples = corpus.starter_examples()
            model = plain_ngrams_model(lo, hi).fit(
                [e.title for e in examples],
                [e.text for e in examples],
                [e.label for e in examples],
                sample_weight=[e.weight for e in examples],
            )
        else:
            model = classifier.train(corpus.starter_examples())
        print(f"variant: {added} rows added, {relabelled} relabelled")
        for name, candidate in (("shipped", shipped), ("variant", model)):
            figures = {**score(candidate, args.show_misses and name == "variant"), **multi(candidate)}
            if args.gate and name == "variant":
                figures["gate"] = gate(candidate)
            print(f"{name}: " + " ".join(f"{k}={v}" for k, v in figures.items()))


if __name__ == "__main__":
    main()
