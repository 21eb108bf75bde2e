"""Ingest through a real Mosquitto (started by the session fixture): QoS 1, acknowledged after the write,
redeliveries and repeats making one alarm and one work order, reconnecting when the broker restarts."""

from __future__ import annotations

import io
import os
import signal
import threading
import time
import uuid
from typing import Any

import pytest
from django.core.management import call_command

from linli.appeals.models import Appeal
from linli.sensors import mqtt
from linli.sensors.models import Alarm, Device

from .conftest import Mosquitto


def _listener(broker: Mosquitto, client_id: str | None = None) -> mqtt.Listener:
    listener = mqtt.Listener(broker.url, client_id=client_id or f"t-{uuid.uuid4().hex[:8]}")
    assert listener.start(wait=10), "the listener did not connect"
    return listener


def _publisher(broker: Mosquitto) -> mqtt.Publisher:
    publisher = mqtt.Publisher(broker.url)
    assert publisher.start(wait=10)
    return publisher


def _alarm(mid: str) -> dict[str, object]:
    return {"id": mid, "device": "SD-0001", "type": "alarm", "alarm": "smoke", "severity": "critical"}


def test_duplicate_alarm_messages_through_the_broker_make_one_alarm_and_one_work_order(
    mosquitto: Mosquitto, device: Device
) -> None:
    listener, publisher = _listener(mosquitto), _publisher(mosquitto)
    try:
        publisher.publish_all(
            [
                _alarm("m-1"),
                _alarm("m-1"),  # the same message again: a redelivery
                _alarm("m-2"),  # the detector sounding again a moment later
                {"id": "m-3", "device": "SD-0001", "type": "heartbeat", "battery": 88},
            ],
            timeout=10,
        )
        total = listener.run(max_messages=4, deadline=time.monotonic() + 15)
    finally:
        publisher.stop()
        listener.stop()
    assert total.readings == 4
    assert (total.alarms_opened, total.alarms_repeated, total.duplicates) == (1, 1, 1)
    alarm = Alarm.objects.get()
    assert alarm.messages == 2
    assert Appeal.objects.filter(channel="sensor").count() == 1
    assert Appeal.objects.get(channel="sensor").tracking_number == alarm.appeal_number
    device.refresh_from_db()
    assert device.battery_pct == 88 and device.last_seen_at is not None


def test_a_message_taken_but_not_written_is_delivered_again_to_the_next_process(
    mosquitto: Mosquitto, device: Device
) -> None:
    """The first process receives the alarm and dies before writing it (no acknowledgement); the broker keeps
    the session, and the next process with the same client id gets the alarm and writes it once."""
    client_id = f"t-{uuid.uuid4().hex[:8]}"
    first = _listener(mosquitto, client_id)
    publisher = _publisher(mosquitto)
    publisher.publish_all([_alarm("r-1")], timeout=10)
    publisher.stop()
    deadline = time.monotonic() + 10
    while not first.pending() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert first.pending(), "the first process never received the alarm"
    first.client.loop_stop()
    first.client.socket().close()  # killed: no acknowledgement, no clean disconnect
    first.heartbeats.stop()
    assert not Alarm.objects.exists()

    second = _listener(mosquitto, client_id)
    try:
        total = second.run(max_messages=1, deadline=time.monotonic() + 15)
    finally:
        second.stop()
    assert total.alarms_opened == 1
    assert Alarm.objects.get().appeal_number


def test_the_listener_reconnects_when_the_broker_restarts(mosquitto: Mosquitto, device: Device) -> None:
    listener = _listener(mosquitto)
    try:
        mosquitto.stop()
        deadline = time.monotonic() + 10
        while listener.connected.is_set() and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not listener.connected.is_set()
        mosquitto.start()
        assert listener.connected.wait(40), "the listener did not reconnect"
        assert listener.connects == 2
        publisher = _publisher(mosquitto)
        publisher.publish_all([_alarm("after-restart")], timeout=10)
        publisher.stop()
        total = listener.run(max_messages=1, deadline=time.monotonic() + 15)
    finally:
        listener.stop()
    assert total.alarms_opened == 1
    assert Alarm.objects.filter(device=device, state="active").count() == 1


def test_simulate_publishes_the_fleet_through_the_broker(mosquitto: Mosquitto, device: Device) -> None:
    listener = _listener(mosquitto)
    try:
        call_command("sensors", "simulate", "--devices", "5", "--alarm-rate", "1", "--url", mosquitto.url)
        # One device: a heartbeat and an alarm sent twice.
        total = listener.run(max_messages=3, deadline=time.monotonic() + 15)
    finally:
        listener.stop()
    assert (total.heartbeats, total.alarms_opened, total.alarms_repeated) == (1, 1, 1)
    assert Appeal.objects.filter(channel="sensor").count() == 1


