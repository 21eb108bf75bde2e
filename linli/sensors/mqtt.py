"""The MQTT side of sensors: a long-running subscriber that writes what the broker delivers in batches, and a
publisher for the simulated fleet.

The broker is `LINLI_MQTT_URL` (default mqtt://127.0.0.1:1883, a local Mosquitto; `mqtts://user:pass@host:8883`
for a TLS broker such as EMQX). The listener subscribes to `linli/sensors/#` with QoS 1 — with
`--shared GROUP` to `$share/GROUP/linli/sensors/#`, so that several ingest processes on several machines split
the messages between them (MQTT 5 shared subscriptions, which Mosquitto ≥ 2 and EMQX both serve).

Delivery is at least once and the writes make it exactly once in effect:
- the client acknowledges a message (PUBACK, manual_ack) only after the batch holding it has been committed, so a
  process that dies mid-batch has the broker deliver the batch again;
- a message redelivered (same message id, or the same payload under QoS 1 retries) changes nothing: heartbeats
  only move a device's last-seen time forward, and alarm/clear messages carrying an `id` are recorded once
  (services.readings_ingest skips an id already seen), while one open alarm per device and type absorbs the
  rest.
- paho reconnects by itself (1 s, doubling to 30 s) and the listener subscribes again on every connect.

paho's network loop runs in its own thread and only queues messages; every database write happens in the
thread that called `Listener.run`, so the listener works the same in a test's transaction."""

from __future__ import annotations

import json
import logging
import queue
import socket
import threading
import time
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any
from urllib.parse import unquote, urlsplit

import paho.mqtt.client as mqtt
from paho.mqtt.enums import CallbackAPIVersion

from linli.core.env import env_str

from .ingest import TOPIC_PREFIX, decode_line
from .services import IngestResult, readings_ingest

log = logging.getLogger("linli.sensors")

DEFAULT_URL = "mqtt://127.0.0.1:1883"
TOPIC = TOPIC_PREFIX + "#"
BATCH_SIZE = 2000
BATCH_SECONDS = 0.1


@dataclass(frozen=True)
class Broker:
    host: str
    port: int
    username: str | None = None
    password: str | None = None
    tls: bool = False

    @property
    def url(self) -> str:
        return f"{'mqtts' if self.tls else 'mqtt'}://{self.host}:{self.port}"


def broker_url() -> str:
    return env_str("LINLI_MQTT_URL", DEFAULT_URL) or DEFAULT_URL


def broker_from_url(url: str) -> Broker:
    """mqtt://host[:1883] or mqtts://[user:password@]host[:8883]."""
    parts = urlsplit(url if "://" in url else f"mqtt://{url}")
    if parts.scheme not in ("mqtt", "mqtts", "tcp", "ssl"):
        raise ValueError(f"not an MQTT URL: {url}")
    tls = parts.scheme in ("mqtts", "ssl")
    return Broker(
        host=parts.hostname or "127.0.0.1",
        port=parts.port or (8883 if tls else 1883),
        username=unquote(parts.username) if parts.username else None,
        password=unquote(parts.password) if parts.password else None,
        tls=tls,
    )


def broker_reachable(url: str, timeout: float = 1.0) -> bool:
    """Whether something listens at the broker's address (a TCP connect, nothing more)."""
    broker = broker_from_url(url)
    try:
        with socket.create_connection((broker.host, broker.port), timeout=timeout):
            return True
    except OSError:
        return False


def _client(broker: Broker, *, client_id: str, clean: bool, manual_ack: bool = False) -> mqtt.Client:
    client = mqtt.Client(
        CallbackAPIVersion.VERSION2,
        client_id=client_id,
        clean_session=clean,
        protocol=mqtt.MQTTv311,
        manual_ack=manual_ack,
    )
    if broker.username:
        client.username_pw_set(broker.username, broker.password)
    if broker.tls:
        client.tls_set()
    client.reconnect_delay_set(min_delay=1, max_delay=30)
    return client


@dataclass
class Delivered:
    mid: int
    qos: int
    topic: str
    payload: bytes


