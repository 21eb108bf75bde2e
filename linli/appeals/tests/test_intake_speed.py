"""Intake stays cheap (bench/intake.py, docs/figures.md): a bounded number of queries per submission, the
comparison with open appeals and the text messages left to the worker."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.db import connection
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext

from linli.appeals.models import Appeal, DuplicateSuggestion
from linli.appeals.tests.factories import classifier_says, submit
from linli.core import sms
from linli.core.models import OutboxMessage, OutboxStatus
from linli.core.outbox import outbox_deliver_due
from linli.testing import Cast

# What a guest's submission through the API costs, all included: the Idempotency-Key's record, the guest limits,
# the appeal, its trace (submitted, classified, dispatched), the check that the number proved itself, the staff's
# inbox entry, and the answer (the appeal read back with its trace). Raise it only with a reason in the commit.
API_SUBMIT_MAX_QUERIES = 31


def _post(client: Client, cast: Cast, n: int) -> Any:
    body = {
        "kind": "complaint",
        "title": "楼道灯坏了",
        "description": f"3号楼2单元楼道灯坏了一个星期了，晚上很黑，老人上下楼不安全。第{n}次反映。",
        "channel": "web",
        "lng": cast.grid.centroid_lng,
        "lat": cast.grid.centroid_lat,
        "contact_phone": f"1390000{n:04d}",
    }
    return client.post(
        "/api/appeals/",
        json.dumps(body),
        content_type="application/json",
        headers={"Idempotency-Key": f"k{n}"},
    )


def test_a_guest_submission_through_the_api_runs_a_bounded_number_of_queries(
    cast: Cast, monkeypatch: pytest.MonkeyPatch
) -> None:
    classifier_says(monkeypatch, "property_management.property_service", 0.97)
    client = Client()
    assert _post(client, cast, 1).status_code == 201  # the catalogue and grids are read once per process
    with CaptureQueriesContext(connection) as queries:
        response = _post(client, cast, 2)
    assert response.status_code == 201
    assert response.json()["category_code"] == "property_management.property_service"
    assert len(queries) <= API_SUBMIT_MAX_QUERIES, "\n".join(q["sql"][:120] for q in queries)
    # No comparison with the open appeals inside the request (the candidates' look-up filters on a bounding box
    # of positions): the first appeal is a candidate of the second, but not yet a suggestion.
    assert not any('"appeals_appeal"."lat" BETWEEN' in q["sql"] for q in queries)
    assert not DuplicateSuggestion.objects.exists()
    assert Appeal.objects.filter(duplicates_pending=True).count() == 2


@override_settings(LINLI_SMS_BACKEND="locmem")
def test_the_text_messages_of_intake_are_sent_by_the_worker_not_by_the_request(
    cast: Cast, django_capture_on_commit_callbacks: Any
) -> None:
    sms.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        appeal = submit(cast, actor=cast.resident)
    # The resident's number proved itself: "received" and "dispatched" are written, and not sent by the request.
    texts = OutboxMessage.objects.filter(recipient=cast.resident.phone, channel="sms")
    assert texts.count() == 2
    assert set(texts.values_list("status", flat=True)) == {OutboxStatus.PENDING}
    assert sms.outbox == []
    assert outbox_deliver_due() == 2  # the worker's outbox job
    assert [m.phone for m in sms.outbox] == [cast.resident.phone] * 2
    assert all(appeal.tracking_number in m.text for m in sms.outbox)


@override_settings(LINLI_SMS_BACKEND="locmem")
def test_later_changes_are_still_sent_right_after_their_commit(
    cast: Cast, django_capture_on_commit_callbacks: Any
) -> None:
    from linli.appeals import services

    appeal = submit(cast, actor=cast.resident)
    sms.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.appeal_acknowledge(actor=cast.grid_worker, appeal=appeal)
    assert [m.phone for m in sms.outbox] == [cast.resident.phone]
