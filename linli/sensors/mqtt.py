"""The MQTT side of sensors: a long-running subscriber that writes what the broker delivers in batches, and a
publisher for the simulated fleet.

The broker is `LINLI_MQTT_URL` (default mqtt://127.0.0.1:1883, a local Mosquitto; `mqtts://user:pass@host:8883`
for a TLS broker such as EMQX). Devices publish to `linli/sensors/<code>/<type>` (type heartbeat, alarm or
clear). The listener holds two connections, so that an alarm never queues behind heartbeats — not in the
broker, not in a socket, not in this process:

- alarms and clears: `linli/sensors/+/alarm` and `+/clear`, QoS 1, through paho-mqtt, written at once and one
  by one ahead of any heartbeat batch;
- heartbeats: `linli/sensors/+/heartbeat`, QoS 0, through a lean reader of its own (linli.sensors.wire) that
  reads whole socket buffers in a thread and queues the packets; the writer decodes them in bulk (one
  json.loads per batch) and writes each device's newest last-seen time once per batch (one statement).
  A lost heartbeat is replaced by the next one, which is why QoS 0 is enough for them.

With `--shared GROUP` both subscribe as `$share/GROUP/…`, so that several ingest processes on several machines
split the messages between them (shared subscriptions, which Mosquitto ≥ 2 and EMQX both serve).

Alarms are delivered at least once and the writes make them exactly once in effect:
- the client acknowledges an alarm (PUBACK, manual_ack) only after it has been committed, so a process that dies
  mid-write has the broker deliver it again;
- a redelivered message changes nothing: alarm/clear messages carrying an `id` are recorded once
  (services.readings_ingest skips an id already seen), and one open alarm per device and type absorbs the rest;
  heartbeats only move a device's last-seen time forward.
- both connections reconnect by themselves (1 s, doubling to 30 s) and subscribe again on every connect.

The network threads only queue; every database write happens in the thread that called `Listener.run`, so the
listener works the same in a test's transaction."""

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

from linli.core.env import SettingError, env_str, gettext_noop, without_password

from . import wire
from .ingest import TOPIC_PREFIX, decode_line
from .services import DeviceCodes, IngestResult, readings_ingest

log = logging.getLogger("linli.sensors")

DEFAULT_URL = "mqtt://127.0.0.1:1883"
TOPIC = TOPIC_PREFIX + "#"
HEARTBEAT_TOPIC = TOPIC_PREFIX + "+/heartbeat"
URGENT_TOPICS = (TOPIC_PREFIX + "+/alarm", TOPIC_PREFIX + "+/clear")
BATCH_SIZE = 5000
BATCH_SECONDS = 0.05
NOT_AN_MQTT_URL = gettext_noop(
    "%(name)s is not an MQTT broker address (“%(value)s”): write it as mqtt://HOST:1883, or "
    "mqtts://USER:PASSWORD@HOST:8883 for a TLS broker."
)


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


