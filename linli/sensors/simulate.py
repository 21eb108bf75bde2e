"""A simulated fleet: heartbeats from every device and, now and then, an alarm (and its clearing)."""

from __future__ import annotations

import json
import random
import time
from collections.abc import Iterator
from typing import Any

from .ingest import TOPIC_PREFIX


def fleet_messages(
    codes: list[str], *, kinds: dict[str, str], rounds: int, alarm_rate: float, seed: int = 7
) -> Iterator[dict[str, Any]]:
    """`rounds` heartbeats per device; each heartbeat is followed by an alarm with probability `alarm_rate`
    (sent twice, as real detectors repeat themselves), and the alarm is cleared in the next round."""
    rng = random.Random(seed)
    run = f"{seed}{int(time.time()):x}"  # message ids differ between runs: each message carries its own
    seq = 0
    battery = {code: rng.randint(30, 100) for code in codes}  # a few go low over a long run
    alarming: set[str] = set()
    for _round in range(rounds):
        for code in codes:
            now = time.time()
            battery[code] = max(0, battery[code] - (1 if rng.random() < 0.02 else 0))
            seq += 1
            yield {
                "id": f"{run}-{seq}",
                "device": code,
                "type": "heartbeat",
                "battery": battery[code],
                "ts": now,
            }
            if code in alarming:
                alarming.discard(code)
                seq += 1
                yield {"id": f"{run}-{seq}", "device": code, "type": "clear", "alarm": kinds[code], "ts": now}
            elif rng.random() < alarm_rate:
                alarming.add(code)
                seq += 1
                alarm = {
                    "id": f"{run}-{seq}",
                    "device": code,
                    "type": "alarm",
                    "alarm": kinds[code],
                    "severity": "critical",
                    "ts": now,
                }
                yield alarm
                seq += 1
                yield {**alarm, "id": f"{run}-{seq}"}


def as_line(message: dict[str, Any]) -> str:
    """`topic payload`, as `mosquitto_sub -v` prints and `mosquitto_pub -l` does not need (use the payload)."""
    return f"{TOPIC_PREFIX}{message['device']}/{message['type']} {json.dumps(message, ensure_ascii=False)}"
