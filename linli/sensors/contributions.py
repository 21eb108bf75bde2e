"""What sensors adds to lower layers: the devices import kind of the territory's import pages, and on a fire
alarm's work order (appeals' staff page) the way to its alarm, named for a false alarm as such (查看告警（误报）), so the
order, which reads 已办结 like a fire put out, says what it was."""

from __future__ import annotations

from collections.abc import Callable

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from linli.appeals import appeal_actions
from linli.appeals.choices import Channel
from linli.appeals.models import Appeal
from linli.core.scoping import Viewer
from linli.territory import imports

from .choices import AlarmOutcome
from .models import Alarm
from .selectors import alarms_visible_to

# The alarm found for the reader on the order being shown, kept on the order for the page's two links and the URL.
_FOUND = "_sensors_alarm"


def _alarm_of(user: Viewer, appeal: Appeal) -> tuple[int, str] | None:
    """The (key, outcome) of the alarm that opened this work order, when the reader sees it: a sensor's order only,
    one query for the page."""
    if appeal.channel != Channel.SENSOR or not appeal.tracking_number:
        return None
    found = appeal.__dict__.get(_FOUND)
    if found is None or found[0] is not user:
        alarm = (
            alarms_visible_to(user).filter(appeal_number=appeal.tracking_number).values_list("pk", "outcome")
        )
        found = appeal.__dict__[_FOUND] = (user, alarm.first())
    return found[1]


def _offered(false: bool) -> Callable[[Viewer, Appeal], bool]:
    def offered(user: Viewer, appeal: Appeal) -> bool:
        alarm = _alarm_of(user, appeal)
        return alarm is not None and (alarm[1] == AlarmOutcome.FALSE) == false

    return offered


def _url(appeal: Appeal) -> str:
    found = appeal.__dict__.get(_FOUND)
    if found is not None and found[1] is not None:
        pk = found[1][0]
    else:  # its URL asked without asking first whether it is offered (appeal_actions.offered always asks first)
        pk = Alarm.objects.filter(appeal_number=appeal.tracking_number).values_list("pk", flat=True).first()
    return reverse("sensors:alarm", args=[pk])


def appeal_actions_of_sensors() -> list[appeal_actions.AppealAction]:
    """The link to the alarm from its work order: one for a false alarm, saying so, and one for the others."""
    return [
        appeal_actions.AppealAction(
            name="sensors_alarm", label=_("See the alarm"), url=_url, offered=_offered(False)
        ),
        appeal_actions.AppealAction(
            name="sensors_false_alarm",
            label=_("See the alarm (a false alarm)"),
            url=_url,
            offered=_offered(True),
        ),
    ]


def register() -> None:
    from . import imports as device_import

    imports.register_kind(
        device_import.KIND,
        label=device_import.LABEL,
        columns=device_import.COLUMNS,
        importer=device_import.DeviceImporter,
    )
    for action in appeal_actions_of_sensors():
        appeal_actions.register(action)
