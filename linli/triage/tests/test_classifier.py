"""The shipped starter model and the evaluate command (which needs no database)."""

from __future__ import annotations

import csv
import os
import re
import subprocess
import sys
from io import StringIO
from pathlib import Path

import numpy as np
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from linli.triage import classifier, corpus, taxonomy

FINAL_LINE = re.compile(r"^accuracy=\d\.\d{3} macro_f1=\d\.\d{3}$")

CLEAR_SENTENCES = [
    ("", "楼下烧烤店的油烟直接排到我家窗户，呛得不敢开窗", "环境保护"),
    ("讨薪", "老板拖欠我们工地十几个人三个月的工资不给", "劳动和社会保障"),
    ("", "孩子今年上小学，学区划分把我们小区划到了很远的学校", "教育文体"),
    ("", "25路公交车早高峰半小时才来一趟，根本挤不上去", "交通运输"),
    ("", "景区里导游强迫我们购物，不买就不让走", "商贸旅游"),
    ("", "社区医院的九价疫苗一直约不上，什么时候能打", "卫生计生"),
    ("违建", "小区顶楼业主私自在楼顶加盖了一层阳光房", "城乡建设"),
    ("", "物业擅自涨物业费，电梯坏了也不修", "物业管理"),
    ("", "暖气一点都不热，家里才十三度，热力公司不来修", "水电气热"),
]


def write_csv(path: Path, rows: list[dict[str, str]], encoding: str = "utf-8") -> Path:
    with path.open("w", newline="", encoding=encoding) as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return path


def run_evaluate(*args: str) -> str:
    out = StringIO()
    call_command("triage", "evaluate", *args, stdout=out)
    return out.getvalue()


def test_shipped_model_labels_clear_sentences_with_their_first_level_category() -> None:
    model = classifier.starter_model()
    predicted = model.predict([t for t, _x, _l in CLEAR_SENTENCES], [x for _t, x, _l in CLEAR_SENTENCES])
    assert [taxonomy.first_level_name(code) for code in predicted] == [lb for _t, _x, lb in CLEAR_SENTENCES]


def test_shipped_model_suggestion_ranks_three_categories_with_probabilities() -> None:
    prediction = classifier.starter_model().suggest("停水", "小区停水两天了也没通知，供水公司电话打不通", k=3)
    assert prediction.category_code == "utilities.water_supply"
    assert 0.0 < prediction.confidence <= 1.0
    assert len(prediction.alternatives) == 2
    assert all(p <= prediction.confidence for _c, p in prediction.alternatives)


def test_starter_corpus_has_at_least_80_examples_per_first_level_category() -> None:
    examples = corpus.starter_examples()
    counts: dict[str, int] = {}
    for ex in examples:
        top = taxonomy.first_level_name(ex.label)
        counts[top] = counts.get(top, 0) + 1
    assert set(counts) == {t["name"] for t in taxonomy.taxonomy()}
    assert min(counts.values()) >= 80


def tiny_rows() -> list[dict[str, str]]:
    texts = {
        "噪音": [
            "晚上工地施工太吵了",
            "楼下KTV唱到凌晨",
            "广场舞音响声音太大",
            "装修电钻声每天都有",
            "酒吧噪音扰民",
            "夜里货车鸣笛很吵",
        ],
        "停车": [
            "小区门口乱停车",
            "路边车位被地锁占了",
            "停车费太贵",
            "人行道上停满了车",
            "共享单车乱停",
            "医院停车难",
        ],
        "工资": [
            "老板拖欠工资",
            "三个月没发工资了",
            "加班费不给",
            "辞职后不结工资",
            "工资低于最低标准",
            "包工头跑路欠薪",
        ],
    }
    return [{"title": "", "text": t, "label": label} for label, items in texts.items() for t in items]


def test_evaluate_by_folds_on_a_tiny_csv_prints_the_final_line(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "tiny.csv", tiny_rows())
    output = run_evaluate("--csv", str(path), "--label-col", "label", "--folds", "3")
    lines = output.strip().splitlines()
    assert FINAL_LINE.match(lines[-1]), lines[-1]
    assert "3-fold" in output or "3 折" in output
    assert "Confusion matrix" in output or "混淆矩阵" in output
    assert "precision" in output
    baseline = next(line for line in lines if "Plain baseline" in line or "简单基线" in line)
    assert re.search(r"0\.\d{3}.*0\.\d{3}", baseline), baseline
    assert any(line.split()[:1] == ["工资"] and len(line.split()) == 4 for line in lines)  # label n F1 F1


