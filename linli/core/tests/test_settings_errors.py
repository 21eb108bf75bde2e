"""An administrator who sets an environment variable Linli cannot use reads, in Chinese, which one and how to
write it, instead of a Python traceback."""

from __future__ import annotations

from pathlib import Path

import pytest

from linli.cli import setting_error_text
from linli.core.env import SettingError, env_bool, env_database, env_float, env_int, var_dir
from linli.core.tests.fresh_process import run_python


def test_each_kind_of_wrong_value_is_refused_in_chinese(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LINLI_HTTPS", "maybe")
    monkeypatch.setenv("LINLI_SESSION_HOURS", "twelve")
    monkeypatch.setenv("LINLI_TRIAGE_THRESHOLD", "0,6")
    monkeypatch.setenv("DATABASE_URL", "mysql://linli:sekrit@db/linli")
    refusals = []
    for read in (
        lambda: env_bool("LINLI_HTTPS"),
        lambda: env_int("LINLI_SESSION_HOURS", 12),
        lambda: env_float("LINLI_TRIAGE_THRESHOLD", 0.6),
        lambda: env_database("DATABASE_URL", "sqlite:///x.sqlite3"),
    ):
        with pytest.raises(SettingError) as caught:
            read()
        refusals.append(setting_error_text(caught.value))
    assert refusals == [
        "邻里的配置有误：LINLI_HTTPS 应为 true 或 false；现在是“maybe”。",
        "邻里的配置有误：LINLI_SESSION_HOURS 应为整数，例如 12；现在是“twelve”。",
        "邻里的配置有误：LINLI_TRIAGE_THRESHOLD 应为数字，例如 0.6；现在是“0,6”。",
        "邻里的配置有误：DATABASE_URL 不是邻里可用的数据库地址（“mysql://linli:***@db/linli”）："
        "请写成 postgres://用户名:密码@主机:5432/数据库名，或 sqlite:////绝对路径/linli.sqlite3。",
    ]


def test_the_words_of_true_and_false_are_still_read(monkeypatch: pytest.MonkeyPatch) -> None:
    for word, value in (
        ("true", True),
        ("YES", True),
        ("on", True),
        ("1", True),
        ("False", False),
        ("0", False),
    ):
        monkeypatch.setenv("LINLI_HTTPS", word)
        assert env_bool("LINLI_HTTPS") is value
    monkeypatch.setenv("LINLI_HTTPS", " ")
    assert env_bool("LINLI_HTTPS", True) is True
    monkeypatch.setenv("DATABASE_URL", "postgres://linli:secret@db.internal:5432/linli")
    assert env_database("DATABASE_URL", "")["HOST"] == "db.internal"


def test_the_command_prints_the_problem_without_a_traceback(tmp_path: Path) -> None:
    result = run_python(
        ["-m", "linli", "migrate"], {"LINLI_VAR_DIR": str(tmp_path), "LINLI_SESSION_HOURS": "x"}
    )
    assert result.returncode == 2
    assert result.stderr == "邻里的配置有误：LINLI_SESSION_HOURS 应为整数，例如 12；现在是“x”。\n"


def test_an_installed_package_needs_linli_var_dir(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    # Installed from a wheel there is no checkout around the package: its folder is no place for the database.
    package = tmp_path / "site-packages" / "linli"
    package.mkdir(parents=True)
    monkeypatch.delenv("LINLI_VAR_DIR", raising=False)
    with pytest.raises(SettingError) as caught:
        var_dir(package)
    assert setting_error_text(caught.value).startswith(
        "邻里的配置有误：未设置 LINLI_VAR_DIR：邻里是作为软件包安装的"
    )
    monkeypatch.setenv("LINLI_VAR_DIR", str(tmp_path / "data"))
    assert var_dir(package) == tmp_path / "data"
    # In a checkout, its var/ by default, as before.
    monkeypatch.delenv("LINLI_VAR_DIR")
    (tmp_path / "site-packages" / "pyproject.toml").write_text("")
    assert var_dir(package) == tmp_path / "site-packages" / "var"


def test_lease_reminder_care_and_audit_settings_are_read_from_the_environment() -> None:
    result = run_python(
        [
            "-c",
            "import django, os; os.environ['DJANGO_SETTINGS_MODULE'] = 'linli.settings'; django.setup();"
            "from django.conf import settings as s; from linli.care import rules; from linli.territory import jobs;"
            "print(jobs.lease_reminder_days(), rules.frequency('red'), rules.frequency('yellow'),"
            " rules.reassess_after('green'), rules.contact_minutes('call'), rules.contact_minutes('visit'),"
            " s.LINLI_AUDIT_KEEP_DAYS)",
        ],
        {
            "LINLI_TESTING": "1",
            "LINLI_LEASE_REMINDER_DAYS": "45",
            "LINLI_CARE_FREQUENCY": "red=5/-",
            "LINLI_CARE_REASSESS_DAYS": " green = 200 ",
            "LINLI_CARE_CONTACT_MINUTES": "call=20",
            "LINLI_AUDIT_KEEP_DAYS": "400",
        },
    )
    assert result.returncode == 0, result.stderr
    # A level or kind not named keeps its default (yellow: a visit every 14 days, a call every 7; a visit 60 min).
    assert result.stdout.split("\n")[0] == (
        "45 {'visit': 5, 'call': None} {'visit': 14, 'call': 7} 200 20 60 400"
    ), result.stdout


def test_the_duplicate_suggestions_and_default_district_are_read_from_the_environment() -> None:
    """README documents them as environment variables; the duplicate ones were read from settings that never
    defined them (so the environment changed nothing), the district from the environment on every call."""
    result = run_python(
        [
            "-c",
            "import django, os; os.environ['DJANGO_SETTINGS_MODULE'] = 'linli.settings'; django.setup();"
            "from django.conf import settings as s;"
            "print(s.LINLI_DUPLICATE_RADIUS_M, s.LINLI_DUPLICATE_DAYS, s.LINLI_DUPLICATE_MIN_SCORE,"
            " s.LINLI_DEFAULT_DISTRICT)",
        ],
        {
            "LINLI_TESTING": "1",
            "LINLI_DUPLICATE_RADIUS_M": "150",
            "LINLI_DUPLICATE_DAYS": "7",
            "LINLI_DUPLICATE_MIN_SCORE": "0.5",
            "LINLI_DEFAULT_DISTRICT": "110105",
        },
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split("\n")[0] == "150.0 7 0.5 110105", result.stdout


@pytest.mark.parametrize(
    ("name", "value", "said"),
    [
        ("LINLI_LEASE_REMINDER_DAYS", "0", "LINLI_LEASE_REMINDER_DAYS 应为不小于 1 的整数；现在是“0”。"),
        ("LINLI_AUDIT_KEEP_DAYS", "90", "LINLI_AUDIT_KEEP_DAYS 应为不小于 180 的整数；现在是“90”。"),
        (
            "LINLI_CARE_REASSESS_DAYS",
            "red:90",
            "LINLI_CARE_REASSESS_DAYS 应写成 red=90,yellow=180,green=365 的样子（只能用 red, yellow, green，"
            "每项为不小于 1 的整数）；现在是“red:90”。",
        ),
        (
            "LINLI_CARE_CONTACT_MINUTES",
            "visit=60,walk=30",
            "LINLI_CARE_CONTACT_MINUTES 应写成 visit=60,call=15 的样子（只能用 visit, call，每项为不小于 1 的整数）；"
            "现在是“visit=60,walk=30”。",
        ),
        (
            "LINLI_CARE_FREQUENCY",
            "red=7",
            "LINLI_CARE_FREQUENCY 应写成 red=7/2,yellow=14/7,green=30/- 的样子（只能用 red, yellow, green，"
            "每项为“走访间隔天数/电话间隔天数”，不小于 1 的整数，不需要的写 -）；现在是“red=7”。",
        ),
        ("LINLI_CARE_FREQUENCY", "red=0/2", "LINLI_CARE_FREQUENCY 应写成 red=7/2,"),
    ],
)
def test_a_wrong_lease_care_or_audit_setting_stops_the_command_in_one_chinese_line(
    tmp_path: Path, name: str, value: str, said: str
) -> None:
    result = run_python(["-m", "linli", "check"], {"LINLI_VAR_DIR": str(tmp_path), name: value})
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("邻里的配置有误：" + said), result.stderr
