"""`linli sensors ingest` and `linli sensors simulate` tell the administrator what they did in Chinese, as
`linli sensors listen` does; the `topic payload` lines of --print stay as a broker's client reads them."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import CommandError, call_command

from linli.sensors.models import Device
from linli.sensors.simulate import as_line


def _run(*args: str, stdin: str = "", monkeypatch: pytest.MonkeyPatch) -> tuple[str, str]:
    monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    out, err = io.StringIO(), io.StringIO()
    call_command("sensors", *args, stdout=out, stderr=err)
    return out.getvalue().strip(), err.getvalue().strip()


def test_ingest_says_what_it_wrote_and_names_the_devices_not_registered(
    device: Device, monkeypatch: pytest.MonkeyPatch
) -> None:
    lines = [
        as_line(
            {"id": "a1", "device": device.code, "type": "alarm", "alarm": "smoke", "severity": "critical"}
        ),
        as_line({"device": "SD-9999", "type": "heartbeat", "battery": 80}),
        as_line({"device": device.code, "type": "bogus"}),
    ]
    out, err = _run("ingest", stdin="\n".join(lines) + "\n", monkeypatch=monkeypatch)
    assert (
        out
        == "已读完：收到 3 条消息，新开 1 条告警，重复告警 0 条，解除 0 条，拒收 1 条（类型或数值无法识别）。"
    )
    assert err == (
        "1 台未登记设备的消息没有写入：SD-9999。请先导入这些设备（数据导入的“一网通感”，见 docs/places-sensors.md）。"
    )


def test_simulate_says_what_it_wrote_in_chinese_and_prints_lines_unchanged(
    device: Device, monkeypatch: pytest.MonkeyPatch
) -> None:
    out, _err = _run("simulate", "--devices", "1", "--alarm-rate", "0", "--ingest", monkeypatch=monkeypatch)
    assert out.startswith("写入 1 条读数，新开 0 条告警，用时 ") and "秒（每秒 " in out, out
    out, _err = _run("simulate", "--devices", "1", "--alarm-rate", "0", "--print", monkeypatch=monkeypatch)
    topic, payload = out.split(" ", 1)
    assert topic == f"linli/sensors/{device.code}/heartbeat" and json.loads(payload)["device"] == device.code


def test_simulate_refuses_in_chinese_without_devices_or_broker(
    device: Device, monkeypatch: pytest.MonkeyPatch
) -> None:
    Device.objects.update(active=False)
    with pytest.raises(CommandError) as refused:
        _run("simulate", monkeypatch=monkeypatch)
    assert str(refused.value) == "没有已登记的传感器：请先运行 linli demo 或登记设备。"
    Device.objects.update(active=True)
    monkeypatch.setattr("linli.sensors.mqtt.Publisher.start", lambda self, wait: False)
    with pytest.raises(CommandError) as refused:
        _run("simulate", "--url", "mqtt://ingest:s3cret@127.0.0.1:1", monkeypatch=monkeypatch)
    assert str(refused.value) == "mqtt://127.0.0.1:1 上没有可连接的 MQTT 服务器。"  # the password left out


def test_the_options_are_explained_in_chinese(capsys: pytest.CaptureFixture[str]) -> None:
    for sub, words in (("ingest", "每批一起写入的读数条数"), ("simulate", "消息中告警所占比例")):
        with pytest.raises(SystemExit):
            call_command("sensors", sub, "--help")
        assert words in capsys.readouterr().out
