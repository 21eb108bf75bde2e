"""Territory's services take who acts (core.scoping.person) and write their audit rows (core.audit.audit) from core,
as party, deliberation, co-building and volunteers do, instead of copies of their own; and what they record is the
same: the signed-in account on the life event, the visit and the audit row, nobody for the system."""

from __future__ import annotations

import datetime as dt
import inspect

import pytest

from linli.core import audit as core_audit
from linli.core.models import AuditEntry
from linli.territory import services
from linli.territory.choices import LifeEvent
from linli.territory.models import ResidentEvent
from linli.territory.services import common, housing, people, venues, visits
from linli.testing import Cast

pytestmark = pytest.mark.django_db


def test_the_services_have_no_audit_helper_or_actor_id_of_their_own() -> None:
    for module in (common, housing, people, venues, visits):
        assert getattr(module, "audit", core_audit.audit) is core_audit.audit, module.__name__
        assert not hasattr(module, "_actor_id"), module.__name__
        assert "actor.pk" not in inspect.getsource(module), module.__name__
        assert 'getattr(actor, "pk"' not in inspect.getsource(module), module.__name__


def test_a_life_event_and_a_visit_name_the_account_that_acted_and_nobody_for_the_system(cast: Cast) -> None:
    worker = cast.grid_worker
    services.resident_move_out(actor=worker, resident=cast.resident_record, on=dt.date(2026, 1, 5))
    assert ResidentEvent.objects.get(resident=cast.resident_record, kind=LifeEvent.MOVED_OUT).actor == worker
    entry = AuditEntry.objects.get(action=f"resident_{LifeEvent.MOVED_OUT}")
    assert entry.actor_id == worker.pk and entry.object_id == str(cast.resident_record.pk)
    visit = services.visit_log(actor=worker, household=cast.household, found="一切正常")
    assert visit.visitor == worker
    by_system = services.visit_log(actor=None, household=cast.household, found="系统补录")
    assert by_system.visitor is None
