"""Labelled examples, training new versions and rolling back."""

from __future__ import annotations

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import override_settings

from linli.core.errors import NotFound, ValidationFailed
from linli.core.snapshots import snapshots_forget
from linli.testing import Cast
from linli.triage import corpus, services
from linli.triage.corpus import Example
from linli.triage.models import LabelledExample, ModelVersion

pytestmark = pytest.mark.django_db

SMALL = [
    Example("", text, label)
    for label, texts in {
        "transport.parking": [
            "小区门口乱停车堵路",
            "人行道停满了车",
            "路边车位被地锁占了",
            "停车费太贵了",
            "医院门口停车难",
        ],
        "environment.noise": [
            "工地夜里施工太吵",
            "KTV唱到凌晨",
            "广场舞音响太响",
            "装修电钻天天响",
            "酒吧噪音扰民",
        ],
        "labour_social.wage_arrears": [
            "老板拖欠三个月工资",
            "包工头欠薪跑了",
            "加班费不给",
            "离职不结工资",
            "工资被克扣",
        ],
    }.items()
    for text in texts
]


@pytest.fixture(autouse=True)
def media(settings, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = tmp_path / "media"
    snapshots_forget()
    yield
    snapshots_forget()


def train_small(actor: object = None) -> ModelVersion:
    return services.model_version_train(actor=actor, include_starter=False, extra_examples=SMALL, holdout=0.2)


def test_a_correction_becomes_a_training_example(cast: Cast) -> None:
    example = services.labelled_example_record(
        actor=cast.community_worker,
        title="路灯坏了",
        text="小区门口的路灯坏了一个月",
        category_code="utilities.power_supply",
        source="correction",
    )
    stored = LabelledExample.objects.get(pk=example.pk)
    assert stored.category_code == "utilities.power_supply"
    assert stored.source == "correction"
    assert stored.created_by == cast.community_worker


def test_an_example_without_text_or_category_is_refused(cast: Cast) -> None:
    with pytest.raises(ValidationFailed):
        services.labelled_example_record(
            actor=None, title="", text="  ", category_code="x.y", source="intake"
        )
    with pytest.raises(ValidationFailed):
        services.labelled_example_record(actor=None, title="", text="有字", category_code="", source="intake")
    with pytest.raises(ValidationFailed):
        services.labelled_example_record(
            actor=None, title="", text="有字", category_code="x.y", source="guess"
        )
    assert LabelledExample.objects.count() == 0


def test_classify_uses_the_shipped_model_when_no_version_is_trained() -> None:
    suggestion = services.classify(title="", text="楼下饭店油烟直排，熏得没法开窗")
    assert suggestion.model_version == 0
    assert suggestion.category_code == "environment.cooking_fumes"
    assert len(suggestion.alternatives) == 2


def test_confidence_threshold_decides_whether_a_suggestion_is_applied() -> None:
    suggestion = services.classify(title="", text="楼下饭店油烟直排，熏得没法开窗")
    with override_settings(LINLI_TRIAGE_THRESHOLD=0.0):
        assert suggestion.confident
    with override_settings(LINLI_TRIAGE_THRESHOLD=1.01):
        assert not suggestion.confident


def test_a_vague_message_waits_for_a_person_even_when_the_model_is_sure_it_is_other() -> None:
    suggestion = services.classify(
        title="想反映个情况", text="有个情况想反映一下，电话里说不清楚，麻烦工作人员联系我。"
    )
    assert suggestion.category_code == "other.misc"
    assert suggestion.probability > 0.5
    assert suggestion.confidence == 0.0 and not suggestion.confident
    clear = services.classify(title="", text="楼下饭店油烟直排，熏得没法开窗")
    assert clear.confidence == clear.probability > 0.6


def test_retrain_learns_from_corrections_and_makes_a_new_active_version(
    cast: Cast, monkeypatch: pytest.MonkeyPatch
) -> None:
    # every third row of the starter corpus: the mechanics of `triage train` are the same and it trains in seconds
    # (the shipped model's accuracy on the whole corpus is test_classifier's and bench/'s)
    starter = corpus.starter_examples()[::3]
    monkeypatch.setattr(corpus, "starter_examples", lambda: starter)
    text = "邻居家鹦鹉天天学狗叫"
    for _ in range(3):
        services.labelled_example_record(
            actor=cast.grid_worker,
            title="",
            text=text,
            category_code="environment.noise",
            source="correction",
        )
    out = StringIO()
    call_command("triage", "train", stdout=out)
    version = ModelVersion.objects.get()
    assert version.number == 1 and version.is_active
    assert version.trained_on["deployment"] == 1  # the same text corrected three times counts once
    assert version.trained_on["starter"] == len(starter)  # the whole starter corpus with the corrections
    assert 0.0 < version.metrics["accuracy"] <= 1.0
    assert Path(version.blob.path).is_file()
    suggestion = services.classify(title="", text=text)
    assert suggestion.model_version == 1
    assert suggestion.category_code == "environment.noise"


def test_min_examples_refuses_to_train_on_too_little(cast: Cast) -> None:
    with pytest.raises(ValidationFailed):
        services.model_version_train(actor=None, min_examples=5)
    assert not ModelVersion.objects.exists()


def test_rollback_puts_the_earlier_version_back_in_use() -> None:
    first = train_small()
    second = train_small()
    assert (first.number, second.number) == (1, 2)
    assert services.classify(title="", text="工地夜里施工太吵").model_version == 2

    out = StringIO()
    call_command("triage", "rollback", stdout=out)
    assert ModelVersion.objects.get(is_active=True).number == 1
    assert services.classify(title="", text="工地夜里施工太吵").model_version == 1

    call_command("triage", "rollback", "--to", "0", stdout=out)
    assert not ModelVersion.objects.filter(is_active=True).exists()
    assert services.classify(title="", text="工地夜里施工太吵").model_version == 0

    call_command("triage", "rollback", "--to", "2", stdout=out)
    assert ModelVersion.objects.get(is_active=True).number == 2
    call_command("triage", "versions", stdout=out)
    assert "* v2" in out.getvalue()


def test_rollback_to_a_missing_version_is_refused() -> None:
    train_small()
    with pytest.raises(NotFound):
        services.model_version_activate(actor=None, number=7)
    assert ModelVersion.objects.get(is_active=True).number == 1


def test_classify_does_not_query_the_database_on_every_call(django_assert_num_queries) -> None:  # type: ignore[no-untyped-def]
    train_small()
    services.classify(title="", text="工地夜里施工太吵")
    with django_assert_num_queries(0):
        for _ in range(5):
            assert services.classify(title="", text="老板拖欠三个月工资").model_version == 1


def test_triage_settings_are_read_from_the_environment() -> None:
    import os
    import subprocess
    import sys

    # the settings module alone, as Django reads it at start-up (starting every app as well took seconds)
    code = (
        "from linli import settings as s;"
        "print(s.LINLI_TRIAGE_RETRAIN_EVERY, s.LINLI_TRIAGE_MULTI_THRESHOLD, s.LINLI_TRIAGE_THRESHOLD)"
    )
    env = {
        **os.environ,
        "LINLI_TRIAGE_RETRAIN_EVERY": "50",
        "LINLI_TRIAGE_MULTI_THRESHOLD": "0.35",
        "LINLI_TRIAGE_THRESHOLD": "0.8",
    }
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["50", "0.35", "0.8"]
    env["LINLI_TRIAGE_MULTI_THRESHOLD"] = "lots"
    bad = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)
    assert bad.returncode != 0 and "LINLI_TRIAGE_MULTI_THRESHOLD must be a number" in bad.stderr
