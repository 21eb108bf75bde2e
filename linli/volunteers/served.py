"""Hours for service done that another app records (a service order of co-building fulfilled by a volunteer):
the community's time bank pays the minutes spent, as hours, into the volunteer's account. Registered as a sink of
`core.served` by `contributions.register()`; the recording app hands each piece of service over once."""

from __future__ import annotations

from decimal import Decimal

from django.db import transaction

from linli.core.served import Served

from .choices import TransferCategory
from .models import BankAccount, Volunteer
from .services.bank import hours_transfer
from .services.people import community_bank


def credit_service_hours(served: Served) -> bool:
    """Pay the hours to the active volunteer with this account in the community served; False when the person
    is not one."""
    volunteer = (
        Volunteer.objects.filter(account_id=served.account_id, community_id=served.community_id, active=True)
        .select_related("community")
        .first()
    )
    account = BankAccount.objects.filter(volunteer=volunteer).first() if volunteer else None
    value = (Decimal(served.minutes) / 60).quantize(Decimal("0.01"))
    if volunteer is None or account is None or value <= 0:
        return False
    with transaction.atomic():
        hours_transfer(
            actor=None,  # the bank issues earned hours; the service was confirmed where it was recorded
            legs=[(community_bank(volunteer.community), -value), (account, value)],
            category=TransferCategory.ACTIVITY,
            note=served.title[:200],
        )
    return True