class Listener:
    """Subscribe (QoS 1, reconnecting) and write what arrives through services.readings_ingest in batches."""

    def __init__(
        self,
        url: str | None = None,
        *,
        client_id: str | None = None,
        shared: str = "",
        batch_size: int = BATCH_SIZE,
        batch_seconds: float = BATCH_SECONDS,
        on_batch: Callable[[IngestResult], None] | None = None,
    ) -> None:
        self.broker = broker_from_url(url or broker_url())
        self.topic = f"$share/{shared}/{TOPIC}" if shared else TOPIC
        self.batch_size = max(1, batch_size)
        self.batch_seconds = batch_seconds
        self.on_batch = on_batch
        self.inbox: queue.Queue[Delivered] = queue.Queue()
        # Alarms overtake the heartbeats queued before them: under a backlog a fire still becomes a work order
        # at once. (Their acknowledgements then go out of arrival order, which brokers accept.)
        self.urgent: queue.Queue[Delivered] = queue.Queue()
        self.connected = threading.Event()
        self.connects = 0
        self.total = IngestResult()
        # A stable id keeps the broker's session (and the QoS 1 messages it queued) across a restart of this
        # process; several processes on one machine each need their own (--client-id).
        self.client = _client(
            self.broker,
            client_id=client_id or f"linli-ingest-{socket.gethostname()}",
            clean=False,
            manual_ack=True,
        )
        self.client.on_connect = self._on_connect
        self.client.on_disconnect = self._on_disconnect
        self.client.on_message = self._on_message
        self.client.on_subscribe = self._on_subscribe

    def _on_connect(self, client: mqtt.Client, _u: Any, _f: Any, reason: Any, _p: Any) -> None:
        if getattr(reason, "is_failure", False):
            log.warning("MQTT connect refused by %s: %s", self.broker.url, reason)
            return
        self.connects += 1
        client.subscribe(self.topic, qos=1)

    def _on_subscribe(self, _c: mqtt.Client, _u: Any, _mid: int, _codes: Any, _p: Any) -> None:
        self.connected.set()  # connected *and* subscribed: from now on the broker routes messages here
        log.info("MQTT connected to %s, subscribed to %s", self.broker.url, self.topic)

    def _on_disconnect(self, _c: mqtt.Client, _u: Any, _f: Any, reason: Any, _p: Any) -> None:
        self.connected.clear()
        log.warning("MQTT disconnected from %s (%s); reconnecting", self.broker.url, reason)

    def _on_message(self, _c: mqtt.Client, _u: Any, message: mqtt.MQTTMessage) -> None:
        item = Delivered(message.mid, message.qos, message.topic, bytes(message.payload))
        (self.urgent if message.topic.endswith("/alarm") else self.inbox).put(item)

    def pending(self) -> int:
        return self.urgent.qsize() + self.inbox.qsize()

    def _take(self, timeout: float) -> Delivered:
        try:
            return self.urgent.get_nowait()
        except queue.Empty:
            return self.inbox.get(timeout=timeout)

    def start(self, *, wait: float = 10.0) -> bool:
        """Connect in the background (paho keeps reconnecting); True when connected within `wait` seconds."""
        self.client.connect_async(self.broker.host, self.broker.port, keepalive=30)
        self.client.loop_start()
        return self.connected.wait(wait)

    def stop(self) -> None:
        self.client.disconnect()
        self.client.loop_stop()

    def _write(self, batch: list[Delivered]) -> IngestResult:
        messages = []
        for item in batch:
            message = decode_line(f"{item.topic} {item.payload.decode('utf-8', 'replace')}")
            if message is not None:
                messages.append(message)
        done = readings_ingest(messages) if messages else IngestResult()
        done.rejected += len(batch) - len(messages)
        for item in batch:  # committed: now the broker may forget them
            if item.qos > 0:
                self.client.ack(item.mid, item.qos)
        _add(self.total, done)
        if self.on_batch is not None:
            self.on_batch(done)
        return done

    def run(
        self,
        *,
        stop: threading.Event | None = None,
        max_messages: int | None = None,
        idle_timeout: float | None = None,
        deadline: float | None = None,
    ) -> IngestResult:
        """Take batches off the inbox until `stop` is set, `max_messages` were written, nothing arrived for
        `idle_timeout` seconds after the first message, or the monotonic `deadline` passed (whichever first)."""
        written = 0
        last_arrival: float | None = None  # idle counts from the first message, not from the start
        while not (stop is not None and stop.is_set()):
            now = time.monotonic()
            if deadline is not None and now >= deadline:
                break
            if idle_timeout is not None and last_arrival is not None and now - last_arrival >= idle_timeout:
                break
            try:
                first = self._take(0.05)
            except queue.Empty:
                continue
            batch = [first]
            started = time.monotonic()
            urgent = first.topic.endswith("/alarm")
            while urgent and not self.urgent.empty():  # alarms go out at once, without waiting for heartbeats
                batch.append(self.urgent.get_nowait())
            while (
                not urgent
                and len(batch) < self.batch_size
                and time.monotonic() - started < self.batch_seconds
            ):
                try:
                    batch.append(self._take(0.01))
                except queue.Empty:
                    if not self.pending() and time.monotonic() - started >= 0.02:
                        break
            last_arrival = time.monotonic()
            self._write(batch)
            written += len(batch)
            if max_messages is not None and written >= max_messages:
                break
        return self.total


def _add(total: IngestResult, done: IngestResult) -> None:
    total.readings += done.readings
    total.heartbeats += done.heartbeats
    total.alarms_opened += done.alarms_opened
    total.alarms_repeated += done.alarms_repeated
    total.cleared += done.cleared
    total.rejected += done.rejected
    total.duplicates += done.duplicates
    total.unknown_devices |= done.unknown_devices
    total.orders.extend(done.orders)


class Publisher:
    """Publishes device messages to `linli/sensors/<code>/<type>` (the simulated fleet, the bench, tests)."""

    def __init__(self, url: str | None = None, *, client_id: str = "") -> None:
        self.broker = broker_from_url(url or broker_url())
        self.client = _client(
            self.broker, client_id=client_id or f"linli-sim-{uuid.uuid4().hex[:8]}", clean=True
        )
        self.client.max_inflight_messages_set(0)  # unbounded: paho slows to ~1,500/s when it must count them
        self.connected = threading.Event()
        self.client.on_connect = lambda *_a: self.connected.set()

    def start(self, *, wait: float = 10.0) -> bool:
        self.client.connect_async(self.broker.host, self.broker.port, keepalive=30)
        self.client.loop_start()
        return self.connected.wait(wait)

    def publish(self, message: dict[str, Any], *, qos: int = 1) -> mqtt.MQTTMessageInfo:
        topic = f"{TOPIC_PREFIX}{message['device']}/{message['type']}"
        return self.client.publish(topic, json.dumps(message, ensure_ascii=False), qos=qos)

    def publish_all(self, messages: Iterable[dict[str, Any]], *, qos: int = 1, timeout: float = 30.0) -> int:
        """Publish every message and wait (at most `timeout` seconds after the last) until all left."""
        last = None
        n = 0
        for message in messages:
            last = self.publish(message, qos=qos)
            n += 1
        if last is not None:
            last.wait_for_publish(timeout=timeout)
        return n

    def stop(self) -> None:
        self.client.disconnect()
        self.client.loop_stop()
