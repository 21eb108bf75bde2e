from __future__ import annotations

from django.apps import apps
from django.utils import translation


def test_care_and_sensors_words_do_not_rename_djangos_own_apps(db: None) -> None:
    # gettext is one catalogue for the whole process: a bare "Sessions" or "Messages" in an app's catalogue
    # would rename Django's sessions and messages apps in the admin. Care's and sensors' words carry a context.
    with translation.override("zh-hans"):
        assert translation.gettext("Sessions") == "会话"
        assert translation.gettext("Messages") == "消息"
        assert str(apps.get_app_config("sessions").verbose_name) == "会话"
        assert str(apps.get_app_config("messages").verbose_name) == "消息"
        assert translation.pgettext("mediation", "Sessions") == "调解记录"
        assert translation.pgettext("alarm", "Messages") == "消息数"
