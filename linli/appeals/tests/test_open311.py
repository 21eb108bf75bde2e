"""Open311 GeoReport v2: services, requests POST/GET and one request, in JSON and XML, with keys and jurisdiction."""

from __future__ import annotations

from typing import Any
from xml.etree import ElementTree as ET

import pytest
from django.test import Client
from django.utils import translation

from linli.appeals import services
from linli.appeals.choices import Outcome
from linli.appeals.models import Appeal
from linli.testing import Cast

KEY = "open311-test-key-0123456789"


@pytest.fixture(autouse=True)
def _open311(settings: Any) -> None:
    settings.LINLI_OPEN311_API_KEYS = [KEY]
    settings.LINLI_OPEN311_PUBLIC = False
    settings.LINLI_OPEN311_JURISDICTION = "110199"


def post_request(client: Client, **extra: Any) -> Any:
    data = {
        "api_key": KEY,
        "jurisdiction_id": "110199",
        "service_code": "environment.noise",
        "lat": "39.902",
        "long": "116.402",
        "description": "小区门口的工地每天夜里十二点还在施工，噪音太大睡不着。",
        "first_name": "明",
        "last_name": "王",
        "phone": "13600001234",
    }
    data.update(extra)
    return client.post("/open311/v2/requests.json", data)


def test_services_lists_second_level_categories_grouped(cast: Cast) -> None:
    rows = Client().get("/open311/v2/services.json?jurisdiction_id=110199").json()
    noise = next(r for r in rows if r["service_code"] == "environment.noise")
    assert noise["group"] == "环境保护"
    assert noise["metadata"] is False
    assert noise["type"] == "realtime"
    assert all("." in r["service_code"] for r in rows)
    definition = Client().get("/open311/v2/services/environment.noise.json").json()
    assert definition == {"service_code": "environment.noise", "attributes": []}
    assert Client().get("/open311/v2/services/nope.json").status_code == 404


def test_services_in_xml(cast: Cast) -> None:
    response = Client().get("/open311/v2/services.xml")
    assert response["Content-Type"].startswith("text/xml")
    root = ET.fromstring(response.content)
    assert root.tag == "services"
    codes = [s.findtext("service_code") for s in root.findall("service")]
    assert "environment.noise" in codes


def test_post_creates_an_appeal_and_get_reports_it_open(cast: Cast) -> None:
    client = Client()
    response = post_request(client)
    assert response.status_code == 201
    [created] = response.json()
    appeal = Appeal.objects.get()
    assert created["service_request_id"] == appeal.tracking_number
    assert appeal.channel == "open311"
    assert appeal.contact_name == "王明"
    assert appeal.grid == cast.grid
    [detail] = client.get(f"/open311/v2/requests/{appeal.tracking_number}.json?api_key={KEY}").json()
    assert detail["status"] == "open"
    assert detail["service_code"] == "environment.noise"
    assert detail["lat"] == 39.902 and detail["long"] == 116.402
    assert "13600001234" not in str(detail) and "王明" not in str(detail)
    assert detail["requested_datetime"].endswith("+08:00")


def test_resolved_appeal_is_closed_with_how_it_ended(cast: Cast) -> None:
    appeal = services.appeal_submit(
        actor=cast.resident,
        kind="complaint",
        description="楼道灯坏了一个星期了，晚上很黑。",
        channel="web",
        category_code="property_management.property_service",
        grid=cast.grid,
    )
    services.appeal_acknowledge(actor=cast.grid_worker, appeal=appeal)
    services.appeal_resolve(
        actor=cast.grid_worker,
        appeal=appeal,
        note="不属于网格职责，已告知物业。",
        outcome="not_our_responsibility",
    )
    [row] = Client().get(f"/open311/v2/requests/{appeal.tracking_number}.json?api_key={KEY}").json()
    assert row["status"] == "closed"
    with translation.override("zh-hans"):
        label = str(Outcome.NOT_OUR_RESPONSIBILITY.label)
    assert label in row["status_notes"]  # closed, but visibly not "fixed"
    assert "不属于网格职责" in row["status_notes"]
    assert row["expected_datetime"] is None


def test_get_requests_filters_by_status_and_code(cast: Cast) -> None:
    client = Client()
    post_request(client)
    post_request(
        client, service_code="property_management.property_service", description="电梯坏了三天没人修。"
    )
    open_rows = client.get(f"/open311/v2/requests.json?api_key={KEY}&status=open").json()
    assert len(open_rows) == 2
    noise = client.get(f"/open311/v2/requests.json?api_key={KEY}&service_code=environment.noise").json()
    assert [r["service_code"] for r in noise] == ["environment.noise"]
    assert client.get(f"/open311/v2/requests.json?api_key={KEY}&status=closed").json() == []
    bad = client.get(f"/open311/v2/requests.json?api_key={KEY}&status=pending")
    assert bad.status_code == 400
    assert bad.json()[0]["code"] == 400
    first = open_rows[0]["service_request_id"]
    picked = client.get(f"/open311/v2/requests.json?api_key={KEY}&service_request_id={first}").json()
    assert [r["service_request_id"] for r in picked] == [first]
    old = client.get(f"/open311/v2/requests.json?api_key={KEY}&end_date=2020-01-01T00:00:00Z").json()
    assert old == []


