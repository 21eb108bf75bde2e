"""A built demo leaves in the outbox only the text messages a real deployment would send now: none for a meeting
already held or invited days ago, a fire alarm long over or an alert of days ago. An administrator who then
configures a real SMS gateway sends nothing stale."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from linli.core.models import OutboxMessage
from linli.deliberation.models import Meeting
from linli.demo import care, deliberation, grid_log, sensors
from linli.demo.parts import DemoRun
from linli.sensors.models import Alarm


def test_the_demo_queues_texts_only_for_what_is_due_now(run: DemoRun) -> None:
    """The parts whose services send text messages (the appeals part drops those of its made-up residents; the
    other parts send none), built on the small district (the grid log makes the venues the sensors hang in)."""
    for part in (grid_log.part, deliberation.part, sensors.part, care.part):
        part(run)
    now = timezone.now()
    texts = list(OutboxMessage.objects.filter(channel="sms"))
    # Nothing queued at a moment of the demo's past: a text queued days ago would have left days ago.
    assert [m.payload["text"] for m in texts if m.created_at < now - dt.timedelta(hours=3)] == []
    said = [m.payload["text"] for m in texts]
    # Meetings: only the coming one's invitation; those already held were told in person or by phone.
    for meeting in Meeting.objects.all():
        invitations = [t for t in said if f"邀请您参加{meeting.title}" in t]
        if meeting.scheduled_at > now and meeting.stage == "collect":
            assert meeting.participants.filter(invited_by="sms").exists()
        else:
            assert invitations == [], meeting.title
            assert not meeting.participants.filter(invited_by="sms").exists()
    # Fire alarms: texts only about the one sounding now, none about an alarm that is over.
    sounding = {
        f"sensors.alarm:{pk}" for pk in Alarm.objects.filter(state="active").values_list("pk", flat=True)
    }
    about = {m.payload["about"] for m in texts if "about" in m.payload}
    assert about <= sounding
    over = Alarm.objects.exclude(state="active")
    assert over.filter(device__grid__workers__phone__gt="").exists()  # whose workers were texted at the time
    # Care: the alerts raised in the last hours tell their emergency contacts now.
    assert any("一键呼叫" in t for t in said)
