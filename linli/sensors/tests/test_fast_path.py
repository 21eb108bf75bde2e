"""The fast paths of ingest: MQTT packets cut from a byte stream, heartbeats decoded in bulk, alarms written ahead of
a heartbeat backlog, shared subscriptions splitting the load between listeners."""

from __future__ import annotations

import json
import time
import uuid

from linli.appeals.models import Appeal
from linli.sensors import mqtt, services, wire
from linli.sensors.models import Alarm, Device
from linli.sensors.services import IngestResult

from .conftest import Mosquitto


def _packets(*messages: tuple[str, bytes]) -> bytes:
    return b"".join(wire.publish(topic, payload) for topic, payload in messages)


def test_packets_are_cut_from_a_stream_split_anywhere() -> None:
    big = b"x" * 300  # a remaining length of two bytes
    stream = _packets(("linli/sensors/A/heartbeat", b"{}"), ("linli/sensors/B/heartbeat", big))
    stream += wire.publish("linli/sensors/C/alarm", b'{"type":"alarm"}', qos=1, mid=513)
    for cut in range(1, len(stream)):
        reader = wire.Packets()
        got = reader.feed(stream[:cut]) + reader.feed(stream[cut:])
        assert [wire.split_publish(h, b) for h, b in got] == [
            ("linli/sensors/A/heartbeat", 0, b"{}"),
            ("linli/sensors/B/heartbeat", 0, big),
            ("linli/sensors/C/alarm", 513, b'{"type":"alarm"}'),
        ]
        assert reader.buffer == b""


def test_heartbeats_are_decoded_in_bulk_and_one_by_one_when_a_payload_is_bad() -> None:
    good = [
        ("linli/sensors/SD-1/heartbeat", b'{"battery": 80}'),
        ("linli/sensors/SD-2/heartbeat", b'{"device": "SD-9", "type": "heartbeat"}'),
    ]
    packets = wire.Packets().feed(_packets(*good))
    assert mqtt.decode_bulk(packets) == [
        {"battery": 80, "device": "SD-1", "type": "heartbeat"},  # the code from the topic
        {"device": "SD-9", "type": "heartbeat"},
    ]
    # A payload that is not JSON, and one that would split into two values inside the bulk array.
    bad = wire.Packets().feed(_packets(good[0], ("linli/sensors/SD-3/heartbeat", b"1, 2"), ("x/y", b"{")))
    assert mqtt.decode_bulk(bad) == [{"battery": 80, "device": "SD-1", "type": "heartbeat"}]


def test_device_codes_are_looked_up_once_then_remembered(device: Device, django_assert_num_queries) -> None:  # type: ignore[no-untyped-def]
    codes = services.DeviceCodes()
    beat = {"device": "SD-0001", "type": "heartbeat", "battery": 70}
    services.readings_ingest([beat], codes=codes)
    with django_assert_num_queries(3):  # the update in its savepoint; no look-up of the device
        result = services.readings_ingest([beat, beat], codes=codes)
    assert result.heartbeats == 2
    with django_assert_num_queries(4):  # an unknown code is looked up (it may have been registered since)
        result = services.readings_ingest([beat, {**beat, "device": "NOPE"}], codes=codes)
    assert (result.heartbeats, result.unknown_devices) == (1, {"NOPE"})
    device.refresh_from_db()
    assert device.battery_pct == 70


def _listener(broker: Mosquitto, **kwargs: object) -> mqtt.Listener:
    listener = mqtt.Listener(broker.url, client_id=f"t-{uuid.uuid4().hex[:8]}", **kwargs)  # type: ignore[arg-type]
    assert listener.start(wait=10), "the listener did not connect"
    return listener


def _wait(condition: object, seconds: float = 20) -> None:
    deadline = time.monotonic() + seconds
    while not condition() and time.monotonic() < deadline:  # type: ignore[operator]
        time.sleep(0.02)
    assert condition(), "timed out"  # type: ignore[operator]


def _heartbeats(n: int) -> list[dict[str, object]]:
    return [{"device": "SD-0001", "type": "heartbeat", "battery": 90, "ts": time.time()} for _ in range(n)]


