"""Every write of care and mediation, in rooms named by noun: `plans` (levels, schedules, visits, the chase),
`provision` (services for a person, one-tap alerts), `visitors` (who visits: a worker, volunteer or party
member; their hours to the time bank; reassessment reminders), `mediation` (dispute cases), `legal` (the rota of 三官两师,
legal aid, talks), `children` (children's places and their waiting lists). Each service looks up what it names
through the actor's scope, checks the who-may table and the allowed transitions, changes the row by
compare-and-swap or under a lock, writes an event or audit row, and queues notifications for after the commit."""

from __future__ import annotations

from .children import child_place_create, enrolment_create, enrolment_leave
from .legal import (
    legal_aid_apply,
    legal_aid_assign,
    legal_aid_conclude,
    legal_aid_refuse,
    legal_talk_record,
    rota_add,
    rota_remove,
)
from .mediation import (
    agreement_sign,
    case_assign,
    case_call_professional,
    case_close,
    case_follow_up,
    case_open,
    party_add,
    session_record,
)
from .plans import (
    ESCALATE_AFTER_DAYS,
    FAR_FROM_HOME_M,
    SCHEDULE_DAYS,
    care_contact_check_open,
    care_contact_cover,
    care_contact_coverable,
    care_contact_reached_later,
    care_contact_record,
    care_contacts_chase,
    care_contacts_cover,
    care_plan_confirm,
    care_schedule_extend,
    care_schedules_extend,
    community_workers_of,
)
from .provision import (
    care_alert_raise,
    care_alert_token_issue,
    care_service_cancel,
    care_service_deliver,
    care_service_hours_hand_over,
    care_service_order,
    plan_for_alert_token,
)
from .visitors import (
    care_contact_assign,
    care_contact_hours_hand_over,
    care_plan_visitor_set,
    care_reassessments_remind,
)

__all__ = [
    "ESCALATE_AFTER_DAYS",
    "FAR_FROM_HOME_M",
    "SCHEDULE_DAYS",
    "agreement_sign",
    "care_alert_raise",
    "care_alert_token_issue",
    "care_contact_assign",
    "care_contact_check_open",
    "care_contact_cover",
    "care_contact_coverable",
    "care_contact_hours_hand_over",
    "care_contact_reached_later",
    "care_contact_record",
    "care_contacts_chase",
    "care_contacts_cover",
    "care_plan_confirm",
    "care_plan_visitor_set",
    "care_reassessments_remind",
    "care_schedule_extend",
    "care_schedules_extend",
    "care_service_cancel",
    "care_service_deliver",
    "care_service_hours_hand_over",
    "care_service_order",
    "case_assign",
    "case_call_professional",
    "case_close",
    "case_follow_up",
    "case_open",
    "child_place_create",
    "community_workers_of",
    "enrolment_create",
    "enrolment_leave",
    "legal_aid_apply",
    "legal_aid_assign",
    "legal_aid_conclude",
    "legal_aid_refuse",
    "legal_talk_record",
    "party_add",
    "plan_for_alert_token",
    "rota_add",
    "rota_remove",
    "session_record",
]