def test_broker_url_is_read_with_its_credentials() -> None:
    broker = mqtt.broker_from_url("mqtts://ingest:s%40cret@emqx.example.org")
    assert (broker.host, broker.port, broker.tls) == ("emqx.example.org", 8883, True)
    assert (broker.username, broker.password) == ("ingest", "s@cret")
    assert mqtt.broker_from_url("127.0.0.1:1884").port == 1884
    assert not mqtt.broker_reachable("mqtt://127.0.0.1:1", timeout=0.2)


@pytest.mark.parametrize(
    ("env", "args", "said"),
    [
        ("foo://x", [], "LINLI_MQTT_URL 不是 MQTT 服务器地址（“foo://x”）"),
        (
            "",
            ["--url", "mqtts://ingest:s3cret@emqx:port"],
            "--url 不是 MQTT 服务器地址（“mqtts://ingest:***@emqx:port”）",
        ),
        ("mqtt://[broken", [], "LINLI_MQTT_URL 不是 MQTT 服务器地址"),
    ],
)
def test_listen_refuses_an_address_that_is_not_mqtt_in_one_chinese_line(
    monkeypatch: pytest.MonkeyPatch, env: str, args: list[str], said: str
) -> None:
    monkeypatch.setenv("LINLI_MQTT_URL", env)
    err = io.StringIO()
    with pytest.raises(SystemExit) as exit:
        call_command("sensors", "listen", *args, stderr=err)
    assert exit.value.code == 2
    lines = err.getvalue().strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(said) and "mqtt://主机:1883" in lines[0]
    assert "s3cret" not in lines[0]


def test_listen_says_in_chinese_where_it_listens_and_what_it_wrote(
    mosquitto: Mosquitto, device: Device, monkeypatch: pytest.MonkeyPatch
) -> None:
    out, err = io.StringIO(), io.StringIO()
    url = mosquitto.url.replace("mqtt://", "mqtt://ingest:s3cret@")  # the password is never printed
    handlers = {sig: signal.getsignal(sig) for sig in (signal.SIGINT, signal.SIGTERM)}
    written = threading.Event()
    ingest = mqtt.readings_ingest

    def readings_ingest(*args: Any, **kwargs: Any) -> mqtt.IngestResult:
        done = ingest(*args, **kwargs)
        if done.alarms_opened:
            written.set()
        return done

    monkeypatch.setattr(mqtt, "readings_ingest", readings_ingest)

    def publish_then_stop() -> None:
        publisher = _publisher(mosquitto)
        try:
            time.sleep(1)  # the listener has subscribed
            publisher.publish_all([_alarm(uuid.uuid4().hex)], qos=1)
        finally:
            publisher.stop()
        written.wait(15)
        os.kill(os.getpid(), signal.SIGINT)  # as Ctrl-C: the command stops and says what it wrote

    helper = threading.Thread(target=publish_then_stop)
    try:
        helper.start()
        call_command("sensors", "listen", "--url", url, stdout=out, stderr=err)
    finally:
        helper.join()
        for sig, handler in handlers.items():
            signal.signal(sig, handler)
    said = out.getvalue()
    assert f"正在接收 {mosquitto.url} 的消息，主题 linli/sensors/#。" in said
    assert "已停止：写入 1 条读数，新开 1 条告警，跳过 0 条重复消息。" in said
    assert "s3cret" not in said + err.getvalue() and err.getvalue() == ""


def test_listen_tells_in_chinese_when_the_broker_does_not_answer_yet(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(mqtt.Listener, "start", lambda self, wait: False)
    monkeypatch.setattr(mqtt.Listener, "run", lambda self, stop: mqtt.IngestResult())
    out, err = io.StringIO(), io.StringIO()
    call_command("sensors", "listen", "--url", "mqtt://127.0.0.1:1", stdout=out, stderr=err)
    assert err.getvalue().strip() == "MQTT 服务器 mqtt://127.0.0.1:1 暂未应答，正在后台重试。"
    out = io.StringIO()
    call_command("sensors", "listen", "--url", "mqtt://127.0.0.1:1", "--if-reachable", stdout=out)
    assert out.getvalue().strip() == "mqtt://127.0.0.1:1 上没有 MQTT 服务器：传感器接入未启动。"
