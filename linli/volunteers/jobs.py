"""Background work of volunteering: remind the volunteers of shifts that start within a day; credit reports that
became appeals, appeals handled and wishes fulfilled (`credits.py`)."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from .choices import ActivityState, SignupState
from .credits import appeal_credits, wish_credits
from .models import Shift
from .services._common import notify

REMIND_BEFORE = dt.timedelta(hours=24)


def shift_reminders(*, limit: int = 200) -> int:
    """Claim shifts starting within a day that no one was reminded of (skipping rows another worker holds), and
    tell each volunteer signed up for them."""
    now = timezone.now()
    done = 0
    with transaction.atomic():
        due = list(
            Shift.objects.select_for_update(skip_locked=True, of=("self",))
            .filter(
                reminded_at__isnull=True,
                starts_at__gt=now,
                starts_at__lte=now + REMIND_BEFORE,
                activity__state=ActivityState.OPEN,
            )
            .select_related("activity")
            .order_by("starts_at")[:limit]
        )
        for shift in due:
            Shift.objects.filter(pk=shift.pk).update(reminded_at=now)
            when = timezone.localtime(shift.starts_at)
            for role in shift.roles.all():
                for signup in role.signups.filter(state=SignupState.CONFIRMED).select_related("volunteer"):
                    notify(
                        signup.volunteer,
                        _("Reminder: %(title)s at %(time)s")
                        % {"title": shift.activity.title, "time": f"{when:%m-%d %H:%M}"},
                        f"{shift.activity.place} · {role.name}",
                        reverse("volunteers:my_activities"),
                        sms=True,
                    )
                    done += 1
    return done


JOBS = {
    "volunteers.shift_reminders": shift_reminders,
    "volunteers.appeal_credits": appeal_credits,
    "volunteers.wish_credits": wish_credits,
}