def test_an_alarm_is_ordered_before_a_backlog_of_heartbeats_is_written(
    mosquitto: Mosquitto, device: Device
) -> None:
    listener = _listener(mosquitto, batch_size=1000)
    publisher = mqtt.Publisher(mosquitto.url)
    assert publisher.start(wait=10)
    written: list[
        tuple[int, int]
    ] = []  # (heartbeats written so far, work orders opened so far) after each batch

    def on_batch(done: IngestResult) -> None:
        beats, orders = written[-1] if written else (0, 0)
        written.append((beats + done.heartbeats, orders + len(done.orders)))

    listener.on_batch = on_batch
    # The writer is behind: the listener holds 5,000 heartbeats and stops reading, the rest waits in the broker.
    listener.heartbeats.limit = 5_000
    try:
        publisher.publish_all(_heartbeats(10_000), timeout=10)
        _wait(lambda: listener.pending() >= 5_000)
        publisher.publish_all(
            [{"id": "f-1", "device": "SD-0001", "type": "alarm", "alarm": "smoke"}], timeout=10
        )
        _wait(lambda: not listener.urgent.empty())  # the alarm got past the heartbeats published before it
        assert listener.heartbeats.queued < 10_000
        total = listener.run(max_messages=10_001, deadline=time.monotonic() + 60)
    finally:
        publisher.stop()
        listener.stop()
    assert (total.heartbeats, total.alarms_opened) == (10_000, 1)
    first_order = next(beats for beats, orders in written if orders)
    assert first_order == 0, f"the alarm waited for {first_order} heartbeats"
    assert Alarm.objects.get().appeal_number


def test_listeners_in_a_shared_subscription_split_the_messages(mosquitto: Mosquitto, device: Device) -> None:
    group = f"g{uuid.uuid4().hex[:6]}"
    first, second = _listener(mosquitto, shared=group), _listener(mosquitto, shared=group)
    publisher = mqtt.Publisher(mosquitto.url)
    assert publisher.start(wait=10)
    try:
        alarm = {"id": "s-1", "device": "SD-0001", "type": "alarm", "alarm": "smoke"}
        publisher.publish_all([*_heartbeats(2_000), alarm], timeout=10)
        _wait(lambda: first.pending() + second.pending() >= 2_001)
        totals = [
            listener.run(max_messages=listener.pending(), deadline=time.monotonic() + 30)
            for listener in (first, second)
        ]
    finally:
        publisher.stop()
        first.stop()
        second.stop()
    assert all(t.heartbeats > 0 for t in totals), [t.heartbeats for t in totals]
    assert sum(t.heartbeats for t in totals) == 2_000
    assert sum(t.alarms_opened for t in totals) == 1
    assert Appeal.objects.filter(channel="sensor").count() == 1
    assert (
        json.loads(json.dumps(totals[0].orders + totals[1].orders))[0][1] == Alarm.objects.get().appeal_number
    )


def test_each_path_can_run_in_a_process_of_its_own(mosquitto: Mosquitto, device: Device) -> None:
    alarms, beats = _listener(mosquitto, only="alarms"), _listener(mosquitto, only="heartbeats")
    publisher = mqtt.Publisher(mosquitto.url)
    assert publisher.start(wait=10)
    try:
        alarm = {"id": "o-1", "device": "SD-0001", "type": "alarm", "alarm": "smoke"}
        publisher.publish_all([*_heartbeats(300), alarm], timeout=10)
        _wait(lambda: beats.pending() >= 300 and alarms.pending() >= 1)
        time.sleep(0.2)  # anything misrouted would have arrived by now
        assert (alarms.pending(), beats.pending()) == (1, 300)
        assert not alarms.heartbeats.thread.is_alive() and beats.client.socket() is None
        assert alarms.run(max_messages=1, deadline=time.monotonic() + 15).alarms_opened == 1
        assert beats.run(max_messages=300, deadline=time.monotonic() + 15).heartbeats == 300
    finally:
        publisher.stop()
        alarms.stop()
        beats.stop()
    assert Alarm.objects.get().appeal_number