def test_evaluate_without_folds_scores_the_baseline_trained_on_the_starter_corpus(tmp_path: Path) -> None:
    rows = [{"title": t, "text": x, "label": lb} for t, x, lb in CLEAR_SENTENCES]
    path = write_csv(tmp_path / "first.csv", rows)
    output = run_evaluate("--csv", str(path), "--label-col", "label", "--shipped")
    assert "Plain baseline" in output or "简单基线" in output
    quiet = run_evaluate("--csv", str(path), "--label-col", "label", "--shipped", "--no-baseline")
    assert "Plain baseline" not in quiet and "简单基线" not in quiet


def test_evaluate_reads_gb18030_files(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "gbk.csv", tiny_rows(), encoding="gb18030")
    output = run_evaluate("--csv", str(path), "--label-col", "label", "--folds", "2")
    assert "gb18030" in output
    assert FINAL_LINE.match(output.strip().splitlines()[-1])


def test_evaluate_without_folds_compares_first_level_names(tmp_path: Path) -> None:
    rows = [{"title": t, "text": x, "label": lb} for t, x, lb in CLEAR_SENTENCES]
    path = write_csv(tmp_path / "first.csv", rows)
    output = run_evaluate("--csv", str(path), "--label-col", "label", "--shipped")
    assert output.strip().splitlines()[-1] == "accuracy=1.000 macro_f1=1.000"


CHECK_SET = Path(__file__).parent / "data" / "wenzheng_style_check.csv"


def test_shipped_model_labels_wenzheng_style_messages_zero_shot() -> None:
    """56 messages written apart from the corpus, in the style and with the column names of a 问政 export
    (GB18030, 留言主题/留言详情/一级标签, seven first-level labels); 物业/水电 problems labelled 城乡建设 as there."""
    assert shipped_accuracy_on_wenzheng_file(CHECK_SET) >= 0.85


def shipped_accuracy_on_wenzheng_file(path: Path, *extra: str) -> float:
    """The shipped model's accuracy on a file in a 问政 export's form (留言主题/留言详情/一级标签)."""
    output = run_evaluate(
        "--csv",
        str(path),
        "--text-col",
        "留言详情",
        "--title-col",
        "留言主题",
        "--label-col",
        "一级标签",
        "--shipped",
        *extra,
    )
    return float(output.strip().splitlines()[-1].split()[0].removeprefix("accuracy="))


def test_fast_single_appeal_path_matches_scikit_learn() -> None:
    model = classifier.starter_model()
    examples = corpus.starter_examples()[::25]
    batch = model.predict_proba([e.title for e in examples], [e.text for e in examples])
    one_by_one = np.array([model.proba_one(e.title, e.text) for e in examples])
    assert np.allclose(batch, one_by_one, atol=1e-5)
    empty = model.proba_one("", "")
    assert empty.shape == (len(model.classes),) and abs(empty.sum() - 1) < 1e-6