def broker_from_url(url: str, *, name: str = "LINLI_MQTT_URL") -> Broker:
    """mqtt://host[:1883] or mqtts://[user:password@]host[:8883]; anything else is a SettingError naming `name`
    (the variable or option it came from), with the password left out."""
    refusal = SettingError(NOT_AN_MQTT_URL, name=name, value=without_password(url))
    try:
        parts = urlsplit(url if "://" in url else f"mqtt://{url}")
        port = parts.port
    except ValueError as exc:  # a port that is not a number from 0 to 65535, a broken [IPv6] host
        raise refusal from exc
    if parts.scheme not in ("mqtt", "mqtts", "tcp", "ssl"):
        raise refusal
    tls = parts.scheme in ("mqtts", "ssl")
    return Broker(
        host=parts.hostname or "127.0.0.1",
        port=port or (8883 if tls else 1883),
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


def _payload(header: int, body: bytes) -> bytes:
    size = (body[0] << 8) | body[1]
    return body[2 + size + (2 if header & 0x06 else 0) :]


def decode_bulk(packets: list[tuple[int, bytes]]) -> list[dict[str, Any]]:
    """PUBLISH packets' JSON payloads as reading dicts, in one json.loads of them all (~4× faster than one call a
    message); when that fails (a payload is not JSON) or does not give one value a payload, one by one."""
    payloads = [_payload(header, body) for header, body in packets]
    try:
        values = json.loads(b"[" + b",".join(payloads) + b"]")
    except ValueError:
        values = None
    if not isinstance(values, list) or len(values) != len(payloads):
        values = []
        for payload in payloads:
            try:
                values.append(json.loads(payload))
            except ValueError:
                values.append(None)
    out = []
    for (header, body), value in zip(packets, values, strict=True):
        if not isinstance(value, dict):
            continue
        if not value.get("device"):  # the code from the topic linli/sensors/<code>/heartbeat
            topic = wire.split_publish(header, body)[0]
            if not topic.startswith(TOPIC_PREFIX):
                continue
            value["device"] = topic[len(TOPIC_PREFIX) :].split("/", 1)[0]
        value.setdefault("type", "heartbeat")
        out.append(value)
    return out


class HeartbeatReader:
    """The heartbeat path's network side: its own connection (clean session, QoS 0) and a thread that reads whole
    socket buffers and queues their PUBLISH packets, a list a read; reconnecting (1 s, doubling to 30 s). While
    more than `limit` messages wait for the writer it stops reading, and the rest waits in the broker."""

    def __init__(
        self,
        broker: Broker,
        topic: str,
        *,
        client_id: str,
        on_state: Callable[[bool], None],
        limit: int = 200_000,
        keepalive: int = 30,
    ) -> None:
        self.broker, self.topic, self.client_id = broker, topic, client_id
        self.on_state, self.limit, self.keepalive = on_state, limit, keepalive
        self.inbox: queue.Queue[list[tuple[int, bytes]]] = queue.Queue()
        self.queued = 0
        self.connects = 0
        self._lock = threading.Lock()
        self.stopping = threading.Event()
        self.thread = threading.Thread(target=self._loop, name="linli-mqtt-heartbeats", daemon=True)

    def start(self) -> None:
        self.thread.start()

    def stop(self) -> None:
        self.stopping.set()
        if self.thread.is_alive():
            self.thread.join(timeout=5)

    def taken(self, n: int) -> None:
        with self._lock:
            self.queued -= n

    def wake(self) -> None:
        """An empty list: the writer waiting on the inbox looks at the alarms at once."""
        self.inbox.put([])

    def _loop(self) -> None:
        delay = 1.0
        while not self.stopping.is_set():
            conn = wire.Connection(
                self.broker.host,
                self.broker.port,
                client_id=self.client_id,
                username=self.broker.username,
                password=self.broker.password,
                tls=self.broker.tls,
                keepalive=self.keepalive,
            )
            try:
                conn.open()
                conn.subscribe([(self.topic, 0)])
                self.connects += 1
                delay = 1.0
                self.on_state(True)
                self._read(conn)
            except (OSError, ConnectionError) as error:
                if not self.stopping.is_set():
                    log.warning(
                        "MQTT heartbeat connection to %s lost (%s); reconnecting", self.broker.url, error
                    )
            finally:
                conn.close()
                self.on_state(False)
            self.stopping.wait(delay)
            delay = min(delay * 2, 30.0)

    def _read(self, conn: wire.Connection) -> None:
        heard = time.monotonic()
        while not self.stopping.is_set():
            conn.ping_if_due()
            if self.queued > self.limit:
                time.sleep(0.01)
                heard = time.monotonic()
                continue
            packets = conn.read(0.5)
            if not packets:
                if time.monotonic() - heard > self.keepalive * 1.5:
                    raise ConnectionError("the broker has not answered for 1.5 keepalives")
                continue
            heard = time.monotonic()
            publishes = [p for p in packets if p[0] & 0xF0 == wire.PUBLISH]
            if publishes:
                with self._lock:
                    self.queued += len(publishes)
                self.inbox.put(publishes)


class Listener:
    """Subscribe (alarms QoS 1 through paho, heartbeats QoS 0 through HeartbeatReader, both reconnecting) and
    write what arrives through services.readings_ingest: alarms first and at once, heartbeats in batches."""

    def __init__(
        self,
        url: str | None = None,
        *,
        client_id: str | None = None,
        shared: str = "",
        batch_size: int = BATCH_SIZE,
        batch_seconds: float = BATCH_SECONDS,
        on_batch: Callable[[IngestResult], None] | None = None,
        only: str = "",
    ) -> None:
        if only not in ("", "alarms", "heartbeats"):
            raise ValueError(f"only alarms or heartbeats, not {only!r}")
        self.broker = broker_from_url(url or broker_url())
        share = f"$share/{shared}/" if shared else ""
        self.topic = share + TOPIC
        self.urgent_topics = [share + t for t in URGENT_TOPICS]
        self.batch_size = max(1, batch_size)
        self.batch_seconds = batch_seconds
        self.on_batch = on_batch
        self.codes = DeviceCodes()
        self.urgent: queue.Queue[Delivered] = queue.Queue()
        self.connected = threading.Event()
        # `only`: one path in this process, the other in another (`linli sensors listen --only …`), so that the
        # alarms' writes never share an interpreter (and its GIL) with heartbeat batches.
        self.paths = {"alarms": {"urgent"}, "heartbeats": {"heartbeats"}}.get(only, {"urgent", "heartbeats"})
        self._up = dict.fromkeys(self.paths, False)
        self.connects = 0
        self.total = IngestResult()
        # A stable id keeps the broker's session (and the QoS 1 alarms it queued) across a restart of this
        # process; several processes on one machine each need their own (--client-id). The heartbeat connection
        # keeps no session: its id only has to be unique.
        client_id = client_id or f"linli-ingest-{socket.gethostname()}"
        self.client = _client(self.broker, client_id=client_id, clean=False, manual_ack=True)
        self.client.on_connect = self._on_connect
        self.client.on_disconnect = self._on_disconnect
        self.client.on_message = self._on_message
        self.client.on_subscribe = self._on_subscribe
        self.heartbeats = HeartbeatReader(
            self.broker,
            share + HEARTBEAT_TOPIC,
            client_id=f"{client_id}-hb-{uuid.uuid4().hex[:6]}",
            on_state=lambda up: self._state("heartbeats", up),
        )

    def _state(self, path: str, up: bool) -> None:
        if path not in self._up:
            return
        self._up[path] = up
        if all(self._up.values()):
            self.connected.set()
        else:
            self.connected.clear()

    def _on_connect(self, client: mqtt.Client, _u: Any, _f: Any, reason: Any, _p: Any) -> None:
        if getattr(reason, "is_failure", False):
            log.warning("MQTT connect refused by %s: %s", self.broker.url, reason)
            return
        self.connects += 1
        client.subscribe([(topic, 1) for topic in self.urgent_topics])

    def _on_subscribe(self, _c: mqtt.Client, _u: Any, _mid: int, _codes: Any, _p: Any) -> None:
        self._state("urgent", True)  # connected *and* subscribed: from now on the broker routes alarms here
        log.info("MQTT connected to %s, subscribed to %s", self.broker.url, self.topic)

    def _on_disconnect(self, _c: mqtt.Client, _u: Any, _f: Any, reason: Any, _p: Any) -> None:
        self._state("urgent", False)
        log.warning("MQTT disconnected from %s (%s); reconnecting", self.broker.url, reason)

    def _on_message(self, _c: mqtt.Client, _u: Any, message: mqtt.MQTTMessage) -> None:
        self.urgent.put(Delivered(message.mid, message.qos, message.topic, bytes(message.payload)))
        self.heartbeats.wake()

    def pending(self) -> int:
        return self.urgent.qsize() + self.heartbeats.queued

    def start(self, *, wait: float = 10.0) -> bool:
        """Connect in the background (both paths keep reconnecting); True when both are subscribed within
        `wait` seconds."""
        if "urgent" in self.paths:
            self.client.connect_async(self.broker.host, self.broker.port, keepalive=30)
            self.client.loop_start()
        if "heartbeats" in self.paths:
            self.heartbeats.start()
        return self.connected.wait(wait)

    def stop(self) -> None:
        if "urgent" in self.paths:
            self.client.disconnect()
            self.client.loop_stop()
        self.heartbeats.stop()

    def _done(self, done: IngestResult) -> IngestResult:
        self.total.add(done)
        if self.on_batch is not None:
            self.on_batch(done)
        return done

    def _write(self, batch: list[Delivered]) -> IngestResult:
        """Alarms and clears, committed, then acknowledged (now the broker may forget them)."""
        messages = []
        for item in batch:
            message = decode_line(f"{item.topic} {item.payload.decode('utf-8', 'replace')}")
            if message is not None:
                messages.append(message)
        done = readings_ingest(messages, codes=self.codes) if messages else IngestResult()
        done.rejected += len(batch) - len(messages)
        for item in batch:
            if item.qos > 0:
                self.client.ack(item.mid, item.qos)
        return self._done(done)

    def _write_heartbeats(self, packets: list[tuple[int, bytes]]) -> IngestResult:
        messages = decode_bulk(packets)
        done = readings_ingest(messages, codes=self.codes) if messages else IngestResult()
        done.readings += len(packets) - len(messages)
        done.rejected += len(packets) - len(messages)
        self.heartbeats.taken(len(packets))
        return self._done(done)

    def _alarms(self) -> list[Delivered]:
        batch = []
        while True:
            try:
                batch.append(self.urgent.get_nowait())
            except queue.Empty:
                return batch

    def _heartbeat_batch(self, timeout: float) -> list[tuple[int, bytes]]:
        """Whatever heartbeats wait, up to batch_size (a little more), gathering for at most batch_seconds;
        [] after `timeout` without any, or at once when an alarm arrives."""
        inbox = self.heartbeats.inbox
        try:
            batch = list(inbox.get(timeout=timeout))
        except queue.Empty:
            return []
        started = time.monotonic()
        while len(batch) < self.batch_size and self.urgent.empty():
            try:
                batch.extend(inbox.get_nowait())
            except queue.Empty:
                if time.monotonic() - started >= self.batch_seconds:
                    break
                time.sleep(0.002)
        return batch

    def run(
        self,
        *,
        stop: threading.Event | None = None,
        max_messages: int | None = None,
        idle_timeout: float | None = None,
        deadline: float | None = None,
    ) -> IngestResult:
        """Write what arrives — waiting alarms first, each time, then a batch of heartbeats — until `stop` is set,
        `max_messages` were written, nothing arrived for `idle_timeout` seconds after the first message, or the
        monotonic `deadline` passed (whichever first)."""
        written = 0
        last_arrival: float | None = None  # idle counts from the first message, not from the start
        while not (stop is not None and stop.is_set()):
            now = time.monotonic()
            if deadline is not None and now >= deadline:
                break
            if idle_timeout is not None and last_arrival is not None and now - last_arrival >= idle_timeout:
                break
            alarms = self._alarms()
            if alarms:
                self._write(alarms)
                written += len(alarms)
                last_arrival = time.monotonic()
            else:
                beats = self._heartbeat_batch(0.05)
                if not beats:
                    continue
                self._write_heartbeats(beats)
                written += len(beats)
                last_arrival = time.monotonic()
            if max_messages is not None and written >= max_messages:
                break
        return self.total


class Publisher:
    """Publishes device messages to `linli/sensors/<code>/<type>` (the simulated fleet, the bench, tests), one
    reading a message as devices send them, without paho (whose ~1,300 messages/s here made the simulator the
    bench's ceiling): heartbeats go out with QoS `qos` (0 by default) on one connection, a thousand pre-encoded
    PUBLISH packets a write; alarms and clears with QoS 1 on a second connection, each written at once — as a
    real detector has its own connection, an alarm never waits behind other devices' heartbeats."""

    def __init__(self, url: str | None = None, *, client_id: str = "") -> None:
        self.broker = broker_from_url(url or broker_url())
        name = client_id or f"linli-sim-{uuid.uuid4().hex[:8]}"
        self.bulk, self.alarms = (self._connection(f"{name}-{path}") for path in ("hb", "alarm"))
        self._mid = 0
        self.unacked: dict[wire.Connection, set[int]] = {self.bulk: set(), self.alarms: set()}

    def _connection(self, client_id: str) -> wire.Connection:
        b = self.broker
        return wire.Connection(
            b.host, b.port, client_id=client_id, username=b.username, password=b.password, tls=b.tls
        )

    def start(self, *, wait: float = 10.0) -> bool:
        try:
            self.bulk.open(timeout=wait)
            self.alarms.open(timeout=wait)
        except (OSError, ConnectionError) as error:
            log.warning("MQTT publisher could not connect to %s: %s", self.broker.url, error)
            return False
        return True

    def _packet(self, conn: wire.Connection, message: dict[str, Any], qos: int) -> bytes:
        topic = f"{TOPIC_PREFIX}{message['device']}/{message['type']}"
        payload = json.dumps(message, ensure_ascii=False, separators=(",", ":")).encode()
        if not qos:
            return wire.publish(topic, payload)
        self._mid = self._mid % 65535 + 1
        self.unacked[conn].add(self._mid)
        return wire.publish(topic, payload, qos=qos, mid=self._mid)

    def _acks(self, conn: wire.Connection, timeout: float) -> None:
        for header, body in conn.read(timeout):
            if header & 0xF0 == wire.PUBACK and len(body) >= 2:
                self.unacked[conn].discard((body[0] << 8) | body[1])

    def publish_all(
        self, messages: Iterable[dict[str, Any]], *, qos: int = 0, timeout: float = 30.0, chunk: int = 1000
    ) -> int:
        """Publish every message; return their number once the broker acknowledged every QoS 1 one (or
        `timeout` seconds after the last was written)."""
        out: list[bytes] = []
        n = 0
        for message in messages:
            n += 1
            if message.get("type") in ("alarm", "clear"):
                self.alarms.send(self._packet(self.alarms, message, 1))
                continue
            out.append(self._packet(self.bulk, message, qos))
            if len(out) >= chunk:
                self.bulk.send(b"".join(out))
                out.clear()
                if self.unacked[self.bulk]:
                    self._acks(self.bulk, 0.0)
        if out:
            self.bulk.send(b"".join(out))
        deadline = time.monotonic() + timeout
        for conn in (self.alarms, self.bulk):
            while self.unacked[conn] and time.monotonic() < deadline:
                self._acks(conn, 0.2)
        return n

    def stop(self) -> None:
        self.bulk.close()
        self.alarms.close()