def test_requests_in_xml(cast: Cast) -> None:
    client = Client()
    post_request(client)
    root = ET.fromstring(client.get(f"/open311/v2/requests.xml?api_key={KEY}").content)
    assert root.tag == "service_requests"
    assert root.find("request/status").text == "open"  # type: ignore[union-attr]


def test_api_key_and_jurisdiction_are_enforced(cast: Cast, settings: Any) -> None:
    client = Client()
    refused = post_request(client, api_key="wrong")
    assert refused.status_code == 403
    assert refused.json() == [{"code": 403, "description": refused.json()[0]["description"]}]
    assert client.get("/open311/v2/requests.json").status_code == 403
    assert post_request(client, jurisdiction_id="999999").status_code == 404
    assert Appeal.objects.count() == 0
    settings.LINLI_OPEN311_PUBLIC = True
    assert client.get("/open311/v2/requests.json").status_code == 200


def test_bad_post_is_rejected_clearly(cast: Cast) -> None:
    client = Client()
    no_place = post_request(client, lat="", long="")
    assert no_place.status_code == 400
    bad_phone = post_request(client, phone="12345")
    assert bad_phone.status_code == 400
    assert bad_phone.json()[0]["description"].startswith("contact_phone")
    unknown = post_request(client, service_code="nope.nothing")
    assert unknown.status_code == 404
    too_long = post_request(client, description="吵" * 2001)
    assert too_long.status_code == 400
    assert Appeal.objects.count() == 0


def test_a_long_address_is_refused_with_its_limit_rather_than_cut(cast: Cast) -> None:
    response = post_request(Client(), address_string="和平路" * 70)
    assert response.status_code == 400, response.content
    assert response.json()[0]["description"] == "address: 地址太长：最多 200 个字（您已输入 210 个字）。"
    assert Appeal.objects.count() == 0


def test_contact_fields_are_optional_as_georeport_v2_says(cast: Cast) -> None:
    response = post_request(Client(), phone="", first_name="", last_name="")
    assert response.status_code == 201
    appeal = Appeal.objects.get(tracking_number=response.json()[0]["service_request_id"])
    assert appeal.contact_phone == "" and appeal.contact_name == ""
    assert appeal.unit_name  # routed like any other: a unit and a deadline without a caller to tell


def test_retry_with_one_idempotency_key_creates_one_request(cast: Cast) -> None:
    client = Client(HTTP_IDEMPOTENCY_KEY="open311-retry-0001")
    first = post_request(client).json()[0]["service_request_id"]
    second = post_request(client).json()[0]["service_request_id"]
    assert first == second
    assert Appeal.objects.count() == 1


def test_service_discovery_names_the_endpoint_and_formats(cast: Cast) -> None:
    body = Client().get("/open311/v2/discovery.json").json()
    [endpoint] = body["endpoints"]
    assert endpoint["url"] == "http://testserver/open311/v2/"
    assert endpoint["specification"] == "http://wiki.open311.org/GeoReport_v2"
    assert set(endpoint["formats"]) == {"text/xml", "application/json"}
    root = ET.fromstring(Client().get("/open311/v2/discovery.xml").content)
    assert root.findtext("endpoints/endpoint/url") == "http://testserver/open311/v2/"


def test_the_public_feed_follows_the_public_page_rule_for_sensitive_categories(
    cast: Cast, settings: Any
) -> None:
    wages = post_request(
        Client(),
        service_code="labour_social.wage_arrears",
        description="老板拖欠我三个月工资，我叫王明，身份证在我这。",
    )
    noise = post_request(Client())
    assert wages.status_code == 201 and noise.status_code == 201, wages.content
    settings.LINLI_OPEN311_PUBLIC = True
    public = Client().get("/open311/v2/requests.json").json()
    assert [r["service_code"] for r in public] == ["environment.noise"]
    assert "工地" not in public[0]["description"]  # the category, not the resident's words
    assert public[0]["address"] == ""
    wage_number = Appeal.objects.get(category__code="labour_social.wage_arrears").tracking_number
    assert Client().get(f"/open311/v2/requests/{wage_number}.json").status_code == 404
    # A partner with its key still reads everything, as before.
    keyed = Client().get("/open311/v2/requests.json", {"api_key": KEY}).json()
    assert sorted(r["service_code"] for r in keyed) == ["environment.noise", "labour_social.wage_arrears"]
    assert any("拖欠" in r["description"] for r in keyed)