def test_a_model_saved_in_format_1_still_loads_and_predicts_the_same() -> None:
    """Versions trained before format 2 (SGD logistic heads over two blocks) keep working after an upgrade."""
    import pickle

    from sklearn.linear_model import SGDClassifier
    from sklearn.pipeline import FeatureUnion

    examples = corpus.starter_examples()[::4]
    docs = [classifier.normalise(e.title, e.text) for e in examples]
    new = classifier.TextClassifier()
    union = FeatureUnion([(f"b{i}", vec) for i, (_src, vec, _w) in enumerate(new._make_blocks()[:2])])
    matrix = union.fit_transform(docs)
    labels = [e.label for e in examples]
    child = SGDClassifier(loss="log_loss", random_state=0).fit(matrix, labels)
    top = SGDClassifier(loss="log_loss", random_state=0).fit(
        matrix, [taxonomy.parent_code(c) for c in labels]
    )
    for model in (child, top):  # format-1 files kept their weights at float16 precision
        model.coef_ = model.coef_.astype(np.float16).astype(np.float32)
    parents = [taxonomy.parent_code(c) for c in child.classes_]
    state = {
        "features": union,
        "model": child,
        "top_model": top,
        "classes": list(child.classes_),
        "parent_index": [list(top.classes_).index(p) for p in parents],
        "meta": {},
        "format_version": 1,
    }
    old = classifier.TextClassifier.__new__(classifier.TextClassifier)
    old.__setstate__(pickle.loads(pickle.dumps(state)))
    assert old.classes == list(child.classes_)
    proba = old.predict_proba(["停水"], ["小区停水两天了也没通知"])[0]
    assert abs(proba.sum() - 1) < 1e-6
    assert np.allclose(proba, old.proba_one("停水", "小区停水两天了也没通知"), atol=1e-5)
    # the same arithmetic as before: P(first level) × P(category | first level) from the two logistic heads
    row = union.transform([classifier.normalise("停水", "小区停水两天了也没通知")])
    p_child, p_top = child.predict_proba(row)[0], top.predict_proba(row)[0]
    parent = np.asarray(state["parent_index"])
    siblings = np.bincount(parent, weights=p_child, minlength=len(p_top))
    assert np.allclose(proba, p_child / siblings[parent] * p_top[parent], atol=1e-5)


def test_confidence_is_calibrated_on_held_out_appeals() -> None:
    """Out-of-sample, appeals the model is sure about are mostly right and unsure ones often wrong."""
    examples = corpus.starter_examples()
    train = [e for i, e in enumerate(examples) if i % 4]
    test = [e for i, e in enumerate(examples) if not i % 4]
    model = classifier.train(train)
    proba = model.predict_proba([e.title for e in test], [e.text for e in test])
    confidence = proba.max(axis=1)
    right = np.array([model.classes[i] == e.label for i, e in zip(proba.argmax(axis=1), test, strict=True)])
    assert right[confidence >= 0.8].mean() >= 0.8
    assert right[confidence < 0.4].mean() <= 0.5
    assert abs(confidence.mean() - right.mean()) < 0.1  # average confidence close to accuracy


def test_evaluate_names_the_missing_column(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "bad.csv", tiny_rows())
    with pytest.raises(CommandError, match="category"):
        run_evaluate("--csv", str(path), "--label-col", "category")


def test_evaluate_refuses_unknown_labels_without_folds(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "other.csv", tiny_rows())
    with pytest.raises(CommandError, match="--folds"):
        run_evaluate("--csv", str(path), "--label-col", "label", "--shipped")


