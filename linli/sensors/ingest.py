"""Decoding what a broker delivers and feeding it to `services.readings_ingest` in batches.

`linli sensors listen` (linli.sensors.mqtt) is the subscriber; a broker's own client also works: Mosquitto's
`mosquitto_sub -v -t 'linli/sensors/#' | linli sensors ingest` (or EMQX's, with a shared subscription
`$share/linli/linli/sensors/#` so that several ingest processes split the load). Each line is `topic payload`
(mosquitto_sub -v) or a bare JSON payload; a payload without "device" takes the code from the topic
`linli/sensors/<code>/<anything>`."""

from __future__ import annotations

import json
import time
from collections.abc import Iterable, Iterator
from typing import Any

from .services import IngestResult, readings_ingest

TOPIC_PREFIX = "linli/sensors/"
BATCH_SIZE = 1000
BATCH_SECONDS = 0.2


def decode_line(line: str) -> dict[str, Any] | None:
    """One delivered message as a reading dict, or None when it is not one."""
    line = line.strip()
    if not line:
        return None
    topic = ""
    if not line.startswith("{"):
        topic, _sep, line = line.partition(" ")
    try:
        message = json.loads(line)
    except ValueError:
        return None
    if not isinstance(message, dict):
        return None
    if not message.get("device") and topic.startswith(TOPIC_PREFIX):
        message["device"] = topic[len(TOPIC_PREFIX) :].split("/", 1)[0]
    return message


def batches(
    lines: Iterable[str], *, size: int = BATCH_SIZE, seconds: float = BATCH_SECONDS
) -> Iterator[list[dict[str, Any]]]:
    """Group decoded messages into batches of `size`, or whatever arrived within `seconds` of the batch's first."""
    batch: list[dict[str, Any]] = []
    started = 0.0
    for line in lines:
        message = decode_line(line)
        if message is None:
            continue
        if not batch:
            started = time.monotonic()
        batch.append(message)
        if len(batch) >= size or time.monotonic() - started >= seconds:
            yield batch
            batch = []
    if batch:
        yield batch


def ingest_lines(lines: Iterable[str], *, size: int = BATCH_SIZE) -> IngestResult:
    """Ingest every line (until the stream ends) and return the totals."""
    total = IngestResult()
    for batch in batches(lines, size=size):
        total.add(readings_ingest(batch))
    return total
