"""Self-learning (retrain when labels accumulate, switch only when not worse, roll back) and multi-issue messages."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from linli.core import jobs
from linli.core.models import AuditEntry
from linli.core.snapshots import snapshots_forget
from linli.testing import Cast
from linli.triage import classifier, corpus, services
from linli.triage.corpus import Example
from linli.triage.models import LabelledExample, ModelVersion

pytestmark = pytest.mark.django_db

PLACES = ["东门", "西门", "南区", "北区", "花园", "车库", "会所", "广场", "河边", "菜场"]
SOUNDS = ["邻居家鹦鹉天天学狗叫", "八哥一大早就叫个不停", "公鸡凌晨四点打鸣"]
NOISE = [f"{place}{sound}" for place in PLACES for sound in SOUNDS]  # 30 different texts


@pytest.fixture(autouse=True)
def media(settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = tmp_path / "media"
    monkeypatch.setattr(services, "MIN_HELD_BACK", 3)
    # a small starter corpus keeps each training to a second or two
    small = corpus.starter_examples()[::6]
    monkeypatch.setattr(corpus, "starter_examples", lambda: small)
    snapshots_forget()
    yield
    snapshots_forget()


def label(texts: list[str], code: str, actor: object = None) -> None:
    for text in texts:
        services.labelled_example_record(
            actor=actor, title="", text=text, category_code=code, source="correction"
        )


def test_held_back_slice_is_stable_and_about_one_in_five() -> None:
    side = [services.held_back(Example("", t, "x")) for t in NOISE]
    assert side == [services.held_back(Example("", t, "x")) for t in NOISE]
    assert 3 <= sum(side) <= 12


def test_nothing_is_trained_before_enough_new_labels(cast: Cast, settings) -> None:  # type: ignore[no-untyped-def]
    settings.LINLI_TRIAGE_RETRAIN_EVERY = 31
    label(NOISE, "environment.noise", cast.grid_worker)
    assert jobs.run_all(only=["triage.retrain"]) == {"triage.retrain": 0}
    assert not ModelVersion.objects.exists()


def test_worker_retrains_and_switches_when_the_candidate_is_not_worse(cast: Cast, settings) -> None:  # type: ignore[no-untyped-def]
    settings.LINLI_TRIAGE_RETRAIN_EVERY = 30
    label(NOISE, "environment.noise", cast.grid_worker)
    assert jobs.run_all(only=["triage.retrain"]) == {"triage.retrain": 1}
    version = ModelVersion.objects.get()
    assert version.is_active and version.trained_on["automatic"]
    held = version.trained_on["held_back"]
    assert held == sum(services.held_back(Example("", t, "x")) for t in NOISE)
    assert version.trained_on["deployment"] == len(NOISE) - held  # the slice is never trained on
    assert version.metrics["decision"] == "switched"
    assert version.metrics["compared_with"] == 0
    assert version.metrics["accuracy"] >= version.metrics["current_accuracy"]
    assert services.classify(title="", text=NOISE[0]).model_version == 1
    assert AuditEntry.objects.filter(action="triage.model_activated", object_id="1").exists()
    # no new labels since: the next round does nothing
    assert jobs.run_all(only=["triage.retrain"]) == {"triage.retrain": 0}
    assert ModelVersion.objects.count() == 1


def test_a_worse_candidate_is_recorded_but_not_switched_in(
    cast: Cast, settings, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    settings.LINLI_TRIAGE_RETRAIN_EVERY = 30
    label(NOISE, "environment.noise", cast.grid_worker)
    first = services.model_version_retrain(actor=None)
    assert first is not None and first.is_active
    label([f"{place}装修电钻从早响到晚" for place in PLACES] * 3, "environment.noise", cast.grid_worker)

    real_train = classifier.train

    def careless(examples: list[Example]) -> classifier.TextClassifier:
        # a candidate that learnt every label one place off: clearly worse on the held-back slice
        codes = sorted({e.label for e in examples})
        shifted = {code: codes[(i + 1) % len(codes)] for i, code in enumerate(codes)}
        return real_train([Example(e.title, e.text, shifted[e.label], e.weight) for e in examples])

    monkeypatch.setattr(classifier, "train", careless)
    second = services.model_version_retrain(actor=None)
    assert second is not None and second.number == 2
    assert not second.is_active
    assert second.metrics["decision"].startswith("kept")
    assert second.metrics["accuracy"] < second.metrics["current_accuracy"]
    assert ModelVersion.objects.get(is_active=True).number == 1
    assert services.classify(title="", text=NOISE[0]).model_version == 1


def test_rollback_from_the_admin_puts_the_chosen_version_back(client, cast: Cast, settings) -> None:  # type: ignore[no-untyped-def]
    settings.LINLI_TRIAGE_RETRAIN_EVERY = 30
    label(NOISE, "environment.noise")
    services.model_version_retrain(actor=None)
    label([f"{place}装修电钻从早响到晚" for place in PLACES] * 3, "environment.noise")
    assert services.model_version_retrain(actor=None, min_new=1) is not None
    newest = ModelVersion.objects.order_by("-number").first()
    assert newest is not None and newest.number == 2
    services.model_version_activate(actor=None, number=2)

    admin = type(cast.community_worker).objects.create_superuser("triage-admin", password="pw-Triage-2026")
    client.force_login(admin)
    first = ModelVersion.objects.get(number=1)
    response = client.post(
        "/admin/triage/modelversion/",
        {"action": "put_in_use", "_selected_action": [first.pk]},
        follow=True,
    )
    assert response.status_code == 200
    assert ModelVersion.objects.get(is_active=True).number == 1
    assert services.classify(title="", text=NOISE[0]).model_version == 1
    assert LabelledExample.objects.count() == 60  # nothing was lost


def test_a_message_with_two_issues_gets_both_categories() -> None:
    guesses = services.suggest_categories(
        title="",
        text="我家楼道灯坏了一个多月了，晚上上下楼黑乎乎的，物业一直不来修。另外楼下新开的烧烤店油烟直排，熏得我们窗户都不敢开。",
    )
    codes = [g.category_code for g in guesses]
    assert 2 <= len(codes) <= 3
    assert "environment.cooking_fumes" in codes
    assert any(code.startswith("property_management.") for code in codes)
    assert guesses[0].confidence >= max(g.confidence for g in guesses[1:]) or guesses[1].part


def test_a_plain_message_gets_one_category_and_never_more_than_three() -> None:
    guesses = services.suggest_categories(title="", text="老板拖欠我们工地十几个人三个月的工资不给")
    assert [g.category_code for g in guesses] == ["labour_social.wage_arrears"]
    many = "。".join(
        [
            "楼下烧烤店的油烟直接排到我家窗户",
            "老板拖欠我们三个月的工资不给",
            "25路公交车早高峰半小时才来一趟",
            "社区医院的九价疫苗一直约不上",
        ]
    )
    assert len(services.suggest_categories(title="", text=many)) == 3
    assert len(services.suggest_categories(title="", text=many, limit=2)) == 2


def test_staff_get_several_categories_from_the_api(client_for) -> None:  # type: ignore[no-untyped-def]
    response = client_for("community_worker").post(
        "/api/triage/categories",
        data=json.dumps(
            {"title": "", "text": "楼道灯坏了一个多月没人修。另外楼下烧烤店油烟太大，熏得窗户都不敢开。"}
        ),
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["model_version"] == 0
    assert "environment.cooking_fumes" in [c["category_code"] for c in body["categories"]]
    resident = client_for("resident").post(
        "/api/triage/categories", data=json.dumps({"text": "噪音"}), content_type="application/json"
    )
    assert resident.status_code == 403


def test_an_example_added_in_the_admin_goes_through_the_service(client, cast: Cast) -> None:  # type: ignore[no-untyped-def]
    # It was saved as typed: no author (created_by empty), the text untrimmed, and an empty text and title kept.
    client.force_login(cast.admin)
    form = {
        "title": "  楼道灯坏了 ",
        "text": "",
        "category_code": " property_management.shared_areas ",
        "source": "import",
    }
    response = client.post("/admin/triage/labelledexample/add/", form)
    assert response.status_code == 302, response.content.decode()[:2000]
    example = LabelledExample.objects.get()
    assert (example.title, example.category_code) == ("楼道灯坏了", "property_management.shared_areas")
    assert example.created_by == cast.admin
    empty = client.post("/admin/triage/labelledexample/add/", {**form, "title": "", "text": ""})
    assert "样本需要标题或正文" in empty.content.decode()
    assert LabelledExample.objects.count() == 1