def test_evaluate_runs_with_no_database(tmp_path: Path) -> None:
    rows = [{"title": t, "text": x, "label": lb} for t, x, lb in CLEAR_SENTENCES]
    path = write_csv(tmp_path / "first.csv", rows)
    var_dir = tmp_path / "var"
    var_dir.mkdir()
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "LINLI_TESTING"}}
    env["LINLI_VAR_DIR"] = str(var_dir)
    linli = Path(sys.executable).with_name("linli")
    result = subprocess.run(
        [str(linli), "triage", "evaluate", "--csv", str(path), "--label-col", "label"],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert FINAL_LINE.match(result.stdout.strip().splitlines()[-1])
    assert not list(var_dir.glob("*.sqlite3")), "evaluate must not create a database"


@pytest.mark.django_db
def test_warm_up_prepares_the_model_in_use() -> None:
    from linli.triage import selectors

    assert selectors.warm_up() == 0  # no trained version: the shipped model
    assert "_compiled" in classifier.starter_model().__dict__


DATA = Path(__file__).parent / "data"


def test_starter_corpus_reads_like_real_messages() -> None:
    """Long formal letters, masked places and the community-life topics city taxonomies lack are all in it."""
    examples = corpus.starter_examples()
    assert sum(1 for e in examples if len(e.text) >= 100) >= 25
    assert sum(1 for e in examples if len(e.text) >= 240) >= 8
    assert sum(1 for e in examples if re.search(r"[A-G]\d?[市县区]|XX", e.title + e.text)) >= 40
    everyday = {
        "楼道灯": "property_management.property_service",
        "充电": "public_safety.fire_safety",
        "垃圾分类": "environment.waste",
        "广场舞": "environment.noise",
    }
    for word, code in everyday.items():
        assert sum(1 for e in examples if word in e.text and e.label == code) >= 2, word


def test_shipped_model_reads_everyday_community_notes() -> None:
    """30 short notes about community life written apart from the corpus (楼道灯, 电动车充电, 物业, 邻里, 噪声,
    垃圾分类 …), second-level labels; the former model got 0.70 of them right and sent 楼道灯 to 道路施工."""
    output = run_evaluate("--csv", str(DATA / "community_check.csv"), "--label-col", "label", "--shipped")
    accuracy = float(output.strip().splitlines()[-1].split()[0].removeprefix("accuracy="))
    assert accuracy >= 0.8
    model = classifier.starter_model()
    assert model.suggest("", "3单元楼道灯又坏了，晚上上楼黑漆漆的").category_code.startswith(
        "property_management"
    )


def test_shipped_model_labels_long_formal_letters() -> None:
    """35 long letters (masked places, dates, history) in a 问政 export's form, written apart from the corpus."""
    accuracy = shipped_accuracy_on_wenzheng_file(
        DATA / "long_letters_check.csv", "--all-categories", "--no-baseline"
    )
    assert accuracy >= 0.9


def test_the_held_out_set_is_never_trained_on_and_shows_every_kind_of_message() -> None:
    """linli/triage/data/heldout_messages.csv: realistic messages written apart from the corpus — long formal
    letters, colloquial notes, several issues in one, masked places — labelled with second-level categories."""
    from linli.triage.evaluation import HELDOUT

    with HELDOUT.open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert len(rows) >= 100
    forms = {form: sum(1 for r in rows if r["form"] == form) for form in ("letter", "note", "multi")}
    assert forms["letter"] >= 15 and forms["note"] >= 60 and forms["multi"] >= 10
    assert all(r["further_categories"] for r in rows if r["form"] == "multi")
    assert sum(1 for r in rows if re.search(r"[A-G]\d?[市县区]|XX", r["title"] + r["text"])) >= 25
    assert len({r["first_level"] for r in rows}) == 13
    trained = {classifier.normalise(e.title, e.text) for e in corpus.starter_examples()}
    assert not trained & {classifier.normalise(r["title"], r["text"]) for r in rows}


def test_evaluate_heldout_scores_the_model_and_the_baseline_and_the_thresholds() -> None:
    output = run_evaluate("--heldout", "--shipped")
    lines = output.strip().splitlines()
    assert FINAL_LINE.match(lines[-1])
    assert "102" in lines[0]  # every row read
    assert any("Plain baseline" in line or "简单基线" in line for line in lines)
    table = lines[next(i for i, line in enumerate(lines) if "applied" in line.split()) + 1 :][:6]
    thresholds = [float(row.split()[0]) for row in table]
    applied = [float(row.split()[1].rstrip("%")) for row in table]
    assert thresholds == [0.4, 0.5, 0.6, 0.7, 0.8, 0.9]
    assert applied == sorted(applied, reverse=True)  # a higher threshold applies fewer
    with pytest.raises(CommandError):
        run_evaluate("--heldout", "--csv", "x.csv", "--shipped")
    with pytest.raises(CommandError):
        run_evaluate("--shipped")


def test_the_shipped_model_averages_the_main_model_with_the_plain_member() -> None:
    """Format 3: the calibrated three-block model (with its first-level head) and the plain character model
    (every 1–3-gram, raw counts, one head over all categories) each give probabilities; the suggestion is their
    average."""
    model = classifier.starter_model()
    assert model.format_version == 3 and model.top_head is not None
    [(plain, weight)] = model.members
    assert weight == 1.0 and plain.top_head is None and not plain.members
    [(_source, vec, _w)] = plain.blocks
    assert vec.analyzer == "char" and vec.min_df == 1 and not vec.sublinear_tf
    assert plain.classes == model.classes
    title, text = "", "楼上装修电钻声从早响到晚"
    import dataclasses

    alone = dataclasses.replace(model, members=[])
    expected = (alone.proba_one(title, text) + plain.proba_one(title, text)) / 2
    assert np.allclose(model.proba_one(title, text), expected, atol=1e-9)
    assert np.allclose(model.predict_proba([title], [text])[0], expected, atol=1e-5)


def test_a_model_saved_in_format_2_still_loads_and_predicts_the_same() -> None:
    """Versions trained before the ensemble (one calibrated model, no plain member) keep working."""
    import pickle

    examples = corpus.starter_examples()[::6]
    old = classifier.train(examples, plain_weight=0.0)
    before = old.predict_proba(["", ""], ["楼道灯坏了", "工资被拖欠"])
    state = old.__getstate__()
    for key in ("members", "plain_weight", "sublinear_tf", "hierarchy"):
        state.pop(key)
    state["format_version"] = 2
    stale = classifier.TextClassifier.__new__(classifier.TextClassifier)
    stale.__dict__.update(state)
    loaded = pickle.loads(pickle.dumps(stale))
    assert loaded.members == []
    assert np.allclose(loaded.predict_proba(["", ""], ["楼道灯坏了", "工资被拖欠"]), before)
    assert np.allclose(loaded.proba_one("", "楼道灯坏了"), before[0], atol=1e-5)


EVERYDAY = [
    ("楼道灯坏了", "property_management.property_service"),
    ("电动车在楼道充电", "public_safety.fire_safety"),
    ("楼上装修太吵", "environment.noise"),
    ("楼下烧烤油烟太大", "environment.cooking_fumes"),
    ("小区垃圾没人清运", "environment.waste"),
    ("电梯又坏了", "property_management.elevators"),
    ("物业费涨价了", "property_management.property_fees"),
    ("停水了", "utilities.water_supply"),
    ("暖气不热", "utilities.heating"),
    ("邻居家狗天天叫", "public_safety.neighbour_disputes"),
    ("广场舞太吵", "environment.noise"),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("text", "code"), EVERYDAY)
def test_everyday_demo_texts_are_applied_to_the_right_category(text: str, code: str) -> None:
    """The live demo's everyday texts: the right category, above the default threshold, so no one waits."""
    from linli.triage import services

    suggestion = services.classify(title="", text=text)
    assert suggestion.category_code == code
    assert suggestion.confident


PATROL = DATA / "patrol_check.csv"
PATROL_STREETLIGHT = "3号楼北侧路灯不亮，晚上巡查时那一段一片漆黑，居民反映出行不便，存在安全隐患"


@pytest.mark.django_db
@pytest.mark.parametrize("text", [PATROL_STREETLIGHT, "3号楼北侧路灯不亮"])
def test_a_patrol_report_of_a_streetlight_in_a_compound_is_applied_to_property_service(text: str) -> None:
    """A grid worker's patrol report: a streetlight beside a building of the compound is the property
    company's (物业服务质量), not 治安隐患 (where the demo sent it because of 存在安全隐患) nor a city street's
    道路施工与维修 — and confidently enough that no one waits."""
    from linli.triage import services

    suggestion = services.classify(title="", text=text)
    assert suggestion.category_code == "property_management.property_service"
    assert suggestion.confident
    street = services.classify(
        title="", text="巡查发现建设路人行道上一个井盖松动，车一压哐哐响，边上还缺了一角"
    )
    assert street.category_code == "urban_construction.road_works"


def test_the_patrol_check_set_is_apart_from_everything_trained_on() -> None:
    """patrol_check.csv: 34 short patrol reports and residents' phone notes, written before the corpus rows for
    patrol notes; the streetlight report of the demo is its first row. None of its texts is trained on."""
    with PATROL.open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert len(rows) == 34 and rows[0]["text"] == PATROL_STREETLIGHT
    assert all(taxonomy.first_level_name(r["category"]) == r["first_level"] for r in rows)
    assert {r["form"] for r in rows} == {"patrol", "note"}
    trained = {classifier.normalise(e.title, e.text) for e in corpus.starter_examples()}
    assert not trained & {classifier.normalise(r["title"], r["text"]) for r in rows}


STREETLIGHTS = DATA / "streetlight_check.csv"


def test_the_streetlight_check_set_is_apart_from_everything_trained_on() -> None:
    """streetlight_check.csv: 50 notes about a broken light on a street, bridge, square or park (the city's:
    道路施工与维修), on a 县道/乡道/省道 (公路与交通设施) or in a compound (the property company's). Round 1 (15) was
    written before any corpus row for a street's lights, round 2 (23) before the second attempt's rows, round 3 (12)
    during it, kept for a last score (docs/triage.md, *Streetlights*). None is trained on."""
    with STREETLIGHTS.open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    rounds = [r["round"] for r in rows]
    assert (len(rows), rounds.count("1"), rounds.count("2"), rounds.count("3")) == (50, 15, 23, 12)
    assert all(taxonomy.first_level_name(r["category"]) == r["first_level"] for r in rows)
    assert {r["category"] for r in rows} == {
        "urban_construction.road_works",
        "transport.roads_highways",
        "property_management.property_service",
        "urban_construction.old_compound_renovation",
    }
    trained = {classifier.normalise(e.title, e.text) for e in corpus.starter_examples()}
    assert not trained & {classifier.normalise(r["title"], r["text"]) for r in rows}


def test_the_shipped_model_reads_the_streetlight_notes_no_worse_than_recorded() -> None:
    """The shipped model's score on streetlight_check.csv is the one docs/triage.md records (34 of 50: a street's
    light with no compound word is still often read as the property company's). A corpus or model change that
    loses any of them fails here; one that fixes the defect raises this figure with the docs."""
    with STREETLIGHTS.open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    model = classifier.starter_model()
    guessed = model.predict([r["title"] for r in rows], [r["text"] for r in rows])
    assert sum(g == r["category"] for g, r in zip(guessed, rows, strict=True)) >= 34


FRESH = DATA / "fresh_check.csv"


def test_the_fresh_check_set_is_apart_from_everything_trained_on() -> None:
    """fresh_check.csv: 78 messages, one per second-level category, written after the model was chosen."""
    with FRESH.open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert len(rows) == 78 and len({r["category"] for r in rows}) == 78
    assert all(taxonomy.first_level_name(r["category"]) == r["first_level"] for r in rows)
    trained = {classifier.normalise(e.title, e.text) for e in corpus.starter_examples()}
    assert not trained & {classifier.normalise(r["title"], r["text"]) for r in rows}


BLIND = DATA / "blind_check.csv"


def test_the_blind_check_set_is_apart_from_everything_trained_on() -> None:
    """blind_check.csv: 65 messages, five per first-level category, written before the third round of issue 16
    changed the corpus or the model and scored only after; none of its texts is trained on."""
    with BLIND.open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert len(rows) == 65
    assert all(taxonomy.first_level_name(r["category"]) == r["first_level"] for r in rows)
    per_level: dict[str, int] = {}
    for r in rows:
        per_level[r["first_level"]] = per_level.get(r["first_level"], 0) + 1
    assert set(per_level.values()) == {5} and len(per_level) == 13
    trained = {classifier.normalise(e.title, e.text) for e in corpus.starter_examples()}
    assert not trained & {classifier.normalise(r["title"], r["text"]) for r in rows}


@pytest.mark.parametrize(
    ("path", "label_col"),
    [
        (Path(corpus.DATA_DIR / "heldout_messages.csv"), "category"),
        (Path(corpus.DATA_DIR / "heldout_messages.csv"), "first_level"),
        (FRESH, "category"),
    ],
)
def test_zero_shot_the_shipped_model_is_not_behind_the_plain_baseline(path: Path, label_col: str) -> None:
    """Issue 16: on messages never trained on, Linli's macro-F1 is at least the plain baseline's trained on the
    same corpus in the same run."""
    from linli.triage import evaluation

    rows = evaluation.load_rows(path, text_col="text", title_col="title", label_col=label_col)
    report = evaluation.evaluate_model(rows, classifier.starter_model(), model_name="shipped")
    assert report.macro_f1 >= report.baseline["macro_f1"]


BUILD_ONE = """
import hashlib, io, joblib
from linli.triage import classifier, corpus
model = classifier.train(corpus.starter_examples()[::8])
out = io.BytesIO()
joblib.dump(model, out)
print(hashlib.sha256(out.getvalue()).hexdigest())
"""


def test_a_model_is_rebuilt_byte_for_byte_in_another_process() -> None:
    """`linli triage build-starter` must give the same file every time (liblinear's shuffling is seeded, and
    scikit-learn's memory address of the stop list is not kept): two processes train on the same examples."""
    digests = set()
    for _ in range(2):
        result = subprocess.run(
            [sys.executable, "-c", BUILD_ONE], capture_output=True, text=True, timeout=300, check=False
        )
        assert result.returncode == 0, result.stderr
        digests.add(result.stdout.strip().splitlines()[-1])
    assert len(digests) == 1
